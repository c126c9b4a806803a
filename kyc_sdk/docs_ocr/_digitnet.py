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


def probabilities(vec: np.ndarray, script: str) -> list[tuple[str, float]]:
    """The glyph's values under ``script`` (``eastern`` or ``latin``), best first, with
    probabilities summing to 1 over that script's classes and the slash."""
    w1, b1, w2, b2 = _weights(str(os.environ.get("KYC_OCR_DIGIT_MODEL") or _SHIPPED))
    # einsum, not BLAS: a BLAS product here waits on its threads behind Tesseract
    hidden = np.maximum(np.einsum("i,ij->j", vec.astype(np.float32), w1) + b1, 0.0)
    logits = np.einsum("i,ij->j", hidden, w2) + b2
    prefix = "e" if script == "eastern" else "l"
    keep = [i for i, c in enumerate(CLASSES) if c[0] == prefix or c == "/"]
    z = logits[keep] - logits[keep].max()
    p = np.exp(z) / np.exp(z).sum()
    out = [(label(CLASSES[i]), float(q)) for i, q in zip(keep, p, strict=True)]
    return sorted(out, key=lambda kv: -kv[1])
