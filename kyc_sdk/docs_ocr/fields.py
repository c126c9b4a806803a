"""Decoding OCR'd card values under their rules: the national code under its checksum,
Jalali dates under the calendar, names normalised (``kyc_sdk.text``).

Each decoder takes Tesseract's symbols with their alternatives (``_tess.Symbol``) and
returns a ``Field``. The national code is read as the most confident sequence of ten
digits that validates: then single substitutions from each digit's
alternatives, ranked by the confidence they give up (IDENTIFIERS.md).
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from kyc_sdk.identifiers import jalali, national_code
from kyc_sdk.text import normalize_digits, normalize_persian

from ._tess import Symbol

_DIGIT = re.compile(r"[0-9]")
_SEPARATORS = "/\\-.|"
_NEAR = 0.25


@dataclass(frozen=True)
class Field:
    """One field as read: ``value`` (None when unreadable), confidence 0..1, ``valid``."""

    value: str | None
    confidence: float
    valid: bool
    extra: dict[str, str] | None = None

    def to_dict(self) -> dict[str, object]:
        return {"value": self.value, "confidence": round(self.confidence, 3), "valid": self.valid,
                **(self.extra or {})}


MISSING = Field(None, 0.0, False)


def _digit_options(symbol: Symbol) -> list[tuple[str, float]]:
    """The digits a symbol may be, best first (ASCII), with their confidences."""
    options: dict[str, float] = {}
    for text, conf in ((symbol.text, symbol.confidence), *symbol.choices):
        digit = normalize_digits(text)
        if _DIGIT.fullmatch(digit) and digit not in options:
            options[digit] = conf
    return sorted(options.items(), key=lambda kv: -kv[1])


def _digit_symbols(symbols: list[Symbol]) -> list[list[tuple[str, float]]]:
    return [opts for opts in map(_digit_options, symbols) if opts]


def national_code_field(symbols: list[Symbol]) -> Field:
    """The national code: the best-scoring valid reading among the digits' alternatives."""
    digits = _digit_symbols(symbols)
    if len(digits) != 10:  # cards print all ten digits: fewer means a glyph was lost
        raw = "".join(opts[0][0] for opts in digits)
        return Field(raw or None, 0.0, False)
    best = _checksum_decode(digits)
    if best is None:
        raw = "".join(opts[0][0] for opts in digits)
        return Field(national_code.compact(raw) if len(raw) == 10 else raw, _mean(digits, 0), False)
    code, conf = best
    return Field(national_code.compact(code), conf, True)


def _mean(digits: list[list[tuple[str, float]]], _: int) -> float:
    return sum(opts[0][1] for opts in digits) / max(len(digits), 1)


def _checksum_decode(digits: list[list[tuple[str, float]]]) -> tuple[str, float] | None:
    top = [opts[0][0] for opts in digits]
    base = _mean(digits, 0)
    # 0 or 1 substituted digit: with two, some valid code is nearly always reachable
    # (1 in 11 readings validates), and a wrong code reported valid is worse than none.
    for changes in range(2):
        candidates = []
        for positions in itertools.combinations(range(len(digits)), changes):
            # only near-ties: a far second choice is noise, and trying it finds a wrong
            # code that happens to validate
            alternatives = [[o for o in digits[p][1:] if o[1] >= digits[p][0][1] - _NEAR] for p in positions]
            for picks in itertools.product(*alternatives):
                reading = list(top)
                loss = 0.0
                for p, (digit, conf) in zip(positions, picks, strict=True):
                    reading[p] = digit
                    loss += digits[p][0][1] - conf
                candidates.append((loss, "".join(reading)))
        for loss, reading in sorted(candidates):
            if national_code.is_valid(reading):
                return reading, max(0.0, base - loss / len(digits)) * (1.0 - 0.1 * changes)
    return None


def date_field(symbols: list[Symbol], text: str, years: tuple[int, int]) -> Field:
    """A Jalali date ``YYYY/MM/DD`` within ``years``; its Gregorian day alongside."""
    flat = normalize_digits(text)
    conf = sum(s.confidence for s in symbols) / max(len(symbols), 1)
    for reading in _date_readings(flat, symbols):
        if jalali.is_valid(reading) and years[0] <= int(reading[:4]) <= years[1]:
            value = jalali.validate(reading)
            return Field(value, conf, True, {"gregorian": jalali.to_gregorian(value).isoformat()})
    digits = re.sub(r"[^0-9]", "", flat)
    shown = f"{digits[:4]}/{digits[4:6]}/{digits[6:8]}" if len(digits) == 8 else (flat or None)
    return Field(shown, conf * 0.5, False)


def _date_readings(flat: str, symbols: list[Symbol]) -> list[str]:
    # As read; then with the slashes recovered where OCR took them for "1" (۱ and / are
    # one stroke apart); then with each digit's second choice.
    digits = re.sub(r"[^0-9]", "", flat)
    readings = [flat.replace(" ", "")]
    if len(digits) == 8:
        readings.append(f"{digits[:4]}/{digits[4:6]}/{digits[6:]}")
    if len(symbols) == 10:  # ten glyphs: the 5th and 8th are the slashes, whatever OCR said
        top = [normalize_digits(s.text) for s in symbols]
        readings.append("".join(top[:4]) + "/" + "".join(top[5:7]) + "/" + "".join(top[8:]))
    opts = _digit_symbols(symbols)
    if len(opts) == 8:
        top = [o[0][0] for o in opts]
        for i, o in enumerate(opts):
            for alt, _ in o[1:]:
                d = "".join(top[:i] + [alt] + top[i + 1:])
                readings.append(f"{d[:4]}/{d[4:6]}/{d[6:]}")
    return readings


def name_field(text: str, conf: float) -> Field:
    """A Persian name: normalised letters, no digits or punctuation left over."""
    name = normalize_persian(text)
    name = re.sub(r"[^\u0600-\u06FF\u200c ]", "", name).strip(" :\u200c")
    letters = re.sub(r"[^\u0621-\u06FF]", "", name)
    return Field(name or None, conf, len(letters) >= 2 and not re.search(r"[0-9]", name))
