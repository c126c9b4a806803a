"""A photo's light: a face too dark, lit from behind, or too noisy for the encoder to judge
(a capture-quality measure in the manner of ISO/IEC 29794-5's illumination and noise
components, not a presentation-attack cue).

``light_reasons`` reads the face's box and the frame around it:
- ``quality_too_dark``: the median luma of the face's centre under ``TOO_DARK``;
- ``quality_backlit``: the frame around the face (its 75th percentile luma) ``BACKLIT``
  times the face's level or more, with the face under ``BACKLIT_FACE``: a window or a lamp
  behind the person;
- ``quality_noisy``: the sensor's noise in the face's finest band (2 x 2 Haar diagonals,
  ``resolution._noise_level``), the box shrunk to ``WORK`` px wide (about its width in the
  encoder's chip), ``NOISY`` grey levels or more: too little light for the sensor.
Each reason names what the person can change (more light, the light in front, a steadier
light); registration asks for another photo with it (``registration.biometrics``).

Tuned on ``benchmarks/gate_eval.py --light-tune`` only (``--dither-tune``'s captures and
honest photos under poor light drawn at the tuning seed through a sensor's mosaic with
shot and read noise, demosaiced and denoised: ``benchmarks/light_captures.TUNE``). Each
constant sits at the edge of the good-light captures (original, recrop, mirror, exposure;
227 faces of 64 px or more): ``DARK_LEVEL`` their 1st percentile, ``BACKLIT_RATIO`` above
their 98th percentile (2.3-2.6 gave the same figures; at 2.2 it sent 162 of their 744
accepted genuine pairs to RETRY), ``NOISE_LEVEL`` their 98th-99th (3.5-5 the same within
0.4 points). FNMR among the pairs the gate accepts at 0.45: 7.63 % -> 3.05 %; good-light
genuine pairs the encoder accepts sent newly to RETRY 0 of 744; impostor FMR among accepted
pairs 0.128 % -> 0.112 %. The noise carries most of it (alone 3.37 %; it also flags a
blue-noise print's grain, 17 -> 0 let through); the backlight adds 4 misses of a deep
backlight; the darkness flags no face the others do not (kept as a floor). A colour cast
was measured and left out: the encoder missed no more under the tuning's warm and cool
casts (0 of 144 pairs each), and a warmth limit sent 158 good-light pairs to RETRY.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from kyc_sdk.faces.detection import Face
from kyc_sdk.faces.resolution import _noise_level

TOO_DARK = "quality_too_dark"
BACKLIT = "quality_backlit"
NOISY = "quality_noisy"
LIGHT_REASONS = (TOO_DARK, BACKLIT, NOISY)

WORK = 96  # px: the box is measured at this width (noise per pixel of the chip the encoder sees)
CENTRE = (0.2, 0.8)  # of the box, each axis: the face's centre (no hair, no background)
DARK_LEVEL = 35.0  # luma (0-255): the centre's median under this is too dark
BACKLIT_RATIO = 2.6  # the frame's 75th percentile luma over the face's level
BACKLIT_FACE = 110.0  # luma: a face this bright is not lost against its background
NOISE_LEVEL = 4.0  # grey levels: the finest band's noise at WORK px


@dataclass(frozen=True, slots=True)
class Light:
    """What ``light_reasons`` reads (``measure``)."""

    level: float  # the centre's median luma, 0-255
    surround: float  # the frame around the face (75th percentile luma) over ``level``
    noise: float  # grey levels: the finest band's noise at ``WORK`` px


def measure(rgb: np.ndarray, face: Face) -> Light:
    """``face``'s light in ``rgb`` (uint8 RGB)."""
    height, width = rgb.shape[:2]
    top, right, bottom, left = face.box
    top, bottom, left, right = max(top, 0), min(bottom, height), max(left, 0), min(right, width)
    h, w = bottom - top, right - left
    grey = cv2.cvtColor(np.ascontiguousarray(rgb), cv2.COLOR_RGB2GRAY)
    box = grey[top:bottom, left:right]
    centre = box[int(CENTRE[0] * h) : int(CENTRE[1] * h), int(CENTRE[0] * w) : int(CENTRE[1] * w)]
    level = float(np.median(centre)) if centre.size else 0.0
    # the frame around the face: the box grown by half its size each way, less the box
    f0, f1, g0, g1 = (
        max(top - h // 2, 0),
        min(bottom + h // 2, height),
        max(left - w // 2, 0),
        min(right + w // 2, width),
    )
    around = grey[f0:f1, g0:g1].copy()
    keep = np.ones(around.shape, bool)
    keep[top - f0 : bottom - f0, left - g0 : right - g0] = False
    ring = around[keep]
    surround = float(np.percentile(ring, 75)) / max(level, 1.0) if ring.size else 1.0
    small: np.ndarray = box.astype(np.float32)
    if w > WORK:
        small = cv2.resize(small, None, fx=WORK / w, fy=WORK / w, interpolation=cv2.INTER_AREA)
    return Light(level, surround, _noise_level(small))


def light_reasons(rgb: np.ndarray, face: Face) -> tuple[str, ...]:
    """``LIGHT_REASONS`` that hold for ``face`` in ``rgb``, in that order."""
    light = measure(rgb, face)
    reasons = (
        (TOO_DARK, light.level < DARK_LEVEL),
        (BACKLIT, light.surround >= BACKLIT_RATIO and light.level < BACKLIT_FACE),
        (NOISY, light.noise >= NOISE_LEVEL),
    )
    return tuple(r for r, holds in reasons if holds)
