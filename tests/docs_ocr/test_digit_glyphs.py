"""Single glyphs of a line of digits: what may be a sure digit (``_glyphs``)."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from kyc_sdk.docs_ocr import _glyphs

NAZLI = "/usr/share/fonts/truetype/farsiweb/nazli.ttf"


def _line(text: str, mark: tuple[int, int] | None = None) -> np.ndarray:
    """``text`` in Nazli at 48 px, black on white; ``mark`` (w, h): a filled box of that
    size drawn on the baseline's middle after the text, as a short mark between digits."""
    face = ImageFont.truetype(NAZLI, 48)
    img = Image.new("L", (60 + 40 * len(text) + 60, 90), 255)
    draw = ImageDraw.Draw(img)
    x = 20
    for ch in text:
        draw.text((x, 15), ch, font=face, fill=0)
        x += int(face.getlength(ch)) + 4
    if mark:
        w, h = mark
        draw.rectangle((x + 8, 55 - h, x + 8 + w - 1, 55 - 1), fill=0)
    return np.where(np.asarray(img) < 128, 0, 255).astype(np.uint8)


def _height(bw: np.ndarray) -> float:
    return _glyphs.measure(bw).height


@pytest.mark.slow  # draws the digit templates (seconds)
def test_a_round_dot_is_a_sure_zero_and_a_flat_or_thin_mark_is_not() -> None:
    height = _height(_line("۲۳۴۵۶"))
    side = round(0.3 * height)
    for (w, h), sure in (
        ((side, side), True),  # a zero: as wide as high
        ((round(0.68 * height), round(0.38 * height)), False),  # a thick hyphen, too tall for a separator
        ((max(1, round(0.1 * height)), round(0.4 * height)), False),  # a tick
    ):
        _, symbols = _glyphs.read(_line("۲۳۴۵۶", (w, h)), "fas")
        assert symbols[-1].text == "۰", (w, h)
        assert symbols[-1].sure is sure, (w, h)
