"""The font table (``docs_ocr.fonts``) is the one place that says who sees which face: the
card evaluation's splits, the digit templates and the classifier's training follow it."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from kyc_sdk.docs_ocr import _digits, fonts, synth

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"


@pytest.fixture(scope="module")
def benchmarks() -> object:
    sys.path.insert(0, str(BENCHMARKS))
    try:
        import ocr_eval
        import train_digits

        yield ocr_eval, train_digits
    finally:
        sys.path.remove(str(BENCHMARKS))


def test_the_evaluation_splits_are_the_tables_roles(benchmarks: tuple) -> None:
    ocr_eval, _ = benchmarks
    assert set(ocr_eval.TUNE_FONTS) == set(fonts.names("tune"))
    assert set(ocr_eval.HELD_OUT_FONTS) == set(fonts.names("held-out"))
    assert set(ocr_eval.FRESH_HELD_OUT_FONTS) == set(fonts.names("fresh"))
    assert set(ocr_eval.FRESH2_HELD_OUT_FONTS) == set(fonts.names("fresh2"))
    assert set(ocr_eval.FRESH3_HELD_OUT_FONTS) == set(fonts.names("fresh3"))
    assert set(ocr_eval.FRESH4_HELD_OUT_FONTS) == set(fonts.names("fresh4"))
    assert set(ocr_eval.FRESH5_HELD_OUT_FONTS) == set(fonts.names("fresh5"))
    assert set(ocr_eval.FRESH6_HELD_OUT_FONTS) == set(fonts.names("fresh6"))
    assert set(ocr_eval.FRESH7_HELD_OUT_FONTS) == set(fonts.names("fresh7"))
    # the Persian-digit code group prints only in faces no digit model or template saw
    assert set(ocr_eval.FRESH_CODE2_FONTS) == set(
        fonts.names("fresh", "fresh2", "fresh3", "fresh4", "fresh5")
    )
    assert set(ocr_eval.FRESH_CODE5_FONTS) == set(
        fonts.names("fresh", "fresh2", "fresh3", "fresh4", "fresh5", "fresh6")
    )
    assert set(ocr_eval.FRESH_CODE6_FONTS) == set(
        fonts.names("fresh", "fresh2", "fresh3", "fresh4", "fresh5", "fresh6", "fresh7")
    )


def test_the_second_fresh_name_lists_are_new_names(benchmarks: tuple) -> None:
    # FRESH-CODE5's names: in neither the generator's lists nor the first fresh ones
    ocr_eval, _ = benchmarks
    drawn = {n for pairs in (synth._MALE, synth._FEMALE, synth._LAST) for n, _ in pairs}
    first = {n for names in ocr_eval.FRESH_NAME_LISTS for n in names}
    second = {n for names in ocr_eval.FRESH5_NAME_LISTS for n in names}
    assert second and not second & (drawn | first)


def test_the_third_fresh_name_lists_are_new_names(benchmarks: tuple) -> None:
    # FRESH-CODE6's names: in none of the generator's lists or the earlier fresh ones
    ocr_eval, _ = benchmarks
    drawn = {n for pairs in (synth._MALE, synth._FEMALE, synth._LAST) for n, _ in pairs}
    earlier = {
        n
        for lists in (ocr_eval.FRESH_NAME_LISTS, ocr_eval.FRESH5_NAME_LISTS)
        for names in lists
        for n in names
    }
    third = {n for names in ocr_eval.FRESH6_NAME_LISTS for n in names}
    assert third and not third & (drawn | earlier)


def test_no_held_out_face_is_trained_on(benchmarks: tuple) -> None:
    _, train_digits = benchmarks
    trained = (
        {str(p.relative_to(fonts.ROOT)) for p in train_digits.font_files(None)}
        | set(train_digits.TRAINING_ONLY)
        | {f for rels in train_digits.TUNING.values() for f in rels}
    )
    held = set(fonts.files("held-out", "fresh", "fresh2", "fresh3", "fresh4", "fresh5", "fresh6", "fresh7"))
    assert held, "the table names held-out faces"
    assert not trained & held


def test_fresh_groups_and_network_only_faces_are_not_in_the_templates() -> None:
    templates = set(_digits._PERSIAN_FILES)
    assert not templates & set(
        fonts.files("fresh", "fresh2", "fresh3", "fresh4", "fresh5", "fresh6", "fresh7", "net")
    )
    assert set(fonts.files("tune", "train")) <= templates


def _drawn(path: Path, text: str) -> np.ndarray:
    img = Image.new("L", (60 * len(text), 80), 0)
    ImageDraw.Draw(img).text((5, 5), text, font=ImageFont.truetype(str(path), 40), fill=255)
    return np.asarray(img)


def test_every_installed_face_of_the_table_draws_the_persian_digits() -> None:
    # A face without them draws each as its missing-glyph box (Homa does): cards printed
    # in it would test nothing, and the table must not name it.
    installed = synth.installed_fonts()
    assert installed, "scripts/setup.sh installs the Debian faces"
    for name in installed:
        path = fonts.ROOT / fonts.FACES[name].files[0]
        missing = _drawn(path, "\ue000")  # a private-use point no face draws
        for digit in "۰۱۲۳۴۵۶۷۸۹":
            assert not np.array_equal(_drawn(path, digit), missing), (name, digit)


def test_the_seventh_fresh_group_prints_only_unseen_variants(benchmarks: tuple) -> None:
    # FRESH-CODE7: the twenty held-out faces, each card in a render-time variant, never regular
    ocr_eval, _ = benchmarks
    assert set(ocr_eval.FRESH_CODE7_VALUES["variant"]) == set(synth.VARIANTS) - {"regular"}
    cases = ocr_eval._card_cases(
        ("nazli",),
        3,
        ocr_eval.FRESH_CODE7_SEED,
        False,
        ocr_eval.FRESH_CODE7_VALUES,
        True,
        ocr_eval.FRESH6_NAME_LISTS,
    )
    assert {c["groups"]["variant"] for c in cases} <= set(ocr_eval.FRESH_CODE7_VALUES["variant"])
