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


#: held-out variants added later on new axes (benchmarks/pad_data.py FRESH to FRESH7); the
#: benchmark reports them apart, and the tests here do not judge them (they stay unseen)
FRESH = {
    "print": ["am-110lpi-pink-paper", "laser-90lpi-bluish-gloss", "fm-inkjet-cream-curved"],
    "replay": ["phone-30deg-warm", "monitor-coarse", "tablet-tilted-lamp"],
    "cutout": ["jagged-rim-am110", "mask-worn-fm-soft"],
    "injected": ["beautified-strong", "beautified-reencoded"],
    "document": ["card-mid-glare-tilt", "passport-far"],
    "bona_fide": [
        "olive-skin-side-light",
        "fair-skin-cold-led-side",
        "deep-skin-warm-lamp",
        "glasses-side-light",
        "low-light-warm",
    ],
}


FRESH2 = {
    "print": ["am-100lpi-yellowed-curved-tilt", "laser-120lpi-tight", "fm-photo-fine-gloss"],
    "replay": ["phone-fine-rotated-room", "laptop-cold-banding", "monitor-4k-soft"],
    "cutout": ["head-rim-laser", "mask-worn-am-fine"],
    "injected": ["upscaled-reencoded", "denoised-reencoded-twice"],
    "document": ["card-near-glare-grey", "passport-mid-tilt-glare"],
    "bona_fide": [
        "light-skin-magenta-led",
        "backlight-cold-window",
        "beard-tungsten",
        "scarf-side-light",
        "makeup-green-fluorescent",
        "very-low-light-cold",
    ],
}


FRESH3 = {
    "print": ["am-140lpi-grey-paper-tilt", "fm-photo-satin-curved", "laser-80lpi-warm-paper"],
    "replay": ["phone-18deg-cold", "tablet-banding-room", "monitor-tilted-warm"],
    "cutout": ["mask-worn-laser-head", "ellipse-rim-am-fine"],
    "injected": ["smoothed-reencoded", "retouched-reencoded"],
    "document": ["card-far-glare", "passport-near-grey"],
    "bona_fide": [
        "deep-skin-cold-led",
        "fair-skin-tungsten-side",
        "glasses-warm-lamp",
        "scarf-cold-light",
        "oily-deep-skin-shine",
        "dim-light-magenta",
    ],
}


FRESH4 = {
    "print": ["am-160lpi-warm-paper-tilt", "fm-inkjet-grey-paper-soft", "laser-110lpi-gloss-curved"],
    "replay": ["phone-22deg-lamp-warm", "tablet-cold-tight", "monitor-banding-room"],
    "cutout": ["mask-worn-fm-fine", "jagged-rim-laser", "head-am-fine-soft"],
    "injected": ["beautified-mild-reencoded", "denoised-reencoded-low"],
    "document": ["card-mid-tilt-grey", "passport-far-glare"],
    "bona_fide": [
        "dim-warm-side",
        "mixed-warm-cold-light",
        "deep-skin-mixed-light",
        "backlight-warm-window",
        "glasses-magenta-side",
        "scarf-warm-lamp-side",
        "pale-skin-green-fluorescent",
    ],
}


FRESH5 = {
    "print": ["am-120lpi-cream-gloss-tilt", "fm-inkjet-fine-curved-soft", "laser-100lpi-grey-tight"],
    "replay": ["phone-fine-8deg-cold", "tablet-lamp-soft", "monitor-banding-warm"],
    "cutout": ["head-fm-fine-rim", "ellipse-am-fine-soft", "mask-worn-am-head-fine", "jagged-laser-soft"],
    "injected": ["upscaled-reencoded-twice", "smoothed-reencoded-low"],
    "document": ["card-near-tilt-glare", "passport-mid-grey-tilt"],
    "bona_fide": [
        "dim-cold-side",
        "deep-skin-tungsten-side",
        "mixed-magenta-green-light",
        "backlight-magenta",
        "glasses-cold-side",
        "fair-skin-mixed-light",
        "beard-warm-side",
        "soft-focus-warm",
    ],
}


FRESH6 = {
    "print": ["am-145lpi-ivory-curved-soft", "fm-inkjet-bluish-tilt", "laser-75lpi-cream-gloss"],
    "replay": ["phone-fine-15deg-warm-soft", "tablet-35deg-room", "monitor-cold-banding-tilt"],
    "cutout": [
        "ellipse-am-fine-soft-20deg",
        "head-am-fine-soft-rim",
        "jagged-fm-fine-soft",
        "mask-worn-am-fine-soft",
    ],
    "injected": ["beautified-reencoded-low", "retouched-reencoded-twice"],
    "document": ["card-mid-glare-grey-tilt", "passport-near-tilt"],
    "bona_fide": [
        "dim-neutral",
        "dim-green-cast",
        "dim-warm-side-soft",
        "backlight-side",
        "backlight-green-window",
        "glasses-big-glare-warm",
        "glasses-green-side",
        "scarf-cold-side",
        "very-dark-skin-cold",
    ],
}


FRESH7 = {
    "print": ["am-135lpi-grey-satin-curved", "fm-inkjet-warm-soft-tilt"],
    "replay": [],
    "cutout": [
        "rect-am-fine-soft-dark-rim",
        "torn-am-fine-soft",
        "mask-worn-torn-fm-fine",
        "head-laser-dark-rim",
        "rect-fm-fine-soft",
    ],
    "injected": [],
    "document": [],
    "bona_fide": [
        "long-hair-plain-wall",
        "long-hair-busy-wall",
        "collar-plain-wall",
        "collar-busy-wall-side",
        "scarf-busy-wall",
        "scarf-plain-wall-warm",
        "hat-plain-wall",
        "hat-long-hair-busy-wall",
        "long-hair-collar-dim",
    ],
}


#: the tuning variants (benchmarks/pad_data.py TUNE): neither fitted nor held out
TUNE = {
    "print": [],
    "replay": [],
    "cutout": [
        "tune-ellipse-am-fine-soft",
        "tune-head-am-fine-soft-rim",
        "tune-jagged-am-fine-soft",
        "tune-mask-worn-am-fine-soft",
    ],
    "injected": [],
    "document": [],
    "bona_fide": [
        "tune-dim-plain",
        "tune-dim-cold",
        "tune-dim-warm-side",
        "tune-backlight-side",
        "tune-scarf-warm",
        "tune-glasses-cold",
        "tune-long-hair-plain-wall",
        "tune-collar-hat-busy-wall",
    ],
}


def test_held_out_lists_match_the_training_split() -> None:
    """The variants above (and the fresh ones) are exactly those the shipped model was not
    fitted on."""
    from kyc_sdk.liveness import pad_model, synth_variants

    fitted = pad_model.model()["fit_variants"]
    for species, names in HELD_OUT.items():
        unseen = set(synth_variants.VARIANTS[species]) - set(fitted[species])
        groups = [
            set(names),
            *(set(g[species]) for g in (FRESH, FRESH2, FRESH3, FRESH4, FRESH5, FRESH6, FRESH7, TUNE)),
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
