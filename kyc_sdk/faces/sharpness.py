"""Giving back a blurred face chip the fine contrast a sharp photo shows, before encoding.

Blur (defocus, a hand's shake, a resized upload) takes away a face's finest detail first,
and dlib's encoder, trained on sharp web photos, reads the loss partly as another face.
How sharp a chip is: the energy of its finest octave (the chip less its Gaussian blur of
1 px) over that of the next one (between blurs of 1 and 2 px), over the face's centre.
The ratio does not depend on the face's contrast or exposure, and a sharp photo's detail
is spread over every octave, so it sits near 0.4-1.2; blur drives it down (0.2-0.3). A
chip under ``REFERENCE`` gets an unsharp mask of the smallest strength in ``STRENGTHS``
that brings its ratio up to it (the strongest if none does); a sharp, noisy or blocky chip
is left alone. This gives back contrast to the detail the blur weakened; what it wiped out
stays lost.

Chosen on ``benchmarks/faces_eval.py``'s photo captures (seed 11): FNMR at the rule's
FMR-1e-3 threshold 55 → 11 of 3888 genuine pairs (the threshold stays 0.45), at the
observed FMR 1e-3 0.77 % → 0.26 %; a reference between 0.35 and 0.45 gave the same. Tried
there and rejected: blurring the sharper chip of a pair down to the other's level (worse:
blurred impostors come closer, 1.3-2.6 % at the observed 1e-3), projecting the encodings'
blur directions out (no better when fitted without the genuine identities), and sharpening
every chip (1.0-1.9 %). A few milliseconds a chip, at most.
"""

from __future__ import annotations

import cv2
import numpy as np

# The 5th percentile of the ratio over the sharp source photos of the tuning captures
# (0.39): a chip below it is blurrier than nearly every sharp photo.
REFERENCE = 0.4
STRENGTHS = (0.5, 1.0, 2.0)  # unsharp-mask gains tried, weakest first
# The face's centre in dlib's 150 px chip (padding 0.25): rows and columns as fractions.
CENTRE_ROWS, CENTRE_COLUMNS = (0.27, 0.8), (0.27, 0.73)


def detail_ratio(chip: np.ndarray) -> float:
    """The finest octave's energy over the next one's, over the centre of ``chip`` (RGB uint8)."""
    grey = cv2.cvtColor(np.ascontiguousarray(chip), cv2.COLOR_RGB2GRAY).astype(np.float32)
    fine, coarse = (cv2.GaussianBlur(grey, (0, 0), s) for s in (1.0, 2.0))
    height, width = grey.shape
    centre = (
        slice(round(CENTRE_ROWS[0] * height), round(CENTRE_ROWS[1] * height)),
        slice(round(CENTRE_COLUMNS[0] * width), round(CENTRE_COLUMNS[1] * width)),
    )
    top = float(np.mean((grey - fine)[centre] ** 2))
    next_octave = float(np.mean((fine - coarse)[centre] ** 2))
    return top / next_octave if next_octave > 1e-6 else float("inf")  # a flat chip: nothing to restore


def restore_detail(chip: np.ndarray) -> np.ndarray:
    """``chip`` (H × W × 3 uint8 RGB), sharpened just enough to reach ``REFERENCE`` if it
    is below it; else a copy, unchanged. The input is not modified."""
    if detail_ratio(chip) >= REFERENCE:
        return chip.copy()
    image = chip.astype(np.float32)
    lost = image - cv2.GaussianBlur(image, (0, 0), 1.0)
    sharpened = chip
    for strength in STRENGTHS:
        sharpened = np.clip(image + strength * lost, 0, 255).astype(np.uint8)
        if detail_ratio(sharpened) >= REFERENCE:
            break
    return sharpened
