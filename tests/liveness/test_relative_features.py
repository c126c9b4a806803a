"""The face-relative features (``features.relative``) on drawn frames whose physics is known."""

from __future__ import annotations

import cv2
import numpy as np

from kyc_sdk.liveness import features

BOX = (120, 360, 360, 120)  # top, right, bottom, left: a 240-pixel face in a 480² frame


def _frame(rng: np.random.Generator, sigma: float = 3.0) -> np.ndarray:
    """A smooth room with one sensor's noise everywhere, a skin-coloured face included."""
    yy, xx = np.mgrid[0:480, 0:480].astype(np.float32)
    img = np.stack([90 + 0.1 * xx, 100 + 0.05 * yy, 110 + 0 * xx], axis=2)
    top, right, bottom, left = BOX
    img[top:bottom, left:right] = (190, 140, 120)
    return img + rng.normal(0, sigma, img.shape).astype(np.float32)


def _measure(img: np.ndarray, box: tuple[int, int, int, int] = BOX) -> dict[str, float]:
    rgb = np.clip(img, 0, 255).astype(np.uint8)
    return features.relative(rgb, cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY), box)


def test_one_sensor_gives_the_face_the_rooms_texture_and_dots_add_their_own() -> None:
    rng = np.random.default_rng(1)
    live = _frame(rng)
    printed = live.copy()
    top, right, bottom, left = BOX
    dots = 18.0 * ((np.add.outer(np.arange(bottom - top), np.arange(right - left)) // 2) % 2) - 9.0
    printed[top:bottom, left:right] += dots[..., None]
    same, more = _measure(live)["noise_vs_room"], _measure(printed)["noise_vs_room"]
    assert abs(same) < 0.5
    assert more > same + 1.0


def test_a_worn_mask_with_smooth_skin_behind_its_eye_holes_opens_a_gap_between_the_bands() -> None:
    rng = np.random.default_rng(2)
    live = _frame(rng)
    mask = live.copy()
    top, right, bottom, left = BOX
    paper = rng.normal(0, 10, (bottom - top, right - left, 1)).astype(np.float32)
    mask[top:bottom, left:right] += paper  # the mask's print texture over the whole face
    h = bottom - top
    eyes = slice(top + h // 5, top + h // 2)
    mask[eyes, left:right] = live[eyes, left:right]  # the wearer's own skin in the eye band
    assert abs(_measure(live)["eye_band_gap"]) < 0.3
    assert _measure(mask)["eye_band_gap"] < -0.5


def test_chroma_spread_is_measured_against_the_faces_own_chroma() -> None:
    rng = np.random.default_rng(3)
    flat = _frame(rng, sigma=1.0)
    dotted = flat.copy()
    top, right, bottom, left = BOX
    grey = (np.indices((bottom - top, right - left)).sum(axis=0) % 3 == 0)[..., None]
    dotted[top:bottom, left:right] = np.where(grey, 150.0, dotted[top:bottom, left:right])
    assert _measure(flat)["chroma_cv"] < 0.3
    assert _measure(dotted)["chroma_cv"] > _measure(flat)["chroma_cv"] + 0.5


def test_faces_filling_the_frame_or_too_small_measure_zero_without_error() -> None:
    img = _frame(np.random.default_rng(4))
    assert set(_measure(img, (0, 480, 480, 0)).values()) == {0.0}  # no room left to compare with
    assert set(_measure(img, (10, 30, 30, 10)).values()) == {0.0}
    assert (
        _measure(np.zeros((480, 480, 3), np.float32))["noise_vs_room"] == 0.0
    )  # flat black: no texture at all
