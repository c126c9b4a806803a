"""A visa is decoded as a visa when its first glyph is likelier V than any other letter a
document code may begin with, even where a letter no code begins with (a glared V read
Y) scores higher still: decoded as a TD2, its optional data's last filler became a
composite check digit."""

from __future__ import annotations

import random

from kyc_sdk.docs_ocr import mrz_decode, mrz_synth
from kyc_sdk.identifiers import mrz as mrz_id
from tests.docs_ocr.test_mrz_state_codes import SPECIMEN, _cells


def _visa() -> list[str]:
    return list(mrz_synth.random_mrz(random.Random(0), "MRVB").lines)


def test_a_visa_whose_v_reads_y_is_decoded_as_a_visa() -> None:
    printed = _visa()
    decoded = mrz_decode.decode(_cells(printed, {(0, 0): {"Y": 0.95, "V": 0.93}}))
    assert decoded is not None and decoded.lines == printed and decoded.sure
    assert mrz_id.parse(decoded.lines).valid


def test_a_passport_whose_p_reads_y_stays_a_passport() -> None:
    # V no likelier than P: the composite and personal-number checks still apply
    decoded = mrz_decode.decode(_cells(SPECIMEN, {(0, 0): {"Y": 0.95, "P": 0.93, "V": 0.6}}))
    assert decoded is not None and decoded.lines == SPECIMEN


def test_a_visa_read_plainly_is_unchanged() -> None:
    printed = _visa()
    decoded = mrz_decode.decode(_cells(printed, {}))
    assert decoded is not None and decoded.lines == printed and decoded.sure
