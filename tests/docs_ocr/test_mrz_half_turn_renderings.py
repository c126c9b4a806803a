"""A page read half round whose band holds an MRZ's fillers but fitted no zone as cut is
read again with the renderings an upright page gets (an upside-down visa with glare over
its name line's first glyphs read as garbage upright); one whose half-round print holds no
run of fillers (a page of other text) is not."""

from __future__ import annotations

from typing import Any

import pytest

from kyc_sdk.docs_ocr import mrz, mrz_band
from kyc_sdk.identifiers import mrz as mrz_id
from tests.docs_ocr.test_mrz_state_codes import SPECIMEN


def _page(monkeypatch: pytest.MonkeyPatch, half_round: tuple[str, ...]) -> tuple[mrz.MrzRead, list[Any]]:
    """``mrz._read_page`` of a page that reads nothing as it lies nor a quarter turned and,
    half round, ``half_round`` as cut and the specimen once rendered again."""
    asked: list[Any] = []
    zone = mrz.MrzRead(mrz_id.parse(SPECIMEN), tuple(SPECIMEN))

    def read_grey(grey: Any, *, restore: bool = False, fine: bool = False, found: Any = None) -> Any:
        asked.append((grey, restore))
        if grey == 2:
            return (zone if restore else mrz.MrzRead(None, half_round)), False
        return mrz.MrzRead(None, ()), False

    monkeypatch.setattr(mrz, "_turned", lambda grey, turns: turns)
    monkeypatch.setattr(mrz, "_read_grey", read_grey)
    monkeypatch.setattr(mrz, "_read_unread", lambda grey, best: best)
    monkeypatch.setattr(mrz_band, "page_lines", lambda grey: None)
    monkeypatch.setattr(mrz_band, "sideways", lambda found: False)
    monkeypatch.setattr(mrz_band, "large", lambda grey: False)
    read, _ = mrz._read_page("page")  # type: ignore[arg-type]
    return read, asked


def test_a_half_round_band_of_fillers_is_read_with_its_renderings(monkeypatch: pytest.MonkeyPatch) -> None:
    read, asked = _page(monkeypatch, ("<BRIEN<<MOHAMMADK<REZA<<<<<<<<<", "QOSWONILDZAITONSIMAANTAA"))
    assert (2, True) in asked
    assert read.mrz is not None and list(read.mrz.lines) == SPECIMEN


def test_half_round_text_without_fillers_is_not_read_again(monkeypatch: pytest.MonkeyPatch) -> None:
    read, asked = _page(monkeypatch, ("4OUTIUSSYIGHHCGUNGCIYDJJUUIS49", "JOP064<AZEIDBL9SPEPS2Y19A9"))
    assert (2, True) not in asked
    assert read.mrz is None
