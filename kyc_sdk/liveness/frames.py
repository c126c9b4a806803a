"""Video frames for active liveness: reading them, and checking their order and uniqueness.

Input is a video file (path or bytes, decoded by OpenCV's FFmpeg backend) or a sequence of
frames: RGB arrays, or ``(timestamp_seconds, array)`` pairs.

How order and duplication are detected (and what cannot be):
- Timestamps must strictly increase. A file's timestamps are the container's
  presentation times (``CAP_PROP_POS_MSEC``); bare arrays get ``index / DEFAULT_FPS``, so
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
import itertools
import math
import os
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import SupportsFloat

import cv2
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
        fd, name = tempfile.mkstemp(suffix=".video")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(source)
            return _decode(name)
        finally:
            os.unlink(name)
    path = Path(source)
    if not path.is_file():
        raise ImageRejected("video file not found", reason="unreadable")
    if path.stat().st_size > MAX_BYTES:
        raise ImageRejected(f"video larger than {MAX_BYTES} bytes", reason="too_large")
    return _decode(str(path))


def _decode(name: str) -> list[Frame]:
    cap = cv2.VideoCapture(name)
    try:
        if not cap.isOpened():
            raise ImageRejected("cannot decode video", reason="undecodable")
        width, height, count = (
            _header(cap, p)
            for p in (cv2.CAP_PROP_FRAME_WIDTH, cv2.CAP_PROP_FRAME_HEIGHT, cv2.CAP_PROP_FRAME_COUNT)
        )
        if width and height:
            check_size(int(width), int(height), _FRAME_LIMITS)
        _Budget().add(int(count), width, height)  # the header's claim, before decoding a frame
        frames = _read_all(cap)
    finally:
        cap.release()
    if not frames:
        raise ImageRejected("video has no decodable frames", reason="undecodable")
    return frames


def _header(cap: cv2.VideoCapture, prop: int) -> float:
    """A header value, 0 when the container has none (or a nonsense one)."""
    value = cap.get(prop)
    return value if 0 < value < 1e12 else 0.0


def _read_all(cap: cv2.VideoCapture) -> list[Frame]:
    frames: list[Frame] = []
    budget = _Budget()
    while True:
        ok, bgr = cap.read()
        if not ok or bgr is None:
            return frames
        if bgr.ndim != 3:
            raise ImageRejected("video frames must be colour", reason="undecodable")
        check_size(bgr.shape[1], bgr.shape[0], _FRAME_LIMITS)  # a stream can change size mid-file
        budget.add(1, bgr.shape[1], bgr.shape[0])
        t = cap.get(cv2.CAP_PROP_POS_MSEC) / 1000.0
        scale = WORK_SIDE / max(bgr.shape[:2])
        if scale < 1:
            bgr = cv2.resize(bgr, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
        frames.append(Frame(t, _checked(np.ascontiguousarray(bgr[:, :, ::-1]))))


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
