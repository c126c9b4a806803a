"""The MRZ reader on what real ICAO documents add (``mrz_synth``'s document axes): glare
that washes glyphs out (never valid), a small document far off in a large photo, a card's
back with other print above its zone, overprints and security backgrounds, recompressed
and turned photos."""

from __future__ import annotations

import random

import cv2
import numpy as np
import pytest

from kyc_sdk.docs_ocr import mrz, mrz_synth, read_mrz, synth
from kyc_sdk.identifiers import mrz as mrz_id
from kyc_sdk.imaging import load_rgb

pytestmark = pytest.mark.slow  # each read is a fraction of a second to two seconds


def _washed(page: np.ndarray, box: tuple[int, int, int, int], light: float) -> np.ndarray:
    left, top, right, bottom = box
    out = page.astype(np.float32)
    out[top:bottom, left:right] += (255 - out[top:bottom, left:right]) * light
    return out.astype(np.uint8)


def _scan(page: np.ndarray, doc: mrz_synth.MrzDocument, seed: int) -> bytes:
    return mrz_synth.scanned(page, random.Random(seed), mrz_synth.zone(doc), margin=0.5, jpeg_quality=90)


def _three_name_glyphs_washed(light: float) -> dict[str, object]:
    """A TD3 passport read with three glyphs of its name line washed ``light`` of the way
    to white by glare; asserts what must hold whatever the light: the zone is found, it
    is not valid, and the fields with check digits read right."""
    doc = mrz_synth.random_mrz(random.Random(7), "TD3")
    page = mrz_synth.render(doc, rng=random.Random(7))
    assert read_mrz(_scan(page, doc, 7))["valid"] is True  # unlit, it reads valid
    where = mrz_synth.zone(doc)
    pitch = (where.box[2] - where.box[0]) / 44
    x0 = int(where.box[0] + 12 * pitch)
    lit = _washed(page, (x0, where.box[1], int(x0 + 3 * pitch), where.box[1] + where.size), light)
    out = read_mrz(_scan(lit, doc, 7))
    assert out["found"] is True and out["valid"] is False
    expected, fields = mrz_id.parse(list(doc.lines)).fields, out["fields"]
    assert isinstance(fields, dict)
    for field in ("document_number", "birth_date_raw", "expiry_date_raw"):
        assert fields[field] == expected[field]
    return out


def test_glyphs_washed_out_by_glare_are_never_promised_valid() -> None:
    # half way to white: before, their OCR-B cells read UUL as III, clearly, and no
    # check digit covers a name
    _three_name_glyphs_washed(0.5)


def test_a_visa_whose_fillers_glare_washed_away_is_not_a_shorter_format() -> None:
    rng = random.Random(8)
    doc = mrz_synth.random_mrz(rng, "MRVA")
    page = mrz_synth.render(doc, rng=random.Random(8), under_print=0.5)
    where = mrz_synth.zone(doc)
    pitch = (where.box[2] - where.box[0]) / 44
    # the last nine characters of both lines gone under a saturated glare
    lit = _washed(page, (int(where.box[0] + 35 * pitch), 0, page.shape[1], page.shape[0]), 0.97)
    out = read_mrz(_scan(lit, doc, 8))
    assert out["lines"] == list(doc.lines) or out["valid"] is False


def _photo(page: np.ndarray, seed: int, size: tuple[int, int] = (1280, 960)) -> bytes:
    return synth.photograph(
        page, rng=random.Random(seed), blur=0.4, noise=2, rotate=3, jpeg_quality=85, size=size
    )


def test_a_small_document_far_off_in_a_large_photo_is_found() -> None:
    rng = random.Random(9)
    doc = mrz_synth.random_mrz(rng, "TD3")
    page = mrz_synth.framed(mrz_synth.render(doc, rng=rng), rng, 0.3)
    out = read_mrz(_photo(page, 9, size=(3000, 2250)))
    assert out["lines"] == list(doc.lines)


def test_a_card_back_with_other_print_above_its_zone_reads() -> None:
    rng = random.Random(10)
    doc = mrz_synth.random_mrz(rng, "TD1")
    page = mrz_synth.render(doc, rng=rng, card_back=True, background="guilloche")
    out = read_mrz(_photo(page, 10))
    assert out["lines"] == list(doc.lines) and out["valid"] is True


def test_an_overprinted_zone_on_rainbow_print_reads() -> None:
    rng = random.Random(11)
    doc = mrz_synth.random_mrz(rng, "TD2")
    page = mrz_synth.render(doc, rng=rng, background="rainbow")
    page = mrz_synth.overprint(page, rng, mrz_synth.zone(doc))
    out = read_mrz(_photo(page, 11))
    assert out["lines"] == list(doc.lines)


