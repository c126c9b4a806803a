"""Challenge-response liveness: a random sequence of actions, and the state machine that
checks a stream of per-frame poses against it.

A challenge is two or three distinct actions from ``ACTIONS``, drawn by the server with a
CSPRNG, bound to a random nonce and to a time window (``issued_at`` .. ``expires_at``).
The client shows it and records; the server runs ``ChallengeTracker`` over the frames.
The tracker is pure (poses and timestamps in, verdict out), so it is tested on scripted
landmark sequences as well as on generated video.

Rules (why each exists):
- An action is a change from the person's own neutral state, never a state: a face that
  already smiles with narrowed eyes performs no ``open_mouth`` or ``blink``. The neutral
  state is taken from the first frames whose landmarks hold still over ``BASELINE_S``
  (while auto-exposure settles the landmarks jump, and those frames are skipped; "still"
  is judged against the session's own landmark jitter, see ``_still``),
  and moved to any later still, closed-mouthed window that faces the camera better.
  A change must exceed ``NOISE_K`` times the session's landmark jitter (from frame-to-frame
  differences, which an action touches in a few frames only) as well as the fixed deltas:
  a blurred or dark face's jitter, or lids and teeth a photo's landmarks cannot settle on,
  must not look like an action. Measures are landmark geometry only (EAR, MAR, LAR, yaw
  proxy), so exposure and white balance do not enter. An open mouth is a rise of the
  inner lips' MAR or of the outer lips' LAR: in a beard the inner lip line is lost
  against a dark mouth, the outer one is not.
- EAR's open-eye value differs by person (0.154–0.415), so a blink is EAR below
  ``BLINK_CLOSE`` × the session's open-eye EAR (its 80th percentile so far), then a
  reopening above ``BLINK_OPEN`` × it within ``BLINK_MAX_S``: onset and return, with
  hysteresis. The closure must be seen for ``BLINK_MIN_S``, each closed frame standing for
  the time to halfway to its neighbours: at 60 fps that is three frames, so a one-frame
  landmark glitch is no blink; below 20 fps one frame, so a blink that falls between two
  frames is not missed. A closure seen in one frame only must be deeper (``BLINK_ONE_K``
  times the EAR jitter): one frame is weaker evidence than several. Where the eye
  landmarks barely move (narrow eyes, dark skin, dim light), the eyes' pixels count too:
  a change from the open-eye template past ``EYE_SHUT`` is a closure (``eyes``).
- The steps are judged from a neutral facing the camera (``not_frontal`` at the end
  when none came): from a face already turned, a further turn reaches profile, where
  68-point landmarks stop being reliable. The first still window need not be it: glare
  on glasses or exposure settling can jump the yaw proxy past ``FRONTAL`` at the start,
  and a person may sit turned until they face the screen. Until a still window faces the
  camera, nothing is awaited, so the neutral moves to any better-facing one and no
  action is counted.
- A head that started a little turned and comes back to face the camera has not turned
  the other way: facing the camera counts as neutral, and a still, better-facing window
  becomes the new neutral. Not the pose of a step, though: a face resting off-centre
  (asymmetry, a camera a little aside) that turns towards the centre faces the camera
  while it holds the turn. So the neutral moves only while the tracker is armed and never
  the way of the turn awaited, and facing the camera is neutral only short of a turn from
  the person's own neutral (else the way back to rest was a second turn: a person refused,
  or one turn and back passing for both).
- Steps are done in order. Between steps the head must come back to neutral, so one held
  pose cannot satisfy two steps. Coming back is judged over time, not on one frame: dlib's
  landmarks can snap to a frontal, closed-mouthed shape for a frame or two in the middle
  of a held turn, and a browser drops frames, so frame counts mean nothing on their own.
  A neutral counts once it has held ``NEUTRAL_HOLD_S`` over at least ``NEUTRAL_FRAMES``
  frames, or, when briefer, once the head leaves it for another pose than the step just
  done (a swing from one turn to the other passes through the centre quickly). A brief
  neutral that gives way to the same pose again was a glitch in a pose that never left.
- A turn or mouth opening that is not the expected step fails the challenge: a replay
  that cycles through every action must not pass. It must hold ``WRONG_HOLD_S`` and
  then return to the neutral it left (a change of neutral, as when a person settles to
  face the camera, is not an action). Blinks are exempt (people blink).
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from random import Random

import numpy as np

from kyc_sdk.liveness.geometry import Pose

ACTIONS: tuple[str, ...] = ("blink", "turn_left", "turn_right", "open_mouth")
# Durations are seconds between frames' timestamps, never frame counts: a browser's frame
# rate varies (Chromium kept 25–63 of ~90 frames in VP8 under load).
BASELINE_S = 0.25  # the neutral state: frames that hold still this long (first to last) ...
BASELINE_MIN_FRAMES = 3  # ... and at least this many: two frames show no jitter
NOISE_K = 4.0  # a change must exceed this many times the landmark jitter (σ)
BLINK_NOISE_K = 3.0  # less for EAR, whose jitter is large, when the closure shows in several frames ...
BLINK_ONE_K = 5.0  # ... more when it shows in one frame only
BLINK_CLOSE = 0.7  # closed when EAR < 70 % of the open-eye baseline
BLINK_OPEN = 0.85  # reopened when EAR > 85 % of it
# the eyes' appearance (``eyes.change``, 1 − NCC with the open-eye template): shut past
# EYE_SHUT (and the session's level plus EYE_NOISE_K σ), open again under half that.
# Tuning: open eyes 0.01–0.17 (a still squinting photo under JPEG included), a blink the
# landmarks missed 0.42–0.88
EYE_SHUT, EYE_NOISE_K, EYE_DEEP = 0.35, 5.0, 0.6  # a one-frame closure must pass EYE_DEEP
BLINK_MIN_S = 0.05  # a closure seen this long at least (the eyes stay shut 0.05–0.15 s in a blink)
BLINK_MAX_S = 0.8  # a blink lasts 0.1–0.4 s; longer closures are not blinks
TURN_DELTA = 0.10  # yaw-proxy change for a turn (about 20° of head yaw)
MOUTH_DELTA = 0.25  # MAR rise for an open mouth ...
LIPS_DELTA = 0.15  # ... or LAR rise, where the inner lips are lost (tuning variants: 0.2+ open, 0.04 a turn)
HOLD_S = 0.06  # a turn or open mouth must hold this long (two frames at 15 fps) ...
WRONG_HOLD_S = 0.2  # ... a wrong one longer: one landmark glitch must not fail a person
NEUTRAL_HOLD_S = 0.25  # a return to neutral between steps holds this long (first to last frame) ...
NEUTRAL_FRAMES = 3  # ... over this many frames at least: a landmark glitch lasts a frame or two
NEUTRAL_YAW = 0.05
STILL_K = 4.0  # a still window spreads under this many σ of landmark jitter (5 frames: 3.9σ at p95)
FRONTAL = 0.17  # the session must start facing the camera: |yaw − 0.5| at most this
NEUTRAL_MAR = 0.12
DEFAULT_WINDOW_S = 30.0


@dataclass(frozen=True, slots=True)
class Challenge:
    """What the person must do, bound to a nonce and a validity window (epoch seconds)."""

    steps: tuple[str, ...]
    nonce: str
    issued_at: float
    window_s: float = DEFAULT_WINDOW_S

    @property
    def expires_at(self) -> float:
        return self.issued_at + self.window_s

    def is_fresh(self, now: float) -> bool:
        return self.issued_at <= now <= self.expires_at

    def to_dict(self) -> dict[str, object]:
        return {
            "steps": list(self.steps),
            "nonce": self.nonce,
            "issued_at": self.issued_at,
            "expires_at": self.expires_at,
        }


def new_challenge(
    rng: Random | None = None,
    *,
    n: int = 2,
    nonce: str | None = None,
    window_s: float = DEFAULT_WINDOW_S,
    now: float | None = None,
) -> Challenge:
    """A challenge of ``n`` (2 or 3) distinct actions; ``rng`` only for reproducible tests."""
    if n not in (2, 3):
        raise ValueError("a challenge has 2 or 3 steps")
    if window_s <= 0:
        raise ValueError("window_s must be positive")
    chooser = rng if rng is not None else secrets.SystemRandom()
    steps = tuple(chooser.sample(ACTIONS, n))
    return Challenge(steps, nonce or secrets.token_urlsafe(16), time.time() if now is None else now, window_s)


@dataclass
class _Baseline:
    """The neutral state: the first frames that hold still over ``BASELINE_S``."""

    ears: list[float] = field(default_factory=list)
    seen: list[Pose] = field(default_factory=list)
    window: list[tuple[float, Pose]] = field(default_factory=list)  # the last BASELINE_S
    neutral: list[Pose] = field(default_factory=list)
    moves: int = 0  # times the neutral state moved after it was first set

    def add(self, t: float, p: Pose, may_move: bool = True, asked: float | None = 0.0) -> None:
        """One frame; ``may_move`` False holds the neutral where it is, ``asked`` (+1 a turn
        left is the step awaited, -1 a turn right) keeps it from moving that way (see
        ``_more_frontal``); None: no step is awaited yet, any better-facing window will do."""
        self.ears.append(p.ear)
        self.seen.append(p)
        self.window.append((t, p))
        while len(self.window) > BASELINE_MIN_FRAMES and t - self.window[1][0] >= BASELINE_S:
            self.window.pop(0)
        poses = [q for _, q in self.window]
        if t - self.window[0][0] < BASELINE_S or len(poses) < BASELINE_MIN_FRAMES:
            return
        if not _still(poses, self.noise("yaw"), self.noise("mar")):
            return
        if not self.ready or (may_move and self._more_frontal(poses, asked)):
            self.moves += self.ready
            self.neutral = poses

    def _more_frontal(self, window: list[Pose], asked: float | None = 0.0) -> bool:
        """A person who sat a little turned and then faces the camera: that is their neutral.
        A window past the centre on the other side is a turn, not a settling: made the
        neutral, it would cancel itself as a wrong action and make the way back a turn. So
        is a window the way of the turn asked for: a face resting at 0.63 whose 25-degree
        turn right reached 0.51 only (tuning, image_T1 turned back) held it there still
        before it counted, and the way back became a turn left. Before the neutral faces
        the camera (``asked`` None) no action is awaited or counted, so the other side
        will do too: a first window the glare read at 0.70 says nothing about the side."""
        yaw, mar = float(np.median([p.yaw for p in window])), float(np.median([p.mar for p in window]))
        before = self.yaw()
        if asked and (yaw - before) * asked > 0:
            return False
        same_side = asked is None or abs(yaw - 0.5) < NEUTRAL_YAW or (yaw - 0.5) * (before - 0.5) > 0
        closer = abs(yaw - 0.5) < abs(before - 0.5) - NEUTRAL_YAW / 2
        return same_side and closer and mar < self.mar() + NEUTRAL_MAR / 2

    @property
    def ready(self) -> bool:
        return bool(self.neutral)

    def open_ear(self) -> float:
        return float(np.percentile(self.ears, 80))

    def yaw(self) -> float:
        return float(np.median([p.yaw for p in self.neutral]))

    def mar(self) -> float:
        return float(np.median([p.mar for p in self.neutral]))

    def lar(self) -> float:
        return float(np.median([p.lar for p in self.neutral]))

    def level(self, name: str) -> float:
        """The median of one measure over the recent frames."""
        return float(np.median([getattr(p, name) for p in self.seen[-150:]]))

    def noise(self, name: str) -> float:
        """σ of one measure's frame-to-frame jitter so far (the median |difference| of two
        Gaussian samples is 0.954 σ)."""
        v = np.array([getattr(p, name) for p in self.seen[-150:]])
        return float(np.median(np.abs(np.diff(v)))) / 0.954 if len(v) > 2 else 0.0


@dataclass(slots=True)
class _Closure:
    """A run of closed-eye frames: the frame before it, its first and last, the one after."""

    before: float
    first: float
    last: float = 0.0
    after: float | None = None
    frames: int = 0
    deepest: float = float("inf")  # the lowest EAR ...
    shut: float = 0.0  # ... and the largest appearance change seen closed

    def extent(self) -> float:
        """How long the eyes were seen closed: each closed frame stands for the time to
        halfway to its neighbours (the closure is reported when a later frame reopens)."""
        after = self.last if self.after is None else self.after
        return (self.last + after) / 2 - (self.before + self.first) / 2


def _still(window: list[Pose], yaw_sigma: float, mar_sigma: float) -> bool:
    """The head held still over the window: its frames spread less than the neutral band;
    or, where the landmarks jitter (glare on glasses: the yaw proxy 0.04 a frame, wider
    than the band, and a fixed band left such a person no neutral), less than a still head
    shows under the session's jitter (``STILL_K`` σ, never an action's worth) with the
    window's halves agreeing within half the band: a head turning or a mouth opening
    drifts from one half to the other, jitter does not."""
    for name, band, action, sigma in (
        ("yaw", NEUTRAL_YAW, TURN_DELTA, yaw_sigma),
        ("mar", NEUTRAL_MAR, MOUTH_DELTA, mar_sigma),
    ):
        v = np.array([getattr(p, name) for p in window])
        half = len(v) // 2
        drift = abs(float(np.median(v[:half])) - float(np.median(v[-half:])))
        spread = float(np.ptp(v))
        if spread >= band and (drift >= band / 2 or spread >= min(STILL_K * sigma, action)):
            return False
    return True


class ChallengeTracker:
    """Feed ``(t, pose)`` per frame with ``update``; read ``passed``, ``reasons``, ``steps``."""

    def __init__(self, challenge: Challenge) -> None:
        self.challenge = challenge
        self.base = _Baseline()
        self.index = 0  # the step being waited for
        self.done_at: list[float] = []
        self.blinks = 0  # blinks seen, asked for or not
        self._wrong: set[str] = set()  # wrong actions held, counted once they return
        self._moves = 0
        self.reasons: list[str] = []
        self._armed = True  # False until the pose is back to neutral after a step
        self._last = ""  # the step just done, whose pose may still be held
        self._settle: list[float] = []  # times of the neutral frames in a row while not armed
        self._settle_seen: set[str] = set()  # blinks completed during that neutral run
        self._closure: _Closure | None = None  # the eye closure under way
        self._last_t: float | None = None  # the previous frame's time, for the closure's extent
        self._since: dict[str, float] = {}  # when each pose began, in the current run of frames
        self._t0: float | None = None

    @property
    def passed(self) -> bool:
        return not self.reasons and self.index == len(self.challenge.steps)

    def update(self, t: float, p: Pose) -> None:
        """Advance on one frame; frames must come in time order (checked upstream)."""
        if self.reasons or self.index == len(self.challenge.steps):
            return
        self._t0 = t if self._t0 is None else self._t0
        if t - self._t0 > self.challenge.window_s:
            self.reasons.append("challenge_timeout")
            return
        # a step just done may be held near the centre (a face resting at 0.62 turned right to
        # 0.47): that is the step's pose, not a settling to face the camera. Made the neutral,
        # it turned the way back into a wrong turn and refused the person
        # until the neutral faces the camera no step is awaited, so it may move any way
        asked = {"turn_left": 1.0, "turn_right": -1.0}.get(self.challenge.steps[self.index], 0.0)
        self.base.add(t, p, may_move=self._armed, asked=asked if self._frontal() else None)
        if not self._frontal():  # waits for a frontal neutral; ``finish`` refuses if none came
            return
        seen = self._actions(t, p)
        self._advance(t, p, seen)

    def _frontal(self) -> bool:
        return self.base.ready and abs(self.base.yaw() - 0.5) <= FRONTAL

    def _actions(self, t: float, p: Pose) -> set[str]:
        """The actions this frame completes (holds counted over consecutive frames).

        The expected action counts once held ``HOLD_S``, any other once held ``WRONG_HOLD_S``.
        """
        seen = {"blink"} if self._blink(t, p) else set()
        self.blinks += len(seen)
        expected = self.challenge.steps[self.index]
        dyaw = p.yaw - self.base.yaw()
        turn = max(TURN_DELTA, NOISE_K * self.base.noise("yaw"))
        poses = {
            "turn_left": dyaw >= turn,
            "turn_right": -dyaw >= turn,
            "open_mouth": self._parted(p),
        }
        for name, on in poses.items():
            if not on:
                self._since.pop(name, None)
                continue
            since = self._since.setdefault(name, t)
            if t - since >= (HOLD_S if name == expected else WRONG_HOLD_S):
                seen.add(name)
        return seen

    def _blink(self, t: float, p: Pose) -> bool:
        """Closed for ``BLINK_MIN_S`` (see the module notes), then reopened, within
        ``BLINK_MAX_S``; closed by the landmarks' EAR or by the eyes' appearance."""
        ear, base, sigma = p.ear, self.base.open_ear(), self.base.noise("ear")
        shut = max(EYE_SHUT, self.base.level("eye") + EYE_NOISE_K * self.base.noise("eye"))
        before, self._last_t = self._last_t, t
        c = self._closure
        if ear < min(BLINK_CLOSE * base, base - BLINK_NOISE_K * sigma) or p.eye >= shut:
            if c is None:
                c = self._closure = _Closure(t if before is None else before, t)
            c.last, c.after, c.frames = t, None, c.frames + 1
            c.deepest = min(c.deepest, ear)
            c.shut = max(c.shut, p.eye)
            return False
        if c is None:
            return False
        c.after = t if c.after is None else c.after
        if t - c.first > BLINK_MAX_S:  # shut too long, or a reopening never came: not a blink
            self._closure = None
            return False
        if ear <= BLINK_OPEN * base or p.eye >= shut / 2:
            return False
        self._closure = None
        deep = c.frames > 1 or c.deepest < base - BLINK_ONE_K * sigma or c.shut >= max(EYE_DEEP, shut)
        return deep and c.extent() >= BLINK_MIN_S

    def _advance(self, t: float, p: Pose, seen: set[str]) -> None:
        if not self._armed:
            if not self._rearm(t, p, seen):
                return
            seen, self._armed = seen | self._settle_seen, True
            self._settle, self._settle_seen = [], set()
        expected = self.challenge.steps[self.index]
        if self.base.moves != self._moves:  # the person settled elsewhere: not an action
            self._wrong, self._moves = set(), self.base.moves
        self._wrong |= seen - {expected, "blink"}
        if self._wrong and self._back(p):
            self.reasons.append(f"unexpected_action:{min(self._wrong)}")
        elif expected in seen and not self._wrong:
            self.done_at.append(t)
            self.index += 1
            self._armed, self._last = expected == "blink", expected

    def _rearm(self, t: float, p: Pose, seen: set[str]) -> bool:
        """After a step: whether the person has come back to neutral (see the module notes).

        Blinks seen during the neutral run are kept, so a blink asked for next counts even
        when it comes before the neutral has held long enough."""
        if self._neutral(p):
            self._settle.append(t)
            self._settle_seen |= seen & {"blink"}
            held = t - self._settle[0] >= NEUTRAL_HOLD_S
            return held and len(self._settle) >= NEUTRAL_FRAMES
        passed_through = bool(self._settle) and not self._resumes(p)
        if not passed_through:
            self._settle, self._settle_seen = [], set()
        return passed_through

    def _resumes(self, p: Pose) -> bool:
        """The pose is the step just done's again (its side of the neutral band)."""
        dyaw, dmar = p.yaw - self.base.yaw(), p.mar - self.base.mar()
        side = {
            "turn_left": dyaw >= NEUTRAL_YAW,
            "turn_right": -dyaw >= NEUTRAL_YAW,
            "open_mouth": dmar >= NEUTRAL_MAR,
        }
        return side.get(self._last, False)

    def mouth_open(self, poses: Sequence[Pose]) -> list[bool]:
        """Per pose, whether the lips are parted as far as an ``open_mouth`` needs, from this
        session's neutral (all False before there is one)."""
        return [self.base.ready and self._parted(p) for p in poses]

    def _parted(self, p: Pose) -> bool:
        """The inner lips' MAR or the outer lips' LAR risen past its delta and the jitter."""
        base = self.base
        mar = max(MOUTH_DELTA, NOISE_K * base.noise("mar"))
        lar = max(LIPS_DELTA, NOISE_K * base.noise("lar"))
        return p.mar - base.mar() >= mar or p.lar - base.lar() >= lar

    def _back(self, p: Pose) -> bool:
        return abs(p.yaw - self.base.yaw()) < NEUTRAL_YAW and p.mar - self.base.mar() < NEUTRAL_MAR

    def _neutral(self, p: Pose) -> bool:
        """Back at the neutral, or facing the camera unless that still holds the turn just
        done: a face resting at 0.62 that turned right to 0.47 faces the camera, turned; one
        that turned left and came back to 0.50 faces it, back."""
        dyaw = p.yaw - self.base.yaw()
        holds = {"turn_left": dyaw >= TURN_DELTA, "turn_right": -dyaw >= TURN_DELTA}.get(self._last, False)
        facing = abs(dyaw) < NEUTRAL_YAW or (abs(p.yaw - 0.5) < NEUTRAL_YAW and not holds)
        return facing and p.mar - self.base.mar() < NEUTRAL_MAR

    def finish(self) -> None:
        """Call after the last frame: names what was missing."""
        if not self.base.ready and not self.reasons:
            self.reasons.append("too_few_frames")
        elif not self._frontal() and not self.reasons:
            self.reasons.append("not_frontal")
        elif self.index < len(self.challenge.steps) and not self.reasons:
            self.reasons.append(f"challenge_not_met:{self.challenge.steps[self.index]}")

    def steps(self) -> list[dict[str, object]]:
        """Per step: the action, whether it was done, and when (seconds from the first frame)."""
        t0 = self._t0 or 0.0
        return [
            {
                "action": a,
                "done": i < len(self.done_at),
                "t": round(self.done_at[i] - t0, 3) if i < len(self.done_at) else None,
            }
            for i, a in enumerate(self.challenge.steps)
        ]


def run(challenge: Challenge, poses: Iterable[tuple[float, Pose]]) -> ChallengeTracker:
    """Run a whole (timestamp, pose) sequence through a fresh tracker."""
    tracker = ChallengeTracker(challenge)
    for t, p in poses:
        tracker.update(t, p)
    tracker.finish()
    return tracker
