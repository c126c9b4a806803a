"""The card generator's render-time face variants (``synth.VARIANTS``): what FRESH-CODE7
prints the held-out faces in. Each must change the print the way its name says, and the
regular one must print as before (every earlier group's cards stay the same)."""

from __future__ import annotations

import random

import numpy as np
import pytest

from kyc_sdk.docs_ocr import synth


def _ink(variant: str) -> np.ndarray:
    person = synth.random_person(random.Random(5))
    style = synth.CardStyle(font="nazli", variant=variant)
    card = synth.render_national_card(person, style=style, rng=random.Random(9))
    return card[90:, 300:].min(axis=2) < 80  # the text block's dark ink, photo and header left out


def _width(ink: np.ndarray) -> int:
    cols = np.nonzero(ink.any(axis=0))[0]
    return int(cols.max() - cols.min())


def test_the_regular_variant_prints_as_a_card_without_one() -> None:
    person = synth.random_person(random.Random(5))
    plain = synth.render_national_card(person, style=synth.CardStyle(font="nazli"), rng=random.Random(9))
    regular = synth.render_national_card(
        person, style=synth.CardStyle(font="nazli", variant="regular"), rng=random.Random(9)
    )
    assert np.array_equal(plain, regular)


def test_bold_grows_the_ink_and_condensed_narrows_the_block() -> None:
    regular, bold, condensed, extended = (_ink(v) for v in ("regular", "bold", "condensed", "extended"))
    assert bold.sum() > 1.2 * regular.sum()
    assert _width(condensed) < 0.9 * _width(regular) < _width(extended)


@pytest.mark.parametrize("variant", list(synth.VARIANTS))
def test_every_variant_prints_every_value(variant: str) -> None:
    assert _ink(variant).sum() > 500
