"""Active liveness on video: the challenge performed, by one face, in one honest stream.

``check_video`` fails, with a reason each, when:
- the challenge is expired or its nonce was already used (``challenge_expired``,
  ``challenge_reused``). The nonce is spent through ``once``, a ``kyc_sdk.once.OnceGuard``
  (the store's, so a video replayed to another process or replica is refused too), before
  any frame is read, so of two concurrent submissions only one can pass. Without a guard
  reuse is not checked; ``used_nonces`` (a set) is the deprecated one-process form;
- the stream is out of order or repeats a frame (``frames_out_of_order``,
  ``duplicate_frame``; see ``frames``);
- there is no face, several faces, or the face changes identity between frames
  (``no_face``, ``multiple_faces``, ``face_lost``, ``face_changed``: dlib encodings farther
  than ``SAME_FACE`` from the first frame's);
- the face never changes beyond what a flat sheet can do (``motion.deformation``, and
  ``motion.jaw_drop``: the chin dropping as the lips part from the session's own neutral;
  where corners on the skin can be tracked through the video, ``skin_flow``: the skin
  itself moving under one homography refuses the outline's deformation, which the shape
  model can show on a moved photo, never the jaw's, which needs lips that part; skin far
  off any sheet's homography, ``SKIN_DEPTH``, is depth where jittery landmarks hide it): held
  still, ``static_face``, or ``still_expression`` when its state looks like an action (an
  open smile, narrowed eyes); moved by hand, ``planar_face`` (a print), or
  ``cutout_mask`` when eyes blinked in it (a cut-out with eye holes). A live head that
  turns or opens its mouth deforms in depth, and every challenge has a turn or an open
  mouth. Where one ends and the other begins is a matter of degree: the names may swap
  at the margins; the decision does not depend on which;
- the frames show no sensor noise (``injected_frames``: rendered and fed in without a
  camera), or a screen's refresh banding (``screen_replay``, a recording or a live
  relay; ``motion.screen_banding``), or a screen's pixel grid beating into a moiré on the
  face (``screen_replay``; ``screen_grid``; the passive cues below see screens too);
- the challenge is not met in order and in time, or another action is performed
  (``challenge_not_met:<step>``, ``unexpected_action:<action>``, ``challenge_timeout``);
- the passive cues on sampled frames say print or screen (their reasons).

A dark face (median grey under ``_faces.DARK``) is evened (CLAHE on luminance) before
detection; landmarks are read on a crop around the face whose luminance is smoothed and
evened whatever the light (``_faces.steadied``: the shape model's splits compare grey
levels a dim face no longer spans); encodings and the pixel cues read the frame as sent. The passive
cues read each sampled frame as a phone's exposure would have delivered it
(``_faces.metered``: a dim face lifted by one gain): their bona fide captures are metered
so, and a raw dim frame read as low skin chroma.

Cost per frame: landmarks twice every frame (see ``_Session.step``) and two eye patches
(``eyes``); detection every ``DETECT_EVERY`` frames on a frame scaled to ``DETECT_SIDE``
(faces under ``DETECT_MIN`` pixels there are looked for only when no larger face is
found); three encodings per video (first, middle, last frame with a face; the middle one
at the detection frame of the video's middle half facing most as the first did, each on
the detector's box) plus one after any cut (the face
jumping ``JUMP`` face widths in one frame); the detection's box carried along the upper
face in between; passive cues on three frames; the face's spectrum (``screen_grid``) on
twelve.
"""

from __future__ import annotations

import dataclasses
import time
import warnings
from collections.abc import MutableSet, Sequence
from pathlib import Path

import cv2
import numpy as np

from kyc_sdk.errors import ImageRejected
from kyc_sdk.faces import Face
from kyc_sdk.liveness import _faces, motion, passive, screen_grid, skin_flow
from kyc_sdk.liveness import frames as framing
from kyc_sdk.liveness.challenge import Challenge, ChallengeTracker
from kyc_sdk.liveness.eyes import EyeTrack
from kyc_sdk.liveness.geometry import Pose, eye_aspect_ratio, pose
from kyc_sdk.liveness.result import THRESHOLD, LivenessResult
from kyc_sdk.once import OnceGuard, SetOnce

