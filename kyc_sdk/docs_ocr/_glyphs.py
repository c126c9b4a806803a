"""Reading a line of digits one glyph at a time.

Tesseract's ``fas`` LSTM drops or merges runs of Persian ``۱`` (a single thin stroke)
when it reads a whole line of digits; Persian digits are separate connected shapes, so
we cut the line into glyphs (connected components, merged where they overlap
horizontally) and read each by its shape (``_digits``) or, failing that, as a single character with Tesseract
(page-segmentation mode 10), keeping
each glyph's alternatives for the checksum-constrained decode in ``fields``.

Each glyph is also judged ``sure`` or not, because a field is reported ``valid`` only
when all its digits are sure (a wrong code that passes its checksum is the worst outcome
of a KYC read). With the card's font held out of the templates, the nearest template is
wrong mostly between ۲/۳ and ۴/۳, and then by a small margin over the second class; a
glyph is sure when that margin is clear (calibrated on generated cards, seed 7: no wrong
glyph in 2465 kept a margin of 0.02, 98 % of right ones did). Tesseract's agreement was
tried as a second opinion and dropped: alone on a glyph it is wrong ~17 % of the time
(``[`` for ۱, nothing for ۶ and ۹) and it agreed with the template's ۲→۳ on Titr, which
made a wrong birth date valid. So a glyph only Tesseract could read is never sure. Dots
(۰) and slashes found by their size are sure: nothing else in a line of digits has that
geometry. Size also takes sureness away: the shape both readers see is scaled to its box,
and a glyph well short of its line's digits is none of the full-height ones it may look
like (a face's large ring ۰ read as ۵, a broken stroke). A near-tie may still be made
sure by the card's own print (``confirm_by_peers``), and the card's print can also take
sureness away: one value printed in two unlike forms, or one form read as two values,
holds a misread glyph (``_one_form``).
"""

from __future__ import annotations

import dataclasses
import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass

import cv2
import numpy as np

from kyc_sdk.text import normalize_digits, to_persian_digits

from . import _digitnet, _digits, _tess

_SHAPE_MATCH = 0.6  # similarity to a digit template below which Tesseract decides
# Below this a glyph is like no template well (Noto Naskh's ۷, its face held out, is
# 0.68 like ۴ with a clear margin over ۵, and made a wrong date valid): never sure by
# its margin alone. Right glyphs of held-out faces score 0.85–0.99.
_SURE_SHAPE = 0.8
# Best minus second class similarity below which a glyph is a near-tie. 0.02 was
# calibrated on four faces with a four-face bank; with every Persian face in the bank,
# two held-out faces (Noto Kufi, KacstOne) each had a wrong date digit sure at 0.022 and
# 0.023 (held-out run, seed 1). Recalibrated on the tuning faces only (seed 21, 568
# glyphs): 0.03 keeps 92 % of right glyphs sure; the only wrong glyphs above it there
# were a slash merged with ۱ (read ۸, ۷), which a date's lost slashes keep from valid.
_SURE_MARGIN = 0.03
# A near-tie is sure when this like a sure glyph of its class on the same card, and by
# this much less like any sure glyph of another class (seed 7: confirmed 39 of 60
# near-ties, none wrongly; a ۲ and a ۳ of one font can be 0.93 alike).
_PEER_MATCH = 0.93
# Two glyphs of one value and script on one card are at least this alike (tuning
# cards, seed 5: 0.78 at the lowest of 1023 pairs of right glyphs, through angle, glare
# and JPEG; a misread glyph and a right one of the label it was given: 0.58-0.76 but for
# a face whose ۲ and ۳ differ by a stroke, 0.81-0.85, on a card where other pairs fell lower).
_ONE_FORM = 0.75
_PEER_MARGIN = 0.05
# Two glyphs of one script on one card this alike are one digit, whatever they were read
# as: the converse of ``_ONE_FORM``. Tuning cards (seeds 313 and 515, 128 cards, faces left
# out of the templates): two right glyphs of different values were 0.91 alike at most in
# 5835 pairs; of one value, 81 % of 926 pairs reach 0.95.
_ONE_VALUE = 0.95
# The classifier's probability for a value below which it does not back a sure glyph:
# agreeing with the templates is not enough when it hesitates (a tuning face left out of
# it, Noto Naskh: 29 of 721 damaged glyphs at 0.8 or more were wrong, 62 of 801 at 0.5).
# It does not catch a face both readers misread with confidence: Noto Kufi's ۴ is read ۳
# by both at 1.0 (held-out seed 2026: a code valid but wrong, as one in ten passes its
# checksum by chance); only the card's own print could tell that.
_NET_SURE = 0.8
# Width over height of a dot that may be a sure ۰: a margin around the faces' 0.7-1.2,
# for the pixel or two a blur or a tilt adds to one side of a small dot.
_ZERO_ASPECT = (0.5, 1.6)
# Where a line's separators were: each comes back as a sure mark (``SEPARATORS``), never a
# digit, so that a date is split where it was printed. A full stop sits on the baseline,
# Persian ۰ (a dot of its size) about the middle of the digits: tuning and training faces,
# the stop's centre at 0.86-1.05 of the digits' height from their top, ۰'s at 0.48-0.67.
_STOP_CENTRE = 0.8
# A space between groups: one or two gaps wider than every other gap of the line by this
# share of its height. Gaps are measured as if each glyph were at least half as wide as
# high (a narrow ۱ or the dot ۰ leaves a blank beside it that is its own advance). Tuning
# and training faces, dates printed with spaces: 160 of 176 lines stand out so.
_SPACE_MARGIN = 0.1
SEPARATORS = ("/", "-", ".", " ")


