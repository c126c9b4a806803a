"""A card's fields checked against each other (issue 13: "valid-but-wrong codes and dates
0"). Each date alone passing the calendar says nothing about which row it was read from:
a birth date row read under the expiry's label gives a real day in the wrong field. What
the card's other fields contradict is shown as the likeliest reading, never ``valid``."""

from __future__ import annotations

import dataclasses
import random

import pytest

from kyc_sdk.docs_ocr import national_card as nc
from kyc_sdk.docs_ocr import read_national_card, synth
from kyc_sdk.docs_ocr.fields import Field, dates_agree

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
