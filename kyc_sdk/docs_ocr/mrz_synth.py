"""Synthetic MRZ documents of many issuing states, for tests and ``benchmarks/ocr_eval``.

Every ICAO shape: TD1 (ID-1 card, 3 × 30), TD2 (ID-2, 2 × 36), TD3 (passport page,
2 × 44), and the visas MRV-A (2 × 44) and MRV-B (2 × 36), with random holders, document
numbers that mix letters and digits, optional data, and every check digit (ICAO 9303-3).
The page carries print above the zone (a title, labelled fields, a photo box) so the band
finder has other long lines to refuse. MRZ fonts: OCR-B (the reader's templates are drawn
from it), its Sharp cut, and monospaced faces some issuers' printers come close to, so a
font can be held out. The capture (angle, perspective, blur, noise, glare, JPEG, low
resolution, table backgrounds) is ``synth.photograph``'s; what real documents add,
each a parameter: security print under the zone and ink spread, guilloche and rainbow
backgrounds, an ID card's back with other print above the zone (``render``), a
SPECIMEN overprint across the zone (``overprint``), a small document in a large photo
(``framed``), recompression to low-quality JPEG or WebP and quarter turns
(``encoded``), a
laminate's glare streak across the zone (``laminate``) or a round glare spot
(``glare_spot``), a page bent like an opened booklet (``curved``), faded print
(``faded``), and a flatbed scan cropped tight around the page or the zone itself at a
low resolution (``scanned``).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from kyc_sdk.identifiers.mrz import check_digit

from .mrz_decode import LOOKALIKES
from .synth import OCR_B

FONTS = {
    "ocrb": OCR_B,
    "ocrb-sharp": OCR_B.with_name("OCRBS.otf"),
    "dejavu-mono": Path("/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf"),
    "noto-mono": Path("/usr/share/fonts/truetype/noto/NotoSansMono-Regular.ttf"),
    # two more faces, added for a held-out group nobody tuned on (benchmarks/ocr_eval.py)
    "liberation-mono": Path("/usr/share/fonts/truetype/liberation/LiberationMono-Regular.ttf"),
    "nimbus-mono": Path("/usr/share/fonts/opentype/urw-base35/NimbusMonoPS-Regular.otf"),
}
_TEXT_FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
FORMATS = ("TD1", "TD2", "TD3", "MRVA", "MRVB")
# (width, height) px of each format's page: ID-1, ID-2, ID-3 and the visa stickers
_SIZES = {
    "TD1": (1000, 630),
    "TD2": (1050, 740),
    "TD3": (1250, 880),
    "MRVA": (1200, 800),
    "MRVB": (1050, 800),
}
STATES = (
    "IRN",
    "D<<",
    "FRA",
    "GBR",
    "USA",
    "CAN",
    "NLD",
    "ITA",
    "ESP",
    "CHE",
    "AUT",
    "SWE",
    "NOR",
    "POL",
    "CZE",
    "TUR",
    "IND",
    "CHN",
    "JPN",
    "KOR",
    "BRA",
    "ARG",
    "MEX",
    "EGY",
    "NGA",
    "ZAF",
    "AUS",
    "NZL",
    "RUS",
    "UKR",
    "GRC",
    "PRT",
    "IRL",
    "BEL",
    "DNK",
    "FIN",
    "ISL",
    "EST",
    "LVA",
    "LTU",
    "UTO",
)
_SURNAMES = (
    "GARCIA",
    "MULLER",
    "OKONKWO",
    "NAKAMURA",
    "DUBOIS",
    "KOWALSKA",
    "O<BRIEN",
    "VAN<DER<BERG",
    "HOSSEINI",
    "SILVA<SANTOS",
    "JOHANSSON",
    "PAPADOPOULOS",
    "NGUYEN",
    "KIM",
    "ABDULLAH",
    "BOGDANOVIC",
    "ERIKSSON",
    "SCHMIDT",
    "ROSSI",
    "OZTURK",
    "LEE",
    "MARTIN",
    "MACDONALD",
    "ZHANG",
    "FERREIRA",
)
_GIVEN = (
    "ANNA<MARIA",
    "JOHN",
    "MOHAMMAD<REZA",
    "YUKI",
    "PIERRE<LOUIS",
    "OLGA",
    "CHIDI",
    "SOFIA",
    "LIAM",
    "GIZEM",
    "BO",
    "XAVIER",
    "ZOE",
    "QUENTIN",
    "MAJA",
    "OSCAR",
    "GUSTAV",
    "BEATRIZ",
    "DMITRY",
    "EMMA",
)
_ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
_LOOKALIKE_LETTERS = "".join(c for group in LOOKALIKES for c in group if c.isalpha())
_LOOKALIKE_CHARS = "".join(LOOKALIKES)


@dataclass(frozen=True)
class MrzDocument:
    format: str
    state: str
    lines: tuple[str, ...]


def _date(rng: random.Random, first: int, last: int) -> str:
    return f"{rng.randint(first, last) % 100:02d}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"


def _number(rng: random.Random) -> str:
    # Letters where issuers put them: a prefix of 0-2, now and then one inside
    prefix = "".join(rng.choice("ABCDEFGHJKLMNPRSTUVXYZ") for _ in range(rng.choice((0, 1, 1, 2, 2))))
    body = [rng.choice("0123456789") for _ in range(9 - len(prefix))]
    if rng.random() < 0.3:
        body[rng.randrange(len(body))] = rng.choice(_ALNUM)
    number = prefix + "".join(body)
    return number[: rng.choice((8, 9, 9, 9))].ljust(9, "<")


def _optional(rng: random.Random, size: int) -> str:
    used = rng.choice((0, 0, size // 2, size - 1))
    return "".join(rng.choice(_ALNUM) for _ in range(used)).ljust(size, "<")


def _lookalike_name(rng: random.Random) -> str:
    """A made-up name of syllables thick with look-alike letters (``LOOKALIKES``)."""

    def word() -> str:
        return "".join(
            rng.choice(_LOOKALIKE_LETTERS) + rng.choice("AEIOU" + _LOOKALIKE_LETTERS)
            for _ in range(rng.randint(2, 4))
        )

    given = "<".join(word() for _ in range(rng.choice((1, 1, 2))))
    return f"{word()}<<{given}"


def _lookalike_number(rng: random.Random) -> str:
    """A document number of look-alike letters and digits mixed (``LOOKALIKES``)."""
    number = "".join(rng.choice(_LOOKALIKE_CHARS) for _ in range(9))
    return number[: rng.choice((8, 9, 9, 9))].ljust(9, "<")


def random_mrz(
    rng: random.Random,
    kind: str,
    state: str | None = None,
    code: str | None = None,
    *,
    lookalike: bool = False,
) -> MrzDocument:
    """A holder's MRZ lines in ``kind`` (one of FORMATS), every check digit right;
    ``code``: the document code (two characters), else one drawn for the format;
    ``lookalike``: names and a document number made of look-alike characters
    (``mrz_decode.LOOKALIKES``: what only the glyph's image tells apart)."""
    state = state or rng.choice(STATES)
    nationality = state if rng.random() < 0.9 else rng.choice(STATES)
    width = {"TD1": 30, "TD2": 36, "MRVB": 36}.get(kind, 44)
    doc = {
        "TD1": rng.choice(("I<", "ID", "AC", "C<")),
        "TD2": rng.choice(("I<", "ID", "AR")),
        "TD3": rng.choice(("P<", "PP", "PD")),
        "MRVA": "V<",
        "MRVB": rng.choice(("V<", "VD")),
    }[kind]
    doc = code or doc
    name = _lookalike_name(rng) if lookalike else f"{rng.choice(_SURNAMES)}<<{rng.choice(_GIVEN)}"
    number = _lookalike_number(rng) if lookalike else _number(rng)
    birth, sex, expiry = _date(rng, 1940, 2019), rng.choice("MFM<"), _date(rng, 2024, 2036)
    dates = birth + check_digit(birth) + sex + expiry + check_digit(expiry)
    if kind == "TD1":
        optional1, optional2 = _optional(rng, 15), _optional(rng, 11)
        one = f"{doc}{state}{number}{check_digit(number)}{optional1}"
        two = f"{dates}{nationality}{optional2}"
        composite = one[5:30] + two[0:7] + two[8:15] + two[18:29]
        return MrzDocument(kind, state, (one, two + check_digit(composite), name.ljust(30, "<")[:30]))
    first = f"{doc}{state}{name}".ljust(width, "<")[:width]
    head = f"{number}{check_digit(number)}{nationality}{dates}"
    if kind in ("MRVA", "MRVB"):
        return MrzDocument(kind, state, (first, head + _optional(rng, width - 28)))
    if kind == "TD3":
        personal = _optional(rng, 14)
        tail = personal + (check_digit(personal) if personal.strip("<") else rng.choice("<0"))
    else:
        tail = _optional(rng, 7)
    second = head + tail
    composite = second[0:10] + second[13:20] + second[21 : width - 1]
    return MrzDocument(kind, state, (first, second + check_digit(composite)))


BACKGROUNDS = ("plain", "guilloche", "rainbow")


def render(
    document: MrzDocument,
    *,
    font: str = "ocrb",
    rng: random.Random | None = None,
    under_print: float = 0.0,
    ink: int = 0,
    background: str = "plain",
    card_back: bool = False,
) -> np.ndarray:
    """The document's page (RGB) with its MRZ at the foot in ``font`` (a key of FONTS).
    ``under_print`` (0-1): fine wavy security print running under the zone, this dark
    (real passports print their background pattern through the MRZ area). ``ink``: the
    zone's strokes grown (>0) or thinned (<0) by that many px (a worn or wet printer,
    laser engraving). ``background`` (one of BACKGROUNDS): the page's security print,
    under the zone too: a guilloche (dense interlaced rosettes of fine coloured lines) or
    rainbow print (the paper's colour shifting smoothly across the page).
    ``card_back``: an ID card's back instead of a data page: lines of other print
    (address, authority, a serial) fill the card above the zone, some as long as it."""
    rng = rng or random.Random(document.lines[-1])
    width, height = _SIZES[document.format]
    tint = tuple(rng.randint(215, 250) for _ in range(3))
    img = Image.new("RGB", (width, height), tint)
    if background == "rainbow":
        img = Image.fromarray(_rainbow(width, height, rng, tint))
    draw = ImageDraw.Draw(img)
    if background == "guilloche":
        _guilloche(draw, rng, tint, width, height)
    if card_back:
        _card_back(img, draw, document, font, rng)
        return _with_zone(img, document, font, rng, tint, under_print, ink)
    for _ in range(40):  # a guilloche-like security print behind the data
        x, y = rng.randrange(width), rng.randrange(height)
        r = rng.randint(40, 300)
        draw.ellipse(
            (x - r, y - r, x + r, y + r), outline=tuple(max(0, c - rng.randint(10, 35)) for c in tint)
        )
    text = ImageFont.truetype(str(_TEXT_FONT), max(16, height // 32))
    label = ImageFont.truetype(str(_TEXT_FONT), max(12, height // 50))
    draw.text(
        (30, 20),
        f"{document.state.replace('<', '')} {'PASSPORT' if document.format == 'TD3' else 'DOCUMENT'}",
        font=text,
        fill=(40, 40, 100),
    )
    photo = (30, int(height * 0.14), int(width * 0.28), int(height * 0.62))
    draw.rectangle(photo, fill=tuple(rng.randint(120, 200) for _ in range(3)))
    surname, _, given = document.lines[-1 if document.format == "TD1" else 0].partition("<<")
    rows = [
        ("Surname", surname[5:] if document.format != "TD1" else surname),
        ("Given names", given),
        (
            "Document No.",
            (document.lines[0][5:14] if document.format == "TD1" else document.lines[1][:9]).strip("<"),
        ),
        ("Nationality", document.state),
    ]
    for i, (key, value) in enumerate(rows):
        y = photo[1] + i * int(height * 0.11)
        draw.text((photo[2] + 30, y), key, font=label, fill=(90, 90, 110))
        draw.text(
            (photo[2] + 30, y + label.size + 4),
            value.replace("<", " ").strip()[:28],
            font=text,
            fill=(20, 20, 20),
        )
    return _with_zone(img, document, font, rng, tint, under_print, ink)


def _with_zone(
    img: Image.Image,
    document: MrzDocument,
    font: str,
    rng: random.Random,
    tint: tuple[int, ...],
    under_print: float,
    ink: int,
) -> np.ndarray:
    width, height = img.size
    draw = ImageDraw.Draw(img)
    lines = document.lines
    face, where = _zone_face(document, font)
    pitch, top = int(where.size * 1.45), where.box[1]
    if under_print > 0:
        _wavy_print(draw, rng, tint, (0, top - pitch, width, height), under_print)
    zone = Image.new("L", (width, height), 255)
    zone_draw = ImageDraw.Draw(zone)
    for i, line in enumerate(lines):
        zone_draw.text((40, top + i * pitch), line, font=face, fill=0)
    if ink:
        side = 2 * abs(ink) + 1
        zone = zone.filter(ImageFilter.MinFilter(side) if ink > 0 else ImageFilter.MaxFilter(side))
    img.paste((15, 15, 20), (0, 0), Image.eval(zone, lambda v: 255 - v))
    return np.asarray(img)


def _rainbow(width: int, height: int, rng: random.Random, tint: tuple[int, ...]) -> np.ndarray:
    """Paper whose colour drifts smoothly across the page (rainbow print): each channel
    a slow wave of its own phase along a random direction, within light tints."""
    y, x = np.mgrid[0:height, 0:width].astype(np.float32)
    turn = rng.uniform(0, np.pi)
    along = (x * np.cos(turn) + y * np.sin(turn)) / max(width, height)
    period = rng.uniform(0.5, 1.5)
    channels = [
        base - rng.uniform(10, 45) * (0.5 + 0.5 * np.sin(2 * np.pi * along / period + rng.uniform(0, 6.3)))
        for base in tint
    ]
    return np.clip(np.stack(channels, axis=-1), 0, 255).astype(np.uint8)


def _guilloche(
    draw: ImageDraw.ImageDraw, rng: random.Random, tint: tuple[int, ...], width: int, height: int
) -> None:
    """Interlaced rosettes of fine coloured lines over the whole page (a guilloche)."""
    for _ in range(rng.randint(2, 4)):
        cx, cy = rng.uniform(0, width), rng.uniform(0, height)
        colour = tuple(max(0, c - rng.randint(40, 120)) for c in tint)
        big, small, lobes = rng.uniform(150, 500), rng.uniform(20, 80), rng.randint(5, 14)
        t = np.linspace(0, 2 * np.pi, 1500)
        for k in range(rng.randint(25, 60)):
            shift = k * 2 * np.pi / 45
            r = big + small * np.sin(lobes * t + shift)
            xs, ys = cx + r * np.cos(t + shift / lobes), cy + r * np.sin(t + shift / lobes) * 0.7
            draw.line(list(zip(xs.tolist(), ys.tolist(), strict=True)), fill=colour, width=1)


_BACK_WORDS = (
    "ADDRESS",
    "RESIDENCE",
    "AUTHORITY",
    "PLACE OF BIRTH",
    "HEIGHT",
    "EYES",
    "ISSUED",
    "REGISTRATION OFFICE",
    "STREET",
    "DISTRICT",
)


def _card_back(
    img: Image.Image, draw: ImageDraw.ImageDraw, document: MrzDocument, font: str, rng: random.Random
) -> None:
    """An ID card's back above its zone: labelled lines of print, some in a monospaced
    face of the zone's size and nearly its length (what a band finder may take for one)."""
    width, _ = img.size
    _, where = _zone_face(document, font)
    text = ImageFont.truetype(str(_TEXT_FONT), max(14, int(where.size * rng.uniform(0.55, 0.85))))
    mono = ImageFont.truetype(str(FONTS["dejavu-mono"]), int(where.size * rng.uniform(0.7, 0.95)))
    y = 20
    while y < where.box[1] - 1.6 * where.size:
        face = mono if rng.random() < 0.35 else text
        words = " ".join(rng.choice(_BACK_WORDS) for _ in range(rng.randint(2, 6)))
        value = "".join(rng.choice(_ALNUM + "   ") for _ in range(rng.randint(8, 30)))
        line = (
            f"{words}: {value}" if face is text else value.replace(" ", "<").ljust(rng.randint(20, 40), "<")
        )
        draw.text((40, y), line[: int(width / (0.6 * face.size))], font=face, fill=(30, 30, 40))
        y += int(face.size * rng.uniform(1.3, 1.9))


def overprint(
    page: np.ndarray,
    rng: random.Random,
    where: Zone,
    text: str = "SPECIMEN",
    colour: tuple[int, int, int] | None = None,
) -> np.ndarray:
    """``text`` printed large across the zone, turned a little and half transparent, in
    ``colour`` or else red, grey or blue (as specimen documents are overprinted)."""
    h, w = page.shape[:2]
    size = int(rng.uniform(1.5, 3.5) * where.size)
    face = ImageFont.truetype(str(_TEXT_FONT), size)
    layer = Image.new("L", (w, h), 0)
    ImageDraw.Draw(layer).text(
        (rng.uniform(where.box[0], (where.box[0] + where.box[2]) / 2), (where.box[1] + where.box[3]) / 2),
        text,
        font=face,
        fill=255,
        anchor="lm",
    )
    layer = layer.rotate(rng.uniform(-12, 12), center=((where.box[0] + where.box[2]) / 2, where.box[1]))
    if colour is None:
        colour = rng.choice(((200, 30, 40), (120, 120, 130), (60, 90, 200)))
    alpha = rng.uniform(0.35, 0.75) * np.asarray(layer, np.float32)[..., None] / 255.0
    out = page.astype(np.float32) * (1 - alpha) + np.array(colour, np.float32) * alpha
    return np.clip(out, 0, 255).astype(np.uint8)


def framed(page: np.ndarray, rng: random.Random, share: float) -> np.ndarray:
    """``page`` lying on a large textured surface that it fills ``share`` (0-1) of in
    width: a small document far from the camera, its zone a small band of a large photo."""
    h, w = page.shape[:2]
    big_w, big_h = int(w / share), int(h / share * rng.uniform(0.7, 1.0))
    big_h = max(big_h, h + 10)
    y, x = np.mgrid[0:big_h, 0:big_w].astype(np.float32)
    base = np.array([rng.randint(60, 200) for _ in range(3)], np.float32)
    texture = 12 * np.sin(x / rng.uniform(5, 20) + 3 * np.sin(y / rng.uniform(40, 90)))
    canvas = np.clip(base[None, None, :] + texture[..., None], 0, 255).astype(np.uint8)
    x0, y0 = rng.randrange(0, big_w - w + 1), rng.randrange(0, big_h - h + 1)
    canvas[y0 : y0 + h, x0 : x0 + w] = page
    return canvas


def encoded(photo: bytes, *, quality: int, turns: int = 0, webp: bool = False) -> bytes:
    """A photo turned by ``turns`` quarter turns and encoded again, as JPEG or WebP at
    ``quality`` (a messenger's recompression)."""
    import io

    img = Image.open(io.BytesIO(photo)).convert("RGB")
    if turns % 4:
        img = img.rotate(90 * (turns % 4), expand=True)
    buf = io.BytesIO()
    img.save(buf, "WEBP" if webp else "JPEG", quality=quality)
    return buf.getvalue()


@dataclass(frozen=True)
class Zone:
    """Where ``render`` draws the zone: its print's box (left, top, right, bottom px) and
    the font size (px; OCR-B capitals are about 0.7 of it)."""

    box: tuple[int, int, int, int]
    size: int


def _zone_face(document: MrzDocument, font: str) -> tuple[ImageFont.FreeTypeFont, Zone]:
    width, height = _SIZES[document.format]
    size = 60
    face = ImageFont.truetype(str(FONTS[font]), size)
    while face.getlength(document.lines[0]) > width - 80:
        size -= 1
        face = ImageFont.truetype(str(FONTS[font]), size)
    pitch = int(size * 1.45)
    top = height - 40 - pitch * len(document.lines)
    box = (
        40,
        top,
        40 + int(face.getlength(document.lines[0])),
        top + pitch * (len(document.lines) - 1) + size,
    )
    return face, Zone(box, size)


def zone(document: MrzDocument, font: str = "ocrb") -> Zone:
    """Where ``render`` draws ``document``'s zone in ``font``."""
    return _zone_face(document, font)[1]


def _wavy_print(
    draw: ImageDraw.ImageDraw,
    rng: random.Random,
    tint: tuple[int, ...],
    box: tuple[int, int, int, int],
    strength: float,
) -> None:
    left, top, right, bottom = box
    colour = tuple(int(c * (1 - 0.45 * strength)) for c in tint)
    period, amp = rng.uniform(40, 120), rng.uniform(4, 14)
    step = rng.randint(5, 9)
    for y0 in range(top, bottom, step):
        phase = rng.uniform(0, 6.3) if rng.random() < 0.2 else y0 / 17
        xs = np.arange(left, right, 4)
        ys = y0 + amp * np.sin(xs / period * 2 * np.pi + phase)
        draw.line(list(zip(xs.tolist(), ys.tolist(), strict=True)), fill=colour, width=1)


def laminate(page: np.ndarray, rng: random.Random, strength: float, where: Zone) -> np.ndarray:
    """A laminate's specular streak: a narrow slanted band of light, this strong (0-1),
    crossing the zone somewhere along it (it washes part of the print out)."""
    box = where.box
    h, w = page.shape[:2]
    y, x = np.mgrid[0:h, 0:w].astype(np.float32)
    cx = rng.uniform(box[0], box[2])
    slope = rng.uniform(-1.2, 1.2)
    half = rng.uniform(0.02, 0.07) * w
    dist = np.abs((x - cx) - slope * (y - (box[1] + box[3]) / 2)) / np.sqrt(1 + slope * slope)
    light = strength * np.exp(-((dist / half) ** 2))
    out = page.astype(np.float32)
    return np.clip(out + (255 - out) * light[..., None], 0, 255).astype(np.uint8)


def glare_spot(
    page: np.ndarray, rng: random.Random, strength: float, where: Zone, size: float = 1.0
) -> np.ndarray:
    """A lamp's reflection on the laminate: a round (elliptical, turned) patch of light,
    this strong (0-1) at its centre, somewhere on the zone; ``size`` scales its radii."""
    box = where.box
    h, w = page.shape[:2]
    y, x = np.mgrid[0:h, 0:w].astype(np.float32)
    cx, cy = rng.uniform(box[0], box[2]), rng.uniform(box[1], box[3])
    rx, ry = size * rng.uniform(0.04, 0.12) * w, size * rng.uniform(0.03, 0.09) * w
    turn = rng.uniform(0, np.pi)
    u = (x - cx) * np.cos(turn) + (y - cy) * np.sin(turn)
    v = -(x - cx) * np.sin(turn) + (y - cy) * np.cos(turn)
    light = strength * np.exp(-((u / rx) ** 2 + (v / ry) ** 2))
    out = page.astype(np.float32)
    return np.clip(out + (255 - out) * light[..., None], 0, 255).astype(np.uint8)


def curved(page: np.ndarray, bend: float) -> np.ndarray:
    """The page bent like an opened booklet lying on a table: each column moved down by
    ``bend`` × the page's height × (its distance from the middle, squared), so straight
    lines of print become arcs (their ends ``bend`` × height lower than their middle)."""
    import cv2

    h, w = page.shape[:2]
    x = np.arange(w, dtype=np.float32)
    drop = bend * h * ((x - w / 2) / (w / 2)) ** 2
    map_x = np.tile(x, (h, 1))
    map_y = np.arange(h, dtype=np.float32)[:, None] - drop[None, :]
    paper = tuple(int(c) for c in np.median(page.reshape(-1, page.shape[2]), axis=0))
    return cv2.remap(page, map_x, map_y, cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=paper)


def faded(page: np.ndarray, contrast: float) -> np.ndarray:
    """Print faded towards the paper: every pixel's distance from white scaled by
    ``contrast`` (0-1), as a worn page or a scanner set too light shows it."""
    out = 255.0 - (255.0 - page.astype(np.float32)) * contrast
    return np.clip(out, 0, 255).astype(np.uint8)


def scanned(
    page: np.ndarray,
    rng: random.Random,
    where: Zone,
    *,
    margin: float,
    zone_only: bool = False,
    char_px: float = 0.0,
    blur: float = 0.0,
    jpeg_quality: int = 90,
) -> bytes:
    """``page`` scanned flat and cropped tight: ``margin`` × the zone's character height
    of paper left beside and below the zone (the page above it kept unless
    ``zone_only``), scaled so its characters are ``char_px`` px high (0: as drawn), JPEG."""
    import io

    left, top, right, bottom = where.box
    char = 0.7 * where.size  # OCR-B capital height
    pad = max(1, int(margin * char * rng.uniform(0.7, 1.3)))
    y0 = max(0, top - pad) if zone_only else 0
    crop = page[y0 : min(page.shape[0], bottom + pad), max(0, left - pad) : min(page.shape[1], right + pad)]
    img = Image.fromarray(crop)
    if char_px:
        scale = char_px / char
        img = img.resize(
            (max(1, round(img.width * scale)), max(1, round(img.height * scale))), Image.Resampling.BILINEAR
        )
    if blur:
        img = img.filter(ImageFilter.GaussianBlur(blur))
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=jpeg_quality)
    return buf.getvalue()