# Of its line's (median) glyph height, the least a digit other than ۰ and ٥ is printed at:
# every other Persian and Arabic-Indic digit is 0.90-1.07 of the others' ink height in each
# weight of the fifteen tuning, training and network faces; ۰ is 0.14-0.56 (Zain's
# full-height ring aside), ٥ 0.76-1.05. Cards in the eight network faces (unknown to both
# readers; seeds 100 and 300, 104 cards): Lalezar's ring ۰ read as ۵ surely 29 times, none
# left sure; no right sure glyph lost; codes right 60 -> 65 of 104, dates 79 -> 93 of 208
# (the ring shown as ۰). Tuning faces (42 cards, Persian and Latin digits): no change.
_FULL_HEIGHT = 0.85
# A short ring is an Arabic-Indic ٥ only beside zeros this much shorter: ٥ is 0.76-1.05 of
# the digits, ٠ 0.14-0.39 (at least 1.9 times), where a face's large ring ۰ is as tall as
# its zeros cut as dots.
_RING_OVER_DOT = 1.5


def boxes(bw: np.ndarray) -> list[tuple[int, int, int, int]]:
    """Glyph boxes (x, y, w, h) left to right in a black-on-white line image."""
    ink = (bw < 128).astype(np.uint8)
    count, _, stats, _ = cv2.connectedComponentsWithStats(ink)
    min_area = max(3, int(bw.shape[0] * 0.05))  # specks from JPEG and noise are smaller than ۰
    # Ink that stays off the line's middle band is a neighbouring line's edge in the crop's
    # margin (a label just above a value): merged with a digit it made ۸ read as ۹, sure.
    top, bottom = 0.3 * bw.shape[0], 0.7 * bw.shape[0]
    found = sorted(
        (
            list(map(int, stats[i][:4]))
            for i in range(1, count)
            if stats[i][4] >= min_area and stats[i][1] < bottom and stats[i][1] + stats[i][3] > top
        ),
        key=lambda b: b[0],
    )
    merged: list[list[int]] = []
    for x, y, w, h in found:
        overlap = merged[-1][0] + merged[-1][2] - x if merged else 0
        if merged and overlap > 0.5 * min(w, merged[-1][2]):  # parts of one glyph, not a neighbour's tail
            m = merged[-1]
            x1, y1 = max(m[0] + m[2], x + w), max(m[1] + m[3], y + h)
            m[0], m[1] = min(m[0], x), min(m[1], y)
            m[2], m[3] = x1 - m[0], y1 - m[1]
        else:
            merged.append([x, y, w, h])
    return [(x, y, w, h) for x, y, w, h in merged]


Box = tuple[int, int, int, int]


@dataclass(frozen=True)
class Line:
    """A line of glyphs measured once: its boxes, their median height, and each glyph's
    shape with its nearest templates of both banks (None for a separator or a dot).
    Deciding whether a row is digits, which script it prints and each digit all use it:
    boxes and template scores are the costly part of a line."""

    bw: np.ndarray
    boxes: list[Box]
    height: float
    shapes: list[np.ndarray | None]
    eastern: list[list[tuple[str, float]]]
    latin: list[list[tuple[str, float]]]
    # each glyph as the learned classifiers read it (None for a separator or a dot, or
    # without a classifier)
    net_inputs: list[np.ndarray | None]


