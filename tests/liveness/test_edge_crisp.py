"""The edge cues (``features.edges``): a recapture's face is blurred twice, a cut-out's
scissor edge once. Checked on drawn steps (what the measure is) and on a tuning pair
through both fitting cameras (decisions between two images, not values)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import pytest

from kyc_sdk.liveness import _faces, features, synth_variants

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"
BOX = (60, 200, 200, 60)  # top, right, bottom, left


def _features_like(rng: np.random.Generator, blur: float, gain: float = 1.0) -> np.ndarray:
    """Dark bars (eyes, brows, a mouth) on a mid-grey face, blurred by ``blur`` and noised."""
    img = np.full((260, 260), 150.0, np.float32)
    for y in (95, 110, 160):
        img[y : y + 8, 85:120] = 60
        img[y : y + 8, 140:175] = 60
    img = cv2.GaussianBlur(img, (0, 0), blur) * gain + rng.normal(0, 2.0, img.shape).astype(np.float32)
    return np.clip(img, 0, 255).astype(np.uint8)


def test_a_second_blur_lowers_edge_crispness() -> None:
    rng = np.random.default_rng(0)
    once = features.edges(_features_like(rng, 0.7), BOX)["edge_crisp"]
    twice = features.edges(_features_like(rng, np.hypot(0.7, 0.9)), BOX)["edge_crisp"]
    assert twice < 0.85 * once


def test_edge_crispness_ignores_exposure() -> None:
    rng = np.random.default_rng(1)
    bright = features.edges(_features_like(rng, 0.8), BOX)["edge_crisp"]
    dim = features.edges(_features_like(rng, 0.8, gain=0.5), BOX)["edge_crisp"]
    assert dim == pytest.approx(bright, rel=0.1)


def test_a_crisp_step_round_a_soft_face_is_a_rim() -> None:
    rng = np.random.default_rng(2)
    soft = _features_like(rng, 1.2).astype(np.float32)
    scene = soft.copy()
    scene[20:240, 30] = scene[20:240, 230] = 250  # a sharp paper edge round the face
    with_rim = features.edges(np.clip(scene, 0, 255).astype(np.uint8), BOX)["rim_crisp"]
    without = features.edges(soft.astype(np.uint8), BOX)["rim_crisp"]
    assert with_rim > without + 0.2


def test_no_face_area_gives_neutral_values() -> None:
    out = features.edges(np.zeros((20, 20), np.uint8), (2, 18, 18, 2))
    assert out == {"edge_crisp": 0.0, "rim_crisp": 0.0}


@pytest.fixture(scope="module")
def pad_data() -> Iterator[Any]:
    sys.path.insert(0, str(BENCHMARKS))
    try:
        import pad_data

        yield pad_data
    finally:
        sys.path.remove(str(BENCHMARKS))


def _edges(pad_data: Any, species: str, variant: str, sensor: str) -> dict[str, float]:
    """The edge cues of a tuning image (``pad_data.TUNE``, base 100) of the first fitting
    face, seed 0, taken with ``sensor``."""
    src = pad_data.load(pad_data.FIT_SOURCES[0])
    rng = np.random.default_rng([100, 0, pad_data.TUNE[species].index(variant), 0, len(species)])
    img = synth_variants.make(species, variant, src.rgb, src.points, rng, sensor=sensor)
    rgb, box = features.normalise(img, _faces.box_of(_faces.one_face(img), img.shape))
    return features.edges(cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY), box)


@pytest.mark.slow  # six generated tuning images
@pytest.mark.parametrize("sensor", ["iid", "bayer"])
def test_tuning_cutouts_against_a_dim_face_through_both_cameras(pad_data: Any, sensor: str) -> None:
    live = _edges(pad_data, "bona_fide", "tune-dim-plain", sensor)
    soft = _edges(pad_data, "cutout", "tune-ellipse-am-fine-soft", sensor)
    rimmed = _edges(pad_data, "cutout", "tune-head-am-fine-soft-rim", sensor)
    assert soft["edge_crisp"] < live["edge_crisp"]
    assert rimmed["edge_crisp"] < live["edge_crisp"]
    assert rimmed["rim_crisp"] > live["rim_crisp"] + 0.1
