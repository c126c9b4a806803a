"""Stop 25's captures of faces partly covered, for an occlusion gate (RETRY "keep your face
visible from brows to chin"): the tuning occluders it is made on (``gate_eval.py
--occlusion-tune``) and the held-out ones of ``gate_eval.py --occlusion-group``.

Geometry is read off the labelled face's box (top, right, bottom, left): on the tuning
originals dlib's box puts the brows at about 15 % of its height, the eyes at 28 % (their
centres at 33 % and 70 % of its width), the nose tip at 50 %, the mouth at 72 % and the
chin at 105 %.

Tuning (``TUNE``, drawn at the tuning seed on their own streams):
- bandana_low: a printed (textile group's) cloth tied over the nose and everything below;
- phone_in_front: a dark phone (rounded rectangle, a lens dot) over one cheek and the
  mouth's side;
- fringe_over_brows: straight dark hair over the forehead, the brows and part of the eyes;
- mug_over_mouth: a mug of one glazed colour held before the mouth and chin;
- framing_ring_scarf: a striped ring of cloth round the face that never touches it
  (``exposure_captures``' ring; uncovered, a good capture).

Held out (``HELD_OUT``, ``--occlusion-group``; occluders no tuning draw has):
- medical_mask: pleated, light blue, white or black, nose bridge to under the chin, ear loops;
- hand_over_face: a hand in the face's own skin colour (shaded, fingers apart) over the
  mouth and chin, or over one cheek;
- sunglasses: two dark tinted lenses with a bridge and a reflection;
- hair_over_eye: a sweep of hair with strands from the forehead over one eye to the cheek;
- scarf_over_chin: a knitted (ribbed) scarf pulled up over the chin and the mouth;
- open_headscarf: a headscarf in new patterns (plain with a hem, zigzag, paisley-like
  blobs) wrapped round the face and under the chin, the face uncovered from above the brows
  to under the chin (a good capture).
Every capture is stored as ``textile_captures._stored`` stores an honest photo.

Held out a second time (``HELD_OUT2``, ``--occlusion2-group``, stop 25; the kinds of
``HELD_OUT`` again, their parameters redrawn at a new seed, and new styles of the same
kinds no draw had before):
- patterned_cloth_mask: a rounded cloth mask cut from a printed fabric (floral, dots or a
  check), no pleats, from the nose to under the chin;
- round_mirrored_sunglasses: round lenses with a mirror coating (a bright sky-to-ground
  gradient in silver, blue or gold) and a thin metal rim;
- dark_hand_over_face: a darker-skinned hand (not the face's own colour) over the mouth and
  chin or one cheek;
- open_headscarf_checked: an open headscarf in a gingham check or a floral print of
  small flowers, framing the face uncovered (a good capture).

Held out a third time (``HELD_OUT3``, stop 26's ``--hardlight-group``; the kinds above
redrawn at a new seed, and these new styles no draw had before):
- hand_over_eye: a hand in the face's own skin colour across one eye and the brow,
  fingers pointing up and over the forehead (as one shades the eyes or rubs one);
- hair_curtain: long straight hair falling past both cheeks, covering the face's sides
  (6-16 % of its width each) from the temples to the jaw, a parting at the top;
- open_headscarf_striped: an open headscarf in diagonal stripes, framing the face
  uncovered (a good capture).
"""

from __future__ import annotations

from collections.abc import Callable

import cv2
import numpy as np
from dither_captures import _scarf_mask, _textile
from textile_captures import _grid, _stored, _worn, printed_cloth

Box = tuple[float, float, float, float]


def _frame(shape: tuple[int, int], box: Box) -> tuple[np.ndarray, np.ndarray]:
    """Each pixel's position in face-box units: x 0 (left) to 1 (right), y 0 (top) to 1 (bottom)."""
    top, right, bottom, left = box
    yy, xx = _grid(shape)
    return (xx - left) / (right - left), (yy - top) / (bottom - top)


def _shaded(colour: np.ndarray, shape: tuple[int, int], rng: np.random.Generator, depth: float) -> np.ndarray:
    """A flat ``colour`` with soft light falling off across it (float RGB)."""
    h, w = shape
    shade = cv2.GaussianBlur(rng.uniform(1 - depth, 1.05, (h, w)).astype(np.float32), (0, 0), max(h, w) / 10)
    return colour[None, None, :] * shade[..., None]