NONCES = "liveness_nonce"  # the OnceGuard namespace of challenge nonces
DETECT_EVERY = 10
DETECT_SIDE = 640
DETECT_MIN = 160  # at DETECT_SIDE: a selfie face fills a quarter of the frame; halves dlib's work
SAME_FACE = 0.6  # face_recognition's own same-person tolerance
MAX_LOST = 0.2  # share of frames without a face before the session fails
# Tuned on the tuning variants of benchmarks/liveness_eval.py (held-out variants report):
# face widths: a sheet 0.003–0.011 (jitter), a head turning or opening the mouth 0.015+
RIGID_DEFORM = 0.012
# face widths the chin leaves the upper outline's plane while the lips are parted: tuning
# open mouths 0.038-0.20 (a beard's jaw points least), a sheet's noise about 0.006 (σ)
JAW_DROP = 0.025
# face widths the face travelled (centre or size): a sheet in a hand 0.09+; a photo on a stand 0.05–0.085
PLANE_MOVED = 0.09
# face widths the skin's tracked corners depart from one homography (``skin_flow``): tuning
# sheets held still or moved by hand 0.0002-0.0067 (a print tilted 15°, where tracking
# drifts most; photos holding an expression, the ones the landmarks can let through, up
# to 0.0040); live heads 0.0059 (a beard in a dim room opening the mouth) and up
SKIN_PLANAR = 0.005
# skin corners this far off one homography are depth on their own, whatever the landmarks
# say: twice the tuning sheets' highest (0.0070, a print tilted 15°). Behind glasses while
# auto-exposure settles the landmarks jitter, and the jitter floor they subtract ate a live
# turn's residual (tuning photo: landmarks 0.0082, skin 0.0167, called a cut-out)
SKIN_DEPTH = 0.014
# a still face this open-mouthed or narrow-eyed holds an expression that looks like an action
# (only the reason's name depends on it: a still face fails either way)
EXPRESSION_MAR, EXPRESSION_EAR = 0.3, 0.2
CAMERA_NOISE = 0.5  # grey levels of fine-grained change: sensors 0.9+, rendered and re-encoded frames 0.0–0.3
SCREEN_BANDING = 0.015  # log-brightness row profile σ: a refresh band; exposure drift stays under 0.005
SCREEN_GRID = 6.0  # face spectrum's point peak over its ring (``screen_grid``): see the tuning note there
PASSIVE_SAMPLES = 3
JUMP = 0.25  # landmark centroid moving more than this × face width in one frame: a cut


