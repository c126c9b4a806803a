"""The face crop the shape model reads in video (``_faces.steadied``): where it puts the
landmarks, and how still they hold on a still head in a dim room behind glasses."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from kyc_sdk import faces
from kyc_sdk.liveness import _faces, synth_video, video
from kyc_sdk.liveness import frames as framing
from kyc_sdk.liveness.challenge import NOISE_K, TURN_DELTA, Challenge


def test_landmarks_read_on_the_crop_land_where_the_frame_has_them(photo) -> None:
    rgb, _ = photo("tests_obama.jpg")
    face = faces.single_face(rgb)
    on_frame = _faces.landmarks(rgb, face)
    crop = _faces.steadied(rgb, face)
    assert crop.grey.shape[0] < rgb.shape[0] or crop.grey.shape[1] < rgb.shape[1]
    on_crop = crop.landmarks(face)
    width = float(np.ptp(on_frame[:, 0]))
    assert float(np.median(np.linalg.norm(on_crop - on_frame, axis=1))) < 0.02 * width


def test_a_face_at_the_frame_edge_gives_a_crop_clipped_to_the_frame(photo) -> None:
    rgb, _ = photo("tests_obama.jpg")
    face = faces.single_face(rgb)
    top, right, bottom, left = face.box
    shifted = np.ascontiguousarray(rgb[:, left - 5 :])  # the face's left side at the frame's edge
    moved = dataclasses.replace(face, box=(top, right - left + 5, bottom, 5))
    crop = _faces.steadied(shifted, moved)
    assert crop.x0 == 0 and crop.grey.shape[1] <= shifted.shape[1]
    assert crop.landmarks(moved).shape == (68, 2)


@pytest.mark.slow
def test_a_still_head_behind_glasses_in_a_dim_room_holds_under_a_turns_noise_floor(photo) -> None:
    """On the raw frames of the tuning videos with glasses at half the light (noise σ 4)
    the yaw proxy of a head holding still jittered σ 0.05 a frame: NOISE_K σ lifted the
    turn's threshold to 0.2-0.26, and the turns read 0.10-0.14 were missed. The shape
    model's splits compare grey levels the dim face no longer spans; on the steadied crop
    a still head's jitter must stay under TURN_DELTA / NOISE_K, so a turn needs no more
    than it does in good light (raw frames: 0.022-0.065 on these four clips)."""
    rgb, points = photo("tests_obama.jpg")
    capture = synth_video.Capture(glasses_glare=True, light=0.5, noise=4.0)
    sigmas = []
    for seed in range(1, 5):
        clip = synth_video.animate(rgb, points, (), np.random.default_rng(seed), capture=capture, lead_s=2.0)
        session = video._Session(Challenge(("blink", "turn_left"), "nonce", 0.0), len(clip))
        for i, (t, frame) in enumerate(clip):
            session.step(i, framing.Frame(t, frame))
        yaws = np.array([p.yaw for p in session.poses])
        sigmas.append(float(np.median(np.abs(np.diff(yaws)))) / 0.954)
    assert np.median(sigmas) < TURN_DELTA / NOISE_K, sigmas
