"""Finding a card or passport page in a photograph and warping it flat.

The outline is found on a downscaled copy: edges (Canny on a lightly blurred grey
image, so a patterned table's fine texture is weakened while the document's long straight
edges survive), closed, and the largest contour that simplifies to a convex quadrilateral
of plausible size wins; failing that, the minimum-area rectangle of the largest region
brighter than its surroundings (a card is lighter than most tables). Each guess is then
moved onto the card's four straight edge lines (``_refine_by_edges``) and the guess whose
outline the edges support most is taken; on a tie the pale region, unless a shadow leaves
only part of the card above the brightness cut (``_shadowed``). The quadrilateral is
ordered, warped to the canonical size (landscape), and the caller tells upright from
upside down by what it can read (``national_card`` tries 180° when labels are missing).

EXIF orientation is already applied by ``kyc_sdk.imaging.load_rgb``.
"""

from __future__ import annotations

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


def find_document(rgb: np.ndarray, size: tuple[int, int]) -> Found | None:
    """The document warped to ``size`` (width, height), or None when none is found."""
    scale = min(WORK_SIDE / max(rgb.shape[:2]), 1.0)
    # explicit sizes of at least 1 px: fx/fy rounded a 1-3 px side to an empty image (cv2.error)
    work = (max(1, round(rgb.shape[1] * scale)), max(1, round(rgb.shape[0] * scale)))
    small = cv2.resize(rgb, work, interpolation=cv2.INTER_AREA) if scale < 1 else rgb
    quads = {}
    for method, finder in (("brightness", _quad_from_brightness), ("edges", _quad_from_edges)):
        quad = finder(small)
        if quad is not None and _plausible(quad, size):
            quads[method] = quad
    if not quads:
        return None
    # Each guess is refined onto the card's edge lines; the one whose outline runs along
    # the most pale-to-dark step wins (glare or a shadow bends the pale region past the
    # card, clutter bends the edges' outline). On a tie the pale region goes first, unless
    # it is only the lit part of the edges' outline (``_shadowed``).
    grey = cv2.GaussianBlur(cv2.cvtColor(small, cv2.COLOR_RGB2GRAY), (3, 3), 0).astype(np.float32)
    refined = {method: _refine_by_edges(grey, order_corners(quad), size) for method, quad in quads.items()}
    frame = float(small.shape[0] * small.shape[1])
    shadowed = len(quads) == 2 and _shadowed(quads["brightness"], quads["edges"], frame)
    first = "edges" if shadowed else "brightness"
    method = max(refined, key=lambda m: (refined[m][1], m == first))
    corners = order_corners(refined[method][0] / scale)
    return Found(warp(rgb, corners, size), corners, method)


def _refine_by_edges(grey: np.ndarray, quad: np.ndarray, size: tuple[int, int]) -> tuple[np.ndarray, float]:
    """The quadrilateral's corners moved to where the card's four edge lines meet.

    Both finders give corners only roughly: the pale region's box is a rectangle where
    perspective makes a trapezoid, and an outline's vertices are rounded by the blur and
    closing. Each side is a straight step from the pale card out to the darker table, so
    every side is searched afresh in a band around its first guess for the straight line
    with the most step along it (a small Hough search over the line's offsets at both
    ends), fitted to sub-pixel, and the corners are the lines' intersections. A side
    without a clear step along most of its length is looked for again in a wider band
    (glare or a shadow moves the pale region's edge far off the card's), then keeps its
    first guess (a pale paper beside the card); a result that is not a plausible card
    keeps them all. Also returned: the outline's support, the share of its sides' length
    on a clear step (0 to 4)."""
    centre = quad.mean(axis=0)
    short = min(float(np.linalg.norm(quad[(i + 1) % 4] - quad[i])) for i in range(4))
    reach = int(np.clip(0.15 * short, 6, 48))
    lines, support = [], 0.0
    for i in range(4):
        p0, p1 = quad[i], quad[(i + 1) % 4]
        found = _edge_line(grey, p0, p1, centre, reach)
        if found is None:  # glare or a shadow moved the first guess far: look wider
            found = _edge_line(grey, p0, p1, centre, int(np.clip(0.4 * short, reach, 120)))
        if found is None:
            direction = (p1 - p0) / max(float(np.linalg.norm(p1 - p0)), 1e-6)
            lines.append((p0.astype(np.float64), direction.astype(np.float64)))
        else:
            lines.append(found[:2])
            support += found[2]
    corners = [_intersect(lines[i - 1], lines[i]) for i in range(4)]
    if any(c is None for c in corners):
        return quad, 0.0
    refined = np.array(corners, np.float32)
    area = abs(cv2.contourArea(quad.reshape(-1, 1, 2)))
    new_area = abs(cv2.contourArea(refined.reshape(-1, 1, 2)))
    if not cv2.isContourConvex(refined.reshape(-1, 1, 2)) or not 0.7 < new_area / max(area, 1.0) < 1.4:
        return quad, 0.0
    return (refined, support) if _plausible(refined, size) else (quad, 0.0)


