"""A face's effective size: its detail, not its pixels (an enlarged thumbnail is small)."""

from __future__ import annotations

import io

import cv2
import numpy as np
import pytest
from PIL import Image

from kyc_sdk import faces
from kyc_sdk.faces.match import RELIABLE_FACE
from kyc_sdk.faces.resolution import (
    box_grey,
    detail_size,
    effective_size,
    enlargement,
    kept_width,
    shrink_size,
)


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


def jpeg(rgb: np.ndarray, quality: int) -> np.ndarray:
    _ok, data = cv2.imencode(
        ".jpg", cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, quality]
    )
    return cv2.cvtColor(cv2.imdecode(data, cv2.IMREAD_COLOR), cv2.COLOR_BGR2RGB)


def stop15_size(rgb: np.ndarray, face: faces.Face) -> int:
    """The shrink test alone, as stop 15 shipped it: noise and block steps read as detail."""
    return detail_size(box_grey(rgb, face).astype(np.float32), face.size)


def without_codec_count(rgb: np.ndarray, face: faces.Face) -> int:
    """The effective size without ``kept_width``, as stop 19 began."""
    grey, (top, _, _, left) = box_grey(rgb, face), face.box
    return min(shrink_size(grey, top, left, face.size), int(face.size / enlargement(grey)))


@pytest.mark.parametrize("name", ["tests_obama.jpg", "tests_biden.jpg"])
@pytest.mark.parametrize(
    ("width", "zoom", "interpolation"),
    [(44, 2.4, cv2.INTER_NEAREST), (48, 3.0, cv2.INTER_AREA), (40, 3.4, cv2.INTER_NEAREST)],
)
def test_a_pixelated_zoom_counts_as_small(
    image, name: str, width: int, zoom: float, interpolation: int
) -> None:
    """A thumbnail zoomed as a staircase (nearest neighbour, OpenCV's area): its steps
    looked like detail to the shrink test alone; the resampling comb gives the zoom
    (away from 2, 8/3 and 4, where a codec's block grid peaks too)."""
    rgb = image(name)
    face = faces.single_face(rgb)
    small = cv2.resize(rgb, None, fx=width / face.size, fy=width / face.size, interpolation=cv2.INTER_AREA)
    big = cv2.resize(jpeg(small, 50), None, fx=zoom, fy=zoom, interpolation=interpolation)
    big_face = faces.single_face(big)
    assert big_face.size >= RELIABLE_FACE
    assert stop15_size(big, big_face) >= RELIABLE_FACE  # the steps read as detail
    assert enlargement(box_grey(big, big_face)) == pytest.approx(zoom, rel=0.1)
    assert effective_size(big, big_face) < RELIABLE_FACE


@pytest.mark.parametrize(("name", "width"), [("tests_obama.jpg", 44), ("tests_biden.jpg", 56)])
def test_a_zoom_read_across_the_fold_on_one_axis_is_seen(image, name: str, width: int) -> None:
    """An area zoom of 2.4: its comb's duty cycle reads 2.4 on one axis and the other side
    of the fold (2.4 / 1.4) on the other; the two axes agree once the fold is allowed,
    and the face counts as the thumbnail it was."""
    rgb = image(name)
    face = faces.single_face(rgb)
    small = cv2.resize(rgb, None, fx=width / face.size, fy=width / face.size, interpolation=cv2.INTER_AREA)
    big = cv2.resize(jpeg(small, 40), None, fx=2.4, fy=2.4, interpolation=cv2.INTER_AREA)
    big_face = faces.single_face(big)
    assert big_face.size >= RELIABLE_FACE * 1.5
    assert enlargement(box_grey(big, big_face)) == pytest.approx(2.4, rel=0.1)
    assert effective_size(big, big_face) < RELIABLE_FACE


@pytest.mark.parametrize("name", ["tests_biden.jpg", "knn_test_obama1.jpg"])
def test_a_sharp_photo_shows_no_zoom(image, name: str) -> None:
    rgb = image(name)
    assert enlargement(box_grey(rgb, faces.single_face(rgb))) == 1.0


