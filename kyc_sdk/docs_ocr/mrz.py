"""Machine-readable zones in scans and photographs: find the band, read it, parse.

Bands come from ``mrz_band`` (any ICAO shape, any size, a few degrees off level), most
likely first, each cut level at a fixed character height. Each band is read by up to
three recognisers, cheapest first, and the first reading that passes every check digit
*and* is sure ends the search:

1. OCR-B cells (``_ocrb``): every fixed-pitch character compared with OCR-B templates,
   decoded by ``mrz_decode`` (each position's alphabet, the document's own glyphs
   deciding 0/O-type ties, the check digits choosing among close readings);
2. Tesseract ``eng`` on the band, limited to the MRZ alphabet, corrected by each
   position's type (digits in dates and check digits, letters in state codes and names)
   and an alphanumeric number by its check digit (a flip only where it alone passes,
   and never away from a glyph the OCR-B cells read clearly);
3. PP-OCRv5 (``_pprec``), on the first band of MRZ shape only (it is the slow one).

A line reader's reading counts as sure only when the OCR-B cells read every position
that admits a letter the same (line readers share a digit bias that check digits miss).
Where the cells are unsure of a glyph, the line readers may settle it in the merged
reading (one of them in a name, both where digits and letters mix); that reading is
never sure. A band whose print runs into the crop's edge was cut short (a shadow hid
part of it) and nothing read from it is sure; a band in which nothing reads is read
again evened out when its paper's brightness changes across it (``mrz_band``).
A band whose reading passes every check is the zone: the search stops there, sure or
not; when the cells pass every check with no close rival at any glyph, the line readers
are not asked (they could only outvote glyphs the cells read clearly). A glyph glare
washed out entirely leaves a whole-pitch gap in its line: an empty cell (never seen,
never sure) fills it where that brings the line exactly to an MRZ's width
(``_ocrb.Cell.seen``), so the rest of the zone is still read. A page upside down is
turned as soon as the cells of one of its likeliest bands, turned half round, pass
every check (``_half_turned``), before any slower reading of it.
A page on which no band gave a zone has its two likeliest bands read once more
(Tesseract across the image, PP-OCR on the first stack of lines), and lines of nearly an
MRZ's shape are fitted loosely: found, never valid, rather than nothing returned.
``valid`` in the result is a promise: every check passed and every character was seen.
So a reading is never sure when a glyph of it kept too little of its zone's contrast
(glare mixed white into it: ``mrz_decode.faint_positions``) unless every such glyph,
split from its own paper, reads the character chosen clearly (``mrz_decode.all_relit``),
when the paper just past a
short visa's lines is washed by glare (they may go on unseen: ``_cut_visa``), when
another reading of the page's zone that passed every check holds other characters
(``_contested``), when lighter print crossed a glyph (inked darker it reads otherwise:
``mrz_decode.crossed_positions``), when split at its own light a glyph reads another
character (glare lit part of it past the band's split: ``mrz_decode.washed_positions``),
or when a glyph's height decided it where the scale
is extrapolated (a TD1's optional data far past its first line's digits). A large
photo in which no zone was found is searched again at a finer scale (a small document
far off: ``mrz_band.find_bands(fine=True)``). A colour page whose zone failed a check
is read again with its coloured print lifted to the paper (``mrz_band.colour_lifted``).
Parsing and every check are ``kyc_sdk.identifiers.mrz``. Spec: ICAO 9303 parts 3–7;
docs/identifiers.md.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import NamedTuple

import cv2
import numpy as np

from kyc_sdk.errors import InvalidIdentifier
from kyc_sdk.identifiers import mrz as mrz_id

from . import _ocrb, _pprec, _tess, locate, mrz_band, mrz_decode

ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<"
_TO_DIGIT = str.maketrans("OQDIlLSBZGTU", "001115582670"[:12])
_TO_ALPHA = str.maketrans("0125868", "OIZSBGB")
_LENGTHS = {44: ("TD3", 2), 36: ("TD2", 2), 30: ("TD1", 3)}
# (line, start, end) spans that hold digits / letters only, per format
_DIGITS = {
    "TD3": [(1, 9, 10), (1, 13, 20), (1, 21, 28), (1, 42, 44)],
    "TD2": [(1, 9, 10), (1, 13, 20), (1, 21, 28), (1, 35, 36)],
    "TD1": [(0, 14, 15), (1, 0, 7), (1, 8, 15), (1, 29, 30)],
}
_LETTERS = {
    "TD3": [(0, 0, 44), (1, 10, 13), (1, 20, 21)],
    "TD2": [(0, 0, 36), (1, 10, 13), (1, 20, 21)],
    "TD1": [(0, 0, 5), (1, 7, 8), (1, 15, 18), (2, 0, 30)],
}
# alphanumeric fields with a check digit (line, start, end, check): the document number,
# and a TD3's personal number (an Iranian passport's national code, where OCR-B 0 and O
# are told apart by the check digit)
_CHECKED = {"TD3": [(1, 0, 9, 9), (1, 28, 42, 42)], "TD2": [(1, 0, 9, 9)], "TD1": [(0, 5, 14, 14)]}


@dataclass(frozen=True)
class MrzRead:
    """``mrz`` is None when no band was found or its text is not an MRZ. ``sure`` is False
    when a check digit passed only after choosing among near-tied readings that pass it
    too: then ``valid`` is False though every check passes (a wrong number flagged valid
    is the worst outcome of a read)."""

    mrz: mrz_id.MRZ | None
    raw: tuple[str, ...]
    sure: bool = True
    # sure but for another reading that passed every check as well (``_contested``): the
    # readers vouched for it, so it ranks above readings they did not (never valid)
    vouched: bool = False

    def to_dict(self) -> dict[str, object]:
        if self.mrz is None:
            return {
                "format": None,
                "lines": list(self.raw),
                "fields": {},
                "checks": {},
                "valid": False,
                "found": False,
            }
        out = self.mrz.to_dict()
        out["valid"] = self.mrz.valid and self.sure
        out["found"] = True
        out["national_code"] = mrz_id.national_code_in(self.mrz)
        return out


def _ocr_band(crop: np.ndarray) -> list[str]:
    _, bw = cv2.threshold(crop, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    # dark print binarised on white: Tesseract's second, inverted reading of a line it
    # reads poorly changed only noise lines on tuning pages (0 of 124 pages read otherwise)
    text, _, _ = _tess.read_line(bw, "eng", psm=6, whitelist=ALPHABET, alternatives=False, inverted=False)
    lines = [re.sub(r"[^A-Z0-9<]", "", line.replace(" ", "")) for line in text.splitlines()]
    return [line for line in lines if len(line) >= 26]


def _shape(lines: list[str]) -> tuple[str, list[str]] | None:
    # Take the last 2 or 3 lines, fit them to the nearest MRZ length (pad / trim by fillers).
    for length, (kind, count) in sorted(_LENGTHS.items(), key=lambda kv: -kv[0]):
        if len(lines) >= count and all(abs(len(line) - length) <= 2 for line in lines[-count:]):
            return kind, [line[:length].ljust(length, "<") for line in lines[-count:]]
    return None


_LOOSE = 4  # characters a line reader may drop or add on a band it reads badly


def _loosely_shaped(lines: tuple[str, ...]) -> tuple[str, list[str]] | None:
    """Lines read from a band that no reading fitted to an MRZ (a line reader dropped or
    added a few characters where glare or a fold broke the print), fitted to the nearest
    MRZ shape, when they still look like one: a name line holding the ``<<`` between
    surname and given names, and a second line of mostly digits (its dates). What comes
    of it is never sure: dropped characters are put back as fillers at the line's end."""
    fits = [
        (sum(abs(len(line) - length) for line in lines[-count:]), kind, count, length)
        for length, (kind, count) in _LENGTHS.items()
        if len(lines) >= count and all(abs(len(line) - length) <= _LOOSE for line in lines[-count:])
    ]
    if not fits:
        return None
    _, kind, count, length = min(fits)
    shaped = [line[:length].ljust(length, "<") for line in lines[-count:]]
    names = shaped[_NAME_LINE[kind][0]]
    if "<<" not in names or sum(c.isdigit() for c in shaped[1]) < 8:
        return None
    return kind, shaped


