"""Active liveness on video: the challenge performed, by one face, in one honest stream.

``check_video`` fails, with a reason each, when:
- the challenge is expired or its nonce was already used (``challenge_expired``,
  ``nonce_reused``) — the server keeps the used nonces; pass that set as ``used_nonces``;
- the stream is out of order or repeats a frame (``frames_out_of_order``,
  ``duplicate_frame``; see ``frames``);
- there is no face, several faces, or the face changes identity between frames
  (``no_face``, ``multiple_faces``, ``face_lost``, ``face_changed``: dlib encodings farther
  than ``SAME_FACE`` from the first frame's);
- the face never moves non-rigidly (``static_face``: a photo or a video of a still);
- the challenge is not met in order and in time, or another action is performed
  (``challenge_not_met:<step>``, ``unexpected_action:<action>``, ``challenge_timeout``);
- the passive cues on sampled frames say print or screen (their reasons).

Cost per frame: landmarks every frame; detection every ``DETECT_EVERY`` frames on a
frame scaled to ``DETECT_SIDE``; an encoding every ``ENCODE_EVERY`` frames.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import MutableSet, Sequence
from pathlib import Path

import cv2
import numpy as np

from kyc_sdk.errors import ImageRejected
from kyc_sdk.liveness import _faces, frames as framing, passive
from kyc_sdk.liveness.challenge import Challenge, ChallengeTracker
from kyc_sdk.liveness.geometry import Pose, pose
from kyc_sdk.liveness.result import THRESHOLD, LivenessResult

DETECT_EVERY = 10
DETECT_SIDE = 640
ENCODE_EVERY = 15
SAME_FACE = 0.6  # face_recognition's own same-person tolerance
MAX_LOST = 0.2  # share of frames without a face before the session fails
STATIC_SPREAD = (0.03, 0.015, 0.03)  # ptp of EAR/baseline, yaw, MAR below which nothing moved
PASSIVE_SAMPLES = 3


class _Session:
    """Per-video state: the tracked face, poses, encodings, reasons."""

    def __init__(self, challenge: Challenge) -> None:
        self.tracker = ChallengeTracker(challenge)
        self.face: object | None = None
        self.poses: list[Pose] = []
        self.encodings: list[np.ndarray] = []
        self.lost = 0
        self.reasons: list[str] = []

    def step(self, i: int, f: framing.Frame) -> None:
        if i % DETECT_EVERY == 0 or self.face is None:
            self._detect(f.rgb)
        if self.face is None:
            self.lost += 1
            return
        points = _faces.landmarks(f.rgb, self.face)
        if i % ENCODE_EVERY == 0:
            self.encodings.append(_faces.encode(f.rgb, self.face))
        p = pose(points)
        self.poses.append(p)
        self.tracker.update(f.t, p)
        self.face = _faces.track(self.face, points)

    def _detect(self, rgb: np.ndarray) -> None:
        scale = min(1.0, DETECT_SIDE / max(rgb.shape[:2]))
        small = cv2.resize(rgb, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 else rgb
        found = _faces.detect(small)
        if len(found) > 1 and "multiple_faces" not in self.reasons:
            self.reasons.append("multiple_faces")
        if found:
            box = tuple(int(v / scale) for v in found[0].box)
            self.face = dataclasses.replace(found[0], box=box)
        else:
            self.face = None

    def finish(self, last: framing.Frame, n: int) -> list[str]:
        if self.face is not None and (n - 1) % ENCODE_EVERY:
            self.encodings.append(_faces.encode(last.rgb, self.face))
        if not self.poses:
            return ["no_face"]
        reasons = list(self.reasons)
        if self.lost > MAX_LOST * n:
            reasons.append("face_lost")
        if any(np.linalg.norm(e - self.encodings[0]) > SAME_FACE for e in self.encodings[1:]):
            reasons.append("face_changed")
        if _static(self.poses):
            reasons.append("static_face")
        self.tracker.finish()
        return reasons + self.tracker.reasons


def _static(poses: Sequence[Pose]) -> bool:
    ears = np.array([p.ear for p in poses])
    spread = (np.ptp(ears) / max(float(np.median(ears)), 1e-6), np.ptp([p.yaw for p in poses]),
              np.ptp([p.mar for p in poses]))
    return all(s < limit for s, limit in zip(spread, STATIC_SPREAD))


def _passive(frames: Sequence[framing.Frame]) -> tuple[float, list[str]]:
    """Median passive score over a few frames spread across the video, and its reasons."""
    picks = np.linspace(0, len(frames) - 1, PASSIVE_SAMPLES).astype(int)
    results = []
    for i in sorted(set(picks.tolist())):
        rgb = frames[i].rgb
        try:
            face = _faces.one_face(rgb)
        except ImageRejected:
            continue
        results.append(passive.judge(passive.measure(rgb, _faces.box_of(face, rgb.shape))))
    if not results:
        return 1.0, []
    score = float(np.median([r.score for r in results]))
    worst = min(results, key=lambda r: r.score)
    cue_reasons = [r for r in worst.reasons if not r.startswith("quality_")]
    return score, cue_reasons if score < THRESHOLD else []


def check_video(source_or_frames: str | Path | bytes | Sequence[object], *, challenge: Challenge,
                now: float | None = None, used_nonces: MutableSet[str] | None = None,
                fps: float = framing.DEFAULT_FPS) -> LivenessResult:
    """Active liveness of a video file or frame sequence against ``challenge``.

    Returns a ``LivenessResult`` (``method="active"``); raises ``ImageRejected`` only for
    input that cannot be read at all (undecodable, oversized, not frames).
    """
    reasons = _freshness(challenge, time.time() if now is None else now, used_nonces)
    frames = framing.load(source_or_frames, fps)
    if not frames:
        raise ImageRejected("no frames given", reason="empty")
    reasons += framing.integrity(frames)
    session = _Session(challenge)
    for i, f in enumerate(frames):
        session.step(i, f)
    reasons += session.finish(frames[-1], len(frames))
    passive_score, cue_reasons = _passive(frames)
    reasons += cue_reasons
    done = sum(1 for s in session.tracker.steps() if s["done"])
    live = not reasons and session.tracker.passed
    score = min(passive_score, done / len(challenge.steps))
    if not live:  # the score never contradicts the decision
        score = min(score, THRESHOLD - 0.01)
    return LivenessResult(live, score, tuple(dict.fromkeys(reasons)), session.tracker.steps(),
                          {"frames": float(len(frames)), "passive_score": passive_score},
                          method="active")


def _freshness(challenge: Challenge, now: float, used: MutableSet[str] | None) -> list[str]:
    reasons = [] if challenge.is_fresh(now) else ["challenge_expired"]
    if used is not None:
        if challenge.nonce in used:
            reasons.append("nonce_reused")
        used.add(challenge.nonce)
    return reasons
