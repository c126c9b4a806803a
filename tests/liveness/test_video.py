"""Active liveness end to end on generated video: bona fide passes, each attack fails with its reason."""

from __future__ import annotations

import itertools
from pathlib import Path

import cv2
import numpy as np
import pytest

from kyc_sdk.errors import ImageRejected
from kyc_sdk.liveness import Challenge, check_video, synth, synth_video
from kyc_sdk.liveness import frames as framing
from kyc_sdk.once import MemoryOnce

pytestmark = pytest.mark.slow  # seconds, not milliseconds: `make check` leaves it out

NOW = 1_000.0


def challenge(steps: tuple[str, ...], nonce: str = "n-1") -> Challenge:
    return Challenge(steps, nonce, NOW - 5.0, 30.0)


@pytest.fixture(scope="module")
def bona_fide(obama_video):
    steps, frames = obama_video
    return challenge(steps), frames


def test_bona_fide_video_passes(bona_fide) -> None:
    c, frames = bona_fide
    r = check_video(frames, challenge=c, now=NOW)
    assert r.live and r.reasons == () and r.method == "active", r.reasons
    assert [s["action"] for s in r.challenges] == list(c.steps) and all(s["done"] for s in r.challenges)
    assert r.score >= 0.5 and r.to_dict()["challenges"][0]["t"] is not None


def test_video_file_through_opencv(bona_fide, tmp_path: Path) -> None:
    c, frames = bona_fide
    path = tmp_path / "capture.avi"
    writer = cv2.VideoWriter(
        str(path), cv2.VideoWriter_fourcc(*"MJPG"), 15.0, (frames[0][1].shape[1], frames[0][1].shape[0])
    )
    for _, rgb in frames:
        writer.write(np.ascontiguousarray(rgb[:, :, ::-1]))
    writer.release()
    decoded = framing.read_video(path)
    assert len(decoded) == len(frames) and all(b.t > a.t for a, b in itertools.pairwise(decoded))
    r = check_video(path.read_bytes(), challenge=c, now=NOW)
    assert r.live, r.reasons


def test_replay_that_ignores_the_challenge_fails(photo) -> None:
    rgb, points = photo("tests_obama.jpg")
    recorded = synth_video.animate(rgb, points, ("turn_right", "blink"), np.random.default_rng(2))
    r = check_video(recorded, challenge=challenge(("turn_left", "open_mouth")), now=NOW)
    assert not r.live and any(x.startswith(("unexpected_action", "challenge_not_met")) for x in r.reasons)


def test_still_photo_video_fails_as_static(photo) -> None:
    rgb, _ = photo("tests_obama.jpg")
    r = check_video(
        synth_video.still_video(rgb, np.random.default_rng(3), 3.0),
        challenge=challenge(("blink", "turn_left")),
        now=NOW,
    )
    assert not r.live and "static_face" in r.reasons and "challenge_not_met:blink" in r.reasons


def test_single_photo_repeated_fails_as_duplicates(photo) -> None:
    rgb, _ = photo("tests_obama.jpg")
    r = check_video([rgb] * 20, challenge=challenge(("blink", "turn_left")), now=NOW)
    assert not r.live and "duplicate_frame" in r.reasons and "static_face" in r.reasons


def test_duplicated_frame_fails(bona_fide) -> None:
    c, frames = bona_fide
    t_next = frames[-1][0] + 1 / 15
    r = check_video([*frames, (t_next, frames[10][1])], challenge=c, now=NOW)
    assert not r.live and "duplicate_frame" in r.reasons


def test_frames_out_of_order_fail(bona_fide) -> None:
    c, frames = bona_fide
    swapped = list(frames)
    swapped[20], swapped[30] = swapped[30], swapped[20]
    r = check_video(swapped, challenge=c, now=NOW)
    assert not r.live and "frames_out_of_order" in r.reasons


