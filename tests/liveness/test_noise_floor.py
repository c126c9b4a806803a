"""The camera's noise floor and the face's texture judged against it (issue 14: dim-light
bona fide were refused as ``recapture_texture`` because a dim room's grain read as texture)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from kyc_sdk.liveness import features, synth_variants

BOX = (160, 400, 400, 160)  # top, right, bottom, left of a 240-pixel face in a 560² frame


def _frame(rng: np.random.Generator, sigma: float, level: float = 120.0) -> np.ndarray:
    """A flat grey frame with i.i.d. sensor noise of ``sigma`` everywhere."""
    return np.clip(level + rng.normal(0, sigma, (560, 560)), 0, 255).astype(np.uint8)


def _excess(gray: np.ndarray) -> float:
    return math.log((features.noise(gray, BOX) + 0.3) / (features.noise_floor(gray, BOX) + 0.3))


@pytest.mark.parametrize("sigma", [2.0, 8.0])
def test_camera_noise_alone_is_no_excess_however_dim_the_room(sigma: float) -> None:
    """The same noise on the face as round it: the floor follows the grain, the excess stays
    near zero at two noise levels (a bright room and a dim one lifted by gain)."""
    gray = _frame(np.random.default_rng(1), sigma)
    assert features.noise_floor(gray, BOX) == pytest.approx(sigma, rel=0.25)
    assert abs(_excess(gray)) < 0.25


def test_dots_on_the_face_alone_stand_above_the_floor() -> None:
    rng = np.random.default_rng(2)
    gray = _frame(rng, 2.0).astype(np.float32)
    yy, xx = np.mgrid[0:560, 0:560]
    dots = 12 * np.cos(yy * np.pi / 1.1) * np.cos(xx * np.pi / 1.3)  # a fine halftone
    top, right, bottom, left = BOX
    gray[top:bottom, left:right] += dots[top:bottom, left:right]
    assert _excess(np.clip(gray, 0, 255).astype(np.uint8)) > 0.7


def test_a_darker_background_is_brought_to_the_face_level_by_the_square_root_law() -> None:
    """Shot noise: the dark wall's grain is smaller than the bright face's; the floor scales
    it to the face's level, so it matches the face's own noise."""
    rng = np.random.default_rng(3)
    level = np.full((560, 560), 40.0)
    top, right, bottom, left = BOX
    level[top:bottom, left:right] = 160.0
    gray = np.clip(level + rng.normal(0, 1, level.shape) * 0.6 * np.sqrt(level + 4), 0, 255).astype(np.uint8)
    assert features.noise_floor(gray, BOX) == pytest.approx(features.noise(gray, BOX), rel=0.25)


@pytest.mark.parametrize(
    "gray",
    [
        np.zeros((40, 40), np.uint8),  # too small for a block
        np.full((560, 560), 255, np.uint8),  # all clipped
        np.random.default_rng(4).integers(0, 256, (560, 560)).astype(np.uint8),
    ],
)
def test_the_floor_is_a_finite_number_on_any_frame(gray: np.ndarray) -> None:
    v = features.noise_floor(gray, BOX)
    assert math.isfinite(v) and v >= 0


def test_a_face_filling_the_frame_still_gets_a_floor() -> None:
    gray = _frame(np.random.default_rng(5), 3.0)
    assert features.noise_floor(gray, (0, 560, 560, 0)) == pytest.approx(3.0, rel=0.25)


def test_a_dim_room_lifts_the_grain_by_the_shot_noise_law() -> None:
    """``synth_variants.dim``: less light, more grain after the gain, and a brighter part of
    the scene grainier than a darker one, as a sensor's shot noise is."""
    flat = np.full((256, 256, 3), 200.0, np.float32)
    grain = [float(synth_variants.dim(flat, np.random.default_rng(6), light).std()) for light in (0.6, 0.2)]
    assert grain[1] > 1.5 * grain[0]
    dark, bright = (
        float(synth_variants.dim(flat * k, np.random.default_rng(7), 0.3).std()) for k in (0.25, 1.0)
    )
    assert bright / dark == pytest.approx(math.sqrt((200 * 0.3 + 4) / (50 * 0.3 + 4)), rel=0.2)
