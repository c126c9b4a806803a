"""Barcodes over zxing-cpp and pyzbar: symbology, text or bytes, position.

zxing-cpp reads first (it decodes PDF417, which zbar cannot, and did better under blur:
docs/evaluation.md anchors). A large frame is read at half size first: a quarter of the
pixels (~12 instead of ~30 ms a 1280×960 card back), and a blurred PDF417 often reads
there and not at full size. Only when that finds nothing is the full frame read, and
pyzbar only when zxing-cpp found nothing at all (it rescues some small low-contrast
linear codes). The cost: a code that reads only at full size is missed when another one
read at half size. On 380 photographed card backs (three seeds, as in benchmarks/ocr_eval.py)
both orders read about as many payloads (within 3 of 760; per seed from 6 fewer to 4 more),
different frames each way.
Both libraries verify their symbologies' checksums, so a picture without a code gives
nothing; zxing-cpp is asked for valid results only.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

_ZBAR_NAMES = {
    "QRCODE": "QRCode",
    "CODE128": "Code128",
    "EAN13": "EAN13",
    "EAN8": "EAN8",
    "CODE39": "Code39",
    "I25": "ITF",
    "UPCA": "UPCA",
    "UPCE": "UPCE",
    "PDF417": "PDF417",
    "DATABAR": "DataBar",
    "CODE93": "Code93",
    "CODABAR": "Codabar",
}

# From this short side a frame is read at half size first (a 1280×960 one is; small
# samples, whose modules may be 1-2 pixels, are not).
_HALVE_FROM = 800
# A larger long side is brought down to this first: a 48 MP photo took 4-5 s of zxing and
# zbar at full size, and a code photographed that large has modules of 10 px and more.
_WORK_SIDE = 4000


@dataclass(frozen=True)
class Barcode:
    symbology: str
    text: str
    data: bytes
    position: tuple[tuple[int, int], ...]  # corners, clockwise from top left

    def to_dict(self) -> dict[str, object]:
        return {
            "symbology": self.symbology,
            "text": self.text,
            "bytes_hex": self.data.hex(),
            "position": [list(p) for p in self.position],
        }


def _zxing(grey: np.ndarray, scale: float = 1.0) -> list[Barcode]:
    import zxingcpp

    out = []
    for r in zxingcpp.read_barcodes(grey, text_mode=zxingcpp.TextMode.Plain):
        if not r.valid:
            continue
        p = r.position
        corners = tuple(
            (round(c.x * scale), round(c.y * scale))
            for c in (p.top_left, p.top_right, p.bottom_right, p.bottom_left)
        )
        out.append(Barcode(r.format.name, r.text, bytes(r.bytes), corners))
    return out


def _zbar(grey: np.ndarray, scale: float = 1.0) -> list[Barcode]:
    from pyzbar import pyzbar

    out = []
    for r in pyzbar.decode(grey):
        corners = tuple((round(p.x * scale), round(p.y * scale)) for p in r.polygon)
        text = r.data.decode("utf-8", errors="replace")
        out.append(Barcode(_ZBAR_NAMES.get(r.type, r.type), text, bytes(r.data), corners))
    return out


def read_barcodes(image: np.ndarray | bytes | str) -> list[Barcode]:
    """Every barcode in ``image`` (an RGB array, or bytes / a path for ``load_rgb``)."""
    import cv2

    from kyc_sdk.imaging import load_rgb

    grey = cv2.cvtColor(load_rgb(image), cv2.COLOR_RGB2GRAY)
    scale = 1.0  # of the caller's pixels per working pixel
    if max(grey.shape[:2]) > _WORK_SIDE:
        scale = max(grey.shape[:2]) / _WORK_SIDE
        size = (max(1, round(grey.shape[1] / scale)), max(1, round(grey.shape[0] / scale)))
        grey = cv2.resize(grey, size, interpolation=cv2.INTER_AREA)
    if min(grey.shape[:2]) >= _HALVE_FROM:
        small = cv2.resize(grey, (grey.shape[1] // 2, grey.shape[0] // 2), interpolation=cv2.INTER_AREA)
        found = _zxing(small, scale * grey.shape[1] / small.shape[1])
        if found:
            return found
    # zbar costs ~45 ms a 1280×960 frame: only a second opinion when zxing saw nothing
    return _zxing(grey, scale) or _zbar(grey, scale)
