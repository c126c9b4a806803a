"""``liveness_eval.py --video-log``: one line per checked video, so a single look at a
held-out group sorts its refusals by cause (decision, every reason, steps, every cue)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from kyc_sdk.liveness import Challenge
from kyc_sdk.liveness.result import LivenessResult

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
import liveness_eval


def _refused(*_args: object, **_kwargs: object) -> LivenessResult:
    steps = [{"action": "blink", "done": True, "t": 1.2}, {"action": "turn_left", "done": False, "t": None}]
    cues = {"frames": 10.0, "passive_score": 0.21, "camera_noise": 1.37}
    return LivenessResult(
        False, 0.2, ("recapture_texture", "challenge_not_met:turn_left"), steps, cues, "active"
    )


@pytest.mark.parametrize("on", [True, False])
def test_each_checked_video_is_logged_with_its_causes(monkeypatch, capsys, on: bool) -> None:
    monkeypatch.setattr(liveness_eval, "check_video", _refused)
    monkeypatch.setitem(liveness_eval.LOG, "video", on)
    tally = liveness_eval.VideoTally()
    tally.add(
        "bona fide (video)",
        "phone_low_light",
        liveness_eval._check([None] * 10, Challenge(("blink",), "n", 0.0)),
    )
    out = capsys.readouterr().out
    assert tally.rows[("bona fide (video)", "phone_low_light")] == [
        (False, ("recapture_texture", "challenge_not_met:turn_left"))
    ]
    if not on:
        assert out == ""
        return
    line, named = out.splitlines()
    assert "live=False" in line and "challenge_not_met:turn_left" in line and "recapture_texture" in line
    assert "blink@1.2" in line and "turn_left:missed" in line
    assert "passive_score=0.21" in line and "camera_noise=1.37" in line and "frames=" not in line
    assert named == "  ^ bona fide (video) | phone_low_light"
