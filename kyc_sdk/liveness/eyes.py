"""The eyes' appearance, for blinks that landmarks miss.

dlib's eye landmarks are a shape model's guess: on narrow eyes, dark skin in dim light or
behind glasses' rims they barely move when the lids close (EAR 0.18 -> 0.15 on a tuning
video whose eyes were shut for three frames). The pixels do change: a closed lid hides
the iris and the white of the eye. Each eye is cut out along its corners (a similarity
transform: position, size and roll follow the face, so sway and distance do not count),
and compared with the session's open-eye template by normalised cross-correlation, which
exposure and white-balance drift (gain and offset) leave alone. Glare on glasses (a
lens's specular reflection, far brighter than the skin lit by the same light) is left
out of the comparison: its sharp edge, shifted a pixel by the landmarks' jitter, changed
the patch more than the lids did (1 − NCC up to 0.83 on open eyes behind glasses on a
tuning video). Where glare covers most of the eye, the patch gives no evidence and the
landmarks' EAR decides.
"""

from __future__ import annotations

import cv2
import numpy as np

SIZE = (32, 16)  # patch width, height: the eye's corners 20 px apart in its middle row
CORNERS = ((36, 39), (42, 45))  # outer and inner corner of each eye (iBUG 68-point scheme)
TEMPLATE_FRAMES = 5  # the open-eye template: the median patch of the session's first frames
# glare: brighter than GLARE × the patch's skin level (its 75th percentile: skin fills most
# of the patch; the white of an eye reads up to about 1.3× it, a lens's reflection 1.8×+
# in any light), grown by a pixel for its blurred rim
GLARE = 1.6
MIN_SEEN = 0.25  # share of a patch that must be free of glare in both patches to compare
_GROW = np.ones((3, 3), np.uint8)


def patches(grey: np.ndarray, points: np.ndarray) -> np.ndarray:
    """Both eyes' patches (2 × height × width, float32) from a grey frame and its landmarks."""
    w, h = SIZE
    out = []
    for a, b in CORNERS:
        left, right = points[a].astype(np.float64), points[b].astype(np.float64)
        d = right - left
        scale = 20.0 / (float(np.hypot(*d)) or 1.0)
        cos, sin = scale * d / (float(np.hypot(*d)) or 1.0)
        m = np.array([[cos, sin, 0.0], [-sin, cos, 0.0]])
        m[:, 2] = np.array([w / 2, h / 2]) - m[:, :2] @ ((left + right) / 2)
        out.append(cv2.warpAffine(grey, m, (w, h), flags=cv2.INTER_AREA, borderMode=cv2.BORDER_REPLICATE))
    return np.stack(out).astype(np.float32)


def change(now: np.ndarray, template: np.ndarray) -> float:
    """1 − the normalised cross-correlation of the patches with the template, averaged over
    both eyes: 0.01–0.17 for open eyes on tuning videos, 0.42–0.88 for the shut eyes of a
    blink the landmarks missed; lids painted shut on a clean photo 0.29."""
    scores = []
    for eye, open_eye in zip(now, template, strict=True):
        seen = ~(glare(eye) | glare(open_eye))
        if seen.mean() < MIN_SEEN:
            scores.append(1.0)  # no evidence either way: counted as unchanged
            continue
        a, b = eye[seen] - eye[seen].mean(), open_eye[seen] - open_eye[seen].mean()
        norm = float(np.sqrt((a * a).sum() * (b * b).sum()))
        scores.append(float((a * b).sum()) / norm if norm > 1e-6 else 1.0)
    return 1.0 - float(np.mean(scores))


def glare(patch: np.ndarray) -> np.ndarray:
    """The pixels of one eye patch that a reflection on a lens outshines (see ``GLARE``)."""
    skin = float(np.percentile(patch, 75))
    bright = (patch > GLARE * max(skin, 1.0)).astype(np.uint8)
    return cv2.dilate(bright, _GROW).astype(bool)


class EyeTrack:
    """Per frame, the eyes' ``change`` from the template of the first ``TEMPLATE_FRAMES``
    frames with a face (0 until the template exists)."""

    def __init__(self) -> None:
        self.first: list[np.ndarray] = []
        self.template: np.ndarray | None = None

    def update(self, grey: np.ndarray, points: np.ndarray) -> float:
        now = patches(grey, points)
        if self.template is None:
            self.first.append(now)
            if len(self.first) < TEMPLATE_FRAMES:
                return 0.0
            self.template = np.median(np.stack(self.first), axis=0)
        return change(now, self.template)
