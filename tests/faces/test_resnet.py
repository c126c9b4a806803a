"""The numpy ResNet gives dlib's own descriptor, so the calibrated distances still hold."""

from __future__ import annotations

import numpy as np
import pytest

from kyc_sdk import faces
from kyc_sdk.errors import KycError
from kyc_sdk.faces import _models, resnet
from kyc_sdk.faces.shapes import encode_chips, face_chip

NAMES = ["examples_obama-240p.jpg", "tests_biden.jpg", "examples_obama_small.jpg"]


@pytest.mark.parametrize("name", NAMES)
def test_descriptor_equals_dlibs(image, name: str) -> None:
    rgb = image(name)
    face = faces.single_face(rgb)
    ours = faces.encode(rgb, face)
    top, right, bottom, left = face.box
    import dlib

    shape = _models.shape_predictor("5")(rgb, dlib.rectangle(left, top, right, bottom))
    theirs = np.asarray(_models.encoder().compute_face_descriptor(rgb, shape, 0))
    assert np.linalg.norm(ours - theirs) < 1e-4  # float rounding; a same-person distance is ~0.4


def test_a_batch_gives_each_chips_own_descriptor(image) -> None:
    chips = np.stack([face_chip(image(n), faces.single_face(image(n))) for n in NAMES])
    together = encode_chips(chips)
    alone = np.stack([encode_chips(c[None])[0] for c in chips])
    assert together.shape == (3, 128)
    np.testing.assert_allclose(together, alone, atol=1e-5)
    assert np.linalg.norm(together[0] - together[1]) > 0.6  # two people stay apart


def test_a_file_that_is_not_the_resnet_is_a_typed_error(tmp_path) -> None:
    shapes_model = _models.model_path("5")  # a dlib file, but a shape predictor
    with pytest.raises(KycError, match="not dlib's face-recognition ResNet"):
        resnet.load(shapes_model)
    truncated = tmp_path / "resnet.dat"
    truncated.write_bytes(_models.model_path("encoder").read_bytes()[:2_000_000])
    with pytest.raises(KycError):
        resnet.load(truncated)


def test_the_hosts_blas_threads_are_left_as_they_were(face_dir) -> None:
    """The encoder runs BLAS on one thread; the host's setting comes back afterwards, also
    when the two sides of a pair were encoded from different threads."""
    from threadpoolctl import threadpool_info

    before = [lib["num_threads"] for lib in threadpool_info()]
    faces.match(face_dir / "tests_obama.jpg", face_dir / "tests_biden.jpg")
    assert [lib["num_threads"] for lib in threadpool_info()] == before
