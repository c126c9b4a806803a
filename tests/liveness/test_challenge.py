"""The challenge state machine on scripted pose and landmark sequences (no images)."""

from __future__ import annotations

import random

import numpy as np
import pytest

from kyc_sdk.liveness import synth_video
from kyc_sdk.liveness.challenge import ACTIONS, Challenge, new_challenge, run
from kyc_sdk.liveness.geometry import Pose, eye_aspect_ratio, pose

FPS = 15.0


def script(
    *segments: tuple[str, int],
    ear: float = 0.3,
    yaw: float = 0.5,
    mar: float = 0.05,
    noise: float = 0.0,
    seed: int = 0,
) -> list[tuple[float, Pose]]:
    """A pose stream: ``("neutral", n)``, ``("blink", n)``, ``("turn_left", n)``... in order."""
    rng = np.random.default_rng(seed)
    out: list[Pose] = []
    for kind, n in segments:
        for _ in range(n):
            e, y, m = ear, yaw, mar
            if kind == "blink":
                e = ear * 0.3
            elif kind == "turn_left":
                y = yaw + 0.2
            elif kind == "turn_right":
                y = yaw - 0.2
            elif kind == "open_mouth":
                m = mar + 0.5
            out.append(Pose(ear=e * (1 + rng.normal(0, noise)), mar=m, yaw=y + rng.normal(0, noise * 0.1)))
    return [(i / FPS, p) for i, p in enumerate(out)]


def challenge(*steps: str, window_s: float = 30.0) -> Challenge:
    return Challenge(tuple(steps), "nonce", 0.0, window_s)


N = ("neutral", 8)


@pytest.mark.parametrize("action", ACTIONS)
def test_each_action_alone_passes(action: str) -> None:
    length = 2 if action == "blink" else 5
    t = run(challenge(action), script(N, (action, length), N))
    assert t.passed and t.steps()[0]["done"], t.reasons


@pytest.mark.parametrize("action", ACTIONS)
def test_nothing_done_fails_naming_the_step(action: str) -> None:
    t = run(challenge(action, "blink" if action != "blink" else "turn_left"), script(N, N, N))
    assert not t.passed and t.reasons == [f"challenge_not_met:{action}"]


def test_sequence_in_order_passes_out_of_order_fails() -> None:
    frames = script(N, ("turn_left", 5), N, ("open_mouth", 5), N)
    assert run(challenge("turn_left", "open_mouth"), frames).passed
    wrong = run(challenge("open_mouth", "turn_left"), frames)
    assert wrong.reasons == ["unexpected_action:turn_left"]


def test_replay_cycling_through_every_action_fails() -> None:
    frames = script(N, ("turn_right", 6), N, ("turn_left", 6), N, ("open_mouth", 6), N, ("blink", 2), N)
    t = run(challenge("turn_left", "open_mouth", "blink"), frames)
    assert not t.passed and t.reasons == ["unexpected_action:turn_right"]


def test_spontaneous_blinks_are_not_wrong_actions() -> None:
    frames = script(N, ("blink", 2), N, ("turn_right", 5), N)
    assert run(challenge("turn_right", "open_mouth"), frames).reasons == ["challenge_not_met:open_mouth"]
    assert run(challenge("turn_right"), frames).passed


def test_one_held_pose_cannot_satisfy_the_next_step_before_returning_to_neutral() -> None:
    held = script(N, ("turn_left", 30), ("neutral", 2))
    assert run(challenge("turn_left", "turn_right"), held).reasons == ["challenge_not_met:turn_right"]


def test_a_short_landmark_glitch_is_not_a_wrong_action() -> None:
    frames = script(N, ("turn_right", 2), N, ("turn_left", 5), N)  # 2 frames at 15 fps < WRONG_HOLD_S
    assert run(challenge("turn_left"), frames).passed


