"""Identifier vectors from docs/identifiers.md and PassportEye's specimens (../shared/data)."""

from __future__ import annotations

import datetime
import itertools
import random

import pytest

from kyc_sdk.errors import InvalidIdentifier
from kyc_sdk.identifiers import jalali, mobile, mrz, national_code, sana_code
from kyc_sdk.text import name_similarity, names_match, normalize_persian
from tests.identifiers._manifest import mrz_expectations

VALID_CODES = [
    "0499370899",
    "0790419904",
    "0084575948",
    "0963695398",
    "0067749828",
    "4032152314",
    "068415941",
    "۰۴۹۹۳۷۰۸۹۹",
    "049-937089-9",
    "٠٤٩٩٣٧٠٨٩٩",
]
INVALID_CODES = [
    "1234567890",
    "0684159415",
    "4271427685",
    "06841594156",
    "068415941d",
    "0010000000",
    "1111111111",
    "",
    "12345",
    "０４９９３７０８９９",
    "04993708９９",
    "049937089²",
]


@pytest.mark.parametrize("code", VALID_CODES)
def test_valid_national_codes(code: str) -> None:
    assert national_code.is_valid(code)
    assert len(national_code.validate(code)) == 10


@pytest.mark.parametrize("code", INVALID_CODES)
def test_invalid_national_codes(code: str) -> None:
    assert not national_code.is_valid(code)
    with pytest.raises(InvalidIdentifier) as info:
        national_code.validate(code)
    assert info.value.field == "national_code"
    assert code not in str(info.value) or not code  # the value is never echoed


def test_every_repeated_digit_and_zero_middle_is_refused_despite_its_checksum() -> None:
    for d in "0123456789":
        assert national_code.checksum(d * 9) == d  # passes the arithmetic…
        assert not national_code.is_valid(d * 10)  # …but not our policy
    zero_middle = "123000000" + national_code.checksum("123000000")
    with pytest.raises(InvalidIdentifier, match="six zeros"):
        national_code.validate(zero_middle)


def test_generated_codes_are_valid_and_varied() -> None:
    rng = random.Random(7)
    codes = {national_code.generate(rng) for _ in range(500)}
    assert len(codes) == 500 and all(national_code.is_valid(c) for c in codes)


def test_strict_refuses_an_impossible_office() -> None:
    first9 = "000123456"
    code = first9 + national_code.checksum(first9)
    assert national_code.is_valid(code) and not national_code.is_valid(code, strict=True)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1403/12/30", "1403/12/30"),
        ("۱۴۰۳/۱۲/۳۰", "1403/12/30"),
        ("1370-1-1", "1370/01/01"),
        ("1399/12/30", "1399/12/30"),
        ("1408/12/30", "1408/12/30"),
    ],
)
def test_jalali_valid(text: str, expected: str) -> None:
    assert jalali.validate(text) == expected


@pytest.mark.parametrize(
    "text", ["1404/12/30", "1403/13/01", "1403/07/31", "2024-03-20x", "14030101", "", "1403/00/10"]
)
def test_jalali_invalid(text: str) -> None:
    with pytest.raises(InvalidIdentifier):
        jalali.parse(text)


def test_jalali_conversion_both_ways() -> None:
    assert jalali.to_gregorian("1403/01/01") == datetime.date(2024, 3, 20)
    assert jalali.to_gregorian("1404/01/01") == datetime.date(2025, 3, 21)
    assert jalali.from_gregorian(datetime.date(2024, 3, 20)) == "1403/01/01"
    assert jalali.format("1403/01/01", digits="persian") == "۱۴۰۳/۰۱/۰۱"
    leap = [y for y in range(1390, 1414) if jalali.is_valid(f"{y}/12/30")]
    assert leap == [1391, 1395, 1399, 1403, 1408, 1412]


@pytest.mark.parametrize(
    "text",
    [
        "09121234567",
        "9121234567",
        "+989121234567",
        "00989121234567",
        "0098 912 123 4567",
        "+98 (912) 123-4567",
        "۰۹۱۲۱۲۳۴۵۶۷",
        "989121234567",
    ],
)
def test_mobile_spellings(text: str) -> None:
    assert mobile.validate(text) == "09121234567"
    assert mobile.format(text) == "0912 123 4567"
    assert mobile.to_international(text) == "+989121234567"


@pytest.mark.parametrize(
    "text", ["02188776655", "0912123456", "091212345678", "+4915112345678", "09a21234567", "0981234567"]
)
def test_mobile_invalid(text: str) -> None:
    assert not mobile.is_valid(text) and not mobile.is_iranian(text)


def test_sana_code_catches_every_single_error_and_adjacent_transposition() -> None:
    rng = random.Random(3)
    for _ in range(200):
        code = sana_code.generate(rng)
        assert sana_code.is_valid(code) and code[0] != "0"
        for i, d in itertools.product(range(10), "0123456789"):
            if d != code[i]:
                assert not sana_code.is_valid(code[:i] + d + code[i + 1 :])
        for i in range(9):
            if code[i] != code[i + 1]:
                assert not sana_code.is_valid(code[:i] + code[i + 1] + code[i] + code[i + 2 :])


