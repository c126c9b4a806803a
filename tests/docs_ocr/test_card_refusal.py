"""A photo that is plainly not a card is refused by a cheap look at its outlines, not by
reading every outline's blobs as labels: its cost is bounded by a card's own reading,
measured as a ratio in one run (CPU time of this process; never an absolute time)."""

from __future__ import annotations

import random
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from kyc_sdk.docs_ocr import _glyphs, locate, national_card, read_national_card, synth
from kyc_sdk.imaging import load_rgb

pytestmark = pytest.mark.slow

# Refusing a non-card may cost at most this many card readings (before: 3-15).
_AT_MOST_CARDS = 2.0


def _cpu(read: Callable[[], object], times: int = 3) -> float:
    spent = []
    for _ in range(times):
        start = time.process_time()
        read()
        spent.append(time.process_time() - start)
    return statistics.median(spent)


def _card_photo(seed: int) -> np.ndarray:
    rng = random.Random(seed)
    person = synth.random_person(rng)
    card = synth.render_national_card(person, style=synth.CardStyle(font="nazli"), rng=rng)
    return load_rgb(synth.photograph(card, rng=rng, **synth.capture("clean", rng)))  # type: ignore[arg-type]


def test_photos_that_are_not_cards_are_refused_for_about_a_cards_reading(shared_data: Path) -> None:
    card = _card_photo(5)
    non_cards = {
        "face": load_rgb((shared_data / "faces" / "tests_obama.jpg").read_bytes()),
        "selfie": load_rgb((shared_data / "liveness" / "image_T1.jpg").read_bytes()),
        "noise": np.random.default_rng(1).integers(0, 256, (960, 1280, 3), dtype=np.uint8),
        "blank page": np.full((960, 1280, 3), 128, np.uint8),
    }
    assert read_national_card(card)["found"]  # warm-up (templates, Tesseract) and a card read
    per_card = _cpu(lambda: read_national_card(card))
    for name, photo in non_cards.items():
        out = read_national_card(photo)
        assert not out["found"], name
        ratio = _cpu(lambda photo=photo: read_national_card(photo)) / per_card  # type: ignore[misc]
        assert ratio <= _AT_MOST_CARDS, (name, round(ratio, 2))


def test_a_card_outline_without_a_digit_line_is_still_read_after_the_others(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A low-resolution card's digits can merge past a digit's shape: its outline, a
    # sparse handful of text blobs, is read after the outlines that hold digits.
    card = _card_photo(7)
    monkeypatch.setattr(_glyphs, "looks_like_digits", lambda line: False)
    located = locate.find_document(card, synth.CARD_SIZE)
    assert located is not None
    assert national_card._card_evidence(national_card._Look.of(located.image)) == "text"
    fields = read_national_card(card)["fields"]
    assert sum(f["value"] is not None for f in fields.values()) >= 3


def test_the_evidence_of_a_blank_page_and_of_a_card() -> None:
    card = _card_photo(9)
    located = locate.find_document(card, synth.CARD_SIZE)
    assert located is not None
    assert national_card._card_evidence(national_card._Look.of(located.image)) == "digits"
    assert national_card._card_evidence(national_card._Look.of(locate.rotate180(located.image))) == "digits"
    assert (
        national_card._card_evidence(national_card._Look.of(np.full((630, 1000, 3), 200, np.uint8))) == "none"
    )
