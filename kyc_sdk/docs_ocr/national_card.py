"""Reading the Iranian national card: front fields found by their printed labels, and
the back's serial and barcodes.

Front: the card is found and warped (``locate``); ink is separated from the security
print by adaptive thresholding; ink is smeared along the line into blobs so that the
words of a label join while the wider gap between label and value does not; blobs are
grouped into rows and each row's label is looked for by reading blobs with ``fas`` and
matching them to the known labels (``synth.LABELS`` and the older card's words) by
``text.name_similarity``: the rightmost blob (Persian order), the leftmost (label left
of its value), one in from either end; a blob only fairly like a label is first cut at
its word gaps (no colon and a narrow gap join label and value). The value is the chain
of blobs on the longer side of the label; a label alone on its row has its value on
the row below, in its column (label above value). A label OCR cannot read is named by
the labels' order when one row is left between two read ones, and in any order when
one name alone is missing and one row alone is left for it; a label cut at a word gap
goes on while the next piece reads as its own next word (نام, پدر); a row whose label
reads as nothing (a display face) is found by the labels' column, its outer blob ending
where the read labels end, and split there (``_column_labels``); the code and dates
no label led to are taken from unlabelled rows whose glyphs are digits, and names by the
name labels' widths (``_names_by_width``). Each outline of the card is looked at cheaply
before any OCR (``_card_evidence``), so a photo that is not a card is refused fast.
Nothing depends on fixed pixel boxes, so a shifted layout or another font still reads.
Digits go through ``_glyphs`` (Persian, Arabic-Indic or Latin, separators returned as
marks; templates with a learned classifier beside them, and one form per digit on a
card) and ``fields`` (the national code under its checksum, dates under the Jalali
calendar, ``valid`` only when every digit is sure), then checked against each other (a
birth date at least fifteen years before the expiry, no two digit fields from one blob:
what contradicts is shown, not ``valid``, ``_doubt_contradictions``); names are voted
across scales, alone and, where the label comes first on the value's line, with their
label, by a second, larger Persian model too where ``fas``'s readings disagree
(``_tess.second_fas``), and read again larger when no reading was letters alone. When fewer than half the
labels are found the card is tried upside down.
Spec: issue "Document OCR" and issue 13, docs/evaluation.md.
"""

from __future__ import annotations

import dataclasses
import datetime
import itertools
import re
import statistics
import unicodedata
from dataclasses import dataclass, field

import cv2
import numpy as np

from kyc_sdk.identifiers import jalali
from kyc_sdk.text import name_similarity, normalize_digits, normalize_persian

from . import _glyphs, _tess, fields, locate
from .synth import CARD_SIZE, LABELS

_NAME_SCALES = (0.9, 0.8, 0.7, 0.6)  # a card's name is clearest to fas a little smaller
_LABELLED_SCALES = (0.9, 0.8, 0.7, 0.6)
_LARGER_SCALES = (1.2, 1.0)  # the second pass of a name no reading of which was letters alone
_LABELLED_WEIGHT = 1.0
_LABEL_MATCH = 0.6  # below this similarity an OCR'd blob is not that label
_VALUE_REACH = 300  # px from a label to its value's first blob (a column layout's widest gap)
_VALUE_TALL = 2.0  # a value blob this many times its label's height is not text of its line
_STACKED_ROWS = 3  # labels above their values on a card printed that way (of six)
_VALUE_SHORT = 0.7  # a value all of whose blobs are below this share of its label's height: specks
_PIECE_MATCH = 0.8  # words cut from a longer blob: stricter (the title ends in ملی)
_LABEL_CUT_MATCH = 0.75  # the words read before a name must be this like its label
_LETTER = re.compile("[\u0621-\u06ff]")
_YEARS = {"birth_date": (1280, 1420), "expiry_date": (1380, 1440)}
_DIGIT_FIELDS = ("national_code", "birth_date", "expiry_date")
_NAME_FIELDS = ("first_name", "last_name", "father_name")
# The card's own heading (today's and the older card): a row of these is not a field.
_TITLE_WORDS = ("جمهوری", "اسلامی", "ایران", "کارت", "هوشمند", "ملی", "شناسائی")


@dataclass
class CardFront:
    """What the front gave: ``found`` is False when no card (or no label) was seen."""

    found: bool
    fields: dict[str, fields.Field] = field(default_factory=dict)
    upside_down: bool = False

    def to_dict(self) -> dict[str, object]:
        return {
            "found": self.found,
            "upside_down": self.upside_down,
            "fields": {k: (self.fields.get(k) or fields.MISSING).to_dict() for k in LABELS},
        }


def read_front(rgb: np.ndarray) -> CardFront:
    """The front's six fields from a photograph (or a flat scan) of the card. Where the
    card found first reads fewer than half its labels, the other outlines are read in
    turn, the whole frame last (``locate.outlines``): a shadow or a busy table can
    mislead the first cue, and giving up lost the whole card. Each outline is first
    looked at cheaply (``_card_evidence``): one holding a row of digits is read at once,
    one holding only a sparse handful of text-sized blobs after those, anything else not
    at all. A photo that is plainly not a card (a face, noise, a blank page) is refused
    by those looks alone: reading its outlines' blobs as labels cost 0.6-2.6 s of CPU,
    5-15 times a card's reading."""
    located = locate.find_document(rgb, CARD_SIZE)
    first = located.image if located is not None else _as_scan(rgb)
    others = (found.image for found in locate.outlines(rgb, CARD_SIZE, located))
    best = CardFront(False)
    later: list[np.ndarray] = []
    candidates = itertools.chain([first] if first is not None else [], others)
    for card in itertools.chain(candidates, later):
        look = None
        if not any(card is other for other in later):
            look = _Look.of(card)
            evidence = _card_evidence(look)
            if evidence == "text":
                later.append(card)
            if evidence != "digits":
                continue
        front = _read_upright(card, look)
        if len(front.fields) > len(best.fields):
            best = front
        if len(best.fields) >= len(LABELS) // 2:
            break
    best.found = bool(best.fields)
    return best


_SPARSE_TEXT = (6, 30)  # text-sized blobs on a card: its dozen labels, values and title


