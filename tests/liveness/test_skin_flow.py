"""The skin's tracked corners (``skin_flow``): a sheet moved by hand moves under one
homography, a head turning or a mouth opening does not, and too little tracking says nothing."""

from __future__ import annotations

import cv2
import numpy as np

from kyc_sdk.liveness import skin_flow, synth_video
from kyc_sdk.liveness.video import SKIN_PLANAR


def _homography(shape: tuple[int, ...], k: int) -> np.ndarray:
    """A sheet tilted a few degrees and shifted, as a hand holds it, at frame ``k``."""
    h, w = shape[:2]
    a, b = np.radians(6.0 * np.sin(0.2 * k)), np.radians(4.0 * np.sin(0.13 * k + 1.0))
    f = 1.4 * max(h, w)
    c = np.array([w / 2, h / 2])
    rot = np.array([[np.cos(a), 0, np.sin(a)], [0, 1, 0], [-np.sin(a), 0, np.cos(a)]]) @ np.array(
        [[1, 0, 0], [0, np.cos(b), -np.sin(b)], [0, np.sin(b), np.cos(b)]]
    )
    shift = np.array([5.0 * np.sin(0.3 * k), 3.0 * np.cos(0.25 * k)])
    kmat = np.array([[f, 0, c[0] + shift[0]], [0, f, c[1] + shift[1]], [0, 0, 1]])
    to_plane = np.array([[1, 0, -c[0]], [0, 1, -c[1]], [0, 0, 1]])
    return kmat @ np.column_stack([rot[:, 0], rot[:, 1], [0, 0, f]]) @ to_plane / f


def _track(frames: list[np.ndarray], points: list[np.ndarray]) -> skin_flow.SkinFlow:
    flow = skin_flow.SkinFlow()
    for rgb, p in zip(frames, points, strict=True):
        flow.update(cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY), p)
    return flow


def test_a_photo_tilted_and_moved_by_hand_moves_as_one_sheet(photo) -> None:
    rgb, points = photo("tests_obama.jpg")
    rng = np.random.default_rng(3)
    frames, tracks = [], []
    for k in range(45):
        hom = _homography(rgb.shape, k)
        sheet = cv2.warpPerspective(rgb, hom, (rgb.shape[1], rgb.shape[0]), borderMode=cv2.BORDER_REFLECT)
        noisy = np.clip(sheet + rng.normal(0, 2.0, sheet.shape), 0, 255).astype(np.uint8)
        frames.append(noisy)
        tracks.append(cv2.perspectiveTransform(points[None].astype(np.float64), hom)[0])
    planar = _track(frames, tracks).planar()
    assert planar is not None and planar < SKIN_PLANAR, planar


def test_a_head_turning_moves_its_skin_off_any_one_sheet(photo) -> None:
    rgb, points = photo("tests_obama.jpg")
    video = synth_video.animate(rgb, points, ("turn_left",), np.random.default_rng(5), lead_s=0.5)
    frames = [f for _, f in video]
    planar = _track(frames, [points] * len(frames)).planar()
    assert planar is not None and planar >= SKIN_PLANAR, planar


def test_tracks_that_do_not_last_say_nothing(photo) -> None:
    rgb, points = photo("tests_obama.jpg")
    flat = np.full_like(rgb, 90)  # no corners on the skin to track
    assert _track([flat] * 10, [points] * 10).planar() is None
    assert _track([rgb], [points]).planar() is None
