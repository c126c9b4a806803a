"""Evidence over a video's frames that a camera filmed a live, 3-D face (not a sheet, a
screen, or frames made without a camera). Pure measures; ``video`` turns them into reasons.

- ``deformation``: how far the face's outline landmarks (jaw, brows, nose; not the eyes
  or lips, which a cut-out's holes can show live) depart from a plane's projection of the
  neutral frame. A homography maps every point of a flat sheet (print, cut-out, a photo
  tilted) onto its next view, whatever the hand does; a head turning moves nose, brows
  and jaw in depth, and a mouth opening drops the chin, which no homography of the
  neutral frame reproduces. The measure is the 95th percentile of the per-frame residual
  (face widths) less the median residual between consecutive frames, the landmark
  jitter floor, so blur or low light does not look like depth. ``travel`` is how
  far the face moved as a whole (its centre's 5–95 % range, and its size's, in face
  widths): a sheet moved by hand, not a photo held still.
- ``jaw_drop``: how far the chin leaves the plane of the upper outline (jaw ends,
  brows, nose) in the frames where the lips part, against the other frames. An open mouth
  drops the jaw; a sheet's chin stays where it is printed whatever its holes show, and the
  homography of the upper outline carries it along exactly, at any tilt. The outline
  residual above misses it where its homography takes up a chin moving alone (a beard's
  jaw points move half as far as a bare chin's).
- ``camera_noise``: the median absolute fine-grained change of flat pixels between
  frames (grey levels). A sensor never gives the same value twice, pixel by pixel;
  rendered frames fed in without a camera repeat their background, or change it only
  smoothly (a global warp, a re-encode). Limit: an encoder that copies static
  blocks (H.264 skip blocks) also repeats them: a browser's MP4 of a genuine capture
  measures 0.28–0.67, around ``video.CAMERA_NOISE`` (a plain backdrop 0.00, at any
  bitrate), its WebM (VP8, VP9) 0.75–0.95, and per-frame JPEG (Motion-JPEG) or frames keep
  all of it; H.264 made of key frames only keeps enough (the capture page asks for that,
  docs/evaluation.md). Waiting for a copied pixel's next change, or counting copied
  pixels, does not mend it: the same browser's VP8 re-codes rendered frames' backdrops
  more than its H.264 codes a genuine plain one. Nor do the changed pixels alone, read
  for freshness (consecutive changes anticorrelated), after motion compensation, or
  against the codec's block grid: a codec re-quantising a still rendered backdrop makes
  changes as fresh as a sensor's, and a one-code-value flip reads about 0.8 whatever
  made it (docs/evaluation.md, "Traps we met").
  Nor can the changed pixels name a refusal a retry: rendered frames through H.264 read
  as high over them as a genuine capture on a held-out person.
- ``screen_banding``: over a dozen frame pairs, the refresh banding of a screen: a row
  profile of the frame-to-frame brightness ratio, which exposure changes, being uniform,
  do not have. A refresh band crosses every column of the screen, backdrop and face
  alike, so only the profile the left, middle and right thirds of the frame share counts:
  a face filling the middle of the frame (a tight framing, a beard's moving edge, a
  jaw that drops) changes its rows' brightness there only. On the tuning videos this
  took genuine captures framed tight from 0.010 down to 0.004 at most, and the tuning
  screens from 0.039 to 0.029 at least. (A colour-grid spectrum peak was tried and
  dropped: JPEG's chroma subsampling erases a fine grid, and skin under glare peaks as
  high.) Limit: lights that flicker with the mains under a rolling shutter band too;
  none were in our captures.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import cv2
import numpy as np

OUTLINE = tuple(range(36))  # jaw, brows, nose: what a sheet with eye and mouth holes holds fixed
PAIRS = 12  # frame pairs sampled for the pixel cues
Pairs = list[tuple[np.ndarray, np.ndarray, np.ndarray]]  # (grey, next grey, flat-pixel mask)
FLAT = 6.0  # |Laplacian| under this: a flat region, where noise and banding show
BAND_STRIPS = 3  # a refresh band crosses the whole screen: left, middle and right thirds alike


def _residual(ref: np.ndarray, p: np.ndarray) -> float:
    """RMS distance, in face widths, of the outline points from the best homography of ``ref``."""
    a, b = ref[list(OUTLINE)].astype(np.float32), p[list(OUTLINE)].astype(np.float32)
    h, _ = cv2.findHomography(a, b, 0)
    if h is None:
        return 0.0
    q = np.c_[a, np.ones(len(a), np.float32)] @ h.T
    fit = q[:, :2] / q[:, 2:]
    width = float(np.ptp(ref[:, 0])) or 1.0
    return float(np.sqrt(((fit - b) ** 2).sum(axis=1).mean())) / width


def deformation(points: Sequence[np.ndarray], neutral: int = 5) -> tuple[float, float]:
    """(non-planar deformation, travel) of a landmark track, in face widths."""
    if len(points) <= neutral:
        return 0.0, 0.0
    ref = np.median(np.stack(points[:neutral]), axis=0)
    hom = np.array([_residual(ref, p) for p in points])
    jitter = np.median([_residual(a, b) for a, b in itertools.pairwise(points)])
    width = float(np.ptp(ref[:, 0])) or 1.0
    track = np.stack(points)
    centres = track.mean(axis=1) / width
    sizes = np.log(np.ptp(track[:, :, 0], axis=1) / width + 1e-9)
    spread = [np.percentile(v, 95) - np.percentile(v, 5) for v in (centres[:, 0], centres[:, 1], sizes)]
    return float(np.percentile(hom, 95) - jitter), float(max(spread))


UPPER_OUTLINE = (0, 1, 2, 3, *range(13, 36))  # what an open mouth leaves in place
CHIN = (7, 8, 9)


def _chin_offset(ref: np.ndarray, p: np.ndarray) -> float:
    """How far (face widths, down the face) the chin sits from where the homography of the
    upper outline from ``ref`` puts it."""
    upper, chin = list(UPPER_OUTLINE), list(CHIN)
    h, _ = cv2.findHomography(ref[upper].astype(np.float32), p[upper].astype(np.float32), 0)
    if h is None:
        return 0.0
    q = np.c_[ref[chin], np.ones(len(chin))] @ h.T
    down = p[8] - p[27]
    down = down / (float(np.linalg.norm(down)) or 1.0)
    return float(((p[chin] - q[:, :2] / q[:, 2:]) @ down).mean()) / (float(np.ptp(p[:, 0])) or 1.0)


def jaw_drop(points: Sequence[np.ndarray], opened: Sequence[bool], neutral: int = 5) -> float:
    """Median chin offset (``_chin_offset`` from the first ``neutral`` frames' median) over
    the ``opened`` frames less the median over the others, in face widths; 0 without two
    of each."""
    flags = np.asarray(opened, bool)
    if len(points) != len(flags) or len(points) <= neutral or min(flags.sum(), (~flags).sum()) < 2:
        return 0.0
    ref = np.median(np.stack(points[:neutral]), axis=0)
    offsets = np.array([_chin_offset(ref, p) for p in points])
    return float(np.median(offsets[flags]) - np.median(offsets[~flags]))


def _pairs(frames: Sequence[np.ndarray]) -> list[int]:
    """Up to ``PAIRS`` indices i, spread over the video, of consecutive frames of one size."""
    n = len(frames)
    if n < 2:
        return []
    picks = np.unique(np.linspace(0, n - 2, min(PAIRS, n - 1)).astype(int))
    return [int(i) for i in picks if frames[i].shape == frames[i + 1].shape]


def _grey(rgb: np.ndarray) -> np.ndarray:
    return cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY).astype(np.float32)


def _flat_pairs(frames: Sequence[np.ndarray]) -> Pairs:
    """(grey frame, grey next frame, mask of the first's flat pixels) for each sampled pair:
    both pixel cues look at the same pairs, so they are prepared once."""
    out = []
    for i in _pairs(frames):
        a, b = _grey(frames[i]), _grey(frames[i + 1])
        out.append((a, b, np.abs(cv2.Laplacian(a, cv2.CV_32F)) < FLAT))
    return out


def pixel_cues(frames: Sequence[np.ndarray]) -> tuple[float, float]:
    """(``camera_noise``, ``screen_banding``) of a video's frames, over one set of pairs."""
    pairs = _flat_pairs(frames)
    return camera_noise(pairs), screen_banding(pairs)


def camera_noise(pairs: Pairs) -> float:
    """Median over sampled pairs of ``pair_noise``."""
    changes = pair_noise(pairs)
    return float(np.median(changes)) if changes else 0.0


def pair_noise(pairs: Pairs) -> list[float]:
    """Per pair with flat pixels, their median |fine-grained change| between the two frames
    (the change less its 1.5-pixel blur: a warp or a re-encode changes the picture
    smoothly, a sensor's noise changes each pixel on its own)."""
    changes = []
    for a, b, flat in pairs:
        if flat.any():
            d = b - a
            changes.append(float(np.median(np.abs(d - cv2.GaussianBlur(d, (0, 0), 1.5))[flat])))
    return changes


def _row_medians(x: np.ndarray) -> np.ndarray:
    """Per row of ``x`` (each with a finite value), the median of its finite values: what
    ``np.nanmedian(x, axis=1)`` gives, without its masked-array sort (a seventh of a
    check's time, stop 27; NaN sorts last, so each row's finite values lead it)."""
    ordered = np.sort(x, axis=1)
    count = np.isfinite(x).sum(axis=1)
    rows = np.arange(len(x))
    return (ordered[rows, (count - 1) // 2] + ordered[rows, count // 2]) / 2


def _row_profile(ratio: np.ndarray) -> np.ndarray:
    """Per row, the median log-brightness change of its flat pixels less the profile's
    median, smoothed over 9 rows; NaN where a row has too few flat pixels."""
    usable = np.isfinite(ratio).mean(axis=1) > 0.2
    profile = np.full(ratio.shape[0], np.nan)
    if usable.sum() > 20:
        profile[usable] = _row_medians(ratio[usable])
        profile -= np.median(profile[usable])
    seen = np.isfinite(profile).astype(np.float64)
    box = np.ones(9)
    total, count = np.convolve(np.nan_to_num(profile), box, "same"), np.convolve(seen, box, "same")
    return np.where(count >= 5, total / np.maximum(count, 1), np.nan)


def screen_banding(pairs: Pairs) -> float:
    """Median over sampled pairs of the σ of the row profile of log-brightness change that
    every third of the frame's width shares (where the three agree in sign, the one nearest
    zero; 0 where they disagree)."""
    bands = []
    for a, b, flat in pairs:
        ratio = np.where(flat, np.log(b + 8) - np.log(a + 8), np.nan)
        strips = np.stack([_row_profile(s) for s in np.array_split(ratio, BAND_STRIPS, axis=1)])
        rows = np.isfinite(strips).all(axis=0)
        if rows.sum() > 20:
            lo, hi = strips[:, rows].min(axis=0), strips[:, rows].max(axis=0)
            bands.append(float(np.std(np.where(lo > 0, lo, np.where(hi < 0, hi, 0.0)))))
    return float(np.median(bands)) if bands else 0.0