@dataclass(frozen=True)
class _Look:
    """A card under even light, and the ink and text-sized blobs found on it as captured:
    computed once for the cheap look and the reading after it."""

    grey: np.ndarray
    ink: np.ndarray
    blobs: list[tuple[int, int, int, int]]

    @classmethod
    def of(cls, card: np.ndarray) -> _Look:
        raw = cv2.cvtColor(card, cv2.COLOR_RGB2GRAY)
        ink = _ink(raw)
        return cls(_flat(raw), ink, _blobs(ink))


def _card_evidence(look: _Look) -> str:
    """How much an outline looks like a card, cheaply (no OCR): "digits" when a blob reads
    as a line of digit shapes upright or turned (every card prints a code and two dates),
    "text" when it has no such line but a card's sparse count of text-sized blobs (a
    low-resolution card's digits can merge past a digit's shape), else "none" (a face's
    or noise's ink breaks into many more blobs; a blank page gives none)."""
    blobs = look.blobs
    for blob in sorted(blobs, key=lambda b: -b[2]):  # digit lines are among the widest
        crop = _crop(look.grey, [blob])
        for turned in (crop, locate.rotate180(crop)):
            if _glyphs.looks_like_digits(_glyphs.measure(turned)):
                return "digits"
    return "text" if _SPARSE_TEXT[0] <= len(blobs) <= _SPARSE_TEXT[1] else "none"


def _read_upright(card: np.ndarray, look: _Look | None = None) -> CardFront:
    """The card read the way up that reads it better: upright, or turned when upright
    finds under half the fields or no code or date passing its rule. Turned is kept when
    it finds more codes and dates passing their rules, or, where upright found under half
    the fields, more fields (a Titr card upside down gave five fields of upside-down ink,
    and never was turned: tuning, seed 4300). More fields alone never turn a card on which
    upright found half or more: upside-down ink can read as fields too."""
    best = _read_warped(card, look)
    few = len(best.fields) < len(LABELS) // 2
    if few or not _passing(best):
        flipped = _read_warped(locate.rotate180(card))
        if (few and len(flipped.fields) > len(best.fields)) or _passing(flipped) > _passing(best):
            best, best.upside_down = flipped, True
    return best


def _passing(front: CardFront) -> int:
    # Its code and dates that pass their rules: sure digits under a checksum or a calendar
    # come from ink the right way up (a name passes with any two letters).
    return sum(front.fields.get(key, fields.MISSING).valid for key in _DIGIT_FIELDS)


def _as_scan(rgb: np.ndarray) -> np.ndarray | None:
    # A tight scan has no outline to find; accept it when its shape is the card's.
    h, w = rgb.shape[:2]
    if h > w:
        rgb, (h, w) = np.ascontiguousarray(np.rot90(rgb)), (w, h)
    if abs(w / h - CARD_SIZE[0] / CARD_SIZE[1]) > 0.15:
        return None
    return cv2.resize(rgb, CARD_SIZE, interpolation=cv2.INTER_AREA)


def _ink(grey: np.ndarray) -> np.ndarray:
    ink = cv2.adaptiveThreshold(grey, 255, cv2.ADAPTIVE_THRESH_GAUSSIAN_C, cv2.THRESH_BINARY_INV, 41, 18)
    return cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((2, 2), np.uint8))


def _blobs(ink: np.ndarray) -> list[tuple[int, int, int, int]]:
    smear = cv2.dilate(ink, cv2.getStructuringElement(cv2.MORPH_RECT, (17, 5)))
    count, _, stats, _ = cv2.connectedComponentsWithStats(smear)
    out = []
    for x, y, w, h, area in stats[1:count]:
        if 14 <= h <= 90 and w >= 12 and area >= 80:  # text-sized: not the photo, not specks
            out.append((int(x), int(y), int(w), int(h)))
    return out


def _rows(blobs: list[tuple[int, int, int, int]]) -> list[list[tuple[int, int, int, int]]]:
    rows: list[list[tuple[int, int, int, int]]] = []
    for blob in sorted(blobs, key=lambda b: b[1] + b[3] / 2):
        centre = blob[1] + blob[3] / 2
        if rows and abs(centre - np.mean([b[1] + b[3] / 2 for b in rows[-1]])) < 16:
            rows[-1].append(blob)
        else:
            rows.append([blob])
    return [sorted(row, key=lambda b: -b[0]) for row in rows]  # right to left


