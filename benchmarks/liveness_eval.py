"""Liveness evaluation on the project's generated attacks and bona fide captures.

Prints, per attack species, APCER (attacks accepted as live / attacks presented) and, for
bona fide captures, BPCER (bona fide refused / presented), with 95 % upper bounds, and the
cost in ms per image and per video frame (p50 / p95, after warm-up).

Method (ISO/IEC 30107-3 vocabulary):
- Sources: the single-face public photos in ../shared/data/faces and liveness/image_T1
  (two real people and one more; scaled to a 640-pixel long side, like a phone frame).
- Passive (``run_passive``, ``report_passive``): the split in ``pad_data.py`` — the
  detector (``benchmarks/train_pad.py``) was fitted on five photos of two people and on
  the ``FIT`` variants of each species; every figure here is on the OTHER variants
  (``pad_data.held_out``) of print (halftone line rates and angles, inkjet/laser, paper,
  gloss, curvature, tilt, focus), screen replay (pixel pitch, moiré angle, banding, bezel,
  reflection), cut-out and paper mask, photographed ID document, injected frame, and on
  hard bona fide conditions (glare on glasses, low light, skin tones, beard, scarf,
  coloured light), made from the HELD-OUT source faces (another Biden photo, a turned
  Obama photo, image_T1 and skimage's astronaut: two people fitting never saw),
  ``--seeds`` images per source and variant. Per variant and per species: errors / n,
  rate, Clopper-Pearson 95 % upper bound; the worst variant decides.
- Active species, ``--videos`` per source each: static video (a held photo: tremor and
  noise only), replay that ignores the challenge (the face animated doing other actions),
  bona fide = the face animated doing the challenge. Challenges are 2 random steps.
- The protocol asks the person to start facing the camera (``not_frontal`` otherwise).
  Bona fide videos are therefore made only from the near-frontal sources (5 of 8); the
  three turned photos still serve for the attack species.
- An attack that ends in ``ImageRejected`` (no usable face) counts as not accepted; the
  count is shown. A bona fide capture rejected that way counts against BPCER.
- The three public samples (image_F1 print, image_F2 replay, image_T1 live) are listed.

What this can and cannot show: attacks and bona fide captures are *generated* by
``kyc_sdk.liveness.synth`` from a handful of photos, by the same people who wrote the cues,
so the figures are a regression check of the cues against our own simulations, not a
measure of real printers, screens, cameras or people. Published cross-dataset results for
hand-made cues are poor (HTER 41–51 %, docs/evaluation.md). The bona fide videos are photo
animations, i.e. exactly the animated-photo attack, which therefore cannot be measured
here. With N attacks and 0 accepted, the 95 % upper bound on APCER is about 3/N: the
default 38 images per source (304 per passive species) is the least that can show the
goal APCER <= 1 % at 95 % confidence; 10 videos per source give 80 per active species.

Run: ``.venv/bin/python benchmarks/liveness_eval.py [--seeds 8] [--videos 10]`` (some
minutes; ``--seeds 2 --videos 2`` for a quick look; ``--videos 0`` for the passive part
alone)
"""

from __future__ import annotations

import argparse
import math
import random
import statistics
import time
from collections import Counter, defaultdict
from pathlib import Path

import cv2
import numpy as np
import pad_data

from kyc_sdk import faces
from kyc_sdk.errors import ImageRejected
from kyc_sdk.imaging import load_rgb
from kyc_sdk.liveness import check_image, check_video, new_challenge, synth_video
from kyc_sdk.liveness.challenge import ACTIONS, FRONTAL
from kyc_sdk.liveness.geometry import pose

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
SOURCES = ["faces/tests_obama.jpg", "faces/tests_obama2.jpg", "faces/tests_obama3.jpg",
           "faces/tests_biden.jpg", "faces/knn_test_obama1.jpg", "faces/knn_train_biden_biden2.jpg",
           "faces/examples_obama_small.jpg", "liveness/image_T1.jpg"]


def camera(rgb: np.ndarray, side: int = 640) -> np.ndarray:
    s = side / max(rgb.shape[:2])
    return cv2.resize(rgb, None, fx=s, fy=s, interpolation=cv2.INTER_AREA) if s < 1 else rgb


