"""One face per image, and the match decision with its calibrated false-match rate.

``match(a, b)`` takes encodings or images (bytes, path or array). An image must hold
exactly one face of at least ``MIN_FACE`` pixels, else ``ImageRejected`` with reason
``no_face``, ``many_faces`` or ``face_too_small``. The default threshold and the
distance → FMR curve come from ``calibration.json``, written by
``benchmarks/faces_eval.py`` (see that file for how it was derived, and its limits):
one table for photo against photo, one for a selfie against a document's printed photo
(``document=True``).

Every face is encoded averaged with its mirror image's (both chips go through the
network in one batch): a face is nearly symmetric, so the mean keeps the person and
halves what one side's pose, light and blur add. On ``benchmarks/faces_eval.py``'s photo
split (seed 11, where it was chosen) that took the FNMR at the calibrated threshold from
7.5 % to 2.1 %, and on new captures (``--fresh 2026``) from 7.8 % to 2.4 %, for one more
chip in the batch (9 → 18 ms of CPU a face); upsampling small faces first, two more
jitters (a turn of ±3°, a scale of ±3 %) or a blurred copy gained nothing more. Each
chip's exposure is evened out first (``exposure.normalise_exposure``: the face's centre
brought to mid-grey by a power law on its lightness), which took that FNMR on seed 11
from 3.3 % to 1.4 % (see that module). Blur, most of what is left there, was tried at
stop 17 and not kept: blurring the sharper chip of a pair down to the other's level was
worse on seed 11 itself (blurred impostors come closer: FNMR at the observed FMR 1e-3
0.8 → 1.3-2.6 %), and restoring a blurred chip's fine contrast (an unsharp mask up to the
detail of sharp photos) took seed 11 from 1.4 % to 0.3 % but gained nothing on captures it
was not tuned on (``--blur-group`` 18.9 → 19.0 %, ``--detail-group`` 20.0 → 21.8 %) while
every group's false matches rose. Each face is also cut twice (``VIEWS``, stop 19): dlib's
chip and one with a wider margin (padding 0.30: the face 6 % smaller, more of its
outline), and the four chips' encodings (each view and its mirror image) are averaged:
an alignment from five landmarks fixes the face's scale only roughly, and the two cuts
disagree on what that error adds. On seed 11 and the gate's tuning captures, where it was
chosen among paddings of 0.20-0.40, turns of ±3°, shifts of 2-4 px, dlib's random jitters
and a pair's distance as the mean or the least of the four chip-and-mirror distances,
FNMR at the rule's FMR-1e-3 threshold went 1.4 % -> 0.6 % (55 -> 22 of 3888; the
threshold stayed 0.45, its FMR bound 0.074 -> 0.078 %), and 8.3 -> 6.7 % among the
gate-accepted pairs of the tuning captures; the document split's 77.9 -> 70.9 % at 0.40.
Wider margins moved impostors closer (0.40 dropped the threshold to 0.43), turns gained
about as much with three views (three times the work), and the mean or least distance lost. Held out
(``benchmarks/views_eval.py``, one look each), FNMR among the pairs the quality gate
accepts at 0.45, one cut -> two: the stop-19 ``--capture-group`` 6.4 -> 3.7 %,
``--gate-group`` 10.0 -> 7.5 %, ``--blur-group`` 4.5 -> 2.8 %, ``--detail-group`` 4.9 ->
4.0 %, ``--light-group`` 4.8 -> 3.8 %, ``--new-group`` 3.2 -> 1.5 %, ``--fresh 2026``
0.8 -> 0.2 %; the impostor FMR stayed or fell in each (all pairs, worst upper bound
0.097 %, the light group's, 0.101 % before). An encoding costs about 1.7 times the CPU, a
photo pair from bytes about 1.3 times. Faces
about 45 px wide (a messaging app's thumbnail) and motion blur still miss often there
(41 % and 12 % of their genuine pairs, every one still under dlib's 0.6). A thumbnail's
miss comes from its JPEG blocks, not from finding or aligning the face
(``small_face_reasons``): a face with less than ``RELIABLE_FACE`` pixels of detail is
flagged in ``MatchResult.quality`` so that a non-match asks for a better photo; detail,
not pixels, so that a thumbnail enlarged by a viewer counts as one
(``resolution.effective_size``).
"""

from __future__ import annotations

import functools
import math
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np

from kyc_sdk.errors import ImageRejected, InputError
from kyc_sdk.faces import calibration
from kyc_sdk.faces.detection import Face, as_rgb, detect
from kyc_sdk.faces.document import as_grey_rgb, prepare_document_photo
from kyc_sdk.faces.exposure import normalise_exposure
from kyc_sdk.faces.grain import print_grain
from kyc_sdk.faces.occlusion import occlusion_reasons
from kyc_sdk.faces.resolution import effective_size
from kyc_sdk.faces.shapes import DLIB_PADDING, encode_chips, face_chip

