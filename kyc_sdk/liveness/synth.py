"""Generated bona fide captures and presentation attacks: a fixture for tests and
``benchmarks/liveness_eval.py``, not part of the decision path.

Every function takes a real face photo (RGB) and a ``numpy.random.Generator`` so a set is
reproducible from its seed. What it simulates, and why:

- ``capture``: a second of a live camera: exposure and white-balance drift, sensor noise,
  JPEG. Used for bona fide images.
- ``print_attack``: inkjet/laser print re-filmed: gamut compressed towards paper white,
  a halftone dot screen, the sheet's white margin and edges inside a scene.
- ``replay_attack``: a phone or tablet screen re-filmed: display gamma and blue cast, the
  pixel grid beating with the sensor (moiré), a dark bezel, sometimes a reflected light.
- ``cutout_attack``: a printed face cut along its outline and held in front of a scene.
- ``animate``: a bona fide *video* made by warping the photo's own landmarks (blink, head
  turn, open mouth) with a piecewise-affine mesh. It is what a live person's frames look
  like to the landmark tracker, and also exactly what a photo-animation attack does, so
  the set cannot measure that species (see the benchmark's notes).

What a generated set cannot show: how real printers, screens and cameras vary. The cues
and these generators were written by the same hands; figures on this set are a
regression check, not an APCER a certification lab would measure.
"""

from __future__ import annotations

from collections.abc import Sequence

import cv2
import numpy as np

Rng = np.random.Generator


def jpeg(rgb: np.ndarray, quality: int, sampling: int | None = None) -> np.ndarray:
    """Round-trip through JPEG, as every camera upload does; ``sampling``: the chroma
    subsampling (``cv2.IMWRITE_JPEG_SAMPLING_FACTOR_*``) where a camera's own is meant."""
    params = [cv2.IMWRITE_JPEG_QUALITY, int(quality)]
    if sampling is not None:
        params += [cv2.IMWRITE_JPEG_SAMPLING_FACTOR, sampling]
    ok, buf = cv2.imencode(".jpg", rgb[:, :, ::-1], params)
    decoded = cv2.imdecode(buf, cv2.IMREAD_COLOR) if ok else None
    if decoded is None:
        raise ValueError("JPEG round trip failed")
    return np.ascontiguousarray(decoded[:, :, ::-1])


def _camera(img: np.ndarray, rng: Rng, noise: float = 2.5) -> np.ndarray:
    """Sensor noise, slight exposure and white-balance drift, JPEG."""
    f = img.astype(np.float32) * rng.uniform(0.9, 1.1) * rng.uniform(0.97, 1.03, 3)
    f += rng.normal(0, noise, f.shape).astype(np.float32)
    return jpeg(np.clip(f, 0, 255).astype(np.uint8), int(rng.integers(80, 96)))


def capture(rgb: np.ndarray, rng: Rng) -> np.ndarray:
    """A bona fide capture of ``rgb``: gamma, exposure, noise and JPEG varied."""
    gamma = rng.uniform(0.85, 1.15)
    f = 255.0 * (rgb.astype(np.float32) / 255.0) ** gamma
    return _camera(np.clip(f, 0, 255).astype(np.uint8), rng)


def _scene(shape: tuple[int, int], rng: Rng) -> np.ndarray:
    """A plain indoor background: a tinted gradient with some noise."""
    h, w = shape
    base = rng.uniform(60, 200, 3).astype(np.float32)
    ramp = np.linspace(-30, 30, w, dtype=np.float32)[None, :, None]
    return np.clip(base + ramp + rng.normal(0, 6, (h, w, 3)), 0, 255).astype(np.float32)


def _place(sheet: np.ndarray, rng: Rng, margin: float) -> np.ndarray:
    """Put ``sheet`` inside a larger scene, slightly rotated, as a held sheet or screen."""
    h, w = sheet.shape[:2]
    H, W = int(h * (1 + 2 * margin)), int(w * (1 + 2 * margin))
    scene = _scene((H, W), rng)
    angle = rng.uniform(-6, 6)
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    m[:, 2] += ((W - w) / 2, (H - h) / 2)
    warped = cv2.warpAffine(sheet.astype(np.float32), m, (W, H))
    mask = cv2.warpAffine(np.ones((h, w), np.float32), m, (W, H))[..., None]
    return scene * (1 - mask) + warped * mask