def upper95(errors: int, n: int) -> float:
    """Wilson score upper bound (rule of three when there is no error)."""
    if n == 0:
        return float("nan")
    if errors == 0:
        return 3.0 / n
    p, z = errors / n, 1.96
    centre = p + z * z / (2 * n)
    return (centre + z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n))) / (1 + z * z / n)


class Tally:
    def __init__(self) -> None:
        self.live: dict[str, list[bool]] = defaultdict(list)
        self.rejected: dict[str, int] = defaultdict(int)
        self.ms: dict[str, list[float]] = defaultdict(list)

    def passive(self, species: str, image: np.ndarray) -> None:
        t = time.perf_counter()
        try:
            live = check_image(image).live
        except ImageRejected:
            live = False
            self.rejected[species] += 1
        self.ms["passive image"].append((time.perf_counter() - t) * 1000)
        self.live[species].append(live)

    def active(self, species: str, frames: list, challenge) -> None:
        t = time.perf_counter()
        r = check_video(frames, challenge=challenge)
        self.ms["active frame"].append((time.perf_counter() - t) * 1000 / len(frames))
        self.live[species].append(r.live)


SPECIES = {"bona_fide": "bona fide (hard)", "print": "print", "replay": "screen replay", "cutout": "cut-out",
           "document": "ID document", "injected": "injected"}


def clopper_pearson_upper(errors: int, n: int, alpha: float = 0.05) -> float:
    """Upper end of the exact two-sided (1 − alpha) binomial interval (bisection on the CDF)."""
    if n == 0:
        return float("nan")
    if errors >= n:
        return 1.0

    def cdf(p: float) -> float:
        return sum(math.comb(n, i) * p**i * (1 - p) ** (n - i) for i in range(errors + 1))

    lo, hi = errors / n, 1.0
    for _ in range(60):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if cdf(mid) > alpha / 2 else (lo, mid)
    return hi


def run_passive(seeds: int) -> dict[tuple[str, str], list[tuple[str, str]]]:
    """Held-out variants × held-out sources: (species, variant) -> [(source, outcome)], where
    outcome is ``live``, ``attack`` (refused with PAD reasons), ``document``, ``quality``
    (a retake asked) or ``no_face`` (ImageRejected)."""
    sources = [pad_data.load(n) for n in pad_data.HELD_OUT_SOURCES]
    variants = {sp: pad_data.held_out(sp) for sp in SPECIES}
    out: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
    ms = []
    for species, variant, src, img in pad_data.images(sources, variants, seeds, base=1):
        t = time.perf_counter()
        try:
            r = check_image(img)
            outcome = ("live" if r.live else "document" if "document_in_frame" in r.reasons
                       else "quality" if all(x.startswith("quality_") for x in r.reasons) else "attack")
        except ImageRejected:
            outcome = "no_face"
        ms.append((time.perf_counter() - t) * 1000)
        out[(species, variant)].append((src, outcome))
    ms = sorted(ms[2:])
    print(f"passive image: p50 {statistics.median(ms):.1f} ms, p95 {ms[int(0.95 * (len(ms) - 1))]:.1f} ms "
          f"({len(ms)} images, face detection included)")
    return out


def report_passive(results: dict[tuple[str, str], list[tuple[str, str]]]) -> None:
    """Per variant and per species: APCER (attacks accepted as live) or BPCER (bona fide not
    accepted, whatever the reason), with the Clopper-Pearson 95 % upper bound."""
    print(f"\n{'species / held-out variant':40} {'n':>4} {'errors':>6} {'rate':>6} {'95% up':>7}  outcomes")
    for species, label in SPECIES.items():
        rows = {v: r for (sp, v), r in results.items() if sp == species}
        bona = species == "bona_fide"
        total_err = total_n = 0
        for variant, outcomes in rows.items():
            err = sum((o != "live") if bona else (o == "live") for _, o in outcomes)
            total_err, total_n = total_err + err, total_n + len(outcomes)
            counts = ", ".join(f"{k} {v}" for k, v in sorted(Counter(o for _, o in outcomes).items()))
            print(f"  {variant:38} {len(outcomes):4d} {err:6d} {100 * err / len(outcomes):5.1f}% "
                  f"{100 * clopper_pearson_upper(err, len(outcomes)):6.1f}%  {counts}")
        name = "BPCER" if bona else "APCER"
        print(f"{label + ' ' + name:40} {total_n:4d} {total_err:6d} {100 * total_err / max(total_n, 1):5.1f}% "
              f"{100 * clopper_pearson_upper(total_err, total_n):6.1f}%")
    per_source: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for (species, _), outcomes in results.items():
        for src, o in outcomes:
            wrong = (o != "live") if species == "bona_fide" else (o == "live")
            per_source[src][0] += wrong
            per_source[src][1] += 1
    print("errors per held-out source face (all species): "
          + ", ".join(f"{s} {e}/{n}" for s, (e, n) in per_source.items()))


