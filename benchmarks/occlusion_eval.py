"""The capture-quality gate with and without stop 27's eye check (``faces.occlusion``).

A face partly covered between the brows and the chin (a mask, a scarf, a hand, hair, dark
glasses) is one the encoder sees only in part, and a non-match from it says more about the
cover than about the person: the gate sends it to RETRY asking for the face uncovered.
This script draws ``gate_eval.py``'s groups (the same seeds, variants and draws), encodes
every face once (as ``match()`` does, photo against photo) and reports, at the shipped
photo threshold, for main's gate (before: the effective size, a print's grain and stop 25's
skin cells) and with the eye check as well (after; until stop 27 this script compared the
gate without and with stop 25's whole occlusion measure):
- ``gate_eval.report``'s figures: FNMR among accepted pairs (95 % interval), genuine
  pairs sent to RETRY, the impostor FMR among accepted pairs (95 % upper) and per variant
  the misses let through;
- the cost the stop-25 rule counts: genuine pairs the encoder accepts (within the
  threshold) that the occlusion measure newly sends to RETRY, among pairs of two uncovered
  captures (``UNCOVERED``: original, recrop, mirror, exposure and the headscarves that
  frame the face, faces of ``RELIABLE_FACE`` px or more), and per condition (each
  variant's pairs with an original);
- each condition's RETRY rate (faces flagged) both ways;
- the gate's CPU per face both ways (interleaved twice: a ratio, the machine is shared).

``--eyes-tune`` is the development draw the eye check was made on, ``--eyes-group`` its
held-out group (committed before any run on its seed); ``--occlusion-tune`` is the one the
skin cells were made on; the others are seen groups.
``--cache PATH`` keeps the draw and its encodings (pickle, written once), ``--draw-only``
stops once it is written.

Run: ``cd benchmarks; nice -n 10 python occlusion_eval.py --eyes-group --cache /tmp/o.pkl``.
"""

from __future__ import annotations

import collections

import eye_captures
import faces_eval as fe
import grain_eval
import numpy as np
import occlusion_captures
from bounds import interval95

from kyc_sdk.faces.calibration import default_threshold
from kyc_sdk.faces.grain import print_grain
from kyc_sdk.faces.match import RELIABLE_FACE
from kyc_sdk.faces.occlusion import skin_occluded
from kyc_sdk.faces.resolution import effective_size

UNCOVERED = {
    "original",
    "recrop",
    "mirror",
    "exposure",
    *occlusion_captures.UNCOVERED,
    *eye_captures.UNCOVERED,
}


def main_gate(rgb: np.ndarray, face: fe.faces.Face) -> int:
    """Main's gate before stop 27 (``match.photo_reasons`` with stop 25's skin cells and
    without the eye check) as a size."""
    flagged = effective_size(rgb, face) < RELIABLE_FACE or print_grain(rgb, face) or skin_occluded(rgb, face)
    return 0 if flagged else RELIABLE_FACE


def share(k: int, n: int) -> str:
    lo, hi = interval95(k, n)
    return f"{k}/{n} = {k / n:.2%} ({lo:.2%}-{hi:.2%})" if n else "0/0"


def costs(captured: list, m: dict[str, np.ndarray], pairs: dict[str, np.ndarray]) -> None:
    t = default_threshold("photo")
    enc, variant = m["encoding"], [fe.variant_of(f.key) for f in captured]
    gen = pairs["genuine"]
    dist = np.linalg.norm(enc[gen[:, 0]] - enc[gen[:, 1]], axis=1)
    before, after = m["before"] < RELIABLE_FACE, m["after"] < RELIABLE_FACE
    new = (after & ~before)[gen].any(axis=1) & ~before[gen].any(axis=1)
    lit = np.array([v in UNCOVERED for v in variant]) & (m["px"] >= RELIABLE_FACE)
    both = lit[gen].all(axis=1) & (dist <= t)
    print(
        "  uncovered genuine pairs the encoder accepts, newly sent to RETRY: "
        + share(int((both & new).sum()), int(both.sum()))
    )
    rows: dict[str, list[int]] = collections.defaultdict(lambda: [0, 0, 0, 0, 0, 0, 0])
    for (i, j), d, n in zip(gen, dist, new, strict=True):
        va, vb = sorted((variant[i], variant[j]), key=lambda v: v != "original")
        if va in ("original", vb):
            r = rows[vb]
            r[0] += 1
            r[1] += bool(d <= t)
            r[2] += bool(d <= t and n)
            r[3] += bool(d > t and not before[i] and not before[j])
            r[4] += bool(d > t and not after[i] and not after[j])
    for v, f in zip(variant, range(len(variant)), strict=True):
        rows[v][5] += int(before[f])
        rows[v][6] += int(after[f])
    faces_per = collections.Counter(variant)
    print("  per condition: pairs with an original: accepted by the encoder, of them newly to RETRY;")
    print("  misses let through before -> after; faces sent to RETRY before -> after (of faces)")
    for v, (n, acc, newly, through_b, through_a, fb, fa) in sorted(rows.items()):
        print(
            f"    {v}: {n} pairs, {acc} accepted, {newly} newly to RETRY; let through {through_b} -> "
            f"{through_a}; RETRY {fb} -> {fa} of {faces_per[v]}"
        )


def main() -> None:
    grain_eval.compare_gates(__doc__.split("\n")[0], main_gate, fe.gate_size, then=costs)


if __name__ == "__main__":
    main()
