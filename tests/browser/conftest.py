"""Recordings made once per session by headless Chromium through the test page: a
generated person performing a challenge, and a still photo, each as the fake camera
(``cameras.recording``, made once per code change), recorded in every ``MediaRecorder``
type of ``harness.TYPES`` that the browser supports."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from kyc_sdk.liveness import Challenge, fake_camera
from tests.browser import cameras, harness
from tests.browser.cameras import STEPS

NOW = 1_000.0


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
def genuine(chromium: Path, shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Recorded:
    """The person performing ``challenge()`` (the held-out 3-D animation), recorded."""
    out = tmp_path_factory.mktemp("genuine")
    camera = Path(shutil.copyfile(cameras.recording(shared_data) / "genuine.y4m", out / "genuine.y4m"))
    return _record(camera, out, harness.challenge_seconds(camera))


@pytest.fixture(scope="session")
def still(chromium: Path, shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Recorded:
    """A still photo held to the camera, recorded."""
    out = tmp_path_factory.mktemp("still")
    camera = Path(shutil.copyfile(cameras.recording(shared_data) / "still.y4m", out / "still.y4m"))
    return _record(camera, out, fake_camera.seconds(camera))
