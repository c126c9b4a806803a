"""The samples the demo, the examples and the tests register: synthetic people, their
documents and their selfie videos, made at first use from one shipped face.

The face is ``sample_data/astronaut_face.jpg``: a crop (rows 0–300, columns 96–352) of
scikit-image's ``astronaut`` test image, a NASA portrait of Eileen Collins in the public
domain; ``face_from_skimage`` re-derives it. Everything else is rendered around it by
``kyc_sdk.docs_ocr.synth`` (card front and back, passport data page, then photographed on
a table) and animated by ``kyc_sdk.liveness.synth_video`` (the selfie video performing a
server's challenge). Nobody here is real: the resident, the Shahkar-mismatch and the
name-mismatch people are fixture people of the hirkan sandbox
(``sandbox/scenario_data/hirkan.json``), the one abroad a made-up passport holder.
Spec: the issue "The whole registration".
"""

from __future__ import annotations

import functools
import random
import zlib
from collections.abc import Sequence
from importlib import resources

import numpy as np

from kyc_sdk.docs_ocr import synth
from kyc_sdk.models import Subject

FACE_FILE = "astronaut_face.jpg"
FACE_CROP = (slice(0, 300), slice(96, 352))  # rows, columns of skimage's astronaut
SELFIE_SCALE = 2.0  # the crop at a phone's selfie size (512 × 600)
Frames = list[tuple[float, np.ndarray]]

#: hirkan's "approved" fixture person, with the document details a card adds.
RESIDENT = synth.Person(
    first_name="علی",
    last_name="رضایی",
    father_name="محمد",
    national_code="0499370899",
    birth_date="1370/01/01",
    expiry_date="1408/05/20",
    sex="M",
    first_name_latin="ALI",
    last_name_latin="REZAEI",
    serial="1A23456789",
    passport_number="A12345678",
)
#: hirkan's "retry" fixture person: the registry matches, Shahkar says the mobile is not theirs.
SHAHKAR_MISMATCH = synth.Person(
    first_name="زهرا",
    last_name="کریمی",
    father_name="حسن",
    national_code="0084575948",
    birth_date="1365/06/15",
    expiry_date="1407/11/03",
    sex="F",
    first_name_latin="ZAHRA",
    last_name_latin="KARIMI",
    serial="4K20481632",
    passport_number="K20481632",
)
#: hirkan's "review" fixture person: the registry knows her under another first name,
#: so the registration ends in REVIEW (``registry_name_mismatch``) for an officer.
NAME_MISMATCH = synth.Person(
    first_name="مریم",
    last_name="احمدی",
    father_name="رضا",
    national_code="0963695398",
    birth_date="1368/11/02",
    expiry_date="1408/09/12",
    sex="F",
    first_name_latin="MARYAM",
    last_name_latin="AHMADI",
    serial="2M36925814",
    passport_number="M36925814",
)
#: An Iranian abroad: a passport with the national code in its personal-number field.
ABROAD = synth.Person(
    first_name="سارا",
    last_name="کیانی",
    father_name="رضا",
    national_code="4329939088",
    birth_date="1362/08/21",
    expiry_date="1409/02/14",
    sex="F",
    first_name_latin="SARA",
    last_name_latin="KIANI",
    serial="7P55012233",
    passport_number="P55012233",
)
FIXTURE_MOBILE = "09121234567"  # the mobile the hirkan fixtures know
FOREIGN_MOBILE = "+4915112345678"  # a German number: no Shahkar for it


def resident_subject(person: synth.Person = RESIDENT, mobile: str = FIXTURE_MOBILE) -> Subject:
    """What a resident types: national code, Iranian mobile, names, Jalali birth date."""
    return Subject(
        national_code=person.national_code,
        mobile=mobile,
        first_name=person.first_name,
        last_name=person.last_name,
        father_name=person.father_name,
        birth_date=person.birth_date,
    )