def measure(bw: np.ndarray) -> Line:
    """The line's glyphs, each shape scored against both template banks once."""
    found = boxes(bw)
    # The digits' height: the median of glyphs not far shorter than the tallest. Dots
    # (Persian ۰, stops) are not digits' height: five of ten in ۱۳۶۰.۰۸.۰۱ took the median
    # down to theirs, and the digits then read as slashes.
    tallest = max((b[3] for b in found), default=0)
    height = float(np.median([b[3] for b in found if b[3] >= 0.4 * tallest])) if found else 0.0
    shapes: list[np.ndarray | None] = []
    net_inputs: list[np.ndarray | None] = []
    learned = _digitnet.available()
    for x, _, w, h in found:
        small = _separator(w, h, height) or (h < 0.5 * height and w < 0.7 * height)
        vec = None if small else _digits.shape(bw[:, x : x + w])
        shapes.append(vec)
        net_inputs.append(None if vec is None or not learned else _digitnet.features(bw[:, x : x + w], vec))
    scored = [vec for vec in shapes if vec is not None]
    east, lat = (iter(_digits.classify_shapes(scored, script)) for script in ("eastern", "latin"))
    eastern: list[list[tuple[str, float]]] = [[] if vec is None else next(east) for vec in shapes]
    latin: list[list[tuple[str, float]]] = [[] if vec is None else next(lat) for vec in shapes]
    return Line(bw, found, height, shapes, eastern, latin, net_inputs)


def looks_like_digits(line: Line) -> bool:
    """Whether most glyphs of a line have a digit's shape: a row without a label is only
    read as digits when so (letters would each cost a Tesseract call)."""
    if len(line.boxes) < 8:
        return False
    shaped = sum(
        vec is None or max(east[0][1], lat[0][1]) >= 0.85  # a letter is at best ~0.75 like a digit
        for vec, east, lat in zip(line.shapes, line.eastern, line.latin, strict=True)
    )
    return shaped >= 0.8 * len(line.boxes)


def read_digits(bw: np.ndarray, line: Line | None = None) -> tuple[str, list[_tess.Symbol]]:
    """A line of digits in whichever script printed it (Persian, Arabic-Indic or Latin;
    the script chosen per line: a card may print Latin dates beside a Persian code),
    separators (slashes, hyphens, stops, spaces) returned as sure marks (``is_mark``),
    never as digits. A Latin line is also
    read whole by Tesseract ``eng`` restricted to digits (98–100 % on Latin digits,
    docs/evaluation.md): where the two readings disagree no digit is sure, so the field is
    not ``valid``; where they agree, a template's near-tie is settled. ``line``: the
    same image already measured (``measure``)."""
    line = measure(bw) if line is None else line
    if _script(line) == "eastern":
        return read(bw, "fas", line)
    text, symbols = read(bw, "eng", line)
    whole = re.sub(r"[^0-9/]", "", _tess.read_line(_pad(bw), "eng", psm=7, whitelist="0123456789/-.")[0])
    if whole.replace("/", "") == re.sub(r"[^0-9]", "", normalize_digits(text)):
        return text, [
            dataclasses.replace(sym, sure=sym.sure or sym.confidence >= _SHAPE_MATCH) for sym in symbols
        ]
    # They disagree: Tesseract's reading is shown (it reads Latin digits better than
    # templates of other faces), and nothing is sure.
    return whole, [_tess.Symbol(ch, 0.5, ((ch, 0.5),), sure=False) for ch in whole]


def _separator(w: int, h: int, height: float) -> bool:
    # A hyphen between groups (۱۹۳-۴۷۵۱۴۷-۲) is flat: wider than twice its height and
    # far shorter than a digit. ۰ is a dot about as wide as high: never this.
    return h < 0.35 * height and w >= 2 * h


def _script(line: Line) -> str:
    """``latin`` when the line's glyphs are more like Latin digits than Eastern ones:
    summed over glyphs, the best template of each bank; a dot (Persian ۰) counts as
    Eastern. ۱/1 and ۹/9 look alike and cancel out."""
    score = 0.0
    for (_, _, w, h), east, lat in zip(line.boxes, line.eastern, line.latin, strict=True):
        if east:
            score += lat[0][1] - east[0][1]
        elif not _separator(w, h, line.height):
            score -= 0.3
    return "latin" if score > 0 else "eastern"