_LOOKS_LIKE_FILLER = set("<KECXLS")  # what Tesseract makes of a run of '<' in OCR-B
_NAME_LINE = {"TD3": (0, 5), "TD2": (0, 5), "TD1": (2, 0)}


def _name_fillers(line: str, start: int) -> str:
    """The filler run at the end of the name field, taken back to '<'. The tail of filler
    look-alikes is trusted when everything after its first '<' is a clean '<' run (a name
    may end in S, E or K: THOMAS<<<<); when the fillers are noisy, the whole look-alike
    run is filler (NAVIDEKKKK, MINASKKKK)."""
    run = len(line)
    while run > start and line[run - 1] in _LOOKS_LIKE_FILLER:
        run -= 1
    tail = line[run:]
    first = tail.find("<")
    if len(tail) < 3 or (first >= 0 and set(tail[first:]) == {"<"}):
        return line
    return line[:run] + "<" * (len(line) - run)


def _fix(
    kind: str, lines: list[str], clear: dict[tuple[int, int], str] | None = None
) -> tuple[list[str], bool, bool]:
    """A line reader's lines corrected by each position's type and the numbers by their
    check digits; whether that is sure (no other flip of a number passes), and whether
    every number passed as read or by one flip (the readings' rank, not a promise).
    ``clear``: the characters the OCR-B cells read without doubt; no flip made to pass a
    check digit turns a character into another than theirs (the flips follow the line
    readers' confusions, not the glyph: a specimen's misprinted check was "passed" by
    reading its clear 5 as S)."""
    clear = clear or {}
    row_no, start = _NAME_LINE[kind]
    lines = [re.sub(r"(?<=<)[KCE](?=<)", "<", line) for line in lines]  # a lone look-alike among fillers
    lines[row_no] = _name_fillers(lines[row_no], start)
    rows = [list(line) for line in lines]
    for spans, table in ((_DIGITS[kind], _TO_DIGIT), (_LETTERS[kind], _TO_ALPHA)):
        for line, start, end in spans:
            for i in range(start, end):
                rows[line][i] = rows[line][i].translate(table)
    sure = ranked = True
    for row, start, end, check in _CHECKED[kind]:
        read = "".join(rows[row][start:end])
        fixed = {i - start: clear[(row, i)] for i in range(start, end) if (row, i) in clear}
        number, one = _number_by_check(read, rows[row][check], fixed)
        rows[row][start:end] = number
        sure = sure and one
        ranked = ranked and (one or _check_digit_ok(read, rows[row][check]))
    return ["".join(r) for r in rows], sure, ranked


