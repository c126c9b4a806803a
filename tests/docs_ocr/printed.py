"""A line of digits drawn glyph by glyph for the digit readers' tests."""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw, ImageFont

DEJAVU = "truetype/dejavu/DejaVuSans.ttf"
NAZLI = "truetype/farsiweb/nazli.ttf"


def digit_line(text: str, font: str = DEJAVU) -> np.ndarray:
    """``text`` at 40 px in ``font`` (under /usr/share/fonts), each glyph drawn left to
    right at its own advance (as printed, whatever the script's direction), black on white."""
    face = ImageFont.truetype(f"/usr/share/fonts/{font}", 40)
    img = Image.new("L", (40 + int(face.getlength(text)), 80), 255)
    x = 20
    for ch in text:
        ImageDraw.Draw(img).text((x, 15), ch, font=face, fill=0)
        x += int(face.getlength(ch))
    return np.asarray(img)
