"""A learned digit classifier: second opinion to the nearest templates of ``_digits``.

Fitted by ``benchmarks/train_digits.py`` on digits rendered from many faces under
capture damage and shipped as ``digitnet.npz`` (numpy only at run time, nothing
downloaded). Templates know a face they hold and misread one they do not; a model fitted
across faces learns the digit's form, which carries to a new face better.

Two kinds of weights file, told apart by their arrays: a network with one hidden layer
over the templates' 24 × 24 shape (``_digits.shape``), or a small convolutional one over
the glyph at 32 × 32 (``fine``: its ink box scaled with its aspect kept, plus that aspect),
which sees stroke detail the shape's blur and smaller grid lose. ``features`` gives the
input the loaded file reads, so a line is measured once whichever is loaded.

Classes are glyph forms, not values: Persian ``۰``–``۹`` share forms with Latin ``0``–``9``
only in part (Persian ۵ is an oval like Latin 0), so each script has its own classes
and a line's script keeps only its own (``probabilities``). ``KYC_OCR_DIGIT_MODEL``
names another weights file (a leave-one-font-out model in development).
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

import cv2
import numpy as np
from numpy.lib.stride_tricks import sliding_window_view
from threadpoolctl import ThreadpoolController

from . import _digits

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
FINE = 32  # the convolutional network's input side
_CONVS = 3  # its 3 × 3 convolutions, each followed by a 2 × 2 max-pool


def label(cls: str) -> str:
    """The value a class stands for, as ``_digits`` labels it (a Persian digit or "/")."""
    return "/" if cls == "/" else _PERSIAN[int(cls[1])]


def fine(bw: np.ndarray) -> np.ndarray:
    """A glyph (black on white) as the convolutional network reads it: ink 0..1 in a
    ``FINE`` square, its ink box scaled (aspect kept) to two pixels short of the side and
    centred, then the log of its width over height (a ۱ is a stroke whatever its scale)."""
    ink = (bw < 128).astype(np.float32)
    ys, xs = np.nonzero(ink)
    out = np.zeros(FINE * FINE + 1, np.float32)
    if len(xs) == 0:
        return out
    ink = ink[ys.min() : ys.max() + 1, xs.min() : xs.max() + 1]
    h, w = ink.shape
    scale = (FINE - 4) / max(h, w)
    size = (max(1, round(w * scale)), max(1, round(h * scale)))
    small = cv2.resize(ink, size, interpolation=cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR)
    square = out[:-1].reshape(FINE, FINE)
    y0, x0 = (FINE - small.shape[0]) // 2, (FINE - small.shape[1]) // 2
    square[y0 : y0 + small.shape[0], x0 : x0 + small.shape[1]] = small
    out[-1] = np.log(w / h)
    return out


@lru_cache(maxsize=8)
def _weights(path: str) -> dict[str, np.ndarray]:
    with np.load(path, allow_pickle=False) as npz:
        return {k: npz[k] for k in npz.files}


def _path() -> str:
    return str(os.environ.get("KYC_OCR_DIGIT_MODEL") or _SHIPPED)


def available() -> bool:
    return Path(_path()).is_file()


def convolutional() -> bool:
    """Whether the loaded weights are the convolutional network's."""
    return "c1w" in _weights(_path())


def features(bw: np.ndarray) -> np.ndarray:
    """The glyph as the loaded classifier reads it (``fine`` or ``_digits.shape``)."""
    return fine(bw) if convolutional() else _digits.shape(bw)


def _conv_relu_pool(x: np.ndarray, w: np.ndarray, b: np.ndarray) -> np.ndarray:
    # x (H, W, C), w (3, 3, C, O): a "same" 3 × 3 convolution as one product over the
    # image's 3 × 3 patches, rectified, then a 2 × 2 max-pool.
    h, wd, c = x.shape
    patches = sliding_window_view(np.pad(x, ((1, 1), (1, 1), (0, 0))), (3, 3), axis=(0, 1))
    cols = np.ascontiguousarray(patches.transpose(0, 1, 3, 4, 2)).reshape(h * wd, 9 * c)
    y = np.maximum(cols @ w.reshape(9 * c, -1) + b, 0.0).reshape(h, wd, -1)
    return y.reshape(h // 2, 2, wd // 2, 2, -1).max(axis=(1, 3))


def _logits(x: np.ndarray, p: dict[str, np.ndarray]) -> np.ndarray:
    if "c1w" not in p:
        hidden = np.maximum(np.einsum("i,ij->j", x.astype(np.float32), p["w1"]) + p["b1"], 0.0)
        return np.einsum("i,ij->j", hidden, p["w2"]) + p["b2"]
    image = x[:-1].reshape(FINE, FINE, 1).astype(np.float32)
    # BLAS products on one thread: with its threads they waited behind Tesseract's on two
    # busy cores (12 ms for the second convolution, 0.08 ms on one thread)
    with _blas().limit(limits=1, user_api="blas"):
        for k in range(1, _CONVS + 1):
            image = _conv_relu_pool(image, p[f"c{k}w"], p[f"c{k}b"])
        flat = np.append(image.ravel(), x[-1])
        hidden = np.maximum(flat @ p["d1w"] + p["d1b"], 0.0)
        return hidden @ p["d2w"] + p["d2b"]


@lru_cache(maxsize=1)
def _blas() -> ThreadpoolController:
    return ThreadpoolController()


def probabilities(x: np.ndarray, script: str) -> list[tuple[str, float]]:
    """The glyph's values under ``script`` (``eastern`` or ``latin``), best first, with
    probabilities summing to 1 over that script's classes and the slash; ``x`` from
    ``features``."""
    logits = _logits(x, _weights(_path()))
    prefix = "e" if script == "eastern" else "l"
    keep = [i for i, c in enumerate(CLASSES) if c[0] == prefix or c == "/"]
    z = logits[keep] - logits[keep].max()
    p = np.exp(z) / np.exp(z).sum()
    out = [(label(CLASSES[i]), float(q)) for i, q in zip(keep, p, strict=True)]
    return sorted(out, key=lambda kv: -kv[1])