def test_sana_code_spellings() -> None:
    code = sana_code.generate()
    spaced = sana_code.format(code)
    assert sana_code.validate(spaced) == code
    assert sana_code.validate(spaced.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))) == code


ICAO_TD3 = ["P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C36UTO7408122F1204159ZE184226B<<<<<10"]
ICAO_TD1 = [
    "I<UTOD231458907<<<<<<<<<<<<<<<",
    "7408122F1204159UTO<<<<<<<<<<<6",
    "ERIKSSON<<ANNA<MARIA<<<<<<<<<<",
]


def test_icao_specimens() -> None:
    td3 = mrz.validate(ICAO_TD3)
    assert td3.format == "TD3" and td3.fields["document_number"] == "L898902C3"
    assert td3.fields["personal_number"] == "ZE184226B" and td3.fields["expiry_date"] == "2012-04-15"
    assert set(td3.checks) == {"document_number", "birth_date", "expiry_date", "personal_number", "composite"}
    td1 = mrz.validate(ICAO_TD1)
    assert td1.format == "TD1" and td1.fields["surname"] == "ERIKSSON" and td1.fields["sex"] == "F"


def test_a_changed_character_fails_its_check() -> None:
    bad = [ICAO_TD3[0], ICAO_TD3[1].replace("7408122", "7408182")]
    parsed = mrz.parse(bad)
    assert not parsed.checks["birth_date"] and not parsed.checks["composite"] and not parsed.valid
    with pytest.raises(InvalidIdentifier, match="birth_date"):
        mrz.validate(bad)


