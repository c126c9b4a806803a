"""A name on the card is read as letters: a reading with a stray mark in it is a glyph
misread, and the name is read again larger before any such reading is believed; a short
word printed large is read whole, and a neighbouring row's ink is kept out of its crop."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from kyc_sdk.docs_ocr import _tess, national_card, synth

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


@pytest.mark.parametrize(("font", "word"), [("noto-sans", "سینا"), ("nazli", "مینا")])
def test_a_short_word_printed_large_is_read_whole(font: str, word: str) -> None:
    # fas's single-line mode returns nothing for these at this size; raw-line mode, the
    # old fallback, dropped the final alef (سین). Read again smaller, the word is whole.
    img = Image.new("L", (140, 72), 250)
    face = ImageFont.truetype(str(synth.font_path(font)), 40)
    ImageDraw.Draw(img).text((122, 36), word, font=face, fill=20, anchor="rm", direction="rtl")
    assert _tess.read_rtl(np.asarray(img))[0] == word


def test_a_neighbour_s_stroke_in_a_name_s_crop_is_painted_over() -> None:
    # A stacked card's name crop reaches into the next row: the top of its label's alef.
    grey = np.full((120, 200), 240, np.uint8)
    grey[30:50, 60:140] = 20  # the name's ink (its blob: the box below)
    grey[26:28, 98:102] = 20  # a dot above it, apart from its blob but within reach
    grey[64:70, 100:103] = 20  # the next row's stroke, inside the padding
    crop = national_card._crop(grey, [(58, 29, 84, 23)], pad=20, binary=False, alone=True)
    ink = crop < 128
    assert ink.sum() == 20 * 80 + 2 * 4  # the name and its dot, nothing of the neighbour