# --- tuning occluders -------------------------------------------------------------------


def bandana_low(rgb: np.ndarray, rng: np.random.Generator, box: Box) -> np.ndarray:
    u, v = _frame(rgb.shape[:2], box)
    edge = rng.uniform(0.45, 0.58) + 0.08 * np.abs(u - 0.5)
    mask = (v > edge) & (u > -0.3) & (u < 1.3)
    return _stored(_worn(rgb, printed_cloth(rgb.shape[:2], rng), mask), rng)


def phone_in_front(rgb: np.ndarray, rng: np.random.Generator, box: Box) -> np.ndarray:
    u, v = _frame(rgb.shape[:2], box)
    side = rng.choice([-1, 1])
    u = u if side > 0 else 1 - u
    x0, y0 = rng.uniform(0.5, 0.62), rng.uniform(0.35, 0.5)
    mask = (u > x0) & (u < x0 + 0.55) & (v > y0) & (v < y0 + 0.9)
    body = _shaded(rng.uniform(10, 60, 3).astype(np.float32), rgb.shape[:2], rng, 0.3)
    return _stored(_worn(rgb, body, mask), rng)


def fringe_over_brows(rgb: np.ndarray, rng: np.random.Generator, box: Box) -> np.ndarray:
    u, v = _frame(rgb.shape[:2], box)
    edge = rng.uniform(0.2, 0.3) + 0.03 * np.sin(u * rng.uniform(15, 30))
    mask = (v < edge) & (v > -0.6) & (u > -0.2) & (u < 1.2)
    hair = _shaded(rng.uniform(15, 70, 3).astype(np.float32) * [1.0, 0.8, 0.6], rgb.shape[:2], rng, 0.4)
    return _stored(_worn(rgb, hair, mask), rng)


def mug_over_mouth(rgb: np.ndarray, rng: np.random.Generator, box: Box) -> np.ndarray:
    u, v = _frame(rgb.shape[:2], box)
    cx, cy = rng.uniform(0.4, 0.6), rng.uniform(0.85, 1.0)
    mask = (np.abs(u - cx) < rng.uniform(0.25, 0.35)) & (v > cy - rng.uniform(0.25, 0.35)) & (v < cy + 0.6)
    body = _shaded(rng.uniform(30, 240, 3).astype(np.float32), rgb.shape[:2], rng, 0.35)
    return _stored(_worn(rgb, body, mask), rng)


def framing_ring_scarf(rgb: np.ndarray, rng: np.random.Generator, box: Box) -> np.ndarray:
    stripes = _textile(rgb.shape[:2], rng, rng.uniform(2.5, 6.0))
    colours = rng.uniform(30, 230, (2, 3)).astype(np.float32)
    cloth = colours[0] * stripes[..., None] + colours[1] * (1 - stripes[..., None])
    return _stored(_worn(rgb, cloth, _scarf_mask(rgb.shape[:2], box) > 0.5), rng)


# --- held-out occluders -----------------------------------------------------------------


def medical_mask(rgb: np.ndarray, rng: np.random.Generator, box: Box) -> np.ndarray:
    u, v = _frame(rgb.shape[:2], box)
    top = rng.uniform(0.38, 0.48) + 0.1 * (u - 0.5) ** 2
    bottom = rng.uniform(1.05, 1.2) - 0.3 * (u - 0.5) ** 2
    mask = (v > top) & (v < bottom) & (u > rng.uniform(-0.02, 0.06)) & (u < rng.uniform(0.94, 1.02))
    loops = (np.abs(v - (top + 0.1)) < 0.015) & ((u < 0.05) & (u > -0.2) | (u > 0.95) & (u < 1.2))
    colour = [np.float32([150, 195, 225]), np.float32([235, 238, 240]), np.float32([35, 35, 40])][
        int(rng.integers(3))
    ] * rng.uniform(0.85, 1.05)
    pleats = 1 - 0.12 * (np.sin(2 * np.pi * (v - top) / rng.uniform(0.12, 0.18)) > 0.7)
    cloth = _shaded(colour, rgb.shape[:2], rng, 0.25) * pleats[..., None]
    return _stored(_worn(rgb, cloth, mask | loops), rng)


