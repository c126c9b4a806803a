"""Finding a card or passport page in a photograph and warping it flat.

The outline is found on a downscaled copy: edges (Canny on a lightly blurred grey
image, so a patterned table's fine texture is weakened while the document's long straight
edges survive), closed, and the largest contour that simplifies to a convex quadrilateral
of plausible size wins; failing that, the minimum-area rectangle of the largest region
brighter than its surroundings (a card is lighter than most tables). The pale region is
tried first; where a shadow leaves only part of the card above the brightness cut, the
edges' outline holding that part is taken instead (``_shadowed``). The quadrilateral is
ordered, warped to the canonical size (landscape), and the caller tells upright from
upside down by what it can read (``national_card`` tries 180° when labels are missing).
Where that outline reads nothing, the caller tries the others (``outlines``): each cue's
own, and the card by its brightness against the light around it (``_quad_from_even_light``:
a shadow across a card on a patterned table defeats both the fixed brightness cut and the
edges), then the whole frame.

EXIF orientation is already applied by ``kyc_sdk.imaging.load_rgb``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import cv2
import numpy as np

WORK_SIDE = 640  # detection runs at this long side: fast and enough for an outline
_SHADOW_RATIO = 2.2  # the card outline at most this many times the pale region it holds
MIN_AREA = 0.12  # of the frame: anything smaller is not the document being photographed


@dataclass(frozen=True)
class Found:
    """A warped document and where it was (corners in the original image, TL TR BR BL)."""

    image: np.ndarray
    corners: np.ndarray | None
    method: str


def order_corners(pts: np.ndarray) -> np.ndarray:
    """TL, TR, BR, BL, with the long side horizontal (a portrait shot is turned)."""
    pts = np.asarray(pts, np.float32).reshape(4, 2)
    centre = pts.mean(axis=0)
    angles = np.arctan2(pts[:, 1] - centre[1], pts[:, 0] - centre[0])
    pts = pts[np.argsort(angles)]  # clockwise in image coordinates, starting near TL
    start = int(np.argmin(pts.sum(axis=1)))
    pts = np.roll(pts, -start, axis=0)
    if np.linalg.norm(pts[1] - pts[0]) < np.linalg.norm(pts[3] - pts[0]):
        pts = np.roll(pts, -1, axis=0)  # portrait: make the long edge the top
    return pts


def _quad_from_edges(small: np.ndarray) -> np.ndarray | None:
    grey = cv2.GaussianBlur(cv2.cvtColor(small, cv2.COLOR_RGB2GRAY), (5, 5), 0)
    edges = cv2.Canny(grey, 30, 90)
    edges = cv2.morphologyEx(edges, cv2.MORPH_CLOSE, np.ones((5, 5), np.uint8))
    contours, _ = cv2.findContours(edges, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    area = small.shape[0] * small.shape[1]
    for contour in sorted(contours, key=cv2.contourArea, reverse=True)[:5]:
        hull = cv2.convexHull(contour)
        if cv2.contourArea(hull) < MIN_AREA * area:
            break
        quad = cv2.approxPolyDP(hull, 0.02 * cv2.arcLength(hull, True), True)
        if len(quad) == 4:
            return quad.reshape(4, 2).astype(np.float32)
    return None


def _quad_from_brightness(small: np.ndarray) -> np.ndarray | None:
    # Documents are pale and low in saturation; tables rarely are both.
    hsv = cv2.cvtColor(small, cv2.COLOR_RGB2HSV)
    mask: np.ndarray = ((hsv[..., 2] > 150) & (hsv[..., 1] < 70)).astype(np.uint8) * 255
    return _quad_of_largest(mask, small)


def _quad_of_largest(mask: np.ndarray, small: np.ndarray) -> np.ndarray | None:
    mask = cv2.morphologyEx(mask, cv2.MORPH_OPEN, np.ones((7, 7), np.uint8))
    contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    if not contours:
        return None
    best = max(contours, key=cv2.contourArea)
    if cv2.contourArea(best) < MIN_AREA * small.shape[0] * small.shape[1]:
        return None
    hull = cv2.convexHull(best)
    quad = cv2.approxPolyDP(hull, 0.02 * cv2.arcLength(hull, True), True)
    if len(quad) == 4:  # keeps the perspective; a glare-bitten outline falls back to a box
        return quad.reshape(4, 2).astype(np.float32)
    return cv2.boxPoints(cv2.minAreaRect(best)).astype(np.float32)


# The light around each point: the brightness closed over dark print and blurred this
# wide (of the work image's long side), far wider than a shadow's soft edge.
_LIGHT_SPREAD = 1 / 16
_EVEN_CUT = 0.95  # brightness over the light around it above which a point is the card's


def _quad_from_even_light(small: np.ndarray) -> np.ndarray | None:
    """The card as the largest pale region once the light is evened out: a shadow darkens
    the card and the table under it alike, so each point's brightness over the light
    around it keeps the card above the table where a fixed cut loses its shaded part
    (tuning shadows on a checked table: 0.17-0.23 of the frame found, 0.51 with this)."""
    hsv = cv2.cvtColor(small, cv2.COLOR_RGB2HSV)
    value = hsv[..., 2].astype(np.float32)
    light = cv2.morphologyEx(value, cv2.MORPH_CLOSE, np.ones((15, 15), np.uint8))
    light = cv2.GaussianBlur(light, (0, 0), _LIGHT_SPREAD * max(small.shape[:2]))
    mask = ((value > _EVEN_CUT * np.maximum(light, 1)) & (hsv[..., 1] < 70)).astype(np.uint8) * 255
    return _quad_of_largest(mask, small)


def _small(rgb: np.ndarray) -> tuple[np.ndarray, float]:
    scale = min(WORK_SIDE / max(rgb.shape[:2]), 1.0)
    # explicit sizes of at least 1 px: fx/fy rounded a 1-3 px side to an empty image (cv2.error)
    work = (max(1, round(rgb.shape[1] * scale)), max(1, round(rgb.shape[0] * scale)))
    return (cv2.resize(rgb, work, interpolation=cv2.INTER_AREA) if scale < 1 else rgb), scale


def outlines(rgb: np.ndarray, size: tuple[int, int], tried: Found | None) -> Iterator[Found]:
    """The outlines the cues find besides ``tried`` (``find_document``'s), warped to
    ``size``, each different from those before, then the whole frame as it is (``method``
    "frame": the card's text still reads where no outline holds). Lazy: a caller stops
    at the first that reads."""
    seen = [tried.corners] if tried is not None and tried.corners is not None else []
    small, scale = _small(rgb)
    for method, finder in (
        ("even-light", _quad_from_even_light),
        ("edges", _quad_from_edges),
        ("brightness", _quad_from_brightness),
    ):
        quad = finder(small)
        if quad is None or not _plausible(quad, size):
            continue
        corners = order_corners(quad / scale)
        if all(np.abs(corners - other).max() > 0.03 * max(rgb.shape[:2]) for other in seen):
            seen.append(corners)
            yield Found(warp(rgb, corners, size), corners, method)
    yield Found(_framed(rgb, size), None, "frame")


def _framed(rgb: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    # The whole frame at the scale a card filling most of it would be warped to.
    scale = size[0] / (0.8 * max(rgb.shape[:2]))
    dims = (max(1, round(rgb.shape[1] * scale)), max(1, round(rgb.shape[0] * scale)))
    return cv2.resize(rgb, dims, interpolation=cv2.INTER_AREA if scale < 1 else cv2.INTER_CUBIC)


def find_document(rgb: np.ndarray, size: tuple[int, int]) -> Found | None:
    """The document warped to ``size`` (width, height), or None when none is found."""
    small, scale = _small(rgb)
    quads = {}
    for method, finder in (("brightness", _quad_from_brightness), ("edges", _quad_from_edges)):
        quad = finder(small)
        if quad is not None and _plausible(quad, size):
            quads[method] = quad
    frame = float(small.shape[0] * small.shape[1])
    if "brightness" in quads and "edges" in quads and _shadowed(quads["brightness"], quads["edges"], frame):
        del quads["brightness"]
    for method, quad in quads.items():
        corners = order_corners(quad / scale)
        return Found(warp(rgb, corners, size), corners, method)
    return None


def _shadowed(bright: np.ndarray, edges: np.ndarray, frame: float) -> bool:
    """Whether the pale region is only part of the outline found by its edges: a shadow
    across the card leaves its shaded part below the brightness cut, while its edges
    still show. Then the outline is the card: it holds the pale region and is not
    much larger than it nor the frame itself (not the table around the card)."""
    outline = edges.reshape(-1, 1, 2).astype(np.float32)
    inside = all(cv2.pointPolygonTest(outline, (float(x), float(y)), True) > -6 for x, y in bright)
    ratio = cv2.contourArea(outline) / max(cv2.contourArea(bright.reshape(-1, 1, 2)), 1.0)
    return inside and 1.1 < ratio < _SHADOW_RATIO and cv2.contourArea(outline) < 0.8 * frame


def _plausible(quad: np.ndarray, size: tuple[int, int]) -> bool:
    # The warped aspect must be near the document's: a square table tile is not a card.
    pts = order_corners(quad)
    width = float(np.linalg.norm(pts[1] - pts[0]) + np.linalg.norm(pts[2] - pts[3])) / 2
    height = float(np.linalg.norm(pts[3] - pts[0]) + np.linalg.norm(pts[2] - pts[1])) / 2
    aspect = width / max(height, 1.0)
    return abs(aspect - size[0] / size[1]) < 0.35 * size[0] / size[1]


def warp(rgb: np.ndarray, corners: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    w, h = size
    target = np.array([[0, 0], [w - 1, 0], [w - 1, h - 1], [0, h - 1]], np.float32)
    matrix = cv2.getPerspectiveTransform(np.asarray(corners, np.float32), target)
    return cv2.warpPerspective(rgb, matrix, (w, h), flags=cv2.INTER_CUBIC, borderMode=cv2.BORDER_REPLICATE)


def rotate180(rgb: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(rgb[::-1, ::-1])
