"""Look-alike characters (``mrz_decode.LOOKALIKES``: G/6/C, O/0/Q/D, B/8, Z/2, S/5, I/1)
decided by the glyph's image: each glyph drawn in OCR-B at its line's scale
(``_ocrb.rendered_likeness``) against its look-alikes, where no check digit can separate
them."""

from __future__ import annotations

import random

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from kyc_sdk.docs_ocr import _ocrb, mrz_decode, mrz_synth
from kyc_sdk.docs_ocr._ocrb import ALPHABET
from kyc_sdk.docs_ocr.synth import OCR_B


def _band(lines: tuple[str, ...], size: int = 30, face: str = str(OCR_B)) -> np.ndarray:
    """The zone's lines printed in ``face`` (OCR-B) on light grey paper, as a level band."""
    font = ImageFont.truetype(face, size)
    img = Image.new("L", (int(0.7 * size * len(lines[0])) + 60, int(1.6 * size * len(lines)) + 30), 225)
    draw = ImageDraw.Draw(img)
    for r, line in enumerate(lines):
        draw.text((30, 15 + int(1.6 * size * r)), line, font=font, fill=30)
    return np.asarray(img)


def _zone(
    seed: int, kind: str = "TD3", face: str = str(OCR_B)
) -> tuple[tuple[str, ...], list[list[_ocrb.Cell]]]:
    doc = mrz_synth.random_mrz(random.Random(seed), kind, lookalike=True)
    cells = _ocrb.read_cells(_band(doc.lines, face=face), level=True)
    assert [len(line) for line in cells] == [len(line) for line in doc.lines]
    return doc.lines, cells


@pytest.mark.parametrize("seed", [3, 4])
def test_each_look_alike_glyph_is_most_like_its_own_drawing(seed: int) -> None:
    lines, cells = _zone(seed)
    caps = mrz_decode._caps(cells)
    group = {c: g for g in mrz_decode.LOOKALIKES for c in g}
    judged = 0
    for r, line in enumerate(lines):
        for c, ch in enumerate(line):
            if ch not in group:
                continue
            drawn = _ocrb.rendered_likeness(cells[r][c], group[ch], caps[r])
            assert drawn is not None
            assert max(drawn, key=drawn.__getitem__) == ch, (r, c, ch, drawn)
            judged += 1
    assert judged >= 20


def test_a_clean_zone_reads_right_and_sure_with_no_glyph_doubted_by_its_drawing() -> None:
    lines, cells = _zone(5)
    decoded = mrz_decode.decode(cells)
    assert decoded is not None and decoded.lines == list(lines) and decoded.sure


def test_a_name_glyph_the_templates_misread_as_its_look_alike_is_shown_as_drawn_and_unsure() -> None:
    lines, cells = _zone(8)  # P<CZEGOSOZO<<QSIO...
    # the surname's first O (a name: no check digit, no page's print to compare)
    c = lines[0].index("O", 5)
    cell = cells[0][c]
    scores = cell.scores.copy()
    scores[ALPHABET.index("Q")] = scores[ALPHABET.index("O")] + 0.01  # as a blurred tail might
    cells[0][c] = _ocrb.Cell(cell.shape, scores, cell.top, cell.bottom, cell.x, photo=cell._photo)
    decoded = mrz_decode.decode(cells)
    assert decoded is not None
    assert decoded.lines[0][c] == "O"  # the drawing, not the templates' Q
    assert (0, c) in decoded.unclear and not decoded.sure


def test_the_drawing_is_no_witness_on_a_line_printed_in_another_face() -> None:
    # OCR-B's drawing reads OCR-B's own dates and state code right, not another face's
    lines, cells = _zone(5)
    caps = mrz_decode._caps(cells)
    sets = mrz_decode.allowed("TD3", visa=False)
    assert all(mrz_decode._drawing_reads_the_line(cells[r], sets[r], caps[r]) for r in range(2))
    mono = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf"
    second = _ocrb.read_cells(_band(lines, face=mono), level=True)[-1]  # its dates and state code
    assert len(second) == 44
    assert not mrz_decode._drawing_reads_the_line(second, sets[1], mrz_decode._caps([second])[0])


def test_a_document_number_never_begins_with_a_filler() -> None:
    # a filler and a 0 are one value to the check digit: only the field's form tells them
    lines, cells = _zone(4)  # its number begins with 0
    assert lines[1][0] == "0"
    cell = cells[1][0]
    scores = cell.scores.copy()
    scores[ALPHABET.index("<")] = scores.max() + 0.01
    cells[1][0] = _ocrb.Cell(cell.shape, scores, cell.top, cell.bottom, cell.x, photo=cell._photo)
    decoded = mrz_decode.decode(cells)
    assert decoded is not None and decoded.lines[1][0] == "0"
    assert "<" not in mrz_decode.allowed("TD1", visa=False)[0][5]
