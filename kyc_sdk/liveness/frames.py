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
- Limits: ``MAX_FRAMES`` frames, ``MAX_SIDE`` pixels a side, ``MAX_BYTES`` per file;
  beyond them the input is refused with ``ImageRejected``, never read to the end. Decoded
  frames are scaled to ``WORK_SIDE`` so a long full-HD video cannot exhaust memory.
"""

from __future__ import annotations

import hashlib
import itertools
import os
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from kyc_sdk.errors import ImageRejected

DEFAULT_FPS = 15.0
MAX_FRAMES = 900  # 30 s at 30 fps
MAX_SIDE = 1920
MAX_BYTES = 50 * 1024 * 1024
WORK_SIDE = 960  # decoded frames are scaled to this: memory stays under 900 × 2.8 MB


@dataclass(frozen=True, slots=True)
class Frame:
    t: float  # seconds from the start of the capture
    rgb: np.ndarray


def _checked(rgb: object) -> np.ndarray:
    if not isinstance(rgb, np.ndarray) or rgb.ndim != 3 or rgb.shape[2] != 3 or rgb.dtype != np.uint8:
        raise ImageRejected("a frame must be an H×W×3 uint8 RGB array", reason="unsupported_format")
    if max(rgb.shape[:2]) > MAX_SIDE:
        raise ImageRejected(f"frame larger than {MAX_SIDE} pixels a side", reason="too_many_pixels")
    return rgb


def from_arrays(items: Iterable[object], fps: float = DEFAULT_FPS) -> list[Frame]:
    """Frames from arrays or ``(t, array)`` pairs, refusing more than ``MAX_FRAMES``."""
    out: list[Frame] = []
    for i, item in enumerate(items):
        if i >= MAX_FRAMES:
            raise ImageRejected(f"more than {MAX_FRAMES} frames", reason="too_large")
        if isinstance(item, tuple) and len(item) == 2:
            out.append(Frame(float(item[0]), _checked(item[1])))
        else:
            out.append(Frame(i / fps, _checked(item)))
    return out


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
        width, height = cap.get(cv2.CAP_PROP_FRAME_WIDTH), cap.get(cv2.CAP_PROP_FRAME_HEIGHT)
        if max(width, height) > MAX_SIDE:
            raise ImageRejected(f"video larger than {MAX_SIDE} pixels a side", reason="too_many_pixels")
        frames = _read_all(cap)
    finally:
        cap.release()
    if not frames:
        raise ImageRejected("video has no decodable frames", reason="undecodable")
    return frames


def _read_all(cap: cv2.VideoCapture) -> list[Frame]:
    frames: list[Frame] = []
    while True:
        ok, bgr = cap.read()
        if not ok or bgr is None:
            return frames
        if len(frames) >= MAX_FRAMES:
            raise ImageRejected(f"more than {MAX_FRAMES} frames", reason="too_large")
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