def _crop(
    grey: np.ndarray,
    boxes: list[tuple[int, int, int, int]],
    pad: int = 8,
    binary: bool = True,
    alone: bool = False,
) -> np.ndarray:
    x0 = max(min(b[0] for b in boxes) - pad, 0)
    y0 = max(min(b[1] for b in boxes) - pad, 0)
    x1 = min(max(b[0] + b[2] for b in boxes) + pad, grey.shape[1])
    y1 = min(max(b[1] + b[3] for b in boxes) + pad, grey.shape[0])
    crop = grey[y0:y1, x0:x1]
    if alone:
        crop = _alone(crop, [(x - x0, y - y0, w, h) for x, y, w, h in boxes])
    if not binary:  # Tesseract binarises itself; Otsu can erase the dots that tell ب from پ
        crop = cv2.normalize(crop, None, 0, 255, cv2.NORM_MINMAX)
        return cv2.copyMakeBorder(crop, 10, 10, 10, 10, cv2.BORDER_REPLICATE)
    _, clean = cv2.threshold(crop, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    return cv2.copyMakeBorder(clean, 10, 10, 10, 10, cv2.BORDER_CONSTANT, value=255)


_NEIGHBOUR_MARGIN = 4  # px around a value's blobs: ink reaching no nearer is another row's


def _alone(crop: np.ndarray, boxes: list[Box]) -> np.ndarray:
    """``crop`` with the ink of its neighbours painted over in the paper's shade: strokes
    that reach into the padding but touch none of ``boxes`` (the top of the next row's
    alef, 2 px of it under a stacked name, made fas read مریم as "سر", or as nothing).
    Ink of the value that its blobs missed (a dot farther than the smear reaches) still
    touches them within the margin and stays."""
    _, ink = cv2.threshold(crop, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    count, labels = cv2.connectedComponents(ink)
    near = np.zeros(crop.shape, bool)
    m = _NEIGHBOUR_MARGIN
    for x, y, w, h in boxes:
        near[max(y - m, 0) : y + h + m, max(x - m, 0) : x + w + m] = True
    keep = np.zeros(count, bool)
    keep[np.unique(labels[near])] = True
    keep[0] = True
    if keep.all():
        return crop
    out = crop.copy()
    out[~keep[labels]] = np.median(crop[ink == 0]) if (ink == 0).any() else 255
    return out


# The words printed for each field: today's card and the older one (``synth.card_labels``).
_LABEL_WORDS = [*LABELS.items(), ("national_code", "شماره ملی"), ("expiry_date", "تاریخ اعتبار")]
_WORDS = {key: label.split() for key, label in LABELS.items()}  # a field's label words (today's card)


def _label_match(text: str) -> tuple[float, str | None]:
    text = normalize_persian(text).replace(":", "").strip()
    scored = sorted(((name_similarity(text, label), key) for key, label in _LABEL_WORDS), reverse=True)
    return scored[0] if scored and text else (0.0, None)


Box = tuple[int, int, int, int]
Row = list[Box]


@dataclass
class _Line:
    """A field found on the card: its label's boxes, its value's, and whether the label
    comes first on the value's line (then the row read whole votes for a name)."""

    key: str | None
    label: Row
    value: Row
    label_first: bool
    score: float = 0.0  # how like its label the label read
    row: Row = field(default_factory=list)  # an unlabelled row's blobs, right to left
    in_column: bool = False  # an unread label found by its place in the labels' column


def _flat(grey: np.ndarray) -> np.ndarray:
    """The card under even light: each pixel divided by the paper's brightness around it
    (the page closed over its ink, smoothed). A crop's Otsu cut and Tesseract's own are
    one threshold for the whole crop, which a lamp's fall-off across a line defeats."""
    paper = cv2.morphologyEx(grey, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (21, 21)))
    paper = cv2.GaussianBlur(paper, (0, 0), 8)
    return cv2.divide(grey, np.maximum(paper, 1), scale=255)


def _read_warped(card: np.ndarray, look: _Look | None = None) -> CardFront:
    look = look or _Look.of(card)
    grey = look.grey
    result = CardFront(False)
    digit_lines: dict[str, tuple[str, list[_tess.Symbol]]] = {}
    sources: dict[str, Row] = {}  # the blobs each digit field was read from
    lines = _labelled_rows(grey, look)
    named, unnamed = _named_and_rest(lines)
    for key, line in named:
        if not line.value:
            continue
        if key in _DIGIT_FIELDS:
            digit_lines[key] = _glyphs.read_digits(_crop(grey, line.value))
            sources[key] = line.value
        else:
            both = [*line.label, *line.value]
            with_label = _crop(grey, both, binary=False, alone=True) if line.label_first else None
            result.fields[key] = _read_name(
                _crop(grey, line.value, binary=False, alone=True), with_label, key
            )
    if not all(key in digit_lines for key in _DIGIT_FIELDS):
        _unlabelled_digits(grey, unnamed, digit_lines, sources)
    missing = [key for key in _NAME_FIELDS if key not in result.fields]
    used = {box for boxes in sources.values() for box in boxes}
    for key, value in _names_by_width(grey, unnamed, missing, used).items():
        crop = _crop(grey, value, binary=False, alone=True)
        result.fields[key] = _read_name(crop, None, key)
    missing = [key for key in _NAME_FIELDS if key not in result.fields]
    if len(missing) == 1:
        value = _unlabelled_name(grey, lines, unnamed, sources)
        if value:
            crop = _crop(grey, value, binary=False, alone=True)
            result.fields[missing[0]] = _read_name(crop, None, missing[0])
    result.fields.update(_decoded(digit_lines))
    _doubt_contradictions(result.fields, sources)
    if not any(line.key for line in lines) and not any(
        result.fields.get(k, fields.MISSING).value for k in _DIGIT_FIELDS
    ):
        return CardFront(False)  # no label read and no code or date: rows of letters are not a card
    return result


def _doubt_contradictions(found: dict[str, fields.Field], sources: dict[str, Row]) -> None:
    """Each value passing its own rule is not enough to call it ``valid``: the row it came
    from must be its own. A row misassigned (a label misread as another's, a row named by
    the wrong label) gives a real day in the wrong field, so the card's fields are checked
    against each other, and what contradicts is kept as the likeliest reading, not valid:
    the birth and expiry dates as a holder's card can print them (``fields.dates_agree``:
    a date row read twice, or the two dates' rows swapped, never agree; a birth date
    after today, ``fields.born_by``, is another row's), and no two digit
    fields read from one blob (two labels claiming one value). A row that lost its label
    to a likelier one and then gave a field by the labels' order is not doubted for that
    alone: on tuning cards it was the right row (a misread expiry label named back by
    order), and a wrong one would contradict the other date."""
    doubted: set[str] = set()
    dates = ("birth_date", "expiry_date")
    if not fields.dates_agree(*((found.get(k) or fields.MISSING).value for k in dates)):
        doubted.update(dates)
    today = jalali.from_gregorian(datetime.date.today())
    if not fields.born_by((found.get("birth_date") or fields.MISSING).value, today):
        doubted.add("birth_date")
    for a, b in itertools.combinations(sources, 2):
        if set(sources[a]) & set(sources[b]):
            doubted.update((a, b))
    for key in doubted & set(found):
        found[key] = fields.unsure(found[key])


_DATE_SHAPE = re.compile(r"[0-9]{4}[/\-. ][0-9]{2}[/\-. ][0-9]{2}")  # any separator (``_glyphs``)
_MARKS_AND_DIGITS = re.compile(r"[0-9/\-. ]+")


def _unlabelled_digits(
    grey: np.ndarray,
    lines: list[_Line],
    digit_lines: dict[str, tuple[str, list[_tess.Symbol]]],
    sources: dict[str, Row] | None = None,
) -> None:
    """The code and dates no label led to (a label misread, or none printed): rows no
    label named whose glyphs are digits. Ten digits are the code when exactly one such
    row has ten; the dates by their shape (or eight digits and marks alone), the earlier
    the birth date (a card is issued after its holder's birth) when both are missing,
    else the one missing; one date for both by its year where only one field's years
    hold it. Never more than one candidate for a field: no guess."""
    codes, dates = [], []
    for line in lines:
        if not line.value:
            continue
        crop = _crop(grey, line.value)
        measured = _glyphs.measure(crop)
        if not _glyphs.looks_like_digits(measured):
            continue
        text, symbols = _glyphs.read_digits(crop, measured)
        flat = normalize_digits(text)
        digits = re.sub("[^0-9]", "", flat)
        # A date prints eight digits, a code ten: a row of eight digits and marks is a date
        # even when a separator was lost (a narrow space): shown, never valid (``fields``).
        if _DATE_SHAPE.fullmatch(flat) or (len(digits) == 8 and _MARKS_AND_DIGITS.fullmatch(flat)):
            dates.append((digits, (text, symbols), line.value))
        elif len(digits) == 10:
            codes.append(((text, symbols), line.value))
    sources = {} if sources is None else sources
    if "national_code" not in digit_lines and len(codes) == 1:
        digit_lines["national_code"], sources["national_code"] = codes[0]
    missing = [key for key in ("birth_date", "expiry_date") if key not in digit_lines]
    if len(dates) == len(missing) and missing:
        for key, (_, reading, boxes) in zip(missing, sorted(dates, key=lambda d: d[0]), strict=True):
            digit_lines[key], sources[key] = reading, boxes
    elif len(dates) == 1 and len(missing) == 2:
        # One date row for two missing dates (the other row unread): its year names it
        # when only one field's years hold it (no card expires before 1380).
        year = int(dates[0][0][:4])
        fits = [key for key in missing if _YEARS[key][0] <= year <= _YEARS[key][1]]
        if len(fits) == 1:
            digit_lines[fits[0]], sources[fits[0]] = dates[0][1], dates[0][2]


def _unlabelled_name(
    grey: np.ndarray, lines: list[_Line], unnamed: list[_Line], sources: dict[str, Row]
) -> Row:
    """The value of the one name field no label led to, in any label order: the only row
    left that is neither a digit field's nor the card's heading, its label the blob on
    the side where this card's read labels are (``_unread_label``); or a lone unread label
    with its value on the row below (label above value). Anything else is ambiguous:
    nothing. ``_names_by_order`` names such a row only on a card printed in today's
    order; this holds in any order, for one missing name (seen on tuning fonts in a
    reversed order: a label read as another's, and a misread label above its value)."""
    used = {box for boxes in sources.values() for box in boxes}
    left = []
    for line in unnamed:
        boxes = line.row or [*line.label, *line.value]
        if not boxes or used & set(boxes):
            continue
        crop = _crop(grey, boxes)
        if _glyphs.looks_like_digits(_glyphs.measure(crop)) or _heading(_tess.read_rtl(crop)[0]):
            continue
        left.append(line)
    if len(left) == 1:  # a label read as another's keeps its value; an unread one is cut off
        if left[0].label:
            return left[0].value
        return _unread_label(left[0], lines).value if len(left[0].row) >= 2 else []
    upper, lower = left if len(left) == 2 else (None, None)
    if upper and lower and len(upper.row) == 1 and lines.index(lower) == lines.index(upper) + 1:
        return lower.row
    return []


def _heading(text: str) -> bool:
    words = normalize_persian(text).split()
    return sum(any(name_similarity(w, t) >= _LABEL_CUT_MATCH for t in _TITLE_WORDS) for w in words) >= 2


def _labelled_rows(grey: np.ndarray, look: _Look | None = None) -> list[_Line]:
    """Rows top to bottom, each with the label it reads as: the label right of its value
    (Persian order) or left of it, alone on its line above the value (the value is then
    the next row), or joined to the value where no colon and a narrow gap left one blob
    (cut at its word gaps). Ink is found on the card as captured (``look``; adaptive
    thresholding is local already) and read from ``grey`` under even light: ink found
    on the evened card lost whole rows of blurred low-resolution cards (tuning fonts,
    32 low-resolution cards, seed 77: first names 22 → 30 right, last names 25 → 29,
    birth dates 18 → 21; 40 tuning cards, seed 5: 215 → 213 fields right)."""
    ink = _ink(grey) if look is None else look.ink
    rows = _rows(_blobs(ink) if look is None else look.blobs)
    text_height = statistics.median(b[3] for row in rows for b in row) if rows else 0.0
    split: dict[int, _Line] = {}  # each row split once (a label's OCR is the costly part)

    def split_row(i: int) -> _Line:
        if i not in split:
            split[i] = _split_row(grey, ink, rows[i])
        return split[i]

    def pair(stacked: bool) -> tuple[list[_Line], int]:
        out: list[_Line] = []
        taken: set[int] = set()
        for i in range(len(rows)):
            if i in taken:
                continue
            line = split_row(i)
            if (
                line.key is not None
                and (not line.value or stacked or _specks(line, text_height))
                and i + 1 < len(rows)
            ):
                # A label alone on its line: its value is printed under it, in its column. A
                # row between them with nothing under the label is a speck of the photo beside.
                j = next(
                    (j for j in (i + 1, i + 2)[: len(rows) - i - 1] if _under(line.label, rows[j])), i + 1
                )
                # (a value on the label's own row gives way only to the row right under it)
                beside = _under(line.label, rows[j]) and (j == i + 1 or not stacked)
                below = split_row(j).key is None and (not line.value or beside)
                if j not in taken and below:
                    value = _chain(rows[j])
                    under = [b for b in rows[j] if _overlap(line.label, b)]
                    if under and under[0] not in value:  # the chain began at a speck beside the value
                        value = _chain(rows[j][rows[j].index(under[0]) :])
                    line = _Line(line.key, line.label, value, False, line.score)
                    taken.add(j)
            out.append(line)
        return out, len(taken)

    out, under_labels = pair(stacked=False)
    if under_labels >= _STACKED_ROWS and under_labels * 2 > sum(1 for line in out if line.key):
        # Most labels here are printed above their values: so is one that found ink on its
        # own row first (text-sized blobs of a shaded photo beside a left label, tuning
        # face noto-sans: the first name read from the photo while its row went unlabelled).
        out, _ = pair(stacked=True)
    # A label read twice (the title's last word ملی is like کد ملی): the likelier one keeps it.
    for line in out:
        if line.key and any(
            o.key == line.key and (o.score, -out.index(o)) > (line.score, -out.index(line))
            for o in out
            if o is not line
        ):
            line.key = None
    return _column_labels(out)


_COLUMN_SLACK = 10  # px: labels printed at one x (right- or left-aligned) end this near it
_COLUMN_ROWS = 3  # rows ending at one x: a column of labels, not chance
_UNREAD_COLUMN_ROWS = 4  # ... when no label was read to say where: most of the six (twice, stacked)
_WIDER = 1.15  # each name label at least this much wider than the shorter one (نام < نام پدر < نام خانوادگی)
_WIDTH_RANK = ("first_name", "father_name", "last_name")


def _outer_edge(boxes: Row, right: bool) -> int:
    return max(b[0] + b[2] for b in boxes) if right else min(b[0] for b in boxes)


def _column_labels(lines: list[_Line]) -> list[_Line]:
    """Rows whose label OCR could not read, found by the card's layout: labels are
    printed in a column, each at one x (right-aligned beside their values in Persian
    order, or left-aligned), so a row whose outer blob ends where the read labels end has
    its label there even when a display face (Ruqaa, heavy faces) reads as nothing like
    it. Such a row is split into that blob and its value, still unnamed: its value's
    shape (a date, ten digits) or the labels' widths name it later (``_unlabelled_digits``,
    ``_names_by_width``). Read against the whole row before, the label's letters hid the
    value's digits and the row was lost. The column's side and x come from the read
    labels (at least one), and it must hold ``_COLUMN_ROWS`` rows: a value or the title
    ending there by chance is one row, not a column."""
    read = [line for line in lines if line.key and line.label]
    rows = [line.row or [*line.label, *line.value] for line in lines]
    # A blob over twice the card's text height is not text of a row (the photo's edge,
    # which blur joins into blobs beside the labels): left in, it stood at the row's end
    # where the column is looked for, and a row whose label went unread was lost.
    heights = [b[3] for r in rows for b in r]
    tall = _VALUE_TALL * statistics.median(heights) if heights else 0.0
    rows = [[b for b in r if b[3] <= tall] for r in rows]
    sides = []
    for right in (True, False):  # the side whose edge more rows share
        if read:
            edges = [statistics.median(_outer_edge(line.label, right) for line in read)]
        else:  # no label read at all: the x most rows end at (of a label and a value, or any)
            edges = [_outer_edge(r, right) for r in rows if r]
        for edge in edges:
            at = [bool(r) and abs(_outer_edge(r, right) - edge) <= _COLUMN_SLACK for r in rows]
            pairs = sum(a and len(r) >= 2 for a, r in zip(at, rows, strict=True))
            first = sum(line.label_first for line in read) * 2 >= len(read)  # Persian order on a tie
            sides.append((pairs if not read else sum(at), sum(at), right == first, right, at))
    count, _, _, right, at_edge = max(sides, default=(0, 0, False, True, []))
    stacked = sum(map(_stacked, read)) * 2 > len(read) if read else count < _UNREAD_COLUMN_ROWS
    if not read and stacked:  # no row of a label and a value: labels above values, twice the rows
        alone = max(sides, key=lambda side: side[1:], default=(0, 0, False, True, []))
        count, right, at_edge = alone[1], alone[3], alone[4]
    if count < (_COLUMN_ROWS if read else 2 * _UNREAD_COLUMN_ROWS if stacked else _UNREAD_COLUMN_ROWS):
        return lines
    unread = [line.key is None and at for line, at in zip(lines, at_edge, strict=True)]
    if stacked:
        return _stacked_pairs(lines, unread)
    out = []
    for line, is_unread, text in zip(lines, unread, rows, strict=True):
        if is_unread and line.row and len(text) >= 2:
            ordered = text if right else text[::-1]
            out.append(_Line(None, ordered[:1], _chain(ordered[1:], ordered[0]), right, in_column=True))
        else:
            out.append(line)
    return out


def _stacked(line: _Line) -> bool:
    """Whether a read label's value was found on the row under it."""
    return bool(line.value) and min(b[1] for b in line.value) > max(b[1] + b[3] / 2 for b in line.label)


def _stacked_pairs(lines: list[_Line], unread: list[bool]) -> list[_Line]:
    """On a card printed label above value, the unread rows of the labels' column come in
    pairs, each an unread label and the value under it: each run of them between read
    labels is paired from its top, when it holds pairs only (an odd run has a row too
    many or too few, and pairing it could shift every value by a row)."""
    out: list[_Line] = []
    run: list[_Line] = []
    for line, is_unread in [*zip(lines, unread, strict=True), (None, False)]:
        if is_unread and line is not None:
            run.append(line)
            continue
        if run and len(run) % 2 == 0:
            for label, value in zip(run[::2], run[1::2], strict=True):
                out.append(_Line(None, label.row, _chain(value.row), False, in_column=True))
        else:
            out.extend(run)
        run = []
        if line is not None:
            out.append(line)
    return out


def _names_by_width(
    grey: np.ndarray, lines: list[_Line], missing: list[str], used: set[Box]
) -> dict[str, Row]:
    """The names no label was read for, from rows whose unread label the column found
    (``_column_labels``): the three name labels differ in length in any face (نام, نام
    پدر, نام خانوادگی), so when as many such rows of letters are left as names are
    missing, the narrowest label is the first name's and the widest the surname's. Only
    when every name label on the card, read or not, keeps that order by its width with
    room to spare; else nothing (a label joined to its value is as wide as a surname's).
    Rows whose value is digits are a digit field's, unread (``_unlabelled_digits`` could
    not make a code or a date of them), not a name's."""
    rows = [
        line
        for line in lines
        if line.in_column
        and line.key is None
        and line.value
        and not used & set(line.value)
        and not _glyphs.looks_like_digits(_glyphs.measure(_crop(grey, line.value)))
    ]
    # A stacked pair whose label row held no blob of its own has no label to measure
    # (development, Aref Ruqaa blurred, stacked: ``_width`` of nothing raised ValueError).
    if not rows or len(rows) != len(missing) or not all(line.label for line in rows):
        return {}
    rows.sort(key=lambda line: _width(line.label))
    given = dict(zip([k for k in _WIDTH_RANK if k in missing], rows, strict=True))
    named = {line.key: line for line in lines if line.key in _WIDTH_RANK and line.label}
    ranked = [({**named, **given}.get(k)) for k in _WIDTH_RANK]
    widths = [_width(line.label) for line in ranked if line is not None]
    if any(b < _WIDER * a for a, b in itertools.pairwise(widths)):
        return {}
    return {key: line.value for key, line in given.items()}


def _width(boxes: Row) -> int:
    return max(b[0] + b[2] for b in boxes) - min(b[0] for b in boxes)


def _specks(line: _Line, text_height: float) -> bool:
    """Whether the value found on a label's row is only ink much shorter than the label: a
    speck of the photo beside a label printed above its value (noto-naskh, blurred,
    stacked: an 18 px blob 150 px from a 29 px label took the row below's surname's place).
    Then the row below is looked at as for a label alone, the speck kept if it holds none.
    The label's height is capped at the card's typical blob (``text_height``): a face
    with long descenders (Ruqaa's خانوادگی, 48 px beside a 30 px name) made the name
    a speck, and the row below was taken for its value."""
    height = min(max(b[3] for b in line.label), text_height)
    return all(b[3] < _VALUE_SHORT * height for b in line.value)


def _overlap(label: Row, blob: Box) -> bool:
    return max(b[0] + b[2] for b in label) > blob[0] and blob[0] + blob[2] > min(b[0] for b in label)


def _under(label: Row, row: Row) -> bool:
    """Whether any blob of ``row`` shares columns with the label (is printed under it)."""
    return any(_overlap(label, blob) for blob in row)


def _split_row(grey: np.ndarray, ink: np.ndarray, row: Row) -> _Line:
    # The label is the rightmost blob (Persian order) or the leftmost; failing both, the
    # next ones in (a speck of the photo's edge can be the leftmost blob of a row). A
    # blob only fairly like a label may be a label and its value joined ("نام خانوادگی
    # نیک‌نام" is 0.65 like نام خانوادگی): cut at its word gaps first.
    fair: _Line | None = None
    for i in dict.fromkeys(j % len(row) for j in (0, -1, 1, -2)):
        score, key, text = _blob_label(grey, [row[i]], try_larger=i in (0, len(row) - 1) and row[i][3] < 28)
        if key is not None:
            lo, hi, score, key = _whole_label(grey, row, i, score, key, text)
            left, right = _chain(row[hi + 1 :], row[hi]), _chain(row[lo - 1 :: -1] if lo else [], row[lo])
            # the value is on the longer side
            line = (
                _Line(key, row[lo : hi + 1], left, True, score)
                if sum(b[2] for b in left) >= sum(b[2] for b in right)
                else _Line(key, row[lo : hi + 1], right, False, score)
            )
            if score >= _PIECE_MATCH or line.value:
                return line
            fair = fair or line
    for first, blob in ((True, row[0]), (False, row[-1])):
        pieces = _pieces(ink, blob) if first else _pieces(ink, blob)[::-1]
        best: tuple[float, int, str | None] = (0.0, 0, None)
        for k in range(1, min(3, len(pieces) - 1) + 1):
            score, found = _label_match(_tess.read_rtl(_crop(grey, pieces[:k], binary=False))[0])
            if found is not None and (score, k) > best[:2]:
                best = (score, k, found)
        if best[0] >= _PIECE_MATCH and not _prefix_of(best[2], fair):
            score, k, key = _label_goes_on(grey, pieces, best)
            rest = _chain(row[1:] if first else row[-2::-1], blob)
            return _Line(key, pieces[:k], [*pieces[k:], *rest], first, score)
        if len(row) == 1:
            break
    return fair or _Line(None, [], _chain(row), False, row=row)


def _whole_label(
    grey: np.ndarray, row: Row, i: int, score: float, key: str, text: str
) -> tuple[int, int, float, str]:
    """The label's blobs ``row[lo : hi + 1]`` around ``row[i]``, which read as one word
    like a label: a face with wide word gaps prints a two-word label as two blobs, and
    its first word alone is a label too (نام of نام خانوادگی and نام پدر; خانوادگی alone
    is 0.73 like its label), which took the second word for the value and lost the row.
    So the word is read with each neighbour, and the pair wins when it is a label at
    least as surely and a longer one (or the same, surer). A colon ends a label: then
    there is nothing to join."""
    if ":" in text or len(normalize_persian(text).split()) != 1:
        return i, i, score, key
    best = (i, i, score, key)
    for lo in (i - 1, i):  # with the blob right of it, then left of it (rows run right to left)
        if lo < 0 or lo + 1 >= len(row):
            continue
        pair_score, pair_key, _ = _blob_label(grey, row[lo : lo + 2])
        if pair_key is None or pair_score < _PIECE_MATCH:
            continue
        longer = len(_WORDS[pair_key]) > len(_WORDS[best[3]]) and pair_score >= best[2]
        if longer or (pair_key == best[3] and pair_score > best[2]):
            best = (lo, lo + 1, pair_score, pair_key)
    return best


def _label_goes_on(
    grey: np.ndarray, pieces: Row, best: tuple[float, int, str | None]
) -> tuple[float, int, str | None]:
    """The label cut from a blob's first ``k`` pieces, or a longer one that starts with
    it when the next piece reads as that label's next word: a value never reads as a
    label's own word, so "نام" then "پدر" is نام پدر with its value after it (or on the
    row below), not نام with the value "پدر"."""
    score, k, key = best
    if key is None or k >= len(pieces):
        return best
    words = _WORDS[key]
    longer = [(other, whole[len(words)]) for other, whole in _WORDS.items() if _prefix_of(key, other)]
    if not longer:
        return best
    following = normalize_persian(_tess.read_rtl(_crop(grey, pieces[k : k + 1], binary=False))[0]).strip(" :")
    for other, word in longer:
        if name_similarity(following, word) >= _LABEL_CUT_MATCH:
            return score, k + 1, other
    return best


def _prefix_of(key: str | None, fair: _Line | str | None) -> bool:
    """Whether the label ``key`` is the first words of another (a key, or the label the
    whole blob was fairly like): a two-word label misread (نام خانوادگی as "نام خشواکی",
    0.64) is cut at its word gap into نام, a label too, and its second word taken for
    the value."""
    other = fair.key if isinstance(fair, _Line) else fair
    if key is None or other is None:
        return False
    words, whole = _WORDS[key], _WORDS[other]
    return len(words) < len(whole) and whole[: len(words)] == words


def _blob_label(grey: np.ndarray, boxes: Row, *, try_larger: bool = False) -> tuple[float, str | None, str]:
    readings = [_crop(grey, boxes), _crop(grey, boxes, binary=False)]
    # Otsu on a small crop of the lighter, thinner label ink can break a letter (the
    # alef of نام) and fas then reads nothing; the grey crop often reads. Small print
    # (a label above its value) reads better twice as large.
    if try_larger:
        readings.append(cv2.resize(readings[1], None, fx=2, fy=2, interpolation=cv2.INTER_CUBIC))
    for crop in readings:
        text = _tess.read_rtl(crop)[0]
        score, key = _label_match(text)
        if score >= _LABEL_MATCH and key is not None:
            return score, key, text
    return 0.0, None, ""


def _pieces(ink: np.ndarray, blob: Box) -> Row:
    """A blob cut at its word gaps (a quarter of its height or wider), right to left: a
    label and its value joined where no colon kept them apart."""
    x, y, w, h = blob
    cols = ink[y : y + h, x : x + w].any(axis=0)
    gap_min = max(4, h // 4)
    pieces: Row = []
    start, blank = None, 0
    for i, on in enumerate(np.concatenate([cols, np.zeros(gap_min, bool)])):
        if on:
            start = i if start is None else start
            blank = 0
        elif start is not None:
            blank += 1
            if blank >= gap_min:
                pieces.append((x + start, y, i - blank + 1 - start, h))
                start, blank = None, 0
    return sorted(pieces, key=lambda b: -b[0])


def _named_and_rest(rows: list[_Line]) -> tuple[list[tuple[str, _Line]], list[_Line]]:
    """The rows a label names (read or by elimination, ``_by_order``), top to bottom,
    and the rest. A row named by elimination is not among the rest: read again as an
    unlabelled row of digits, its date made a second candidate and kept the missing
    expiry date from being filled in."""
    names = _names_by_order(rows)
    named = [(names[i], rows[i] if rows[i].key else _unread_label(rows[i], rows)) for i in sorted(names)]
    return named, [line for i, line in enumerate(rows) if i not in names]


def _by_order(rows: list[_Line]) -> list[tuple[str, _Line]]:
    """The named rows of ``_named_and_rest``."""
    return _named_and_rest(rows)[0]


def _names_by_order(rows: list[_Line]) -> dict[int, str]:
    """Labels OCR could not read, named by elimination: a short label (نام) in a light
    font is misread a few times in a hundred (as و or 3), while the rows above and below
    read fine. A label the card's order (``LABELS``) puts between two read neighbours is
    given to the only unread row between them; the first label (کد ملی, read as دمن on a
    Nazli card) to the unread row right above its read neighbour, the last one to the
    unread row right below. Only on a card whose read labels keep that order: on a card
    printed in another order it would name rows wrongly."""
    order = list(LABELS)
    found = {line.key: i for i, line in enumerate(rows) if line.key}
    named = {i: key for key, i in found.items()}
    if sorted(found, key=found.__getitem__) != [k for k in order if k in found]:
        return named
    for j, key in enumerate(order):
        above = found.get(order[j - 1]) if j > 0 else None
        below = found.get(order[j + 1]) if j + 1 < len(order) else None
        if key in found:
            continue
        if above is not None and below is not None:
            candidates = range(above + 1, below)
        elif j == 0 and below is not None:
            candidates = range(below - 1, below) if below > 0 else range(0)
        elif j == len(order) - 1 and above is not None:
            candidates = range(above + 1, min(above + 2, len(rows)))
        else:
            continue
        unread = [i for i in candidates if rows[i].key is None]
        if len(unread) == 1:
            named[unread[0]] = key
    return named


def _unread_label(line: _Line, rows: list[_Line]) -> _Line:
    # A row named by elimination has its label too, unread: on the side where this
    # card's read labels are (its digits would otherwise be read with the label's letters).
    row = line.row
    if len(row) < 2:
        return line
    first = sum(r.label_first for r in rows if r.key) * 2 >= sum(1 for r in rows if r.key)
    return (
        _Line(None, [row[0]], _chain(row[1:], row[0]), True)
        if first
        else _Line(None, [row[-1]], _chain(row[-2::-1], row[-1]), False)
    )


def _gap(a: Box, b: Box) -> int:
    return max(a[0] - (b[0] + b[2]), b[0] - (a[0] + a[2]))


def _chain(blobs: Row, label: Box | None = None) -> Row:
    """The value: the chain of blobs from the label outwards (``blobs`` in that order),
    each near the previous one; the first within a column's reach of the label (not
    the photo across the card). A value is printed about as tall as its label: a blob
    over ``_VALUE_TALL`` times the label's height is not text of its line (the photo's
    edge, which a blurred low-resolution card joins into text-sized blobs beside a
    label printed alone above its value)."""
    if label is not None:
        tall = [i for i, b in enumerate(blobs) if b[3] > _VALUE_TALL * label[3]]
        blobs = blobs[: tall[0]] if tall else blobs
    if not blobs or (label is not None and _gap(label, blobs[0]) > _VALUE_REACH):
        return []
    chain = blobs[:1]
    for blob in blobs[1:]:
        if _gap(chain[-1], blob) > 90:
            break
        chain.append(blob)
    return chain


def _decoded(digit_lines: dict[str, tuple[str, list[_tess.Symbol]]]) -> dict[str, fields.Field]:
    """The code and dates, decoded together: their glyphs share one font and vouch for
    each other's near-ties (``_glyphs.confirm_by_peers``). Each from its glyphs as
    confirmed, not the text read before: the card's print may relabel a glyph (a short
    ring is the card's ۰, not ۵: ``_glyphs._short_rings``), and a date whose separators
    went unseen is split from its text (development, Lalezar, spaces: 1338/03/07 shown
    as 1338/53/57 though its glyphs said ۰)."""
    keys = list(digit_lines)
    confirmed = _glyphs.confirm_by_peers([digit_lines[k][1] for k in keys])
    return {key: _decode(key, symbols) for key, symbols in zip(keys, confirmed, strict=True)}


def _decode(key: str, symbols: list[_tess.Symbol]) -> fields.Field:
    if key == "national_code":
        return fields.national_code_field(symbols)
    return fields.date_field(symbols, "".join(s.text for s in symbols), _YEARS[key])


def _read_name(crop: np.ndarray, with_label: np.ndarray | None, key: str) -> fields.Field:
    # Tesseract's reading of a blurred name changes with scale (the dots that tell ب, پ
    # and ی apart). Read at a few scales and keep the value with the largest summed
    # confidence: a vote, so one confident misreading does not win (seed 7, 300 names:
    # 290 right keeping the single most confident of 1.0/0.8/0.7, 297 with this vote).
    # A lone word lacks context: fas reads a lone محمد as محه in Titr and Noto Naskh,
    # but "نام پدر: محمد" right; so the row with its label votes too at the same scales,
    # label cut off (seed 11, 600 names: 18 wrong or lost before, 8 after; weighting
    # the row's readings double was worse, 12).
    # The value's confidence is the median of its own crops' readings: a labelled
    # reading's confidence is the whole row's, and a badly read label (0.06 for "نام:" on
    # the demo card) says nothing about the name after it; a median, because one scale
    # can read the right name unsure (0.32 among 0.83–0.90 for زهرا on a sample card).
    # Before the vote this was the single most confident reading, which the median never exceeds.
    # A second pass, larger, where no reading of the winner was letters alone: a name has
    # no punctuation, so "(ضا" is a glyph misread (Homa's ر, which fas reads at full size
    # and larger), and cleaning the "(" off made it a confident wrong name. Then only the
    # readings that are letters alone vote, if any (dev faces Homa and Nazli bold, not
    # tuned before, 224 names: 207 -> 212 right; tuning fonts 291 names: 282, unchanged).
    # Where fas's own readings disagree, the larger model reads the name at the same scales
    # and all readings vote: the two err apart (development crops of the tuning and
    # training faces, 367 names: fas 314, the larger alone 315, this 324; asking it for
    # every name also 324, at twice the CPU).
    # A name the larger model changed is less sure than the readings that won it: its
    # confidence is then the median over every reading of its own crop, one of another
    # name counting 0 (a card blurred past reading: the larger model's four readings of a
    # wrong surname at 0.84 outvoted fas's scattered ones, and the registration trusted
    # it). Where fas's choice stands, its own readings' confidence stands too (development
    # crops, names at 0.8 or more: right 199 -> 200, wrong 9 -> 6; the former rule for
    # every contested name, right 189, wrong 5).
    weighted = _weighted_readings(crop, with_label, key, "fas")
    fas_alone = list(weighted)
    second = _tess.second_fas()
    asked = bool(second) and len({r.value for r, *_ in weighted}) > 1
    if second and asked:
        weighted += _weighted_readings(crop, with_label, key, second)
    best = _vote(weighted)
    if not any(ok for *_, ok in best):
        weighted += [(r, 1.0, False, ok) for r, ok in _name_readings(crop, _LARGER_SCALES)]
        best = _vote([w for w in weighted if w[3]] or weighted)
    own = [r.confidence for r, _, labelled, _ in best if not labelled] or [r.confidence for r, *_ in best]
    won = best[0][0].value
    if asked:
        if won == _vote(fas_alone)[0][0].value:
            own = [r.confidence for r, _, labelled, _ in fas_alone if not labelled and r.value == won] or own
        else:
            own = [
                r.confidence if r.value == won else 0.0 for r, _, labelled, _ in weighted if not labelled
            ] or own
    return dataclasses.replace(best[0][0], confidence=statistics.median(own))


_Reading = tuple[fields.Field, float, bool, bool]  # the name read, its weight, with its label, letters alone


def _weighted_readings(
    crop: np.ndarray, with_label: np.ndarray | None, key: str, lang: str
) -> list[_Reading]:
    weighted = [(r, 1.0, False, ok) for r, ok in _name_readings(crop, _NAME_SCALES, lang)]
    if with_label is not None:  # only where the label comes first on the value's line
        weighted += [
            (r, _LABELLED_WEIGHT, True, ok) for r, ok in _labelled_readings(with_label, LABELS[key], lang)
        ]
    return weighted


def _vote(weighted: list[_Reading]) -> list[_Reading]:
    votes: dict[str | None, list[_Reading]] = {}
    for reading in weighted:
        votes.setdefault(reading[0].value, []).append(reading)
    return max(votes.values(), key=lambda rs: (rs[0][0].valid, sum(r.confidence * w for r, w, *_ in rs)))


def _letters_alone(text: str) -> bool:
    """Whether a name's reading is letters, marks and spaces only (a label's colon aside)."""
    return all(ch in ": " or unicodedata.category(ch) in ("Lo", "Mn", "Cf") for ch in text.strip())


def _name_readings(
    crop: np.ndarray, scales: tuple[float, ...], lang: str = "fas"
) -> list[tuple[fields.Field, bool]]:
    readings = []
    for scale in scales:
        interpolation = cv2.INTER_AREA if scale < 1 else cv2.INTER_CUBIC
        text, conf = _tess.read_rtl(
            cv2.resize(crop, None, fx=scale, fy=scale, interpolation=interpolation), lang
        )
        readings.append((fields.name_field(text, conf), _letters_alone(text)))
    return readings


def _labelled_readings(row: np.ndarray, label: str, lang: str = "fas") -> list[tuple[fields.Field, bool]]:
    out = []
    for scale in _LABELLED_SCALES:
        scaled = cv2.resize(row, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
        text, conf = _tess.read_rtl(scaled, lang)
        value = _after_label(text, label)
        if value:
            out.append((fields.name_field(value, conf), _letters_alone(value)))
    return out


def _after_label(text: str, label: str) -> str | None:
    """The words after ``label`` in a row's reading, None when the row does not start
    with it and its colon. The label is cut by its known words, not only at a ":": fas
    reads the small colon as ز, ن or ؛ joined to the label now and then ("نام پدرز
    محمد"), and requiring ":" threw those rows' readings away, leaving the lone word's
    misreading (محه for محمد) to win. Where no colon shows at all ("نام ,لمیر") it went
    into the value's first letter: that reading is not used."""
    words = text.replace(":", " : ").split()
    count = len(label.split())
    head, rest = words[:count], words[count:]
    if len(head) == count and rest:
        whole = name_similarity(" ".join(head), label)
        joined = name_similarity(" ".join([*head[:-1], head[-1][:-1]]), label)
        if whole >= _LABEL_CUT_MATCH and not _LETTER.search(rest[0]):  # ":" or ؛ . on its own
            rest = rest[1:]
        elif not (joined >= _LABEL_CUT_MATCH and joined > whole):  # nor a colon joined to the label
            rest = []
        while rest and not _LETTER.search(rest[0]):
            rest = rest[1:]
        if rest:
            return " ".join(rest)
    # a misread label (تام: for نام:) still ends at its colon when one was read
    return (text.split(":")[1].strip() or None) if text.count(":") == 1 else None
