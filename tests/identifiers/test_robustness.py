"""Junk of every kind into every validator: a bool or InvalidIdentifier, nothing else."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kyc_sdk.errors import InvalidIdentifier
from kyc_sdk.identifiers import jalali, mobile, mrz, national_code, sana_code

pytestmark = pytest.mark.slow  # seconds, not milliseconds: `make check` leaves it out

MODULES = [national_code, jalali, mobile, mrz, sana_code]
TRICKY = st.sampled_from(list("0123456789۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩²０９<ABZ/-+ \n\t\u200c\x00\U0001f600"))
JUNK = st.one_of(st.text(), st.text(TRICKY, max_size=60), st.text(min_size=1000, max_size=5000))


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.__name__.rsplit(".", 1)[-1])
@settings(max_examples=300, deadline=None)
@given(value=JUNK)
def test_is_valid_and_validate_never_crash(module, value: str) -> None:
    assert isinstance(module.is_valid(value), bool)
    with contextlib.suppress(InvalidIdentifier):
        module.validate(value)


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.__name__.rsplit(".", 1)[-1])
@pytest.mark.parametrize("value", [None, 123, b"0499370899", ["x"], 1.5])
def test_non_text_is_refused(module, value: object) -> None:
    assert module.is_valid(value) is False
    with pytest.raises(InvalidIdentifier):
        module.validate(value)


MRZ_CHARS = st.one_of(st.just("<"), st.sampled_from("ABCDGILOPQSVXZ0125689"))  # filler-heavy, like real zones
SHAPED = st.sampled_from([(2, 44), (2, 36), (3, 30)]).flatmap(
    lambda shape: st.lists(
        st.text(MRZ_CHARS, min_size=shape[1], max_size=shape[1]), min_size=shape[0], max_size=shape[0]
    )
)
RAGGED = st.lists(st.text(MRZ_CHARS, min_size=28, max_size=46), min_size=1, max_size=4)


@settings(max_examples=400, deadline=None)
@given(lines=st.one_of(SHAPED, RAGGED))
def test_mrz_parse_and_repair_of_mrz_alphabet_junk(lines: list[str]) -> None:
    try:
        parsed = mrz.parse(lines)
    except InvalidIdentifier:
        with pytest.raises(InvalidIdentifier):
            mrz.repair(lines)  # what parse refuses, repair refuses too
        return
    repaired = mrz.repair(lines)
    assert isinstance(parsed.valid, bool) and repaired.format == parsed.format
    assert mrz.repair(repaired.lines).lines == repaired.lines  # a repair is final


@settings(max_examples=200, deadline=None)
@given(value=JUNK)
def test_mrz_repair_of_any_text(value: str) -> None:
    with contextlib.suppress(InvalidIdentifier):
        assert isinstance(mrz.repair(value).valid, bool)


@settings(max_examples=200, deadline=None)
@given(a=JUNK, b=JUNK)
def test_text_helpers_on_junk(a: str, b: str) -> None:
    from kyc_sdk.text import name_similarity, names_match, normalize_digits, normalize_persian

    assert isinstance(names_match(a, b), bool)
    assert 0.0 <= name_similarity(a, b) <= 1.0
    out = normalize_persian(a)
    assert out == normalize_persian(out)  # idempotent: a second pass changes nothing
    assert not set(normalize_digits(a)) & set("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩")


@settings(max_examples=200, deadline=None)
@given(value=JUNK)
def test_never_raising_predicates(value: str) -> None:
    assert isinstance(mobile.is_phone(value), bool) and isinstance(mobile.is_iranian(value), bool)
    assert isinstance(national_code.office_known(value), bool)
    assert isinstance(national_code.is_valid(value, strict=True), bool)


def test_mrz_shaped_random_zones_never_crash() -> None:
    """Uniform random zones with 40 % filler: hypothesis's string generator rarely puts
    '<' in the right places, and this loop found a real crash (a TD1 long-number run-on)."""
    import random

    rng = random.Random(1)
    for _ in range(3000):
        rows, width = rng.choice([(2, 44), (2, 36), (3, 30)])
        lines = [
            "".join("<" if rng.random() < 0.4 else rng.choice("ABCDGILOPQSVXZ0125689") for _ in range(width))
            for _ in range(rows)
        ]
        parsed, repaired = mrz.parse(lines), mrz.repair(lines)
        assert isinstance(parsed.valid, bool) and repaired.format == parsed.format
