"""Iranian mobile numbers in every usual spelling, to one: ``09XXXXXXXXX``.

Accepted: ``09121234567``, ``9121234567``, ``+989121234567``, ``00989121234567``,
``0098 912 123 4567``, ``+98 (912) 123-4567``, ``+98 0912 123 4567``, in any digits. Iranian mobile numbers
start ``9`` after the country code (operators' blocks 90x, 91x, 92x, 93x, 99x).

>>> compact("+98 (912) 123-4567")
'09121234567'
>>> validate("۰۹۳۵ ۱۲۳ ۴۵۶۷")
'09351234567'
>>> is_iranian("+4915112345678"), is_phone("+4915112345678"), is_valid("02188776655")
(False, True, False)
>>> format("989121234567"), to_international("09121234567")
('0912 123 4567', '+989121234567')
"""

from __future__ import annotations

import re

from kyc_sdk.errors import InvalidIdentifier
from kyc_sdk.identifiers._util import clean

FIELD = "mobile"
_OPERATOR_BLOCKS = ("90", "91", "92", "93", "94", "99")
_MOBILE = re.compile(r"9[0-9]{9}")
_E164 = re.compile(r"[1-9][0-9]{7,14}")
_NATIONAL = re.compile(r"0[1-9][0-9]{9}")


def compact(number: str) -> str:
    """``09XXXXXXXXX`` when the number is written in any Iranian form, else the digits
    (with a leading ``+`` kept, so a foreign number stays recognisable)."""
    text = clean(number, FIELD).replace("(", "").replace(")", "")
    for prefix in ("+98", "0098", "98"):
        national = text[len(prefix) :] if text.startswith(prefix) else ""
        if len(national) == 11 and national.startswith("09"):
            national = national[1:]  # "+98 0912 …": the trunk zero typed after the country code
        if len(national) == 10:
            return "0" + national
    if len(text) == 10 and text.startswith("9"):
        return "0" + text
    return text


def validate(number: str) -> str:
    digits = compact(number)
    if not (digits.startswith("0") and _MOBILE.fullmatch(digits[1:])):
        raise InvalidIdentifier("not an Iranian mobile number (09XX XXX XXXX)", field=FIELD)
    if digits[1:3] not in _OPERATOR_BLOCKS:
        raise InvalidIdentifier("not an Iranian mobile operator's prefix", field=FIELD)
    return digits


def is_valid(number: object) -> bool:
    if not isinstance(number, str):
        return False
    try:
        validate(number)
    except InvalidIdentifier:
        return False
    return True


def is_iranian(number: object) -> bool:
    """An Iranian mobile (a foreign number is a valid phone, but not this)."""
    return is_valid(number)


def is_phone(number: object) -> bool:
    """A plausible phone number anywhere: international (``+`` or ``00``, a country code
    not starting with 0, 8–15 digits, E.164) or Iranian national (``0`` and ten digits).
    ``is_phone and not is_iranian`` tells the abroad path it has a foreign number."""
    try:
        text = clean(number, FIELD).replace("(", "").replace(")", "")
    except InvalidIdentifier:
        return False
    if text.startswith(("+", "00")):
        return bool(_E164.fullmatch(text[1:] if text[0] == "+" else text[2:]))
    return bool(_NATIONAL.fullmatch(text)) or is_valid(text)


def format(number: str) -> str:
    d = validate(number)
    return f"{d[:4]} {d[4:7]} {d[7:]}"


def to_international(number: str) -> str:
    return "+98" + validate(number)[1:]
