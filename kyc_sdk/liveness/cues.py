"""Single-image presentation-attack cues: measures that ``features`` passes on to the
passive model (``pad_model``), which decides; no cue decides alone any more, since fixed
thresholds tuned on one printer and one screen refused live faces (issue 14).

The cues follow image-distortion analysis (Wen, Han & Jain, "Face Spoof Detection With
Image Distortion Analysis", IEEE TIFS 2015): a recaptured face passed through a printer or
a screen and a second camera, and each pass leaves a trace.

- ``periodic``: a halftone screen or a display's pixel grid beating against the camera's
  sensor (moiré) puts isolated peaks in the face's spectrum; natural skin has a smooth,
  roughly 1/f spectrum. Measured as the largest log-magnitude excess over the radial median.
- ``skin_chroma``: print inks and a screen re-filmed under a second white balance shrink
  the colour gamut; live skin under ordinary light keeps a clear orange-red chroma
  (CIELAB a*, b*). A grey or very cold light lowers it too, which is why it is one cue
  among several and not a rule.
- ``glare``: a glossy print or a screen reflects light sources as flat saturated blobs
  over the face (specular reflection component).
- ``frame``: the edges of the paper or the bezel of the screen make long straight lines
  on several sides of the face, close to it.

Callers pass an RGB uint8 image and the face box ``(top, right, bottom, left)``.
"""

from __future__ import annotations

import cv2
import numpy as np

Box = tuple[int, int, int, int]
_SPEC = 128  # spectrum window: the face's central 128 px at native resolution


def ramp(value: float, clear: float, attack: float) -> float:
    """0 at ``clear``, 1 at ``attack``, linear in between (either direction)."""
    return float(np.clip((value - clear) / (attack - clear), 0.0, 1.0))


def _square(box: Box, shape: tuple[int, ...], scale: float = 1.0) -> tuple[int, int, int, int]:
    top, right, bottom, left = box
    cy, cx = (top + bottom) / 2, (left + right) / 2
    half = max(bottom - top, right - left) * scale / 2
    y0, x0 = int(max(cy - half, 0)), int(max(cx - half, 0))
    y1, x1 = int(min(cy + half, shape[0])), int(min(cx + half, shape[1]))
    return y0, x0, y1, x1


