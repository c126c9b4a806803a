"""Stop 27's captures of faces with an eye covered (sunglasses, a hand, hair, a patch), for
the occlusion gate's eye check (RETRY "keep your face visible from brows to chin").

Geometry is read off the labelled face's box (``occlusion_captures._frame``: x 0-1 left to
right, y 0-1 top to bottom): the eyes' centres lie at about (0.33, 0.28) and (0.70, 0.28).

Tuning (``TUNE``, ``gate_eval.py --eyes-tune``, drawn at the tuning seed on their own
streams; none of the held-out groups' shapes, tints or colours):
- rect_gradient_sunglasses: rectangular lenses in a thick frame, the tint fading from dark
  at the top to half-dark at the bottom (grey, brown or green);
- aviator_sunglasses: teardrop lenses (wider at the top) in a thin metal frame with a
  double bridge, a dark amber, rose or smoke tint;
- cat_eye_sunglasses: lenses whose outer corners sweep up, a black frame, a near-black tint;
- palm_over_eye: a palm laid flat over one eye from the side, fingers across the brow, in
  a skin tone from a palette (not the face's own);
- hair_lock_over_eye: a wavy lock of light hair (blond, auburn or grey) from a side parting
  over one eye;
- eyepatch: a black or navy oval patch over one eye, its string across the forehead;
- clear_glasses: thin round metal frames with clear lenses (uncovered: a good capture).

Held out (``HELD_OUT``, ``gate_eval.py --eyes-group``, committed before any run on its
seed; kinds neither the tuning nor ``--hardlight-group`` has):
- wrap_sport_glasses: one curved visor across both eyes, an iridescent coating whose colour
  turns along it, a streak of glare;
- fringe_across_eye: a side-swept fringe (black, dyed pink or blue, or platinum) whose
  slanted edge falls over one eye;
- spread_fingers_over_eye: fingers fanned from a palm below the eye, gaps between them;
- medical_eye_patch: a gauze pad (white, beige or pale blue) in an adhesive rim;
- lens_flare: a bright bloom over one eye with a streak and ghost rings (a light, not a cover);
- thick_frame_clear_glasses: thick rectangular frames (black, tortoiseshell brown or red)
  with clear lenses (uncovered: a good capture).
"""

from __future__ import annotations

from collections.abc import Callable

import cv2
import numpy as np
from occlusion_captures import Box, _frame, _shaded
from textile_captures import _stored, _worn

EYE_Y = 0.28
EYE_X = (0.33, 0.70)


# --- tuning eye covers ------------------------------------------------------------------


def rect_gradient_sunglasses(rgb: np.ndarray, rng: np.random.Generator, box: Box) -> np.ndarray:
    u, v = _frame(rgb.shape[:2], box)
    hw, hh, y = rng.uniform(0.14, 0.18), rng.uniform(0.07, 0.1), EYE_Y + rng.uniform(-0.02, 0.02)
    lens = np.zeros(u.shape, bool)
    frame = np.zeros(u.shape, bool)
    for x in EYE_X:
        inner = (np.abs(u - x) < hw) & (np.abs(v - y) < hh)
        outer = (np.abs(u - x) < hw + 0.02) & (np.abs(v - y) < hh + 0.02)
        lens |= inner
        frame |= outer & ~inner
    bridge = (np.abs(v - (y - hh * 0.5)) < 0.015) & (u > EYE_X[0] + hw) & (u < EYE_X[1] - hw)
    tint = [np.float32([40, 40, 42]), np.float32([70, 45, 25]), np.float32([30, 55, 35])][
        int(rng.integers(3))
    ]
    # dark at the top, about half as dark at the bottom
    fade = np.clip(1 + 1.5 * (v - (y - hh)) / (2 * hh), 1, 2.5)[..., None]
    glass = _shaded(tint.astype(np.float32), rgb.shape[:2], rng, 0.2) * fade
    colour = np.where((frame | bridge)[..., None], rng.uniform(5, 40), glass)
    return _stored(_worn(rgb, colour, lens | frame | bridge), rng)


