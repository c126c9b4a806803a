"""``eye_holes.hole_chroma``: real skin in a worn mask's eye holes against ink on the
forehead; glasses (a rim, a tinted lens) must not raise it."""

from __future__ import annotations

import numpy as np

from kyc_sdk.liveness import eye_holes, synth_variants

SKIN = np.array([200.0, 140.0, 110.0], np.float32)


def _face() -> tuple[np.ndarray, np.ndarray]:
    """A flat skin-coloured 'face' with 68 points laid out like a frontal face's."""
    img = np.empty((240, 240, 3), np.float32)
    img[:] = SKIN
    pts = np.zeros((68, 2))
    pts[:17] = np.c_[np.linspace(60, 180, 17), 120 + 60 * np.sin(np.linspace(0, np.pi, 17))]
    pts[17:27] = np.c_[np.linspace(70, 170, 10), np.full(10, 85)]
    for first, cx in ((36, 95), (42, 145)):
        t = np.linspace(0, 2 * np.pi, 6, endpoint=False)
        pts[first : first + 6] = np.c_[cx + 14 * np.cos(t), 100 + 5 * np.sin(t)]
    pts[48:68] = np.c_[np.linspace(100, 140, 20), np.full(20, 170)]
    return img, pts


def _desaturated(img: np.ndarray, keep: float) -> np.ndarray:
    grey = img.mean(axis=2, keepdims=True)
    return grey + (img - grey) * keep


def _u8(img: np.ndarray) -> np.ndarray:
    return np.clip(img, 0, 255).astype(np.uint8)


def test_one_skin_all_over_is_neutral() -> None:
    img, pts = _face()
    assert abs(eye_holes.hole_chroma_of(_u8(img), pts)) < 0.05


def test_skin_in_the_holes_and_ink_around_them_is_a_mask() -> None:
    """Everything desaturated (ink) except the eye holes, which show the wearer's skin."""
    img, pts = _face()
    mask = _desaturated(img, 0.55)
    for cx in (95, 145):
        mask[88:125, cx - 20 : cx + 20] = img[88:125, cx - 20 : cx + 20]
    assert eye_holes.hole_chroma_of(_u8(mask), pts) > 0.3


def test_glasses_do_not_raise_it() -> None:
    """Every frame style the generator draws (a rim, a tint, a lamp in the lens) over the
    same face: the lens covers the skin below the eye, never the forehead above the brow."""
    img, pts = _face()
    bare = eye_holes.hole_chroma_of(_u8(img), pts)
    for frame in ("oval", *synth_variants.FRAMES):
        worn = synth_variants._glasses(img, pts, np.random.default_rng(0), 0.12, frame)
        assert eye_holes.hole_chroma_of(_u8(worn), pts) < bare + 0.1, frame


def test_a_face_cut_off_above_the_brows_is_neutral() -> None:
    """No forehead in the frame: no evidence, even where the eye holes would say mask."""
    img, pts = _face()
    mask = _desaturated(img, 0.55)
    mask[88:125] = img[88:125]
    cropped = _u8(mask[80:])  # the brows at the frame's top edge, the forehead above it
    assert eye_holes.hole_chroma_of(cropped, pts - [0, 80]) == eye_holes.NEUTRAL
