"""Stop 24's held-out textile group (``gate_eval.py --textile-group``): honest photos whose
textiles reach over or right up to the face in geometries no tuning draw has, and prints
of several kinds, some of people wearing such textiles. Written and committed before any
run on its seed.

The tuning draws' only textile is the dither group's headscarf, a ring round the face
that never touches it. Here:
- scarf_over_face: a printed (floral, dotted or fine-check) headscarf that comes over the
  forehead, sometimes the brows' ends, and over both cheeks' sides, the opening an oval;
- patterned_collar: a fine colourful shirt pattern from just under the chin, and collar
  points up the neck;
- sheer_veil: a see-through coloured mesh (period 2-4 px, threads taking 25-50 % of the
  light) over the head down across the forehead, sometimes to the brows;
- printed_tshirt: a large saturated print on a T-shirt under the face, seen by a phone;
- scarf_print_scan: a person in a scarf_over_face scarf printed with an 8x8 Bayer per
  ink at any angle, scanned 2-3.5x;
- diffused_colour_scan: each ink error-diffused (half of them wearing a patterned collar),
  scanned 2-3x on a flatbed;
- clustered_photographed: clustered round dots per ink at 15/75/0 degrees plus a turn
  (half of them in a scarf_over_face scarf), photographed by a phone from a slant.

Each function takes the variant's crop (RGB uint8), the random stream and, where the
textile needs it, the labelled face's box in the crop (top, right, bottom, left); prints
also return the 3x3 map of the crop's pixels into the image.
"""

from __future__ import annotations

import cv2
import numpy as np
from dither_captures import (
    BAYER8,
    _jpeg,
    _scale,
    clustered_threshold,
    ordered_threshold,
    phone_capture,
    seen_from_a_slant,
)

Box = tuple[float, float, float, float]


def _grid(shape: tuple[int, int]) -> tuple[np.ndarray, np.ndarray]:
    yy, xx = np.mgrid[: shape[0], : shape[1]].astype(np.float32)
    return yy, xx


def printed_cloth(shape: tuple[int, int], rng: np.random.Generator) -> np.ndarray:
    """A printed fabric (float RGB 0-255): 3-5 saturated colours in one of a floral
    print (smooth noise of 1.5-5 px cut into the colours), polka dots (2-6 px) or a fine
    check (2-4 px), with soft folds."""
    h, w = shape
    palette = rng.uniform(10, 245, (int(rng.integers(3, 6)), 3)).astype(np.float32)
    kind = rng.integers(3)
    if kind == 0:
        field = cv2.GaussianBlur(rng.random((h, w)).astype(np.float32), (0, 0), rng.uniform(1.5, 5.0))
        ranks = np.argsort(np.argsort(field, axis=None)).reshape(h, w) / field.size
        index = np.minimum((ranks * len(palette)).astype(int), len(palette) - 1)
    elif kind == 1:
        yy, xx = _grid((h, w))
        period = rng.uniform(4, 12)
        a = rng.uniform(0, np.pi)
        u, v = xx * np.cos(a) + yy * np.sin(a), -xx * np.sin(a) + yy * np.cos(a)
        du, dv = (u / period) % 1 - 0.5, (v / period) % 1 - 0.5
        dot = (du**2 + dv**2) < rng.uniform(0.05, 0.15)
        index = np.where(dot, 1 + (np.floor(u / period).astype(int) % (len(palette) - 1)), 0)
    else:
        yy, xx = _grid((h, w))
        period = rng.uniform(2.0, 4.0)
        a = rng.uniform(0, np.pi)
        u, v = xx * np.cos(a) + yy * np.sin(a), -xx * np.sin(a) + yy * np.cos(a)
        index = (np.floor(u / period).astype(int) + 2 * np.floor(v / period).astype(int)) % len(palette)
    cloth = palette[index]
    folds = cv2.GaussianBlur(rng.uniform(0.7, 1.08, (h, w)).astype(np.float32), (0, 0), max(h, w) / 15)
    return cloth * folds[..., None]


