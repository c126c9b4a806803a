"""Stop 23's held-out dither group (``gate_eval.py --dither-group``): prints with an
ordered (periodic) screen of cell sizes and angles no tuning draw has, and honest
captures with periodic content. Written and committed before any run on its seed.

Each function takes the variant's face crop (RGB, uint8) and the random stream and gives
the image and the map of the crop's pixels into it (a 3x3 perspective matrix), so the
caller can find the labelled face again.
"""

from __future__ import annotations

import cv2
import numpy as np

BAYER8 = np.array(
    [
        [0, 32, 8, 40, 2, 34, 10, 42],
        [48, 16, 56, 24, 50, 18, 58, 26],
        [12, 44, 4, 36, 14, 46, 6, 38],
        [60, 28, 52, 20, 62, 30, 54, 22],
        [3, 35, 11, 43, 1, 33, 9, 41],
        [51, 19, 59, 27, 49, 17, 57, 25],
        [15, 47, 7, 39, 13, 45, 5, 37],
        [63, 31, 55, 23, 61, 29, 53, 21],
    ],
    np.float32,
)
BAYER2 = np.array([[0, 2], [3, 1]], np.float32)
BAYER4 = np.array([[0, 8, 2, 10], [12, 4, 14, 6], [3, 11, 1, 9], [15, 7, 13, 5]], np.float32)


def _jpeg(rgb: np.ndarray, quality: int) -> np.ndarray:
    bgr = cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR)
    _ok, data = cv2.imencode(".jpg", bgr, [cv2.IMWRITE_JPEG_QUALITY, quality])
    return cv2.cvtColor(cv2.imdecode(data, cv2.IMREAD_COLOR), cv2.COLOR_BGR2RGB)


def _scale(zoom: float) -> np.ndarray:
    return np.float32([[zoom, 0, 0], [0, zoom, 0], [0, 0, 1]])


def _rotated_coords(shape: tuple[int, int], angle_deg: float, cell: float) -> tuple[np.ndarray, np.ndarray]:
    """Each pixel's coordinates on a screen grid rotated by ``angle_deg``, in cells of ``cell`` px."""
    yy, xx = np.mgrid[: shape[0], : shape[1]].astype(np.float32)
    a = np.deg2rad(angle_deg)
    return (xx * np.cos(a) + yy * np.sin(a)) / cell, (-xx * np.sin(a) + yy * np.cos(a)) / cell


def ordered_threshold(
    shape: tuple[int, int], matrix: np.ndarray, angle_deg: float, cell: float
) -> np.ndarray:
    """A dispersed ordered-dither threshold array in [0, 1): ``matrix`` tiled on a grid
    rotated by ``angle_deg``, each matrix entry ``cell`` printer dots wide."""
    u, v = _rotated_coords(shape, angle_deg, cell)
    n = matrix.shape[0]
    return (matrix[np.floor(v).astype(int) % n, np.floor(u).astype(int) % n] + 0.5) / matrix.size


def clustered_threshold(shape: tuple[int, int], angle_deg: float, period: float) -> np.ndarray:
    """A clustered-dot (AM) ordered threshold in [0, 1): a round-dot spot function on a
    grid of ``period`` printer dots rotated by ``angle_deg``."""
    u, v = _rotated_coords(shape, angle_deg, period)
    spot = (np.cos(2 * np.pi * u) + np.cos(2 * np.pi * v)) / 4 + 0.5  # 1 at a dot's centre
    return 1 - spot


