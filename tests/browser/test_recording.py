"""Headless Chromium films a fake camera through the test page (getUserMedia +
MediaRecorder, with the options the capture page asks for), uploads to a loopback server,
and liveness judges what arrived: a generated person performing the challenge passes in
every type, a still photo is refused with its reason; the decoder reads what the browser
wrote."""

from __future__ import annotations

import itertools
import os

import av
import numpy as np
import pytest

from kyc_sdk.liveness import check_video
from kyc_sdk.liveness import frames as framing
from tests.browser import harness
from tests.browser.conftest import NOW, challenge

pytestmark = [
    pytest.mark.slow,  # a browser, three recordings of five seconds each, liveness on each
    pytest.mark.serial,  # the browser films in real time: a test beside it on the cores drops its frames
]

WEBM = ("vp8", "vp9")


def test_chromium_records_webm_in_vp8_and_vp9(genuine) -> None:
    assert set(WEBM) <= set(genuine.files), genuine.mimes
    for codec in WEBM:
        assert genuine.mimes[codec].startswith(f"video/webm;codecs={codec}")


def test_chromium_records_mp4_in_h264(genuine) -> None:
    """Safari records only MP4: the MP4 tests below must not pass by being skipped, so the
    browser CI installs (Debian's Chromium, built with FFmpeg's H.264) must write it."""
    assert "mp4" in genuine.files, f"this Chromium's MediaRecorder writes no MP4: {genuine.mimes}"
    assert genuine.mimes["mp4"].startswith("video/mp4"), genuine.mimes
    with av.open(genuine.files["mp4"]) as container:
        assert container.streams.video[0].codec_context.name == "h264"


def _skip_if_the_browser_starved(genuine, codec: str) -> None:
    """An overloaded machine makes Chromium drop most frames before they are encoded
    (seen: 29 of 75 at load 15); such a recording says nothing about our code."""
    kept = len(framing.read_video(genuine.files[codec].read_bytes()))
    wanted = round(15 * harness.challenge_seconds(genuine.camera))
    if kept < wanted // 2:
        why = f"Chromium kept {kept} of {wanted} camera frames: the machine is overloaded"
        if os.environ.get("CI"):
            pytest.fail(why)  # CI runs alone: there a starved recording is a finding, not noise
        pytest.skip(why)


def test_the_page_asks_for_mp4_made_of_key_frames_only(genuine) -> None:
    """At its default settings Chromium's H.264 copies still blocks from frame to frame,
    which erases the camera noise the liveness check reads (a plain backdrop read 0.00);
    the page asks for every frame to be coded on its own, and this browser obeys."""
    if "mp4" not in genuine.files:
        pytest.skip("this Chromium's MediaRecorder writes no MP4")
    with av.open(genuine.files["mp4"]) as container:
        kinds = [f.key_frame for f in container.decode(video=0)]
    assert len(kinds) > 10 and all(kinds), f"{kinds.count(False)} of {len(kinds)} frames predicted"


@pytest.mark.parametrize("codec", [*WEBM, "mp4"])
def test_a_genuine_browser_recording_passes(genuine, codec: str) -> None:
    if codec not in genuine.files:
        pytest.skip(f"this Chromium's MediaRecorder writes no {codec}")
    _skip_if_the_browser_starved(genuine, codec)
    r = check_video(genuine.files[codec].read_bytes(), challenge=challenge(), now=NOW)
    assert r.live and r.reasons == (), (r.reasons, r.cues)
    assert [s["action"] for s in r.challenges] == list(challenge().steps)


@pytest.mark.parametrize("codec", ["vp8", "vp9", "mp4"])
def test_a_still_photo_filmed_by_the_browser_is_refused_as_static(still, codec: str) -> None:
    if codec not in still.files:
        pytest.skip(f"this Chromium's MediaRecorder writes no {codec}")
    r = check_video(still.files[codec], challenge=challenge(), now=NOW)
    assert not r.live and "static_face" in r.reasons, (r.reasons, r.cues)
    assert f"challenge_not_met:{challenge().steps[0]}" in r.reasons


@pytest.mark.parametrize("codec", ["vp8", "vp9", "mp4"])
def test_the_decoder_reads_what_the_browser_wrote(genuine, codec: str) -> None:
    if codec not in genuine.files:
        pytest.skip(f"this Chromium's MediaRecorder writes no {codec}")
    data = genuine.files[codec].read_bytes()
    with av.open(genuine.files[codec]) as container:
        header_duration = container.duration
        pts = [f.time for f in container.decode(video=0)]
    if codec in WEBM:
        assert header_duration is None  # MediaRecorder writes no duration
    frames = framing.read_video(data)
    # each frame at its own time (from the first), whatever the stream's nominal rate
    assert [f.t for f in frames] == pytest.approx([t - pts[0] for t in pts])
    assert all(b.t > a.t for a, b in itertools.pairwise(frames))
    _skip_if_the_browser_starved(genuine, codec)
    camera_frames = round(
        15 * harness.challenge_seconds(genuine.camera)
    )  # what the page asked for, at the file's 15 fps
    assert len(frames) <= camera_frames + round(15 * (harness.MARGIN_S + 0.5))
    assert frames[0].rgb.shape[:2] == _size(genuine.camera)[::-1]
    # seconds, not milliseconds nor frame numbers: a 15 fps camera's 0.067 s, widened when
    # a loaded Chromium drops frames (0.133 s seen at load 4-7)
    assert 0.03 < float(np.median(np.diff([f.t for f in frames]))) < 0.5


def _size(camera) -> tuple[int, int]:
    fields = {t[:1]: t[1:] for t in camera.read_bytes()[:80].split(b"\n")[0].split()[1:]}
    return int(fields[b"W"]), int(fields[b"H"])
