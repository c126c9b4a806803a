"""The one seam between liveness and ``kyc_sdk.faces`` (detection, landmarks, encodings).

Liveness never runs its own detector. It works in boxes ``(top, right, bottom, left)``
and asks ``kyc_sdk.faces`` for everything else; ``track`` carries a detection's box
along the landmarks so video does not pay a detection per frame.
"""

from __future__ import annotations

import dataclasses

import cv2
import numpy as np

from kyc_sdk import faces
from kyc_sdk.errors import ImageRejected

Box = tuple[int, int, int, int]
MIN_FACE = 80  # pixels: the texture cues need a face at least this large
# median grey level of the face (of the frame, before one is found) under which the
# frame is evened before detection and landmarks. Tuning videos: lit faces 78-187 (dark
# skin 78-92, backlight 94-110), low light 43-53, auto-exposure's first frames 38-45
DARK = 60
_CLAHE = cv2.createCLAHE(clipLimit=2.0, tileGridSize=(8, 8))
# a phone meters on the face: a dim face is lifted towards this mean grey by the camera's
# gain, up to MAX_GAIN (a phone's own limit before the picture is noise). The passive
# check's bona fide captures are metered so (face mean 75+); a video's raw dim frames
# (tuning low light: face mean 41-43) are not, and read as low skin chroma
METERED, MAX_GAIN = 75.0, 4.0


def clip(box: Box, shape: tuple[int, ...]) -> Box:
    top, right, bottom, left = (int(v) for v in box)
    return max(top, 0), min(right, shape[1]), min(bottom, shape[0]), max(left, 0)


def detect(rgb: np.ndarray, *, min_size: int = 40) -> list[faces.Face]:
    """Faces of at least ``min_size`` pixels (a larger floor lets dlib work on a smaller copy)."""
    return list(faces.detect(rgb, min_size=min_size))


def one_face(
    rgb: np.ndarray, *, min_size: int = MIN_FACE, found: list[faces.Face] | None = None
) -> faces.Face:
    """The single face in ``rgb`` (or among ``found``, its faces already detected);
    ``ImageRejected`` for none, several, or too small.

    Faces down to 40 px are counted, so a small second face (a bystander, a photo held
    beside the face) still makes ``many_faces``; dlib works on a 2× copy for that.
    """
    found = detect(rgb) if found is None else found
    if not found:
        raise ImageRejected("no face found", reason="no_face")
    if len(found) > 1:
        raise ImageRejected(f"{len(found)} faces found; exactly one is needed", reason="many_faces")
    top, right, bottom, left = found[0].box
    if min(bottom - top, right - left) < min_size:
        raise ImageRejected(f"face smaller than {min_size} pixels", reason="face_too_small")
    return found[0]


def box_of(face: faces.Face, shape: tuple[int, ...]) -> Box:
    return clip(face.box, shape)


def evened(rgb: np.ndarray, face: faces.Face | None) -> np.ndarray:
    """The frame as detection and landmarks should see it: unchanged when the face (the
    whole frame before a face is found) is lit; in dim light its luminance evened by CLAHE
    (contrast-limited, tile by tile), as grey in three channels. In the dark the face's
    edges span a few grey levels, which the detector's and the shape model's gradients
    lose in the sensor's noise; spreading them is what a camera's own gain would do.
    Only geometry is read from the evened frame: encodings and pixel cues keep the raw one."""
    grey = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    region = grey
    if face is not None:
        top, right, bottom, left = box_of(face, rgb.shape)
        region = grey[top:bottom, left:right] if bottom > top and right > left else grey
    if float(np.median(region)) >= DARK:
        return rgb
    return np.repeat(_CLAHE.apply(grey)[..., None], 3, axis=2)


def metered(rgb: np.ndarray, box: Box) -> np.ndarray:
    """The frame as a phone's exposure would have delivered it: when the face in ``box``
    is darker than ``METERED`` on average, every pixel scaled by one gain (at most
    ``MAX_GAIN``) that lifts it there, sensor noise and all. One gain on all three
    channels keeps hue and the ratios the texture cues read; chroma grows with the light
    as it does on a sensor. A face lit well enough is returned unchanged."""
    top, right, bottom, left = clip(box, rgb.shape)
    if bottom <= top or right <= left:
        return rgb
    mean = float(cv2.cvtColor(rgb[top:bottom, left:right], cv2.COLOR_RGB2GRAY).mean())
    gain = min(METERED / max(mean, 1.0), MAX_GAIN)
    if gain <= 1.0:
        return rgb
    return cv2.convertScaleAbs(rgb, alpha=gain)


def landmarks(rgb: np.ndarray, face: faces.Face) -> np.ndarray:
    return np.asarray(faces.landmarks(rgb, face, model="68"), dtype=np.float64)


