"""From per-glyph scores to MRZ lines: each position's alphabet, the document's own print,
then the check digits.

Input: for each line, one OCR-B cell per character with its similarity to every MRZ
character (``_ocrb``). Each position admits a known set (ICAO 9303-3..7): the document
code's first letter is ``P``, ``I``, ``A``, ``C`` or ``V``; dates and check digits are
digits; state codes and names letters; sex ``M``, ``F``, ``X`` or ``<``; the document
number and optional data mix both. A position of one kind takes its best-scoring allowed
character. Where digits and letters mix, the shapes that check digits cannot separate
(``0``/``O``, ``8``/``B``, ``2``/``Z``, ``6``/``G``...) are told apart by the image, not by a
rule: the glyph is compared with the glyphs of this same document whose class its
position already fixed (a ``0`` of a date, an ``O`` of a name: one font, one print), and
with the OCR-B templates where the document holds no such glyph. Of the readings of a
checked field whose every character stays within ``MARGIN`` of its best, the best-scoring
one that passes the check digits is kept; a field no close reading satisfies stays as
the image reads it (its check fails: never made valid by force).
"""

from __future__ import annotations

import itertools
from typing import NamedTuple

import numpy as np

from kyc_sdk.errors import InvalidIdentifier
from kyc_sdk.identifiers import mrz as mrz_id

from ._ocrb import ALPHABET, Cell

LENGTHS = {44: 2, 36: 2, 30: 3}
DIGITS = "0123456789"
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
MARGIN = 0.06  # similarity below the best at which a character is still a reading
UNCHECKED_MARGIN = 0.05  # best minus second allowed score, where no check digit can help
_MAX_FLIPS = 8  # ambiguous positions searched per field (2^8 readings at most)
_SURE_PEER = 0.85  # a glyph this like its allowed best is an example of the document's print
_PEER_LIKE = 0.93  # at most this alike must two glyphs of one class on one document be
_PEER_SLACK = 0.02
_PEER_CLEAR = 0.03  # how much more like its winner's print a glyph is for a strong decision


def allowed(kind: str, visa: bool) -> list[list[str]]:
    """Per line, per position, the characters ICAO admits there (the document code's
    second character is the issuer's choice: a digit is seen, as in "C1")."""
    width = {"TD3": 44, "TD2": 36, "TD1": 30}[kind]
    name = LETTERS + "<"
    mixed = LETTERS + DIGITS + "<"
    if kind == "TD1":
        one = ["ACI", mixed, name, name, name] + [mixed] * 9 + [DIGITS + "<"] + [mixed] * 15
        two = [DIGITS] * 7 + ["MFX<"] + [DIGITS] * 7 + [name] * 3 + [mixed] * 11 + [DIGITS]
        return [one, two, [name] * 30]
    first = ["PIACV", mixed] + [name] * (width - 2)
    check_end = 42 if kind == "TD3" else 35
    second = [mixed] * 9 + [DIGITS + "<"] + [name] * 3 + [DIGITS] * 7 + ["MFX<"] + [DIGITS] * 7
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


def decode(cells: list[list[Cell]]) -> Decoded | None:
    """The MRZ lines the cells hold and how sure they are, or None when the cells' shape
    is not an MRZ's."""
    if not cells or len(cells[0]) not in LENGTHS or len(cells) < LENGTHS[len(cells[0])]:
        return None
    width = len(cells[0])
    cells = cells[-LENGTHS[width] :]
    if any(len(line) != width for line in cells):
        return None
    kind = {44: "TD3", 36: "TD2", 30: "TD1"}[width]
    visa = cells[0][0].scores[ALPHABET.index("V")] >= cells[0][0].scores.max() - 1e-6 and kind != "TD1"
    sets = allowed(kind, visa)
    scores = _with_peers(cells, sets)
    rows = [
        [_best(s, allowed_here) for s, allowed_here in zip(line, line_sets, strict=True)]
        for line, line_sets in zip(scores, sets, strict=True)
    ]
    lines = ["".join(row) for row in rows]
    fields = dict(_FIELDS[kind])
    if visa:
        fields.pop("personal_number", None)
    sure = ranked = True
    doubted: set[tuple[int, int]] = set()  # where a rival reading passes the same check
    for check, span in [*fields.items(), *([] if visa else [("composite", _REST[kind])])]:
        first = _passes(lines, check)
        lines, ok, rivals = _by_check(lines, scores, sets, span, check)
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
        if not (_clear(cells[r][c].scores, sets[r][c]) and _clear(scores[r][c], sets[r][c]))
    ]
    # a digit-or-letter glyph that neither its template nor the page's own print told
    # apart from a rival: the same swap twice can pass a check digit (weights 7 and 3)
    unclear += [
        (r, c)
        for r, line_sets in enumerate(sets)
        for c, a in enumerate(line_sets)
        if _mixed(a) and (r, c) not in unclear and not _clear(scores[r][c], a, MARGIN / 2 - 1e-4)
    ]
    unclear += sorted(doubted - set(unclear))
    return Decoded(lines, sure and not unclear, ranked, unclear)


class Decoded(NamedTuple):
    """``sure``: every check passed with no rival close reading passing it too and every
    unchecked glyph is clear; ``checks_sure``: every check passed as read or by one
    correction no rival matched (the reading's rank among recognisers, not a promise);
    ``unclear``: the positions in doubt."""

    lines: list[str]
    sure: bool
    checks_sure: bool
    unclear: list[tuple[int, int]]


