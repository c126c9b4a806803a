"""Decoding OCR'd card values under their rules: the national code under its checksum,
Jalali dates under the calendar, names normalised (``kyc_sdk.text``).

Each decoder takes the glyph reader's symbols with their alternatives (``_tess.Symbol``)
and returns a ``Field``. ``valid`` is a promise the caller may act on, so it needs every
digit read surely (``sure``; ``_glyphs`` says why a glyph is sure) and the value passing
its rule (docs/identifiers.md). The checksum is not used to pick among near-tie readings: with
substitutions allowed, about 1 in 11 wrong readings validates, and on fonts unknown to
the templates 11 of 100 codes came out valid but wrong. Nor does it change a digit the
reader marked unsure (``_erasure``): it only confirms that digit's own reading. Otherwise
the best reading comes back with ``valid`` False and a confidence below 0.5, so the caller
asks for a new photo.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass, replace

from kyc_sdk.identifiers import jalali, national_code
from kyc_sdk.text import normalize_digits, normalize_persian

from ._glyphs import form_conflicts, is_mark
from ._tess import Symbol

_DIGIT = re.compile(r"[0-9]")
_SEPARATORS = "/\\-.|"
_SURE_CONF = 0.6  # a glyph's best similarity below this is not a digit we know
_SURE_MARGIN = 0.02  # best minus second choice: below it the glyph is a near-tie (as _glyphs)
_ERASURE_COST = 0.95  # a digit confirmed by the checksum was not read surely
_LOW = 0.5  # scale of an unsure field's confidence: always below registration's 0.8


@dataclass(frozen=True)
class Field:
    """One field as read: ``value`` (None when unreadable), confidence 0..1, ``valid``."""

    value: str | None
    confidence: float
    valid: bool
    extra: dict[str, str] | None = None

    def to_dict(self) -> dict[str, object]:
        return {
            "value": self.value,
            "confidence": round(self.confidence, 3),
            "valid": self.valid,
            **(self.extra or {}),
        }


MISSING = Field(None, 0.0, False)


def _digit_options(symbol: Symbol) -> list[tuple[str, float]]:
    """The digits a symbol may be, best first (ASCII), with their confidences."""
    options: dict[str, float] = {}
    for text, conf in ((symbol.text, symbol.confidence), *symbol.choices):
        digit = normalize_digits(text)
        if _DIGIT.fullmatch(digit) and digit not in options:
            options[digit] = conf
    return sorted(options.items(), key=lambda kv: -kv[1])


def sure(symbol: Symbol) -> bool:
    """Whether a glyph's reading may count towards a ``valid`` field: the reader's verdict
    when it gave one, else a clear margin between its first two choices."""
    if symbol.sure is not None:
        return symbol.sure
    confs = [conf for _, conf in symbol.choices] + [0.0]
    return symbol.confidence >= _SURE_CONF and symbol.confidence - confs[1] >= _SURE_MARGIN


def _digit_symbols(symbols: list[Symbol]) -> list[Symbol]:
    return [s for s in symbols if _digit_options(s)]


def _unsure_confidence(digits: list[Symbol]) -> float:
    # Low enough that a caller asks for a new photo, still ordered by how much was sure.
    share = sum(map(sure, digits)) / max(len(digits), 1)
    return round(_LOW * share * _mean(digits), 3)


def national_code_field(symbols: list[Symbol]) -> Field:
    """The national code, ``valid`` only when its checksum holds with every digit sure, or
    with exactly one unsure digit whose own reading the checksum confirms (``_erasure``)."""
    digits = _digit_symbols(symbols)
    # A label joined to the code leaves letters at an end, some read as digits, unsure:
    # dropped while there are more than ten (a sure digit is never dropped).
    dropped: list[Symbol] = []
    while len(digits) > 10 and not (sure(digits[0]) and sure(digits[-1])):
        dropped.append(digits[0] if not sure(digits[0]) else digits[-1])
        digits = digits[1:] if not sure(digits[0]) else digits[:-1]
    top = "".join(_digit_options(s)[0][0] for s in digits)
    if len(digits) != 10:  # cards print all ten digits: fewer means a glyph was lost
        return Field(top or None, 0.0, False)
    unsure = [i for i, s in enumerate(digits) if not sure(s)]
    if any(map(_digit_shaped, dropped)):
        # An end glyph dropped had a digit's shape: eleven digits, one of them not the
        # code's (a hyphen read as ۰ under blur), and which one the line cannot say. With
        # the code's own first digit dropped instead, the ten left validate by chance
        # about 1 time in 11 (tuning, Nazli blurred: 3942004569 valid as 9420045609).
        shown = _likeliest(digits, top, national_code.is_valid)
        return Field(shown, _unsure_confidence([*dropped, *digits]), False)
    if not unsure and national_code.is_valid(top):
        return Field(top, _mean(digits), True)
    if len(unsure) == 1 and _erasure(top, unsure[0]):
        return Field(top, _mean(digits) * _ERASURE_COST, True)
    return Field(_likeliest(digits, top, national_code.is_valid), _unsure_confidence(digits), False)


def _digit_shaped(symbol: Symbol) -> bool:
    # A digit template matched it (a letter that did not is read by Tesseract, shapeless).
    return symbol.shape is not None and symbol.confidence >= _SURE_CONF


_SHOWN_SPOTS = 6  # unsure glyphs searched for a reading to show (3^6 readings at most)


# What one pair of glyphs reading against the card's print (``_glyphs.form_conflicts``)
# costs a reading shown, in similarity given up. Tuning cards: a face's ۴ read ۲ beside
# its true ۲ needed more than 0.17 a pair to be shown right (Noto Naskh, angled; upside
# down 0.1), and a right low-resolution reading whose forms the blur had spread kept
# three pairs against a wrong one that gave up 1.68, so less than 0.56 (Noto Sans).
_FORM_COST = 0.25


def _likeliest(symbols: list[Symbol], top: str, fits: Callable[[str], bool]) -> str:
    """What an unsure field shows: the likeliest reading that ``fits`` its rule, each
    unsure glyph one of its first three choices. Likeliest is the least similarity given
    up plus ``_FORM_COST`` for each pair of glyphs that reads against the card's print
    (``_glyphs.form_conflicts``: one form, one value): a face's ۴ read ۲ twice beside its
    true ۲ is one value in two unlike forms, and the least similarity alone changed a
    third glyph instead, to a reading the checksum took by chance (tuning cards, Noto
    Naskh). Shown only, never ``valid``: near-ties that satisfy a checksum or a calendar
    by chance are common, which is why ``valid`` never takes them."""
    conflicts = form_conflicts(symbols)
    if fits(top) and not conflicts(top):
        return top
    options = [_digit_options(s)[:3] if not sure(s) and _digit_options(s) else [] for s in symbols]
    spots = sorted(
        (i for i, o in enumerate(options) if len(o) > 1), key=lambda i: options[i][0][1] - options[i][1][1]
    )
    spots = spots[:_SHOWN_SPOTS]
    best: tuple[float, str] | None = (_FORM_COST * conflicts(top), top) if fits(top) else None
    for choice in itertools.product(*[options[i] for i in spots]):
        chars = list(top)
        loss = 0.0
        for i, (digit, conf) in zip(spots, choice, strict=True):
            chars[i], loss = digit, loss + options[i][0][1] - conf
        reading = "".join(chars)
        if (best is None or loss < best[0]) and fits(reading):
            cost = loss + _FORM_COST * conflicts(reading)
            best = (cost, reading) if best is None or cost < best[0] else best
    return top if best is None else best[1]


def _mean(digits: list[Symbol]) -> float:
    return sum(s.confidence for s in digits) / max(len(digits), 1)


def _erasure(top: str, position: int) -> bool:
    """Whether the checksum confirms the one unsure digit as read: its reading is the only
    value that validates there (a check digit of 1 admits two sums, so not always).

    It never changes that digit, though the one value that fits is right whenever the other
    nine are. Nine sure digits are wrong now and then (a face misread with confidence by
    both readers, the same way at each of its glyphs), and then some value of the unsure
    digit validates by chance about 1 time in 10: letting the checksum pick among the
    glyph's first two choices made such a reading valid (two ۴ read ۳ at 1.0, a third
    digit changed to fit: tests/docs_ocr/test_code_erasure.py). Confirming it as read adds nothing
    to that chance beyond what a code of ten sure digits has. On tuning cards the codes made
    valid this way kept their reading 33 times in 33, and 13 in 14 with the digit
    classifier fitted without each card's face; the 14th (the checksum's ۴ where ``fas``
    showed ۳) is still shown right, not valid (benchmarks/erasure_audit.py)."""
    fits = [d for d in "0123456789" if national_code.is_valid(top[:position] + d + top[position + 1 :])]
    return fits == [top[position]]


def date_field(symbols: list[Symbol], text: str, years: tuple[int, int]) -> Field:
    """A Jalali date ``YYYY/MM/DD`` within ``years``; its Gregorian day alongside. A date
    has no checksum, so it is ``valid`` only as read with every digit sure: most digit
    errors still give a real day. Printed with any separator (``/``, ``-``, ``.``, a
    space): split where the glyph reader found them (``_split_at_marks``)."""
    flat = normalize_digits(text)
    digits = _digit_symbols(symbols)
    conf = _mean(symbols)
    if all(map(sure, digits)):
        for reading in _date_readings(flat, symbols, structure_lost=False):
            # Cards print the month and day in two digits: one digit there is a glyph
            # lost (1355/04/26 read 1355/04/6, every glyph sure), shown but not valid.
            if not _JALALI.fullmatch(reading):
                continue
            if jalali.is_valid(reading) and years[0] <= int(reading[:4]) <= years[1]:
                value = jalali.validate(reading)
                return Field(value, conf, True, {"gregorian": jalali.to_gregorian(value).isoformat()})
    shown = _date_readings(flat, symbols)[-1]
    if len(symbols) == 10 and len(shown) == 10:  # the glyphs and the shown date align

        def fits(reading: str) -> bool:
            date = reading[:4] + "/" + reading[5:7] + "/" + reading[8:]
            return (
                date[:4].isascii()
                and date[:4].isdigit()
                and jalali.is_valid(date)
                and years[0] <= int(date[:4]) <= years[1]
            )

        shown = _likeliest(symbols, shown, fits)
        shown = shown[:4] + "/" + shown[5:7] + "/" + shown[8:]
    return Field(shown or None, min(conf * _LOW, _unsure_confidence(digits) or conf * _LOW), False)


def _date_readings(flat: str, symbols: list[Symbol], *, structure_lost: bool = True) -> list[str]:
    # As read; then with the slashes recovered where OCR took them for "1" (۱ and / are
    # one stroke apart): structure only, never a digit changed. Eight digits and a slash
    # or two lost is shown but never trusted: a slash lost is usually a slash merged
    # with a digit, and the pair read as another digit (a Latin "/" touching "۱" reads
    # as "۷" at 0.75 and "sure": 1344/01/26 was valid as 1344/07/26).
    digits = re.sub(r"[^0-9]", "", flat)
    readings = [flat.replace(" ", "")]
    split = _split_at_marks(symbols)
    if len(digits) == 8 and structure_lost:
        readings.append(f"{digits[:4]}/{digits[4:6]}/{digits[6:]}")
    if len(symbols) == 10:  # ten glyphs: the 5th and 8th are the slashes, whatever OCR said
        top = [normalize_digits(s.text) for s in symbols]
        readings.append("".join(top[:4]) + "/" + "".join(top[5:7]) + "/" + "".join(top[8:]))
    return [*readings, split] if split else readings


def _split_at_marks(symbols: list[Symbol]) -> str | None:
    """The date split at the separators the glyph reader saw (``_glyphs.is_mark``): only
    when they part four, two and two digits. A separator lost (merged into a digit, or
    too faint) leaves other groups: no reading, so never ``valid`` (eight digits alone
    are not trusted, ``_date_readings``)."""
    parts = [""]
    for symbol in symbols:
        if is_mark(symbol):
            parts.append("")
            continue
        digit = normalize_digits(symbol.text)
        if not _DIGIT.fullmatch(digit):
            return None
        parts[-1] += digit
    return "/".join(parts) if [len(p) for p in parts] == [4, 2, 2] else None


_MIN_AGE_AT_ISSUE = 15  # years: Iran issues the national card from its holder's fifteenth year
_JALALI = re.compile(r"([0-9]{4})/([0-9]{2})/([0-9]{2})")


def unsure(field: Field) -> Field:
    """``field`` kept as the likeliest reading, no longer ``valid``: the evidence around it
    (another field, the row it came from) contradicts it."""
    if not field.valid:
        return field
    return replace(field, valid=False, confidence=round(field.confidence * _LOW, 3))


def dates_agree(birth: str | None, expiry: str | None) -> bool:
    """Whether a card's birth and expiry dates can both be what it printed. The front
    carries no issue date, but the card is issued on or after its holder's fifteenth
    birthday and expires after it is issued, so the expiry is at least
    ``_MIN_AGE_AT_ISSUE`` years after the birth (which also rules out one date read
    twice, or the two swapped). Each date alone passing the calendar says nothing about
    which row it came from; this is the only check across them. Dates not both read
    (or not both days) cannot disagree."""
    b = _JALALI.fullmatch(birth or "")
    e = _JALALI.fullmatch(expiry or "")
    if b is None or e is None:
        return True
    born = (int(b[1]) + _MIN_AGE_AT_ISSUE, b[2], b[3])
    return (int(e[1]), e[2], e[3]) > born


def born_by(birth: str | None, today: str) -> bool:
    """Whether ``birth`` (a Jalali day, as read) could be a holder's birth date on
    ``today`` (the Jalali day the card is read): not after it. The expiry's row read as
    the birth date's, its own row unread, passes every other check (FRESH4 fonts, seed
    777: 1410/08/29 as a birth date, valid and wrong). A reading that is not a day
    cannot be judged here; its own rule already keeps it from ``valid``."""
    b = _JALALI.fullmatch(birth or "")
    return b is None or b[0] <= today


def name_field(text: str, conf: float) -> Field:
    """A Persian name: normalised letters, no digits or punctuation left over."""
    name = normalize_persian(text)
    name = re.sub(r"[^\u0600-\u06FF\u200c ]", "", name).strip(" :\u200c")
    letters = re.sub(r"[^\u0621-\u06FF]", "", name)
    return Field(name or None, conf, len(letters) >= 2 and not re.search(r"[0-9]", name))
