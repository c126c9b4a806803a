"""SANA codes (ours): ten digits, nine from a CSPRNG and a Verhoeff check digit.

The real SANA code is an opaque number the judiciary issues; ours has a check digit
that catches every single-digit error and every adjacent transposition (Verhoeff's
dihedral-group scheme), is shown as ``123-456-789-0`` and read back in any digits.
Spec: docs/identifiers.md; Verhoeff (1969), https://en.wikipedia.org/wiki/Verhoeff_algorithm

>>> check_digit("123456789")
'0'
>>> validate("۱۲۳-۴۵۶-۷۸۹-۰")
'1234567890'
>>> is_valid("1234567891"), is_valid("1234567809")
(False, False)
>>> format("1234567890")
'123-456-789-0'
"""

from __future__ import annotations

import random
import secrets

from kyc_sdk.errors import InvalidIdentifier
from kyc_sdk.identifiers._util import clean, require_digits

FIELD = "sana_code"

# Verhoeff tables: multiplication in the dihedral group D5, a permutation, the inverse.
_D = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    [1, 2, 3, 4, 0, 6, 7, 8, 9, 5],
    [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
    [3, 4, 0, 1, 2, 8, 9, 5, 6, 7],
    [4, 0, 1, 2, 3, 9, 5, 6, 7, 8],
    [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
    [6, 5, 9, 8, 7, 1, 0, 4, 3, 2],
    [7, 6, 5, 9, 8, 2, 1, 0, 4, 3],
    [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
    [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
]
_P = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    [1, 5, 7, 6, 2, 8, 3, 0, 9, 4],
    [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
    [8, 9, 1, 6, 0, 4, 3, 5, 2, 7],
    [9, 4, 5, 3, 1, 2, 6, 8, 7, 0],
    [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
    [2, 7, 9, 3, 8, 0, 6, 4, 1, 5],
    [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
]
_INV = [0, 4, 3, 2, 1, 5, 6, 7, 8, 9]


def _verhoeff(digits: str, offset: int) -> int:
    c = 0
    for i, d in enumerate(reversed(digits)):
        c = _D[c][_P[(i + offset) % 8][int(d)]]
    return c


def check_digit(first9: str) -> str:
    """The Verhoeff check digit that makes ``first9 + digit`` valid (ASCII digits in)."""
    require_digits(first9, FIELD)
    return str(_INV[_verhoeff(first9, 1)])


def compact(code: str) -> str:
    return clean(code, FIELD)


def validate(code: str) -> str:
    digits = compact(code)
    require_digits(digits, FIELD)
    if len(digits) != 10:
        raise InvalidIdentifier("a SANA code has 10 digits", field=FIELD)
    if _verhoeff(digits, 0) != 0:
        raise InvalidIdentifier("SANA code fails its check digit", field=FIELD)
    return digits


def is_valid(code: object) -> bool:
    if not isinstance(code, str):
        return False
    try:
        validate(code)
    except InvalidIdentifier:
        return False
    return True


def format(code: str) -> str:
    d = validate(code)
    return f"{d[:3]}-{d[3:6]}-{d[6:9]}-{d[9]}"


def generate(rng: random.Random | None = None) -> str:
    """A new random code; the first digit is never 0 so the code keeps ten digits
    wherever it is stored as a number."""
    rand = rng or secrets.SystemRandom()
    first9 = str(rand.randrange(1, 10)) + "".join(str(rand.randrange(10)) for _ in range(8))
    return first9 + check_digit(first9)