@pytest.mark.parametrize("open_ear", [0.16, 0.25, 0.41])
def test_blink_is_relative_to_the_session_baseline(open_ear: float) -> None:
    """Open-eye EAR spans 0.154–0.415 across people: a fixed 0.2 threshold is wrong."""
    blink = script(N, ("blink", 2), N, ear=open_ear, noise=0.04)
    assert run(challenge("blink"), blink).passed
    squint = [
        (t, Pose(ear=p.ear * (0.8 if 8 <= i < 11 else 1), mar=p.mar, yaw=p.yaw))
        for i, (t, p) in enumerate(script(N, N, ear=open_ear))
    ]
    assert not run(challenge("blink"), squint).passed  # 20 % narrower is not a blink


def test_fixed_threshold_would_have_failed_a_narrow_eyed_person() -> None:
    # every frame of this person is under 0.2, open or not: only a baseline can see the blink
    frames = script(N, ("blink", 2), N, ear=0.17)
    assert max(p.ear for _, p in frames) < 0.2
    assert run(challenge("blink"), frames).passed


def test_eyes_closed_too_long_is_not_a_blink() -> None:
    assert not run(challenge("blink"), script(N, ("blink", 20), N)).passed


def test_timeout_and_too_few_frames() -> None:
    slow = script(N, ("neutral", 400), ("turn_left", 5), N)
    assert run(challenge("turn_left", window_s=10.0), slow).reasons == ["challenge_timeout"]
    assert run(challenge("blink"), script(("neutral", 3))).reasons == ["too_few_frames"]


def test_new_challenge_is_random_distinct_and_bound() -> None:
    c = new_challenge(n=3, now=1000.0, window_s=20.0)
    assert len(set(c.steps)) == 3 and set(c.steps) <= set(ACTIONS)
    assert c.expires_at == 1020.0 and c.is_fresh(1010.0) and not c.is_fresh(1021.0)
    assert len({new_challenge().nonce for _ in range(20)}) == 20
    seen = {new_challenge().steps for _ in range(200)}
    assert len(seen) == 12  # every ordered pair of the four actions turns up
    assert new_challenge(random.Random(1), nonce="n").steps == new_challenge(random.Random(1)).steps
    with pytest.raises(ValueError, match="2 or 3 steps"):
        new_challenge(n=4)
    assert c.to_dict()["steps"] == list(c.steps)


# --- scripted 68-point landmark sequences: geometry and tracker together ---------------


def landmark_stream(
    base: np.ndarray, script_: list[tuple[str, int]], seed: int = 0
) -> list[tuple[float, Pose]]:
    rng = np.random.default_rng(seed)
    out = []
    for kind, n in script_:
        for _k in range(n):
            amount = 1.0 if kind != "neutral" else 0.0
            pts = base + (amount * synth_video.displacement(base, kind) if amount else 0)
            pts = pts + rng.normal(0, 0.4, pts.shape)  # landmark jitter of about half a pixel
            out.append(pose(pts))
    return [(i / FPS, p) for i, p in enumerate(out)]


@pytest.mark.parametrize(
    "steps",
    [
        ("blink", "turn_left"),
        ("turn_right", "open_mouth", "blink"),
        ("open_mouth", "turn_left", "turn_right"),
    ],
)
def test_landmark_sequences_pass_the_challenge_they_perform(photo, steps) -> None:
    _, base = photo("tests_obama.jpg")
    segments: list[tuple[str, int]] = [N]
    for s in steps:
        segments += [(s, 2 if s == "blink" else 5), N]
    assert run(challenge(*steps), landmark_stream(base, segments)).passed


def test_landmark_geometry_directions(photo) -> None:
    _, base = photo("tests_biden.jpg")
    neutral = pose(base)
    assert pose(base + synth_video.displacement(base, "turn_left")).yaw > neutral.yaw + 0.1
    assert pose(base + synth_video.displacement(base, "turn_right")).yaw < neutral.yaw - 0.1
    assert pose(base + synth_video.displacement(base, "open_mouth")).mar > neutral.mar + 0.25
    closed = base + synth_video.displacement(base, "blink")
    assert eye_aspect_ratio(closed) < 0.2 * eye_aspect_ratio(base)
    with pytest.raises(ValueError, match="expected 68×2 landmarks"):
        pose(base[:5])


