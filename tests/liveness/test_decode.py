"""The video decoder (``frames.read_video``, FFmpeg through PyAV) on what browsers and
cameras write, made here by PyAV's own encoders: frame times from each frame's own
timestamp, WebM without a duration, and hostile files refused with a typed error."""

from __future__ import annotations

import contextlib
import fractions
import io
import itertools
import struct
from pathlib import Path

import av
import numpy as np
import pytest

from kyc_sdk.errors import ImageRejected
from kyc_sdk.liveness import frames as framing

MS = fractions.Fraction(1, 1000)
IRREGULAR_MS = [0, 66, 200, 233, 400, 433]  # a browser drops frames when its encoder falls behind
FORMATS = {"vp8": ("webm", "libvpx"), "vp9": ("webm", "libvpx-vp9"), "h264": ("mp4", "libx264")}


def encode(
    kind: str, pts_ms: list[int], size: tuple[int, int] = (64, 48), *, seed: int = 0, live: bool = True
) -> bytes:
    """A video of random frames at the given presentation times; ``live`` WebM is written
    as ``MediaRecorder`` writes it, without a duration or a cue index."""
    fmt, codec = FORMATS[kind]
    buf = io.BytesIO()
    rng = np.random.default_rng(seed)
    options = {"live": "1"} if live and fmt == "webm" else {}
    with av.open(buf, "w", format=fmt, options=options) as out:
        stream = out.add_stream(codec, rate=30)
        stream.width, stream.height, stream.pix_fmt = size[0], size[1], "yuv420p"
        stream.codec_context.time_base = MS
        for t in pts_ms:
            frame = av.VideoFrame.from_ndarray(
                rng.integers(0, 256, (size[1], size[0], 3), dtype=np.uint8), format="rgb24"
            )
            frame.pts, frame.time_base = t, MS
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)
    return buf.getvalue()


@pytest.mark.parametrize("kind", FORMATS)
def test_frames_are_timed_by_their_own_timestamps_not_an_assumed_rate(kind: str) -> None:
    frames = framing.read_video(encode(kind, IRREGULAR_MS))
    assert [round(f.t * 1000) for f in frames] == IRREGULAR_MS
    assert frames[0].rgb.shape == (48, 64, 3) and frames[0].rgb.dtype == np.uint8


def test_a_webm_without_duration_or_frame_count_decodes_whole() -> None:
    data = encode("vp8", list(range(0, 1000, 33)))
    with av.open(io.BytesIO(data)) as container:  # what MediaRecorder writes: no duration, no count
        assert container.duration is None and container.streams.video[0].frames == 0
    assert len(framing.read_video(data)) == len(range(0, 1000, 33))


def test_a_file_and_its_bytes_decode_alike(tmp_path: Path) -> None:
    data = encode("h264", IRREGULAR_MS)
    path = tmp_path / "clip.mp4"
    path.write_bytes(data)
    a, b = framing.read_video(path), framing.read_video(data)
    assert [f.t for f in a] == [f.t for f in b]
    assert all(np.array_equal(x.rgb, y.rgb) for x, y in zip(a, b, strict=True))


def test_the_first_frame_starts_the_clock() -> None:
    frames = framing.read_video(encode("vp8", [500, 566, 700]))
    assert [round(f.t * 1000) for f in frames] == [0, 66, 200]


@pytest.mark.parametrize("kind", FORMATS)
def test_truncated_files_give_a_prefix_or_a_typed_error(kind: str) -> None:
    data = encode(kind, list(range(0, 600, 33)), live=False)
    full = len(framing.read_video(data))
    outcomes = set()
    for cut in np.linspace(0, len(data) - 1, 24).astype(int):
        try:
            outcomes.add(len(framing.read_video(data[:cut])) <= full)
        except ImageRejected:
            outcomes.add("refused")
    assert "refused" in outcomes and False not in outcomes


