"""A small digit classifier for single glyphs (Persian, Arabic-Indic and Latin forms),
second opinion to Tesseract.

Tesseract ``fas`` reads a lone Persian digit well most of the time but confuses ۲/۳, ۴/۵/۶
and ۷/۸ in some fonts (docs/evaluation.md: 83–90 % of codes exact). Printed Persian digits are
few and simple, so we compare each glyph with templates rendered at start-up from the
Persian fonts installed with the package's system dependencies (fonts-farsiweb,
fonts-noto-core, fonts-dejavu-core: several faces, regular and bold), each also blurred
and re-binarised as a photo would: normalised 24 × 24 shape plus aspect ratio, nearest
neighbours by correlation. Scores become per-glyph alternatives for the
checksum-constrained decode. The templates are drawn at start-up, not trained; the
learned second opinion for Eastern digits is ``_digitnet`` (``_glyphs._symbol``).

Two banks: ``eastern`` (Persian digits and the Arabic-Indic ٤ ٥ ٦) and ``latin``, each
drawn from every installed face that has the glyphs (the Persian faces of
``synth.PERSIAN_FONTS`` too). Cards print Latin digits more and more, and ``fas`` reads
them as nothing useful (docs/evaluation.md: 0 %); a line is read with the bank its glyphs
match better (``_glyphs.read_digits``).
"""

from __future__ import annotations

import os
from functools import lru_cache
from typing import Any

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont
from threadpoolctl import ThreadpoolController

from . import fonts

_SIDE = 24
# Eastern digits: Persian ۱–۹ and the Arabic-Indic forms that differ (٤ ٥ ٦), each
# labelled by its Persian digit (a glyph is a value, whichever form printed it). ۰ and
# ٠ are dots, found by size before classification.
_EASTERN = {**{ch: ch for ch in "۱۲۳۴۵۶۷۸۹/"}, "٤": "۴", "٥": "۵", "٦": "۶"}
# Latin digits, labelled by the Persian digit of the same value (one label set for
# ``fields``); "0" is a full-height oval, not a dot.
_LATIN = {**{str(d): "۰۱۲۳۴۵۶۷۸۹"[d] for d in range(10)}, "/": "/"}
SCRIPTS = {"eastern": _EASTERN, "latin": _LATIN}
ROOT = fonts.ROOT
# The Persian faces drawn: tuning, held-out (each left out while a card in it is read,
# ``_held_out``) and training-only ones; never a later held-out group (``fonts``).
_PERSIAN_FILES = fonts.files("tune", "held-out", "train")
_LATIN_FILES = (
    "truetype/dejavu/DejaVuSans.ttf",
    "truetype/dejavu/DejaVuSans-Bold.ttf",
    "truetype/dejavu/DejaVuSansCondensed.ttf",
    "truetype/dejavu/DejaVuSansMono.ttf",
    "truetype/noto/NotoSans-Regular.ttf",
    "truetype/noto/NotoSans-Bold.ttf",
    "truetype/noto/NotoMono-Regular.ttf",
)
# Which files render each script's templates: every installed face that has the glyphs
# (a face without Latin digits draws .notdef boxes, which would teach nothing).
_FONT_FILES = {
    "eastern": (
        *_PERSIAN_FILES,
        "truetype/dejavu/DejaVuSans.ttf",
        "truetype/dejavu/DejaVuSans-Bold.ttf",
        "truetype/dejavu/DejaVuSansCondensed.ttf",
        "truetype/dejavu/DejaVuSansMono.ttf",
    ),
    "latin": (*_LATIN_FILES, *_PERSIAN_FILES),
}
_SIZES = (24, 40)  # 24 px is about a card digit's size in the warped card
# (Gaussian sigma, grey cut) of the degraded copies of each template; (0, 0) is the clean
# rendering. On generated cards (calibration seed 7) with the cards' fonts held out they
# took glyph errors from 34 to 1 in 2465, and the margin between the first two classes
# became a usable signal of doubt (``_glyphs``).
_DEGRADE = ((0.0, 0), (1.0, 128), (1.5, 100), (1.5, 160))