def hand_over_face(rgb: np.ndarray, rng: np.random.Generator, box: Box) -> np.ndarray:
    u, v = _frame(rgb.shape[:2], box)
    cheek = (u > 0.25) & (u < 0.75) & (v > 0.4) & (v < 0.6)
    skin = np.median(rgb[cheek].reshape(-1, 3), axis=0).astype(np.float32) * rng.uniform(0.9, 1.12, 3)
    return _hand(rgb, rng, box, skin)


def _hand(rgb: np.ndarray, rng: np.random.Generator, box: Box, skin: np.ndarray) -> np.ndarray:
    """A hand of ``skin`` colour (shaded, fingers apart) over the mouth and chin, or one cheek."""
    u, v = _frame(rgb.shape[:2], box)
    if rng.random() < 0.5:  # over the mouth and chin, fingers pointing across the face
        cx, cy, along = rng.uniform(0.35, 0.65), rng.uniform(0.8, 0.95), 0.0
    else:  # over one cheek, fingers pointing up
        cx, cy, along = rng.choice([0.15, 0.85]) + rng.uniform(-0.05, 0.05), rng.uniform(0.6, 0.75), np.pi / 2
    palm = ((u - cx) / 0.22) ** 2 + ((v - cy) / 0.2) ** 2 < 1
    fingers = np.zeros_like(palm)
    for k in range(4):
        offset = (k - 1.5) * 0.1
        fx, fy = (
            cx + np.cos(along) * 0.3 - np.sin(along) * offset,
            cy - np.sin(along) * 0.3 + np.cos(along) * offset,
        )
        du, dv = u - fx, v - fy
        a, b = du * np.cos(along) - dv * np.sin(along), du * np.sin(along) + dv * np.cos(along)
        fingers |= (a / 0.2) ** 2 + (b / 0.04) ** 2 < 1
    hand = _shaded(skin, rgb.shape[:2], rng, 0.35)
    return _stored(_worn(rgb, hand, palm | fingers, edge=1.6), rng)


def sunglasses(rgb: np.ndarray, rng: np.random.Generator, box: Box) -> np.ndarray:
    u, v = _frame(rgb.shape[:2], box)
    rx, ry, y = rng.uniform(0.15, 0.2), rng.uniform(0.09, 0.13), rng.uniform(0.26, 0.31)
    lenses = (((u - 0.32) / rx) ** 2 + ((v - y) / ry) ** 2 < 1) | (
        ((u - 0.71) / rx) ** 2 + ((v - y) / ry) ** 2 < 1
    )
    bridge = (np.abs(v - (y - 0.03)) < 0.015) & (u > 0.4) & (u < 0.63)
    tint = rng.uniform(10, 60, 3).astype(np.float32)
    glass = _shaded(tint, rgb.shape[:2], rng, 0.2)
    glint = (((u - 0.28) / 0.05) ** 2 + ((v - y + 0.04) / 0.02) ** 2 < 1)[..., None] * rng.uniform(40, 120)
    worn = _worn(rgb, glass + glint, lenses | bridge)
    return _stored(worn, rng)


def hair_over_eye(rgb: np.ndarray, rng: np.random.Generator, box: Box) -> np.ndarray:
    u, v = _frame(rgb.shape[:2], box)
    eye = rng.choice([0.3, 0.7])
    centre = eye + (v - 0.28) * rng.uniform(-0.35, 0.35)
    width = rng.uniform(0.14, 0.22) * (1 - np.clip(v - 0.3, 0, 1))
    mask = (np.abs(u - centre) < width) & (v > -0.4) & (v < rng.uniform(0.45, 0.6))
    colour = rng.uniform(15, 90, 3).astype(np.float32) * np.float32([1.0, 0.85, 0.65])
    strands = cv2.GaussianBlur(rng.uniform(0.6, 1.2, rgb.shape[:2]).astype(np.float32), (0, 0), 0.8)
    strands = cv2.blur(strands, (1, 9))  # streaks along the hair
    hair = _shaded(colour, rgb.shape[:2], rng, 0.3) * strands[..., None]
    return _stored(_worn(rgb, hair, mask), rng)


