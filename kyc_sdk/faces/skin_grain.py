"""A print's colour grain, read on the face's skin only.

An ordered-dither colour print (each ink against its own threshold tile), printed small
and scanned or photographed large, is a face covered in blotchy colour error a few pixels
across, each ink's apart; the stochastic-grain test (``grain.stochastic_grain``) does not
see it (not dense in grey, not periodic once the print's area is averaged) and the
encoder misjudges such faces. Skin is smooth and nearly one colour, so its chroma varies
little at that scale while its luma still carries the face's shading: a print's colour
grain is chroma over luma in a band of a few pixels. Reading it over the whole box (stop
23, h-face10's trial) also read headscarves: a patterned or fine scarf round the face is
chroma of its own, and 16 good genuine pairs went to RETRY. So it is read here on the
skin alone: both cheeks and the nose's bridge, placed from the 5 landmarks (public domain,
as the encoder's alignment), away from the brows, eyes, mouth and jaw line, and of those
pixels only the ones whose smoothed colour is the face's own (cloth over a cheek is not).

Measured in the box at ``grain.GRAIN_WORK`` px wide, with Gaussian blurs normalised by
the skin mask (no pixel off the skin leaks into the band, nor a pixel with a channel
clipped or black): the log chroma (log R - log G, log B - log G) rms in the band between
blurs of ``FINE`` and ``COARSE`` px over the log luma's rms in that band is
``COLOUR_RATIO`` or more, and the chroma is not a sensor's white noise (its rms with the
finest pixels kept is at most ``WHITE_RATIO`` times the band's). In logarithms the ratio
does not move with the exposure, the tone curve or the white balance (stop 25: stop 24's
R - G over luma rose on a darkened honest photo and sent its genuine pairs to RETRY).
"""

from __future__ import annotations

import cv2
import numpy as np

from kyc_sdk.faces.detection import Face
from kyc_sdk.faces.shapes import landmarks

WORK = 192  # px: a larger face is measured shrunk to this box width (as grain.GRAIN_WORK)
# Where skin is, in the face's frame: origin between the eyes' centres, x along the eyes
# (outwards), y towards the nose, both in eye distances. Below the eyes and beside the
# nose, above the mouth's corners and inside the jaw line; the nose's bridge.
CHEEK = ((0.28, 0.32), (0.78, 0.32), (0.78, 0.80), (0.28, 0.85))
NOSE = ((-0.16, 0.15), (0.16, 0.15), (0.16, 0.55), (-0.16, 0.55))
SMOOTH = 3.0  # px: the blur before a pixel's colour is compared with the face's own
SKIN_TOLERANCE = 0.04  # the most r/(r+g+b) or b/(r+g+b) may differ from the face's median
MIN_SKIN = 20  # px: fewer skin pixels say nothing
FINE, COARSE = 0.7, 3.0  # px: the colour grain's band
COLOUR_RATIO = 0.7  # log chroma's rms over log luma's in the band
LOG_FLOOR = 16.0  # grey levels added before the logarithm: a dark pixel's noise is not blown up
WHITE_RATIO = 1.6  # R-G, B-G rms with the finest pixels over the band's: white noise ~2.5
CLIPPED, BLACK = 250, 6  # a pixel with a channel outside these has lost its colour: not read
LUMA = np.array([0.299, 0.587, 0.114], np.float32)


