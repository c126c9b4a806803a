"""Stop 25's captures under poor light, for the capture-quality gate on light
(``kyc_sdk.faces.light``): the tuning lights it was made on and the held-out lights of
``gate_eval.py --lowlight-group``, each through a phone's sensor in linear light.

Tuning (``TUNE``, drawn at the tuning seed on their own streams, ``gate_eval.py
--light-tune``; the brief's kinds, by their own laws and parameters):
- dim_phone: 10-30 % of the light, an RGGB mosaic of 200-1500 photons at full scale,
  read noise, the gain back, bilinear demosaic, a Gaussian-then-bilateral denoise, JPEG;
- backlit_window: the face at 20-45 % of the light, the background 1.5-3x (clipped), a
  linear falloff between;
- warm_lamp: red 1.2-1.7x and blue 0.4-0.7x green, 40-80 % of the light;
- cool_cast: red 0.6-0.85x, blue 1.1-1.4x green;
- dark_unlifted: 15-40 % of the light and no gain: a dark picture as stored;
- very_dim_phone: 2-8 % of the light, 150-700 photons, the gain back, a light bilateral
  denoise only (a cheap phone's);
- deep_backlight: backlit_window with the face at 5-18 % and the window 2-5x.

Held out (``HELD_OUT``, ``--lowlight-group``; lights, noise models and a demosaic no
tuning draw has; half the honest captures in a headscarf, as ``exposure_captures``):
- candle_warm: a candle's dim warm light (4-12 %, red 1.6-2.0x, blue 0.3-0.45x), the gain
  back, a non-local-means denoise;
- mixed_daylight_tungsten: daylight from one side, a lamp from the other: the white
  balance moves across the face, the level 50-90 %;
- hard_side_light: a hard light from one side, the other half of the face 12-30 % of it;
- screen_lit_night: a phone's screen the only light: bluish, a pool of light on the face
  and a dark room, 5-15 % of the light, the gain back, a median denoise;
- banded_sensor: another sensor's noise: row banding and a fixed pattern over the shot
  noise, 10-25 % of the light, edge-aware (VNG) demosaic, no denoise.

Held out a second time (``HELD_OUT2``, stop 26's ``--hardlight-group``; the lights of
``HELD_OUT`` redrawn at a new seed, and these new styles no draw had before, half of them
in a headscarf too):
- sodium_streetlight: a low-pressure street lamp, nearly one colour (red 1.0, green
  0.45-0.65, blue 0.03-0.12), 6-18 % of the light, the gain back, a bilateral denoise;
- neon_split: two coloured lights, one from each side (magenta and cyan, or red and
  blue), crossing at the nose, 40-80 % of the light;
- overhead_top_light: a single light straight above: the forehead lit, the eye sockets,
  the nose's underside and the chin's shadow 15-35 % of it.

Each function takes the variant's crop (RGB uint8), the random stream and the labelled
face's box in the crop (top, right, bottom, left).
"""

from __future__ import annotations

from collections.abc import Callable

import cv2
import numpy as np
from dither_captures import _jpeg
from exposure_captures import _linear, _scarfed
from textile_captures import _grid

Box = tuple[float, float, float, float]


def _mosaic(linear: np.ndarray) -> np.ndarray:
    mosaic = np.empty(linear.shape[:2], np.float32)
    mosaic[0::2, 0::2], mosaic[0::2, 1::2] = linear[0::2, 0::2, 0], linear[0::2, 1::2, 1]
    mosaic[1::2, 0::2], mosaic[1::2, 1::2] = linear[1::2, 0::2, 1], linear[1::2, 1::2, 2]
    return mosaic


def _developed(counted: np.ndarray, gain: float, code: int = cv2.COLOR_BayerBG2RGB) -> np.ndarray:
    """A raw mosaic (linear, 1 = full scale) gained, through the sRGB curve, demosaiced."""
    raw = np.clip(255 * np.clip(counted * gain, 0, 1) ** (1 / 2.2), 0, 255).astype(np.uint8)
    return cv2.cvtColor(raw, code)


