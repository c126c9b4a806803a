"""Reading an MRZ band cell by cell against OCR-B templates, second reader to Tesseract.

ICAO 9303-3 prints every MRZ in OCR-B at a fixed pitch, and its characters are separate
shapes. Tesseract ``eng`` reads the band well except for runs of the filler ``<``, which
it takes for K, S, E or C, and it sometimes drops characters so that a line comes out
short. Here the band is deskewed (minimum-area rectangle of its ink), split into lines by
the rows of character boxes, each character box (a wide box is several ``<`` merged by
blur, cut at the pitch) is compared with OCR-B templates rendered at start-up from the
installed font (fonts-ocr-b; sharp and blurred copies), and the line is the nearest
template per box. ``mrz`` keeps whichever reading passes more check digits.
"""

from __future__ import annotations

import itertools
from functools import lru_cache

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from . import _digits
from .synth import OCR_B

ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<"
Box = tuple[int, int, int, int]


@lru_cache(maxsize=1)
def _bank() -> tuple[np.ndarray, list[str]]:
    vectors, labels = [], []
    font = ImageFont.truetype(str(OCR_B), 40)
    for ch in ALPHABET:
        img = Image.new("L", (90, 90), 255)
        ImageDraw.Draw(img).text((45, 45), ch, font=font, fill=0, anchor="mm")
        grey = np.asarray(img)
        for blur, cut in ((0.0, 0), (1.5, 110), (1.5, 160), (2.5, 128)):
            glyph = grey if not blur else np.where(cv2.GaussianBlur(grey, (0, 0), blur) < cut, 0, 255)
            vectors.append(_digits.shape(np.asarray(glyph, np.uint8)))
            labels.append(ch)
    return np.stack(vectors), labels


@lru_cache(maxsize=1)
def heights() -> dict[str, float]:
    """Each character's ink height in the OCR-B font, relative to the capital E."""
    font = ImageFont.truetype(str(OCR_B), 200)
    out = {}
    for ch in ALPHABET:
        img = Image.new("L", (400, 400), 255)
        ImageDraw.Draw(img).text((200, 200), ch, font=font, fill=0, anchor="mm")
        rows = np.flatnonzero((np.asarray(img) < 128).any(axis=1))
        out[ch] = float(rows[-1] - rows[0] + 1)
    return {ch: h / out["E"] for ch, h in out.items()}


def scores(vec: np.ndarray) -> np.ndarray:
    """Similarity of a glyph's shape vector to each character of ``ALPHABET`` (its
    nearest template of that character)."""
    bank, _ = _bank()
    return (bank @ vec).reshape(len(ALPHABET), -1).max(axis=1)


class Cell:
    """One character cell: its shape vector, its similarity to each OCR-B character, and
    where its ink sits in the band (px: its first and last inked row, its horizontal
    centre). The shape vector is scaled to a square, so only the rows keep a glyph's
    size: OCR-B prints digits taller than capitals (``mrz_decode`` uses that).
    ``contrast``: grey levels between its paper and its ink (``_contrast``); ``paper``:
    its paper's grey level; ``darker``: its similarity to each character inked only
    where it is nearly as dark as its own ink (``_darker``), None where not measured.
    Those three are measured against the photograph only when first asked for
    (``photo``: the band as photographed, its binarised rendering and the cell's box):
    most cuts of a band never decode to a zone, and the measures cost as much as the
    cells."""

    __slots__ = ("_measures", "_photo", "bottom", "scores", "shape", "top", "x")

    def __init__(
        self,
        shape: np.ndarray,
        scores: np.ndarray,
        top: float = 0.0,
        bottom: float = -1.0,
        x: float = 0.0,
        contrast: float = 0.0,
        paper: float = 255.0,
        darker: np.ndarray | None = None,
        *,
        photo: tuple[np.ndarray, np.ndarray, Box] | None = None,
    ) -> None:
        self.shape, self.scores = shape, scores
        self.top, self.bottom, self.x = top, bottom, x
        self._photo = photo
        self._measures: tuple[float, float, np.ndarray | None] | None = (
            None if photo is not None else (contrast, paper, darker)
        )

    def _measured(self) -> tuple[float, float, np.ndarray | None]:
        if self._measures is None and self._photo is not None:
            source, bw, box = self._photo
            contrast, paper = _contrast(source, bw, box)
            darker = _darker(source, box, contrast, paper) if source is not bw else None
            self._measures = (contrast, paper, darker)
        return self._measures or (0.0, 255.0, None)

    @property
    def photo(self) -> tuple[np.ndarray, Box] | None:
        """The band as photographed and the cell's box in it (None where not kept)."""
        return None if self._photo is None else (self._photo[0], self._photo[2])

    @property
    def contrast(self) -> float:
        return self._measured()[0]

    @property
    def paper(self) -> float:
        return self._measured()[1]

    @property
    def darker(self) -> np.ndarray | None:
        return self._measured()[2]

    @property
    def best(self) -> str:
        return ALPHABET[int(np.argmax(self.scores))]

    @property
    def seen(self) -> bool:
        """Whether a glyph was found here (an empty cell stands for one washed out)."""
        return bool(self.scores.any())


