"""Decoding untrusted images, once, safely, for every image stage (OCR, faces, liveness).

Images come from the public. ``check_size`` is the one place that decides whether an
image may be worked on, from its size alone: files are judged on the container's header
*before* decoding (so a 50,000 × 50,000 PNG of a few kilobytes is refused without
allocating its pixels), arrays on their shape. It refuses:

- a side under ``MIN_SIDE`` (``too_small``): nothing to read, and OpenCV resizes of a
  1–3 px side round to an empty image;
- a side over ``MAX_SIDE`` or more than ``MAX_PIXELS`` (``too_many_pixels``);
- a long side over ``MAX_ASPECT`` times the short one (``extreme_aspect``): every reader
  scales by one side, and a 20 × 12,000 strip scaled to a 900 px width was 540,000 px
  tall (6.5 GB in ``read_mrz``);
- more than ``MAX_PIXELS_PER_BYTE`` pixels per byte of file above ``BOMB_FLOOR`` pixels
  (``decompression_bomb``): a real photo holds a few pixels a byte, a blank 40 MP JPEG 64;
- several frames (``multi_frame``): an animation or a multi-page file is not one picture.

Decoding errors of any kind are ``undecodable``; EXIF orientation is applied; palette,
grey, RGBA, CMYK and 16-bit images all come out as 8-bit RGB. ``load_rgb`` takes arrays
too (uint8, grey, RGB or RGBA), checked the same way, so every entry point calls it on
whatever it was given.

Needs Pillow and numpy (any image extra); importing this module does not load them.
"""

from __future__ import annotations

import io
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kyc_sdk.errors import ImageRejected

if TYPE_CHECKING:
    import numpy as np
    from PIL import Image

MAX_BYTES = 25 * 1024 * 1024
MAX_PIXELS = 50_000_000  # a 48-megapixel phone photo is 8000 × 6000; twice a 4K frame is 16 M
MAX_SIDE = 10_000  # a 50 MP 16:9 photo is 9,430 px long
MIN_SIDE = 16  # a face needs 40 px and a line of text 10; below 16 nothing is readable
MAX_ASPECT = 25.0  # a document is 1.6:1 and a tight two-line MRZ crop about 15:1
MAX_PIXELS_PER_BYTE = 1_000  # a PNG of a blank A4 scan is ~530; real photos under 10
BOMB_FLOOR = 8_000_000  # the ratio is only a concern for images this large

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\xff\xd8\xff", "JPEG"),
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"RIFF", "WEBP"),  # confirmed below: bytes 8..12 are b"WEBP"
    (b"BM", "BMP"),
    (b"II*\x00", "TIFF"),
    (b"MM\x00*", "TIFF"),
)


@dataclass(frozen=True, slots=True)
class Limits:
    max_bytes: int = MAX_BYTES
    max_pixels: int = MAX_PIXELS
    max_side: int = MAX_SIDE
    min_side: int = MIN_SIDE
    max_aspect: float = MAX_ASPECT
    max_pixels_per_byte: float = MAX_PIXELS_PER_BYTE
    bomb_floor: int = BOMB_FLOOR


def check_size(width: int, height: int, limits: Limits = Limits(), *, file_bytes: int | None = None) -> None:
    """Refuse, with ``ImageRejected``, an image no reader should work on (see the module
    doc). ``file_bytes``: the compressed size, for the decompression-bomb ratio."""
    if width <= 0 or height <= 0:
        raise ImageRejected("the image has no pixels", reason="empty")
    short, long = sorted((width, height))
    if short < limits.min_side:
        raise ImageRejected(
            f"image of {width}×{height} pixels: a side is under {limits.min_side}", reason="too_small"
        )
    if long > limits.max_aspect * short:
        raise ImageRejected(
            f"image of {width}×{height} pixels is over {limits.max_aspect:g}:1", reason="extreme_aspect"
        )
    if width * height > limits.max_pixels or long > limits.max_side:
        raise ImageRejected(
            f"image of {width}×{height} pixels is over the limit of {limits.max_pixels} pixels "
            f"and {limits.max_side} a side",
            reason="too_many_pixels",
        )
    if (
        file_bytes
        and width * height > limits.bomb_floor
        and width * height > limits.max_pixels_per_byte * file_bytes
    ):
        raise ImageRejected(
            f"{width}×{height} pixels from {file_bytes} bytes (decompression bomb?)",
            reason="decompression_bomb",
        )


def checked_array(image: object, limits: Limits = Limits()) -> np.ndarray:
    """An array given in place of a file, as a contiguous H × W × 3 uint8 RGB array: grey
    (H × W or H × W × 1) is repeated, RGBA loses its alpha. ``ImageRejected`` for another
    dtype (float, bool: their scale is unknown), another shape, or a size ``check_size``
    refuses."""
    import numpy as np

    if not isinstance(image, np.ndarray):  # np.asarray of a list of frames copies them all, or raises
        raise ImageRejected(
            f"expected an image array, not {type(image).__name__}", reason="unsupported_format"
        )
    arr = image
    if arr.dtype != np.uint8:
        raise ImageRejected(f"image arrays must be uint8, not {arr.dtype}", reason="unsupported_format")
    if arr.ndim == 3 and arr.shape[2] in (1, 4):
        arr = arr[:, :, :1] if arr.shape[2] == 1 else arr[:, :, :3]
    if arr.ndim not in (2, 3) or (arr.ndim == 3 and arr.shape[2] not in (1, 3)):
        raise ImageRejected(
            f"expected an H × W, H × W × 3 or H × W × 4 array, got shape {arr.shape}",
            reason="unsupported_format",
        )
    if arr.size == 0:
        raise ImageRejected("the image has no pixels", reason="empty")
    check_size(arr.shape[1], arr.shape[0], limits)
    if arr.ndim == 2 or arr.shape[2] == 1:
        arr = np.repeat(arr.reshape(arr.shape[0], arr.shape[1], 1), 3, axis=2)
    return np.ascontiguousarray(arr)


