"""The cut-edge cue (``features.cut_contour``): a contour closed round the face, seen
without any halftone (fast: synthetic frames and one generated pair)."""

from __future__ import annotations

import cv2
import numpy as np

from kyc_sdk.liveness import features, synth_variants

BOX = (120, 200, 200, 120)  # top, right, bottom, left: an 80-pixel face in a 320² frame


def _sheet(open_below: bool, seed: int = 5) -> np.ndarray:
    """A skin-coloured ellipse (a cut sheet) before a blue wall, both noisy; with
    ``open_below`` the wall below the face takes the sheet's colour, as a neck would."""
    rng = np.random.default_rng(seed)
    frame = np.full((320, 320, 3), (60.0, 90.0, 150.0), np.float32)
    skin = (200.0, 150.0, 120.0)
    cv2.ellipse(frame, (160, 150), (52, 78), 0, 0, 360, skin, -1)
    if open_below:
        cv2.rectangle(frame, (112, 170), (208, 320), skin, -1)
    frame += rng.normal(0, 4, frame.shape).astype(np.float32)
    return np.clip(frame, 0, 255).astype(np.uint8)


def test_a_closed_cut_scores_above_the_same_outline_open_at_the_neck() -> None:
    closed, opened = features.cut_contour(_sheet(False), BOX), features.cut_contour(_sheet(True), BOX)
    assert closed > 1.1 * opened > 0


def test_a_plain_wall_has_no_contour_to_find() -> None:
    rng = np.random.default_rng(2)
    flat = np.clip(rng.normal(128, 4, (320, 320, 3)), 0, 255).astype(np.uint8)
    assert features.cut_contour(flat, BOX) < 0.5 * features.cut_contour(_sheet(False), BOX)


def test_a_face_at_the_frame_edge_or_a_tiny_box_is_measured_without_error() -> None:
    sheet = _sheet(False)
    assert np.isfinite(features.cut_contour(sheet, (0, 60, 70, 0)))  # rays leave the frame
    assert features.cut_contour(sheet, (10, 20, 18, 12)) == 0.0  # too small to ring
    assert features.cut_contour(np.zeros((40, 40, 3), np.uint8), (5, 35, 35, 5)) == 0.0


def test_a_generated_cut_out_shows_a_stronger_contour_than_the_live_capture(photo) -> None:
    rgb, points = photo("tests_biden.jpg")
    box = _box(points)
    cut = [
        features.cut_contour(
            synth_variants.make("cutout", "ellipse", rgb, points, np.random.default_rng(s)), box
        )
        for s in range(3)
    ]
    live = [
        features.cut_contour(
            synth_variants.make("bona_fide", "plain", rgb, points, np.random.default_rng(s)), box
        )
        for s in range(3)
    ]
    assert np.median(cut) > np.median(live)


def _box(points: np.ndarray) -> tuple[int, int, int, int]:
    x0, y0 = points.min(axis=0)
    x1, y1 = points.max(axis=0)
    return int(y0), int(x1), int(y1), int(x0)