def scarf_over_chin(rgb: np.ndarray, rng: np.random.Generator, box: Box) -> np.ndarray:
    u, v = _frame(rgb.shape[:2], box)
    edge = rng.uniform(0.62, 0.8) - 0.12 * np.cos(np.pi * (u - 0.5))
    mask = v > edge
    rib = 0.75 + 0.25 * (np.sin(2 * np.pi * u / rng.uniform(0.05, 0.09)) > 0)
    knit = _shaded(rng.uniform(30, 230, 3).astype(np.float32), rgb.shape[:2], rng, 0.3) * rib[..., None]
    return _stored(_worn(rgb, knit, mask), rng)


Weave = Callable[[np.ndarray, np.ndarray, np.random.Generator], np.ndarray]


def _open_headscarf(rgb: np.ndarray, rng: np.random.Generator, box: Box, weave: Weave) -> np.ndarray:
    """A headscarf framing the face, its opening drawn from brows to chin, in the cloth
    ``weave(u, v, rng)`` draws (float RGB over the face-box grid), softly shaded. Every
    open headscarf draws from ``rng`` in this order: opening, cloth, shade, storage."""
    u, v = _frame(rgb.shape[:2], box)
    opening = ((u - 0.5) / rng.uniform(0.56, 0.66)) ** 2 + ((v - 0.5) / rng.uniform(0.7, 0.8)) ** 2 < 1
    outer = ((u - 0.5) / 1.1) ** 2 + ((v - 0.5) / 1.1) ** 2 < 1
    cloth = weave(u, v, rng) * _shaded(np.ones(3, np.float32), rgb.shape[:2], rng, 0.25)
    return _stored(_worn(rgb, cloth, outer & ~opening), rng)


def open_headscarf(rgb: np.ndarray, rng: np.random.Generator, box: Box) -> np.ndarray:
    return _open_headscarf(rgb, rng, box, _hemmed_zigzag_or_paisley)


