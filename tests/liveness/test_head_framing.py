"""The generator's head-framing axes (long hair, a collar, a hat, a wall) and its new cuts
(a rounded rectangle, a torn edge): they change what surrounds the face, never the face."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from kyc_sdk.liveness import synth_variants


def _face_core(points: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    """The eyes, nose and mouth: what no framing may cover."""
    mask = np.zeros(shape, np.uint8)
    cv2.fillConvexPoly(mask, cv2.convexHull(points[17:68].astype(np.int32)), 1)
    return mask.astype(bool)


@pytest.mark.parametrize(
    "framing",
    [{"hair": 1.0, "wall": 0}, {"hair": 0.8, "wall": 1}, {"collar": 1, "wall": 1}, {"hat": 1, "wall": 0}],
)
def test_framing_changes_the_surroundings_not_the_face(photo, framing) -> None:
    rgb, points = photo("tests_obama.jpg")
    plain = synth_variants.bona_fide(rgb, points, np.random.default_rng(3), condition="plain").astype(float)
    framed = synth_variants.bona_fide(
        rgb, points, np.random.default_rng(3), condition="plain", **framing
    ).astype(float)
    core = _face_core(points, rgb.shape[:2])
    grey_plain, grey_framed = plain.mean(axis=2), framed.mean(axis=2)
    # the face keeps its structure (exposure may differ: the random draws moved)
    assert np.corrcoef(grey_plain[core], grey_framed[core])[0, 1] > 0.9
    around = ~cv2.dilate(core.astype(np.uint8), np.ones((41, 41), np.uint8)).astype(bool)
    # around it the framing changed far more than a moved exposure did on the face
    changed_face = np.abs(grey_plain[core] - grey_framed[core]).mean()
    assert np.abs(grey_plain[around] - grey_framed[around]).mean() > 2 * changed_face + 5


@pytest.mark.parametrize("cut", ["rect", "torn"])
def test_new_cuts_hold_the_whole_face(photo, cut: str) -> None:
    rgb, points = photo("tests_obama.jpg")
    mask = synth_variants._outline(points, rgb.shape[:2], cut, np.random.default_rng(0))
    ellipse = synth_variants._outline(points, rgb.shape[:2], "ellipse", np.random.default_rng(0))
    xs, ys = points[17:68, 0].astype(int), points[17:68, 1].astype(int)
    assert mask[ys, xs].all()
    assert (mask != ellipse).mean() > 0.005


def test_a_dark_rim_is_dark(photo) -> None:
    rgb, points = photo("tests_obama.jpg")
    img = synth_variants.cutout_attack(
        rgb, points, np.random.default_rng(1), cut="rect", rim=3, rim_tone=30.0, dots="am", period=2.2
    )
    mask = synth_variants._outline(points, rgb.shape[:2], "rect", np.random.default_rng(1))
    rim = (cv2.dilate(mask, np.ones((5, 5), np.uint8)) - mask).astype(bool)
    assert img[rim].mean() < img[mask.astype(bool)].mean() - 40


def test_hair_is_never_below_black(photo) -> None:
    """Dark strands stay light, not negative (a low light's noise model takes a square root
    of it: a negative strand was a NaN pixel)."""
    rgb, points = photo("tests_obama.jpg")
    for seed in range(8):  # every hair colour comes up
        hair = synth_variants._long_hair(rgb.astype(np.float32), points, np.random.default_rng(seed), 1.0)
        assert hair.min() > -0.01  # float rounding of the blend aside
    with np.errstate(invalid="raise"):
        img = synth_variants.make("bona_fide", "long-hair-collar-dim", rgb, points, np.random.default_rng(2))
    assert img.shape == rgb.shape
