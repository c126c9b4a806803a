"""Facial landmarks and 128-d encodings (dlib shape predictors and ResNet encoder).

Landmark backends are swappable because dlib's 68-point model is licensed for
non-commercial use only (docs/evaluation.md, *Traps*): ``register_landmarks("68", fn)``
replaces it with any function ``(rgb, face) -> N × 2 array`` in the same point order.
Encodings always align with the public-domain 5-point model, as face_recognition's
default ("small") does, so matching never depends on the 68-point licence.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import dlib
import numpy as np

from kyc_sdk.errors import InputError
from kyc_sdk.faces import _models, resnet
from kyc_sdk.faces.detection import Face, as_rgb

Landmarker = Callable[[np.ndarray, Face], np.ndarray]
_BACKENDS: dict[str, Landmarker] = {}


def register_landmarks(model: str, backend: Landmarker | None) -> None:
    """Use ``backend`` for ``landmarks(..., model=model)`` from now on in this process
    (``None`` restores dlib's model of that name)."""
    if backend is None:
        _BACKENDS.pop(model, None)
    else:
        _BACKENDS[model] = backend


def landmarks(rgb: np.ndarray, face: Face, *, model: str = "68") -> np.ndarray:
    """Landmark points (N × 2 float, x then y) of ``face``: 68 or 5 points by ``model``."""
    backend = _BACKENDS.get(model)
    if backend is not None:
        return np.asarray(backend(rgb, face), dtype=np.float64)
    if model not in ("68", "5"):
        raise InputError(f"unknown landmark model {model!r} (use '68', '5' or register one)")
    shape = _shape(as_rgb(rgb), face, model)
    return np.array([(p.x, p.y) for p in shape.parts()], dtype=np.float64)


def encode(rgb: np.ndarray, face: Face, *, mirrored: bool = False) -> np.ndarray:
    """The 128-d dlib ResNet descriptor of ``face`` (distance < ~0.6: same person);
    ``mirrored``: averaged with the mirror image's, as ``match`` encodes every face."""
    return encode_chips(face_chip(rgb, face)[None], mirrored=mirrored)[0]


DLIB_PADDING = 0.25  # the margin around the landmarks' face, as compute_face_descriptor cuts it


def face_chip(rgb: np.ndarray, face: Face, *, paddings: tuple[float, ...] = ()) -> np.ndarray:
    """The 150 × 150 RGB chip the encoder reads: the face aligned on its 5 landmarks,
    with dlib's padding of 0.25, exactly as ``compute_face_descriptor`` cuts it.
    ``paddings``: one chip per padding instead (K × 150 × 150 × 3), from the one alignment."""
    rgb = as_rgb(rgb)
    shape = _shape(rgb, face, "5")
    if not paddings:
        return np.asarray(dlib.get_face_chip(rgb, shape, size=resnet.CHIP, padding=DLIB_PADDING))
    return np.stack(
        [np.asarray(dlib.get_face_chip(rgb, shape, size=resnet.CHIP, padding=p)) for p in paddings]
    )


def encode_chips(chips: np.ndarray, *, mirrored: bool = False) -> np.ndarray:
    """Descriptors (N × 128, float64) of N face chips, in one pass through the network;
    ``mirrored``: each averaged with its mirror image's (2N chips in the one pass)."""
    if mirrored:
        chips = np.ascontiguousarray(np.concatenate([chips, chips[:, :, ::-1]]))
    vectors = resnet.descriptors(chips, _models.network()).astype(np.float64)
    if mirrored:
        half = len(vectors) // 2
        vectors = (vectors[:half] + vectors[half:]) / 2
    return vectors


def _shape(rgb: np.ndarray, face: Face, model: str) -> Any:
    top, right, bottom, left = (int(v) for v in face.box)
    rect = dlib.rectangle(left, top, right, bottom)
    return _models.shape_predictor(model)(rgb, rect)
