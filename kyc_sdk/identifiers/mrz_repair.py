"""OCR repair for machine-readable zones: each position's alphabet, then the check digits.

OCR confuses ``0/O``, ``1/I``, ``5/S``, ``8/B``, ``2/Z`` and ``6/G`` (docs/identifiers.md). In
an MRZ most positions admit only one of each pair (ICAO Doc 9303 parts 4–6): dates and
check digits are digits, state codes and names are letters; there a misreading has one
possible fix. Document and personal numbers mix both, so a confusable character there is
changed only when exactly one single change makes both the field's check digit and the
composite check pass: the check digits decide, never a guess. A zone that already
validates is returned unchanged. Limits: the check digit weighs a letter as 10–35, so
``G``/``6`` and ``L``/``1`` (16 vs 6, 21 vs 1) give the same digit and cannot be told apart
in a mixed field; a state code holding a digit nothing explains is left as read.

>>> m = repair(["P<UTOERIKSS0N<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
...             "L8989O2C36UT07408I22F12O4159ZE184226B<<<<<1O"])
>>> m.valid, m.lines[1], m.fields["surname"]
(True, 'L898902C36UTO7408122F1204159ZE184226B<<<<<10', 'ERIKSSON')
"""

from __future__ import annotations

import datetime

from kyc_sdk.identifiers import mrz as _mrz

_TO_DIGIT = str.maketrans("OQDILZSGB", "000112568")
_TO_LETTER = str.maketrans("012568", "OIZSGB")
_SWAPS = {
    "0": "OD",
    "O": "0",
    "D": "0",
    "Q": "0",
    "1": "I",
    "I": "1",
    "L": "1",
    "2": "Z",
    "Z": "2",
    "5": "S",
    "S": "5",
    "6": "G",
    "G": "6",
    "8": "B",
    "B": "8",
}

# (line, start, end) spans holding only digits (or '<' filler), then only letters (or '<').
_DIGIT_SPANS = {
    "TD3": [(1, 9, 10), (1, 13, 20), (1, 21, 28), (1, 42, 44)],
    "TD2": [(1, 9, 10), (1, 13, 20), (1, 21, 28), (1, 35, 36)],
    "TD1": [(0, 14, 15), (1, 0, 7), (1, 8, 15), (1, 29, 30)],
}
# The document code's second character is left alone: states put digits there ("C1").
_LETTER_SPANS = {
    "TD3": [(0, 0, 1), (0, 2, 44), (1, 10, 13)],
    "TD2": [(0, 0, 1), (0, 2, 36), (1, 10, 13)],
    "TD1": [(0, 0, 1), (0, 2, 5), (1, 15, 18), (2, 0, 30)],
}
# Mixed fields with their own check digit: (line, start, end, name of the check).
_CHECKED_FIELDS = {
    "TD3": [(1, 0, 9, "document_number"), (1, 28, 42, "personal_number")],
    "TD2": [(1, 0, 9, "document_number")],
    "TD1": [(0, 5, 14, "document_number")],
}


def repair(text: str | list[str] | tuple[str, ...], *, today: datetime.date | None = None) -> _mrz.MRZ:
    """The MRZ with OCR confusions undone where the alphabet or check digits say how.

    Raises ``InvalidIdentifier`` only for text that has no MRZ shape at all.
    """
    lines = list(_mrz._lines(text))
    kind = _kind(lines)
    # Always: a letter in a date is wrong even when its check digit agrees (G and 6 weigh
    # the same mod 10).
    _fix_spans(lines, _DIGIT_SPANS[kind], _TO_DIGIT, visa=lines[0][0] == "V")
    _fix_spans(lines, _LETTER_SPANS[kind], _TO_LETTER, visa=False)
    for field in _CHECKED_FIELDS[kind] if lines[0][0] != "V" else _CHECKED_FIELDS[kind][:1]:
        _fix_checked_field(lines, field, today)  # a no-op when the field's checks pass
    return _mrz.parse(lines, today=today)


def _kind(lines: list[str]) -> str:
    return {44: "TD3", 36: "TD2", 30: "TD1"}[len(lines[0])]


def _fix_spans(
    lines: list[str], spans: list[tuple[int, int, int]], table: dict[int, int], *, visa: bool
) -> None:
    for line, start, end in spans:
        if visa and line == 1 and start >= 28:  # a visa has optional data there (9303-7)
            continue
        text = lines[line]
        fixed = text[start:end].translate(table)
        if end - start == 3 and table is _TO_LETTER and not fixed.strip("<").isalpha():
            continue  # a state code with a digit no confusion explains ("132" is seen): leave it
        lines[line] = text[:start] + fixed + text[end:]


def _fix_checked_field(
    lines: list[str], field: tuple[int, int, int, str], today: datetime.date | None
) -> None:
    line, start, end, check = field
    if _passes(lines, check, today):
        return
    fixes = []
    for i in range(start, end):
        for swap in _SWAPS.get(lines[line][i], ""):
            candidate = list(lines)
            candidate[line] = candidate[line][:i] + swap + candidate[line][i + 1 :]
            if _passes(candidate, check, today):
                fixes.append(candidate)
    if len(fixes) == 1:  # one single change satisfies the checks: take it; else leave it
        lines[:] = fixes[0]


def _passes(lines: list[str], check: str, today: datetime.date | None) -> bool:
    checks = _mrz.parse(lines, today=today).checks
    return checks.get(check, False) and checks.get("composite", True)
