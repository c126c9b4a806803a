"""What the video pipeline does to a dim frame before the passive cues, and to glare on
glasses before the eyes' appearance is compared (fast: no video is generated)."""

from __future__ import annotations

import cv2
import numpy as np

from kyc_sdk.liveness import _faces, eyes, synth_video
from kyc_sdk.liveness.challenge import EYE_SHUT

BOX = (40, 120, 120, 40)  # top, right, bottom, left


def _face(level: float) -> np.ndarray:
    """A 160² frame whose face box holds skin-coloured noise around ``level`` grey."""
    rng = np.random.default_rng(3)
    skin = np.array([1.15, 0.95, 0.8], np.float32) * level
    frame = np.full((160, 160, 3), 30.0, np.float32)
    frame[40:120, 40:120] = skin + rng.normal(0, 3, (80, 80, 3))
    return np.clip(frame, 0, 255).astype(np.uint8)


def _mean(rgb: np.ndarray) -> float:
    top, right, bottom, left = BOX
    return float(cv2.cvtColor(rgb[top:bottom, left:right], cv2.COLOR_RGB2GRAY).mean())


def test_a_dim_face_is_lifted_as_a_phone_would_meter_it() -> None:
    dim = _face(40.0)
    lifted = _faces.metered(dim, BOX)
    assert abs(_mean(lifted) - _faces.METERED) < 3
    ratios = lifted[60:100, 60:100].reshape(-1, 3).mean(axis=0) / dim[60:100, 60:100].reshape(-1, 3).mean(
        axis=0
    )
    assert np.ptp(ratios) < 0.05, "one gain on every channel: the hue is kept"


def test_a_lit_face_is_left_alone_and_a_black_one_lifted_no_more_than_a_phone_can() -> None:
    lit = _face(120.0)
    assert _faces.metered(lit, BOX) is lit
    black = _face(8.0)
    assert _mean(_faces.metered(black, BOX)) < _faces.MAX_GAIN * _mean(black) + 2
    assert _faces.metered(lit, (50, 50, 50, 50)) is lit  # an empty box changes nothing


def _eye_frame(rng: np.random.Generator, glare_at: tuple[int, int] | None) -> tuple[np.ndarray, np.ndarray]:
    """A grey frame with a dark iris between two corners, and its 68 landmarks (only the
    eye corners matter to ``eyes.patches``); a lens reflection at ``glare_at``."""
    grey = np.full((120, 200), 140.0, np.float32)
    points = np.zeros((68, 2))
    for (outer, inner), cx in zip(eyes.CORNERS, (60, 140), strict=True):
        points[outer], points[inner] = (cx - 12, 60), (cx + 12, 60)
        cv2.ellipse(grey, (cx, 60), (11, 5), 0, 0, 360, 175, -1)  # the white of the eye
        cv2.circle(grey, (cx, 60), 4, 40, -1)  # the iris
        if glare_at is not None:
            cv2.ellipse(grey, (cx + glare_at[0], 60 + glare_at[1]), (6, 3), 30, 0, 360, 255, -1)
    grey += rng.normal(0, 2, grey.shape).astype(np.float32)
    return np.clip(grey, 0, 255).astype(np.uint8), points


def test_glare_on_the_lens_is_left_out_of_the_eye_comparison() -> None:
    """A reflection that slides across the lens changed an open eye's patch as much as a
    blink; masked, the open eye stays near its template and a shut one does not."""
    rng = np.random.default_rng(1)
    frame, points = _eye_frame(rng, (8, -3))
    template = eyes.patches(frame, points)
    moved, _ = _eye_frame(rng, (-7, -3))
    assert eyes.glare(template[0]).any() and not eyes.glare(template[0]).all()
    assert eyes.change(eyes.patches(moved, points), template) < 0.15
    shut = moved.copy()
    for cx in (60, 140):
        cv2.ellipse(shut, (cx, 60), (12, 6), 0, 0, 360, 140, -1)  # lids over iris and white
        cv2.line(shut, (cx - 12, 61), (cx + 12, 61), 60, 1)  # the lash line
    assert eyes.change(eyes.patches(shut, points), template) > EYE_SHUT


def test_the_white_of_an_eye_is_not_glare(photo) -> None:
    rgb, points = photo("tests_obama.jpg")
    grey = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    for patch in eyes.patches(grey, points):
        assert not eyes.glare(patch).any()
    glared = synth_video._Scene(
        rgb, points, synth_video.Capture(glasses_glare=True), np.random.default_rng(2)
    )
    seen = cv2.cvtColor(
        np.clip(glared._glasses(rgb.astype(np.float32), points, float(np.ptp(points[:, 0]))), 0, 255).astype(
            np.uint8
        ),
        cv2.COLOR_RGB2GRAY,
    )
    assert any(eyes.glare(p).mean() > 0.02 for p in eyes.patches(seen, points))