def _number_by_check(number: str, check: str, fixed: dict[int, str] | None = None) -> tuple[list[str], bool]:
    """Each ambiguous character may be its letter or its digit; of the readings that pass
    the check digit, the one with the fewest letters after the first character. A check
    digit is one digit: among 2^k readings about a tenth pass by chance, so "the first
    that passes" (the raw reading) let R14O1S5B1 stand for R14015581 on a generated
    Iranian passport. Document numbers are digits after a letter prefix (Iran: one
    letter and eight digits) and a personal number holding a national code is digits."""
    pairs = {
        "0": "O",
        "O": "0",
        "1": "I",
        "I": "1",
        "5": "S",
        "S": "5",
        "8": "B",
        "B": "8",
        "2": "Z",
        "Z": "2",
        "7": "T",
        "T": "7",
        "6": "G",
        "G": "6",
        "D": "0",
        "Q": "0",
    }
    fixed = fixed or {}
    # a flip only towards what the cells read clearly there, never away from it
    spots = [i for i, c in enumerate(number) if c in pairs and fixed.get(i, pairs[c]) == pairs[c]][:10]
    passing = []
    for flips in itertools.product((False, True), repeat=len(spots)):
        chars = list(number)
        for i, flip in zip(spots, flips, strict=True):
            chars[i] = pairs[chars[i]] if flip else chars[i]
        if mrz_id.check_digit("".join(chars)) == check:
            passing.append((sum(c.isalpha() for c in chars[1:]), sum(flips), chars))
    # Where the reading as made fails, a flipped one is taken only when it alone passes:
    # of 2^k flips about one in ten passes by chance, so "some flip passes" says nothing
    # once several do (a specimen's misprinted check digit was "passed" by reading two of
    # its 0s as O, one of several readings that passed)
    if not passing or (not _check_digit_ok(number, check) and len(passing) > 1):
        return list(number), False
    # Sure only when no other reading passes, even when the raw one did: the check digit
    # is blind to some double swaps (Z S for 2 5 at weights 7 and 3: 33 x 7 + 23 x 3 = 300).
    return min(passing)[2], len(passing) == 1


def _check_digit_ok(number: str, check: str) -> bool:
    try:
        return mrz_id.check_digit(number) == check
    except InvalidIdentifier:
        return False


def _score(parsed: mrz_id.MRZ) -> int:
    return sum(parsed.checks.values())


