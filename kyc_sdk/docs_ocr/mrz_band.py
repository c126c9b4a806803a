"""Finding the machine-readable zone of any ICAO document in a scan or photograph.

An MRZ is 2 or 3 lines of 30, 36 or 44 OCR-B characters at one pitch, each line long and
flat, the lines of one band equally long and evenly stacked (ICAO 9303-3/4/5/6/7). So
lines are found first, at any size: a black-hat transform brings out dark print on a light
page, a horizontal gradient and a closing as wide as a few characters join each line's
characters, and every long flat region is a line (its minimum-area rectangle, so a page
turned a few degrees still gives one line a region). Lines are then stacked into bands:
2 or 3 neighbours of about the same length, angle and left edge, one line-height or two
apart. Each band is cut out turned level and scaled so its characters are about
``CHAR_HEIGHT`` px high (small scans are enlarged: Tesseract and the OCR-B cells read 8 px
characters badly). The reader (``mrz``) tries the bands in order and the check digits pick
the one that is an MRZ; a page may hold other long lines (a visa's print, a card's
address), so several bands are returned.

A page turned more than about 15 degrees breaks each line into pieces under the
horizontal closing, so no band stacks: then the page's print angle is found (the turn
that makes the rows of print most uneven, a projection profile) and the page turned
level is searched again. A page photographed sideways has its longest stack of lines
across it (``sideways``), and the reader turns it a quarter before reading anything. A
band under a shadow or glare is evened out (divided by its
paper's brightness) when the reader finds no line in it as it came (``flattened``).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache

import cv2
import numpy as np

WORK_WIDTH = 1000  # line finding runs at this width: the band spans a fair part of it
FINE_WIDTH = 2500  # and at this one on a large photo in which it found no zone
CHAR_HEIGHT = 34  # px, OCR-B characters in the crop handed to the recognisers
MIN_LINE_SHARE = 0.2  # of the work width: an MRZ line is at least this long
MAX_BANDS = 6
UNEVEN = 1.3  # brightest to darkest paper across a band that is flattened before reading
MIN_TILT = 6.0  # degrees: below this the line finder follows a line as it is
SIDEWAYS = 2.0  # a page's print runs the way whose longest stack of lines is this much longer
MAX_TURNED = 30_000_000  # px of the turned canvas: a larger one is not made (bounded memory)


@dataclass(frozen=True)
class Line:
    cx: float
    cy: float
    length: float
    height: float
    angle: float  # degrees, the line's direction from horizontal


@dataclass(frozen=True)
class Band:
    """A candidate zone: its level crop (grey), how many lines were stacked in it, and
    whether the crop was evened out (``flattened``) or its glyphs rebuilt from faint ink
    (``restored``: nothing read from it is sure). ``wide``: the same stack cut along
    its lines from one side of the image to the other (``widened``). ``source``: the
    band as photographed where the crop is a rendering of it (``grey``). ``paper``: the
    image's paper brightness (``widened`` pads with it), found once for all its bands."""

    crop: np.ndarray
    lines: int
    flat: bool = False
    rebuilt: bool = False
    wide: tuple[np.ndarray, tuple[Line, ...], float] | None = None
    source: np.ndarray | None = None
    paper: Callable[[], float] | None = None

    @property
    def grey(self) -> np.ndarray:
        """The band's pixels as photographed (the crop, or what it was rendered from)."""
        return self.crop if self.source is None else self.source

    def widened(self) -> Band | None:
        """The stack cut again along its lines across the whole image, for a band whose
        lines came out short: glare or a fold breaks a line, and the line finder's region
        then ends there (the rest of the line is print of the same height and angle, so
        the cut is simply carried on). None when already wide or too large."""
        if self.wide is None:
            return None
        grey, group, scale = self.wide
        paper = _paper(grey) if self.paper is None else self.paper()
        crop = _crop(grey, list(group), scale, across=True, paper=paper)
        return Band(crop, self.lines) if crop.size > 1 else None


