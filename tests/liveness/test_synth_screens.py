"""The generated screens' refresh band and relayed stream rate (``synth_video.Screen``, ``Subpixels``)."""

from __future__ import annotations

import numpy as np
import pytest

from kyc_sdk.liveness import synth_video

H, W = 96, 64
STILL = {"tilt": 0.0, "hand": 0.0, "gamma": 1.0}  # no hand, no tone curve: only what is tested


def _levels(n: int) -> synth_video.Frames:
    """``n`` flat grey pictures, each brighter than the one before, at 15 frames a second."""
    return [(i / 15, np.full((H, W, 3), 40 + 12 * i, np.uint8)) for i in range(n)]


@pytest.mark.parametrize(
    "screen",
    [
        synth_video.Screen(moire=0.0, banding=0.0, content_fps=7.5, **STILL),
        synth_video.Subpixels(banding=0.0, content_fps=7.5, **STILL),
    ],
    ids=["painted", "subpixels"],
)
def test_a_slower_stream_shows_each_picture_over_two_camera_frames(
    screen: synth_video.Screen | synth_video.Subpixels,
) -> None:
    show = (
        synth_video.on_subpixel_screen if isinstance(screen, synth_video.Subpixels) else synth_video.on_screen
    )
    filmed = show(_levels(8), np.random.default_rng(3), screen)
    centre = [float(f[H // 4 : 3 * H // 4, W // 4 : 3 * W // 4].mean()) for _, f in filmed]
    held = [abs(centre[i + 1] - centre[i]) for i in (0, 2, 4, 6)]  # one picture, new noise
    moved = [abs(centre[i + 1] - centre[i]) for i in (1, 3, 5)]  # the stream's next picture
    assert max(held) < 1.0 < min(moved), centre
    assert [t for t, _ in filmed] == [t for t, _ in _levels(8)]  # the camera's own clock


def _band_rows(band_period: float) -> np.ndarray:
    """Per row, the brightness a refresh band adds to a flat grey picture (same hand, same noise)."""
    pictures = [(0.0, np.full((H, W, 3), 128, np.uint8))]
    plain = synth_video.on_screen(
        pictures, np.random.default_rng(5), synth_video.Screen(moire=0.0, banding=0.0)
    )
    banded = synth_video.on_screen(
        pictures,
        np.random.default_rng(5),
        synth_video.Screen(moire=0.0, banding=0.1, band_period=band_period),
    )
    return (banded[0][1].astype(np.float32) - plain[0][1]).mean(axis=(1, 2))


def _fit(rows: np.ndarray, period: float) -> float:
    """Share of the rows' variance a cosine of ``period`` frame heights (any phase) explains."""
    y = np.arange(len(rows)) / (period * len(rows))
    basis = np.stack([np.cos(2 * np.pi * y), np.sin(2 * np.pi * y), np.ones_like(y)], axis=1)
    residual = rows - basis @ np.linalg.lstsq(basis, rows, rcond=None)[0]
    return 1 - float(residual.var() / rows.var())


def test_the_refresh_band_follows_its_period() -> None:
    short, default = _band_rows(0.35), _band_rows(0.7)
    assert _fit(short, 0.35) > 0.8 > _fit(short, 0.7), (_fit(short, 0.35), _fit(short, 0.7))
    assert _fit(default, 0.7) > 0.8 > _fit(default, 0.35), (_fit(default, 0.7), _fit(default, 0.35))
