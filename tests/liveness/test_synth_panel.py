"""A screen filmed at the phone sensor's scale (``synth_panel.on_panel``): a lattice finer
than the frame's pixels but within the lens's reach at the sensor's aliases into a colour
moiré, which the frame-scale renderer (``on_subpixel_screen``) averages away; a plain
scene through the same phone camera stays plain."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from kyc_sdk.liveness import synth_panel, synth_video

GREY = [(i / 15, np.full((160, 160, 3), 140, np.uint8)) for i in range(2)]
STILL = {"tilt": 0.0, "hand": 0.0, "gamma": 1.0}


def _colour_beat(frame: np.ndarray) -> float:
    """Red less blue's variation over a few pixels and more, away from the borders."""
    f = frame.astype(np.float32)[30:-30, 30:-30]
    rb = f[..., 0] - f[..., 2]
    return float(cv2.GaussianBlur(rb - rb.mean(), (0, 0), 2.0).std())


def test_a_screen_at_two_photosites_a_pixel_aliases_in_the_mosaic() -> None:
    """Pitch 1.0 frame pixels: two photosites, where red and blue sit every other one."""
    panel = synth_panel.on_panel(
        GREY, np.random.default_rng(1), synth_panel.Panel(pitch=1.0, angle=3.0, **STILL)
    )
    frame_scale = synth_video.on_subpixel_screen(
        GREY, np.random.default_rng(1), synth_video.Subpixels(pitch=1.0, angle=3.0, **STILL), sensor="bayer"
    )
    assert _colour_beat(panel[0][1]) > 4 * max(_colour_beat(frame_scale[0][1]), 1.0)


def test_a_plain_scene_through_the_phone_camera_has_no_colour_beat() -> None:
    flat = np.full((160, 160, 3), 140, np.float32)
    frame = synth_video.camera(flat, np.random.default_rng(2), sensor="phone")
    assert frame.shape == flat.shape
    assert _colour_beat(frame) < 2.0  # chroma noise only: a screen at pitch 1.0 reads about 25


def test_a_panel_needs_the_phone_camera() -> None:
    with pytest.raises(ValueError, match="sensor"):
        synth_panel.on_panel(GREY, np.random.default_rng(3), sensor="bayer")