def test_face_swapped_mid_video_fails(bona_fide, photo) -> None:
    c, frames = bona_fide
    other, _ = photo("knn_train_biden_biden2.jpg")
    tail = synth_video.still_video(other, np.random.default_rng(4), 1.5)
    t0 = frames[-1][0]
    r = check_video(frames + [(t0 + 0.1 + t, img) for t, img in tail], challenge=c, now=NOW)
    assert not r.live and "face_changed" in r.reasons


@pytest.mark.xfail(
    strict=True,
    reason="known gap: this 'screen' is the live frames desaturated with a blue cast and no "
    "screen trace; only the removed skin-chroma floor refused it (issue 14: the floor refused "
    "honest pale skin)",
)
def test_screen_replay_of_a_live_session_fails_on_passive_cues(bona_fide) -> None:
    c, frames = bona_fide
    rng = np.random.default_rng(6)
    shown = [(t, _screen(img, rng)) for t, img in frames]
    r = check_video(shown, challenge=c, now=NOW)
    assert not r.live and {"low_skin_chroma", "periodic_texture"} & set(r.reasons)


def _screen(rgb: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """The live frames shown on a screen and re-filmed (same geometry, so the track holds)."""
    grey = rgb.mean(axis=2, keepdims=True)
    f = (grey + (rgb - grey) * 0.35) * np.array([0.9, 0.97, 1.08])
    return synth.jpeg(np.clip(f + rng.normal(0, 2, f.shape), 0, 255).astype(np.uint8), 90)


def test_expired_challenge(bona_fide) -> None:
    c, frames = bona_fide
    late = check_video(frames, challenge=c, now=NOW + 60)
    assert not late.live and "challenge_expired" in late.reasons


def test_reused_nonce_is_refused_through_the_guard(bona_fide) -> None:
    """A previous session's video sent again with its challenge: the nonce is spent once."""
    c, frames = bona_fide
    once = MemoryOnce()
    assert check_video(frames, challenge=c, now=NOW, once=once).live
    again = check_video(frames, challenge=c, now=NOW + 1, once=once)
    assert not again.live and "challenge_reused" in again.reasons
    other = check_video(frames, challenge=challenge(c.steps, nonce="n-2"), now=NOW + 1, once=once)
    assert other.live, other.reasons  # only that nonce is spent


def test_reused_nonce_spent_before_any_frame_is_read() -> None:
    once = MemoryOnce()
    c = challenge(("blink", "turn_left"))
    with pytest.raises(ImageRejected):
        check_video(b"not a video", challenge=c, now=NOW, once=once)
    assert not once.first_use("liveness_nonce", c.nonce, expires_at=c.expires_at, now=NOW)


def test_used_nonce_set_still_works_but_is_deprecated(bona_fide) -> None:
    c, frames = bona_fide
    used: set[str] = set()
    with pytest.warns(DeprecationWarning, match="pass once=<OnceGuard>"):
        assert check_video(frames, challenge=c, now=NOW, used_nonces=used).live
    with pytest.warns(DeprecationWarning, match="pass once=<OnceGuard>"):
        again = check_video(frames, challenge=c, now=NOW, used_nonces=used)
    assert not again.live and "challenge_reused" in again.reasons and used == {c.nonce}


def test_no_face_and_two_faces(shared_data: Path, photo) -> None:
    blank = [np.full((240, 320, 3), v, np.uint8) for v in range(10, 40)]
    r = check_video(blank, challenge=challenge(("blink", "turn_left")), now=NOW)
    assert not r.live and "no_face" in r.reasons
    from kyc_sdk.imaging import load_rgb

    two = load_rgb(shared_data / "faces" / "examples_two_people.jpg")
    clip = synth_video.still_video(two, np.random.default_rng(8), 1.0)
    r = check_video(clip, challenge=challenge(("blink", "turn_left")), now=NOW)
    assert not r.live and "multiple_faces" in r.reasons


@pytest.mark.parametrize("bad", [b"", b"\x00" * 1000, [np.zeros((4, 4), np.uint8)], []])
def test_unreadable_video_is_rejected(bad) -> None:
    with pytest.raises(ImageRejected):
        check_video(bad, challenge=challenge(("blink", "turn_left")), now=NOW)


def test_too_many_frames_is_rejected() -> None:
    tiny = np.zeros((16, 16, 3), np.uint8)
    with pytest.raises(ImageRejected) as exc:
        framing.from_arrays(itertools.repeat(tiny))
    assert exc.value.reason == "video_too_large"


def test_integrity_rules() -> None:
    a, b = np.zeros((16, 16, 3), np.uint8), np.ones((16, 16, 3), np.uint8)
    ok = framing.from_arrays([(0.0, a), (0.1, b)])
    assert framing.integrity(ok) == []
    assert framing.integrity(framing.from_arrays([(0.1, a), (0.1, b)])) == ["frames_out_of_order"]
    assert framing.integrity(framing.from_arrays([a, b, a])) == ["duplicate_frame"]


def test_large_video_frames_are_scaled_down_and_oversized_refused(tmp_path: Path) -> None:
    def write(name: str, size: tuple[int, int], n: int) -> Path:
        path = tmp_path / name
        writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 15.0, size)
        for i in range(n):
            writer.write(np.full((size[1], size[0], 3), 10 * i, np.uint8))
        writer.release()
        return path

    frames = framing.read_video(write("hd.avi", (1280, 720), 5))
    assert len(frames) == 5 and max(frames[0].rgb.shape[:2]) == framing.WORK_SIDE
    with pytest.raises(ImageRejected) as exc:
        framing.read_video(write("huge.avi", (2560, 1440), 2))
    assert exc.value.reason == "too_many_pixels"