def _print_edges(small: np.ndarray) -> np.ndarray:
    """Vertical strokes of dark print on lighter paper (0-255): the line masks' input."""
    blackhat = cv2.morphologyEx(small, cv2.MORPH_BLACKHAT, cv2.getStructuringElement(cv2.MORPH_RECT, (17, 9)))
    grad = np.abs(cv2.Sobel(blackhat, cv2.CV_32F, 1, 0, ksize=-1))
    return (255 * grad / max(float(grad.max()), 1.0)).astype(np.uint8)


def _line_mask(edges: np.ndarray, join: int) -> np.ndarray:
    grad = cv2.morphologyEx(edges, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (join, 3)))
    _, mask = cv2.threshold(grad, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    # join a line's characters (and the gaps of a filler run) but not the line below
    mask = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (2 * join, 1)))
    return cv2.morphologyEx(mask, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (join, 3)))


def find_lines(small: np.ndarray, min_length: float | None = None) -> list[Line]:
    """Long flat regions of print (work-size coordinates), at two joining widths: a fine
    one for small print, a coarse one for large print whose gaps a fine one leaves; at
    least ``min_length`` px long (default ``MIN_LINE_SHARE`` of the width)."""
    shortest = MIN_LINE_SHARE * small.shape[1] if min_length is None else min_length
    found: list[Line] = []
    pieces: list[Line] = []
    edges = _print_edges(small)  # one for both widths: the blackhat is the mask's dearest step
    for join in (9, 17):
        contours, _ = cv2.findContours(_line_mask(edges, join), cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
        for contour in contours:
            (cx, cy), (w, h), angle = cv2.minAreaRect(contour)
            if w < h:
                w, h, angle = h, w, angle - 90
            angle = (angle + 90) % 180 - 90
            if abs(angle) > 25 or w < 3 * h or h < 4:
                continue
            line = Line(cx, cy, w, h, angle)
            if join == 9:
                pieces.append(line)
            if w < shortest or w < 6 * h:
                continue
            if not any(_same(line, other) for other in found):
                found.append(line)
    # a line that glare broke: its pieces joined, in place of a piece found as a line
    for line in _joined(pieces):
        if line.length < shortest:
            continue
        same = [k for k, other in enumerate(found) if _same(line, other) or _same(other, line)]
        if not same:
            found.append(line)
        for k in same:  # only where the join gave the line back a stretch glare took
            found[k] = line if line.length > JOIN_GAIN * found[k].length else found[k]
    return found


GLARE_GAP = 8.0  # line heights: the widest gap between two pieces of one line joined
JOIN_GAIN = 1.05  # a joined line replaces the same line found whole only when this much longer
MAX_PIECES = 200  # the longest pieces joined (pairs are compared): dev pages held 42 at most


def _joined(pieces: list[Line]) -> list[Line]:
    """Lines of two or more ``pieces`` that lie end to end on one line (the same offset
    across it and height, the same angle where both are long enough to have one, gaps of
    at most ``GLARE_GAP`` heights): a glare spot washes out a stretch of a line, the line
    finder then sees its pieces, none as long as the zone's other lines, and the zone
    stacks without it (or not at all). The longest piece sets the line's angle."""
    out: list[Line] = []
    used: set[int] = set()
    pieces = sorted(pieces, key=lambda p: -p.length)[:MAX_PIECES]  # bounded time on any image
    for i in range(len(pieces)):
        if i in used:
            continue
        anchor = pieces[i]
        theta = np.deg2rad(anchor.angle)
        along, across = float(np.cos(theta)), float(np.sin(theta))
        offset = -anchor.cx * across + anchor.cy * along
        start = anchor.cx * along + anchor.cy * across
        left, right, height = start - anchor.length / 2, start + anchor.length / 2, anchor.height
        inline = []
        for j, other in enumerate(pieces):
            off = -other.cx * across + other.cy * along
            short = other.length < 6 * other.height  # a few glyphs: no angle of their own
            if (
                j != i
                and j not in used
                and (short or abs(other.angle - anchor.angle) < 3)
                and abs(off - offset) < 0.5 * max(height, other.height)
                and max(height, other.height) < 1.5 * min(height, other.height)
            ):
                at = other.cx * along + other.cy * across
                inline.append((at - other.length / 2, at + other.length / 2, j))
        chain = 0
        for lo, hi, j in sorted(inline):  # rightwards
            if lo >= right - 0.5 * height and lo - right <= GLARE_GAP * height:
                right, chain = max(right, hi), chain + 1
                used.add(j)
        for lo, hi, j in sorted(inline, key=lambda x: -x[1]):  # leftwards
            if j not in used and hi <= left + 0.5 * height and left - hi <= GLARE_GAP * height:
                left, chain = min(left, lo), chain + 1
                used.add(j)
        if chain:
            used.add(i)
            mid = (left + right) / 2
            out.append(
                Line(
                    mid * along - offset * across,
                    mid * across + offset * along,
                    right - left,
                    height,
                    anchor.angle,
                )
            )
    return out


def _same(a: Line, b: Line) -> bool:
    return (
        abs(a.cy - b.cy) < 0.5 * max(a.height, b.height)
        and abs(a.cx - b.cx) < 0.1 * a.length
        and abs(a.length - b.length) < 0.15 * a.length
    )


def _stackable(a: Line, b: Line) -> bool:
    pitch = max(a.height, b.height)
    gap = abs(b.cy - a.cy)
    left_a, left_b = a.cx - a.length / 2, b.cx - b.length / 2
    return (
        0.9 * pitch <= gap <= 4.0 * pitch
        and abs(a.length - b.length) < 0.2 * max(a.length, b.length)
        and abs(left_a - left_b) < 0.12 * max(a.length, b.length)
        and abs(a.angle - b.angle) < 4
    )


def group_bands(lines: list[Line]) -> list[list[Line]]:
    """Stacks of 3, then 2 lines that may be one zone, lowest first (the MRZ is at the
    page's foot), then single lines (a band whose lines the closing joined)."""
    ordered = sorted(lines, key=lambda line: line.cy)
    stacks: list[list[Line]] = []
    for count in (3, 2):
        for combo in itertools.combinations(range(len(ordered)), count):
            group = [ordered[i] for i in combo]
            if all(_stackable(a, b) for a, b in itertools.pairwise(group)):
                gaps = [b.cy - a.cy for a, b in itertools.pairwise(group)]
                if count == 2 or abs(gaps[0] - gaps[1]) < 0.35 * max(gaps):
                    stacks.append(group)
    stacks.sort(key=lambda g: (-len(g), -g[-1].cy))
    singles = sorted(([line] for line in ordered), key=lambda g: -g[0].cy)
    return stacks + singles


def _paper(grey: np.ndarray) -> float:
    """The image's paper brightness: most of a page is paper, print is darker."""
    return float(np.percentile(grey, 90))


def _crop(
    grey: np.ndarray, group: list[Line], scale: float, *, across: bool = False, paper: float = 255.0
) -> np.ndarray:
    """The stack cut out level, with a margin, its characters about CHAR_HEIGHT px high;
    ``across``: along its lines from one side of the image to the other (outside the
    image: plain paper, ``paper`` bright, not the edge's pixels repeated into streaks),
    and a line alone with room for the zone's other lines."""
    angle = float(np.mean([line.angle for line in group]))
    length = max(line.length for line in group) / scale
    height = max(line.height for line in group) / scale
    cx = float(np.mean([line.cx for line in group])) / scale
    cy = float(np.mean([line.cy for line in group])) / scale
    if across:
        slope = abs(float(np.cos(np.deg2rad(angle))))
        length = (2 * max(cx, grey.shape[1] - cx)) / max(slope, 0.5) / 1.1
    span = (group[-1].cy - group[0].cy) / scale if len(group) > 1 else 0.0
    # one line's region is about a character high (closing adds a little)
    zoom = float(np.clip(CHAR_HEIGHT / max(height * 0.85, 1.0), 0.3, 5.0))
    width = int((length * 1.1 + 2 * height) * zoom)
    # a line found alone is cut, when ``across``, with room for two lines either side
    # (its neighbours, broken by glare or security print, may not have stacked with it)
    alone = 10.0 if across else 4.5
    tall = int((span + 3.2 * height) * zoom) if len(group) > 1 else int(alone * height * zoom)
    if width * tall > 8_000_000:  # bounded: the crop of a huge scan is still a crop
        return np.zeros((1, 1), np.uint8)
    matrix = cv2.getRotationMatrix2D((cx, cy), angle, zoom)
    matrix[0, 2] += width / 2 - cx
    matrix[1, 2] += tall / 2 - cy
    if across:
        return cv2.warpAffine(
            grey,
            matrix,
            (width, tall),
            flags=cv2.INTER_CUBIC,
            borderMode=cv2.BORDER_CONSTANT,
            borderValue=paper,
        )
    return cv2.warpAffine(grey, matrix, (width, tall), flags=cv2.INTER_CUBIC, borderMode=cv2.BORDER_REPLICATE)


def flattened(crop: np.ndarray) -> np.ndarray | None:
    """The crop divided by its paper's brightness, or None when that brightness changes
    across it by less than ``UNEVEN``. A shadow or glare over the band puts part of it on
    the wrong side of one binarisation threshold, and the reader then finds no line; it
    asks for this crop only then (an evenly lit scan reads as it is). The paper is what
    a closing wider than a character leaves (print is thinner), found at a quarter of
    the size."""
    if crop.shape[0] < 8 or crop.shape[1] < 8:
        return None
    small = cv2.resize(crop, None, fx=0.25, fy=0.25, interpolation=cv2.INTER_AREA)
    side = max(3, int(1.5 * CHAR_HEIGHT / 4))
    paper = cv2.morphologyEx(small, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (side, side)))
    paper = cv2.GaussianBlur(paper, (0, 0), CHAR_HEIGHT / 8).astype(np.float32)
    low, high = np.percentile(paper, [2, 98])
    if high <= UNEVEN * max(float(low), 1.0):
        return None
    paper = cv2.resize(paper, (crop.shape[1], crop.shape[0]), interpolation=cv2.INTER_LINEAR)
    flat = crop.astype(np.float32) / np.maximum(paper, 1.0) * 255.0
    return np.clip(flat, 0, 255).astype(np.uint8)


