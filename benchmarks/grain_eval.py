"""The capture-quality gate before and after the colour grain on the skin (stops 24-25).

A print with a stochastic (FM) screen scanned or photographed large holds dots of ink
everywhere; stop 22 reads that grain (``faces.grain.stochastic_grain``) and flags the face
as it flags a small one (``MatchResult.quality``: ``quality_print_grain``). An ordered
dither's print holds colour error instead, which stop 24 read on the face's skin alone
(``faces.skin_grain.skin_colour_grain``, OR'ed into ``grain.print_grain``) and stop 25
reads in logarithms, so that exposure and white balance do not move it. This script
draws ``gate_eval.py``'s groups (the same seeds, variants and draws), encodes every face
once (as ``match()`` does, photo against photo) and reports ``gate_eval.report``'s
figures at the shipped photo threshold for three gates on the same images: the effective
size alone (``eff-only``: before stop 22), the gate before stop 24 (``before``: the
effective size or the stochastic grain) and the library's (``after``: that or the skin's
colour grain): FNMR among the accepted pairs with its 95 % interval, genuine pairs sent
to RETRY, the cost in good faces flagged and their genuine pairs sent to RETRY, the
impostor FMR among accepted pairs with its upper bound, and per variant the misses the
gate lets through. Each part's flags come once per face and the gates are combined from
the parts (``after`` is checked against ``faces_eval.gate_size`` on the first faces);
the CPU of the gate per face is the sum of its parts' (each measured twice, in alternating
order; a ratio: the machine is shared).

``--grain-tune`` is stop 22's development draw, ``--dither-tune`` stop 23's and 24's
(with ``--tune-scarves PKL``: the dither group's ring headscarves drawn at the tuning
seed, added to it); every other option is held out from them (``--textile-group`` was
added at stop 24 and ``--exposure-group`` at stop 25, each committed before its first run).
``--cache PATH`` keeps the draw and its encodings in a file (pickle, written once, read
on later runs; the drawing and encoding are most of the time), ``--draw-only`` stops
once it is written.

Run: ``cd benchmarks; nice -n 10 python grain_eval.py --exposure-group``.
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
from kyc_sdk.faces.skin_grain import skin_colour_grain


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


def gate_parts(captured: list) -> tuple[dict[str, np.ndarray], dict[str, float]]:
    """Each part of the photo gate per face (flagged or not) and its CPU in seconds."""
    parts = {
        "small": lambda f: effective_size(f.rgb, f.face) < RELIABLE_FACE,
        "stochastic": lambda f: stochastic_grain(f.rgb, f.face),
        "skin": lambda f: skin_colour_grain(f.rgb, f.face),
    }
    flags, cpu = {}, dict.fromkeys(parts, 0.0)
    for order in (list(parts), list(parts)[::-1]):  # twice, alternating: the machine is shared
        for name in order:
            start = time.process_time()
            flags[name] = np.array([parts[name](f) for f in captured])
            cpu[name] += (time.process_time() - start) / 2
    return flags, cpu


def main() -> None:
    own = argparse.ArgumentParser(add_help=False)
    own.add_argument("--cache", type=Path)
    own.add_argument("--draw-only", action="store_true")
    own.add_argument("--tune-scarves", type=Path)
    args, rest = own.parse_known_args()
    sys.argv = [sys.argv[0], *rest]  # the draw's own options, as gate_eval parses them
    name, captured, encoding = drawn(args.cache)
    if args.tune_scarves is not None:
        with args.tune_scarves.open("rb") as fh:
            scarves, scarf_encoding = pickle.load(fh)  # our own file
        captured, encoding = captured + scarves, np.concatenate([encoding, scarf_encoding])
    print(f"draw {name}: {len(captured)} faces")
    if args.draw_only:
        return
    flags, cpu = gate_parts(captured)
    gates = {
        "eff-only": flags["small"],
        "before": flags["small"] | flags["stochastic"],
        "after": flags["small"] | flags["stochastic"] | flags["skin"],
    }
    check = min(len(captured), 60)
    library = np.array([fe.gate_size(f.rgb, f.face) < RELIABLE_FACE for f in captured[:check]])
    assert np.array_equal(library, gates["after"][:check]), "the parts are not the library's gate"
    m = {"encoding": encoding, "px": np.array([f.face.size for f in captured])}
    m.update({label: np.where(flag, 0, RELIABLE_FACE) for label, flag in gates.items()})
    ge.report(captured, m, ge.pair_index(captured), labels=tuple(gates))
    per_face = {k: v / len(captured) * 1e3 for k, v in cpu.items()}
    before = per_face["small"] + per_face["stochastic"]
    print(
        "gate CPU per face: "
        + ", ".join(f"{k} {v:.2f} ms" for k, v in per_face.items())
        + f"; after/before {(before + per_face['skin']) / before:.2f}"
    )


if __name__ == "__main__":
    main()