def _readings(
    band: mrz_band.Band,
    *,
    second: bool,
    lines_too: bool = True,
    restore: bool = True,
    probe: bool = False,
) -> Iterator[tuple[list[str], bool, bool] | list[str]]:
    """The band's readings (lines, sure, whether its check digits passed without a
    guess), cheapest first: the OCR-B cells decoded (sure as the decoder says), then
    Tesseract (unless not ``lines_too``), then, when ``second``, the PP-OCR recogniser
    (when installed). A line reader's reading is sure only where the OCR-B cells agree
    (``_agrees``). Raw lines (Tesseract's, possibly none) stand for a reading of no MRZ
    shape. (Taking the cells' unclear name glyphs from PP-OCR was tried: on the dev scans
    it read the same M/N as the cells, so it is not done.)"""
    original = band
    band, decoded, whole = _best_cut(band, restore=restore, probe=probe)
    # a glyph glare washed out was not seen, by the cells or by a line reader
    whole = whole and not (decoded and decoded.faint)
    # The cells witness a line reader, except when a digit-or-letter glyph of theirs is
    # in doubt (there all readers may share the line readers' bias: 0 for O). Where a
    # name's glyph is in doubt, Tesseract's LSTM agreeing with the templates is evidence.
    cells = (
        decoded.lines
        if decoded and not set(decoded.unclear) & mrz_decode.mixed_positions(decoded.lines)
        else None
    )
    doubted = decoded.unclear if decoded else []
    if decoded:
        yield decoded.lines, decoded.sure and whole, decoded.checks_sure
        if decoded.checks_sure and not decoded.unclear and _passes_every_check(decoded.lines):
            # Every check passed with no rival reading and no glyph had a close rival:
            # the line readers would only outvote glyphs the cells read clearly (and what
            # makes this reading unsure, faint print or a cut band, makes theirs so too).
            return

    def clear(shaped: list[str]) -> dict[tuple[int, int], str]:
        # the cells' clear glyphs bind a line reader's check flips where both read one shape
        same = decoded is not None and [len(x) for x in decoded.lines] == [len(x) for x in shaped]
        return decoded.clear if decoded is not None and same else {}

    read = _ocr_band(band.crop) if lines_too else []
    tess = _shape(read)
    if tess:
        lines, sure, ranked = _fix(*tess, clear(tess[1]))
        yield lines, sure and whole and _agrees(lines, cells, doubted), ranked
    if band is not original and lines_too:
        # Tesseract reads the band as cut too (never sure then), and PP-OCR reads only
        # that: a rendering that held the cells' MRZ may read worse to a line reader
        # than the grey it came from (a small dev scan: PP-OCR passed 5 of 5 checks on
        # the grey, 2 on the ratio rendering)
        first = _shape(_ocr_band(original.crop))
        if first:
            lines, _, ranked = _fix(*first, clear(first[1]))
            yield lines, False, ranked
            tess = tess or first
    if second and (decoded or tess) and _pprec.available():
        count = len(decoded.lines) if decoded else len(tess[1]) if tess else 2
        shaped = _shape([_pprec.read_line(line) for line in _pprec.split_lines(original.crop, count)])
        if shaped:
            lines, sure, ranked = _fix(*shaped, clear(shaped[1]))
            yield lines, sure and whole and _agrees(lines, cells, doubted), ranked
            if decoded and decoded.unclear:
                witnesses = [lines] + ([_fix(*tess, clear(tess[1]))[0]] if tess else [])
                yield _merged(decoded, witnesses), False, decoded.checks_sure
    if not tess and not (decoded and not decoded.unseen):
        if not decoded:
            yield read  # the lines as read, of no MRZ shape (``_loosely_shaped`` may fit them)
        flat = None if band.flat else mrz_band.flattened(band.crop)
        if flat is not None:  # shadow or glare across the band: read it evened out
            yield from _readings(
                mrz_band.Band(flat, band.lines, flat=True, source=band.grey),
                second=second,
                lines_too=lines_too,
                restore=restore or probe,
            )


def _last_resort(band: mrz_band.Band, *, second: bool) -> Iterator[tuple[list[str], bool, bool] | list[str]]:
    """A likely band of a page where no band gave a zone, read once more (never sure: the
    cells, the only witness that may make a reading so, read nothing): Tesseract across
    the image (glare or a fold may have ended the band's lines short), then,
    when ``second``, the second recogniser on its lines. Lines of no MRZ shape are handed
    on as read (``_loosely_shaped`` may fit them)."""
    wide = band.widened()  # (the band as cut was read by Tesseract already)
    wider = _ocr_band(wide.crop) if wide is not None else []
    read = wider if _loosely_shaped(tuple(wider)) else []
    if second and band.lines in (2, 3) and _pprec.available():
        lines = [_pprec.read_line(line) for line in _pprec.split_lines((wide or band).crop, band.lines)]
        shaped = _shape(lines)
        fixed, _, ranked = _fix(*shaped) if shaped else ([], False, False)
        if fixed and _loosely_shaped(tuple(fixed)):  # it must look like an MRZ, as below
            yield fixed, False, ranked
        elif _loosely_shaped(tuple(lines)) and not _loosely_shaped(tuple(read)):
            read = lines
    yield read


