"""Helpers shared by the identifier modules (stdnum's util, in small)."""

from __future__ import annotations

import re

from kyc_sdk.errors import InvalidIdentifier
from kyc_sdk.text import normalize_digits

_SEPARATORS = re.compile(r"[\s\-\u200c\u200f\u200e.]+")
ASCII_DIGITS = re.compile(r"[0-9]+")


def clean(value: object, field: str, *, keep: str = "") -> str:
    """``value`` as text with Persian digits made ASCII and separators removed."""
    if not isinstance(value, str):
        raise InvalidIdentifier(f"{field} must be text", field=field)
    text = normalize_digits(value.strip())
    for ch in keep:
        text = text.replace(ch, f"\x00{ord(ch)}\x00")
    text = _SEPARATORS.sub("", text)
    for ch in keep:
        text = text.replace(f"\x00{ord(ch)}\x00", ch)
    return text


def require_digits(text: str, field: str) -> None:
    if not ASCII_DIGITS.fullmatch(text):
        raise InvalidIdentifier(f"{field} must contain only digits", field=field)
