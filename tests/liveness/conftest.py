"""Fixtures for liveness tests: public face photos at camera size, and generated video."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from kyc_sdk import faces
from kyc_sdk.imaging import load_rgb
from kyc_sdk.liveness import synth_video


def camera_size(rgb: np.ndarray, side: int = 640) -> np.ndarray:
    """Scale a photo so its long side is ``side`` pixels, like a phone's video frame."""
    s = side / max(rgb.shape[:2])
    return cv2.resize(rgb, None, fx=s, fy=s, interpolation=cv2.INTER_AREA) if s < 1 else rgb


@pytest.fixture(scope="session")
def photo(shared_data: Path):
    """``photo(name)`` -> (RGB at 640 px, its 68 landmarks), cached."""
    cache: dict[str, tuple[np.ndarray, np.ndarray]] = {}

    def get(name: str) -> tuple[np.ndarray, np.ndarray]:
        if name not in cache:
            rgb = camera_size(load_rgb(shared_data / "faces" / name))
            face = faces.single_face(rgb)
            cache[name] = (rgb, faces.landmarks(rgb, face))
        return cache[name]

    return get


@pytest.fixture(scope="session")
def obama_video(photo):
    """A bona fide generated video of tests_obama.jpg doing blink, turn_left, open_mouth."""
    rgb, points = photo("tests_obama.jpg")
    steps = ("blink", "turn_left", "open_mouth")
    return steps, synth_video.animate(rgb, points, steps, np.random.default_rng(7))
