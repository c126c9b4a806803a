"""Two measures of what a hard codec leaves of a face, tried for the capture-quality gate
at stop 19: ``kept`` shipped (``resolution.kept_width``), ``grid`` did not.

The gate (``resolution.effective_size`` < ``RELIABLE_FACE``: RETRY) let heavy JPEG and
hard WebP of 60-100 px faces through: their block steps and ringing read as detail. Both
measures count, in the 4 x 4 cells of the decoded image's own grid (every block codec's
smallest transform), the DCT coefficients above ``KEPT`` grey levels (8-bit rounding adds
a standard deviation of 0.29):
- ``kept``: the face holds ``size * sqrt(mean kept / 16)`` samples across (a hard codec
  keeps a few of each cell's 16), compared with ``RELIABLE_FACE`` (``KEPT`` 1.0);
- ``grid``: the same count on the grid over the count on cells shifted by 2 px, which
  straddle the codec's blocks (a codec zeroes coefficients on its grid only), so a clean
  face's own smoothness cancels (``KEPT`` 2.0).
Each flags a face when ``min(effective_size, measure) < RELIABLE_FACE``. Besides
``gate_eval.py``'s figures (FNMR among accepted pairs, good captures flagged, impostors)
it reports a cost that group does not show: clean faces of 64-112 px (the originals
shrunk, stored as PNG, JPEG q90/q75 and WebP q90/q75 by Pillow) flagged before and after.

Run: ``cd benchmarks; nice -n 10 python codec_eval.py --gate-tune | --codec-group |
--capture-group | --gate-group`` (the draws of ``gate_eval.py``).
"""

from __future__ import annotations

import io

import cv2
import faces_eval as fe
import gate_eval as ge
import numpy as np
from PIL import Image

from kyc_sdk import faces
from kyc_sdk.faces.match import RELIABLE_FACE
from kyc_sdk.faces.resolution import effective_size

CELL = 4
_K = np.arange(CELL)
DCT = (
    np.cos(np.pi * (2 * _K + 1) * _K[:, None] / (2 * CELL)) * np.where(_K == 0, 0.5, np.sqrt(0.5))[:, None]
).astype(np.float32)  # the orthonormal 4-point DCT-II
CONTROL = (("PNG", 0), ("JPEG", 90), ("JPEG", 75), ("WEBP", 90), ("WEBP", 75))


def kept_coefficients(grey: np.ndarray, dy: int, dx: int, kept: float) -> float:
    """The mean count of coefficients over ``kept`` in the cells starting at ``dy``, ``dx``."""
    cells = grey[dy:, dx:].astype(np.float32)
    rows, cols = cells.shape[0] // CELL, cells.shape[1] // CELL
    if rows * cols == 0:
        return 0.0
    cells = cells[: rows * CELL, : cols * CELL].reshape(rows, CELL, cols, CELL).transpose(0, 2, 1, 3)
    coefficients = np.abs(np.einsum("ij,abjk,lk->abil", DCT, cells, DCT)).reshape(rows * cols, CELL * CELL)
    return float((coefficients[:, 1:] > kept).sum(axis=1).mean() + 1)


def measures(rgb: np.ndarray, face: faces.Face) -> dict[str, int]:
    """The effective size as stop 19 began (``main``), as shipped (``kept``) and with the
    grid ratio instead (``grid``)."""
    top, right, bottom, left = face.box
    grey = cv2.cvtColor(np.ascontiguousarray(rgb[top:bottom, left:right]), cv2.COLOR_RGB2GRAY)
    main, kept = ge.stop18_size(rgb, face), effective_size(rgb, face)
    if grey.std() < 1.0 or min(grey.shape) < 2 * CELL + 2:
        return {"main": main, "kept": kept, "grid": main}
    on2 = kept_coefficients(grey, -top % CELL, -left % CELL, 2.0)
    off2 = kept_coefficients(grey, (2 - top) % CELL, (2 - left) % CELL, 2.0)
    return {
        "main": main,
        "kept": kept,
        "grid": min(main, int(face.size * np.sqrt(min(on2 / off2, 1.0)))),
    }


def control(captured: list[fe.Found], seed: int) -> None:
    """Clean small faces flagged: each original shrunk to 64-112 px and stored well."""
    rng, counts = np.random.default_rng(seed), {c: np.zeros(4, int) for c in CONTROL}
    for f in captured:
        px = rng.uniform(64, 112)
        if fe.variant_of(f.key) != "original" or px > f.face.size:
            continue
        small = cv2.resize(
            f.rgb, None, fx=px / f.face.size, fy=px / f.face.size, interpolation=cv2.INTER_AREA
        )
        for fmt, q in CONTROL:
            out = io.BytesIO()
            Image.fromarray(np.ascontiguousarray(small)).save(
                out, format=fmt, **({"quality": q} if q else {})
            )
            img = np.asarray(Image.open(io.BytesIO(out.getvalue())).convert("RGB"))
            seen = faces.detect(img, min_size=30)
            if not seen:
                continue
            m = measures(img, min(seen, key=lambda x: abs(x.size - px)))
            counts[fmt, q] += [
                1,
                m["main"] < RELIABLE_FACE,
                m["kept"] < RELIABLE_FACE,
                m["grid"] < RELIABLE_FACE,
            ]
    for (fmt, q), (n, main, kept, grid) in counts.items():
        print(f"  clean {fmt} q{q}: {n} faces of 64-112 px flagged: main {main}, kept {kept}, grid {grid}")


def main() -> None:
    name, captured = ge.draw_from_args(__doc__.split("\n")[0], fresh=False)
    print(f"draw {name}: {len(captured)} faces")
    each = [measures(f.rgb, f.face) for f in captured]
    m = {"encoding": np.stack([faces.encode_face(f.rgb, f.face) for f in captured])}
    m["px"] = np.array([f.face.size for f in captured])
    for label in ("main", "kept", "grid"):
        m[label] = np.array([e[label] for e in each])
    ge.report(captured, m, ge.pair_index(captured), labels=("main", "kept", "grid"))
    control(captured, seed=fe.SEED if name == "tune" else 1)


if __name__ == "__main__":
    main()
