"""Coloured print across the zone (a red or blue SPECIMEN overprint, rainbow security
print): as dark as the zone's black in luminance, but coloured, where an MRZ's ink is a
dark neutral. ``mrz_band.colour_lifted`` lifts it to the paper; the reader reads a colour
page so when its zone failed a check, and keeps what passes every check."""

from __future__ import annotations

import random
from pathlib import Path

import cv2
import numpy as np
import pytest

from kyc_sdk.docs_ocr import mrz, mrz_band, mrz_synth
from kyc_sdk.identifiers import mrz as mrz_id
from kyc_sdk.imaging import load_rgb


def test_coloured_print_is_lifted_to_the_paper_and_black_ink_is_kept() -> None:
    page = np.full((100, 200, 3), 235, np.uint8)
    page[20:40, 20:60] = (15, 15, 20)  # the zone's ink
    alpha = 0.7  # a red overprint over paper, as mrz_synth.overprint blends it
    page[60:90, 20:180] = (235 * (1 - alpha) + np.array((200, 30, 40)) * alpha).astype(np.uint8)
    lifted = mrz_band.colour_lifted(page)
    assert lifted is not None
    assert int(lifted[30, 30]) < 40  # ink stays dark
    assert int(lifted[75, 100]) > 200  # the overprint is near the paper (luminance: 129)


def test_a_page_without_colour_is_not_read_twice() -> None:
    grey = np.full((100, 200, 3), 200, np.uint8)
    grey[20:40, 20:60] = 30
    assert mrz_band.colour_lifted(grey) is None
    assert mrz_band.colour_lifted(grey[..., 0]) is None


def test_the_lifted_reading_is_kept_only_where_it_passes_every_check() -> None:
    lines = list(mrz_synth.random_mrz(random.Random(3), "TD3").lines)
    right = mrz.MrzRead(mrz_id.parse(lines), tuple(lines))
    broken = lines[:]
    broken[1] = broken[1][:13] + ("1" if broken[1][13] != "1" else "2") + broken[1][14:]  # a birth date digit
    wrong = mrz.MrzRead(mrz_id.parse(broken), tuple(broken))
    assert mrz._either(wrong, right) is right
    assert mrz._either(right, wrong) is right
    nothing = mrz.MrzRead(None, ())
    assert mrz._either(nothing, wrong) is wrong


@pytest.mark.slow
def test_a_card_back_under_a_coloured_overprint_reads_valid(benchmarks: object) -> None:
    # a development page (h-mrz10, ocr_eval._document_page at seed 32004): read in
    # luminance, the overprint split the zone's glyphs and no reading passed every check
    doc, photo = benchmarks._document_page(random.Random(32004), ("card back", "overprint"))
    out = mrz.read_mrz(load_rgb(photo)).to_dict()
    assert out["lines"] == list(doc.lines) and out["valid"] is True


@pytest.mark.slow
def test_the_lifted_page_is_read_only_the_way_its_zone_was_found(
    shared_data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a development scan whose specimen misprints its check digits, on a coloured card:
    # its zone read upright fails checks, so the lifted page is read too; read every way
    # (three turns more) it took twice the page's time, for a reading never kept
    reads: list[tuple[int, ...]] = []
    read_grey = mrz._read_grey

    def counted(grey: np.ndarray, **kwargs: object) -> tuple[mrz.MrzRead, bool]:
        reads.append(grey.shape)
        return read_grey(grey, **kwargs)  # type: ignore[arg-type]  # the reader's own keywords

    monkeypatch.setattr(mrz, "_read_grey", counted)
    photo = load_rgb((shared_data / "mrz" / "passporteye" / "0_id-esp.png").read_bytes())
    first, way = mrz._read_page(cv2.cvtColor(photo, cv2.COLOR_RGB2GRAY))
    assert way == mrz._Way(0, False) and mrz._passing(first) < 1.0
    assert mrz_band.colour_lifted(photo) is not None
    page_reads = len(reads)
    reads.clear()
    out = mrz.read_mrz(photo)
    assert out.raw == first.raw
    assert len(reads) == page_reads + 1  # the lifted page: upright only
