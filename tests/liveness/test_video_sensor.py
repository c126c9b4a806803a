"""The video generator's camera sensor (``synth_video.camera(sensor=...)``): the i.i.d.
noise every split before FRESH13 was made with stays the default, and the Bayer pipeline
(``synth_variants.bayer``) correlates neighbours and folds a fine pattern into colour."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from kyc_sdk.liveness import synth_video

FLAT = np.full((160, 160, 3), 120, np.float32)


def _slow_red_less_blue(frame: np.ndarray) -> float:
    """How much red less blue varies over a few pixels and more (a colour moiré; noise
    averages out), away from the borders."""
    f = frame.astype(np.float32)[30:-30, 30:-30]
    rb = f[..., 0] - f[..., 2]
    return float(cv2.GaussianBlur(rb - rb.mean(), (0, 0), 2.0).std())


def test_the_default_sensor_is_the_old_one() -> None:
    assert synth_video.Capture().sensor == "iid"
    a = synth_video.camera(FLAT, np.random.default_rng(1))
    b = synth_video.camera(FLAT, np.random.default_rng(1), sensor="iid")
    assert np.array_equal(a, b)
    shown = [(0.0, FLAT.astype(np.uint8))] * 2
    old = synth_video.on_screen(shown, np.random.default_rng(2))
    new = synth_video.on_screen(shown, np.random.default_rng(2), sensor="iid")
    assert all(np.array_equal(x, y) for (_, x), (_, y) in zip(old, new, strict=True))


def test_an_unknown_sensor_is_refused() -> None:
    with pytest.raises(ValueError, match="sensor"):
        synth_video.camera(FLAT, np.random.default_rng(3), sensor="film")


def test_demosaicing_correlates_neighbouring_pixels() -> None:
    def correlation(sensor: str) -> float:
        out = synth_video.camera(
            FLAT, np.random.default_rng(4), noise=4.0, quality=95, tremor=0, sensor=sensor
        )
        g = out[..., 1].astype(np.float32)
        g -= g.mean()
        return float(np.corrcoef(g[:, :-1].ravel(), g[:, 1:].ravel())[0, 1])

    assert correlation("iid") < 0.15
    assert correlation("bayer") > 0.4


def test_a_grey_pattern_near_the_photosites_colour_period_folds_into_colour() -> None:
    """Red and blue photosites sit every other pixel: grey stripes at 0.47 cycles per pixel
    alias in each to a slow beat, in opposite phase (they sit a pixel apart), so a grey
    pattern comes out as a slow colour moiré, which per-pixel noise never makes."""
    x = np.arange(FLAT.shape[1], dtype=np.float32)
    stripes = FLAT + 40 * np.cos(2 * np.pi * 0.47 * x)[None, :, None]
    iid = synth_video.camera(stripes, np.random.default_rng(5), tremor=0, sensor="iid")
    bayer = synth_video.camera(stripes, np.random.default_rng(5), tremor=0, sensor="bayer")
    assert _slow_red_less_blue(iid) < 2.0
    assert _slow_red_less_blue(bayer) > 10.0


def test_a_screen_near_two_photosites_a_pixel_leaves_a_colour_moire() -> None:
    """A subpixel screen at two camera pixels a screen pixel, filmed still on a flat grey."""
    grey = [(i / 15, np.full((160, 160, 3), 140, np.uint8)) for i in range(2)]
    screen = synth_video.Subpixels(pitch=2.0, tilt=0.0, hand=0.0, gamma=1.0)
    reading = {
        sensor: min(
            _slow_red_less_blue(f)
            for _, f in synth_video.on_subpixel_screen(grey, np.random.default_rng(6), screen, sensor=sensor)
        )
        for sensor in ("iid", "bayer")
    }
    assert reading["bayer"] > 4 * max(reading["iid"], 1.0), reading


def test_every_camera_in_the_generator_takes_the_sensor(photo) -> None:
    rgb, points = photo("tests_obama.jpg")
    rgb = np.ascontiguousarray(rgb[::2, ::2])
    points = points / 2

    def both(make):
        return [make("iid"), make("bayer")]

    made = {
        "capture": both(
            lambda s: synth_video.animate(
                rgb, points, (), np.random.default_rng(7), lead_s=0.2, capture=synth_video.Capture(sensor=s)
            )
        ),
        "print": both(lambda s: synth_video.print_moved(rgb, np.random.default_rng(8), 0.2, sensor=s)),
        "cutout": both(
            lambda s: synth_video.cutout(rgb, points, ("blink",), np.random.default_rng(11), sensor=s)
        ),
        "still": both(lambda s: synth_video.still_video(rgb, np.random.default_rng(9), 0.2, sensor=s)),
        "expression": both(
            lambda s: synth_video.still_expression(rgb, points, np.random.default_rng(10), 0.2, sensor=s)
        ),
    }
    for name, (iid, bayer) in made.items():
        assert len(iid) == len(bayer) > 0, name
        assert bayer[0][1].shape == rgb.shape and bayer[0][1].dtype == np.uint8, name
        assert not np.array_equal(iid[0][1], bayer[0][1]), name
