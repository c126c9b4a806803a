"""Recordings made once per session by headless Chromium through the test page: a
generated person performing a challenge, and a still photo, each as the fake camera,
recorded in every ``MediaRecorder`` type of ``harness.TYPES`` that the browser supports."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

from kyc_sdk import faces
from kyc_sdk.imaging import load_rgb
from kyc_sdk.liveness import Challenge, fake_camera
from tests.browser import harness
from tests.liveness.conftest import camera_size

NOW = 1_000.0
# turns and an open mouth hold for half a second: a frame the encoder drops cannot hide
# them (a blink's three closed frames can be; benchmarks/browser_capture.py measures one)
STEPS = ("turn_right", "open_mouth")


def challenge(steps: tuple[str, ...] = STEPS) -> Challenge:
    return Challenge(steps, "browser-1", NOW - 5.0, 30.0)


@dataclass(frozen=True)
class Recorded:
    camera: Path  # the .y4m the browser filmed
    files: dict[str, Path]  # codec -> the uploaded recording, as the server received it
    mimes: dict[str, str]  # codec -> the type MediaRecorder reported


@pytest.fixture(scope="session")
def chromium() -> Path:
    if not harness.CHROMIUM.exists():
        pytest.skip(f"{harness.CHROMIUM} is absent: apt-get install chromium (scripts/setup.sh does)")
    return harness.CHROMIUM


def _record(camera: Path, out: Path, seconds: float) -> Recorded:
    files, mimes = {}, {}
    with harness.browser(camera) as page:
        for codec, (mime, suffix) in harness.TYPES.items():
            if not page.supported(mime):
                continue
            rec = page.record(codec, mime, seconds)
            files[codec] = out / f"{camera.stem}-{codec}{suffix}"
            files[codec].write_bytes(rec.data)
            mimes[codec] = rec.mime
    return Recorded(camera, files, mimes)


@pytest.fixture(scope="session")
def person(shared_data: Path) -> tuple[np.ndarray, np.ndarray]:
    rgb = camera_size(load_rgb(shared_data / "faces" / "tests_obama.jpg"))
    return rgb, faces.landmarks(rgb, faces.single_face(rgb))


@pytest.fixture(scope="session")
def genuine(chromium: Path, person, tmp_path_factory: pytest.TempPathFactory) -> Recorded:
    """The person performing ``challenge()`` (the held-out 3-D animation), recorded."""
    out = tmp_path_factory.mktemp("genuine")
    rgb, points = person
    camera = harness.challenge_camera(
        out / "genuine.y4m", rgb, points, challenge(), np.random.default_rng(11)
    )
    return _record(camera, out, harness.challenge_seconds(camera))


@pytest.fixture(scope="session")
def still(chromium: Path, person, tmp_path_factory: pytest.TempPathFactory) -> Recorded:
    """A still photo held to the camera, recorded."""
    out = tmp_path_factory.mktemp("still")
    camera = fake_camera.still_y4m(out / "still.y4m", person[0], np.random.default_rng(12))
    return _record(camera, out, fake_camera.seconds(camera))