def test_passporteye_specimens_match_their_recorded_check_digits(shared_data) -> None:
    rows = mrz_expectations(shared_data)
    assert len(rows) >= 15
    for path, expected in rows:
        lines = expected["mrz_lines"]
        if not all(set(line) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<") for line in lines):
            with pytest.raises(InvalidIdentifier):  # e.g. an Ñ in a specimen illustration
                mrz.parse(lines)
            continue
        parsed = mrz.parse(lines)
        assert parsed.format == expected["doc_type"], path
        for name, check in expected["check_digits"].items():
            assert parsed.checks[name] == check["valid"], (path, name)
        assert parsed.valid == expected["all_check_digits_valid"], path


def test_national_code_in_an_iranian_passport() -> None:
    code = "0499370899"
    line2 = "A12345678" + mrz.check_digit("A12345678") + "IRN" + "900101" + mrz.check_digit("900101") + "M"
    line2 += "300101" + mrz.check_digit("300101") + code + "<<<<" + mrz.check_digit(code + "<<<<")
    line2 += mrz.check_digit(line2[0:10] + line2[13:20] + line2[21:43])
    passport = mrz.validate(["P<IRNREZAEI<<ALI<<<<<<<<<<<<<<<<<<<<<<<<<<<<", line2])
    assert mrz.national_code_in(passport) == code
    assert mrz.national_code_in(mrz.validate(ICAO_TD3)) is None


def test_persian_name_variants() -> None:
    assert normalize_persian("كاظم  علي‌ ") == "کاظم علی"
    assert names_match("عبدالله", "عبد الله") and names_match("آرش", "ارش") and names_match("فاطمة", "فاطمه")
    assert not names_match("علی", "رضا") and not names_match("", "")
    assert name_similarity("محمدرضا", "محمد رضا") == 1.0 and name_similarity("علی", "رضا") < 0.5


@pytest.mark.parametrize("code", VALID_CODES)
def test_valid_vectors_have_known_offices(code: str) -> None:
    assert national_code.office_known(code) and national_code.is_valid(code, strict=True)


def test_office_table_and_strict_generation() -> None:
    prefixes = national_code.OFFICE_PREFIXES
    assert len(prefixes) > 500 and all(len(p) == 3 and p.isascii() and p.isdigit() for p in prefixes)
    assert "000" not in prefixes and "999" not in prefixes
    unknown = "999123456" + national_code.checksum("999123456")
    assert national_code.is_valid(unknown) and not national_code.is_valid(unknown, strict=True)
    with pytest.raises(InvalidIdentifier, match="issuing office"):
        national_code.validate(unknown, strict=True)
    rng = random.Random(11)
    assert all(national_code.is_valid(national_code.generate(rng), strict=True) for _ in range(300))
    assert national_code.office_known(None) is False and national_code.office_known("12") is False


@pytest.mark.parametrize("func", [national_code.checksum, sana_code.check_digit])
def test_check_digit_functions_refuse_non_digits(func) -> None:
    for junk in ["12345678a", "۱۲۳۴۵۶۷۸۹", "", "12345678²"]:
        with pytest.raises(InvalidIdentifier):
            func(junk)


def test_mobile_trunk_zero_after_country_code_and_foreign_numbers() -> None:
    assert mobile.validate("+98 0912 123 4567") == "09121234567"
    for foreign in ["+4915112345678", "0044 20 7946 0958", "+1 (415) 555-0100"]:
        assert mobile.is_phone(foreign) and not mobile.is_iranian(foreign), foreign
    for junk in ["+0123456789", "++4915112345678", "+49", "hello", "", None, "+4915112345678901234"]:
        assert not mobile.is_phone(junk), junk
    assert mobile.is_phone("021 8877 6655") and not mobile.is_iranian("021 8877 6655")


def test_jalali_from_gregorian_accepts_datetimes_and_refuses_the_rest() -> None:
    assert jalali.from_gregorian(datetime.datetime(2025, 3, 21, 23, 59)) == "1404/01/01"
    with pytest.raises(InvalidIdentifier):
        jalali.from_gregorian("2025-03-21")  # type: ignore[arg-type]


def test_mrz_birth_century_never_in_the_future() -> None:
    line2 = ICAO_TD3[1]
    today = datetime.date(2026, 11, 28)

    def birth(yymmdd: str) -> str | None:
        lines = [ICAO_TD3[0], line2[:13] + yymmdd + line2[19:]]
        return mrz.parse(lines, today=today).fields["birth_date"]

    assert birth("261127") == "2026-11-27" and birth("261215") == "1926-12-15"
    assert birth("000229") == "2000-02-29" and birth("991231") == "1999-12-31"
    assert birth("250230") is None
    assert mrz.parse(ICAO_TD3, today=today).fields["expiry_date"] == "2012-04-15"


def test_passporteye_parsed_fields(shared_data) -> None:
    cases = [expected for _, expected in mrz_expectations(shared_data) if "parsed" in expected]
    assert len(cases) >= 4
    for case in cases:
        want, got = case["parsed"], mrz.parse(case["mrz_lines"])
        assert got.format == want["mrz_type"]
        f = got.fields
        assert (f["surname"], f["given_names"], f["document_number"]) == (
            want["surname"],
            want["names"],
            want["number"],
        )
        assert (f["issuing_state"], f["nationality"], f["sex"]) == (
            want["country"],
            want["nationality"],
            want["sex"],
        )
        assert (f["birth_date_raw"], f["expiry_date_raw"]) == (want["date_of_birth"], want["expiration_date"])
        assert f["document_type"] == want["type"].strip("<")


def test_persian_text_details() -> None:
    assert normalize_persian("مسئول") == "مسئول"  # text keeps its hamza seat…
    assert names_match("رئیسی", "رییسی") and names_match("علاءالدین", "علاالدین")  # …names forgive it
    assert normalize_persian("ھمدان") == "همدان" and normalize_persian("ســـلام") == "سلام"
    assert normalize_persian("مُحَمَّد") == "محمد" and normalize_persian("می \u200c خواهم") == "می\u200cخواهم"
    assert normalize_persian("١٢٣ ۴۵۶") == "123 456"
    assert not names_match(123, "123") and name_similarity(None, "علی") == 0.0  # type: ignore[arg-type]
    assert 0.5 < name_similarity("محمدرضا", "محمد رضایی") < 1.0


def test_long_document_numbers_run_into_the_optional_data() -> None:
    number = "D23145890123"  # twelve characters: nine, '<', then three and the check digit
    cd = mrz.check_digit
    td1_a = f"I<UTO{number[:9]}<{number[9:]}{cd(number)}".ljust(30, "<")
    td1_b = "7408122F1204159UTO<<<<<<<<<<<"
    td1_b += cd(td1_a[5:30] + td1_b[0:7] + td1_b[8:15] + td1_b[18:29])
    td1 = mrz.validate([td1_a, td1_b, ICAO_TD1[2]])
    assert td1.fields["document_number"] == number and td1.fields["optional_data"] is None
    td2_b = f"{number[:9]}<UTO7408122F1204159" + f"{number[9:]}{cd(number)}".ljust(7, "<")
    td2_b += cd(td2_b[0:10] + td2_b[13:20] + td2_b[21:35])
    td2 = mrz.validate(["I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<", td2_b])
    assert td2.format == "TD2" and td2.fields["document_number"] == number
    # '<' in the check position with the optional data starting with filler: no run-on
    odd = mrz.parse(["I<UTOD23145890<<ABC<<<<<<<<<<<", td1_b, ICAO_TD1[2]])
    assert odd.fields["document_number"] == "D23145890" and not odd.checks["document_number"]


@pytest.mark.parametrize(
    ("module", "bad"),
    [
        (national_code, "1234567890"),
        (mobile, "02188776655"),
        (sana_code, "1234567891"),
        (jalali, "1404/12/30"),
    ],
)
def test_format_refuses_invalid_values(module, bad: str) -> None:
    with pytest.raises(InvalidIdentifier):
        module.format(bad)
