"""A small Persian-digit classifier for single glyphs, second opinion to Tesseract.

Tesseract ``fas`` reads a lone Persian digit well most of the time but confuses ۲/۳, ۴/۵/۶
and ۷/۸ in some fonts (EVALUATION.md: 83–90 % of codes exact). Printed Persian digits are
few and simple, so we compare each glyph with templates rendered at start-up from the
Persian fonts installed with the package's system dependencies (fonts-farsiweb,
fonts-noto-core: several faces, regular and bold): normalised 24 × 24 shape plus aspect
ratio, nearest neighbours by correlation. Scores become per-glyph alternatives for the
checksum-constrained decode. Nothing is downloaded or trained offline.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

_SIDE = 24
_CLASSES = "۱۲۳۴۵۶۷۸۹/"  # ۰ is a dot, found by size before classification
_FONT_FILES = ("farsiweb/nazli.ttf", "farsiweb/nazlib.ttf", "farsiweb/titr.ttf",
               "noto/NotoNaskhArabic-Regular.ttf", "noto/NotoNaskhArabic-Bold.ttf",
               "noto/NotoSansArabic-Regular.ttf", "noto/NotoSansArabic-Bold.ttf",
               "noto/NotoKufiArabic-Regular.ttf")
ROOT = Path("/usr/share/fonts/truetype")


def shape(bw: np.ndarray) -> np.ndarray:
    """A glyph (black on white) as a unit vector: its ink box scaled into a square, centred."""
    ink = (bw < 128).astype(np.uint8)
    ys, xs = np.nonzero(ink)
    if len(xs) == 0:
        return np.zeros(_SIDE * _SIDE + 1, np.float32)
    ink = ink[ys.min():ys.max() + 1, xs.min():xs.max() + 1].astype(np.float32)
    h, w = ink.shape
    scale = (_SIDE - 2) / max(h, w)
    small = cv2.resize(ink, (max(1, round(w * scale)), max(1, round(h * scale))), interpolation=cv2.INTER_AREA)
    square = np.zeros((_SIDE, _SIDE), np.float32)
    y0, x0 = (_SIDE - small.shape[0]) // 2, (_SIDE - small.shape[1]) // 2
    square[y0:y0 + small.shape[0], x0:x0 + small.shape[1]] = small
    square = cv2.GaussianBlur(square, (3, 3), 0).ravel()
    vec = np.append(square - square.mean(), 4.0 * np.log(w / h))  # aspect tells ۱ from the rest
    return (vec / (np.linalg.norm(vec) or 1.0)).astype(np.float32)


def _render(font: ImageFont.FreeTypeFont, ch: str) -> np.ndarray:
    img = Image.new("L", (90, 90), 255)
    ImageDraw.Draw(img).text((45, 45), ch, font=font, fill=0, anchor="mm")
    return np.asarray(img)


@lru_cache(maxsize=1)
def _bank() -> tuple[np.ndarray, list[str]]:
    skip = set(filter(None, os.environ.get("KYC_OCR_HOLDOUT_FONTS", "").split(",")))
    vectors, labels = [], []
    for rel in _FONT_FILES:
        path = ROOT / rel
        if not path.is_file() or path.stem.lower() in skip:
            continue
        for size in (28, 40):
            font = ImageFont.truetype(str(path), size)
            for ch in _CLASSES:
                vectors.append(shape(_render(font, ch)))
                labels.append(ch)
    return np.stack(vectors), labels


def classify(bw: np.ndarray) -> list[tuple[str, float]]:
    """The glyph's classes, best first, with similarities 0..1."""
    bank, labels = _bank()
    sims = bank @ shape(bw)
    best: dict[str, float] = {}
    for sim, label in zip(sims.tolist(), labels, strict=True):
        best[label] = max(best.get(label, -1.0), sim)
    return sorted(((k, max(v, 0.0)) for k, v in best.items()), key=lambda kv: -kv[1])
