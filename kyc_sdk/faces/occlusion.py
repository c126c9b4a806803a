"""How much of a face between the brows and the chin is covered (a mask, a scarf, a hand,
hair, dark glasses): a face the encoder sees only in part gives a distance that says
little about the person, so ``match.photo_reasons`` flags it (``OCCLUDED``) and
registration asks for the face uncovered rather than declining.

Read on the 150 px chip the encoder itself aligns on dlib's public-domain 5-point
landmarks (``shapes.face_chip``), where brows to chin fill a fixed window: cut into
``GRID`` × ``GRID`` cells, a cell is covered when its colour (log chromaticity, which a
change of exposure leaves alone) is far from the face's own skin (the median over the
cells where skin is expected), or it is much darker than that skin. The face is flagged
when a share of its skin cells is covered, or a whole band across it. The cells judged
(``SKIN_CELLS``) are those that held skin on nearly every uncovered tuning face; eyes,
brows and the mouth's line are mostly left out, since they differ from skin by nature. A
headscarf framing the face lies outside the window and is not seen.

Two covers those cells miss are judged on their own (stop 26): a fringe over the brows
(the brows are dark by nature, so hair over them does not read as cover; what gives it
away is that the forehead above both brows is dark without a break from the chip's top
down to the brows' line, where an uncovered forehead or a headscarf's opening shows skin),
and a dark, flat object over the lower part of one cheek at the face's edge (a phone),
whose cells are outside ``SKIN_CELLS`` because background and hair reach them on uncovered
faces: flat (no skin texture) and dark together they are not, while the same side's
forehead is lit (a light from one side darkens the whole half, not its lower part).
"""

from __future__ import annotations

import cv2
import numpy as np

from kyc_sdk.faces.detection import Face, as_rgb
from kyc_sdk.faces.shapes import face_chip

OCCLUDED = "quality_occluded"
GRID = 8
# the chip's brows-to-chin window (pixels of the 150 px chip): rows 30-150, columns 15-135
WINDOW = (30, 150, 15, 135)
# A cell is covered when its chromaticity lies this far from the skin's, as a share of
# the skin's own distance from grey (never below ``GREY_FLOOR``): a power-law exposure
# scales log chromaticities, so a fixed distance read darkened skin as cover ...
CHROMA_FAR = 1.0
GREY_FLOOR = 0.1
# ... or its luma is below this share of the skin's (dark glasses, dark hair or cloth)
DARK = 0.45
# flagged from this share of the skin cells covered, or a whole band across the face
COVERED_SHARE = 0.30
BAND_CELLS = 3  # a row of the window counts as a band with at least this many skin cells
# Cells (row, column of the window) where skin lies on the uncovered tuning faces
# (``gate_eval.py --occlusion-tune``: covered on at most 10 % of them by the rule above).
SKIN_CELLS = (
    *((0, c) for c in (1, 3, 4)),
    *((r, c) for r in range(1, 6) for c in range(1, 7)),
    *((6, c) for c in range(2, 6)),
    (7, 3),
    (7, 4),
)


# A fringe: the per-row median luma over each brow (chip columns below) stays under
# ``DARK`` × the skin's from chip row ``FRINGE_FROM`` down to row ``FRINGE_TO`` (the
# brows' upper edge on the tuning originals), over both brows.
BROW_COLUMNS = ((35, 65), (85, 115))
FRINGE_FROM, FRINGE_TO = 8, 30
# A cover at one cheek's edge: of the 15 px cells of chip rows 60-135 and the three columns
# nearest that side (chip columns 90-135, or 15-60), at least ``SIDE_CELLS`` are dark
# (``DARK``) and flat (their luma's detail, the standard deviation after a 2 px Gaussian is
# taken away, under ``FLAT`` grey levels; skin, hair and most backgrounds have more), and
# that side's forehead (chip rows 15-45 over the same columns' inner two) is not dark.
SIDE_ROWS = (60, 135)
SIDE_COLUMNS = ((90, 135), (15, 60))
SIDE_FOREHEAD = (15, 45)
CELL = 15
CHIP_MIDDLE = 75
FLAT = 3.0
SIDE_CELLS = 8  # of 15; the uncovered tuning faces reach 6 (a plain dark background), the phones 8-13


def _gate_chip(rgb: np.ndarray, face: Face) -> np.ndarray:
    return face_chip(as_rgb(rgb), face).astype(np.float32)


def cell_colours(rgb: np.ndarray, face: Face) -> tuple[np.ndarray, np.ndarray]:
    """Per cell of the brows-to-chin window (``GRID`` × ``GRID``): its median log
    chromaticity (log R/G, log B/G; ``GRID`` × ``GRID`` × 2) and median luma."""
    return _window_colours(cv2.GaussianBlur(_gate_chip(rgb, face), (0, 0), 1.0))