def test_session_must_start_facing_the_camera() -> None:
    turned = script(N, ("turn_left", 5), N, yaw=0.75)
    assert run(challenge("turn_left"), turned).reasons == ["not_frontal"]
    assert run(challenge("turn_left"), script(N, ("turn_left", 5), N, yaw=0.6)).passed


def _late_frontal(first_yaw: float, rest_yaw: float, *steps: str) -> list[tuple[float, Pose]]:
    """A first still window turned (glare on glasses, exposure settling, a person not yet
    facing the screen), then the person faces the camera at ``rest_yaw`` and does the steps."""
    turned = script(N, yaw=first_yaw)
    rest = script(N, *[seg for a in steps for seg in ((a, 2 if a == "blink" else 5), N)], yaw=rest_yaw)
    return turned + [(len(turned) / FPS + t, p) for t, p in rest]


@pytest.mark.parametrize("first_yaw", [0.72, 0.75, 0.28, 0.25])
@pytest.mark.parametrize("rest_yaw", [0.5, 0.44, 0.57])
@pytest.mark.parametrize(
    "steps", [("turn_left", "open_mouth"), ("turn_right", "blink"), ("open_mouth", "turn_right")]
)
def test_a_late_frontal_neutral_is_waited_for(
    first_yaw: float, rest_yaw: float, steps: tuple[str, ...]
) -> None:
    """``not_frontal`` used to fire on the first still window, with no second chance."""
    t = run(challenge(*steps), _late_frontal(first_yaw, rest_yaw, *steps))
    assert t.passed, t.reasons


@pytest.mark.parametrize("first_yaw", [0.72, 0.28])
def test_coming_to_face_the_camera_is_no_step(first_yaw: float) -> None:
    """The way from a turned start to the camera is a turn from that start, but no step is
    awaited before the neutral faces the camera: it counts for nothing."""
    towards = "turn_right" if first_yaw > 0.5 else "turn_left"
    t = run(challenge(towards, "open_mouth"), _late_frontal(first_yaw, 0.5))
    assert t.reasons == [f"challenge_not_met:{towards}"]


def test_never_facing_the_camera_is_refused_at_the_end() -> None:
    t = run(challenge("open_mouth", "blink"), _late_frontal(0.75, 0.73, "open_mouth", "blink"))
    assert t.reasons == ["not_frontal"] and not t.passed


# --- an action is a change from the person's own neutral state ---------------------------


def poses(
    *segments: tuple[int, float, float, float], noise: tuple[float, float, float] = (0, 0, 0), seed: int = 0
) -> list[tuple[float, Pose]]:
    """``(n, ear, mar, yaw)`` segments with Gaussian jitter ``noise`` (ear relative, mar, yaw)."""
    rng = np.random.default_rng(seed)
    out = [
        Pose(
            ear=e * (1 + rng.normal(0, noise[0])),
            mar=m + rng.normal(0, noise[1]),
            yaw=y + rng.normal(0, noise[2]),
        )
        for n, e, m, y in segments
        for _ in range(n)
    ]
    return [(i / FPS, p) for i, p in enumerate(out)]


def test_a_return_to_centre_is_not_a_turn() -> None:
    """The person starts a little turned, faces the camera, then does the steps."""
    frames = poses(
        (8, 0.3, 0.05, 0.62),
        (10, 0.3, 0.05, 0.5),
        (2, 0.09, 0.05, 0.5),
        (8, 0.3, 0.05, 0.5),
        (5, 0.3, 0.05, 0.76),
        (8, 0.3, 0.05, 0.5),
    )
    t = run(challenge("blink", "turn_left"), frames)
    assert t.passed, t.reasons


