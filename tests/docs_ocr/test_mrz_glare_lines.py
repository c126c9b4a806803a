"""A glare spot that washes out a stretch of a zone's line: the line finder sees the
line's pieces, none as long as the zone's other lines, so the zone stacked without that
line (a TD1 read as two lines) or not at all (both lines of a visa broken in the middle),
and nothing was returned. The pieces of one line are joined (``mrz_band._joined``). A
small document far off in a large photo and lying sideways is turned at the fine scale
(``mrz_band.sideways_fine``). Development pages: ``ocr_eval._document_page`` with the
FRESH group's values at development seeds 600+ (h-mrz11)."""

from __future__ import annotations

import time

import numpy as np
import pytest

from kyc_sdk.docs_ocr import mrz, mrz_band
from tests.docs_ocr.glare_pages import glare_page


def _row(page: np.ndarray, y: int, x0: int, count: int, skip: range = range(0)) -> None:
    """``count`` glyph-like dark blocks on one row, those in ``skip`` washed out."""
    for i in range(count):
        if i not in skip:
            x = x0 + 14 * i
            page[y : y + 18, x : x + 9] = 20


def test_a_line_broken_by_glare_is_found_whole() -> None:
    page = np.full((300, 1000), 235, np.uint8)
    _row(page, 150, 150, 44, skip=range(18, 24))  # six glyphs washed out mid-line
    _row(page, 190, 150, 44)
    lines = mrz_band.find_lines(page)
    longest = max((line for line in lines if abs(line.cy - 159) < 5), key=lambda line: line.length)
    whole = max((line for line in lines if abs(line.cy - 199) < 5), key=lambda line: line.length)
    assert longest.length > 0.9 * whole.length
    stacks = [g for g in mrz_band.group_bands(lines) if len(g) == 2]
    assert stacks and abs(stacks[0][0].length - stacks[0][1].length) < 0.1 * whole.length


def test_print_far_along_the_same_row_is_not_joined() -> None:
    page = np.full((300, 1000), 235, np.uint8)
    _row(page, 150, 40, 20)
    _row(page, 150, 40 + 14 * 20 + 18 * 14, 20)  # 14 glyph widths on: past GLARE_GAP
    assert not mrz_band._joined(mrz_band.find_lines(page, min_length=100))


@pytest.mark.slow
@pytest.mark.parametrize(
    "seed",
    [
        600,  # TD1 card back, low quality: the first line shortened, read as two lines
        603,  # MRV-A turned a quarter: both lines broken in the middle
    ],
)
def test_a_zone_whose_line_glare_broke_reads(benchmarks: object, seed: int) -> None:
    lines, rgb = glare_page(benchmarks, seed)
    out = mrz.read_mrz(rgb)
    assert out.mrz is not None and list(out.mrz.lines) == lines


@pytest.mark.slow
def test_a_small_document_lying_sideways_in_a_large_photo_reads(benchmarks: object) -> None:
    lines, rgb = glare_page(benchmarks, 614)  # MRV-B, small in a 4000 x 3000 photo, turned
    out = mrz.read_mrz(rgb)
    assert out.mrz is not None and list(out.mrz.lines) == lines


def test_a_page_of_countless_pieces_is_searched_in_bounded_time() -> None:
    # hostile input: a page of thousands of short rows gives thousands of pieces, each
    # compared with every other; only the longest MAX_PIECES are (uncapped, 5000 pieces
    # took about 14 s)
    page = np.full((1000, 1000), 235, np.uint8)
    for y in range(10, 990, 12):
        for x in range(5, 990, 22):
            page[y : y + 5, x : x + 16] = 20
    pieces = [mrz_band.Line(500.0, 7.0 * y, 30.0, 5.0, 0.0) for y in range(5000)]
    start = time.process_time()
    mrz_band._joined(pieces)
    mrz_band.find_lines(page)
    assert time.process_time() - start < 5.0
