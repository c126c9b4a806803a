"""OCR repair of MRZs: confusions injected into valid specimens must come back exactly,
or be left alone; never turned into a different zone that passes its checks."""

from __future__ import annotations

import random

import pytest

from kyc_sdk.errors import InvalidIdentifier
from kyc_sdk.identifiers import mrz, mrz_repair
from tests.identifiers._manifest import mrz_expectations

CONFUSE_DIGIT = {"0": "OQD", "1": "IL", "2": "Z", "5": "S", "6": "G", "8": "B"}
CONFUSE_LETTER = {"O": "0", "I": "1", "Z": "2", "S": "5", "G": "6", "B": "8"}


def valid_specimens(shared) -> list[list[str]]:
    found = [e["mrz_lines"] for _, e in mrz_expectations(shared) if e.get("all_check_digits_valid")]
    return [lines for lines in found if mrz.parse(lines).valid]


def spans(kind: str, table: dict) -> list[tuple[int, int]]:
    return [(line, i) for line, start, end in table[kind] for i in range(start, end)]


def corrupt(
    lines: list[str], positions: list[tuple[int, int]], confusions: dict, rng: random.Random
) -> list[str]:
    out = list(lines)
    for line, i in positions:
        if out[line][i] in confusions and rng.random() < 0.5:
            out[line] = out[line][:i] + rng.choice(confusions[out[line][i]]) + out[line][i + 1 :]
    return out


def test_a_valid_zone_is_returned_unchanged(shared_data) -> None:
    specimens = valid_specimens(shared_data)
    assert len(specimens) >= 12
    for lines in specimens:
        assert mrz_repair.repair(lines).lines == tuple(lines)


def test_alphabet_confusions_are_always_undone(shared_data) -> None:
    rng = random.Random(5)
    for lines in valid_specimens(shared_data):
        kind = mrz.parse(lines).format
        kind = {"MRVA": "TD3", "MRVB": "TD2"}.get(kind, kind)
        digits = [p for p in spans(kind, mrz_repair._DIGIT_SPANS) if not (lines[0][0] == "V" and p[1] >= 28)]
        letters = spans(kind, mrz_repair._LETTER_SPANS)
        for _ in range(20):
            bad = corrupt(corrupt(lines, digits, CONFUSE_DIGIT, rng), letters, CONFUSE_LETTER, rng)
            assert mrz.repair(bad).lines == tuple(lines), (lines, bad)


def test_document_number_confusion_is_undone_or_left_but_never_wrong(shared_data) -> None:
    restored = left = 0
    for lines in valid_specimens(shared_data):
        parsed = mrz.parse(lines)
        line, start = (0, 5) if parsed.format == "TD1" else (1, 0)
        for i in range(start, start + 9):
            for wrong in {**CONFUSE_DIGIT, **CONFUSE_LETTER}.get(lines[line][i], ""):
                bad = list(lines)
                bad[line] = bad[line][:i] + wrong + bad[line][i + 1 :]
                if mrz.parse(bad).valid:  # G/6, L/1: equal weight mod 10, no check can see it
                    continue
                result = mrz.repair(bad)
                if result.lines == tuple(lines):
                    restored += 1
                else:
                    assert result.lines == tuple(bad) and not result.valid
                    left += 1
    print(f"document-number confusions: {restored} restored, {left} left as read")
    assert restored > 0  # and never a wrong zone (above): one check digit cannot settle all


def test_repair_refuses_what_is_not_an_mrz() -> None:
    for junk in ["", "hello", ["P<UTO"], None]:
        with pytest.raises(InvalidIdentifier):
            mrz_repair.repair(junk)  # type: ignore[arg-type]