def test_jumpy_landmarks_while_exposure_settles_set_no_baseline() -> None:
    """Dark first frames put the landmarks off and jumping; the neutral state comes after."""
    settling = [(1, 0.3, 0.05, 0.36 + 0.05 * (k % 2)) for k in range(6)]
    frames = poses(*settling, (10, 0.3, 0.05, 0.5), (5, 0.3, 0.55, 0.5), (8, 0.3, 0.05, 0.5))
    t = run(challenge("open_mouth", "blink"), frames)
    assert t.reasons == ["challenge_not_met:blink"] and t.steps()[0]["done"]


@pytest.mark.parametrize("seed", range(20))
def test_a_held_smile_with_narrowed_eyes_performs_nothing(seed: int) -> None:
    """A still photo: eyes narrowed and mouth open from the start, the landmarks jittering
    on its teeth and lids. Its state looks like the actions; it never changes. (Lid jitter
    can still pass for a blink now and then; every challenge also has a turn or an open
    mouth, which it never does, and ``check_video`` names the still face.)"""
    frames = poses((60, 0.17, 0.35, 0.5), noise=(0.12, 0.07, 0.01), seed=seed)
    t = run(challenge("open_mouth", "blink"), frames)
    assert not t.passed and t.reasons == ["challenge_not_met:open_mouth"]
    t = run(challenge("blink", "open_mouth"), frames)
    assert not t.passed and not t.steps()[1]["done"]


def test_a_turn_counts_from_the_persons_own_neutral_not_from_the_image_centre() -> None:
    """A face whose frontal yaw proxy sits at 0.64 (asymmetry, camera a little aside)
    turns right to 0.45: 0.19 from its neutral, though still short of the centre line."""
    frames = poses((8, 0.3, 0.05, 0.64), (5, 0.3, 0.05, 0.45), (8, 0.3, 0.05, 0.64))
    assert run(challenge("turn_right"), frames).passed


def test_a_wrong_turn_counts_once_it_returns_to_neutral() -> None:
    frames = poses(
        (8, 0.3, 0.05, 0.5),
        (6, 0.3, 0.05, 0.3),
        (8, 0.3, 0.05, 0.5),
        (5, 0.3, 0.05, 0.72),
        (8, 0.3, 0.05, 0.5),
    )
    t = run(challenge("turn_left"), frames)
    assert t.reasons == ["unexpected_action:turn_right"] and not t.steps()[0]["done"]


# --- coming back to neutral between steps is judged over time, not on one frame ----------


def at(frames: list[tuple[float, Pose]], fps: float) -> list[tuple[float, Pose]]:
    """The same poses at another frame rate."""
    return [(i / fps, p) for i, (_, p) in enumerate(frames)]


def glitched_turn(after: str, fps: float = FPS, glitch: int = 2) -> list[tuple[float, Pose]]:
    """A held turn_left in which the landmarks snap to the neutral shape for ``glitch``
    frames, then the step ``after`` once back at neutral."""
    turn = round(fps * 0.35)  # the turn is held about a second in all
    held = ("turn_left", turn), ("neutral", glitch), ("turn_left", 2 * turn)
    n = ("neutral", round(fps * 0.55))
    blink = max(2, round(fps * 0.1))  # eyes shut about 0.1 s
    return at(script(n, *held, n, (after, blink if after == "blink" else 5), n), fps)


@pytest.mark.parametrize("after", ["blink", "open_mouth", "turn_right"])
@pytest.mark.parametrize("fps", [15.0, 30.0])
def test_a_glitch_to_neutral_in_a_held_turn_is_not_a_return(after: str, fps: float) -> None:
    """The rest of the held turn after the glitch is the step already done, not a wrong
    action (seen in Chromium: 3 of 8 genuine runs refused as unexpected_action)."""
    t = run(challenge("turn_left", after), glitched_turn(after, fps))
    assert t.passed, t.reasons


