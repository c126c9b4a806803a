"""The selfie stages: active liveness on the video, and the selfie against the document photo.

Liveness runs ``kyc_sdk.liveness.check_video`` against the challenge the server issued
(its nonce spent through a ``kyc_sdk.once.OnceGuard``). Its reasons are sorted in two: evidence of an
attack (a still or replayed face, repeated or reordered frames, another face spliced in,
the wrong actions, a reused nonce, print or screen cues) is DECLINED
``liveness_attack``; a person who simply did not finish (a step missed, the face lost,
the challenge timed out, poor light) may try again: RETRY ``liveness_retry``. A
challenge that expired before the video reached us says so (RETRY ``liveness_expired``):
the person did nothing wrong and needs a new challenge, not other movements.
An unknown reason counts as an attack: a new cue must not let a replay through.

The face match compares the video's first frame with the photo printed on the document:
the document's one face is found in the whole photograph and cropped with a margin;
``faces.match(..., document=True)`` cleans the print, compares both in grey and decides
at the threshold calibrated for document photos (FMR at most 1e-3 with 95 % confidence).
A document photo is a poor sample: on ``benchmarks/faces_eval.py`` most genuine pairs lie
beyond that threshold but none beyond ``REVIEW_UP_TO`` (dlib's own same-person limit), so
a distance between the two goes to an officer (REVIEW ``face_match_unsure``) and only a
face beyond it is DECLINED ``face_mismatch``. A code is never issued for either.

Spec: the issue "The whole registration"; docs/evaluation.md (faces, liveness).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from kyc_sdk.errors import ImageRejected
from kyc_sdk.models import Check, CheckKind, Decision

if TYPE_CHECKING:
    from kyc_sdk.faces import MatchResult
    from kyc_sdk.once import OnceGuard

LOCAL = "kyc-sdk"  # the provider name of checks made here, on this machine
RETRY_REASONS = (
    "challenge_not_met",
    "challenge_timeout",
    "challenge_expired",
    "no_face",
    "face_lost",
    "not_frontal",
    "too_few_frames",
    "quality_",
)
MARGIN = 0.6  # of the face box, around a document's face: the encoder wants hair and chin
REVIEW_UP_TO = 0.6  # distance: dlib's own same-person limit (kyc_sdk.faces.calibration.DLIB_LIMIT)


@dataclass(frozen=True, slots=True)
class Selfie:
    """The decoded video: frames as ``(t, rgb)``; ``still`` is the frame matched to the document."""

    frames: list[tuple[float, np.ndarray]]

    @property
    def still(self) -> np.ndarray:
        return self.frames[0][1]


def jpeg(rgb: np.ndarray, quality: int = 92) -> bytes:
    """An RGB frame as JPEG bytes: the selfie image vendors are sent."""
    import io

    from PIL import Image

    buf = io.BytesIO()
    Image.fromarray(np.asarray(rgb, np.uint8)).save(buf, "JPEG", quality=quality)
    return buf.getvalue()


def load_video(video: bytes | Sequence[Any]) -> Selfie:
    """A video file's bytes, or frames (arrays or ``(t, array)`` pairs), decoded once."""
    from kyc_sdk.liveness import frames as framing

    loaded = framing.load(video)
    if not loaded:
        raise ImageRejected("the selfie video has no frames", reason="empty")
    return Selfie([(f.t, f.rgb) for f in loaded])


def liveness(selfie: Selfie, challenge: Any, *, now: float, once: OnceGuard | None) -> Check:
    """The challenge performed on ``selfie``, as a ``Check`` (score: the liveness score)."""
    from kyc_sdk.liveness import check_video

    result = check_video(selfie.frames, challenge=challenge, now=now, once=once)
    if result.live:
        return Check(CheckKind.LIVENESS, Decision.APPROVED, LOCAL, round(result.score, 4))
    attack = any(not r.startswith(RETRY_REASONS) for r in result.reasons) or not result.reasons
    if attack:
        outcome, code = Decision.DECLINED, "liveness_attack"
    elif "challenge_expired" in result.reasons:
        outcome, code = Decision.RETRY, "liveness_expired"
    else:
        outcome, code = Decision.RETRY, "liveness_retry"
    return Check(CheckKind.LIVENESS, outcome, LOCAL, round(result.score, 4), (code, *result.reasons))


def document_face(document: bytes) -> np.ndarray:
    """The face printed on the document, cropped with a margin."""
    from kyc_sdk import faces
    from kyc_sdk.imaging import load_rgb

    rgb = load_rgb(document)
    top, right, bottom, left = faces.single_face(rgb).box
    pad = int(MARGIN * max(bottom - top, right - left))
    crop = rgb[max(top - pad, 0) : bottom + pad, max(left - pad, 0) : right + pad]
    return np.ascontiguousarray(crop)


def face_match(selfie: Selfie, document: bytes) -> tuple[Check, float | None]:
    """The selfie against the document photo: the check and the distance (None when a
    face was missing, which is a RETRY: a new photo may show it)."""
    from kyc_sdk import faces

    try:
        result = faces.match(selfie.still, document_face(document), document=True)
    except ImageRejected as err:
        return Check(CheckKind.FACE_MATCH, Decision.RETRY, LOCAL, None, ("face_not_found", err.reason)), None
    return face_check(result), result.distance


def face_check(result: MatchResult) -> Check:
    """The check for a ``faces.MatchResult``: APPROVED, REVIEW in the unsure band, else
    DECLINED. In the unsure band a face the distance cannot judge (``result.quality``) is
    a RETRY instead, ``face_photo_small`` for a face too small to compare,
    ``face_photo_print`` for a photo of a print and ``face_photo_occluded`` for a face
    partly covered (``faces.occlusion``): there its distance is no evidence of
    another person. Beyond ``REVIEW_UP_TO`` it still is (no genuine pair of such faces in
    ``benchmarks/faces_eval.py`` reached it), so that stays DECLINED."""
    from kyc_sdk.faces.match import PRINT_GRAIN, SMALL_FACE  # loaded already: a result came from it
    from kyc_sdk.faces.occlusion import OCCLUDED

    score = round(max(0.0, 1.0 - result.distance), 4)
    if result.match:
        return Check(CheckKind.FACE_MATCH, Decision.APPROVED, LOCAL, score)
    if result.distance > REVIEW_UP_TO:
        return Check(CheckKind.FACE_MATCH, Decision.DECLINED, LOCAL, score, ("face_mismatch",))
    if result.quality:
        # what the person can do about it, the first that applies: a closer photo, one not
        # of a print, the face uncovered
        asks = {
            SMALL_FACE: "face_photo_small",
            PRINT_GRAIN: "face_photo_print",
            OCCLUDED: "face_photo_occluded",
        }
        ask = next((a for q, a in asks.items() if q in result.quality), "face_photo_print")
        return Check(CheckKind.FACE_MATCH, Decision.RETRY, LOCAL, score, (ask, *result.quality))
    return Check(CheckKind.FACE_MATCH, Decision.REVIEW, LOCAL, score, ("face_match_unsure",))
