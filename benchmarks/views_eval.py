"""Encoding each face from one cut or from ``VIEWS`` (stop 19), on the face groups.

``match()`` encodes a face from ``faces.match.VIEWS``: dlib's chip (padding 0.25) and a
wider cut (0.30), each with its mirror image, averaged. Before stop 19 it encoded dlib's
chip and its mirror image only. This script draws ``gate_eval.py``'s groups (the same
seeds, variants and draws), encodes every face both ways from the same chips, and
reports at the shipped photo threshold (the calibration's rule gave 0.45 for both;
``faces_eval.py --write-calibration``):
- FNMR and impostor FMR over all pairs (95 % interval, upper bound);
- FNMR and FMR among the pairs the capture-quality gate accepts (neither face under
  ``RELIABLE_FACE`` px of detail);
- per variant (its pairs with an original): misses, and misses the gate lets through.

``--gate-tune`` is the development draw the views were chosen on; the others are held
out from it (``--capture-group`` was added for this at stop 19, before its one look).

Run: ``cd benchmarks; nice -n 10 python views_eval.py --capture-group``.
"""

from __future__ import annotations

import faces_eval as fe
import gate_eval as ge
import numpy as np
from bounds import interval95, upper95

from kyc_sdk.faces.calibration import default_threshold
from kyc_sdk.faces.match import RELIABLE_FACE, VIEWS, chips_of
from kyc_sdk.faces.shapes import encode_chips


def rate(k: int, n: int) -> str:
    lo, hi = interval95(k, n)
    return f"{k}/{n} = {k / n:.2%} ({lo:.2%}-{hi:.2%})" if n else "0/0"


def main() -> None:
    name, captured = ge.draw_from_args(__doc__.split("\n")[0])
    # per face, each view's encoding (with its mirror image): one view is the encoding before
    per_view = np.stack([encode_chips(chips_of(f.rgb, f.face), mirrored=True) for f in captured])
    flagged = np.array([fe.gate_size(f.rgb, f.face) for f in captured]) < RELIABLE_FACE
    pairs = ge.pair_index(captured)
    gen, imp = pairs["genuine"], pairs["impostor"]
    variant = [fe.variant_of(f.key) for f in captured]
    t = default_threshold("photo")
    print(
        f"draw {name}: {len(captured)} faces, {len(gen)} genuine, {len(imp)} impostor pairs; "
        f"threshold {t:.2f}"
    )
    for label, enc in (
        ("one cut (before)", per_view[:, 0]),
        (f"VIEWS {VIEWS} (after)", per_view.mean(axis=1)),
    ):
        g_dist = np.linalg.norm(enc[gen[:, 0]] - enc[gen[:, 1]], axis=1)
        i_dist = np.linalg.norm(enc[imp[:, 0]] - enc[imp[:, 1]], axis=1)
        g_flag = flagged[gen[:, 0]] | flagged[gen[:, 1]]
        i_flag = flagged[imp[:, 0]] | flagged[imp[:, 1]]
        k, n = int((i_dist <= t).sum()), len(i_dist)
        ka, na = int((i_dist[~i_flag] <= t).sum()), int((~i_flag).sum())
        print(f"  {label}:")
        print(
            f"    all pairs: FNMR {rate(int((g_dist > t).sum()), len(g_dist))}; "
            f"FMR {k}/{n} = {k / n:.4%} (95 % upper {upper95(k, n):.4%})"
        )
        print(
            f"    gate-accepted pairs: FNMR {rate(int((g_dist[~g_flag] > t).sum()), int((~g_flag).sum()))}; "
            f"FMR {ka}/{na} = {ka / max(na, 1):.4%} (95 % upper {upper95(ka, na):.4%})"
        )
        print("    misses / let through per variant: " + ge.per_variant(gen, g_dist, g_flag, variant, t))


if __name__ == "__main__":
    main()
