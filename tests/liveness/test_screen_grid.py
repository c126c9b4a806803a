"""The screen-grid cue: a point peak in the face's spectrum, not an edge, a texture or JPEG's blocks."""

from __future__ import annotations

import numpy as np
import pytest

from kyc_sdk import faces
from kyc_sdk.liveness import Challenge, check_video, screen_grid, synth, synth_panel, synth_video
from kyc_sdk.liveness.video import SCREEN_GRID

BOX = (20, 220, 220, 20)  # top, right, bottom, left: a 200-pixel face


def _skin(seed: int, noise: float = 2.0) -> np.ndarray:
    """A smooth skin-toned gradient with sensor noise and JPEG, 240 pixels square."""
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[0:240, 0:240].astype(np.float32)
    shade = 150 + 40 * np.sin(xx / 60) * np.cos(yy / 80)
    rgb = np.stack([shade * 1.1, shade * 0.85, shade * 0.7], axis=2) + rng.normal(0, noise, (240, 240, 3))
    return synth.jpeg(np.clip(rgb, 0, 255).astype(np.uint8), 90)


def _with(rgb: np.ndarray, pattern: np.ndarray) -> np.ndarray:
    return synth.jpeg(np.clip(rgb.astype(np.float32) + pattern[..., None], 0, 255).astype(np.uint8), 90)


def test_a_fine_grating_stands_out_and_plain_skin_does_not() -> None:
    yy, xx = np.mgrid[0:240, 0:240].astype(np.float32)
    grating = 6 * np.cos(2 * np.pi * (0.29 * xx + 0.11 * yy))  # a moiré off JPEG's lattice
    plain = [screen_grid.frame_peak(_skin(s), BOX) for s in range(4)]
    beaten = [screen_grid.frame_peak(_with(_skin(s), grating), BOX) for s in range(4)]
    assert all(p is not None and p < SCREEN_GRID / 2 for p in plain), plain
    assert all(p is not None and p > 2 * SCREEN_GRID for p in beaten), beaten


def test_edges_and_jpeg_blocks_are_not_a_grid() -> None:
    yy, xx = np.mgrid[0:240, 0:240].astype(np.float32)
    # three long straight edges (a brow, a glasses frame, a lip line): lines in the spectrum
    edges = 40.0 * ((xx + 0.3 * yy > 90).astype(np.float32) - (yy - 0.1 * xx > 150) + (xx > 170))
    # 8-pixel blocks each offset on its own, as a coarse JPEG leaves them
    offsets = np.random.default_rng(9).normal(0, 6, (30, 30)).astype(np.float32)
    blocks = np.kron(offsets, np.ones((8, 8), np.float32))
    for pattern in (edges, blocks):
        peaks = [screen_grid.frame_peak(_with(_skin(s), pattern), BOX) for s in range(3)]
        assert all(p is not None and p < SCREEN_GRID for p in peaks), peaks


def _coloured(rgb: np.ndarray, red: np.ndarray) -> np.ndarray:
    """``red`` added to the red channel and taken from blue as much as leaves luminance flat."""
    shift = np.stack([red, np.zeros_like(red), -red * 0.299 / 0.114], axis=2)
    return synth.jpeg(np.clip(rgb.astype(np.float32) + shift, 0, 255).astype(np.uint8), 90)


def test_a_colour_moire_with_flat_luminance_stands_out() -> None:
    """A screen's subpixel colours beat a third of a cycle apart: the moiré can be all colour."""
    yy, xx = np.mgrid[0:240, 0:240].astype(np.float32)
    beat = 4 * np.cos(2 * np.pi * (0.11 * xx + 0.05 * yy))  # slow, off JPEG's colour lattice
    beaten = [screen_grid.frame_peak(_coloured(_skin(s), beat), BOX) for s in range(4)]
    assert all(p is not None and p > 2 * SCREEN_GRID for p in beaten), beaten


def test_colour_blocks_of_a_coarse_jpeg_are_not_a_grid() -> None:
    # JPEG codes colour in 16-pixel blocks: each offset on its own
    offsets = np.random.default_rng(4).normal(0, 4, (15, 15)).astype(np.float32)
    blocks = np.kron(offsets, np.ones((16, 16), np.float32))
    peaks = [screen_grid.frame_peak(_coloured(_skin(s), blocks), BOX) for s in range(3)]
    assert all(p is not None and p < SCREEN_GRID for p in peaks), peaks


