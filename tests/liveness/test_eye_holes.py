"""Eye-hole cues: a worn paper mask's cut edge round the eyes, and real skin seen through it."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from kyc_sdk.liveness import _faces, eye_holes, synth_variants


def _cues(rgb: np.ndarray) -> dict[str, float]:
    box = _faces.box_of(_faces.one_face(rgb), rgb.shape)
    return eye_holes.measure(rgb, cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY), box)


def _with_holes(rgb: np.ndarray, points: np.ndarray, *, ink: float) -> np.ndarray:
    """The photo with a dark cut edge drawn round each eye; outside the holes its chroma
    scaled by ``ink`` (1: the same skin on both sides, as round a glasses frame)."""
    holes = np.zeros(rgb.shape[:2], np.uint8)
    for eye in (points[36:42], points[42:48]):
        (cx, cy), width = eye.mean(axis=0), np.ptp(eye[:, 0])
        cv2.ellipse(holes, (int(cx), int(cy)), (int(0.8 * width), int(0.5 * width)), 0, 0, 360, 1, -1)
    f = rgb.astype(np.float32)
    grey = f.mean(axis=2, keepdims=True)
    out = np.where(holes[..., None] > 0, f, grey + (f - grey) * ink)
    ring = cv2.dilate(holes, np.ones((5, 5), np.uint8)) - holes
    out = np.where(ring[..., None] > 0, out * 0.45, out)
    return np.clip(out, 0, 255).astype(np.uint8)


def test_a_closed_dark_edge_round_the_eyes_is_a_ring(photo) -> None:
    rgb, points = photo("tests_obama.jpg")
    plain, holed = _cues(rgb), _cues(_with_holes(rgb, points, ink=1.0))
    assert holed["eye_ring"] > plain["eye_ring"] + 0.08


def test_ink_round_real_skin_raises_eye_chroma_a_frame_alone_does_not(photo) -> None:
    rgb, points = photo("tests_obama.jpg")
    plain = _cues(rgb)["eye_chroma"]
    frame_only = _cues(_with_holes(rgb, points, ink=1.0))["eye_chroma"]
    inked = _cues(_with_holes(rgb, points, ink=0.55))["eye_chroma"]
    assert inked > plain + 0.1
    assert inked > frame_only + 0.1
    assert abs(frame_only - plain) < 0.1


def test_a_generated_worn_mask_shows_both_cues(photo) -> None:
    rgb, points = photo("tests_obama.jpg")
    live = _cues(synth_variants.make("bona_fide", "plain", rgb, points, np.random.default_rng(1)))
    mask = _cues(synth_variants.make("cutout", "mask-worn-am", rgb, points, np.random.default_rng(1)))
    assert mask["eye_ring"] > live["eye_ring"]
    assert mask["eye_chroma"] > live["eye_chroma"]


@pytest.mark.parametrize("box", [(0, 60, 40, 0), (600, 640, 640, 600), (-30, 700, 700, -30)])
def test_boxes_at_or_past_the_frame_give_finite_cues_not_errors(photo, box) -> None:
    rgb, _ = photo("tests_obama.jpg")
    grey = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    out = eye_holes.measure(rgb, grey, _faces.clip(box, rgb.shape))
    assert set(out) == set(eye_holes.NEUTRAL)
    assert all(np.isfinite(v) for v in out.values())
