"""Frames injected with grain an attacker adds so that a camera seems to have made them
(``synth_video.grain``), and the known limit of ``camera_noise`` against them."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from kyc_sdk.liveness import Challenge, check_video, synth_video

NOW = 1_000.0


def _levels() -> np.ndarray:
    """A frame whose left half is dark (30) and right half bright (200), uint8."""
    img = np.full((128, 256, 3), 30, np.uint8)
    img[:, 128:] = 200
    return img


def _grain(mode: str) -> np.ndarray:
    """Frame-to-frame change of ``_levels`` under ``mode``'s grain, over a few frames
    (frames, rows, columns, channels), the edge between the halves left out."""
    img = _levels()
    rng = np.random.default_rng(3)
    frames = [synth_video.grain(img, mode, rng, 90).astype(np.float32) for _ in range(4)]
    d = np.stack([b - a for a, b in itertools.pairwise(frames)])
    return np.concatenate([d[:, 8:-8, 8:120], d[:, 8:-8, 136:-8]], axis=2)


def test_shot_grain_grows_with_the_level_and_gaussian_grain_does_not() -> None:
    shot, fine = _grain("grain_shot")[..., 1], _grain("grain_fine")[..., 1]
    half = shot.shape[2] // 2
    assert shot[:, :, half:].std() > 1.5 * shot[:, :, :half].std()
    assert 0.8 < fine[:, :, half:].std() / fine[:, :, :half].std() < 1.25


@pytest.mark.parametrize("mode", ["grain_level_rechained", "grain_transplanted"])
def test_fresh20_grain_grows_with_the_level(mode: str) -> None:
    """FRESH20's grain follows a camera's noise law: stronger on the bright half."""
    d = _grain(mode)[..., 1]
    half = d.shape[2] // 2
    assert d[:, :, half:].std() > 1.3 * d[:, :, :half].std()


def test_an_unknown_grain_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown grain"):
        synth_video.grain(_levels(), "grain_pink", np.random.default_rng(0), 90)


@pytest.mark.slow
@pytest.mark.xfail(
    strict=True,
    reason="known limit (stop 22): fresh grain each frame reads as a camera's noise, and no "
    "pixel cue tried tells it from the i.i.d. camera's noise on the tuning videos (CHANGELOG)",
)
@pytest.mark.parametrize("mode", ["grain_fine", "grain_mono"])
def test_frames_injected_with_grain_are_refused_as_injected(photo, mode: str) -> None:
    rgb, points = photo("tests_obama.jpg")
    steps = ("turn_left", "open_mouth")
    video = synth_video.injected(rgb, points, steps, np.random.default_rng(1), mode=mode)
    r = check_video(video, challenge=Challenge(steps, "n-1", NOW - 5.0, 30.0), now=NOW)
    assert not r.live and "injected_frames" in r.reasons
