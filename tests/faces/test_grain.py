"""A photo that is a print's grain is flagged; honest photos, noisy ones too, are not."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from kyc_sdk import faces
from kyc_sdk.faces import MatchResult
from kyc_sdk.faces.grain import print_grain
from kyc_sdk.faces.match import PRINT_GRAIN, RELIABLE_FACE
from kyc_sdk.faces.resolution import effective_size
from kyc_sdk.models import Decision
from kyc_sdk.registration import biometrics

from .conftest import paste_face


def jpeg(rgb: np.ndarray, quality: int) -> np.ndarray:
    data = cv2.imencode(".jpg", cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, quality])[1]
    return cv2.cvtColor(cv2.imdecode(data, cv2.IMREAD_COLOR), cv2.COLOR_BGR2RGB)


def fm_print_scanned(rgb: np.ndarray, seed: int, zoom: float = 2.6) -> np.ndarray:
    """``rgb``'s face printed about 55 px wide with a stochastic screen (each ink against a
    white-noise threshold at 5 dots a pixel, the ink's spread) and scanned ``zoom`` times
    larger with the scanner's blur and noise, JPEG q85."""
    rng = np.random.default_rng(seed)
    small = paste_face(rgb, faces.single_face(rgb), 55, (130, 110))
    dots = 5
    big = cv2.resize(small, None, fx=dots, fy=dots, interpolation=cv2.INTER_CUBIC).astype(np.float32) / 255
    printed = (rng.random(big.shape).astype(np.float32) < big).astype(np.float32)
    printed = cv2.GaussianBlur(printed, (0, 0), 0.8)
    scanned = cv2.resize(printed, None, fx=zoom / dots, fy=zoom / dots, interpolation=cv2.INTER_AREA)
    scanned = cv2.GaussianBlur(scanned, (0, 0), 0.6) * 255 + rng.normal(0, 2.0, scanned.shape)
    return jpeg(np.clip(scanned, 0, 255).astype(np.uint8), 85)


def grain_of(rgb: np.ndarray) -> bool:
    return print_grain(rgb, faces.single_face(rgb))


@pytest.mark.parametrize("seed", [1, 2])
def test_a_scanned_stochastic_screen_print_is_grain(image, seed) -> None:
    scan = fm_print_scanned(image("knn_test_obama1.jpg"), seed)
    face = faces.single_face(scan)
    # the shrink test reads the dots as detail: the gate before stop 22 let it through
    assert effective_size(scan, face) >= RELIABLE_FACE
    assert print_grain(scan, face)


@pytest.mark.parametrize("name", ["tests_obama.jpg", "knn_test_obama1.jpg", "tests_biden.jpg"])
def test_honest_photos_are_not_grain(image, name) -> None:
    """A photo, its JPEG and its copy under a strong white sensor noise (which the shrink
    test already discounts) are no print."""
    photo = image(name)
    rng = np.random.default_rng(0)
    noisy = np.clip(photo + rng.normal(0, 10, photo.shape), 0, 255).astype(np.uint8)
    assert not grain_of(photo)
    assert not grain_of(jpeg(photo, 60))
    assert not grain_of(noisy)


def test_a_flat_or_tiny_box_is_not_grain() -> None:
    face = faces.Face((0, 20, 20, 0), 1.0)  # smaller than the measure reads
    assert not print_grain(np.zeros((20, 20, 3), np.uint8), face)


@pytest.mark.slow
def test_match_flags_the_print_and_registration_asks_again(image) -> None:
    photo, scan = image("tests_obama.jpg"), fm_print_scanned(image("knn_test_obama1.jpg"), 3)
    result = faces.match(photo, scan)
    assert PRINT_GRAIN in result.quality
    assert PRINT_GRAIN not in faces.match(photo, image("knn_test_obama1.jpg")).quality
    # in the unsure band the flag is a RETRY, past 0.6 the non-match stands
    unsure = biometrics.face_check(MatchResult(False, 0.5, 0.45, 0.01, (PRINT_GRAIN,)))
    assert unsure.outcome == Decision.RETRY and PRINT_GRAIN in unsure.reasons
    far = biometrics.face_check(MatchResult(False, 0.7, 0.45, 0.01, (PRINT_GRAIN,)))
    assert far.outcome == Decision.DECLINED