def sniff(data: bytes) -> str:
    """The image format named by the magic bytes (whatever the file name says)."""
    for magic, fmt in _MAGIC:
        if data.startswith(magic):
            if fmt == "WEBP" and data[8:12] != b"WEBP":
                break
            return fmt
    raise ImageRejected("not a supported image (JPEG, PNG, WEBP, BMP, TIFF)", reason="unsupported_format")


def read_bytes(source: bytes | str | Path, limits: Limits = Limits()) -> bytes:
    """The raw bytes of ``source`` (bytes or a path), refusing empty and oversized input."""
    if isinstance(source, (str, Path)):
        path = Path(source)
        try:
            regular = stat.S_ISREG(path.stat().st_mode)
            if regular:  # not /dev/zero nor a FIFO: they never end
                with path.open("rb") as handle:
                    data = handle.read(limits.max_bytes + 1)  # the file may grow after stat()
        except OSError as exc:
            raise ImageRejected(f"cannot read image file ({exc.strerror})", reason="unreadable") from None
        except ValueError:  # a NUL in the path
            raise ImageRejected("cannot read image file (bad path)", reason="unreadable") from None
        if not regular:
            raise ImageRejected("the image path is not a regular file", reason="unreadable")
    else:
        data = bytes(source)
    if not data:
        raise ImageRejected("image is empty (zero bytes)", reason="empty")
    if len(data) > limits.max_bytes:
        raise ImageRejected(f"image is larger than {limits.max_bytes} bytes", reason="too_large")
    return data


def load_rgb(source: bytes | str | Path | np.ndarray, limits: Limits = Limits()) -> np.ndarray:
    """Decode ``source`` to an ``H × W × 3`` uint8 RGB array, EXIF orientation applied
    (an array is checked by ``checked_array`` instead).

    Raises ``ImageRejected`` (with ``reason``) for empty, oversized, undersized, oddly
    shaped, unsupported, truncated or bomb images; never another exception for bad bytes.
    """
    import numpy as np
    from PIL import Image, ImageOps

    if isinstance(source, np.ndarray):
        return checked_array(source, limits)
    if not isinstance(source, (bytes, bytearray, memoryview, str, Path)):
        raise ImageRejected("expected image bytes, a path or an array", reason="unsupported_format")
    data = read_bytes(source, limits)
    fmt = sniff(data)
    try:
        with Image.open(io.BytesIO(data), formats=[fmt]) as img:
            width, height = img.size  # from the header: nothing decoded yet
            check_size(width, height, limits, file_bytes=len(data))
            if getattr(img, "is_animated", False):
                raise ImageRejected(
                    "an animation or multi-page image is not one picture", reason="multi_frame"
                )
            img.load()
            # in place, and no convert() of an RGB image: each copy of a 48 MP photo is 192 MB
            ImageOps.exif_transpose(img, in_place=True)
            rgb = _to_rgb8(img)
    except (ImageRejected, MemoryError):
        raise
    except Image.DecompressionBombError:
        raise ImageRejected("decompression bomb", reason="too_many_pixels") from None
    except Exception as exc:
        # (OSError, SyntaxError, struct.error, IndexError, ZeroDivisionError...): none is a
        # contract, and every one means the same thing here.
        raise ImageRejected(
            f"cannot decode {fmt} image ({type(exc).__name__})", reason="undecodable"
        ) from None
    # EXIF rotation cannot change the size check's answer: it only swaps the sides
    return np.asarray(rgb, dtype=np.uint8)


def _to_rgb8(img: Image.Image) -> Image.Image:
    from PIL import Image

    if img.mode == "RGB":
        return img

    if img.mode.startswith("I") or img.mode == "F":  # 16/32-bit integer, 32-bit float
        import numpy as np

        # float32, scaled in place: float64 cost 8 bytes a pixel (400 MB at the budget)
        wide = np.asarray(img, dtype=np.float32)
        wide = np.nan_to_num(wide, nan=0.0, posinf=0.0, neginf=0.0)
        np.clip(wide, 0.0, None, out=wide)
        peak = float(wide.max()) or 1.0
        wide *= 255.0 / peak
        img = Image.fromarray(wide.astype(np.uint8), "L")
    if img.mode in ("RGBA", "LA", "PA") or (img.mode == "P" and "transparency" in img.info):
        rgba = img.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(white, rgba).convert("RGB")
    return img.convert("RGB")


def to_bgr(rgb: np.ndarray) -> np.ndarray:
    """OpenCV's channel order."""
    return rgb[:, :, ::-1].copy()


def to_gray(rgb: np.ndarray) -> np.ndarray:
    import cv2

    return cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
