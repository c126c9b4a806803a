"""A card's digit line cut into glyphs where a blur joined or rounded them, and a card
read the right way up: development cards (tuning fonts, ``benchmarks/ocr_eval.py``
draws) that read wrong before."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from kyc_sdk.docs_ocr import _glyphs, read_national_card
from kyc_sdk.docs_ocr.fields import national_code_field
from kyc_sdk.imaging import load_rgb
from tests.docs_ocr.printed import digit_line

# The code line of a blurred Noto Naskh card grouped by hyphens (seed 4400, card 21), its
# glyphs' boxes as measured: 19 px digits, the hyphens 9 x 5 px at glyphs 3 and 10, the ۰
# dots 7 x 7.
BLURRED_HYPHENS = [
    (25, 19, 7, 19),
    (35, 19, 12, 19),
    (49, 19, 13, 19),
    (64, 26, 9, 5),
    (74, 20, 13, 19),
    (90, 19, 13, 19),
    (106, 19, 14, 19),
    (122, 19, 14, 20),
    (138, 27, 7, 7),
    (149, 19, 13, 19),
    (163, 26, 9, 5),
    (175, 27, 7, 7),
]


def _line(boxes: list[tuple[int, int, int, int]]) -> _glyphs.Line:
    n = len(boxes)
    return _glyphs.Line(
        np.full((60, 209), 255, np.uint8), boxes, 19.0, [None] * n, [[]] * n, [[]] * n, [None] * n
    )


def _marks(boxes: list[tuple[int, int, int, int]]) -> list[str | None]:
    line = _line(boxes)
    band = _glyphs._digit_band(line)
    return _glyphs._grouping_hyphens(line, [_glyphs._printed_mark(b, line, band, "eastern") for b in boxes])


def test_blurred_hyphens_where_a_grouped_code_prints_them_are_hyphens() -> None:
    marks = _marks(BLURRED_HYPHENS)
    assert [i for i, m in enumerate(marks) if m] == [3, 10] and set(marks) == {None, "-"}


def test_a_flat_blob_elsewhere_is_not_taken_for_a_hyphen() -> None:
    # One of them moved off the 3-6-1 grouping (a twelve-glyph line of another kind):
    # their shape alone does not make them hyphens, and the zeros never are.
    moved = [*BLURRED_HYPHENS[:3], BLURRED_HYPHENS[4], BLURRED_HYPHENS[3], *BLURRED_HYPHENS[5:]]
    assert not any(_marks(moved))
    rounder = [(x, y, 7, 6) if w == 9 else (x, y, w, h) for x, y, w, h in BLURRED_HYPHENS]
    assert not any(_marks(rounder))


@pytest.mark.slow  # draws the digit templates (seconds)
def test_five_digits_a_blur_joined_are_cut_into_five(monkeypatch: pytest.MonkeyPatch) -> None:
    # As on a blurred Noto Sans card (seed 4300): ۲۳ and ۲۲۲۳۲ each one blob; the wider
    # was cut in two or three at most, and the code came out as eight digits.
    monkeypatch.setenv("KYC_OCR_HOLDOUT_FONTS", "notosansarabic")
    line = digit_line("۲۶۲۳۰۲۲۲۳۲", "truetype/noto/NotoSansArabic-Regular.ttf")
    _, bw = cv2.threshold(cv2.GaussianBlur(line, (0, 0), 2.0), 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    widths = sorted(w for _, _, w, _ in _glyphs.boxes(bw))
    assert widths[-1] > 5 * widths[1]  # five digits in one blob
    field = national_code_field(_glyphs.read_digits(bw)[1])
    assert field.value == "2623022232"


@pytest.mark.slow  # renders a dozen cards and draws the digit templates (tens of seconds)
def test_a_card_upside_down_whose_ink_reads_as_fields_is_turned(
    benchmarks: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Titr, upside down (seed 4300, card 11): read upright, its upside-down ink gave five
    # fields (names of stray letters, digits as garbage), enough that it was never turned.
    oe = benchmarks
    values = {**oe.TUNED, "digits": ("persian",), "order": oe.FRESH_CODE_VALUES["order"]}  # type: ignore[attr-defined]
    case = oe._card_cases(oe.TUNE_FONTS[:2], 10, 4300, True, values)[11]  # type: ignore[attr-defined]
    assert case["groups"]["capture"] == "upside"
    monkeypatch.setenv("KYC_OCR_HOLDOUT_FONTS", case["holdout"])
    code = read_national_card(load_rgb(case["photo"]))["fields"]["national_code"]  # type: ignore[index]
    assert code["value"] == case["truth"]["national_code"]
