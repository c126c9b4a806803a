"""The shipped distance → false-match-rate tables (``calibration.json``).

Two comparisons, two tables, both written by ``benchmarks/faces_eval.py
--write-calibration``: ``photo`` (a photo against a photo, in colour) and ``document``
(the photo printed on an identity document against a selfie, both grey); every face is
encoded averaged with its mirror image. A document photo is degraded, so the same person lies further
away and a threshold fit for photos refuses many genuine pairs, while the closest
impostors come closer too; its own impostor pairs set its own threshold.
``fmr`` is the one-sided 95 % Clopper-Pearson upper bound of the observed false-match
rate at each distance, so a small evaluation set gives a cautious figure rather than an
optimistic zero. Between rows the table is interpolated linearly. ``default_threshold``
is the largest distance whose bound is at most the table's ``target_fmr`` (1e-3), never
above ``DLIB_LIMIT``.
"""

from __future__ import annotations

import functools
import json
from importlib import resources
from typing import Any, Literal

import numpy as np

Kind = Literal["photo", "document"]
# dlib's own same-person threshold, tuned on LFW photos: no calibrated threshold goes above
# it, and past it two faces are different people by dlib's own measure.
DLIB_LIMIT = 0.6


@functools.cache
def tables() -> dict[str, Any]:
    text = resources.files("kyc_sdk.faces").joinpath("calibration.json").read_text("utf-8")
    return json.loads(text)


def table(kind: Kind = "photo") -> dict[str, Any]:
    return tables()[kind]


def default_threshold(kind: Kind = "photo") -> float:
    return float(table(kind)["default_threshold"])


def fmr_at(distance: float, kind: Kind = "photo") -> float:
    """False-match rate of accepting impostors up to ``distance`` (conservative)."""
    rows = table(kind)["rows"]
    xs = np.array([r["distance"] for r in rows], dtype=np.float64)
    ys = np.array([r["fmr_upper95"] for r in rows], dtype=np.float64)
    return round(float(np.interp(distance, xs, ys)), 6)
