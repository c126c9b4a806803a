"""Iranian national code (کد ملی): ten digits, the last a mod-11 check digit.

``s = Σ d_i × (10 − i)`` over the first nine digits, ``r = s mod 11``; the check digit is
``r`` when ``r < 2`` and ``11 − r`` otherwise. Our policy (docs/identifiers.md in the design
docs, decided once): Persian and Arabic-Indic digits are accepted and made ASCII; spaces
and dashes between groups are dropped; 8 or 9 digits are left-padded with zeros (older
cards dropped leading zeros); ten equal digits and a middle run ``d3…d8`` of zeros are
invalid although they pass the checksum; an issuing-office prefix missing from our table
(``OFFICE_PREFIXES``) is rejected only under ``strict=True``.

>>> validate("۰۴۹۹۳۷۰۸۹۹")
'0499370899'
>>> validate("068415941")
'0068415941'
>>> is_valid("1111111111"), is_valid("1234567890")
(False, False)
>>> office_known("0499370899"), office_known("9991234561")
(True, False)
>>> is_valid("9991234561"), is_valid("9991234561", strict=True)
(True, False)
>>> format("0499370899")
'049-937089-9'
"""

from __future__ import annotations

import random

from kyc_sdk.errors import InvalidIdentifier
from kyc_sdk.identifiers._util import clean, require_digits

FIELD = "national_code"

# Issuing-office prefixes (first three digits), as ranges. Built from the prefix lists the
# community persian-tools libraries publish (github.com/persian-tools; no official list is
# public), with the leading zeros some copies lost restored. It is known to be incomplete
# and a few offices are disputed, which is why an unknown prefix only fails strict checks.
_OFFICE_RANGES = (
    "001-008 011 015 020 025 031-032 037-038 041-045 048-049 051-053 055-065 067-070 "
    "072-079 081-094 096-098 105-106 108-129 136-138 145-146 149-150 152-155 158-175 "
    "181-200 202-203 205-206 208-209 211-230 236-253 255-259 261-275 279-280 282-299 "
    "302-325 330-339 341-346 348-359 361-362 364-367 369-373 375-387 392-407 412-413 "
    "416-428 431-432 438-439 442-462 465-472 481 483-484 486-493 496-538 540-559 561-586 "
    "588 590-593 595-601 603-613 615-623 625-638 640-644 646-671 673-707 711-732"
)


def _expand(ranges: str) -> frozenset[str]:
    prefixes: set[str] = set()
    for item in ranges.split():
        low, _, high = item.partition("-")
        prefixes.update(f"{n:03d}" for n in range(int(low), int(high or low) + 1))
    return frozenset(prefixes)


OFFICE_PREFIXES = _expand(_OFFICE_RANGES)
_SORTED_PREFIXES = tuple(sorted(OFFICE_PREFIXES))


def compact(number: str) -> str:
    """Digits only, ASCII, left-padded to ten when 8 or 9 were given."""
    text = clean(number, FIELD)
    if 8 <= len(text) <= 9:
        text = text.zfill(10)
    return text


def checksum(first9: str) -> str:
    """The check digit for the first nine digits (ASCII; else ``InvalidIdentifier``)."""
    require_digits(first9, FIELD)
    r = sum(int(d) * (10 - i) for i, d in enumerate(first9)) % 11
    return str(r if r < 2 else 11 - r)


def office_known(number: object) -> bool:
    """Whether the first three digits name an issuing office we know (never raises)."""
    if not isinstance(number, str):
        return False
    try:
        code = compact(number)
    except InvalidIdentifier:
        return False
    return len(code) == 10 and code[:3] in OFFICE_PREFIXES


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
    if not isinstance(number, str):
        return False
    try:
        validate(number, strict=strict)
    except InvalidIdentifier:
        return False
    return True


def format(number: str) -> str:
    """``XXX-XXXXXX-X``, as printed on cards and forms (a valid code only, like every
    ``format`` here: a grouped invalid code would look official)."""
    code = validate(number)
    return f"{code[:3]}-{code[3:9]}-{code[9:]}"


def generate(rng: random.Random | None = None) -> str:
    """A random valid code under a known office, for synthetic test people: it passes
    ``strict`` checks, and is not knowingly any real person's."""
    rng = rng or random.Random()
    while True:  # only the repeated-digit and zero-middle rules can refuse: rarely loops
        first9 = rng.choice(_SORTED_PREFIXES) + f"{rng.randrange(10**6):06d}"
        code = first9 + checksum(first9)
        if is_valid(code, strict=True):
            return code
