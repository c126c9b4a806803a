"""Generated video for active liveness: a face photo animated along its own landmarks.

``animate`` moves the 68 landmarks for a script of actions (blink: upper lids onto lower
lids; turn: nose, eyes and mouth shifted sideways, the nose most, as a rotating head
projects; open mouth: lower lip and chin down, the gap painted dark) and warps the photo
with a piecewise-affine mesh over a Delaunay triangulation, then adds hand tremor, sensor
noise and JPEG per frame. ``still_video`` is the attack that holds a photo in front of
the camera: tremor and noise only.

A fixture for tests and the benchmark (see ``synth`` for what generated sets can show).
"""

from __future__ import annotations

from collections.abc import Sequence

import cv2
import numpy as np

from kyc_sdk.liveness.synth import Rng, jpeg

Frames = list[tuple[float, np.ndarray]]
# seconds: (ramp in, hold, ramp out) per action
TIMING = {"blink": (0.1, 0.1, 0.1), "turn_left": (0.3, 0.4, 0.3),
          "turn_right": (0.3, 0.4, 0.3), "open_mouth": (0.25, 0.4, 0.25)}
GAP_S = 0.5
LEAD_S = 0.8  # neutral frames first: the tracker's baseline


def displacement(points: np.ndarray, action: str) -> np.ndarray:
    """Landmark displacement (68×2) of ``action`` at full strength."""
    p, d = points.astype(np.float64), np.zeros((68, 2))
    if action == "blink":
        for up, low in ((37, 41), (38, 40), (43, 47), (44, 46)):
            d[up] = 0.97 * (p[low] - p[up])
    elif action in ("turn_left", "turn_right"):
        shift = (1 if action == "turn_left" else -1) * 0.22 * (p[16, 0] - p[0, 0])
        d[27:36, 0] = shift  # nose: farthest from the rotation axis
        d[17:27, 0] = d[36:48, 0] = d[48:68, 0] = 0.55 * shift
        d[6:11, 0] = 0.3 * shift
    elif action == "open_mouth":
        gap = 0.75 * (p[64, 0] - p[60, 0])
        d[[65, 66, 67, 55, 56, 57, 58, 59], 1] = gap
        d[5:12, 1] = gap * np.array([0.3, 0.6, 0.85, 1.0, 0.85, 0.6, 0.3])
    else:
        raise ValueError(f"unknown action {action!r}")
    return d


def _triangles(points: np.ndarray, shape: tuple[int, int]) -> list[tuple[int, int, int]]:
    h, w = shape
    subdiv = cv2.Subdiv2D((0, 0, w, h))
    index = {}
    for i, (x, y) in enumerate(points):  # points are on a 1/4-pixel grid: exact in float32
        subdiv.insert((float(x), float(y)))
        index[(float(x), float(y))] = i
    out = []
    for t in np.asarray(subdiv.getTriangleList(), dtype=np.float64).reshape(-1, 6):
        keys = [(float(t[k]), float(t[k + 1])) for k in (0, 2, 4)]
        if all(k in index for k in keys):
            out.append(tuple(index[k] for k in keys))
    return out  # type: ignore[return-value]


