"""Video frames for active liveness: reading them, and checking their order and uniqueness.

Input is a video file (path or bytes) or a sequence of frames: RGB arrays, or
``(timestamp_seconds, array)`` pairs. Files are decoded here and nowhere else, by FFmpeg
through PyAV: what a browser's ``MediaRecorder`` writes (WebM with VP8 or VP9, MP4 with
H.264; no duration or frame count in a WebM header, frames dropped when the encoder falls
behind) and what cameras write (MP4, Motion-JPEG AVI). Only those containers are opened
(``FORMATS``); a phone's rotation flag is applied.

How order and duplication are detected (and what cannot be):
- Timestamps must strictly increase. A file's timestamps are each frame's own
  presentation time, from the first frame's (the frame rate is never assumed: a browser's
  varies); bare arrays get ``index / DEFAULT_FPS``, so
  for them order is only what the caller gives and cannot be checked.
- No two frames may be pixel-identical (BLAKE2b of the raw pixels). A live camera's
  sensor noise makes byte-identical frames practically impossible; a looped or padded
  stream repeats them. An encoder that emits skipped frames for a perfectly static
  scene would trip this too, which for liveness is the right answer.
- Budget: at most ``MAX_FRAMES`` frames (20 s at 15 fps, 10 s at 30 fps; the generated
  three-action challenges take under 5 s) holding at most ``MAX_VIDEO_PIXELS`` source pixels
  in all (300 frames of 1080p), ``MAX_SIDE`` pixels a side, ``MAX_BYTES`` per file. A
  file's header (frame count and size) is checked before any frame is decoded, and the
  count is kept while decoding (containers can lie); a frame list is counted as it is
  read. Beyond the budget: ``ImageRejected(reason="video_too_large")``, never read to
  the end (900 frames of 1920² used to take 73 s of CPU and 2.5 GB). Decoded frames are
  scaled to ``WORK_SIDE``, so the frames kept stay under 300 × 2.8 MB (830 MB), and a
  1080p frame without a face (searched for on every frame, the costliest) takes ~27 ms
  of CPU: about 8 s for a full budget. The issue's video is refused in 1 ms.
"""

from __future__ import annotations

import hashlib
import io
import itertools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, SupportsFloat

import av
import numpy as np

from kyc_sdk.errors import ImageRejected
from kyc_sdk.imaging import Limits, check_size

DEFAULT_FPS = 15.0
MAX_FRAMES = 300
MAX_SIDE = 1920
MAX_VIDEO_PIXELS = 300 * 1920 * 1080  # source pixels over the whole video
_FRAME_LIMITS = Limits(max_side=MAX_SIDE)
MAX_BYTES = 50 * 1024 * 1024
WORK_SIDE = 960  # decoded frames are scaled to this: memory stays under 900 × 2.8 MB
# the containers a camera or a browser writes; FFmpeg's other demuxers (playlists, concat
# lists, image sequences) could open other files or addresses named inside an upload
FORMATS = "matroska,webm,mov,mp4,m4a,3gp,3g2,mj2,avi,yuv4mpegpipe"


@dataclass(frozen=True, slots=True)
class Frame:
    t: float  # seconds from the start of the capture
    rgb: np.ndarray


def _checked(rgb: object) -> np.ndarray:
    if not isinstance(rgb, np.ndarray) or rgb.ndim != 3 or rgb.shape[2] != 3 or rgb.dtype != np.uint8:
        raise ImageRejected("a frame must be an H×W×3 uint8 RGB array", reason="unsupported_format")
    check_size(rgb.shape[1], rgb.shape[0], _FRAME_LIMITS)  # a 1 px side crashed the detector's resize
    return rgb


class _Budget:
    """Frames and source pixels so far, refused past ``MAX_FRAMES`` / ``MAX_VIDEO_PIXELS``."""

    def __init__(self) -> None:
        self.frames = self.pixels = 0

    def add(self, frames: int, width: float, height: float) -> None:
        self.frames += frames
        self.pixels += int(frames * width * height)
        if self.frames > MAX_FRAMES or self.pixels > MAX_VIDEO_PIXELS:
            raise ImageRejected(
                f"video over the budget of {MAX_FRAMES} frames and {MAX_VIDEO_PIXELS} pixels",
                reason="video_too_large",
            )


def from_arrays(items: Iterable[object], fps: float = DEFAULT_FPS) -> list[Frame]:
    """Frames from arrays or ``(t, array)`` pairs, refused past the budget (module doc)."""
    out: list[Frame] = []
    budget = _Budget()
    for i, item in enumerate(items):
        pair = item if isinstance(item, tuple) and len(item) == 2 else None
        rgb = _checked(item if pair is None else pair[1])
        budget.add(1, rgb.shape[1], rgb.shape[0])
        out.append(Frame(i / fps if pair is None else _timestamp(pair[0]), rgb))
    return out