MIN_FACE = 40  # pixels (shorter box side); the encoder's 150 px chip is upsampled below that
# Below this a face's distance says little: an 8-pixel JPEG block spans more than an eighth
# of it, and the encoder reads the blocks as features (see ``MatchResult.quality``).
RELIABLE_FACE = 64
SMALL_FACE = "quality_face_small"
# A photo or selfie that is a print's ink dots (``grain.print_grain``): ask for the person.
PRINT_GRAIN = "quality_print_grain"
ENCODING_SIZE = 128
# The margins (dlib's padding) of the chips a face is encoded from: dlib's own cut and a
# wider one, where the face is 6 % smaller and shows more of its outline.
VIEWS = (DLIB_PADDING, 0.30)
Source = bytes | str | Path | np.ndarray


@dataclass(frozen=True, slots=True)
class MatchResult:
    """Same person when ``distance <= threshold``; ``fmr`` is the calibrated false-match
    rate of accepting at this ``distance`` (95 % upper bound, see ``calibration``).

    ``quality`` names what makes a distance unreliable: ``quality_face_small`` when either
    face holds less than ``RELIABLE_FACE`` pixels of detail: fewer pixels as given, or
    more pixels that hold no more (an enlarged thumbnail, a blurred face; see
    ``resolution.effective_size``; a document's print is judged by its printed size),
    ``quality_occluded`` when a photo's or selfie's face is partly covered between the
    brows and the chin (``occlusion``), and ``quality_print_grain`` when a photo or selfie
    is a scanned or photographed print whose
    ink dots the encoder would read as the face (``grain.print_grain``; a document is a
    print by nature and is not judged so). A non-match with such a face is a reason to ask
    for a better photo rather than evidence of another person; a match stays a match (the
    threshold's FMR holds for these faces too)."""

    match: bool
    distance: float
    threshold: float
    fmr: float
    quality: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, object]:
        return {
            "match": self.match,
            "distance": self.distance,
            "threshold": self.threshold,
            "fmr": self.fmr,
            "quality": list(self.quality),
        }