def _phone(linear: np.ndarray, rng: np.random.Generator, photons: float, gain: float) -> np.ndarray:
    """Shot and read noise on a mosaic of ``linear``, the gain, demosaiced (uint8 RGB)."""
    counted = rng.poisson(np.clip(_mosaic(linear), 0, 1) * photons) / photons
    counted = counted + rng.normal(0, rng.uniform(1.0, 3.0) / photons, counted.shape)
    return _developed(counted, gain)


# -- tuning lights ------------------------------------------------------------------------


def dim_phone(rgb: np.ndarray, rng: np.random.Generator, box: Box) -> np.ndarray:
    light = rng.uniform(0.1, 0.3)
    shot = _phone(_linear(rgb) * light, rng, rng.uniform(200, 1500), rng.uniform(0.7, 1.0) / light)
    soft = cv2.GaussianBlur(shot, (0, 0), rng.uniform(0.5, 0.9))
    return _jpeg(cv2.bilateralFilter(soft, 5, rng.uniform(10, 25), 2), int(rng.integers(72, 92)))


def backlit_window(rgb: np.ndarray, rng: np.random.Generator, box: Box) -> np.ndarray:
    return _backlit(rgb, rng, box, 1.1, (0.2, 0.6), (0.2, 0.45), (1.5, 3.0), (1000, 3000), (78, 94))


def warm_lamp(rgb: np.ndarray, rng: np.random.Generator, box: Box) -> np.ndarray:
    gains = np.float32([rng.uniform(1.2, 1.7), 1.0, rng.uniform(0.4, 0.7)]) * rng.uniform(0.4, 0.8)
    return _jpeg(_phone(_linear(rgb) * gains, rng, rng.uniform(600, 2500), 1.0), int(rng.integers(80, 94)))


def cool_cast(rgb: np.ndarray, rng: np.random.Generator, box: Box) -> np.ndarray:
    gains = np.float32([rng.uniform(0.6, 0.85), 1.0, rng.uniform(1.1, 1.4)]) * rng.uniform(0.6, 0.9)
    return _jpeg(_phone(_linear(rgb) * gains, rng, rng.uniform(800, 3000), 1.0), int(rng.integers(80, 94)))


def dark_unlifted(rgb: np.ndarray, rng: np.random.Generator, box: Box) -> np.ndarray:
    light = rng.uniform(0.15, 0.4)
    return _jpeg(_phone(_linear(rgb) * light, rng, rng.uniform(1000, 3000), 1.0), int(rng.integers(78, 94)))


def very_dim_phone(rgb: np.ndarray, rng: np.random.Generator, box: Box) -> np.ndarray:
    light = rng.uniform(0.02, 0.08)
    shot = _phone(_linear(rgb) * light, rng, rng.uniform(150, 700), rng.uniform(0.7, 1.0) / light)
    return _jpeg(cv2.bilateralFilter(shot, 3, rng.uniform(10, 25), 2), int(rng.integers(70, 90)))


def deep_backlight(rgb: np.ndarray, rng: np.random.Generator, box: Box) -> np.ndarray:
    return _backlit(rgb, rng, box, 1.0, (0.15, 0.4), (0.05, 0.18), (2.0, 5.0), (500, 2000), (75, 92))


Span = tuple[float, float]


def _backlit(
    rgb: np.ndarray,
    rng: np.random.Generator,
    box: Box,
    reach: float,
    edge: Span,
    face: Span,
    window: Span,
    photons: Span,
    quality: tuple[int, int],
) -> np.ndarray:
    """The face lit ``face`` in a pool of light ``reach`` face sizes wide, fading over
    ``edge``, against a window ``window`` times brighter; each drawn from its span, in
    this order."""
    top, right, bottom, left = box
    yy, xx = _grid(rgb.shape[:2])
    cx, cy = (left + right) / 2, (top + bottom) / 2
    r = np.hypot((xx - cx) / (right - left), (yy - cy) / (bottom - top))
    inside = np.clip((reach - r) / rng.uniform(*edge), 0, 1)
    face_light, window_light = rng.uniform(*face), rng.uniform(*window)
    light = face_light * inside + window_light * (1 - inside)
    shot = _phone(_linear(rgb) * light[..., None], rng, rng.uniform(*photons), 1.0)
    return _jpeg(shot, int(rng.integers(*quality)))


# -- held-out lights ------------------------------------------------------------------------


