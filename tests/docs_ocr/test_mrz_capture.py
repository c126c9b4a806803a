"""What real documents add to a generated MRZ page (``mrz_synth``: security print under
the zone, ink spread, a laminate's glare, tight low-resolution scans) and the reader on
them: a band the line finder cuts short is cut again across the image, print that one
threshold splits wrongly is read again rendered by darkness ratio or darkest ink, and a
reading of glyphs rebuilt from faint ink is never promised valid."""

from __future__ import annotations

import random

import cv2
import numpy as np
import pytest

from kyc_sdk.docs_ocr import _ocrb, mrz, mrz_band, mrz_decode, mrz_synth, read_mrz
from kyc_sdk.identifiers import mrz as mrz_id
from kyc_sdk.imaging import load_rgb

pytestmark = pytest.mark.slow  # each read is a fraction of a second to two seconds


def _page(seed: int, kind: str, **kw: object) -> tuple[mrz_synth.MrzDocument, np.ndarray, mrz_synth.Zone]:
    rng = random.Random(seed)
    doc = mrz_synth.random_mrz(rng, kind)
    return doc, mrz_synth.render(doc, rng=random.Random(seed), **kw), mrz_synth.zone(doc)  # type: ignore[arg-type]


def _zone_pixels(page: np.ndarray, where: mrz_synth.Zone) -> np.ndarray:
    left, top, right, bottom = where.box
    return cv2.cvtColor(page[top:bottom, left:right], cv2.COLOR_RGB2GRAY)


def test_the_generator_axes_change_the_page_where_they_say() -> None:
    doc, plain, where = _page(3, "TD3")
    _, under, _ = _page(3, "TD3", under_print=1.0)
    _, bold, _ = _page(3, "TD3", ink=1)
    _, thin, _ = _page(3, "TD3", ink=-1)
    left, top, right, _ = where.box
    # security print darkens the paper under the zone, not the page's top
    assert (under[top:] != plain[top:]).any() and (under[:100] == plain[:100]).all()
    inked = [int((_zone_pixels(page, where) < 100).sum()) for page in (thin, plain, bold)]
    assert inked[0] < inked[1] < inked[2]
    lit = mrz_synth.laminate(plain, random.Random(1), 0.8, where)
    assert _zone_pixels(lit, where).mean() > _zone_pixels(plain, where).mean()
    scan = load_rgb(mrz_synth.scanned(plain, random.Random(1), where, margin=0.5, zone_only=True, char_px=12))
    # cropped to the zone (a margin either side) and scaled to 12 px characters
    zone_width = right - left
    assert 0.9 < scan.shape[1] / (zone_width * 12 / (0.7 * where.size)) < 1.3
    assert scan.shape[0] < scan.shape[1] / 4
    assert doc.format == "TD3"


def test_a_zone_scanned_tight_over_dark_security_print_reads_valid() -> None:
    doc, page, where = _page(40, "TD2", under_print=1.0)
    scan = mrz_synth.scanned(page, random.Random(40), where, margin=0.3, zone_only=True, jpeg_quality=80)
    out = read_mrz(scan)
    assert out["lines"] == list(doc.lines)
    assert out["valid"] is True


@pytest.mark.parametrize(("kind", "seed"), [("TD2", 41), ("TD1", 42), ("TD3", 43)])
def test_a_laminate_glare_across_the_zone_still_reads_and_is_never_falsely_valid(
    kind: str, seed: int
) -> None:
    doc, page, where = _page(seed, kind)
    rng = random.Random(seed)
    page = mrz_synth.laminate(page, rng, 0.85, where)
    out = read_mrz(mrz_synth.scanned(page, rng, where, margin=0.4, jpeg_quality=85))
    assert out["found"] is True
    assert out["lines"] == list(doc.lines) or out["valid"] is False
    expected, fields = mrz_id.parse(list(doc.lines)).fields, out["fields"]
    assert isinstance(fields, dict)
    for field in ("document_number", "birth_date_raw", "expiry_date_raw"):
        assert fields[field] == expected[field]