def _worn(rgb: np.ndarray, cloth: np.ndarray, mask: np.ndarray, edge: float = 1.2) -> np.ndarray:
    """``cloth`` laid over ``rgb`` where ``mask`` is 1 (a soft edge of ``edge`` px)."""
    soft = cv2.GaussianBlur(mask.astype(np.float32), (0, 0), edge)[..., None]
    return np.clip(rgb.astype(np.float32) * (1 - soft) + cloth * soft, 0, 255)


def scarf_over_face_mask(shape: tuple[int, int], box: Box, rng: np.random.Generator) -> np.ndarray:
    """Where a headscarf that reaches over the face lies: everything inside an ellipse 2.1
    times the face box (and not below the chin's level plus a fold) except an oval
    opening whose top comes from 5 % above to 12 % below the box's top (over the forehead
    and the brows' ends) and whose sides come 3-12 % of the box inside it (over the cheeks)."""
    top, right, bottom, left = box
    h_box, w_box = bottom - top, right - left
    cx, cy = (left + right) / 2, (top + bottom) / 2
    yy, xx = _grid(shape)
    opening_top = top + rng.uniform(-0.05, 0.12) * h_box
    opening_bottom = bottom + rng.uniform(0.1, 0.25) * h_box
    half_w = (0.5 - rng.uniform(0.03, 0.12)) * w_box
    oy, ry = (opening_top + opening_bottom) / 2, (opening_bottom - opening_top) / 2
    inside = ((yy - oy) / ry) ** 2 + ((xx - cx) / half_w) ** 2 < 1
    outer = ((yy - cy) / (1.05 * h_box)) ** 2 + ((xx - cx) / (1.05 * w_box)) ** 2 < 1
    return outer & ~inside & (yy < bottom + 0.45 * h_box)


