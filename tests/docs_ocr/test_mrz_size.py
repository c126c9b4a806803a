"""Digit or letter by the glyph's height (mrz_decode.size_misfits): OCR-B prints its
digits taller than its capitals, a cue the square-scaled shape vector drops. Cells are
built by hand: each printed character scores 0.95, every other 0.5, and stands as tall
as the chosen print makes it."""

from __future__ import annotations

import numpy as np

from kyc_sdk.docs_ocr import _ocrb, mrz_decode
from kyc_sdk.docs_ocr._ocrb import Cell
from kyc_sdk.identifiers import mrz as mrz_id
from tests.docs_ocr.ocrb_scores import printed_scores

# A number whose 0 0 sit at weights 7 and 3: read O O, the check digit is unchanged.
ZEROS = ["P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L89000C<37UTO7408122F1204159ZE184226B<<<<<18"]
DOUBTS = {(1, 3): "O", (1, 4): "O"}  # the templates prefer O a little at both zeros
CAPITAL = 36.0  # px, the height of an E in the band


def _cells(
    lines: list[str],
    doubts: dict[tuple[int, int], str],
    tall: dict[tuple[int, int], str] | None = None,
    digit_factor: float = 1.0,
) -> list[list[Cell]]:
    """Cells of ``lines``; at each doubt the image prefers the given character (0.95) to
    the printed one (0.93). Each glyph is as tall as OCR-B prints its character, or as
    the character ``tall`` names at that place; ``digit_factor`` scales every digit (1.0:
    OCR-B's proportions; about 0.9: a face whose digits are no taller than capitals)."""
    heights = _ocrb.heights()
    rng = np.random.default_rng(0)
    out = []
    for row, line in enumerate(lines):
        cells = []
        for col, ch in enumerate(line):
            scores = printed_scores(ch, doubts.get((row, col)))
            shown = (tall or {}).get((row, col), ch)
            height = round(CAPITAL * heights[shown] * (digit_factor if shown.isdigit() else 1.0))
            foot = 60.0 * (row + 1)
            vec = rng.normal(size=8).astype(np.float32)
            cells.append(Cell(vec / np.linalg.norm(vec), scores, foot - height + 1, foot, 30.0 * col + 15))
        out.append(cells)
    return out


def _valid(lines: list[str]) -> list[str]:
    assert mrz_id.parse(lines).valid
    return lines


def test_zeros_printed_as_tall_as_digits_are_read_as_zeros_and_sure() -> None:
    # The check digit cannot tell 0 0 from O O here; the glyphs' height can.
    decoded = mrz_decode.decode(_cells(_valid(ZEROS), DOUBTS))
    assert decoded is not None
    assert decoded.lines == ZEROS and decoded.sure is True


def test_os_printed_as_tall_as_capitals_are_not_taken_for_zeros() -> None:
    # The same doubts on a print whose glyphs there stand as tall as an O: the height
    # says O, so the reading is O O (both pass the check digit) and the zeros no rival.
    decoded = mrz_decode.decode(_cells(_valid(ZEROS), DOUBTS, tall={(1, 3): "O", (1, 4): "O"}))
    assert decoded is not None
    assert decoded.lines[1][3:5] == "OO" and (1, 3) not in decoded.unclear


def test_a_face_without_ocrb_proportions_decides_nothing_by_height() -> None:
    # Digits no taller than capitals: OCR-B's table says nothing about this print, so
    # the blind swap stays in doubt, as without the cue.
    cells = _cells(_valid(ZEROS), DOUBTS, digit_factor=0.9)
    assert mrz_decode.size_misfits(cells, mrz_decode.allowed("TD3", visa=False)) == {}
    decoded = mrz_decode.decode(cells)
    assert decoded is not None and decoded.sure is False
    assert {(1, 3), (1, 4)} <= set(decoded.unclear)


def test_cells_without_heights_leave_the_decoder_as_it_was() -> None:
    # Cells that carry no ink rows (another reader's cells): no height cue at all.
    cells = [[Cell(c.shape, c.scores) for c in line] for line in _cells(_valid(ZEROS), DOUBTS)]
    assert mrz_decode.size_misfits(cells, mrz_decode.allowed("TD3", visa=False)) == {}
    decoded = mrz_decode.decode(cells)
    assert decoded is not None and decoded.sure is False


def test_the_heights_follow_a_line_that_shrinks_along_its_length() -> None:
    # A page turned in depth: each glyph shorter towards the line's far end by up to 12 %.
    cells = _cells(_valid(ZEROS), DOUBTS)
    shrunk = [
        [
            Cell(
                c.shape,
                c.scores,
                c.bottom - round((c.bottom - c.top + 1) * (1 - 0.12 * i / len(line))) + 1,
                c.bottom,
                c.x,
            )
            for i, c in enumerate(line)
        ]
        for line in cells
    ]
    decoded = mrz_decode.decode(shrunk)
    assert decoded is not None and decoded.lines == ZEROS and decoded.sure is True


def test_ocrb_prints_digits_taller_than_capitals() -> None:
    # the physical fact the cue stands on, measured on the installed font
    heights = _ocrb.heights()
    assert min(heights[d] for d in "0123456789") > max(heights[c] for c in "BDEHIZ") * 1.05
    assert heights["0"] > heights["O"] * 1.04


def test_a_line_of_glyphs_like_no_ocrb_character_is_no_mrz() -> None:
    # a band cut across two lines: the right count of cells, none like a character
    cells = _cells(_valid(ZEROS), {})
    assert mrz_decode.decode(cells) is not None
    for cell in cells[0]:
        cell.scores[:] = np.minimum(cell.scores, 0.55)
    assert mrz_decode.decode(cells) is None
