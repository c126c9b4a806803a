"""A print's grain: a face that is a scanned or photographed print's ink dots.

A print with a stochastic (FM, error-diffusion) screen, scanned or photographed large,
holds dots of ink everywhere: fine noise with no periodic peak (so
``resolution.enlargement`` sees no comb) over a face that holds no more than the small
print it was. The shrink test (``resolution.detail_size``) reads the dots as detail and
its white-noise discount misses them (they are spread over a pixel or two by the ink, the
scanner and the lens: not white), so such a face passed the quality gate and the encoder
misjudged it: on ``benchmarks/gate_eval.py --grain-tune`` (seed 11 and a blue-noise FM
print scanned, ``bluenoise_print_scan``) the gate let 105 of that print's 111 misses
through, and 44 of the 55 of an AM print's (``am_print_scan``).

``print_grain`` reads three things in the face's box (in grey, shrunk to at most
``GRAIN_WORK`` px wide), in its finest band (the box less its Gaussian blur of
``BAND_SIGMA`` px):
- the band is dense: its values are spread as a noise's are (the median absolute value
  ``DENSE`` times or more what a normal of the band's rms would have), where a face's own
  detail is sparse (edges and features in a few places, most of the skin smooth: 0.35-0.85
  on the tuning draw's good photos, 0.97-1.01 on the blue-noise prints);
- the noise is not white: shrinking the box by half leaves more than ``CORRELATED`` of its
  finest level (``resolution._noise_level``, 2 x 2 Haar diagonals; a white noise keeps
  half, the sensor noise the shrink test already discounts 0.56-0.78 on the tuning
  ``noise`` captures), as dots spread over more than a pixel do;
- the band is strong: an rms of ``GRAIN_LEVEL`` grey levels or more.
Tuning draw (``benchmarks/grain_eval.py --grain-tune``), FNMR among the pairs the gate
accepts at 0.45: 1294/5711 = 22.7 % -> 272/4092 = 6.6 %; let through of their misses:
the blue-noise print 105 -> 17 of 111, the AM print 44 -> 0 of 55; good photos flagged
46 -> 46 of 227 (none more), one noisy curved shake more. The three constants sit in
the middle of a plateau (``DENSE`` 0.85-0.95, ``CORRELATED`` 0.8-0.85, ``GRAIN_LEVEL``
0-8 gave the same figure; measuring at full size or at 192 px the same, at 128 px 8 let
through instead of 17 but four honest noisy photos flagged).
Held out, one look each (``grain_eval.py``, FNMR among accepted pairs, without -> with):
``--grain-group`` (prints whose grain no tuning print has: clustered FM laser prints
scanned, newsprint and an inkjet photographed) 23.65 -> 0.13 %, ``--printlight-group``
(white-noise FM scans: the kind tuned on, new seeds) 11.63 -> 1.26 %, detail, light,
gate, small and blur unchanged (4.26, 3.84, 3.25, 1.09, 2.92 %); good photos flagged 0-1
more a group, none of their
genuine pairs sent to RETRY. An ordered dither (the detail group's ``scanned_print``) is
periodic, not dense noise, and still passes.
"""

from __future__ import annotations

import cv2
import numpy as np

from kyc_sdk.faces.detection import Face
from kyc_sdk.faces.resolution import COARSE, _noise_level, box_grey

# px: a larger box is measured shrunk to this width (a big selfie's sensor noise averages out)
GRAIN_WORK = 192
BAND_SIGMA = 1.5  # px: the finest band is the box less its Gaussian blur of this sigma
DENSE = 0.9  # the band's median |value| over 0.6745 times its rms: 1.0 for a normal noise
CORRELATED = 0.85  # the finest noise level kept by a 2x shrink: 0.5 for white noise
GRAIN_LEVEL = 6.0  # grey levels: the band's rms


def print_grain(rgb: np.ndarray, face: Face) -> bool:
    """Whether ``face``'s box in ``rgb`` holds a print's grain rather than a face's detail."""
    grey: np.ndarray = box_grey(rgb, face).astype(np.float32)
    if min(grey.shape) < 2 * COARSE:
        return False
    if grey.shape[1] > GRAIN_WORK:
        scale = GRAIN_WORK / grey.shape[1]
        grey = cv2.resize(grey, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    else:  # at full size the Haar cells start on even coordinates of the image: inside JPEG blocks
        top, _, _, left = face.box
        grey = grey[top % 2 :, left % 2 :]
    band = grey - cv2.GaussianBlur(grey, (0, 0), BAND_SIGMA)
    rms = float(np.sqrt(np.mean(band**2)))
    if rms < GRAIN_LEVEL:
        return False
    if float(np.median(np.abs(band))) < DENSE * 0.6745 * rms:
        return False
    finest = _noise_level(grey)
    half = cv2.resize(grey, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA)
    return finest > 0 and _noise_level(half) >= CORRELATED * finest
