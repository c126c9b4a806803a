"""From per-glyph scores to MRZ lines: each position's alphabet, the document's own print,
then the check digits.

Input: for each line, one OCR-B cell per character with its similarity to every MRZ
character (``_ocrb``). Each position admits a known set (ICAO 9303-3..7): the document
code's first letter is ``P``, ``I``, ``A``, ``C`` or ``V``; dates and check digits are
digits; state codes and names letters; sex ``M``, ``F``, ``X`` or ``<``; the document
number and optional data mix both. A position of one kind takes its best-scoring allowed
character. Where digits and letters mix, the shapes that check digits cannot separate
(``0``/``O``, ``8``/``B``, ``2``/``Z``, ``6``/``G``...) are told apart by the image, not
by a rule: the glyph is compared with the glyphs of this same document whose class its
position already fixed (a ``0`` of a date, an ``O`` of a name: one font, one print), and
with the OCR-B templates where the document holds no such glyph; and by its height, the
one cue the square-scaled shape drops: OCR-B prints digits taller than capitals (0 7 %
taller than O, 8 12 % than B), and the document's own glyphs of known class give the
scale at each place (``size_misfits``); and where the close readings are look-alikes
(``LOOKALIKES``: G/6/C, O/0/Q/D, B/8, Z/2, S/5, I/1, in names too), by the glyph drawn
in OCR-B at its line's scale against the cell's grey (``_by_drawing``), on a line whose
own glyphs of fixed class that drawing reads right: a drawing that does not back the
reading leaves the glyph unclear (shown, never valid). A field that
fails its check digit as read takes the best-scoring reading that passes it by changing
one glyph the image left open (a rival within ``_OPEN``); otherwise it stays as the
image reads it and fails: never made valid by force, a clear glyph never changed to suit
a misprinted check digit. The readings within ``MARGIN`` that pass too are its rivals
(they make it unsure). No check digit covers a state code: there the list of codes
(``mrz_states``) settles a glyph the image leaves open when one close reading alone is a
code, and digits printed plainly where a code belongs are read as printed
(``_by_state_codes``).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from functools import lru_cache
from typing import NamedTuple

import numpy as np

from kyc_sdk.errors import InvalidIdentifier
from kyc_sdk.identifiers import mrz as mrz_id

from . import _ocrb, mrz_states
from ._ocrb import ALPHABET, Cell

LENGTHS = {44: 2, 36: 2, 30: 3}
DIGITS = "0123456789"
_AT = {c: i for i, c in enumerate(ALPHABET)}  # a character's column in a cell's scores
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
MARGIN = 0.06  # similarity below the best at which a character is still a reading
MIN_LINE_LIKENESS = 0.65  # median glyph likeness to its nearest template, poorest line
# A glyph is open to a check digit's choice when a rival is within half the margin (the
# decoder's own "clear" line for a digit-or-letter glyph; the page's print and the glyph
# heights lower a rival they speak against to exactly this gap, so it stays open)
_OPEN = MARGIN / 2 + 1e-4
# A glyph that kept less than this share of its zone's ink-to-paper contrast was washed
# by glare (tuning pages: every glyph of an unlit page kept 0.94 or more; the glyphs
# misread surely under glare spots kept 0.06 and 0.47)
FAINT = 0.6
# Characters whose OCR-B shapes lie near each other and that no check digit separates
# (G/6 differ by ten; the same swap twice at weights 7 and 3 passes), where letters and
# digits mix, and in names (O/Q/D, C/G): only the glyph's image may decide between them
LOOKALIKES = ("G6C", "O0QD", "B8", "Z2", "S5", "I1")
_LOOKALIKE_GROUP = {c: group for group in LOOKALIKES for c in group}


def lookalike(a: str, b: str) -> bool:
    """Whether ``a`` and ``b`` are two characters of one group of ``LOOKALIKES``."""
    return a != b and a in _LOOKALIKE_GROUP and _LOOKALIKE_GROUP[a] == _LOOKALIKE_GROUP.get(b)


UNCHECKED_MARGIN = 0.05  # best minus second allowed score, where no check digit can help
_MAX_FLIPS = 8  # ambiguous positions searched per field (2^8 readings at most)
_SURE_PEER = 0.85  # a glyph this like its allowed best is an example of the document's print
_PEER_LIKE = 0.93  # at most this alike must two glyphs of one class on one document be
_PEER_SLACK = 0.02
_PEER_CLEAR = 0.03  # how much more like its winner's print a glyph is for a strong decision
# A glyph's height fits a class when within this many spreads of it, and rules out the
# other class when that one misfits by this many more, half as much per glyph where a
# wrong reading needs two swaps (digit/letter twins on the 20 dev scans: a true glyph
# misfit by at most 4.8 more than its twin, once in 409; 114 of them told apart at 5;
# none wrong on 40 generated OCR-B pages)
_SIZE_FITS = 2.5
_SIZE_CLEAR = 5.0
# A print's digits may differ from the font's relative to its capitals by this factor
# (log) at most: OCR-B prints measured within 0.04 (the dev scans and generated pages),
# two other monospaced faces mostly 0.05 to 0.12 off (digits no taller than capitals)
_SIZE_PRINT = 0.04
# and its glyphs must be OCR-B's by shape: the median glyph's likeness to its nearest
# template (OCR-B prints 0.87-0.98 on the dev scans, 0.96 generated; two other
# monospaced faces 0.75-0.91)
_SIZE_SHAPE = 0.93


def allowed(kind: str, visa: bool) -> list[list[str]]:
    """Per line, per position, the characters ICAO admits there (the document code's
    second character is the issuer's choice: a digit is seen, as in "C1")."""
    width = {"TD3": 44, "TD2": 36, "TD1": 30}[kind]
    name = LETTERS + "<"
    mixed = LETTERS + DIGITS + "<"
    # a document number is printed from its field's first place, fillers after it: that
    # place holds a character (a filler and a 0 are one value to its check digit)
    number = LETTERS + DIGITS
    if kind == "TD1":
        one = ["ACI", mixed, name, name, name, number] + [mixed] * 8 + [DIGITS + "<"] + [mixed] * 15
        two = [DIGITS] * 7 + ["MFX<"] + [DIGITS] * 7 + [name] * 3 + [mixed] * 11 + [DIGITS]
        return [one, two, [name] * 30]
    first = ["PIACV", mixed] + [name] * (width - 2)
    check_end = 42 if kind == "TD3" else 35
    second = [number] + [mixed] * 8 + [DIGITS + "<"] + [name] * 3 + [DIGITS] * 7 + ["MFX<"] + [DIGITS] * 7
    if visa:
        second += [mixed] * (width - 28)
    elif kind == "TD3":
        second += [mixed] * 14 + [DIGITS + "<", DIGITS]
    else:
        second += [mixed] * (check_end - 28) + [DIGITS]
    return [first, second]


# (line, start, end) of the fields each check covers, by name of the check
_FIELDS = {
    "TD3": {"document_number": (1, 0, 10), "personal_number": (1, 28, 43)},
    "TD2": {"document_number": (1, 0, 10)},
    "TD1": {"document_number": (0, 5, 15)},
}
_REST = {"TD3": (1, 0, 44), "TD2": (1, 0, 36), "TD1": (0, 5, 30)}  # what the composite adds


def zone_of(cells: list[list[Cell]]) -> list[list[Cell]] | None:
    """The cells of the zone ``decode`` would read, or None where it would return None:
    what decides whether a rendering holds a whole zone (``Decoded.unseen`` is the zone's
    cells not ``seen``), in a thousandth of a decode's time."""
    zone = _zone_lines(cells)
    # A band cut across two lines, or print that is no MRZ, gives cells of the right count
    # that are like no OCR-B character (a dev scan's poorest line: 0.86 or more in its
    # zones, 0.57 or less in such cuts, whose check digits a search may still satisfy)
    if (
        zone is None
        or min(float(np.median([c.scores.max() for c in line])) for line in zone) < MIN_LINE_LIKENESS
    ):
        return None
    return zone


def decode(cells: list[list[Cell]]) -> Decoded | None:
    """The MRZ lines the cells hold and how sure they are, or None when the cells' shape
    is not an MRZ's."""
    zone = zone_of(cells)
    if zone is None:
        return None
    cells, width = zone, len(zone[0])
    kind = {44: "TD3", 36: "TD2", 30: "TD1"}[width]
    visa = cells[0][0].scores[_AT["V"]] >= cells[0][0].scores.max() - 1e-6 and kind != "TD1"
    sets = allowed(kind, visa)
    places = sets  # what each place allows, before the state codes are pinned
    misfits, honest = _height_fit(cells, sets)
    judged = _with_peers(cells, sets)
    scores = _by_size(sets, judged, misfits)
    # the heights pick the likelier reading; they vouch for it only where they still
    # decide with the fit's own uncertainty counted (``_height_fit``)
    vouched = _by_size(sets, judged, honest)
    by_height = {
        (r, c)
        for r, line in enumerate(scores)
        for c, s in enumerate(line)
        if s is not judged[r][c] and not np.array_equal(s, vouched[r][c])
    }
    misfits = honest
    for r, c in _filler_gaps(cells, sets):
        # a filler leads (still open to a check digit's choice: every character scores 0)
        scores[r][c] = scores[r][c].copy()
        scores[r][c][_AT["<"]] = MARGIN / 4
    scores, drawings = _by_drawing(cells, sets, scores)
    rows = [
        [_best(s, allowed_here) for s, allowed_here in zip(line, line_sets, strict=True)]
        for line, line_sets in zip(scores, sets, strict=True)
    ]
    lines = ["".join(row) for row in rows]
    # a settled state code is pinned: no check covers it, so no check's search may vary it
    lines, settled = _by_state_codes(lines, cells, scores, sets, kind)
    sets = [
        [lines[r][c] if (r, c) in settled else a for c, a in enumerate(line_sets)]
        for r, line_sets in enumerate(sets)
    ]
    fields = dict(_FIELDS[kind])
    if visa:
        fields.pop("personal_number", None)
    sure = ranked = True
    doubted: set[tuple[int, int]] = set()  # where a rival reading passes the same check
    for check, span in [*fields.items(), *([] if visa else [("composite", _REST[kind])])]:
        first = _passes(lines, check)
        lines, ok, rivals = _by_check(lines, scores, sets, span, check, misfits)
        sure, doubted, ranked = sure and ok, doubted | rivals, ranked and (ok or first)
    # No check digit covers names, state codes, sex or a visa's optional data: there a
    # glyph is sure only when it is clearly the character chosen (a small scan's M scored
    # N 0.78, M 0.75); the reader may ask another recogniser about the rest.
    # Judged on the templates alone: the page's own print decides a digit-or-letter tie
    # only where a check digit can vouch for it (the document code's second character
    # read 0 for O by its peers on a held-out specimen).
    unclear = [
        (r, c)
        for r, c in _unchecked(kind, visa)
        if (r, c) not in settled
        and not (_clear(cells[r][c].scores, sets[r][c]) and _clear(scores[r][c], sets[r][c]))
    ]
    # a digit-or-letter glyph that neither its template nor the page's own print told
    # apart from a rival: the same swap twice can pass a check digit (weights 7 and 3)
    unclear += [
        (r, c)
        for r, line_sets in enumerate(sets)
        for c, a in enumerate(line_sets)
        if _mixed(a) and (r, c) not in unclear and not _clear(scores[r][c], a, MARGIN / 2 - 1e-4)
    ]
    # the glyph drawn at its line's scale not backing the character read, after the checks
    drawn = {
        (r, c)
        for (r, c), drawing in drawings.items()
        if lines[r][c] in drawing and max(drawing.values()) - drawing[lines[r][c]] >= _DRAWN_DOUBT
    }
    unclear += sorted(
        (doubted | by_height | (drawn - settled) | crossed_positions(cells, lines, sets)) - set(unclear)
    )
    unclear += sorted(set(shown_padding_doubts(cells, lines)) - set(unclear))
    clear = {
        (r, c): lines[r][c]
        for r, line_sets in enumerate(sets)
        for c, a in enumerate(line_sets)
        if not _opened(scores[r][c], a)
    }
    faint = faint_positions(cells)
    unseen = [(r, c) for r, line in enumerate(cells) for c, cell in enumerate(line) if not cell.seen]
    faint += sorted(set(unseen) - set(faint))  # (a zone of unseen glyphs alone has no contrast)
    # Relit only where that may make a reading sure: with a digit-or-letter glyph in doubt
    # no reader's reading is sure (``mrz._readings``), and one faint glyph left keeps
    # every reading unsure (each split costs a glyph's reading again; glare pages hold dozens)
    mixed = {(r, c) for r, line_sets in enumerate(places) for c, a in enumerate(line_sets) if _mixed(a)}
    if faint and not set(unclear) & mixed and all_relit(cells, lines, places, faint):
        faint = []
    # a check passed over unseen glyphs was passed by guessing them: a line reader's
    # reading that passes as many ranks above it
    ranked = ranked and not unseen
    if sure and not unclear and not faint:
        # asked last, of a reading about to be sure only: it measures every glyph again
        unclear += sorted(washed_positions(cells, lines, sets))
    return Decoded(lines, sure and not unclear and not faint, ranked, unclear, clear, faint, unseen)


# The glyph drawn in OCR-B at its line's scale (``_ocrb.rendered_likeness``) against its
# look-alikes. Tuning pages (seeds 910-912, 1500 look-alike glyphs, one or two capture
# axes a page): the drawing was right on 99.3 % of them, wrong ones by at most 0.07 (a
# small glyph under glare, both drawings fitting it poorly); right ones led by 0.045 or
# more in 99 %. Where it leads the character read (after the check digits) by
# ``_DRAWN_DOUBT``, the image does not back the reading: the glyph is unclear. Where it
# leads the templates' choice by ``_DRAWN_CLEAR``, drawn like itself (``_DRAWN_LIKE``),
# it is the reading ahead of the check digits (the templates' choice stays open to
# them, as where the page's own print decides): seen on overprinted pages, a Z read 7,
# a D read O, a G read Q, each drawn like itself by 0.2 to 0.4 more. (At 0.1, a
# restored rendering of two glare-washed 0s drew O by 0.11 on seed 904: 00 read OO.)
_DRAWN_DOUBT = 0.03
_DRAWN_CLEAR = 0.15
_DRAWN_LIKE = 0.8
# The drawing is a witness only on a line whose print it reads right: on the glyphs whose
# position fixes their class (a date's 0, a name's O, D, G...), drawn against their look-alikes,
# at least ``_DRAWN_TRUSTED`` of ``_DRAWN_PROBES`` (and three at least) right by
# ``_DRAWN_DOUBT``. Real documents print other OCR-B cuts: on two development scans
# the dates' 0s were drawn O by 0.2, and the drawing turned their numbers' 0s to O.
_DRAWN_TRUSTED = 0.9
_DRAWN_PROBES = 12


def _caps(cells: list[list[Cell]]) -> list[float]:
    """Each line's capital height (px, the ink height of an E there): the median over
    its glyphs read clearly as something other than a filler of ink height over that
    character's own (``_ocrb.heights``)."""
    table = _ocrb.heights()
    out = []
    for line in cells:
        sizes = [
            (cell.bottom - cell.top + 1) / table[cell.best]
            for cell in line
            if cell.seen and cell.best != "<" and cell.scores.max() >= _SURE_PEER
        ]
        out.append(float(np.median(sizes)) if sizes else 0.0)
    return out


def _by_drawing(
    cells: list[list[Cell]], sets: list[list[str]], scores: list[list[np.ndarray]]
) -> tuple[list[list[np.ndarray]], dict[tuple[int, int], dict[str, float]]]:
    """Each glyph whose close readings (within ``2 * MARGIN``) include look-alikes
    (``LOOKALIKES``) compared with them drawn at the line's scale
    (``_ocrb.rendered_likeness``): the scores with the drawing's character on top where
    it clearly is another than the templates' (``_DRAWN_CLEAR``), and the likenesses
    by position (``decode`` doubts the glyphs whose drawing does not back the reading).
    The check digits
    cannot tell these apart (G/6 are ten apart; O/0 twice at weights 7 and 3 pass), the
    templates' square shapes drop the height and width that do (OCR-B's 0 is narrower
    and taller than its O), and the line readers share a bias (0 for O)."""
    out = [list(line) for line in scores]
    drawings: dict[tuple[int, int], dict[str, float]] = {}
    caps: list[float] | None = None
    for r, (line, line_sets) in enumerate(zip(cells, sets, strict=True)):
        trusted: bool | None = None
        for c, (cell, allowed_here) in enumerate(zip(line, line_sets, strict=True)):
            if not cell.seen:
                continue
            s = out[r][c]
            chosen = _best(s, allowed_here)
            top = float(s[_AT[chosen]])
            rivals = [
                ch for ch in allowed_here if lookalike(ch, chosen) and float(s[_AT[ch]]) >= top - 2 * MARGIN
            ]
            if not rivals:
                continue
            caps = caps if caps is not None else _caps(cells)
            trusted = trusted if trusted is not None else _drawing_reads_the_line(line, line_sets, caps[r])
            if not trusted:
                break
            drawn = _ocrb.rendered_likeness(cell, chosen + "".join(rivals), caps[r])
            if drawn is None:
                continue
            drawings[(r, c)] = drawn
            best = max(rivals, key=lambda ch: drawn[ch])
            if drawn[best] - drawn[chosen] >= _DRAWN_CLEAR and drawn[best] >= _DRAWN_LIKE:
                # as the page's own print decides (``_judged``): the drawing's character
                # on top, the templates' still open to a check digit
                s = s.copy()
                s[_AT[best]] = top
                s[_AT[chosen]] = top - MARGIN / 2
                out[r][c] = s
    return out, drawings


def _drawing_reads_the_line(line: list[Cell], line_sets: list[str], cap: float) -> bool:
    """Whether the line's glyphs whose position fixes their class, drawn against their
    look-alikes (``_ocrb.rendered_likeness``) at the line's scale, are read right
    (``_DRAWN_TRUSTED``): each line's scale is its own (a TD1's first line, its
    number's 0s drawn O, on a development scan whose other lines' 0s were drawn right)."""
    right = total = 0
    for cell, allowed_here in zip(line, line_sets, strict=True):
        if total >= _DRAWN_PROBES or _mixed(allowed_here) or not cell.seen:
            continue
        ch = _best(cell.scores, allowed_here)
        if ch not in _LOOKALIKE_GROUP or cell.scores[_AT[ch]] < _SURE_PEER:
            continue
        drawn = _ocrb.rendered_likeness(cell, _LOOKALIKE_GROUP[ch], cap)
        if drawn is None:
            continue
        total += 1
        right += all(drawn[ch] - v >= _DRAWN_DOUBT for other, v in drawn.items() if other != ch)
    return total >= 3 and right >= _DRAWN_TRUSTED * total


def _filler_gaps(cells: list[list[Cell]], sets: list[list[str]]) -> list[tuple[int, int]]:
    """(line, column) of the unseen glyphs (``Cell.seen``) whose nearest seen glyphs on
    either side are fillers: a run of fillers goes on through the gap (a name's fillers
    run to the line's end, a field's to its end), and a filler is what such a place holds
    far more often than any letter (without it an empty cell read A, the first letter)."""
    out = []
    for r, line in enumerate(cells):
        seen = [c for c, cell in enumerate(line) if cell.seen]
        for c, cell in enumerate(line):
            if cell.seen or "<" not in sets[r][c]:
                continue
            left = max((k for k in seen if k < c), default=None)
            right = min((k for k in seen if k > c), default=None)
            sides = [k for k in (left, right) if k is not None]
            if len(sides) == 2 and all(_best(line[k].scores, sets[r][k]) == "<" for k in sides):
                out.append((r, c))
    return out


def crossed_positions(
    cells: list[list[Cell]], lines: list[str], sets: list[list[str]]
) -> set[tuple[int, int]]:
    """(line, column) of the glyphs that, inked darker (``Cell.darker``: only print nearly
    as dark as their own ink), read another allowed character ahead of the one chosen
    by ``MARGIN``: lighter print crossed them (an overprint, a stamp, security print),
    and what the cell read was the two together. A check digit is no witness there (a
    P crossed by SPECIMEN's E read F, clearly; F and P differ by ten, which no check
    digit sees), so the glyph is in doubt."""
    out = set()
    for r, line in enumerate(cells):
        for c, cell in enumerate(line):
            darker = cell.darker
            if darker is None:
                continue
            chosen = float(darker[_AT[lines[r][c]]])
            if max(float(darker[_AT[x]]) for x in sets[r][c]) - chosen >= MARGIN:
                out.add((r, c))
    return out


# (line, first column) of the name field: a TD3's, a TD2's and a visa's first line after
# the code and state, a TD1's third line
NAME_FIELD = {44: (0, 5), 36: (0, 5), 30: (2, 0)}
PADDING_LIKE = 0.8  # a letter where the names' padding runs must look this much like OCR-B
PADDING_CHEVRON = 0.15  # and this much less like a filler's chevron


def padding_letters(lines: list[str]) -> list[tuple[int, int]]:
    """(line, column) of the letters the name field holds after its padding began: after
    a run of three fillers, or after a second ``<<`` (the first parts the surname from the
    given names). ICAO prints only fillers there, so such a letter is most often a filler
    something crossed (a dev glare page's last filler, overprinted, read N and was flagged
    valid: no check digit covers a name)."""
    row, start = NAME_FIELD[len(lines[0])]
    field = lines[row][start:]
    begun = next(
        (
            c
            for c in range(len(field))
            if field[:c].endswith("<<<") or ("<<" in field[: max(c - 2, 0)] and field[:c].endswith("<<"))
        ),
        len(field),
    )
    return [(row, start + c) for c in range(begun, len(field)) if field[c] != "<"]


def shown_padding_doubts(cells: list[list[Cell]], lines: list[str]) -> list[tuple[int, int]]:
    """The ``padding_letters`` whose glyph does not clearly show its letter: the cell's
    template likeness below ``PADDING_LIKE``, or the chevron within ``PADDING_CHEVRON`` of
    it. Judged on the cell's image alone, never on a list of names."""
    out = []
    for r, c in padding_letters(lines):
        scores = cells[r][c].scores
        letter = float(scores[_AT[lines[r][c]]])
        if letter < PADDING_LIKE or letter - float(scores[_AT["<"]]) < PADDING_CHEVRON:
            out.append((r, c))
    return out


OWN_LIKE = 0.8  # a rival read at the glyph's own light must look this much like OCR-B


def washed_positions(
    cells: list[list[Cell]], lines: list[str], sets: list[list[str]]
) -> set[tuple[int, int]]:
    """(line, column) of the glyphs that, split from their paper at their own light
    (``_ocrb.own_light``), read another allowed character ahead of the one chosen by
    ``MARGIN``: part of the glyph was lighter than the band's split (glare over a
    low-quality card back turned a name's M into I, read clearly and flagged valid; no
    check digit covers a name), so what the cell read was not the whole glyph."""
    out = set()
    for r, line in enumerate(cells):
        span = _line_span(line)
        for c in range(len(line)):
            own = None if span is None else _split_at(line, c, span)
            if own is None:
                continue
            read = lines[r][c]
            chosen = float(own[_AT[read]])
            # a look-alike is no rival here: split near the paper a glyph prints bolder,
            # and the square shape drops the height that tells 0 from O (the heights and
            # the page's own print decide those; a real scan's 0s read O at their light)
            rivals = [float(own[_AT[x]]) for x in sets[r][c] if x != read and not lookalike(x, read)]
            rival = max(rivals, default=0.0)
            if rival >= OWN_LIKE and rival - chosen >= MARGIN:
                out.add((r, c))
    return out


def _line_span(line: list[Cell]) -> tuple[float, float, float] | None:
    """A line's character pitch and the top and foot of its glyphs (None: too few seen)."""
    seen = [cell for cell in line if cell.seen]
    if len(seen) < 2:
        return None
    pitch = float(np.median(np.diff([cell.x for cell in line])))
    top = float(np.percentile([cell.top for cell in seen], 10))
    return pitch, top, float(np.percentile([cell.bottom for cell in seen], 90))


def _split_at(
    line: list[Cell],
    c: int,
    span: tuple[float, float, float],
    split: Callable[[Cell, float, float, float, float], np.ndarray | None] = _ocrb.own_light,
) -> np.ndarray | None:
    """The scores of ``line``'s glyph ``c`` split from its paper by ``split``
    (``_ocrb.own_light``, ``_ocrb.relit``) over its place: its centre on its neighbours'
    pitch grid (the ink box of a glyph partly washed out is off its centre: the M's right
    stroke alone), the line's ``span`` (``_line_span``). None where not measured."""
    pitch, top, bottom = span
    near = [k for k, cell in enumerate(line) if cell.seen and 0 < abs(k - c) <= 4]
    if not near:
        return None
    centre = float(np.median([line[k].x - pitch * (k - c) for k in near]))
    return split(line[c], centre, pitch, top, bottom)


def faint_positions(cells: list[list[Cell]]) -> list[tuple[int, int]]:
    """(line, column) of the glyphs that kept less than ``FAINT`` of the zone's contrast
    between ink and paper (its upper quartile: the print as it lies unlit). Glare mixes
    white into a glyph's light and scales that contrast down; such a glyph may read
    clearly as another (an S under a glare spot read Q, surely, and no check digit
    covers a name), so it was not seen and no reading that holds it is sure."""
    contrasts = [cell.contrast for line in cells for cell in line]
    typical = float(np.percentile(contrasts, 75)) if contrasts else 0.0
    return [
        (r, c)
        for r, line in enumerate(cells)
        for c, cell in enumerate(line)
        if cell.contrast < FAINT * typical
    ]


# A faint glyph is seen after all (``all_relit``) when it kept at least RELIT_FLOOR
# of the zone's contrast and, split from its own paper, reads the character chosen, as
# like OCR-B as RELIT_LIKE and ahead of every other character its place allows by
# RELIT_MARGIN. Development pages (FRESH-like, seeds 5101 and 5102, glare on half or all),
# the faint glyphs of decodes of the truth's shape: split at its own light
# (``_ocrb.own_light``), 1260 on 120 pages, 140 misread by the band's split; split from
# the paper under it too (``_ocrb.relit``), 462 on 61 glare pages, 76 misread. No misread
# glyph read the character chosen either way at any floor 0-0.4, likeness 0.8-0.9, margin
# 0.06-0.18 (a split that read one read the true character); so relit: 112 of the 462.
RELIT_FLOOR = 0.3
RELIT_LIKE = 0.85
RELIT_MARGIN = 2 * MARGIN


def all_relit(
    cells: list[list[Cell]], lines: list[str], sets: list[list[str]], faint: list[tuple[int, int]]
) -> bool:
    """Whether every one of the ``faint`` glyphs (``faint_positions``) was seen after all:
    split from its paper, at its own light (``_ocrb.own_light``) or from the paper under it
    pixel by pixel (``_ocrb.relit``: a glare spot's light changes across a glyph), one
    split reads the character chosen, clearly, ahead of every other character the place
    allows, and no split reads another first. Glare scales a glyph's contrast down; where
    enough of it is left, the glyph's own ink and paper still draw it whole, and a glyph
    misread under the glare (an S read Q) reads otherwise so split. (The cheap tests of
    every glyph first, then the splits, to the first glyph not seen.)"""
    contrasts = [cell.contrast for line in cells for cell in line]
    typical = float(np.percentile(contrasts, 75)) if contrasts else 0.0
    spans = {}
    for r in {r for r, _ in faint}:
        span = _line_span(cells[r])
        if span is None:
            return False
        spans[r] = span
    if any(not cells[r][c].seen or cells[r][c].contrast < RELIT_FLOOR * typical for r, c in faint):
        return False
    return all(_seen_split(cells[r], c, spans[r], lines[r][c], sets[r][c]) for r, c in faint)


def _seen_split(
    line: list[Cell], c: int, span: tuple[float, float, float], chosen: str, allowed_here: str
) -> bool:
    """Whether glyph ``c`` split from its paper reads ``chosen`` (``all_relit``)."""
    clear = False
    for split in (_ocrb.own_light, _ocrb.relit):
        read = _split_at(line, c, span, split)
        if read is None:
            continue
        if max(allowed_here, key=lambda x: float(read[_AT[x]])) != chosen:
            return False  # a split reads another character: not seen
        like = float(read[_AT[chosen]])
        rival = max((float(read[_AT[x]]) for x in allowed_here if x != chosen), default=0.0)
        clear = clear or (like >= RELIT_LIKE and like - rival >= RELIT_MARGIN)
    return clear


def _zone_lines(cells: list[list[Cell]]) -> list[list[Cell]] | None:
    """The lowest run of 2 or 3 neighbouring lines of one MRZ width (the zone is at the
    page's foot; a line of security print or a page edge cut above or below it may hold
    cells too), None when there is none."""
    for end in range(len(cells), 0, -1):
        width = len(cells[end - 1])
        count = LENGTHS.get(width, 0)
        if count and end >= count and all(len(line) == width for line in cells[end - count : end]):
            return cells[end - count : end]
    return None


# (line, first column) of the issuing state and the nationality
_STATE_CODES = {"TD3": ((0, 2), (1, 10)), "TD2": ((0, 2), (1, 10)), "TD1": ((0, 2), (1, 15))}


def _by_state_codes(
    lines: list[str],
    cells: list[list[Cell]],
    scores: list[list[np.ndarray]],
    sets: list[list[str]],
    kind: str,
) -> tuple[list[str], set[tuple[int, int]]]:
    """The state codes settled by the list of codes (``mrz_states``), no check digit
    covering them: of the readings each glyph's close rivals (within
    ``UNCHECKED_MARGIN``) make, when exactly one is a code and it changes only glyphs the
    image leaves open (within ``_OPEN``), that one, its glyphs settled. Where no letter
    reading is a code and the glyphs are plainly digits (each the best of the whole
    alphabet by ``MARGIN``: a specimen printed 132 for a nationality), the digits the
    image shows, settled too: the print read clearly, not a guess at the state."""
    rows = [list(line) for line in lines]
    settled: set[tuple[int, int]] = set()
    for r, start in _STATE_CODES[kind]:
        span = range(start, start + 3)
        near: list[list[str]] = []
        for c in span:
            s = scores[r][c]
            best = max(float(s[_AT[ch]]) for ch in sets[r][c])
            near.append([ch for ch in sets[r][c] if float(s[_AT[ch]]) >= best - UNCHECKED_MARGIN])
        found = [p for p in itertools.product(*near) if mrz_states.is_state_code("".join(p))]
        if len(found) == 1:
            chosen = found[0]
            changed_open = all(
                rows[r][c] == ch
                or float(scores[r][c][_AT[ch]])
                >= max(float(scores[r][c][_AT[x]]) for x in sets[r][c]) - _OPEN
                for c, ch in zip(span, chosen, strict=True)
            )
            if changed_open:
                rows[r][start : start + 3] = chosen
                settled.update((r, c) for c in span)
        elif not found and not mrz_states.is_state_code("".join(rows[r][start : start + 3])):
            printed = [ALPHABET[int(np.argmax(cells[r][c].scores))] for c in span]
            if any(ch in DIGITS for ch in printed) and all(
                _clear(cells[r][c].scores, ALPHABET[:-1], MARGIN) for c in span
            ):
                rows[r][start : start + 3] = printed
                settled.update((r, c) for c in span)
    return ["".join(row) for row in rows], settled


class Decoded(NamedTuple):
    """``sure``: every check passed with no rival close reading passing it too and every
    unchecked glyph is clear; ``checks_sure``: every check passed as read or by one
    correction no rival matched (the reading's rank among recognisers, not a promise);
    ``unclear``: the positions in doubt; ``clear``: the characters whose glyph no rival
    came within ``_OPEN`` of, by position (what no check digit may overrule); ``faint``:
    the positions whose glyph glare washed out (``faint_positions``: never sure), of them
    ``unseen`` those where no glyph was found at all (``_ocrb.Cell.seen``)."""

    lines: list[str]
    sure: bool
    checks_sure: bool
    unclear: list[tuple[int, int]]
    clear: dict[tuple[int, int], str]
    faint: list[tuple[int, int]] = []  # noqa: RUF012 -- a NamedTuple default, never mutated
    unseen: list[tuple[int, int]] = []  # noqa: RUF012 -- a NamedTuple default, never mutated


def _opened(scores: np.ndarray, allowed_here: str) -> bool:
    best = max(float(scores[_AT[c]]) for c in allowed_here)
    return sum(float(scores[_AT[c]]) >= best - _OPEN for c in allowed_here) > 1


def _clear(scores: np.ndarray, allowed_here: str, margin: float = UNCHECKED_MARGIN) -> bool:
    ranked = sorted((float(scores[_AT[c]]) for c in allowed_here), reverse=True)
    return ranked[0] - ranked[1] >= margin


def unchecked_positions(lines: list[str]) -> list[tuple[int, int]]:
    """(line, column) of the positions no check digit covers: names, state codes, sex,
    the document code, and a visa's optional data."""
    kind = {44: "TD3", 36: "TD2", 30: "TD1"}[len(lines[0])]
    return _unchecked(kind, lines[0][:1] == "V" and kind != "TD1")


def letter_positions(lines: list[str]) -> list[tuple[int, int]]:
    """(line, column) of every position that admits a letter (names, codes, numbers)."""
    kind = {44: "TD3", 36: "TD2", 30: "TD1"}[len(lines[0])]
    sets = allowed(kind, lines[0][:1] == "V" and kind != "TD1")
    return [
        (r, c)
        for r, line_sets in enumerate(sets)
        for c, a in enumerate(line_sets)
        if any(x in LETTERS for x in a)
    ]


def mixed_positions(lines: list[str]) -> set[tuple[int, int]]:
    """(line, column) of the positions that admit both digits and letters."""
    kind = {44: "TD3", 36: "TD2", 30: "TD1"}[len(lines[0])]
    sets = allowed(kind, lines[0][:1] == "V" and kind != "TD1")
    return {(r, c) for r, line_sets in enumerate(sets) for c, a in enumerate(line_sets) if _mixed(a)}


def _unchecked(kind: str, visa: bool) -> list[tuple[int, int]]:
    return [
        (r, c)
        for r, line_sets in enumerate(allowed(kind, visa))
        for c, a in enumerate(line_sets)
        if not any(d in DIGITS for d in a) or (visa and r == 1 and c >= 28) or (r, c) == (0, 1)
    ]


def _best(scores: np.ndarray, allowed_here: str) -> str:
    return max(allowed_here, key=lambda c: scores[_AT[c]])


@lru_cache(maxsize=64)  # asked of every position of every decode; a position allows one of a few sets
def _mixed(allowed_here: str) -> bool:
    return any(c in LETTERS for c in allowed_here) and any(c in DIGITS for c in allowed_here)


def _with_peers(cells: list[list[Cell]], sets: list[list[str]]) -> list[list[np.ndarray]]:
    """Each cell's scores; where its position mixes letters and digits, its close rivals
    are judged against the document's own glyphs of each rival that a position of one
    kind shows (templates of another OCR-B cut cannot tell this print's 0 from its O)."""
    peers: dict[str, list[tuple[int, np.ndarray]]] = {}
    for line, line_sets in zip(cells, sets, strict=True):
        for cell, allowed_here in zip(line, line_sets, strict=True):
            if _mixed(allowed_here):
                continue
            ch = _best(cell.scores, allowed_here)
            if ch != "<" and cell.scores[_AT[ch]] >= _SURE_PEER:
                peers.setdefault(ch, []).append((id(cell), cell.shape))
    typical = {c: _typical([v for _, v in found]) for c, found in peers.items()}
    # Letters alone are left to the templates: judged by peers, a small scan's M became W
    # beside the state code's N (dev set); a digit-or-letter position has no better witness.
    return [
        [
            _judged(cell, allowed_here, peers, typical) if _mixed(allowed_here) else cell.scores
            for cell, allowed_here in zip(line, line_sets, strict=True)
        ]
        for line, line_sets in zip(cells, sets, strict=True)
    ]


def _typical(vecs: list[np.ndarray]) -> float:
    """How alike two glyphs of one class are on this document (a low quantile)."""
    if len(vecs) < 2:
        return _PEER_LIKE
    stack = np.stack(vecs)
    sims = stack @ stack.T
    np.fill_diagonal(sims, -1.0)
    return float(min(np.quantile(sims.max(axis=1), 0.2), _PEER_LIKE))


def _judged(
    cell: Cell, allowed_here: str, peers: dict[str, list[tuple[int, np.ndarray]]], typical: dict[str, float]
) -> np.ndarray:
    scores = cell.scores
    top = max(float(scores[_AT[c]]) for c in allowed_here)
    rivals = [c for c in allowed_here if c != "<" and scores[_AT[c]] >= top - 2 * MARGIN]
    if len(rivals) < 2:
        return scores
    # the cell itself is no witness for its own class
    others = {c: [v for key, v in peers.get(c, []) if key != id(cell)] for c in rivals}
    seen = {c: max(float(v @ cell.shape) for v in vecs) for c, vecs in others.items() if vecs}
    like = [c for c, sim in seen.items() if sim >= typical[c] - _PEER_SLACK]
    unseen = [c for c in rivals if c not in seen]
    if like:  # like this document's own print of a rival: that one, by how alike
        winner = max(like, key=lambda c: seen[c])
    # unlike every rival the page shows: one it does not show; but only a glyph printed
    # clearly enough to be like its own class (a smudged 9 of a low-resolution scan, 0.72
    # like a 9, is unlike the page's clean 9 and was read J, a letter the page never shows)
    elif seen and unseen and top >= _SURE_PEER:
        winner = max(unseen, key=lambda c: scores[_AT[c]])
    else:
        return scores
    # Strong only when the page shows every rival and the glyph is clearly more like its
    # winner's print: then the rivals leave the close readings. Otherwise they stay close
    # (a check digit blind to the swap cannot then be taken as proof; peers were wrong on
    # 37 of 185 glyphs of the dev scans, on none of the 48 strong ones).
    raw = {c: float(scores[_AT[c]]) for c in rivals}
    strong = (
        not unseen
        and all(seen[winner] - seen[c] >= _PEER_CLEAR for c in rivals if c != winner)
        and all(raw[winner] - raw[c] >= MARGIN / 2 for c in rivals if c != winner)
    )
    below = top - MARGIN - 1e-3 if strong else top - MARGIN / 2
    scores = scores.copy()
    for c in rivals:
        scores[_AT[c]] = top if c == winner else min(scores[_AT[c]], below)
    return scores


Misfits = dict[tuple[int, int], dict[str, float]]


def _by_size(
    sets: list[list[str]], scores: list[list[np.ndarray]], misfits: Misfits
) -> list[list[np.ndarray]]:
    """A mixed position's close rivals of the other class (digit against letter), where
    the glyph's height fits one class and misfits the other (``size_misfits``): by
    ``_SIZE_CLEAR`` they leave the close readings; by half as much they stay close
    readings (the check digit may still take one) but no longer make the glyph unclear,
    since a wrong reading that passes the check digit needs two such swaps (their
    misfits add up, ``_size_rejects``) or a swap it is blind to (G/6: a whole
    ``_SIZE_CLEAR`` alone)."""
    out = [list(line) for line in scores]
    for (r, c), misfit in misfits.items():
        s = out[r][c]
        top = max(float(s[_AT[ch]]) for ch in sets[r][c])
        rivals = [ch for ch in misfit if s[_AT[ch]] >= top - 2 * MARGIN]
        if len(rivals) < 2:
            continue
        fit = min(rivals, key=lambda ch: misfit[ch])
        if misfit[fit] > _SIZE_FITS:
            continue
        other = {ch: misfit[ch] - misfit[fit] for ch in rivals if (ch in DIGITS) != (fit in DIGITS)}
        lowered = {ch: gap for ch, gap in other.items() if gap >= _SIZE_CLEAR / 2}
        if not lowered:
            continue
        s = s.copy()
        for ch, gap in lowered.items():
            below = top - MARGIN - 1e-3 if gap >= _SIZE_CLEAR else top - MARGIN / 2
            s[_AT[ch]] = min(float(s[_AT[ch]]), below)
        kept = max((ch for ch in rivals if ch not in lowered), key=lambda ch: s[_AT[ch]])
        s[_AT[kept]] = max(float(s[_AT[kept]]), top)
        out[r][c] = s
    return out


def _size_rejects(candidate: str, reference: str, row: int, misfits: Misfits) -> bool:
    """Whether the glyphs' heights rule out ``candidate`` against ``reference`` (one
    line each): their misfits summed over the positions where the two differ."""
    total = 0.0
    for c, (a, b) in enumerate(zip(candidate, reference, strict=True)):
        misfit = misfits.get((row, c))
        if a != b and misfit and a in misfit and b in misfit:
            total += misfit[a] - misfit[b]
    return total >= _SIZE_CLEAR


def _by_check(
    lines: list[str],
    scores: list[list[np.ndarray]],
    sets: list[list[str]],
    span: tuple[int, int, int],
    check: str,
    misfits: Misfits | None = None,
) -> tuple[list[str], bool, set[tuple[int, int]]]:
    """The best-scoring close reading of ``span`` that passes ``check``, whether it is
    sure, and the positions where close readings that pass it too differ from it. Sure
    only when no other close reading passes: a check digit is one digit, so among many
    near-ties about one reading in ten passes by chance, and it is blind to a swap whose
    values differ by a multiple of ten (``<``/``K``, ``6``/``G``) or to the same swap at
    weights 7 and 3 (``00``/``OO``). A reading that passes as first read is held to the
    same test (seen on held-out specimens: ``OO`` for ``00`` in a document number and
    ``<`` for a ``K`` under the composite, both passing, both wrong). A rival the glyphs'
    heights rule out (``_size_rejects``) is no rival."""
    misfits = misfits or {}
    row, start, end = span
    options: list[list[tuple[float, str]]] = []
    for i in range(start, end):
        s = scores[row][i]
        best = max(float(s[_AT[c]]) for c in sets[row][i])
        options.append(
            sorted((best - float(s[_AT[c]]), c) for c in sets[row][i] if float(s[_AT[c]]) >= best - MARGIN)
        )
    spots = sorted((i for i, o in enumerate(options) if len(o) > 1), key=lambda i: options[i][1][0])[
        :_MAX_FLIPS
    ]
    first = _passes(lines, check)
    passing: list[tuple[float, list[str], bool]] = []  # score, reading, whether it may be chosen
    for choice in itertools.product(*[options[i][:3] for i in spots]):
        text = list(lines[row])
        for i, (_, ch) in zip(spots, choice, strict=True):
            text[start + i] = ch
        candidate = list(lines)
        candidate[row] = "".join(text)
        if candidate == lines or (first and _size_rejects(candidate[row], lines[row], row, misfits)):
            continue
        if _passes(candidate, check):
            changes = sum(a != b for a, b in zip(candidate[row], lines[row], strict=True))
            passing.append(
                (sum(c[0] for c in choice), candidate, changes == 1 and all(c[0] <= _OPEN for c in choice))
            )
            if first:  # one rival that passes is enough to doubt the first reading
                break
    if first:
        return lines, not passing, _differing(lines, [c for _, c, _ in passing], row)
    # A check digit may only decide what the image leaves open, and only one character
    # of it: a glyph read clearly (its best ahead by more than ``_OPEN``) is never changed
    # to pass it, nor are two (one reading in ten passes by chance, and the more open
    # glyphs a search may combine, the likelier one does). A field that fails its check
    # otherwise stays as read and fails: a specimen's misprinted check digit was
    # "repaired" by turning a clear 5 into S, another's by two 0s read O.
    passing.sort(key=lambda p: p[0])
    eligible = [c for _, c, ok in passing if ok]
    if not eligible:
        return lines, False, set()
    # Sure only when no other close reading passes (seen: a number with three changes
    # that passed its check and the composite, wrong).
    chosen = eligible[0]
    rivals = [
        c for _, c, _ in passing if c is not chosen and not _size_rejects(c[row], chosen[row], row, misfits)
    ]
    return chosen, not rivals, _differing(chosen, rivals, row)


def _differing(lines: list[str], others: list[list[str]], row: int) -> set[tuple[int, int]]:
    return {
        (row, c)
        for other in others
        for c, (a, b) in enumerate(zip(lines[row], other[row], strict=True))
        if a != b
    }


def _passes(lines: list[str], check: str) -> bool:
    try:  # the lines are built of each position's allowed characters, all in the alphabet
        checks = mrz_id.shaped_checks(lines)
    except InvalidIdentifier:
        return False
    return all(checks.values()) if check == "composite" else checks.get(check, False)


def size_misfits(cells: list[list[Cell]], sets: list[list[str]]) -> Misfits:
    """For each mixed position's glyph, how far its height is from each character's, in
    units of this document's own spread (0: as tall as that character would be here).
    The shape vector is scaled to a square; the height is the one cue it drops, and OCR-B
    prints digits taller than capitals (0 about 7 % taller than O, 8 12 % than B), all on
    one foot line. A glyph's height is measured from its line's foot (fitted on every
    glyph of the line, so only its top edge is noisy), divided by its character's height
    in the OCR-B font, and the scale at each place fitted on the glyphs whose position
    fixes their class (dates, names, state codes): a line offset, a slope along the line
    (a photographed page shrinks towards its far edge), and a digit-to-capital factor.
    Empty when too few glyphs support the fit, or when that factor says the print is not
    in OCR-B's proportions."""
    return _height_fit(cells, sets)[0]


def _height_fit(cells: list[list[Cell]], sets: list[list[str]]) -> tuple[Misfits, Misfits]:
    """``size_misfits``, and the misfits that may vouch for a reading: where the fit
    extrapolates the scale (its own uncertainty there, the leverage, above the residual
    spread: far from the glyphs it stands on), in units of the prediction's spread, the
    residual spread so widened. A TD1's optional data past its first line's last digit
    lies there (leverage up to 3): two 0s 9 and 10 columns past that digit on a
    low-quality card back misfit their class by 4.4 and 4.8 (2.6 and 2.7 so counted),
    were read O, and the check digit, blind to 00/OO, let them pass, sure. (Counted so
    everywhere, two real specimens' document numbers, at leverage 0.4 or less, read right
    and sure lost their sureness; dropped where extrapolated, one real 0 read right by
    its height at leverage 1.1 was lost.)"""
    table = _ocrb.heights()
    width = max(len(line) for line in cells)
    heights = [_heights(line) for line in cells]

    def place(r: int, c: int) -> list[float]:
        # each line its own scale; a slope along the lines that may change from line to
        # line (a page turned in depth: scale is bilinear in x and y to first order)
        return [float(r == k) for k in range(len(cells))] + [c / width, (r - 1) * c / width]

    rows, values, sizes = [], [], []
    for r, (line, line_sets) in enumerate(zip(cells, sets, strict=True)):
        for c, (cell, allowed_here) in enumerate(zip(line, line_sets, strict=True)):
            if _mixed(allowed_here) or heights[r][c] <= 0:
                continue
            ch = _best(cell.scores, allowed_here)
            if ch == "<" or cell.scores[_AT[ch]] < _SURE_PEER:
                continue
            rows.append([*place(r, c), float(ch in DIGITS)])
            values.append(np.log(heights[r][c] / table[ch]))
            sizes.append(heights[r][c])
    # the digit factor is seen only within a line (each line has its own scale): a line
    # must show both classes (a TD3's second: its state code and sex beside its dates)
    mixed_lines = [
        (sum(row[-1] for row in rows if row[r]), sum(1 - row[-1] for row in rows if row[r]))
        for r in range(len(cells))
    ]
    if not any(d >= 5 and letters >= 3 for d, letters in mixed_lines):
        return {}, {}
    x, y = np.array(rows), np.array(values)
    keep = np.ones(len(y), bool)
    for _ in range(2):  # refit without the glyphs the first fit calls odd (a cut box, a speck)
        coef = np.linalg.lstsq(x[keep], y[keep], rcond=None)[0]
        resid = y - x @ coef
        # at least half a pixel: edges are whole pixels
        spread = max(1.4826 * float(np.median(np.abs(resid[keep]))), 0.5 / float(np.median(sizes)))
        keep = np.abs(resid) <= 3 * spread

    # OCR-B's heights say something only about OCR-B print: by shape (its glyphs like the
    # templates) and by proportion (its digits as much taller than its capitals)
    likeness = float(np.median([cell.scores.max() for line in cells for cell in line]))
    if likeness < _SIZE_SHAPE or abs(float(coef[-1])) > _SIZE_PRINT:
        return {}, {}
    inverse = np.linalg.pinv(x[keep].T @ x[keep])

    def widened(r: int, c: int, ch: str) -> float:  # the prediction's spread over the residuals'
        at = np.array([*place(r, c), float(ch in DIGITS)])
        return float(np.sqrt(1.0 + at @ inverse @ at))

    out: Misfits = {}
    honest: Misfits = {}
    for r, line_sets in enumerate(sets):
        for c, allowed_here in enumerate(line_sets):
            if _mixed(allowed_here) and heights[r][c] > 0:
                base = float(np.dot(coef[:-1], place(r, c)))
                out[(r, c)] = {
                    ch: abs(float(np.log(heights[r][c] / table[ch])) - base - coef[-1] * (ch in DIGITS))
                    / spread
                    for ch in allowed_here
                    if ch != "<"
                }
                far = max(widened(r, c, ch) for ch in ("O", "0")) > np.sqrt(2.0)
                honest[(r, c)] = {ch: m / widened(r, c, ch) if far else m for ch, m in out[(r, c)].items()}
    return out, honest


def _heights(line: list[Cell]) -> list[float]:
    """Each glyph's height from the line's foot: a straight line through the glyphs'
    last inked rows (fitted twice, the second time without the feet more than 2 px off:
    a filler sits higher, a speck lower)."""
    inked = [i for i, cell in enumerate(line) if cell.bottom >= cell.top]
    if len(inked) < 3:
        return [0.0] * len(line)
    xs = np.array([line[i].x for i in inked])
    feet = np.array([line[i].bottom for i in inked])
    keep = np.ones(len(inked), bool)
    for _ in range(2):
        slope, offset = (
            np.polyfit(xs[keep], feet[keep], 1) if keep.sum() >= 3 else (0.0, float(np.median(feet)))
        )
        keep = np.abs(feet - (slope * xs + offset)) <= 2.0
    return [
        float(slope * cell.x + offset - cell.top + 1) if cell.bottom >= cell.top else 0.0 for cell in line
    ]
