"""The shipped passive model on fitting-split scenes through both cameras the generator has:
its own i.i.d. camera (the one the model was fitted through) and a phone's Bayer pipeline
(``synth_variants.camera(sensor="bayer")``). Each scene is remade as ``train_pad`` made it
(source, variant, seed); decisions, not scores, are compared. Stop 21 refitted through both
cameras (``train_pad.py --sensors iid bayer``): the dim Bayer bona fide below became live,
but more dim prints passed on a held-out group, so that model was not shipped and these
two stay expected failures (issue 14: the model has learnt the generator's camera)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from kyc_sdk.liveness import check_image, synth_variants

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"
OBAMA, OBAMA1 = "faces/tests_obama.jpg", "faces/knn_test_obama1.jpg"
ONE_CAMERA = pytest.mark.xfail(
    strict=True, reason="fitted through the generator's camera only; refused through the Bayer phone"
)


@pytest.fixture(scope="module")
def pad_data() -> Iterator[Any]:
    sys.path.insert(0, str(BENCHMARKS))
    try:
        import pad_data

        yield pad_data
    finally:
        sys.path.remove(str(BENCHMARKS))


def _scene(pad_data: Any, species: str, variant: str, source: str, seed: int, sensor: str) -> np.ndarray:
    """The fitting image of ``source``, ``variant`` and ``seed``, taken with ``sensor``."""
    k = pad_data.FIT_SOURCES.index(source)
    j = pad_data.FIT[species].index(variant)
    src = pad_data.load(source)
    rng = np.random.default_rng([0, k, j, seed, len(species)])
    return synth_variants.make(species, variant, src.rgb, src.points, rng, sensor=sensor)


@pytest.mark.parametrize(
    ("variant", "source", "seed", "sensor"),
    [
        ("plain", OBAMA, 0, "iid"),
        ("plain", OBAMA, 1, "bayer"),
        ("dim-light", OBAMA, 1, "iid"),
        pytest.param("dim-light", OBAMA, 0, "bayer", marks=ONE_CAMERA),
        pytest.param("low-light", OBAMA1, 0, "bayer", marks=ONE_CAMERA),
    ],
)
def test_fitting_bona_fide_through_both_cameras(
    pad_data: Any, variant: str, source: str, seed: int, sensor: str
) -> None:
    r = check_image(_scene(pad_data, "bona_fide", variant, source, seed, sensor))
    assert r.live, r.reasons


@pytest.mark.slow  # six generated attacks, a few seconds each under load
@pytest.mark.parametrize(
    ("species", "variant", "seed", "sensor"),
    [
        ("print", "am-85lpi-matte", 0, "bayer"),
        ("print", "am-85lpi-matte", 1, "iid"),
        ("cutout", "ellipse", 0, "bayer"),
        ("cutout", "ellipse", 1, "iid"),
        ("replay", "tablet", 0, "iid"),
        ("replay", "tablet", 1, "bayer"),
    ],
)
def test_fitting_attacks_are_refused_through_both_cameras(
    pad_data: Any, species: str, variant: str, seed: int, sensor: str
) -> None:
    r = check_image(_scene(pad_data, species, variant, OBAMA, seed, sensor))
    assert not r.live
