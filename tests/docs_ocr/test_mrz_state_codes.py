"""State codes (issuing state, nationality): no check digit covers them, so a glyph the
image leaves open there is settled by the list of codes an MRZ may hold, never a clear
glyph changed to make a code; where two close readings are both codes the glyph stays in
doubt; and digits a document plainly prints there are read as printed."""

from __future__ import annotations

import random

import numpy as np

from kyc_sdk.docs_ocr import mrz_decode, mrz_states, mrz_synth
from kyc_sdk.docs_ocr._ocrb import ALPHABET, Cell
from kyc_sdk.docs_ocr.mrz import read_mrz
from kyc_sdk.identifiers import mrz as mrz_id
from tests.docs_ocr.ocrb_scores import printed_scores

SPECIMEN = ["P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C36UTO7408122F1204159ZE184226B<<<<<10"]


def _as(state: str, lines: list[str]) -> list[str]:
    """The specimen issued by and to ``state`` (no check digit covers either place)."""
    return [lines[0][:2] + state + lines[0][5:], lines[1][:10] + state + lines[1][13:]]


def _cells(lines: list[str], scores: dict[tuple[int, int], dict[str, float]]) -> list[list[Cell]]:
    """Each printed character 0.95, every other 0.5, except as ``scores`` gives. Glyphs of
    one character share one shape (one print)."""
    rng = np.random.default_rng(0)
    shapes = {ch: v / np.linalg.norm(v) for ch, v in zip(ALPHABET, rng.normal(size=(37, 8)), strict=True)}
    out = []
    for row, line in enumerate(lines):
        cells = []
        for col, ch in enumerate(line):
            s = printed_scores(ch)
            for other, value in scores.get((row, col), {}).items():
                s[ALPHABET.index(other)] = value
            cells.append(Cell(shapes[ch].astype(np.float32), s))
        out.append(cells)
    return out


def test_the_code_list_holds_iso_and_icao_codes_and_nothing_else() -> None:
    assert {"NLD", "ROU", "CAN", "UTO", "D<<", "XXA"} <= mrz_states.codes()
    assert not {"MLD", "CAM", "VTO", "D", "132"} & mrz_states.codes()


def test_an_open_state_glyph_is_settled_by_the_code_list() -> None:
    # the image prefers M to the printed N by a hair: MLD is no code, NLD is
    printed = _as("NLD", SPECIMEN)
    decoded = mrz_decode.decode(_cells(printed, {(1, 10): {"N": 0.93, "M": 0.95}}))
    assert decoded is not None and decoded.lines == printed and decoded.sure
    assert mrz_id.parse(decoded.lines).valid


def test_a_clear_state_glyph_is_not_changed_to_make_a_code() -> None:
    # M ahead of N by 0.04: beyond what the image leaves open, so MLD stands, in doubt
    printed = _as("NLD", SPECIMEN)
    decoded = mrz_decode.decode(_cells(printed, {(1, 10): {"N": 0.91, "M": 0.95}}))
    assert decoded is not None and decoded.lines[1][10:13] == "MLD"
    assert not decoded.sure and (1, 10) in decoded.unclear


def test_two_close_readings_that_are_both_codes_stay_in_doubt() -> None:
    # AUT printed, S a hair behind T: AUS is a code too, the list cannot choose
    printed = _as("AUT", SPECIMEN)
    decoded = mrz_decode.decode(_cells(printed, {(1, 12): {"S": 0.94}}))
    assert decoded is not None and decoded.lines == printed
    assert not decoded.sure and (1, 12) in decoded.unclear


def test_digits_plainly_printed_in_a_state_code_are_read_as_printed() -> None:
    # a specimen prints 132 for its nationality: no letter reading is a code, and each
    # glyph is a digit by far (its look-alike letters well behind)
    printed = [SPECIMEN[0], SPECIMEN[1][:10] + "132" + SPECIMEN[1][13:]]
    decoded = mrz_decode.decode(_cells(printed, {(1, 10): {"I": 0.7}, (1, 12): {"Z": 0.8}}))
    assert decoded is not None and decoded.lines == printed


def test_digits_the_image_leaves_open_in_a_state_code_are_read_as_the_code() -> None:
    # R0U: the 0 a hair ahead of O; ROU is a code, so the letter stands
    printed = _as("ROU", SPECIMEN)
    decoded = mrz_decode.decode(_cells(printed, {(1, 11): {"O": 0.94, "0": 0.95}}))
    assert decoded is not None and decoded.lines == printed and decoded.sure


def test_a_page_printing_digits_for_its_nationality_reads_them() -> None:
    doc = mrz_synth.random_mrz(random.Random(11), "TD2", state="ROU")
    lines = [doc.lines[0], doc.lines[1][:10] + "132" + doc.lines[1][13:]]
    page = mrz_synth.render(
        mrz_synth.MrzDocument("TD2", "ROU", tuple(lines)), font="ocrb", rng=random.Random(2)
    )
    out = read_mrz(page).to_dict()
    assert out["lines"] == lines
    assert out["fields"]["nationality"] == "132"


def test_a_poorly_printed_glyph_unlike_the_pages_own_print_is_not_given_to_an_unseen_rival() -> None:
    # the 9 of the number is smudged (0.72 like a 9, 0.70 like a J) and so unlike the
    # page's clean 9 of the expiry date: that says nothing of its being a J, which the
    # page never shows (9 and J are 10 apart: the check digit cannot choose either)
    cells = _cells(SPECIMEN, {})
    smudged = np.random.default_rng(5).normal(size=8)
    scores = np.full(len(ALPHABET), 0.5, np.float32)
    scores[ALPHABET.index("9")], scores[ALPHABET.index("J")] = 0.72, 0.70
    cells[1][2] = Cell((smudged / np.linalg.norm(smudged)).astype(np.float32), scores)
    decoded = mrz_decode.decode(cells)
    assert decoded is not None and decoded.lines == SPECIMEN
    assert not decoded.sure and (1, 2) in decoded.unclear
