"""Synthetic documents for tests, benchmarks and the registration demo.

Renders an Iranian-national-card-like front and back and a passport data page with a TD3
MRZ, for *synthetic* people (``random_person``: made-up names, a random valid national
code, Jalali dates), then ``photograph`` puts the document on a patterned table under
perspective, blur, noise, glare and JPEG. It is a fixture: no real person's identity and
no real card's artwork (the layout only follows the public description: labels on the
right, photo on the left). Fonts are Debian's fonts-farsiweb / fonts-noto-core (Persian)
and fonts-ocr-b (MRZ); see docs/evaluation.md "How we measure / OCR".
"""

from __future__ import annotations

import io
import random
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from kyc_sdk.docs_ocr import fonts
from kyc_sdk.docs_ocr._digits import has_glyph
from kyc_sdk.identifiers import jalali, national_code
from kyc_sdk.identifiers.mrz import check_digit
from kyc_sdk.text import to_persian_digits

FALLBACK_FONT = Path("/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf")  # Latin punctuation
_INK = (10, 10, 15)
# Every Persian face the generator can print in (short name -> the file of its regular
# weight, under FONT_ROOT); the faces and their roles are written once, in ``fonts``.
PERSIAN_FONTS = {name: face.files[0] for name, face in fonts.FACES.items()}
FONT_ROOT = fonts.ROOT
# Homa lacks the Persian-specific digit glyphs (۴ ۵ ۶ render as boxes): not a card font.
OCR_B = Path("/usr/share/fonts/opentype/ocr-b/OCRB.otf")
CARD_SIZE = (1000, 630)  # ID-1 aspect (85.6 × 54 mm) at about 297 dpi
PAGE_SIZE = (1250, 880)  # ID-3 aspect (125 × 88 mm)
LABELS = {
    "national_code": "کد ملی",
    "first_name": "نام",
    "last_name": "نام خانوادگی",
    "birth_date": "تاریخ تولد",
    "father_name": "نام پدر",
    "expiry_date": "تاریخ انقضا",
}
# (Persian, Latin transliteration) pairs: synthetic combinations, not anyone's record.
_MALE = [
    ("علی", "ALI"),
    ("محمد", "MOHAMMAD"),
    ("رضا", "REZA"),
    ("حسین", "HOSSEIN"),
    ("مهدی", "MAHDI"),
    ("امیر", "AMIR"),
    ("سعید", "SAEED"),
    ("کامران", "KAMRAN"),
    ("بهرام", "BAHRAM"),
    ("داریوش", "DARIUSH"),
    ("فرهاد", "FARHAD"),
    ("کیوان", "KEYVAN"),
    ("پویا", "POUYA"),
    ("سینا", "SINA"),
    ("بابک", "BABAK"),
    ("مجید", "MAJID"),
    ("جواد", "JAVAD"),
    ("یوسف", "YOUSEF"),
    ("نوید", "NAVID"),
    ("آرش", "ARASH"),
]
_FEMALE = [
    ("مریم", "MARYAM"),
    ("زهرا", "ZAHRA"),
    ("فاطمه", "FATEMEH"),
    ("سارا", "SARA"),
    ("نرگس", "NARGES"),
    ("لیلا", "LEILA"),
    ("شیرین", "SHIRIN"),
    ("پریسا", "PARISA"),
    ("نازنین", "NAZANIN"),
    ("الهام", "ELHAM"),
    ("مینا", "MINA"),
    ("یاسمن", "YASAMAN"),
    ("گلناز", "GOLNAZ"),
    ("ترانه", "TARANEH"),
    ("کیمیا", "KIMIA"),
]
_LAST = [
    ("احمدی", "AHMADI"),
    ("کریمی", "KARIMI"),
    ("رضایی", "REZAEI"),
    ("حسینی", "HOSSEINI"),
    ("موسوی", "MOUSAVI"),
    ("جعفری", "JAFARI"),
    ("نوروزی", "NOROUZI"),
    ("صادقی", "SADEGHI"),
    ("کاظمی", "KAZEMI"),
    ("رحیمی", "RAHIMI"),
    ("شریفی", "SHARIFI"),
    ("یزدانی", "YAZDANI"),
    ("تهرانی", "TEHRANI"),
    ("شیرازی", "SHIRAZI"),
    ("قاسمی", "GHASEMI"),
    ("بهرامی", "BAHRAMI"),
    ("فرهادی", "FARHADI"),
    ("مرادی", "MORADI"),
    ("سلطانی", "SOLTANI"),
    ("پاکزاد", "PAKZAD"),
    ("کیانی", "KIANI"),
    ("نیک‌نام", "NIKNAM"),
    ("امینی", "AMINI"),
    ("زارعی", "ZAREI"),
]


