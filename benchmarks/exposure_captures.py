"""Stop 24's held-out exposure group (``gate_eval.py --exposure-group``): honest photos
taken under light and white balance no tuning draw has, with and without a headscarf,
and prints of the kinds the skin colour-grain cue aims at, captured under such light.
Written and committed before any run on its seed.

The tuning draws' light is a power law on the stored values (``exposure``) and, for
stop 24's second cue, power laws, a linear gain and per-channel gains on the stored values.
Here every light acts in linear light, through a sensor:
- underexposed_phone: 8-20 % of the light, a Bayer mosaic with few photons, the camera's
  gain bringing it most of the way back, a phone's edge-keeping denoise, JPEG q70-88;
- strong_backlight: a window behind: the face in 15-35 % of the light, the background
  2-4x and clipped, a soft halo between, the sensor's mosaic and noise, JPEG q80-92;
- tungsten: a warm lamp left uncorrected (red 1.3-1.6x, blue 0.45-0.6x green in linear
  light), the mosaic, JPEG q82-94;
- fluorescent_green: a tube's green cast (red 0.75-0.88x, blue 0.8-0.95x green) and a
  mains flicker's faint horizontal bands, the mosaic, JPEG q80-92;
- night_mode: 3-8 % of the light, frames merged (less noise than one), shadows lifted by
  a steeper curve, the chroma denoised hard (blurred 1.5-3 px in YCrCb), luma lightly,
  sharpened, JPEG q75-90.
Each honest capture wears a headscarf half the time (``textile_captures``'s printed cloth
over the forehead and the cheeks' sides, or the ring of ``dither_captures``'s stripes).
Prints (``EXPOSURE_PRINTS`` in ``faces_eval``): a colour dot screen scanned, a clustered
colour print scanned, an ordered-dither print photographed, each then seen under one of
the lights above (a re-capture) and stored again.

Each function takes the variant's crop (RGB uint8), the random stream and the labelled
face's box in the crop (top, right, bottom, left).
"""

from __future__ import annotations

from collections.abc import Callable

import cv2
import numpy as np
from dither_captures import _jpeg, _scarf_mask, _textile
from textile_captures import _grid, _worn, printed_cloth, scarf_over_face_mask

Box = tuple[float, float, float, float]


def _linear(rgb: np.ndarray) -> np.ndarray:
    return (rgb.astype(np.float32) / 255.0) ** 2.2


def _sensor(linear: np.ndarray, rng: np.random.Generator, photons: float, gain: float) -> np.ndarray:
    """An RGGB mosaic of ``linear`` with ``photons`` at full scale and a read noise, the
    camera's ``gain`` after it, demosaiced; float sRGB 0-255."""
    mosaic = np.empty(linear.shape[:2], np.float32)
    mosaic[0::2, 0::2], mosaic[0::2, 1::2] = linear[0::2, 0::2, 0], linear[0::2, 1::2, 1]
    mosaic[1::2, 0::2], mosaic[1::2, 1::2] = linear[1::2, 0::2, 1], linear[1::2, 1::2, 2]
    counted = rng.poisson(np.clip(mosaic, 0, 1) * photons) / photons
    counted = counted + rng.normal(0, rng.uniform(0.5, 2.0) / photons, counted.shape)
    raw = np.clip(255 * np.clip(counted * gain, 0, 1) ** (1 / 2.2), 0, 255).astype(np.uint8)
    return cv2.cvtColor(raw, cv2.COLOR_BayerBG2RGB).astype(np.float32)


def _scarfed(rgb: np.ndarray, rng: np.random.Generator, box: Box) -> np.ndarray:
    """Half the time a headscarf: printed cloth over the forehead and cheeks' sides, or a
    striped ring round the face."""
    if rng.random() < 0.5:
        return rgb
    if rng.random() < 0.5:
        mask = scarf_over_face_mask(rgb.shape[:2], box, rng)
        return _worn(rgb, printed_cloth(rgb.shape[:2], rng), mask).astype(np.uint8)
    stripes = _textile(rgb.shape[:2], rng, rng.uniform(2.5, 6.0))
    colours = rng.uniform(30, 230, (2, 3)).astype(np.float32)
    cloth = colours[0] * stripes[..., None] + colours[1] * (1 - stripes[..., None])
    return _worn(rgb, cloth, _scarf_mask(rgb.shape[:2], box) > 0.5).astype(np.uint8)


def underexposed_phone(rgb: np.ndarray, rng: np.random.Generator, box: Box) -> np.ndarray:
    """Too little light, the gain, a phone's denoise."""
    light = rng.uniform(0.08, 0.2)
    shot = _sensor(_linear(rgb) * light, rng, rng.uniform(300, 900), rng.uniform(0.6, 0.9) / light)
    denoised = cv2.bilateralFilter(shot, 5, rng.uniform(12, 30), 3)
    return _jpeg(np.clip(denoised, 0, 255).astype(np.uint8), int(rng.integers(70, 89)))