def _clear(scores: np.ndarray, allowed_here: str, margin: float = UNCHECKED_MARGIN) -> bool:
    ranked = sorted((float(scores[ALPHABET.index(c)]) for c in allowed_here), reverse=True)
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
    return max(allowed_here, key=lambda c: scores[ALPHABET.index(c)])


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
            if ch != "<" and cell.scores[ALPHABET.index(ch)] >= _SURE_PEER:
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
    top = max(float(scores[ALPHABET.index(c)]) for c in allowed_here)
    rivals = [c for c in allowed_here if c != "<" and scores[ALPHABET.index(c)] >= top - 2 * MARGIN]
    if len(rivals) < 2:
        return scores
    # the cell itself is no witness for its own class
    others = {c: [v for key, v in peers.get(c, []) if key != id(cell)] for c in rivals}
    seen = {c: max(float(v @ cell.shape) for v in vecs) for c, vecs in others.items() if vecs}
    like = [c for c, sim in seen.items() if sim >= typical[c] - _PEER_SLACK]
    unseen = [c for c in rivals if c not in seen]
    if like:  # like this document's own print of a rival: that one, by how alike
        winner = max(like, key=lambda c: seen[c])
    elif seen and unseen:  # unlike every rival the page shows: one it does not show
        winner = max(unseen, key=lambda c: scores[ALPHABET.index(c)])
    else:
        return scores
    # Strong only when the page shows every rival and the glyph is clearly more like its
    # winner's print: then the rivals leave the close readings. Otherwise they stay close
    # (a check digit blind to the swap cannot then be taken as proof; peers were wrong on
    # 37 of 185 glyphs of the dev scans, on none of the 48 strong ones).
    raw = {c: float(scores[ALPHABET.index(c)]) for c in rivals}
    strong = (
        not unseen
        and all(seen[winner] - seen[c] >= _PEER_CLEAR for c in rivals if c != winner)
        and all(raw[winner] - raw[c] >= MARGIN / 2 for c in rivals if c != winner)
    )
    below = top - MARGIN - 1e-3 if strong else top - MARGIN / 2
    scores = scores.copy()
    for c in rivals:
        scores[ALPHABET.index(c)] = top if c == winner else min(scores[ALPHABET.index(c)], below)
    return scores


def _by_check(
    lines: list[str],
    scores: list[list[np.ndarray]],
    sets: list[list[str]],
    span: tuple[int, int, int],
    check: str,
) -> tuple[list[str], bool, set[tuple[int, int]]]:
    """The best-scoring close reading of ``span`` that passes ``check``, whether it is
    sure, and the positions where close readings that pass it too differ from it. Sure
    only when no other close reading passes: a check digit is one digit, so among many
    near-ties about one reading in ten passes by chance, and it is blind to a swap whose
    values differ by a multiple of ten (``<``/``K``, ``6``/``G``) or to the same swap at
    weights 7 and 3 (``00``/``OO``). A reading that passes as first read is held to the
    same test (seen on held-out specimens: ``OO`` for ``00`` in a document number and
    ``<`` for a ``K`` under the composite, both passing, both wrong)."""
    row, start, end = span
    options: list[list[tuple[float, str]]] = []
    for i in range(start, end):
        s = scores[row][i]
        best = max(float(s[ALPHABET.index(c)]) for c in sets[row][i])
        options.append(
            sorted(
                (best - float(s[ALPHABET.index(c)]), c)
                for c in sets[row][i]
                if float(s[ALPHABET.index(c)]) >= best - MARGIN
            )
        )
    spots = sorted((i for i, o in enumerate(options) if len(o) > 1), key=lambda i: options[i][1][0])[
        :_MAX_FLIPS
    ]
    first = _passes(lines, check)
    passing: list[tuple[float, list[str]]] = []
    for choice in itertools.product(*[options[i][:3] for i in spots]):
        text = list(lines[row])
        for i, (_, ch) in zip(spots, choice, strict=True):
            text[start + i] = ch
        candidate = list(lines)
        candidate[row] = "".join(text)
        if candidate != lines and _passes(candidate, check):
            passing.append((sum(c[0] for c in choice), candidate))
            if first:  # one rival that passes is enough to doubt the first reading
                break
    if first:
        return lines, not passing, _differing(lines, [c for _, c in passing], row)
    if not passing:
        return lines, False, set()
    passing.sort(key=lambda p: p[0])
    # Sure only when one character changed and no other close reading passes: a check
    # digit confirms one correction, it cannot vouch for several (seen: a number with
    # three changes that passed its check and the composite, wrong).
    chosen = passing[0][1]
    changed = sum(a != b for a, b in zip(chosen[row], lines[row], strict=True))
    return chosen, len(passing) == 1 and changed == 1, _differing(chosen, [c for _, c in passing[1:]], row)


def _differing(lines: list[str], others: list[list[str]], row: int) -> set[tuple[int, int]]:
    return {
        (row, c)
        for other in others
        for c, (a, b) in enumerate(zip(lines[row], other[row], strict=True))
        if a != b
    }


def _passes(lines: list[str], check: str) -> bool:
    try:
        checks = mrz_id.parse(lines).checks
    except InvalidIdentifier:
        return False
    return all(checks.values()) if check == "composite" else checks.get(check, False)