def read(bw: np.ndarray, lang: str, line: Line | None = None) -> tuple[str, list[_tess.Symbol]]:
    """The line read glyph by glyph, right to left as printed digits are read in Persian
    text order (left to right for digits, which Unicode stores in reading order); ``lang``
    ``fas`` for Eastern digits, ``eng`` for Latin."""
    symbols: list[_tess.Symbol] = []
    line = measure(bw) if line is None else line
    script = "eastern" if lang == "fas" else "latin"
    height = line.height
    width = float(np.median([b[2] for b in line.boxes])) if line.boxes else 0.0
    scored = line.eastern if script == "eastern" else line.latin
    band = _digit_band(line)
    marks = _grouping_hyphens(line, [_printed_mark(b, line, band, script) for b in line.boxes])
    spaces = set() if any(marks) else _spaces(line)
    for i, ((x, _, w, h), vec, options, net_input, printed) in enumerate(
        zip(line.boxes, line.shapes, scored, line.net_inputs, marks, strict=True)
    ):
        if i - 1 in spaces:
            symbols.append(_mark(" "))
        if printed is not None:
            symbols.append(_mark(printed))
            continue
        if w > 1.8 * width and w > 0.9 * height:  # touching glyphs, or one wide digit
            parts = _split(bw[:, x : x + w], lang, height, _part_counts(line, w))
            if parts is not None:
                symbols += parts
                continue
        if h < 0.5 * height and w < 0.7 * height:
            # Persian zero is a small dot, the only digit so short; alone, Tesseract
            # returns nothing for it. Arabic-Indic ٥ is a small ring too, from 0.58 of
            # a digit's height (Scheherazade) where ۰ reaches 0.44 (Vazirmatn): between
            # them a dot is not sure. Nor is a short mark of another outline: a zero is
            # about as wide as high (0.7-1.2 in the tuning and training faces), a thick
            # or blurred hyphen wider, a tick or a stroke's stray end narrower.
            round_ = _ZERO_ASPECT[0] * h <= w <= _ZERO_ASPECT[1] * h
            symbols.append(
                _tess.Symbol("۰", 0.9, (("۰", 0.9),), sure=h < 0.46 * height and round_, size=h / height)
            )
            continue
        symbol = (
            _symbol(vec, options, script, net_input)
            if vec is not None
            else _classified(bw[:, x : x + w], script)
        )
        if h < _FULL_HEIGHT * height:
            symbol = _short(symbol, w, h, height, script)
        if (options[0][1] if options else symbol.confidence) >= _SHAPE_MATCH:  # a digit's shape
            symbols.append(symbol if symbol.sure or lang != "fas" else _tie_shown(symbol, bw[:, x : x + w]))
            continue
        text, conf, found = _tess.read_line(
            _pad(bw[:, x : x + w]),
            lang,
            psm=10,
            symbols=True,
            whitelist="" if lang == "fas" else "0123456789/",
        )
        if found:
            symbols.append(_unsure(found[0]))
        elif text:
            symbols.append(_tess.Symbol(text[0], conf, ((text[0], conf),), sure=False))
    symbols = _tidied(symbols)
    return "".join(s.text for s in symbols), symbols


def _printed_mark(box: Box, line: Line, band: tuple[float, float], script: str) -> str | None:
    """The separator a glyph is by its geometry, if any: a hyphen (flat: it was read as
    ۰), a slash (reaching below and above the digits), a stop (a dot on the baseline, or
    any dot between Latin digits, whose 0 is full height)."""
    _, y, w, h = box
    if _separator(w, h, line.height):
        return "-"
    if h > 1.6 * line.height and w < 1.2 * line.height:
        return "/"
    if h < 0.5 * line.height and w < 0.7 * line.height and (script == "latin" or _on_baseline(y, h, band)):
        return "."
    return None


# Where a line's hyphens fall when it prints a grouped code (3-6-1 digits: ۱۲۴-۷۴۳۵۰۴-۰) or
# a hyphenated date (4-2-2), counted in glyphs from the left.
_GROUP_HYPHENS = {12: {3, 10}, 10: {4, 7}}


def _grouping_hyphens(line: Line, marks: list[str | None]) -> list[str | None]:
    """``marks`` with the flat blobs a blur has rounded taken for hyphens where they sit
    exactly where a grouped code or date puts its hyphens. A blur adds the same pixel or
    two to a hyphen's height as to its width, so it is no longer flat enough to be one by
    its shape (``_separator``), yet wider than a zero can be (``_ZERO_ASPECT``): read as
    an unsure ۰, it gave a code of twelve digits (tuning card, Noto Naskh blurred: 9 x 5
    px hyphens on a 19 px line, at glyphs 3 and 10 of 12)."""
    expected = _GROUP_HYPHENS.get(len(line.boxes))
    if expected is None:
        return marks
    flat = {
        i
        for i, (_, _, w, h) in enumerate(line.boxes)
        if marks[i] is None and h < 0.35 * line.height and w > _ZERO_ASPECT[1] * h
    }
    hyphens = {i for i, mark in enumerate(marks) if mark == "-"}
    if not flat or flat | hyphens != expected or any(m is not None for m in marks if m != "-"):
        return marks
    return ["-" if i in flat else mark for i, mark in enumerate(marks)]


