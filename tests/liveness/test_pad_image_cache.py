"""train_pad.py's image cache (benchmarks/pad_image_cache.py) reuses only images this very
generator drew: a stale or hand-seeded cache once fitted a model on older draws."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import pytest

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"


@pytest.fixture(scope="module")
def cache_module() -> Iterator[Any]:
    sys.path.insert(0, str(BENCHMARKS))
    try:
        import pad_image_cache

        yield pad_image_cache
    finally:
        sys.path.remove(str(BENCHMARKS))


def _image(seed: int) -> np.ndarray:
    return np.random.default_rng(seed).integers(0, 256, (24, 32, 3), dtype=np.uint8)


def test_an_image_put_by_hand_is_drawn_again(cache_module: Any, tmp_path: Path) -> None:
    cache = cache_module.ImageCache(tmp_path, "a" * 64, "f")
    # the old failure: a PNG linked into a directory named after today's code
    cv2.imwrite(str(cache.dir / "print__x__obama__0.png"), _image(0))
    assert cache.image("print__x__obama__0") is None
    assert cache.redrawn == ["print__x__obama__0"]
    cache.put("print__x__obama__0", _image(1))
    got = cache.image("print__x__obama__0")
    assert got is not None and np.array_equal(got[0], _image(1))


def test_changed_bytes_and_another_generators_manifest_are_not_trusted(
    cache_module: Any, tmp_path: Path
) -> None:
    cache = cache_module.ImageCache(tmp_path, "b" * 64, "f")
    sha = cache.put("n", _image(2))
    cache.remember(sha, {"periodic": 1.0})
    cache.save()
    again = cache_module.ImageCache(tmp_path, "b" * 64, "f")
    got = again.image("n")
    assert got is not None and got[1] == sha and again.features(sha) == (True, {"periodic": 1.0})
    cv2.imwrite(str(again.dir / "n.png"), _image(3))  # overwritten in place
    assert again.image("n") is None
    # an older generator's manifest copied into today's directory lists nothing
    manifest = json.loads((cache.dir / "manifest.json").read_text())
    manifest["generator"] = "c" * 64
    (cache.dir / "manifest.json").write_text(json.dumps(manifest))
    cv2.imwrite(str(cache.dir / "n.png"), _image(2))
    assert cache_module.ImageCache(tmp_path, "b" * 64, "f").image("n") is None


def test_the_key_follows_the_generators_imports(cache_module: Any, tmp_path: Path) -> None:
    """The old key hashed three modules; the generator also draws with the document
    generator (imported inside a function) and the face landmarks."""
    root = tmp_path / "gen.py"
    root.write_text(
        "from kyc_sdk.liveness import synth\n\ndef card():\n    from kyc_sdk.docs_ocr import synth as docs\n"
    )
    files = {"/".join(p.parts[-3:]) for p in cache_module._closure([root])}
    assert {"kyc_sdk/liveness/synth.py", "kyc_sdk/docs_ocr/synth.py", "kyc_sdk/docs_ocr/fonts.py"} <= files
    assert "kyc_sdk/client.py" not in files  # a package's __init__ is not followed for a submodule
    before = cache_module.generator_digest([root])
    root.write_text(root.read_text() + "# changed\n")
    assert cache_module.generator_digest([root]) != before
    data = tmp_path / "photo.bin"
    data.write_bytes(b"1")
    first = cache_module.generator_digest([root], [data])
    data.write_bytes(b"2")
    assert cache_module.generator_digest([root], [data]) != first
    assert cache_module.generator_digest([root], [data], extra="('bayer',)") != cache_module.generator_digest(
        [root], [data]
    )


def test_train_pad_keys_its_images_by_the_whole_generator(cache_module: Any) -> None:
    sys.path.insert(0, str(BENCHMARKS))
    try:
        import train_pad
    finally:
        sys.path.remove(str(BENCHMARKS))
    roots = [BENCHMARKS / "pad_data.py"]
    files = {p.name for p in cache_module._closure(roots)}
    assert {"synth_variants.py", "synth.py", "shapes.py"} <= files
    assert train_pad._image_digest(()) != train_pad._image_digest(("iid", "bayer"))