def single_face(rgb: np.ndarray, *, min_size: int = MIN_FACE) -> Face:
    """The one face in ``rgb``; ``ImageRejected`` for none, several, or one too small.

    We search down to half ``min_size`` so a too-small face is reported as such rather
    than as no face; faces below ``min_size`` next to a usable one are ignored.
    """
    found = detect(rgb, min_size=max(min_size // 2, 20))
    usable = [f for f in found if f.size >= min_size]
    if len(usable) > 1:
        raise ImageRejected(f"{len(usable)} faces found; exactly one is needed", reason="many_faces")
    if usable:
        return usable[0]
    if found:
        raise ImageRejected(f"the face is smaller than {min_size} pixels", reason="face_too_small")
    raise ImageRejected("no face found in the image", reason="no_face")


Side = Literal["photo", "selfie", "document"]


def encoding_of(source: Source, *, side: Side = "photo") -> np.ndarray:
    """``source`` as a 128-d encoding: passed through if it already is one, else computed
    from the single face in the image (decoded only through ``kyc_sdk.imaging``).

    ``side`` says how, as ``match`` does it: ``"photo"`` in colour (photo against photo);
    for a selfie against a document, ``"selfie"`` for the live image and ``"document"``
    for the printed photo (prepared by ``prepare_document_photo``), both in grey. Every
    side is encoded from its ``VIEWS`` and their mirror images, averaged."""
    return _encode_all([_chip_or_encoding(source, side)[0]])[0]


def encode_face(rgb: np.ndarray, face: Face, *, side: Literal["photo", "selfie"] = "photo") -> np.ndarray:
    """``face`` in ``rgb`` encoded as ``encoding_of(..., side=side)`` encodes an image's one
    face, for pictures with several faces. Not for the ``"document"`` side: preparing the
    print resizes it, so a box found before no longer fits."""
    return _encode_all([chips_of(_as_seen(rgb, side), face)])[0]


def match(a: Source, b: Source, *, threshold: float | None = None, document: bool = False) -> MatchResult:
    """Compare two faces (encodings or images) at ``threshold`` (default: calibrated).

    Both faces are encoded from their ``VIEWS`` and mirror images, averaged. ``document=True``: ``b`` is
    the photo printed on an identity document (best cropped around the face) and ``a``
    the selfie. The print is prepared, both faces are encoded in grey, and the threshold
    and FMR come from the document table. Encodings are taken as given: make them with ``encoding_of(...,
    side="selfie")`` and ``encoding_of(..., side="document")``.

    The two images are decoded and their faces found at the same time on two threads
    (OpenCV and dlib release the GIL); the chips then go through the encoder as one
    batch, itself split over two threads (``resnet.descriptors``). On 2 cores that halves
    a pair's wall time (``benchmarks/faces_eval.py``)."""
    kind: calibration.Kind = "document" if document else "photo"
    limit = calibration.default_threshold(kind) if threshold is None else float(threshold)
    if not (math.isfinite(limit) and limit > 0):  # nan would refuse every pair in silence
        raise InputError(f"a face threshold is a finite distance above zero, not {threshold!r}")
    first = _side_pool().submit(_chip_or_encoding, a, "selfie" if document else "photo")
    second, second_reasons = _chip_or_encoding(b, "document" if document else "photo")
    first_item, first_reasons = first.result()
    left, right = _encode_all([first_item, second])
    distance = float(np.linalg.norm(left - right))
    quality = tuple(dict.fromkeys(first_reasons + second_reasons))  # each reason once, in order
    return MatchResult(
        distance <= limit, round(distance, 4), limit, calibration.fmr_at(distance, kind), quality
    )


def small_face_reasons(*sizes: int | None) -> tuple[str, ...]:
    """``(SMALL_FACE,)`` when a face of known size (pixels, as given) is under
    ``RELIABLE_FACE``. On ``benchmarks/faces_eval.py``'s tuning captures the miss of a
    40-50 px face comes from compression, not from the detector or its landmarks: the
    same faces scaled down cleanly missed 1 % of their genuine pairs, JPEG at quality 60
    46 %, and upsampling first, deblocking, blurring, sharpening or degrading the other
    face alike gained nothing. So the answer is a better photo, not a verdict."""
    return (SMALL_FACE,) if any(s is not None and s < RELIABLE_FACE for s in sizes) else ()


def photo_reasons(rgb: np.ndarray, face: Face, colour: np.ndarray | None = None) -> tuple[str, ...]:
    """What makes a photo's or selfie's distance unreliable (``MatchResult.quality``): too
    little detail (``small_face_reasons`` of its effective size), a print's grain, a face
    partly covered (``occlusion.occlusion_reasons``, read on ``colour``, the image in colour
    when ``rgb`` is the grey one a document comparison encodes; the same size)."""
    grain = (PRINT_GRAIN,) if print_grain(rgb, face) else ()
    covered = occlusion_reasons(rgb if colour is None else colour, face)
    return small_face_reasons(effective_size(rgb, face)) + grain + covered


def _chip_or_encoding(source: Source, side: Side = "photo") -> tuple[np.ndarray, tuple[str, ...]]:
    """An encoding given as such (checked), else the aligned chip of the image's one face;
    with that face's quality reasons (none for an encoding): ``photo_reasons`` for a photo
    or selfie, its printed size alone for a document."""
    if isinstance(source, np.ndarray) and source.ndim == 1:
        if source.shape != (ENCODING_SIZE,) or not np.all(np.isfinite(source)):
            raise InputError(f"a face encoding has {ENCODING_SIZE} finite values")
        return source.astype(np.float64), ()
    given = as_rgb(source) if isinstance(source, np.ndarray) else _load(source)
    rgb = _as_seen(given, side)
    face = single_face(rgb)
    if side == "document":
        # enlarged by its preparation: its size counts as printed. Not its detail nor its
        # grain: a print's dots and blur are what the document table was calibrated on.
        printed = round(face.size * min(given.shape[:2]) / min(rgb.shape[:2]))
        return chips_of(rgb, face), small_face_reasons(printed)
    return chips_of(rgb, face), photo_reasons(rgb, face, colour=given)


def chips_of(rgb: np.ndarray, face: Face) -> np.ndarray:
    """The chips ``match`` encodes ``face`` from (``VIEWS`` × 150 × 150 × 3): aligned as
    dlib cuts it, and with a wider margin, each one's exposure evened out."""
    return np.stack([normalise_exposure(c) for c in face_chip(rgb, face, paddings=VIEWS)])


def _as_seen(rgb: np.ndarray, side: Side) -> np.ndarray:
    """The image the encoder is shown for ``side``: grey for both sides of a document
    comparison, and the print prepared."""
    if side != "photo":
        rgb = as_grey_rgb(rgb)
    return prepare_document_photo(rgb) if side == "document" else rgb


def _encode_all(items: list[np.ndarray]) -> list[np.ndarray]:
    """Encodings for ``items`` (encodings, or a face's chips as ``chips_of`` cuts them), every
    chip and its mirror image encoded in one batch; a face's encoding is the mean of its
    chips' and their mirror images'."""
    chipped = [i for i, item in enumerate(items) if item.ndim == 4]
    if not chipped:
        return items
    encoded = encode_chips(np.concatenate([items[i] for i in chipped]), mirrored=True)
    out = list(items)
    for i, vectors in zip(chipped, encoded.reshape(len(chipped), -1, ENCODING_SIZE), strict=True):
        out[i] = vectors.mean(axis=0)
    return out


@functools.cache
def _side_pool() -> ThreadPoolExecutor:
    return ThreadPoolExecutor(max_workers=2, thread_name_prefix="kyc-face")


# A forked child inherits the pool but not its threads: work submitted there never ran
# and match() hung. The child starts a pool of its own instead.
os.register_at_fork(after_in_child=_side_pool.cache_clear)


def _load(source: bytes | str | Path) -> np.ndarray:
    from kyc_sdk.imaging import load_rgb

    if not isinstance(source, (bytes, bytearray, memoryview, str, Path)):
        raise ImageRejected(
            "expected image bytes, a path, an array or an encoding", reason="unsupported_format"
        )
    return load_rgb(bytes(source) if not isinstance(source, (str, Path)) else source)