def aviator_sunglasses(rgb: np.ndarray, rng: np.random.Generator, box: Box) -> np.ndarray:
    u, v = _frame(rgb.shape[:2], box)
    rx, ry, y = rng.uniform(0.15, 0.18), rng.uniform(0.1, 0.13), EYE_Y + rng.uniform(0.0, 0.03)
    lens = np.zeros(u.shape, bool)
    rim = np.zeros(u.shape, bool)
    for x in EYE_X:
        # a teardrop: the ellipse's lower half narrows towards the nose
        squeeze = 1 + 0.6 * np.clip(v - y, 0, None) / ry
        d = np.hypot((u - x) / rx * squeeze, (v - y) / ry)
        lens |= d < 1
        rim |= (d >= 1) & (d < 1.12)
    bridges = ((np.abs(v - (y - ry * 0.8)) < 0.01) | (np.abs(v - (y - ry * 0.3)) < 0.008)) & (
        (u > EYE_X[0] + rx * 0.8) & (u < EYE_X[1] - rx * 0.8)
    )
    tint = [np.float32([95, 60, 20]), np.float32([110, 50, 60]), np.float32([55, 55, 60])][
        int(rng.integers(3))
    ]
    glass = _shaded((tint * rng.uniform(0.6, 1.0)).astype(np.float32), rgb.shape[:2], rng, 0.15)
    metal = np.full(3, rng.uniform(150, 220), np.float32)
    colour = np.where((rim | bridges)[..., None], metal, glass)
    return _stored(_worn(rgb, colour, lens | rim | bridges), rng)


def cat_eye_sunglasses(rgb: np.ndarray, rng: np.random.Generator, box: Box) -> np.ndarray:
    u, v = _frame(rgb.shape[:2], box)
    rx, ry, y = rng.uniform(0.15, 0.19), rng.uniform(0.08, 0.1), EYE_Y + rng.uniform(-0.01, 0.02)
    lens = np.zeros(u.shape, bool)
    frame = np.zeros(u.shape, bool)
    for x, outward in zip(EYE_X, (-1, 1), strict=True):
        # the outer corner sweeps up: lift the lens' top towards its outer side
        lift = 0.08 * np.clip(outward * (u - x) / rx, 0, 1) ** 2
        d = np.hypot((u - x) / rx, (v - y + lift) / ry)
        lens |= d < 1
        frame |= (d >= 1) & (d < 1.25)
    bridge = (np.abs(v - y) < 0.015) & (u > EYE_X[0] + rx) & (u < EYE_X[1] - rx)
    glass = _shaded(rng.uniform(8, 30, 3).astype(np.float32), rgb.shape[:2], rng, 0.15)
    colour = np.where((frame | bridge)[..., None], rng.uniform(3, 20), glass)
    return _stored(_worn(rgb, colour, lens | frame | bridge), rng)


SKIN_PALETTE = np.float32([[235, 195, 170], [200, 150, 115], [150, 100, 70], [80, 52, 38], [225, 180, 140]])


def palm_over_eye(rgb: np.ndarray, rng: np.random.Generator, box: Box) -> np.ndarray:
    u, v = _frame(rgb.shape[:2], box)
    skin = SKIN_PALETTE[int(rng.integers(len(SKIN_PALETTE)))] * rng.uniform(0.92, 1.08, 3)
    side = int(rng.integers(2))
    x, y = EYE_X[side] + rng.uniform(-0.04, 0.04), EYE_Y + rng.uniform(-0.02, 0.04)
    inward = 1 if side == 0 else -1  # the hand comes from the face's side, fingers to the nose
    palm = ((u - (x - inward * 0.12)) / 0.2) ** 2 + ((v - y) / 0.15) ** 2 < 1
    fingers = np.zeros_like(palm)
    for k in range(4):
        fy = y - 0.1 + k * 0.065
        fingers |= (
            (np.abs(v - fy) < 0.028) & (inward * (u - x) > 0) & (inward * (u - x) < rng.uniform(0.12, 0.2))
        )
    hand = _shaded(skin.astype(np.float32), rgb.shape[:2], rng, 0.3)
    return _stored(_worn(rgb, hand, palm | fingers, edge=1.4), rng)


