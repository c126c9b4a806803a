"""The y4m fake camera: a file FFmpeg (as Chromium) reads back at the levels it was made with."""

from __future__ import annotations

import numpy as np
import pytest

from kyc_sdk.liveness import fake_camera
from kyc_sdk.liveness import frames as framing


def gradient(h: int = 48, w: int = 64, shift: int = 0) -> np.ndarray:
    y, x = np.mgrid[0:h, 0:w]
    return np.stack([(x * 4 + shift) % 256, y * 5, 255 - x * 3], axis=2).astype(np.uint8)


def test_frames_come_back_through_ffmpeg_with_their_levels_and_rate(tmp_path) -> None:
    made = [gradient(shift=10 * i) for i in range(6)]
    path = fake_camera.write_y4m(tmp_path / "cam.y4m", made, fps=15)
    assert path.read_bytes().startswith(b"YUV4MPEG2 W64 H48 F15:1 Ip A1:1 C420mpeg2\n")
    back = framing.read_video(path)
    assert len(back) == 6 and fake_camera.seconds(path) == pytest.approx(6 / 15)
    assert [f.t for f in back] == pytest.approx([i / 15 for i in range(6)])
    # 4:2:0 halves the colour's resolution: compare each frame's mean colour, and the luma
    for a, b in zip(made, back, strict=True):
        assert np.abs(a.reshape(-1, 3).mean(0) - b.rgb.reshape(-1, 3).mean(0)).max() < 2.0
        luma = np.array([0.299, 0.587, 0.114])
        assert np.abs(a @ luma - b.rgb @ luma).mean() < 3.0


def test_odd_sides_are_cropped_and_sizes_must_not_change(tmp_path) -> None:
    path = fake_camera.write_y4m(tmp_path / "odd.y4m", [gradient(49, 65)] * 2)
    assert path.read_bytes().startswith(b"YUV4MPEG2 W64 H48 ")
    with pytest.raises(ValueError, match="one size"):
        fake_camera.write_y4m(tmp_path / "mixed.y4m", [gradient(), gradient(64, 64)])
    with pytest.raises(ValueError, match="no frames"):
        fake_camera.write_y4m(tmp_path / "none.y4m", [])


def test_a_photo_becomes_a_webcam_frame_of_the_asked_size_around_the_face() -> None:
    from kyc_sdk import faces
    from kyc_sdk.registration import samples

    selfie = np.array(samples.selfie_frame())  # portrait: cropped in height
    wide = np.pad(selfie, ((0, 0), (900, 100), (0, 0)), constant_values=128)  # the face far right
    for photo in (selfie, wide):
        frame = fake_camera.webcam_frame(photo, (640, 480))
        assert frame.shape == (480, 640, 3)
        top, right, bottom, left = faces.single_face(frame).box
        assert abs((left + right) / 2 - 320) < 64 and abs((top + bottom) / 2 - 240) < 96, faces.single_face(
            frame
        ).box