def shape(bw: np.ndarray) -> np.ndarray:
    """A glyph (black on white) as a unit vector: its ink box scaled into a square, centred."""
    ink = (bw < 128).astype(np.uint8)
    x, y, w, h = cv2.boundingRect(ink)  # the ink's box (a third faster than np.nonzero)
    if w == 0:
        return np.zeros(_SIDE * _SIDE + 1, np.float32)
    ink = ink[y : y + h, x : x + w].astype(np.float32)
    scale = (_SIDE - 2) / max(h, w)
    small = cv2.resize(
        ink, (max(1, round(w * scale)), max(1, round(h * scale))), interpolation=cv2.INTER_AREA
    )
    square = np.zeros((_SIDE, _SIDE), np.float32)
    y0, x0 = (_SIDE - small.shape[0]) // 2, (_SIDE - small.shape[1]) // 2
    square[y0 : y0 + small.shape[0], x0 : x0 + small.shape[1]] = small
    pixels = cv2.GaussianBlur(square, (3, 3), 0).ravel()
    vec = np.append(pixels - pixels.mean(), 4.0 * np.log(w / h))  # aspect tells ۱ from the rest
    return (vec / (np.linalg.norm(vec) or 1.0)).astype(np.float32)


def _render(font: ImageFont.FreeTypeFont, ch: str, blur: float, cut: int) -> np.ndarray:
    img = Image.new("L", (120, 120), 255)
    ImageDraw.Draw(img).text((60, 60), ch, font=font, fill=0, anchor="mm")
    grey = np.asarray(img)
    if blur:  # as a photo blurs, then binarisation thins (low cut) or thickens (high cut)
        grey = np.where(cv2.GaussianBlur(grey, (0, 0), blur) < cut, 0, 255).astype(np.uint8)
    return grey


def _held_out() -> frozenset[str]:
    # Font families left out of the templates, to measure (and test) reading an
    # unfamiliar font: a file is left out when its name starts with one of these.
    return frozenset(filter(None, os.environ.get("KYC_OCR_HOLDOUT_FONTS", "").lower().split(",")))


def has_glyph(font: ImageFont.FreeTypeFont, ch: str) -> bool:
    """Whether ``font`` draws ``ch``: PIL draws a character the font lacks as its .notdef
    box, as it draws a noncharacter (the card generator asks the same)."""
    return bytes(font.getmask(ch)) != bytes(font.getmask("\uffff"))


@lru_cache(maxsize=32)
def _bank(script: str, skip: frozenset[str]) -> tuple[np.ndarray, list[str], np.ndarray]:
    # Templates grouped by label, with each group's first row: one reduceat per glyph.
    vectors: dict[str, list[np.ndarray]] = {}
    for rel in _FONT_FILES[script]:
        path = ROOT / rel
        if not path.is_file() or any(path.stem.lower().startswith(s) for s in skip):
            continue
        for size in _SIZES:
            font = ImageFont.truetype(str(path), size)
            for ch, label in SCRIPTS[script].items():
                if not has_glyph(font, ch):
                    continue
                for blur, cut in _DEGRADE:
                    vectors.setdefault(label, []).append(shape(_render(font, ch, blur, cut)))
    labels = sorted(vectors)
    starts = np.cumsum([0] + [len(vectors[k]) for k in labels[:-1]])
    return np.stack([v for k in labels for v in vectors[k]]), labels, starts


def classify(bw: np.ndarray, script: str = "eastern") -> list[tuple[str, float]]:
    """The glyph's classes, best first, with similarities 0..1."""
    return classify_shape(shape(bw), script)


def classify_shape(vec: np.ndarray, script: str = "eastern") -> list[tuple[str, float]]:
    """As ``classify``, for a vector from ``shape``: one entry per value (Persian digit
    or "/"), whichever of the script's forms matched it best."""
    return classify_shapes([vec], script)[0]


def classify_shapes(vecs: list[np.ndarray], script: str = "eastern") -> list[list[tuple[str, float]]]:
    """``classify_shape`` of each vector, a line's glyphs scored in one product: on one
    BLAS thread, since BLAS's own threads waited behind Tesseract's on two busy cores
    (20 ms a glyph), and one matrix product beats a glyph-by-glyph ``einsum`` about
    threefold (0.16 against 0.57 ms a glyph against 3,176 templates)."""
    if not vecs:
        return []
    bank, labels, starts = _bank(script, _held_out())
    with one_blas_thread():
        scores = bank @ np.stack(vecs).astype(bank.dtype, copy=False).T
    best = np.maximum.reduceat(scores, starts, axis=0)
    return [
        sorted(((k, max(float(v), 0.0)) for k, v in zip(labels, column, strict=True)), key=lambda kv: -kv[1])
        for column in best.T
    ]


def one_blas_thread() -> Any:
    """A context in which numpy's BLAS runs on one thread (products of a glyph's size)."""
    return _blas().limit(limits=1, user_api="blas")


@lru_cache(maxsize=1)
def _blas() -> ThreadpoolController:
    return ThreadpoolController()
