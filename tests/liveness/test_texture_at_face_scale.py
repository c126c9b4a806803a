"""The camera-invariant texture measures (``features.spectrum_fixed``, ``noise_binned``,
``texture_fixed``): a camera that reads the frame at a lower resolution, or smooths single
pixels, must move them less than it moves the native-resolution measures they replace."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from kyc_sdk import faces
from kyc_sdk.liveness import features


def _binned(rgb: np.ndarray, factor: float) -> np.ndarray:
    """The frame read at 1/``factor`` of its size and scaled back up, as a binning sensor does."""
    h, w = rgb.shape[:2]
    small = cv2.resize(rgb, (int(w / factor), int(h / factor)), interpolation=cv2.INTER_AREA)
    return cv2.resize(small, (w, h), interpolation=cv2.INTER_LINEAR)


@pytest.fixture(scope="module")
def noisy_face(photo):
    rgb, _ = photo("tests_obama.jpg")
    noisy = rgb.astype(np.float32) + np.random.default_rng(0).normal(0, 4.0, rgb.shape)
    face = faces.single_face(rgb)
    return np.clip(noisy, 0, 255).astype(np.uint8), face.box


@pytest.mark.parametrize(("fixed", "native"), [("hf_fixed", "hf_ratio"), ("slope_fixed", "slope")])
def test_binning_moves_the_fixed_scale_spectrum_less(noisy_face, fixed: str, native: str) -> None:
    rgb, box = noisy_face
    plain, binned = features.measure(rgb, box), features.measure(_binned(rgb, 1.6), box)
    assert abs(binned[fixed] - plain[fixed]) < 0.8 * abs(binned[native] - plain[native])


def test_binning_moves_the_binned_noise_less(noisy_face) -> None:
    rgb, box = noisy_face
    plain, binned = features.measure(rgb, box), features.measure(_binned(rgb, 1.6), box)
    ratio = {k: binned[k] / plain[k] for k in ("noise", "noise_binned")}
    assert ratio["noise"] < ratio["noise_binned"] <= 1.05


def test_a_recapture_blur_still_lowers_the_fixed_scale_band(noisy_face) -> None:
    """Invariance must not cost the trace: paper and a second lens blur at the face's own
    scale (here a Gaussian of 3 px on a ~250 px face), which the fixed-scale band sees."""
    rgb, box = noisy_face
    blurred = cv2.GaussianBlur(rgb, (0, 0), 3.0)
    assert features.measure(blurred, box)["hf_fixed"] < features.measure(rgb, box)["hf_fixed"] - 0.5


def test_tiny_faces_give_zeros_not_errors() -> None:
    rgb = np.full((40, 40, 3), 128, np.uint8)
    v = features.measure(rgb, (5, 35, 35, 5))
    assert v["hf_fixed"] == 0.0 and v["slope_fixed"] == 0.0 and np.isfinite(v["noise_binned"])
