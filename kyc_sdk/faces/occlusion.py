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

The eyes, left out of those cells, are read apart (``eyes_covered``, stop 27): on the same
chip each eye sits at a fixed place, and an open eye's patch holds both the white or the
skin round it (bright) and the iris and lashes (dark), with texture where they meet. A
patch with nothing bright in it (a dark lens, an eyepatch, dark hair), nothing dark (a
palm, a pad), a flat middle (a lens or a palm) or a colour far from the skin's (a tinted
or mirrored lens, hair) is covered, and one covered eye flags the face.
"""

from __future__ import annotations

from dataclasses import dataclass

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
# The eyes' centres on the chip (row, column; the tuning originals' mean chip) and the
# patch read round each (half height, half width): the eye, its lids and some skin.
EYES = ((44, 46), (44, 101))
EYE_HALF = (8, 14)
MIDDLE_HALF = (4, 8)  # the patch's middle, where an open eye's iris meets its white
# An eye is covered when, as a share of the skin's luma, its patch's 95th percentile is
# under EYE_BRIGHT (nothing bright) or its 5th percentile above EYE_PALE (nothing dark); or
# its middle's SD over its mean (+8) is under EYE_FLAT; or its median colour lies EYE_FAR
# times the skin cells' CHROMA_FAR from the skin's. Each sits just beyond the most extreme
# uncovered face of the tuning draws (``gate_eval.py --eyes-tune``: 0.73, 0.93, 0.028, 1.78).
EYE_BRIGHT = 0.70
EYE_PALE = 0.95
EYE_FLAT = 0.025
EYE_FAR = 2.0


@dataclass(frozen=True)
class Planes:
    """The blurred chip's log chromaticity (log R/G, log B/G) and luma, full chip."""

    chroma: np.ndarray
    luma: np.ndarray


@dataclass(frozen=True)
class Skin:
    """The face's own skin over ``SKIN_CELLS``: median chromaticity, its distance from grey
    (never below ``GREY_FLOOR``) and median luma."""

    reference: np.ndarray
    saturation: float
    level: float


def chip_planes(rgb: np.ndarray, face: Face) -> Planes:
    """The encoder's aligned chip of ``face``, blurred (σ 1 px), as ``Planes``."""
    chip = cv2.GaussianBlur(face_chip(as_rgb(rgb), face).astype(np.float32), (0, 0), 1.0)
    r, g, b = (chip[..., k] + 8.0 for k in range(3))  # the offset keeps dark pixels' ratios calm
    chroma = np.stack([np.log(r / g), np.log(b / g)], axis=-1)
    return Planes(chroma, chip @ np.array([0.299, 0.587, 0.114], np.float32))


def _cells(planes: Planes) -> tuple[np.ndarray, np.ndarray]:
    """Per cell of the brows-to-chin window (``GRID`` × ``GRID``): its median log
    chromaticity (log R/G, log B/G; ``GRID`` × ``GRID`` × 2) and median luma."""
    top, bottom, left, right = WINDOW
    chroma, luma = planes.chroma[top:bottom, left:right], planes.luma[top:bottom, left:right]
    n = chroma.shape[0] // GRID
    cells = chroma.reshape(GRID, n, GRID, n, 2).transpose(0, 2, 1, 3, 4).reshape(GRID, GRID, n * n, 2)
    lumas = luma.reshape(GRID, n, GRID, n).transpose(0, 2, 1, 3).reshape(GRID, GRID, n * n)
    return np.median(cells, axis=2), np.median(lumas, axis=2)


def _skin_cells(planes: Planes) -> tuple[np.ndarray, Skin]:
    chroma, luma = _cells(planes)
    rows, cols = np.array(SKIN_CELLS).T
    skin_chroma, skin_luma = chroma[rows, cols], luma[rows, cols]
    reference, level = np.median(skin_chroma, axis=0), float(np.median(skin_luma))
    skin = Skin(reference, max(float(np.linalg.norm(reference)), GREY_FLOOR), level)
    far = np.linalg.norm(skin_chroma - reference, axis=1) > CHROMA_FAR * skin.saturation
    return np.asarray(far | (skin_luma < DARK * level)), skin


def covered_cells(rgb: np.ndarray, face: Face) -> np.ndarray:
    """Which of ``SKIN_CELLS`` do not look like this face's own skin (bool, in order)."""
    return _skin_cells(chip_planes(rgb, face))[0]


def covered_share(rgb: np.ndarray, face: Face) -> float:
    """The share of ``SKIN_CELLS`` that do not look like this face's own skin."""
    return float(np.mean(covered_cells(rgb, face)))


def _band_covered(covered: np.ndarray) -> bool:
    rows = np.array([r for r, _ in SKIN_CELLS])
    return any(covered[rows == r].all() for r in range(GRID) if (rows == r).sum() >= BAND_CELLS)


def _skin_occluded(covered: np.ndarray) -> bool:
    return bool(covered.mean() >= COVERED_SHARE or _band_covered(covered))


def skin_occluded(rgb: np.ndarray, face: Face) -> bool:
    """Stop 25's rule alone: ``COVERED_SHARE`` or more of the skin cells covered, or a band."""
    return _skin_occluded(covered_cells(rgb, face))


def _eye_covered(planes: Planes, skin: Skin, centre: tuple[int, int]) -> bool:
    (y, x), (h, w), (mh, mw) = centre, EYE_HALF, MIDDLE_HALF
    patch = planes.luma[y - h : y + h + 1, x - w : x + w + 1]
    dark, bright = np.percentile(patch, [5, 95]) / skin.level
    middle = planes.luma[y - mh : y + mh + 1, x - mw : x + mw + 1]
    flat = float(middle.std() / (middle.mean() + 8.0)) < EYE_FLAT
    colour = np.median(planes.chroma[y - h : y + h + 1, x - w : x + w + 1].reshape(-1, 2), axis=0)
    far = float(np.linalg.norm(colour - skin.reference)) > EYE_FAR * CHROMA_FAR * skin.saturation
    return bool(bright < EYE_BRIGHT or dark > EYE_PALE or flat or far)


def eyes_covered(rgb: np.ndarray, face: Face) -> tuple[bool, bool]:
    """Whether each eye (left, right on the chip) looks covered rather than open."""
    planes = chip_planes(rgb, face)
    skin = _skin_cells(planes)[1]
    left, right = (_eye_covered(planes, skin, centre) for centre in EYES)
    return left, right


def occlusion_reasons(rgb: np.ndarray, face: Face) -> tuple[str, ...]:
    """``(OCCLUDED,)`` when ``COVERED_SHARE`` or more of the face's skin is covered, or a
    whole band of it across the face (a fringe over the brows, dark glasses), or either
    eye is covered (sunglasses, a hand, hair, a patch)."""
    planes = chip_planes(rgb, face)
    covered, skin = _skin_cells(planes)
    eye = any(_eye_covered(planes, skin, centre) for centre in EYES)
    return (OCCLUDED,) if _skin_occluded(covered) or eye else ()
