"""Machine-readable zones (ICAO Doc 9303, parts 4–6): check digits and parsing.

Formats: TD3 (passport, 2 lines × 44), TD2 (2 × 36), TD1 (ID card, 3 × 30), and the
visas MRV-A and MRV-B (the TD3 and TD2 shapes, starting ``V``). A check
digit maps ``0–9`` to 0–9, ``A–Z`` to 10–35 and ``<`` to 0, weighs them 7, 3, 1
repeating and keeps the sum mod 10. ``parse`` reports every check separately, so OCR
can use them to choose between readings; ``validate`` demands all of them; ``repair``
(in ``mrz_repair``) undoes OCR confusions such as ``0``/``O`` where the checks allow.

Dates are ``YYMMDD``; fields keep them raw (``birth_date_raw``, ``expiry_date_raw``) and
as ISO dates under a century rule: a birth date is the latest day with those digits that
is not after ``today`` (so 2000–today, else 1900s), an expiry date is in 2000–2099. An
impossible date is ``None`` (and fails ``validate``).

Spec: ICAO Doc 9303, https://www.icao.int/publications/pages/publication.aspx?docnum=9303
(part 3 check digits, parts 4–6 TD3/TD1/TD2, part 7 visas); docs/identifiers.md.

>>> check_digit("L898902C3")
'6'
>>> m = parse('''P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<
... L898902C36UTO7408122F1204159ZE184226B<<<<<10''')
>>> m.format, m.fields["surname"], m.fields["given_names"], m.fields["birth_date"], m.valid
('TD3', 'ERIKSSON', 'ANNA MARIA', '1974-08-12', True)
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from kyc_sdk.errors import InvalidIdentifier

FIELD = "mrz"
_ALPHABET = re.compile(r"[A-Z0-9<]+")
_VALUES = {**{str(d): d for d in range(10)}, **{chr(65 + i): 10 + i for i in range(26)}, "<": 0}
_SHAPES = {(2, 44): "TD3", (2, 36): "TD2", (3, 30): "TD1"}


def check_digit(data: str) -> str:
    """The ICAO 9303 check digit of ``data`` (characters of the MRZ alphabet)."""
    try:
        values = list(map(_VALUES.__getitem__, data))
    except KeyError:
        raise InvalidIdentifier("MRZ text has a character outside A–Z, 0–9 and <", field=FIELD) from None
    # weights 7, 3, 1 repeating, summed by slices: OCR weighs thousands of candidate
    # readings a page, and this takes two thirds of a generator's time
    return str((7 * sum(values[0::3]) + 3 * sum(values[1::3]) + sum(values[2::3])) % 10)


@dataclass(frozen=True)
class MRZ:
    format: str
    lines: tuple[str, ...]
    fields: dict[str, str | None] = field(default_factory=dict)
    checks: dict[str, bool] = field(default_factory=dict)

    @property
    def valid(self) -> bool:
        return all(self.checks.values())

    def to_dict(self) -> dict[str, object]:
        return {
            "format": self.format,
            "lines": list(self.lines),
            "fields": self.fields,
            "checks": self.checks,
            "valid": self.valid,
        }


def _lines(text: str | list[str] | tuple[str, ...]) -> tuple[str, ...]:
    if isinstance(text, str):
        raw = text.splitlines()
    elif isinstance(text, (list, tuple)) and all(isinstance(t, str) for t in text):
        raw = list(text)
    else:
        raise InvalidIdentifier("MRZ must be text or a list of lines", field=FIELD)
    lines = tuple(line.strip().replace(" ", "").upper() for line in raw if line.strip())
    if (len(lines), len(lines[0]) if lines else 0) not in _SHAPES or len({len(x) for x in lines}) != 1:
        raise InvalidIdentifier("MRZ must be 2 lines of 44 (TD3) or 36 (TD2), or 3 of 30 (TD1)", field=FIELD)
    for line in lines:
        if not _ALPHABET.fullmatch(line):
            raise InvalidIdentifier("MRZ text has a character outside A–Z, 0–9 and <", field=FIELD)
    return lines


def _check(data: str, digit: str) -> bool:
    # An all-filler optional field may carry '<' as its check digit (ICAO 9303-4 4.2.2.2).
    if digit == "<":
        return data.strip("<") == ""
    return check_digit(data) == digit


def _date(yymmdd: str, *, birth: bool, today: datetime.date) -> str | None:
    if not yymmdd.isascii() or not yymmdd.isdigit():
        return None
    yy, mm, dd = int(yymmdd[:2]), int(yymmdd[2:4]), int(yymmdd[4:])
    try:
        day = datetime.date(2000 + yy, mm, dd)
        if birth and day > today:  # nobody is born in the future: the previous century
            day = datetime.date(1900 + yy, mm, dd)
    except ValueError:  # no such day (29 February follows the century chosen)
        return None
    return day.isoformat()


def _text(value: str) -> str:
    return value.replace("<", " ").strip()


def _names(value: str) -> tuple[str, str]:
    surname, _, given = value.partition("<<")
    return _text(surname), " ".join(_text(given).split())


def parse(text: str | list[str] | tuple[str, ...], *, today: datetime.date | None = None) -> MRZ:
    """Fields and every check digit's result. Raises only for text that is not an MRZ."""
    lines = _lines(text)
    kind = _SHAPES[(len(lines), len(lines[0]))]
    today = today or datetime.date.today()
    if kind == "TD1":
        return _td1(lines, today)
    return _td2_td3(lines, kind, today)


