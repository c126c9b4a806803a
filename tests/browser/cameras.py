"""The browser tests' camera files, generated once and kept in ``build/test-cache``.

Generating them (a synthetic person animated in 3-D, frame by frame) took 25-34 s of CPU
per fixture, inside the serial part of ``make test`` where nothing else runs.
``scripts/run-tests.sh`` runs ``python -m tests.browser.cameras`` beside the parallel part,
and the fixtures read what it made; run alone, a fixture makes what is missing itself. The
frames are the ones the fixtures made before, from the same seeds in the same order; a
change to the package, to this folder's code or to the input photo makes them again
(``tests.build_cache``).
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from kyc_sdk.liveness import ACTIONS, fake_camera
from tests import build_cache

HERE = Path(__file__).resolve().parent
# the test code that makes the files (besides the package): here, the camera file's tail, the photo's scaling
MADE_BY = [HERE / "cameras.py", HERE / "harness.py", HERE.parent / "liveness" / "conftest.py"]
FACE_PHOTO = ("faces", "tests_obama.jpg")  # the recording tests' person, under ../shared/data

# the recording tests' challenge: turns and an open mouth hold for half a second, so a
# frame the encoder drops cannot hide them (a blink's three closed frames can be;
# benchmarks/browser_capture.py measures one)
STEPS = ("turn_right", "open_mouth")
# the capture page's tests
LEAD_S = 2.0  # the page's "look at the camera" before the first step
TAIL_S = 6.0  # stillness after the steps, longer than the page's recording could run past them
CAMERA_SIZE = (640, 480)  # the page's ideal camera size


def recording(shared_data: Path) -> Path:
    """``genuine.y4m`` (a person performing ``STEPS``, the held-out 3-D animation) and
    ``still.y4m`` (a still photo held to the camera), for ``test_recording.py``."""
    photo = shared_data.joinpath(*FACE_PHOTO)

    def make(out: Path) -> None:
        from kyc_sdk import faces
        from kyc_sdk.imaging import load_rgb
        from kyc_sdk.liveness import Challenge
        from tests.browser import harness
        from tests.liveness.conftest import camera_size

        rgb = camera_size(load_rgb(photo))
        points = faces.landmarks(rgb, faces.single_face(rgb))
        steps = Challenge(STEPS, "browser-1", 0.0, 30.0)  # only its steps shape the frames
        harness.challenge_camera(out / "genuine.y4m", rgb, points, steps, np.random.default_rng(11))
        fake_camera.still_y4m(out / "still.y4m", rgb, np.random.default_rng(12))

    return build_cache.folder("recording-cameras", [*MADE_BY, photo], make)


def page() -> Path:
    """For ``test_page.py``: the sample person's neutral ``lead.y4m``, one clip per action
    (``blink.y4m``...: from the neutral face and back, then the pause between steps), a
    still ``tail.y4m``, and ``still.y4m``, a still photo of the person held to the camera."""

    def make(out: Path) -> None:
        from kyc_sdk import faces
        from kyc_sdk.liveness import synth_video
        from kyc_sdk.registration import samples

        face = fake_camera.webcam_frame(np.array(samples.selfie_frame()), CAMERA_SIZE)
        points = faces.landmarks(face, faces.single_face(face))
        rng = np.random.default_rng(21)

        def clip(name: str, script: tuple[str, ...], lead_s: float) -> None:
            frames = synth_video.animate(face, points, script, rng, method="3d", lead_s=lead_s)
            fake_camera.write_y4m(out / f"{name}.y4m", (f for _, f in frames))

        clip("lead", (), LEAD_S)  # in this order: the clips share one generator
        for action in ACTIONS:
            clip(action, (action,), 0.0)
        clip("tail", (), TAIL_S)
        fake_camera.still_y4m(out / "still.y4m", face, np.random.default_rng(22), seconds=6.0)

    return build_cache.folder("page-cameras", MADE_BY, make)


def _frames_of(y4m: Path) -> tuple[bytes, bytes]:
    """A y4m file's header line and its frames (each ``FRAME\\n`` and its planes)."""
    data = y4m.read_bytes()
    end = data.index(b"\n") + 1
    return data[:end], data[end:]


class DrawnCamera:
    """A camera file that performs the challenge the service drew: ``perform(steps)``
    rewrites it (a new file moved over the old, so Chromium never reads half of one) from
    ``page()``'s clips, joined frame by frame."""

    def __init__(self, path: Path, clips: Path) -> None:
        self.path = path
        self.header, self.lead = _frames_of(clips / "lead.y4m")
        self.clips = {action: _frames_of(clips / f"{action}.y4m")[1] for action in ACTIONS}
        self.tail = _frames_of(clips / "tail.y4m")[1]
        self._write(path, [])  # what the browser finds at launch

    def _write(self, path: Path, steps: list[str]) -> Path:
        path.write_bytes(b"".join([self.header, self.lead, *(self.clips[s] for s in steps), self.tail]))
        return path

    def perform(self, steps: list[str]) -> None:
        os.replace(self._write(self.path.with_suffix(".new"), steps), self.path)


if __name__ == "__main__":
    # scripts/run-tests.sh, beside the parallel part: the serial part's browser tests then
    # find their cameras made
    from tests.browser import harness
    from tests.conftest import SHARED_DATA

    if harness.CHROMIUM.exists():
        print("browser cameras:", recording(SHARED_DATA).name, page().name)
