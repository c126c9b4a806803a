"""A screen filmed as a real phone films it: subpixels at the sensor's scale, then the mosaic.

``synth_video.on_subpixel_screen`` renders the screen's stripes at the frame's pixels and
then samples them through the camera: a screen finer than the frame's pixels is averaged
to grey before any mosaic sees it. A real phone's sensor holds several photosites per
pixel of the video it sends (a 4000-wide sensor for a 640-wide stream); the lens passes a
screen's subpixel lattice at that scale, each colour filter samples it every other
photosite and folds it into a slow colour moiré, and the phone's downscale keeps that slow
beat while it averages the lattice itself away. ``on_panel`` renders that chain:

- the screen's stripes (``Panel``: pitch, angle, order, fill) where each photosite looks
  (through the hand's homography), integrated over the photosite's aperture and a lens
  blur (``synth_video._stripes``: a Fourier series weighed by both, exact for a box
  aperture and a Gaussian lens), at ``synth_video.PHONE_SCALE`` photosites a frame pixel;
- the Bayer mosaic, its noise, demosaicing and denoiser at that scale, then the phone's
  downscale and JPEG (``synth_video.phone_film``), as a genuine capture through
  ``camera(sensor="phone")``.

Generated, not filmed: one lens blur for the whole field, stripe layouts only (no
PenTile), the sensor twice the frame's scale where real ones are 3 to 6 times.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from kyc_sdk.liveness import synth_video
from kyc_sdk.liveness.synth import Rng, jpeg


@dataclass(frozen=True, slots=True)
class Panel:
    """A display relayed to a phone and rendered at the sensor's scale: ``pitch`` frame
    pixels a screen pixel at the start (under 1: finer than the frame's pixels; the
    distance sets it, and the hand brings it nearer), its stripes turned by ``angle``
    degrees, in ``order``, each ``fill`` of a third of the pixel; the lens blur ``blur``
    in photosites (σ); the rest as for ``synth_video.Subpixels``."""

    pitch: float = 0.8
    angle: float = 7.0
    order: str = "rgb"
    fill: float = 0.8
    blur: float = 0.5
    gamma: float = 0.85
    tilt: float = 4.0
    hand: float = 1.0
    banding: float = 0.0
    band_period: float = 0.7
    band_roll: float = 0.37
    content_fps: float = 0.0
    noise: float = 2.0
    quality: int = 90


def _lattice(u: np.ndarray, v: np.ndarray, s: Panel, pitch: float) -> np.ndarray:
    """``synth_video._stripes`` for ``s`` at ``pitch`` photosites a screen pixel (h × w × 3):
    the same series, its harmonics from one cosine and one sine by the angle-sum rules and
    each channel's phase folded into a 6 × 3 matrix (four times a frame's photosites each
    frame: ten cosines a photosite were most of the render)."""
    duty = s.fill / 3
    gain_row = synth_video.stripe_gain(1, synth_video.ROWS, 1 / pitch, s.blur)
    along = (synth_video.ROWS + gain_row * np.cos(2 * np.pi * v)) / (duty * synth_video.ROWS)
    c1, s1 = np.cos(2 * np.pi * u), np.sin(2 * np.pi * u)
    c2, s2 = c1 * c1 - s1 * s1, 2 * s1 * c1
    c3, s3 = c2 * c1 - s2 * s1, s2 * c1 + c2 * s1
    basis = np.stack([c1, s1, c2, s2, c3, s3], axis=-1).astype(np.float32)
    mix = np.zeros((6, 3), np.float32)
    for c in range(3):
        phase = s.order.index("rgb"[c]) / 3 + duty / 2
        for k in (1, 2, 3):  # cos(k(x - p)) = cos kx cos kp + sin kx sin kp
            gain = synth_video.stripe_gain(k, duty, k / pitch, s.blur)
            mix[2 * k - 2, c] = gain * np.cos(2 * np.pi * k * phase)
            mix[2 * k - 1, c] = gain * np.sin(2 * np.pi * k * phase)
    out: np.ndarray = (duty + basis @ mix) * along[..., None]
    return out


def on_panel(
    frames: synth_video.Frames, rng: Rng, panel: Panel | None = None, *, sensor: str = "phone"
) -> synth_video.Frames:
    """``frames`` (a recording, or a live relay) shown on ``panel`` held in a hand and
    filmed by the phone's camera (the module notes); ``sensor`` must be ``"phone"``: the
    lattice is rendered at its photosites."""
    if sensor != "phone":
        raise ValueError(f"a panel is filmed at a sensor's scale, not by the {sensor!r} camera")
    s = panel or Panel()
    k = synth_video.PHONE_SCALE
    h, w = frames[0][1].shape[:2]
    white = np.array([0.9, 0.97, 1.07], np.float32) * rng.uniform(0.97, 1.03, 3)
    back = cv2.resize(synth_video._backdrop((h, w), rng) * 0.4, (w * k, h * k))
    centre = np.array([w / 2, h / 2])
    motion = synth_video._hand(len(frames), 15.0, s.tilt, rng)
    motion[:, 3:] *= s.hand
    # each photosite's centre in frame pixels
    yy, xx = (np.mgrid[0 : h * k, 0 : w * k].astype(np.float32) + 0.5) / k - 0.5
    a = np.radians(s.angle)
    out: synth_video.Frames = []
    for i, (t, _) in enumerate(frames):
        img = synth_video._shown(frames, i, s.content_fps)
        m = motion[i]
        hom = synth_video._plane((h, w), centre, m[0], m[1], m[2], m[3:5], 1 + m[5])
        back_map = np.linalg.inv(hom).astype(np.float32)  # photosite -> screen
        depth = back_map[2, 0] * xx + back_map[2, 1] * yy + back_map[2, 2]
        sx = (back_map[0, 0] * xx + back_map[0, 1] * yy + back_map[0, 2]) / depth
        sy = (back_map[1, 0] * xx + back_map[1, 1] * yy + back_map[1, 2]) / depth
        u = (sx * np.cos(a) + sy * np.sin(a)) / s.pitch
        v = (-sx * np.sin(a) + sy * np.cos(a)) / s.pitch
        # the lattice's period in photosites sets what the aperture and lens leave of it
        lit = _lattice(u, v, s, s.pitch * k * (1 + m[5]))
        band = 1 + s.banding * np.cos(2 * np.pi * (sy / (s.band_period * h) + s.band_roll * i))[..., None]
        shown = 10 + 245 * (img.astype(np.float32) / 255) ** s.gamma * white
        picture = cv2.remap(shown, sx, sy, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE) * lit * band
        inside = (sx >= 0) & (sx < w) & (sy >= 0) & (sy < h)
        scene = np.where(inside[..., None], picture, back)
        filmed = np.clip(synth_video.phone_film(scene, rng, s.noise) + 0.5, 0, 255).astype(np.uint8)
        out.append((t, jpeg(filmed, s.quality) if s.quality > 0 else filmed))
    return out
