"""Passive liveness: the public samples, each cue on its own, quality, and bad input."""

from __future__ import annotations

import io
import struct
import sys
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import pytest
from PIL import Image

from kyc_sdk.errors import ImageRejected
from kyc_sdk.liveness import check_image, cues, synth
from kyc_sdk.liveness.result import LivenessResult

BONA_FIDE = [
    "tests_obama.jpg",
    "tests_obama2.jpg",
    "tests_obama3.jpg",
    "tests_biden.jpg",
    "knn_test_obama1.jpg",
    "knn_train_biden_biden2.jpg",
    "examples_obama_small.jpg",
    "tests_32bit.png",
]


@pytest.mark.xfail(
    strict=True,
    reason="known gap: this print was caught only by the skin-chroma floor (7.2 under 8), removed "
    "because it refused honest pale skin; colour alone does not tell it from generated pale skin",
)
def test_public_print_attack_is_refused(shared_data: Path) -> None:
    r = check_image(shared_data / "liveness" / "image_F1.jpg")
    assert not r.live and r.score < 0.5 and r.reasons


def test_public_screen_replay_is_refused(shared_data: Path) -> None:
    r = check_image((shared_data / "liveness" / "image_F2.jpg").read_bytes())
    assert not r.live and r.score < 0.5 and "specular_glare" in r.reasons


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


def test_skin_chroma_is_evidence_for_the_model_not_a_veto(photo) -> None:
    """A washed-out face reads low on the cue and pushes the model towards "attack" through
    the colour trace, but no rule refuses it on colour alone: the decision is the model's
    (a fixed floor refused honest pale skin, issue 14)."""
    from kyc_sdk.liveness import pad_model, passive

    rgb, _ = photo("tests_obama.jpg")
    grey = rgb.mean(axis=2, keepdims=True)
    washed = (grey + (rgb - grey) * 0.2).astype(np.uint8)
    assert cues.skin_chroma(rgb, _face_box(rgb)) > 20 and cues.skin_chroma(washed, _face_box(washed)) < 8
    before, after = check_image(rgb), check_image(washed)
    push = [pad_model.pushes(r.cues)["low_skin_chroma"] for r in (before, after)]
    assert push[1] > push[0] + 1.0
    assert pad_model.attack_probability(after.cues) > pad_model.attack_probability(before.cues)
    threshold = pad_model.model()["threshold"]
    for r in (before, after):
        assert r.live == (pad_model.attack_probability(r.cues) < threshold)
        assert not passive.refused_outside_model(r.cues)


def test_glare_cue_sees_a_reflected_lamp(photo) -> None:
    rgb, _ = photo("tests_obama.jpg")
    top, right, bottom, left = _face_box(rgb)
    lit = rgb.copy()
    cv2.ellipse(
        lit,
        ((left + right) // 2, top + (bottom - top) // 3),
        ((right - left) // 6, (bottom - top) // 10),
        0,
        0,
        360,
        (255, 255, 255),
        -1,
    )
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
    cv2.rectangle(
        scene, (x0 - 25, y0 - 25), (x0 + crop.shape[1] + 25, y0 + crop.shape[0] + 25), (15, 15, 15), -1
    )
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
            verdict = "live" if check_image(made).live else "refused"
        except ImageRejected as exc:
            verdict = exc.reason
        assert verdict in ("refused", "no_face", "face_too_small"), name


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
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", ihdr)
        + _chunk(b"IDAT", zlib.compress(b""))
        + _chunk(b"IEND", b"")
    )


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def _jpeg(rgb: np.ndarray) -> bytes:
    buf = io.BytesIO()
    Image.fromarray(rgb).save(buf, "JPEG")
    return buf.getvalue()


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"not an image at all", "unsupported_format"),
        (_png_header(60000, 60000), "too_many_pixels"),
    ],
)
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
    for image, reason in [
        (_jpeg(blank), "no_face"),
        (shared_data / "faces" / "examples_two_people.jpg", "many_faces"),
        (shared_data / "faces" / "examples_obama-240p.jpg", "face_too_small"),
    ]:
        with pytest.raises(ImageRejected) as exc:
            check_image(image)
        assert exc.value.reason == reason


def test_wrong_array_is_rejected() -> None:
    with pytest.raises(ImageRejected):
        check_image(np.zeros((10, 10), np.float32))


