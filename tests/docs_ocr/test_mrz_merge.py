"""How the MRZ reader merges the OCR-B cells' reading with the line readers' (mrz._merged):
only the glyphs the cells are unsure of are taken from the line readers, and only where
every line reader that gave a line of the right length reads the same."""

from __future__ import annotations

from kyc_sdk.docs_ocr import mrz, mrz_decode

LINES = ["P<CANNARTIN<<SARAH<<<<<<<<<<<<<<<<<<<<<<<<<<", "ZE000509<9CAN8501019F2301147<<<<<<<<<<<<<<08"]
READ = ["P<CANMARTIN<<SARAH<<<<<<<<<<<<<<<<<<<<<<<<<<", LINES[1]]


def _decoded(unclear: list[tuple[int, int]]) -> mrz_decode.Decoded:
    return mrz_decode.Decoded(LINES, sure=False, checks_sure=True, unclear=unclear, clear={})


def test_one_line_reader_settles_a_glyph_the_cells_are_unsure_of() -> None:
    assert mrz._merged(_decoded([(0, 5)]), [READ]) == READ


def test_line_readers_that_disagree_settle_nothing() -> None:
    other = ["P<CANHARTIN<<SARAH<<<<<<<<<<<<<<<<<<<<<<<<<<", LINES[1]]
    assert mrz._merged(_decoded([(0, 5)]), [READ, other]) == LINES


def test_a_glyph_the_cells_are_sure_of_is_kept() -> None:
    assert mrz._merged(_decoded([(1, 2)]), [READ]) == LINES


def test_a_line_reader_of_another_shape_is_no_witness() -> None:
    short = [READ[0], READ[1][:40]]
    assert mrz._merged(_decoded([(0, 5)]), [short]) == LINES
    assert mrz._merged(_decoded([(0, 5)]), [short, READ]) == READ


def test_one_line_reader_alone_does_not_settle_a_digit_or_letter_glyph() -> None:
    # the document number's 0 at (1, 2): a line reader alone may read 0 for O (their bias)
    read = [LINES[0], "ZEO00509<9CAN8501019F2301147<<<<<<<<<<<<<<08"]
    assert mrz._merged(_decoded([(1, 2)]), [read]) == LINES
    assert mrz._merged(_decoded([(1, 2)]), [read, read]) == read
