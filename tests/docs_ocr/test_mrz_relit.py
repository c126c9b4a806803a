"""A glyph glare lit evenly (ink and paper both lighter, the glyph whole) keeps too little of
its zone's contrast to count as seen by the band's split (``mrz_decode.faint_positions``);
split from its paper at its own light it reads the character chosen, clearly
(``mrz_decode.all_relit``), and the zone may be read surely."""

from __future__ import annotations

import numpy as np

from kyc_sdk.docs_ocr import _ocrb, mrz_decode
from tests.docs_ocr.mrz_lines import LEAD, PITCH, cell, printed, td1


def _zone(lines: list[str], lit: tuple[int, int], light: float) -> np.ndarray:
    """The zone printed black on light paper, the place ``lit`` (line, column) with its
    paper around lit ``light`` of the way to white (glare over that glyph alone)."""
    zone = np.array(printed(lines)).astype(np.float32)
    x, y = cell(*lit)
    place = zone[y - 8 : y + LEAD - 8, x - 2 : x + PITCH - 2]
    place += (255 - place) * light
    return zone.astype(np.uint8)


def test_a_glyph_lit_evenly_is_seen_at_its_own_light() -> None:
    lines = td1()
    lines[2] = "OKONKWO<<DMITRY<<<<<<<<<<<<<<<"
    at = (2, 10)
    cells = _ocrb.read_cells(_zone(lines, at, 0.47), level=True)
    assert at in mrz_decode.faint_positions(cells)  # too little contrast left for the split
    decoded = mrz_decode.decode(cells)
    assert decoded is not None and decoded.lines == lines
    assert at not in decoded.faint and decoded.sure


def test_a_glyph_lit_nearly_away_stays_unseen() -> None:
    # lit so far that it keeps under RELIT_FLOOR of the zone's contrast: not seen either way
    lines = td1()
    lines[2] = "OKONKWO<<DMITRY<<<<<<<<<<<<<<<"
    at = (2, 10)
    cells = _ocrb.read_cells(_zone(lines, at, 0.8), level=True)
    decoded = mrz_decode.decode(cells)
    assert decoded is None or not decoded.sure
