"""Where dlib's models come from, loaded once per process.

The model files ship inside the ``face_recognition_models`` wheel. We locate that package
with ``importlib.util.find_spec`` and never execute its ``__init__``: it imports
``pkg_resources``, which setuptools >= 81 removed (see ``docs/evaluation.md``, *Traps*), and we
never import ``face_recognition`` itself because it calls ``quit()`` when that fails.

Licences: the HOG detector (in dlib), the 5-point shape model and the ResNet encoder are
public domain / Boost; the 68-point model was trained on iBUG 300-W, non-commercial only.
"""

from __future__ import annotations

import functools
import importlib.util
import threading
from pathlib import Path
from typing import Any

import dlib

from kyc_sdk.errors import KycError, MissingExtra

PACKAGE = "face_recognition_models"


class FaceModelMissing(KycError):
    """A face model file is not installed: like a missing extra, install and run again."""

    exit_code = MissingExtra.exit_code


FILES = {
    "68": "shape_predictor_68_face_landmarks.dat",
    "5": "shape_predictor_5_face_landmarks.dat",
    "encoder": "dlib_face_recognition_resnet_model_v1.dat",
}


def model_path(name: str) -> Path:
    """The file of model ``name`` inside the installed ``face_recognition_models``."""
    spec = importlib.util.find_spec(PACKAGE)
    locations = list(spec.submodule_search_locations or []) if spec else []
    for folder in locations:
        path = Path(folder) / "models" / FILES[name]
        if path.is_file():
            return path
    raise FaceModelMissing(
        f"face model {FILES[name]} not found; "
        "install dlib-bin and face-recognition-models (the 'liveness' extra)"
    )


_per_thread = threading.local()


def detector() -> Any:
    """dlib's HOG frontal-face detector (built into dlib, no file), one per thread: dlib
    releases the GIL while it scans and the detector keeps scratch state, so two threads
    sharing one crash the process (shape predictors are read-only and shared safely)."""
    found = getattr(_per_thread, "detector", None)
    if found is None:
        found = _per_thread.detector = dlib.get_frontal_face_detector()
    return found


@functools.cache
def shape_predictor(name: str) -> Any:
    return dlib.shape_predictor(str(model_path(name)))


@functools.cache
def encoder() -> Any:
    """dlib's own encoder: kept as the reference ``resnet`` is tested against."""
    return dlib.face_recognition_model_v1(str(model_path("encoder")))


def network() -> Any:
    """The encoder's weights for ``resnet`` (numpy), read once from the same file."""
    from kyc_sdk.faces import resnet

    return resnet.load(model_path("encoder"))