def test_result_value() -> None:
    r = LivenessResult(False, 0.1234567, ("low_skin_chroma",), cues={"glare": 0.123456})
    assert r.to_dict() == {
        "live": False,
        "score": 0.1235,
        "reasons": ["low_skin_chroma"],
        "challenges": [],
        "cues": {"glare": 0.1235},
        "method": "passive",
    }


# --- held-out variants of every species (issue 14) and document_in_frame (issue 13) ----
# The detector was fitted on benchmarks/pad_data.py's FIT variants and FIT_SOURCES; these
# use only variants and faces it never saw (tests_biden.jpg is a held-out source).


def _selfie(photo, name: str) -> tuple[np.ndarray, np.ndarray]:
    """The photo framed as a selfie (the face about 40 % of the width), and its landmarks:
    an attack made from a portrait whose face is a tenth of the frame fails on face size."""
    from kyc_sdk import faces

    rgb, _ = photo(name)
    top, right, bottom, left = _face_box(rgb)
    h, cy, cx = bottom - top, (top + bottom) // 2, (left + right) // 2
    crop = rgb[max(cy - int(1.5 * h), 0) : cy + int(1.6 * h), max(cx - int(1.25 * h), 0) : cx + int(1.25 * h)]
    s = 640 / max(crop.shape[:2])
    crop = np.ascontiguousarray(cv2.resize(crop, None, fx=s, fy=s, interpolation=cv2.INTER_CUBIC))
    return crop, faces.landmarks(crop, faces.single_face(crop))


def _held_out(photo, species: str, seeds: int = 1):
    from kyc_sdk.liveness import synth_variants

    rgb, points = _selfie(photo, "tests_biden.jpg")
    for variant in HELD_OUT[species]:
        for s in range(seeds):
            yield variant, synth_variants.make(species, variant, rgb, points, np.random.default_rng(900 + s))


HELD_OUT = {
    "print": ["fm-inkjet-ivory", "am-120lpi-curved-tight", "laser-100lpi-curved", "am-175lpi-photo-soft"],
    "replay": ["phone-fine", "phone-soft", "tablet-tight-room", "laptop-banding"],
    "cutout": ["ellipse-rim-fm", "mask-worn"],
    "injected": ["upscaled", "beautified"],
    "document": ["card-far-tilt", "passport-glare", "card-grey-glare"],
    "bona_fide": [
        "glasses-big-glare",
        "very-low-light",
        "very-dark-skin",
        "light-skin",
        "beard",
        "scarf",
        "cold-light",
    ],
}


BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"


@pytest.fixture(scope="module")
def pad_data() -> Iterator[Any]:
    """The benchmark's split (benchmarks/pad_data.py): the variants it reports as held out
    and the tuning ones, whatever this file's own lists say."""
    sys.path.insert(0, str(BENCHMARKS))
    try:
        import pad_data

        yield pad_data
    finally:
        sys.path.remove(str(BENCHMARKS))


def test_held_out_lists_match_the_training_split(pad_data: Any) -> None:
    """The variants above, the benchmark's later held-out groups and its tuning variants are
    exactly those the shipped model was not fitted on, each in one group."""
    from kyc_sdk.liveness import pad_model, synth_variants

    fitted = pad_model.model()["fit_variants"]
    for species, names in HELD_OUT.items():
        unseen = set(synth_variants.VARIANTS[species]) - set(fitted[species])
        groups = [
            set(names),
            *(set(g[species]) for g in (*pad_data.FRESH_GROUPS, pad_data.TUNE)),
        ]
        assert set().union(*groups) == unseen, species
        assert sum(map(len, groups)) == len(unseen), species  # no variant in two groups
    assert "faces/tests_biden.jpg" not in pad_model.model()["fit_sources"]


# Every held-out attack variant is refused at this seed; the benchmark's rates per variant
# are the figure (benchmarks/liveness_eval.py: FM inkjet on ivory paper and the
# "beautified" injected frame still get through at some seeds and faces).
@pytest.mark.slow  # every held-out variant of a species: 3-5 s each
@pytest.mark.parametrize("species", ["print", "replay", "cutout", "injected"])
def test_held_out_attacks_are_refused(photo, species: str) -> None:
    checked = 0
    for variant, image in _held_out(photo, species):
        checked += 1
        try:
            r = check_image(image)
        except ImageRejected as exc:
            unusable = exc.reason
        else:
            assert not r.live and r.score < 0.5 and r.reasons, variant
            continue
        assert unusable in ("no_face", "face_too_small"), variant
    assert checked >= 2