def _best_cut(
    band: mrz_band.Band, *, restore: bool = True, probe: bool = False
) -> tuple[mrz_band.Band, mrz_decode.Decoded | None, bool]:
    """The band as cut, or where its cells hold no whole MRZ, the first other rendering
    whose cells do, with whether a reading of it may be sure (its print is whole and its
    glyphs were not rebuilt from faint ink): the stack cut again
    across the image (glare broke a line, or the crop began at its first glyph), then
    each cut rendered again (``mrz_band.restored``). Neither when ``restore`` is False:
    the reader asks for them on the page's likeliest bands only, as it came, until a
    zone passes every check."""
    raw = _ocrb.read_cells(band.crop, level=True, grey=band.grey)
    decoded = mrz_decode.decode(raw)
    if probe and _half_turned(band, raw, decoded):
        raise _HalfTurned
    # Print running into the crop's edge: the band was cut short (a shadow hid the rest
    # of its lines from the line finder), and a TD3 cut to 36 characters with an empty
    # personal number passes every check of a TD2. Nothing read from it is sure.
    whole = not _ocrb.reaches_edge(raw, band.crop.shape[1])
    as_cut = band, decoded, whole and not band.rebuilt and not _cut_visa(decoded, raw, band.grey)
    # a zone with glyphs missing (``Decoded.unseen``) is kept only when no rendering finds
    # them all
    if (decoded is not None and whole and not decoded.unseen) or not restore:
        return as_cut
    wide = band.widened()
    # each rendering is drawn only when its turn comes: most bands stop at an early one
    cuts: list[tuple[bool, Callable[[], mrz_band.Band | None]]] = (
        [] if wide is None else [(False, lambda: wide)]
    )
    for base in [band] if wide is None else [band, wide]:
        cuts += [
            (rebuilt, _rendered(base, make, rebuilt)) for make, rebuilt in mrz_band.renderings(base.crop)
        ]
    gapped = as_cut if decoded is not None and whole else None
    for _, make in sorted(cuts, key=lambda c: c[0]):  # a rendering that may be sure first
        cut = make()
        if cut is None:
            continue
        other = _ocrb.read_cells(cut.crop, level=True, grey=cut.grey)
        zone = mrz_decode.zone_of(other)
        if gapped is not None and (zone is None or not all(cell.seen for line in zone for cell in line)):
            # it could only be kept as a zone with glyphs missing, and one is kept already:
            # not decoded (a decode costs a twentieth of a second; glare pages tried six)
            continue
        found = None if zone is None else mrz_decode.decode(other)
        if found is not None and not _ocrb.reaches_edge(other, cut.crop.shape[1]):
            read = cut, found, not cut.rebuilt and not _cut_visa(found, other, cut.grey)
            if not found.unseen:
                return read
            gapped = gapped or read
    return gapped or as_cut


def _rendered(
    base: mrz_band.Band, make: Callable[[], np.ndarray | None], rebuilt: bool
) -> Callable[[], mrz_band.Band | None]:
    """A band of ``base``'s rendering ``make`` (``mrz_band.renderings``), drawn when called."""

    def band() -> mrz_band.Band | None:
        crop = make()
        return (
            None
            if crop is None
            else mrz_band.Band(crop, base.lines, flat=True, rebuilt=rebuilt, source=base.grey)
        )

    return band


class _HalfTurned(Exception):
    """The page lies upside down (``_half_turned``): the reader turns it before reading on."""


def _half_turned(
    band: mrz_band.Band, cells: list[list[_ocrb.Cell]], decoded: mrz_decode.Decoded | None
) -> bool:
    """Whether the band is a zone upside down: its cells pass at most half their checks
    as it lies, and turned half round they pass every check and look more like OCR-B.
    The cells alone decide it, in a hundredth of a second; read as it lies, an
    upside-down zone went through every rendering and recogniser first (a second a page
    on turned tuning pages), and only then was the page turned."""
    if _cells_share(decoded) > 0.5:
        return False
    crop, grey = locate.rotate180(band.crop), locate.rotate180(band.grey)
    turned = _ocrb.read_cells(crop, level=True, grey=grey)
    # likeness first: a decode costs three times the cells' reading, and the turned cells
    # of a page that lies upright (most pages asked) look less like OCR-B than as it lies
    return _likeness(turned) > _likeness(cells) and _cells_share(mrz_decode.decode(turned)) == 1.0


def _passes_every_check(lines: list[str]) -> bool:
    try:
        return all(mrz_id.checks(lines).values())
    except InvalidIdentifier:
        return False


def _cells_share(decoded: mrz_decode.Decoded | None) -> float:
    """The share of check digits the cells' reading passes (-1: no reading)."""
    if decoded is None:
        return -1.0
    try:
        return _share(mrz_id.checks(decoded.lines))
    except InvalidIdentifier:
        return -1.0


def _likeness(cells: list[list[_ocrb.Cell]]) -> float:
    """The median glyph's likeness to its nearest OCR-B template, on lines of an MRZ's width."""
    likes = [
        float(cell.scores.max()) for line in cells if len(line) in _LENGTHS for cell in line if cell.seen
    ]
    return float(np.median(likes)) if likes else 0.0


