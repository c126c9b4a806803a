"""The camera-noise cue (``motion.pixel_cues``): a sensor's noise reads over
``video.CAMERA_NOISE``, a repeated backdrop under it; through real encoders (FFmpeg's x264
and libvpx, by PyAV) rendered frames stay under it, and a camera at a fine quantiser over
it. A codec that copies still blocks (skip blocks) takes a genuine capture under it: the
known limit the capture page works around (MP4 made of key frames only)."""

from __future__ import annotations

import io

import av
import numpy as np
import pytest

from kyc_sdk.liveness import frames as framing
from kyc_sdk.liveness import motion
from kyc_sdk.liveness.video import CAMERA_NOISE

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


def _noise(frames: list[np.ndarray]) -> float:
    return motion.pixel_cues(frames)[0]


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


def test_a_sensors_noise_reads_over_the_threshold() -> None:
    assert _noise(_scene(np.random.default_rng(1), 2.0)) >= CAMERA_NOISE


def test_a_backdrop_repeated_exactly_reads_under_it() -> None:
    assert _noise(_scene(np.random.default_rng(2), 0.0)) < CAMERA_NOISE


def test_blocks_a_codec_copied_take_a_genuine_capture_under_it() -> None:
    """The limit: most flat pixels repeat exactly, whatever made the frames."""
    rng = np.random.default_rng(3)
    assert _noise(_skip_blocks(_scene(rng, 2.0), 0.7, rng)) < CAMERA_NOISE


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
def test_rendered_frames_through_a_real_encoder_read_under_it(codec: str, options: dict[str, str]) -> None:
    data = _encode(_scene(np.random.default_rng(5), 0.0), codec, options)
    assert _noise([f.rgb for f in framing.read_video(data)]) < CAMERA_NOISE


@pytest.mark.parametrize(("codec", "options"), [("libx264", {"crf": "18"}), ("libvpx", {"b": "1M"})])
def test_a_camera_through_a_real_encoder_at_a_fine_quantiser_reads_over_it(
    codec: str, options: dict[str, str]
) -> None:
    data = _encode(_scene(np.random.default_rng(6), 2.0), codec, options)
    assert _noise([f.rgb for f in framing.read_video(data)]) >= CAMERA_NOISE


def test_row_medians_are_the_rows_nanmedians() -> None:
    """The banding profile's fast row median agrees with ``np.nanmedian`` on rows with odd
    and even counts of finite values and with NaN anywhere in them."""
    rng = np.random.default_rng(5)
    x = rng.normal(0, 0.05, (60, 41)).astype(np.float32)
    x[rng.random(x.shape) < 0.4] = np.nan
    x[:, 0] = 0.01  # every row keeps a finite value
    x[3, 1:] = np.nan  # a row with one finite value
    x[4, 2:] = np.nan  # and one with two
    counts = np.isfinite(x).sum(axis=1)
    assert {c % 2 for c in counts} == {0, 1}
    np.testing.assert_allclose(motion._row_medians(x), np.nanmedian(x, axis=1), rtol=1e-6, atol=1e-9)
