"""Face-geometry measures from dlib's 68-point landmarks, for active liveness.

- Eye aspect ratio (EAR), Soukupová & Čech, "Real-Time Eye Blink Detection using Facial
  Landmarks" (CVWW 2016): (|p2-p6| + |p3-p5|) / (2 |p1-p4|) per eye, averaged.
  Open-eye EAR ranges 0.154–0.415 across people (docs/evaluation.md), so callers
  compare it with a per-session baseline, never with a fixed 0.2.
- Mouth aspect ratio (MAR): inner-lip gap (points 61–67, 62–66, 63–65) over inner-lip
  width (60–64).
- Lip aspect ratio (LAR): the outer lips' height (points 50–58, 51–57, 52–56) over the
  mouth's width (48–54). It counts the lips themselves, so it rises less than MAR when the
  mouth opens, but the outer lip line stays where landmarks find it when the inner one is
  lost (a beard around a dark mouth).
- Yaw proxy: where the nose tip (30) sits between the jaw ends (0 and 16), 0 at the left
  jaw end of the *image*, 1 at the right. A subject turning to *their* left moves the nose
  towards the image's right in an unmirrored camera frame, so the proxy grows.
  Other pairs were tried and left out (stop 16, tuning videos): behind glasses in dim
  light the whole inner face (nose, eye and mouth corners) jumps against the jaw line
  together, ±0.06 a frame, so the nose between the eye corners, the mouth corners, the
  brow ends or the inner jaw points is as noisy for the turn it reads (turn / jitter
  about 3 for every pair), and their mean no steadier; denoising the dim frame before
  the landmarks, or filling the lens glare, did not steady it either.

Point numbering is the iBUG 300-W 68-point scheme, 0-based.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

_RIGHT_EYE = (36, 37, 38, 39, 40, 41)  # the subject's right eye: image left
_LEFT_EYE = (42, 43, 44, 45, 46, 47)


@dataclass(frozen=True, slots=True)
class Pose:
    """The measures the challenge tracker needs for one frame."""

    ear: float
    mar: float
    yaw: float
    lar: float = 0.0
    eye: float = 0.0  # the eyes' appearance change from the open-eye template (``eyes.change``)


def _dist(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.hypot(*(a - b)))


def eye_aspect_ratio(points: np.ndarray) -> float:
    """Mean EAR of both eyes; ``points`` is the 68×2 landmark array."""
    ears = []
    for idx in (_RIGHT_EYE, _LEFT_EYE):
        p = points[list(idx)].astype(np.float64)
        width = _dist(p[0], p[3])
        ears.append((_dist(p[1], p[5]) + _dist(p[2], p[4])) / (2.0 * width) if width > 0 else 0.0)
    return float(np.mean(ears))


def mouth_aspect_ratio(points: np.ndarray) -> float:
    """Inner-lip opening over inner-lip width: about 0 when closed, 0.3+ when open."""
    p = points.astype(np.float64)
    width = _dist(p[60], p[64])
    if width <= 0:
        return 0.0
    gap = _dist(p[61], p[67]) + _dist(p[62], p[66]) + _dist(p[63], p[65])
    return gap / (3.0 * width)


def lip_aspect_ratio(points: np.ndarray) -> float:
    """Outer-lip height over mouth width (about 0.3–0.4 closed, rising as the mouth opens)."""
    p = points.astype(np.float64)
    width = _dist(p[48], p[54])
    if width <= 0:
        return 0.0
    return (_dist(p[50], p[58]) + _dist(p[51], p[57]) + _dist(p[52], p[56])) / (3.0 * width)


def yaw_ratio(points: np.ndarray) -> float:
    """The nose tip's position between the jaw ends, projected on the jaw line (0..1)."""
    p = points.astype(np.float64)
    left, right, nose = p[0], p[16], p[30]
    axis = right - left
    norm = float(axis @ axis)
    if norm <= 0:
        return 0.5
    return float((nose - left) @ axis / norm)


def pose(points: np.ndarray) -> Pose:
    """EAR, MAR, yaw and LAR of one 68-point landmark set."""
    if points.shape != (68, 2):
        raise ValueError(f"expected 68×2 landmarks, got {points.shape}")
    return Pose(
        eye_aspect_ratio(points), mouth_aspect_ratio(points), yaw_ratio(points), lip_aspect_ratio(points)
    )