def _timestamp(value: SupportsFloat | str) -> float:
    try:  # the caller's value, whatever it really is
        t = float(value)
    except (TypeError, ValueError, OverflowError):
        raise ImageRejected(
            "a frame's timestamp must be a number of seconds", reason="unsupported_format"
        ) from None
    if not math.isfinite(t):
        raise ImageRejected("a frame's timestamp must be finite", reason="unsupported_format")
    return t


def read_video(source: str | Path | bytes) -> list[Frame]:
    """Decode a video file (path or bytes) to RGB frames with their timestamps."""
    if isinstance(source, (bytes, bytearray)):
        if len(source) > MAX_BYTES:
            raise ImageRejected(f"video larger than {MAX_BYTES} bytes", reason="too_large")
        return _decode(io.BytesIO(source))
    path = Path(source)
    if not path.is_file():
        raise ImageRejected(
            "no video file there (missing, a folder, a pipe or a device)", reason="unreadable"
        )
    if path.stat().st_size > MAX_BYTES:
        raise ImageRejected(f"video larger than {MAX_BYTES} bytes", reason="too_large")
    return _decode(str(path))


def _decode(source: str | io.BytesIO) -> list[Frame]:
    try:
        with av.open(source, "r", options={"format_whitelist": FORMATS}) as container:
            if not container.streams.video:
                raise ImageRejected("the file holds no video", reason="undecodable")
            stream = container.streams.video[0]
            width, height, count = _header(stream)
            if width and height:
                check_size(width, height, _FRAME_LIMITS)
            _Budget().add(count, width, height)  # the header's claim, before decoding a frame
            # the decoder refuses larger pictures itself: a keyframe can change the size mid-stream
            stream.codec_context.options = {"max_pixels": str(MAX_SIDE * MAX_SIDE)}
            frames = _read_all(container.decode(stream))
    except (av.FFmpegError, UnicodeDecodeError):  # PyAV decodes a container's text fields as UTF-8
        raise ImageRejected("cannot decode video", reason="undecodable") from None
    if not frames:
        raise ImageRejected("video has no decodable frames", reason="undecodable")
    return frames


def _header(stream: Any) -> tuple[int, int, int]:
    """(width, height, frame count) as the container states them, 0 where it says nothing
    (a WebM from ``MediaRecorder`` has no count, nor a duration)."""
    ctx = stream.codec_context
    width, height, count = (
        v if isinstance(v, int) and 0 < v < 1 << 40 else 0 for v in (ctx.width, ctx.height, stream.frames)
    )
    return width, height, count


def _read_all(decoded: Iterable[Any]) -> list[Frame]:
    """RGB frames timed by their own presentation times (a browser's frame rate varies:
    frames are dropped when the encoder falls behind), scaled to ``WORK_SIDE``."""
    frames: list[Frame] = []
    budget = _Budget()
    t0: float | None = None
    for frame in decoded:
        check_size(frame.width, frame.height, _FRAME_LIMITS)  # a stream can change size mid-file
        budget.add(1, frame.width, frame.height)
        if frame.time is None:
            raise ImageRejected("a video frame has no timestamp", reason="undecodable")
        t0 = frame.time if t0 is None else t0
        scale = min(1.0, WORK_SIDE / max(frame.width, frame.height))
        w, h = round(frame.width * scale), round(frame.height * scale)
        rgb = frame.reformat(width=w, height=h, format="rgb24", interpolation="AREA").to_ndarray()
        quarter_turns = round(getattr(frame, "rotation", 0) / 90) % 4  # a phone's display matrix
        if quarter_turns:
            rgb = np.rot90(rgb, quarter_turns)
        frames.append(Frame(float(frame.time - t0), _checked(np.ascontiguousarray(rgb))))
    return frames


def load(source: str | Path | bytes | Sequence[object], fps: float = DEFAULT_FPS) -> list[Frame]:
    """Frames from a file, bytes, or a sequence of arrays / ``(t, array)`` pairs."""
    if isinstance(source, (bytes, bytearray)):
        return read_video(bytes(source))
    if isinstance(source, (str, Path)):
        return read_video(source)
    if not isinstance(source, Iterable):  # iterating a number raised TypeError
        raise ImageRejected(
            "expected a video file, its bytes, or a sequence of frames", reason="unsupported_format"
        )
    return from_arrays(source, fps)


def integrity(frames: Sequence[Frame]) -> list[str]:
    """Reasons the stream is not one continuous capture: out of order, duplicated frames."""
    reasons: list[str] = []
    if any(b.t <= a.t for a, b in itertools.pairwise(frames)):
        reasons.append("frames_out_of_order")
    seen: set[bytes] = set()
    for f in frames:
        digest = hashlib.blake2b(f.rgb.tobytes(), digest_size=16).digest()
        if digest in seen:
            reasons.append("duplicate_frame")
            break
        seen.add(digest)
    return reasons
