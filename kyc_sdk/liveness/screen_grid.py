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

A screen filmed by a real phone (``synth_panel``: its subpixels alias in the sensor's
colour mosaic, at several photosites a frame pixel, before the phone downscales) near two
photosites a screen pixel folds into a slow colour beat, a rainbow a few cycles across
the face, under ``MIN_FREQ`` where the 2-pixel blur above takes it for shading. So red
less blue is also read between ``SLOW_FREQ`` and ``MIN_FREQ``, less its 8-pixel blur
(the face's own colour changes, a cheek's redness, a lip, span fewer cycles and are no
point).

Bins on the JPEG block lattice (non-zero multiples of 1/8 cycle per pixel on either axis;
1/16 for colour, which JPEG codes at half resolution) are left out: JPEG's blocks can put
power there in any frame. Zero is not a block's frequency: a beat along an axis (a screen
held level: horizontal or vertical bands) is read (stop 21; before, the whole axes were
left out). A moiré that falls exactly
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

Stop 21 (h-relay4), on the development set only (``liveness_eval.py --video-split
tune_phone``: the tuning photos through the phone camera, relays at pitch 0.8-2.0 frame
pixels, angles 3, 9 and 25 degrees, plus a sweep of those on one face): genuine videos
read 0.9-1.3 in the slow band (14 conditions, three cameras); a screen at two photosites a
pixel, 3 degrees off level, 16.5-41.5 (4.8-7.1 in the readings before); beats along an
axis, which the axes' exclusion hid, 120-260.
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
    """Off JPEG's block lattice: not a non-zero multiple of the block frequency. Zero is no
    block's (blocks repeat along the other axis only), and a screen held level beats there."""
    bins = np.round(np.abs(f) * TILE).astype(int)
    return (bins == 0) | ((bins % block) != 0)


# half the plane: a real image's spectrum is symmetric
_KEEP = (np.hypot(_FX, _FY) >= MIN_FREQ) & _off_lattice(_FX) & _off_lattice(_FY) & (_FY >= 0)
# JPEG codes colour at half resolution: its chroma blocks are 16 pixels
_KEEP_CHROMA = (
    (np.hypot(_FX, _FY) >= MIN_FREQ)
    & _off_lattice(_FX, _BLOCK_BINS // 2)
    & _off_lattice(_FY, _BLOCK_BINS // 2)
    & (_FY >= 0)
)
# a slow colour beat (a screen near two photosites a pixel: the mosaic's red and blue fold
# it to near zero frequency): under MIN_FREQ, seen after a wider blur
SLOW_FREQ = 0.03
SLOW_SIGMA = 8.0
_KEEP_SLOW = (
    (np.hypot(_FX, _FY) >= SLOW_FREQ)
    & (np.hypot(_FX, _FY) < MIN_FREQ)
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


def _point_peak(channel: np.ndarray, keep: np.ndarray, sigma: float = 2.0) -> float:
    """The channel's strongest kept bin over the largest of its ring (see the module notes),
    after taking away its blur of ``sigma`` pixels (the face's shading)."""
    h, w = channel.shape[:2]
    fine = channel - cv2.GaussianBlur(channel, (0, 0), sigma)
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
    red_less_blue = face[..., 0] - face[..., 2]
    colour = _point_peak(red_less_blue, _KEEP_CHROMA)
    return max(luma, colour, _point_peak(red_less_blue, _KEEP_SLOW, SLOW_SIGMA))


def grid_peak(frames: Sequence[np.ndarray], boxes: dict[int, Box]) -> float:
    """Median ``frame_peak`` over up to ``SAMPLES`` frames with a face box, spread over the
    video; 0 without any."""
    have = sorted(boxes)
    if not have:
        return 0.0
    picks = sorted({have[int(k)] for k in np.linspace(0, len(have) - 1, min(SAMPLES, len(have)))})
    peaks = [p for i in picks if (p := frame_peak(frames[i], boxes[i])) is not None]
    return float(np.median(peaks)) if peaks else 0.0
