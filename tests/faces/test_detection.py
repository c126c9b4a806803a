"""Detection and landmarks against face_recognition's own expected values (MANIFEST.tsv)."""

from __future__ import annotations

import numpy as np
import pytest

from kyc_sdk import faces
from kyc_sdk.faces import detection

from .conftest import paste_face


def iou(a: tuple[int, ...], b: tuple[int, ...]) -> float:
    (t1, r1, b1, l1), (t2, r2, b2, l2) = a, b
    inter = max(0, min(b1, b2) - max(t1, t2)) * max(0, min(r1, r2) - max(l1, l2))
    union = (b1 - t1) * (r1 - l1) + (b2 - t2) * (r2 - l2) - inter
    return inter / union


@pytest.mark.parametrize(
    "name", ["tests_obama.jpg", "tests_obama_partial_face.jpg", "tests_obama_partial_face2.jpg"]
)
def test_boxes_match_face_recognitions_hog_locations(name: str, image, expected) -> None:
    want = expected[f"faces/{name}"]["hog_face_locations_trbl"]
    found = faces.detect(image(name))
    assert len(found) == len(want) == 1
    # face_recognition upsamples once over the whole image; we resize once: boxes differ by pixels
    assert iou(found[0].box, tuple(want[0])) > 0.6, found[0].box


def test_32bit_png_is_three_channels_and_its_face_found(image, expected) -> None:
    want = expected["faces/tests_32bit.png"]
    rgb = image("tests_32bit.png")
    assert list(rgb.shape) == want["image_shape_hwc_after_load"]
    top, _, bottom, _ = faces.single_face(rgb).box
    want_top, want_bottom = want["raw_hog_top_bottom"]
    # HOG boxes are quantised by the pyramid's 5/6 steps: ±10 % of the face is its resolution
    tolerance = 0.1 * (want_bottom - want_top)
    assert abs(top - want_top) < tolerance and abs(bottom - want_bottom) < tolerance


def test_two_faces_found_left_obama_right_biden(image, encoding) -> None:
    rgb = image("examples_two_people.jpg")
    found = sorted(faces.detect(rgb), key=lambda f: f.box[3])
    assert len(found) == 2
    left, right = (faces.encode(rgb, f) for f in found)
    assert faces.match(left, encoding("tests_obama.jpg")).match
    assert faces.match(right, encoding("tests_biden.jpg")).match
    assert not faces.match(left, encoding("tests_biden.jpg")).match


def test_partial_faces_are_single_faces(image) -> None:
    for name in ("tests_obama_partial_face.jpg", "tests_obama_partial_face2.jpg"):
        face = faces.single_face(image(name))
        assert face.box[3] >= 0 and face.box[1] <= image(name).shape[1]


@pytest.mark.parametrize("width", [44, 60])
def test_a_small_face_is_found(width: int, image) -> None:
    rgb = image("tests_obama.jpg")
    small = paste_face(rgb, faces.detect(rgb)[0], width, (240, 320))
    found = faces.detect(small, min_size=40)
    assert len(found) == 1 and abs(found[0].size - width) < width * 0.35


def test_a_full_frame_face_is_found_in_a_large_frame(image) -> None:
    rgb = image("tests_obama.jpg")
    big = paste_face(rgb, faces.detect(rgb)[0], 480, (1080, 1920))  # face + margins fill the height
    found = faces.detect(big)
    assert len(found) == 1 and found[0].size > 360


def test_working_scale_upsamples_small_and_shrinks_large_images() -> None:
    assert detection.working_scale((240, 320), 40) == pytest.approx(2.0)
    assert detection.working_scale((2160, 3840), 40) < 0.5
    assert detection.working_scale((2160, 3840), 40) ** 2 * 2160 * 3840 <= detection.PIXEL_BUDGET * 1.001


def test_landmarks_68_and_5_near_face_recognitions(image, expected) -> None:
    want = expected["faces/tests_obama.jpg"]
    rgb = image("tests_obama.jpg")
    face = faces.single_face(rgb)
    points = faces.landmarks(rgb, face)
    assert points.shape == (68, 2)
    assert np.abs(points[:17] - np.array(want["landmarks_chin"])).max() < 12
    five = faces.landmarks(rgb, face, model="5")
    assert five.shape == (5, 2)
    assert np.abs(five[4] - np.array(want["small_model_nose_tip"][0])).max() < 6


def test_landmark_backend_is_swappable(image) -> None:
    rgb = image("tests_obama.jpg")
    face = faces.single_face(rgb)
    faces.register_landmarks("68", lambda img, f: np.zeros((68, 2)))
    try:
        assert not faces.landmarks(rgb, face).any()
    finally:
        faces.register_landmarks("68", None)
    assert faces.landmarks(rgb, face).any()


def test_grey_and_rgba_arrays_are_accepted(image) -> None:
    rgb = image("examples_obama_small.jpg")
    grey = rgb.mean(axis=2).astype(np.uint8)
    rgba = np.dstack([rgb, np.full(rgb.shape[:2], 255, np.uint8)])
    assert len(faces.detect(grey)) == len(faces.detect(rgba)) == 1
