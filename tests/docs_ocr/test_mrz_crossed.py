"""Lighter print crossing a glyph of the zone (an overprint, a stamp, security print):
the binarised cell holds both and may read clearly as another character, one a check
digit cannot tell from the printed one (F and P differ by ten). Inked darker, only the
zone's own black kept, the glyph reads as printed, and the reading is not sure."""

from __future__ import annotations

import numpy as np

from kyc_sdk.docs_ocr import _ocrb, mrz_decode
from tests.docs_ocr.mrz_lines import LEAD, PITCH, cell, printed, td1


def _zone(lines: list[str], crossed: tuple[int, int] | None) -> np.ndarray:
    """The zone printed black on light paper; at ``crossed`` (line, column) two grey
    strokes of another print across the glyph's bowl and stem."""
    zone = np.array(printed(lines, ink=20))
    if crossed:
        x, y = cell(*crossed)
        ys, xs = np.nonzero(zone[y : y + LEAD, x : x + PITCH] < 128)  # the glyph's ink box
        top, bottom, left, right = y + ys.min(), y + ys.max(), x + xs.min(), x + xs.max()
        middle = (top + bottom) // 2 + 4
        # a bar under the bowl and a stroke down its right side, grey as an overprint
        strokes = ((middle, middle + 5, left - 2, right + 2), (top, bottom, right - 3, right + 1))
        for y0, y1, x0, x1 in strokes:
            zone[y0:y1, x0:x1] = np.minimum(zone[y0:y1, x0:x1], 110)
    return zone


def test_a_glyph_crossed_by_lighter_print_is_in_doubt() -> None:
    lines = td1(optional_two="PQY29<<<<<<")
    at = (1, 18)
    assert lines[at[0]][at[1]] == "P"
    clean = mrz_decode.decode(_ocrb.read_cells(_zone(lines, None), level=True))
    assert clean is not None and clean.lines == lines and clean.sure
    cells = _ocrb.read_cells(_zone(lines, at), level=True)
    cell = cells[at[0]][at[1]]
    assert cell.best != "P"  # binarised, the strokes and the P read as another glyph
    assert cell.darker is not None and _ocrb.ALPHABET[int(np.argmax(cell.darker))] == "P"
    crossed = mrz_decode.decode(cells)
    assert crossed is not None and not crossed.sure and at in crossed.unclear