def checks(text: str | list[str] | tuple[str, ...]) -> dict[str, bool]:
    """Every check digit's result, as ``parse(text).checks``, without the fields: what
    OCR asks of each of the many candidate readings it weighs (dates and names need not
    be parsed for that). Raises only for text that is not an MRZ."""
    lines = _lines(text)
    return _checks(lines, _SHAPES[(len(lines), len(lines[0]))])


def shaped_checks(lines: list[str] | tuple[str, ...]) -> dict[str, bool]:
    """``checks`` of lines already in an MRZ's shape and alphabet (an OCR's candidate
    readings, built of MRZ characters), not normalised or matched against the alphabet
    again: a decode weighs thousands of them, and that took half of ``checks``' time.
    Raises only for a shape that is not an MRZ's (or a character outside the alphabet
    where a check digit reads it)."""
    width = len(lines[0]) if lines else 0
    kind = _SHAPES.get((len(lines), width))
    if kind is None or any(len(line) != width for line in lines):
        raise InvalidIdentifier("MRZ must be 2 lines of 44 (TD3) or 36 (TD2), or 3 of 30 (TD1)", field=FIELD)
    return _checks(tuple(lines), kind)


def _checks(lines: tuple[str, ...], kind: str) -> dict[str, bool]:
    """The check digits of ``lines`` of shape ``kind`` (TD1, TD2, TD3; a visa by its ``V``)."""
    if kind == "TD1":
        a, b, _ = lines
        number, number_check, _ = _long_number(a[5:14], a[14], a[15:30])
        return {
            "document_number": _check(number, number_check),
            "birth_date": _check(b[0:6], b[6]),
            "expiry_date": _check(b[8:14], b[14]),
            "composite": _check(a[5:30] + b[0:7] + b[8:15] + b[18:29], b[29]),
        }
    a, b = lines
    if a[0] == "V":  # a machine-readable visa (9303-7): no personal-number or composite check
        return {
            "document_number": _check(b[0:9], b[9]),
            "birth_date": _check(b[13:19], b[19]),
            "expiry_date": _check(b[21:27], b[27]),
        }
    number, number_check = b[0:9], b[9]
    if kind == "TD2":
        number, number_check, _ = _long_number(number, number_check, b[28:35])
    out = {
        "document_number": _check(number, number_check),
        "birth_date": _check(b[13:19], b[19]),
        "expiry_date": _check(b[21:27], b[27]),
    }
    if kind == "TD3":
        out["personal_number"] = _check(b[28:42], b[42])
        out["composite"] = _check(b[0:10] + b[13:20] + b[21:43], b[43])
    else:
        out["composite"] = _check(b[0:10] + b[13:20] + b[21:35], b[35])
    return out


def _common(
    doc: str,
    state: str,
    number: str,
    nationality: str,
    birth: str,
    sex: str,
    expiry: str,
    optional: str,
    today: datetime.date,
) -> dict[str, str | None]:
    return {
        "document_type": _text(doc),
        "issuing_state": _text(state),
        "document_number": _text(number),
        "nationality": _text(nationality),
        "birth_date": _date(birth, birth=True, today=today),
        "birth_date_raw": birth,
        "sex": {"M": "M", "F": "F"}.get(sex, "X"),
        "expiry_date": _date(expiry, birth=False, today=today),
        "expiry_date_raw": expiry,
        "optional_data": _text(optional) or None,
    }


