"""A glyph partly washed by glare (its strokes lighter than the band's split, one stroke
still dark): binarised with the band, what is left may read clearly as another character
in a name, which no check digit covers (a low-quality card back's M read I, flagged
valid). Split from its paper at its own light it reads as printed, and the reading is
not sure."""

from __future__ import annotations

import random

import numpy as np
import pytest

from kyc_sdk.docs_ocr import _ocrb, mrz, mrz_decode
from kyc_sdk.imaging import load_rgb
from tests.docs_ocr.mrz_lines import LEAD, PITCH, cell, printed, td1


def _zone(lines: list[str], washed: tuple[int, int] | None, light: float = 0.6) -> np.ndarray:
    """The zone printed black on light paper; at ``washed`` (line, column) the glyph's
    ink left of its last stroke lit ``light`` of the way to the paper (glare over it)."""
    zone = np.array(printed(lines, ink=20)).astype(np.float32)
    if washed:
        x, y = cell(*washed)
        glyph = zone[y : y + LEAD, x : x + PITCH]
        lit = glyph[:, : int(np.nonzero(glyph < 128)[1].max()) - 5]  # all but the last stroke
        lit += (235 - lit) * light
    return zone.astype(np.uint8)


def test_a_name_glyph_partly_washed_out_is_in_doubt() -> None:
    lines = td1()
    lines[2] = "OKONKWO<<DMITRY<<<<<<<<<<<<<<<"
    at = (2, 10)
    assert lines[at[0]][at[1]] == "M"
    clean = mrz_decode.decode(_ocrb.read_cells(_zone(lines, None), level=True))
    assert clean is not None and clean.lines == lines and clean.sure
    cells = _ocrb.read_cells(_zone(lines, at), level=True)
    washed = mrz_decode.decode(cells)
    assert washed is not None
    # binarised with the band, the M's last stroke alone is left: it reads I, clearly
    assert washed.lines[at[0]][at[1]] == "I" and at not in washed.faint
    assert not washed.sure and at in washed.unclear


def test_a_clean_zone_has_no_glyph_in_doubt_at_its_own_light() -> None:
    lines = td1(optional_two="PQY29<<<<<<")
    cells = _ocrb.read_cells(_zone(lines, None), level=True)
    assert mrz_decode.washed_positions(cells, lines, mrz_decode.allowed("TD1", False)) == set()


@pytest.mark.slow
def test_a_card_back_whose_name_glyph_glare_lit_is_not_valid(benchmarks: object) -> None:
    # a development page (h-mrz10: the kind of FRESH5's valid-but-wrong page, a TD1 card
    # back under a glare spot at low quality, at development seed 40103 with the fresh
    # group's values): the name's M, lit on its left, read I and the reading was valid
    axes = ("card back", "glare spot", "low quality")
    doc, photo = benchmarks._document_page(random.Random(40103), axes, fresh=True)
    out = mrz.read_mrz(load_rgb(photo)).to_dict()
    assert out["found"] is True
    assert out["lines"] == list(doc.lines) or out["valid"] is False
