"""The capture-quality gate before and after the print-grain measures (stops 22 and 23).

A print with a stochastic (FM) screen scanned or photographed large holds dots of ink
everywhere: isotropic fine noise with no periodic peak, over a face that holds no more
detail than the small print it was. The shrink test read the dots as detail and let such
faces through. Stop 22 reads the grain (``faces.grain.print_grain``) and flags the face
as it flags a small one (``MatchResult.quality``: ``quality_print_grain``). This script
draws ``gate_eval.py``'s groups (the same seeds, variants and draws), encodes every face
once (as ``match()`` does, photo against photo) and reports ``gate_eval.report``'s
figures for three gates: the effective size alone (``stop21``: the shrink test, the
resampling comb and the codec's kept coefficients), stop 22's (``stop22_gate``: and a
stochastic screen's dense grain) and the library's own (``after``:
``faces_eval.gate_size``, since stop 23 also a print's colour grain), at the shipped
photo threshold: FNMR among the accepted pairs with its
95 % interval, genuine pairs sent to RETRY, the cost in good faces flagged and their
genuine pairs sent to RETRY, the impostor FMR among accepted pairs with its upper bound,
and per variant the misses the gate lets through. Also the CPU of each gate per face
(interleaved twice: ratios, the machine is shared).

``--grain-tune`` is the development draw (``--gate-tune``'s and a blue-noise FM print,
``GRAIN_TUNE_VARIANTS``), where the measure was made; every other option is held out from
it (``--grain-group`` was added at stop 22 and committed before its first run;
``--printlight-group``'s ``fm_print_scan`` is a stochastic screen too, so it is no longer
a clean verdict for this measure, only new seeds of a kind the tuning saw).
``--dither-tune`` (``--grain-tune``'s and ``scanned_print`` at the tuning seed) is where
stop 23's colour grain was made; ``--dither-group`` was committed before its first run;
``scanned_print`` is in ``--detail-group``, ``--light-group`` and ``--blur-group``, so for
the colour grain those are new seeds of a kind the tuning saw.
``--cache PATH`` keeps the draw and its encodings in a file (pickle, written once, read
on later runs; the drawing and encoding are most of the time), ``--draw-only`` stops
once it is written.

Run: ``cd benchmarks; nice -n 10 python grain_eval.py --grain-group``.
"""

from __future__ import annotations

import argparse
import pickle
import sys
import time
from pathlib import Path

import faces_eval as fe
import gate_eval as ge
import numpy as np

from kyc_sdk import faces
from kyc_sdk.faces.grain import stochastic_grain
from kyc_sdk.faces.match import RELIABLE_FACE
from kyc_sdk.faces.resolution import effective_size


def stop22_gate(rgb: np.ndarray, face: faces.Face) -> int:
    """The gate as stop 22 shipped it (the effective size and the dense grain of a
    stochastic screen, no colour grain), as a size ``gate_eval.report`` reads."""
    flagged = effective_size(rgb, face) < RELIABLE_FACE or stochastic_grain(rgb, face)
    return 0 if flagged else RELIABLE_FACE


def drawn(cache: Path | None) -> tuple[str, list, np.ndarray]:
    """The draw named on the command line and its encodings, from ``cache`` when it holds them."""
    if cache is not None and cache.exists():
        with cache.open("rb") as fh:
            name, captured, encoding = pickle.load(fh)  # our own file, written below
        return name, captured, encoding
    name, captured = ge.draw_from_args(__doc__.split("\n")[0])
    encoding = np.stack([faces.encode_face(f.rgb, f.face) for f in captured])
    if cache is not None:
        with cache.open("wb") as fh:
            pickle.dump((name, captured, encoding), fh)
    return name, captured, encoding


def main() -> None:
    own = argparse.ArgumentParser(add_help=False)
    own.add_argument("--cache", type=Path)
    own.add_argument("--draw-only", action="store_true")
    args, rest = own.parse_known_args()
    sys.argv = [sys.argv[0], *rest]  # the draw's own options, as gate_eval parses them
    name, captured, encoding = drawn(args.cache)
    print(f"draw {name}: {len(captured)} faces")
    if args.draw_only:
        return
    m = {"encoding": encoding, "px": np.array([f.face.size for f in captured])}
    cpu = {"stop21": 0.0, "stop22": 0.0, "after": 0.0}
    measures = (("stop21", effective_size), ("stop22", stop22_gate), ("after", fe.gate_size))
    for label, measure in measures * 2:  # interleaved twice
        start = time.process_time()
        m[label] = np.array([measure(f.rgb, f.face) for f in captured])
        cpu[label] += time.process_time() - start
    ge.report(captured, m, ge.pair_index(captured), labels=("stop21", "stop22", "after"))
    print(
        "gate CPU per face: "
        + ", ".join(f"{k} {v / 2 / len(captured) * 1e3:.2f} ms" for k, v in cpu.items())
        + f" (after/stop21 {cpu['after'] / cpu['stop21']:.2f},"
        + f" after/stop22 {cpu['after'] / cpu['stop22']:.2f})"
    )


if __name__ == "__main__":
    main()
