"""A face covered between the brows and the chin is flagged (RETRY: show the face); an
uncovered one, framed by a headscarf or darkened, is not."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from kyc_sdk import faces
from kyc_sdk.faces import MatchResult
from kyc_sdk.faces.document import as_grey_rgb
from kyc_sdk.faces.match import photo_reasons
from kyc_sdk.faces.occlusion import OCCLUDED, covered_share, eyes_covered, occlusion_reasons
from kyc_sdk.faces.shapes import landmarks
from kyc_sdk.models import Decision
from kyc_sdk.registration import biometrics
from kyc_sdk.registration.reasons import REASONS


def box_grid(rgb: np.ndarray, face: faces.Face) -> tuple[np.ndarray, np.ndarray]:
    """Each pixel's place in the face box: x, y from 0 to 1 across it."""
    top, right, bottom, left = face.box
    yy, xx = np.mgrid[: rgb.shape[0], : rgb.shape[1]].astype(np.float32)
    return (xx - left) / (right - left), (yy - top) / (bottom - top)


def painted(rgb: np.ndarray, where: np.ndarray, colour: tuple[int, int, int]) -> np.ndarray:
    out = rgb.copy()
    out[where] = colour
    return out


@pytest.fixture(scope="module")
def honest(image) -> tuple[np.ndarray, faces.Face]:
    rgb = image("knn_test_obama1.jpg")
    return rgb, faces.single_face(rgb)


def test_an_uncovered_face_is_not_flagged(honest) -> None:
    rgb, face = honest
    assert covered_share(rgb, face) < 0.1
    assert occlusion_reasons(rgb, face) == ()
    darker = np.clip(255 * (rgb / 255.0) ** 1.8, 0, 255).astype(np.uint8)  # exposure, not cover
    assert occlusion_reasons(darker, face) == ()


def test_a_headscarf_framing_the_face_is_not_flagged(honest) -> None:
    rgb, face = honest
    u, v = box_grid(rgb, face)
    d = ((u - 0.5) / 0.5) ** 2 + ((v - 0.5) / 0.5) ** 2
    ring = (d > 1.1**2) & (d < 2.0**2) & (v < 1.1)
    assert occlusion_reasons(painted(rgb, ring, (150, 30, 90)), face) == ()


@pytest.mark.parametrize(
    ("name", "region", "colour"),
    [
        ("medical mask", lambda u, v: (v > 0.45) & (v < 1.15) & (u > 0.0) & (u < 1.0), (150, 195, 225)),
        ("scarf over the chin", lambda u, v: v > 0.7, (60, 120, 60)),
        ("dark glasses and fringe", lambda u, v: (v < 0.4) & (u > -0.1) & (u < 1.1), (25, 20, 20)),
    ],
)
def test_a_covered_face_is_flagged(honest, name, region, colour) -> None:
    rgb, face = honest
    covered = painted(rgb, region(*box_grid(rgb, face)), colour)
    assert occlusion_reasons(covered, face) == (OCCLUDED,), name


def test_a_selfie_compared_in_grey_is_judged_in_colour(honest) -> None:
    rgb, face = honest
    u, v = box_grid(rgb, face)
    masked = painted(rgb, (v > 0.45) & (v < 1.15) & (u > 0.0) & (u < 1.0), (150, 195, 225))
    assert OCCLUDED in photo_reasons(as_grey_rgb(masked), face, colour=masked)


def test_an_occluded_non_match_asks_for_the_face_uncovered() -> None:
    unsure = biometrics.face_check(MatchResult(False, 0.5, 0.45, 0.01, (OCCLUDED,)))
    assert unsure.outcome == Decision.RETRY
    assert unsure.reasons == ("face_photo_occluded", OCCLUDED)
    assert "brows to chin" in REASONS["face_photo_occluded"][1]
    far = biometrics.face_check(MatchResult(False, 0.7, 0.45, 0.01, (OCCLUDED,)))
    assert far.outcome == Decision.DECLINED


def eye_lenses(
    rgb: np.ndarray, face: faces.Face, which: tuple[int, ...] = (0, 1), size: float = 1.0
) -> np.ndarray:
    """Lenses round the eyes (``which`` of the 5-point model's two), each a little wider
    than the eye (``size`` times): too small to make a band of skin cells."""
    points = landmarks(rgb, face, model="5")
    yy, xx = np.mgrid[: rgb.shape[0], : rgb.shape[1]].astype(np.float32)
    centres = [points[0:2].mean(axis=0), points[2:4].mean(axis=0)]
    span = float(np.linalg.norm(centres[0] - centres[1]))
    return np.any(
        [
            ((xx - centres[k][0]) / (0.42 * span)) ** 2 + ((yy - centres[k][1]) / (0.28 * span)) ** 2
            < size**2
            for k in which
        ],
        axis=0,
    )


@pytest.mark.parametrize(
    ("name", "which", "size", "colour"),
    [
        ("dark sunglasses", (0, 1), 1.0, (30, 25, 25)),
        ("mirrored sunglasses", (0, 1), 1.0, (90, 150, 230)),
        ("a palm over one eye and its brow", (1,), 1.2, (200, 150, 120)),
        ("an eyepatch", (0,), 1.0, (15, 15, 15)),
    ],
)
def test_covered_eyes_are_flagged(honest, name, which, size, colour) -> None:
    rgb, face = honest
    covered = painted(rgb, eye_lenses(rgb, face, which, size), colour)
    assert any(eyes_covered(covered, face)), name
    assert occlusion_reasons(covered, face) == (OCCLUDED,), name


def test_open_eyes_behind_clear_glasses_are_not_flagged(honest) -> None:
    rgb, face = honest
    lenses = eye_lenses(rgb, face)
    rims = lenses & ~cv2.erode(lenses.astype(np.uint8), np.ones((3, 3), np.uint8)).astype(bool)
    for image in (rgb, painted(rgb, rims, (60, 60, 60))):
        assert eyes_covered(image, face) == (False, False)
        assert occlusion_reasons(image, face) == ()
