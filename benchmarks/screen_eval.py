"""The capture-quality gate with and without stop 20's halftone screen measure.

A printed photo scanned or photographed large holds one sample of the face per cell of
its screen, while the dots and the scanner's noise read as detail to the shrink test; the
held-out ``scanned_print`` captures were the gate's largest leak in the detail and light
groups. ``resolution.screen_width`` finds a screen as isolated peaks of the box's 2D
spectrum, and ``effective_size`` is at most the screen's cells across the face. This
script draws ``gate_eval.py``'s groups, encodes every face once (as ``match()`` does,
photo against photo) and reports ``gate_eval.report``'s figures for the effective size
before (without ``screen_width``) and after (as shipped), at the shipped photo threshold,
and the CPU of ``effective_size`` per face both ways.

``--gate-tune`` is the development draw (seed 11 and ``GATE_TUNE_VARIANTS``, with
``am_print_scan``), where the measure and ``SCREEN_PEAK`` were chosen; every other option
is held out from it.

Run: ``cd benchmarks; nice -n 10 python screen_eval.py --detail-group``.
"""

from __future__ import annotations

import argparse
import time

import gate_eval as ge
import numpy as np

from kyc_sdk import faces
from kyc_sdk.faces.resolution import (
    COARSE,
    box_grey,
    effective_size,
    enlargement,
    kept_width,
    shrink_size,
)


def size_before(rgb: np.ndarray, face: faces.Face) -> int:
    """``effective_size`` without ``screen_width``."""
    grey = box_grey(rgb, face)
    if min(grey.shape) < 2 * COARSE:
        return face.size
    top, _, _, left = face.box
    return min(
        shrink_size(grey, top, left, face.size),
        int(face.size / enlargement(grey)),
        kept_width(grey, top, left, face.size),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--gate-tune", action="store_true", help="the development draw (seed 11)")
    parser.add_argument("--fresh", type=int, metavar="SEED", help="faces_eval.py's --fresh draw")
    for group in ge.HELD_OUT:
        parser.add_argument(f"--{group}-group", action="store_true", help=f"the {group} held-out group")
    args = parser.parse_args()
    chosen = [g for g in ge.HELD_OUT if getattr(args, f"{g}_group")]
    chosen += ["fresh"] if args.fresh is not None else []
    chosen += ["tune"] if args.gate_tune else []
    if len(chosen) != 1:
        parser.error("name exactly one draw")
    captured = ge.draw(chosen[0], args.fresh)
    print(f"draw {chosen[0]}: {len(captured)} faces")
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