@pytest.mark.parametrize("kind", FORMATS)
def test_corrupted_bytes_never_raise_anything_but_a_typed_error(kind: str) -> None:
    data = bytearray(encode(kind, list(range(0, 300, 33))))
    rng = np.random.default_rng(5)
    for _ in range(12):
        spoiled = bytearray(data)
        at = rng.integers(0, len(spoiled), 40)
        spoiled_bytes = rng.integers(0, 256, 40, dtype=np.uint8)
        for i, v in zip(at, spoiled_bytes, strict=True):
            spoiled[int(i)] = int(v)
        with contextlib.suppress(ImageRejected):  # anything else, typed or not, fails the test
            framing.read_video(bytes(spoiled))


def test_a_container_with_no_frames_is_refused() -> None:
    with pytest.raises(ImageRejected) as caught:
        framing.read_video(encode("vp8", []))
    assert caught.value.reason == "undecodable"


def test_huge_dimensions_are_refused_from_the_header_before_decoding(monkeypatch) -> None:
    monkeypatch.setattr(framing, "_read_all", lambda _: pytest.fail("decoded before the header was checked"))
    y4m = b"YUV4MPEG2 W4000 H3000 F15:1 Ip A1:1 C420mpeg2\nFRAME\n"  # over MAX_SIDE, and no pixels follow
    with pytest.raises(ImageRejected) as caught:
        framing.read_video(y4m)
    assert caught.value.reason == "too_many_pixels"
    with pytest.raises(ImageRejected) as caught:
        framing.read_video(encode("vp8", [0], size=(2000, 1000)))
    assert caught.value.reason == "too_many_pixels"


def test_a_bomb_of_frames_without_a_count_is_stopped_at_the_budget(monkeypatch) -> None:
    monkeypatch.setattr(framing, "MAX_FRAMES", 40)  # the same rule as 300, in a smaller file
    data = encode("vp8", list(range(0, 41 * 33, 33)))
    with pytest.raises(ImageRejected) as caught:
        framing.read_video(data)
    assert caught.value.reason == "video_too_large"


def test_a_frame_count_over_the_budget_is_refused_before_decoding(monkeypatch) -> None:
    data = encode("h264", list(range(0, 41 * 33, 33)))  # MP4 states its frame count
    monkeypatch.setattr(framing, "MAX_FRAMES", 40)
    monkeypatch.setattr(framing, "_read_all", lambda _: pytest.fail("decoded before the header was checked"))
    with pytest.raises(ImageRejected) as caught:
        framing.read_video(data)
    assert caught.value.reason == "video_too_large"


@pytest.mark.parametrize(
    "upload",
    [
        b"#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXTINF:1,\nfile:///etc/hostname\n#EXT-X-ENDLIST\n",
        b"ffconcat version 1.0\nfile /etc/hostname\n",
        b"GIF89a" + bytes(64),
        b"",
        bytes(range(256)) * 8,
    ],
)
def test_playlists_lists_and_other_formats_are_not_opened(upload: bytes) -> None:
    with pytest.raises(ImageRejected) as caught:
        framing.read_video(upload)
    assert caught.value.reason == "undecodable"


def test_frames_keep_their_order_for_the_integrity_check() -> None:
    frames = framing.read_video(encode("vp9", IRREGULAR_MS))
    assert framing.integrity(frames) == []
    assert all(b.t > a.t for a, b in itertools.pairwise(frames))


def test_a_phones_rotation_flag_is_applied() -> None:
    """A portrait phone video is stored landscape with a display matrix (QuickTime's
    tkhd matrix for 'rotate 90': shown turned a quarter clockwise)."""
    data = encode("h264", [0, 33, 66])
    identity = struct.pack(">9i", 0x10000, 0, 0, 0, 0x10000, 0, 0, 0, 0x40000000)
    quarter = struct.pack(">9i", 0, 0x10000, 0, -0x10000, 0, 0, 0, 0, 0x40000000)
    at = data.rindex(identity)  # the track's matrix (the movie's comes first)
    upright = framing.read_video(data[:at] + quarter + data[at + len(identity) :])
    stored = framing.read_video(data)
    assert upright[0].rgb.shape == (64, 48, 3)
    assert np.array_equal(upright[0].rgb, np.rot90(stored[0].rgb, -1))
