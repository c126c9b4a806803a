"""Browser-made video through liveness: what Chromium's MediaRecorder does to the checks.

Method: a generated person (``tests_obama.jpg``, the held-out 3-D animation, sensor noise
σ 2 and JPEG 90 per frame as ``synth_video.Capture()`` makes them) performs a three-step
challenge with a blink; a still photo is held to the camera; the same person is rendered
and fed in without a camera (``synth_video.injected``, raw: the virtual-camera attack).
Each is written as a 4:2:0 ``.y4m`` file (``kyc_sdk.liveness.fake_camera``) and played
as the fake camera of the system's headless Chromium, whose test page
(``tests/browser/record.html``) records it with ``MediaRecorder`` in WebM VP8, WebM VP9
and MP4 H.264, at the browser's default bitrate and at 2.5 Mbit/s, and uploads it to a loopback server. Per
file: frames decoded (``frames.read_video``, PyAV) and their spacing, CPU ms per decoded
frame (process time, including scaling and RGB conversion), the camera-noise figure of
each of the twelve sampled frame pairs (``motion.pair_noise``; the check refuses under
``video.CAMERA_NOISE``), the share of those pairs' flat pixels that repeat exactly (blocks
the encoder copied, or a rendered background), and the decision of ``check_video`` with its
reasons. The y4m row is the camera file itself, decoded the same way, before any browser.

What this cannot show: one browser (Chromium on Linux, software encoders), one person,
one run per cell; Safari and phones encode with other encoders and bitrates.

Run: ``.venv/bin/python benchmarks/browser_capture.py`` (about two minutes; needs
/usr/bin/chromium and the ``test`` extra's Playwright).
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import numpy as np

from kyc_sdk import faces
from kyc_sdk.imaging import load_rgb
from kyc_sdk.liveness import Challenge, check_video, fake_camera, motion, synth_video
from kyc_sdk.liveness import frames as framing
from kyc_sdk.liveness.video import CAMERA_NOISE
from tests.browser import harness

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
STEPS = ("blink", "turn_left", "open_mouth")
BITRATES = (0, 2_500_000)  # the browser's default (about 0.6–1.2 Mbit/s here), and what a page may ask


def person() -> tuple[np.ndarray, np.ndarray]:
    rgb = load_rgb(DATA / "faces" / "tests_obama.jpg")
    s = 640 / max(rgb.shape[:2])
    if s < 1:
        import cv2

        rgb = cv2.resize(rgb, None, fx=s, fy=s, interpolation=cv2.INTER_AREA)
    return rgb, faces.landmarks(rgb, faces.single_face(rgb))


def cameras(out: Path, challenge: Challenge) -> dict[str, Path]:
    rgb, points = person()
    injected = synth_video.injected(rgb, points, challenge.steps, np.random.default_rng(7), method="3d")
    return {
        "genuine": fake_camera.challenge_y4m(
            out / "genuine.y4m", rgb, points, challenge, np.random.default_rng(7), method="3d"
        ),
        "still photo": fake_camera.still_y4m(out / "still.y4m", rgb, np.random.default_rng(3)),
        "injected (raw)": fake_camera.write_y4m(out / "injected.y4m", (f for _, f in injected)),
    }


def measure(path: Path, challenge: Challenge) -> str:
    start = time.process_time()
    frames = framing.read_video(path)
    decode_ms = (time.process_time() - start) * 1000 / len(frames)
    gaps = np.diff([f.t for f in frames]) * 1000
    pairs = motion._flat_pairs([f.rgb for f in frames])
    noise = motion.pair_noise(pairs)
    copied = np.median([float(np.mean((b == a)[flat])) for a, b, flat in pairs if flat.any()])
    r = check_video(path, challenge=challenge, now=challenge.issued_at + 1)
    return (
        f"{len(frames):4d} {gaps.min():4.0f}/{np.median(gaps):3.0f}/{gaps.max():4.0f} {decode_ms:6.2f}  "
        f"{copied:6.2f}  {np.median(noise):5.2f} [{' '.join(f'{v:.2f}' for v in noise)}]  "
        f"{'LIVE' if r.live else 'refused'} {', '.join(r.reasons)}"
    )


def main() -> None:
    challenge = Challenge(STEPS, "bench", time.time(), 60.0)
    print(__doc__.split("\n\nRun:")[0])
    print(f"\nchallenge {' → '.join(STEPS)}; camera noise threshold {CAMERA_NOISE}")
    print(
        f"{'camera':15} {'file':9} {'size':>8} {'n':>4} {'gap ms min/med/max':>15} {'ms/fr':>6}  "
        "copied  noise [per pair]  decision"
    )
    with tempfile.TemporaryDirectory(prefix="browser-capture-") as tmp:
        out = Path(tmp)
        for name, y4m in cameras(out, challenge).items():
            print(f"{name:15} {'y4m':9} {y4m.stat().st_size:8d} {measure(y4m, challenge)}")
            with harness.browser(y4m) as page:
                for codec, (mime, suffix) in harness.TYPES.items():
                    if not page.supported(mime):
                        print(f"{name:15} {codec:9} not supported by this MediaRecorder")
                        continue
                    for bits in BITRATES:
                        rec = page.record(codec, mime, fake_camera.seconds(y4m), bits)
                        path = out / f"{y4m.stem}-{codec}-{bits}{suffix}"
                        path.write_bytes(rec.data)
                        label = f"{codec}@{bits / 1e6:g}M" if bits else codec
                        print(f"{name:15} {label:9} {len(rec.data):8d} {measure(path, challenge)}")


if __name__ == "__main__":
    main()
