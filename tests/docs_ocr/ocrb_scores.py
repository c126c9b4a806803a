"""Hand-made OCR-B template scores for the decoder's tests (no image involved)."""

from __future__ import annotations

import numpy as np

from kyc_sdk.docs_ocr._ocrb import ALPHABET


def printed_scores(ch: str, doubt: str | None = None) -> np.ndarray:
    """A cell's scores: the printed ``ch`` 0.95, every other character 0.5; with a
    ``doubt``, the image prefers that wrong character (0.95) to the printed one (0.93)."""
    scores = np.full(len(ALPHABET), 0.5, np.float32)
    scores[ALPHABET.index(ch)] = 0.95
    if doubt is not None:
        scores[ALPHABET.index(ch)] = 0.93
        scores[ALPHABET.index(doubt)] = 0.95
    return scores
