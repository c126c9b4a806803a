"""``valid`` means every character was seen: a glyph glare washed out, a line end under
glare, or a glyph two readings of the zone read differently makes a reading unsure."""

from __future__ import annotations

import numpy as np

from kyc_sdk.docs_ocr import _ocrb, mrz, mrz_decode
from kyc_sdk.docs_ocr._ocrb import Cell
from tests.docs_ocr.mrz_lines import td1
from tests.docs_ocr.ocrb_scores import printed_scores


def _line(contrasts: list[float], *, paper: float = 200.0, y: float = 20.0) -> list[Cell]:
    return [
        Cell(np.zeros(4), np.zeros(37), top=y, bottom=y + 30, x=40.0 + 24 * i, contrast=c, paper=paper)
        for i, c in enumerate(contrasts)
    ]


def test_a_glyph_that_lost_most_of_its_contrast_is_faint() -> None:
    lines = [_line([150.0] * 36), _line([150.0] * 36, y=70)]
    assert mrz_decode.faint_positions(lines) == []
    lines[0][7] = _line([0.5 * 150.0])[0]  # half the zone's contrast: glare over it
    lines[1][30] = _line([0.05 * 150.0])[0]  # saturated
    assert mrz_decode.faint_positions(lines) == [(0, 7), (1, 30)]
    # the zone's own contrast is the scale: a uniformly faint print is not faint
    assert mrz_decode.faint_positions([_line([40.0] * 36), _line([38.0] * 36, y=70)]) == []


def test_a_cell_contrast_is_measured_on_the_band_as_photographed() -> None:
    grey = np.full((60, 120), 200, np.uint8)
    grey[20:40, 10:20] = 40  # dark print
    grey[20:40, 60:70] = 170  # print under glare
    rendering = np.full_like(grey, 255)
    rendering[20:40, 10:20] = 0
    rendering[20:40, 60:70] = 0  # a rendering made both black
    dark, _ = _ocrb._contrast(grey, rendering, (10, 20, 10, 20))
    washed, paper = _ocrb._contrast(grey, rendering, (60, 20, 10, 20))
    assert dark > 4 * washed and paper == 200


def test_a_line_end_under_glare_was_not_seen() -> None:
    grey = np.full((80, 1400), 200, np.uint8)
    lines = [_line([150.0] * 36), _line([150.0] * 36, y=45)]
    assert _ocrb.washed_ends(lines, grey) is False
    lit = grey.copy()
    lit[:, 40 + 24 * 36 :] = 245  # glare just past the last glyph
    assert _ocrb.washed_ends(lines, lit) is True
    # white paper: glare leaves no trace, and nothing says the line went on
    white = np.full_like(grey, 250)
    assert _ocrb.washed_ends([_line([150.0] * 36, paper=250.0)], white) is False


def test_readings_of_one_shape_that_differ_contest_each_other() -> None:
    first = ("P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C36UTO7408122F1204159ZE184226B<<<<<10")
    other = ("P<UTOERIKSSON<<ANNA<MARIM<<<<<<<<<<<<<<<<<<<", first[1])
    assert mrz._contested(list(other), [first]) is True
    assert mrz._contested(list(first), [first]) is False
    assert mrz._contested(list(first), [("I<UTO" + "<" * 25,) * 3]) is False  # another shape


def test_glyphs_not_seen_are_read_never_sure_and_fillers_between_fillers() -> None:
    lines = td1()
    cells = [
        [Cell(np.zeros(4), printed_scores(ch), x=30.0 * c) for c, ch in enumerate(line)] for line in lines
    ]
    blank = Cell(np.zeros(4), np.zeros(37))
    assert not blank.seen and cells[0][0].seen
    decoded = mrz_decode.decode(cells)
    assert decoded is not None and decoded.lines == lines and decoded.sure
    # the name line's 'MARIA' and two of its fillers washed out: nothing seen there
    gone = [*range(15, 20), 24, 25]
    for c in gone:
        cells[2][c] = blank
    decoded = mrz_decode.decode(cells)
    assert decoded is not None and not decoded.sure and not decoded.checks_sure
    assert sorted(decoded.unseen) == [(2, c) for c in gone]
    # between two fillers a filler is read (a first letter, A, before)
    assert decoded.lines[2][24:26] == "<<" and decoded.lines[0:2] == lines[0:2]
