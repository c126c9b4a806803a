"""Faces: detection, landmarks, encodings and matching, on dlib's models (issue "Faces and
liveness"; design in ``docs/architecture.md``, measurement in ``docs/evaluation.md``).

- ``detect(rgb, *, min_size=40) -> list[Face]``: HOG over one resized copy (``detection``).
- ``landmarks(rgb, face, *, model="68"|"5")``, ``register_landmarks`` (``shapes``).
- ``encode(rgb, face, *, mirrored=False) -> 128-d``: dlib's ResNet, run by numpy (``shapes``, ``resnet``);
  ``encoding_of(source, *, side="photo"|"selfie"|"document")``, ``encode_face(rgb, face, *, side)``:
  what ``match`` compares, every face cut twice (``match.VIEWS``), each chip's exposure
  evened out (``exposure``), and averaged with its mirror images.
- ``single_face(rgb) -> Face``, ``match(a, b, *, threshold=None, document=False) -> MatchResult``
  (``match``); ``document=True`` compares a selfie with a document's printed photo;
  ``MatchResult.quality`` flags a face too small for its distance to mean much, or a
  photo that is a print's grain (``grain``).
- ``prepare_document_photo(rgb) -> rgb``, ``as_grey_rgb(rgb) -> rgb`` (``document``).

Never imports ``face_recognition`` (it calls ``quit()`` when its models fail to load); the
model files are read from the ``face_recognition_models`` wheel. Importing this subpackage
loads numpy, OpenCV and dlib; ``import kyc_sdk`` does not import it.
"""

from __future__ import annotations

from kyc_sdk.faces.detection import Face, detect
from kyc_sdk.faces.document import as_grey_rgb, prepare_document_photo
from kyc_sdk.faces.match import MatchResult, encode_face, encoding_of, match, single_face
from kyc_sdk.faces.shapes import encode, landmarks, register_landmarks

__all__ = [
    "Face",
    "MatchResult",
    "as_grey_rgb",
    "detect",
    "encode",
    "encode_face",
    "encoding_of",
    "landmarks",
    "match",
    "prepare_document_photo",
    "register_landmarks",
    "single_face",
]
