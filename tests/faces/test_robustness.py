"""Junk arrays into every entry point: a typed ``ImageRejected`` or a plain answer, never a
numpy, OpenCV or dlib exception."""

from __future__ import annotations

import numpy as np
import pytest

from kyc_sdk import faces
from kyc_sdk.errors import ImageRejected

JUNK = {
    "one_pixel": np.zeros((1, 1, 3), np.uint8),
    "no_pixels": np.zeros((0, 5, 3), np.uint8),
    "float_grey": np.zeros((10, 10), np.float32),
    "four_dims": np.zeros((3, 3, 3, 3), np.uint8),
    "two_channels": np.zeros((2, 2, 2), np.uint8),
    "noise": np.random.default_rng(1).integers(0, 256, (300, 400, 3), dtype=np.uint8),
}


def document_side(image: np.ndarray) -> np.ndarray:
    return faces.encoding_of(image, side="document")


def selfie_side(image: np.ndarray) -> np.ndarray:
    return faces.encoding_of(image, side="selfie")


def document_match(image: np.ndarray) -> faces.MatchResult:
    return faces.match(image, image, document=True)


ENTRY_POINTS = [
    faces.detect,
    faces.single_face,
    faces.prepare_document_photo,
    faces.as_grey_rgb,
    faces.encoding_of,
    document_side,
    selfie_side,
    document_match,
]


@pytest.mark.parametrize("name", sorted(JUNK))
@pytest.mark.parametrize("entry", ENTRY_POINTS, ids=lambda f: f.__name__)
def test_junk_arrays_are_refused_typed_or_answered(name: str, entry) -> None:
    try:
        entry(JUNK[name])
    except ImageRejected as err:
        refused: str | None = err.reason
    else:
        refused = None
    assert refused in {
        None,
        "empty",
        "unsupported_format",
        "too_small",
        "no_face",
        "many_faces",
        "face_too_small",
    }


@pytest.mark.parametrize("box", [(0, 0, 0, 0), (-50, 500, 400, -30), (90, 10, 10, 90)])
def test_odd_boxes_still_give_points_and_encodings(box: tuple[int, int, int, int]) -> None:
    rgb = np.zeros((100, 100, 3), np.uint8)
    face = faces.Face(box, 1.0)
    assert faces.landmarks(rgb, face, model="5").shape == (5, 2)
    assert faces.encode(rgb, face).shape == (128,)
