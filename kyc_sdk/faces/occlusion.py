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


def cell_colours(rgb: np.ndarray, face: Face) -> tuple[np.ndarray, np.ndarray]:
    """Per cell of the brows-to-chin window (``GRID`` × ``GRID``): its median log
    chromaticity (log R/G, log B/G; ``GRID`` × ``GRID`` × 2) and median luma."""
    chip = cv2.GaussianBlur(face_chip(as_rgb(rgb), face).astype(np.float32), (0, 0), 1.0)
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
    chroma, luma = cell_colours(rgb, face)
    rows, cols = np.array(SKIN_CELLS).T
    skin_chroma, skin_luma = chroma[rows, cols], luma[rows, cols]
    reference, level = np.median(skin_chroma, axis=0), float(np.median(skin_luma))
    saturation = max(float(np.linalg.norm(reference)), GREY_FLOOR)
    far = np.linalg.norm(skin_chroma - reference, axis=1) > CHROMA_FAR * saturation
    return np.asarray(far | (skin_luma < DARK * level))


def covered_share(rgb: np.ndarray, face: Face) -> float:
    """The share of ``SKIN_CELLS`` that do not look like this face's own skin."""
    return float(np.mean(covered_cells(rgb, face)))


def _band_covered(covered: np.ndarray) -> bool:
    rows = np.array([r for r, _ in SKIN_CELLS])
    return any(covered[rows == r].all() for r in range(GRID) if (rows == r).sum() >= BAND_CELLS)


def occlusion_reasons(rgb: np.ndarray, face: Face) -> tuple[str, ...]:
    """``(OCCLUDED,)`` when ``COVERED_SHARE`` or more of the face's skin is covered, or a
    whole band of it across the face (a fringe over the brows, dark glasses)."""
    covered = covered_cells(rgb, face)
    return (OCCLUDED,) if covered.mean() >= COVERED_SHARE or _band_covered(covered) else ()
