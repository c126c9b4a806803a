"""The shipped distance → false-match-rate table (``calibration.json``).

Written by ``benchmarks/faces_eval.py --write-calibration`` from every impostor pair it
measured; ``fmr`` is the one-sided 95 % Clopper-Pearson upper bound of the observed
false-match rate at each distance, so a small evaluation set gives a cautious figure
rather than an optimistic zero. Between rows the table is interpolated linearly.
"""

from __future__ import annotations

import functools
import json
from importlib import resources
from typing import Any

import numpy as np


@functools.cache
def table() -> dict[str, Any]:
    text = resources.files("kyc_sdk.faces").joinpath("calibration.json").read_text("utf-8")
    return json.loads(text)


def default_threshold() -> float:
    return float(table()["default_threshold"])


def fmr_at(distance: float) -> float:
    """False-match rate of accepting impostors up to ``distance`` (conservative)."""
    rows = table()["rows"]
    xs = np.array([r["distance"] for r in rows], dtype=np.float64)
    ys = np.array([r["fmr_upper95"] for r in rows], dtype=np.float64)
    return round(float(np.interp(distance, xs, ys)), 6)
