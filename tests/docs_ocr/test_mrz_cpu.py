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
