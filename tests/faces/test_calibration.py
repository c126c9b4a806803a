"""The shipped calibration follows its stated rule from its own rows, and registration
sends a face between a mode's threshold and dlib's limit to an officer, never declines it."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from scipy import stats

from kyc_sdk import faces
from kyc_sdk.faces import calibration
from kyc_sdk.models import Decision

KINDS = ["photo", "document"]


@pytest.mark.parametrize("kind", KINDS)
def test_each_row_is_its_own_counts_and_their_upper_bound(kind: str) -> None:
    table = calibration.table(kind)  # type: ignore[arg-type]
    n, rows = table["impostor_pairs"], table["rows"]
    counts = [r["false_matches"] for r in rows]
    assert counts == sorted(counts) and counts[0] >= 0 and counts[-1] <= n
    for r in rows:
        assert r["fmr"] == pytest.approx(r["false_matches"] / n, abs=1e-6)
        if r["false_matches"] < n:  # Clopper-Pearson: P(X <= k | p = upper) is 5 %, upper kept to 6 digits
            k, upper = r["false_matches"], r["fmr_upper95"]
            assert (
                stats.binom.cdf(k, n, min(upper + 1e-6, 1.0))
                < 0.05
                < stats.binom.cdf(k, n, max(upper - 1e-6, 0.0))
            )


@pytest.mark.parametrize("kind", KINDS)
def test_the_threshold_is_what_the_rule_gives_on_the_rows(kind: str) -> None:
    table = calibration.table(kind)  # type: ignore[arg-type]
    target, rows = table["target_fmr"], table["rows"]
    safe = [r["distance"] for r in rows if r["fmr_upper95"] <= target]
    assert safe, "too few impostor pairs to bound the target FMR"
    assert table["default_threshold"] == pytest.approx(min(max(safe), calibration.DLIB_LIMIT))


@pytest.mark.parametrize("kind", KINDS)
def test_enough_impostor_pairs_to_observe_an_fmr_of_one_in_a_thousand(kind: str) -> None:
    table = calibration.table(kind)  # type: ignore[arg-type]
    assert table["target_fmr"] <= 1e-3
    # with no false match at all, n pairs bound the FMR at about 3 / n (95 %)
    assert table["impostor_pairs"] >= 3 / table["target_fmr"]
    assert calibration.fmr_at(table["default_threshold"], kind) <= table["target_fmr"]  # type: ignore[arg-type]


def at_distance(distance: float) -> tuple[np.ndarray, np.ndarray]:
    """Two encodings ``distance`` apart, so ``match`` decides on the shipped table."""
    a = np.full(128, 0.05)
    step = np.zeros(128)
    step[3] = distance
    return a, a + step


@pytest.mark.parametrize("kind", KINDS)
def test_a_face_between_the_threshold_and_dlibs_limit_goes_to_review(kind: str) -> None:
    from kyc_sdk.registration import biometrics

    assert biometrics.REVIEW_UP_TO == calibration.DLIB_LIMIT
    document = kind == "document"
    threshold = calibration.default_threshold(kind)  # type: ignore[arg-type]
    assert threshold <= biometrics.REVIEW_UP_TO
    unsure = [threshold + 0.005, (threshold + calibration.DLIB_LIMIT) / 2, calibration.DLIB_LIMIT - 0.001]
    expected = [
        (threshold - 0.02, Decision.APPROVED, ()),
        *((d, Decision.REVIEW, ("face_match_unsure",)) for d in unsure if threshold < d),
        (calibration.DLIB_LIMIT + 0.01, Decision.DECLINED, ("face_mismatch",)),
    ]
    for distance, outcome, reasons in expected:
        result = faces.match(*at_distance(distance), document=document)
        assert result.distance == pytest.approx(distance, abs=1e-4)
        check = biometrics.face_check(result)
        assert (check.outcome, check.reasons) == (outcome, reasons), distance


@pytest.mark.slow
def test_real_genuine_document_pairs_past_the_threshold_go_to_review_in_registration(image) -> None:
    """Obama's photos as selfies against another photo of his printed on a card, through
    the registration's own face stage: most lie past the strict document threshold, and
    every one of those must reach an officer (REVIEW), none be declined."""
    import cv2

    from kyc_sdk.registration import biometrics

    from .test_match import id_card_photo

    names = ["tests_obama.jpg", "tests_obama2.jpg", "tests_obama3.jpg", "knn_test_obama1.jpg"]
    threshold = calibration.default_threshold("document")
    outcomes = []
    for selfie, printed in itertools.permutations(names, 2):
        rgb = image(printed)
        card = cv2.imencode(".jpg", id_card_photo(rgb, faces.single_face(rgb)))[1].tobytes()
        check, distance = biometrics.face_match(biometrics.Selfie([(0.0, image(selfie))]), card)
        assert distance is not None
        expected = Decision.APPROVED if distance <= threshold else Decision.REVIEW
        assert distance <= calibration.DLIB_LIMIT and check.outcome is expected, (selfie, printed, distance)
        outcomes.append(check.outcome)
    assert Decision.REVIEW in outcomes  # the band is really exercised, not only approvals
