"""Images and encodings shared by the face tests (decoded once per session)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import cv2
import numpy as np
import pytest

from kyc_sdk import faces
from kyc_sdk.imaging import load_rgb


@pytest.fixture(scope="session")
def face_dir(shared_data: Path) -> Path:
    return shared_data / "faces"


@pytest.fixture(scope="session")
def expected(shared_data: Path) -> dict[str, dict]:
    """MANIFEST.tsv's ``expected`` column for the face images, parsed."""
    with open(shared_data / "MANIFEST.tsv", encoding="utf-8", newline="") as fh:
        rows = csv.DictReader(fh, delimiter="\t")
        return {r["path"]: json.loads(r["expected"]) for r in rows if r["path"].startswith("faces/")}


@pytest.fixture(scope="session")
def image(face_dir: Path):
    cache: dict[str, np.ndarray] = {}

    def get(name: str) -> np.ndarray:
        if name not in cache:
            cache[name] = load_rgb(face_dir / name)
        return cache[name]

    return get


@pytest.fixture(scope="session")
def encoding(image):
    cache: dict[str, np.ndarray] = {}

    def get(name: str) -> np.ndarray:
        if name not in cache:
            cache[name] = faces.encoding_of(image(name))
        return cache[name]

    return get


def paste_face(rgb: np.ndarray, face: faces.Face, width: int, canvas: tuple[int, int]) -> np.ndarray:
    """``face`` (with some margin) scaled so its box is ``width`` px wide, on a grey canvas."""
    top, right, bottom, left = face.box
    h, w = bottom - top, right - left
    crop = rgb[max(top - h // 2, 0) : bottom + h // 2, max(left - w // 2, 0) : right + w // 2]
    small = cv2.resize(crop, None, fx=width / w, fy=width / w, interpolation=cv2.INTER_AREA)
    out = np.full((*canvas, 3), 128, np.uint8)
    y, x = (canvas[0] - small.shape[0]) // 2, (canvas[1] - small.shape[1]) // 2
    out[y : y + small.shape[0], x : x + small.shape[1]] = small
    return out