def restored(crop: np.ndarray) -> list[tuple[np.ndarray, bool]]:
    """Other renderings of a band crop whose print one global threshold splits wrongly,
    each with whether its glyphs were rebuilt from faint ink (then nothing read from it
    is sure: a glyph the glare all but erased may read clearly as another):
    its darkest ink alone (not rebuilt): an MRZ is printed in black, readable in
    infrared, while the security print under it is coloured and lighter, so a
    three-class split keeps the darkest class; its darkness relative to the paper's own
    darkness (rebuilt): a laminate's glare mixes white into the light, which scales the
    darkness (255 - grey) of print and paper alike, so their ratio survives it; and the
    darkest class of that ratio (rebuilt: glare over security print). Before the ratio:
    the darkest class found along the band a few characters at a time (rebuilt: glare
    lightens part of the band, and there its print is darkest still). After them, the
    ratio's darkest class with hairlines closed away first (rebuilt)."""
    return [(image, rebuilt) for make, rebuilt in renderings(crop) if (image := make()) is not None]


def renderings(crop: np.ndarray) -> list[tuple[Callable[[], np.ndarray | None], bool]]:
    """``restored``'s renderings, in its order, each drawn only when asked for (a reader
    stops at the first that holds a zone; None where a rendering finds no print)."""
    if crop.shape[0] < 8 or crop.shape[1] < 8:
        return []

    @cache
    def evened() -> np.ndarray | None:
        return _evened(crop)

    @cache
    def evened_closed() -> np.ndarray | None:
        # Last, the same with the thin lines closed away first: the ratio lifts
        # glare-washed print and fine security print under the zone alike, and the
        # darkest class then holds both; a closing narrower than an OCR-B stroke (about
        # an eighth of the character height) fills the hairlines with the paper around
        # them, not the strokes.
        side = max(3, round(CHAR_HEIGHT / 11)) | 1
        kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (side, side))
        return _evened(cv2.morphologyEx(crop, cv2.MORPH_CLOSE, kernel))

    def darkest_of(image: Callable[[], np.ndarray | None]) -> Callable[[], np.ndarray | None]:
        return lambda: None if (found := image()) is None else _darkest(found)

    return [
        (lambda: _darkest(crop), False),
        (lambda: _darkest_along(crop), True),
        (evened, True),
        (darkest_of(evened), True),
        (darkest_of(evened_closed), True),
    ]


