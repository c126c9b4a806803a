"""Passive liveness: one image in, a ``LivenessResult`` out.

The cues (``kyc_sdk.liveness.cues``) each give evidence of an attack in [0, 1]; the attack
probability is their noisy-OR, and ``score`` = 1 − that. A cue reaching 0.5 on its own
names itself in ``reasons``. Capture quality (blur, exposure) is judged separately: a poor
capture is not live, with a ``quality_*`` reason, so the caller asks for a retake.

A passive check sees one frame: it cannot tell a genuine photo *injected* into the camera
stream from a live capture (../shared/EVALUATION.md, Traps). Use ``check_video`` with a
challenge for a decision that must resist that.

Spec: ISO/IEC 30107-3 vocabulary (APCER, BPCER); the cues after Wen, Han & Jain (2015).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from kyc_sdk.imaging import load_rgb
from kyc_sdk.liveness import _faces, cues
from kyc_sdk.liveness.result import THRESHOLD, LivenessResult

#: cue -> (reason, value where the evidence is 0, value where it is 1)
RAMPS: dict[str, tuple[str, float, float]] = {
    "periodic": ("periodic_texture", 2.4, 3.2),  # natural faces 1.3–2.2 on the public photos
    "skin_chroma": ("low_skin_chroma", 14.0, 8.0),  # live skin 19–36, recaptures 6–7
    "glare": ("specular_glare", 0.03, 0.06),  # share of the face box
    "frame": ("frame_edges", 2.0, 4.0),  # sides of the face with a straight edge
}
MIN_SHARPNESS = 40.0  # Laplacian variance at 128 px; public photos 250–650
EXPOSURE = (50.0, 215.0)  # mean grey of the face


@dataclass(frozen=True, slots=True)
class Measures:
    """Raw cue values for one face, kept for audit and for the video pipeline."""

    values: dict[str, float]

    def evidence(self) -> dict[str, float]:
        return {k: cues.ramp(self.values[k], lo, hi) for k, (_, lo, hi) in RAMPS.items()}


def measure(rgb: np.ndarray, box: _faces.Box) -> Measures:
    """Every cue and quality measure of the face at ``box``."""
    gray = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    return Measures({
        "periodic": cues.periodic(gray, box),
        "skin_chroma": cues.skin_chroma(rgb, box),
        "glare": cues.glare(rgb, box),
        "frame": cues.frame(gray, box),
        "sharpness": cues.sharpness(gray, box),
        "exposure": cues.exposure(gray, box),
    })


def judge(m: Measures) -> LivenessResult:
    """Turn measures into a decision with reasons."""
    evidence = m.evidence()
    attack = 1.0 - float(np.prod([1.0 - e for e in evidence.values()]))
    reasons = [RAMPS[k][0] for k, e in evidence.items() if e >= 0.5]
    if attack >= THRESHOLD and not reasons:
        reasons.append("combined_cues")
    reasons += _quality(m.values)
    score = 1.0 - attack
    live = score >= THRESHOLD and not reasons
    return LivenessResult(live, score, tuple(reasons), cues=dict(m.values))


def _quality(v: dict[str, float]) -> list[str]:
    out = []
    if v["sharpness"] < MIN_SHARPNESS:
        out.append("quality_blurry")
    if v["exposure"] < EXPOSURE[0]:
        out.append("quality_underexposed")
    elif v["exposure"] > EXPOSURE[1]:
        out.append("quality_overexposed")
    return out


def check_rgb(rgb: np.ndarray) -> LivenessResult:
    """Passive liveness of an already decoded RGB image (one face required)."""
    face = _faces.one_face(rgb)
    return judge(measure(rgb, _faces.box_of(face, rgb.shape)))


def check_image(source: bytes | str | Path | np.ndarray) -> LivenessResult:
    """Passive liveness of one image (bytes, a path, or an RGB array).

    Raises ``ImageRejected`` for undecodable or hostile input, no face, several faces, or
    a face smaller than 80 pixels.
    """
    return check_rgb(load_rgb(source))  # arrays are checked there too
