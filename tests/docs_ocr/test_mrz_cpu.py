"""CPU per page (issue #13) without another reading: work whose result the reader cannot
keep is not done. Development pages: ``ocr_eval._document_page`` with the FRESH group's
values at development seeds 600+ (as ``test_mrz_glare_lines``)."""

from __future__ import annotations

import numpy as np
import pytest

from kyc_sdk.docs_ocr import mrz, mrz_decode
from tests.docs_ocr.glare_pages import glare_page


@pytest.mark.slow
def test_renderings_that_cannot_be_kept_are_not_decoded(
    benchmarks: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    # seed 609: glare washed glyphs out of the zone; as cut its cells hold the zone with
    # glyphs missing, and so did renderings tried after it, each decoded in full (five such
    # decodes on main) though only a rendering that sees every glyph may replace the cut
    lines, rgb = glare_page(benchmarks, 609)
    decoded: list[mrz_decode.Decoded | None] = []
    decode = mrz_decode.decode

    def counted(cells: list[list[object]]) -> mrz_decode.Decoded | None:
        decoded.append(decode(cells))  # type: ignore[arg-type]
        return decoded[-1]

    monkeypatch.setattr(mrz_decode, "decode", counted)
    out = mrz.read_mrz(rgb)
    assert out.mrz is not None and list(out.mrz.lines) == lines
    gapped = [d for d in decoded if d is not None and d.unseen]
    assert len(gapped) <= 3, f"{len(gapped)} zones with glyphs missing decoded"


def test_zone_of_is_what_decode_reads() -> None:
    # ``zone_of`` says None where ``decode`` does: one line of 44 cells is no zone, and
    # two lines like no OCR-B character are none either
    from kyc_sdk.docs_ocr._ocrb import ALPHABET, Cell

    def cell(ch: str) -> Cell:
        scores = np.zeros(len(ALPHABET), np.float32)
        scores[ALPHABET.index(ch)] = 0.9
        return Cell(np.zeros(1, np.float32), scores)

    one_line = [[cell("<") for _ in range(44)]]
    assert mrz_decode.zone_of(one_line) is None and mrz_decode.decode(one_line) is None
    two_lines = [[cell("<") for _ in range(44)] for _ in range(2)]
    assert mrz_decode.zone_of(two_lines) is not None
    faint = [[Cell(np.zeros(1, np.float32), np.full(len(ALPHABET), 0.3, np.float32)) for _ in range(44)]] * 2
    assert mrz_decode.zone_of(faint) is None and mrz_decode.decode(faint) is None


def _cells(likeness: float, width: int = 44, lines: int = 2) -> list[list[object]]:
    from kyc_sdk.docs_ocr._ocrb import ALPHABET, Cell

    scores = np.full(len(ALPHABET), likeness / 2, np.float32)
    scores[ALPHABET.index("<")] = likeness
    return [[Cell(np.zeros(1, np.float32), scores) for _ in range(width)] for _ in range(lines)]


def test_a_half_turn_that_looks_less_like_ocrb_is_not_decoded(monkeypatch: pytest.MonkeyPatch) -> None:
    # A band whose cells fail their checks is asked whether it lies upside down: turned,
    # its cells must pass every check *and* look more like OCR-B. Where they look less
    # like it (an upright page, most pages asked), the turned cells' decode (three times
    # their reading's cost) decides nothing and is not made; main decoded them first.
    from kyc_sdk.docs_ocr import _ocrb, mrz_band

    band = mrz_band.Band(np.full((40, 600), 255, np.uint8), 2)
    monkeypatch.setattr(_ocrb, "read_cells", lambda *a, **k: _cells(0.4))
    decodes: list[object] = []
    monkeypatch.setattr(mrz_decode, "decode", decodes.append)
    assert mrz._half_turned(band, _cells(0.9), None) is False  # type: ignore[arg-type]
    assert decodes == []
    # looking more like OCR-B turned, the decode is made and decides (it fails here)
    monkeypatch.setattr(_ocrb, "read_cells", lambda *a, **k: _cells(0.95))
    assert mrz._half_turned(band, _cells(0.9), None) is False  # type: ignore[arg-type]
    assert len(decodes) == 1


def test_check_digits_as_icao_weighs_them() -> None:
    # check_digit sums by slices and the decoder's candidates are checked without being
    # normalised again (``shaped_checks``): both as ICAO 9303's weights 7, 3, 1 give, on
    # random readings of every shape, visas included
    import random

    from kyc_sdk.identifiers import mrz as mrz_id

    values = {**{str(d): d for d in range(10)}, **{chr(65 + i): 10 + i for i in range(26)}, "<": 0}
    alphabet = "".join(values)
    rng = random.Random(5)
    for _ in range(2000):
        data = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 50)))
        icao = sum(values[c] * (7, 3, 1)[i % 3] for i, c in enumerate(data)) % 10
        assert mrz_id.check_digit(data) == str(icao)
        count, width = rng.choice(((2, 44), (2, 36), (3, 30)))
        lines = ["".join(rng.choice(alphabet) for _ in range(width)) for _ in range(count)]
        if rng.random() < 0.3:
            lines[0] = "V" + lines[0][1:]
        assert mrz_id.shaped_checks(lines) == mrz_id.checks(lines)
    with pytest.raises(mrz_id.InvalidIdentifier):
        mrz_id.shaped_checks(["<" * 44, "<" * 36])
    with pytest.raises(mrz_id.InvalidIdentifier):
        mrz_id.check_digit("a1")