def test_a_longer_glitch_at_a_high_frame_rate_is_not_a_return() -> None:
    """Three frames at 60 fps last 0.05 s: fewer than ``NEUTRAL_HOLD_S``."""
    assert run(challenge("turn_left", "blink"), glitched_turn("blink", 60.0, glitch=3)).passed


def test_a_glitch_spread_by_dropped_frames_is_not_a_return() -> None:
    """Two glitched frames a third of a second apart (the frames between dropped): longer
    than ``NEUTRAL_HOLD_S``, but two frames only."""
    frames = glitched_turn("blink")
    first = next(i for i, (_, p) in enumerate(frames) if p.yaw > 0.6)
    glitch = first + 5
    times = [t + (0.3 if i > glitch else 0.0) for i, (t, _) in enumerate(frames)]
    assert frames[glitch][1].yaw == frames[glitch + 1][1].yaw == 0.5
    assert run(
        challenge("turn_left", "blink"), [(s, p) for s, (_, p) in zip(times, frames, strict=True)]
    ).passed


def test_a_wrong_turn_after_a_glitch_is_still_refused() -> None:
    frames = script(N, ("turn_left", 5), ("neutral", 2), ("turn_left", 10), N, ("turn_right", 6), N)
    assert run(challenge("turn_left", "blink"), frames).reasons == ["unexpected_action:turn_right"]


def test_a_swing_through_the_centre_rearms_for_the_next_step() -> None:
    """From one turn straight to the other: the centre is crossed in a frame, and the next
    turn counts, as the step asked for or as a wrong action."""
    frames = script(N, ("turn_left", 6), ("neutral", 1), ("turn_right", 6), N)
    assert run(challenge("turn_left", "turn_right"), frames).passed
    assert run(challenge("turn_left", "open_mouth"), frames).reasons == ["unexpected_action:turn_right"]


def test_a_blink_right_on_the_return_counts() -> None:
    """The blink asked for comes before the neutral has held ``NEUTRAL_HOLD_S``."""
    frames = script(N, ("turn_left", 6), ("neutral", 1), ("blink", 2), N)
    assert run(challenge("turn_left", "blink"), frames).passed


def test_a_held_neutral_rearms_at_a_low_frame_rate() -> None:
    """A browser that kept one frame in four (4 fps): the return holds over few frames."""
    frames = at(
        script(("neutral", 6), ("turn_left", 3), ("neutral", 3), ("open_mouth", 2), ("neutral", 3)), 4.0
    )
    assert run(challenge("turn_left", "open_mouth"), frames).passed


def test_a_turn_past_the_centre_does_not_become_the_neutral() -> None:
    """A neutral at 0.62 (a face not quite frontal), a held turn right to 0.42, back: the
    turn is nearer the centre, but on its other side. Made the neutral, it would cancel
    itself as a wrong action and make the way back a turn_left (seen on a replay of
    turn_left, turn_right against the challenge in reverse)."""
    frames = poses((8, 0.3, 0.05, 0.62), (10, 0.3, 0.05, 0.42), (8, 0.3, 0.05, 0.62))
    assert run(challenge("turn_left"), frames).reasons == ["unexpected_action:turn_right"]


def turn_near_the_centre(rest: float, peak: float, *then: tuple[int, float, float, float], seed: int = 0):
    """A face resting off-centre (``rest``, within ``FRONTAL``) turns towards the centre to
    ``peak``, holds it, comes back; then ``then``. Landmark jitter 0.01."""
    mid = (rest + peak) / 2
    frames = [(10, 0.3, 0.05, rest), (2, 0.3, 0.05, mid), (8, 0.3, 0.05, peak), (2, 0.3, 0.05, mid)]
    return poses(*frames, (12, 0.3, 0.05, rest), *then, noise=(0, 0, 0.01), seed=seed)