def hair_lock_over_eye(rgb: np.ndarray, rng: np.random.Generator, box: Box) -> np.ndarray:
    u, v = _frame(rgb.shape[:2], box)
    side = int(rng.integers(2))
    colour = [np.float32([200, 170, 110]), np.float32([150, 70, 35]), np.float32([165, 165, 160])][
        int(rng.integers(3))
    ] * rng.uniform(0.8, 1.1)
    # a wavy lock: its centre line swings as it falls from the parting over the eye
    centre = EYE_X[side] + 0.05 * np.sin(v * rng.uniform(10, 16)) + (v - EYE_Y) * rng.uniform(-0.2, 0.2)
    width = rng.uniform(0.12, 0.18)
    mask = (np.abs(u - centre) < width) & (v > -0.3) & (v < rng.uniform(0.42, 0.55))
    waves = 0.8 + 0.3 * np.sin((u - centre) * rng.uniform(90, 140) + v * 6)
    hair = _shaded(colour, rgb.shape[:2], rng, 0.3) * waves[..., None]
    return _stored(_worn(rgb, hair, mask), rng)


def eyepatch(rgb: np.ndarray, rng: np.random.Generator, box: Box) -> np.ndarray:
    u, v = _frame(rgb.shape[:2], box)
    side = int(rng.integers(2))
    x, y = EYE_X[side], EYE_Y + rng.uniform(-0.01, 0.02)
    patch = ((u - x) / rng.uniform(0.11, 0.14)) ** 2 + ((v - y) / rng.uniform(0.08, 0.1)) ** 2 < 1
    slope = rng.uniform(0.3, 0.6) * (1 if side == 0 else -1)
    string = (np.abs(v - (y - 0.05) + slope * (u - x)) < 0.01) & (v < y)
    colour = [np.float32([15, 15, 15]), np.float32([20, 25, 60])][int(rng.integers(2))]
    cloth = _shaded(colour, rgb.shape[:2], rng, 0.3)
    return _stored(_worn(rgb, cloth, patch | string), rng)


def clear_glasses(rgb: np.ndarray, rng: np.random.Generator, box: Box) -> np.ndarray:
    u, v = _frame(rgb.shape[:2], box)
    r, y = rng.uniform(0.12, 0.15), EYE_Y + rng.uniform(-0.01, 0.02)
    rims = np.zeros(u.shape, bool)
    for x in EYE_X:
        rims |= np.abs(np.hypot(u - x, (v - y) * 1.1) - r) < 0.008
    bridge = (np.abs(v - (y - 0.03)) < 0.006) & (u > EYE_X[0] + r) & (u < EYE_X[1] - r)
    metal = np.full(3, rng.uniform(60, 200), np.float32)
    return _stored(_worn(rgb, np.broadcast_to(metal, rgb.shape).copy(), rims | bridge, edge=0.8), rng)


# --- held out (stop 27, ``--eyes-group``) -------------------------------------------------