def _spaces(line: Line) -> set[int]:
    """The gaps (``i``: after glyph ``i``) that are spaces, on a line with no printed
    separator: the one or two widest, when they stand clear of every other
    (``_SPACE_MARGIN``). A glyph narrower than its line's digits (۱, 1, the dot ۰) counts
    as wide as they are: the blank beside it is its own advance."""
    found, height = line.boxes, line.height
    full = [b[2] for b in found if b[3] >= 0.7 * height]
    least = max(0.5 * height, float(np.median(full)) if full else 0.0)
    gaps = [
        (b[0] + b[2] / 2) - (a[0] + a[2] / 2) - (max(a[2], least) + max(b[2], least)) / 2
        for a, b in itertools.pairwise(found)
    ]
    ranked = sorted(range(len(gaps)), key=lambda i: -gaps[i])
    for k in (2, 1):
        if len(gaps) > k and gaps[ranked[k - 1]] - gaps[ranked[k]] >= _SPACE_MARGIN * height:
            return set(ranked[:k])
    return set()


def _mark(text: str) -> _tess.Symbol:
    return _tess.Symbol(text, 0.9, ((text, 0.9),), sure=True)


def _tidied(symbols: list[_tess.Symbol]) -> list[_tess.Symbol]:
    """Separator marks between digits only, one per gap (a wide gap beside a hyphen is
    that hyphen's)."""
    out: list[_tess.Symbol] = []
    for s in symbols:
        if not (is_mark(s) and (not out or is_mark(out[-1]))):
            out.append(s)
        elif out and s.text != " " and out[-1].text == " ":
            out[-1] = s
    while out and is_mark(out[-1]):
        out.pop()
    return out


def is_mark(symbol: _tess.Symbol) -> bool:
    """Whether ``symbol`` is a separator the line's geometry found (not a digit)."""
    return symbol.text in SEPARATORS and bool(symbol.sure) and symbol.shape is None


def _digit_band(line: Line) -> tuple[float, float]:
    """The top and bottom of the line's digits (the medians of its full-height glyphs)."""
    full = [b for b in line.boxes if b[3] >= 0.7 * line.height]
    if not full:
        return 0.0, 0.0
    return float(np.median([b[1] for b in full])), float(np.median([b[1] + b[3] for b in full]))


def _on_baseline(y: int, h: int, band: tuple[float, float]) -> bool:
    top, bottom = band
    return bottom - top > 0 and (y + h / 2 - top) / (bottom - top) >= _STOP_CENTRE


def _short(symbol: _tess.Symbol, w: int, h: int, height: float, script: str) -> _tess.Symbol:
    """A glyph shorter than its line's digits is not the full-height digit its shape was
    matched to (the shape is scaled to its box, so its size never reached the readers):
    not sure. But for a round one read as ۵, which may be a short Arabic-Indic ٥ (0.74-0.9
    of the digits in some faces) as well as a face's large ring ۰ (0.6-0.75): the card
    decides (``_short_rings``); ۰ is offered as its next choice either way."""
    round_ = _ZERO_ASPECT[0] * h <= w <= _ZERO_ASPECT[1] * h
    if script == "eastern" and round_ and symbol.text == "۵":
        top = symbol.choices[0][1] if symbol.choices else symbol.confidence
        choices = (*symbol.choices[:1], ("۰", top - 0.01), *(c for c in symbol.choices[1:] if c[0] != "۰"))
        return dataclasses.replace(symbol, choices=choices, size=h / height)
    return _unsure(symbol)


def _tie_shown(symbol: _tess.Symbol, glyph: np.ndarray) -> _tess.Symbol:
    """A near-tie shown as ``fas`` reads the glyph alone, when that is one of the
    template's first three choices: a face the templates lack (Noto Naskh's ۴ and ۷) is
    often one Tesseract knows. What is shown changes, never what is sure (fas agreed
    with a template's ۲→۳ on Titr). Not when the learned classifier names the shown
    value without hesitating: fitted across many faces, it reads a face it lacks better
    than ``fas`` does (a tuning face left out of it: Noto Naskh's ۷ shown as fas's ۴)."""
    if (
        symbol.net_input is not None
        and _digitnet.available()
        and _net_backs(
            _digitnet.shown_probabilities(symbol.net_input, symbol.script or "eastern"), symbol.text
        )
    ):
        return symbol
    found = _tess.read_line(_pad(glyph), "fas", psm=10, symbols=True)[2]
    if not found:
        return symbol
    text = to_persian_digits(found[0].text)
    if text == symbol.text or text not in [c for c, _ in symbol.choices[:3]]:
        return symbol
    return dataclasses.replace(symbol, text=text, choices=((text, symbol.confidence), *symbol.choices))


