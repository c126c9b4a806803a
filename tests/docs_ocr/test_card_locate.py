"""Finding the card in a photograph taken at an angle and from the side: the corners
the locator gives against the corners the card was drawn at. The photos are built here
(a card in a tuning font warped onto a textured table by a known homography), so the
truth is exact and nothing depends on the generator's own capture settings."""

from __future__ import annotations

import random

import cv2
import numpy as np
import pytest

from kyc_sdk.docs_ocr import locate, read_national_card, synth
from kyc_sdk.imaging import load_rgb

TUNING_FONTS = ("nazli", "titr", "noto-naskh", "noto-sans")  # never a held-out face

FRAME = (1280, 960)


def _table(rng: random.Random) -> np.ndarray:
    # wood grain: long, strong stripes that a naive outline finder latches onto
    w, h = FRAME
    y, x = np.mgrid[0:h, 0:w].astype(np.float32)
    grain = np.sin(x / rng.uniform(6, 14) + 4 * np.sin(y / rng.uniform(60, 120)))
    tone = np.stack([110 + 25 * grain, 75 + 18 * grain, 45 + 12 * grain], axis=-1)
    return np.clip(tone, 0, 255).astype(np.uint8)


def _photo(seed: int, font: str, tilt: float, glare: float = 0.0) -> tuple[bytes, np.ndarray, synth.Person]:
    """A card photographed turned up to 10° and with each corner pulled by up to ``tilt``
    of the card's size (a camera held off to one side), with ``glare``: a lamp's bright
    spot on the table just past one long side of the card. JPEG bytes, the true corners."""
    rng = random.Random(seed)
    person = synth.random_person(rng)
    card = synth.render_national_card(person, style=synth.CardStyle(font=font), rng=rng)
    h, w = card.shape[:2]
    src = np.array([[0, 0], [w, 0], [w, h], [0, h]], np.float32)
    scale = 0.74 * FRAME[0] / w
    theta = np.deg2rad(rng.uniform(-10, 10))
    rot = np.array([[np.cos(theta), -np.sin(theta)], [np.sin(theta), np.cos(theta)]], np.float32)
    corners = (src - [w / 2, h / 2]) * scale @ rot.T + [FRAME[0] / 2, FRAME[1] / 2]
    pull = np.array([[rng.uniform(-1, 1), rng.uniform(-1, 1)] for _ in range(4)], np.float32)
    corners = (corners + pull * tilt * np.array([w, h], np.float32) * scale).astype(np.float32)
    matrix = cv2.getPerspectiveTransform(src, corners)
    warped = cv2.warpPerspective(card, matrix, FRAME, flags=cv2.INTER_AREA)
    mask = cv2.warpPerspective(np.full((h, w), 255, np.uint8), matrix, FRAME)
    frame = np.where(mask[..., None] > 127, warped, _table(rng)).astype(np.float32)
    if glare:
        side = rng.choice((0, 2))  # past the top or the bottom edge
        spot = (corners[side] + corners[side + 1]) / 2 + (corners[side] - corners[3 - side]) * 0.25
        y, x = np.mgrid[0 : FRAME[1], 0 : FRAME[0]].astype(np.float32)
        light = np.exp(-((x - spot[0]) ** 2 + (y - spot[1]) ** 2) / (2 * (0.12 * FRAME[0]) ** 2))
        frame += (255 - frame) * (glare * light)[..., None]
    frame = np.clip(frame, 0, 255).astype(np.uint8)
    ok, jpeg = cv2.imencode(".jpg", cv2.cvtColor(frame, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, 85])
    assert ok
    return jpeg.tobytes(), corners, person


def _corner_error(found: np.ndarray, truth: np.ndarray) -> float:
    """The worst corner's distance, in pixels of the canonical card."""
    w, h = synth.CARD_SIZE
    ideal = np.array([[0, 0], [w, 0], [w, h], [0, h]], np.float32)
    to_card = cv2.getPerspectiveTransform(truth, ideal)
    mapped = cv2.perspectiveTransform(found.reshape(-1, 1, 2).astype(np.float32), to_card).reshape(4, 2)
    return float(min(np.linalg.norm(np.roll(mapped, k, 0) - ideal, axis=1).max() for k in range(4)))


def _found(photo: bytes) -> np.ndarray:
    found = locate.find_document(load_rgb(photo), synth.CARD_SIZE)
    assert found is not None and found.corners is not None
    return found.corners


@pytest.mark.parametrize(("seed", "font"), list(enumerate(TUNING_FONTS, start=40)))
def test_a_card_photographed_from_the_side_has_its_corners_found(seed: int, font: str) -> None:
    photo, truth, _ = _photo(seed, font, tilt=0.07)
    assert _corner_error(_found(photo), truth) < 8  # of 1000 x 630: under 1 % of the card


@pytest.mark.parametrize(("seed", "font"), list(enumerate(TUNING_FONTS * 2, start=60)))
def test_glare_on_the_table_does_not_stretch_the_card(seed: int, font: str) -> None:
    # Before: the lit table joined the pale region, whose box the card was warped from,
    # a card's top or bottom some 10-25 % off (its rows cut or squeezed).
    photo, truth, _ = _photo(seed, font, tilt=0.05, glare=0.7)
    assert _corner_error(_found(photo), truth) < 8


@pytest.mark.slow
@pytest.mark.parametrize(("seed", "font"), [(70, "nazli"), (71, "noto-sans")])
def test_the_code_reads_on_a_tilted_card_under_glare(
    monkeypatch: pytest.MonkeyPatch, seed: int, font: str
) -> None:
    family = {"nazli": "nazli", "noto-sans": "notosansarabic"}[font]
    monkeypatch.setenv("KYC_OCR_HOLDOUT_FONTS", family)  # the face is unknown to the templates
    photo, _, person = _photo(seed, font, tilt=0.05, glare=0.7)
    fields = read_national_card(photo)["fields"]
    assert fields["national_code"]["value"] == person.national_code
    assert fields["birth_date"]["value"] == person.birth_date
