"""Liveness: is the face in front of the camera a live person (ISO/IEC 30107-3 PAD)?

- ``check_image(source) -> LivenessResult``: passive, one image (print, screen replay,
  cut-out and injected-frame traces, an ID document held up (``document_in_frame``), and
  capture quality). See ``passive``.
- ``new_challenge(rng=None, *, n=2, nonce=None, window_s=30.0) -> Challenge``: two or three
  random actions (blink, turn_left, turn_right, open_mouth) bound to a nonce and a window.
- ``check_video(source_or_frames, *, challenge, once=None) -> LivenessResult``: active, the
  challenge performed on video (its nonce spent through ``once``, a ``kyc_sdk.once.OnceGuard``),
  plus frame integrity, the same face throughout, a face that deforms as a live head does,
  camera noise, and passive cues on sampled frames. See ``video``.

Names resolve lazily so ``import kyc_sdk.liveness`` does not load OpenCV or dlib.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "check_image": "kyc_sdk.liveness.passive",
    "check_video": "kyc_sdk.liveness.video",
    "new_challenge": "kyc_sdk.liveness.challenge",
    "Challenge": "kyc_sdk.liveness.challenge",
    "ACTIONS": "kyc_sdk.liveness.challenge",
    "LivenessResult": "kyc_sdk.liveness.result",
}

__all__ = ["ACTIONS", "Challenge", "LivenessResult", "check_image", "check_video", "new_challenge"]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'kyc_sdk.liveness' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