def _unsure(symbol: _tess.Symbol) -> _tess.Symbol:
    return _tess.Symbol(symbol.text, symbol.confidence, symbol.choices, sure=False)


def _pad(piece: np.ndarray) -> np.ndarray:
    return cv2.copyMakeBorder(piece, 10, 10, 14, 14, cv2.BORDER_CONSTANT, value=255)


def _split(piece: np.ndarray, lang: str, height: float, counts: range) -> list[_tess.Symbol] | None:
    """Touching glyphs: cut at the faintest columns into ``counts`` parts (``_part_counts``) and keep the cut
    whose parts look most like digits; Tesseract reads the piece as a word otherwise.
    Only cuts into whole digits count: every digit but the zero spans the line's height
    (``_FULL_HEIGHT``), the zero is a dot. None when no cut gives whole digits: the glyph
    is one wide digit, not two. Width alone cannot tell them apart: a face's ۳ and ۴
    (Kufi and display faces print them as wide as two ۱s and a dot ۰) were cut at their
    half-height teeth into two or three "digits", and the code or date lost its shape."""
    script = "eastern" if lang == "fas" else "latin"
    ink = (piece < 128).sum(axis=0).astype(np.float32)
    best: tuple[float, list[_tess.Symbol]] | None = None
    for parts in counts:
        pieces = _cut(piece, ink, parts)
        if not all(_whole_digit(p, height) for p in pieces):
            continue
        symbols = [_classified(p, script) for p in pieces]
        score = min(s.confidence for s in symbols) if symbols else 0.0
        if best is None or score > best[0]:
            best = (score, symbols)
    if best is None:
        return None
    if best[0] >= _SHAPE_MATCH:
        return best[1]
    found = _tess.read_line(_pad(piece), lang, psm=8, symbols=True)[2]
    return [_unsure(s) for s in found]


def _part_counts(line: Line, wide: int) -> range:
    """How many digits a glyph ``wide`` px may hold: two or three, or as many as its width
    holds of the line's single digits (the median width of its full-height glyphs no
    wider than high). A blur joined five of a Noto Sans code's digits (۲۲۲۳۲, 69 px
    beside 11-13 px digits) and the best of two or three pieces was two digits (tuning
    card, seed 4300)."""
    single = [w for _, _, w, h in line.boxes if 0.7 * line.height <= h and w <= line.height]
    fits = round(wide / float(np.median(single))) if single else 0
    return range(2, min(_MOST_PARTS, max(3, fits + 1)) + 1)


_MOST_PARTS = 6


def _whole_digit(piece: np.ndarray, height: float) -> bool:
    """Whether a piece cut from a glyph can be a digit by its size: full height, or a
    zero's dot (short and round)."""
    rows, cols = np.nonzero(piece < 128)
    if not len(rows):
        return False
    h, w = int(rows.max() - rows.min() + 1), int(cols.max() - cols.min() + 1)
    dot = h < 0.5 * height and _ZERO_ASPECT[0] * h <= w <= _ZERO_ASPECT[1] * h
    return h >= _FULL_HEIGHT * height or dot


def _cut(piece: np.ndarray, ink: np.ndarray, parts: int) -> list[np.ndarray]:
    width = piece.shape[1]
    cuts = [0]
    for k in range(1, parts):
        centre, span = width * k // parts, max(2, width // (3 * parts))
        window = ink[max(centre - span, 1) : min(centre + span, width - 1)]
        cuts.append(max(centre - span, 1) + int(np.argmin(window)) if len(window) else centre)
    cuts.append(width)
    return [piece[:, a:b] for a, b in itertools.pairwise(cuts) if b - a >= 2]


def _classified(glyph: np.ndarray, script: str = "eastern") -> _tess.Symbol:
    """The glyph by its nearest digit template, sure when the second class is not close."""
    vec = _digits.shape(glyph)
    net_input = _digitnet.features(glyph, vec) if _digitnet.available() else None
    return _symbol(vec, _digits.classify_shape(vec, script), script, net_input)