def _deskew(crop: np.ndarray) -> np.ndarray:
    _, bw = cv2.threshold(crop, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    points = cv2.findNonZero(255 - bw)
    if points is None:
        return bw
    (cx, cy), (w, h), angle = cv2.minAreaRect(points)
    if w < h:  # OpenCV may measure the angle from the short side: the band is wide
        angle -= 90
    angle = (angle + 45) % 90 - 45
    matrix = cv2.getRotationMatrix2D((cx, cy), angle, 1.0)
    return cv2.warpAffine(bw, matrix, (bw.shape[1], bw.shape[0]), flags=cv2.INTER_NEAREST, borderValue=255)


def _char_boxes(bw: np.ndarray) -> list[Box]:
    count, _, stats, _ = cv2.connectedComponentsWithStats((bw < 128).astype(np.uint8))
    boxes: list[Box] = [(int(x), int(y), int(w), int(h)) for x, y, w, h in stats[1:count, :4]]
    if not boxes:
        return []
    heights = np.array([b[3] for b in boxes], np.float32)
    # the median of the glyph-sized boxes: a speckled scan has more specks than characters
    tall = float(np.median(heights[heights >= 0.4 * np.quantile(heights, 0.9)]))
    # characters are about as tall as the median box; specks and page edges are not
    return [b for b in boxes if 0.4 * tall <= b[3] <= 1.6 * tall]


def _lines(boxes: list[Box]) -> list[list[Box]]:
    # Left to right, each box joins the line whose last box is level with it: a line
    # still slanted by perspective is followed rather than cut.
    rows: list[list[Box]] = []
    for box in sorted(boxes, key=lambda b: b[0]):
        centre = box[1] + box[3] / 2
        near = [r for r in rows if abs(r[-1][1] + r[-1][3] / 2 - centre) < 0.5 * box[3]]
        if near:
            near[0].append(box)
        else:
            rows.append([box])
    rows = [r for r in rows if len(r) >= 20]
    return sorted(rows, key=lambda r: float(np.mean([b[1] for b in r])))


MRZ_WIDTHS = (30, 36, 44)  # characters a line of an ICAO zone holds (TD1, TD2, TD3)
# at most a sixth of a line filled so: a glare spot washes a few glyphs, while a line an
# overprint broke into pieces had twenty gaps, and its pieces read as a zone of guesses


def _cells(row: list[Box]) -> list[tuple[Box, bool]]:
    """The row's character cells, each with whether a glyph was seen in it (False: an
    empty cell put where the pitch says a glyph was, ``_with_gaps``)."""
    # Blur joins neighbouring fillers into one box: cut a box wider than the pitch.
    pitch = max(1.0, float(np.median(np.diff([b[0] + b[2] / 2 for b in row])))) if len(row) > 1 else 1.0
    # a page edge or a stripe beside the zone: a box apart from the line at either end
    while len(row) > 2 and row[1][0] - (row[0][0] + row[0][2]) > 1.5 * pitch:
        row = row[1:]
    while len(row) > 2 and row[-1][0] - (row[-2][0] + row[-2][2]) > 1.5 * pitch:
        row = row[:-1]
    cells: list[Box] = []
    for x, y, w, h in row:
        parts = max(1, round(w / pitch)) if w > 1.4 * pitch else 1
        step = w / parts
        cells += [(int(x + k * step), y, max(1, int(step)), h) for k in range(parts)]
    filled = _with_gaps(cells, pitch)
    # one run of glyphs missing: a spot of glare (the spaces between words of a line of
    # text are many)
    runs = sum(seen and not before for (_, before), (_, seen) in itertools.pairwise(filled))
    if (
        len(cells) not in MRZ_WIDTHS
        and len(filled) in MRZ_WIDTHS
        and len(filled) - len(cells) <= len(filled) // 6
        and runs == 1
    ):
        return filled
    return [(cell, True) for cell in cells]


def _with_gaps(cells: list[Box], pitch: float) -> list[tuple[Box, bool]]:
    """The cells with an empty one (not seen) at each whole pitch between two cells where
    no glyph was found: an MRZ prints a glyph at every pitch (a filler at least), so glare
    washed one out entirely there. ``_cells`` takes this only where it brings a line
    exactly to an ICAO width, with no more than a sixth of it empty (put everywhere, it
    lengthened lines that glare or security print had broken past their width)."""
    out: list[tuple[Box, bool]] = [(cell, True) for cell in cells[:1]]
    for cell in cells[1:]:
        (x, y, w, h), _ = out[-1]
        missing = round((cell[0] + cell[2] / 2 - x - w / 2) / pitch) - 1
        width = max(1, int(pitch * 0.8))
        out += [((int(x + w / 2 + k * pitch - width / 2), y, width, h), False) for k in range(1, missing + 1)]
        out.append((cell, True))
    return out


def _ink_rows(glyph: np.ndarray) -> tuple[float, float]:
    """The cell's first and last row that hold ink (a cut of merged boxes keeps only its
    own ink), (0, -1) when it has none."""
    rows = np.flatnonzero((glyph < 128).any(axis=1))
    return (float(rows[0]), float(rows[-1])) if len(rows) else (0.0, -1.0)


def reaches_edge(lines: list[list[Cell]], width: int) -> bool:
    """Whether a line's first or last glyph sits within most of a character pitch of the
    crop's side (a band cut out whole has a margin of print-free paper either side)."""
    for line in lines:
        if len(line) < 2:
            continue
        pitch = float(np.median(np.diff([cell.x for cell in line])))
        if line[0].x < 0.75 * pitch or line[-1].x > width - 0.75 * pitch:
            return True
    return False


def _contrast(grey: np.ndarray, bw: np.ndarray, box: Box) -> tuple[float, float]:
    """How far the cell's ink lies below its paper in ``grey`` (the band as photographed,
    whatever rendering found the glyph): the paper a light quantile of the box widened by
    a third of its height, the ink the darker quartile of the pixels the rendering calls
    ink, and that paper's level. Glare mixes white into both, so it scales the contrast
    down with the light it adds (at saturation to nothing): a glyph that lost most of it
    was guessed, not seen."""
    x, y, w, h = box
    pad = max(1, h // 3)
    ink = grey[y : y + h, x : x + w][bw[y : y + h, x : x + w] < 128]
    around = grey[max(0, y - pad) : y + h + pad, max(0, x - pad) : x + w + pad]
    if ink.size == 0 or around.size == 0:
        return 0.0, 255.0
    paper = _quantile(around, 0.9)
    return max(0.0, paper - _quantile(ink, 0.25)), paper


def _quantile(values: np.ndarray, q: float) -> float:
    """``np.quantile(values, q)`` (linear, to the same rounding), for the few hundred
    grey levels of one cell: numpy's general quantile costs ten times the sort."""
    ordered = np.sort(values, axis=None)
    at = q * (ordered.size - 1)
    low = int(at)
    t = at - low
    a, b = float(ordered[low]), float(ordered[min(low + 1, ordered.size - 1)])
    return a + (b - a) * t if t < 0.5 else b - (b - a) * (1 - t)


DARKER = 0.35  # share of the glyph's contrast, from its ink, that the darker inking keeps


def _darker(grey: np.ndarray, box: Box, contrast: float, paper: float) -> np.ndarray | None:
    """The cell's scores with only its darkest print kept as ink (within ``DARKER`` of
    its contrast from its ink level): an overprint, a security background or a stamp is
    printed lighter than the zone's black, and where it crosses a glyph the binarised
    cell holds both (a P crossed by a SPECIMEN overprint's grey E read F, clearly)."""
    x, y, w, h = box
    patch = grey[y : y + h, x : x + w]
    if contrast <= 0 or patch.size == 0:
        return None
    ink = paper - contrast
    dark = np.where(patch <= ink + DARKER * contrast, 0, 255).astype(np.uint8)
    return scores(_digits.shape(dark))


OWN_SPLIT = 0.8  # share of the way from a glyph's ink to its paper where ``own_light`` splits


def _glyph_place(cell: Cell, centre: float, pitch: float) -> tuple[np.ndarray, int, int] | None:
    """The photographed band and the columns of the glyph's place, ``pitch`` wide around
    ``centre``; None where the cell was not seen or its place leaves the band."""
    if cell.photo is None or not cell.seen:
        return None
    grey, _ = cell.photo
    x0, x1 = round(centre - 0.5 * pitch), round(centre + 0.5 * pitch) + 1
    if x0 < 0 or x1 > grey.shape[1]:
        return None
    return grey, x0, x1


def _own_scores(bw: np.ndarray, pitch: float) -> np.ndarray | None:
    """The scores of a glyph's place split to ink and paper; None where ink reaches the
    gaps between glyphs, which OCR-B keeps clear: lighter print crossing the place (an
    overprint) is not the glyph's own."""
    gap = max(1, round(0.1 * pitch))
    if (bw[:, :gap] == 0).any() or (bw[:, -gap:] == 0).any():
        return None
    return scores(_digits.shape(bw))


def own_light(cell: Cell, centre: float, pitch: float, top: float, bottom: float) -> np.ndarray | None:
    """The cell's scores with the glyph split from its paper at its own light, near the
    paper (``OWN_SPLIT``), over its place: ``pitch`` wide around ``centre``, its line's
    ``top`` to ``bottom``, in the band as photographed. None where not measured, or where
    print crosses the gaps between glyphs (an overprint is lighter too, and not the
    glyph's). Glare lightens part of a glyph past the band's split: an M whose
    diagonals fell to paper read I, clearly, in a name no check digit covers; split at
    its own light it reads M."""
    place = _glyph_place(cell, centre, pitch)
    if place is None:
        return None
    grey, x0, x1 = place
    patch = grey[max(0, int(top) - 1) : max(0, int(bottom) + 2), x0:x1]
    if patch.size < 16:
        return None
    ink, paper = _quantile(patch, 0.05), _quantile(patch, 0.9)
    if paper - ink < 16:
        return None
    # split near the paper: a stroke lit most of the way to it is still ink
    bw = np.where(patch <= ink + OWN_SPLIT * (paper - ink), 0, 255).astype(np.uint8)
    return _own_scores(bw, pitch)


RELIT_SPLIT = 0.3  # share of its deepest ink below its own paper where ``relit`` splits


def relit(cell: Cell, centre: float, pitch: float, top: float, bottom: float) -> np.ndarray | None:
    """The cell's scores with the glyph split from the paper under it, pixel by pixel:
    the paper is the light closing of its place and a pitch either side (a glare spot's
    light changes across a glyph: split at one level, its lit side falls to paper, or its
    paper's dark side to ink), and ink is what lies below it by ``RELIT_SPLIT`` of the
    place's deepest ink. None where not measured, or where print crosses the gaps between
    glyphs (an overprint is not the glyph's)."""
    place = _glyph_place(cell, centre, pitch)
    if place is None:
        return None
    grey, x0, x1 = place
    y0, y1 = max(0, int(top) - 1), max(0, int(bottom) + 2)
    wide = grey[y0:y1, max(0, x0 - round(pitch)) : x1 + round(pitch)].astype(np.float32)
    if wide.size < 16 or x1 - x0 < 4:
        return None
    size = 2 * round(0.3 * pitch) + 1  # wider than a stroke: closing leaves the paper
    paper = cv2.morphologyEx(wide, cv2.MORPH_CLOSE, np.ones((size, size), np.uint8))
    depth = (paper - wide)[:, x0 - max(0, x0 - round(pitch)) :][:, : x1 - x0]
    deepest = _quantile(depth, 0.98)
    if deepest < 16:
        return None
    bw = np.where(depth >= RELIT_SPLIT * deepest, 0, 255).astype(np.uint8)
    return _own_scores(bw, pitch)


WASHED = 0.4  # share of the light between its paper and white that glare added


def washed_ends(lines: list[list[Cell]], grey: np.ndarray) -> bool:
    """Whether the paper just beyond a line's first or last glyph (eight pitches: what a
    44-character line has beyond a 36-character one) is washed by glare: lighter than the
    line's own paper by ``WASHED`` of the way to white. There the print may go on unseen
    (a glare spot over a visa's fillers left 36 of its 44 characters, and the rest passed
    every check of a shorter format), so the line's end was not seen."""
    for line in lines:
        if len(line) < 2:
            continue
        pitch = float(np.median(np.diff([cell.x for cell in line])))
        paper = float(np.median([cell.paper for cell in line]))
        top = int(min(cell.top for cell in line))
        bottom = int(max(cell.bottom for cell in line)) + 1
        if 255 - paper < 12 or bottom <= top:  # white paper: glare leaves no trace on it
            continue
        for x0, x1 in (
            (line[-1].x + 0.6 * pitch, line[-1].x + 8.5 * pitch),
            (line[0].x - 8.5 * pitch, line[0].x - 0.6 * pitch),
        ):
            stretch = grey[max(0, top) : bottom, max(0, int(x0)) : max(0, int(x1))]
            if stretch.size and float(np.percentile(stretch, 90)) - paper >= WASHED * (255 - paper):
                return True
    return False


def read_cells(crop: np.ndarray, *, level: bool = False, grey: np.ndarray | None = None) -> list[list[Cell]]:
    """The band's lines, top to bottom, each a list of character cells with their scores.
    ``level``: the crop is already turned level (``mrz_band``), only binarised. ``grey``:
    the band as photographed, of the crop's geometry, where ``crop`` is a rendering of it
    (each cell's contrast is measured there; default the crop itself)."""
    bw = cv2.threshold(crop, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)[1] if level else _deskew(crop)
    source = grey if level and grey is not None and grey.shape == crop.shape else crop if level else bw
    out = []
    for row in _lines(_char_boxes(bw)):
        cells = []
        boxes = _cells(row)
        # only a line of an MRZ's width can be read as one: the others' glyphs are not
        # measured against the photograph (their contrast and darker inking)
        measured = len(boxes) in MRZ_WIDTHS
        for (x, y, w, h), seen in boxes:
            if not seen:  # nothing to read, and no contrast: never sure (``mrz_decode``)
                blank = _digits.shape(np.full((1, 1), 255, np.uint8))  # no ink: all zeros
                cells.append(Cell(blank, np.zeros(len(ALPHABET), np.float32), 0.0, -1.0, x + w / 2))
                continue
            glyph = bw[y : y + h, x : x + w]
            vec = _digits.shape(glyph)
            top, bottom = _ink_rows(glyph)
            photo = (source, bw, (x, y, w, h)) if measured else None
            cells.append(Cell(vec, scores(vec), y + top, y + bottom, x + w / 2, photo=photo))
        out.append(cells)
    return out


@lru_cache(maxsize=64)
def _glyph_ink(ch: str) -> np.ndarray:
    """``ch`` in OCR-B, large, cropped to its ink: 1.0 ink, 0.0 paper."""
    font = ImageFont.truetype(str(OCR_B), 200)
    img = Image.new("L", (400, 400), 0)
    ImageDraw.Draw(img).text((200, 200), ch, font=font, fill=255, anchor="mm")
    ink = np.asarray(img, np.float32) / 255.0
    rows, cols = np.flatnonzero(ink.max(axis=1) > 0.5), np.flatnonzero(ink.max(axis=0) > 0.5)
    return np.ascontiguousarray(ink[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1])


def rendered_likeness(cell: Cell, chars: str, cap: float) -> dict[str, float] | None:
    """How like the cell's grey image each of ``chars`` is, drawn in OCR-B at the size
    this line prints it (``cap``: a capital E's ink height here, px): the best
    normalised correlation over small shifts and two blurs. Unlike the template scores,
    whose shapes are scaled to a square, the drawing keeps each character's own height
    and width at the line's scale (OCR-B's 0 is narrower and taller than its O, its Q's
    tail reaches below the line), and it reads the grey, not a binarised cut of it.
    None where the cell's photograph was not kept or is too small to say."""
    if cell.photo is None or cap < 6:
        return None
    grey, (x, _, w, _) = cell.photo
    heights_ = heights()
    tall = max(cap * heights_[ch] for ch in chars)
    pad_y, pad_x = max(2, int(0.25 * tall)), max(2, int(0.3 * tall))
    top, left = max(0, int(cell.bottom + 1 - tall) - pad_y), max(0, x - pad_x)
    patch = grey[top : int(cell.bottom) + 1 + pad_y, left : x + w + pad_x].astype(np.float32)
    if patch.size == 0 or float(patch.std()) < 1.0:
        return None
    patch = 255.0 - patch
    out = {}
    for ch in chars:
        ink = _glyph_ink(ch)
        th = max(3, round(cap * heights_[ch]))
        tw = max(2, round(ink.shape[1] * th / ink.shape[0]))
        if th >= patch.shape[0] or tw >= patch.shape[1]:
            return None
        small = cv2.resize(ink, (tw, th), interpolation=cv2.INTER_AREA)
        best = -1.0
        for blur in (0.0, 1.0):
            template = cv2.GaussianBlur(small, (0, 0), blur) if blur else small
            found = cv2.matchTemplate(patch, template, cv2.TM_CCOEFF_NORMED)
            best = max(best, float(found.max()))
        out[ch] = best
    return out
