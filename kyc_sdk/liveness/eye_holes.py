"""A paper mask worn over a face: real skin in its eye holes, ink around them.

A worn mask's eye holes show the wearer's own eyes and the skin just round them; the rest
of the face is printed, and ink desaturates and compresses skin's colour. ``hole_chroma``
is the log chroma (CIELAB) of the skin just below each eye over the chroma of the forehead
just above that eye's brow, both eyes' mean: on a live face both are skin; on a worn mask
the first is skin and the second ink.

The forehead, not the cheek, is the reference because glasses cover the cheek below the eye
with their lens and lower rim: a tint or a rim there moved a cheek ratio the way ink does
(stop 23's ``eye_chroma``, which refused people in glasses). Above the brow no frame in the
tuning or fitting split reaches. Dark pixels (a rim, a brow, hair) and blown ones (a lamp in
the lens, shine) are left out of each region, so each is skin's median. Both regions are
in one column under one light, so a side light and the camera's white balance cancel.

Regions are in units of the eye's width (its landmarks' span), on the face the features
see (``features.normalise``).
"""

from __future__ import annotations

import cv2
import numpy as np

from kyc_sdk import faces
from kyc_sdk.liveness import _faces

Box = tuple[int, int, int, int]
NEUTRAL = 0.0  # no eye or forehead in the frame: no evidence either way
UNDER = (0.22, 0.42)  # below the eye's centre: the lower lid's skin, inside any hole
ABOVE_BROW = (0.6, 0.2)  # above the brow's top: forehead skin, outside any hole and lens
HALF_WIDTH = 0.45  # each region's half width round the eye's centre
DARK, BLOWN = 0.6, 245.0  # pixels darker than this share of the region's median, or above this L*
MIN_PIXELS = 6


def _skin_chroma(lab: np.ndarray, y0: float, y1: float, x0: float, x1: float) -> float | None:
    """Median chroma of the region's skin pixels (``None``: off the frame or too few)."""
    h, w = lab.shape[:2]
    top, bottom, left, right = max(int(y0), 0), min(int(y1), h), max(int(x0), 0), min(int(x1), w)
    if bottom - top < 2 or right - left < 2:
        return None
    px = lab[top:bottom, left:right].reshape(-1, 3)
    light = px[:, 0]
    keep = (light > DARK * np.median(light)) & (light < BLOWN)
    if keep.sum() < MIN_PIXELS:
        return None
    return float(np.median(np.hypot(px[keep, 1], px[keep, 2])))


def hole_chroma_of(rgb: np.ndarray, points: np.ndarray) -> float:
    """``hole_chroma`` of the face whose 68 landmarks are ``points`` (RGB uint8)."""
    lab = cv2.cvtColor(np.ascontiguousarray(rgb), cv2.COLOR_RGB2LAB).astype(np.float32)
    lab[..., 1:] -= 128.0
    ratios = []
    for eye, brow in ((points[36:42], points[17:22]), (points[42:48], points[22:27])):
        (ex, ey), ew = eye.mean(axis=0), max(float(np.ptp(eye[:, 0])), 4.0)
        x0, x1 = ex - HALF_WIDTH * ew, ex + HALF_WIDTH * ew
        under = _skin_chroma(lab, ey + UNDER[0] * ew, ey + UNDER[1] * ew, x0, x1)
        top = float(brow[:, 1].min())
        fore = _skin_chroma(lab, top - ABOVE_BROW[0] * ew, top - ABOVE_BROW[1] * ew, x0, x1)
        if under is not None and fore is not None:
            ratios.append(np.log((under + 2.0) / (fore + 2.0)))
    return float(np.mean(ratios)) if ratios else NEUTRAL


def measure(rgb: np.ndarray, box: Box) -> dict[str, float]:
    """``hole_chroma`` of the face at ``box`` (landmarks found here, on the frame given)."""
    points = _faces.landmarks(rgb, faces.Face(box, 1.0))
    return {"hole_chroma": hole_chroma_of(rgb, points)}