def candle_warm(rgb: np.ndarray, rng: np.random.Generator, box: Box) -> np.ndarray:
    light = rng.uniform(0.04, 0.12)
    gains = np.float32([rng.uniform(1.6, 2.0), 1.0, rng.uniform(0.3, 0.45)]) * light
    shot = _phone(_linear(rgb) * gains, rng, rng.uniform(400, 1200), rng.uniform(0.6, 0.9) / light)
    denoised = cv2.fastNlMeansDenoisingColored(shot, None, rng.uniform(5, 12), rng.uniform(5, 12), 5, 15)
    return _jpeg(denoised, int(rng.integers(74, 90)))


def mixed_daylight_tungsten(rgb: np.ndarray, rng: np.random.Generator, box: Box) -> np.ndarray:
    _, right, _, left = box
    _, xx = _grid(rgb.shape[:2])
    side = np.clip((xx - left) / max(right - left, 1), 0, 1)
    side = side if rng.random() < 0.5 else 1 - side
    warm = np.float32([rng.uniform(1.3, 1.6), 1.0, rng.uniform(0.45, 0.65)])
    cool = np.float32([rng.uniform(0.85, 0.95), 1.0, rng.uniform(1.05, 1.25)])
    gains = (side[..., None] * warm + (1 - side[..., None]) * cool) * rng.uniform(0.5, 0.9)
    return _jpeg(_phone(_linear(rgb) * gains, rng, rng.uniform(800, 2500), 1.0), int(rng.integers(80, 94)))


def hard_side_light(rgb: np.ndarray, rng: np.random.Generator, box: Box) -> np.ndarray:
    _, right, _, left = box
    _, xx = _grid(rgb.shape[:2])
    t = np.clip((xx - (left + right) / 2) / (rng.uniform(0.25, 0.5) * (right - left)), -1, 1)
    t = t if rng.random() < 0.5 else -t
    shade = rng.uniform(0.12, 0.3)
    light = (shade + (1 - shade) * (t + 1) / 2) * rng.uniform(0.8, 1.2)
    return _jpeg(
        _phone(_linear(rgb) * light[..., None], rng, rng.uniform(800, 2500), 1.0), int(rng.integers(80, 94))
    )


def screen_lit_night(rgb: np.ndarray, rng: np.random.Generator, box: Box) -> np.ndarray:
    top, right, bottom, left = box
    yy, xx = _grid(rgb.shape[:2])
    cx, cy = (left + right) / 2, (top + bottom) / 2 + rng.uniform(0, 0.2) * (bottom - top)
    pool = np.exp(-(((xx - cx) ** 2 + (yy - cy) ** 2) / (rng.uniform(0.6, 1.0) * (right - left)) ** 2))
    light = rng.uniform(0.05, 0.15)
    gains = np.float32([rng.uniform(0.6, 0.8), 1.0, rng.uniform(1.2, 1.5)]) * light
    linear = _linear(rgb) * gains * (0.05 + 0.95 * pool[..., None])
    shot = _phone(linear, rng, rng.uniform(300, 1000), rng.uniform(0.6, 0.9) / light)
    return _jpeg(cv2.medianBlur(shot, 3), int(rng.integers(72, 90)))


def banded_sensor(rgb: np.ndarray, rng: np.random.Generator, box: Box) -> np.ndarray:
    light, photons = rng.uniform(0.1, 0.25), rng.uniform(400, 1500)
    mosaic = np.clip(_mosaic(_linear(rgb) * light), 0, 1)
    counted = rng.poisson(mosaic * photons) / photons
    h, w = counted.shape
    rows = rng.normal(0, rng.uniform(1.0, 3.0) / photons, (h, 1))  # a readout's row banding
    pattern = rng.normal(0, rng.uniform(0.5, 1.5) / photons, (h, w))  # fixed-pattern noise
    counted = counted + rows + pattern + rng.normal(0, rng.uniform(1.0, 2.5) / photons, (h, w))
    shot = _developed(counted, rng.uniform(0.7, 1.0) / light, cv2.COLOR_BayerBG2RGB_VNG)
    return _jpeg(shot, int(rng.integers(80, 95)))


# -- held out a second time (stop 26) --------------------------------------------------------


