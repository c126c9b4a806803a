"""Generated video for active liveness: genuine captures and video attacks, each axis a parameter.

Genuine: ``animate`` moves a face photo's 68 landmarks for a script of actions and warps
the photo along them, by one of two methods so the checks are not only tried against one:
- ``method="mesh"``: blink (upper lids onto lower), turn (nose, eyes and mouth shifted
  sideways, the nose most) and open mouth (lower lip and chin down, the gap painted
  dark) as 2-D displacements; a piecewise-affine warp over a Delaunay mesh.
- ``method="3d"``: landmarks given a depth (``DEPTH``, a rough average head) and rotated
  in 3-D for turns, a thin-plate-spline warp, and a blink painted rather than warped
  (lid-coloured skin drawn down over the eye with a lash line), closing faster.
Both add the natural sway of a head (a few degrees of yaw, pitch and roll: a real head is
3-D, so its landmarks never move as one plane). ``Capture`` sets the camera and the scene:
sensor noise, JPEG, blur, auto-exposure settling, white-balance drift, low light,
backlight, glasses glare, head scarf, beard, skin tone.

Attacks: ``print_moved`` (a printed photo tilted and moved as a plane), ``cutout`` (a
printed face whose eye holes show live blinking eyes, the sheet moved as a plane),
``on_screen`` (recorded or relayed frames shown on a screen: moiré of a pixel grid finer
or coarser than the camera's, refresh banding, display gamut), ``still_expression`` (a
photo whose expression looks like an action: a smile with narrowed eyes, an open mouth),
``injected`` (rendered frames fed in without a camera: no sensor noise, sharpened or
re-encoded). ``still_video`` is a photo held still.

A fixture for tests and the benchmark (see ``synth`` for what generated sets can show).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import cv2
import numpy as np

from kyc_sdk.liveness.synth import Rng, jpeg
from kyc_sdk.liveness.synth_variants import bayer

Frames = list[tuple[float, np.ndarray]]
# seconds: (ramp in, hold, ramp out) per action, per animation method
TIMING = {
    "blink": (0.1, 0.1, 0.1),
    "turn_left": (0.3, 0.4, 0.3),
    "turn_right": (0.3, 0.4, 0.3),
    "open_mouth": (0.25, 0.4, 0.25),
}
TIMING_3D = {
    "blink": (0.1, 0.12, 0.2),
    "turn_left": (0.45, 0.5, 0.45),
    "turn_right": (0.45, 0.5, 0.45),
    "open_mouth": (0.3, 0.5, 0.35),
}
GAP_S = 0.5
LEAD_S = 0.8  # neutral frames first: the tracker's baseline
TURN_DEG = 25.0
START_S = 1.2  # with ``start_yaw``: turned, then back to the camera over the last 40 %
# depth of each landmark towards the camera, in face widths (jaw ends far back, nose tip out)
DEPTH = np.concatenate(
    [
        [
            -0.3,
            -0.22,
            -0.14,
            -0.07,
            0.0,
            0.05,
            0.09,
            0.11,
            0.12,
            0.11,
            0.09,
            0.05,
            0.0,
            -0.07,
            -0.14,
            -0.22,
            -0.3,
        ],
        [0.02, 0.06, 0.09, 0.1, 0.1, 0.1, 0.1, 0.09, 0.06, 0.02],  # brows
        [0.12, 0.17, 0.22, 0.3, 0.17, 0.2, 0.22, 0.2, 0.17],  # nose bridge to tip, nostrils
        [0.0, 0.04, 0.04, 0.04, 0.04, 0.04] * 2,  # eyes
        [0.06] + [0.1] * 5 + [0.06] + [0.1] * 13,
    ]
)  # mouth


@dataclass(frozen=True, slots=True)
class Capture:
    """How camera and scene treat a genuine capture; each field is one axis of variation."""

    noise: float = 2.0  # sensor noise σ, grey levels (0: none, as in rendered frames)
    quality: int = 90  # JPEG quality; 0 keeps frames lossless
    blur: float = 0.0  # lens or focus blur σ, pixels
    tremor: float = 0.6  # hand-held camera shift σ, pixels
    sway_deg: float = 2.5  # natural head sway amplitude
    exposure_settle_s: float = 0.0  # auto-exposure rising from dark over the first seconds
    wb_drift: float = 0.0  # white balance drifting by ± this over the video
    low_light: bool = False
    backlight: bool = False
    glasses_glare: bool = False
    scarf: bool = False
    beard: bool = False
    skin: float = 1.0  # face luminance factor: about 0.5 for dark skin, 1.3 for light
    light: float = 1.0  # scene light reaching the sensor (``low_light`` is 0.3 with more noise and blur)
    sensor: str = "iid"  # the camera's sensor, see ``camera``


HARD = {  # the genuine conditions the benchmark varies
    "plain": Capture(),
    "exposure": Capture(exposure_settle_s=1.0),
    "white_balance": Capture(wb_drift=0.15),
    "low_light": Capture(low_light=True),
    "backlight": Capture(backlight=True),
    "glasses": Capture(glasses_glare=True),
    "scarf": Capture(scarf=True),
    "beard": Capture(beard=True),
    "dark_skin": Capture(skin=0.5),
    "light_skin": Capture(skin=1.3),
}


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


def rotate(points: np.ndarray, yaw: float, pitch: float = 0.0, roll: float = 0.0) -> np.ndarray:
    """The landmarks of the head rotated in 3-D about its centre (degrees; yaw > 0 is the
    subject's left), projected orthographically."""
    p = points.astype(np.float64)
    c = p.mean(axis=0)
    x, y = (p - c).T
    z = DEPTH * float(np.ptp(p[:, 0]))
    a, b, r = np.radians([yaw, pitch, roll])
    x, z = x * np.cos(a) + z * np.sin(a), -x * np.sin(a) + z * np.cos(a)
    y = y * np.cos(b) - z * np.sin(b)
    x, y = x * np.cos(r) - y * np.sin(r), x * np.sin(r) + y * np.cos(r)
    return c + np.stack([x, y], axis=1)


def _triangles(points: np.ndarray, shape: tuple[int, int]) -> list[tuple[int, int, int]]:
    h, w = shape
    subdiv = cv2.Subdiv2D((0, 0, w, h))
    index: dict[tuple[float, float], int] = {}
    for i, (x, y) in enumerate(points):  # points are on a 1/4-pixel grid: exact in float32
        subdiv.insert((float(x), float(y)))
        index[(float(x), float(y))] = i
    out: list[tuple[int, int, int]] = []
    for t in np.asarray(subdiv.getTriangleList(), dtype=np.float64).reshape(-1, 6):
        a, b, c = ((float(t[k]), float(t[k + 1])) for k in (0, 2, 4))
        if a in index and b in index and c in index:
            out.append((index[a], index[b], index[c]))
    return out


def _anchors(points: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    """Fixed points: the image corners and a ring around the face, so the warp stays local."""
    h, w = shape
    c = points.mean(axis=0)
    r = 1.6 * np.abs(points - c).max(axis=0)
    ring = [c + r * np.array([np.cos(a), np.sin(a)]) for a in np.linspace(0, 2 * np.pi, 12, endpoint=False)]
    corners = [(1, 1), (w - 2, 1), (1, h - 2), (w - 2, h - 2)]
    pts = np.vstack([np.array(ring), np.array(corners, float)])
    return np.clip(pts, 1, [w - 2, h - 2])


def warp(
    rgb: np.ndarray, src: np.ndarray, dst: np.ndarray, tris: Sequence[tuple[int, int, int]]
) -> np.ndarray:
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
    (a, b), (c, e) = d[1] - d[0], d[2] - d[0]  # the barycentric basis, as columns
    det = a * e - b * c
    if x1 <= x0 or y1 <= y0 or abs(det) < 0.5:
        return  # a collapsed triangle (a closed eyelid) covers no pixel
    # the 2x2 inverse written out over the box's rows and columns (broadcast): this runs
    # for every moved triangle of every frame, where a general solver's overhead dominated
    dx = np.arange(x0, x1, dtype=np.float64)[None, :] - d[0, 0]
    dy = np.arange(y0, y1, dtype=np.float64)[:, None] - d[0, 1]
    u, v = (e * dx - c * dy) / det, (a * dy - b * dx) / det
    inside = (u >= -1e-6) & (v >= -1e-6) & (u + v <= 1 + 1e-6)
    ys, xs = np.nonzero(inside)
    u, v = u[ys, xs], v[ys, xs]
    ys, xs = ys + y0, xs + x0
    map_x[ys, xs] = s[0, 0] + (s[1, 0] - s[0, 0]) * u + (s[2, 0] - s[0, 0]) * v
    map_y[ys, xs] = s[0, 1] + (s[1, 1] - s[0, 1]) * u + (s[2, 1] - s[0, 1]) * v


def tps_warp(rgb: np.ndarray, src: np.ndarray, dst: np.ndarray, step: int = 4) -> np.ndarray:
    """Thin-plate-spline warp moving ``src`` points to ``dst`` (the backward map is fitted at
    ``dst`` and evaluated on a grid every ``step`` pixels)."""
    h, w = rgb.shape[:2]
    n = len(dst)

    def kernel(a: np.ndarray, b: np.ndarray) -> np.ndarray:
        # x and y apart, in place: the same sums as a 3-D difference summed over its last
        # axis, without the temporaries that made this most of a frame's cost
        r2 = np.subtract.outer(a[:, 0], b[:, 0])
        r2 *= r2
        dy = np.subtract.outer(a[:, 1], b[:, 1])
        dy *= dy
        r2 += dy
        u = np.log(np.maximum(r2, 1e-12, out=dy), out=dy)
        u *= r2
        u *= 0.5
        u[r2 <= 0] = 0.0
        return u

    system = np.zeros((n + 3, n + 3))
    system[:n, :n] = kernel(dst, dst) + 1e-3 * np.eye(n)
    system[:n, n] = system[n, :n] = 1.0
    system[:n, n + 1 :] = dst
    system[n + 1 :, :n] = dst.T
    rhs = np.zeros((n + 3, 2))
    rhs[:n] = src - dst
    coef = np.linalg.solve(system, rhs)
    gy, gx = np.mgrid[0 : h + step : step, 0 : w + step : step].astype(np.float64)
    grid = np.stack([gx.ravel(), gy.ravel()], axis=1)
    offset = kernel(grid, dst) @ coef[:n] + coef[n] + grid @ coef[n + 1 :]
    ox = cv2.resize(offset[:, 0].reshape(gx.shape).astype(np.float32), None, fx=step, fy=step)[:h, :w]
    oy = cv2.resize(offset[:, 1].reshape(gx.shape).astype(np.float32), None, fx=step, fy=step)[:h, :w]
    map_x, map_y = np.meshgrid(np.arange(w, dtype=np.float32), np.arange(h, dtype=np.float32))
    return cv2.remap(rgb, map_x + ox, map_y + oy, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT)


def _amounts(
    script: Sequence[str],
    fps: float,
    timing: dict[str, tuple[float, float, float]] = TIMING,
    lead_s: float = LEAD_S,
) -> list[dict[str, float]]:
    """Per frame, how far each action is performed (0..1), actions one after another."""
    timeline: list[dict[str, float]] = [{} for _ in range(int(lead_s * fps))]
    for action in script:
        up, hold, down = timing[action]
        for t in np.arange(0, up + hold + down, 1 / fps):
            a = min(t / up, 1.0) if t < up + hold else max(1 - (t - up - hold) / down, 0.0)
            timeline.append({action: float(a)})
        timeline += [{} for _ in range(int(GAP_S * fps))]
    return timeline


def _sway(n: int, fps: float, amplitude: float, rng: Rng) -> np.ndarray:
    """n × 3 (yaw, pitch, roll) degrees: a head's slow, smooth drift."""
    t = np.arange(n)[:, None] / fps
    freq, phase = rng.uniform(0.15, 0.6, (2, 3)), rng.uniform(0, 2 * np.pi, (2, 3))
    wave = np.sin(2 * np.pi * freq[0] * t + phase[0]) + 0.5 * np.sin(2 * np.pi * freq[1] * t + phase[1])
    return amplitude / 1.5 * wave * np.array([1.0, 0.8, 0.5])


def animate(
    rgb: np.ndarray,
    points: np.ndarray,
    script: Sequence[str],
    rng: Rng,
    fps: float = 15.0,
    *,
    method: str = "mesh",
    capture: Capture | None = None,
    lead_s: float = LEAD_S,
    start_yaw: float = 0.0,
) -> Frames:
    """Frames ``(t, rgb)`` of the face in ``rgb`` performing ``script`` in order; with
    ``start_yaw`` (degrees) the person first sits that far turned for ``START_S`` and then
    comes back to face the camera before the script."""
    if method not in ("mesh", "3d"):
        raise ValueError(f"unknown animation method {method!r}")
    cap = capture or Capture()
    points = np.round(np.asarray(points, np.float64) * 4) / 4
    anchors = np.round(_anchors(points, rgb.shape[:2]) * 4) / 4
    src = np.vstack([points, anchors])
    tris = _triangles(src, rgb.shape[:2]) if method == "mesh" else []
    timeline = _amounts(script, fps, TIMING if method == "mesh" else TIMING_3D, lead_s)
    start = int(START_S * fps) if start_yaw else 0
    timeline = [{} for _ in range(start)] + timeline
    sway = _sway(len(timeline), fps, cap.sway_deg, rng)
    sway[:start, 0] += start_yaw * np.clip((start - np.arange(start)) / (0.4 * start), 0, 1)
    scene = _Scene(rgb, points, cap, rng)
    frames: Frames = []
    for i, amounts in enumerate(timeline):
        lids = amounts.get("blink", 0.0) if method == "3d" else 0.0
        moved = _pose(
            points, {k: a for k, a in amounts.items() if not (lids and k == "blink")}, sway[i], method
        )
        dst = np.vstack([moved, anchors])
        img = warp(rgb, src, dst, tris) if method == "mesh" else tps_warp(rgb, src, dst)
        if amounts.get("open_mouth", 0) > 0.2:
            img = _mouth(img, moved)
        if lids > 0:
            img = _close_lids(img, moved, lids)
        frames.append((i / fps, scene.film(img, moved, i / fps, len(timeline) / fps)))
    return frames


def turn_head(rgb: np.ndarray, points: np.ndarray, yaw: float) -> np.ndarray:
    """The photo's head turned ``yaw`` degrees in 3-D (``rotate``, thin-plate warp): the
    photos no video group uses are all turned (yaw proxy 0.22-0.28 off centre), and brought
    back towards the camera they give faces of other shapes (distorted, asymmetric at rest)."""
    anchors = _anchors(points, rgb.shape[:2])
    src = np.vstack([points, anchors])
    return tps_warp(rgb, src, np.vstack([rotate(points, yaw), anchors]))


def _close_lids(img: np.ndarray, p: np.ndarray, amount: float) -> np.ndarray:
    """Upper lids drawn down by ``amount`` (0..1): skin from above the eye, a dark lash line."""
    out = img.copy()
    for eye, brow in ((p[36:42], p[18:21]), (p[42:48], p[23:26])):
        upper, lower = eye[[1, 2]], eye[[5, 4]]
        lid = upper + amount * (lower - upper)
        above = np.round((eye[1:3].mean(axis=0) + brow.mean(axis=0)) / 2).astype(int)
        y0, x0 = max(above[1] - 2, 0), max(above[0] - 3, 0)
        skin = img[y0 : above[1] + 3, x0 : above[0] + 4].reshape(-1, 3).mean(axis=0)
        lift = np.array([0.0, 0.35 * float(np.ptp(eye[:, 1])) + 1.5])  # cover the old lash line
        polygon = np.vstack([eye[0], upper - lift, eye[3], lid[::-1]])
        cv2.fillPoly(out, [np.round(polygon).astype(np.int32)], tuple(float(c) for c in skin))
        lash = np.vstack([eye[0], lid, eye[3]])
        cv2.polylines(out, [np.round(lash).astype(np.int32)], False, (40, 30, 30), 2, cv2.LINE_AA)
    return out


def _pose(points: np.ndarray, amounts: dict[str, float], sway: np.ndarray, method: str) -> np.ndarray:
    yaw = float(sway[0])
    moved = points.copy()
    for action, a in amounts.items():
        if action.startswith("turn") and method == "3d":
            yaw += (1 if action == "turn_left" else -1) * TURN_DEG * a
        else:
            moved = moved + a * displacement(points, action)
    return rotate(moved, yaw, float(sway[1]), float(sway[2]))


def _mouth(img: np.ndarray, pts: np.ndarray, colour: tuple[int, int, int] = (70, 30, 35)) -> np.ndarray:
    out = img.copy()
    cv2.fillPoly(out, [np.round(pts[60:68]).astype(np.int32)], colour)
    return out


SENSORS = ("iid", "bayer", "phone")
PHONE_SCALE = 2  # photosites per frame pixel, each way: a 1280-wide sensor for a 640-wide frame


def phone_film(scene: np.ndarray, rng: Rng, noise: float) -> np.ndarray:
    """``scene`` (RGB float, at the sensor's resolution: ``PHONE_SCALE`` times the frame's)
    through the Bayer pipeline (``synth_variants.bayer``) at the sensor's resolution, then
    the phone's downscale to the frame (pixel averaging). ``noise`` is the frame's level:
    each photosite, a quarter of a frame pixel, gets twice it, which the averaging halves."""
    raw = bayer(scene, rng, noise * PHONE_SCALE)
    h, w = scene.shape[0] // PHONE_SCALE, scene.shape[1] // PHONE_SCALE
    out: np.ndarray = cv2.resize(raw, (w, h), interpolation=cv2.INTER_AREA)
    return out


def camera(
    img: np.ndarray,
    rng: Rng,
    *,
    noise: float = 2.0,
    quality: int = 90,
    tremor: float = 0.6,
    blur: float = 0.0,
    sensor: str = "iid",
) -> np.ndarray:
    """A frame through a hand-held camera: sub-pixel shift, blur, sensor noise, JPEG.

    ``sensor``: ``"iid"`` (every split before FRESH13) draws the noise for each pixel and
    channel on its own, so a screen finer than the camera's pixels leaves no colour moiré;
    ``"bayer"`` is a real phone's pipeline (``synth_variants.bayer``: one colour per
    photosite, so red and blue are sampled every other pixel and a fine screen folds into a
    slow colour moiré; noise there, demosaicing, the phone's denoiser), at the noise law of
    the still images' camera with ``noise`` as its level. ``"phone"`` is that pipeline at
    the resolution of a real sensor, ``PHONE_SCALE`` photosites a frame pixel each way, and
    the phone's downscale to the frame (``phone_film``): a scene the lens passes at the
    sensor's scale aliases there, as in a real capture (see ``synth_panel``)."""
    if sensor not in SENSORS:
        raise ValueError(f"unknown sensor {sensor!r}")
    f: np.ndarray = np.asarray(img, np.float32)
    if tremor > 0:
        m = np.array([[1, 0, rng.normal(0, tremor)], [0, 1, rng.normal(0, tremor)]], np.float32)
        f = cv2.warpAffine(f, m, (f.shape[1], f.shape[0]), borderMode=cv2.BORDER_REFLECT)
    if blur > 0:
        f = cv2.GaussianBlur(f, (0, 0), blur)
    if sensor == "bayer":
        f = bayer(f, rng, noise)
    elif sensor == "phone":  # the frame's scene is smooth at the sensor's scale: upsampled
        size = (f.shape[1] * PHONE_SCALE, f.shape[0] * PHONE_SCALE)
        f = phone_film(cv2.resize(f, size, interpolation=cv2.INTER_CUBIC), rng, noise)
    elif noise > 0:  # read noise plus shot noise, which grows with the signal
        f = f + rng.normal(0, 1, f.shape).astype(np.float32) * np.sqrt(noise**2 + 0.02 * np.maximum(f, 0))
    out = np.clip(f + 0.5, 0, 255).astype(np.uint8)
    return jpeg(out, quality) if quality > 0 else out


def still_video(
    rgb: np.ndarray, rng: Rng, seconds: float = 4.0, fps: float = 15.0, *, sensor: str = "iid"
) -> Frames:
    """A photo held to the camera: nothing moves but the hand and the noise."""
    return [(i / fps, camera(rgb, rng, sensor=sensor)) for i in range(int(seconds * fps))]


def _polygon_mask(shape: tuple[int, ...], polygons: Sequence[np.ndarray], soften: float = 2.0) -> np.ndarray:
    mask = np.zeros(shape[:2], np.float32)
    for poly in polygons:
        cv2.fillPoly(mask, [np.round(poly).astype(np.int32)], 1.0)
    return cv2.GaussianBlur(mask, (0, 0), soften)[..., None] if soften > 0 else mask[..., None]


def _face_polygon(p: np.ndarray) -> np.ndarray:
    """Jaw line and the brows raised to the hairline."""
    height = p[8, 1] - p[19:25, 1].mean()
    brows = p[26:16:-1] - np.array([0.0, 0.3 * height])
    return np.vstack([p[0:17], brows])


class _Scene:
    """What a ``Capture`` does to each rendered frame, drawn along the moved landmarks."""

    def __init__(self, rgb: np.ndarray, points: np.ndarray, cap: Capture, rng: Rng) -> None:
        self.cap, self.rng = cap, rng
        self.scarf_colour = rng.uniform(20, 200, 3).astype(np.float32)
        self.beard_texture = rng.normal(0, 12, rgb.shape[:2]).astype(np.float32)[..., None]
        self.glare_at = rng.uniform(0.3, 0.7, 2) * rng.choice([-1, 1], 2)  # on the lens, partly over the eye

    def film(self, img: np.ndarray, p: np.ndarray, t: float, total: float) -> np.ndarray:
        cap = self.cap
        f: np.ndarray = img.astype(np.float32)
        width = float(p[16, 0] - p[0, 0])
        face = _polygon_mask(f.shape, [_face_polygon(p)], 3.0)
        if cap.skin != 1.0:
            f = f * (1 + (cap.skin - 1) * face)
        if cap.beard:
            chin = np.vstack([p[3:14], p[[54, 55, 56, 57, 58, 59, 48]]])
            lip = np.vstack([p[31:36], p[[54, 53, 52, 51, 50, 49, 48]]])
            beard = _polygon_mask(f.shape, [chin, lip], 2.5) * 0.85
            f = f * (1 - beard) + (np.array([45, 35, 30], np.float32) + self.beard_texture) * beard
        if cap.scarf:
            outer = _face_polygon(p)
            centre = outer.mean(axis=0)
            ring = np.vstack([centre + (outer - centre) * 1.45, (centre + (outer - centre) * 1.04)[::-1]])
            cloth = _polygon_mask(f.shape, [ring], 2.0)
            folds = 1 + 0.15 * np.sin(np.arange(f.shape[1], dtype=np.float32) / (0.05 * width))[None, :, None]
            f = f * (1 - cloth) + self.scarf_colour * folds * cloth
        if cap.glasses_glare:
            f = self._glasses(f, p, width)
        if cap.backlight:
            near = _polygon_mask(f.shape, [_face_polygon(p)], 12.0)
            f = f * 0.55 * near + (255 - (255 - f) * 0.2) * (1 - near)
        gain = 0.3 if cap.low_light else cap.light
        if cap.exposure_settle_s > 0:  # auto-exposure: dark first, then settling with an overshoot
            tau = cap.exposure_settle_s / 3
            gain *= 1 - 0.75 * np.exp(-t / tau) * np.cos(t / tau)
        if cap.wb_drift:
            f = f * (1 + cap.wb_drift * (2 * t / total - 1) * np.array([1.0, 0.0, -1.0], np.float32))
        noise = max(cap.noise, 6.0) if cap.low_light else cap.noise
        return camera(
            f * gain,
            self.rng,
            noise=noise,
            quality=cap.quality,
            tremor=cap.tremor,
            blur=max(cap.blur, 0.8) if cap.low_light else cap.blur,
            sensor=cap.sensor,
        )

    def _glasses(self, f: np.ndarray, p: np.ndarray, width: float) -> np.ndarray:
        out = f.copy()
        for eye in (p[36:42], p[42:48]):
            c, r = eye.mean(axis=0), 0.17 * width
            cv2.ellipse(out, (int(c[0]), int(c[1])), (int(r * 1.1), int(r * 0.8)), 0, 0, 360, (25, 25, 25), 2)
            g = c + self.glare_at * r
            blob = np.zeros(f.shape[:2], np.float32)
            cv2.ellipse(blob, (int(g[0]), int(g[1])), (int(r * 0.5), int(r * 0.25)), 30, 0, 360, 1.0, -1)
            out = out + 200 * cv2.GaussianBlur(blob, (0, 0), 0.1 * r)[..., None]
        return out


# --- attacks -----------------------------------------------------------------------------


def _backdrop(shape: tuple[int, ...], rng: Rng) -> np.ndarray:
    h, w = shape[:2]
    base = rng.uniform(60, 200, 3).astype(np.float32)
    ramp = np.linspace(-25, 25, w, dtype=np.float32)[None, :, None]
    return np.broadcast_to(base + ramp, (h, w, 3)).astype(np.float32)


def _printed(
    rgb: np.ndarray, rng: Rng, period: float | None = None, angle: float | None = None
) -> np.ndarray:
    """A photo as printed: inks lose saturation, paper tint, a halftone screen (line rate ``period``
    pixels at ``angle`` degrees)."""
    f = rgb.astype(np.float32)
    grey = f.mean(axis=2, keepdims=True)
    f = grey + (f - grey) * rng.uniform(0.35, 0.7)
    f = 0.8 * f + 0.2 * np.array([240, 236, 225], np.float32) * rng.uniform(0.95, 1.02, 3)
    period = rng.uniform(2.5, 6.0) if period is None else period
    theta = np.radians(rng.uniform(0, 90) if angle is None else angle)
    yy, xx = np.mgrid[0 : f.shape[0], 0 : f.shape[1]].astype(np.float32)
    u = (xx * np.cos(theta) + yy * np.sin(theta)) * 2 * np.pi / period
    v = (-xx * np.sin(theta) + yy * np.cos(theta)) * 2 * np.pi / period
    return f * (1 + rng.uniform(0.05, 0.2) * np.cos(u) * np.cos(v))[..., None]


def _plane(
    shape: tuple[int, ...],
    centre: np.ndarray,
    yaw: float,
    pitch: float,
    roll: float,
    shift: np.ndarray,
    scale: float,
) -> np.ndarray:
    """The homography of a flat sheet rotated about ``centre`` (degrees) at arm's length."""
    h, w = shape[:2]
    f = 1.4 * max(h, w)
    a, b, r = np.radians([yaw, pitch, roll])
    ry = np.array([[np.cos(a), 0, np.sin(a)], [0, 1, 0], [-np.sin(a), 0, np.cos(a)]])
    rx = np.array([[1, 0, 0], [0, np.cos(b), -np.sin(b)], [0, np.sin(b), np.cos(b)]])
    rz = np.array([[np.cos(r), -np.sin(r), 0], [np.sin(r), np.cos(r), 0], [0, 0, 1]])
    rot = rz @ rx @ ry
    k = np.array([[f * scale, 0, centre[0] + shift[0]], [0, f * scale, centre[1] + shift[1]], [0, 0, 1]])
    to_plane = np.array([[1, 0, -centre[0]], [0, 1, -centre[1]], [0, 0, 1]])
    return k @ np.column_stack([rot[:, 0], rot[:, 1], [0, 0, f]]) @ to_plane / f


def _hand(n: int, fps: float, tilt: float, rng: Rng) -> np.ndarray:
    """n × 6 (yaw, pitch, roll, dx, dy, scale−1): a sheet or screen held in a hand."""
    t = np.arange(n)[:, None] / fps
    freq, phase = rng.uniform(0.2, 0.9, 6), rng.uniform(0, 2 * np.pi, 6)
    amp = np.array([tilt, tilt, 0.3 * tilt, 6.0, 6.0, 0.04])
    return amp * np.sin(2 * np.pi * freq * t + phase)


def _held(
    sheet: np.ndarray, backdrop: np.ndarray, centre: np.ndarray, m: np.ndarray, extra_yaw: float = 0.0
) -> np.ndarray:
    h, w = backdrop.shape[:2]
    hom = _plane(backdrop.shape, centre, m[0] + extra_yaw, m[1], m[2], m[3:5], 1 + m[5])
    warped = cv2.warpPerspective(sheet, hom, (w, h), flags=cv2.INTER_LINEAR)
    inside = cv2.warpPerspective(np.ones(sheet.shape[:2], np.float32), hom, (w, h))[..., None]
    return warped * inside + backdrop * (1 - inside)


def print_moved(
    rgb: np.ndarray,
    rng: Rng,
    seconds: float = 4.0,
    fps: float = 15.0,
    *,
    tilt: float = 15.0,
    period: float | None = None,
    sensor: str = "iid",
) -> Frames:
    """A printed photo tilted and moved in front of the camera (margins show the room);
    ``sensor`` is the camera's (see ``camera``), as in every attack below."""
    pad = int(0.08 * max(rgb.shape[:2]))
    sheet = cv2.copyMakeBorder(
        _printed(rgb, rng, period), pad, pad, pad, pad, cv2.BORDER_CONSTANT, value=(236, 234, 228)
    )
    sheet = cv2.resize(sheet, (rgb.shape[1], rgb.shape[0]), interpolation=cv2.INTER_AREA)
    back = _backdrop(rgb.shape, rng)
    centre = np.array([rgb.shape[1] / 2, rgb.shape[0] / 2])
    motion = _hand(int(seconds * fps), fps, tilt, rng)
    return [
        (i / fps, camera(_held(sheet, back, centre, m), rng, sensor=sensor)) for i, m in enumerate(motion)
    ]


def cutout(
    rgb: np.ndarray,
    points: np.ndarray,
    script: Sequence[str],
    rng: Rng,
    fps: float = 15.0,
    *,
    tilt: float = 8.0,
    mouth_hole: bool = False,
    sensor: str = "iid",
) -> Frames:
    """A printed face with holes at the eyes (and the mouth) through which a person blinks
    (and opens the mouth); turns are tried by rotating the sheet."""
    points = np.round(np.asarray(points, np.float64) * 4) / 4
    anchors = np.round(_anchors(points, rgb.shape[:2]) * 4) / 4
    src = np.vstack([points, anchors])
    tris = _triangles(src, rgb.shape[:2])
    paper = _printed(rgb, rng)
    holes = [cv2.convexHull(np.round(points[a:b]).astype(np.int32)) for a, b in ((36, 42), (42, 48))]
    if mouth_hole:
        holes.append(cv2.convexHull(np.round(points[60:68]).astype(np.int32)))
    hole: np.ndarray = np.zeros(rgb.shape[:2], np.uint8)
    for h in holes:
        cv2.fillPoly(hole, [h], 1)
    hole = cv2.dilate(hole, np.ones((5, 5), np.uint8))
    edge = cv2.morphologyEx(hole, cv2.MORPH_GRADIENT, np.ones((3, 3), np.uint8)).astype(np.float32)[..., None]
    inside = hole.astype(np.float32)[..., None]
    back = _backdrop(rgb.shape, rng)
    centre = points.mean(axis=0)
    timeline = _amounts(script, fps, TIMING_3D)
    motion = _hand(len(timeline), fps, tilt, rng)
    frames: Frames = []
    for i, amounts in enumerate(timeline):
        live = {k: a for k, a in amounts.items() if k == "blink" or (k == "open_mouth" and mouth_hole)}
        moved = points + sum((a * displacement(points, k) for k, a in live.items()), np.zeros((68, 2)))
        eyes = warp(rgb, src, np.vstack([moved, anchors]), tris) if live else rgb
        if live.get("open_mouth", 0) > 0.2:
            eyes = _mouth(eyes, moved)
        sheet = paper * (1 - inside) + eyes.astype(np.float32) * inside
        sheet = sheet * (1 - 0.7 * edge)  # the cut edge's shadow
        turn = sum(
            (25.0 if k == "turn_left" else -25.0) * a for k, a in amounts.items() if k.startswith("turn")
        )
        frames.append((i / fps, camera(_held(sheet, back, centre, motion[i], turn), rng, sensor=sensor)))
    return frames


@dataclass(frozen=True, slots=True)
class Screen:
    """A display re-filmed: its pixel pitch in camera pixels (under 1: finer than the
    camera's, seen only as the moiré it beats into), the grid's angle, the moiré's
    strength, refresh banding (its period in frame heights and how far it rolls each
    frame: both follow the refresh rate against the camera's), display gamma and white
    point, how far it is tilted, how far the hand shifts it and brings it nearer
    (``hand``, times the default), and the frame rate of the stream it shows
    (``content_fps``; 0: a new picture every camera frame)."""

    pitch: float = 0.7
    angle: float = 3.0
    moire: float = 0.08
    banding: float = 0.04
    gamma: float = 0.8
    tilt: float = 4.0
    hand: float = 1.0
    band_period: float = 0.7
    band_roll: float = 0.37
    content_fps: float = 0.0


def _shown(frames: Frames, i: int, content_fps: float, fps: float = 15.0) -> np.ndarray:
    """The picture on the screen at camera frame ``i``: a slower stream holds each of its
    pictures over several camera frames."""
    if content_fps <= 0:
        return frames[i][1]
    k = round(int(i / fps * content_fps) / content_fps * fps)
    return frames[min(k, len(frames) - 1)][1]


def on_screen(frames: Frames, rng: Rng, screen: Screen | None = None, *, sensor: str = "iid") -> Frames:
    """``frames`` (a recording, or a live relay) shown on a screen and filmed again."""
    s = screen or Screen()
    h, w = frames[0][1].shape[:2]
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    a = np.radians(s.angle)
    u = (xx * np.cos(a) + yy * np.sin(a)) / s.pitch
    v = (-xx * np.sin(a) + yy * np.cos(a)) / s.pitch
    white = np.array([0.88, 0.96, 1.08], np.float32) * rng.uniform(0.97, 1.03, 3)
    back = _backdrop((h, w), rng) * 0.4
    centre = np.array([w / 2, h / 2])
    motion = _hand(len(frames), 15.0, s.tilt, rng)
    motion[:, 3:] *= s.hand
    out: Frames = []
    for i, (t, _) in enumerate(frames):
        img = _shown(frames, i, s.content_fps)
        drift = motion[i, 3:5] / s.pitch  # the hand moves the grid against the sensor
        grid = [
            np.cos(2 * np.pi * (u + drift[0] + k / 3)) * np.cos(2 * np.pi * (v + drift[1])) for k in range(3)
        ]
        moire = 1 + s.moire * np.stack(grid, axis=2)
        band = 1 + s.banding * np.cos(2 * np.pi * (yy / (s.band_period * h) + s.band_roll * i))[..., None]
        shown = 12 + 243 * (img.astype(np.float32) / 255) ** s.gamma * white * moire * band
        out.append((t, camera(_held(shown, back, centre, motion[i]), rng, sensor=sensor)))
    return out


def expression(points: np.ndarray, kind: str) -> np.ndarray:
    """Landmark displacement of a held expression that resembles an action."""
    p, d = points.astype(np.float64), np.zeros((68, 2))
    mouth_w = p[54, 0] - p[48, 0]
    if kind in ("smile", "squint"):  # narrowed eyes; a smile also lifts and opens the mouth
        for up, low in ((37, 41), (38, 40), (43, 47), (44, 46)):
            d[up] = 0.55 * (p[low] - p[up])
            d[low] = 0.1 * (p[up] - p[low])
    if kind == "smile":
        d[[48, 60], 0], d[[54, 64], 0] = -0.08 * mouth_w, 0.08 * mouth_w
        d[[48, 54, 60, 64], 1] = -0.1 * mouth_w
        d[[65, 66, 67, 55, 56, 57, 58, 59], 1] = 0.3 * mouth_w
    elif kind == "open":
        d = displacement(points, "open_mouth")
    elif kind != "squint":
        raise ValueError(f"unknown expression {kind!r}")
    return d


def still_expression(
    rgb: np.ndarray,
    points: np.ndarray,
    rng: Rng,
    seconds: float = 4.0,
    fps: float = 15.0,
    *,
    kind: str = "smile",
    tilt: float = 0.0,
    sensor: str = "iid",
) -> Frames:
    """A photo of a face holding an expression (smile with narrowed eyes, open mouth), held
    still or moved as a sheet."""
    points = np.round(np.asarray(points, np.float64) * 4) / 4
    anchors = np.round(_anchors(points, rgb.shape[:2]) * 4) / 4
    src = np.vstack([points, anchors])
    moved = points + expression(points, kind)
    photo = warp(rgb, src, np.vstack([moved, anchors]), _triangles(src, rgb.shape[:2]))
    if kind != "squint":
        photo = _mouth(photo, moved, (225, 220, 210) if kind == "smile" else (70, 30, 35))
    n = int(seconds * fps)
    if tilt <= 0:
        return [(i / fps, camera(photo, rng, sensor=sensor)) for i in range(n)]
    back, centre = _backdrop(rgb.shape, rng), points.mean(axis=0)
    return [
        (i / fps, camera(_held(photo.astype(np.float32), back, centre, m), rng, sensor=sensor))
        for i, m in enumerate(_hand(n, fps, tilt, rng))
    ]


INJECTION = (
    "raw",
    "jpeg",
    "sharpened",
    "resampled",
    "noised",
    "noised_low_bitrate",
    "softened",
    # stop 22: other grain an attacker can add (the tuning two, then FRESH15's four)
    "grain_fine",
    "grain_mono",
    "grain_shot",
    "grain_reencoded",
    "grain_uniform",
    "virtual_camera",
    # stop 27: FRESH20's, written before its look; nothing is tuned on them
    "grain_level_rechained",
    "grain_transplanted",
)
GRAIN = INJECTION[7:]  # the modes ``injected``'s ``grain`` makes


def injected(
    rgb: np.ndarray,
    points: np.ndarray,
    script: Sequence[str],
    rng: Rng,
    fps: float = 15.0,
    *,
    mode: str = "raw",
    method: str = "mesh",
) -> Frames:
    """The face rendered performing ``script`` and fed in without a camera: no sensor noise,
    no hand; then kept lossless, JPEG'd, sharpened or re-encoded at another size; or, by an
    attacker who knows a camera is looked for, given fresh synthetic noise each frame
    (``noised``: σ 2.5, JPEG 80; ``noised_low_bitrate``: σ 3, then halved and coded at JPEG
    40, as a starved encoder would) or blurred like a cheap lens (``softened``). Other grain
    (stop 22): ``grain_fine`` (σ 1.6, the video's JPEG quality), ``grain_mono`` (one σ 3.5
    draw on all three channels, JPEG 85), ``grain_shot`` (a shot-noise law, variance
    1.5² + 0.06 × level, JPEG 82), ``grain_reencoded`` (σ 2.2, then JPEG 90, 72 and 86 in
    turn, a re-encode chain), ``grain_uniform`` (uniform ±4.5, JPEG 78), ``virtual_camera``
    (rendered at 0.75 of the size, σ 2 there, scaled up bilinearly as a virtual camera
    scales to the size asked, JPEG 88). FRESH20's (stop 27): ``grain_level_rechained``
    (variance 1.2² + 0.035 × level, a shot-noise law an attacker fits, then JPEG 80, 66 and
    88 in turn) and ``grain_transplanted`` (a real camera's noise lifted from another
    capture: a flat grey card filmed by the Bayer camera, less its mean, added to each
    frame with the card's own brightness dependence, then JPEG 84)."""
    if mode not in INJECTION:
        raise ValueError(f"unknown injection {mode!r}")
    clean = animate(
        rgb, points, script, rng, fps, method=method, capture=Capture(noise=0, quality=0, tremor=0)
    )
    quality = int(rng.integers(70, 96))  # one encoder setting for the whole video

    def noised(img: np.ndarray, sigma: float) -> np.ndarray:
        return _noised(img, sigma, rng)

    def feed(img: np.ndarray) -> np.ndarray:
        if mode == "jpeg":
            return jpeg(img, quality)
        if mode == "sharpened":
            soft = cv2.GaussianBlur(img, (0, 0), 1.5)
            return jpeg(cv2.addWeighted(img, 1.8, soft, -0.8, 0), 92)
        if mode == "resampled":
            small = cv2.resize(img, None, fx=0.6, fy=0.6, interpolation=cv2.INTER_AREA)
            return jpeg(cv2.resize(small, (img.shape[1], img.shape[0]), interpolation=cv2.INTER_CUBIC), 85)
        if mode == "noised":
            return jpeg(noised(img, 2.5), 80)
        if mode == "noised_low_bitrate":
            small = cv2.resize(noised(img, 3.0), None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA)
            return cv2.resize(jpeg(small, 40), (img.shape[1], img.shape[0]), interpolation=cv2.INTER_LINEAR)
        if mode == "softened":
            return jpeg(cv2.GaussianBlur(img, (0, 0), 0.9), 75)
        return grain(img, mode, rng, quality) if mode in GRAIN else img

    return [(t, feed(img)) for t, img in clean]


def _noised(img: np.ndarray, sigma: float, rng: Rng) -> np.ndarray:
    """``img`` (uint8) with fresh Gaussian grain of ``sigma`` grey levels on every channel."""
    grain = rng.normal(0, sigma, img.shape).astype(np.float32)
    return np.clip(img.astype(np.float32) + grain + 0.5, 0, 255).astype(np.uint8)


def grain(img: np.ndarray, mode: str, rng: Rng, quality: int) -> np.ndarray:
    """One rendered frame (uint8) given the grain of ``mode`` (one of ``GRAIN``; see
    ``injected``) and coded; ``quality`` is the video's encoder setting."""
    f = img.astype(np.float32)
    if mode == "grain_fine":
        return jpeg(_noised(img, 1.6, rng), quality)
    if mode == "grain_mono":  # one draw for the three channels: grain without colour
        g = rng.normal(0, 3.5, img.shape[:2]).astype(np.float32)[..., None]
        return jpeg(np.clip(f + g + 0.5, 0, 255).astype(np.uint8), 85)
    if mode == "grain_shot":  # variance growing with the level, as a sensor's shot noise
        sigma = np.sqrt(1.5**2 + 0.06 * f)
        return jpeg(np.clip(f + rng.normal(0, 1, f.shape) * sigma + 0.5, 0, 255).astype(np.uint8), 82)
    if mode == "grain_reencoded":
        out = _noised(img, 2.2, rng)
        for q in (90, 72, 86):
            out = jpeg(out, q)
        return out
    if mode == "grain_uniform":
        u = rng.uniform(-4.5, 4.5, f.shape).astype(np.float32)
        return jpeg(np.clip(f + u + 0.5, 0, 255).astype(np.uint8), 78)
    if mode == "virtual_camera":  # grain at the render's size, then scaled up to the size asked
        small = cv2.resize(img, None, fx=0.75, fy=0.75, interpolation=cv2.INTER_AREA)
        up = cv2.resize(
            _noised(small, 2.0, rng), (img.shape[1], img.shape[0]), interpolation=cv2.INTER_LINEAR
        )
        return jpeg(up, 88)
    if mode == "grain_level_rechained":
        sigma = np.sqrt(1.2**2 + 0.035 * f)
        out = np.clip(f + rng.normal(0, 1, f.shape) * sigma + 0.5, 0, 255).astype(np.uint8)
        for q in (80, 66, 88):
            out = jpeg(out, q)
        return out
    if mode == "grain_transplanted":
        return jpeg(np.clip(f + _transplanted_noise(f, rng) + 0.5, 0, 255).astype(np.uint8), 84)
    raise ValueError(f"unknown grain {mode!r}")


def _transplanted_noise(f: np.ndarray, rng: Rng) -> np.ndarray:
    """A Bayer camera's noise (mosaic, demosaicing, denoiser) for a frame like ``f``: a grey
    card at three levels filmed by it, less each card's level, blended by ``f``'s level."""
    levels = (40.0, 120.0, 210.0)
    cards = [bayer(np.full(f.shape, v, np.float32), rng, 2.0) - v for v in levels]
    w = np.clip(np.interp(f, levels, (0.0, 1.0, 2.0)), 0, 2)
    low = np.floor(w).astype(int).clip(0, 1)
    high = w - low
    return np.choose(low, cards[:2]) * (1 - high) + np.choose(low, cards[1:]) * high


@dataclass(frozen=True, slots=True)
class Subpixels:
    """A display re-filmed, rendered from its subpixels rather than as a painted grid: each
    screen pixel is three colour stripes (``order``, each ``fill`` of a third of the pixel's
    width, black matrix between them and between rows), ``pitch`` camera pixels wide at the
    start, turned by ``angle`` degrees against the camera's rows. Every camera pixel
    integrates the light over its aperture after a lens blur of ``blur`` pixels (σ), which
    is what makes a grid finer than the camera's beat into a coloured moiré whose scale
    and angle change as the hand brings the screen nearer (``hand``) or tilts it (``tilt``).
    ``gamma`` and the blue-heavy white point are the display's; ``banding`` its refresh
    band (0: none), ``band_period`` and ``band_roll`` as for ``Screen``; ``content_fps``
    the shown stream's frame rate (0: a new picture every camera frame)."""

    pitch: float = 1.6
    angle: float = 7.0
    order: str = "rgb"
    fill: float = 0.8
    blur: float = 0.45
    gamma: float = 0.85
    tilt: float = 4.0
    hand: float = 1.0
    banding: float = 0.0
    band_period: float = 0.7
    band_roll: float = 0.37
    content_fps: float = 0.0


def stripe_gain(k: int, duty: float, freq: float, blur: float) -> np.float64:
    """The ``k``-th harmonic of a stripe lit over ``duty`` of its period, at ``freq`` cycles
    per photosite, as a photosite sees it: weighed by its aperture (a box one photosite
    wide: sinc) and a Gaussian lens blur of ``blur`` photosites (σ)."""
    aperture = 2 * np.sin(np.pi * k * duty) / (np.pi * k) * np.sinc(freq)
    return np.float64(aperture * np.exp(-2 * (np.pi * blur * freq) ** 2))


ROWS = 0.9  # lit share of a screen pixel's height


def _stripes(u: np.ndarray, v: np.ndarray, s: Subpixels, pitch: float) -> list[np.ndarray]:
    """Per colour channel, the share of a camera pixel's aperture lit by that channel's
    stripes, at screen coordinates ``(u, v)`` (screen pixels): a Fourier series of the
    stripe pattern whose harmonics are weighed by the pixel aperture and the lens blur
    (``stripe_gain``), three harmonics across the stripes and one along them (the black
    rows)."""
    duty = s.fill / 3
    out = []
    along = ROWS + stripe_gain(1, ROWS, 1 / pitch, s.blur) * np.cos(2 * np.pi * v)
    for c in range(3):
        slot = s.order.index("rgb"[c])
        phase = slot / 3 + duty / 2
        lit: np.ndarray = np.full(u.shape, duty, np.float32)
        for k in range(1, 4):
            lit = lit + stripe_gain(k, duty, k / pitch, s.blur) * np.cos(2 * np.pi * k * (u - phase))
        out.append(lit * along / (duty * ROWS))
    return out


def on_subpixel_screen(
    frames: Frames, rng: Rng, screen: Subpixels | None = None, *, sensor: str = "iid"
) -> Frames:
    """``frames`` (a recording, or a live relay) shown on a screen held in a hand and filmed
    by the same camera as a genuine capture (``camera``), the screen's pixels rendered as
    ``Subpixels`` says."""
    s = screen or Subpixels()
    h, w = frames[0][1].shape[:2]
    white = np.array([0.9, 0.97, 1.07], np.float32) * rng.uniform(0.97, 1.03, 3)
    back = _backdrop((h, w), rng) * 0.4
    centre = np.array([w / 2, h / 2])
    motion = _hand(len(frames), 15.0, s.tilt, rng)
    motion[:, 3:] *= s.hand
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    a = np.radians(s.angle)
    out: Frames = []
    for i, (t, _) in enumerate(frames):
        img = _shown(frames, i, s.content_fps)
        m = motion[i]
        hom = _plane((h, w), centre, m[0], m[1], m[2], m[3:5], 1 + m[5])
        # where each camera pixel looks on the screen, in screen pixels along and across its stripes
        back_map = np.linalg.inv(hom)
        q = np.stack([xx, yy, np.ones_like(xx)], axis=-1) @ back_map.T.astype(np.float32)
        sx, sy = q[..., 0] / q[..., 2], q[..., 1] / q[..., 2]
        pitch = s.pitch * (1 + m[5])  # nearer: larger
        u = (sx * np.cos(a) + sy * np.sin(a)) / s.pitch
        v = (-sx * np.sin(a) + sy * np.cos(a)) / s.pitch
        lit = np.stack(_stripes(u, v, s, pitch), axis=2)
        band = 1 + s.banding * np.cos(2 * np.pi * (sy / (s.band_period * h) + s.band_roll * i))[..., None]
        shown = 10 + 245 * (img.astype(np.float32) / 255) ** s.gamma * white * band
        inside = (sx >= 0) & (sx < w) & (sy >= 0) & (sy < h)
        picture = cv2.remap(shown, sx, sy, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE) * lit
        filmed = np.where(inside[..., None], picture, back)
        out.append((t, camera(filmed, rng, sensor=sensor)))
    return out