def _cut_visa(decoded: mrz_decode.Decoded | None, cells: list[list[_ocrb.Cell]], grey: np.ndarray) -> bool:
    """Whether a reading of a 36-character visa (MRV-B) may be a 44-character one
    (MRV-A) whose line ends glare washed away (``_ocrb.washed_ends``). A visa has no
    composite check, so every cut of its lines passes every check (a glare spot over a
    visa's fillers left 36 of its 44 characters); a TD2's composite check catches the
    cut. (Asked of every shape, the test took a lighter margin past the zone on four
    real development scans for glare.)"""
    if decoded is None or len(decoded.lines[0]) != 36 or not decoded.lines[0].startswith("V"):
        return False
    return _ocrb.washed_ends(cells, grey)


def _merged(decoded: mrz_decode.Decoded, witnesses: list[list[str]]) -> list[str]:
    """The cells' reading with each glyph they are unsure of replaced where every line
    reader read the same character there (never sure: the line readers share biases).
    One line reader is witness enough in a name or a code, where only letters stand (the
    cells' N for a small scan's M, PP-OCR's M, Tesseract's line short); where digits and
    letters mix it takes two (alone, each reads 0 for O)."""
    rows = [list(line) for line in decoded.lines]
    shaped = [x for x in witnesses if [len(a) for a in x] == [len(b) for b in rows]]
    mixed = mrz_decode.mixed_positions(decoded.lines)
    for r, c in decoded.unclear:
        read = {x[r][c] for x in shaped}
        if len(read) == 1 and len(shaped) >= (2 if (r, c) in mixed else 1):
            rows[r][c] = shaped[0][r][c]
    return ["".join(row) for row in rows]


def _agrees(lines: list[str], cells: list[str] | None, doubted: Sequence[tuple[int, int]] = ()) -> bool:
    """A line reader is trusted where letters may stand only when the OCR-B cells read
    the same there: Tesseract and PP-OCR share a bias (0 for O, 2 for Z, 5 for S), and
    the same swap at two neighbouring positions (weights 7 and 3) leaves a check digit
    unchanged, so their agreement with each other, or a passing check, is no evidence.
    Nor where the names' padding holds a letter the cells were in doubt of (``doubted``):
    there only the image may vouch for a letter (``mrz_decode.shown_padding_doubts``)."""
    return (
        cells is not None
        and len(cells) == len(lines)
        and len(cells[0]) == len(lines[0])
        and all(cells[r][c] == lines[r][c] for r, c in mrz_decode.letter_positions(lines))
        and not set(mrz_decode.padding_letters(lines)) & set(doubted)
    )


def read_mrz(rgb: np.ndarray) -> MrzRead:
    """The MRZ of a document photograph or scan (``found`` False when none). A page
    photographed sideways or upside down is turned when no zone reads the way it came;
    one whose lines run up or down (``mrz_band.sideways``) is read turned first. A
    colour page whose zone failed a check is read again with its coloured print lifted
    (``mrz_band.colour_lifted``: an overprint or a rainbow background across the zone),
    and that reading kept where it passes every check (``_either``). Where the first
    reading found its zone, the lifted page is read only the way it found it (``_Way``):
    read every way, a real specimen that misprints its check digits took twice as long."""
    grey = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY) if rgb.ndim == 3 else rgb
    best, way = _read_page(grey)
    if _passing(best) == 1.0:  # (the lifted reading replaces only one that fails a check)
        return best
    lifted = mrz_band.colour_lifted(rgb)
    if lifted is None:
        return best
    return _either(best, _read_page(lifted)[0] if way is None else _read_way(lifted, way))


class _Way(NamedTuple):
    """How a page was turned (quarter turns, ``np.rot90``) and searched (``fine``) where
    its zone was read."""

    turns: int
    fine: bool


def _turned(grey: np.ndarray, turns: int) -> np.ndarray:
    return grey if turns % 4 == 0 else np.ascontiguousarray(np.rot90(grey, turns))


def _read_way(grey: np.ndarray, way: _Way) -> MrzRead:
    """The page read only ``way`` (as ``_read_page`` read it there)."""
    read, _ = _read_grey(_turned(grey, way.turns), restore=True, fine=way.fine)
    return read if read.mrz is not None else _unshaped(read.raw)


def _either(first: MrzRead, other: MrzRead) -> MrzRead:
    """The page's reading, or its colour-lifted one where that passes every check and
    the page's own does not, or the page's own found nothing. Passing more checks is not
    enough: a real specimen misprints its check digits, and lifted its 0s read O to pass
    one."""
    if other.mrz is not None and (first.mrz is None or _passing(other) == 1.0 > _passing(first)):
        return other
    return first


