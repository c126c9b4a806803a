"""Decoding untrusted images, once, safely, for every image stage (OCR, faces, liveness).

Images come from the public: we check the container's magic bytes and the declared size
*before* decoding, so a 50,000 × 50,000 PNG of a few kilobytes is refused without
allocating its pixels; EXIF orientation is applied; palette, grey, RGBA and 16-bit images
all come out as 8-bit RGB.

Needs Pillow and numpy (any image extra); importing this module does not load them.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kyc_sdk.errors import ImageRejected

if TYPE_CHECKING:
    import numpy as np
    from PIL import Image

MAX_BYTES = 25 * 1024 * 1024
MAX_PIXELS = 40_000_000  # a 48-megapixel phone photo is 8000 × 6000; twice a 4K frame is 16 M
MAX_SIDE = 12_000

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
            size = path.stat().st_size
            if size > limits.max_bytes:
                raise ImageRejected(f"image file is larger than {limits.max_bytes} bytes", reason="too_large")
            data = path.read_bytes()
        except OSError as exc:
            raise ImageRejected(f"cannot read image file ({exc.strerror})", reason="unreadable") from None
    else:
        data = bytes(source)
    if not data:
        raise ImageRejected("image is empty (zero bytes)", reason="empty")
    if len(data) > limits.max_bytes:
        raise ImageRejected(f"image is larger than {limits.max_bytes} bytes", reason="too_large")
    return data


def load_rgb(source: bytes | str | Path, limits: Limits = Limits()) -> np.ndarray:
    """Decode ``source`` to an ``H × W × 3`` uint8 RGB array, EXIF orientation applied.

    Raises ``ImageRejected`` (with ``reason``) for empty, oversized, unsupported,
    truncated or bomb images; never another exception for bad bytes.
    """
    import numpy as np
    from PIL import Image, ImageOps

    data = read_bytes(source, limits)
    fmt = sniff(data)
    try:
        with Image.open(io.BytesIO(data), formats=[fmt]) as img:
            width, height = img.size  # from the header: nothing decoded yet
            if width * height > limits.max_pixels or max(width, height) > limits.max_side:
                raise ImageRejected(
                    f"image of {width}×{height} pixels is over the limit (decompression bomb?)",
                    reason="too_many_pixels",
                )
            img.load()
            img = ImageOps.exif_transpose(img)
            rgb = _to_rgb8(img)
    except ImageRejected:
        raise
    except Image.DecompressionBombError:
        raise ImageRejected("decompression bomb", reason="too_many_pixels") from None
    except (OSError, ValueError, SyntaxError, EOFError) as exc:
        raise ImageRejected(f"cannot decode {fmt} image ({type(exc).__name__})", reason="undecodable") from None
    return np.asarray(rgb, dtype=np.uint8)


def _to_rgb8(img: Image.Image) -> Image.Image:
    from PIL import Image

    if img.mode in ("I;16", "I;16B", "I;16L", "I"):
        import numpy as np

        wide = np.asarray(img, dtype=np.float64)
        peak = wide.max() or 1.0
        img = Image.fromarray((wide * (255.0 / peak)).astype(np.uint8), "L")
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
