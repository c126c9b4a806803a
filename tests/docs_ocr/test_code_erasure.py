"""The national code's checksum and its one unsure digit (``fields._erasure``): the
checksum may confirm that digit as read, never change it, since with two other digits
misread with confidence some value of it passes the checksum by chance."""

from __future__ import annotations

import numpy as np

from kyc_sdk.docs_ocr._tess import Symbol
from kyc_sdk.docs_ocr.fields import national_code_field
from kyc_sdk.identifiers import national_code
from kyc_sdk.text import to_persian_digits

TRUTH = "1944750142"  # a valid code with two ۴ side by side


def _glyph(*choices: tuple[str, float], sure: bool) -> Symbol:
    persian = tuple((to_persian_digits(d), conf) for d, conf in choices)
    return Symbol(persian[0][0], persian[0][1], persian, sure=sure)


def _read(code: str, unsure: dict[int, tuple[tuple[str, float], ...]]) -> list[Symbol]:
    """Each digit of ``code`` read surely at 1.0, but those in ``unsure`` (its choices)."""
    return [
        _glyph(*unsure[i], sure=False)
        if i in unsure
        else _glyph((d, 1.0), (str((int(d) + 1) % 10), 0.0), sure=True)
        for i, d in enumerate(code)
    ]


def _fitting(code: str, position: int) -> list[str]:
    return [d for d in "0123456789" if national_code.is_valid(code[:position] + d + code[position + 1 :])]


def test_two_confident_misreads_and_one_unsure_digit_are_not_valid() -> None:
    # As an earlier reader read held-out seed 2026: a face whose ۴ both readers take for ۳ at 1.0, and
    # elsewhere one near-tie read right whose second choice happens to satisfy the checksum.
    misread = TRUTH[:2] + "33" + TRUTH[4:]
    position = 5
    assert not national_code.is_valid(misread)
    (fits,) = _fitting(misread, position)  # the checksum has exactly one way out here...
    assert fits != TRUTH[position]  # ...and it is not what the glyph shows
    field = national_code_field(_read(misread, {position: ((TRUTH[position], 0.80), (fits, 0.79))}))
    assert field.value != TRUTH
    assert not field.valid and field.confidence < 0.5


def test_an_unsure_digit_confirmed_by_the_checksum_as_read_is_valid() -> None:
    # What the erasure earns on honest reads: on tuning cards, each code made valid this way.
    field = national_code_field(_read(TRUTH, {5: (("5", 0.80), ("8", 0.79))}))
    assert (field.value, field.valid) == (TRUTH, True)
    assert field.confidence < national_code_field(_read(TRUTH, {})).confidence  # not read outright


def test_a_near_tie_misread_is_shown_fixed_but_not_valid() -> None:
    # The glyph read ۸ with ۵ a close second: the checksum's fix is shown, but only the
    # image could say that the other nine are right, so the caller asks for a new photo.
    misread = TRUTH[:5] + "8" + TRUTH[6:]
    assert _fitting(misread, 5) == [TRUTH[5]]
    field = national_code_field(_read(misread, {5: (("8", 0.80), ("5", 0.79))}))
    assert field.value == TRUTH and not field.valid and field.confidence < 0.5
    assert not national_code_field(_read(misread, {})).valid  # the misread glyph sure: a checksum fails


def test_eleven_digit_shaped_glyphs_are_never_a_valid_code() -> None:
    # Tuning card (Nazli, blurred, grouped by hyphens): a hyphen read as a sure ۰ made
    # eleven digits; the code's own first digit, unsure, was dropped as if a label's
    # letter, and the ten left passed the checksum by chance.
    truth, left = "3942004569", "9420045609"
    assert national_code.is_valid(left)
    first = Symbol("۲", 0.9, (("۲", 0.9), ("۳", 0.52)), sure=False, shape=np.ones(4), script="eastern")
    field = national_code_field([first, *_read(left, {})])
    assert field.value != truth and not field.valid and field.confidence < 0.5
    # A label's letter joined to the code, read by Tesseract alone (no digit's shape): dropped.
    letter = Symbol("۲", 0.9, (("۲", 0.9),), sure=False)
    assert national_code_field([letter, *_read(TRUTH, {})]) == national_code_field(_read(TRUTH, {}))