def _symbol(
    vec: np.ndarray,
    options: list[tuple[str, float]],
    script: str = "eastern",
    net_input: np.ndarray | None = None,
) -> _tess.Symbol:
    """A glyph from its template scores and the learned classifiers' (``_digitnet``):
    shown as the value with the best mean of the template's and the convolutional
    network's, sure only when the template is (by its margin) and both networks name the
    same value without hesitating (``_NET_SURE``). The classifiers only veto:
    made sure by its probability alone, letters of a misfound row read as ۱ became sure.
    Tuning cards (faces left out of the templates, Noto Naskh also out of the
    classifier): codes right 36 → 37 of 40 and, at low resolution, 25 → 27 of 32, glyphs
    wrong but sure 3 → 0 there (a face's Urdu ۴ read as ۲ by the templates)."""
    (best, sim), (_, second) = options[0], options[1]
    template_sure = sim >= _SURE_SHAPE and sim - second >= _SURE_MARGIN
    # Latin lines keep the templates: Tesseract ``eng`` reads them whole as a check
    # already, and the classifier misread more Latin digits of an unseen face than the
    # templates did (DejaVu Sans, left out of both: 5 of 256 glyphs, with templates right).
    if script != "eastern" or not _digitnet.available():
        return _tess.Symbol(best, sim, tuple(options[:4]), sure=template_sure, shape=vec, script=script)
    if net_input is None:  # a classifier to ask, and nothing it can read: never sure
        return _tess.Symbol(best, sim, tuple(options[:4]), sure=False, shape=vec, script=script)
    ranked = _digitnet.probabilities(net_input, script)
    net = dict(_digitnet.shown_probabilities(net_input, script))
    combined = sorted(((k, (net.get(k, 0.0) + s) / 2) for k, s in options), key=lambda kv: -kv[1])
    sure = template_sure and best == combined[0][0] and _net_backs(ranked, best)
    return _tess.Symbol(
        combined[0][0],
        combined[0][1],
        tuple(combined[:4]),
        sure=sure,
        shape=vec,
        script=script,
        net_input=net_input,
    )


def _net_backs(ranked: list[tuple[str, float]], value: str) -> bool:
    """Whether the learned classifier (its values best first) reads the glyph as
    ``value`` without hesitating."""
    top, prob = ranked[0]
    return top == value and prob >= _NET_SURE


def confirm_by_peers(lines: list[list[_tess.Symbol]]) -> list[list[_tess.Symbol]]:
    """The card's own print as a check: its digits share a font, so each value has one
    form on it. A value read from two unlike forms holds a misread glyph (a face's ۴
    read as ۲ beside its true ۲s): none of its glyphs is sure (``_one_form``). Then
    near-ties are settled: a glyph very like the card's sure glyphs of its best class,
    and clearly less like any sure glyph of another class, is sure too (never relabelled)."""
    lines, doubted = _one_form(_short_rings(lines))
    peers = [s for line in lines for s in line if s.sure and s.shape is not None]
    return [[s if id(s) in doubted else _confirmed(s, peers) for s in line] for line in lines]


def _short_rings(lines: list[list[_tess.Symbol]]) -> list[list[_tess.Symbol]]:
    """Short rings read as ۵ (``_short``) by the card's own print: a face prints one digit
    at one size, so beside a full-height ۵ a short ring is no ۵; and a ring is a ۵ (an
    Arabic-Indic ٥) only where the card's zeros are dots, at least as many as the rings
    and far smaller than them (``_RING_OVER_DOT``).
    Otherwise it is a large ۰ (a face whose ۰ the blur puts now under, now over, the dot's
    bound is seen as both), shown so and not sure."""
    found = [s for line in lines for s in line if s.size is not None]
    rings = [s for s in found if s.shape is not None]
    if not rings:
        return lines
    dots = [s.size for s in found if s.shape is None and s.size is not None]
    full_five = any(
        s.text == "۵" and s.sure and s.size is None and s.script == "eastern" for line in lines for s in line
    )
    if len(dots) >= len(rings) and not full_five:  # a stray speck is not the card's zeros
        smallest = _RING_OVER_DOT * max(dots)
        kept = {id(s) for s in rings if s.size is not None and s.size >= smallest}
    else:
        kept = set()
    return [
        [_zero(s) if s.size is not None and s.shape is not None and id(s) not in kept else s for s in line]
        for line in lines
    ]


def _zero(ring: _tess.Symbol) -> _tess.Symbol:
    # A short ring that is not this card's ۵ is its ۰ (no other digit is a short ring):
    # shown so, ۵ next, never sure.
    rest = tuple(c for c in ring.choices if c[0] not in "۰۵")
    return _tess.Symbol(
        "۰", ring.confidence, (("۰", ring.confidence), ("۵", ring.confidence - 0.01), *rest), sure=False
    )


