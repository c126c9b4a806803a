"""A face too small to compare is flagged, and a non-match with it asks for a better photo."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from kyc_sdk import faces
from kyc_sdk.faces import MatchResult
from kyc_sdk.faces.match import PRINT_GRAIN, RELIABLE_FACE, SMALL_FACE, small_face_reasons
from kyc_sdk.models import Decision
from kyc_sdk.registration import REASONS, biometrics

from .conftest import paste_face


def thumbnail(rgb: np.ndarray, width: int, quality: int = 60) -> np.ndarray:
    """The one face of ``rgb`` about ``width`` px wide, sent as a messaging app's JPEG."""
    small = paste_face(rgb, faces.single_face(rgb), width, (4 * width, 4 * width))
    bgr = cv2.cvtColor(small, cv2.COLOR_RGB2BGR)
    data = cv2.imencode(".jpg", bgr, [cv2.IMWRITE_JPEG_QUALITY, quality])[1]
    return cv2.cvtColor(cv2.imdecode(data, cv2.IMREAD_COLOR), cv2.COLOR_BGR2RGB)


def test_only_a_known_size_under_the_reliable_one_is_flagged() -> None:
    assert small_face_reasons(RELIABLE_FACE - 1, 300) == (SMALL_FACE,)
    assert small_face_reasons(300, RELIABLE_FACE - 1) == (SMALL_FACE,)
    assert small_face_reasons(RELIABLE_FACE, 300) == ()
    assert small_face_reasons(None, None) == ()  # encodings carry no size


@pytest.mark.slow
def test_a_thumbnail_is_flagged_and_a_photo_is_not(image) -> None:
    photo, other = image("tests_obama.jpg"), image("knn_test_obama1.jpg")
    small = faces.match(photo, thumbnail(other, 40))
    assert small.quality == (SMALL_FACE,) and small.to_dict()["quality"] == [SMALL_FACE]
    assert faces.match(photo, thumbnail(other, 120)).quality == ()
    assert faces.match(photo, other).quality == ()
    # an encoding has no size: the flag is the image's, not the comparison's
    assert faces.match(faces.encoding_of(photo), faces.encoding_of(thumbnail(other, 40))).quality == ()


@pytest.mark.slow
def test_a_document_photo_counts_at_the_size_it_was_given(image) -> None:
    """The print is enlarged before encoding; its face is judged as printed (a pasted
    width of 40 px is found as a box of about 54)."""
    selfie, printed = image("tests_obama.jpg"), image("tests_obama2.jpg")
    grey = cv2.cvtColor(cv2.cvtColor(printed, cv2.COLOR_RGB2GRAY), cv2.COLOR_GRAY2RGB)
    card = paste_face(grey, faces.single_face(printed), 100, (260, 200))
    assert faces.match(selfie, card, document=True).quality == ()
    tiny = paste_face(grey, faces.single_face(printed), 40, (110, 85))
    assert faces.match(selfie, tiny, document=True).quality == (SMALL_FACE,)


@pytest.mark.parametrize(
    ("distance", "quality", "outcome", "reasons"),
    [
        (0.30, (SMALL_FACE,), Decision.APPROVED, ()),  # a match holds at its FMR
        (0.50, (SMALL_FACE,), Decision.RETRY, ("face_photo_small", SMALL_FACE)),
        (0.60, (SMALL_FACE,), Decision.RETRY, ("face_photo_small", SMALL_FACE)),
        (0.61, (SMALL_FACE,), Decision.DECLINED, ("face_mismatch",)),  # beyond any genuine pair
        (0.90, (SMALL_FACE,), Decision.DECLINED, ("face_mismatch",)),
        (0.50, (PRINT_GRAIN,), Decision.RETRY, ("face_photo_print", PRINT_GRAIN)),
        (0.50, (SMALL_FACE, PRINT_GRAIN), Decision.RETRY, ("face_photo_small", SMALL_FACE, PRINT_GRAIN)),
        (0.61, (PRINT_GRAIN,), Decision.DECLINED, ("face_mismatch",)),
        (0.50, (), Decision.REVIEW, ("face_match_unsure",)),
        (0.90, (), Decision.DECLINED, ("face_mismatch",)),
    ],
)
def test_a_non_match_with_a_face_the_distance_cannot_judge_is_a_retry(
    distance, quality, outcome, reasons
) -> None:
    check = biometrics.face_check(MatchResult(distance <= 0.45, distance, 0.45, 0.01, quality))
    assert (check.outcome, check.reasons) == (outcome, reasons)
    assert all(r in REASONS for r in reasons if not r.startswith("quality_"))


@pytest.mark.slow
def test_an_enlarged_thumbnail_is_flagged(image) -> None:
    """Big in pixels, a thumbnail's information: flagged like the thumbnail it was."""
    photo, other = image("tests_obama.jpg"), image("knn_test_obama1.jpg")
    small = thumbnail(other, 40)
    big = cv2.resize(small, None, fx=3.5, fy=3.5, interpolation=cv2.INTER_LINEAR)
    assert faces.single_face(big).size >= RELIABLE_FACE
    assert faces.match(photo, big).quality == (SMALL_FACE,)