def abroad_subject(person: synth.Person = ABROAD, mobile: str = FOREIGN_MOBILE) -> Subject:
    """What an Iranian abroad types: passport number, nationality, names, birth date."""
    return Subject(
        mobile=mobile,
        first_name=person.first_name_latin,
        last_name=person.last_name_latin,
        birth_date=person.birth_date,
        passport_number=person.passport_number,
        nationality="IRN",
    )


@functools.cache
def face() -> np.ndarray:
    """The shipped face crop, RGB (read-only: copy before drawing on it)."""
    from kyc_sdk.imaging import load_rgb

    data = resources.files("kyc_sdk.registration.sample_data").joinpath(FACE_FILE).read_bytes()
    rgb = load_rgb(data)
    rgb.setflags(write=False)
    return rgb


def face_from_skimage() -> np.ndarray:
    """The same crop taken from scikit-image's own copy (provenance check; needs skimage)."""
    import skimage.data

    return np.ascontiguousarray(skimage.data.astronaut()[FACE_CROP])


@functools.cache
def selfie_frame() -> np.ndarray:
    """The face at selfie size: the frame every generated video starts from."""
    import cv2

    big = cv2.resize(np.array(face()), None, fx=SELFIE_SCALE, fy=SELFIE_SCALE, interpolation=cv2.INTER_CUBIC)
    big.setflags(write=False)
    return big


@functools.cache
def _landmarks() -> np.ndarray:
    from kyc_sdk import faces

    rgb = selfie_frame()
    return faces.landmarks(rgb, faces.single_face(rgb))


@functools.cache
def card_front(person: synth.Person = RESIDENT) -> bytes:
    """A photograph (JPEG) of ``person``'s national card front, with the shipped face."""
    card = synth.render_national_card(person, face=np.array(face()), rng=random.Random(person.national_code))
    return synth.photograph(card, rng=random.Random(1), blur=0.6, noise=3.0, perspective=0.03)


@functools.cache
def card_back(person: synth.Person = RESIDENT) -> bytes:
    back = synth.render_card_back(person, rng=random.Random(person.serial))
    return synth.photograph(back, rng=random.Random(2), noise=2.0)


@functools.cache
def passport_page(person: synth.Person = ABROAD) -> bytes:
    """A photograph (JPEG) of ``person``'s passport data page, with the shipped face."""
    page = synth.render_passport_page(person, face=np.array(face()))
    return synth.photograph(page, rng=random.Random(1), blur=0.5, noise=2.0, perspective=0.02)


@functools.cache
def _performed(steps: tuple[str, ...]) -> tuple[tuple[float, np.ndarray], ...]:
    from kyc_sdk.liveness import synth_video

    rng = np.random.default_rng(zlib.crc32("|".join(steps).encode()))
    return tuple(synth_video.animate(np.array(selfie_frame()), _landmarks(), steps, rng))


def selfie_video(steps: Sequence[str]) -> Frames:
    """Frames ``(t, rgb)`` of the face performing the challenge ``steps`` in order."""
    return list(_performed(tuple(steps)))


def replay_video(seconds: float = 3.0) -> Frames:
    """The attack: a still photo of the face held to the camera (it ignores any challenge)."""
    from kyc_sdk.liveness import synth_video

    return synth_video.still_video(np.array(selfie_frame()), np.random.default_rng(11), seconds)


def video_file(frames: Frames, fps: float = 15.0) -> bytes:
    """``frames`` as a Motion-JPEG AVI file, as a phone app would upload the selfie video."""
    import os
    import tempfile

    import cv2

    h, w = frames[0][1].shape[:2]
    fd, name = tempfile.mkstemp(suffix=".avi")
    os.close(fd)
    try:
        writer = cv2.VideoWriter(name, cv2.VideoWriter.fourcc(*"MJPG"), fps, (w, h))
        for _, rgb in frames:
            writer.write(np.ascontiguousarray(rgb[:, :, ::-1]))
        writer.release()
        with open(name, "rb") as fh:
            return fh.read()
    finally:
        os.unlink(name)