def _read_page(grey: np.ndarray) -> tuple[MrzRead, _Way | None]:
    """``read_mrz`` of one grey rendering of the page, and the way its zone was read
    (None where no band gave one: ``_read_unread``, ``_unshaped``)."""
    read_turned: dict[int, MrzRead] = {}  # quarter turns: the page read so turned
    found = mrz_band.page_lines(grey)
    if mrz_band.sideways(found):
        # its lines run up or down: turned first, and as it lies only when neither
        # quarter turn reads (reading it as it lies took most of such a page's time)
        for turns in (1, 3):
            read_turned[turns], _ = _read_grey(_turned(grey, turns))
            if _passing(read_turned[turns]) > 0.5:
                return read_turned[turns], _Way(turns, False)
    best, upside_down = _read_grey(grey, restore=True, found=found)
    way = _Way(0, False)
    if _passing(best) <= 0 and mrz_band.large(grey):
        # a small document far off in a large photo: its lines found at a finer scale
        # (upside down where the cells said so, at either scale)
        fine, flipped = _read_grey(_turned(grey, 2 * upside_down), restore=True, fine=True)
        if flipped and not upside_down:
            upside_down = True
            fine, _ = _read_grey(_turned(grey, 2), restore=True, fine=True)
        if _passing(fine) > _passing(best):
            best, way = fine, _Way(2 * upside_down, True)
        if _passing(best) <= 0 and mrz_band.sideways_fine(grey):
            # and lying sideways: turned a quarter either way, its lines found finely
            for turns in (1, 3):
                fine, _ = _read_grey(_turned(grey, turns), restore=True, fine=True)
                if _passing(fine) > _passing(best):
                    best, way = fine, _Way(turns, True)
                if _passing(best) > 0.5:
                    break
    # Turned only when no more than half the checks pass as it came (a real specimen
    # may fail half its checks on purpose; what is read sideways must then do better
    # than half; and a zone read upside down passes one check in ten by chance); half
    # round first where the cells said so (``_half_turned``).
    for turns in (2, 1, 3) if upside_down else (1, 3, 2):
        if _passing(best) > 0.5:
            break
        if turns in read_turned:
            turned = read_turned[turns]
        else:
            turned, _ = _read_grey(_turned(grey, turns))
        if _passing(turned) > max(_passing(best), 0.5):
            best, way = turned, _Way(turns, False)
    if best.mrz is None:
        best = _read_unread(grey, best)
        return (best if best.mrz is not None else _unshaped(best.raw)), None
    return best, way


def _unshaped(raw: tuple[str, ...]) -> MrzRead:
    """A band found whose lines no reading fitted to an MRZ: the lines as read, fitted
    loosely (``_loosely_shaped``) and corrected by each position's type, never valid;
    nothing when they do not look like an MRZ. (Nothing returned is worse than a reading
    marked unsure: its dates and names are mostly right.)"""
    shaped = _loosely_shaped(raw)
    if shaped is None:
        return MrzRead(None, raw)
    lines, _, _ = _fix(*shaped)
    try:
        parsed = mrz_id.parse(lines)
    except InvalidIdentifier:
        return MrzRead(None, raw)
    return MrzRead(parsed, tuple(parsed.lines), sure=False)


def _passing(read: MrzRead) -> float:
    """The share of check digits a reading passes (-1 when there is no MRZ)."""
    return -1.0 if read.mrz is None else _share(read.mrz.checks)


def _share(checks: dict[str, bool]) -> float:
    return sum(checks.values()) / max(len(checks), 1)