@pytest.mark.parametrize(("rest", "peak"), [(0.62, 0.47), (0.64, 0.45), (0.6, 0.46), (0.38, 0.53)])
@pytest.mark.parametrize("seed", range(3))
def test_a_turn_held_near_the_centre_is_not_a_settling(rest: float, peak: float, seed: int) -> None:
    """The held turn faces the camera, but it is the step's pose: taken for the person
    settling to face the camera (a new neutral), it made the way back a wrong turn and
    refused the person (main: refused 10/10 at 0.62 -> 0.47)."""
    turn = "turn_right" if peak < rest else "turn_left"
    frames = turn_near_the_centre(rest, peak, (6, 0.3, 0.5, rest), (10, 0.3, 0.05, rest), seed=seed)
    t = run(challenge(turn, "open_mouth"), frames)
    assert t.passed, t.reasons


@pytest.mark.parametrize(("rest", "peak"), [(0.62, 0.47), (0.64, 0.45), (0.6, 0.46), (0.38, 0.53)])
@pytest.mark.parametrize("seed", range(3))
def test_one_turn_and_back_does_not_perform_both_turns(rest: float, peak: float, seed: int) -> None:
    """The same single turn against a challenge of both turns: the way back to rest is no
    second turn (main passed it, 37/40: the held turn became the neutral and rearmed)."""
    first, second = ("turn_right", "turn_left") if peak < rest else ("turn_left", "turn_right")
    t = run(challenge(first, second), turn_near_the_centre(rest, peak, (5, 0.3, 0.05, rest), seed=seed))
    assert not t.passed and t.reasons == [f"challenge_not_met:{second}"]


@pytest.mark.parametrize(("rest", "peak", "back"), [(0.62, 0.82, 0.5), (0.38, 0.18, 0.5), (0.6, 0.8, 0.49)])
@pytest.mark.parametrize("seed", range(3))
def test_facing_the_camera_after_a_turn_away_from_it_is_back(rest, peak, back, seed: int) -> None:
    """A face resting off-centre turns away from the centre and comes back facing the
    camera, past its rest: that does not hold the turn, so it rearms for the next step
    (c11ed43 asked any return to stay within a turn of the rest, and missed the step)."""
    frames = poses(
        (10, 0.3, 0.05, rest),
        (8, 0.3, 0.05, peak),
        (12, 0.3, 0.05, back),
        (6, 0.3, 0.5, back),
        (10, 0.3, 0.05, back),
        noise=(0, 0, 0.01),
        seed=seed,
    )
    t = run(challenge("turn_left" if peak > rest else "turn_right", "open_mouth"), frames)
    assert t.passed, t.reasons


# yaw proxy of a tuning video (image_T1 turned back 19 degrees, i.i.d. quiet sensor on
# dark skin, 3-D turn right of 25 degrees at 15 fps): resting at 0.63, the turn reached 0.51
# only and sat there, still, before two frames had passed 0.10
SHALLOW_TURN = [0.637, 0.63, 0.634, 0.613, 0.611, 0.605, 0.611, 0.609, 0.624, 0.621, 0.644, 0.639]
SHALLOW_TURN += [0.643, 0.604, 0.582, 0.592, 0.538, 0.512, 0.531, 0.543, 0.513, 0.533, 0.511, 0.52]
SHALLOW_TURN += [0.476, 0.519, 0.487, 0.523, 0.512, 0.552, 0.573, 0.6, 0.62, 0.63]


def test_a_shallow_turn_held_still_is_the_turn_asked_for_not_a_new_neutral() -> None:
    """Main made the still, held turn the neutral (the person facing the camera at last),
    missed the turn, and took the way back for a turn left."""
    turn = [(1, 0.3, 0.05, y) for y in SHALLOW_TURN]
    frames = poses(*turn, (8, 0.3, 0.05, 0.63), (6, 0.3, 0.5, 0.63), (8, 0.3, 0.05, 0.63))
    t = run(challenge("turn_right", "open_mouth"), frames)
    assert t.passed, t.reasons


BLINK_AT = 2.55  # between the turn and the open mouth


