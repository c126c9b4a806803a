"""Synthetic documents for tests, benchmarks and the registration demo.

Renders an Iranian-national-card-like front and back and a passport data page with a TD3
MRZ, for *synthetic* people (``random_person``: made-up names, a random valid national
code, Jalali dates), then ``photograph`` puts the document on a patterned table under
perspective, blur, noise, glare and JPEG. It is a fixture: no real person's identity and
no real card's artwork (the layout only follows the public description: labels on the
right, photo on the left). Fonts are Debian's fonts-farsiweb / fonts-noto-core (Persian)
and fonts-ocr-b (MRZ); see EVALUATION.md "How we measure / OCR".
"""

from __future__ import annotations

import io
import random
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from kyc_sdk.identifiers import jalali, national_code
from kyc_sdk.identifiers.mrz import check_digit
from kyc_sdk.text import to_persian_digits

FONT_DIRS = (Path("/usr/share/fonts/truetype/farsiweb"), Path("/usr/share/fonts/truetype/noto"))
FALLBACK_FONT = Path("/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf")  # Latin punctuation
_INK = (10, 10, 15)
PERSIAN_FONTS = {
    "nazli": "farsiweb/nazli.ttf",
    "titr": "farsiweb/titr.ttf",
    "noto-naskh": "noto/NotoNaskhArabic-Regular.ttf",
    "noto-sans": "noto/NotoSansArabic-Regular.ttf",
}
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
_MALE = [("علی", "ALI"), ("محمد", "MOHAMMAD"), ("رضا", "REZA"), ("حسین", "HOSSEIN"), ("مهدی", "MAHDI"),
         ("امیر", "AMIR"), ("سعید", "SAEED"), ("کامران", "KAMRAN"), ("بهرام", "BAHRAM"), ("داریوش", "DARIUSH"),
         ("فرهاد", "FARHAD"), ("کیوان", "KEYVAN"), ("پویا", "POUYA"), ("سینا", "SINA"), ("بابک", "BABAK"),
         ("مجید", "MAJID"), ("جواد", "JAVAD"), ("یوسف", "YOUSEF"), ("نوید", "NAVID"), ("آرش", "ARASH")]
_FEMALE = [("مریم", "MARYAM"), ("زهرا", "ZAHRA"), ("فاطمه", "FATEMEH"), ("سارا", "SARA"), ("نرگس", "NARGES"),
           ("لیلا", "LEILA"), ("شیرین", "SHIRIN"), ("پریسا", "PARISA"), ("نازنین", "NAZANIN"), ("الهام", "ELHAM"),
           ("مینا", "MINA"), ("یاسمن", "YASAMAN"), ("گلناز", "GOLNAZ"), ("ترانه", "TARANEH"), ("کیمیا", "KIMIA")]
_LAST = [("احمدی", "AHMADI"), ("کریمی", "KARIMI"), ("رضایی", "REZAEI"), ("حسینی", "HOSSEINI"),
         ("موسوی", "MOUSAVI"), ("جعفری", "JAFARI"), ("نوروزی", "NOROUZI"), ("صادقی", "SADEGHI"),
         ("کاظمی", "KAZEMI"), ("رحیمی", "RAHIMI"), ("شریفی", "SHARIFI"), ("یزدانی", "YAZDANI"),
         ("تهرانی", "TEHRANI"), ("شیرازی", "SHIRAZI"), ("قاسمی", "GHASEMI"), ("بهرامی", "BAHRAMI"),
         ("فرهادی", "FARHADI"), ("مرادی", "MORADI"), ("سلطانی", "SOLTANI"), ("پاکزاد", "PAKZAD"),
         ("کیانی", "KIANI"), ("نیک‌نام", "NIKNAM"), ("امینی", "AMINI"), ("زارعی", "ZAREI")]


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
        first_name=first[0], last_name=last[0], father_name=father[0],
        national_code=national_code.generate(rng),
        birth_date=_jalali_day(rng, 1330, 1385), expiry_date=_jalali_day(rng, 1405, 1412),
        sex=sex, first_name_latin=first[1], last_name_latin=last[1],
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
    path = Path("/usr/share/fonts/truetype") / rel if rel else Path(font)
    if not path.is_file():
        raise FileNotFoundError(f"font {font!r} not installed (Debian fonts-farsiweb / fonts-noto-core)")
    return path