def test_short_splice_of_another_face_is_caught_at_the_cut(bona_fide, photo) -> None:
    c, frames = bona_fide
    other, _ = photo("knn_train_biden_biden2.jpg")
    spliced = list(frames)
    for i in range(8, 16):  # away from the first, middle and last frames that are always encoded
        spliced[i] = (frames[i][0], synth_video.still_video(other, np.random.default_rng(i), 0.1)[0][1])
    r = check_video(spliced, challenge=c, now=NOW)
    assert not r.live and "face_changed" in r.reasons


# --- video attack species and hard genuine captures (kyc_sdk.liveness.synth_video) ------


def _challenge(*steps: str) -> Challenge:
    return challenge(tuple(steps))


def test_still_photo_of_a_smile_with_narrowed_eyes_is_a_still_expression(photo) -> None:
    """Its open mouth and narrowed eyes are a state, not a change: no step is done."""
    rgb, points = photo("tests_obama.jpg")
    shown = synth_video.still_expression(rgb, points, np.random.default_rng(1), 3.0)
    r = check_video(shown, challenge=_challenge("open_mouth", "blink"), now=NOW)
    assert not r.live and not any(s["done"] for s in r.challenges)
    assert "still_expression" in r.reasons and "challenge_not_met:open_mouth" in r.reasons


def test_blinking_cut_out_is_refused_as_a_cut_out(photo) -> None:
    """Live eyes blink through the holes; the sheet around them only moves as a plane."""
    rgb, points = photo("tests_obama.jpg")
    mask = synth_video.cutout(rgb, points, ("blink", "turn_left"), np.random.default_rng(0), tilt=4.0)
    r = check_video(mask, challenge=_challenge("blink", "turn_left"), now=NOW)
    assert not r.live and "cutout_mask" in r.reasons and r.cues["deformation"] < 0.012


def test_print_moved_in_front_of_the_camera_is_planar(photo) -> None:
    rgb, _ = photo("tests_obama.jpg")
    r = check_video(
        synth_video.print_moved(rgb, np.random.default_rng(0), 3.0),
        challenge=_challenge("blink", "open_mouth"),
        now=NOW,
    )
    assert not r.live and "planar_face" in r.reasons


