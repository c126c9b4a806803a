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


def _line_with_small(text: str, small: str, scale: float) -> np.ndarray:
    """``text`` in Nazli at 48 px, then ``small`` at ``scale`` of that size on the same
    baseline; a "." in ``text`` is Nazli's dot zero."""
    face, little = ImageFont.truetype(NAZLI, 48), ImageFont.truetype(NAZLI, round(48 * scale))
    img = Image.new("L", (60 + 40 * (len(text) + 1) + 60, 90), 255)
    draw = ImageDraw.Draw(img)
    x = 20
    # Nazli's ۰ is a dot at the digits' middle (a dot on the baseline is a stop)
    for ch in text.replace(".", "۰"):
        draw.text((x, 60), ch, font=face, fill=0, anchor="ls")
        x += int(face.getlength(ch)) + 4
    draw.text((x, 60), small, font=little, fill=0, anchor="ls")  # the same advance as the rest: no space
    return np.where(np.asarray(img) < 128, 0, 255).astype(np.uint8)


def _read(text: str, small: str, scale: float) -> list:
    """The line read, then checked as a card's only line (``confirm_by_peers``)."""
    return _glyphs.confirm_by_peers([_glyphs.read(_line_with_small(text, small, scale), "fas")[1]])[0]


@pytest.mark.slow  # draws the digit templates (seconds)
def test_a_glyph_shorter_than_its_lines_digits_is_never_sure() -> None:
    # The shape both readers see is scaled to its box: a glyph's size never reaches them.
    full = _read("۲۳۴۶", "۲", 1.0)
    assert [s.text for s in full] == list("۲۳۴۶۲")
    assert full[-1].sure  # Nazli's ۲ at the line's height is read surely
    short = _read("۲۳۴۶", "۲", 0.7)
    assert short[-1].text == "۲"
    assert not short[-1].sure


@pytest.mark.slow  # draws the digit templates (seconds)
def test_a_short_ring_is_a_five_only_where_the_cards_zeros_are_dots() -> None:
    # A face's large ring ۰ (0.56 of its digits in Lalezar) was read as ۵ by both readers,
    # surely; an Arabic-Indic ٥ is a ring of 0.76-0.9 of the digits in some faces.
    assert _read("۲۳۴۶", "۵", 1.0)[-1].sure  # a full-height ۵
    ring = _read("۲۳۴۶", "۵", 0.7)[-1]  # no dot zero on the card: the ring is its ۰
    assert (ring.text, ring.sure) == ("۰", False)
    assert [c for c, _ in ring.choices[:2]] == ["۰", "۵"]
    dots = _read("۲۳.۴۶", "۵", 0.7)  # the card's zeros are dots: the ring is a ٥
    assert [s.text for s in dots] == list("۲۳۰۴۶۵")
    assert dots[-1].sure
    beside = _read("۲۳.۵۶", "۵", 0.7)  # a full-height ۵ on the card: the ring is not its ۵
    assert beside[3].sure
    assert (beside[-1].text, beside[-1].sure) == ("۰", False)