def _font(path: Path, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(path), size, layout_engine=ImageFont.Layout.RAQM)


def _has_glyph(font: ImageFont.FreeTypeFont, ch: str) -> bool:
    # PIL draws a character the font lacks as its .notdef box, as it draws a noncharacter.
    return bytes(font.getmask(ch)) != bytes(font.getmask("\uffff"))


def _draw_value(draw: ImageDraw.ImageDraw, right: int, y: int, value: str, font: ImageFont.FreeTypeFont) -> None:
    """A value right-aligned at ``right``; a date's slashes come from a Latin font when
    the Persian one has none (Noto's Arabic fonts: a card never prints the .notdef box)."""
    if "/" not in value or _has_glyph(font, "/"):
        draw.text((right, y), value, font=font, fill=_INK, anchor="ra", direction="rtl")
        return
    slash = _font(FALLBACK_FONT, font.size)
    runs = [(run, font) for run in value.split("/")]
    pieces = [p for i, piece in enumerate(runs) for p in ([piece] if i == 0 else [("/", slash), piece])]
    x = right - sum(draw.textlength(text, font=f) for text, f in pieces)
    baseline = y + font.getmetrics()[0]  # where "ra" put the digits: one baseline for all
    for text, f in pieces:  # digits read left to right, in Persian text too
        draw.text((x, baseline), text, font=f, fill=_INK, anchor="ls")
        x += draw.textlength(text, font=f)


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
        img.paste(Image.fromarray(np.asarray(face, np.uint8)).convert("RGB").resize((x1 - x0, y1 - y0)), (x0, y0))
        return
    w, h = x1 - x0, y1 - y0  # a neutral silhouette where no face is given
    tile = Image.new("RGB", (w, h), (205, 210, 215))
    draw = ImageDraw.Draw(tile)
    cx, cy, r = w // 2, h * 2 // 5, w // 4
    draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=(150, 155, 165))
    draw.ellipse((10, cy + r + 10, w - 10, h + h // 3), fill=(150, 155, 165))
    img.paste(tile, (x0, y0))


def render_national_card(person: Person, *, font: str = "nazli", face: np.ndarray | None = None,
                         rng: random.Random | None = None, latin_digits: bool = False) -> np.ndarray:
    """The card front, ``CARD_SIZE``, RGB uint8: labels on the right, values to their
    left, Persian digits (``latin_digits`` for the variant some reprints use)."""
    rng = rng or random.Random(0)
    img = _background(CARD_SIZE, rng, (232, 240, 248))
    draw = ImageDraw.Draw(img)
    path = font_path(font)
    size = rng.randint(30, 36)
    label_font, value_font = _font(path, size - 4), _font(path, size)
    header = _font(path, 30)
    draw.rectangle((0, 0, CARD_SIZE[0], 78), fill=(196, 214, 232))
    draw.text((CARD_SIZE[0] // 2, 40), "جمهوری اسلامی ایران  کارت هوشمند ملی", font=header,
              fill=(20, 50, 90), anchor="mm", direction="rtl")
    _face_box(img, (40, 130, 270, 420), face)
    right, top = CARD_SIZE[0] - rng.randint(35, 70), rng.randint(108, 130)
    step = rng.randint(74, 80)
    digits = (lambda s: s) if latin_digits else to_persian_digits
    for i, (key, label) in enumerate(LABELS.items()):
        y = top + i * step
        value = getattr(person, key)
        value = digits(value) if key in ("national_code", "birth_date", "expiry_date") else value
        draw.text((right, y), label + ":", font=label_font, fill=(60, 70, 90), anchor="ra", direction="rtl")
        label_w = draw.textlength(label + ":", font=label_font, direction="rtl")
        _draw_value(draw, right - round(label_w) - rng.randint(28, 45), y - 2, value, value_font)
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
    body = (number + check_digit(number) + "IRN" + birth + check_digit(birth) + person.sex
            + expiry + check_digit(expiry) + personal + check_digit(personal))
    composite = body[0:10] + body[13:20] + body[21:43]
    return line1, body + check_digit(composite)


def render_passport_page(person: Person, face: np.ndarray | None = None, *, mrz_font: Path = OCR_B) -> np.ndarray:
    """A passport data page, ``PAGE_SIZE``, with a TD3 MRZ in OCR-B at the bottom."""
    rng = random.Random(person.national_code)
    img = _background(PAGE_SIZE, rng, (236, 232, 244))
    draw = ImageDraw.Draw(img)
    small = ImageFont.truetype(str(OCR_B), 26)
    draw.text((40, 30), "ISLAMIC REPUBLIC OF IRAN   PASSPORT", font=small, fill=(40, 40, 90))
    _face_box(img, (40, 110, 330, 480), face)
    rows = [("Surname", person.last_name_latin), ("Given names", person.first_name_latin),
            ("Nationality", "IRANIAN"), ("Sex", person.sex), ("Passport No.", person.passport_number)]
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


def _table(size: tuple[int, int], rng: random.Random) -> np.ndarray:
    # A wood-grain or checked table top: something a naive "largest bright blob" fails on.
    w, h = size
    y, x = np.mgrid[0:h, 0:w].astype(np.float32)
    if rng.random() < 0.5:
        grain = np.sin(x / rng.uniform(6, 14) + 4 * np.sin(y / rng.uniform(60, 120)))
        tone = np.stack([110 + 25 * grain, 75 + 18 * grain, 45 + 12 * grain], axis=-1)
    else:
        cells = ((x // 48).astype(int) + (y // 48).astype(int)) % 2
        tone = np.stack([70 + 40 * cells, 80 + 40 * cells, 95 + 30 * cells], axis=-1)
    return np.clip(tone, 0, 255).astype(np.uint8)


def photograph(image: np.ndarray, *, rng: random.Random, blur: float = 0.0, noise: float = 0.0,
               glare: float = 0.0, perspective: float = 0.0, jpeg_quality: int = 90,
               size: tuple[int, int] = (1280, 960), rotate: float = 0.0) -> bytes:
    """``image`` photographed on a table: JPEG bytes of ``size``. ``perspective`` moves each
    corner by up to that fraction of the document's size; ``rotate`` turns it (degrees)."""
    import cv2

    w, h = size
    canvas = _table(size, rng)
    doc_h, doc_w = image.shape[:2]
    scale = min(w * 0.78 / doc_w, h * 0.78 / doc_h)
    src = np.float32([[0, 0], [doc_w, 0], [doc_w, doc_h], [0, doc_h]])
    centre = np.float32([w / 2 + rng.uniform(-30, 30), h / 2 + rng.uniform(-30, 30)])
    corners = (src - [doc_w / 2, doc_h / 2]) * scale
    theta = np.deg2rad(rotate)
    rot = np.float32([[np.cos(theta), -np.sin(theta)], [np.sin(theta), np.cos(theta)]])
    corners = corners @ rot.T + centre
    jitter = np.float32([[rng.uniform(-1, 1), rng.uniform(-1, 1)] for _ in range(4)])
    corners = corners + jitter * perspective * np.float32([doc_w * scale, doc_h * scale])
    matrix = cv2.getPerspectiveTransform(src, corners.astype(np.float32))
    warped = cv2.warpPerspective(image, matrix, size, flags=cv2.INTER_AREA)
    mask = cv2.warpPerspective(np.full((doc_h, doc_w), 255, np.uint8), matrix, size)
    out = np.where(mask[..., None] > 127, warped, canvas).astype(np.float32)
    out = _glare(out, rng, glare) if glare > 0 else out
    if noise > 0:
        out += np.random.default_rng(rng.randrange(2**32)).normal(0, noise, out.shape)
    pil = Image.fromarray(np.clip(out, 0, 255).astype(np.uint8), "RGB")
    if blur > 0:
        pil = pil.filter(ImageFilter.GaussianBlur(blur))
    buf = io.BytesIO()
    pil.save(buf, "JPEG", quality=int(jpeg_quality))
    return buf.getvalue()


def _glare(out: np.ndarray, rng: random.Random, strength: float) -> np.ndarray:
    h, w = out.shape[:2]
    y, x = np.mgrid[0:h, 0:w].astype(np.float32)
    cx, cy, r = rng.uniform(0.2, 0.8) * w, rng.uniform(0.2, 0.8) * h, rng.uniform(0.08, 0.16) * w
    spot = np.exp(-((x - cx) ** 2 + (y - cy) ** 2) / (2 * r * r))
    return out + (255 - out) * (strength * spot)[..., None]