def _ink(rgb: np.ndarray, rng: Rng) -> np.ndarray:
    """What a printer does to a photo: less saturation, paper white, a halftone screen."""
    f = rgb.astype(np.float32)
    grey = f.mean(axis=2, keepdims=True)
    f = grey + (f - grey) * rng.uniform(0.25, 0.5)  # inks and paper lose saturation
    f = 0.7 * f + 0.3 * 235.0
    period = rng.uniform(3.0, 6.0)
    theta = np.radians(rng.uniform(15, 75))
    yy, xx = np.mgrid[0 : f.shape[0], 0 : f.shape[1]].astype(np.float32)
    u = (xx * np.cos(theta) + yy * np.sin(theta)) * 2 * np.pi / period
    v = (-xx * np.sin(theta) + yy * np.cos(theta)) * 2 * np.pi / period
    return f * (1 + rng.uniform(0.12, 0.25) * np.cos(u) * np.cos(v))[..., None]


def print_attack(rgb: np.ndarray, rng: Rng) -> np.ndarray:
    """A printed photo re-filmed (halftone, compressed gamut, paper margin and edges)."""
    f = _ink(rgb, rng)
    pad = int(0.06 * max(f.shape[:2]))
    sheet = cv2.copyMakeBorder(f, pad, pad, pad, pad, cv2.BORDER_CONSTANT, value=(238, 238, 232))
    return _camera(np.clip(_place(sheet, rng, 0.2), 0, 255).astype(np.uint8), rng)


def replay_attack(rgb: np.ndarray, rng: Rng, glare: bool | None = None) -> np.ndarray:
    """A screen showing ``rgb`` re-filmed: gamma, blue cast, moiré, bezel, maybe glare."""
    f = 255.0 * (rgb.astype(np.float32) / 255.0) ** rng.uniform(0.7, 0.85)
    f *= np.array([0.85, 0.95, 1.1], np.float32)  # cold display white point
    grey = f.mean(axis=2, keepdims=True)
    f = grey + (f - grey) * rng.uniform(0.3, 0.55)
    f *= _moire(f.shape[:2], rng)[..., None]
    if glare if glare is not None else rng.random() < 0.5:
        f += _glare_blob(f.shape[:2], rng)[..., None]
    pad = int(0.05 * max(f.shape[:2]))
    sheet = cv2.copyMakeBorder(f, pad, pad, pad, pad, cv2.BORDER_CONSTANT, value=(18, 18, 20))
    return _camera(np.clip(_place(sheet, rng, 0.15), 0, 255).astype(np.uint8), rng)


def _moire(shape: tuple[int, int], rng: Rng) -> np.ndarray:
    """Two nearly aligned gratings (pixel grid and sensor) and their beat."""
    yy, xx = np.mgrid[0 : shape[0], 0 : shape[1]].astype(np.float32)
    theta = np.radians(rng.uniform(-30, 30))
    period = rng.uniform(3.0, 7.0)
    u = (xx * np.cos(theta) + yy * np.sin(theta)) * 2 * np.pi / period
    w = xx * 2 * np.pi / (period * rng.uniform(1.03, 1.12))
    return 1 + rng.uniform(0.03, 0.2) * np.cos(u) + rng.uniform(0.02, 0.1) * np.cos(u - w)


def _glare_blob(shape: tuple[int, int], rng: Rng) -> np.ndarray:
    h, w = shape
    cy, cx = rng.uniform(0.3, 0.6) * h, rng.uniform(0.35, 0.65) * w
    ry, rx = rng.uniform(0.04, 0.08) * h, rng.uniform(0.04, 0.1) * w
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    d = ((yy - cy) / ry) ** 2 + ((xx - cx) / rx) ** 2
    return 400.0 * np.exp(-(d**3))  # flat-topped: a reflected lamp saturates


def cutout_attack(rgb: np.ndarray, box: Sequence[int], rng: Rng) -> np.ndarray:
    """A printed face cut along an ellipse around ``box`` and held before a new scene."""
    top, right, bottom, left = box
    inked = _ink(rgb, rng)
    mask = np.zeros(rgb.shape[:2], np.float32)
    centre = ((left + right) // 2, (top + bottom) // 2)
    axes = (int((right - left) * 0.62), int((bottom - top) * 0.8))
    cv2.ellipse(mask, centre, axes, 0, 0, 360, 1.0, -1)
    scene = _scene(rgb.shape[:2], rng)
    out = scene * (1 - mask[..., None]) + inked * mask[..., None]
    return _camera(np.clip(out, 0, 255).astype(np.uint8), rng)
