"""A small Persian-digit classifier for single glyphs, second opinion to Tesseract.

Tesseract ``fas`` reads a lone Persian digit well most of the time but confuses ۲/۳, ۴/۵/۶
and ۷/۸ in some fonts (EVALUATION.md: 83–90 % of codes exact). Printed Persian digits are
few and simple, so we compare each glyph with templates rendered at start-up from the
Persian fonts installed with the package's system dependencies (fonts-farsiweb,
fonts-noto-core, fonts-dejavu-core: several faces, regular and bold), each also blurred
and re-binarised as a photo would: normalised 24 × 24 shape plus aspect ratio, nearest
neighbours by correlation. Scores become per-glyph alternatives for the
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
               "noto/NotoKufiArabic-Regular.ttf", "noto/NotoKufiArabic-Bold.ttf",
               "dejavu/DejaVuSans.ttf", "dejavu/DejaVuSans-Bold.ttf", "dejavu/DejaVuSansCondensed.ttf",
               "dejavu/DejaVuSansMono.ttf")
ROOT = Path("/usr/share/fonts/truetype")
_SIZES = (24, 40)  # 24 px is about a card digit's size in the warped card
# (Gaussian sigma, grey cut) of the degraded copies of each template; (0, 0) is the clean
# rendering. On generated cards (calibration seed 7) with the cards' fonts held out they
# took glyph errors from 34 to 1 in 2465, and the margin between the first two classes
# became a usable signal of doubt (``_glyphs``).
_DEGRADE = ((0.0, 0), (1.0, 128), (1.5, 100), (1.5, 160))


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


def _render(font: ImageFont.FreeTypeFont, ch: str, blur: float, cut: int) -> np.ndarray:
    img = Image.new("L", (120, 120), 255)
    ImageDraw.Draw(img).text((60, 60), ch, font=font, fill=0, anchor="mm")
    grey = np.asarray(img)
    if blur:  # as a photo blurs, then binarisation thins (low cut) or thickens (high cut)
        grey = np.where(cv2.GaussianBlur(grey, (0, 0), blur) < cut, 0, 255).astype(np.uint8)
    return grey


def _held_out() -> frozenset[str]:
    # Fonts left out of the templates, to measure (and test) reading an unfamiliar font.
    return frozenset(filter(None, os.environ.get("KYC_OCR_HOLDOUT_FONTS", "").lower().split(",")))


@lru_cache(maxsize=2)
def _bank(skip: frozenset[str]) -> tuple[np.ndarray, list[str]]:
    vectors, labels = [], []
    for rel in _FONT_FILES:
        path = ROOT / rel
        if not path.is_file() or path.stem.lower() in skip:
            continue
        for size in _SIZES:
            font = ImageFont.truetype(str(path), size)
            for ch in _CLASSES:
                for blur, cut in _DEGRADE:
                    vectors.append(shape(_render(font, ch, blur, cut)))
                    labels.append(ch)
    return np.stack(vectors), labels


def classify(bw: np.ndarray) -> list[tuple[str, float]]:
    """The glyph's classes, best first, with similarities 0..1."""
    return classify_shape(shape(bw))


def classify_shape(vec: np.ndarray) -> list[tuple[str, float]]:
    """As ``classify``, for a vector from ``shape``."""
    bank, labels = _bank(_held_out())
    sims = bank @ vec
    best: dict[str, float] = {}
    for sim, label in zip(sims.tolist(), labels, strict=True):
        best[label] = max(best.get(label, -1.0), sim)
    return sorted(((k, max(v, 0.0)) for k, v in best.items()), key=lambda kv: -kv[1])