@pytest.mark.parametrize(("turns", "webp"), [(2, True), (1, False)])
def test_a_turned_recompressed_photo_reads(turns: int, webp: bool) -> None:
    rng = random.Random(12 + turns)
    doc = mrz_synth.random_mrz(rng, "TD3")
    photo = mrz_synth.encoded(_photo(mrz_synth.render(doc, rng=rng), 12), quality=25, turns=turns, webp=webp)
    out = read_mrz(photo)
    assert out["lines"] == list(doc.lines)


def test_the_document_axes_change_the_page_where_they_say() -> None:
    doc = mrz_synth.random_mrz(random.Random(13), "TD1")
    where = mrz_synth.zone(doc)
    plain = mrz_synth.render(doc, rng=random.Random(13))
    back = mrz_synth.render(doc, rng=random.Random(13), card_back=True)
    rainbow = mrz_synth.render(doc, rng=random.Random(13), background="rainbow")
    top = where.box[1]
    # a card's back prints other lines above the zone; the zone itself is the same print
    assert (back[:top] < 100).sum() > 2 * (plain[:top] < 100).sum()
    assert float(np.std(rainbow[:top].reshape(-1, 3).mean(axis=0))) >= 0.0
    assert (rainbow[:top] != plain[:top]).any()
    over = mrz_synth.overprint(plain, random.Random(1), where)
    assert (over[where.box[1] : where.box[3]] != plain[where.box[1] : where.box[3]]).any()
    big = mrz_synth.framed(plain, random.Random(1), 0.25)
    assert big.shape[1] == int(plain.shape[1] / 0.25)

    turned = load_rgb(mrz_synth.encoded(_photo(plain, 1), quality=30, turns=1, webp=True))
    assert turned.shape[:2] == (1280, 960)


def test_glyphs_glare_washed_out_entirely_are_found_never_valid() -> None:
    # nearly white: the band's cells lost them, the line was 41 long, and nothing was
    # returned
    out = _three_name_glyphs_washed(0.9)
    doc = mrz_synth.random_mrz(random.Random(7), "TD3")  # the same document
    # the washed glyphs' places are kept: the name line is the zone's width, its other
    # glyphs where they were printed
    lines = out["lines"]
    assert isinstance(lines, list) and [len(line) for line in lines] == [44, 44]
    assert lines[0][:12] == doc.lines[0][:12] and lines[0][15:] == doc.lines[0][15:]


def test_a_page_upside_down_is_turned_on_its_cells_word() -> None:
    doc = mrz_synth.random_mrz(random.Random(12), "TD3")
    page = mrz_synth.render(doc, rng=random.Random(12))
    photo = load_rgb(_photo(np.ascontiguousarray(np.rot90(page, 2)), 12))
    grey = cv2.cvtColor(photo, cv2.COLOR_RGB2GRAY)
    # read as it lies, the reader stops at the likeliest band's cells: upside down
    _, upside_down = mrz._read_grey(grey, restore=True)
    assert upside_down is True
    _, upright = mrz._read_grey(np.ascontiguousarray(np.rot90(grey, 2)), restore=True)
    assert upright is False
    out = read_mrz(photo)
    assert out["lines"] == list(doc.lines) and out["valid"] is True


def test_cells_passing_every_check_with_no_rival_are_not_read_again(monkeypatch: pytest.MonkeyPatch) -> None:
    from kyc_sdk.docs_ocr import _tess

    asked: list[int] = []
    read_line = _tess.read_line

    def counted(*args: object, **kwargs: object) -> object:
        asked.append(1)
        return read_line(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(_tess, "read_line", counted)
    doc = mrz_synth.random_mrz(random.Random(7), "TD3")
    page = mrz_synth.render(doc, rng=random.Random(7))
    where = mrz_synth.zone(doc)
    pitch = (where.box[2] - where.box[0]) / 44
    # three name glyphs lit part way: faint (so never valid), yet read clearly and right
    x0 = int(where.box[0] + 12 * pitch)
    lit = _washed(page, (x0, where.box[1], int(x0 + 3 * pitch), where.box[1] + where.size), 0.6)
    out = read_mrz(_scan(lit, doc, 7))
    assert out["lines"] == list(doc.lines) and out["valid"] is False
    assert asked == []  # Tesseract, a tenth of a second a band, was not asked
