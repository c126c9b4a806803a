"""A face's effective size: its detail, not its pixels (an enlarged thumbnail is small)."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from kyc_sdk import faces
from kyc_sdk.faces.match import RELIABLE_FACE
from kyc_sdk.faces.resolution import effective_size


def enlarged(rgb: np.ndarray, width: int, zoom: float, interpolation: int = cv2.INTER_LINEAR) -> np.ndarray:
    """``rgb`` with its face shrunk to ``width`` px, then enlarged ``zoom`` times as a viewer does."""
    face = faces.single_face(rgb)
    scale = width / (face.box[1] - face.box[3])
    small = cv2.resize(rgb, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    return cv2.resize(small, None, fx=zoom, fy=zoom, interpolation=interpolation)


@pytest.mark.parametrize("name", ["tests_obama.jpg", "tests_biden.jpg", "knn_test_obama1.jpg"])
def test_a_sharp_face_keeps_its_size(image, name: str) -> None:
    rgb = image(name)
    face = faces.single_face(rgb)
    assert face.size >= 2 * RELIABLE_FACE
    assert effective_size(rgb, face) >= RELIABLE_FACE


@pytest.mark.parametrize(
    ("width", "zoom", "interpolation"),
    [(40, 3.5, cv2.INTER_LINEAR), (44, 3.0, cv2.INTER_CUBIC), (48, 2.5, cv2.INTER_LANCZOS4)],
)
def test_an_enlarged_thumbnail_counts_as_small(image, width: int, zoom: float, interpolation: int) -> None:
    big = enlarged(image("tests_obama.jpg"), width, zoom, interpolation)
    face = faces.single_face(big)
    assert face.size >= RELIABLE_FACE  # big in pixels ...
    assert effective_size(big, face) < RELIABLE_FACE  # ... with a thumbnail's detail


def test_the_measure_ignores_contrast_and_exposure(image) -> None:
    rgb = image("tests_biden.jpg")
    face = faces.single_face(rgb)
    dim = (rgb.astype(np.float32) * 0.4 + 40).astype(np.uint8)
    small = enlarged(rgb, 40, 3.5)
    small_face = faces.single_face(small)
    dim_small = (small.astype(np.float32) * 0.4 + 40).astype(np.uint8)
    assert effective_size(dim, face) >= RELIABLE_FACE
    assert effective_size(dim_small, small_face) < RELIABLE_FACE


def test_a_flat_or_tiny_box_is_its_own_size() -> None:
    flat = np.full((200, 200, 3), 90, np.uint8)
    assert effective_size(flat, faces.Face((20, 180, 180, 20), 1.0)) == 160
    assert effective_size(flat, faces.Face((0, 20, 20, 0), 1.0)) == 20