def test_a_person_who_sat_turned_and_faces_the_camera_has_not_turned(photo) -> None:
    """The return to centre is a change in yaw, but towards the camera: not turn_right."""
    rgb, points = photo("tests_obama.jpg")
    steps = ("turn_left", "open_mouth")
    video = synth_video.animate(rgb, points, steps, np.random.default_rng(0), start_yaw=20.0)
    r = check_video(video, challenge=_challenge(*steps), now=NOW)
    assert r.live and r.reasons == (), r.reasons


def test_genuine_video_under_exposure_and_white_balance_drift_passes(photo) -> None:
    rgb, points = photo("tests_obama.jpg")
    steps = ("turn_right", "open_mouth")
    drift = synth_video.Capture(exposure_settle_s=1.5, wb_drift=0.2)
    video = synth_video.animate(rgb, points, steps, np.random.default_rng(0), capture=drift)
    assert video[0][1].mean() < 0.6 * video[-1][1].mean()  # it starts dark
    r = check_video(video, challenge=_challenge(*steps), now=NOW)
    assert r.live and r.reasons == (), r.reasons


def test_frames_injected_without_a_camera_are_refused(photo) -> None:
    rgb, points = photo("tests_obama.jpg")
    steps = ("turn_left", "open_mouth")
    rendered = synth_video.injected(rgb, points, steps, np.random.default_rng(0), mode="jpeg")
    r = check_video(rendered, challenge=_challenge(*steps), now=NOW)
    assert not r.live and "injected_frames" in r.reasons and r.cues["camera_noise"] < 0.5


def test_live_relay_on_a_screen_is_refused(photo) -> None:
    """The right challenge, performed live and shown on a banding screen."""
    rgb, points = photo("tests_obama.jpg")
    steps = ("turn_left", "open_mouth")
    rng = np.random.default_rng(0)
    relayed = synth_video.on_screen(synth_video.animate(rgb, points, steps, rng), rng)
    r = check_video(relayed, challenge=_challenge(*steps), now=NOW)
    assert not r.live and "screen_replay" in r.reasons


def test_frames_of_mixed_sizes_are_judged_not_crashed(photo) -> None:
    rgb, _ = photo("tests_obama.jpg")
    rng = np.random.default_rng(5)
    frames = [
        synth.jpeg(np.clip(rgb + rng.normal(0, 2, rgb.shape), 0, 255).astype(np.uint8), 90)
        if i % 2
        else np.ascontiguousarray(rgb[: 400 + i, : 300 + i])
        for i in range(12)
    ]
    r = check_video(frames, challenge=_challenge("blink", "turn_left"), now=NOW)
    assert not r.live and r.reasons


def test_a_glitch_to_neutral_in_a_held_turn_does_not_fail_a_genuine_person(photo) -> None:
    """Chromium's recordings showed the landmarks snapping to a frontal shape for two frames
    in the middle of a held turn. Here two frames of the held turn are swapped for frames of
    the neutral lead (brightened one grey level: not duplicates), which the tracker sees
    the same way: the rest of the turn is the step already done, not an unexpected one."""
    rgb, points = photo("tests_obama.jpg")
    steps = ("turn_left", "blink")
    video = synth_video.animate(rgb, points, steps, np.random.default_rng(4))
    up = synth_video.TIMING["turn_left"][0]
    held = int(synth_video.LEAD_S * 15) + int(np.ceil(up * 15)) + 1  # the second frame of the hold
    for k in (0, 1):
        neutral = np.clip(video[3 + k][1].astype(np.int16) + 1, 0, 255).astype(np.uint8)
        video[held + k] = (video[held + k][0], neutral)
    r = check_video(video, challenge=_challenge(*steps), now=NOW)
    assert r.live and r.reasons == (), r.reasons


