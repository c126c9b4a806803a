"""Jalali (Solar Hijri) dates as Iranian cards and APIs write them: ``YYYY/MM/DD``.

Calendar: https://en.wikipedia.org/wiki/Solar_Hijri_calendar (and docs/identifiers.md).
A thin layer over ``jdatetime`` (which knows the leap years: 1403 is one, 1404 is not):
digits in any script, ``/`` or ``-`` separators, out to a zero-padded ASCII form.

>>> validate("۱۴۰۳/۱۲/۳۰")
'1403/12/30'
>>> is_valid("1404/12/30")
False
>>> to_gregorian("1403/01/01").isoformat()
'2024-03-20'
>>> from_gregorian(__import__("datetime").date(2025, 3, 21))
'1404/01/01'
"""

from __future__ import annotations

import datetime
import re
from typing import Protocol

import jdatetime

from kyc_sdk.errors import InvalidIdentifier
from kyc_sdk.text import normalize_digits, to_persian_digits

FIELD = "jalali_date"
_SHAPE = re.compile(r"([0-9]{4})[/\-.]([0-9]{1,2})[/\-.]([0-9]{1,2})")


class JalaliDay(Protocol):
    """What we read of a ``jdatetime.date`` (the library ships no annotations)."""

    @property
    def year(self) -> int: ...
    @property
    def month(self) -> int: ...
    @property
    def day(self) -> int: ...
    def togregorian(self) -> datetime.date: ...


def parse(text: str) -> JalaliDay:
    """The date, or ``InvalidIdentifier`` (a wrong shape, or a day that does not exist)."""
    if not isinstance(text, str):
        raise InvalidIdentifier("a Jalali date must be text", field=FIELD)
    match = _SHAPE.fullmatch(normalize_digits(text.strip()))
    if match is None:
        raise InvalidIdentifier("a Jalali date is written YYYY/MM/DD", field=FIELD)
    year, month, day = (int(g) for g in match.groups())
    try:
        found: JalaliDay = jdatetime.date(year, month, day)
    except (ValueError, OverflowError):
        raise InvalidIdentifier("no such day in the Jalali calendar", field=FIELD) from None
    return found


def validate(text: str) -> str:
    """``YYYY/MM/DD`` in ASCII digits, zero-padded, or ``InvalidIdentifier``."""
    return format(text)


def is_valid(text: object) -> bool:
    if not isinstance(text, str):
        return False
    try:
        parse(text)
    except InvalidIdentifier:
        return False
    return True


def format(text: str, digits: str = "ascii") -> str:
    """``YYYY/MM/DD``; ``digits="persian"`` for display."""
    d = parse(text)
    out = f"{d.year:04d}/{d.month:02d}/{d.day:02d}"
    return to_persian_digits(out) if digits == "persian" else out


def to_gregorian(text: str) -> datetime.date:
    """The Gregorian day of a Jalali date given as text."""
    return parse(text).togregorian()


def from_gregorian(day: datetime.date) -> str:
    """``YYYY/MM/DD`` (ASCII) for a Gregorian date (a ``datetime`` counts by its date)."""
    if not isinstance(day, datetime.date):
        raise InvalidIdentifier("from_gregorian needs a datetime.date", field=FIELD)
    if isinstance(day, datetime.datetime):
        day = day.date()
    d = jdatetime.date.fromgregorian(date=day)
    return f"{d.year:04d}/{d.month:02d}/{d.day:02d}"
