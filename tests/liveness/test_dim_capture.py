"""The generator's dim room (``synth_variants.dim``), shared by dim bona fide captures and by
prints and cut-outs shown in the same light (``pad_data.FRESH8``, issue 14)."""

from __future__ import annotations

import math

import cv2
import numpy as np
import pytest

from kyc_sdk.liveness import synth_variants


def test_a_dim_room_lifts_the_grain_by_the_shot_noise_law() -> None:
    """Less light, more grain after the gain; a brighter part of the scene grainier than a
    darker one, as a sensor's shot noise is."""
    flat = np.full((256, 256, 3), 200.0, np.float32)
    grain = [float(synth_variants.dim(flat, np.random.default_rng(6), light).std()) for light in (0.6, 0.2)]
    assert grain[1] > 1.5 * grain[0]
    dark, bright = (
        float(synth_variants.dim(flat * k, np.random.default_rng(7), 0.3).std()) for k in (0.25, 1.0)
    )
    assert bright / dark == pytest.approx(math.sqrt((200 * 0.3 + 4) / (50 * 0.3 + 4)), rel=0.2)


@pytest.mark.parametrize(
    ("species", "variant"), [("print", "tune-dim-am-fine"), ("cutout", "tune-dim-head-am-fine")]
)
def test_an_attack_in_a_dim_room_is_grainier_than_in_daylight(photo, species: str, variant: str) -> None:
    """The attack's ``light`` axis: the same attack, with and without it, through the camera."""
    rgb, points = photo("tests_obama.jpg")
    params = dict(synth_variants.VARIANTS[species][variant])
    lit = {k: v for k, v in params.items() if k != "light"}
    maker = synth_variants.MAKERS[species]

    def grain(img: np.ndarray) -> float:
        f = img.astype(np.float32)
        return float(np.median(np.abs(f - cv2.GaussianBlur(f, (0, 0), 2.0))))

    dim = maker(rgb, points, np.random.default_rng(1), **params)
    day = maker(rgb, points, np.random.default_rng(1), **lit)
    assert dim.shape == day.shape and dim.dtype == np.uint8
    assert np.isfinite(dim.astype(np.float32)).all()
    assert grain(dim) > 1.2 * grain(day)