def _hemmed_zigzag_or_paisley(u: np.ndarray, v: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    h, w = u.shape
    kind = rng.integers(3)
    base = rng.uniform(20, 235, 3).astype(np.float32)
    if kind == 0:  # plain, a darker hem at the opening
        hem = ~(((u - 0.5) / 0.72) ** 2 + ((v - 0.5) / 0.86) ** 2 < 1)
        cloth = np.where(hem[..., None], base, base * 0.6)
    elif kind == 1:  # zigzag bands
        zig = ((v * 12 + np.abs(((u * 10) % 2) - 1) * 2) % 2) < 1
        cloth = np.where(zig[..., None], base, rng.uniform(20, 235, 3).astype(np.float32))
    else:  # paisley-like blobs on a ground
        field = cv2.GaussianBlur(rng.random((h, w)).astype(np.float32), (0, 0), max(h, w) / 40)
        blobs = field > np.quantile(field, 0.7)
        cloth = np.where(blobs[..., None], rng.uniform(20, 235, 3).astype(np.float32), base)
    return cloth


# --- held out a second time (stop 25) ----------------------------------------------------


def patterned_cloth_mask(rgb: np.ndarray, rng: np.random.Generator, box: Box) -> np.ndarray:
    u, v = _frame(rgb.shape[:2], box)
    top = rng.uniform(0.4, 0.5) + 0.18 * (u - 0.5) ** 2
    # a rounded mask: its sides follow an ellipse round the mouth, not a rectangle
    cx, cy = 0.5 + rng.uniform(-0.03, 0.03), rng.uniform(0.78, 0.86)
    shape = ((u - cx) / rng.uniform(0.5, 0.58)) ** 2 + ((v - cy) / rng.uniform(0.36, 0.44)) ** 2 < 1
    loops = (np.abs(v - (top + 0.12)) < 0.012) & ((u < 0.02) & (u > -0.2) | (u > 0.98) & (u < 1.2))
    cloth = printed_cloth(rgb.shape[:2], rng) * _shaded(np.ones(3, np.float32), rgb.shape[:2], rng, 0.25)
    return _stored(_worn(rgb, cloth, (shape & (v > top)) | loops), rng)


def round_mirrored_sunglasses(rgb: np.ndarray, rng: np.random.Generator, box: Box) -> np.ndarray:
    u, v = _frame(rgb.shape[:2], box)
    r, y = rng.uniform(0.13, 0.17), rng.uniform(0.26, 0.31)
    dist = [np.hypot(u - x, (v - y) * 1.05) for x in (0.31, 0.71)]
    lenses = (dist[0] < r) | (dist[1] < r)
    rims = ((np.abs(dist[0] - r) < 0.012) | (np.abs(dist[1] - r) < 0.012)) & ~lenses
    bridge = (np.abs(v - (y - 0.04)) < 0.01) & (u > 0.31 + r) & (u < 0.71 - r)
    coat = [np.float32([200, 205, 215]), np.float32([90, 150, 230]), np.float32([230, 180, 70])][
        int(rng.integers(3))
    ]
    # a mirror shows the scene: bright sky above the horizon, darker ground below
    sky = np.clip(1.2 - 1.6 * (v - (y - r)) / (2 * r), 0.35, 1.2)[..., None]
    mirror = coat * sky * rng.uniform(0.85, 1.05)
    metal = np.full(3, rng.uniform(90, 200), np.float32)
    worn = _worn(rgb, np.where((rims | bridge)[..., None], metal, mirror), lenses | rims | bridge)
    return _stored(worn, rng)


def dark_hand_over_face(rgb: np.ndarray, rng: np.random.Generator, box: Box) -> np.ndarray:
    skin = np.float32([95, 62, 45]) * rng.uniform(0.8, 1.2) * rng.uniform(0.92, 1.08, 3)
    return _hand(rgb, rng, box, skin.astype(np.float32))


def open_headscarf_checked(rgb: np.ndarray, rng: np.random.Generator, box: Box) -> np.ndarray:
    return _open_headscarf(rgb, rng, box, _gingham_or_flowers)


def _gingham_or_flowers(u: np.ndarray, v: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    h, w = u.shape
    base, ink = rng.uniform(20, 235, (2, 3)).astype(np.float32)
    if rng.random() < 0.5:  # gingham: two crossing stripe sets, darker where they cross
        period = rng.uniform(0.12, 0.25)
        a, b = (u / period) % 1 < 0.5, (v / period) % 1 < 0.5
        cloth = base * (1 - 0.3 * a[..., None] - 0.3 * b[..., None]) + ink * 0.2 * (a & b)[..., None]
    else:  # small flowers: five dots round a centre, scattered on a ground
        cloth = np.broadcast_to(base, (h, w, 3)).copy()
        size = max(h, w) * rng.uniform(0.012, 0.02)
        for cy_, cx_ in rng.uniform(0, 1, (int(rng.integers(60, 120)), 2)) * [h, w]:
            for k in range(5):
                px, py = (
                    cx_ + 1.6 * size * np.cos(2 * np.pi * k / 5),
                    cy_ + 1.6 * size * np.sin(2 * np.pi * k / 5),
                )
                cv2.circle(cloth, (int(px), int(py)), max(1, int(size)), ink.tolist(), -1)
    return cloth


# --- held out a third time (stop 26) ----------------------------------------------------


def hand_over_eye(rgb: np.ndarray, rng: np.random.Generator, box: Box) -> np.ndarray:
    u, v = _frame(rgb.shape[:2], box)
    cheek = (u > 0.25) & (u < 0.75) & (v > 0.4) & (v < 0.6)
    skin = np.median(rgb[cheek].reshape(-1, 3), axis=0).astype(np.float32) * rng.uniform(0.9, 1.12, 3)
    cx, cy = rng.choice([0.3, 0.72]) + rng.uniform(-0.04, 0.04), rng.uniform(0.3, 0.4)
    palm = ((u - cx) / rng.uniform(0.16, 0.2)) ** 2 + ((v - cy) / rng.uniform(0.16, 0.2)) ** 2 < 1
    fingers = np.zeros_like(palm)
    tilt = rng.uniform(-0.3, 0.3)
    for k in range(4):
        fx = cx + (k - 1.5) * 0.085 + np.sin(tilt) * 0.25
        fy = cy - 0.25
        fingers |= ((u - fx) / 0.035) ** 2 + ((v - fy) / rng.uniform(0.16, 0.22)) ** 2 < 1
    hand = _shaded(skin, rgb.shape[:2], rng, 0.35)
    return _stored(_worn(rgb, hand, palm | fingers, edge=1.6), rng)


def hair_curtain(rgb: np.ndarray, rng: np.random.Generator, box: Box) -> np.ndarray:
    u, v = _frame(rgb.shape[:2], box)
    reach = rng.uniform(0.06, 0.16)  # how far in from each side the hair falls over the face
    inner_left = reach + 0.06 * np.clip(v, 0, 1) + 0.02 * np.sin(v * rng.uniform(20, 35))
    inner_right = 1 - reach - 0.06 * np.clip(v, 0, 1) + 0.02 * np.sin(v * rng.uniform(20, 35))
    # the head's crown above the brows, round like a head, a parting drawn through it
    crown = (((u - 0.5) / 0.62) ** 2 + ((v - 0.05) / 0.5) ** 2 < 1) & (v < -0.02)
    crown &= np.abs(u - rng.uniform(0.4, 0.6)) > 0.02
    outer = 0.25 - 0.15 * np.clip(v, 0, 1)  # the hair's outer edge, narrower towards the jaw
    sides = ((u < inner_left) & (u > -outer)) | ((u > inner_right) & (u < 1 + outer))
    mask = crown | (sides & (v > -0.3) & (v < 1.25))
    colour = rng.uniform(10, 80, 3).astype(np.float32) * np.float32([1.0, 0.82, 0.62])
    strands = cv2.GaussianBlur(rng.uniform(0.6, 1.2, rgb.shape[:2]).astype(np.float32), (0, 0), 0.8)
    strands = cv2.blur(strands, (1, 11))
    hair = _shaded(colour, rgb.shape[:2], rng, 0.3) * strands[..., None]
    return _stored(_worn(rgb, hair, mask), rng)


def open_headscarf_striped(rgb: np.ndarray, rng: np.random.Generator, box: Box) -> np.ndarray:
    return _open_headscarf(rgb, rng, box, _diagonal_stripes)


def _diagonal_stripes(u: np.ndarray, v: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    base, ink = rng.uniform(20, 235, (2, 3)).astype(np.float32)
    stripes = ((u + v * rng.choice([-1, 1])) / rng.uniform(0.08, 0.18)) % 1 < rng.uniform(0.3, 0.6)
    return np.where(stripes[..., None], ink, base)


Occluder = Callable[[np.ndarray, np.random.Generator, Box], np.ndarray]
TUNE: dict[str, Occluder] = {
    "bandana_low": bandana_low,
    "phone_in_front": phone_in_front,
    "fringe_over_brows": fringe_over_brows,
    "mug_over_mouth": mug_over_mouth,
    "framing_ring_scarf": framing_ring_scarf,
}
HELD_OUT: dict[str, Occluder] = {
    "medical_mask": medical_mask,
    "hand_over_face": hand_over_face,
    "sunglasses": sunglasses,
    "hair_over_eye": hair_over_eye,
    "scarf_over_chin": scarf_over_chin,
    "open_headscarf": open_headscarf,
}
HELD_OUT2: dict[str, Occluder] = {
    "patterned_cloth_mask": patterned_cloth_mask,
    "round_mirrored_sunglasses": round_mirrored_sunglasses,
    "dark_hand_over_face": dark_hand_over_face,
    "open_headscarf_checked": open_headscarf_checked,
}
HELD_OUT3: dict[str, Occluder] = {
    "hand_over_eye": hand_over_eye,
    "hair_curtain": hair_curtain,
    "open_headscarf_striped": open_headscarf_striped,
}
# captures whose face is uncovered from brows to chin (good captures)
UNCOVERED = ("framing_ring_scarf", "open_headscarf", "open_headscarf_checked", "open_headscarf_striped")


def captured(name: str, rgb: np.ndarray, rng: np.random.Generator, box: Box) -> np.ndarray:
    """The capture ``name`` (of ``TUNE``, ``HELD_OUT``, ``HELD_OUT2`` or ``HELD_OUT3``)."""
    return {**TUNE, **HELD_OUT, **HELD_OUT2, **HELD_OUT3}[name](rgb, rng, box)
