"""A TD1 zone with right check digits, for the MRZ decoder's tests."""

from __future__ import annotations

from kyc_sdk.identifiers import mrz as mrz_id


def td1(optional_one: str = "<" * 15, optional_two: str = "<" * 11) -> list[str]:
    """Three 30-character lines: a fixed document number, dates and name (names hold an
    O, dates 0s), the two optional fields as given, every check digit right."""
    number = "D23145890"
    one = f"I<UTO{number}{mrz_id.check_digit(number)}{optional_one}"
    birth, expiry = "740812", "120415"
    two = f"{birth}{mrz_id.check_digit(birth)}F{expiry}{mrz_id.check_digit(expiry)}UTO{optional_two}"
    two += mrz_id.check_digit(one[5:30] + two[0:7] + two[8:15] + two[18:29])
    return [one, two, "ERIKSSON<<ANNA<MARIA<<<<<<<<<<"]
