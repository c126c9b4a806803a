"""Dates printed with any separator, and cards a shadow hid from the locator (issue 13)."""

from __future__ import annotations

import random

import numpy as np
import pytest

from kyc_sdk.docs_ocr import _glyphs, _tess, synth
from kyc_sdk.docs_ocr.fields import date_field
from kyc_sdk.docs_ocr.national_card import _decoded, read_front
from kyc_sdk.imaging import load_rgb
from kyc_sdk.text import normalize_digits
from tests.docs_ocr.printed import DEJAVU, NAZLI, digit_line


@pytest.mark.parametrize(
    ("printed", "font", "expected"),
    [
        ("۱۳۶۰.۰۸.۰۱", NAZLI, "1360/08/01"),  # stops beside Persian ۰, a dot of their size
        ("۱۳۶۰ ۰۱ ۱۱", NAZLI, "1360/01/11"),
        ("۱۳۶۵-۰۴-۲۶", NAZLI, "1365/04/26"),
        ("1365.04.26", DEJAVU, "1365/04/26"),
        ("1311 01 11", DEJAVU, "1311/01/11"),
        ("1311-01-11", DEJAVU, "1311/01/11"),
    ],
)
def test_a_date_is_split_where_its_separators_were(printed: str, font: str, expected: str) -> None:
    text, symbols = _glyphs.read_digits(digit_line(printed, font))
    field = date_field(symbols, text, (1300, 1420))
    assert (field.value, field.valid) == (expected, True)


def test_a_stop_on_the_baseline_is_not_read_as_a_persian_zero() -> None:
    text, _ = _glyphs.read_digits(digit_line("۱۳۶۰.۰۸.۰۱", NAZLI))
    assert text == "۱۳۶۰.۰۸.۰۱"


@pytest.mark.parametrize("printed", ["۱۳۶۵-۰۴۲۶", "۱۳۶۵۰۴۲۶", "۱۳۶-۵۰۴-۲۶"])
def test_a_date_whose_separators_do_not_part_four_two_two_is_never_valid(printed: str) -> None:
    # A separator lost (merged into a digit, or too faint) leaves the digits' places
    # unknown: shown as the likeliest date, never valid.
    text, symbols = _glyphs.read_digits(digit_line(printed, NAZLI))
    field = date_field(symbols, text, (1300, 1420))
    assert not field.valid and field.confidence < 0.5


@pytest.mark.slow
@pytest.mark.parametrize("seed", [0, 5])
def test_a_card_half_in_shadow_on_a_checked_table_is_read(seed: int) -> None:
    # Both were lost whole: the brightness cut kept only the lit half of the card, and
    # the table's checks broke its edges' outline.
    rng = random.Random(seed)
    person = synth.random_person(rng)
    card = synth.render_national_card(person, style=synth.CardStyle(font="nazli"), rng=rng)
    front = read_front(load_rgb(synth.photograph(card, rng=rng, shadow=0.55, rotate=4.0)))
    assert front.found
    assert front.fields["national_code"].value == person.national_code
    assert front.fields["birth_date"].value == person.birth_date


def test_a_date_is_shown_from_its_glyphs_as_the_card_confirmed_them() -> None:
    # Development card (Lalezar, seed 4500 #35, spaces between the date's parts unseen):
    # both short rings were read ۵, and the card's print made them ۰ (no full-height ۵,
    # no dots: ``_glyphs._short_rings``), unsure. The date was split from the text read
    # before that, and shown as 1338/53/57.
    def glyph(text: str, ring: bool = False) -> _tess.Symbol:
        shape = np.eye(10)[int(normalize_digits(text))]
        choices = ((text, 0.95), ("۶", 0.3))
        return _tess.Symbol(
            text, 0.95, choices, sure=not ring, shape=shape, script="eastern", size=0.5 if ring else None
        )

    symbols = [glyph(c, ring=c == "۵") for c in "۱۳۳۸۵۳۵۷"]
    field = _decoded({"birth_date": ("".join(s.text for s in symbols), symbols)})["birth_date"]
    assert (field.value, field.valid) == ("1338/03/07", False)
