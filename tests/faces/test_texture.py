"""Softening a chip's finest texture (``faces.texture``) before it is encoded."""

from __future__ import annotations

import cv2
import numpy as np

from kyc_sdk import faces
from kyc_sdk.faces.texture import soften


def test_soften_weighs_down_a_screen_and_keeps_broad_shading() -> None:
    yy, xx = np.mgrid[:150, :150].astype(np.float32)
    shading = 60 + xx  # broad light across the chip
    screen = 40 * np.cos(2 * np.pi * (xx + yy) / 3.0)  # a print's screen: a 3 px period
    chip = np.repeat(np.clip(shading + screen, 0, 255).astype(np.uint8)[..., None], 3, axis=2)
    out = soften(chip).astype(np.float32)[10:-10, 10:-10, 0]
    assert out.shape == (130, 130) and soften(chip).dtype == np.uint8
    assert np.abs(out - shading[10:-10, 10:-10]).mean() < 0.5 * np.abs(screen).mean()
    assert abs(out.mean() - shading[10:-10, 10:-10].mean()) < 1.5


def screened_print(rgb: np.ndarray, period: float = 3.0, angle: float = 30.0) -> np.ndarray:
    """``rgb`` printed small with a round-dot screen of ``period`` px and scanned at 2.5x."""
    small = cv2.resize(rgb, None, fx=0.35, fy=0.35, interpolation=cv2.INTER_AREA)
    big = cv2.resize(small, None, fx=2.5, fy=2.5, interpolation=cv2.INTER_CUBIC).astype(np.float32) / 255
    yy, xx = np.mgrid[: big.shape[0], : big.shape[1]].astype(np.float32)
    a = np.deg2rad(angle)
    u, v = xx * np.cos(a) + yy * np.sin(a), -xx * np.sin(a) + yy * np.cos(a)
    screen = (np.cos(2 * np.pi * u / period) + np.cos(2 * np.pi * v / period)) / 4 + 0.5
    ink = np.where(1 - big > screen[..., None], 0.0, 1.0).astype(np.float32)
    return np.clip(cv2.GaussianBlur(ink, (0, 0), 0.6) * 255, 0, 255).astype(np.uint8)


def test_a_scanned_print_matches_another_photo_of_the_person(image) -> None:
    """Without softening this print lands at 0.46 from Obama's other photo (a non-match at
    0.45); softened at 0.44. A decision, not a distance: the margin is 0.01."""
    printed = screened_print(image("tests_obama.jpg"))
    assert faces.match(printed, image("knn_test_obama1.jpg")).match
    assert not faces.match(printed, image("tests_biden.jpg")).match
