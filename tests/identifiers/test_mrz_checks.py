"""``mrz.checks``: the check digits alone, as ``parse`` reports them."""

from __future__ import annotations

import random

import pytest

from kyc_sdk.docs_ocr import mrz_synth
from kyc_sdk.errors import InvalidIdentifier
from kyc_sdk.identifiers import mrz

ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<"


def _mutated(lines: tuple[str, ...], rng: random.Random) -> list[str]:
    """The lines with zero to three characters replaced (checks then fail or pass by chance)."""
    rows = [list(line) for line in lines]
    for _ in range(rng.choice((0, 1, 1, 2, 3))):
        row = rng.randrange(len(rows))
        rows[row][rng.randrange(len(rows[row]))] = rng.choice(ALPHABET)
    return ["".join(row) for row in rows]


def test_checks_are_parses_checks_on_every_format() -> None:
    rng = random.Random(13)
    seen_failing = seen_passing = 0
    for kind in (*mrz_synth.FORMATS, "TD2", "TD1"):
        for _ in range(150):
            lines = _mutated(mrz_synth.random_mrz(rng, kind).lines, rng)
            if kind == "TD2" and rng.random() < 0.2:  # a long document number (note j)
                lines[1] = lines[1][:9] + "<" + lines[1][10:28] + "AB12" + lines[1][32:]
            expected = mrz.parse(lines).checks
            assert mrz.checks(lines) == expected
            assert list(mrz.checks(lines)) == list(expected)
            seen_failing += not all(expected.values())
            seen_passing += all(expected.values())
    assert seen_failing > 100 and seen_passing > 100


def test_checks_refuse_what_is_no_mrz() -> None:
    with pytest.raises(InvalidIdentifier):
        mrz.checks(["P<UTO", "L898"])
    with pytest.raises(InvalidIdentifier):
        mrz.checks(["P<UTO" + "!" * 39, "L" * 44])
