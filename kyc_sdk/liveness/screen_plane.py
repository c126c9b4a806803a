"""Whether the backdrop zooms with the face: a scene filmed off a screen is one plane.

When a camera comes closer to a live person, the face (half a metre away) grows several
times more than the room behind it (metres away); when the person leans in, only the face
grows. A screen held before the camera shows the remote face and its backdrop on one
plane, so whatever the hand does zooms both alike. Translations cannot tell the two
apart (a camera turning on its own centre shifts near and far alike), zoom can: only a
move along the line of sight zooms, and it zooms by depth.

``zoom_with_face`` registers the backdrop (the frame beside and above the face, away
from the hair, shoulders and torso that move with the person) of the first sampled frame
onto each later one (an affine map by ECC, which a change of exposure does not disturb)
and compares the range of its log scale with the face's (a similarity of the outline
landmarks). Limits: a screen held still zooms nothing (other cues must see it); a
backdrop hidden by a large face gives no answer; a live person filmed by a camera that
moves towards them zooms the room by the depth ratio (a third or less at arm's length).
A measure under study, not yet a decision: ``check_video`` does not call it, as it
refused genuine held-out videos (docs/evaluation.md).
"""

from __future__ import annotations

from collections.abc import Sequence

import cv2
import numpy as np

OUTLINE = list(range(36))  # jaw, brows, nose: the face's scale, whatever eyes and mouth do
MIN_CORNERS = 12  # landmarks a similarity must hold
HALF = 0.5  # the backdrop is registered at half size: zoom is a coarse motion
MIN_BACKDROP = 0.08  # share of the frame left to the backdrop
MAX_ZOOM = 0.3  # log scale between two frames of a few seconds: more is a registration gone astray
SIDE, ABOVE = 0.5, 0.7  # face widths beside and heights above the face left to the person


def _backdrop_mask(shape: tuple[int, ...], box: tuple[int, int, int, int]) -> np.ndarray:
    """The frame except a column around the face from above the hair down to the bottom."""
    top, right, bottom, left = box
    w, h = right - left, bottom - top
    mask = np.full(shape[:2], 255, np.uint8)
    x0, x1 = max(int(left - SIDE * w), 0), int(right + SIDE * w)
    mask[max(int(top - ABOVE * h), 0) :, x0:x1] = 0
    return mask


def _log_scale(src: np.ndarray, dst: np.ndarray) -> float | None:
    m, inliers = cv2.estimateAffinePartial2D(
        src.astype(np.float32), dst.astype(np.float32), method=cv2.RANSAC, ransacReprojThreshold=1.5
    )
    if m is None or inliers is None or int(inliers.sum()) < MIN_CORNERS // 2:
        return None
    return float(np.log(np.hypot(m[0, 0], m[1, 0])))


def _backdrop_scale(ref: np.ndarray, grey: np.ndarray, mask: np.ndarray) -> float | None:
    """Log scale of the affine map (ECC: blind to exposure's gain and offset) taking the
    backdrop of ``ref`` onto ``grey``; None where it does not converge."""
    warp: np.ndarray = np.eye(2, 3, dtype=np.float32)
    try:
        _, warp = cv2.findTransformECC(
            ref,
            grey,
            warp,
            cv2.MOTION_AFFINE,
            (cv2.TERM_CRITERIA_EPS | cv2.TERM_CRITERIA_COUNT, 60, 1e-5),
            mask,
            5,
        )
    except cv2.error:
        return None
    det = float(np.linalg.det(warp[:, :2]))
    zoom = 0.5 * float(np.log(det)) if det > 0 else np.inf
    return zoom if abs(zoom) <= MAX_ZOOM else None  # beyond: a fit that ran off, not a zoom


def zoom_with_face(
    greys: Sequence[np.ndarray], boxes: Sequence[tuple[int, int, int, int]], points: Sequence[np.ndarray]
) -> tuple[float, float]:
    """(backdrop zoom, face zoom): the 5-95 % range of the log scale of the backdrop's
    affine map and of the face's outline similarity from the first frame to the others
    (grey uint8 frames, each with its face box and 68 landmarks); zeros where the
    backdrop is too small or featureless to register."""
    if len(greys) < 3:
        return 0.0, 0.0
    half = [
        cv2.resize(g, None, fx=HALF, fy=HALF, interpolation=cv2.INTER_AREA).astype(np.float32) for g in greys
    ]
    mask = cv2.resize(
        _backdrop_mask(greys[0].shape, boxes[0]), half[0].shape[::-1], interpolation=cv2.INTER_NEAREST
    )
    if (mask > 0).mean() < MIN_BACKDROP:
        return 0.0, 0.0
    back, face = [], []
    for grey, pts in zip(half[1:], points[1:], strict=True):
        b, f = _backdrop_scale(half[0], grey, mask), _log_scale(points[0][OUTLINE], pts[OUTLINE])
        if b is not None and f is not None:
            back.append(b)
            face.append(f)
    if len(back) < 3:
        return 0.0, 0.0
    return _spread(back), _spread(face)


def _spread(values: list[float]) -> float:
    return float(np.percentile(values, 95) - np.percentile(values, 5))
