"""Passive liveness: one image in, a ``LivenessResult`` out.

The face's features (``kyc_sdk.liveness.features``: spectrum, noise, skin colour in
YCrCb/HSV/CIELAB, tonal range, local binary patterns at two scales, specular glare, frame
edges, depth of focus) go to a small boosted-tree model
(``pad_model``, weights shipped as JSON and fitted by ``benchmarks/train_pad.py`` on
generated attacks, some variants and faces held out). ``score`` is 1 − the attack
probability, rescaled so the model's threshold sits at 0.5; the physical traces
(``pad_model.TRACES``) that pushed an attack decision name its reasons. No cue refuses on
its own outside the model: a fixed skin-chroma floor refused pale skin and cold light
(issue 14), so low chroma is evidence the model weighs with the others. Capture quality
(blur, exposure) is judged separately: a poor capture is not live, with a ``quality_*``
reason, so the caller asks for a retake.

An ID document held up to the camera (a card or passport page: rectangle, text rows,
small face) is refused first, as ``document_in_frame`` (``kyc_sdk.liveness.document``),
before the face-size check, since a document's face is usually small.

A passive check sees one frame: it cannot tell a genuine photo *injected* into the camera
stream from a live capture (docs/evaluation.md, Traps). Use ``check_video`` with a
challenge for a decision that must resist that.

Spec: ISO/IEC 30107-3 vocabulary (APCER, BPCER); issue 14 (held-out variants).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from kyc_sdk.imaging import load_rgb
from kyc_sdk.liveness import _faces, document, features, pad_model
from kyc_sdk.liveness.result import THRESHOLD, LivenessResult

NAMED = 1.0  # log-odds: a trace is named when it pushed at least this much
MIN_SHARPNESS = 40.0  # Laplacian variance at 128 px; public photos 250–650
EXPOSURE = (50.0, 215.0)  # mean grey of the face


@dataclass(frozen=True, slots=True)
class Measures:
    """Raw feature values for one face, kept for audit and for the video pipeline."""

    values: dict[str, float]


def measure(rgb: np.ndarray, box: _faces.Box, *, look_for_document: bool = True) -> Measures:
    """Every feature and quality measure of the face at ``box``; ``document`` is 1.0 when
    an ID document is in the frame (``look_for_document=False`` skips that search)."""
    values = features.measure(rgb, box)
    if look_for_document:
        values["document"] = float(document.find(rgb, box) is not None)
    return Measures(values)


def judge(m: Measures) -> LivenessResult:
    """Turn measures into a decision with reasons."""
    if m.values.get("document"):
        return LivenessResult(False, 0.0, ("document_in_frame",), cues=dict(m.values))
    p, t = pad_model.attack_probability(m.values), pad_model.model()["threshold"]
    reasons = _reasons(pad_model.pushes(m.values)) if p >= t else []
    score = 1.0 - 0.5 * p / t if p < t else 0.5 * (1.0 - p) / (1.0 - t)  # 0.5 at the threshold
    reasons += quality_reasons(m.values)
    live = score >= THRESHOLD and not reasons
    return LivenessResult(live, float(score), tuple(reasons), cues=dict(m.values))


def _reasons(push: dict[str, float]) -> list[str]:
    """The traces that pushed most towards "attack": the strongest always, others when
    they pushed at least ``NAMED`` on their own."""
    ranked = sorted(push, key=push.__getitem__, reverse=True)
    return [ranked[0]] + [c for c in ranked[1:] if push[c] >= NAMED]


def refused_outside_model(v: dict[str, float]) -> bool:
    """Whether rules outside the model (capture quality) refuse these measures whatever the
    model says; ``train_pad`` counts them in the threshold's BPCER."""
    return bool(quality_reasons(v))


def quality_reasons(v: dict[str, float]) -> list[str]:
    out = []
    if v["sharpness"] < MIN_SHARPNESS:
        out.append("quality_blurry")
    if v["exposure"] < EXPOSURE[0]:
        out.append("quality_underexposed")
    elif v["exposure"] > EXPOSURE[1]:
        out.append("quality_overexposed")
    return out


def check_rgb(rgb: np.ndarray) -> LivenessResult:
    """Passive liveness of an already decoded RGB image (one face required, unless an ID
    document fills the frame: that is refused whatever its face)."""
    found = _faces.detect(rgb)
    doc = document.find(rgb, _faces.box_of(found[0], rgb.shape) if len(found) == 1 else None)
    if doc is not None:
        return LivenessResult(
            False,
            0.0,
            ("document_in_frame",),
            cues={"document_rows": float(doc.rows), "document_aspect": round(doc.aspect, 3)},
        )
    face = _faces.one_face(rgb, found=found)
    return judge(measure(rgb, _faces.box_of(face, rgb.shape), look_for_document=False))


def check_image(source: bytes | str | Path | np.ndarray) -> LivenessResult:
    """Passive liveness of one image (bytes, a path, or an RGB array).

    Raises ``ImageRejected`` for undecodable or hostile input, no face, several faces, or
    a face smaller than 80 pixels; an ID document in the frame is a result (not live,
    ``document_in_frame``), not an error.
    """
    return check_rgb(load_rgb(source))  # arrays are checked there too
