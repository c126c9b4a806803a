"""How many pixels of detail a face holds, whatever its size in pixels.

A thumbnail enlarged by a viewer, a screenshot of it or a small print scanned large is big
in pixels but holds a small face's information, and its distance is as unreliable as a
small face's (``match.RELIABLE_FACE``). ``effective_size`` measures that information: the
width the face can be shrunk to, and enlarged back from, before it loses more than
``KEPT_DETAIL`` of its detail. Detail is what a shrink to ``COARSE`` pixels removes (the
face's layout survives that, its texture and edges do not), so the measure does not depend
on the face's contrast or exposure. A sharp face loses detail at every width below its own
(a natural image's detail is spread over all scales); an enlarged one loses almost none
down to the width it was enlarged from. A blurred face counts as small too, and rightly:
its distance is as unreliable.

On ``benchmarks/faces_eval.py``'s tuning captures (seed 11), of faces of 64 px or more:
sharp originals flagged 2/53, their re-crops, mirror images, exposure, JPEG and noise
variants (not enlarged) 11/158, rotated ones 7/31 (the rotation interpolates), blurred
ones 51/57; clean enlargements of the originals from 40 px 49/57, from 48 px 39/56.
``faces_eval.py --detail-group`` measures it on captures it was not tuned on. About
1 ms a face.
"""

from __future__ import annotations

import cv2
import numpy as np

from kyc_sdk.faces.detection import Face

COARSE = 16  # pixels: the face's layout (eyes, nose, mouth as blobs), not its detail
WORK = 128  # pixels: a larger face is measured shrunk to this width (only small widths matter)
LADDER = (24, 32, 40, 48, 56, 64, 80, 96, 128, 160)  # face widths tried, narrowest first
# The rms share of its detail that a face enlarged cleanly from 64 px still loses when
# shrunk to 64 px (interpolation is not a perfect inverse): 0.186, the median over the
# tuning faces of benchmarks/faces_eval.py (sharp faces: median 0.37, 5th percentile
# 0.21). A face that loses no more at some width holds no more detail than that width.
KEPT_DETAIL = 0.19


def effective_size(rgb: np.ndarray, face: Face) -> int:
    """The width in pixels of ``face``'s real detail: at most its box's ``size``, less for
    an enlarged, upsampled or blurred face."""
    top, right, bottom, left = face.box
    grey = cv2.cvtColor(np.ascontiguousarray(rgb[top:bottom, left:right]), cv2.COLOR_RGB2GRAY)
    if min(grey.shape) < 2 * COARSE:
        return face.size
    work: np.ndarray = grey.astype(np.float32)
    scale = min(1.0, WORK / work.shape[1])
    if scale < 1.0:
        work = cv2.resize(work, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    detail = _change(work, COARSE)
    if detail <= 1e-6:  # a flat patch holds nothing to measure
        return face.size
    previous: tuple[int, float] | None = None
    for width in LADDER:
        if round(width * scale) >= work.shape[1]:
            break
        share = _change(work, round(width * scale)) / detail
        if share <= KEPT_DETAIL:
            if previous is None:
                return min(face.size, width)
            # where the share crosses KEPT_DETAIL, between the two widths
            w0, s0 = previous
            return min(face.size, int(w0 + (width - w0) * (s0 - KEPT_DETAIL) / (s0 - share)))
        previous = width, share
    return face.size


def _change(img: np.ndarray, width: int) -> float:
    """The rms change of ``img`` shrunk to ``width`` px wide and enlarged back."""
    height = max(1, round(img.shape[0] * width / img.shape[1]))
    small = cv2.resize(img, (width, height), interpolation=cv2.INTER_AREA)
    back = cv2.resize(small, (img.shape[1], img.shape[0]), interpolation=cv2.INTER_CUBIC)
    return float(np.sqrt(np.mean((img - back) ** 2)))