_SAMPLES = 48  # points along each side where the step is looked for


def _edge_line(
    grey: np.ndarray, p0: np.ndarray, p1: np.ndarray, centre: np.ndarray, reach: int
) -> tuple[np.ndarray, np.ndarray, float] | None:
    """(point, unit direction, share of the side on a clear step) of the side near p0-p1,
    or None when no clear step runs along most of it."""
    length = float(np.linalg.norm(p1 - p0))
    if length < 8:
        return None
    along = (p1 - p0) / length
    normal = np.array([-along[1], along[0]], np.float32)
    if float(np.dot((p0 + p1) / 2 - centre, normal)) < 0:
        normal = -normal  # outward, away from the card's centre
    ts = np.linspace(0.1, 0.9, _SAMPLES, dtype=np.float32)  # the corners' ends belong to other sides
    offsets = np.arange(-reach, reach + 2, dtype=np.float32)
    points = p0 + ts[:, None, None] * (p1 - p0) + offsets[None, :, None] * normal
    profile = cv2.remap(
        grey, points[..., 0], points[..., 1], cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE
    )
    # the step from pale inside to darker outside, capped so that one dark print line
    # (bold text near the edge) cannot outweigh an edge that runs the whole side
    step = np.clip(profile[:, :-1] - profile[:, 1:], 0, 24.0)  # (samples, 2 * reach + 1)
    n = step.shape[1]
    # candidate lines 2 px apart in a wide band (the sub-pixel fit below looks ±2 px around)
    grid = np.arange(0, n, 2 if n > 40 else 1)
    first, last = np.meshgrid(grid, grid, indexing="ij")
    frac = (ts - ts[0]) / (ts[-1] - ts[0])
    index = np.rint(first[..., None] + (last - first)[..., None] * frac).astype(np.int32)
    score = step[np.arange(_SAMPLES), index].sum(axis=-1)  # each candidate line's support
    a, b = np.unravel_index(int(np.argmax(score)), score.shape)
    on_line = step[np.arange(_SAMPLES), index[a, b]]
    if np.count_nonzero(on_line > 8.0) < 0.6 * _SAMPLES:
        return None
    # sub-pixel: the step's peak in each sample near the chosen line, then a line fit
    xs = []
    for k, j in enumerate(index[a, b]):
        lo, hi = max(j - 2, 0), min(j + 3, n)
        seg = step[k, lo:hi]
        m = lo + int(np.argmax(seg))
        if step[k, m] <= 8.0:
            continue
        left = step[k, m - 1] if m > 0 else step[k, m]
        right = step[k, m + 1] if m + 1 < n else step[k, m]
        denom = left - 2 * step[k, m] + right
        shift = 0.5 * (left - right) / denom if denom < 0 else 0.0
        offset = offsets[m] + 0.5 + float(np.clip(shift, -0.5, 0.5))  # the step sits between samples
        xs.append(p0 + ts[k] * (p1 - p0) + offset * normal)
    if len(xs) < 0.6 * _SAMPLES:
        return None
    vx, vy, x0, y0 = cv2.fitLine(np.array(xs, np.float32), cv2.DIST_HUBER, 0, 0.01, 0.01).ravel()
    return np.array([x0, y0], np.float64), np.array([vx, vy], np.float64), len(xs) / _SAMPLES


def _intersect(
    first: tuple[np.ndarray, np.ndarray], second: tuple[np.ndarray, np.ndarray]
) -> np.ndarray | None:
    (p, d), (q, e) = first, second
    cross = d[0] * e[1] - d[1] * e[0]
    if abs(cross) < 0.2:  # near-parallel sides: no corner to speak of
        return None
    t = ((q[0] - p[0]) * e[1] - (q[1] - p[1]) * e[0]) / cross
    return p + t * d


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