@dataclass(frozen=True)
class Person:
    """A synthetic card holder. Dates are Jalali ``YYYY/MM/DD`` in ASCII digits."""

    first_name: str
    last_name: str
    father_name: str
    national_code: str
    birth_date: str
    expiry_date: str
    sex: str
    first_name_latin: str
    last_name_latin: str
    serial: str
    passport_number: str


def random_person(rng: random.Random) -> Person:
    """A made-up person with a valid random national code and valid Jalali dates."""
    sex = rng.choice("MF")
    first = rng.choice(_MALE if sex == "M" else _FEMALE)
    last, father = rng.choice(_LAST), rng.choice(_MALE)
    return Person(
        first_name=first[0],
        last_name=last[0],
        father_name=father[0],
        national_code=national_code.generate(rng),
        birth_date=_jalali_day(rng, 1330, 1385),
        expiry_date=_jalali_day(rng, 1405, 1412),
        sex=sex,
        first_name_latin=first[1],
        last_name_latin=last[1],
        serial=f"{rng.randrange(10):d}{rng.choice('ABCDEFGHJKLMNPRSTUVWXYZ')}{rng.randrange(10**8):08d}",
        passport_number=f"{rng.choice('ABEHKLPRSTUXZ')}{rng.randrange(10**8):08d}",
    )


def _jalali_day(rng: random.Random, first_year: int, last_year: int) -> str:
    month = rng.randint(1, 12)
    last_day = 31 if month <= 6 else 30 if month <= 11 else 29
    return jalali.validate(f"{rng.randint(first_year, last_year)}/{month:02d}/{rng.randint(1, last_day):02d}")


def font_path(font: str) -> Path:
    """The file of a Persian font by its short name (``PERSIAN_FONTS``) or a path."""
    rel = PERSIAN_FONTS.get(font)
    path = FONT_ROOT / rel if rel else Path(font)
    if not path.is_file():
        raise FileNotFoundError(f"font {font!r} not installed (Debian fonts-farsiweb / fonts-noto-core)")
    return path


def installed_fonts() -> list[str]:
    """The short names of ``PERSIAN_FONTS`` installed on this machine."""
    return [name for name, rel in PERSIAN_FONTS.items() if (FONT_ROOT / rel).is_file()]


def _font(path: Path, size: float) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(path), size, layout_engine=ImageFont.Layout.RAQM)


@lru_cache(maxsize=32)
def _size_factor(path: Path) -> float:
    # Faces differ in how big a point size draws (Scheherazade's digits are two thirds of
    # Nazli's): a card is printed at a legible size, so a small face is scaled up.
    box = _font(path, 100).getbbox("۲۳۴۶۷۸۹")
    return max(1.0, 55 / max(box[3] - box[1], 1))


def _background(size: tuple[int, int], rng: random.Random, tint: tuple[int, int, int]) -> Image.Image:
    # A pale guilloche-like wave pattern: the security print real cards have, and a trap
    # for naive binarisation.
    w, h = size
    y, x = np.mgrid[0:h, 0:w].astype(np.float32)
    phase = rng.uniform(0, 6.28)
    waves = 0.5 + 0.5 * np.sin(x / 23.0 + 3 * np.sin(y / 41.0 + phase))
    base = np.array(tint, np.float32)[None, None, :] * (0.93 + 0.07 * waves[..., None])
    return Image.fromarray(np.clip(base, 0, 255).astype(np.uint8), "RGB")