def run_active(tally: Tally, sources: list[tuple[np.ndarray, np.ndarray]], videos: int) -> None:
    for k, (rgb, points) in enumerate(sources):
        frontal = abs(pose(points).yaw - 0.5) <= FRONTAL
        for s in range(videos):
            rng, pick = np.random.default_rng(5000 + 100 * k + s), random.Random(5000 + 100 * k + s)
            c = new_challenge(pick, n=2)
            if frontal:  # a turned photo cannot be animated into a frontal start (see notes)
                tally.active("bona fide (video)", synth_video.animate(rgb, points, c.steps, rng), c)
            tally.active("static video", synth_video.still_video(rgb, rng, 3.0), new_challenge(pick, n=2))
            other = [a for a in ACTIONS if a not in c.steps]
            pick.shuffle(other)
            tally.active("ignoring replay", synth_video.animate(rgb, points, other, rng), c)


def report(tally: Tally) -> None:
    """Rates over all presentations, and for attacks also over those in which a face was
    found (ISO/IEC 30107-3 counts an attack the system could not process apart, as a
    non-response, not as one it detected)."""
    print(f"\n{'species':22} {'n':>4} {'accepted':>9} {'rate':>7} {'95% up':>7} {'no face':>8}        "
          f"{'of processed':>14} {'95% up':>7}")
    for species, lives in tally.live.items():
        bona = species.startswith("bona fide")
        errors = sum(not v for v in lives) if bona else sum(lives)
        label = "BPCER" if bona else "APCER"
        no_face = tally.rejected.get(species, 0)
        line = (f"{species:22} {len(lives):4d} {sum(lives):9d} {100 * errors / len(lives):6.1f}% "
                f"{100 * upper95(errors, len(lives)):6.1f}% {no_face:8d}  {label}")
        if not bona and no_face:
            processed = len(lives) - no_face
            line += (f"  {errors:4d}/{processed:<4d} {100 * errors / processed:5.1f}% "
                     f"{100 * upper95(errors, processed):6.1f}%")
        print(line)
    for stage, ms in tally.ms.items():
        ms = sorted(ms[2:]) or sorted(ms)  # the first calls warm dlib up
        print(f"{stage:22} p50 {statistics.median(ms):6.1f} ms   p95 {ms[int(0.95 * (len(ms) - 1))]:6.1f} ms")


def public_samples() -> None:
    print("public samples (Silent-Face-Anti-Spoofing):")
    for name in ("image_F1.jpg", "image_F2.jpg", "image_T1.jpg"):
        r = check_image(DATA / "liveness" / name)
        print(f"  {name}: live={r.live} score={r.score:.2f} reasons={list(r.reasons)}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, default=8, help="passive images per held-out source and variant")
    ap.add_argument("--videos", type=int, default=10, help="videos per source and species")
    args = ap.parse_args()
    loaded = []
    for name in SOURCES:
        rgb = camera(load_rgb(DATA / name))
        face = faces.single_face(rgb)
        loaded.append((rgb, face.box, faces.landmarks(rgb, face)))
    public_samples()
    tally = Tally()
    t0 = time.perf_counter()
    if args.seeds:
        report_passive(run_passive(args.seeds))
    run_active(tally, [(rgb, pts) for rgb, _, pts in loaded], args.videos)
    report(tally)
    print(f"\n{len(SOURCES)} sources, {args.seeds} images and {args.videos} videos per source and species; "
          f"{time.perf_counter() - t0:.0f} s. Generated set: a regression check, not a certification figure.")


if __name__ == "__main__":
    main()