@pytest.mark.parametrize("condition", ["beard", "dark_skin"])
def test_a_bearded_or_dark_skinned_person_opening_the_mouth_passes(photo, condition: str) -> None:
    """Low-contrast lips: a box rebuilt from the landmarks it produced drifted onto the
    beard and held the mouth open at neutral, and the inner lips were lost in a dark
    mouth; the box now follows the upper face and the outer lips count the opening."""
    rgb, points = photo("tests_obama.jpg")
    steps = ("open_mouth", "turn_left")
    capture = synth_video.HARD[condition]
    video = synth_video.animate(rgb, points, steps, np.random.default_rng(3), capture=capture)
    r = check_video(video, challenge=_challenge(*steps), now=NOW)
    assert r.live and r.reasons == (), r.reasons


def test_the_landmark_box_follows_the_upper_face_not_a_drifting_jaw(photo) -> None:
    """Lower landmarks that slid 20 px down (onto a beard) do not move the next frame's box;
    the whole face moving 30 px right and 10 % larger does."""
    from kyc_sdk.liveness import _faces

    rgb, points = photo("tests_obama.jpg")
    detected = _faces.detect(rgb)[0]
    slid = points.copy()
    slid[list(range(0, 17)) + list(range(48, 68)), 1] += 20
    assert _faces.track(detected, points, slid).box == pytest.approx(detected.box, abs=1)
    centre = points.mean(axis=0)
    moved = (points - centre) * 1.1 + centre + np.array([30.0, 0.0])
    top, right, bottom, left = _faces.track(detected, points, moved).box
    assert bottom - top == pytest.approx(1.1 * (detected.box[2] - detected.box[0]), abs=3)
    assert (left + right) / 2 == pytest.approx((detected.box[1] + detected.box[3]) / 2 + 30, abs=3)
    assert right - left == pytest.approx(1.1 * (detected.box[1] - detected.box[3]), abs=3)


def _banded(width_share: float) -> list[np.ndarray]:
    """Two smooth frames; in the second, rows brighten and darken (5 % in log, a 60-row
    period) across the middle ``width_share`` of the width only."""
    h, w = 240, 300
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    first = 110 + 30 * xx / w
    band = np.exp(0.05 * np.sin(2 * np.pi * yy / 60))
    inside = np.abs(xx - w / 2) < width_share * w / 2
    second = np.where(inside, first * band, first)
    return [np.repeat(np.round(f)[..., None], 3, axis=2).astype(np.uint8) for f in (first, second)]


def test_banding_must_cross_the_whole_width() -> None:
    """A refresh band crosses every column of a screen; a face filling the middle 60 % of
    the frame (a tight framing, a beard's edge, a dropping jaw) changes its rows there only.
    A row median over the whole width read the second as banding too."""
    from kyc_sdk.liveness import motion, video

    _, across = motion.pixel_cues(_banded(1.0))
    _, middle = motion.pixel_cues(_banded(0.6))
    assert across >= 2 * video.SCREEN_BANDING
    assert middle < video.SCREEN_BANDING / 5


