"""The passive detector's decision: small boosted trees over ``features``, shipped as JSON.

``pad_model.json`` is written by ``benchmarks/train_pad.py`` from images the project
generates (``synth_variants``) on the fitting split of ``benchmarks/pad_data.py``; nothing
is downloaded. Trees of depth 3 let a feature count when it is too low *or* too high (no
sensor noise at all, or two cameras' worth), which one linear weight cannot.

``terms_of`` splits the log-odds among the features (each split's change of the node
value goes to the split's feature); ``pushes`` adds them up per physical trace
(``TRACES``), which names a decision's reasons.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Sequence
from functools import cache
from importlib import resources
from typing import Any

#: how each raw feature enters the model: scale-free where its range spans decades; for
#: ``frame``, only a third and fourth side count (two straight edges are a door or a window);
#: for ``periodic``, only a peak above what genuine photos show (the project's public
#: photos of the fitting people reach 2.2 from scan lines and resampling): weaker peaks
#: are no halftone's proof, and trees taught by faint prints refused those photos
PERIODIC_FLOOR = 2.3
TRANSFORMS: dict[str, Callable[[float], float]] = {
    "periodic": lambda v: max(v - PERIODIC_FLOOR, 0.0),
    "sharpness": math.log1p,
    "noise": math.log1p,
    "glare": lambda v: math.sqrt(max(v, 0.0)),
    "frame": lambda v: max(v - 2.0, 0.0),
}
#: trace (the reason it names) -> the features that measure it
TRACES: dict[str, tuple[str, ...]] = {
    "periodic_texture": ("periodic", "periodic_chroma"),
    "low_skin_chroma": (
        "skin_chroma",
        "cr",
        "cb",
        "cr_spread",
        "cb_spread",
        "sat",
        "sat_spread",
        "chroma_p90",
        "hue",
    ),
    "specular_glare": ("glare",),
    "frame_edges": ("frame",),
    "recapture_texture": (
        "hf_ratio",
        "slope",
        "noise",
        "chroma_noise",
        "sharpness",
        "depth",
        *(f"lbp{r}_{k}" for r in (1, 2) for k in ("irregular", "flat", "entropy")),
        "floor",
        "highlight",
    ),
}


@cache
def model() -> dict[str, Any]:
    text = resources.files("kyc_sdk.liveness").joinpath("pad_model.json").read_text()
    return json.loads(text)


def inputs(values: dict[str, float], names: Sequence[str]) -> list[float]:
    return [TRANSFORMS.get(n, float)(values[n]) for n in names]


def terms_of(m: dict[str, Any], names: Sequence[str], x: Sequence[float]) -> dict[str, float]:
    """Each feature's push towards "attack" in log-odds, for model ``m`` and inputs ``x``."""
    out = dict.fromkeys(names, 0.0)
    for nodes in m["trees"]:
        i = 0
        while "f" in nodes[i]:
            nxt = nodes[i]["l"] if x[nodes[i]["f"]] <= nodes[i]["t"] else nodes[i]["r"]
            out[names[nodes[i]["f"]]] += m["rate"] * (nodes[nxt]["v"] - nodes[i]["v"])
            i = nxt
    return out


def pushes_of(m: dict[str, Any], names: Sequence[str], x: Sequence[float]) -> dict[str, float]:
    """Each trace's push towards "attack" (the sum of its features' terms)."""
    t = terms_of(m, names, x)
    return {trace: sum(t.get(f, 0.0) for f in feats) for trace, feats in TRACES.items()}


def log_odds_of(m: dict[str, Any], names: Sequence[str], x: Sequence[float]) -> float:
    """The model's attack log-odds for inputs ``x``."""
    roots = sum(m["rate"] * nodes[0]["v"] for nodes in m["trees"])
    return m["base"] + roots + sum(terms_of(m, names, x).values())


def pushes(values: dict[str, float]) -> dict[str, float]:
    m = model()
    return pushes_of(m, m["features"], inputs(values, m["features"]))


def attack_probability(values: dict[str, float]) -> float:
    m = model()
    z = log_odds_of(m, m["features"], inputs(values, m["features"]))
    return 1.0 / (1.0 + math.exp(-max(min(z, 40.0), -40.0)))
