"""A fake camera for a browser: generated frames written as a YUV4MPEG2 (``.y4m``) file,
the format Chromium plays as its camera with ``--use-fake-device-for-media-stream
--use-file-for-fake-video-capture=FILE.y4m`` (looped, at the file's frame rate).

The file is 4:2:0 in video range (BT.601, luma 16–235), what a camera driver delivers and
what an encoder and a decoder assume when a stream says nothing else, so the picture that
comes back through ``MediaRecorder`` and a decoder has the levels it was generated with.
For tests and demos: ``challenge_y4m`` films a generated person performing a challenge's
steps (``synth_video.animate``), ``still_y4m`` a still photo held to the camera.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import numpy as np

from kyc_sdk.liveness import synth_video
from kyc_sdk.liveness.challenge import Challenge
from kyc_sdk.liveness.synth import Rng

# BT.601 RGB -> Y'CbCr rows, scaled to video range (Y 16–235, Cb/Cr 16–240 around 128)
_BT601 = np.array(
    [
        [0.299, 0.587, 0.114],
        [-0.168736, -0.331264, 0.5],
        [0.5, -0.418688, -0.081312],
    ]
) * np.array([[219 / 255], [224 / 255], [224 / 255]])


def yuv420(rgb: np.ndarray) -> bytes:
    """One frame's planes (Y, then Cb, then Cr; chroma averaged over 2×2 pixels); the frame
    must have even sides."""
    h, w = rgb.shape[:2]
    if h % 2 or w % 2:
        raise ValueError("a 4:2:0 frame needs even sides")
    ycc = rgb.astype(np.float32) @ _BT601.T.astype(np.float32) + np.array([16, 128, 128], np.float32)
    chroma = ycc[:, :, 1:].reshape(h // 2, 2, w // 2, 2, 2).mean(axis=(1, 3))
    planes = (ycc[:, :, 0], chroma[:, :, 0], chroma[:, :, 1])
    return b"".join(np.clip(p + 0.5, 0, 255).astype(np.uint8).tobytes() for p in planes)


def write_y4m(path: str | Path, frames: Iterable[np.ndarray], fps: int = 15) -> Path:
    """Write RGB frames (one size, cropped to even sides) as a 4:2:0 YUV4MPEG2 file."""
    path = Path(path)
    with path.open("wb") as out:
        size: tuple[int, int] | None = None
        for rgb in frames:
            h, w = rgb.shape[0] // 2 * 2, rgb.shape[1] // 2 * 2
            if size is None:
                size = (w, h)
                out.write(f"YUV4MPEG2 W{w} H{h} F{fps}:1 Ip A1:1 C420mpeg2\n".encode("ascii"))
            elif size != (w, h):
                raise ValueError("every frame of a y4m file has one size")
            out.write(b"FRAME\n" + yuv420(rgb[:h, :w]))
        if size is None:
            raise ValueError("no frames to write")
    return path


def challenge_y4m(
    path: str | Path,
    rgb: np.ndarray,
    points: np.ndarray,
    challenge: Challenge,
    rng: Rng,
    *,
    fps: int = 15,
    lead_s: float = 1.5,
    method: str = "mesh",
    capture: synth_video.Capture | None = None,
) -> Path:
    """The face in ``rgb`` (its 68 ``points``) performing ``challenge``'s steps in order.

    ``lead_s`` of neutral frames first: a page starts recording a moment after the camera
    opens, and the tracker needs still frames for its baseline."""
    frames = synth_video.animate(
        rgb, points, challenge.steps, rng, fps, method=method, capture=capture, lead_s=lead_s
    )
    return write_y4m(path, (f for _, f in frames), fps)


def webcam_frame(rgb: np.ndarray, size: tuple[int, int] = (640, 480)) -> np.ndarray:
    """A photo as a webcam frame of ``size`` (width, height): a crop of that shape, centred
    on the face where the photo allows, scaled to it, so Chromium plays the file without
    cropping or scaling it when a page asks for that size."""
    import cv2

    from kyc_sdk import faces

    w, h = size
    crop_h = min(rgb.shape[0], rgb.shape[1] * h // w)
    crop_w = crop_h * w // h
    top, right, bottom, left = faces.single_face(rgb).box
    y = int(np.clip((top + bottom) // 2 - crop_h // 2, 0, rgb.shape[0] - crop_h))
    x = int(np.clip((left + right) // 2 - crop_w // 2, 0, rgb.shape[1] - crop_w))
    return cv2.resize(rgb[y : y + crop_h, x : x + crop_w], size, interpolation=cv2.INTER_CUBIC)


def still_y4m(path: str | Path, rgb: np.ndarray, rng: Rng, *, seconds: float = 5.0, fps: int = 15) -> Path:
    """A photo held still to the camera (the hand's tremor and the sensor's noise only)."""
    return write_y4m(path, (f for _, f in synth_video.still_video(rgb, rng, seconds, fps)), fps)


def seconds(path: str | Path) -> float:
    """Play time of a y4m file written here: frames over the header's rate."""
    with Path(path).open("rb") as fh:
        header = fh.readline().split()
        fields: dict[str, str] = {t[:1].decode(): t[1:].decode() for t in header[1:]}
        w, h = int(fields["W"]), int(fields["H"])
        num, den = (int(v) for v in fields["F"].split(":"))
        frame = len(b"FRAME\n") + w * h * 3 // 2
        fh.seek(0, 2)
        count = (fh.tell() - len(b" ".join(header)) - 1) // frame
    return count * den / num
