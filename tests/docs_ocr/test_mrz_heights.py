"""Glyph heights as a digit-or-letter cue (``mrz_decode``): a height is weighed against
the scale the page's own glyphs give at that place; where that scale is extrapolated (far
from every glyph whose class its position fixes) the height may still pick the likelier
reading but vouches for nothing."""

from __future__ import annotations

import numpy as np

from kyc_sdk.docs_ocr import _ocrb, mrz_decode
from kyc_sdk.docs_ocr._ocrb import ALPHABET, Cell
from tests.docs_ocr.mrz_lines import td1

FOOT, PITCH, SCALE = 60.0, 30.0, 40.0


def _cells(lines: list[str], tied: tuple[int, int]) -> list[list[Cell]]:
    """The zone's cells at their OCR-B heights (a small fixed ripple, as a print's edges
    give); the glyph at ``tied`` scores O a hair above 0 (as a low-quality card back's
    0s did), so only its height tells them apart, printed 2 % off the fitted scale (so far
    from the glyphs the fit stands on, the scale is no better known)."""
    table = _ocrb.heights()
    cells = []
    for r, line in enumerate(lines):
        row = []
        for c, ch in enumerate(line):
            scores = np.full(len(ALPHABET), 0.5, np.float32)
            scores[ALPHABET.index(ch)] = 0.97
            if (r, c) == tied:
                scores[ALPHABET.index("O")], scores[ALPHABET.index("0")] = 0.946, 0.943
            shape = np.zeros(len(ALPHABET), np.float32)
            if (r, c) != tied:
                shape[ALPHABET.index(ch)] = 1.0  # each class its own print, the tied glyph like none
            height = SCALE * table[ch] * (1 + 0.01 * np.sin(3.7 * c + r)) * (1.02 if (r, c) == tied else 1.0)
            foot = FOOT + 80 * r
            row.append(Cell(shape, scores, foot - height + 1, foot, c * PITCH + PITCH / 2))
        cells.append(row)
    return cells


def test_a_height_decides_a_tie_and_vouches_only_where_the_scale_was_measured() -> None:
    lines = td1("<<<<<<<<TA0M<<<", "<<<<<0<<<<<")
    # between the second line's fixed glyphs: the 0's height reads it, surely
    near = mrz_decode.decode(_cells(lines, (1, 23)))
    assert near is not None and near.lines == lines and near.sure
    # ten columns past the first line's last digit: read 0 by its height, not sure
    far = mrz_decode.decode(_cells(lines, (0, 25)))
    assert far is not None and far.lines == lines
    assert not far.sure and (0, 25) in far.unclear
