"""A letter where the names' padding runs (``mrz_decode.padding_letters``) is a filler
something crossed more often than a name: no check digit covers it, so it is sure only
where its glyph clearly shows the letter, not the filler's chevron
(``mrz_decode.shown_padding_doubts``), and no line reader agreeing makes it so."""

from __future__ import annotations

import numpy as np
from PIL import ImageDraw

from kyc_sdk.docs_ocr import _ocrb, mrz, mrz_decode
from kyc_sdk.identifiers import mrz as mrz_id
from tests.docs_ocr.mrz_lines import cell, printed, td1

NAMES = "OKONKWO<<DMITRY<<<<<<<<<<<<<<<"


def _zone(lines: list[str], bar_at: tuple[int, int] | None = None) -> np.ndarray:
    """The zone printed black on light paper; ``bar_at`` (line, column): a dark upright bar
    struck down the left of that glyph (a filler so crossed looks like a K)."""
    img = printed(lines)
    if bar_at is not None:
        x, y = cell(*bar_at)
        ImageDraw.Draw(img).line([(x + 3, y + 6), (x + 3, y + 34)], fill=0, width=4)
    return np.array(img)


def test_padding_letters_are_those_after_the_names_end() -> None:
    lines = td1()
    lines[2] = "VAN<DER<BERG<<ANNA<<<<<<<<<<<N"
    assert mrz_decode.padding_letters(lines) == [(2, 29)]
    lines[2] = "ROSSI<<SOFIA<<K<<<<<<<<<<<<<<<"
    assert mrz_decode.padding_letters(lines) == [(2, 14)]
    lines[2] = "ERIKSSON<<ANNA<MARIA<<<<<<<<<<"  # given names parted by one filler: none
    assert mrz_decode.padding_letters(lines) == []
    lines[2] = "ROSSI<<SOFIA<<<<<B<N<<<<<<<<<<"  # once the padding began, every letter after
    assert mrz_decode.padding_letters(lines) == [(2, 17), (2, 19)]


def test_a_reading_is_filled_only_where_nothing_but_padding_letters_differ() -> None:
    lines = td1()
    crossed = [*lines[:2], "ROSSI<<SOFIA<<<<<B<N<<<<<<<<<<"]
    plain = [*lines[:2], "ROSSI<<SOFIA<<<<<<<<<<<<<<<<<<"]
    assert mrz._filled(plain, crossed) and not mrz._filled(crossed, plain)
    # fillers read S everywhere leave no padding to count: not the same reading filled
    esses = [*lines[:2], "ROSSISSSOFIASSSSSSSSSSSSSSSSSS"]
    assert not mrz._filled(esses, crossed) and not mrz._filled(plain, esses)


def test_a_crossed_last_filler_read_as_a_letter_is_not_sure() -> None:
    # the last filler, a bar struck down its left, reads K clearly ahead of every other
    # letter (K 0.61, W 0.53, '<' 0.51): main flagged the zone valid
    lines = td1()
    lines[2] = NAMES
    at = (2, 29)
    decoded = mrz_decode.decode(_ocrb.read_cells(_zone(lines, at), level=True))
    assert decoded is not None
    assert decoded.lines[:2] == lines[:2] and decoded.lines[2][:29] == NAMES[:29]
    assert decoded.lines[2][29] != "<"
    assert at in decoded.unclear and not decoded.sure


def test_a_letter_printed_plainly_in_the_padding_stays_sure() -> None:
    # the image decides, not the rule: a K printed whole there is read surely
    lines = td1()
    lines[2] = NAMES[:29] + "K"
    decoded = mrz_decode.decode(_ocrb.read_cells(_zone(lines), level=True))
    assert decoded is not None and decoded.lines == lines and decoded.sure


def test_a_line_reader_agreeing_with_a_doubted_padding_letter_is_no_witness() -> None:
    lines = td1()
    lines[2] = NAMES[:29] + "N"
    assert mrz._agrees(lines, lines)
    assert not mrz._agrees(lines, lines, [(2, 29)])
    assert mrz._agrees(lines, lines, [(2, 3)])  # a name glyph in doubt: agreement is evidence


def _read(names: str) -> mrz.MrzRead:
    lines = td1()
    lines[2] = names
    parsed = mrz_id.parse(lines)
    return mrz.MrzRead(parsed, tuple(parsed.lines), sure=False)


def test_a_later_cut_with_fillers_where_the_kept_one_read_letters_replaces_it() -> None:
    crossed, plain = _read(NAMES[:28] + "B<"), _read(NAMES)
    assert mrz._better(plain, crossed)
    assert not mrz._better(crossed, plain)
    assert not mrz._better(plain, plain)  # as many checks, as many letters: the first kept


def test_a_later_cut_the_readers_vouched_for_replaces_one_they_did_not() -> None:
    # both pass every check; the later was sure but for the earlier one's contest
    kept = _read(NAMES[:10] + "Q" + NAMES[11:])
    vouched = mrz.MrzRead(_read(NAMES).mrz, _read(NAMES).raw, sure=False, vouched=True)
    assert mrz._better(vouched, kept)
    assert not mrz._better(kept, vouched)
    # more checks passed still comes first
    failing = list(td1())
    failing[0] = failing[0][:14] + str((int(failing[0][14]) + 1) % 10) + failing[0][15:]
    failing[2] = NAMES
    parsed = mrz_id.parse(failing)
    assert not mrz._better(mrz.MrzRead(parsed, tuple(parsed.lines), sure=False, vouched=True), kept)