class _Session:
    """Per-video state: the tracked face, poses, encodings, reasons."""

    def __init__(self, challenge: Challenge, n: int) -> None:
        self.tracker = ChallengeTracker(challenge)
        self.eyes = EyeTrack()
        self.skin = skin_flow.SkinFlow()
        self.face: Face | None = None
        self.detected: Face | None = None  # the last detection, and its frame's landmarks
        self.at_detection: np.ndarray | None = None
        self.poses: list[Pose] = []
        self.boxes: dict[int, _faces.Box] = {}
        self.points: list[np.ndarray] = []
        self.encodings: list[np.ndarray] = []
        self.encode_at = {0}  # the first frame with a face (its detection is fresh)
        # the middle encoding: of the middle half's detection frames, the one whose yaw sits
        # nearest the first frame's (its frame and detector's box, encoded in ``finish``)
        self.middle_half = range(n // 4, max(3 * n // 4, n // 4 + 1))
        self.middle: tuple[float, np.ndarray, Face] | None = None
        self.centre: np.ndarray | None = None
        self.lost = 0
        self.reasons: list[str] = []
        self.cues: dict[str, float] = {}
        self.deformed = False  # beyond what a flat sheet can do (``_rigidity``)

    def step(self, i: int, f: framing.Frame) -> None:
        seen = _faces.evened(f.rgb, self.face)  # dim light evened for detection and the eyes
        fresh = i % DETECT_EVERY == 0 or self.face is None
        if fresh:
            self._detect(seen)
        if self.face is None:
            self.lost += 1
            self.encode_at = {k + 1 if k == i else k for k in self.encode_at}
            return
        # twice: from the detection's box carried along the upper face (the box the shape
        # model was trained on), then from a box around what that found (a dropped jaw or a
        # turned head leaves the detector's box). The eyes are a few pixels that either fit
        # can miss closing on: a closure either fit sees counts (the lower EAR).
        carried = self.face  # the detector's box, as the encoder's 5-point aligner expects it
        crop = _faces.steadied(f.rgb, self.face)
        first = crop.landmarks(self.face)
        self.face = _faces.around(self.face, first)
        points = crop.landmarks(self.face)
        self.boxes[i] = _faces.box_of(self.face, f.rgb.shape)
        if i in self.encode_at or self._jumped(points):
            # not the box around the landmarks: drawn high over the brows, it misled the
            # aligner on a dark face against backlight (same person 0.69-0.80 apart)
            self.encodings.append(_faces.encode(f.rgb, carried))
        grey = cv2.cvtColor(seen, cv2.COLOR_RGB2GRAY)
        # the skin's own motion, on the frame as sent (``skin_flow`` levels its exposure)
        self.skin.update(grey if seen is f.rgb else cv2.cvtColor(f.rgb, cv2.COLOR_RGB2GRAY), points)
        p = pose(points)
        p = dataclasses.replace(
            p, ear=min(p.ear, eye_aspect_ratio(first)), eye=self.eyes.update(grey, points)
        )
        if fresh and i in self.middle_half and self.poses:
            self._frontal_candidate(abs(p.yaw - self.poses[0].yaw), f.rgb, carried)
        self.poses.append(p)
        self.points.append(points)
        self.tracker.update(f.t, p)
        if self.at_detection is None:
            self.at_detection = points
        if self.detected is not None:
            self.face = _faces.track(self.detected, self.at_detection, points)

    def _frontal_candidate(self, off_yaw: float, rgb: np.ndarray, box: Face) -> None:
        """Keep the middle half's detection frame facing most as the first frame did: a
        frame taken mid-turn encodes another view of the face (tuning, a dark face against
        backlight: 0.66 from the first frame at the turn's peak, 0.09 facing the camera)."""
        if self.middle is None or off_yaw < self.middle[0]:
            self.middle = (off_yaw, rgb, box)

    def _jumped(self, points: np.ndarray) -> bool:
        """A cut in the stream: the face moved too far in one frame (then its identity is checked)."""
        centre, width = points.mean(axis=0), float(np.ptp(points[:, 0]))
        jumped = self.centre is not None and float(np.linalg.norm(centre - self.centre)) > JUMP * width
        self.centre = centre
        return jumped

    def _detect(self, rgb: np.ndarray) -> None:
        scale = min(1.0, DETECT_SIDE / max(rgb.shape[:2]))
        small = cv2.resize(rgb, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 else rgb
        found = _faces.detect(small, min_size=DETECT_MIN) or _faces.detect(small, min_size=_faces.MIN_FACE)
        if len(found) > 1 and "multiple_faces" not in self.reasons:
            self.reasons.append("multiple_faces")
        if found:
            top, right, bottom, left = (int(v / scale) for v in found[0].box)
            self.face = dataclasses.replace(found[0], box=(top, right, bottom, left))
        else:
            self.face = None
        self.detected, self.at_detection = self.face, None

    def finish(self, last: framing.Frame, n: int) -> list[str]:
        if self.middle is not None:
            self.encodings.append(_faces.encode(self.middle[1], self.middle[2]))
        if self.face is not None and n - 1 not in self.encode_at:
            self.encodings.append(_faces.encode(last.rgb, self.face))
        if not self.poses:
            return ["no_face"]
        reasons = list(self.reasons)
        if self.lost > MAX_LOST * n:
            reasons.append("face_lost")
        if any(np.linalg.norm(e - self.encodings[0]) > SAME_FACE for e in self.encodings[1:]):
            reasons.append("face_changed")
        self.tracker.finish()
        return reasons + self._rigidity() + self.tracker.reasons

    def _rigidity(self) -> list[str]:
        """What a face that never deformed beyond a flat sheet was (see the module notes)."""
        deform, moved = motion.deformation(self.points)
        jaw = motion.jaw_drop(self.points, self.tracker.mouth_open(self.poses))
        skin = self.skin.planar()
        self.cues.update(deformation=deform, travel=moved, jaw_drop=jaw)
        if skin is not None:
            self.cues["skin_flow"] = skin
        # the shape model's outline can wander off a sheet's plane (a photo holding an
        # expression): there the skin's tracked corners, where enough last, must agree. The
        # jaw test needs the lips to part from the session's own neutral, which a sheet's
        # never do; and a challenge without a turn moves the skin only at the chin, which
        # the corners' median residual hides (a live open mouth read 0.0047). Corners far
        # off any sheet's homography are depth even where jittery landmarks hide it
        outline = deform >= RIGID_DEFORM and (skin is None or skin >= SKIN_PLANAR)
        depth = skin is not None and skin >= SKIN_DEPTH
        self.deformed = outline or depth or jaw >= JAW_DROP
        if self.deformed:
            return []
        if moved >= PLANE_MOVED:  # held in a hand: a cut-out if eyes blinked in it, else a print
            return ["cutout_mask" if self.tracker.blinks else "planar_face"]
        base = self.tracker.base
        expression = base.ready and (base.mar() >= EXPRESSION_MAR or base.open_ear() <= EXPRESSION_EAR)
        return ["still_expression"] if expression else ["static_face"]


def _passive(frames: Sequence[framing.Frame], boxes: dict[int, _faces.Box]) -> tuple[float, list[str]]:
    """Median passive score over a few tracked frames spread across the video, and its reasons."""
    if not boxes:
        return 1.0, []
    have = sorted(boxes)
    picks = sorted({have[int(k)] for k in np.linspace(0, len(have) - 1, PASSIVE_SAMPLES)})
    results = [
        passive.judge(passive.measure(_faces.metered(frames[i].rgb, boxes[i]), boxes[i])) for i in picks
    ]
    score = float(np.median([r.score for r in results]))
    worst = min(results, key=lambda r: r.score)
    cue_reasons = [r for r in worst.reasons if not r.startswith("quality_")]
    return score, cue_reasons if score < THRESHOLD else []


def check_video(
    source_or_frames: str | Path | bytes | Sequence[object],
    *,
    challenge: Challenge,
    now: float | None = None,
    once: OnceGuard | None = None,
    used_nonces: MutableSet[str] | None = None,
    fps: float = framing.DEFAULT_FPS,
) -> LivenessResult:
    """Active liveness of a video file or frame sequence against ``challenge``.

    Returns a ``LivenessResult`` (``method="active"``); raises ``ImageRejected`` only for
    input that cannot be read at all (undecodable, oversized, not frames).
    """
    if used_nonces is not None:
        warnings.warn(
            "check_video(used_nonces=...) holds in one process only; pass once=<OnceGuard>",
            DeprecationWarning,
            stacklevel=2,
        )
        once = once or SetOnce(used_nonces)
    reasons = _freshness(challenge, time.time() if now is None else now, once)
    frames = framing.load(source_or_frames, fps)
    if not frames:
        raise ImageRejected("no frames given", reason="empty")
    reasons += framing.integrity(frames)
    session = _Session(challenge, len(frames))
    for i, f in enumerate(frames):
        session.step(i, f)
    reasons += session.finish(frames[-1], len(frames))
    reasons += _capture(frames, session)
    passive_score, cue_reasons = _passive(frames, session.boxes)
    reasons += cue_reasons
    done = sum(1 for s in session.tracker.steps() if s["done"])
    live = not reasons and session.tracker.passed
    score = min(passive_score, done / len(challenge.steps))
    if not live:  # the score never contradicts the decision
        score = min(score, THRESHOLD - 0.01)
    return LivenessResult(
        live,
        score,
        tuple(dict.fromkeys(reasons)),
        session.tracker.steps(),
        {"frames": float(len(frames)), "passive_score": passive_score, **session.cues},
        method="active",
    )


def _capture(frames: Sequence[framing.Frame], session: _Session) -> list[str]:
    """Frames made without a camera, or filmed off a screen (see ``motion``, ``screen_grid``)."""
    rgbs = [f.rgb for f in frames]
    noise, banding = motion.pixel_cues(rgbs)
    grid = screen_grid.grid_peak(rgbs, session.boxes)
    session.cues.update(camera_noise=noise, screen_banding=banding, screen_grid=grid)
    reasons = ["injected_frames"] if noise < CAMERA_NOISE else []
    # a grid on a face that never deformed is a print's halftone: the sheet's own reason
    # (``_rigidity``) names it, and it is refused either way
    screen = banding >= SCREEN_BANDING or (grid >= SCREEN_GRID and session.deformed)
    return reasons + (["screen_replay"] if screen else [])


def _freshness(challenge: Challenge, now: float, once: OnceGuard | None) -> list[str]:
    reasons = [] if challenge.is_fresh(now) else ["challenge_expired"]
    # kept until the challenge expires: after that ``challenge_expired`` refuses it anyway
    if once is not None and not once.first_use(
        NONCES, challenge.nonce, expires_at=challenge.expires_at, now=now
    ):
        reasons.append("challenge_reused")
    return reasons
