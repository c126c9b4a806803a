"""``liveness_eval.py --video-only`` with every video checked twice: by this tree's
``check_video`` and by the one at a git revision, on the same generated images in one run.

The revision's versions of the checking modules this tree changed (``kyc_sdk/liveness``,
not the generators ``synth*.py``) are loaded beside this tree's, leaves first and
``video.py`` last, each seeing the revision's versions of the others; every other module
is shared. Each check runs both, alternating which goes first, so the ms-per-frame ratio
is measured under the same load. Prints the benchmark's report for each, then the ratio.

Run: ``cd benchmarks; nice -n 10 python video_before_after.py REV --video-split fresh14
--videos 1`` (the other arguments are ``liveness_eval.py``'s).
"""

from __future__ import annotations

import importlib
import statistics
import subprocess
import sys
import time
import types
from collections.abc import Callable
from pathlib import Path

import liveness_eval

ROOT = Path(__file__).resolve().parent.parent


def changed_checking_files(rev: str) -> list[str]:
    """The modules of ``kyc_sdk/liveness`` this tree changed since ``rev``, generators
    (``synth*.py``) aside."""
    names = subprocess.run(
        ["git", "diff", "--name-only", rev, "--", "kyc_sdk/liveness"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    return [n for n in names if n.endswith(".py") and not Path(n).name.startswith("synth")]


def _checking_modules(rev: str) -> list[str]:
    """The checking modules of ``kyc_sdk/liveness`` this tree changed since ``rev``, and
    ``video`` last (it imports the others)."""
    mods = changed_checking_files(rev)
    video = "kyc_sdk/liveness/video.py"  # always: it binds the others when it is loaded
    return [*(n for n in mods if n != video), video]


def load_check_video(rev: str) -> Callable:
    """``check_video`` as it was at ``rev`` (the module notes)."""
    package = importlib.import_module("kyc_sdk.liveness")
    paths = _checking_modules(rev)
    names = [p[:-3].replace("/", ".") for p in paths]
    saved = {n: sys.modules.get(n) for n in names}
    attrs = {n: getattr(package, n.rsplit(".", 1)[1], None) for n in names}
    try:
        for path, name in zip(paths, names, strict=True):
            src = subprocess.run(
                ["git", "show", f"{rev}:{path}"], cwd=ROOT, check=True, capture_output=True, text=True
            ).stdout
            mod = types.ModuleType(name)
            mod.__file__ = f"{rev}:{path}"
            sys.modules[name] = mod
            setattr(package, name.rsplit(".", 1)[1], mod)
            exec(compile(src, mod.__file__, "exec"), mod.__dict__)  # the repository's own code
        check: Callable = sys.modules["kyc_sdk.liveness.video"].check_video
        return check
    finally:
        for name, mod in saved.items():
            if mod is not None:
                sys.modules[name] = mod
            short = name.rsplit(".", 1)[1]
            if attrs[name] is not None:
                setattr(package, short, attrs[name])


def print_pair(species: str, variant: str, pending: dict[str, tuple[bool, tuple[str, ...], float]]) -> None:
    """One line per video: each side's decision and reasons."""
    b, a = pending["before"], pending["after"]
    print(f"check: {species} | {variant} | before live={b[0]} {list(b[1])} | after live={a[0]} {list(a[1])}")
    sys.stdout.flush()


def run_both(tallies: dict[str, liveness_eval.VideoTally], args: list[str]) -> None:
    """``liveness_eval``'s video run on the split and count ``args`` name (its own flags),
    then each side's report."""
    split = args[args.index("--video-split") + 1] if "--video-split" in args else "held_out"
    per_variant = int(args[args.index("--videos") + 1]) if "--videos" in args else 2
    liveness_eval.run_video(liveness_eval.VideoTally(), split, per_variant)
    for side, tally in tallies.items():
        print(f"\n=== {side}")
        liveness_eval.report_video(tally, split)


def main() -> None:
    rev, args = sys.argv[1], sys.argv[2:]
    before_check = load_check_video(rev)
    after_check = liveness_eval.check_video
    print(f"before: check_video at {rev} (modules {_checking_modules(rev)}); after: this tree")
    tallies = {"before": liveness_eval.VideoTally(), "after": liveness_eval.VideoTally()}
    check = liveness_eval._check
    turn = [0]
    pending: dict[str, tuple[bool, tuple[str, ...], float]] = {}

    def both(frames: list, challenge, once=None) -> tuple[bool, tuple[str, ...], float]:
        # a nonce store is shared state: each side gets its own copy of it
        order = ["before", "after"] if turn[0] % 2 == 0 else ["after", "before"]
        turn[0] += 1
        fns = {"before": before_check, "after": after_check}
        for side in order:
            liveness_eval.check_video = fns[side]
            own = None if once is None else _own_store(once, side)
            pending[side] = check(frames, challenge, own)
        liveness_eval.check_video = after_check
        return pending["after"]

    stores: dict[tuple[int, str], tuple[object, object]] = {}

    def _own_store(once: object, side: str) -> object:
        key = (id(once), side)
        if key not in stores:  # ``once`` kept alive with it: its id is not reused
            stores[key] = (once, type(once)())
        return stores[key][1]

    add = liveness_eval.VideoTally.add

    def add_both(self, species: str, variant: str, result) -> None:
        for side, tally in tallies.items():
            add(tally, species, variant, pending[side])
        print_pair(species, variant, pending)

    liveness_eval._check = both
    liveness_eval.VideoTally.add = add_both  # type: ignore[method-assign]
    sys.argv = ["liveness_eval.py", "--video-only", *args]
    t = time.perf_counter()
    run_both(tallies, args)
    ratio = [a / b for a, b in zip(tallies["after"].ms, tallies["before"].ms, strict=True) if b > 0]
    print(
        f"\nms per frame, after / before, per check (same video, same run, alternating order): "
        f"median {statistics.median(ratio):.3f}, p10 {sorted(ratio)[len(ratio) // 10]:.3f}, "
        f"p90 {sorted(ratio)[9 * len(ratio) // 10]:.3f} over {len(ratio)} checks; "
        f"{time.perf_counter() - t:.0f} s in all"
    )


if __name__ == "__main__":
    main()