def test_held_out_hard_bona_fide_is_live(photo) -> None:
    """Every held-out hard bona fide variant is live at this seed and face (very dark skin,
    lifted by the camera's exposure, was refused for its sheen before oily skin's shine
    joined the fitting set); the benchmark's BPCER per variant is the figure, and it is
    worse for light skin and very low light than this one seed shows."""
    checked = 0
    for variant, image in _held_out(photo, "bona_fide"):
        checked += 1
        r = check_image(image)
        assert r.live and r.score >= 0.5 and r.reasons == (), (variant, r.reasons)
    assert checked == len(HELD_OUT["bona_fide"])


def test_photographed_id_documents_are_document_in_frame(photo) -> None:
    for variant, image in _held_out(photo, "document"):
        r = check_image(image)
        assert not r.live and r.reasons == ("document_in_frame",), variant


def test_a_card_photo_whose_face_is_too_small_is_still_a_document(photo) -> None:
    """A document is refused as such before the face-size check that would say only
    ``face_too_small``; a frame with no document keeps that error."""
    from kyc_sdk.docs_ocr import synth as docs
    from kyc_sdk.liveness import synth_variants

    rgb, _ = photo("tests_obama.jpg")
    card = docs.render_national_card(docs.random_person(__import__("random").Random(3)), face=rgb)
    image = synth_variants.camera(
        synth_variants.hold(
            card.astype(np.float32), (480, 640), np.random.default_rng(1), fill=0.6, tilt=0.05
        ),
        np.random.default_rng(2),
    )
    r = check_image(image)
    assert not r.live and r.reasons == ("document_in_frame",)


def test_document_in_frame_has_persian_and_english_text() -> None:
    from kyc_sdk.registration import explain

    (entry,) = explain(["document_in_frame"])
    assert any("\u0600" <= ch <= "\u06ff" for ch in entry["fa"]) and "passport" in entry["en"]


def test_reasons_name_what_pushed_the_decision(photo) -> None:
    """A decision's reasons come from the model's terms: a screen's grid names the
    periodic texture, not, say, glare."""
    from kyc_sdk.liveness import synth_variants

    rgb, points = _selfie(photo, "tests_biden.jpg")
    image = synth_variants.replay_attack(rgb, points, np.random.default_rng(4), pitch=2.6, angle=3.0)
    r = check_image(image)
    assert not r.live and "periodic_texture" in r.reasons and "specular_glare" not in r.reasons


def test_video_frames_showing_a_document_say_document_in_frame(photo) -> None:
    """``check_video`` (and so the registration's selfie) judges sampled frames with
    ``passive.judge(passive.measure(...))``: a document there names itself too."""
    import random

    from kyc_sdk.docs_ocr import synth as docs
    from kyc_sdk.liveness import _faces, passive, synth_variants

    rgb, _ = photo("tests_biden.jpg")
    top, right, bottom, left = _face_box(rgb)
    pad = (bottom - top) // 4
    tight = np.ascontiguousarray(rgb[top - pad : bottom + pad, left - pad // 2 : right + pad // 2])
    card = docs.render_national_card(docs.random_person(random.Random(5)), face=tight).astype(np.float32)
    frame = synth_variants.camera(
        synth_variants.hold(card, (480, 640), np.random.default_rng(5), fill=0.98, tilt=0.02),
        np.random.default_rng(6),
    )
    found = _faces.detect(frame)
    assert found, "the card's face is found, as the video tracker would find it"
    r = passive.judge(passive.measure(frame, _faces.box_of(found[0], frame.shape)))
    assert not r.live and r.reasons == ("document_in_frame",)


@pytest.mark.parametrize("shape", [(3, 12000, 3), (12000, 2, 3), (1, 1, 3), (100, 5000, 3)])
def test_slivers_are_rejected_not_crashed(shape: tuple[int, int, int]) -> None:
    """The document search runs before the face checks: a sliver must not break it."""
    from kyc_sdk.liveness import document

    image = np.random.default_rng(0).integers(0, 255, shape, dtype=np.uint8)
    assert document.find(image) is None
    with pytest.raises(ImageRejected):
        check_image(image)