def _read_grey(
    grey: np.ndarray,
    *,
    restore: bool = False,
    fine: bool = False,
    found: mrz_band.PageLines | None = None,
) -> tuple[MrzRead, bool]:
    """The best zone of the page as it lies; ``restore``: its two likeliest bands may be
    rendered again where they hold no whole zone (``_best_cut``: the cost of a page
    without one doubles otherwise; turned pages go without); ``fine``: lines found at the
    finer scale (``mrz_band.bands_of``); ``found``: the page's lines, where found."""
    best = MrzRead(None, ())
    second = True  # the slow second recogniser reads one band: the first of MRZ shape
    zones = 0
    passed: list[tuple[str, ...]] = []  # the lines of every reading that passed every check
    for rank, band in enumerate(mrz_band.bands_of(grey, fine=fine, found=found)):
        read: list[tuple[MrzRead, int, bool]] = []  # a reading, its passed checks, sure checks
        # once a band has passed every check, another cut of it is read by the cells
        # alone: only they can make that reading sure, and Tesseract costs a tenth of a
        # second a band
        # once a zone passed every check, a band is only read for a surer cut of it
        again = restore and rank < 2 and not (best.mrz is not None and best.mrz.valid)
        readings = _readings(band, second=second, lines_too=zones == 0, restore=again, probe=rank < 2)
        try:  # the cells' reading first: it may say the page lies upside down
            first = next(readings, None)
        except _HalfTurned:
            return best, True
        for reading in itertools.chain([] if first is None else [first], readings):
            if not isinstance(reading, tuple):
                # the first band's lines that may be fitted loosely, kept for ``_unshaped``
                if best.mrz is None and not (best.raw and _loosely_shaped(best.raw)):
                    best = MrzRead(None, tuple(reading)) if reading else best
                continue
            lines, sure, checks_sure = reading
            second = False
            try:
                parsed = mrz_id.parse(lines)
            except InvalidIdentifier:
                continue
            vouched = sure and parsed.valid
            if parsed.valid:
                # Two readings of the page's zone that pass every check yet differ hold a
                # glyph no check covers that one reader (or one cut) saw otherwise: the
                # later is not sure however clear its glyphs were (a glare-washed name
                # glyph read '<' by the line readers, M by the cells of a second cut).
                sure = sure and not _contested(parsed.lines, passed)
                passed.append(tuple(parsed.lines))
            if parsed.valid and sure:
                return MrzRead(parsed, tuple(parsed.lines), sure), False
            read.append(
                (MrzRead(parsed, tuple(parsed.lines), sure, vouched=vouched), _score(parsed), checks_sure)
            )
        if read:
            # most checks passed; among equals one whose checks passed without a guess,
            # then one no other reading shows to hold crossed fillers (``_filled``: ICAO
            # prints only fillers where the names' padding runs, and a crossed filler
            # reads as a letter to one reader, rarely to all), then one the readers
            # vouched for (``MrzRead.vouched``), then the
            # reading most recognisers share, then the merged one (cells where they are
            # clear, both line readers elsewhere), then the OCR-B cells' (first)
            raws = [r.raw for r, _, _ in read]
            padded = [any(_filled(other, raws[i]) for other in raws) for i in range(len(read))]
            top = max(
                range(len(read)),
                key=lambda i: (
                    read[i][1],
                    read[i][2],
                    not padded[i],
                    read[i][0].vouched,
                    raws.count(raws[i]),
                    i == 3,
                    -i,
                ),
            )
            if _better(read[top][0], best):
                best = read[top][0]
        if best.mrz is not None and best.mrz.valid:
            zones += 1  # this band is the zone; another cut of it may still read surely
            if zones == 2:
                return best, False
    return best, False


def _better(read: MrzRead, kept: MrzRead) -> bool:
    """Whether a later band's reading (another cut of the zone) replaces the one kept: it
    passes more checks, or as many and is the kept one with letters in its names' padding
    read as fillers (``_filled``: a dev page's first cut read two glare-crossed fillers B
    and N, every later cut fillers), or as many and the readers vouched for it, not for
    the kept one (two dev overprint pages: a later cut's cells read every glyph clearly,
    the first cut's a name glyph in doubt)."""
    if read.mrz is None:
        return False
    if kept.mrz is None or _score(read.mrz) != _score(kept.mrz):
        return kept.mrz is None or _score(read.mrz) > _score(kept.mrz)
    if _filled(read.raw, kept.raw) or _filled(kept.raw, read.raw):
        return _filled(read.raw, kept.raw)
    return read.vouched and not kept.vouched


def _filled(lines: Sequence[str], other: Sequence[str]) -> bool:
    """Whether ``lines`` is ``other`` with letters in its names' padding
    (``mrz_decode.padding_letters``) read as fillers, and nothing else changed. (Counting
    padding letters alone would favour a reading whose fillers all read S: no padding.)"""
    if [len(x) for x in lines] != [len(x) for x in other] or list(lines) == list(other):
        return False
    padding = set(mrz_decode.padding_letters(list(other)))
    return all(
        (r, c) in padding and a == "<"
        for r, (line, was) in enumerate(zip(lines, other, strict=True))
        for c, (a, b) in enumerate(zip(line, was, strict=True))
        if a != b
    )


def _contested(lines: Sequence[str], others: list[tuple[str, ...]]) -> bool:
    """Whether another reading of the same shape holds other characters."""
    return any(
        [len(x) for x in other] == [len(x) for x in lines] and list(other) != list(lines) for other in others
    )


def _read_unread(grey: np.ndarray, best: MrzRead) -> MrzRead:
    """A page on which no band gave a zone, turned or not: its two likeliest bands read
    once more (``_last_resort``), the reading passing most checks kept, never sure;
    ``best``: what the first reading kept (its raw lines)."""
    second = True  # one band's lines read by the second recogniser
    for band in itertools.islice(mrz_band.bands_of(grey), 2):
        for reading in _last_resort(band, second=second):
            if not isinstance(reading, tuple):
                if reading and best.mrz is None and not (best.raw and _loosely_shaped(best.raw)):
                    best = MrzRead(None, tuple(reading))
                continue
            try:
                parsed = mrz_id.parse(reading[0])
            except InvalidIdentifier:
                continue
            if best.mrz is None or _score(parsed) > _score(best.mrz):
                best = MrzRead(parsed, tuple(parsed.lines), sure=False)
        second = second and band.lines not in (2, 3)
    return best
