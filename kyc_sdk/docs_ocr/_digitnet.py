"""A learned digit classifier: second opinion to the nearest templates of ``_digits``.

A small network (one hidden layer) over the same normalised glyph shape
(``_digits.shape``), fitted by ``benchmarks/train_digits.py`` on digits rendered from
many faces under capture damage and shipped as ``digitnet.npz`` (numpy only at run
time, nothing downloaded). Templates know a face they hold and misread one they do not;
a model fitted across faces learns the digit's form, which carries to a new face better.

Classes are glyph forms, not values: Persian ``۰``–``۹`` share forms with Latin ``0``–``9``
only in part (Persian ۵ is an oval like Latin 0), so each script has its own classes
and a line's script keeps only its own (``probabilities``). ``KYC_OCR_DIGIT_MODEL``
names another weights file (a leave-one-font-out model in development).
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

import numpy as np

# A rendered character and its class: Persian digits and the Arabic-Indic forms that
# differ (٤ ٥ ٦) are one class per value; Latin digits theirs; the slash one.
CHARS = {
    **{ch: "e" + str(i) for i, ch in enumerate("۰۱۲۳۴۵۶۷۸۹") if i},
    **{ch: "e" + str(i) for i, ch in zip((1, 2, 3, 4, 5, 6, 7, 8, 9), "١٢٣٤٥٦٧٨٩", strict=True)},
    **{str(i): "l" + str(i) for i in range(10)},
    "/": "/",
}
CLASSES = tuple(sorted(set(CHARS.values())))
_PERSIAN = "۰۱۲۳۴۵۶۷۸۹"
_SHIPPED = Path(__file__).with_name("digitnet.npz")


def label(cls: str) -> str:
    """The value a class stands for, as ``_digits`` labels it (a Persian digit or "/")."""
    return "/" if cls == "/" else _PERSIAN[int(cls[1])]


@lru_cache(maxsize=4)
def _weights(path: str) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    with np.load(path, allow_pickle=False) as npz:
        return npz["w1"], npz["b1"], npz["w2"], npz["b2"]


def available() -> bool:
    return Path(os.environ.get("KYC_OCR_DIGIT_MODEL") or _SHIPPED).is_file()


_SIDE = 24  # the side of ``_digits.shape``'s square
_CELLS = 4  # stroke directions are summed in 4 x 4 cells of the square
_BINS = 8  # of 45 degrees each, signed: a stroke's dark side tells ۲'s hook from ۳'s teeth


def strokes(vec: np.ndarray) -> np.ndarray:
    """Where the glyph's edges run which way: a histogram of gradient directions (8 signed
    bins, weighted by strength) in each of 4 x 4 cells of its normalised square, as a unit
    vector (square roots first, so that one strong edge does not drown the rest).

    Computed from the shape vector itself (its pixels are the square's, shifted and
    scaled, which changes no direction). Pixels say where ink is, and a face that draws a
    digit thicker, thinner or a little displaced moves them all; the directions of its
    strokes move less, which is what carries a learned reader to a face it never saw.
    """
    square = vec[: _SIDE * _SIDE].reshape(_SIDE, _SIDE).astype(np.float32)
    gy, gx = np.gradient(square)
    strength = np.hypot(gx, gy)
    bins = ((np.arctan2(gy, gx) + np.pi) * (_BINS / (2 * np.pi))).astype(np.int64) % _BINS
    cell = _SIDE // _CELLS
    rows, cols = np.indices(square.shape) // cell
    index = (rows * _CELLS + cols) * _BINS + bins
    hist = np.bincount(index.ravel(), strength.ravel(), _CELLS * _CELLS * _BINS)
    hist = np.sqrt(hist)
    return (hist / (np.linalg.norm(hist) or 1.0)).astype(np.float32)


def features(vec: np.ndarray) -> np.ndarray:
    """The classifier's input: the shape vector and its stroke directions (``strokes``)."""
    return np.concatenate([vec.astype(np.float32), strokes(vec)])


def probabilities(vec: np.ndarray, script: str) -> list[tuple[str, float]]:
    """The glyph's values under ``script`` (``eastern`` or ``latin``), best first, with
    probabilities summing to 1 over that script's classes and the slash. ``vec``: the
    glyph's ``_digits.shape``."""
    w1, b1, w2, b2 = _weights(str(os.environ.get("KYC_OCR_DIGIT_MODEL") or _SHIPPED))
    # A model fitted on the shape alone (an older weights file) takes the vector as it is.
    x = vec.astype(np.float32) if w1.shape[0] == len(vec) else features(vec)
    # einsum, not BLAS: a BLAS product here waits on its threads behind Tesseract
    hidden = np.maximum(np.einsum("i,ij->j", x, w1) + b1, 0.0)
    logits = np.einsum("i,ij->j", hidden, w2) + b2
    prefix = "e" if script == "eastern" else "l"
    keep = [i for i, c in enumerate(CLASSES) if c[0] == prefix or c == "/"]
    z = logits[keep] - logits[keep].max()
    p = np.exp(z) / np.exp(z).sum()
    out = [(label(CLASSES[i]), float(q)) for i, q in zip(keep, p, strict=True)]
    return sorted(out, key=lambda kv: -kv[1])