def periodic(gray: np.ndarray, box: Box) -> float:
    """Largest spectral peak (log-magnitude over the radial median) in the face's centre."""
    y0, x0, y1, x1 = _square(box, gray.shape, 0.7)
    crop = gray[y0:y1, x0:x1].astype(np.float32)
    side = min(crop.shape[:2])
    if side < 32:
        return 0.0
    n = min(side, _SPEC) // 2 * 2  # native pixels: resampling would smear the pattern
    c = side // 2
    crop = crop[c - n // 2 : c + n // 2, c - n // 2 : c + n // 2]
    crop = crop - crop.mean()
    win = np.outer(np.hanning(n), np.hanning(n)).astype(np.float32)
    mag = np.log1p(np.abs(np.fft.fftshift(np.fft.fft2(crop * win))))
    return _peak_excess(mag)


def _peak_excess(mag: np.ndarray) -> float:
    n = mag.shape[0]
    yy, xx = np.mgrid[-n // 2 : n // 2, -n // 2 : n // 2]
    rad = np.hypot(yy, xx).astype(np.int32)
    counts = np.bincount(rad.ravel())
    # the radial mean of log-magnitude stands in for the 1/f trend (median is too slow)
    trend = np.bincount(rad.ravel(), mag.ravel()) / np.maximum(counts, 1)
    excess = mag - trend[rad]
    band = (rad >= n // 10) & (rad <= int(n * 0.47)) & (np.abs(yy) > 1) & (np.abs(xx) > 1)
    return float(excess[band].max())


def skin_chroma(rgb: np.ndarray, box: Box) -> float:
    """CIELAB chroma of the median colour of the face's centre (cheeks, nose)."""
    top, right, bottom, left = box
    h, w = bottom - top, right - left
    patch = rgb[top + h // 4 : bottom - h // 4, left + w // 4 : right - w // 4]
    if patch.size == 0:
        return 0.0
    lab = cv2.cvtColor(np.ascontiguousarray(patch), cv2.COLOR_RGB2LAB).reshape(-1, 3)
    a, b = np.median(lab[:, 1].astype(np.float32)) - 128, np.median(lab[:, 2].astype(np.float32)) - 128
    return float(np.hypot(a, b))


def glare(rgb: np.ndarray, box: Box) -> float:
    """Share of the face box covered by near-white, unsaturated pixels in sizeable blobs."""
    top, right, bottom, left = box
    face = np.ascontiguousarray(rgb[top:bottom, left:right])
    if face.size == 0:
        return 0.0
    hsv = cv2.cvtColor(face, cv2.COLOR_RGB2HSV)
    mask = ((hsv[..., 2] >= 245) & (hsv[..., 1] <= 40)).astype(np.uint8)
    n, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    min_blob = max(face.shape[0] * face.shape[1] // 2000, 4)  # skin sheen is speckled
    big = stats[1:, cv2.CC_STAT_AREA] if n > 1 else np.zeros(0)
    return float(big[big >= min_blob].sum() / mask.size)


def frame(gray: np.ndarray, box: Box) -> float:
    """How many sides of the face (0–4) have a long straight edge near them."""
    top, right, bottom, left = box
    fh, fw = bottom - top, right - left
    y0, x0, y1, x1 = _square(box, gray.shape, 3.2)
    roi = gray[y0:y1, x0:x1]
    edges = cv2.Canny(cv2.GaussianBlur(roi, (5, 5), 0), 40, 120)
    found = cv2.HoughLinesP(edges, 1, np.pi / 180, 50, minLineLength=int(0.9 * min(fh, fw)), maxLineGap=6)
    sides: set[str] = set()
    for xa, ya, xb, yb in found.reshape(-1, 4) if found is not None else []:
        side = _side(xa + x0, ya + y0, xb + x0, yb + y0, box)
        if side:
            sides.add(side)
    return float(len(sides))


def _side(xa: int, ya: int, xb: int, yb: int, box: Box) -> str | None:
    """Which side of the face a segment bounds, if it is near-parallel and clear of it."""
    top, right, bottom, left = box
    fh, fw = bottom - top, right - left
    angle = abs(np.degrees(np.arctan2(yb - ya, xb - xa))) % 180
    mx, my = (xa + xb) / 2, (ya + yb) / 2
    if angle > 70 and angle < 110:  # vertical: left or right of the face
        if not (top - fh < my < bottom + fh):
            return None
        if left - 1.2 * fw < mx < left - 0.15 * fw:
            return "left"
        if right + 0.15 * fw < mx < right + 1.2 * fw:
            return "right"
    elif angle < 20 or angle > 160:
        if not (left - fw < mx < right + fw):
            return None
        if top - 1.2 * fh < my < top - 0.3 * fh:
            return "top"
        if bottom + 0.3 * fh < my < bottom + 1.5 * fh:
            return "bottom"
    return None


def sharpness(gray: np.ndarray, box: Box) -> float:
    """Variance of the Laplacian of the face scaled to 128 px (size-independent blur measure)."""
    top, right, bottom, left = box
    face = gray[top:bottom, left:right]
    if face.size == 0:
        return 0.0
    face = cv2.resize(face, (128, 128), interpolation=cv2.INTER_AREA)
    return float(cv2.Laplacian(face, cv2.CV_64F).var())


def exposure(gray: np.ndarray, box: Box) -> float:
    """Mean grey level of the face (0–255)."""
    top, right, bottom, left = box
    face = gray[top:bottom, left:right]
    return float(face.mean()) if face.size else 0.0