def sodium_streetlight(rgb: np.ndarray, rng: np.random.Generator, box: Box) -> np.ndarray:
    light = rng.uniform(0.06, 0.18)
    gains = np.float32([1.0, rng.uniform(0.45, 0.65), rng.uniform(0.03, 0.12)]) * light
    shot = _phone(_linear(rgb) * gains, rng, rng.uniform(300, 1200), rng.uniform(0.6, 0.9) / light)
    return _jpeg(cv2.bilateralFilter(shot, 5, rng.uniform(15, 30), 3), int(rng.integers(72, 90)))


def neon_split(rgb: np.ndarray, rng: np.random.Generator, box: Box) -> np.ndarray:
    _, right, _, left = box
    _, xx = _grid(rgb.shape[:2])
    side = np.clip(0.5 + (xx - (left + right) / 2) / (rng.uniform(0.4, 0.8) * (right - left)), 0, 1)
    pairs = (([1.4, 0.35, 1.2], [0.3, 1.1, 1.4]), ([1.5, 0.3, 0.3], [0.3, 0.45, 1.6]))
    one, other = (np.float32(c) for c in pairs[int(rng.integers(2))])
    gains = (side[..., None] * one + (1 - side[..., None]) * other) * rng.uniform(0.4, 0.8)
    return _jpeg(_phone(_linear(rgb) * gains, rng, rng.uniform(600, 2000), 1.0), int(rng.integers(78, 92)))


def overhead_top_light(rgb: np.ndarray, rng: np.random.Generator, box: Box) -> np.ndarray:
    top, right, bottom, left = box
    yy, xx = _grid(rgb.shape[:2])
    u, v = (xx - left) / (right - left), (yy - top) / (bottom - top)
    shade = rng.uniform(0.15, 0.35)
    # shadows under the brows (both eye sockets), under the nose and under the lower lip
    shadow = np.zeros(rgb.shape[:2], np.float32)
    for cx in (0.33, 0.7):
        shadow = np.maximum(shadow, np.exp(-(((u - cx) / 0.13) ** 2 + ((v - 0.31) / 0.07) ** 2)))
    shadow = np.maximum(shadow, np.exp(-(((u - 0.5) / 0.14) ** 2 + ((v - 0.6) / 0.06) ** 2)))
    shadow = np.maximum(shadow, np.clip((v - 0.85) / 0.2, 0, 1) * np.exp(-(((u - 0.5) / 0.4) ** 2)))
    fall = np.clip(1.15 - 0.45 * np.clip(v, 0, 1.5), 0.3, 1.2)  # the light falls off downwards
    light = (1 - (1 - shade) * shadow) * fall * rng.uniform(0.6, 1.0)
    return _jpeg(
        _phone(_linear(rgb) * light[..., None], rng, rng.uniform(800, 2500), 1.0), int(rng.integers(80, 94))
    )


Light = Callable[[np.ndarray, np.random.Generator, Box], np.ndarray]
TUNE: dict[str, Light] = {
    "dim_phone": dim_phone,
    "backlit_window": backlit_window,
    "warm_lamp": warm_lamp,
    "cool_cast": cool_cast,
    "dark_unlifted": dark_unlifted,
    "very_dim_phone": very_dim_phone,
    "deep_backlight": deep_backlight,
}
HELD_OUT: dict[str, Light] = {
    "candle_warm": candle_warm,
    "mixed_daylight_tungsten": mixed_daylight_tungsten,
    "hard_side_light": hard_side_light,
    "screen_lit_night": screen_lit_night,
    "banded_sensor": banded_sensor,
}
HELD_OUT2: dict[str, Light] = {
    "sodium_streetlight": sodium_streetlight,
    "neon_split": neon_split,
    "overhead_top_light": overhead_top_light,
}


def captured(name: str, rgb: np.ndarray, rng: np.random.Generator, box: Box) -> np.ndarray:
    """The capture ``name`` (of ``TUNE``, ``HELD_OUT`` or ``HELD_OUT2``); the held-out ones half
    of them in a headscarf (a tuning capture wears none: the headscarves are
    ``exposure_captures``')."""
    held_out = {**HELD_OUT, **HELD_OUT2}
    if name in held_out:
        return held_out[name](_scarfed(rgb, rng, box), rng, box)
    return TUNE[name](rgb, rng, box)
