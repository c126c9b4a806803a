"""The capture-quality gate with and without stop 22's grain measure.

A print with a stochastic (FM) screen scanned or photographed large holds dots of ink
everywhere: isotropic fine noise with no periodic peak, over a face that holds no more
detail than the small print it was. The shrink test read the dots as detail and let such
faces through. Stop 22 reads the grain (``faces.grain.print_grain``) and flags the face
as it flags a small one (``MatchResult.quality``: ``quality_print_grain``). This script
draws ``gate_eval.py``'s groups (the same seeds, variants and draws), encodes every face
once (as ``match()`` does, photo against photo) and reports ``gate_eval.report``'s
figures for the effective size alone (before: the shrink test, the resampling comb and
the codec's kept coefficients) and with the grain (after: ``match()`` flags a face
either way), at the shipped photo threshold: FNMR among the accepted pairs with its
95 % interval, genuine pairs sent to RETRY, the cost in good faces flagged and their
genuine pairs sent to RETRY, the impostor FMR among accepted pairs with its upper bound,
and per variant the misses the gate lets through. Also the CPU of the gate per face both
ways (interleaved twice: a ratio, the machine is shared).

``--grain-tune`` is the development draw (``--gate-tune``'s and a blue-noise FM print,
``GRAIN_TUNE_VARIANTS``), where the measure was made; every other option is held out from
it (``--grain-group`` was added at stop 22 and committed before its first run;
``--printlight-group``'s ``fm_print_scan`` is a stochastic screen too, so it is no longer
a clean verdict for this measure, only new seeds of a kind the tuning saw).
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
from collections.abc import Callable
from pathlib import Path

import faces_eval as fe
import gate_eval as ge
import numpy as np

from kyc_sdk import faces
from kyc_sdk.faces.resolution import effective_size


def drawn(cache: Path | None, description: str) -> tuple[str, list, np.ndarray]:
    """The draw named on the command line and its encodings, from ``cache`` when it holds them."""
    if cache is not None and cache.exists():
        with cache.open("rb") as fh:
            name, captured, encoding = pickle.load(fh)  # our own file, written below
        return name, captured, encoding
    name, captured = ge.draw_from_args(description)
    encoding = np.stack([faces.encode_face(f.rgb, f.face) for f in captured])
    if cache is not None:
        with cache.open("wb") as fh:
            pickle.dump((name, captured, encoding), fh)
    return name, captured, encoding


def parsed_draw(description: str) -> tuple[argparse.Namespace, str, list, np.ndarray]:
    """``--cache`` and ``--draw-only`` (the parsed options), and the draw the rest of the
    command line names with its encodings (``drawn``): what every cached gate benchmark reads."""
    own = argparse.ArgumentParser(add_help=False)
    own.add_argument("--cache", type=Path)
    own.add_argument("--draw-only", action="store_true")
    args, rest = own.parse_known_args()
    sys.argv = [sys.argv[0], *rest]  # the draw's own options, as gate_eval parses them
    return (args, *drawn(args.cache, description))


def compare_gates(
    description: str,
    before: Callable[[np.ndarray, faces.Face], int],
    after: Callable[[np.ndarray, faces.Face], int],
    then: Callable[[list[fe.Found], dict[str, np.ndarray], dict[str, np.ndarray]], None] | None = None,
) -> None:
    """The draw the command line names (``parsed_draw``) judged by the gate ``before`` and
    the gate ``after`` (each a size the gate passes, 0 for a face sent to RETRY), timed
    interleaved twice in one run; ``gate_eval.report``, then ``then`` on the same
    measures and pairs, then each gate's CPU per face and their ratio."""
    args, name, captured, encoding = parsed_draw(description)
    print(f"draw {name}: {len(captured)} faces")
    if args.draw_only:
        return
    m = {"encoding": encoding, "px": np.array([f.face.size for f in captured])}
    cpu = {"before": 0.0, "after": 0.0}
    for label, gate in (("before", before), ("after", after)) * 2:  # interleaved twice
        start = time.process_time()
        m[label] = np.array([gate(f.rgb, f.face) for f in captured])
        cpu[label] += time.process_time() - start
    pairs = ge.pair_index(captured)
    ge.report(captured, m, pairs)
    if then is not None:
        then(captured, m, pairs)
    print(
        "gate CPU per face: "
        + ", ".join(f"{k} {v / 2 / len(captured) * 1e3:.2f} ms" for k, v in cpu.items())
        + f" (ratio {cpu['after'] / cpu['before']:.2f})"
    )


def main() -> None:
    compare_gates(__doc__.split("\n")[0], effective_size, fe.gate_size)


if __name__ == "__main__":
    main()
