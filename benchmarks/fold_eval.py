"""The capture-quality gate with and without stop 20's fold in ``resolution.enlargement``.

The resampling comb's period is read on each axis, and a period past the profile's
Nyquist shows on the other side of the fold (``z`` and ``z / (z - 1)``); the duty cycle
picks one, and now and then picks differently on the two axes, which then disagreed and
no zoom was seen. Since stop 20 the other side of the fold is tried on either axis. This
script draws ``gate_eval.py``'s groups (the same seeds, variants and draws), encodes every
face once (as ``match()`` does, photo against photo) and reports ``gate_eval.report``'s
figures for the effective size before (the axes compared as the duty cycle read them) and
after (as shipped), at the shipped photo threshold: FNMR among accepted pairs with its
95 % interval, the cost in good faces flagged and good genuine pairs sent to RETRY, the
impostor FMR among accepted pairs with its upper bound, and per variant the misses the
gate lets through. Also the CPU of ``effective_size`` per face both ways.

``--gate-tune`` is the development draw (seed 11 and ``GATE_TUNE_VARIANTS``), where the
change was made; every other option is held out from it (``--small-group`` was added at
stop 20 and committed before its first run).

Run: ``cd benchmarks; nice -n 10 python fold_eval.py --small-group``.
"""

from __future__ import annotations

import time

import gate_eval as ge
import numpy as np

from kyc_sdk import faces
from kyc_sdk.faces import resolution
from kyc_sdk.faces.resolution import COARSE, box_grey, effective_size, kept_width, shrink_size


def enlargement_unfolded(grey: np.ndarray) -> float:
    """``resolution.enlargement`` before stop 20: each axis as its duty cycle read it."""
    periods = [resolution._comb_period(grey, axis) for axis in (1, 0)]
    if any(p is None for p in periods):
        return 1.0
    across, down = (p[0] for p in periods if p is not None)
    if abs(across - down) > resolution.COMB_AGREEMENT * max(across, down):
        return 1.0
    return max(1.0, min(across, down))


def size_before(rgb: np.ndarray, face: faces.Face) -> int:
    """``effective_size`` with ``enlargement_unfolded``."""
    grey = box_grey(rgb, face)
    if min(grey.shape) < 2 * COARSE:
        return face.size
    top, _, _, left = face.box
    return min(
        shrink_size(grey, top, left, face.size),
        int(face.size / enlargement_unfolded(grey)),
        kept_width(grey, top, left, face.size),
    )


def main() -> None:
    name, captured = ge.draw_from_args(__doc__.split("\n")[0])
    print(f"draw {name}: {len(captured)} faces")
    m = {
        "encoding": np.stack([faces.encode_face(f.rgb, f.face) for f in captured]),
        "px": np.array([f.face.size for f in captured]),
    }
    cpu = {"before": 0.0, "after": 0.0}
    for label, measure in (("before", size_before), ("after", effective_size)) * 2:  # interleaved twice
        start = time.process_time()
        m[label] = np.array([measure(f.rgb, f.face) for f in captured])
        cpu[label] += time.process_time() - start
    ge.report(captured, m, ge.pair_index(captured))
    print(
        "effective_size CPU per face: "
        + ", ".join(f"{k} {v / 2 / len(captured) * 1e3:.2f} ms" for k, v in cpu.items())
        + f" (ratio {cpu['after'] / cpu['before']:.2f})"
    )


if __name__ == "__main__":
    main()
