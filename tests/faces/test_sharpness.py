"""A blurred face chip's fine contrast is restored before it is encoded (``faces.sharpness``)."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from kyc_sdk import faces
from kyc_sdk.faces.exposure import normalise_exposure
from kyc_sdk.faces.shapes import face_chip
from kyc_sdk.faces.sharpness import REFERENCE, STRENGTHS, detail_ratio, restore_detail

SHARP = ("knn_test_obama1.jpg", "tests_biden.jpg", "tests_obama.jpg", "knn_train_biden_biden2.jpg")


def chip_of(rgb: np.ndarray) -> np.ndarray:
    return normalise_exposure(face_chip(rgb, faces.single_face(rgb)))


def blurred(rgb: np.ndarray, sigma: float) -> np.ndarray:
    """``rgb`` under a Gaussian of ``sigma`` pixels of the encoder's chip (where the face is
    about 100 px wide), whatever the face's size in the photo."""
    return cv2.GaussianBlur(rgb, (0, 0), sigma * faces.single_face(rgb).size / 100)


@pytest.mark.parametrize("name", SHARP)
def test_a_sharp_photo_is_left_alone(image, name: str) -> None:
    chip = chip_of(image(name))
    assert detail_ratio(chip) >= REFERENCE
    out = restore_detail(chip)
    assert np.array_equal(out, chip) and out is not chip


@pytest.mark.parametrize("sigma", [1.0, 1.5])
def test_a_blurred_chip_is_sharpened_towards_the_reference(image, sigma: float) -> None:
    chip = chip_of(blurred(image("tests_biden.jpg"), sigma))
    before, ratio = chip.copy(), detail_ratio(chip)
    assert ratio < REFERENCE  # the blur really took the detail away
    out = restore_detail(chip)
    assert np.array_equal(chip, before)  # the input is left alone
    assert out.shape == chip.shape and out.dtype == np.uint8
    assert detail_ratio(out) > ratio
    # it reaches the reference, or it got the strongest mask there is
    image_f = chip.astype(np.float32)
    strongest = image_f + max(STRENGTHS) * (image_f - cv2.GaussianBlur(image_f, (0, 0), 1.0))
    assert detail_ratio(out) >= REFERENCE or np.array_equal(out, np.clip(strongest, 0, 255).astype(np.uint8))


def test_flat_and_clipped_chips_stay_finite() -> None:
    for value in (0, 1, 128, 255):
        flat = np.full((150, 150, 3), value, np.uint8)
        out = restore_detail(flat)
        assert np.array_equal(out, flat)
    noise = np.random.default_rng(0).integers(0, 256, (150, 150, 3), dtype=np.uint8)
    assert np.array_equal(restore_detail(noise), noise)  # noise is all fine detail: not blurred


@pytest.mark.slow
def test_a_blurred_photo_lands_closer_to_its_sharp_original(image) -> None:
    """Over four sharp photos, each blurred (a Gaussian of 1 and 1.5 px of the chip), the restored
    chips' encodings lie closer to the original's than the plain blurred chips' do
    (measured: 25 % closer; the gain that matters is in the tail, where blur pushes
    a genuine pair past the threshold)."""
    from kyc_sdk.faces.shapes import encode_chips

    ours = plain = 0.0
    for name in SHARP:
        rgb = image(name)
        face = faces.single_face(rgb)
        for sigma in (1.0, 1.5):
            soft = blurred(rgb, sigma)
            sharp, soft_chip = (normalise_exposure(face_chip(x, face)) for x in (rgb, soft))
            pair = encode_chips(np.stack([sharp, soft_chip, restore_detail(soft_chip)]), mirrored=True)
            plain += float(np.linalg.norm(pair[0] - pair[1]))
            ours += float(np.linalg.norm(pair[0] - pair[2]))
    assert ours < 0.9 * plain
