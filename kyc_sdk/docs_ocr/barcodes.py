"""Barcodes over zxing-cpp and pyzbar: symbology, text or bytes, position.

zxing-cpp reads first (it decodes PDF417, which zbar cannot, and did better under blur:
EVALUATION.md anchors); pyzbar reads only when zxing-cpp found nothing, to keep a frame
near the time budget. A symbol is reported once (same payload, overlapping place).
Both libraries verify their symbologies' checksums, so a picture without a code gives
nothing; zxing-cpp is asked for valid results only.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

_ZBAR_NAMES = {"QRCODE": "QRCode", "CODE128": "Code128", "EAN13": "EAN13", "EAN8": "EAN8",
               "CODE39": "Code39", "I25": "ITF", "UPCA": "UPCA", "UPCE": "UPCE", "PDF417": "PDF417",
               "DATABAR": "DataBar", "CODE93": "Code93", "CODABAR": "Codabar"}


@dataclass(frozen=True)
class Barcode:
    symbology: str
    text: str
    data: bytes
    position: tuple[tuple[int, int], ...]  # corners, clockwise from top left

    def to_dict(self) -> dict[str, object]:
        return {"symbology": self.symbology, "text": self.text, "bytes_hex": self.data.hex(),
                "position": [list(p) for p in self.position]}


def _zxing(grey: np.ndarray) -> list[Barcode]:
    import zxingcpp

    out = []
    for r in zxingcpp.read_barcodes(grey, text_mode=zxingcpp.TextMode.Plain):
        if not r.valid:
            continue
        p = r.position
        corners = tuple((int(c.x), int(c.y)) for c in (p.top_left, p.top_right, p.bottom_right, p.bottom_left))
        out.append(Barcode(r.format.name, r.text, bytes(r.bytes), corners))
    return out


def _zbar(grey: np.ndarray) -> list[Barcode]:
    from pyzbar import pyzbar

    out = []
    for r in pyzbar.decode(grey):
        corners = tuple((int(p.x), int(p.y)) for p in r.polygon)
        text = r.data.decode("utf-8", errors="replace")
        out.append(Barcode(_ZBAR_NAMES.get(r.type, r.type), text, bytes(r.data), corners))
    return out


def _overlaps(a: Barcode, b: Barcode) -> bool:
    ax = [p[0] for p in a.position]
    ay = [p[1] for p in a.position]
    bx = [p[0] for p in b.position]
    by = [p[1] for p in b.position]
    return min(ax) <= max(bx) and min(bx) <= max(ax) and min(ay) <= max(by) and min(by) <= max(ay)


def read_barcodes(image: np.ndarray | bytes | str) -> list[Barcode]:
    """Every barcode in ``image`` (an RGB array, or bytes / a path for ``load_rgb``)."""
    import cv2

    from kyc_sdk.imaging import load_rgb

    rgb = image if isinstance(image, np.ndarray) else load_rgb(image)
    grey = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY) if rgb.ndim == 3 else rgb
    found = _zxing(grey)
    if found:  # zbar costs ~45 ms a 1280×960 frame: only a second opinion when zxing saw nothing
        return found
    for extra in _zbar(grey):
        # zbar may decode zxing's symbol under another character set: one place, one symbol
        same = [b for b in found if b.symbology == extra.symbology and _overlaps(b, extra)]
        if not same:
            found.append(extra)
    return found