def _evened(crop: np.ndarray) -> np.ndarray | None:
    """Each pixel's darkness relative to its paper's (log, scaled to grey, dark print),
    None for a crop without print."""
    # the paper: a median over about two characters (print covers far less than half)
    small = cv2.resize(crop, None, fx=0.25, fy=0.25, interpolation=cv2.INTER_AREA)
    paper = cv2.medianBlur(small, max(3, int(1.5 * CHAR_HEIGHT / 4)) | 1)
    paper = cv2.resize(paper, (crop.shape[1], crop.shape[0]), interpolation=cv2.INTER_LINEAR)
    # darkness at least 6 grey levels: below it, JPEG noise on saturated paper
    ratio = np.log1p((255.0 - crop) / np.maximum(255.0 - paper.astype(np.float32), 6.0))
    top = float(np.percentile(ratio, 99.5))
    if top <= 0:
        return None
    return (255 - np.clip(ratio / top, 0, 1) * 255).astype(np.uint8)


def _darkest_along(crop: np.ndarray) -> np.ndarray | None:
    """``_darkest`` with its threshold found in strips three characters wide (half
    overlapping) and carried smoothly between their centres."""
    from skimage.filters import threshold_multiotsu

    width, step = crop.shape[1], 3 * CHAR_HEIGHT
    centres, levels = [], []
    for x0 in range(0, max(1, width - step // 2), step // 2):
        strip = crop[:, x0 : x0 + step]
        try:
            levels.append(float(threshold_multiotsu(strip, classes=3)[0]))
        except ValueError:  # a strip of one or two greys: no print to split there
            continue
        centres.append(x0 + strip.shape[1] / 2)
    if not centres:
        return None
    threshold = np.interp(np.arange(width), centres, levels)
    return np.where(crop <= threshold[None, :], 0, 255).astype(np.uint8)


def _darkest(crop: np.ndarray) -> np.ndarray | None:
    """The darkest of three grey classes as ink, the rest paper (None: too few greys)."""
    from skimage.filters import threshold_multiotsu

    try:
        low = float(threshold_multiotsu(crop, classes=3)[0])
    except ValueError:
        return None
    return np.where(crop <= low, 0, 255).astype(np.uint8)


COLOURED = 40  # chroma (max minus min channel) of print that is not the zone's black
COLOURED_SHARE = 0.01  # of the page's pixels, for its coloured print to be lifted


def colour_lifted(rgb: np.ndarray) -> np.ndarray | None:
    """The page's grey with coloured print lifted towards its paper (each pixel's
    luminance plus its chroma), None where the page holds little colour. An MRZ is
    printed in dark neutral ink (ICAO 9303-3: read in the near infrared, where coloured
    inks vanish); a red or blue SPECIMEN overprint or a rainbow background across it
    is as dark as the zone in luminance (red 200,30,40: 82) and splits its glyphs, but
    carries a chroma that the zone's ink does not."""
    if rgb.ndim != 3 or rgb.shape[2] != 3:
        return None
    chroma = rgb.max(axis=2).astype(np.int16) - rgb.min(axis=2)
    if float(np.mean(chroma >= COLOURED)) < COLOURED_SHARE:
        return None
    grey = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY).astype(np.int16)
    return np.clip(grey + chroma, 0, 255).astype(np.uint8)


def large(grey: np.ndarray) -> bool:
    """Whether the image is large enough for ``find_bands(fine=True)`` to see more."""
    return grey.shape[1] > 1.5 * WORK_WIDTH


def find_bands(grey: np.ndarray, *, level: bool = True, fine: bool = False) -> list[Band]:
    """Candidate MRZ bands of a grey image, most likely first (``bands_of``, all cut)."""
    return list(bands_of(grey, level=level, fine=fine))


@dataclass(frozen=True)
class PageLines:
    """An image at the line finder's work width (``small``, ``scale`` of the image) and
    the lines found in it, found once for every use (``page_lines``)."""

    small: np.ndarray
    scale: float
    lines: list[Line]


def page_lines(grey: np.ndarray) -> PageLines | None:
    """``find_lines`` of the image at the work width, as ``bands_of`` finds them (None:
    too small for a zone)."""
    if min(grey.shape[:2]) < 16:  # no zone of characters fits
        return None
    small, scale = _work_size(grey, fine=False)
    return PageLines(small, scale, find_lines(small))


def sideways(page: PageLines | None) -> bool:
    """Whether the page's print runs up or down: its longest stack of lines (2 or 3
    stacked, ``group_bands``) is at least ``SIDEWAYS`` times as long turned a quarter as
    it lies. A page photographed sideways is read turned first: read as it lies, its
    bands are whatever print runs across it, every one read in vain (most of such a
    page's time). (On tuning pages and development scans the ratio was at least 2.4 on
    every sideways page with a stack either way, at most 0.9 on every upright one.)"""
    if page is None:
        return False
    level = _longest_stack(page.lines)
    # turned, a stack is three lines at most, none much longer than the page is high
    # (tilted 25 degrees, 1.1 times): then no stack across can be long enough to look for
    if SIDEWAYS * level >= 3.5 * page.small.shape[0]:
        return False
    across = _longest_stack(find_lines(np.ascontiguousarray(np.rot90(page.small))))
    return across > 0 and across > SIDEWAYS * level


def sideways_fine(grey: np.ndarray) -> bool:
    """``sideways`` for a small document far off in a large photo, its lines found at
    ``FINE_WIDTH`` (as ``bands_of(fine=True)`` finds them): at the work width its
    characters are a few pixels, no line is found either way, and a page that lies
    sideways there was never turned."""
    small, _ = _work_size(grey, fine=True)
    shortest = MIN_LINE_SHARE * WORK_WIDTH
    level = _longest_stack(find_lines(small, shortest))
    across = _longest_stack(find_lines(np.ascontiguousarray(np.rot90(small)), shortest))
    return across > 0 and across > SIDEWAYS * level


def _longest_stack(lines: list[Line]) -> float:
    stacks = [group for group in group_bands(lines) if len(group) > 1]
    return max((sum(line.length for line in group) for group in stacks), default=0.0)


def _work_size(grey: np.ndarray, *, fine: bool) -> tuple[np.ndarray, float]:
    """The image at the line finder's width (and its scale), bounded both ways: a
    20 x 12,000 px strip must not become 1000 x 600,000."""
    width = FINE_WIDTH if fine else WORK_WIDTH
    scale = min(width / grey.shape[1], 3 * width / grey.shape[0], 1.0 if fine else np.inf)
    small = cv2.resize(
        grey, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR
    )
    return small, scale


def bands_of(
    grey: np.ndarray, *, level: bool = True, fine: bool = False, found: PageLines | None = None
) -> Iterator[Band]:
    """Candidate MRZ bands of a grey image, most likely first, each cut out only when
    reached (a reader stops at the band that holds the zone). A page turned further than
    the line finder follows (its horizontal closing breaks a steep line into pieces) is
    turned level by the pieces' common angle and searched again, when ``level``.
    ``fine``: the lines are found at ``FINE_WIDTH`` rather than ``WORK_WIDTH`` (a small
    document far off in a large photo: at the work width its characters are a few pixels
    and its lines do not join), any line as long as a work-width search accepts.
    ``found``: the image's ``page_lines`` where already found (not ``fine``)."""
    if min(grey.shape[:2]) < 16:  # no zone of characters fits
        return
    if found is None or fine:
        small, scale = _work_size(grey, fine=fine)
        lines = find_lines(small, MIN_LINE_SHARE * WORK_WIDTH if fine else None)
    else:
        small, scale, lines = found.small, found.scale, found.lines
    groups = group_bands(lines)
    paper = cache(lambda: _paper(grey))  # one percentile of a large photo costs as much as a band
    bands = (
        Band(_crop(grey, group, scale), len(group), wide=(grey, tuple(group), scale), paper=paper)
        for group in groups[:MAX_BANDS]
    )
    if level and not any(len(g) > 1 for g in groups):
        tilt = _tilt(small)  # the angle that levels it
        turned = _turned(grey, tilt) if abs(tilt) >= MIN_TILT else None
        if turned is not None:
            # the level page's bands first, then the lines found as it came
            yield from itertools.islice(
                itertools.chain(bands_of(turned, level=False, fine=fine), bands), MAX_BANDS
            )
            return
    yield from bands


def _tilt(small: np.ndarray) -> float:
    """The angle (degrees) the page's print runs at: the turn that makes the rows of dark
    print most uneven (lines of print and the gaps between them fall into separate rows;
    turned off the print's angle, every row crosses both)."""
    half = cv2.resize(small, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA)
    ink = cv2.morphologyEx(half, cv2.MORPH_BLACKHAT, cv2.getStructuringElement(cv2.MORPH_RECT, (9, 5)))
    h, w = ink.shape
    best, best_angle = -1.0, 0.0
    for angle in np.arange(-40.0, 40.5, 2.0):
        matrix = cv2.getRotationMatrix2D((w / 2, h / 2), float(angle), 1.0)
        # turned as 8-bit grey (twice as fast as float; the rows' sums differ by rounding
        # alone, and the chosen angle was the same on 103 of 103 tuning pages' calls)
        turned = cv2.warpAffine(ink, matrix, (w, h), flags=cv2.INTER_LINEAR)
        rows = cv2.reduce(turned, 1, cv2.REDUCE_SUM, dtype=cv2.CV_32F)
        spread = float(np.var(rows))
        if spread > best:
            best, best_angle = spread, float(angle)
    return best_angle


def _turned(grey: np.ndarray, angle: float) -> np.ndarray | None:
    """``grey`` turned by ``angle`` degrees on a canvas that holds all of it, None when
    that canvas would exceed ``MAX_TURNED`` pixels (bounded memory: a thin strip turned
    30 degrees needs a canvas thousands of times its size)."""
    h, w = grey.shape[:2]
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    cos, sin = abs(matrix[0, 0]), abs(matrix[0, 1])
    size = (int(w * cos + h * sin), int(w * sin + h * cos))
    if size[0] * size[1] > MAX_TURNED:
        return None
    matrix[0, 2] += size[0] / 2 - w / 2
    matrix[1, 2] += size[1] / 2 - h / 2
    return cv2.warpAffine(grey, matrix, size, flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
