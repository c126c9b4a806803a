"""The generator's piecewise-affine warp: each output pixel inside a moved triangle takes
the source position with the same barycentric coordinates; pixels outside stay put."""

from __future__ import annotations

import numpy as np

from kyc_sdk.liveness.synth_video import warp


def _ramp(h: int = 60, w: int = 80) -> np.ndarray:
    """An image whose value tells where it was sampled (x in red, y in green)."""
    ys, xs = np.mgrid[0:h, 0:w]
    return np.dstack([xs * 3, ys * 4, np.full_like(xs, 128)]).astype(np.uint8)


def test_a_translated_triangle_samples_its_source_shifted() -> None:
    rgb = _ramp()
    src = np.array([[10.0, 10.0], [50.0, 12.0], [20.0, 45.0]])
    dst = src + np.array([6.0, -3.0])
    out = warp(rgb, src, dst, [(0, 1, 2)])
    # a pixel well inside the moved triangle reads the source 6 px left and 3 px down
    assert tuple(out[20, 30]) == tuple(rgb[23, 24])
    # a pixel outside it is untouched
    assert tuple(out[55, 75]) == tuple(rgb[55, 75])


def test_a_stretched_triangle_maps_its_vertices_and_midpoints() -> None:
    rgb = _ramp()
    src = np.array([[10.0, 10.0], [30.0, 10.0], [10.0, 30.0]])
    dst = np.array([[10.0, 10.0], [50.0, 10.0], [10.0, 50.0]])  # twice as large
    out = warp(rgb, src, dst, [(0, 1, 2)]).astype(int)
    assert np.abs(out[10, 40] - rgb[10, 25]).max() <= 1  # on an edge: three quarters along
    assert np.abs(out[20, 20] - rgb[15, 15]).max() <= 1  # inside: half the distance
    assert tuple(out[45, 45]) == tuple(rgb[45, 45])  # past the hypotenuse: not moved


def test_a_collapsed_triangle_moves_nothing() -> None:
    rgb = _ramp()
    src = np.array([[10.0, 10.0], [40.0, 10.0], [25.0, 30.0]])
    dst = np.array([[10.0, 10.0], [40.0, 10.0], [25.0, 10.2]])  # a closed eyelid
    assert np.array_equal(warp(rgb, src, dst, [(0, 1, 2)]), rgb)
