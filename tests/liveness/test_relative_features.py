"""The face-relative features (``features.relative``): what a light's colour must not move,
and what a print or a worn mask must, on a real face photo."""

from __future__ import annotations

import cv2
import numpy as np

from kyc_sdk import faces
from kyc_sdk.liveness import features

OPPONENT = ("rg_spread", "yb_spread")


def _measure(rgb: np.ndarray) -> dict[str, float]:
    rgb = np.clip(rgb, 0, 255).astype(np.uint8)
    box = faces.single_face(rgb).box
    return features.relative(rgb, cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY), box)


def test_a_coloured_light_moves_the_skins_hue_but_not_the_opponent_ratios(photo) -> None:
    rgb, _ = photo("tests_obama.jpg")
    lit = rgb.astype(np.float32) * np.array([0.8, 0.9, 1.05], np.float32)  # a cold lamp, no clipping
    before, after = _measure(rgb), _measure(lit)
    top, right, bottom, left = faces.single_face(rgb).box
    face = rgb[top:bottom, left:right].reshape(-1, 3).astype(np.float32).mean(axis=0)
    raw_shift = abs(np.log(face[0] * 0.8 / (face[1] * 0.9)) - np.log(face[0] / face[1]))
    assert raw_shift > 0.1  # the face's own colour did move
    for name in OPPONENT:
        assert abs(after[name] - before[name]) < 0.04, name


def test_a_print_with_a_flat_gamut_narrows_the_skins_opponent_spread(photo) -> None:
    """Ink flattens the face's colour variation (blood, shading), whatever the light."""
    rgb, _ = photo("tests_obama.jpg")
    img = rgb.astype(np.float32)
    top, right, bottom, left = faces.single_face(rgb).box
    grey = img.mean(axis=2, keepdims=True)
    printed = img.copy()
    printed[top:bottom, left:right] = (grey + 0.35 * (img - grey))[top:bottom, left:right]
    live, sheet = _measure(rgb), _measure(printed)
    assert sheet["rg_spread"] < 0.8 * live["rg_spread"]
    assert sheet["yb_spread"] < 0.8 * live["yb_spread"]


def test_a_worn_mask_with_skin_behind_its_eye_holes_opens_a_gap_between_the_bands(photo) -> None:
    rgb, _ = photo("tests_obama.jpg")
    img = rgb.astype(np.float32)
    top, right, bottom, left = faces.single_face(rgb).box
    h = bottom - top
    paper = img.copy()
    rng = np.random.default_rng(1)
    paper[top:bottom, left:right] += rng.normal(0, 9, (h, right - left, 1)).astype(np.float32)
    eyes = slice(top + h // 5, top + h // 2)
    paper[eyes, left:right] = img[eyes, left:right]  # the wearer's own skin in the eye band
    assert _measure(paper)["eye_band_gap"] < _measure(rgb)["eye_band_gap"] - 0.5


def test_a_box_too_small_measures_zero_without_error() -> None:
    img = np.full((200, 200, 3), 128, np.uint8)
    gray = cv2.cvtColor(img, cv2.COLOR_RGB2GRAY)
    assert set(features.relative(img, gray, (10, 30, 30, 10)).values()) == {0.0}
    assert set(features.relative(img, gray, (20, 180, 180, 20)).values()) == {0.0}  # flat grey: no colour