def test_a_band_cut_short_is_cut_again_across_the_image() -> None:
    doc, page, _ = _page(44, "TD3")
    grey = cv2.cvtColor(page, cv2.COLOR_RGB2GRAY)
    # the line finder's own stack, as if glare had ended its lines half way
    short = [
        mrz_band.Line(line.cx - line.length / 4, line.cy, line.length / 2, line.height, line.angle)
        for line in mrz_band.group_bands(mrz_band.find_lines(grey))[0]
    ]
    cut = mrz_band.Band(mrz_band._crop(grey, short, 1.0), len(short), wide=(grey, tuple(short), 1.0))
    wide = cut.widened()
    assert wide is not None and wide.crop.shape[1] > 1.8 * cut.crop.shape[1]
    chosen, decoded, whole = mrz._best_cut(cut)
    assert chosen.crop.shape[1] > 1.8 * cut.crop.shape[1]
    assert decoded is not None and decoded.lines == list(doc.lines) and whole


def test_a_reading_rebuilt_from_faint_ink_is_never_sure() -> None:
    doc, page, _ = _page(45, "TD1")
    grey = cv2.cvtColor(page, cv2.COLOR_RGB2GRAY)
    band = mrz_band.find_bands(grey)[0]
    renderings = mrz_band.restored(band.crop)
    assert [rebuilt for _, rebuilt in renderings] == [False, True, True, True, True]
    readings = []
    for crop, rebuilt in renderings:
        for reading in mrz._readings(
            mrz_band.Band(crop, band.lines, flat=True, rebuilt=rebuilt), second=False
        ):
            assert isinstance(reading, tuple)
            readings.append((reading[0], reading[1], rebuilt))
    # a clean page reads right in both renderings; only the darkest-ink one may be sure
    assert all(lines == list(doc.lines) for lines, _, _ in readings[:1])
    assert not any(sure for _, sure, rebuilt in readings if rebuilt)
    assert any(sure for _, sure, rebuilt in readings if not rebuilt)


@pytest.mark.parametrize(("seed", "kind"), [(60, "TD1"), (61, "TD2")])
def test_glare_over_security_print_is_read_with_the_hairlines_closed_away(seed: int, kind: str) -> None:
    # Glare washes the zone's print to the grey of the security print under it: every
    # rendering but the last takes both for ink or both for paper somewhere
    rng = random.Random(seed)
    doc = mrz_synth.random_mrz(rng, kind)
    where = mrz_synth.zone(doc)
    page = mrz_synth.render(doc, rng=random.Random(seed), under_print=1.0)
    page = mrz_synth.laminate(page, rng, 0.85, where)
    scan = mrz_synth.scanned(page, rng, where, margin=0.4, zone_only=True, jpeg_quality=85)
    band = mrz_band.find_bands(cv2.cvtColor(load_rgb(scan), cv2.COLOR_RGB2GRAY))[0]
    band = band.widened() or band
    renderings = mrz_band.restored(band.crop)
    crop, rebuilt = renderings[-1]
    decoded = mrz_decode.decode(_ocrb.read_cells(crop, level=True))
    assert rebuilt and decoded is not None and decoded.lines == list(doc.lines)
    out = read_mrz(scan)
    assert out["lines"] == list(doc.lines) and out["valid"] is False  # rebuilt: never promised


@pytest.mark.parametrize("shape", [(2, 5_000), (5_000, 2), (9, 9)])
def test_restored_and_widened_stay_bounded_on_hostile_crops(shape: tuple[int, int]) -> None:
    crop = np.random.default_rng(0).integers(0, 255, shape, dtype=np.uint8)
    assert len(mrz_band.restored(crop)) <= 5
    assert mrz_band.Band(crop, 2).widened() is None
