"""A digit glyph that no template matches (a face unlike every template, as Kufi faces
are): the convolutional network's reading is shown, never sure (``_glyphs._net_shown``)."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from kyc_sdk.docs_ocr import _digitnet, _digits, _glyphs, _tess

from .test_digit_networks import _logit_file

NOTO_SANS = "/usr/share/fonts/truetype/noto/NotoSansArabic-Regular.ttf"


def _unmatched_line(text: str) -> tuple[np.ndarray, _glyphs.Line]:
    """``text`` drawn as a line, measured with every template scoring each glyph under
    ``_SHAPE_MATCH`` (what a Changa ۳ or ۴ scores: 0.42-0.49)."""
    face = ImageFont.truetype(NOTO_SANS, 40)
    img = Image.new("L", (40 + 34 * len(text), 80), 255)
    draw = ImageDraw.Draw(img)
    for i, ch in enumerate(text):
        draw.text((20 + 34 * i, 40), ch, font=face, fill=0, anchor="lm")
    bw = np.where(np.asarray(img) < 128, 0, 255).astype(np.uint8)
    found = _glyphs.boxes(bw)
    shapes = [_digits.shape(bw[:, x : x + w]) for x, _, w, _ in found]
    low = [[("۲", 0.47), ("۳", 0.45), ("۷", 0.4)] for _ in found]
    height = float(np.median([b[3] for b in found]))
    nets = [_digitnet.features(bw[:, x : x + w], s) for (x, _, w, _), s in zip(found, shapes, strict=True)]
    return bw, _glyphs.Line(bw, found, height, list(shapes), low, low, list(nets))


def _tesseract_reads(monkeypatch: pytest.MonkeyPatch, char: str) -> list[int]:
    calls: list[int] = []

    def alone(*args: object, **kwargs: object) -> tuple[str, float, list[_tess.Symbol]]:
        calls.append(1)
        return char, 0.7, [_tess.Symbol(char, 0.7, ((char, 0.7),))]

    monkeypatch.setattr(_tess, "read_line", alone)
    return calls


def test_the_convolutional_networks_reading_is_shown_unsure_where_no_template_matches(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the convolutional network reads ۴; the one-layer network (which reads the templates'
    # shape and fails the same faces) says ۷ and does not block it
    cnn = _logit_file(tmp_path / "cnn.npz", {"۴": 6.0, "۳": 3.0}, convolutional=True)
    mlp = _logit_file(tmp_path / "mlp.npz", {"۷": 8.0}, convolutional=False)
    monkeypatch.setenv("KYC_OCR_DIGIT_MODEL", os.pathsep.join((cnn, mlp)))
    calls = _tesseract_reads(monkeypatch, "ب")
    bw, line = _unmatched_line("۱۲۳")
    symbols = [s for s in _glyphs.read(bw, "fas", line)[1] if not _glyphs.is_mark(s)]
    assert [s.text for s in symbols] == ["۴", "۴", "۴"]
    assert not any(s.sure for s in symbols)
    assert [c for c, _ in symbols[0].choices[:2]] == ["۴", "۳"]  # the decode's alternatives
    assert not calls  # Tesseract is not asked


def test_a_hesitating_network_leaves_the_glyph_to_tesseract_unless_it_reads_a_letter(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cnn = _logit_file(tmp_path / "cnn.npz", {"۴": 1.0, "۳": 0.9, "۲": 0.8}, convolutional=True)
    monkeypatch.setenv("KYC_OCR_DIGIT_MODEL", cnn)
    bw, line = _unmatched_line("۱۲")
    calls = _tesseract_reads(monkeypatch, "۶")
    symbols = [s for s in _glyphs.read(bw, "fas", line)[1] if not _glyphs.is_mark(s)]
    assert [s.text for s in symbols] == ["۶", "۶"] and len(calls) == 2
    # a letter in a line of digits is surely wrong: the network's hesitant digit is shown
    _tesseract_reads(monkeypatch, "ب")
    symbols = [s for s in _glyphs.read(bw, "fas", line)[1] if not _glyphs.is_mark(s)]
    assert [s.text for s in symbols] == ["۴", "۴"]
    assert not any(s.sure for s in symbols)
