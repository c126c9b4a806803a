"""Eye holes: what a paper mask worn over a face shows round the eyes that a live face does not.

A worn mask's eye holes show the wearer's real eyes *behind* the paper: the cut edge and
its shadow draw a thin dark line that closes all round each eye (``eye_ring``), and inside
the hole is real skin while outside it is ink, which reaches less chroma than skin
(``eye_chroma``: the skin just below the eye against the cheek below that). Both are
ratios within one face, so exposure, gain noise and the camera's pipeline move them little
(tuning split, through the i.i.d. and the Bayer camera alike). Glasses close a dark ring
too, but skin lies on both sides of their frame; the model weighs the two cues together.

The rings are elliptical (a third wider than tall) around each eye's landmarks, in units
of the eye's width; a ring is "closed" when even the second-weakest of eight sectors
shows a thin valley (a few hundredths of an eye width) darker than both its sides.
"""

from __future__ import annotations

import cv2
import numpy as np

from kyc_sdk import faces
from kyc_sdk.liveness import _faces

Box = tuple[int, int, int, int]
SECTORS = 8
RADII = np.arange(0.45, 1.37, 0.04)  # ring radii searched, in eye widths (a hole's edge)
ASPECT = 0.6  # the rings' height over width
NEUTRAL = {"eye_ring": 0.0, "eye_chroma": 0.0}  # no eye fully in the frame


def _valleys(gray: np.ndarray, rho: np.ndarray, sector: np.ndarray) -> np.ndarray:
    """Per sector, the deepest thin dark valley of the mean grey along the radius: how much
    darker a radius bin is than the brighter of the two bins 2-3 steps away on each side,
    over that side level (+8 grey levels, so noise in the dark is no valley)."""
    nb = len(RADII) + 1
    key = (sector * nb + np.digitize(rho, RADII)).ravel()
    count = np.bincount(key, minlength=SECTORS * nb).reshape(SECTORS, nb)[:, 1:-1]
    total = np.bincount(key, gray.ravel(), minlength=SECTORS * nb).reshape(SECTORS, nb)[:, 1:-1]
    profile = np.where(count > 0, total / np.maximum(count, 1), np.nan)
    i = np.arange(3, profile.shape[1] - 3)
    side = 0.5 * (
        np.fmax(profile[:, i - 3], profile[:, i - 2]) + np.fmax(profile[:, i + 2], profile[:, i + 3])
    )
    depth = np.nan_to_num((side - profile[:, i]) / (side + 8.0), nan=0.0)
    return np.maximum(depth.max(axis=1), 0.0)


def _one_eye(gray: np.ndarray, chroma: np.ndarray, eye: np.ndarray) -> tuple[float, float] | None:
    cx, cy = eye.mean(axis=0)
    width = max(float(np.ptp(eye[:, 0])), 4.0)
    r = int(1.4 * width) + 2
    y0, y1, x0, x1 = int(cy) - r, int(cy) + r + 1, int(cx) - r, int(cx) + r + 1
    if y0 < 0 or x0 < 0 or y1 > gray.shape[0] or x1 > gray.shape[1]:
        return None
    yy, xx = np.mgrid[y0:y1, x0:x1].astype(np.float32)
    dx, dy = xx - np.float32(cx), yy - np.float32(cy)
    rho = np.hypot(dx / width, dy / (ASPECT * width))
    sector = ((np.arctan2(dy, dx) + np.pi) / (2 * np.pi) * SECTORS).astype(np.int64) % SECTORS
    valleys = np.sort(_valleys(cv2.GaussianBlur(gray[y0:y1, x0:x1], (0, 0), 0.7), rho, sector))
    below = dy > 0.15 * width  # under the eye: skin on a live face, brows and lids left out
    c = chroma[y0:y1, x0:x1]
    inner, outer = below & (rho > 0.45) & (rho < 0.65), below & (rho > 1.0) & (rho < 1.35)
    if not inner.any() or not outer.any():
        return None
    return float(valleys[1]), float(np.log((c[inner].mean() + 2.0) / (c[outer].mean() + 2.0)))


def measure(rgb: np.ndarray, gray: np.ndarray, box: Box) -> dict[str, float]:
    """``eye_ring`` (the weaker eye's closed dark ring) and ``eye_chroma`` (log chroma just
    below the eyes over the cheeks', both eyes' mean) of the face at ``box``."""
    points = _faces.landmarks(rgb, faces.Face(box, 1.0))
    lab = cv2.cvtColor(rgb, cv2.COLOR_RGB2LAB)[..., 1:].astype(np.float32) - 128.0
    chroma = np.hypot(lab[..., 0], lab[..., 1])
    grey = gray.astype(np.float32)
    eyes = [_one_eye(grey, chroma, points[i : i + 6]) for i in (36, 42)]
    found = [e for e in eyes if e is not None]
    if not found:
        return dict(NEUTRAL)
    return {
        "eye_ring": min(e[0] for e in found),
        "eye_chroma": float(np.mean([e[1] for e in found])),
    }
