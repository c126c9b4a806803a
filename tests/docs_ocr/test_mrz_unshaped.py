"""A band found whose lines no reader fitted to an MRZ shape (glare or a fold made a
line reader drop or add a few characters): its lines are returned fitted loosely, never
valid, rather than nothing; lines that do not look like an MRZ still give nothing."""

from __future__ import annotations

import random

from kyc_sdk.docs_ocr import mrz, mrz_synth
from kyc_sdk.identifiers import mrz as mrz_id


def _dropped(lines: tuple[str, ...], drops: list[int]) -> tuple[str, ...]:
    # each line loses its last ``drops[i]`` characters (glare over its fillers)
    return tuple(line[: len(line) - d] if d else line for line, d in zip(lines, drops, strict=True))


def test_lines_a_few_characters_short_are_returned_never_valid() -> None:
    doc = mrz_synth.random_mrz(random.Random(3), "TD2")
    read = mrz._unshaped(_dropped(doc.lines, [4, 3]))
    assert read.mrz is not None
    out = read.to_dict()
    assert out["found"] is True and out["valid"] is False
    expected = mrz_id.parse(list(doc.lines)).fields
    fields = out["fields"]
    assert isinstance(fields, dict)
    for field in ("document_number", "birth_date_raw", "expiry_date_raw", "surname", "nationality"):
        assert fields[field] == expected[field]


def test_a_three_line_card_short_by_a_few_characters_keeps_its_shape() -> None:
    doc = mrz_synth.random_mrz(random.Random(4), "TD1")
    read = mrz._unshaped(_dropped(doc.lines, [2, 0, 4]))
    assert read.mrz is not None and read.mrz.format == "TD1" and read.to_dict()["valid"] is False


def test_lines_that_do_not_look_like_an_mrz_give_nothing() -> None:
    doc = mrz_synth.random_mrz(random.Random(5), "TD3")
    # too short for any shape, no name separator, or no digits where the dates stand
    for raw in (
        _dropped(doc.lines, [24, 24]),
        (doc.lines[0].replace("<<", "KK"), doc.lines[1]),
        (doc.lines[0], "ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMNOPQR"),
        (),
    ):
        read = mrz._unshaped(raw)
        assert read.mrz is None and read.to_dict()["found"] is False


def test_the_zone_is_the_lowest_run_of_lines_of_one_mrz_width() -> None:
    import numpy as np

    from kyc_sdk.docs_ocr import mrz_decode
    from kyc_sdk.docs_ocr._ocrb import Cell

    def line(n: int) -> list[Cell]:
        return [Cell(np.zeros(4), np.zeros(37)) for _ in range(n)]

    # security print read as a short line below a card's three lines
    lines = [line(30), line(30), line(30), line(28)]
    assert mrz_decode._zone_lines(lines) == lines[:3]
    # a page edge read as a line above a passport's two
    lines = [line(31), line(44), line(44)]
    assert mrz_decode._zone_lines(lines) == lines[1:]
    assert mrz_decode._zone_lines([line(44), line(36)]) is None
    assert mrz_decode._zone_lines([]) is None
