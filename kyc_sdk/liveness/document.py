"""Is an ID document held up to the camera? (``document_in_frame``, issues 13 and 14)

A selfie is a face; a photographed national card or passport page is a rectangle of the
card's shape, printed in rows of text, often with an MRZ band, and with a face that is
small beside the rectangle. ``find(rgb, face_box=None)`` looks for that rectangle and reads
its inside:

- the rectangle: a convex quadrilateral from the frame's edges covering at least
  ``MIN_AREA`` of the frame, its sides in ID-1 (85.6 × 54 mm, 1.59) or ID-3 (125 × 88 mm,
  1.42) proportion, within what a tilt does to them;
- text: rows of small dark marks inside it (morphological black-hat, joined along rows);
  a passport's MRZ is two long rows at the bottom;
- the face, when one was found: a face inside the rectangle must be small against it.

A document needs the rectangle and ``MIN_ROWS`` text rows, and no face filling it. A plain
door or window behind a person has no rows of characters.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

Box = tuple[int, int, int, int]
WORK_SIDE = 640  # the frame is searched at this long side
MIN_AREA = 0.08  # of the frame
ASPECT = (1.3, 1.85)  # long side / short side: ID-1 1.59, ID-3 1.42, with tilt
MIN_ROWS = 3
MAX_FACE_SHARE = 0.25  # a face filling the rectangle is framed by a doorway, not printed on a card


@dataclass(frozen=True, slots=True)
class Document:
    corners: np.ndarray  # 4×2, in the caller's pixels
    aspect: float
    rows: int  # text rows found inside
    mrz: bool  # two long rows along the bottom, as a passport's MRZ
    face_share: float  # face box area / document area (0 when no face is inside)


def _quads(gray: np.ndarray) -> list[np.ndarray]:
    """Convex four-cornered outlines, largest first."""
    edges = cv2.Canny(cv2.GaussianBlur(gray, (5, 5), 0), 30, 90)
    edges = cv2.dilate(edges, np.ones((3, 3), np.uint8))
    contours, _ = cv2.findContours(edges, cv2.RETR_LIST, cv2.CHAIN_APPROX_SIMPLE)
    area = gray.shape[0] * gray.shape[1]
    hulls = sorted((cv2.convexHull(c) for c in contours), key=cv2.contourArea, reverse=True)
    found = []
    for hull in hulls[:12]:  # a broken outline is a thin contour, but its hull is the card
        if cv2.contourArea(hull) < MIN_AREA * area:
            break
        approx = cv2.approxPolyDP(hull, 0.03 * cv2.arcLength(hull, True), True)
        if len(approx) == 4:
            found.append(approx.reshape(4, 2).astype(np.float32))
    return found


def _order(q: np.ndarray) -> np.ndarray:
    """Corners as top-left, top-right, bottom-right, bottom-left."""
    s, d = q.sum(axis=1), np.diff(q, axis=1).ravel()
    return np.array([q[np.argmin(s)], q[np.argmin(d)], q[np.argmax(s)], q[np.argmax(d)]], np.float32)


def _sides(q: np.ndarray) -> tuple[float, float]:
    w = (np.linalg.norm(q[1] - q[0]) + np.linalg.norm(q[2] - q[3])) / 2
    h = (np.linalg.norm(q[3] - q[0]) + np.linalg.norm(q[2] - q[1])) / 2
    return float(w), float(h)


def _rows(flat: np.ndarray) -> tuple[int, bool]:
    """Text rows in a rectified document (grey), and whether the bottom holds an MRZ."""
    h, w = flat.shape
    flat = flat[h // 25 : h - h // 25, w // 25 : w - w // 25]  # the outline itself is no text
    h, w = flat.shape
    hat = cv2.morphologyEx(flat, cv2.MORPH_BLACKHAT, cv2.getStructuringElement(cv2.MORPH_RECT, (15, 9)))
    _, ink = cv2.threshold(hat, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    if ink.mean() < 255 * 0.01:
        return 0, False
    joined = cv2.morphologyEx(ink, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (21, 3)))
    _, _, glyphs, centres = cv2.connectedComponentsWithStats(ink)
    n, _, stats, _ = cv2.connectedComponentsWithStats(joined)
    rows, mrz = 0, 0
    for x, y, bw, bh, _ in stats[1:n]:
        if not (bw >= 0.12 * w and 0.015 * h <= bh <= 0.12 * h and bw >= 3 * bh):
            continue
        inside = (
            (centres[1:, 0] >= x)
            & (centres[1:, 0] < x + bw)
            & (centres[1:, 1] >= y)
            & (centres[1:, 1] < y + bh)
            & (glyphs[1:, cv2.CC_STAT_HEIGHT] >= 0.4 * bh)
        )
        if inside.sum() >= 4:  # a row of separate characters, not a stripe or an edge
            rows += 1
            mrz += int(bw >= 0.7 * w and y >= 0.65 * h)
    return rows, mrz >= 1


def find(rgb: np.ndarray, face_box: Box | None = None) -> Document | None:
    """The ID document in ``rgb`` (RGB uint8), or None."""
    s = min(WORK_SIDE / max(rgb.shape[:2]), 1.0)
    if min(rgb.shape[:2]) * s < 64:  # a sliver of an image holds no document we could read
        return None
    small = cv2.resize(rgb, None, fx=s, fy=s, interpolation=cv2.INTER_AREA) if s < 1 else rgb
    gray = cv2.cvtColor(small, cv2.COLOR_RGB2GRAY)
    for quad in _quads(gray):
        q = _order(quad)
        w, h = _sides(q)
        if min(w, h) < 40:
            continue
        aspect = max(w, h) / min(w, h)
        if not ASPECT[0] <= aspect <= ASPECT[1]:
            continue
        fw, fh = (400, int(400 / aspect)) if w >= h else (int(400 / aspect), 400)
        m = cv2.getPerspectiveTransform(q, np.array([[0, 0], [fw, 0], [fw, fh], [0, fh]], np.float32))
        flat = cv2.warpPerspective(gray, m, (fw, fh))
        if fh > fw:
            flat = cv2.rotate(flat, cv2.ROTATE_90_CLOCKWISE)
        rows, mrz = _rows(flat)
        share = _face_share(q / s, face_box)
        if rows >= MIN_ROWS and share <= MAX_FACE_SHARE:
            return Document(q / s, aspect, rows, mrz, share)
    return None


def _face_share(corners: np.ndarray, face_box: Box | None) -> float:
    if face_box is None:
        return 0.0
    top, right, bottom, left = face_box
    centre = ((left + right) / 2, (top + bottom) / 2)
    if cv2.pointPolygonTest(corners.astype(np.float32), centre, False) < 0:
        return 0.0
    return (bottom - top) * (right - left) / max(cv2.contourArea(corners.astype(np.float32)), 1.0)