def _one_form(lines: list[list[_tess.Symbol]]) -> tuple[list[list[_tess.Symbol]], set[int]]:
    """One value, one form: a value whose glyphs are unlike each other holds a misread
    glyph (none of that value is sure); one form, one value: two glyphs far more alike
    than any two digits of a face, read as two values, are one digit misread (neither
    is sure; which is wrong the card cannot say). Also the glyphs (by ``id``) so doubted:
    no peer may make them sure again, though they keep their shape for the reading shown
    (``form_conflicts``)."""
    groups: dict[tuple[str, str | None], list[np.ndarray]] = {}
    for line in lines:
        for s in line:
            if s.shape is not None:
                groups.setdefault((s.text, s.script), []).append(s.shape)
    mixed = set()
    for key, shapes in groups.items():
        stack = np.stack(shapes)
        if len(shapes) > 1 and float(np.einsum("ik,jk->ij", stack, stack).min()) < _ONE_FORM:
            mixed.add(key)
    alike = _one_value_twice(lines)
    if not mixed and not alike:
        return lines, set()
    doubted = [
        [
            dataclasses.replace(s, sure=False) if (s.text, s.script) in mixed or id(s) in alike else None
            for s in line
        ]
        for line in lines
    ]
    out = [[d or s for s, d in zip(line, new, strict=True)] for line, new in zip(lines, doubted, strict=True)]
    return out, {id(d) for new in doubted for d in new if d is not None}


def form_conflicts(symbols: list[_tess.Symbol]) -> Callable[[str], int]:
    """How far a reading of ``symbols`` (one character each) breaks the card's print:
    the pairs of glyphs of one script read as one value though unlike (``_ONE_FORM``),
    or as two values though one form (``_ONE_VALUE``). Glyphs without a shape (dots,
    marks, Tesseract's) take no part."""
    shaped = [(i, s) for i, s in enumerate(symbols) if s.shape is not None and s.script is not None]
    pairs: list[tuple[int, int, bool]] = []  # (i, j, must be one value)
    for (i, a), (j, b) in itertools.combinations(shaped, 2):
        if a.script != b.script or a.shape is None or b.shape is None:
            continue
        sim = float(a.shape @ b.shape)
        if sim < _ONE_FORM or sim >= _ONE_VALUE:
            pairs.append((i, j, sim >= _ONE_VALUE))

    def count(reading: str) -> int:
        return sum((reading[i] == reading[j]) != same for i, j, same in pairs)

    return count


def _one_value_twice(lines: list[list[_tess.Symbol]]) -> set[int]:
    """The glyphs (by ``id``) read as another value than a glyph of their script at least
    ``_ONE_VALUE`` alike to them."""
    shaped = [(s, s.shape) for line in lines for s in line if s.shape is not None and s.sure]
    if len(shaped) < 2:
        return set()
    stack = np.stack([shape for _, shape in shaped])
    sims = stack @ stack.T
    found: set[int] = set()
    for i, j in zip(*np.nonzero(np.triu(sims >= _ONE_VALUE, 1)), strict=True):
        a, b = shaped[i][0], shaped[j][0]
        if a.script == b.script and a.text != b.text:
            found.update((id(a), id(b)))
    return found


def _confirmed(symbol: _tess.Symbol, peers: list[_tess.Symbol]) -> _tess.Symbol:
    if symbol.sure or symbol.shape is None:
        return symbol
    # The templates' own scores (the margins here were set on them; a symbol's choices
    # mix in the classifier's probabilities, whose wider gaps let a Noto Kufi ۴ near-tie
    # be confirmed as ۳), and never against the classifier's veto.
    script = symbol.script or "eastern"
    options = _digits.classify_shape(symbol.shape, script)
    best, best_sim = options[0]
    if best != symbol.text or best_sim < _SHAPE_MATCH:
        return symbol
    if (
        script == "eastern"
        and _digitnet.available()
        and (
            symbol.net_input is None
            or not _net_backs(_digitnet.probabilities(symbol.net_input, script), best)
        )
    ):
        return symbol
    # Only against sure glyphs of every contending class (within 0.05 of the best): a
    # card with no sure ۴ cannot say that a near-tie between ۲, ۳ and ۴ is a ۲ (Noto
    # Naskh's ۴ is 0.93 like its ۲, and a date's two ۴ were confirmed as ۲).
    contenders = {text for text, sim in options[1:] if sim >= best_sim - 0.05}
    if not contenders <= {peer.text for peer in peers}:
        return symbol
    own = other = -1.0
    for peer in peers:
        sim = float(peer.shape @ symbol.shape)
        if peer.text == symbol.text:
            own = max(own, sim)
        else:
            other = max(other, sim)
    if own >= _PEER_MATCH and own - other >= _PEER_MARGIN:
        return dataclasses.replace(symbol, sure=True)
    return symbol
