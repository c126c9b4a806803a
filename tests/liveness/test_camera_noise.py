"""The camera-noise cue: a sensor's noise passes, a repeated backdrop is injected, and a
backdrop a codec copied block by block while the blocks it coded stay noisy asks for a
retry; through real encoders (FFmpeg's x264 and libvpx, by PyAV) rendered frames are
never let through nor asked to retry."""

from __future__ import annotations

import io

import av
import numpy as np
import pytest

from kyc_sdk.liveness import camera_noise, motion
from kyc_sdk.liveness import frames as framing

H, W, N = 240, 320, 24


def _scene(rng: np.random.Generator, noise: float) -> list[np.ndarray]:
    """A smooth backdrop with a soft blob drifting across it, with sensor noise of σ ``noise``."""
    yy, xx = np.mgrid[:H, :W]
    base = 120 + 30 * np.sin(xx / 90.0) + 20 * np.cos(yy / 70.0)
    frames = []
    for i in range(N):
        grey = base + 40 * np.exp(-((xx - 100 - 3 * i) ** 2 + (yy - 120) ** 2) / (2 * 30.0**2))
        grey = grey + rng.normal(0, noise, grey.shape) if noise else grey
        frames.append(np.repeat(np.clip(grey + 0.5, 0, 255).astype(np.uint8)[..., None], 3, axis=2))
    return frames


def _reading(frames: list[np.ndarray]) -> camera_noise.Reading:
    return camera_noise.read(motion._flat_pairs(frames))


def _skip_blocks(frames: list[np.ndarray], share: float, rng: np.random.Generator) -> list[np.ndarray]:
    """What an inter-frame codec does to a still scene: ``share`` of the 16 × 16 blocks copied
    exactly from the frame before."""
    out = [frames[0]]
    for frame in frames[1:]:
        coded = frame.copy()
        for y in range(0, H, 16):
            for x in range(0, W, 16):
                if rng.random() < share:
                    coded[y : y + 16, x : x + 16] = out[-1][y : y + 16, x : x + 16]
        out.append(coded)
    return out


def test_a_sensors_noise_passes() -> None:
    r = _reading(_scene(np.random.default_rng(1), 2.0))
    assert r.level >= camera_noise.CAMERA_NOISE and camera_noise.verdict(r) == []


def test_a_backdrop_repeated_exactly_is_injected() -> None:
    r = _reading(_scene(np.random.default_rng(2), 0.0))
    assert r.level < camera_noise.CAMERA_NOISE and camera_noise.verdict(r) == ["injected_frames"]


def test_a_backdrop_a_codec_copied_asks_for_a_retry_when_its_coded_blocks_are_noisy() -> None:
    rng = np.random.default_rng(3)
    r = _reading(_skip_blocks(_scene(rng, 2.0), 0.7, rng))
    assert r.level < camera_noise.CAMERA_NOISE, r  # most flat pixels repeat: no camera seen
    assert r.coded >= camera_noise.CODED_NOISE, r
    assert camera_noise.verdict(r) == ["quality_video_compressed"]


def test_pixels_re_quantised_by_one_code_value_stay_injected() -> None:
    """A codec re-coding a rendered backdrop moves pixels by a code value: not a sensor."""
    rng = np.random.default_rng(4)
    flips = []
    for f in _scene(rng, 0.0):
        step = rng.choice([-1, 0, 0, 1], size=(H, W, 1))  # half the pixels one value off
        flips.append(np.clip(f.astype(int) + step, 0, 255).astype(np.uint8))
    r = _reading(_skip_blocks(flips, 0.7, rng))
    assert camera_noise.verdict(r) == ["injected_frames"], r


def _encode(frames: list[np.ndarray], codec: str, options: dict[str, str]) -> bytes:
    out = io.BytesIO()
    with av.open(out, "w", format="webm" if codec == "libvpx" else "mp4") as container:
        stream = container.add_stream(codec, rate=15, options=options)
        stream.width, stream.height, stream.pix_fmt = W, H, "yuv420p"
        for f in frames:
            container.mux(stream.encode(av.VideoFrame.from_ndarray(f, format="rgb24")))
        container.mux(stream.encode())
    return out.getvalue()


@pytest.mark.parametrize(
    ("codec", "options"),
    [
        ("libx264", {"crf": "18"}),
        ("libx264", {"crf": "23"}),
        ("libx264", {"qp": "28"}),
        ("libvpx", {"b": "1M"}),
    ],
)
def test_rendered_frames_through_a_real_encoder_are_injected(codec: str, options: dict[str, str]) -> None:
    data = _encode(_scene(np.random.default_rng(5), 0.0), codec, options)
    r = _reading([f.rgb for f in framing.read_video(data)])
    assert camera_noise.verdict(r) == ["injected_frames"], r


@pytest.mark.parametrize(("codec", "options"), [("libx264", {"crf": "18"}), ("libvpx", {"b": "1M"})])
def test_a_camera_through_a_real_encoder_at_a_fine_quantiser_passes(
    codec: str, options: dict[str, str]
) -> None:
    data = _encode(_scene(np.random.default_rng(6), 2.0), codec, options)
    r = _reading([f.rgb for f in framing.read_video(data)])
    assert camera_noise.verdict(r) == [], r
