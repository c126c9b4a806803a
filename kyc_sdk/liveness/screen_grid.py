"""A screen's pixel grid on the face: a sharp peak in the face's spatial spectrum.

A screen shown to a camera is a lattice of lit subpixel stripes. Where its pitch is near
the camera's own (a phone or tablet held at a hand's length: one to a few camera pixels
per screen pixel), each camera pixel integrates a different share of the stripes and the
lattice beats into a moiré: a periodic pattern, one frequency (and its harmonics) across
the whole screen. Skin has no periodic structure at that scale; pores, hair, a beard, the
edges of eyes, glasses and lips spread their power over many frequencies or along a line
through the origin (an edge). So the measure is how far the face's strongest spectral
bin stands above every bin around it.

``grid_peak``: per sampled frame, the luminance of the face box (its upper tenth and
sides trimmed: hair and background) less its 2-pixel blur (the face's shading), cut into
64-pixel tiles (half overlapping) whose Hann-windowed power spectra are averaged; for
each frequency bin at 0.08 cycles per pixel or more, its power over the largest power of
the ring of bins two bins away (a point stands out of its ring; an edge's line does not,
its ring holds the line's next bins); the largest such ratio. The median over the sampled
frames. Each frame is judged alone: the moiré's scale and angle change as the hand moves
the screen, so spectra are not averaged across frames.

The same peak is looked for in red less blue, and the larger counts. A screen's
subpixels are coloured stripes side by side, so the beat of each colour's stripes is
shifted by a third of a cycle from the next one's: in luminance the three nearly cancel,
in a colour difference they do not (the colour moiré of a filmed screen). Skin's colour
varies slowly; a beard, glasses, pores and noise are near grey.

Bins on the JPEG block lattice (multiples of 1/8 cycle per pixel on either axis; 1/16 for
colour, which JPEG codes at half resolution) are left out: JPEG's blocks can put power
there in any frame. A moiré that falls exactly
on that lattice, or one from a screen much finer than the camera's pixels (the lens and
pixel aperture leave it under a grey level), is not seen; nor is a screen filmed out of
focus.

Tuning (``benchmarks/liveness_eval.py`` tuning photos, every tuning condition, three
seeds each): genuine videos 1.5–2.3; the tuning subpixel screens (pitch 1.6 and 3.5)
51–81, and one at pitch 2.4 78; ``video.SCREEN_GRID`` is 6, a point six times above all
around it, which noise in one 64-pixel tile alone almost never makes. Painted-grid
screens (``synth_video.on_screen``) read 1.4–2.1: their grid, a few per cent of the
picture drawn at the camera's pixels, warped and JPEG'd, is under a grey level by the
time it is filmed, and a painted grid's luminance beat largely cancels (its channels
are a third of a cycle apart). In red less blue (stop 20, dev relays on the tuning photos, seeds 102 000+):
genuine videos 1.33-1.80 (20 dev, under every tuning condition); painted-grid relays whose
beat falls at 0.11 cycles per pixel 13.5, at 0.16 5.8, at 0.20 1.9: JPEG codes colour at
half resolution and quantises it coarsely, so only a slow colour beat survives, and a
beat near the camera's Nyquist frequency (most painted pitches) is under a grey level in
both.
"""

from __future__ import annotations

from collections.abc import Sequence

import cv2
import numpy as np

TILE = 64
MIN_FREQ = 0.08  # cycles per pixel: below it a face's own shading and features dominate
SAMPLES = 12
_FREQ = np.fft.fftfreq(TILE)
_FY, _FX = np.meshgrid(_FREQ, _FREQ, indexing="ij")
_BLOCK_BINS = TILE // 8  # JPEG's 8-pixel blocks: bins that are multiples of this


def _off_lattice(f: np.ndarray, block: int = _BLOCK_BINS) -> np.ndarray:
    bins = np.round(np.abs(f) * TILE).astype(int)
    return (bins % block) != 0


# half the plane: a real image's spectrum is symmetric
_KEEP = (np.hypot(_FX, _FY) >= MIN_FREQ) & _off_lattice(_FX) & _off_lattice(_FY) & (_FY >= 0)
# JPEG codes colour at half resolution: its chroma blocks are 16 pixels
_KEEP_CHROMA = (
    (np.hypot(_FX, _FY) >= MIN_FREQ)
    & _off_lattice(_FX, _BLOCK_BINS // 2)
    & _off_lattice(_FY, _BLOCK_BINS // 2)
    & (_FY >= 0)
)
_HANN = np.outer(np.hanning(TILE), np.hanning(TILE)).astype(np.float32)
_RING = [(dy, dx) for dy in range(-2, 3) for dx in range(-2, 3) if max(abs(dy), abs(dx)) == 2]
_LUMA = np.array([0.299, 0.587, 0.114], np.float32)

Box = tuple[int, int, int, int]  # top, right, bottom, left


def _face(rgb: np.ndarray, box: Box) -> np.ndarray:
    top, right, bottom, left = box
    h, w = bottom - top, right - left
    top, left, right = top + h // 10, left + w // 10, right - w // 10
    top, left = max(top, 0), max(left, 0)
    return np.asarray(rgb[top:bottom, left:right], np.float32)


def _point_peak(channel: np.ndarray, keep: np.ndarray) -> float:
    """The channel's strongest kept bin over the largest of its ring (see the module notes)."""
    h, w = channel.shape[:2]
    fine = channel - cv2.GaussianBlur(channel, (0, 0), 2.0)
    power = np.zeros((TILE, TILE))
    step = TILE // 2
    for y in range(0, h - TILE + 1, step):
        for x in range(0, w - TILE + 1, step):
            tile = fine[y : y + TILE, x : x + TILE]
            power += np.abs(np.fft.fft2((tile - tile.mean()) * _HANN)) ** 2
    ring = np.max([np.roll(power, shift, axis=(0, 1)) for shift in _RING], axis=0)
    return float(np.max(np.where(keep, power / (ring + 1e-9), 0.0)))


def frame_peak(rgb: np.ndarray, box: Box) -> float | None:
    """The face's strongest point peak over its ring, in luminance or in red less blue (see
    the module notes); None when the face box holds no whole tile."""
    face = _face(rgb, box)
    h, w = face.shape[:2]
    if h < TILE or w < TILE:
        return None
    luma = _point_peak(face @ _LUMA, _KEEP)
    return max(luma, _point_peak(face[..., 0] - face[..., 2], _KEEP_CHROMA))


def grid_peak(frames: Sequence[np.ndarray], boxes: dict[int, Box]) -> float:
    """Median ``frame_peak`` over up to ``SAMPLES`` frames with a face box, spread over the
    video; 0 without any."""
    have = sorted(boxes)
    if not have:
        return 0.0
    picks = sorted({have[int(k)] for k in np.linspace(0, len(have) - 1, min(SAMPLES, len(have)))})
    peaks = [p for i in picks if (p := frame_peak(frames[i], boxes[i])) is not None]
    return float(np.median(peaks)) if peaks else 0.0