def bayer8_mono_scan(rgb: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """A grey laser print with an 8x8 Bayer dither (each entry 1-1.5 dots, the grid at
    0-90 degrees) at 3 dots a pixel, toner spread 0.4-0.7 dot, scanned at 1.6-2.6x (area),
    the scanner's blur (0.4-0.8 px) and noise (1-3), PNG or JPEG q88-96."""
    dots = 3
    big = cv2.resize(rgb, None, fx=dots, fy=dots, interpolation=cv2.INTER_CUBIC).astype(np.float32) / 255
    grey = big @ np.float32([0.299, 0.587, 0.114])
    screen = ordered_threshold(grey.shape, BAYER8, rng.uniform(0, 90), rng.uniform(1.0, 1.5))
    toner = cv2.GaussianBlur((grey < screen).astype(np.float32), (0, 0), rng.uniform(0.4, 0.7))
    printed = np.repeat((1 - 0.93 * toner)[..., None], 3, 2)
    zoom = rng.uniform(1.6, 2.6)
    shown = cv2.resize(printed, None, fx=zoom / dots, fy=zoom / dots, interpolation=cv2.INTER_AREA)
    shown = cv2.GaussianBlur(shown, (0, 0), rng.uniform(0.4, 0.8)) * 255
    noisy = np.clip(shown + rng.normal(0, rng.uniform(1.0, 3.0), shown.shape), 0, 255).astype(np.uint8)
    out = _jpeg(noisy, int(rng.integers(88, 97))) if rng.random() < 0.5 else noisy
    return out, _scale(zoom)


def clustered_colour_scan(rgb: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """A colour offset print with clustered-dot ordered screens: each ink (cyan, magenta,
    yellow) a round-dot grid of 4-7 printer dots at its own angle (15, 75 and 0 degrees
    plus one turn of 0-30 for the press) at 3 dots a pixel, dot gain 0.5-0.8 dot, on a
    warm paper, scanned at 1.8-3x (area), blur 0.5-0.9 px, noise 1.5-3.5, JPEG q80-92."""
    dots = 3
    big = cv2.resize(rgb, None, fx=dots, fy=dots, interpolation=cv2.INTER_CUBIC).astype(np.float32) / 255
    period, turn = rng.uniform(4, 7), rng.uniform(0, 30)
    inks = []
    for c, angle in zip(range(3), (15.0, 75.0, 0.0), strict=True):
        ink = (1 - big[..., c]) > clustered_threshold(big.shape[:2], angle + turn, period)
        inks.append(cv2.GaussianBlur(ink.astype(np.float32), (0, 0), rng.uniform(0.5, 0.8)))
    paper = np.float32([rng.uniform(0.93, 1.0), rng.uniform(0.91, 0.98), rng.uniform(0.85, 0.93)])
    printed = paper * (1 - 0.92 * np.stack(inks, -1))
    zoom = rng.uniform(1.8, 3.0)
    shown = cv2.resize(printed, None, fx=zoom / dots, fy=zoom / dots, interpolation=cv2.INTER_AREA)
    shown = cv2.GaussianBlur(shown, (0, 0), rng.uniform(0.5, 0.9)) * 255
    noisy = np.clip(shown + rng.normal(0, rng.uniform(1.5, 3.5), shown.shape), 0, 255).astype(np.uint8)
    return _jpeg(noisy, int(rng.integers(80, 93))), _scale(zoom)


def ordered_photographed(rgb: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """A colour print with a dispersed ordered dither (2x2 or 4x4 Bayer, each ink's grid
    shifted, all at one angle of 0-45 degrees, entries of 1-1.5 dots) at 2 dots a pixel, ink
    spread 0.5-0.8 dot, photographed by a phone at 1.5-2.5x from a slant (corners moved up
    to 5 %), the lens (0.5-1.0 px), an RGGB mosaic with shot noise, demosaiced, a light
    sharpening, JPEG q80-92."""
    dots = 2
    big = cv2.resize(rgb, None, fx=dots, fy=dots, interpolation=cv2.INTER_CUBIC).astype(np.float32) / 255
    matrix = BAYER2 if rng.random() < 0.5 else BAYER4
    angle, cell = rng.uniform(0, 45), rng.uniform(1.0, 1.5)
    inks = []
    for c in range(3):
        shifted = np.roll(
            matrix, (int(rng.integers(matrix.shape[0])), int(rng.integers(matrix.shape[0]))), (0, 1)
        )
        screen = ordered_threshold(big.shape[:2], shifted, angle, cell)
        inks.append(
            cv2.GaussianBlur(((1 - big[..., c]) > screen).astype(np.float32), (0, 0), rng.uniform(0.5, 0.8))
        )
    printed = 1 - 0.9 * np.stack(inks, -1)
    seen, matrix = seen_from_a_slant(printed, dots, rng.uniform(1.5, 2.5), rng)
    seen = cv2.GaussianBlur(seen, (0, 0), rng.uniform(0.5, 1.0))
    return phone_capture(np.clip(seen, 0, 1) ** 2.2 * rng.uniform(0.7, 1.0), rng), matrix


def seen_from_a_slant(
    printed: np.ndarray, dots: int, zoom: float, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """A sheet printed at ``dots`` dots a pixel of the original, seen by a camera at
    ``zoom`` times the original's size from a slant (each corner moved up to 5 %): the
    image and the perspective matrix from the original's pixels."""
    h, w = printed.shape[0] // dots, printed.shape[1] // dots
    src = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    dst = src * zoom + rng.uniform(-0.05, 0.05, (4, 2)).astype(np.float32) * np.float32([w, h]) * zoom
    dst -= dst.min(axis=0)
    size = (int(np.ceil(dst[:, 0].max())), int(np.ceil(dst[:, 1].max())))
    shrunk = cv2.resize(printed, None, fx=zoom / dots, fy=zoom / dots, interpolation=cv2.INTER_AREA)
    seen = cv2.warpPerspective(
        shrunk, cv2.getPerspectiveTransform(src * zoom, dst), size, borderMode=cv2.BORDER_REPLICATE
    )
    return seen, cv2.getPerspectiveTransform(src, dst)


def phone_capture(
    linear: np.ndarray,
    rng: np.random.Generator,
    quality: tuple[int, int] = (80, 93),
    photons: tuple[float, float] = (600, 2500),
) -> np.ndarray:
    """A phone's capture of ``linear`` light: RGGB mosaic with shot noise (``photons`` at
    full scale), demosaiced, a light sharpening, JPEG of ``quality``."""
    mosaic = np.empty(linear.shape[:2], np.float32)
    mosaic[0::2, 0::2], mosaic[0::2, 1::2] = linear[0::2, 0::2, 0], linear[0::2, 1::2, 1]
    mosaic[1::2, 0::2], mosaic[1::2, 1::2] = linear[1::2, 0::2, 1], linear[1::2, 1::2, 2]
    full = rng.uniform(*photons)
    mosaic = rng.poisson(np.clip(mosaic, 0, 1) * full) / full
    raw = np.clip(255 * np.clip(mosaic, 0, 1) ** (1 / 2.2), 0, 255).astype(np.uint8)
    shot = cv2.cvtColor(raw, cv2.COLOR_BayerBG2RGB).astype(np.float32)
    sharp = shot + rng.uniform(0.2, 0.6) * (shot - cv2.GaussianBlur(shot, (0, 0), 1.0))
    return _jpeg(np.clip(sharp, 0, 255).astype(np.uint8), int(rng.integers(*quality)))


def _scarf_mask(shape: tuple[int, int], face_box: tuple[float, float, float, float]) -> np.ndarray:
    """Where a headscarf lies: round the face (outside an ellipse 1.05 times the face box,
    inside one 1.9 times it), and not below the chin."""
    top, right, bottom, left = face_box
    cy, cx = (top + bottom) / 2, (left + right) / 2
    ry, rx = (bottom - top) / 2, (right - left) / 2
    yy, xx = np.mgrid[: shape[0], : shape[1]].astype(np.float32)
    d = ((yy - cy) / ry) ** 2 + ((xx - cx) / rx) ** 2
    return ((d > 1.05**2) & (d < 1.9**2) & (yy < bottom + 0.1 * ry)).astype(np.float32)


def _textile(shape: tuple[int, int], rng: np.random.Generator, period: float) -> np.ndarray:
    """A woven pattern in [0, 1]: stripes or checks of ``period`` px at any angle, point
    sampled (so a period near the pixel pitch aliases, as a camera without an
    anti-aliasing filter sees it)."""
    u, v = _rotated_coords(shape, rng.uniform(0, 180), period)
    stripes = (np.sin(2 * np.pi * u) > 0).astype(np.float32)
    if rng.random() < 0.5:
        return stripes
    return 0.5 * stripes + 0.5 * (np.sin(2 * np.pi * v) > 0).astype(np.float32)


def patterned_scarf(
    rgb: np.ndarray, rng: np.random.Generator, face_box: tuple[float, float, float, float], *, moire: bool
) -> np.ndarray:
    """An honest photo of a person in a patterned headscarf: a striped or checked textile
    of two colours round the face (the face itself untouched), with soft shading.
    ``moire=False`` (patterned_scarf): a period of 3-9 px, JPEG q85-95. ``moire=True``
    (moire_selfie): a period of 1.6-2.6 px (finer than the sensor resolves: it aliases
    into moire) seen through the phone's RGGB mosaic with shot noise, JPEG q85-93."""
    h, w = rgb.shape[:2]
    period = rng.uniform(1.6, 2.6) if moire else rng.uniform(3.0, 9.0)
    cloth = _textile((h, w), rng, period)
    a, b = rng.uniform(20, 235, 3), rng.uniform(20, 235, 3)
    colour = a + (b - a) * cloth[..., None]
    shade = cv2.GaussianBlur(rng.uniform(0.75, 1.05, (h, w)).astype(np.float32), (0, 0), max(h, w) / 12)
    mask = cv2.GaussianBlur(_scarf_mask((h, w), face_box), (0, 0), 1.0)[..., None]
    dressed = rgb.astype(np.float32) * (1 - mask) + colour * shade[..., None] * mask
    dressed = np.clip(dressed, 0, 255)
    if moire:
        return phone_capture((dressed / 255) ** 2.2, rng, (85, 94))
    return _jpeg(dressed.astype(np.uint8), int(rng.integers(85, 96)))


def blocky_selfie(rgb: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """An honest large photo stored hard by an app: JPEG q30-45, then again at q70-85
    (the 8x8 block grid twice, at the same phase)."""
    return _jpeg(_jpeg(rgb, int(rng.integers(30, 46))), int(rng.integers(70, 86)))
