"""Softening a face chip's finest texture before it is encoded.

A print's screen, a scanner's grain and a codec's ringing are texture at the scale of one or
two pixels of the encoder's 150 px chip, finer than what tells people apart, and dlib's
encoder reads part of it as the face: a scanned print of a person lands far from their
photo. A Gaussian of ``SIGMA`` px over the chip (each chip as ``match`` cuts it, its
exposure evened out first) weighs that texture down for every face alike, so a pair's
distance keeps the person and less of how each picture was made.

Chosen at stop 21 on the tuning captures only (seed 11's, the gate's tuning variants with
their AM-screen print scanned, and a spotlight: ``benchmarks/encoding_eval.py
--encoding-tune``), each encoding's threshold re-derived by the calibration's rule on its
125,550 impostor pairs. Genuine misses among the pairs the quality gate accepts: 10.4 %
without (495 of 4,772 on ``--gate-tune``; threshold 0.45, 81 false matches), 9.6 % at
sigma 0.5, 9.0 % at 0.7 (0.45, 81), while sigma 1.0 brings impostors closer and the rule
drops the threshold to 0.44 (11.3 %); the scanned prints' own misses against their
original 45 -> 35 of 96 at 0.7, impostor matches among accepted pairs 125 -> 91. Tried and
not kept: the softened chips averaged with the sharp ones (8.8 %, twice the encoder's
work), a blur scaled to how much the chip shrinks the face (8.8 %, more impostor matches),
a grey copy of each chip averaged in (the threshold fell to 0.44: 12.4 %), a blur of
sigma 1.0. The spotlight's pairs missed neither way, so hard light was not tuned here. A
150 px Gaussian: well under a millisecond a chip.
"""

from __future__ import annotations

import cv2
import numpy as np

SIGMA = 0.7  # px of the 150 px chip


def soften(chip: np.ndarray) -> np.ndarray:
    """``chip`` (H × W × 3 uint8) under a Gaussian of ``SIGMA`` px; a new array."""
    return np.ascontiguousarray(cv2.GaussianBlur(chip, (0, 0), SIGMA))
