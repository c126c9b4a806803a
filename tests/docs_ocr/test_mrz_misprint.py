"""A printed check digit that does not match its field (specimens print them wrong on
purpose; a worn or misprinted page does too): the reader returns the zone as printed and
does not call it valid. A check digit may only choose among readings the glyph leaves
open; it must not turn a clearly read character into its look-alike because the
look-alike happens to pass (about one such swap in ten does, by chance)."""

from __future__ import annotations

import random

import numpy as np

from kyc_sdk.docs_ocr import mrz, mrz_decode, mrz_synth
from kyc_sdk.docs_ocr._ocrb import ALPHABET, Cell
from kyc_sdk.docs_ocr.mrz import read_mrz
from kyc_sdk.identifiers import mrz as mrz_id
from tests.docs_ocr.ocrb_scores import printed_scores

SPECIMEN = ["P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C36UTO7408122F1204159ZE184226B<<<<<10"]


def _misprinted(number: str, at: int, twin: str) -> str:
    """The check digit the number would have with ``twin`` at ``at``: wrong for the number
    as printed, right for its look-alike."""
    wrong = mrz_id.check_digit(number[:at] + twin + number[at + 1 :])
    assert wrong != mrz_id.check_digit(number)
    return wrong


def _cells(lines: list[str], rivals: dict[tuple[int, int], tuple[str, float]]) -> list[list[Cell]]:
    """Each printed character scores 0.95, every other 0.5; a rival scores as given. One
    print: glyphs of one character have one shape."""
    rng = np.random.default_rng(0)
    shapes = {
        ch: v / np.linalg.norm(v) for ch, v in zip(ALPHABET, rng.normal(size=(len(ALPHABET), 8)), strict=True)
    }
    out = []
    for row, line in enumerate(lines):
        cells = []
        for col, ch in enumerate(line):
            scores = printed_scores(ch)
            if (row, col) in rivals:
                other, score = rivals[(row, col)]
                scores[ALPHABET.index(other)] = score
            cells.append(Cell(shapes[ch].astype(np.float32), scores))
        out.append(cells)
    return out


def _with_check(lines: list[str], check: str) -> list[str]:
    return [lines[0], lines[1][:9] + check + lines[1][10:]]


def test_a_clear_glyph_is_not_changed_to_pass_a_misprinted_check_digit() -> None:
    # the 8 of the number is read clearly (B 0.045 behind); B would pass the misprinted check
    printed = _with_check(SPECIMEN, _misprinted(SPECIMEN[1][:9], 1, "B"))
    decoded = mrz_decode.decode(_cells(printed, {(1, 1): ("B", 0.905)}))
    assert decoded is not None and decoded.lines == printed
    assert decoded.sure is False and not mrz_id.parse(decoded.lines).valid


def test_an_open_glyph_is_still_settled_by_its_check_digit() -> None:
    # the same rival within a hair of the printed 8: the check digit (right) decides it
    decoded = mrz_decode.decode(_cells(SPECIMEN, {(1, 1): ("B", 0.96)}))
    assert decoded is not None and decoded.lines == SPECIMEN


def _page(number: str, check: str) -> list[str]:
    doc = mrz_synth.random_mrz(random.Random(7), "TD1", state="USA")
    one = doc.lines[0][:5] + number + check + doc.lines[0][15:]
    return [one, *doc.lines[1:]]


def test_a_page_with_a_misprinted_check_digit_is_read_as_printed_and_not_valid() -> None:
    # a generated ID card whose document number's check digit is the one its 5 read as S
    # would have (the class of a real specimen that was read with S, passing its check)
    number = "D23456791"
    lines = _page(number, _misprinted(number, 4, "S"))
    doc = mrz_synth.MrzDocument("TD1", "USA", tuple(lines))
    out = read_mrz(mrz_synth.render(doc, font="ocrb", rng=random.Random(3)))
    assert out.mrz is not None and list(out.raw) == lines
    assert out.to_dict()["valid"] is False
    assert out.mrz.checks["document_number"] is False


def test_two_open_glyphs_are_not_both_changed_to_pass_a_check_digit() -> None:
    # an 8 and a 0 of the number nearly tied with B and O; the misprinted check digit is
    # the one both swaps would give. One check digit cannot vouch for two changes: the
    # number stays as printed (and fails its check)
    number, both = SPECIMEN[1][:9], "LB989O2C3"
    wrong = mrz_id.check_digit(both)
    assert wrong not in {mrz_id.check_digit(x) for x in (number, "LB98902C3", "L8989O2C3")}
    printed = _with_check(SPECIMEN, wrong)
    decoded = mrz_decode.decode(_cells(printed, {(1, 1): ("B", 0.94), (1, 5): ("O", 0.94)}))
    assert decoded is not None and decoded.lines[1][:10] == printed[1][:10] and decoded.sure is False


def test_a_line_readers_flip_never_overrules_a_clear_cell() -> None:
    # one flippable character: 5 read S would pass; the OCR-B cells read a clear 5 there
    number, check = "M44445444", mrz_id.check_digit("M4444S444")
    assert mrz._number_by_check(number, check) == (list("M4444S444"), True)
    assert mrz._number_by_check(number, check, {5: "5"}) == (list(number), False)


def test_a_line_readers_failing_number_is_kept_when_several_flips_pass() -> None:
    # AAA100001 fails its printed check 4; several 0/O, 1/I flips pass by chance
    assert mrz._number_by_check("AAA100001", "4") == (list("AAA100001"), False)
