"""A backdrop that zooms with the face: one plane, a screen (``liveness.screen_plane``)."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from kyc_sdk.liveness import screen_plane

BOX = (80, 200, 200, 120)  # top, right, bottom, left of the face in a 320 × 240 frame


def _scene(seed: int) -> tuple[np.ndarray, np.ndarray]:
    """A textured room (smoothed noise) and 68 points spread over the face's box."""
    rng = np.random.default_rng(seed)
    room = cv2.GaussianBlur(rng.uniform(0, 255, (240, 320)).astype(np.float32), (0, 0), 2.5)
    room = cv2.normalize(room, None, 20, 235, cv2.NORM_MINMAX).astype(np.uint8)
    top, right, bottom, left = BOX
    points = np.c_[rng.uniform(left, right, 68), rng.uniform(top, bottom, 68)]
    return room, points


def _zoomed(img: np.ndarray, points: np.ndarray, s: float) -> tuple[np.ndarray, np.ndarray]:
    m = cv2.getRotationMatrix2D((160.0, 140.0), 0.0, s)
    return cv2.warpAffine(img, m, (320, 240), borderMode=cv2.BORDER_REFLECT), points @ m[:, :2].T + m[:, 2]


@pytest.mark.parametrize("seed", [0, 1])
def test_a_plane_zooming_as_one_is_measured_and_a_still_room_is_not(seed: int) -> None:
    room, points = _scene(seed)
    scales = [1.0, 1.02, 1.04, 1.03, 0.99, 0.97, 1.0]
    plane = [_zoomed(room, points, s) for s in scales]
    back, face = screen_plane.zoom_with_face(
        [g for g, _ in plane], [BOX] * len(scales), [p for _, p in plane]
    )
    expected = float(np.log(1.04) - np.log(0.97))
    assert back == pytest.approx(expected, rel=0.25) and face == pytest.approx(expected, rel=0.25)
    # the same face coming nearer before a room that stays where it is
    still = [(room, _zoomed(room, points, s)[1]) for s in scales]
    back, face = screen_plane.zoom_with_face(
        [g for g, _ in still], [BOX] * len(scales), [p for _, p in still]
    )
    assert back < 0.005 and face == pytest.approx(expected, rel=0.25)


def test_a_featureless_or_hidden_backdrop_gives_no_answer() -> None:
    room, points = _scene(2)
    flat = [np.full_like(room, 128)] * 5
    assert screen_plane.zoom_with_face(flat, [BOX] * 5, [points] * 5)[0] == 0.0
    whole = (0, 320, 240, 0)  # a face filling the frame leaves no backdrop
    assert screen_plane.zoom_with_face([room] * 5, [whole] * 5, [points] * 5) == (0.0, 0.0)
