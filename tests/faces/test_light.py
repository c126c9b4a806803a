"""A photo taken in poor light is flagged with a reason the person can act on; a photo in
ordinary light, darker or lighter by a tone curve, is not."""

from __future__ import annotations

import numpy as np
import pytest

from kyc_sdk import faces
from kyc_sdk.faces import MatchResult
from kyc_sdk.faces.light import BACKLIT, NOISY, TOO_DARK, light_reasons, measure
from kyc_sdk.models import Decision
from kyc_sdk.registration import REASONS, biometrics


def in_light(rgb: np.ndarray, gain: np.ndarray | float) -> np.ndarray:
    """``rgb`` with its light multiplied by ``gain`` (per pixel or a scalar) in linear light."""
    linear = (rgb / 255.0) ** 2.2 * (gain[..., None] if isinstance(gain, np.ndarray) else gain)
    return np.clip(255 * np.clip(linear, 0, 1) ** (1 / 2.2), 0, 255).astype(np.uint8)


@pytest.fixture(scope="module")
def photo(image) -> tuple[np.ndarray, faces.Face]:
    rgb = image("tests_obama.jpg")
    return rgb, faces.single_face(rgb)


def test_a_photo_in_ordinary_light_is_not_flagged(photo) -> None:
    rgb, face = photo
    assert light_reasons(rgb, face) == ()
    for gamma in (0.6, 1.6):  # a tone curve moves the level, not the light's quality
        assert light_reasons(np.clip(255 * (rgb / 255.0) ** gamma, 0, 255).astype(np.uint8), face) == ()


def test_a_face_in_very_little_light_is_too_dark(photo) -> None:
    rgb, face = photo
    assert TOO_DARK in light_reasons(in_light(rgb, 0.01), face)


def test_a_face_against_a_bright_window_is_backlit(photo) -> None:
    rgb, face = photo
    top, right, bottom, left = face.box
    light = np.full(rgb.shape[:2], 4.0)
    light[top:bottom, left:right] = 0.2
    assert BACKLIT in light_reasons(in_light(rgb, light), face)
    assert BACKLIT not in light_reasons(in_light(rgb, 0.2), face)  # dim all over: no window


def test_sensor_noise_in_little_light_is_noisy(photo) -> None:
    rgb, face = photo
    rng = np.random.default_rng(0)
    noisy = np.clip(rgb + rng.normal(0, 16, rgb.shape), 0, 255).astype(np.uint8)
    assert NOISY in light_reasons(noisy, face)
    assert measure(noisy, face).noise > 1.5 * measure(rgb, face).noise


@pytest.mark.parametrize(
    ("quality", "ask"),
    [
        ((TOO_DARK,), "face_photo_dark"),
        ((BACKLIT,), "face_photo_backlit"),
        ((NOISY,), "face_photo_noisy"),
        ((BACKLIT, NOISY), "face_photo_backlit"),
    ],
)
def test_registration_asks_for_better_light(quality, ask) -> None:
    check = biometrics.face_check(MatchResult(False, 0.5, 0.45, 0.01, quality))
    assert (check.outcome, check.reasons) == (Decision.RETRY, (ask, *quality))
    assert ask in REASONS
    # beyond any genuine pair's distance the light is no excuse
    assert biometrics.face_check(MatchResult(False, 0.7, 0.45, 0.01, quality)).outcome == Decision.DECLINED