def wrap_sport_glasses(rgb: np.ndarray, rng: np.random.Generator, box: Box) -> np.ndarray:
    u, v = _frame(rgb.shape[:2], box)
    y, half = EYE_Y + rng.uniform(-0.01, 0.03), rng.uniform(0.08, 0.11)
    # one curved visor across both eyes, lower at the temples, a notch over the nose
    centre = y + 0.08 * (u - 0.5) ** 2
    notch = 0.05 * np.exp(-(((u - 0.5) / 0.06) ** 2))
    visor = (np.abs(v - centre) < half) & (v < centre + half - notch) & (u > -0.05) & (u < 1.05)
    # an iridescent coating: its colour turns along the visor, a streak of glare across it
    hue = np.clip((u + 0.05) / 1.1, 0, 1)[..., None]
    a, b = rng.uniform(30, 230, (2, 3)).astype(np.float32)
    coat = (a * (1 - hue) + b * hue) * rng.uniform(0.4, 0.8)
    glare = (np.abs((v - centre) + 0.6 * (u - rng.uniform(0.2, 0.8))) < 0.02)[..., None] * rng.uniform(
        60, 140
    )
    return _stored(_worn(rgb, coat + glare, visor), rng)


def fringe_across_eye(rgb: np.ndarray, rng: np.random.Generator, box: Box) -> np.ndarray:
    u, v = _frame(rgb.shape[:2], box)
    side = int(rng.integers(2))
    sign = 1 if side == 0 else -1
    # a side-swept fringe: above a slanted edge that falls over one eye to the cheekbone
    edge = 0.12 + sign * (EYE_X[1 - side] - u) * rng.uniform(0.35, 0.5)
    mask = (v < edge) & (v > -0.5) & (u > -0.15) & (u < 1.15)
    colour = [
        np.float32([25, 22, 20]),
        np.float32([230, 120, 170]),
        np.float32([70, 110, 200]),
        np.float32([235, 230, 215]),
    ][int(rng.integers(4))] * rng.uniform(0.85, 1.05)
    strands = cv2.GaussianBlur(rng.uniform(0.7, 1.2, rgb.shape[:2]).astype(np.float32), (0, 0), 0.7)
    hair = _shaded(colour, rgb.shape[:2], rng, 0.3) * strands[..., None]
    return _stored(_worn(rgb, hair, mask), rng)


def spread_fingers_over_eye(rgb: np.ndarray, rng: np.random.Generator, box: Box) -> np.ndarray:
    u, v = _frame(rgb.shape[:2], box)
    skin = np.float32([190, 140, 110]) * rng.uniform(0.6, 1.2) * rng.uniform(0.92, 1.08, 3)
    side = int(rng.integers(2))
    x, y = EYE_X[side], EYE_Y + rng.uniform(-0.02, 0.02)
    # fingers fanned from a palm below the eye, gaps between them
    palm = ((u - x) / 0.15) ** 2 + ((v - (y + 0.3)) / 0.12) ** 2 < 1
    fingers = np.zeros_like(palm)
    for angle in np.linspace(-0.5, 0.5, 4) + rng.uniform(-0.1, 0.1):
        du, dv = u - x, v - (y + 0.26)
        along = -dv * np.cos(angle) + du * np.sin(angle)
        across = du * np.cos(angle) + dv * np.sin(angle)
        fingers |= (np.abs(across) < 0.028) & (along > 0) & (along < rng.uniform(0.4, 0.48))
    hand = _shaded(skin.astype(np.float32), rgb.shape[:2], rng, 0.35)
    return _stored(_worn(rgb, hand, palm | fingers, edge=1.2), rng)


def medical_eye_patch(rgb: np.ndarray, rng: np.random.Generator, box: Box) -> np.ndarray:
    u, v = _frame(rgb.shape[:2], box)
    side = int(rng.integers(2))
    x, y = EYE_X[side], EYE_Y + rng.uniform(0.0, 0.03)
    pad = ((u - x) / rng.uniform(0.14, 0.17)) ** 2 + ((v - y) / rng.uniform(0.11, 0.13)) ** 2
    colour = [np.float32([240, 238, 232]), np.float32([225, 195, 165]), np.float32([170, 200, 230])][
        int(rng.integers(3))
    ]
    # a gauze pad inside a slightly darker adhesive rim
    cloth = _shaded(colour, rgb.shape[:2], rng, 0.15) * np.where(pad < 0.6, 1.0, 0.9)[..., None]
    return _stored(_worn(rgb, cloth, pad < 1), rng)


