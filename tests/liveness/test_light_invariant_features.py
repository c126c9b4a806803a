"""The passive model's colour under the face's own white (``features.balanced``): what a
colour cast of the light moves, and what it leaves alone (issue 14: warm, cold and mixed
light read as recapture when skin colour was measured in absolute terms)."""

from __future__ import annotations

import numpy as np
import pytest

from kyc_sdk import faces
from kyc_sdk.liveness import features


def _cast(rgb: np.ndarray, gains: tuple[float, float, float]) -> np.ndarray:
    return np.clip(rgb * np.array(gains, np.float32), 0, 255).astype(np.uint8)


@pytest.mark.parametrize("name", ["tests_obama.jpg", "tests_biden.jpg"])
@pytest.mark.parametrize("gains", [(1.15, 1.0, 0.8), (0.88, 1.0, 1.12)])
def test_a_cast_moves_absolute_colour_more_than_balanced_colour(photo, name: str, gains) -> None:
    rgb, _ = photo(name)
    box = faces.single_face(rgb).box
    before, after = features.measure(rgb, box), features.measure(_cast(rgb, gains), box)
    assert abs(after["wb_hue"] - before["wb_hue"]) <= abs(after["hue"] - before["hue"]) + 1.0
    assert abs(after["wb_chroma"] - before["wb_chroma"]) < 0.5 * abs(
        after["skin_chroma"] - before["skin_chroma"]
    )


def test_washed_out_ink_still_reads_as_less_chroma(photo) -> None:
    """Balancing removes the light's colour, not the gamut: a face printed with half its
    chroma reads lower whatever the light."""
    rgb, _ = photo("tests_obama.jpg")
    box = faces.single_face(rgb).box
    grey = rgb.mean(axis=2, keepdims=True)
    washed = (grey + (rgb - grey) * 0.5).astype(np.uint8)
    for gains in ((1.0, 1.0, 1.0), (1.12, 1.0, 0.85)):
        live = features.balanced(_cast(rgb, gains), box)["wb_chroma"]
        ink = features.balanced(_cast(washed, gains), box)["wb_chroma"]
        assert ink < 0.75 * live, gains


def test_balanced_colour_of_a_sliver_or_a_burnt_face_is_neutral() -> None:
    white = np.full((60, 60, 3), 255, np.uint8)
    assert features.balanced(white, (10, 50, 50, 10)) == {
        "wb_chroma": 0.0,
        "wb_chroma_p90": 0.0,
        "wb_hue": 0.0,
    }
    assert features.balanced(np.zeros((4, 4, 3), np.uint8), (0, 4, 4, 0))["wb_chroma"] == 0.0
