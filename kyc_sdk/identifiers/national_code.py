"""Iranian national code (کد ملی): ten digits, the last a mod-11 check digit.

``s = Σ d_i × (10 − i)`` over the first nine digits, ``r = s mod 11``; the check digit is
``r`` when ``r < 2`` and ``11 − r`` otherwise. Our policy (IDENTIFIERS.md in the design
docs, decided once): Persian and Arabic-Indic digits are accepted and made ASCII; spaces
and dashes between groups are dropped; 8 or 9 digits are left-padded with zeros (older
cards dropped leading zeros); ten equal digits and a middle run ``d3…d8`` of zeros are
invalid although they pass the checksum; an unknown issuing-office prefix is rejected
only under ``strict=True``.

>>> validate("۰۴۹۹۳۷۰۸۹۹")
'0499370899'
>>> validate("068415941")
'0068415941'
>>> is_valid("1111111111"), is_valid("1234567890")
(False, False)
>>> format("0499370899")
'049-937089-9'
"""

from __future__ import annotations

import random

from kyc_sdk.errors import InvalidIdentifier
from kyc_sdk.identifiers._util import clean, require_digits

FIELD = "national_code"

# Issuing-office prefixes are public but no complete, authoritative list is; we keep
# none rather than a guessed one, so strict checking only refuses the impossible "000".
_IMPOSSIBLE_PREFIXES = frozenset({"000"})


def compact(number: str) -> str:
    """Digits only, ASCII, left-padded to ten when 8 or 9 were given."""
    text = clean(number, FIELD)
    if 8 <= len(text) <= 9:
        text = text.zfill(10)
    return text


def checksum(first9: str) -> str:
    """The check digit for the first nine digits."""
    r = sum(int(d) * (10 - i) for i, d in enumerate(first9)) % 11
    return str(r if r < 2 else 11 - r)


def office_known(number: str) -> bool:
    """Whether the issuing-office prefix (first three digits) is possible."""
    return compact(number)[:3] not in _IMPOSSIBLE_PREFIXES


def validate(number: str, *, strict: bool = False) -> str:
    """The compact code, or ``InvalidIdentifier`` saying which rule failed."""
    code = compact(number)
    require_digits(code, FIELD)
    if len(code) != 10:
        raise InvalidIdentifier("national code must have 10 digits", field=FIELD)
    if len(set(code)) == 1:
        raise InvalidIdentifier("national code cannot be one repeated digit", field=FIELD)
    if code[3:9] == "000000":
        raise InvalidIdentifier("national code cannot have six zeros in the middle", field=FIELD)
    if checksum(code[:9]) != code[9]:
        raise InvalidIdentifier("national code fails its check digit", field=FIELD)
    if strict and not office_known(code):
        raise InvalidIdentifier("national code has an unknown issuing office", field=FIELD)
    return code


def is_valid(number: object, *, strict: bool = False) -> bool:
    try:
        validate(number, strict=strict)  # type: ignore[arg-type]
    except InvalidIdentifier:
        return False
    return True


def format(number: str) -> str:
    """``XXX-XXXXXX-X``, as printed on cards and forms."""
    code = compact(number)
    return f"{code[:3]}-{code[3:9]}-{code[9:]}"


def generate(rng: random.Random | None = None) -> str:
    """A random valid code, for synthetic test people (not a real person's)."""
    rng = rng or random.Random()
    while True:
        first9 = f"{rng.randrange(1, 1000):03d}{rng.randrange(0, 10**6):06d}"
        code = first9 + checksum(first9)
        if is_valid(code):
            return code
