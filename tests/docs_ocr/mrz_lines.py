"""A TD1 zone with right check digits, and the zone printed, for the MRZ decoder's tests."""

from __future__ import annotations

from PIL import Image, ImageDraw, ImageFont

from kyc_sdk.docs_ocr.synth import OCR_B
from kyc_sdk.identifiers import mrz as mrz_id

PITCH, SIZE, LEAD = 30, 40, 64  # a glyph's cell width, the font size, a line's height (px)


def td1(optional_one: str = "<" * 15, optional_two: str = "<" * 11) -> list[str]:
    """Three 30-character lines: a fixed document number, dates and name (names hold an
    O, dates 0s), the two optional fields as given, every check digit right."""
    number = "D23145890"
    one = f"I<UTO{number}{mrz_id.check_digit(number)}{optional_one}"
    birth, expiry = "740812", "120415"
    two = f"{birth}{mrz_id.check_digit(birth)}F{expiry}{mrz_id.check_digit(expiry)}UTO{optional_two}"
    two += mrz_id.check_digit(one[5:30] + two[0:7] + two[8:15] + two[18:29])
    return [one, two, "ERIKSSON<<ANNA<MARIA<<<<<<<<<<"]


def printed(lines: list[str], ink: int = 0) -> Image.Image:
    """The zone printed in OCR-B, ``ink`` on light paper (235): the glyph of line ``r``,
    column ``c`` drawn at ``cell(r, c)``, one ``PITCH`` by ``LEAD`` cell each."""
    font = ImageFont.truetype(str(OCR_B), SIZE)
    img = Image.new("L", (PITCH * 32, LEAD * 4), 235)
    draw = ImageDraw.Draw(img)
    for r, line in enumerate(lines):
        for c, ch in enumerate(line):
            draw.text(cell(r, c), ch, font=font, fill=ink)
    return img


def cell(line: int, column: int) -> tuple[int, int]:
    """Where ``printed`` draws the glyph at (line, column): its cell's top left (x, y)."""
    return PITCH * (column + 1), int(LEAD * (line + 0.5))
