"""What an unsure national code shows (``fields._likeliest``), replayed from development
cards (tuning fonts, ``benchmarks/ocr_eval.py`` draws, the face left out of the templates
and a convolutional network fitted without the tuning faces)."""

from __future__ import annotations

import numpy as np
import pytest

from kyc_sdk.docs_ocr import _tess
from kyc_sdk.docs_ocr.fields import national_code_field
from kyc_sdk.identifiers import national_code
from kyc_sdk.text import to_persian_digits


def _shapes(sims: list[list[float]]) -> list[np.ndarray]:
    """Unit vectors whose pairwise similarities are ``sims`` (as measured on the card)."""
    gram = np.array(sims, dtype=np.float64)
    values, vectors = np.linalg.eigh((gram + gram.T) / 2)
    vecs = vectors * np.sqrt(np.clip(values, 0, None))
    return [v / np.linalg.norm(v) for v in vecs]


def _code(
    read: str, choices: dict[int, tuple[tuple[str, float], ...]], sims: list[list[float]]
) -> list[_tess.Symbol]:
    """``read`` as glyphs: those in ``choices`` unsure with those choices, the others sure;
    ۰ a shapeless dot, every other glyph shaped (``sims`` in order)."""
    shapes = iter(_shapes(sims))
    out = []
    for i, d in enumerate(read):
        if d == "0":
            out.append(_tess.Symbol("۰", 0.9, (("۰", 0.9),), sure=True))
            continue
        options = tuple((to_persian_digits(c), p) for c, p in choices.get(i, ((d, 0.97), ("9", 0.4))))
        out.append(
            _tess.Symbol(
                options[0][0],
                options[0][1],
                options,
                sure=i not in choices,
                shape=next(shapes),
                script="eastern",
            )
        )
    return out


# Noto Naskh, angled, grouped by hyphens (seed 4300, card 25): both ۴ read ۲ (unsure,
# ۴ second), beside a true ۲ unlike them. The least similarity given up changed the
# first ۴ to its third choice ۳, which passed the checksum by chance: 1603828621.
ANGLED = (
    "1602828621",
    "1604828641",
    {
        3: (("2", 0.72), ("4", 0.61), ("3", 0.42)),
        5: (("2", 0.94), ("4", 0.44), ("7", 0.43)),
        8: (("2", 0.85), ("4", 0.49), ("3", 0.42)),
    },
    [
        [1.0, 0.37, 0.31, 0.43, 0.55, 0.41, 0.46, 0.37, 0.96],
        [0.37, 1.0, 0.34, 0.44, 0.20, 0.47, 0.96, 0.31, 0.30],
        [0.31, 0.34, 1.0, 0.17, 0.60, 0.17, 0.36, 0.94, 0.36],
        [0.43, 0.44, 0.17, 1.0, 0.19, 0.99, 0.43, 0.22, 0.35],
        [0.55, 0.20, 0.60, 0.19, 1.0, 0.19, 0.25, 0.70, 0.62],
        [0.41, 0.47, 0.17, 0.99, 0.19, 1.0, 0.45, 0.22, 0.34],
        [0.46, 0.96, 0.36, 0.43, 0.25, 0.45, 1.0, 0.35, 0.39],
        [0.37, 0.31, 0.94, 0.22, 0.70, 0.22, 0.35, 1.0, 0.41],
        [0.96, 0.30, 0.36, 0.35, 0.62, 0.34, 0.39, 0.41, 1.0],
    ],
)
# Noto Naskh, upside down (seed 4400, card 23): its two ۴ read ۲ beside two true ۲, and
# that reading passed the checksum by chance, so it was shown as read: 3792222061.
UPSIDE = (
    "3792222061",
    "3794224061",
    {
        0: (("3", 0.78), ("2", 0.65), ("4", 0.44)),
        1: (("7", 0.79), ("4", 0.37), ("8", 0.34)),
        3: (("2", 0.76), ("4", 0.56), ("3", 0.44)),
        4: (("2", 0.95), ("7", 0.44), ("4", 0.43)),
        5: (("2", 0.94), ("7", 0.44), ("4", 0.43)),
        6: (("2", 0.76), ("4", 0.55), ("3", 0.43)),
    },
    [
        [1.0, 0.42, 0.31, 0.71, 0.60, 0.58, 0.69, 0.08, 0.13],
        [0.42, 1.0, 0.32, 0.37, 0.45, 0.43, 0.34, 0.17, 0.32],
        [0.31, 0.32, 1.0, 0.45, 0.42, 0.41, 0.47, 0.71, 0.61],
        [0.71, 0.37, 0.45, 1.0, 0.64, 0.63, 0.98, 0.32, 0.30],
        [0.60, 0.45, 0.42, 0.64, 1.0, 0.99, 0.67, 0.14, 0.45],
        [0.58, 0.43, 0.41, 0.63, 0.99, 1.0, 0.66, 0.17, 0.47],
        [0.69, 0.34, 0.47, 0.98, 0.67, 0.66, 1.0, 0.29, 0.34],
        [0.08, 0.17, 0.71, 0.32, 0.14, 0.17, 0.29, 1.0, 0.45],
        [0.13, 0.32, 0.61, 0.30, 0.45, 0.47, 0.34, 0.45, 1.0],
    ],
)


@pytest.mark.parametrize("card", [ANGLED, UPSIDE], ids=["angled", "upside"])
def test_an_unsure_code_shows_one_value_per_form(
    card: tuple[str, str, dict[int, tuple[tuple[str, float], ...]], list[list[float]]],
) -> None:
    read, truth, choices, sims = card
    assert national_code.is_valid(truth)
    field = national_code_field(_code(read, choices, sims))
    assert field.value == truth
    assert not field.valid and field.confidence < 0.5  # shown only: the checksum chose among near-ties


def test_without_a_form_to_go_by_the_least_similarity_given_up_decides() -> None:
    # The same card with its three glyphs read ۲ about as alike as any two of one value
    # (0.85): no form says which reading is right, so the least similarity given up
    # decides, as before (the first ۴ to ۳).
    read, _, choices, sims = ANGLED
    alike = [row[:] for row in sims]
    for i in (2, 4, 7):  # the glyphs at 3, 5 and 8 among the shaped ones
        for j in (2, 4, 7):
            alike[i][j] = 1.0 if i == j else 0.85
    assert national_code_field(_code(read, choices, alike)).value == "1603828621"
