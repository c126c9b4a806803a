"""Preparing a document's printed photo before matching it against a selfie.

ID-card photos are small, often grey, printed with a halftone screen and seen through a
hologram. dlib's encoder works on a 150 × 150 chip, so we bring the photo to at least
``TARGET`` pixels on its short side (Lanczos) and remove halftone dots and JPEG blocks
with a blur and an edge-preserving bilateral filter. ``match(..., document=True)`` then
compares the photo with the selfie in grey (``as_grey_rgb``), each encoding averaged with
its mirror image's: the print carries no usable colour, and a colour selfie against a
grey print is a difference of capture that the encoder reads as a difference of face.

Measured once on ``benchmarks/faces_eval.py``'s document split (every face rendered as
an ID photo three times; two rendering seeds), with scratch comparisons over its
functions (faces_eval itself prints only the colour-selfie and unprepared variants):
contrast equalisation (CLAHE, an earlier step) raised the equal-error rate from
1.1–1.3 % to 2.2–2.8 % by amplifying the leftover dots, so it is gone; grey selfies
lowered the FNMR at an observed FMR of 1e-2 from 4.3–5.6 % to 2.1–2.9 %, mirror
averaging of both sides to 0.0–0.4 % (at the calibrated threshold: 26.0 → 19.8 % and
21.9 → 12.2 %). Non-local means denoised about as well as the bilateral filter but cost
~300 ms a photo where the filter costs under 50 ms.
"""

from __future__ import annotations

import cv2
import numpy as np

from kyc_sdk.faces.detection import as_rgb

TARGET = 400  # short side after upscaling: a 100 px face becomes ~200 px, above the chip
MAX_UPSCALE = 4.0
MAX_SIDE = 2000  # a whole page is shrunk to this long side first: its face stays ~400 px
SIGMA_COLOUR = 40  # the bilateral filter's, for three channels


def prepare_document_photo(rgb: np.ndarray) -> np.ndarray:
    """A cleaner, larger, 3-channel copy of a document photo (the input is not changed).
    A grey photo (three equal channels) is filtered as one channel: the same result at
    a third of the cost."""
    rgb = as_rgb(rgb)
    if np.array_equal(rgb[:, :, 0], rgb[:, :, 1]) and np.array_equal(rgb[:, :, 1], rgb[:, :, 2]):
        grey = _denoise(_upscale(np.ascontiguousarray(rgb[:, :, 0])), sigma_colour=SIGMA_COLOUR / 3)
        return np.ascontiguousarray(np.repeat(grey[:, :, None], 3, axis=2))
    return _denoise(_upscale(rgb))


def as_grey_rgb(rgb: np.ndarray) -> np.ndarray:
    """``rgb`` in grey, kept as three equal channels (the encoder's input shape)."""
    grey = cv2.cvtColor(as_rgb(rgb), cv2.COLOR_RGB2GRAY)
    return np.ascontiguousarray(cv2.cvtColor(grey, cv2.COLOR_GRAY2RGB))


def _upscale(rgb: np.ndarray) -> np.ndarray:
    """Small photos up to ``TARGET`` on the short side; a photo over ``MAX_SIDE`` down
    (a document match of two 40-megapixel images took 1.0 s instead of 0.4 s)."""
    short, long = sorted(rgb.shape[:2])
    up = min(TARGET / max(short, 1), MAX_UPSCALE, MAX_SIDE / long)
    if up > 1.0:
        size = (round(rgb.shape[1] * up), round(rgb.shape[0] * up))
        return cv2.resize(rgb, size, interpolation=cv2.INTER_LANCZOS4)
    if long > MAX_SIDE:
        down = MAX_SIDE / long
        size = (max(1, round(rgb.shape[1] * down)), max(1, round(rgb.shape[0] * down)))
        return cv2.resize(rgb, size, interpolation=cv2.INTER_AREA)
    return rgb


def _denoise(image: np.ndarray, *, sigma_colour: float = SIGMA_COLOUR) -> np.ndarray:
    # The blur dissolves the halftone lattice (its cells are ~2 px before upscaling, so
    # ~5 px after); the bilateral filter then smooths what is left without softening
    # the edges of eyes, nose and mouth that the encoder relies on. OpenCV weighs colour
    # by the sum of the channels' differences, so one channel standing for three equal
    # ones needs a third of the colour sigma to weigh alike.
    soft = cv2.GaussianBlur(image, (5, 5), 0)
    return np.ascontiguousarray(cv2.bilateralFilter(soft, 9, sigma_colour, 9))