def performed(t: float, wrong_s: float = 0.0, shut_s: float | None = None) -> Pose:
    """A person's poses as a function of time (seconds): neutral, an optional wrong turn
    right lasting ``wrong_s``, turn_left (1.5–2.3 s), neutral, an optional blink from
    ``BLINK_AT`` (lids down in 0.08 s, shut ``shut_s``, up in 0.08 s), open_mouth
    (3.0–3.7 s), neutral."""
    ear = 0.3
    if shut_s is not None and BLINK_AT <= t < BLINK_AT + shut_s + 0.16:
        u = t - BLINK_AT
        ear = 0.3 * (1 - 0.8 * min(u / 0.08, 1.0, (BLINK_AT + shut_s + 0.16 - t) / 0.08))
    if 1.0 <= t < 1.0 + wrong_s:
        return Pose(ear=ear, mar=0.05, yaw=0.3)
    if 1.5 <= t < 2.3:
        return Pose(ear=ear, mar=0.05, yaw=0.5 + 0.2 * min((t - 1.5) / 0.15, 1.0))
    if 3.0 <= t < 3.7:
        return Pose(ear=ear, mar=0.05 + 0.5 * min((t - 3.0) / 0.15, 1.0), yaw=0.5)
    return Pose(ear=ear, mar=0.05, yaw=0.5)


def schedule(kind: str) -> list[float]:
    """Frame times over 4.5 s: 15 fps, 30 fps, or what a loaded browser keeps of 30 fps
    (about 40 % of the frames, gaps from 33 ms to 200 ms)."""
    if kind != "variable":
        fps = float(kind)
        return [i / fps for i in range(int(4.5 * fps))]
    rng = np.random.default_rng(17)
    times = [0.0]
    for i in range(1, 135):
        t = i / 30
        if rng.random() < 0.4 or t - times[-1] >= 0.2:
            times.append(t)
    return times


@pytest.mark.parametrize("rate", ["15", "30", "60", "variable"])
@pytest.mark.parametrize(
    ("wrong_s", "shut_s", "reasons"),
    [
        (0.0, None, []),
        (0.15, None, []),
        (0.6, None, ["unexpected_action:turn_right"]),
        (0.0, 0.05, []),
        (0.15, 0.05, []),
        (0.0, 1.0, ["unexpected_action:open_mouth"]),
    ],
)
def test_the_same_motion_gets_the_same_decision_at_any_frame_rate(
    rate: str, wrong_s: float, shut_s: float | None, reasons: list[str]
) -> None:
    """Holds, the neutral and the blink are durations: a 0.15 s wrong turn is a glitch at
    15 fps (2 frames), at 60 fps (9 frames) and when a browser drops frames; 0.6 s is an
    action. A blink whose eyes are under the closed threshold for about 0.15 s counts
    whether one frame (15 fps, dropped frames) or nine (60 fps) see it; eyes shut for a
    second are no blink, and the open mouth then comes out of order."""
    times = schedule(rate)
    frames = [(s, performed(s, wrong_s, shut_s)) for s in times]
    steps = ("turn_left", "open_mouth") if shut_s is None else ("turn_left", "blink", "open_mouth")
    if shut_s is not None:
        assert any(p.ear < 0.2 for _, p in frames)  # some frame saw the eyes shut
    t = run(challenge(*steps), frames)
    assert t.reasons == reasons
    assert t.passed == (not reasons)
    if not reasons:
        assert t.steps()[0]["t"] == pytest.approx(1.6, abs=0.25)
    if shut_s is not None and not reasons:
        assert t.steps()[1]["t"] == pytest.approx(BLINK_AT + 0.1, abs=0.2)


@pytest.mark.parametrize("phase", np.arange(0, 1, 0.125))
def test_a_blink_between_sparse_frames_is_seen_in_one_frame(phase: float) -> None:
    """At 8 fps (a loaded browser's VP8) a blink's closure shows in one frame at most,
    whatever its phase against the frames; when it shows, it counts."""
    times = [(i + phase) / 8 for i in range(36)]
    frames = [(s, performed(s, shut_s=0.05)) for s in times]
    shut = sum(p.ear < 0.21 for _, p in frames)
    t = run(challenge("turn_left", "blink", "open_mouth"), frames)
    assert t.passed == (shut >= 1), (shut, t.reasons)


