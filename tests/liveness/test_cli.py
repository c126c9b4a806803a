"""``kyc-sdk liveness IMG_OR_VIDEO [--challenge …]``: passive on an image, active on a video."""

from __future__ import annotations

import json
from pathlib import Path

import cv2
import numpy as np
import pytest
from click.testing import CliRunner

from kyc_sdk.cli import main

pytestmark = pytest.mark.slow  # seconds, not milliseconds: `make check` leaves it out


def run(*args: str) -> tuple[int, dict]:
    result = CliRunner().invoke(main, ["liveness", *args, "--json"])
    return result.exit_code, json.loads(result.stdout)


def test_image_is_checked_passively(shared_data: Path) -> None:
    code, out = run(str(shared_data / "liveness" / "image_F2.jpg"))
    assert code == 0 and out["method"] == "passive" and out["live"] is False and out["reasons"]


def test_video_is_checked_against_the_challenge(obama_video, tmp_path: Path) -> None:
    steps, frames = obama_video
    path = tmp_path / "selfie.avi"
    h, w = frames[0][1].shape[:2]
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 15.0, (w, h))
    for _, rgb in frames:
        writer.write(np.ascontiguousarray(rgb[:, :, ::-1]))
    writer.release()
    code, out = run(str(path), "--challenge", ",".join(steps))
    assert code == 0 and out["method"] == "active" and out["live"] is True, out["reasons"]
    assert [c["action"] for c in out["challenges"]] == list(steps)
    code, out = run(str(path), "--challenge", "turn_right,blink")
    assert code == 0 and out["live"] is False and out["reasons"]