def _stored(rgb: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """An honest capture as a camera stores it: JPEG q85-95, or a phone's mosaic and JPEG."""
    if rng.random() < 0.5:
        return _jpeg(np.clip(rgb, 0, 255).astype(np.uint8), int(rng.integers(85, 96)))
    return phone_capture((np.clip(rgb, 0, 255) / 255) ** 2.2, rng, (85, 94))


def scarf_over_face(rgb: np.ndarray, rng: np.random.Generator, box: Box) -> np.ndarray:
    """An honest photo of a person whose printed headscarf comes over the forehead and the cheeks' sides."""
    dressed = _worn(rgb, printed_cloth(rgb.shape[:2], rng), scarf_over_face_mask(rgb.shape[:2], box, rng))
    return _stored(dressed, rng)


def patterned_collar(rgb: np.ndarray, rng: np.random.Generator, box: Box) -> np.ndarray:
    """An honest photo of a person in a shirt with a fine colourful print, from 5-20 % of
    the face box under the chin, and its collar points up the neck's sides."""
    top, right, bottom, left = box
    h_box, w_box, cx = bottom - top, right - left, (left + right) / 2
    yy, xx = _grid(rgb.shape[:2])
    neck = bottom + rng.uniform(0.05, 0.2) * h_box
    collar = (yy > neck - 0.25 * h_box + 0.6 * np.abs(xx - cx)) & (np.abs(xx - cx) > 0.18 * w_box)
    mask = (yy > neck) | (collar & (yy > bottom - 0.1 * h_box))
    return _stored(_worn(rgb, printed_cloth(rgb.shape[:2], rng), mask), rng)


def sheer_veil(rgb: np.ndarray, rng: np.random.Generator, box: Box) -> np.ndarray:
    """An honest photo through a see-through veil: a coloured mesh (period 2-4 px, its
    threads taking 25-50 % of the light) over the head, down to 5-30 % of the face box
    (over the forehead, sometimes to the brows), and the veil's folds round the face."""
    top, right, bottom, left = box
    h_box, w_box, cx = bottom - top, right - left, (left + right) / 2
    yy, xx = _grid(rgb.shape[:2])
    period, a = rng.uniform(2.0, 4.0), rng.uniform(0, np.pi / 2)
    u, v = xx * np.cos(a) + yy * np.sin(a), -xx * np.sin(a) + yy * np.cos(a)
    threads = np.maximum(np.cos(np.pi * u / period) ** 2, np.cos(np.pi * v / period) ** 2)
    cover = rng.uniform(0.25, 0.5) * threads
    colour = rng.uniform(10, 245, 3).astype(np.float32)
    edge = top + rng.uniform(0.05, 0.3) * h_box
    over = cv2.GaussianBlur((yy < edge).astype(np.float32), (0, 0), 1.5)
    veiled = rgb.astype(np.float32) * (1 - (cover * over)[..., None]) + colour * (cover * over)[..., None]
    cy = (top + bottom) / 2
    ring = ((yy - cy) / (0.62 * h_box)) ** 2 + ((xx - cx) / (0.62 * w_box)) ** 2 > 1
    folds = (ring & (yy < bottom + 0.3 * h_box)).astype(np.float32) * rng.uniform(0.5, 0.8)
    folded = veiled * (1 - folds[..., None]) + colour * folds[..., None] * (0.6 + 0.4 * threads[..., None])
    return _stored(folded, rng)


def printed_tshirt(rgb: np.ndarray, rng: np.random.Generator, box: Box) -> np.ndarray:
    """An honest phone photo of a person in a T-shirt with a large saturated print (discs,
    bars and a fine texture) from 10-30 % of the face box under the chin."""
    top, _, bottom, _ = box
    h_box = bottom - top
    h, w = rgb.shape[:2]
    shirt = np.full((h, w, 3), rng.uniform(20, 235, 3), np.float32)
    for _ in range(int(rng.integers(6, 14))):
        colour = tuple(float(c) for c in rng.uniform(0, 255, 3))
        centre = (int(rng.uniform(0, w)), int(rng.uniform(bottom, h + 1)))
        if rng.random() < 0.5:
            cv2.circle(shirt, centre, int(rng.uniform(3, 0.4 * w)), colour, -1)
        else:
            cv2.rectangle(
                shirt,
                centre,
                (centre[0] + int(rng.uniform(2, 0.5 * w)), centre[1] + int(rng.uniform(2, 12))),
                colour,
                -1,
            )
    shirt += rng.normal(0, 12, (h, w, 1)).astype(np.float32) * (rng.random((h, w, 1)) < 0.3)
    yy, _ = _grid((h, w))
    mask = yy > bottom + rng.uniform(0.1, 0.3) * h_box
    return phone_capture((_worn(rgb, shirt, mask) / 255) ** 2.2, rng, (85, 94))


def _flatbed(
    printed: np.ndarray, dots: int, zoom: float, rng: np.random.Generator, noise: tuple[float, float]
) -> tuple[np.ndarray, np.ndarray]:
    """``printed`` (0-1, ``dots`` dots a source pixel) scanned at ``zoom`` times the source
    (area), blur 0.5-0.9 px, noise drawn in ``noise``, JPEG q85-95; and the scan's scale."""
    shown = cv2.resize(printed, None, fx=zoom / dots, fy=zoom / dots, interpolation=cv2.INTER_AREA)
    shown = cv2.GaussianBlur(shown, (0, 0), rng.uniform(0.5, 0.9)) * 255
    noisy = np.clip(shown + rng.normal(0, rng.uniform(*noise), shown.shape), 0, 255).astype(np.uint8)
    return _jpeg(noisy, int(rng.integers(85, 96))), _scale(zoom)


def scarf_print_scan(rgb: np.ndarray, rng: np.random.Generator, box: Box) -> tuple[np.ndarray, np.ndarray]:
    """A person in a scarf_over_face scarf, printed in colour with an 8x8 Bayer per ink (each
    ink's tile shifted, the grid at 0-90 degrees, entries 1-1.5 dots) at 3 dots a pixel,
    ink spread 0.5-0.8 dot, scanned at 2-3.5x (area), blur 0.5-0.9 px, noise 1.5-3.5, JPEG q85-95."""
    dressed = _worn(rgb, printed_cloth(rgb.shape[:2], rng), scarf_over_face_mask(rgb.shape[:2], box, rng))
    dots = 3
    big = cv2.resize(dressed, None, fx=dots, fy=dots, interpolation=cv2.INTER_CUBIC) / 255
    angle, cell = rng.uniform(0, 90), rng.uniform(1.0, 1.5)
    inks = []
    for c in range(3):
        shifted = np.roll(BAYER8, (int(rng.integers(8)), int(rng.integers(8))), (0, 1))
        screen = ordered_threshold(big.shape[:2], shifted, angle, cell)
        ink = ((1 - big[..., c]) > screen).astype(np.float32)
        inks.append(cv2.GaussianBlur(ink, (0, 0), rng.uniform(0.5, 0.8)))
    printed = 1 - 0.9 * np.stack(inks, -1)
    return _flatbed(printed, dots, rng.uniform(2.0, 3.5), rng, (1.5, 3.5))


def diffused_colour_scan(
    rgb: np.ndarray, rng: np.random.Generator, box: Box, diffuse: object
) -> tuple[np.ndarray, np.ndarray]:
    """A colour print, each ink error-diffused (``diffuse``: faces_eval's Floyd-Steinberg)
    at 2 dots a pixel, half of them of a person in a patterned collar, ink spread 0.5-0.9
    dot, scanned on a flatbed at 2-3x (area), blur 0.5-0.9 px, noise 1-3, JPEG q85-95."""
    src = rgb.astype(np.float32)
    if rng.random() < 0.5:
        top, _, bottom, _ = box
        yy, _ = _grid(rgb.shape[:2])
        src = _worn(
            src, printed_cloth(rgb.shape[:2], rng), yy > bottom + rng.uniform(0.05, 0.2) * (bottom - top)
        )
    dots = 2
    big = cv2.resize(src, None, fx=dots, fy=dots, interpolation=cv2.INTER_CUBIC) / 255
    printed = np.stack([diffuse(np.clip(big[..., c], 0, 1)) for c in range(3)], -1)  # type: ignore[operator]
    printed = cv2.GaussianBlur(printed.astype(np.float32), (0, 0), rng.uniform(0.5, 0.9))
    return _flatbed(printed, dots, rng.uniform(2.0, 3.0), rng, (1.0, 3.0))


def clustered_photographed(
    rgb: np.ndarray, rng: np.random.Generator, box: Box
) -> tuple[np.ndarray, np.ndarray]:
    """A colour print with clustered round dots per ink (3-5 dots, at 15/75/0 degrees plus a
    turn of 0-30) at 3 dots a pixel, half of them of a person in a scarf_over_face scarf,
    dot gain 0.5-0.8 dot, photographed by a phone at 1.5-2.5x from a slant (mosaic, shot
    noise, sharpening, JPEG q80-92)."""
    src = rgb.astype(np.float32)
    if rng.random() < 0.5:
        src = _worn(src, printed_cloth(rgb.shape[:2], rng), scarf_over_face_mask(rgb.shape[:2], box, rng))
    dots = 3
    big = cv2.resize(src, None, fx=dots, fy=dots, interpolation=cv2.INTER_CUBIC) / 255
    period, turn = rng.uniform(3, 5), rng.uniform(0, 30)
    inks = []
    for c, angle in zip(range(3), (15.0, 75.0, 0.0), strict=True):
        ink = (1 - big[..., c]) > clustered_threshold(big.shape[:2], angle + turn, period)
        inks.append(cv2.GaussianBlur(ink.astype(np.float32), (0, 0), rng.uniform(0.5, 0.8)))
    printed = 1 - 0.9 * np.stack(inks, -1)
    seen, matrix = seen_from_a_slant(printed, dots, rng.uniform(1.5, 2.5), rng)
    seen = cv2.GaussianBlur(seen, (0, 0), rng.uniform(0.5, 1.0))
    return phone_capture(np.clip(seen, 0, 1) ** 2.2 * rng.uniform(0.7, 1.0), rng), matrix