@pytest.mark.parametrize("glitch", [1, 2])
def test_a_landmark_glitch_at_a_high_frame_rate_is_no_blink(glitch: int) -> None:
    """One or two closed frames at 60 fps last 17–33 ms: no eye shuts that briefly. The
    same closure over 0.1 s passes; so does one closed frame at 15 fps, which stands for
    67 ms."""
    n = ("neutral", 30)
    assert not run(challenge("blink"), at(script(n, ("blink", glitch), n), 60.0)).passed
    assert run(challenge("blink"), at(script(n, ("blink", 6), n), 60.0)).passed
    assert run(challenge("blink"), at(script(("neutral", 8), ("blink", 1), ("neutral", 8)), 15.0)).passed


def test_a_shallow_one_frame_closure_in_jittery_lids_is_no_blink() -> None:
    """Lids whose EAR jitters by 5 %: one frame at 60 % of the open EAR is under the closed
    threshold but within five σ of it, so one frame does not count; two in a row do."""
    jitter = [(1, 0.3 * (1.05 if k % 2 else 0.95), 0.05, 0.5) for k in range(16)]
    one = poses(*jitter, (1, 0.18, 0.05, 0.5), *jitter)
    two = poses(*jitter, (2, 0.18, 0.05, 0.5), *jitter)
    assert not run(challenge("blink"), one).passed
    assert run(challenge("blink"), two).passed


# --- a still head under noisy landmarks (glare on glasses) -------------------------------

GLARE_JITTER = (0.0, 0.0, 0.028)  # yaw σ: about 0.04 from frame to frame, wider than the neutral band


@pytest.mark.parametrize("seed", range(8))
def test_a_still_head_under_jittery_landmarks_has_a_neutral(seed: int) -> None:
    """Glare on glasses: the yaw proxy jitters 0.04 a frame. The head is still all the
    same; a fixed band left no neutral (``too_few_frames``) and no step could count."""
    frames = poses(
        (12, 0.3, 0.05, 0.5),
        (6, 0.3, 0.05, 0.72),
        (12, 0.3, 0.05, 0.5),
        (6, 0.3, 0.6, 0.5),
        (12, 0.3, 0.05, 0.5),
        noise=GLARE_JITTER,
        seed=seed,
    )
    t = run(challenge("turn_left", "open_mouth"), frames)
    assert t.passed, t.reasons


@pytest.mark.parametrize("seed", range(8))
def test_a_turning_head_under_jittery_landmarks_is_no_neutral(seed: int) -> None:
    """The same jitter on a head turning all along (0.5 of yaw proxy a second, a 20° turn in
    0.4 s): no window of it holds still, however noisy the landmarks."""
    rng = np.random.default_rng(seed)
    ts = np.arange(14) / FPS
    yaw = 0.3 + 0.5 * ts + rng.normal(0, GLARE_JITTER[2], len(ts))
    frames = [(float(t), Pose(ear=0.3, mar=0.05, yaw=float(y))) for t, y in zip(ts, yaw, strict=True)]
    assert run(challenge("turn_left", "open_mouth"), frames).reasons == ["too_few_frames"]


def test_glare_jitter_still_sets_the_persons_own_neutral() -> None:
    """At the jitter measured on a glasses video (yaw σ 0.035), a head held still for two
    seconds gets its neutral every time, and at its own yaw; the fixed band found none in
    some sessions."""
    for seed in range(20):
        frames = poses((30, 0.3, 0.05, 0.55), noise=(0.0, 0.0, 0.035), seed=seed)
        t = run(challenge("turn_left", "open_mouth"), frames)
        assert t.base.ready, seed
        assert abs(t.base.yaw() - 0.55) < 0.05, seed
