"""Face detection: dlib's HOG detector over one resized copy of the image.

dlib's HOG window is 80 × 80 pixels and its pyramid only shrinks the image (by 5/6 per
level), so a face is found when it is at least ~80 px at the working scale. We pick one
scale per image: up to ``80 / min_size`` so small faces reach the window, but never more
than ``PIXEL_BUDGET`` working pixels, so a large frame is shrunk and a full-frame face
costs a few tens of milliseconds (docs/evaluation.md: 1280×720 at upsample 0 is 50 ms).
Boxes come back in the caller's pixels as (top, right, bottom, left), clipped to the image.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Protocol

import cv2
import numpy as np

from kyc_sdk.faces import _models
from kyc_sdk.imaging import checked_array

WINDOW = 80  # dlib's HOG detection window, pixels
# Working pixels. 0.6 MP keeps a 1280×720 frame's detection near 60 ms of CPU here and
# still finds faces of ~110 px in it (80 px / 0.72); small images are upsampled fully.
# benchmarks/faces_eval.py prints the cost of 0.4–1.5 MP.
PIXEL_BUDGET = 600_000
MAX_UPSCALE = 4.0

Box = tuple[int, int, int, int]


@dataclass(frozen=True, slots=True)
class Face:
    """One detected face: ``box`` is (top, right, bottom, left) in the given image's pixels."""

    box: Box
    score: float

    @property
    def size(self) -> int:
        """The shorter side of the box, in pixels."""
        top, right, bottom, left = self.box
        return min(bottom - top, right - left)


def working_scale(shape: tuple[int, ...], min_size: int) -> float:
    """How much to resize so a ``min_size`` face fills the window, within the pixel budget."""
    height, width = shape[:2]
    wanted = min(WINDOW / max(min_size, 1), MAX_UPSCALE)
    budget = math.sqrt(PIXEL_BUDGET / float(height * width))
    return min(wanted, budget)


def as_rgb(image: np.ndarray) -> np.ndarray:
    """A contiguous H × W × 3 uint8 array (grey and RGBA arrays are converted);
    ``ImageRejected`` for anything else or a size ``kyc_sdk.imaging`` refuses, so callers
    never see a numpy or dlib error."""
    return checked_array(image)


def detect(rgb: np.ndarray, *, min_size: int = 40) -> list[Face]:
    """Every face of at least about ``min_size`` pixels, best score first."""
    rgb = as_rgb(rgb)
    scale = working_scale(rgb.shape, min_size)
    # HOG on grey: about 20 % less CPU than on RGB, the same faces on our test set.
    work = _resize(cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY), scale)
    rects, scores, _ = _models.detector().run(work, 0, 0.0)
    found = [Face(_to_box(r, scale, rgb.shape), float(s)) for r, s in zip(rects, scores, strict=False)]
    found = [f for f in found if f.size >= min_size * 0.8]  # HOG boxes vary ±20 %
    return sorted(found, key=lambda f: -f.score)


def _resize(rgb: np.ndarray, scale: float) -> np.ndarray:
    if abs(scale - 1.0) < 0.02:
        return np.ascontiguousarray(rgb)
    height, width = rgb.shape[:2]
    size = (max(1, round(width * scale)), max(1, round(height * scale)))  # works for grey too
    interp = cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR
    return np.ascontiguousarray(cv2.resize(rgb, size, interpolation=interp))


class _Rect(Protocol):
    """A ``dlib.rectangle`` (dlib ships no annotations)."""

    def top(self) -> int: ...
    def right(self) -> int: ...
    def bottom(self) -> int: ...
    def left(self) -> int: ...


def _to_box(rect: _Rect, scale: float, shape: tuple[int, ...]) -> Box:
    height, width = shape[:2]
    top = max(round(rect.top() / scale), 0)
    right = min(round(rect.right() / scale), width)
    bottom = min(round(rect.bottom() / scale), height)
    left = max(round(rect.left() / scale), 0)
    return top, right, bottom, left