def test_a_face_smaller_than_a_tile_is_not_judged() -> None:
    assert screen_grid.frame_peak(_skin(0), (0, 60, 60, 0)) is None
    assert screen_grid.grid_peak([_skin(0)], {0: (0, 60, 60, 0)}) == 0.0
    assert screen_grid.grid_peak([_skin(0)], {}) == 0.0


@pytest.mark.slow
def test_a_relay_on_a_screen_without_banding_is_refused_by_its_grid(photo, obama_video) -> None:
    """The right challenge relayed live on a subpixel-rendered screen with no refresh band:
    refused as a screen by its grid; the genuine capture's face shows none."""
    steps, genuine = obama_video
    challenge = Challenge(steps, "n-grid", 995.0, 30.0)
    r = check_video(genuine, challenge=challenge, now=1_000.0)
    assert r.live and r.cues["screen_grid"] < SCREEN_GRID, (r.reasons, r.cues)
    rgb, points = photo("tests_obama.jpg")
    rng = np.random.default_rng(3)
    screen = synth_video.Subpixels(pitch=2.2, angle=-11.0, banding=0.0)
    relayed = synth_video.on_subpixel_screen(synth_video.animate(rgb, points, steps, rng), rng, screen)
    r = check_video(relayed, challenge=Challenge(steps, "n-grid-2", 995.0, 30.0), now=1_000.0)
    assert not r.live and "screen_replay" in r.reasons, r.reasons
    assert r.cues["screen_banding"] < 0.015 <= SCREEN_GRID <= r.cues["screen_grid"], r.cues


@pytest.mark.slow
def test_a_halftone_on_a_sheet_is_named_as_the_sheet_not_a_screen(photo) -> None:
    """A printed cut-out's halftone is a grid too; the sheet that never deforms keeps its own reason."""
    rgb, points = photo("tests_obama.jpg")
    steps = ("blink", "turn_left")
    frames = synth_video.cutout(rgb, points, steps, np.random.default_rng(4), tilt=8.0)
    r = check_video(frames, challenge=Challenge(steps, "n-sheet", 995.0, 30.0), now=1_000.0)
    assert r.cues["screen_grid"] >= SCREEN_GRID, r.cues  # the halftone was seen
    assert not r.live and "screen_replay" not in r.reasons, r.reasons
    assert {"cutout_mask", "planar_face"} & set(r.reasons), r.reasons


def _phone_frames(photo, screen: synth_panel.Panel | None) -> tuple[list[np.ndarray], screen_grid.Box]:
    """Two frames of the tuning face held still, through the phone camera: as they are
    (genuine) or relayed on ``screen`` (``synth_panel.on_panel``)."""
    rgb, points = photo("tests_obama.jpg")
    box = faces.single_face(rgb).box
    still = {"tremor": 0.0, "sway_deg": 0.0, "sensor": "phone"}
    video = synth_video.animate(
        rgb, points, (), np.random.default_rng(8), lead_s=0.15, capture=synth_video.Capture(**still)
    )[:2]
    if screen is not None:
        video = synth_panel.on_panel(video, np.random.default_rng(9), screen)
    return [f for _, f in video], box


@pytest.mark.slow
@pytest.mark.parametrize(
    "screen",
    [
        # two photosites a screen pixel, nearly level: the mosaic folds it to a slow colour beat
        synth_panel.Panel(pitch=1.0, angle=3.0, tilt=0.0, hand=0.0),
        # its beat along an axis (horizontal lines), on no JPEG block's frequency
        synth_panel.Panel(pitch=1.0, angle=9.0, tilt=0.0, hand=0.0),
    ],
    ids=["slow_colour_beat", "beat_along_an_axis"],
)
def test_a_screen_filmed_at_the_sensors_scale_is_seen_and_the_genuine_face_is_not(photo, screen) -> None:
    relayed, box = _phone_frames(photo, screen)
    genuine, _ = _phone_frames(photo, None)
    assert min(screen_grid.frame_peak(f, box) or 0.0 for f in relayed) >= 2 * SCREEN_GRID
    assert max(screen_grid.frame_peak(f, box) or 0.0 for f in genuine) < SCREEN_GRID / 2