def lens_flare(rgb: np.ndarray, rng: np.random.Generator, box: Box) -> np.ndarray:
    u, v = _frame(rgb.shape[:2], box)
    side = int(rng.integers(2))
    x, y = EYE_X[side] + rng.uniform(-0.05, 0.05), EYE_Y + rng.uniform(-0.03, 0.03)
    # a bright bloom over one eye, a streak through it and ghost rings along a line
    r = np.hypot(u - x, v - y)
    bloom = np.exp(-((r / rng.uniform(0.07, 0.1)) ** 2)) * rng.uniform(0.8, 1.1)
    streak = np.exp(-(((v - y) / 0.012) ** 2)) * np.exp(-(((u - x) / 0.4) ** 2)) * 0.4
    rings = sum(
        np.exp(-(((np.hypot(u - x - k * 0.15, v - y - k * 0.1) - 0.04) / 0.01) ** 2)) * 0.3 for k in (1, 2)
    )
    tint = np.float32([1.0, 0.95, 0.8]) * 255 * rng.uniform(0.9, 1.0)
    light = np.clip(bloom + streak + rings, 0, 1.6)[..., None]
    return _stored(np.clip(rgb.astype(np.float32) + light * tint, 0, 255), rng)


def thick_frame_clear_glasses(rgb: np.ndarray, rng: np.random.Generator, box: Box) -> np.ndarray:
    u, v = _frame(rgb.shape[:2], box)
    hw, hh, y = rng.uniform(0.13, 0.16), rng.uniform(0.07, 0.09), EYE_Y + rng.uniform(-0.01, 0.02)
    frame = np.zeros(u.shape, bool)
    for x in EYE_X:
        inner = (np.abs(u - x) < hw) & (np.abs(v - y) < hh)
        frame |= (np.abs(u - x) < hw + 0.025) & (np.abs(v - y) < hh + 0.025) & ~inner
    bridge = (np.abs(v - (y - 0.02)) < 0.012) & (u > EYE_X[0] + hw) & (u < EYE_X[1] - hw)
    colour = [np.float32([15, 15, 15]), np.float32([90, 50, 25]), np.float32([150, 30, 40])][
        int(rng.integers(3))
    ]
    return _stored(_worn(rgb, np.broadcast_to(colour, rgb.shape).copy(), frame | bridge, edge=0.8), rng)


Capture = Callable[[np.ndarray, np.random.Generator, Box], np.ndarray]
TUNE: dict[str, Capture] = {
    "rect_gradient_sunglasses": rect_gradient_sunglasses,
    "aviator_sunglasses": aviator_sunglasses,
    "cat_eye_sunglasses": cat_eye_sunglasses,
    "palm_over_eye": palm_over_eye,
    "hair_lock_over_eye": hair_lock_over_eye,
    "eyepatch": eyepatch,
    "clear_glasses": clear_glasses,
}
HELD_OUT: dict[str, Capture] = {
    "wrap_sport_glasses": wrap_sport_glasses,
    "fringe_across_eye": fringe_across_eye,
    "spread_fingers_over_eye": spread_fingers_over_eye,
    "medical_eye_patch": medical_eye_patch,
    "lens_flare": lens_flare,
    "thick_frame_clear_glasses": thick_frame_clear_glasses,
}
# captures whose face is uncovered from brows to chin (good captures)
UNCOVERED = ("clear_glasses", "thick_frame_clear_glasses")


def captured(name: str, rgb: np.ndarray, rng: np.random.Generator, box: Box) -> np.ndarray:
    """The capture ``name`` (of ``TUNE`` or ``HELD_OUT``)."""
    return {**TUNE, **HELD_OUT}[name](rgb, rng, box)