# The shape model's regression trees split on grey-level differences between pixel pairs,
# with thresholds learnt on well-exposed faces: on a dim or flat face the differences
# shrink towards them and sensor noise flips the splits. Tuning videos, a still head's
# frame-to-frame σ on the raw frames: glasses in a dim room yaw proxy 0.050, MAR 0.042
# (good light 0.006). Blurring the frame alone (σ 1.2) did not help; CLAHE on the crop
# steadied it (0.014) but reshaped local contrast: a beard's jaw and a dark face's
# lids were lost (tuning tests 91 001, 91 009). One linear stretch keeps every local
# relation and only restores the differences' scale.
CROP_MARGIN = 0.5  # face widths around the box: the refit box (``around``) stays inside
STRETCH = (1.0, 99.0)  # percentiles of the face box's grey levels mapped to 0 and 255


@dataclasses.dataclass(frozen=True, slots=True)
class FaceCrop:
    """The face's neighbourhood prepared for the shape model (``steadied``), and where it
    sits in the frame."""

    grey: np.ndarray  # H×W×3, the prepared luminance in three channels
    x0: int
    y0: int

    def landmarks(self, face: faces.Face) -> np.ndarray:
        """The 68 landmarks of ``face`` (a box in frame coordinates), in frame coordinates."""
        top, right, bottom, left = face.box
        inside = dataclasses.replace(
            face, box=(top - self.y0, right - self.x0, bottom - self.y0, left - self.x0)
        )
        return landmarks(self.grey, inside) + np.array([self.x0, self.y0], np.float64)


def steadied(rgb: np.ndarray, face: faces.Face) -> FaceCrop:
    """The face's neighbourhood as the shape model reads it best: its luminance with the
    sensor's noise smoothed (a bilateral filter keeps the edges the model needs), then
    stretched by one gain and offset so the face box spans the full grey range, whatever
    the light, as a well-exposed face would."""
    top, right, bottom, left = clip(face.box, rgb.shape)
    m = int(CROP_MARGIN * max(right - left, 1))
    t, r, b, l_ = clip((top - m, right + m, bottom + m, left - m), rgb.shape)
    if b <= t or r <= l_ or bottom <= top or right <= left:
        return FaceCrop(rgb, 0, 0)
    grey = cv2.bilateralFilter(
        cv2.cvtColor(np.ascontiguousarray(rgb[t:b, l_:r]), cv2.COLOR_RGB2GRAY), 5, 20, 3
    )
    lo, hi = np.percentile(grey[top - t : bottom - t, left - l_ : right - l_], STRETCH)
    gain = 255.0 / max(float(hi - lo), 1.0)
    even = cv2.convertScaleAbs(grey, alpha=gain, beta=-float(lo) * gain)
    return FaceCrop(np.repeat(even[..., None], 3, axis=2), l_, t)


def encode(rgb: np.ndarray, face: faces.Face) -> np.ndarray:
    return np.asarray(faces.encode(rgb, face), dtype=np.float64)


def around(face: faces.Face, points: np.ndarray) -> faces.Face:
    """A box drawn around ``points``: a jaw dropped or a head turned past the detector's box."""
    x0, y0 = points.min(axis=0)
    x1, y1 = points.max(axis=0)
    pad = 0.12 * (x1 - x0)
    box = (int(y0 - 2.2 * pad), int(x1 + pad), int(y1 + pad), int(x0 - pad))
    return dataclasses.replace(face, box=box)


UPPER_FACE = tuple(range(27, 48))  # nose and eyes: what no action, beard or scarf moves on the face


def track(detected: faces.Face, at_detection: np.ndarray, points: np.ndarray) -> faces.Face:
    """The detector's box carried to the next frame: moved and scaled as the upper face
    (nose and eyes) moved since the detection frame, whose landmarks are ``at_detection``.

    The box is never rebuilt from the landmarks it produced: the shape model shifts its
    answer with the box, so a box drawn around last frame's landmarks drifts wherever
    they err, and they err most where the face has little contrast (a beard under the
    lips, dark skin in dim light); the drift fed back held a closed mouth open."""
    ref, now = at_detection[list(UPPER_FACE)], points[list(UPPER_FACE)]
    scale = float(np.std(now - now.mean(axis=0)) / (np.std(ref - ref.mean(axis=0)) or 1.0))
    top, right, bottom, left = detected.box
    corners = (np.array([[left, top], [right, bottom]], np.float64) - ref.mean(axis=0)) * scale + now.mean(
        axis=0
    )
    (x0, y0), (x1, y1) = corners
    return dataclasses.replace(detected, box=(round(y0), round(x1), round(y1), round(x0)))
