"""Cross-check rules on constructed readings (pure): what each disagreement decides."""

from __future__ import annotations

import dataclasses
import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kyc_sdk.models import Decision
from kyc_sdk.registration import crosscheck
from kyc_sdk.registration import samples as S
from kyc_sdk.registration.document import Reading, Value

TODAY = datetime.date(2026, 11, 28)
TYPED = S.resident_subject()


def card(**changes: Value) -> Reading:
    fields = {
        "national_code": Value("0499370899", 0.95, True),
        "first_name": Value("علي", 0.9, True),
        "last_name": Value("رضايي", 0.9, True),
        "birth_date": Value("1370/01/01", 0.94, True),
    }
    return Reading("national_card", True, {**fields, **changes}, datetime.date(2029, 8, 11))


def test_agreeing_card_with_arabic_letter_variants_passes() -> None:
    assert crosscheck.national_card(card(), TYPED, TODAY) == []


@pytest.mark.parametrize(
    ("changes", "finding"),
    [
        ({"national_code": Value("0084575948", 0.95, True)}, (Decision.DECLINED, "national_code_mismatch")),
        ({"national_code": Value("0084575948", 0.5, True)}, crosscheck.LOW),  # valid but unsure: retake
        ({"national_code": Value("0499370899", 0.95, False)}, crosscheck.LOW),
        ({"national_code": Value(None)}, crosscheck.LOW),
        (
            {"national_code": Value("1999370899", 0.95, True)},
            crosscheck.LOW,
        ),  # valid, two digits off: a misread
        ({"national_code": Value("3226214292", 0.95, True)}, (Decision.DECLINED, "national_code_mismatch")),
        ({"birth_date": Value("1371/01/01", 0.94, True)}, crosscheck.LOW),  # one digit off
        ({"birth_date": Value("1365/06/15", 0.94, True)}, (Decision.DECLINED, "birth_date_mismatch")),
        ({"birth_date": Value("1371/01/01", 0.3, True)}, crosscheck.LOW),
        ({"first_name": Value("مهسا", 0.9, True)}, (Decision.REVIEW, "name_mismatch")),
        ({"last_name": Value(None)}, crosscheck.LOW),
    ],
)
def test_card_disagreements(changes: dict, finding: tuple) -> None:
    assert crosscheck.national_card(card(**changes), TYPED, TODAY) == [finding]


def test_expired_or_missing_card() -> None:
    expired = dataclasses.replace(card(), expiry=datetime.date(2020, 1, 1))
    assert crosscheck.national_card(expired, TYPED, TODAY) == [(Decision.RETRY, "document_expired")]
    assert crosscheck.national_card(Reading("national_card", False), TYPED, TODAY) == [
        (Decision.RETRY, "document_unreadable")
    ]


def passport(**changes: Value) -> Reading:
    fields = {
        "passport_number": Value("P55012233", 1, True),
        "nationality": Value("IRN", 1, True),
        "issuing_state": Value("IRN", 1, True),
        "last_name": Value("KIANI", 1, True),
        "first_name": Value("SARA", 1, True),
        "birth_date": Value("1362/08/21", 1, True),
        "national_code": Value("4329939088", 1, True),
    }
    return Reading("passport", True, {**fields, **changes}, datetime.date(2030, 5, 4), True)


def test_agreeing_passport_passes() -> None:
    assert crosscheck.passport(passport(), S.abroad_subject(), TODAY) == []


@pytest.mark.parametrize(
    ("changes", "finding"),
    [
        ({"passport_number": Value("K20481632", 1, True)}, (Decision.DECLINED, "passport_number_mismatch")),
        # one character off: an MRZ misread whose check digit passed by chance, not another passport
        ({"passport_number": Value("P55O12233", 1, True)}, crosscheck.LOW),
        ({"nationality": Value("DEU", 1, True)}, (Decision.DECLINED, "not_iranian_passport")),
        ({"first_name": Value("ZARA", 1, True)}, (Decision.REVIEW, "name_mismatch")),
        ({"birth_date": Value("1358/03/22", 1, True)}, (Decision.DECLINED, "birth_date_mismatch")),
    ],
)
def test_passport_disagreements(changes: dict, finding: tuple) -> None:
    assert crosscheck.passport(passport(**changes), S.abroad_subject(), TODAY) == [finding]


def test_passport_code_is_compared_only_when_typed() -> None:
    typed = dataclasses.replace(S.abroad_subject(), national_code="0499370899")
    assert crosscheck.passport(passport(), typed, TODAY) == [(Decision.DECLINED, "national_code_mismatch")]
    near = dataclasses.replace(S.abroad_subject(), national_code="4329939096")  # two digits off
    assert crosscheck.passport(passport(), near, TODAY) == [crosscheck.LOW]
    assert crosscheck.passport(passport(national_code=Value(None)), S.abroad_subject(), TODAY) == []


def test_invalid_mrz_is_retry() -> None:
    bad = dataclasses.replace(passport(), mrz_valid=False)
    assert crosscheck.passport(bad, S.abroad_subject(), TODAY) == [(Decision.RETRY, "mrz_invalid")]


values = st.builds(Value, st.none() | st.text(max_size=14), st.floats(0, 1), st.booleans())


@settings(max_examples=300, deadline=None)
@given(
    st.dictionaries(st.sampled_from(["national_code", "first_name", "last_name", "birth_date"]), values),
    st.none() | st.dates(),
)
def test_any_card_reading_gives_findings_never_an_error(fields: dict, expiry) -> None:
    findings = crosscheck.national_card(Reading("national_card", True, fields, expiry), TYPED, TODAY)
    assert all(isinstance(d, Decision) and d is not Decision.APPROVED and r for d, r in findings)
    if not findings:  # only a reading that agrees on every field passes
        assert all(crosscheck.trusted(fields[k]) for k in ("national_code", "birth_date"))


@settings(max_examples=300, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(
            [
                "passport_number",
                "nationality",
                "issuing_state",
                "first_name",
                "last_name",
                "birth_date",
                "national_code",
            ]
        ),
        values,
    ),
    st.booleans(),
)
def test_any_passport_reading_gives_findings_never_an_error(fields: dict, valid: bool) -> None:
    findings = crosscheck.passport(Reading("passport", True, fields, None, valid), S.abroad_subject(), TODAY)
    assert all(isinstance(d, Decision) and d is not Decision.APPROVED for d, _ in findings)
