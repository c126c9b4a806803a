"""``liveness_eval.py --video-only`` before/after for a change to the challenge tracker alone:
every video is checked once by this tree's ``check_video`` while the tracker at a git
revision follows the same poses; both decisions come from the same images in one run.

Exact: the revision must differ from this tree in ``kyc_sdk/liveness/challenge.py`` only
(checked; generators ``synth*.py`` aside). ``check_video`` reads the tracker through its
reasons, steps, the mouth-open flags of every pose, the blinks and the neutral's levels;
where both trackers agree on all of them the decision is the same, and where they do not
the video is checked again in full by the revision's ``check_video``
(``video_before_after.load_check_video``). Landmarks are fitted once per video, not twice
as in ``video_before_after.py``, which at load ~12 did not fit in a stop. CPU: each
tracker's time per video in the same run, alternating which goes first (the tracker is a
small part of a check; its share is printed).

Run: ``cd benchmarks; nice -n 10 python tracker_before_after.py REV --video-split fresh17
--videos 1 [--video-log]`` (the other arguments are ``liveness_eval.py``'s).
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
import types
from pathlib import Path

import liveness_eval
import video_before_after

from kyc_sdk.liveness import video
from kyc_sdk.liveness.challenge import ChallengeTracker

ROOT = Path(__file__).resolve().parent.parent
CHALLENGE = "kyc_sdk/liveness/challenge.py"


def _tracker_at(rev: str) -> type:
    src = subprocess.run(
        ["git", "show", f"{rev}:{CHALLENGE}"], cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout
    mod = types.ModuleType("challenge_before")
    mod.__file__ = f"{rev}:{CHALLENGE}"
    sys.modules[mod.__name__] = mod  # dataclasses look their module up
    exec(compile(src, mod.__file__, "exec"), mod.__dict__)  # the repository's own code
    return mod.ChallengeTracker


def _reading(tracker, poses: list) -> tuple:
    """Everything ``check_video`` reads from a tracker."""
    base = tracker.base
    levels = (base.mar(), base.open_ear()) if base.ready else ()
    steps = tuple((s["done"], s["t"]) for s in tracker.steps())
    return (
        tuple(tracker.reasons),
        tracker.passed,
        steps,
        tuple(tracker.mouth_open(poses)),
        tracker.blinks,
        levels,
    )


def main() -> None:
    rev, args = sys.argv[1], sys.argv[2:]
    changed = set(video_before_after.changed_checking_files(rev))
    if not changed <= {CHALLENGE}:
        sys.exit(f"{rev} differs from this tree in more than the tracker: {sorted(changed)}")
    before_tracker = _tracker_at(rev)
    before_check = video_before_after.load_check_video(rev)
    after_check = liveness_eval.check_video
    last: list = []
    turn = [0]

    class Both(ChallengeTracker):
        """This tree's tracker, with the revision's following the same poses."""

        def __init__(self, challenge) -> None:
            super().__init__(challenge)
            self.other = before_tracker(challenge)
            self.poses: list = []
            self.took = {"before": 0.0, "after": 0.0}
            self.first = turn[0] % 2  # which goes first, alternating per video
            turn[0] += 1
            last[:] = [self]

        def update(self, t: float, p) -> None:
            self.poses.append(p)
            runs = [("after", super().update), ("before", self.other.update)]
            for side, fn in runs if self.first else runs[::-1]:
                t0 = time.perf_counter()
                fn(t, p)
                self.took[side] += time.perf_counter() - t0

        def finish(self) -> None:
            super().finish()
            self.other.finish()

    video.ChallengeTracker = Both  # type: ignore[misc]
    tallies = {"before": liveness_eval.VideoTally(), "after": liveness_eval.VideoTally()}
    pending: dict[str, tuple[bool, tuple[str, ...], float]] = {}
    stats = {"same": 0, "rechecked": 0}
    took: list[tuple[float, float, float]] = []  # (before tracker, after tracker, whole check) s
    check = liveness_eval._check
    stores: dict[int, tuple[object, object]] = {}

    def both(frames: list, challenge, once=None) -> tuple[bool, tuple[str, ...], float]:
        t0 = time.perf_counter()
        pending["after"] = check(frames, challenge, once)
        whole = time.perf_counter() - t0
        tracker = last[0]
        took.append((tracker.took["before"], tracker.took["after"], whole))
        if _reading(tracker, tracker.poses) == _reading(tracker.other, tracker.poses):
            stats["same"] += 1
            pending["before"] = pending["after"]
            return pending["after"]
        stats["rechecked"] += 1
        own = None
        if once is not None:  # a nonce store is shared state: the recheck gets its own copy
            if id(once) not in stores:  # ``once`` kept alive with it: its id is not reused
                stores[id(once)] = (once, type(once)())
            own = stores[id(once)][1]
        liveness_eval.check_video = before_check
        try:
            pending["before"] = check(frames, challenge, own)
        finally:
            liveness_eval.check_video = after_check
        return pending["after"]

    add = liveness_eval.VideoTally.add

    def add_both(self, species: str, variant: str, result) -> None:
        for side, tally in tallies.items():
            add(tally, species, variant, pending[side])
            liveness_eval.LOG["video"] = False  # ``add`` names the logged video once
        liveness_eval.LOG["video"] = "--video-log" in args
        video_before_after.print_pair(species, variant, pending)

    liveness_eval._check = both
    liveness_eval.VideoTally.add = add_both  # type: ignore[method-assign]
    liveness_eval.LOG["video"] = "--video-log" in args
    print(f"before: the tracker at {rev}; after: this tree (only {CHALLENGE} differs)")
    t = time.perf_counter()
    video_before_after.run_both(tallies, args)
    ratios = [a / b for b, a, _ in took if b > 0]
    share = [max(a, b) / w for b, a, w in took if w > 0]
    print(
        f"\ntrackers agreed on {stats['same']} checks; {stats['rechecked']} rechecked in full by {rev}'s "
        f"check_video. Tracker time, after / before, per check (same poses, alternating order): "
        f"median {statistics.median(ratios):.2f}, p90 {sorted(ratios)[9 * len(ratios) // 10]:.2f}; "
        f"the tracker's share of a whole check: median {100 * statistics.median(share):.2f} %; "
        f"{time.perf_counter() - t:.0f} s in all"
    )


if __name__ == "__main__":
    main()
