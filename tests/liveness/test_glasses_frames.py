"""Glasses in several frame styles (synth_variants.FRAMES): an eye-region cue must be
fitted against each, so each must draw round the eyes and nowhere else."""

from __future__ import annotations

import numpy as np
import pytest

from kyc_sdk.liveness import synth_variants


def _face() -> tuple[np.ndarray, np.ndarray]:
    """A flat grey 'face' with 68 points laid out like a frontal face's."""
    img = np.full((240, 240, 3), 150.0, np.float32)
    pts = np.zeros((68, 2))
    pts[:17] = np.c_[np.linspace(60, 180, 17), 120 + 60 * np.sin(np.linspace(0, np.pi, 17))]
    pts[17:27] = np.c_[np.linspace(70, 170, 10), np.full(10, 85)]
    for first, cx in ((36, 95), (42, 145)):
        t = np.linspace(0, 2 * np.pi, 6, endpoint=False)
        pts[first : first + 6] = np.c_[cx + 14 * np.cos(t), 100 + 5 * np.sin(t)]
    pts[48:68] = np.c_[np.linspace(100, 140, 20), np.full(20, 170)]
    return img, pts


@pytest.mark.parametrize("frame", sorted(synth_variants.FRAMES))
def test_each_frame_draws_round_the_eyes_only(frame: str) -> None:
    img, pts = _face()
    out = synth_variants._glasses(img, pts, np.random.default_rng(0), 0.12, frame)
    changed = np.abs(out - img).max(axis=2) > 2
    assert changed[80:125, 70:170].mean() > 0.1  # the lenses and rims
    assert not changed[150:, :].any()  # mouth and chin untouched


def test_frames_differ_from_the_first_style() -> None:
    img, pts = _face()
    first = synth_variants._glasses(img, pts, np.random.default_rng(0), 0.12)
    for frame in synth_variants.FRAMES:
        other = synth_variants._glasses(img, pts, np.random.default_rng(0), 0.12, frame)
        assert np.abs(other - first).mean() > 0.5, frame