def _td2_td3(lines: tuple[str, ...], kind: str, today: datetime.date) -> MRZ:
    a, b = lines
    surname, given = _names(a[5:])
    if a[0] == "V":  # a machine-readable visa (9303-7): no personal-number or composite check
        return _visa(lines, "MRVA" if kind == "TD3" else "MRVB", today)
    end = 42 if kind == "TD3" else 35
    number, number_check, optional = b[0:9], b[9], b[28:end]
    if kind == "TD2":
        number, _, optional = _long_number(number, number_check, optional)
    fields = _common(a[0:2], a[2:5], number, b[10:13], b[13:19], b[20], b[21:27], optional, today)
    fields.update(surname=surname, given_names=given)
    if kind == "TD3":
        fields["personal_number"] = fields.pop("optional_data")
    return MRZ(kind, lines, fields, _checks(lines, kind))


def _visa(lines: tuple[str, ...], kind: str, today: datetime.date) -> MRZ:
    a, b = lines
    fields = _common(a[0:2], a[2:5], b[0:9], b[10:13], b[13:19], b[20], b[21:27], b[28:], today)
    fields.update(zip(("surname", "given_names"), _names(a[5:]), strict=True))
    return MRZ(kind, lines, fields, _checks(lines, "TD3" if kind == "MRVA" else "TD2"))


def _long_number(number: str, check: str, optional: str) -> tuple[str, str, str]:
    """A document number over nine characters (9303-5 and -6, note j): ``<`` in the check
    position, the rest of the number at the head of the optional data, then its check digit."""
    tail = optional.split("<", 1)[0]
    if check != "<" or not tail:
        return number, check, optional
    return number + tail[:-1], tail[-1], optional[len(tail) :]


def _td1(lines: tuple[str, ...], today: datetime.date) -> MRZ:
    a, b, c = lines
    number, _, optional = _long_number(a[5:14], a[14], a[15:30])
    fields = _common(a[0:2], a[2:5], number, b[15:18], b[0:6], b[7], b[8:14], optional + b[18:29], today)
    surname, given = _names(c)
    fields.update(
        surname=surname,
        given_names=given,
        optional_data_2=_text(b[18:29]) or None,
        optional_data=_text(optional) or None,
    )
    return MRZ("TD1", lines, fields, _checks(lines, "TD1"))


def validate(text: str | list[str] | tuple[str, ...]) -> MRZ:
    """The parsed MRZ when every check digit and date is right, else ``InvalidIdentifier``."""
    mrz = parse(text)
    failed = [name for name, ok in mrz.checks.items() if not ok]
    if failed:
        raise InvalidIdentifier(f"MRZ check digit wrong: {', '.join(failed)}", field=FIELD)
    if mrz.fields["birth_date"] is None or mrz.fields["expiry_date"] is None:
        raise InvalidIdentifier("MRZ has an impossible date", field=FIELD)
    return mrz


def is_valid(text: object) -> bool:
    if not isinstance(text, (str, list, tuple)):
        return False
    try:
        validate(text)
    except InvalidIdentifier:
        return False
    return True


def repair(text: str | list[str] | tuple[str, ...], *, today: datetime.date | None = None) -> MRZ:
    """``mrz_repair.repair``: the MRZ with OCR confusions undone where the checks allow."""
    from kyc_sdk.identifiers.mrz_repair import repair as _repair

    return _repair(text, today=today)


def national_code_in(mrz: MRZ) -> str | None:
    """An Iranian document's personal-number (or optional) field holding a valid national
    code: accepted when present, never required (its use there is not confirmed)."""
    from kyc_sdk.identifiers import national_code

    if "IRN" not in (mrz.fields.get("issuing_state"), mrz.fields.get("nationality")):
        return None
    for key in ("personal_number", "optional_data", "optional_data_2"):
        value = (mrz.fields.get(key) or "").replace(" ", "")
        if value and national_code.is_valid(value):
            return national_code.compact(value)
    return None
