"""A learned digit classifier: second opinion to the nearest templates of ``_digits``.

Fitted by ``benchmarks/train_digits.py`` on digits rendered from many faces under
capture damage and shipped as ``digitnet.npz`` (numpy only at run time, nothing
downloaded). Templates know a face they hold and misread one they do not; a model fitted
across faces learns the digit's form, which carries to a new face better.

Two networks, each a weights file told apart by its arrays: one hidden layer over the
templates' 24 × 24 shape (``_digits.shape``, ``digitnet.npz``), and a small convolutional
one over the glyph at 32 × 32 (``fine``: its ink box scaled with its aspect kept, plus that
aspect; ``digitcnn.npz``), which sees stroke detail the shape's blur and coarser grid lose.
They err on different glyphs, so they are asked together: a value is as probable as the
less convinced of them finds it (``probabilities``), and a glyph is backed only when both
name it. ``features`` gives the glyph as every network reads it, so a line is measured once.

Classes are glyph forms, not values: Persian ``۰``–``۹`` share forms with Latin ``0``–``9``
only in part (Persian ۵ is an oval like Latin 0), so each script has its own classes
and a line's script keeps only its own (``probabilities``). ``KYC_OCR_DIGIT_MODEL``
names other weights files, separated by ``os.pathsep`` (leave-one-font-out models in
development; one file alone is one opinion).
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

import cv2
import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

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
_SHIPPED = (Path(__file__).with_name("digitnet.npz"), Path(__file__).with_name("digitcnn.npz"))
_SHAPE = 24 * 24 + 1  # ``_digits.shape``'s length: the first part of ``features``
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


def _paths() -> tuple[str, ...]:
    named = os.environ.get("KYC_OCR_DIGIT_MODEL")
    found = named.split(os.pathsep) if named else [str(p) for p in _SHIPPED]
    return tuple(p for p in found if Path(p).is_file())


def available() -> bool:
    return bool(_paths())


def features(bw: np.ndarray, shape: np.ndarray | None = None) -> np.ndarray:
    """The glyph as every network reads it: ``_digits.shape`` (``shape`` when measured
    already), then ``fine``."""
    return np.concatenate([_digits.shape(bw) if shape is None else shape, fine(bw)])


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
        shape = x[:_SHAPE].astype(np.float32)
        hidden = np.maximum(np.einsum("i,ij->j", shape, p["w1"]) + p["b1"], 0.0)
        return np.einsum("i,ij->j", hidden, p["w2"]) + p["b2"]
    x = x[-(FINE * FINE + 1) :]
    image = x[:-1].reshape(FINE, FINE, 1).astype(np.float32)
    # BLAS products on one thread: with its threads they waited behind Tesseract's on two
    # busy cores (12 ms for the second convolution, 0.08 ms on one thread)
    with _digits.one_blas_thread():
        for k in range(1, _CONVS + 1):
            image = _conv_relu_pool(image, p[f"c{k}w"], p[f"c{k}b"])
        flat = np.append(image.ravel(), x[-1])
        hidden = np.maximum(flat @ p["d1w"] + p["d1b"], 0.0)
        return hidden @ p["d2w"] + p["d2b"]


def probabilities(x: np.ndarray, script: str) -> list[tuple[str, float]]:
    """The glyph's values under ``script`` (``eastern`` or ``latin``), best first: each
    value's least probability over the networks (each network's sums to 1 over that
    script's classes and the slash), so a value comes first at 0.8 only when every network
    gives it 0.8; ``x`` from ``features``. What may make a glyph sure: each network's
    logits divided by its ``temperature`` when its weights file carries one (a network
    fitted on some faces is over-sure on a face unlike them; the temperature is the one
    that made its probabilities honest on faces left out of a fit, ``train_digits.py
    --score``), so a glyph the network was not trained near is refused, not vouched for."""
    return _ranked(_each(x, script, calibrated=True).min(axis=0), script)


def shown_probabilities(x: np.ndarray, script: str) -> list[tuple[str, float]]:
    """As ``probabilities``, by the convolutional network alone when one is loaded: what a
    glyph is shown as. Its best guess is right far more often (tuning cards, each face out
    of the templates and both fits: 5 digits of code and dates shown wrong of 1,710 against
    27 by the one-layer network, and 19 by the mean of the two); the least of the two would
    rank a value neither is sure of by the weaker reader."""
    each, kinds = _each(x, script), [_convolutional(p) for p in _paths()]
    return _ranked((each[kinds] if any(kinds) else each).mean(axis=0), script)


def _convolutional(path: str) -> bool:
    return "c1w" in _weights(path)


def _keep(script: str) -> list[int]:
    prefix = "e" if script == "eastern" else "l"
    return [i for i, c in enumerate(CLASSES) if c[0] == prefix or c == "/"]


def _each(x: np.ndarray, script: str, calibrated: bool = False) -> np.ndarray:
    # one row per network: its softmax over the script's classes and the slash; what is
    # shown keeps the network's own scale (its best guess is the same, and the shown value
    # weighs it against the templates as it was measured to)
    keep = _keep(script)
    rows = []
    for path in _paths():
        weights = _weights(path)
        logits = _logits(x, weights)[keep]
        if calibrated and "temperature" in weights:
            logits = logits / float(weights["temperature"])
        z = np.exp(logits - logits.max())
        rows.append(z / z.sum())
    return np.stack(rows)


def _ranked(p: np.ndarray, script: str) -> list[tuple[str, float]]:
    out = [(label(CLASSES[i]), float(q)) for i, q in zip(_keep(script), p, strict=True)]
    return sorted(out, key=lambda kv: -kv[1])
