"""A name on the card is read as letters: a reading with a stray mark in it is a glyph
misread, and the name is read again larger before any such reading is believed."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from kyc_sdk.docs_ocr import national_card

HOMA = "/usr/share/fonts/truetype/farsiweb/homa.ttf"  # a face no card reader was tuned on


def _name(text: str) -> np.ndarray:
    img = Image.new("L", (260, 70), 235)
    ImageDraw.Draw(img).text(
        (240, 12), text, font=ImageFont.truetype(HOMA, 34), fill=20, anchor="ra", direction="rtl"
    )
    return cv2.GaussianBlur(np.asarray(img), (0, 0), 0.6)


def test_a_name_read_with_a_stray_mark_is_read_again_larger() -> None:
    # fas reads Homa's ر as "(" a little smaller than printed: "(ضا", cleaned to ضا.
    assert national_card._read_name(_name("رضا"), None, "first_name").value == "رضا"


@pytest.mark.parametrize(
    ("text", "alone"), [("رضا", True), ("نیک\u200cنام", True), ("(ضا", False), ("ر3ضا", False)]
)
def test_letters_alone(text: str, alone: bool) -> None:
    assert national_card._letters_alone(text) is alone