def _anchors(points: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    """Fixed points: the image corners and a ring around the face, so the warp stays local."""
    h, w = shape
    c = points.mean(axis=0)
    r = 1.6 * np.abs(points - c).max(axis=0)
    ring = [c + r * np.array([np.cos(a), np.sin(a)]) for a in np.linspace(0, 2 * np.pi, 12, endpoint=False)]
    corners = [(1, 1), (w - 2, 1), (1, h - 2), (w - 2, h - 2)]
    pts = np.vstack([np.array(ring), np.array(corners, float)])
    return np.clip(pts, 1, [w - 2, h - 2])


def warp(rgb: np.ndarray, src: np.ndarray, dst: np.ndarray, tris: Sequence[tuple[int, int, int]]) -> np.ndarray:
    """Piecewise-affine warp moving ``src`` points to ``dst``: each output pixel inside a
    moved triangle takes the source position with the same barycentric coordinates."""
    h, w = rgb.shape[:2]
    map_x, map_y = np.meshgrid(np.arange(w, dtype=np.float32), np.arange(h, dtype=np.float32))
    moved = np.any(np.abs(dst - src) > 1e-3, axis=1)
    for tri in tris:
        if moved[list(tri)].any():
            _fill(map_x, map_y, dst[list(tri)], src[list(tri)])
    return cv2.remap(rgb, map_x, map_y, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT)


def _fill(map_x: np.ndarray, map_y: np.ndarray, d: np.ndarray, s: np.ndarray) -> None:
    h, w = map_x.shape
    x0, y0 = np.maximum(np.floor(d.min(axis=0)).astype(int), 0)
    x1, y1 = np.minimum(np.ceil(d.max(axis=0)).astype(int) + 1, (w, h))
    t = np.array([d[1] - d[0], d[2] - d[0]]).T  # 2×2: barycentric basis
    if x1 <= x0 or y1 <= y0 or abs(np.linalg.det(t)) < 0.5:
        return  # a collapsed triangle (a closed eyelid) covers no pixel
    gx, gy = np.meshgrid(np.arange(x0, x1), np.arange(y0, y1))
    uv = np.linalg.solve(t, np.stack([gx.ravel() - d[0, 0], gy.ravel() - d[0, 1]]))
    inside = (uv[0] >= -1e-6) & (uv[1] >= -1e-6) & (uv.sum(axis=0) <= 1 + 1e-6)
    src = s[0][:, None] + (s[1] - s[0])[:, None] * uv[0] + (s[2] - s[0])[:, None] * uv[1]
    ys, xs = gy.ravel()[inside], gx.ravel()[inside]
    map_x[ys, xs], map_y[ys, xs] = src[0, inside], src[1, inside]


def _amounts(script: Sequence[str], fps: float) -> list[dict[str, float]]:
    """Per frame, how far each action is performed (0..1), actions one after another."""
    timeline: list[dict[str, float]] = [{} for _ in range(int(LEAD_S * fps))]
    for action in script:
        up, hold, down = TIMING[action]
        for t in np.arange(0, up + hold + down, 1 / fps):
            a = min(t / up, 1.0) if t < up + hold else max(1 - (t - up - hold) / down, 0.0)
            timeline.append({action: float(a)})
        timeline += [{} for _ in range(int(GAP_S * fps))]
    return timeline


def animate(rgb: np.ndarray, points: np.ndarray, script: Sequence[str], rng: Rng,
            fps: float = 15.0) -> Frames:
    """Frames ``(t, rgb)`` of the face in ``rgb`` performing ``script`` in order."""
    points = np.round(np.asarray(points, np.float64) * 4) / 4
    anchors = np.round(_anchors(points, rgb.shape[:2]) * 4) / 4
    src = np.vstack([points, anchors])
    tris = _triangles(src, rgb.shape[:2])
    frames: Frames = []
    for i, amounts in enumerate(_amounts(script, fps)):
        moved = points + sum((a * displacement(points, k) for k, a in amounts.items()), np.zeros((68, 2)))
        img = warp(rgb, src, np.vstack([moved, anchors]), tris) if amounts else rgb
        if amounts.get("open_mouth", 0) > 0.2:
            img = _mouth(img, moved)
        frames.append((i / fps, _tremor(img, rng)))
    return frames


def _mouth(img: np.ndarray, pts: np.ndarray) -> np.ndarray:
    out = img.copy()
    cv2.fillPoly(out, [np.round(pts[60:68]).astype(np.int32)], (70, 30, 35))
    return out


def _tremor(img: np.ndarray, rng: Rng) -> np.ndarray:
    """A hand-held camera: sub-pixel shift, sensor noise, JPEG."""
    m = np.array([[1, 0, rng.normal(0, 0.6)], [0, 1, rng.normal(0, 0.6)]], np.float32)
    moved = cv2.warpAffine(img, m, (img.shape[1], img.shape[0]), borderMode=cv2.BORDER_REFLECT)
    noisy = moved.astype(np.float32) + rng.normal(0, 2.0, img.shape).astype(np.float32)
    return jpeg(np.clip(noisy, 0, 255).astype(np.uint8), 90)


def still_video(rgb: np.ndarray, rng: Rng, seconds: float = 4.0, fps: float = 15.0) -> Frames:
    """A photo held to the camera: nothing moves but the hand and the noise."""
    return [(i / fps, _tremor(rgb, rng)) for i in range(int(seconds * fps))]