def _window_colours(chip: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    top, bottom, left, right = WINDOW
    window = chip[top:bottom, left:right]
    r, g, b = (window[..., k] + 8.0 for k in range(3))  # the offset keeps dark pixels' ratios calm
    chroma = np.stack([np.log(r / g), np.log(b / g)], axis=-1)
    luma = window @ np.array([0.299, 0.587, 0.114], np.float32)
    n = window.shape[0] // GRID
    cells = chroma.reshape(GRID, n, GRID, n, 2).transpose(0, 2, 1, 3, 4).reshape(GRID, GRID, n * n, 2)
    lumas = luma.reshape(GRID, n, GRID, n).transpose(0, 2, 1, 3).reshape(GRID, GRID, n * n)
    return np.median(cells, axis=2), np.median(lumas, axis=2)


def covered_cells(rgb: np.ndarray, face: Face) -> np.ndarray:
    """Which of ``SKIN_CELLS`` do not look like this face's own skin (bool, in order)."""
    return _covered(*cell_colours(rgb, face))[0]


def _covered(chroma: np.ndarray, luma: np.ndarray) -> tuple[np.ndarray, float]:
    """``covered_cells`` from the window's colours, and the skin's luma."""
    rows, cols = np.array(SKIN_CELLS).T
    skin_chroma, skin_luma = chroma[rows, cols], luma[rows, cols]
    reference, level = np.median(skin_chroma, axis=0), float(np.median(skin_luma))
    saturation = max(float(np.linalg.norm(reference)), GREY_FLOOR)
    far = np.linalg.norm(skin_chroma - reference, axis=1) > CHROMA_FAR * saturation
    return np.asarray(far | (skin_luma < DARK * level)), level


def covered_share(rgb: np.ndarray, face: Face) -> float:
    """The share of ``SKIN_CELLS`` that do not look like this face's own skin."""
    return float(np.mean(covered_cells(rgb, face)))


def _band_covered(covered: np.ndarray) -> bool:
    rows = np.array([r for r, _ in SKIN_CELLS])
    return any(covered[rows == r].all() for r in range(GRID) if (rows == r).sum() >= BAND_CELLS)


def _skin_flag(covered: np.ndarray) -> bool:
    return bool(covered.mean() >= COVERED_SHARE or _band_covered(covered))


def skin_covered(chip: np.ndarray) -> bool:
    """The stop-25 measure alone: ``COVERED_SHARE`` of the skin cells, or a band of them,
    covered on the gate's chip (without the fringe and cheek-edge tests)."""
    blurred = cv2.GaussianBlur(chip.astype(np.float32), (0, 0), 1.0)
    return _skin_flag(_covered(*_window_colours(blurred))[0])


def _luma(chip: np.ndarray) -> np.ndarray:
    return np.asarray(chip @ np.array([0.299, 0.587, 0.114], np.float32))


def fringe_over_brows(luma: np.ndarray, level: float) -> bool:
    """Dark without a break from the forehead down to the brows, over both brows."""
    rows = slice(FRINGE_FROM, FRINGE_TO + 1)
    return all(bool(np.all(np.median(luma[rows, a:b], axis=1) < DARK * level)) for a, b in BROW_COLUMNS)


def _cells(plane: np.ndarray, rows: tuple[int, int], cols: tuple[int, int]) -> np.ndarray:
    block = plane[rows[0] : rows[1], cols[0] : cols[1]]
    h, w = block.shape[0] // CELL, block.shape[1] // CELL
    return block.reshape(h, CELL, w, CELL).transpose(0, 2, 1, 3).reshape(h, w, CELL * CELL)


def cover_at_cheek_edge(luma: np.ndarray, raw_luma: np.ndarray, level: float) -> bool:
    """A dark, flat object over the lower part of one cheek at the face's edge."""
    detail = raw_luma - cv2.GaussianBlur(raw_luma, (0, 0), 2.0)
    for a, b in SIDE_COLUMNS:
        inner = (a, b - CELL) if a > CHIP_MIDDLE else (a + CELL, b)  # toward the nose
        dark = np.median(_cells(luma, SIDE_ROWS, (a, b)), axis=2) < DARK * level
        flat = _cells(detail, SIDE_ROWS, (a, b)).std(axis=2) < FLAT
        forehead = float(np.median(luma[SIDE_FOREHEAD[0] : SIDE_FOREHEAD[1], inner[0] : inner[1]]))
        if int((dark & flat).sum()) >= SIDE_CELLS and forehead >= DARK * level:
            return True
    return False


def chip_occluded(chip: np.ndarray) -> bool:
    """Whether the gate's 150 px chip (``face_chip``, RGB) shows a covered face."""
    raw = chip.astype(np.float32)
    blurred = cv2.GaussianBlur(raw, (0, 0), 1.0)
    covered, level = _covered(*_window_colours(blurred))
    if _skin_flag(covered):
        return True
    luma = _luma(blurred)
    return fringe_over_brows(luma, level) or cover_at_cheek_edge(luma, _luma(raw), level)


def occlusion_reasons(rgb: np.ndarray, face: Face) -> tuple[str, ...]:
    """``(OCCLUDED,)`` when ``COVERED_SHARE`` or more of the face's skin is covered, a
    whole band of it across the face (dark glasses), a fringe over the brows, or a dark
    flat object over one cheek's edge (``chip_occluded``)."""
    return (OCCLUDED,) if chip_occluded(_gate_chip(rgb, face)) else ()
