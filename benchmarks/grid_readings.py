"""``liveness_eval.py --video-only`` with each video's screen-grid reading logged apart in
luminance, in red less blue and in red less blue's slow beat (``screen_grid.frame_peak``
takes the largest), so a split shows which channel sees its screens and where its genuine
videos sit.

Run: ``cd benchmarks; nice -n 10 python grid_readings.py OUT.jsonl --videos 2 --video-split
fresh13``: the benchmark's own report on stdout, one JSON line per check in OUT.jsonl
(species, variant, decision, reasons, the three readings: medians over the frames
``grid_peak`` samples).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence

import liveness_eval
import numpy as np

from kyc_sdk.liveness import screen_grid

_last: dict[str, float] = {}


def _channels(frames: Sequence[np.ndarray], boxes: dict[int, screen_grid.Box]) -> dict[str, float]:
    """The readings ``frame_peak`` takes the largest of, each a median over the frames
    ``grid_peak`` samples (the same picks)."""
    have = sorted(boxes)
    picks = sorted({have[int(k)] for k in np.linspace(0, len(have) - 1, min(screen_grid.SAMPLES, len(have)))})
    luma, colour, slow = [], [], []
    for i in picks:
        face = screen_grid._face(frames[i], boxes[i])
        if min(face.shape[:2]) < screen_grid.TILE:
            continue
        luma.append(screen_grid._point_peak(face @ screen_grid._LUMA, screen_grid._KEEP))
        red_less_blue = face[..., 0] - face[..., 2]
        colour.append(screen_grid._point_peak(red_less_blue, screen_grid._KEEP_CHROMA))
        slow.append(screen_grid._point_peak(red_less_blue, screen_grid._KEEP_SLOW, screen_grid.SLOW_SIGMA))
    med = lambda v: float(np.median(v)) if v else 0.0  # noqa: E731
    return {"luma": med(luma), "red_less_blue": med(colour), "slow_red_less_blue": med(slow)}


def main() -> None:
    out = open(sys.argv[1], "w")  # noqa: SIM115 (open for the whole run)
    grid_peak = screen_grid.grid_peak

    def logged_peak(frames: Sequence[np.ndarray], boxes: dict[int, screen_grid.Box]) -> float:
        _last.clear()
        if boxes:
            _last.update(_channels(frames, boxes))
        return grid_peak(frames, boxes)

    screen_grid.grid_peak = logged_peak  # type: ignore[assignment]
    add = liveness_eval.VideoTally.add

    def logged_add(self, species: str, variant: str, result: tuple[bool, tuple[str, ...], float]) -> None:
        add(self, species, variant, result)
        row = {"species": species, "variant": variant, "live": result[0], "reasons": list(result[1]), **_last}
        out.write(json.dumps(row) + "\n")
        out.flush()
        _last.clear()  # a check refused before the grid is read logs no reading

    liveness_eval.VideoTally.add = logged_add  # type: ignore[method-assign]
    sys.argv = ["liveness_eval.py", "--video-only", *sys.argv[2:]]
    liveness_eval.main()


if __name__ == "__main__":
    main()