def skin_colour_grain(rgb: np.ndarray, face: Face) -> bool:
    """Whether the skin of ``face`` in ``rgb`` holds a print's colour error rather than a
    face's colour, which varies little at a few pixels."""
    if rgb.ndim != 3 or min(face.size, rgb.shape[0], rgb.shape[1]) < 16:
        return False
    crop, points = skin_window(rgb, face, landmarks(rgb, face, model="5"))
    if crop.size == 0:
        return False
    skin = skin_mask(crop, points).astype(np.float32)
    n = float(skin.sum())
    if n < MIN_SKIN:
        return False
    weights = {sigma: np.maximum(cv2.GaussianBlur(skin, (0, 0), sigma), 1e-3) for sigma in (FINE, COARSE)}

    def blur(channel: np.ndarray, sigma: float) -> np.ndarray:  # over the skin's pixels only
        return cv2.GaussianBlur(channel * skin, (0, 0), sigma) / weights[sigma]

    def rms(x: np.ndarray) -> float:
        return float(np.sqrt(np.sum(x**2 * skin) / n))

    def chroma_rms(chroma: list[np.ndarray], fine: float) -> float:  # 0: with the finest pixels
        parts = [rms((blur(c, fine) if fine else c) - blur(c, COARSE)) for c in chroma]
        return float(np.sqrt((parts[0] ** 2 + parts[1] ** 2) / 2))

    # In logarithms a gain, a power law or one channel's gain (exposure, a tone curve, the
    # white balance) moves log R - log G and log luma alike, or by an offset the band
    # drops, so an honest face's ratio stays where it was. R - G over luma did not: a
    # darkened face's shading leaked into it (stop 24: honest photos 0.31 -> 0.55).
    logs = np.log(crop + LOG_FLOOR)
    log_chroma = [logs[..., 0] - logs[..., 1], logs[..., 2] - logs[..., 1]]
    log_luma = np.log(crop @ LUMA + LOG_FLOOR)
    if chroma_rms(log_chroma, FINE) < COLOUR_RATIO * max(
        rms(blur(log_luma, FINE) - blur(log_luma, COARSE)), 1e-6
    ):
        return False
    chroma = [crop[..., 0] - crop[..., 1], crop[..., 2] - crop[..., 1]]  # R-G, B-G
    return chroma_rms(chroma, 0.0) <= WHITE_RATIO * chroma_rms(chroma, FINE)


def skin_mask(crop: np.ndarray, points: np.ndarray) -> np.ndarray:
    """The cheeks' and nose's pixels of ``crop`` (float RGB) whose smoothed colour is the
    face's own (``points``: the 5 landmarks in ``crop``'s pixels)."""
    regions = np.zeros(crop.shape[:2], np.uint8)
    for corners in _skin_polygons(points):
        cv2.fillPoly(regions, [np.round(corners).astype(np.int32)], 1)
    inside = regions.astype(bool)
    if not inside.any():
        return inside
    smooth = cv2.GaussianBlur(crop, (0, 0), SMOOTH)
    total = smooth.sum(axis=-1) + 1e-3
    red, blue, light = smooth[..., 0] / total, smooth[..., 2] / total, smooth @ LUMA
    own_red, own_blue, own_light = (float(np.median(x[inside])) for x in (red, blue, light))
    return (
        inside
        & (np.abs(red - own_red) < SKIN_TOLERANCE)
        & (np.abs(blue - own_blue) < SKIN_TOLERANCE)
        & (light > 0.5 * own_light)
        & (light < 1.6 * own_light)
        & (crop.max(axis=-1) < CLIPPED)
        & (crop.min(axis=-1) > BLACK)
    )


def _skin_polygons(points: np.ndarray) -> list[np.ndarray]:
    """Both cheeks' and the nose's corners in the pixels of ``points`` (the 5 landmarks)."""
    mid, along, down = _frame(points)
    polygons = (CHEEK, tuple((-x, y) for x, y in CHEEK), NOSE)
    return [np.array([mid + x * along + y * down for x, y in polygon]) for polygon in polygons]


def _frame(points: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The face's frame from dlib's 5 landmarks (two corners of each eye, the nose's
    base): the eyes' midpoint, the vector from one eye's centre to the other's, and the
    same turned a quarter towards the nose."""
    first, second = points[0:2].mean(axis=0), points[2:4].mean(axis=0)
    mid, along = (first + second) / 2, second - first
    down = np.array([-along[1], along[0]])
    if np.dot(points[4] - mid, down) < 0:
        down = -down
    return mid, along, down  # x outwards either way: the cheek is drawn mirrored too


def skin_window(rgb: np.ndarray, face: Face, points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The part of ``rgb`` round the skin's polygons with a margin for the blurs (float
    RGB, at the scale where ``face``'s box is at most ``WORK`` px wide) and ``points`` in
    its pixels."""
    _, right, _, left = face.box
    scale = min(1.0, WORK / max(right - left, 1))
    corners = np.concatenate(_skin_polygons(points))
    margin = 4 * max(COARSE, SMOOTH) / scale + 1
    x0, y0 = (max(int(v), 0) for v in corners.min(axis=0) - margin)
    x1, y1 = int(corners[:, 0].max() + margin), int(corners[:, 1].max() + margin)
    crop: np.ndarray = rgb[y0 : max(y1, y0), x0 : max(x1, x0)].astype(np.float32)
    if scale < 1 and crop.size:
        crop = cv2.resize(crop, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    return crop, (points - np.array([x0, y0])) * scale
