"""Passive liveness: the public samples, each cue on its own, quality, and bad input."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image

from kyc_sdk.errors import ImageRejected
from kyc_sdk.liveness import check_image, cues, synth
from kyc_sdk.liveness.result import LivenessResult

BONA_FIDE = ["tests_obama.jpg", "tests_obama2.jpg", "tests_obama3.jpg", "tests_biden.jpg",
             "knn_test_obama1.jpg", "knn_train_biden_biden2.jpg", "examples_obama_small.jpg",
             "tests_32bit.png"]


def test_public_print_attack_is_refused(shared_data: Path) -> None:
    r = check_image(shared_data / "liveness" / "image_F1.jpg")
    assert not r.live and r.score < 0.5 and "low_skin_chroma" in r.reasons


def test_public_screen_replay_is_refused(shared_data: Path) -> None:
    r = check_image((shared_data / "liveness" / "image_F2.jpg").read_bytes())
    assert not r.live and {"low_skin_chroma", "specular_glare"} <= set(r.reasons)


def test_public_live_sample_is_live(shared_data: Path) -> None:
    r = check_image(shared_data / "liveness" / "image_T1.jpg")
    assert r.live and r.score >= 0.5 and r.reasons == ()
    d = r.to_dict()
    assert d["live"] is True and set(d["cues"]) >= {"periodic", "skin_chroma", "glare", "frame"}


@pytest.mark.parametrize("name", BONA_FIDE)
def test_public_face_photos_are_live(shared_data: Path, name: str) -> None:
    r = check_image(shared_data / "faces" / name)
    assert r.live, r.reasons


# --- each cue on its own, on a real face with one artefact added --------------------

def _face_box(rgb: np.ndarray) -> tuple[int, int, int, int]:
    from kyc_sdk import faces

    return faces.single_face(rgb).box


def test_periodic_cue_sees_a_grating_not_skin(photo) -> None:
    rgb, _ = photo("tests_biden.jpg")
    box = _face_box(rgb)
    gray = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    clean = cues.periodic(gray, box)
    yy, xx = np.mgrid[0 : gray.shape[0], 0 : gray.shape[1]]
    striped = np.clip(gray * (1 + 0.15 * np.cos(2 * np.pi * (xx + 0.3 * yy) / 4.5)), 0, 255).astype(np.uint8)
    assert clean < 2.4 and cues.periodic(striped, box) > 3.2
    grid = 1 + 0.08 * np.cos(2 * np.pi * (xx - 0.2 * yy) / 3.5)  # a screen's pixel grid, faint
    r = check_image((rgb * grid[..., None]).clip(0, 255).astype(np.uint8))
    assert not r.live and "periodic_texture" in r.reasons


def test_skin_chroma_cue_sees_a_washed_out_face(photo) -> None:
    rgb, _ = photo("tests_obama.jpg")
    grey = rgb.mean(axis=2, keepdims=True)
    washed = (grey + (rgb - grey) * 0.2).astype(np.uint8)
    assert cues.skin_chroma(rgb, _face_box(rgb)) > 20
    r = check_image(washed)
    assert not r.live and r.reasons == ("low_skin_chroma",)


def test_glare_cue_sees_a_reflected_lamp(photo) -> None:
    rgb, _ = photo("tests_obama.jpg")
    top, right, bottom, left = _face_box(rgb)
    lit = rgb.copy()
    cv2.ellipse(lit, ((left + right) // 2, top + (bottom - top) // 3), ((right - left) // 6, (bottom - top) // 10),
                0, 0, 360, (255, 255, 255), -1)
    assert cues.glare(rgb, (top, right, bottom, left)) < 0.03
    r = check_image(lit)
    assert not r.live and "specular_glare" in r.reasons


def test_frame_cue_sees_a_bezel_around_the_face(photo) -> None:
    rgb, _ = photo("tests_biden.jpg")
    top, right, bottom, left = _face_box(rgb)
    h, w = bottom - top, right - left
    framed = np.full((rgb.shape[0] + 400, rgb.shape[1] + 400, 3), 150, np.uint8)
    framed[200:-200, 200:-200] = rgb
    crop = rgb[max(top - h // 2, 0) : bottom + h // 2, max(left - w // 2, 0) : right + w // 2]
    scene = np.full_like(framed, 150)
    y0, x0 = 150, 150
    cv2.rectangle(scene, (x0 - 25, y0 - 25), (x0 + crop.shape[1] + 25, y0 + crop.shape[0] + 25), (15, 15, 15), -1)
    scene[y0 : y0 + crop.shape[0], x0 : x0 + crop.shape[1]] = crop
    box = _face_box(scene)
    assert cues.frame(cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY), _face_box(rgb)) <= 2
    assert cues.frame(cv2.cvtColor(scene, cv2.COLOR_RGB2GRAY), box) >= 3


@pytest.mark.parametrize("attack", ["print", "replay", "cutout"])
def test_generated_attacks_are_refused(photo, attack: str) -> None:
    """Refused means: not live, or no usable face at all (never accepted as live)."""
    rng = np.random.default_rng(11)
    for name in ("tests_obama.jpg", "knn_test_obama1.jpg"):
        rgb, _ = photo(name)
        if attack == "print":
            made = synth.print_attack(rgb, rng)
        elif attack == "replay":
            made = synth.replay_attack(rgb, rng, glare=False)
        else:
            made = synth.cutout_attack(rgb, _face_box(rgb), rng)
        try:
            assert not check_image(made).live
        except ImageRejected as exc:
            assert exc.reason in ("no_face", "face_too_small")


def test_generated_bona_fide_captures_are_live(photo) -> None:
    rng = np.random.default_rng(5)
    for name in ("tests_obama.jpg", "tests_obama2.jpg", "knn_test_obama1.jpg", "knn_train_biden_biden2.jpg"):
        rgb, _ = photo(name)
        assert check_image(synth.capture(rgb, rng)).live


# --- capture quality ------------------------------------------------------------------

def test_blurred_capture_is_a_quality_failure(photo) -> None:
    rgb, _ = photo("tests_obama.jpg")
    r = check_image(cv2.GaussianBlur(rgb, (0, 0), 6))
    assert not r.live and "quality_blurry" in r.reasons


def test_dark_and_burnt_captures_are_quality_failures(photo) -> None:
    rgb, _ = photo("tests_obama.jpg")
    dark = check_image((rgb * 0.25).astype(np.uint8))
    assert not dark.live and "quality_underexposed" in dark.reasons
    bright = check_image(np.clip(rgb.astype(np.int32) + 120, 0, 255).astype(np.uint8))
    assert not bright.live and "quality_overexposed" in bright.reasons


# --- bad input: typed errors, never a crash ---------------------------------------------

def _png_header(width: int, height: int) -> bytes:
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", zlib.compress(b"")) + _chunk(b"IEND", b"")


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def _jpeg(rgb: np.ndarray) -> bytes:
    buf = io.BytesIO()
    Image.fromarray(rgb).save(buf, "JPEG")
    return buf.getvalue()


@pytest.mark.parametrize("data,reason", [
    (b"", "empty"),
    (b"not an image at all", "unsupported_format"),
    (_png_header(60000, 60000), "too_many_pixels"),
])
def test_hostile_bytes_are_rejected(data: bytes, reason: str) -> None:
    with pytest.raises(ImageRejected) as exc:
        check_image(data)
    assert exc.value.reason == reason


def test_truncated_jpeg_is_rejected(shared_data: Path) -> None:
    data = (shared_data / "liveness" / "image_T1.jpg").read_bytes()
    with pytest.raises(ImageRejected):
        check_image(data[: len(data) // 3])


def test_no_face_many_faces_small_face(shared_data: Path) -> None:
    blank = np.full((480, 640, 3), 128, np.uint8)
    for image, reason in [(_jpeg(blank), "no_face"),
                          (shared_data / "faces" / "examples_two_people.jpg", "many_faces"),
                          (shared_data / "faces" / "examples_obama-240p.jpg", "face_too_small")]:
        with pytest.raises(ImageRejected) as exc:
            check_image(image)
        assert exc.value.reason == reason


def test_wrong_array_is_rejected() -> None:
    with pytest.raises(ImageRejected):
        check_image(np.zeros((10, 10), np.float32))


def test_result_value() -> None:
    r = LivenessResult(False, 0.1234567, ("low_skin_chroma",), cues={"glare": 0.123456})
    assert r.to_dict() == {"live": False, "score": 0.1235, "reasons": ["low_skin_chroma"],
                           "challenges": [], "cues": {"glare": 0.1235}, "method": "passive"}