def _tight(rgb: np.ndarray, points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The photo cropped to 1.5 face widths across: the face fills the frame's middle."""
    centre, width = int(points[:, 0].mean()), int(np.ptp(points[:, 0]) * 1.5)
    left = max(centre - width // 2, 0)
    return np.ascontiguousarray(rgb[:, left : left + width]), points - np.array([left, 0.0])


@pytest.mark.parametrize("seed", [1, 2])
def test_a_tightly_framed_bearded_person_is_no_screen(photo, seed: int) -> None:
    """Genuine bearded captures whose face fills the frame's width, and the same
    performance relayed on a banding screen: only the screen shows screen_replay."""
    from kyc_sdk.liveness import video

    rgb, points = _tight(*photo("tests_obama.jpg"))
    steps = ("open_mouth", "turn_right")
    rng = np.random.default_rng(seed)
    genuine = synth_video.animate(rgb, points, steps, rng, capture=synth_video.Capture(beard=True))
    r = check_video(genuine, challenge=_challenge(*steps), now=NOW)
    assert "screen_replay" not in r.reasons and r.cues["screen_banding"] < video.SCREEN_BANDING / 2
    relayed = synth_video.on_screen(genuine, rng)
    assert "screen_replay" in check_video(relayed, challenge=_challenge(*steps), now=NOW).reasons


@pytest.mark.parametrize(
    ("condition", "steps", "seed"),
    [
        ("glasses", ("blink", "open_mouth"), 70_003),  # yaw jitter 0.04 a frame: no still neutral
        ("low_light", ("turn_left", "open_mouth"), 70_001),  # the turn lost in the dark frame's noise
    ],
)
def test_a_genuine_person_under_glare_or_in_low_light_passes(photo, condition, steps, seed) -> None:
    """Two tuning videos that were refused: glare on glasses jittered the landmarks beyond
    the fixed stillness band, so no neutral was ever set (``too_few_frames``); in dim light
    the face spans a few grey levels and the landmarks missed the turn. Stillness is now
    judged against the session's own jitter, and a dark face is evened before landmarks."""
    rgb, points = photo("tests_obama.jpg")
    capture = synth_video.HARD[condition]
    video = synth_video.animate(rgb, points, steps, np.random.default_rng(seed), capture=capture)
    r = check_video(video, challenge=_challenge(*steps), now=NOW)
    assert r.live and r.reasons == (), r.reasons


def test_the_chin_dropping_as_the_lips_part_is_depth_a_sheet_never_shows(photo) -> None:
    """The chin leaves the upper outline's plane where the lips part on a live face; on a
    sheet pitched up to 25 degrees in perspective, lips flagged open anyway, it does not."""
    from kyc_sdk.liveness import motion
    from kyc_sdk.liveness.video import JAW_DROP

    _, points = photo("tests_obama.jpg")
    opened = [False] * 10 + [True] * 6 + [False] * 4
    drop = synth_video.displacement(points, "open_mouth")
    live = [points + drop if o else points for o in opened]
    assert motion.jaw_drop(live, opened) > 2 * JAW_DROP
    centre, sheet = points.mean(axis=0), []
    for k in range(len(opened)):
        h = synth_video._plane((640, 640), centre, 0.0, 25.0 * np.sin(k / 3), 0.0, np.zeros(2), 1.0)
        q = np.c_[points, np.ones(68)] @ h.T
        sheet.append(q[:, :2] / q[:, 2:])
    assert abs(motion.jaw_drop(sheet, opened)) < JAW_DROP / 10
    assert motion.jaw_drop(live, [True] * len(opened)) == 0.0  # no closed frame to compare with


@pytest.mark.parametrize(
    ("seed", "steps"), [(91_001, ("blink", "open_mouth")), (91_009, ("open_mouth", "blink"))]
)
def test_a_bearded_person_blinking_and_opening_the_mouth_is_not_static(photo, seed, steps) -> None:
    """A challenge with no turn deforms the face only by the open mouth. Under a beard the
    jaw points move half as far as a bare chin's, and the outline's homography took most of
    that up: such tuning videos were refused ``static_face`` (4 of 10). The chin dropping
    while the lips part now counts as the depth it is."""
    rgb, points = photo("tests_obama.jpg")
    capture = synth_video.HARD["beard"]
    video = synth_video.animate(rgb, points, steps, np.random.default_rng(seed), capture=capture)
    r = check_video(video, challenge=_challenge(*steps), now=NOW)
    assert r.live and r.reasons == (), (r.reasons, r.cues)


@pytest.mark.parametrize(
    ("condition", "seed", "steps"),
    [("dark_skin", 91_009, ("open_mouth", "blink")), ("low_light", 91_005, ("blink", "open_mouth"))],
)
def test_a_blink_the_landmarks_miss_is_seen_in_the_eyes_pixels(photo, condition, seed, steps) -> None:
    """Narrow eyes on dark skin or in dim light: dlib's eye points barely moved while the
    lids were shut (EAR 0.18 -> 0.15, over the closure threshold), so the blink was missed
    (``challenge_not_met:blink``, or the open mouth after it ``unexpected_action``). The eye
    patches against the session's open-eye template see it."""
    rgb, points = photo("tests_obama.jpg")
    capture = synth_video.HARD[condition]
    video = synth_video.animate(rgb, points, steps, np.random.default_rng(seed), capture=capture)
    r = check_video(video, challenge=_challenge(*steps), now=NOW)
    assert r.live and r.reasons == (), (r.reasons, r.cues)


def test_eye_change_is_near_zero_open_and_large_shut(photo) -> None:
    """The appearance measure itself: an open eye against its own template under a gain and
    offset (exposure) stays near 0; the same eye with its lids painted shut does not."""
    import cv2

    from kyc_sdk.liveness import eyes

    rgb, points = photo("tests_obama.jpg")
    grey = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    template = eyes.patches(grey, points)
    brighter = np.clip(grey.astype(np.float32) * 1.3 + 10, 0, 255).astype(np.uint8)
    still = eyes.change(eyes.patches(brighter, points), template)
    shut = synth_video._close_lids(rgb, points.astype(np.float64), 1.0)
    closed = eyes.change(eyes.patches(cv2.cvtColor(shut, cv2.COLOR_RGB2GRAY), points), template)
    assert still < 0.05 and closed > max(0.2, 5 * still)


def test_a_dim_genuine_capture_is_judged_as_a_phone_would_have_exposed_it() -> None:
    """A tuning video in low light (face mean grey 43) was refused ``low_skin_chroma``: the
    passive cues read its raw frames, darker than any phone delivers (a phone meters on the
    face; the passive check's own captures are metered so). Its frames are now lifted by
    one gain before the cues, as the camera would have; the attacks' figures stood."""
    from kyc_sdk import faces
    from kyc_sdk.registration import samples

    rgb = np.array(samples.selfie_frame())
    points = faces.landmarks(rgb, faces.single_face(rgb))
    steps = ("open_mouth", "turn_right")
    capture = synth_video.HARD["low_light"]
    video = synth_video.animate(rgb, points, steps, np.random.default_rng(70_006), capture=capture)
    r = check_video(video, challenge=challenge(steps), now=NOW)
    assert r.live and r.reasons == (), (r.reasons, r.cues)


@pytest.mark.parametrize(
    ("steps", "seed"),
    [
        # Its encodings were taken on the box drawn around the landmarks, high over the
        # brows, and the encoder's 5-point aligner went astray on the dark face: the same
        # person read 0.69-0.80 apart, ``face_changed`` on every tuning video of the
        # condition. Encodings now use the detector's box, at frames with a fresh detection.
        pytest.param(("turn_right", "blink"), 70_010, id="detector-box"),
        # Its middle encoding fell on the turn's peak, 0.66 from the first frame's. The
        # middle encoding is now the middle half's most frontal detection frame.
        pytest.param(("turn_left", "open_mouth"), 70_064, id="frontal-middle"),
    ],
)
def test_a_dark_face_against_backlight_keeps_its_identity(steps: tuple[str, ...], seed: int) -> None:
    from kyc_sdk import faces
    from kyc_sdk.registration import samples

    rgb = np.array(samples.selfie_frame())
    points = faces.landmarks(rgb, faces.single_face(rgb))
    capture = synth_video.Capture(backlight=True, skin=0.7)
    video = synth_video.animate(rgb, points, steps, np.random.default_rng(seed), capture=capture)
    r = check_video(video, challenge=challenge(steps), now=NOW)
    assert "face_changed" not in r.reasons and r.live, (r.reasons, r.cues)


def test_a_photo_holding_an_open_mouth_moved_by_hand_is_a_sheet_whatever_its_landmarks_say() -> None:
    """The shape model's points on this moved photo wander 0.016 face widths off the
    sheet's homography, past ``RIGID_DEFORM``: before the skin's own tracked motion was
    read (``skin_flow``), only the missing action refused it."""
    from kyc_sdk import faces
    from kyc_sdk.liveness.video import RIGID_DEFORM, SKIN_PLANAR
    from kyc_sdk.registration import samples

    rgb = np.array(samples.selfie_frame())
    points = faces.landmarks(rgb, faces.single_face(rgb))
    video = synth_video.still_expression(
        rgb, points, np.random.default_rng(70_918), 4.0, kind="open", tilt=2.0
    )
    r = check_video(video, challenge=challenge(("open_mouth", "blink")), now=NOW)
    assert r.cues["deformation"] >= RIGID_DEFORM and r.cues["skin_flow"] < SKIN_PLANAR, r.cues
    assert not r.live and {"still_expression", "planar_face"} & set(r.reasons), r.reasons


def test_a_turn_behind_glasses_in_a_dim_room_is_seen(photo) -> None:
    """A tuning video (glasses, half the light, noise σ 4) was refused
    ``challenge_not_met:turn_right``: on the raw frames a still head's yaw proxy jittered
    σ 0.065, lifting the turn's threshold to 0.26 against a turn read at 0.14. The shape
    model now reads a steadied crop of the face (``_faces.steadied``)."""
    rgb, points = photo("tests_obama.jpg")
    steps = ("blink", "turn_right")
    capture = synth_video.Capture(glasses_glare=True, light=0.5, noise=4.0)
    video = synth_video.animate(rgb, points, steps, np.random.default_rng(70_007), capture=capture)
    r = check_video(video, challenge=challenge(steps), now=NOW)
    assert r.live and r.reasons == (), (r.reasons, r.cues)


def test_skin_corners_read_as_a_sheet_do_not_veto_the_chin_dropping(photo, monkeypatch) -> None:
    """A challenge without a turn moves the skin only at the chin, and the corners' median
    residual can sit under ``SKIN_PLANAR`` for a live open mouth (a held-out video read
    0.0047). The skin test guards the outline test, which a shape model fakes on a moved
    photo; the jaw test needs the lips to part from the session's own neutral, which a
    sheet's never do, so the skin reading may not veto it. The reading is pinned here to a
    sheet's: the tuning videos' corners never fell that low on a live open mouth."""
    from kyc_sdk.liveness import skin_flow
    from kyc_sdk.liveness.video import JAW_DROP, SKIN_PLANAR

    monkeypatch.setattr(skin_flow.SkinFlow, "planar", lambda self: SKIN_PLANAR / 2)
    rgb, points = photo("tests_obama.jpg")
    steps = ("open_mouth", "blink")
    capture = synth_video.HARD["beard"]
    video = synth_video.animate(rgb, points, steps, np.random.default_rng(91_009), capture=capture)
    r = check_video(video, challenge=_challenge(*steps), now=NOW)
    assert r.cues["jaw_drop"] >= JAW_DROP and r.cues["skin_flow"] < SKIN_PLANAR, r.cues
    assert r.live and r.reasons == (), (r.reasons, r.cues)


def test_a_turn_behind_glasses_while_exposure_settles_is_depth_in_the_skin(photo) -> None:
    """Glasses and a settling exposure make the landmarks jitter, and the jitter floor they
    subtract eats the turn's residual: the outline reads a sheet. The skin's corners, each
    frame levelled, still leave every homography by more than twice what any tuning sheet
    gave (a dev video on the tuning photo, called a cut-out before ``SKIN_DEPTH``)."""
    from kyc_sdk.liveness.video import RIGID_DEFORM, SKIN_DEPTH

    rgb, points = photo("tests_obama.jpg")
    steps = ("blink", "turn_right")
    capture = synth_video.Capture(glasses_glare=True, exposure_settle_s=1.2)
    video = synth_video.animate(
        rgb, points, steps, np.random.default_rng(72_515), method="3d", capture=capture
    )
    r = check_video(video, challenge=_challenge(*steps), now=NOW)
    assert r.cues["deformation"] < RIGID_DEFORM and r.cues["skin_flow"] >= SKIN_DEPTH, r.cues
    assert r.live and r.reasons == (), (r.reasons, r.cues)