@pytest.mark.parametrize("name", ["tests_obama.jpg", "tests_biden.jpg"])
def test_noise_is_not_counted_as_detail(image, name: str) -> None:
    """A blurred face in a dim room's noise holds a blurred face's detail; the noise on a
    sharp face does not make it small."""
    rgb = image(name)
    face = faces.single_face(rgb)
    scaled = cv2.resize(rgb, None, fx=150 / face.size, fy=150 / face.size, interpolation=cv2.INTER_AREA)
    noise = np.random.default_rng(1).normal(0, 6, scaled.shape)
    blurred = np.clip(cv2.GaussianBlur(scaled, (0, 0), 2.5) + noise, 0, 255).astype(np.uint8)
    sharp = np.clip(scaled + noise, 0, 255).astype(np.uint8)
    blurred_face, sharp_face = faces.single_face(blurred), faces.single_face(sharp)
    assert stop15_size(blurred, blurred_face) >= RELIABLE_FACE  # noise read as detail
    assert effective_size(blurred, blurred_face) < RELIABLE_FACE
    assert effective_size(sharp, sharp_face) >= RELIABLE_FACE


@pytest.mark.parametrize("shape", [(200, 200), (12, 300), (300, 12), (40, 40)])
def test_no_comb_in_flat_noisy_or_thin_patches(shape: tuple[int, int]) -> None:
    flat = np.full(shape, 90, np.uint8)
    noisy = np.random.default_rng(2).integers(0, 256, shape).astype(np.uint8)
    assert enlargement(flat) == 1.0
    assert enlargement(noisy) == 1.0


def stored(rgb: np.ndarray, face_px: int, fmt: str, quality: int) -> np.ndarray:
    """``rgb`` with its face shrunk to ``face_px`` and stored by Pillow as ``fmt``."""
    face = faces.single_face(rgb)
    small = cv2.resize(
        rgb, None, fx=face_px / face.size, fy=face_px / face.size, interpolation=cv2.INTER_AREA
    )
    out = io.BytesIO()
    Image.fromarray(small).save(out, format=fmt, quality=quality)
    return np.asarray(Image.open(io.BytesIO(out.getvalue())).convert("RGB"))


@pytest.mark.parametrize("name", ["tests_obama.jpg", "tests_biden.jpg"])
def test_a_hard_jpeg_counts_as_small(image, name: str) -> None:
    """A 96 px face at JPEG quality 10: its block steps passed the shrink test; the
    coefficients its 4 x 4 cells kept do not. The same face stored well keeps more."""
    hard, fine = stored(image(name), 96, "JPEG", 10), stored(image(name), 96, "JPEG", 95)
    hard_face = faces.single_face(hard)
    assert without_codec_count(hard, hard_face) >= RELIABLE_FACE
    assert effective_size(hard, hard_face) < RELIABLE_FACE
    top, _, _, left = hard_face.box  # the same box on both: one shrink, two codecs
    assert kept_width(box_grey(hard, hard_face), top, left, hard_face.size) < kept_width(
        box_grey(fine, hard_face), top, left, hard_face.size
    )


def test_kept_width_of_noise_flat_and_tiny_boxes_is_their_size() -> None:
    noise = np.random.default_rng(3).integers(0, 256, (120, 120)).astype(np.uint8)
    assert kept_width(noise, 5, 7, 120) >= 114  # nearly every coefficient stands above rounding
    assert kept_width(np.full((120, 120), 80, np.uint8), 0, 0, 120) == 120
    assert kept_width(noise[:3, :3], 1, 1, 3) == 3


def test_kept_width_reads_the_cells_on_the_decoded_image_grid() -> None:
    """Cells of 4 x 4 px that each hold one grey level (a codec that kept only DC terms)
    keep one coefficient in 16 on their grid, a quarter of the width; read off the grid,
    the steps inside every cell count as detail."""
    levels = np.random.default_rng(4).integers(0, 256, (30, 30)).astype(np.uint8)
    blocky = np.kron(levels, np.ones((4, 4), np.uint8))
    assert kept_width(blocky, 0, 0, 120) == 30
    assert kept_width(blocky[2:, 2:], 2, 2, 118) == 29
    assert kept_width(blocky[2:, 2:], 0, 0, 118) > 2 * 29
