"""``kyc_sdk.imaging``: the one place that decides whether an image may be worked on,
from its header (files) or its shape (arrays), before any pixel is allocated."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from kyc_sdk import imaging
from kyc_sdk.errors import ImageRejected


def png_header(width: int, height: int, *, depth: int = 8, colour: int = 2) -> bytes:
    """A PNG whose header claims ``width`` × ``height`` and whose data is one empty row."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    ihdr = struct.pack(">IIBBBBB", width, height, depth, colour, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\0"))
        + chunk(b"IEND", b"")
    )


def encoded(rgb: np.ndarray, fmt: str = "PNG", **kw: object) -> bytes:
    buf = io.BytesIO()
    Image.fromarray(rgb).save(buf, fmt, **kw)
    return buf.getvalue()


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")  # Pillow's, before ours
@pytest.mark.parametrize(
    ("size", "reason"),
    [
        ((1, 300), "too_small"),
        ((300, 3), "too_small"),
        ((15, 15), "too_small"),
        ((20, 12_000), "extreme_aspect"),
        ((12_000, 20), "extreme_aspect"),
        ((30, 1000), "extreme_aspect"),
        ((12_000, 9_000), "too_many_pixels"),
        ((10_001, 2_000), "too_many_pixels"),
        ((60_000, 60_000), "too_many_pixels"),
    ],
)
def test_sizes_no_reader_should_work_on_are_refused_from_the_header(
    size: tuple[int, int], reason: str
) -> None:
    with pytest.raises(ImageRejected) as caught:
        imaging.load_rgb(png_header(*size))
    assert caught.value.reason == reason


@pytest.mark.parametrize("size", [(16, 16), (7_728, 5_152), (8_000, 6_000), (9_400, 5_300), (40, 1000)])
def test_real_sizes_pass_the_size_check(size: tuple[int, int]) -> None:
    imaging.check_size(*size, file_bytes=size[0] * size[1] // 4)  # a 40 MP / 48 MP phone photo


def test_a_few_kilobytes_claiming_megapixels_is_a_decompression_bomb() -> None:
    with pytest.raises(ImageRejected) as caught:
        imaging.check_size(4_000, 3_000, file_bytes=2_000)
    assert caught.value.reason == "decompression_bomb"
    imaging.check_size(4_000, 3_000, file_bytes=200_000)  # a blank photo compresses to ~60 px a byte


@pytest.mark.slow  # about a second: the quick loop (make check) leaves it to the full run
def test_a_48_megapixel_photo_decodes() -> None:
    import cv2

    small = np.random.default_rng(0).integers(0, 256, (60, 80, 3), dtype=np.uint8)
    big = encoded(cv2.resize(small, (8000, 6000), interpolation=cv2.INTER_CUBIC), "JPEG", quality=90)
    assert imaging.load_rgb(big).shape == (6000, 8000, 3)


def test_an_animation_is_not_one_picture() -> None:
    frames = [Image.new("RGB", (64, 48), c) for c in ("red", "blue")]
    buf = io.BytesIO()
    frames[0].save(buf, "PNG", save_all=True, append_images=frames[1:])
    with pytest.raises(ImageRejected) as caught:
        imaging.load_rgb(buf.getvalue())
    assert caught.value.reason == "multi_frame"


@pytest.mark.parametrize("mode", ["L", "P", "RGBA", "LA", "CMYK", "I;16", "I", "F", "1"])
def test_every_pixel_mode_comes_out_as_8_bit_rgb(mode: str) -> None:
    fmt = "JPEG" if mode == "CMYK" else "TIFF" if mode in ("I", "F") else "PNG"
    img = Image.new(mode, (40, 30))
    buf = io.BytesIO()
    img.save(buf, fmt)
    rgb = imaging.load_rgb(buf.getvalue())
    assert rgb.shape == (30, 40, 3) and rgb.dtype == np.uint8


@pytest.mark.parametrize(
    ("array", "reason"),
    [
        (np.zeros((40, 40), np.float32), "unsupported_format"),
        (np.zeros((40, 40, 3), bool), "unsupported_format"),
        (np.zeros((40, 40, 3), np.uint16), "unsupported_format"),
        (np.zeros((40, 40, 2), np.uint8), "unsupported_format"),
        (np.zeros((4, 40, 40, 3), np.uint8), "unsupported_format"),
        (np.zeros(40, np.uint8), "unsupported_format"),
        (np.zeros((0, 40, 3), np.uint8), "empty"),
        (np.zeros((3, 400, 3), np.uint8), "too_small"),
        (np.zeros((12_000, 20), np.uint8), "extreme_aspect"),
        (np.array(object()), "unsupported_format"),
    ],
)
def test_arrays_are_checked_like_files(array: np.ndarray, reason: str) -> None:
    with pytest.raises(ImageRejected) as caught:
        imaging.load_rgb(array)
    assert caught.value.reason == reason


@pytest.mark.parametrize(
    "array",
    [
        np.zeros((30, 40), np.uint8),
        np.zeros((30, 40, 1), np.uint8),
        np.zeros((30, 40, 4), np.uint8),
        np.zeros((30, 40, 3), np.uint8)[::-1],
    ],
)
def test_grey_rgba_and_strided_arrays_become_contiguous_rgb(array: np.ndarray) -> None:
    rgb = imaging.load_rgb(array)
    assert rgb.shape == (30, 40, 3) and rgb.flags.c_contiguous


@pytest.mark.parametrize("source", ["/dev/zero", "/", "no\0such", "/nonexistent/face.png"])
def test_paths_that_are_not_image_files_are_unreadable(source: str) -> None:
    with pytest.raises(ImageRejected) as caught:
        imaging.load_rgb(source)
    assert caught.value.reason == "unreadable"


@pytest.mark.parametrize("source", [42, None, ["a"], 1.5])
def test_other_types_are_refused(source: object) -> None:
    with pytest.raises(ImageRejected):
        imaging.load_rgb(source)  # type: ignore[arg-type]


def test_a_file_growing_past_the_limit_is_not_read_to_its_end(tmp_path: Path) -> None:
    path = tmp_path / "big.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 2000)
    with pytest.raises(ImageRejected) as caught:
        imaging.load_rgb(path, imaging.Limits(max_bytes=1000))
    assert caught.value.reason == "too_large"


@pytest.mark.parametrize(
    "source",
    [[np.zeros((40, 40, 3), np.uint8)] * 3, [(0.0, np.zeros((40, 40, 3), np.uint8))], [[1, 2], [3, 4]]],
)
def test_a_list_is_not_an_image_array(source: object) -> None:
    """np.asarray of a list of frames raised ValueError (uneven) or copied every frame."""
    with pytest.raises(ImageRejected) as caught:
        imaging.checked_array(source)
    assert caught.value.reason == "unsupported_format"
