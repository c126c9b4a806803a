"""A card's fields checked against each other (issue 13: "valid-but-wrong codes and dates
0"). Each date alone passing the calendar says nothing about which row it was read from:
a birth date row read under the expiry's label gives a real day in the wrong field. What
the card's other fields contradict is shown as the likeliest reading, never ``valid``."""

from __future__ import annotations

import dataclasses
import random

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from kyc_sdk.docs_ocr import _digits, _glyphs, _tess, read_national_card, synth
from kyc_sdk.docs_ocr import national_card as nc
from kyc_sdk.docs_ocr.fields import Field, born_by, dates_agree

DATES = ("birth_date", "expiry_date")


@pytest.mark.parametrize(
    ("birth", "expiry", "agree"),
    [
        ("1370/05/12", "1408/02/03", True),
        ("1383/04/17", "1409/10/02", True),
        ("1409/10/02", "1409/10/02", False),  # one row read twice
        ("1409/10/02", "1383/04/17", False),  # the two swapped
        ("1395/03/01", "1410/02/30", False),  # a holder under fifteen when the card was issued
        ("1395/03/01", "1410/03/02", True),
        ("1370/05/12", None, True),  # nothing to contradict
        ("1370/05/1", "1370/05/12", True),  # not a day: its own rule already says so
    ],
)
def test_a_birth_date_must_precede_the_expiry_by_the_age_a_card_is_issued_at(
    birth: str, expiry: str | None, agree: bool
) -> None:
    assert dates_agree(birth, expiry) is agree


def _fields() -> dict[str, Field]:
    return {
        "national_code": Field("0499370899", 0.9, True),
        "birth_date": Field("1370/05/12", 0.9, True),
        "expiry_date": Field("1408/02/03", 0.9, True),
    }


@pytest.mark.parametrize(
    ("birth", "possible"),
    [
        ("1370/05/12", True),
        ("1405/09/15", True),  # today: not after it
        ("1405/09/16", False),
        ("1410/08/29", False),  # an expiry's row read as the birth date's
        ("1410/08/2", True),  # not a day: its own rule already keeps it from valid
        (None, True),
    ],
)
def test_a_birth_date_is_not_after_the_day_the_card_is_read(birth: str | None, possible: bool) -> None:
    assert born_by(birth, "1405/09/15") is possible


def test_a_birth_date_in_the_future_is_shown_not_valid_and_nothing_else_is_doubted() -> None:
    found = {**_fields(), "birth_date": Field("1410/08/29", 0.9, True)}
    del found["expiry_date"]  # its row was the one read as the birth date
    nc._doubt_contradictions(found, {})
    assert not found["birth_date"].valid and found["birth_date"].value == "1410/08/29"
    assert found["national_code"].valid


def test_two_digit_fields_read_from_one_blob_are_not_valid() -> None:
    found = _fields()
    box = (300, 100, 80, 20)
    nc._doubt_contradictions(found, {"birth_date": [box], "expiry_date": [box, (390, 100, 9, 20)]})
    assert [found[k].valid for k in DATES] == [False, False]
    assert found["national_code"].valid
    assert [found[k].value for k in DATES] == ["1370/05/12", "1408/02/03"]  # still shown


def _card(monkeypatch: pytest.MonkeyPatch, birth_label_as_expiry: bool) -> dict[str, dict[str, object]]:
    monkeypatch.setenv("KYC_OCR_HOLDOUT_FONTS", "nazli")  # a face the templates do not know
    rng = random.Random(41)
    person = dataclasses.replace(synth.random_person(rng), birth_date="1383/04/17", expiry_date="1409/10/02")
    if birth_label_as_expiry:  # a smudged تولد read as انقضا, the same row-to-field slip
        real = synth.card_labels
        monkeypatch.setattr(
            synth, "card_labels", lambda style: {**real(style), "birth_date": real(style)["expiry_date"]}
        )
    card = synth.render_national_card(person, style=synth.CardStyle(font="nazli"), rng=rng)
    photo = synth.photograph(card, rng=rng, jpeg_quality=88, rotate=2)
    fields = read_national_card(photo)["fields"]
    for key in DATES:
        assert not fields[key]["valid"] or fields[key]["value"] == getattr(person, key), key
    return fields


@pytest.mark.slow
def test_a_birth_date_read_under_the_expiry_s_label_is_not_valid(monkeypatch: pytest.MonkeyPatch) -> None:
    # Before: the expiry's row gave the birth date and the birth's row the expiry, both
    # real days in their years, both valid and wrong.
    fields = _card(monkeypatch, birth_label_as_expiry=True)
    assert not any(fields[k]["valid"] for k in DATES)


@pytest.mark.slow
def test_a_card_whose_rows_agree_keeps_its_dates_valid(monkeypatch: pytest.MonkeyPatch) -> None:
    fields = _card(monkeypatch, birth_label_as_expiry=False)
    assert all(fields[k]["valid"] for k in DATES)
    assert fields["national_code"]["valid"]


# Faces the card reader is tuned on; each digit drawn as the tests' other glyphs are.
TUNING_FACES = (
    "truetype/farsiweb/nazli.ttf",
    "truetype/farsiweb/titr.ttf",
    "truetype/noto/NotoSansArabic-Regular.ttf",
    "truetype/noto/NotoNaskhArabic-Regular.ttf",
)


def _shape(ch: str, font: str) -> np.ndarray:
    face = ImageFont.truetype(f"/usr/share/fonts/{font}", 30)
    img = Image.new("L", (70, 70), 255)
    ImageDraw.Draw(img).text((35, 35), ch, font=face, fill=0, anchor="mm")
    grey = np.asarray(img.filter(ImageFilter.GaussianBlur(0.8)))
    return _digits.shape(np.where(grey < 128, 0, 255).astype(np.uint8))


def _sym(text: str, shape: np.ndarray) -> _tess.Symbol:
    return _tess.Symbol(text, 0.9, ((text, 0.9),), sure=True, shape=shape, script="eastern")


@pytest.mark.parametrize("font", TUNING_FACES)
def test_one_form_read_as_two_values_is_not_sure(font: str) -> None:
    # A face the templates lack had both its ۴ read as ۳, surely, and the code passed its
    # checksum. With a ۴ read right elsewhere on the card, the two forms are one digit's.
    four = _shape("۴", font)  # one face prints one form of ۴
    code = [_sym("۳", four), _sym("۳", four), _sym("۴", four), _sym("۱", _shape("۱", font))]
    checked = _glyphs.confirm_by_peers([code])[0]
    assert [s.sure for s in checked] == [False, False, False, True]


@pytest.mark.parametrize("font", TUNING_FACES)
def test_every_digit_of_a_face_is_its_own_form(font: str) -> None:
    # The converse rule must leave a card of right readings alone: no two digits of a face
    # are taken for one form.
    code = [_sym(ch, _shape(ch, font)) for ch in "۱۲۳۴۵۶۷۸۹"]
    assert all(s.sure for s in _glyphs.confirm_by_peers([code])[0])