def strong_backlight(rgb: np.ndarray, rng: np.random.Generator, box: Box) -> np.ndarray:
    """Exposed between a bright window behind and a dark face."""
    top, right, bottom, left = box
    yy, xx = _grid(rgb.shape[:2])
    cx, cy, rx, ry = (left + right) / 2, (top + bottom) / 2, 0.75 * (right - left), 0.8 * (bottom - top)
    inside = np.exp(-np.maximum(((xx - cx) / rx) ** 2 + ((yy - cy) / ry) ** 2 - 1, 0) * rng.uniform(1.5, 4))
    face_light, window = rng.uniform(0.15, 0.35), rng.uniform(2.0, 4.0)
    light = face_light * inside + window * (1 - inside)
    linear = _linear(rgb) * light[..., None] + rng.uniform(0.0, 0.08) * (1 - inside[..., None])
    shot = _sensor(linear, rng, rng.uniform(800, 2500), 1.0)
    return _jpeg(np.clip(shot, 0, 255).astype(np.uint8), int(rng.integers(80, 93)))


def tungsten(rgb: np.ndarray, rng: np.random.Generator, box: Box) -> np.ndarray:
    """A warm lamp, the white balance left as it was."""
    gains = np.float32([rng.uniform(1.3, 1.6), 1.0, rng.uniform(0.45, 0.6)]) * rng.uniform(0.55, 0.75)
    shot = _sensor(_linear(rgb) * gains, rng, rng.uniform(800, 2500), 1.0)
    return _jpeg(np.clip(shot, 0, 255).astype(np.uint8), int(rng.integers(82, 95)))


def fluorescent_green(rgb: np.ndarray, rng: np.random.Generator, box: Box) -> np.ndarray:
    """A fluorescent tube's green cast and its flicker's faint bands."""
    gains = np.float32([rng.uniform(0.75, 0.88), 1.0, rng.uniform(0.8, 0.95)]) * rng.uniform(0.7, 1.0)
    rows = np.arange(rgb.shape[0], dtype=np.float32)[:, None, None]
    flicker = 1 + rng.uniform(0.02, 0.06) * np.sin(
        2 * np.pi * rows / rng.uniform(40, 120) + rng.uniform(0, 6.3)
    )
    shot = _sensor(_linear(rgb) * gains * flicker, rng, rng.uniform(800, 2500), 1.0)
    return _jpeg(np.clip(shot, 0, 255).astype(np.uint8), int(rng.integers(80, 93)))


def night_mode(rgb: np.ndarray, rng: np.random.Generator, box: Box) -> np.ndarray:
    """A phone's night mode: frames merged in little light, shadows lifted, chroma denoised hard."""
    light, frames = rng.uniform(0.03, 0.08), int(rng.integers(4, 10))
    shot = _sensor(_linear(rgb) * light, rng, rng.uniform(300, 900) * frames, 1.0 / light)
    lifted = 255 * (np.clip(shot, 0, 255) / 255) ** rng.uniform(0.7, 0.85)
    ycc = cv2.cvtColor(np.clip(lifted, 0, 255).astype(np.uint8), cv2.COLOR_RGB2YCrCb).astype(np.float32)
    sigma = rng.uniform(1.5, 3.0)
    for c in (1, 2):
        ycc[..., c] = cv2.GaussianBlur(ycc[..., c], (0, 0), sigma)
    y = cv2.bilateralFilter(ycc[..., 0], 5, rng.uniform(8, 20), 3)
    ycc[..., 0] = y + rng.uniform(0.3, 0.7) * (y - cv2.GaussianBlur(y, (0, 0), 1.0))
    out = cv2.cvtColor(np.clip(ycc, 0, 255).astype(np.uint8), cv2.COLOR_YCrCb2RGB)
    return _jpeg(out, int(rng.integers(75, 91)))


LIGHTS: dict[str, Callable[[np.ndarray, np.random.Generator, Box], np.ndarray]] = {
    "underexposed_phone": underexposed_phone,
    "strong_backlight": strong_backlight,
    "tungsten": tungsten,
    "fluorescent_green": fluorescent_green,
    "night_mode": night_mode,
}


def honest(name: str, rgb: np.ndarray, rng: np.random.Generator, box: Box) -> np.ndarray:
    """An honest capture ``name`` (a key of ``LIGHTS``), half of them in a headscarf."""
    return LIGHTS[name](_scarfed(rgb, rng, box), rng, box)


def recaptured(printed: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A print's image seen again under one of the lights (the box: all of it)."""
    name = str(rng.choice(sorted(LIGHTS)))
    h, w = printed.shape[:2]
    return LIGHTS[name](printed, rng, (0.2 * h, 0.8 * w, 0.8 * h, 0.2 * w))