def _face_box(img: Image.Image, box: tuple[int, int, int, int], face: np.ndarray | None) -> None:
    x0, y0, x1, y1 = box
    if face is not None:
        img.paste(
            Image.fromarray(np.asarray(face, np.uint8)).convert("RGB").resize((x1 - x0, y1 - y0)), (x0, y0)
        )
        return
    w, h = x1 - x0, y1 - y0  # a neutral silhouette where no face is given
    tile = Image.new("RGB", (w, h), (205, 210, 215))
    draw = ImageDraw.Draw(tile)
    cx, cy, r = w // 2, h * 2 // 5, w // 4
    draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=(150, 155, 165))
    draw.ellipse((10, cy + r + 10, w - 10, h + h // 3), fill=(150, 155, 165))
    img.paste(tile, (x0, y0))


@dataclass(frozen=True)
class CardStyle:
    """How a card front is printed: each axis a parameter, so an evaluation can hold out
    a whole font, layout or digit script (issue "Document OCR that holds on cards we did
    not make"; docs/evaluation.md "Held-out discipline").

    ``digits``: ``persian`` (۰–۹), ``arabic`` (Arabic-Indic ٠–٩), ``latin``, or ``mixed``
    (Latin dates beside a Persian code). ``code_group``: the code as ten digits
    (``none``) or grouped 3-6-1 with ``hyphen`` or ``space``. ``label_side``: ``right``
    (label first in reading order) or ``left`` of its value. ``layout``: ``flow`` (value
    right after its label), ``column`` (values aligned in a column beside the labels) or
    ``stacked`` (label above its value). ``order``: the labels top to bottom.
    ``design``: ``smart`` (today's card) or ``old`` (the older paper card: other label
    words, photo on the right, another tint). ``date_sep``: what parts a date (``/``,
    ``-``, ``.`` or a space; forms and older cards print all four). ``variant``: the
    face as printed (``VARIANTS``): as drawn, or made bolder (strokes grown), condensed or
    extended (glyphs squeezed or stretched across) or smaller at render time: a face's
    other weights and widths, which no digit model or template was drawn from."""

    font: str = "nazli"
    digits: str = "persian"
    code_group: str = "none"
    colon: bool = True
    label_side: str = "right"
    layout: str = "flow"
    order: tuple[str, ...] = tuple(LABELS)
    design: str = "smart"
    date_sep: str = "/"
    variant: str = "regular"

    @property
    def layout_name(self) -> str:
        """The layout as one group name: design, layout, label side, colon, order."""
        order = "std" if self.order == tuple(LABELS) else "alt"
        return f"{self.design}-{self.layout}-{self.label_side}-{'colon' if self.colon else 'nocolon'}-{order}"


DIGIT_SCRIPTS = ("persian", "arabic", "latin", "mixed")
CODE_GROUPS = ("none", "hyphen", "space")
LAYOUTS = ("flow", "column", "stacked")
DESIGNS = ("smart", "old")
DATE_SEPARATORS = ("/", "-", ".", " ")
# Render-time variants of a face: (stroke grown by this share of the em, width factor,
# size factor). Synthetic, as a printer's faux bold or a squeezed box would print them.
VARIANTS: dict[str, tuple[float, float, float]] = {
    "regular": (0.0, 1.0, 1.0),
    "bold": (0.035, 1.0, 1.0),
    "condensed": (0.0, 0.75, 1.0),
    "extended": (0.0, 1.25, 1.0),
    "bold-condensed": (0.03, 0.8, 1.0),
    "small": (0.0, 1.0, 0.8),
}
# Another order seen on card-like forms: names first, then the code and dates.
ALT_ORDER = ("first_name", "last_name", "father_name", "national_code", "birth_date", "expiry_date")
# A third order, added as a held-out layout nobody tuned on (ocr_eval --fresh): the names
# and digit rows interleaved, the surname first.
THIRD_ORDER = ("last_name", "first_name", "national_code", "father_name", "birth_date", "expiry_date")


def random_style(rng: random.Random, **fixed: Any) -> CardStyle:
    """A style with every axis drawn at random, except those given."""
    drawn = CardStyle(
        font=rng.choice(installed_fonts()),
        digits=rng.choice(DIGIT_SCRIPTS),
        code_group=rng.choice(CODE_GROUPS),
        colon=rng.random() < 0.5,
        label_side=rng.choice(("right", "right", "left")),
        layout=rng.choice(LAYOUTS),
        order=tuple(LABELS) if rng.random() < 0.7 else ALT_ORDER,
        design=rng.choice(DESIGNS),
        date_sep=rng.choice(DATE_SEPARATORS),
    )
    return replace(drawn, **fixed)


_ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def _digits_in(text: str, script: str) -> str:
    if script == "latin":
        return text
    return text.translate(_ARABIC_INDIC) if script == "arabic" else to_persian_digits(text)


def card_values(person: Person, style: CardStyle) -> dict[str, str]:
    """The six values as ``style`` prints them."""
    code = person.national_code
    if style.code_group != "none":
        sep = "-" if style.code_group == "hyphen" else " "
        code = f"{code[:3]}{sep}{code[3:9]}{sep}{code[9]}"
    code_script = "persian" if style.digits == "mixed" else style.digits
    date_script = "latin" if style.digits == "mixed" else style.digits
    return {
        "national_code": _digits_in(code, code_script),
        "first_name": person.first_name,
        "last_name": person.last_name,
        "father_name": person.father_name,
        "birth_date": _digits_in(person.birth_date.replace("/", style.date_sep), date_script),
        "expiry_date": _digits_in(person.expiry_date.replace("/", style.date_sep), date_script),
    }


def _text(
    draw: ImageDraw.ImageDraw,
    xy: tuple[float, float],
    text: str,
    font: ImageFont.FreeTypeFont,
    fill: tuple[int, int, int],
    anchor: str,
    variant: str = "regular",
    direction: str | None = None,
) -> None:
    """``draw.text`` as ``variant`` prints it: strokes grown, and the glyphs scaled across
    about the anchor's edge (drawn on a mask, resized, then laid in ``fill``)."""
    grow, wide, _ = VARIANTS[variant]
    stroke = max(1, round(grow * font.size)) if grow else 0
    how: dict[str, Any] = {"font": font, "anchor": anchor, "direction": direction, "stroke_width": stroke}
    if wide == 1.0:
        draw.text(xy, text, fill=fill, stroke_fill=fill, **how)
        return
    x0, y0, x1, y1 = draw.textbbox(xy, text, **how)
    pad = 2
    mask = Image.new("L", (int(x1 - x0) + 2 * pad, int(y1 - y0) + 2 * pad), 0)
    at = (xy[0] - x0 + pad, xy[1] - y0 + pad)
    ImageDraw.Draw(mask).text(at, text, fill=255, stroke_fill=255, **how)
    mask = mask.resize((max(1, round(mask.width * wide)), mask.height), Image.Resampling.LANCZOS)
    # the anchor point stays where it was (the right edge for "r" anchors, else the left)
    left = xy[0] - at[0] * wide
    draw.bitmap((round(left), round(y0 - pad)), mask, fill=fill)


def _runs(value: str, font: ImageFont.FreeTypeFont) -> list[tuple[str, ImageFont.FreeTypeFont]]:
    # Characters the font lacks (Latin digits or "/" in Noto's Arabic faces) come from a
    # Latin font: a card never prints the .notdef box.
    fallback = _font(FALLBACK_FONT, font.size)
    runs: list[tuple[str, ImageFont.FreeTypeFont]] = []
    for ch in value:
        f = font if ch == " " or has_glyph(font, ch) else fallback
        if runs and runs[-1][1] is f:
            runs[-1] = (runs[-1][0] + ch, f)
        else:
            runs.append((ch, f))
    return runs


def _text_width(
    draw: ImageDraw.ImageDraw,
    value: str,
    font: ImageFont.FreeTypeFont,
    digits: bool,
    variant: str = "regular",
) -> float:
    wide = VARIANTS[variant][1]
    if digits:
        return wide * sum(draw.textlength(ch, font=f) for t, f in _runs(value, font) for ch in t)
    return wide * draw.textlength(value, font=font, direction="rtl")


def _draw_at(
    draw: ImageDraw.ImageDraw,
    x: float,
    y: int,
    value: str,
    font: ImageFont.FreeTypeFont,
    *,
    anchor_right: bool,
    digits: bool,
    variant: str = "regular",
) -> None:
    """``value`` with its right (or left) edge at ``x``. Digit values are laid out left to
    right as printed, whatever the script (bidi would move an Arabic-Indic group's
    hyphens), in runs of the font and its Latin fallback on one baseline."""
    if not digits:
        _text(draw, (x, y), value, font, _INK, "ra" if anchor_right else "la", variant, "rtl")
        return
    left = x - _text_width(draw, value, font, True, variant) if anchor_right else x
    baseline = y + font.getmetrics()[0]
    for text, f in _runs(value, font):
        for ch in text:  # one by one: bidi would reorder Arabic-Indic groups around "-"
            _text(draw, (left, baseline), ch, f, _INK, "ls", variant)
            left += draw.textlength(ch, font=f) * VARIANTS[variant][1]


_OLD_LABELS = {"national_code": "شماره ملی", "expiry_date": "تاریخ اعتبار"}


def card_labels(style: CardStyle) -> dict[str, str]:
    """The label words ``style`` prints (the older card names two fields otherwise)."""
    return {**LABELS, **(_OLD_LABELS if style.design == "old" else {})}


def render_national_card(
    person: Person,
    *,
    font: str = "nazli",
    face: np.ndarray | None = None,
    rng: random.Random | None = None,
    latin_digits: bool = False,
    style: CardStyle | None = None,
) -> np.ndarray:
    """The card front, ``CARD_SIZE``, RGB uint8. Without ``style``: today's card, labels on
    the right with a colon, values to their left, Persian digits (``latin_digits`` for the
    variant some reprints use)."""
    style = style or CardStyle(font=font, digits="latin" if latin_digits else "persian")
    rng = rng or random.Random(0)
    old = style.design == "old"
    img = _background(CARD_SIZE, rng, (226, 240, 226) if old else (232, 240, 248))
    draw = ImageDraw.Draw(img)
    path = font_path(style.font)
    size = rng.randint(30, 36)
    factor = _size_factor(path) * VARIANTS[style.variant][2]
    label_font, value_font = _font(path, round((size - 4) * factor)), _font(path, round(size * factor))
    header = _font(path, 30)  # the title as the face prints it, whatever the variant
    draw.rectangle((0, 0, CARD_SIZE[0], 78), fill=(200, 224, 200) if old else (196, 214, 232))
    title = "کارت شناسائی ملی" if old else "جمهوری اسلامی ایران  کارت هوشمند ملی"
    draw.text((CARD_SIZE[0] // 2, 40), title, font=header, fill=(20, 50, 90), anchor="mm", direction="rtl")
    photo = (CARD_SIZE[0] - 250, 130, CARD_SIZE[0] - 40, 400) if old else (40, 130, 270, 420)
    _face_box(img, photo, face)
    right, top = CARD_SIZE[0] - rng.randint(35, 70), rng.randint(108, 130)
    block_left = 300 if not old else 40
    if old:
        right -= 250
    stacked = style.layout == "stacked"
    step = rng.randint(74, 80) if not stacked else rng.randint(40, 42)
    if stacked:  # twelve lines: smaller print, from higher up
        label_font, value_font = _font(path, round(24 * factor)), _font(path, round(28 * factor))
        top -= 20
    labels = {k: v + (":" if style.colon else "") for k, v in card_labels(style).items()}
    values = card_values(person, style)
    widest = max(_text_width(draw, t, label_font, False, style.variant) for t in labels.values())
    gap = rng.randint(28, 45)  # the column's gap, or the first row's
    for i, key in enumerate(style.order):
        y = top + i * step * (2 if stacked else 1)
        label, value, digits = labels[key], values[key], key in ("national_code", "birth_date", "expiry_date")
        label_w = _text_width(draw, label, label_font, False, style.variant)
        on_right = style.label_side == "right"
        xy = (right if on_right else block_left, y)
        _text(draw, xy, label, label_font, (60, 70, 90), "ra" if on_right else "la", style.variant, "rtl")
        vx: float
        if stacked:
            vx, vy = (right if on_right else block_left), y + step
        elif style.layout == "column":
            vx, vy = (right - widest - gap if on_right else block_left + widest + gap), y - 2
        else:
            gap = gap if i == 0 else rng.randint(28, 45) if style.colon else rng.randint(16, 40)
            vx, vy = (right - round(label_w) - gap if on_right else block_left + round(label_w) + gap), y - 2
        _draw_at(draw, vx, vy, value, value_font, anchor_right=on_right, digits=digits, variant=style.variant)
    return np.asarray(img)


def render_card_back(person: Person, *, rng: random.Random | None = None) -> np.ndarray:
    """The card back: the serial printed, and the serial and code in a Code 128 and a PDF417."""
    import zxingcpp

    rng = rng or random.Random(0)
    img = _background(CARD_SIZE, rng, (240, 236, 228))
    draw = ImageDraw.Draw(img)
    draw.text((60, 60), f"SERIAL {person.serial}", font=ImageFont.truetype(str(OCR_B), 34), fill=(20, 20, 20))
    code128 = zxingcpp.create_barcode(person.serial, zxingcpp.BarcodeFormat.Code128).to_image(scale=3)
    pdf = zxingcpp.create_barcode(f"{person.national_code}|{person.serial}", zxingcpp.BarcodeFormat.PDF417)
    img.paste(Image.fromarray(np.asarray(code128)).convert("RGB"), (60, 130))
    img.paste(Image.fromarray(np.asarray(pdf.to_image(scale=3))).convert("RGB"), (60, 330))
    return np.asarray(img)


def mrz_lines(person: Person) -> tuple[str, str]:
    """The TD3 MRZ of ``person``'s synthetic Iranian passport; the national code sits in
    the personal-number field (accepted there by ``identifiers.mrz.national_code_in``)."""
    name = f"{person.last_name_latin}<<{person.first_name_latin}".replace(" ", "<")
    line1 = f"P<IRN{name}".ljust(44, "<")[:44]
    birth = jalali.to_gregorian(person.birth_date).strftime("%y%m%d")
    expiry = jalali.to_gregorian(person.expiry_date).strftime("%y%m%d")
    number = person.passport_number.ljust(9, "<")
    personal = person.national_code.ljust(14, "<")
    body = (
        number
        + check_digit(number)
        + "IRN"
        + birth
        + check_digit(birth)
        + person.sex
        + expiry
        + check_digit(expiry)
        + personal
        + check_digit(personal)
    )
    composite = body[0:10] + body[13:20] + body[21:43]
    return line1, body + check_digit(composite)


def render_passport_page(
    person: Person, face: np.ndarray | None = None, *, mrz_font: Path = OCR_B
) -> np.ndarray:
    """A passport data page, ``PAGE_SIZE``, with a TD3 MRZ in OCR-B at the bottom."""
    rng = random.Random(person.national_code)
    img = _background(PAGE_SIZE, rng, (236, 232, 244))
    draw = ImageDraw.Draw(img)
    small = ImageFont.truetype(str(OCR_B), 26)
    draw.text((40, 30), "ISLAMIC REPUBLIC OF IRAN   PASSPORT", font=small, fill=(40, 40, 90))
    _face_box(img, (40, 110, 330, 480), face)
    rows = [
        ("Surname", person.last_name_latin),
        ("Given names", person.first_name_latin),
        ("Nationality", "IRANIAN"),
        ("Sex", person.sex),
        ("Passport No.", person.passport_number),
    ]
    for i, (label, value) in enumerate(rows):
        draw.text((380, 120 + i * 66), label, font=ImageFont.truetype(str(OCR_B), 18), fill=(90, 90, 110))
        draw.text((380, 142 + i * 66), value, font=small, fill=(10, 10, 10))
    lines = mrz_lines(person)
    size = 40
    while ImageFont.truetype(str(mrz_font), size).getlength(lines[0]) > PAGE_SIZE[0] - 100:
        size -= 1  # the whole line on the page, with a margin (ICAO 9303-3 clear zone)
    mrz = ImageFont.truetype(str(mrz_font), size)
    for i, line in enumerate(lines):
        draw.text((50, 700 + i * 62), line, font=mrz, fill=(15, 15, 15))
    return np.asarray(img)


def _table(size: tuple[int, int], rng: random.Random, busy: bool = False) -> np.ndarray:
    # A wood-grain or checked table top: something a naive "largest bright blob" fails on.
    # ``busy``: papers, print and pale shapes around the card as well.
    w, h = size
    y, x = np.mgrid[0:h, 0:w].astype(np.float32)
    if rng.random() < 0.5:
        grain = np.sin(x / rng.uniform(6, 14) + 4 * np.sin(y / rng.uniform(60, 120)))
        tone = np.stack([110 + 25 * grain, 75 + 18 * grain, 45 + 12 * grain], axis=-1)
    else:
        cells = ((x // 48).astype(int) + (y // 48).astype(int)) % 2
        tone = np.stack([70 + 40 * cells, 80 + 40 * cells, 95 + 30 * cells], axis=-1)
    table = np.clip(tone, 0, 255).astype(np.uint8)
    if not busy:
        return table
    pil = Image.fromarray(table, "RGB")
    draw = ImageDraw.Draw(pil)
    text = _font(FALLBACK_FONT, 22)
    for _ in range(12):
        x0, y0 = rng.randrange(w), rng.randrange(h)
        shade = tuple(rng.randint(120, 255) for _ in range(3))
        if rng.random() < 0.5:
            draw.rectangle((x0, y0, x0 + rng.randint(60, 300), y0 + rng.randint(40, 200)), fill=shade)
        else:
            draw.ellipse((x0, y0, x0 + rng.randint(30, 160), y0 + rng.randint(30, 160)), fill=shade)
        draw.text((x0, y0), "RECEIPT 0912 345 6789", font=text, fill=(20, 20, 20))
    return np.asarray(pil)


def photograph(
    image: np.ndarray,
    *,
    rng: random.Random,
    blur: float = 0.0,
    noise: float = 0.0,
    glare: float = 0.0,
    perspective: float = 0.0,
    jpeg_quality: int = 90,
    size: tuple[int, int] = (1280, 960),
    rotate: float = 0.0,
    shadow: float = 0.0,
    busy: bool = False,
    resolution: float = 1.0,
    vignette: float = 0.0,
) -> bytes:
    """``image`` photographed on a table: JPEG bytes of ``size``. ``perspective`` moves each
    corner by up to that fraction of the document's size; ``rotate`` turns it (degrees);
    ``shadow`` darkens one side of the frame by up to that fraction (a hand or phone over
    it); ``busy`` puts clutter on the table; ``resolution`` below 1 shoots at that
    fraction of ``size`` and scales back up (a low-resolution camera); ``vignette`` darkens
    the frame away from an off-centre light by up to that fraction (a lamp at one side)."""
    import cv2

    w, h = size
    canvas = _table(size, rng, busy)
    doc_h, doc_w = image.shape[:2]
    scale = min(w * 0.78 / doc_w, h * 0.78 / doc_h)
    src = np.array([[0, 0], [doc_w, 0], [doc_w, doc_h], [0, doc_h]], np.float32)
    centre = np.array([w / 2 + rng.uniform(-30, 30), h / 2 + rng.uniform(-30, 30)], np.float32)
    corners = (src - [doc_w / 2, doc_h / 2]) * scale
    theta = np.deg2rad(rotate)
    rot = np.array([[np.cos(theta), -np.sin(theta)], [np.sin(theta), np.cos(theta)]], np.float32)
    corners = corners @ rot.T + centre
    jitter = np.array([[rng.uniform(-1, 1), rng.uniform(-1, 1)] for _ in range(4)], np.float32)
    corners = corners + jitter * perspective * np.array([doc_w * scale, doc_h * scale], np.float32)
    matrix = cv2.getPerspectiveTransform(src, corners.astype(np.float32))
    warped = cv2.warpPerspective(image, matrix, size, flags=cv2.INTER_AREA)
    mask = cv2.warpPerspective(np.full((doc_h, doc_w), 255, np.uint8), matrix, size)
    out = np.where(mask[..., None] > 127, warped, canvas).astype(np.float32)
    out = _glare(out, rng, glare) if glare > 0 else out
    out = _shadow(out, rng, shadow) if shadow > 0 else out
    out = _vignette(out, rng, vignette) if vignette > 0 else out
    if noise > 0:
        out += np.random.default_rng(rng.randrange(2**32)).normal(0, noise, out.shape)
    pil = Image.fromarray(np.clip(out, 0, 255).astype(np.uint8), "RGB")
    if blur > 0:
        pil = pil.filter(ImageFilter.GaussianBlur(blur))
    if resolution < 1.0:
        small = (max(1, round(w * resolution)), max(1, round(h * resolution)))
        pil = pil.resize(small, Image.Resampling.BILINEAR).resize(size, Image.Resampling.BILINEAR)
    buf = io.BytesIO()
    pil.save(buf, "JPEG", quality=int(jpeg_quality))
    return buf.getvalue()


def _shadow(out: np.ndarray, rng: random.Random, strength: float) -> np.ndarray:
    # A soft straight-edged shadow across part of the frame.
    h, w = out.shape[:2]
    y, x = np.mgrid[0:h, 0:w].astype(np.float32)
    angle = rng.uniform(0, 2 * np.pi)
    side = (x - w / 2) * np.cos(angle) + (y - h / 2) * np.sin(angle) - rng.uniform(-0.2, 0.3) * w
    dark = strength / (1 + np.exp(-side / (0.04 * w)))
    return out * (1 - dark)[..., None]


def _vignette(out: np.ndarray, rng: random.Random, strength: float) -> np.ndarray:
    # Light falling off smoothly from a point off the frame's centre: shading with no edge.
    h, w = out.shape[:2]
    y, x = np.mgrid[0:h, 0:w].astype(np.float32)
    cx, cy = rng.uniform(0, 1) * w, rng.uniform(0, 1) * h
    dist = np.sqrt((x - cx) ** 2 + (y - cy) ** 2) / np.hypot(w, h)
    return out * (1 - strength * np.clip(dist / 0.8, 0, 1) ** 1.5)[..., None]


CAPTURES = (
    "clean",
    "angle",
    "perspective",
    "blur",
    "noise",
    "glare",
    "jpeg50",
    "lowres",
    "shadow",
    "busy",
    "upside",
    "vignette",  # added after the held-out split: a tuning value (uneven light, no edge)
)


def capture(name: str, rng: random.Random) -> dict[str, object]:
    """``photograph`` keywords for one named capture setting (``CAPTURES``): each stresses
    one thing at its hard end, over a mild random photo (up to ±10° and a little blur)."""
    base: dict[str, object] = {
        "rotate": rng.uniform(-10, 10),
        "blur": rng.uniform(0, 0.6),
        "noise": rng.uniform(0, 3),
        "perspective": rng.uniform(0, 0.02),
        "jpeg_quality": rng.randint(75, 92),
    }
    hard: dict[str, dict[str, object]] = {
        "clean": {"rotate": 0.0, "blur": 0.0, "noise": 0.0, "perspective": 0.0, "jpeg_quality": 92},
        "angle": {"rotate": rng.choice((-1, 1)) * rng.uniform(7, 10)},
        "perspective": {"perspective": rng.uniform(0.04, 0.07)},
        "blur": {"blur": rng.uniform(1.0, 1.6)},
        "noise": {"noise": rng.uniform(6, 10)},
        "glare": {"glare": rng.uniform(0.4, 0.7)},
        "jpeg50": {"jpeg_quality": 50},
        "lowres": {"resolution": rng.uniform(0.55, 0.7)},
        "shadow": {"shadow": rng.uniform(0.35, 0.55)},
        "busy": {"busy": True},
        "upside": {"rotate": 180 + rng.uniform(-10, 10)},  # handed over upside down
    }
    if name == "vignette":  # drawn only when asked: the other settings' draws stay as they were
        return {**base, "vignette": rng.uniform(0.45, 0.65)}
    return {**base, **hard[name]}


def _glare(out: np.ndarray, rng: random.Random, strength: float) -> np.ndarray:
    h, w = out.shape[:2]
    y, x = np.mgrid[0:h, 0:w].astype(np.float32)
    cx, cy, r = rng.uniform(0.2, 0.8) * w, rng.uniform(0.2, 0.8) * h, rng.uniform(0.08, 0.16) * w
    spot = np.exp(-((x - cx) ** 2 + (y - cy) ** 2) / (2 * r * r))
    return out + (255 - out) * (strength * spot)[..., None]
