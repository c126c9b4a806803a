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
  rate, Clopper-Pearson 95 % upper bound; the worst variant decides. The variants added
  later on new axes (``pad_data.FRESH``: side light, a colour cast on a skin tone, other
  papers, screen pitches and beautifying strengths) are reported apart, at their own
  seeds (``--passive-split``); a second fresh group (``pad_data.FRESH2``), written down
  before anyone looked at it, is reported apart again, and a third (``pad_data.FRESH3``,
  ``--passive-split fresh3``) likewise, and a fourth (``pad_data.FRESH4``, ``fresh4``: two
  lights of different colours on one face among others), and a fifth (``pad_data.FRESH5``,
  ``fresh5``: a bona fide capture a little out of focus, among others), and a sixth
  (``pad_data.FRESH6``, ``fresh6``: fine soft AM cut-outs at new periods and angles, dim
  light, backlight and glasses, among others), and a seventh (``pad_data.FRESH7``,
  ``fresh7``: cut-outs in new shapes and edge treatments, bona fide framed by long hair,
  collars, scarves and hats against plain and busy walls), and an eighth
  (``pad_data.FRESH8``, ``fresh8``: dim light, low-light noise and backlight with hair,
  collars and hats, and prints and cut-outs in the same dim room), and a ninth
  (``pad_data.FRESH9``, ``fresh9``: every image through a phone pipeline no fitting or
  tuning image went through, ``synth_variants.second_phone``), and a tenth
  (``pad_data.FRESH10``, ``fresh10``: prints, cut-outs and bona fide through that phone
  at new settings), and an eleventh (``pad_data.FRESH11``, ``fresh11``: worn paper masks
  in new cuts, through the held-out phone and the Bayer phone), and a twelfth
  (``pad_data.FRESH12``, ``fresh12``: worn masks in new cuts, glasses in new frames, through
  the held-out phone), and a thirteenth (``pad_data.FRESH13``, ``fresh13``: worn masks in a new
  cut and screen, aviator glasses, hard light, through a third phone, ``third_phone``).
  ``--baseline-model PATH``
  judges every passive image a second time with another model file (the same features,
  quality and document rules) and reports it first, so a before/after pair comes from one
  run on the same images. ``--passive-split tune`` shows the tuning
  variants (``pad_data.TUNE``, on the fitting faces), where new cues are decided.
  Injected frames are listed for what they are: the issue sets passive targets for print,
  replay, cut-out and document only, and a single frame cannot decide an injected genuine
  photo (docs/evaluation.md).
- Active (video), ``--videos`` per genuine capture condition and per attack variant
  (``run_video``/``report_video``; ``--video-only`` runs just this part): genuine videos
  under hard conditions (auto-exposure settling, white-balance drift, low light,
  backlight, glasses glare, head scarf, beard, dark and light skin) and the species of
  ``synth_video``: a print moved before the camera, a screen replaying another
  challenge's recording or relaying the right one live, a cut-out with blinking eyes, a
  still photo whose expression looks like an action, the previous session's video sent
  again (nonce), frames injected without a camera. Challenges are 2 random steps.
  Figures are on the HELD_OUT variants (other photos, the other animation method, capture
  conditions and attack parameters never used in tuning; the split is written below);
  ``--video-split tune`` shows the variants the thresholds were tuned on;
  ``--video-split fresh`` a newer held-out group (``FRESH``: combined conditions, 30 fps
  and dropped frames, other attack parameters, another seed range). Bounds are
  two-sided 95 % Clopper-Pearson. ``--video-split fresh2``: a second fresh group written
  down in stop 15 before its first run (two photos no video split used, new condition
  parameters, other attack settings, seeds from 90 000; see ``FRESH2``). ``--video-split
  fresh3``: screens without refresh banding only, and genuine captures, written down in
  stop 15 before its first run (``FRESH3``, seeds from 95 000). ``--video-split fresh4``:
  a fourth, written down and committed in stop 16 before its first run (two photos no
  video split used, new combined hard conditions, other attack settings, seeds from
  96 000; see ``FRESH4``). ``--video-split fresh5``:
  written down in stop 16 before its first run (``FRESH5``, seeds from 97 000): screens
  rendered from their subpixels (``synth_video.on_subpixel_screen``) and painted-grid
  screens at new pitches, frames injected with fresh synthetic noise or softened, and
  genuine captures under new combined conditions. ``--video-split fresh6``: written down
  and committed in stop 17 before its first run (``FRESH6``, seeds from 98 000): two
  photos no video split used, hard honest conditions combined in new ways, new attack
  settings. ``--video-split fresh7``: written down and committed in stop 18 before its
  first run (``FRESH7``, seeds from 99 000): a face no video split used, new
  combined conditions, still photos holding an expression moved by hand. ``--video-split
  fresh8``: written down and committed in stop 18 before its first run (``FRESH8``, seeds
  from 99 500): challenges without a turn only (an open mouth and a blink) under hard
  light, cut-outs showing a real mouth through a hole, still open mouths moved by hand.
  ``--video-split fresh9``: written down and committed in stop 18 before its first run
  (``FRESH9``, seeds from 99 800): every challenge asks a blink, under glasses, backlight
  and dim light combined in new ways; cut-outs with eye holes, still squints moved by hand.
  ``--video-split fresh10``: written down and committed in stop 19 before its first run
  (``FRESH10``, seeds from 100 000): blinks and mixed challenges behind glasses with
  backlight, dim light, dark skin, beards and scarves combined in new ways; eye-hole
  cut-outs at three tilts, still squints moved by hand. ``--video-split fresh11``: written
  down and committed in stop 19 before its first run (``FRESH11``, seeds from 100 500):
  every genuine challenge asks a turn, behind glasses with auto-exposure settling,
  backlight and dim light combined in new ways; prints, cut-outs turned as sheets, still
  expressions moved by hand, a subpixel screen and a softened injection.
  ``--video-split fresh12``: written down and committed in stop 20 before its first run
  (``FRESH12``, seeds from 101 000): screens relaying the right challenge, painted-grid and
  subpixel, finer and coarser than the camera's pixels, mostly without refresh banding,
  some banded at another refresh rate or showing a slower stream; genuine captures under
  hard light combined in new ways. ``--video-split fresh13``: written down and committed in
  stop 20 before its first run (``FRESH13``, seeds from 101 500): every camera is a real
  phone's (``sensor="bayer"``: a colour filter mosaic, demosaicing, a denoiser), for
  genuine captures under plain and hard light and for screens finer and coarser than the
  camera's pixels, one print, one cut-out; the noised injection never meets a camera.
  ``--video-split fresh14``: written down and committed in stop 21 before its first run
  (``FRESH14``, seeds from 102 000): every camera a phone's at its sensor's resolution
  (``sensor="phone"``), relays rendered from their subpixels at that resolution
  (``synth_panel.on_panel``) so a fine screen aliases in the mosaic as in a real capture,
  at pitches and angles the development set (``--video-split tune_phone``, tuning photos)
  does not draw; genuine captures under new combined hard light. ``--video-split
  fresh15``: written down and committed in stop 22 before its first run (``FRESH15``,
  seeds from 102 500): frames injected with grain of other kinds (a shot-noise law, a
  re-encode chain, uniform noise, a virtual camera's scaling) and the known noised one;
  genuine captures each through its own camera (i.i.d., Bayer, phone) in dim and low
  light, with a quiet sensor, backlight, a cheap JPEG. ``--video-split fresh16``: written
  down and committed in stop 23 before its first run (``FRESH16``, seeds from 103 000):
  genuine captures each through its own camera under hard light no list above draws in
  this combination (dim, low light, quiet sensors, backlight behind glasses, a cheap JPEG
  at 30 fps), and a print, an eye-and-mouth-hole cut-out, a screen replay and relay and
  a still open mouth. ``--video-split fresh17``: written down and committed in stop 24
  before its first run (``FRESH17``, seeds from 103 500): the last photo no video group
  used (turned, brought back to the camera: ``synth_video.turn_head``) beside fresh16's
  faces; genuine captures each through its own camera under hard light, glasses in four
  conditions, a cheap JPEG with a browser's dropped frames; every attack species.
  ``--video-split fresh18``: written down and committed in stop 25 before its first run
  (``FRESH18``, seeds from 104 000): every photo has been used by some video group, so
  its faces are earlier held-out photos mirrored (another face to the landmarks: its
  asymmetry the other way); genuine captures each through its own camera under hard
  light (glasses with exposure settling, beards and dark skin in dim light, dim Bayer
  captures of dark skin); every attack species at new parameters. ``--video-split
  fresh19``: written down and committed in stop 26 before its first run (``FRESH19``,
  seeds from 110 000): the held-out photos fresh18 did not mirror, mirrored; genuine
  captures each through its own camera under hard light (beards in dim and low light,
  glasses in backlight through the Bayer and phone cameras, a cheap dim JPEG with dropped
  frames); every attack species at new parameters. Video
  sources are near-frontal photos: the protocol asks the person to start facing the camera.
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
goal APCER <= 1 % at 95 % confidence. For video, 1 % needs about 300 held-out videos per
species (hours on two cores); ``--videos 4`` (the size we could afford) bounds far looser.

Run: ``.venv/bin/python benchmarks/liveness_eval.py [--seeds 8] [--videos 12]`` (some
minutes; ``--seeds 2 --videos 2`` for a quick look; ``--videos 0`` for the passive part
alone, ``--video-only --videos 4`` for the video part alone)
"""

from __future__ import annotations

import argparse
import dataclasses
import inspect
import json
import math
import random
import statistics
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import cast

import cv2
import numpy as np
import pad_data
from bounds import interval95

from kyc_sdk import faces
from kyc_sdk.errors import ImageRejected
from kyc_sdk.imaging import load_rgb
from kyc_sdk.liveness import (
    check_image,
    check_video,
    new_challenge,
    pad_model,
    passive,
    synth_panel,
    synth_video,
)
from kyc_sdk.liveness.challenge import ACTIONS, Challenge
from kyc_sdk.liveness.result import LivenessResult
from kyc_sdk.once import MemoryOnce

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


def camera(rgb: np.ndarray, side: int = 640) -> np.ndarray:
    s = side / max(rgb.shape[:2])
    return cv2.resize(rgb, None, fx=s, fy=s, interpolation=cv2.INTER_AREA) if s < 1 else rgb


SPECIES = {
    "bona_fide": "bona fide (hard)",
    "print": "print",
    "replay": "screen replay",
    "cutout": "cut-out",
    "document": "ID document",
    "injected": "injected",
}


def _upper(errors: int, n: int) -> float:
    return interval95(errors, n)[1]  # the upper end of the two-sided 95 % interval


#: the passive splits: the variants held out from the start (seeds from base 1), and the
#: fresh ones added later that nobody tuned on (``pad_data.FRESH``, seeds from base 2;
#: ``pad_data.FRESH2``, written down before its first look, seeds from base 3; ``FRESH3``,
#: likewise, base 4; ``FRESH4``, written in stop 16 before any look or refit, base 5;
#: ``FRESH5``, written in stop 17 before any look or refit, base 6; ``FRESH6``, written and
#: committed in stop 19 before any look or new cue, base 7; ``FRESH7``, written and committed
#: in stop 19 before a cut-edge cue was tried again, base 8; ``FRESH8``, written and committed
#: in stop 20 before a noise-relative texture cue was tried, base 9; ``FRESH9``, written and
#: committed in stop 21 before the camera joined the fitting data, base 10: a held-out phone;
#: ``FRESH10``, written and committed in stop 22 before a camera-independent cue was tried,
#: base 11: prints, cut-outs and bona fide through that phone at new settings; ``FRESH11``,
#: written and committed in stop 23 before a face-against-surround cue was tried, base 12:
#: worn masks and fine soft cut-outs through the held-out phone and the Bayer phone;
#: ``FRESH12``, written and committed in stop 24 before the eye-region cue was retried,
#: base 13: worn masks in new cuts and glasses in new frames, through the held-out phone;
#: ``FRESH13``, written and committed in stop 25 before a worn-mask cue was tried, base 14:
#: worn masks in a new cut and screen, aviator glasses, hard light, through a third phone;
#: ``FRESH14``, written and committed in stop 26 before a camera-family fit was tried,
#: base 15: every species that meets a camera through a fourth phone's burst pipeline;
#: ``FRESH15``, written and committed in stop 27 before a camera-invariant texture measure
#: was judged on held-out data, base 16: every species through a laptop webcam)
PASSIVE_SPLITS = {
    "held_out": (pad_data.held_out, 1),
    "fresh": (lambda sp: pad_data.FRESH[sp], 2),
    "fresh2": (lambda sp: pad_data.FRESH2[sp], 3),
    "fresh3": (lambda sp: pad_data.FRESH3[sp], 4),
    "fresh4": (lambda sp: pad_data.FRESH4[sp], 5),
    "fresh5": (lambda sp: pad_data.FRESH5[sp], 6),
    "fresh6": (lambda sp: pad_data.FRESH6[sp], 7),
    "fresh7": (lambda sp: pad_data.FRESH7[sp], 8),
    "fresh8": (lambda sp: pad_data.FRESH8[sp], 9),
    "fresh9": (lambda sp: pad_data.FRESH9[sp], 10),
    "fresh10": (lambda sp: pad_data.FRESH10[sp], 11),
    "fresh11": (lambda sp: pad_data.FRESH11[sp], 12),
    "fresh12": (lambda sp: pad_data.FRESH12[sp], 13),
    "fresh13": (lambda sp: pad_data.FRESH13[sp], 14),
    "fresh14": (lambda sp: pad_data.FRESH14[sp], 15),
    "fresh15": (lambda sp: pad_data.FRESH15[sp], 16),
}
#: the tuning variants (``pad_data.TUNE``): decided on, never a held-out figure, drawn from
#: the fitting source faces at their own seeds (base 100); not part of ``all``
TUNE_SPLIT = (lambda sp: pad_data.TUNE[sp], 100)


Outcomes = dict[tuple[str, str], list[tuple[str, str]]]


def _baseline_outcome(r: LivenessResult, m: dict) -> str:
    """What ``passive.judge`` decides on the same measures with model ``m`` instead of the
    shipped one: the document and quality rules do not depend on the model."""
    if "document_in_frame" in r.reasons:
        return "document"
    z = pad_model.log_odds_of(m, m["features"], pad_model.inputs(r.cues, m["features"]))
    if 1.0 / (1.0 + math.exp(-max(min(z, 40.0), -40.0))) >= m["threshold"]:
        return "attack"
    return "quality" if passive.quality_reasons(r.cues) else "live"


def run_passive(
    seeds: int, split: str = "held_out", baseline: dict | None = None
) -> tuple[Outcomes, Outcomes]:
    """Held-out variants × held-out sources: (species, variant) -> [(source, outcome)], where
    outcome is ``live``, ``attack`` (refused with PAD reasons), ``document``, ``quality``
    (a retake asked) or ``no_face`` (ImageRejected); the second mapping is the same images
    judged with the ``baseline`` model (empty without one)."""
    tune = split == "tune"
    sources = [pad_data.load(n) for n in (pad_data.FIT_SOURCES if tune else pad_data.HELD_OUT_SOURCES)]
    names, base = TUNE_SPLIT if tune else PASSIVE_SPLITS[split]
    variants = {sp: names(sp) for sp in SPECIES}
    out: Outcomes = defaultdict(list)
    before: Outcomes = defaultdict(list)
    ms = []
    for species, variant, src, img in pad_data.images(sources, variants, seeds, base=base):
        t = time.perf_counter()
        try:
            r = check_image(img)
            if baseline is not None:
                before[(species, variant)].append((src, _baseline_outcome(r, baseline)))
            outcome = (
                "live"
                if r.live
                else "document"
                if "document_in_frame" in r.reasons
                else "quality"
                if all(x.startswith("quality_") for x in r.reasons)
                else "attack"
            )
        except ImageRejected:
            outcome = "no_face"
            if baseline is not None:
                before[(species, variant)].append((src, outcome))
        ms.append((time.perf_counter() - t) * 1000)
        out[(species, variant)].append((src, outcome))
    ms = sorted(ms[2:])
    print(
        f"passive image: p50 {statistics.median(ms):.1f} ms, p95 {ms[int(0.95 * (len(ms) - 1))]:.1f} ms "
        f"({len(ms)} images, face detection included)"
    )
    return out, before


def report_passive(results: dict[tuple[str, str], list[tuple[str, str]]], split: str = "held_out") -> None:
    """Per variant and per species: APCER (attacks accepted as live) or BPCER (bona fide not
    accepted, whatever the reason), with the Clopper-Pearson 95 % upper bound. Injected
    frames are listed, but no single frame can decide them (docs/evaluation.md, Traps)."""
    title = (
        "species / held-out variant" if split == "held_out" else f"species / {split.upper()} held-out variant"
    )
    print(f"\n{title:40} {'n':>4} {'errors':>6} {'rate':>6} {'95% up':>7}  outcomes")
    for species, label in SPECIES.items():
        rows = {v: r for (sp, v), r in results.items() if sp == species}
        bona = species == "bona_fide"
        total_err = total_n = 0
        for variant, outcomes in rows.items():
            err = sum((o != "live") if bona else (o == "live") for _, o in outcomes)
            total_err, total_n = total_err + err, total_n + len(outcomes)
            counts = ", ".join(f"{k} {v}" for k, v in sorted(Counter(o for _, o in outcomes).items()))
            print(
                f"  {variant:38} {len(outcomes):4d} {err:6d} {100 * err / len(outcomes):5.1f}% "
                f"{100 * _upper(err, len(outcomes)):6.1f}%  {counts}"
            )
        name = "BPCER" if bona else "APCER"
        print(
            f"{label + ' ' + name:40} {total_n:4d} {total_err:6d} {100 * total_err / max(total_n, 1):5.1f}% "
            f"{100 * _upper(total_err, total_n):6.1f}%"
        )
    per_source: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for (species, _), outcomes in results.items():
        for src, o in outcomes:
            wrong = (o != "live") if species == "bona_fide" else (o == "live")
            per_source[src][0] += wrong
            per_source[src][1] += 1
    print(
        "errors per held-out source face (all species): "
        + ", ".join(f"{s} {e}/{n}" for s, (e, n) in per_source.items())
    )


# --- active liveness on video ----------------------------------------------------------
# The split (docs/evaluation.md, held-out discipline): thresholds in kyc_sdk/liveness/video.py
# and challenge.py were tuned on TUNE only; figures are reported on HELD_OUT only. Held out
# are other face photos (Biden never appears in tuning), the other animation method
# ("3d": 3-D rotation, thin-plate warp, painted blink; tuning saw only "mesh"), the capture
# conditions not seen in tuning, and other parameters of every attack species.
VIDEO_SOURCES = {
    "tune": ["registration sample", "faces/tests_obama.jpg"],
    "held_out": [
        "faces/tests_obama3.jpg",
        "faces/tests_biden.jpg",
        "faces/knn_train_biden_biden2.jpg",
        "faces/examples_obama_small.jpg",
    ],
}
# Combined hard conditions joined in stop 16 (h-vidgen) to study genuine refusals on the
# tuning photos: parameters no held-out list holds (a dim room at half light, a softer
# focus on lighter skin, backlight on darker skin)
TUNE_HARD = {
    "glasses_dim": (synth_video.Capture(glasses_glare=True, light=0.5, noise=4.0), 15.0, 1.0),
    "beard_dim": (synth_video.Capture(beard=True, light=0.45, noise=4.0), 15.0, 1.0),
    "soft_focus": (synth_video.Capture(blur=1.0, skin=1.15), 15.0, 1.0),
    "backlight_dark_skin": (synth_video.Capture(backlight=True, skin=0.7), 15.0, 1.0),
}
TUNE = {
    "method": ["mesh"],
    # low light joined in stop 15: its refusals were studied on the tuning photos (the held-out
    # low_light group was looked at by then; fresh2's dim conditions are new parameters)
    "conditions": ["plain", "exposure", "glasses", "beard", "dark_skin", "low_light", *TUNE_HARD],
    "print": [{"tilt": 15.0, "period": 3.5}],
    "cutout": [{"tilt": 8.0, "mouth_hole": False}],
    # the second screen (stop 15) shows no refresh banding: the backdrop zooming with the
    # face (a measure kept in git history, 92910bf) was studied on it, the held-out screens never
    "screen": [
        synth_video.Screen(),
        synth_video.Screen(pitch=0.62, angle=-6.0, moire=0.06, banding=0.0),
        # stop 16: screens rendered from their subpixels, where the grid's moiré survives the
        # camera (``screen_grid`` was studied on these two and the genuine videos above only)
        synth_video.Subpixels(pitch=1.6, angle=7.0, blur=0.45),
        synth_video.Subpixels(pitch=3.5, angle=20.0, blur=0.6, gamma=0.9),
    ],
    "expression": [{"kind": "smile", "tilt": 0.0}],
    "injection": ["raw"],
}
HELD_OUT = {
    "method": ["3d"],
    "conditions": list(synth_video.HARD),
    "print": [{"tilt": 25.0, "period": 2.5}, {"tilt": 6.0, "period": 5.5}],
    "cutout": [{"tilt": 4.0, "mouth_hole": True}, {"tilt": 14.0, "mouth_hole": False}],
    "screen": [
        synth_video.Screen(pitch=0.45, angle=12.0, moire=0.05, banding=0.0),
        synth_video.Screen(pitch=1.3, angle=-8.0, moire=0.1, banding=0.03, gamma=0.9),
        synth_video.Screen(pitch=2.5, angle=25.0, moire=0.04, banding=0.0, tilt=8.0),
    ],
    "expression": [
        {"kind": "open", "tilt": 0.0},
        {"kind": "squint", "tilt": 0.0},
        {"kind": "smile", "tilt": 8.0},
    ],
    "injection": ["jpeg", "sharpened", "resampled"],
}
# Fresh held-out groups, added after the tracker's tuning (beard, dark skin, frame rates):
# combined hard conditions, 30 fps and a browser's dropped frames, attack parameters
# outside both lists above, another seed range. The photos no video split used
# (liveness/image_T1, faces/tests_obama2, faces/knn_test_obama1) are turned faces: the
# protocol refuses them (``not_frontal``, 10 of 14 genuine on the first look), so the
# group runs on the held-out photos, whose conditions and seeds here nobody tuned on.
VIDEO_SOURCES["fresh"] = VIDEO_SOURCES["held_out"]
FRESH_CONDITIONS = {  # name -> (capture, frames per second, share of frames a browser keeps)
    "beard_dark_skin": (synth_video.Capture(beard=True, skin=0.55), 15.0, 1.0),
    "scarf_low_light": (synth_video.Capture(scarf=True, low_light=True), 15.0, 1.0),
    "glasses_backlight": (synth_video.Capture(glasses_glare=True, backlight=True), 15.0, 1.0),
    "exposure_and_white_balance": (synth_video.Capture(exposure_settle_s=1.5, wb_drift=0.2), 15.0, 1.0),
    "fps30": (synth_video.Capture(), 30.0, 1.0),
    "browser_dropped_frames": (synth_video.Capture(), 30.0, 0.45),
    "beard_dropped_frames": (synth_video.Capture(beard=True), 30.0, 0.45),
}
FRESH = {
    "method": ["mesh", "3d"],
    "conditions": list(FRESH_CONDITIONS),
    "print": [{"tilt": 18.0, "period": 4.5}],
    "cutout": [{"tilt": 10.0, "mouth_hole": True}],
    "screen": [
        synth_video.Screen(pitch=0.6, angle=-20.0, moire=0.06, banding=0.02, gamma=0.85),
        synth_video.Screen(pitch=1.8, angle=40.0, moire=0.07, banding=0.0, tilt=6.0),
    ],
    "expression": [{"kind": "open", "tilt": 5.0}, {"kind": "squint", "tilt": 4.0}],
    "injection": ["jpeg", "resampled"],
}
# A second fresh group, written down in stop 15 before anyone ran it: two photos no video
# split used (skimage's astronaut, a person the video part never saw; the frontal face cut
# from faces/knn_test_obama_and_biden), combined conditions at new parameters (a dimmer
# room than ``low_light`` with its own noise, glasses in the dark, a beard in the dark,
# soft focus on light skin, a cheap JPEG, 10 fps), attack settings outside every list
# above, and another seed range (from 90_000).
VIDEO_SOURCES["fresh2"] = ["astronaut", "faces/knn_test_obama_and_biden.jpg@1000,150,1480,800"]
FRESH2_CONDITIONS = {
    "dim_room": (synth_video.Capture(light=0.4, noise=5.0, blur=0.6), 15.0, 1.0),
    "glasses_low_light": (synth_video.Capture(glasses_glare=True, low_light=True), 15.0, 1.0),
    "beard_low_light": (synth_video.Capture(beard=True, low_light=True), 15.0, 1.0),
    "light_skin_soft_focus": (synth_video.Capture(skin=1.25, blur=1.2), 15.0, 1.0),
    "scarf_noisy_white_balance": (synth_video.Capture(scarf=True, noise=4.0, wb_drift=-0.12), 15.0, 1.0),
    "dark_skin_exposure": (synth_video.Capture(skin=0.6, exposure_settle_s=0.8), 15.0, 1.0),
    "cheap_jpeg_wide_sway": (synth_video.Capture(quality=55, sway_deg=4.0), 15.0, 1.0),
    "glasses_10fps": (synth_video.Capture(glasses_glare=True), 10.0, 1.0),
    "backlight_beard": (synth_video.Capture(backlight=True, beard=True), 15.0, 1.0),
}
FRESH2 = {
    "method": ["3d", "mesh"],
    "conditions": list(FRESH2_CONDITIONS),
    "print": [{"tilt": 10.0, "period": 3.0}],
    "cutout": [{"tilt": 6.0, "mouth_hole": True}],
    "screen": [
        synth_video.Screen(pitch=0.8, angle=-30.0, moire=0.06, banding=0.0, gamma=0.75, tilt=5.0),
        synth_video.Screen(pitch=1.1, angle=18.0, moire=0.03, banding=0.01, gamma=0.95, tilt=3.0),
    ],
    "expression": [{"kind": "smile", "tilt": 3.0}, {"kind": "open", "tilt": 0.0}],
    "injection": ["sharpened", "jpeg"],
}
# A third fresh group, written down in stop 15 (h-relay) before its first run: screens
# without refresh banding only (the relay's weak point), at pitches, angles, gammas and
# hands no other list holds (a steadier hand zooming half as far, a shakier one), with
# genuine captures of the same run as a check that the screen cues spare them; the
# held-out photos, seeds from 95 000.
VIDEO_SOURCES["fresh3"] = VIDEO_SOURCES["held_out"]
FRESH3 = {
    "method": ["3d", "mesh"],
    "conditions": ["plain", "backlight", "scarf", "light_skin", "white_balance"],
    "print": [],
    "cutout": [],
    "screen": [
        synth_video.Screen(pitch=0.52, angle=-15.0, moire=0.07, banding=0.0, gamma=0.85, tilt=2.5, hand=0.5),
        synth_video.Screen(pitch=1.45, angle=33.0, moire=0.05, banding=0.0, gamma=0.9, tilt=6.0, hand=1.4),
        synth_video.Screen(pitch=3.0, angle=-40.0, moire=0.03, banding=0.0, gamma=1.0, tilt=3.5, hand=0.7),
    ],
    "expression": [],
    "injection": [],
}
# A fifth group, written down in stop 16 (h-relay2) before its first run, for the screen
# grid cue (``screen_grid``) and the injected-frame cue: screens rendered from their
# subpixels at pitches, angles, stripe orders, lens blurs and hands the tuning screens
# (pitch 1.6 and 3.5) never had, painted-grid screens without banding at new pitches,
# frames injected with fresh synthetic noise (plain, and halved through a starved JPEG)
# or softened like a cheap lens, and genuine captures under new combined conditions, so
# the cost of the new cue to honest users shows. Every photo no tuning video used (the
# held-out four and fresh2's two); seeds from 97 000.
VIDEO_SOURCES["fresh5"] = VIDEO_SOURCES["held_out"] + VIDEO_SOURCES["fresh2"]
FRESH5_CONDITIONS = {
    "scarf_dark_skin": (synth_video.Capture(scarf=True, skin=0.55), 15.0, 1.0),
    "glasses_white_balance": (synth_video.Capture(glasses_glare=True, wb_drift=0.1), 15.0, 1.0),
    "soft_focus_noisy": (synth_video.Capture(blur=1.0, noise=3.5), 15.0, 1.0),
    "beard_light_skin": (synth_video.Capture(beard=True, skin=1.2), 15.0, 1.0),
    "backlight_exposure": (synth_video.Capture(backlight=True, exposure_settle_s=0.8), 15.0, 1.0),
    "low_light_glasses_scarf": (
        synth_video.Capture(low_light=True, glasses_glare=True, scarf=True),
        15.0,
        1.0,
    ),
    "fine_jpeg_still_hand": (synth_video.Capture(quality=97, tremor=0.2, noise=1.5), 15.0, 1.0),
    "dropped_frames_dark_skin": (synth_video.Capture(skin=0.6), 30.0, 0.5),
}
FRESH5 = {
    "method": ["3d", "mesh"],
    "conditions": list(FRESH5_CONDITIONS),
    "print": [],
    "cutout": [],
    "screen": [
        synth_video.Subpixels(pitch=1.25, angle=-9.0, blur=0.4, tilt=5.0),
        synth_video.Subpixels(pitch=2.3, angle=14.0, order="bgr", fill=0.7, blur=0.5, hand=0.6),
        synth_video.Subpixels(pitch=4.6, angle=-27.0, blur=0.75, gamma=0.95, tilt=2.0, hand=1.3),
        synth_video.Screen(pitch=0.9, angle=22.0, moire=0.09, banding=0.0, gamma=0.8, tilt=3.0, hand=1.2),
        synth_video.Screen(pitch=2.0, angle=-5.0, moire=0.05, banding=0.0, gamma=0.95, tilt=5.0, hand=0.8),
    ],
    "expression": [],
    "injection": ["noised", "noised_low_bitrate", "softened"],
}
# A fourth fresh group, written down and committed in stop 16 (h-vidgen) before its first
# run: the right face of faces/examples_two_people (the left one sits turned, yaw proxy
# 0.65, at the protocol's frontal limit) and the low-resolution faces/examples_obama-240p
# upscaled to a selfie (a soft webcam), photos no video split used; combined hard conditions not drawn
# before (glasses with backlight in a dimmer room, dark skin in a dim room, a scarf out of
# focus, a beard behind glasses, glasses on dark skin under drifting white balance, light
# skin against backlight, scarf and glasses while exposure settles, a dim beard at 20 fps
# with dropped frames); attack settings outside every list above; seeds from 96 000.
VIDEO_SOURCES["fresh4"] = [
    "faces/examples_two_people.jpg@566,0,1126,661",
    "faces/examples_obama-240p.jpg@0,0,427,240",
]
FRESH4_CONDITIONS = {
    "glasses_backlight_dim": (
        synth_video.Capture(glasses_glare=True, backlight=True, light=0.75, noise=3.0),
        15.0,
        1.0,
    ),
    "dark_skin_dim_room": (synth_video.Capture(skin=0.55, light=0.35, noise=5.0, blur=0.7), 15.0, 1.0),
    "scarf_soft_focus": (synth_video.Capture(scarf=True, blur=1.1), 15.0, 1.0),
    "beard_glasses": (synth_video.Capture(beard=True, glasses_glare=True), 15.0, 1.0),
    "glasses_dark_skin_white_balance": (
        synth_video.Capture(glasses_glare=True, skin=0.65, wb_drift=0.1),
        15.0,
        1.0,
    ),
    "light_skin_backlight": (synth_video.Capture(skin=1.2, backlight=True), 15.0, 1.0),
    "scarf_glasses_exposure": (
        synth_video.Capture(scarf=True, glasses_glare=True, exposure_settle_s=1.0),
        15.0,
        1.0,
    ),
    "beard_dim_20fps_dropped": (synth_video.Capture(beard=True, light=0.5, noise=4.5), 20.0, 0.7),
}
FRESH4 = {
    "method": ["3d", "mesh"],
    "conditions": list(FRESH4_CONDITIONS),
    "print": [{"tilt": 12.0, "period": 4.0}],
    "cutout": [{"tilt": 12.0, "mouth_hole": True}],
    "screen": [
        synth_video.Screen(pitch=0.7, angle=22.0, moire=0.05, banding=0.02, gamma=0.8, tilt=4.0),
        synth_video.Screen(pitch=2.0, angle=-12.0, moire=0.04, banding=0.0, gamma=0.9, tilt=2.0),
    ],
    "expression": [{"kind": "squint", "tilt": 6.0}, {"kind": "smile", "tilt": 5.0}],
    "injection": ["resampled", "sharpened"],
}
# A sixth fresh group, written down and committed in stop 17 (h-vid5) before its first
# run: two photos no video split used (matplotlib's sample portrait of Grace Hopper, an
# identity the video part never saw; the middle face of faces/knn_test_obama_and_biden,
# smiling with narrowed eyes and sitting a little turned), hard honest conditions combined
# in ways no list above draws (glasses with a beard in a dim room, a scarf against
# backlight on dark skin, light skin in low light through a cheap JPEG, glasses out of
# focus under drifting white balance, dark skin behind glasses while exposure settles at
# 30 fps, a beard and a scarf with a shaky hand and a wide sway, a dim noisy room at
# 24 fps with dropped frames, light skin behind glasses against backlight out of focus),
# attack settings outside every list above, seeds from 98 000.
VIDEO_SOURCES["fresh6"] = [
    "matplotlib/grace_hopper.jpg",
    "faces/knn_test_obama_and_biden.jpg@640,300,1060,860",
]
FRESH6_CONDITIONS = {
    "glasses_beard_dim": (
        synth_video.Capture(glasses_glare=True, beard=True, light=0.55, noise=3.5),
        15.0,
        1.0,
    ),
    "scarf_backlight_dark_skin": (synth_video.Capture(scarf=True, backlight=True, skin=0.6), 15.0, 1.0),
    "light_skin_low_light_jpeg": (
        synth_video.Capture(skin=1.25, light=0.45, noise=4.5, quality=60),
        15.0,
        1.0,
    ),
    "glasses_soft_focus_white_balance": (
        synth_video.Capture(glasses_glare=True, blur=0.9, wb_drift=-0.15),
        15.0,
        1.0,
    ),
    "dark_skin_glasses_exposure_30fps": (
        synth_video.Capture(skin=0.55, glasses_glare=True, exposure_settle_s=1.2),
        30.0,
        1.0,
    ),
    "beard_scarf_shaky_sway": (
        synth_video.Capture(beard=True, scarf=True, tremor=1.3, sway_deg=4.0),
        15.0,
        1.0,
    ),
    "dim_noisy_24fps_dropped": (synth_video.Capture(light=0.42, noise=5.5, blur=0.5), 24.0, 0.6),
    "light_skin_glasses_backlight_soft": (
        synth_video.Capture(skin=1.2, glasses_glare=True, backlight=True, blur=0.8),
        15.0,
        1.0,
    ),
}
FRESH6 = {
    "method": ["mesh", "3d"],
    "conditions": list(FRESH6_CONDITIONS),
    "print": [{"tilt": 20.0, "period": 5.0}],
    "cutout": [{"tilt": 9.0, "mouth_hole": True}, {"tilt": 16.0, "mouth_hole": False}],
    "screen": [
        synth_video.Screen(pitch=0.55, angle=28.0, moire=0.05, banding=0.0, gamma=0.9, tilt=3.0, hand=0.9),
        synth_video.Screen(pitch=1.7, angle=-35.0, moire=0.08, banding=0.015, gamma=0.8, tilt=5.5),
        synth_video.Subpixels(pitch=2.8, angle=-18.0, order="bgr", blur=0.55, tilt=3.0, hand=1.1),
    ],
    "expression": [{"kind": "open", "tilt": 7.0}, {"kind": "squint", "tilt": 2.0}],
    "injection": ["softened", "noised_low_bitrate"],
}
# A seventh fresh group, written down and committed in stop 18 (h-vid6) before its first
# run: a face no video split used (the left face of faces/examples_two_people, whose
# right face is fresh4's) and skimage's astronaut (fresh2's and fresh5's, under none of
# these conditions; the lower face of faces/knn_test_obama_and_biden, the last unused one,
# sits turned past ``challenge.FRONTAL``), hard honest conditions combined in ways no list
# above draws (a scarf with a beard in a dim room, dark skin behind glasses out of focus,
# light skin with white balance drifting at 30 fps, glasses against backlight with
# exposure settling, a beard through a cheap JPEG with a shaky hand, low light with
# dropped frames at 20 fps, a scarf on dark skin with a wide sway, light skin behind
# glasses in a dim room), still photos holding every expression moved by hand (an open
# mouth and a squint held nearly still, a smile swung wide), attack settings outside
# every list above, seeds from 99 000.
VIDEO_SOURCES["fresh7"] = [
    "faces/examples_two_people.jpg@0,0,566,661",
    "astronaut",
]
FRESH7_CONDITIONS = {
    "scarf_beard_dim": (synth_video.Capture(scarf=True, beard=True, light=0.5, noise=4.0), 15.0, 1.0),
    "dark_skin_glasses_soft": (synth_video.Capture(skin=0.6, glasses_glare=True, blur=0.9), 15.0, 1.0),
    "light_skin_white_balance_30fps": (synth_video.Capture(skin=1.25, wb_drift=0.18), 30.0, 1.0),
    "glasses_backlight_exposure": (
        synth_video.Capture(glasses_glare=True, backlight=True, exposure_settle_s=1.0),
        15.0,
        1.0,
    ),
    "beard_cheap_jpeg_shaky": (synth_video.Capture(beard=True, quality=50, tremor=1.4), 15.0, 1.0),
    "low_light_20fps_dropped": (synth_video.Capture(low_light=True), 20.0, 0.65),
    "scarf_dark_skin_wide_sway": (synth_video.Capture(scarf=True, skin=0.55, sway_deg=4.5), 15.0, 1.0),
    "light_skin_glasses_dim": (
        synth_video.Capture(skin=1.2, glasses_glare=True, light=0.5, noise=4.0),
        15.0,
        1.0,
    ),
}
FRESH7 = {
    "method": ["3d", "mesh"],
    "conditions": list(FRESH7_CONDITIONS),
    "print": [{"tilt": 7.0, "period": 3.2}, {"tilt": 22.0, "period": 5.8}],
    "cutout": [{"tilt": 5.0, "mouth_hole": True}, {"tilt": 11.0, "mouth_hole": False}],
    "screen": [
        synth_video.Screen(pitch=0.66, angle=-24.0, moire=0.07, banding=0.0, gamma=0.85, tilt=4.5, hand=1.1),
        synth_video.Subpixels(pitch=2.1, angle=31.0, blur=0.5, gamma=0.9, tilt=2.5, hand=0.8),
    ],
    "expression": [
        {"kind": "open", "tilt": 3.0},
        {"kind": "squint", "tilt": 1.5},
        {"kind": "smile", "tilt": 9.0},
    ],
    "injection": ["jpeg", "noised"],
}
# An eighth fresh group, written down and committed in stop 18 (h-vid7) before its first
# run, for the case FRESH7 found (a genuine challenge without a turn moves the skin only at
# the chin): every genuine challenge is an open mouth and a blink, in either order, under
# hard light combined in ways no list above draws (glasses against backlight in a dim
# room, dark skin with exposure settling and white balance drifting, a beard against
# backlight with a soft focus, light skin with glasses in low light at 24 fps with dropped
# frames, a scarf under exposure settling with a shaky hand, dark skin behind glasses in a
# dim room through a cheap JPEG); cut-outs whose mouth hole shows a real mouth opening and
# still photos holding an open mouth moved by hand, at tilts no list above uses, with the
# same no-turn challenges; faces from fresh6 and fresh7 (no unused near-frontal face is
# left), seeds from 99 500.
VIDEO_SOURCES["fresh8"] = [
    "matplotlib/grace_hopper.jpg",
    "faces/examples_two_people.jpg@0,0,566,661",
]
FRESH8_CONDITIONS = {
    "glasses_backlight_dim": (
        synth_video.Capture(glasses_glare=True, backlight=True, light=0.55, noise=3.5),
        15.0,
        1.0,
    ),
    "dark_skin_exposure_white_balance": (
        synth_video.Capture(skin=0.58, exposure_settle_s=1.2, wb_drift=0.12),
        15.0,
        1.0,
    ),
    "beard_backlight_soft": (synth_video.Capture(beard=True, backlight=True, blur=0.8), 15.0, 1.0),
    "light_skin_glasses_low_light_24fps_dropped": (
        synth_video.Capture(skin=1.22, glasses_glare=True, low_light=True),
        24.0,
        0.7,
    ),
    "scarf_exposure_shaky": (synth_video.Capture(scarf=True, exposure_settle_s=0.8, tremor=1.6), 15.0, 1.0),
    "dark_skin_glasses_dim_cheap_jpeg": (
        synth_video.Capture(skin=0.6, glasses_glare=True, light=0.6, noise=3.0, quality=55),
        15.0,
        1.0,
    ),
}
FRESH8 = {
    "method": ["3d", "mesh"],
    "conditions": list(FRESH8_CONDITIONS),
    # every challenge of this split, genuine or attack (``_video_split``)
    "steps": [("open_mouth", "blink"), ("blink", "open_mouth")],
    "print": [{"tilt": 4.5, "period": 4.1}],
    "cutout": [{"tilt": 2.5, "mouth_hole": True}, {"tilt": 9.5, "mouth_hole": True}],
    "screen": [
        synth_video.Screen(pitch=0.7, angle=13.0, moire=0.05, banding=0.0, gamma=0.9, tilt=3.5, hand=0.9),
    ],
    "expression": [{"kind": "open", "tilt": 1.0}, {"kind": "open", "tilt": 5.5}],
    "injection": ["noised"],
}
# A ninth fresh group, written down and committed in stop 18 (h-blink) before its first
# run, for the blink missed in hard light (FRESH8's genuine refusals were mostly
# ``challenge_not_met:blink``): every genuine challenge asks a blink, with a turn or an
# open mouth, under light no list above draws (glasses against backlight with exposure
# settling, glasses in a dim noisy room at 30 fps, dark skin behind glasses against
# backlight, light skin in a dim room through a cheap JPEG, glasses out of focus with a
# shaky hand, a beard behind glasses in low light at 20 fps with dropped frames); cut-outs
# with eye holes a person blinks through and still squints moved by hand, at tilts no list
# above uses; faces from fresh2 and fresh8 (no unused near-frontal face is left), seeds
# from 99 800.
VIDEO_SOURCES["fresh9"] = [
    "astronaut",
    "matplotlib/grace_hopper.jpg",
]
FRESH9_CONDITIONS = {
    "glasses_backlight_exposure_settle": (
        synth_video.Capture(glasses_glare=True, backlight=True, exposure_settle_s=1.4),
        15.0,
        1.0,
    ),
    "glasses_dim_noisy_30fps": (synth_video.Capture(glasses_glare=True, light=0.48, noise=4.5), 30.0, 1.0),
    "dark_skin_glasses_backlight": (
        synth_video.Capture(skin=0.57, glasses_glare=True, backlight=True),
        15.0,
        1.0,
    ),
    "light_skin_dim_cheap_jpeg": (
        synth_video.Capture(skin=1.18, light=0.52, noise=3.8, quality=52),
        15.0,
        1.0,
    ),
    "glasses_soft_shaky": (synth_video.Capture(glasses_glare=True, blur=1.0, tremor=1.5), 15.0, 1.0),
    "beard_glasses_low_light_20fps_dropped": (
        synth_video.Capture(beard=True, glasses_glare=True, low_light=True),
        20.0,
        0.75,
    ),
}
FRESH9 = {
    "method": ["mesh", "3d"],
    "conditions": list(FRESH9_CONDITIONS),
    "steps": [
        ("blink", "turn_left"),
        ("open_mouth", "blink"),
        ("turn_right", "blink"),
        ("blink", "open_mouth"),
    ],
    "print": [{"tilt": 6.5, "period": 3.7}],
    "cutout": [{"tilt": 3.5, "mouth_hole": False}, {"tilt": 12.5, "mouth_hole": False}],
    "screen": [
        synth_video.Subpixels(pitch=2.4, angle=-27.0, blur=0.45, gamma=0.88, tilt=3.5, hand=1.0),
    ],
    "expression": [{"kind": "squint", "tilt": 1.2}, {"kind": "squint", "tilt": 4.5}],
    "injection": ["jpeg"],
}
# A tenth fresh group, written down and committed in stop 19 (h-blink2) before its first
# run, for blinks behind glasses in hard light and for the challenges around them: most
# genuine challenges ask a blink (with a turn or an open mouth), some a turn and an open
# mouth, under light no list above draws (dark skin behind glasses against backlight in a
# dim room, a beard behind glasses against backlight, a scarf behind glasses in a dim room
# at 30 fps, dark skin behind glasses in low light, glasses with exposure settling and
# white balance drifting at 24 fps with dropped frames, light skin behind glasses against
# backlight through a cheap JPEG, a beard and a scarf behind glasses in a dim room with a
# shaky hand, glasses out of focus in a dim room); cut-outs with eye holes a person blinks
# through at three tilts, still squints moved by hand, a print, a painted-grid screen and
# a noised injection, at settings no list above uses; faces from fresh6, fresh7 and fresh9
# (no unused near-frontal face is left), seeds from 100 000.
VIDEO_SOURCES["fresh10"] = [
    "faces/knn_test_obama_and_biden.jpg@640,300,1060,860",
    "faces/examples_two_people.jpg@0,0,566,661",
    "astronaut",
]
FRESH10_CONDITIONS = {
    "dark_skin_glasses_backlight_dim": (
        synth_video.Capture(skin=0.62, glasses_glare=True, backlight=True, light=0.6, noise=3.5),
        15.0,
        1.0,
    ),
    "beard_glasses_backlight": (
        synth_video.Capture(beard=True, glasses_glare=True, backlight=True),
        15.0,
        1.0,
    ),
    "scarf_glasses_dim_30fps": (
        synth_video.Capture(scarf=True, glasses_glare=True, light=0.5, noise=4.2),
        30.0,
        1.0,
    ),
    "dark_skin_glasses_low_light": (
        synth_video.Capture(skin=0.6, glasses_glare=True, low_light=True),
        15.0,
        1.0,
    ),
    "glasses_exposure_white_balance_24fps_dropped": (
        synth_video.Capture(glasses_glare=True, exposure_settle_s=1.0, wb_drift=0.14),
        24.0,
        0.7,
    ),
    "light_skin_glasses_backlight_cheap_jpeg": (
        synth_video.Capture(skin=1.2, glasses_glare=True, backlight=True, quality=58),
        15.0,
        1.0,
    ),
    "beard_scarf_glasses_dim_shaky": (
        synth_video.Capture(beard=True, scarf=True, glasses_glare=True, light=0.58, noise=3.5, tremor=1.3),
        15.0,
        1.0,
    ),
    "glasses_soft_dim": (
        synth_video.Capture(glasses_glare=True, blur=0.7, light=0.55, noise=3.8),
        15.0,
        1.0,
    ),
}
FRESH10 = {
    "method": ["3d", "mesh"],
    "conditions": list(FRESH10_CONDITIONS),
    "steps": [
        ("blink", "turn_right"),
        ("open_mouth", "blink"),
        ("turn_left", "blink"),
        ("blink", "open_mouth"),
        ("turn_left", "open_mouth"),
    ],
    "print": [{"tilt": 8.5, "period": 4.4}],
    "cutout": [
        {"tilt": 2.0, "mouth_hole": False},
        {"tilt": 7.5, "mouth_hole": False},
        {"tilt": 13.0, "mouth_hole": False},
    ],
    "screen": [
        synth_video.Screen(pitch=0.6, angle=17.0, moire=0.06, banding=0.0, gamma=0.87, tilt=2.5, hand=1.0),
    ],
    "expression": [{"kind": "squint", "tilt": 0.8}, {"kind": "squint", "tilt": 3.2}],
    "injection": ["noised"],
}
# An eleventh fresh group, written down and committed in stop 19 (h-vid8) before its first
# run, for genuine turns refused as a sheet behind glasses while auto-exposure settles (the
# landmarks jitter, so the turn's residual sinks under the jitter floor): every genuine
# challenge asks a turn (with a blink or an open mouth), under light no list above draws
# (glasses with a long exposure settle, glasses against backlight with exposure settling at
# 20 fps, dark skin behind glasses with exposure settling in a dim room, glasses in a dim
# noisy room at 24 fps with dropped frames, a beard behind glasses against backlight with
# exposure settling, a scarf behind glasses with exposure settling and white balance
# drifting, light skin behind glasses in low light, glasses out of focus with a slow
# exposure settle); a print, eye-hole cut-outs turned as sheets at two tilts, a mouth-hole
# cut-out, still open mouths and smiles moved by hand, a subpixel screen and a softened
# injection, at settings no list above uses; faces from fresh8, fresh9 and fresh10 (no
# unused near-frontal face is left), seeds from 100 500.
VIDEO_SOURCES["fresh11"] = [
    "matplotlib/grace_hopper.jpg",
    "faces/knn_test_obama_and_biden.jpg@640,300,1060,860",
    "astronaut",
]
FRESH11_CONDITIONS = {
    "glasses_exposure_long_settle": (
        synth_video.Capture(glasses_glare=True, exposure_settle_s=1.7),
        15.0,
        1.0,
    ),
    "glasses_backlight_exposure_20fps": (
        synth_video.Capture(glasses_glare=True, backlight=True, exposure_settle_s=1.1),
        20.0,
        1.0,
    ),
    "dark_skin_glasses_exposure_dim": (
        synth_video.Capture(skin=0.58, glasses_glare=True, exposure_settle_s=1.3, light=0.62, noise=3.2),
        15.0,
        1.0,
    ),
    "glasses_dim_noisy_24fps_dropped": (
        synth_video.Capture(glasses_glare=True, light=0.46, noise=4.3),
        24.0,
        0.8,
    ),
    "beard_glasses_backlight_exposure": (
        synth_video.Capture(beard=True, glasses_glare=True, backlight=True, exposure_settle_s=0.9),
        15.0,
        1.0,
    ),
    "scarf_glasses_exposure_white_balance": (
        synth_video.Capture(scarf=True, glasses_glare=True, exposure_settle_s=1.2, wb_drift=0.11),
        15.0,
        1.0,
    ),
    "light_skin_glasses_low_light": (
        synth_video.Capture(skin=1.22, glasses_glare=True, low_light=True),
        15.0,
        1.0,
    ),
    "glasses_soft_slow_exposure": (
        synth_video.Capture(glasses_glare=True, blur=0.65, exposure_settle_s=2.0),
        15.0,
        1.0,
    ),
}
FRESH11 = {
    "method": ["3d", "mesh"],
    "conditions": list(FRESH11_CONDITIONS),
    "steps": [
        ("blink", "turn_left"),
        ("turn_right", "open_mouth"),
        ("turn_left", "blink"),
        ("open_mouth", "turn_right"),
        ("turn_right", "blink"),
    ],
    "print": [{"tilt": 11.0, "period": 3.9}],
    "cutout": [
        {"tilt": 5.5, "mouth_hole": False},
        {"tilt": 16.0, "mouth_hole": False},
        {"tilt": 7.0, "mouth_hole": True},
    ],
    "screen": [
        synth_video.Subpixels(pitch=1.9, angle=33.0, blur=0.5, gamma=0.84, tilt=3.0, hand=1.1),
    ],
    "expression": [{"kind": "open", "tilt": 7.0}, {"kind": "smile", "tilt": 2.2}],
    "injection": ["softened"],
}
# A twelfth fresh group, written down and committed in stop 20 (h-relay3) before its first
# run, for screens that relay the right challenge without refresh banding: painted-grid and
# subpixel screens at pitches, angles, gammas, tilts and hands no list above uses, finer
# and coarser than the camera's pixels, some with a refresh band at another period and
# roll (another refresh rate against the camera's), some showing a slower stream
# (``content_fps``: a relayed call at 7.5 or 10 frames a second); genuine captures under
# hard light combined in new ways (glasses against backlight at 30 fps, dark skin while
# exposure settles and white balance drifts, a beard in a dim noisy room at 20 fps with
# dropped frames, a scarf on light skin with a cheap JPEG, glasses out of focus with a
# shaky hand, a scarf in low light while exposure settles); one print, cut-out, still
# smile and noised injection; faces from fresh8, fresh10 and fresh11 (no unused
# near-frontal face is left), seeds from 101 000.
VIDEO_SOURCES["fresh12"] = [
    "matplotlib/grace_hopper.jpg",
    "faces/examples_two_people.jpg@0,0,566,661",
    "faces/knn_test_obama_and_biden.jpg@640,300,1060,860",
]
FRESH12_CONDITIONS = {
    "glasses_backlight_30fps": (synth_video.Capture(glasses_glare=True, backlight=True), 30.0, 1.0),
    "dark_skin_exposure_white_balance": (
        synth_video.Capture(skin=0.55, exposure_settle_s=1.4, wb_drift=0.12),
        15.0,
        1.0,
    ),
    "beard_dim_noisy_20fps_dropped": (
        synth_video.Capture(beard=True, light=0.5, noise=4.0),
        20.0,
        0.75,
    ),
    "scarf_light_skin_cheap_jpeg": (synth_video.Capture(scarf=True, skin=1.25, quality=55), 15.0, 1.0),
    "glasses_soft_shaky": (synth_video.Capture(glasses_glare=True, blur=0.8, tremor=1.4), 15.0, 1.0),
    "scarf_low_light_exposure": (
        synth_video.Capture(scarf=True, low_light=True, exposure_settle_s=0.8),
        15.0,
        1.0,
    ),
}
FRESH12 = {
    "method": ["mesh", "3d"],
    "conditions": list(FRESH12_CONDITIONS),
    "print": [{"tilt": 9.5, "period": 3.1}],
    "cutout": [{"tilt": 6.5, "mouth_hole": False}],
    "screen": [
        synth_video.Screen(pitch=0.5, angle=-11.0, moire=0.06, banding=0.0, gamma=0.88, tilt=3.0),
        synth_video.Screen(
            pitch=0.75, angle=26.0, moire=0.07, banding=0.0, gamma=0.92, tilt=2.0, hand=0.7, content_fps=7.5
        ),
        synth_video.Screen(
            pitch=1.15,
            angle=-33.0,
            moire=0.05,
            banding=0.012,
            band_period=0.35,
            band_roll=0.21,
            gamma=0.83,
            tilt=4.5,
        ),
        synth_video.Screen(pitch=2.2, angle=9.0, moire=0.04, banding=0.0, gamma=0.95, tilt=5.0, hand=1.2),
        synth_video.Subpixels(pitch=1.4, angle=-14.0, blur=0.5, gamma=0.86, tilt=3.5),
        synth_video.Subpixels(
            pitch=3.1,
            angle=38.0,
            order="bgr",
            fill=0.75,
            blur=0.6,
            banding=0.02,
            band_period=1.1,
            band_roll=0.12,
            tilt=2.5,
            hand=0.9,
        ),
        synth_video.Subpixels(pitch=0.85, angle=4.0, blur=0.4, gamma=0.9, tilt=3.0, content_fps=10.0),
    ],
    "expression": [{"kind": "smile", "tilt": 4.5}],
    "injection": ["noised"],
}
# A thirteenth fresh group, written down and committed in stop 20 (h-vidcam) before its
# first run, for the camera every split above lacks: a colour filter mosaic. Every video is
# filmed by the Bayer pipeline (``synth_video.camera(sensor="bayer")``), the relayed or
# replayed stream on the screen too (the other phone's camera); the noised injection alone
# never meets a camera. Genuine captures plain (and sent again: the nonce) and under hard
# light no list above draws in this combination; painted-grid and subpixel screens finer
# (0.6, 0.75 and 0.9 camera pixels, the subpixel ones behind a sharper lens than before)
# and coarser (1.5, 1.8 and 2.6) than the camera's pixels, none banded; one print, one
# eye-hole cut-out, one noised injection; faces from fresh12 and fresh11 (no unused
# near-frontal face is left), seeds from 101 500.
VIDEO_SOURCES["fresh13"] = [
    "matplotlib/grace_hopper.jpg",
    "faces/examples_two_people.jpg@0,0,566,661",
    "astronaut",
]
FRESH13_CONDITIONS = {
    "bayer_plain": (synth_video.Capture(), 15.0, 1.0),
    "bayer_glasses_backlight_dim": (
        synth_video.Capture(glasses_glare=True, backlight=True, light=0.6, noise=3.0),
        15.0,
        1.0,
    ),
    "bayer_dark_skin_low_light": (synth_video.Capture(skin=0.6, low_light=True), 15.0, 1.0),
    "bayer_beard_exposure_white_balance_24fps": (
        synth_video.Capture(beard=True, exposure_settle_s=1.0, wb_drift=0.1),
        24.0,
        1.0,
    ),
    "bayer_scarf_soft_shaky": (synth_video.Capture(scarf=True, blur=0.7, tremor=1.3), 15.0, 1.0),
}
FRESH13 = {
    "sensor": "bayer",
    "nonce_condition": "bayer_plain",
    "method": ["3d", "mesh"],
    "conditions": list(FRESH13_CONDITIONS),
    "print": [{"tilt": 7.0, "period": 3.4}],
    "cutout": [{"tilt": 4.0, "mouth_hole": False}],
    "screen": [
        synth_video.Screen(pitch=0.6, angle=21.0, moire=0.07, banding=0.0, gamma=0.9, tilt=3.0),
        synth_video.Subpixels(pitch=0.75, angle=-9.0, blur=0.3, gamma=0.87, tilt=3.0),
        synth_video.Subpixels(pitch=0.9, angle=16.0, blur=0.35, gamma=0.9, tilt=2.5, hand=0.8),
        synth_video.Screen(pitch=1.5, angle=-24.0, moire=0.06, banding=0.0, gamma=0.85, tilt=4.0),
        synth_video.Subpixels(pitch=1.8, angle=12.0, blur=0.45, gamma=0.88, tilt=3.5),
        synth_video.Subpixels(pitch=2.6, angle=-31.0, order="bgr", blur=0.5, gamma=0.84, tilt=3.0, hand=1.1),
    ],
    "expression": [],
    "injection": ["noised"],
}
# A development set for the phone camera (stop 21, h-relay4), on the tuning photos: relays
# filmed as a real phone films a screen (``synth_panel.on_panel``: the subpixels at the
# sensor's scale, the mosaic, the phone's downscale) and genuine captures through the same
# camera (``sensor="phone"``). ``screen_grid``'s colour moiré was studied on these only.
VIDEO_SOURCES["tune_phone"] = VIDEO_SOURCES["tune"]
TUNE_PHONE = {
    "sensor": "phone",
    "method": ["mesh"],
    "conditions": ["plain", "glasses", "dark_skin", "low_light", "beard_dim"],
    "print": [],
    "cutout": [],
    "screen": [
        synth_panel.Panel(pitch=0.8, angle=9.0),
        synth_panel.Panel(pitch=1.0, angle=3.0),
        synth_panel.Panel(pitch=1.0, angle=9.0, order="bgr"),
        synth_panel.Panel(pitch=1.25, angle=25.0, blur=0.6),
        synth_panel.Panel(pitch=2.0, angle=3.0, fill=0.7),
    ],
    "expression": [],
    "injection": [],
}
# A fourteenth fresh group, written down and committed in stop 21 (h-relay4) before its
# first run, for screens filmed as a real phone films them: every video through the phone
# camera (``sensor="phone"``: the Bayer pipeline at twice the frame's resolution, then the
# phone's downscale), the stream on the screen too; relays rendered from their subpixels at
# the sensor's scale (``synth_panel.Panel``) at pitches, angles, stripe orders, fills,
# lens blurs, tilts and hand distances the development set does not draw (1.7 to 4.6
# photosites a screen pixel); genuine captures plain (and sent again: the nonce) and under
# hard light no list above draws in this combination; one print, one eye-hole cut-out, one
# noised injection; faces from fresh10 and fresh13 (no unused near-frontal face is left),
# seeds from 102 000.
VIDEO_SOURCES["fresh14"] = [
    "faces/knn_test_obama_and_biden.jpg@640,300,1060,860",
    "matplotlib/grace_hopper.jpg",
    "astronaut",
]
FRESH14_CONDITIONS = {
    "phone_plain": (synth_video.Capture(), 15.0, 1.0),
    "phone_glasses_backlight_soft": (
        synth_video.Capture(glasses_glare=True, backlight=True, blur=0.6),
        15.0,
        1.0,
    ),
    "phone_dark_skin_dim_white_balance": (
        synth_video.Capture(skin=0.64, light=0.58, noise=3.3, wb_drift=0.09),
        15.0,
        1.0,
    ),
    "phone_beard_glasses_exposure": (
        synth_video.Capture(beard=True, glasses_glare=True, exposure_settle_s=0.9),
        15.0,
        1.0,
    ),
    "phone_scarf_low_light_20fps": (synth_video.Capture(scarf=True, low_light=True), 20.0, 1.0),
}
FRESH14 = {
    "sensor": "phone",
    "nonce_condition": "phone_plain",
    "method": ["3d", "mesh"],
    "conditions": list(FRESH14_CONDITIONS),
    "print": [{"tilt": 5.5, "period": 3.9}],
    "cutout": [{"tilt": 6.0, "mouth_hole": False}],
    "screen": [
        synth_panel.Panel(pitch=0.85, angle=-5.0, blur=0.45, gamma=0.88, tilt=3.0),
        synth_panel.Panel(pitch=0.95, angle=13.0, order="bgr", fill=0.75, blur=0.5, tilt=2.5, hand=0.8),
        synth_panel.Panel(pitch=1.05, angle=-19.0, blur=0.55, gamma=0.9, tilt=3.5, hand=1.2),
        synth_panel.Panel(pitch=1.18, angle=2.0, fill=0.85, blur=0.4, gamma=0.86, tilt=4.5),
        synth_panel.Panel(pitch=1.33, angle=31.0, order="bgr", blur=0.65, tilt=2.0, hand=1.3),
        synth_panel.Panel(pitch=1.5, angle=-11.0, fill=0.7, blur=0.5, gamma=0.92, tilt=3.0, hand=0.7),
        synth_panel.Panel(pitch=1.8, angle=6.0, blur=0.6, gamma=0.84, tilt=4.0),
        synth_panel.Panel(pitch=2.3, angle=-38.0, order="bgr", fill=0.75, blur=0.55, tilt=3.5, hand=1.1),
    ],
    "expression": [],
    "injection": ["noised"],
}
# A fifteenth fresh group, written down and committed in stop 22 (h-video5) before its first
# run and before any cue was tried on held-out videos, for frames injected with grain an
# attacker adds so that a camera seems to have made them: noise under a shot-noise law,
# noise through a re-encode chain, uniform noise, and a virtual camera scaling a smaller
# noised render up to the size asked (``synth_video.GRAIN``; the injection cue was studied
# on ``grain_fine``, ``grain_mono``, ``raw`` and ``jpeg`` on the tuning photos only), and
# the known ``noised`` on new seeds. Genuine captures each through its own camera
# (``"sensor": OWN``: i.i.d., Bayer or phone), where camera noise is hardest to tell from
# grain: dim and low light, a quiet sensor (a phone's strong denoiser), backlight, a cheap
# JPEG, 30 fps; one print and one cut-out (i.i.d. camera); no screens (their stream is
# filmed by a camera: not this group's question). Faces from fresh13 and fresh14 (no unused
# near-frontal face is left), seeds from 102 500.
OWN = "own"  # a split's "sensor": each genuine condition's own camera, attacks the i.i.d. one
VIDEO_SOURCES["fresh15"] = [
    "faces/examples_two_people.jpg@0,0,566,661",
    "astronaut",
    "faces/knn_test_obama_and_biden.jpg@640,300,1060,860",
]
FRESH15_CONDITIONS = {
    "iid_low_light_dark_skin": (synth_video.Capture(low_light=True, skin=0.62), 15.0, 1.0),
    "iid_quiet_sensor_light_skin": (synth_video.Capture(noise=1.1, skin=1.2, light=1.1), 15.0, 1.0),
    "iid_scarf_exposure_cheap_jpeg_30fps": (
        synth_video.Capture(scarf=True, exposure_settle_s=1.1, quality=58),
        30.0,
        1.0,
    ),
    "bayer_dim_noisy_glasses": (
        synth_video.Capture(glasses_glare=True, light=0.42, noise=5.0, sensor="bayer"),
        15.0,
        1.0,
    ),
    "bayer_backlight_beard_quiet": (
        synth_video.Capture(backlight=True, beard=True, noise=1.3, sensor="bayer"),
        15.0,
        1.0,
    ),
    "phone_plain": (synth_video.Capture(sensor="phone"), 15.0, 1.0),
    "phone_low_light_white_balance": (
        synth_video.Capture(low_light=True, wb_drift=0.08, sensor="phone"),
        15.0,
        1.0,
    ),
}
FRESH15 = {
    "sensor": OWN,
    "nonce_condition": "phone_plain",
    "method": ["3d", "mesh"],
    "conditions": list(FRESH15_CONDITIONS),
    "print": [{"tilt": 8.5, "period": 3.7}],
    "cutout": [{"tilt": 5.0, "mouth_hole": False}],
    "screen": [],
    "expression": [],
    "injection": ["grain_shot", "grain_reencoded", "grain_uniform", "virtual_camera", "noised"],
}
# A sixteenth fresh group, written down and committed in stop 23 (h-video6) before its first
# run and before any change it measures was tried on held-out videos, for genuine videos
# refused under hard conditions: each genuine condition through its own camera (``OWN``)
# under light and sensors no list above draws in this combination (development ran on the
# tuning photos only, seeds 73 600-74 100); the attacks through the i.i.d. camera at
# parameters no list above draws: a print, a cut-out with eye and mouth holes, a screen
# replay and relay (subpixels at the frame's pixels), a still open mouth tilted. Faces from
# fresh13 to fresh15 (no unused near-frontal face is left), seeds from 103 000.
VIDEO_SOURCES["fresh16"] = [
    "matplotlib/grace_hopper.jpg",
    "faces/examples_two_people.jpg@0,0,566,661",
    "astronaut",
    "faces/knn_test_obama_and_biden.jpg@640,300,1060,860",
]
FRESH16_CONDITIONS = {
    "iid_dim_glasses_light_skin": (
        synth_video.Capture(glasses_glare=True, light=0.38, noise=4.5, skin=1.15),
        15.0,
        1.0,
    ),
    "iid_low_light_beard": (synth_video.Capture(low_light=True, beard=True), 15.0, 1.0),
    "iid_quiet_sensor_dark_skin": (synth_video.Capture(noise=0.9, skin=0.6), 15.0, 1.0),
    "bayer_low_light_scarf": (synth_video.Capture(low_light=True, scarf=True, sensor="bayer"), 15.0, 1.0),
    "bayer_quiet_light_skin_exposure": (
        synth_video.Capture(noise=1.0, skin=1.25, exposure_settle_s=0.9, sensor="bayer"),
        15.0,
        1.0,
    ),
    "phone_dim_dark_skin": (synth_video.Capture(light=0.5, skin=0.6, sensor="phone"), 15.0, 1.0),
    "phone_glasses_backlight": (
        synth_video.Capture(glasses_glare=True, backlight=True, sensor="phone"),
        15.0,
        1.0,
    ),
    "phone_cheap_jpeg_30fps": (synth_video.Capture(quality=62, sensor="phone"), 30.0, 1.0),
}
FRESH16 = {
    "sensor": OWN,
    "nonce_condition": "phone_cheap_jpeg_30fps",
    "method": ["3d", "mesh"],
    "conditions": list(FRESH16_CONDITIONS),
    "print": [{"tilt": 12.0, "period": 3.1}],
    "cutout": [{"tilt": 11.0, "mouth_hole": True}],
    # subpixels at the frame's pixels: a ``synth_panel.Panel`` needs a mosaic sensor's scale,
    # and OWN films attacks by the i.i.d. camera (the first run stopped there, before any screen)
    "screen": [synth_video.Subpixels(pitch=1.4, angle=-27.0, blur=0.5, gamma=0.87, tilt=3.0, hand=0.9)],
    "expression": [{"kind": "open", "tilt": 9.0}],
    "injection": [],
}
# A seventeenth fresh group, written down and committed in stop 24 (h-video7) before its first
# run and before any change it measures was tried on held-out videos, for genuine videos
# refused on the challenge (missed or wrong turns, ``not_frontal``) on faces the tuning
# never saw. Development ran on photos no video group used, turned back to the camera
# (tests_obama2 and liveness/image_T1, ``turn_head``), seeds 74 200-75 000. This group
# keeps the last unused photo, knn_test_obama1 (turned; brought back 22 degrees: another
# face shape), beside fresh16's faces; each genuine condition through its own camera
# (``OWN``) under hard light and sensors no list above draws in this combination, glasses
# in four; every attack species through the i.i.d. camera at parameters no list above
# draws. Seeds from 103 500.
VIDEO_SOURCES["fresh17"] = [
    "faces/knn_test_obama1.jpg~-22",
    "matplotlib/grace_hopper.jpg",
    "faces/examples_two_people.jpg@0,0,566,661",
    "astronaut",
    "faces/knn_test_obama_and_biden.jpg@640,300,1060,860",
]
FRESH17_CONDITIONS = {
    "iid_glasses_dim_dark_skin": (
        synth_video.Capture(glasses_glare=True, light=0.45, noise=4.2, skin=0.65),
        15.0,
        1.0,
    ),
    "iid_glasses_backlight_quiet": (
        synth_video.Capture(glasses_glare=True, backlight=True, noise=1.2),
        15.0,
        1.0,
    ),
    "iid_beard_exposure_30fps": (synth_video.Capture(beard=True, exposure_settle_s=1.2), 30.0, 1.0),
    "bayer_glasses_low_light": (
        synth_video.Capture(glasses_glare=True, low_light=True, sensor="bayer"),
        15.0,
        1.0,
    ),
    "bayer_dim_dark_skin_scarf": (
        synth_video.Capture(light=0.48, skin=0.58, scarf=True, sensor="bayer"),
        15.0,
        1.0,
    ),
    "phone_glasses_light_skin_wb": (
        synth_video.Capture(glasses_glare=True, skin=1.2, wb_drift=0.1, sensor="phone"),
        15.0,
        1.0,
    ),
    "phone_low_light_beard": (synth_video.Capture(low_light=True, beard=True, sensor="phone"), 15.0, 1.0),
    "phone_cheap_jpeg_dropped": (synth_video.Capture(quality=57, sensor="phone"), 30.0, 0.5),
}
FRESH17 = {
    "sensor": OWN,
    "nonce_condition": "phone_low_light_beard",
    "method": ["mesh", "3d"],
    "conditions": list(FRESH17_CONDITIONS),
    "print": [{"tilt": 9.5, "period": 4.2}],
    "cutout": [{"tilt": 7.0, "mouth_hole": True}],
    "screen": [synth_video.Subpixels(pitch=1.9, angle=33.0, blur=0.55, gamma=0.9, tilt=5.0, hand=1.1)],
    "expression": [{"kind": "squint", "tilt": 7.0}],
    "injection": ["sharpened"],
}
# An eighteenth fresh group, written down and committed in stop 25 (h-video8) before its first
# run and before any change it measures was tried on held-out videos, for genuine videos
# refused under hard conditions (a late frontal neutral, open mouths in beards and dim
# light, dim Bayer captures of dark skin). Development ran on the tuning photos only
# (registration sample, tests_obama; tests_obama2 and image_T1 turned back), seeds 76 000-
# 77 000. No photo is left that no video group used: these are held-out photos of earlier
# groups (held_out, fresh6-17: seen by them unmirrored) mirrored, which swaps the face's asymmetry
# and the side its rest yaw leans to; each genuine condition through its own camera
# (``OWN``) under hard light and sensors no list above draws in this combination; every
# attack species through the i.i.d. camera at parameters no list above draws. Seeds from
# 104 000.
VIDEO_SOURCES["fresh18"] = [
    "mirror:faces/tests_biden.jpg",
    "mirror:matplotlib/grace_hopper.jpg",
    "mirror:faces/knn_train_biden_biden2.jpg",
    "mirror:faces/knn_test_obama_and_biden.jpg@640,300,1060,860",
]
FRESH18_CONDITIONS = {
    "iid_glasses_exposure_dark_skin": (
        synth_video.Capture(glasses_glare=True, exposure_settle_s=1.1, skin=0.62, noise=3.5),
        15.0,
        1.0,
    ),
    "iid_beard_dim_30fps": (synth_video.Capture(beard=True, light=0.42, noise=3.8), 30.0, 1.0),
    "bayer_dim_darker_skin": (synth_video.Capture(light=0.52, skin=0.55, sensor="bayer"), 15.0, 1.0),
    "bayer_glasses_backlight": (
        synth_video.Capture(glasses_glare=True, backlight=True, sensor="bayer"),
        15.0,
        1.0,
    ),
    "bayer_beard_low_light": (synth_video.Capture(beard=True, low_light=True, sensor="bayer"), 15.0, 1.0),
    "phone_glasses_dim_exposure": (
        synth_video.Capture(glasses_glare=True, light=0.55, exposure_settle_s=0.8, sensor="phone"),
        15.0,
        1.0,
    ),
    "phone_beard_dark_skin_dim": (
        synth_video.Capture(beard=True, skin=0.6, light=0.5, sensor="phone"),
        15.0,
        1.0,
    ),
    "phone_scarf_wb_jpeg_dropped": (
        synth_video.Capture(scarf=True, wb_drift=0.12, quality=60, sensor="phone"),
        30.0,
        0.6,
    ),
}
FRESH18 = {
    "sensor": OWN,
    "nonce_condition": "bayer_glasses_backlight",
    "method": ["3d", "mesh"],
    "conditions": list(FRESH18_CONDITIONS),
    "print": [{"tilt": 10.5, "period": 3.8}],
    "cutout": [{"tilt": 8.5, "mouth_hole": True}],
    "screen": [synth_video.Subpixels(pitch=1.6, angle=-38.0, blur=0.45, gamma=0.92, tilt=4.0, hand=1.0)],
    "expression": [{"kind": "smile", "tilt": 6.0}],
    "injection": ["grain_shot"],
}
# A nineteenth fresh group, written down and committed in stop 26 (h-video9) before its first
# run and before any change it measures was tried on held-out videos, for genuine videos
# refused under hard conditions (open mouths in beards in low light, glasses in backlight
# through the Bayer camera, turns towards profile, cheap phone JPEG with dropped frames).
# Development ran on the tuning photos only (registration sample, tests_obama; tests_obama2
# and image_T1 turned back), seeds 78 000-79 000. The faces are earlier held-out photos
# that fresh18 did not mirror, mirrored; each genuine condition through its own camera
# (``OWN``) under hard light and sensors no list above draws in this combination; every
# attack species through the i.i.d. camera at parameters no list above draws. Seeds from
# 110 000. Rule written before the look: ship a tracker change if genuine refused falls on
# FRESH19 and does not rise on FRESH16-18, and no attack species is accepted more on any.
VIDEO_SOURCES["fresh19"] = [
    "mirror:astronaut",
    "mirror:faces/examples_two_people.jpg@0,0,566,661",
    "mirror:faces/tests_obama3.jpg",
    "mirror:faces/knn_test_obama_and_biden.jpg@1000,150,1480,800",
]
FRESH19_CONDITIONS = {
    "iid_glasses_beard_dim": (
        synth_video.Capture(glasses_glare=True, beard=True, light=0.5, noise=3.5),
        15.0,
        1.0,
    ),
    "iid_scarf_exposure_dark_skin_dropped": (
        synth_video.Capture(scarf=True, exposure_settle_s=1.0, skin=0.6),
        30.0,
        0.6,
    ),
    "bayer_glasses_backlight_dim": (
        synth_video.Capture(glasses_glare=True, backlight=True, light=0.7, sensor="bayer"),
        15.0,
        1.0,
    ),
    "bayer_beard_dim_dark_skin": (
        synth_video.Capture(beard=True, light=0.5, skin=0.65, sensor="bayer"),
        15.0,
        1.0,
    ),
    "bayer_exposure_light_skin_sway": (
        synth_video.Capture(exposure_settle_s=1.0, skin=1.25, sway_deg=4.0, sensor="bayer"),
        15.0,
        1.0,
    ),
    "phone_beard_low_light_30fps": (
        synth_video.Capture(beard=True, low_light=True, sensor="phone"),
        30.0,
        1.0,
    ),
    "phone_glasses_backlight_wb": (
        synth_video.Capture(glasses_glare=True, backlight=True, wb_drift=-0.1, sensor="phone"),
        15.0,
        1.0,
    ),
    "phone_cheap_jpeg_dim_dropped": (synth_video.Capture(quality=55, light=0.6, sensor="phone"), 30.0, 0.5),
}
FRESH19 = {
    "sensor": OWN,
    "nonce_condition": "phone_beard_low_light_30fps",
    "method": ["mesh", "3d"],
    "conditions": list(FRESH19_CONDITIONS),
    "print": [{"tilt": 11.5, "period": 3.3}],
    "cutout": [{"tilt": 9.5, "mouth_hole": False}],
    "screen": [synth_video.Subpixels(pitch=1.7, angle=22.0, blur=0.5, gamma=0.88, tilt=6.0, hand=0.8)],
    "expression": [{"kind": "open", "tilt": 5.0}],
    "injection": ["grain_reencoded"],
}
SPLITS = {
    "tune": TUNE,
    "tune_phone": TUNE_PHONE,
    "held_out": HELD_OUT,
    "fresh": FRESH,
    "fresh2": FRESH2,
    "fresh3": FRESH3,
    "fresh4": FRESH4,
    "fresh5": FRESH5,
    "fresh6": FRESH6,
    "fresh7": FRESH7,
    "fresh8": FRESH8,
    "fresh9": FRESH9,
    "fresh10": FRESH10,
    "fresh11": FRESH11,
    "fresh12": FRESH12,
    "fresh13": FRESH13,
    "fresh14": FRESH14,
    "fresh15": FRESH15,
    "fresh16": FRESH16,
    "fresh17": FRESH17,
    "fresh18": FRESH18,
    "fresh19": FRESH19,
}
SEED_BASE = {
    "tune": 70_000,
    "tune_phone": 72_000,
    "held_out": 71_000,
    "fresh": 75_000,
    "fresh2": 90_000,
    "fresh3": 95_000,
    "fresh4": 96_000,
    "fresh5": 97_000,
    "fresh6": 98_000,
    "fresh7": 99_000,
    "fresh8": 99_500,
    "fresh9": 99_800,
    "fresh10": 100_000,
    "fresh11": 100_500,
    "fresh12": 101_000,
    "fresh13": 101_500,
    "fresh14": 102_000,
    "fresh15": 102_500,
    "fresh16": 103_000,
    "fresh17": 103_500,
    "fresh18": 104_000,
    "fresh19": 110_000,
}
CONDITIONS = {
    **TUNE_HARD,
    **FRESH_CONDITIONS,
    **FRESH2_CONDITIONS,
    **FRESH4_CONDITIONS,
    **FRESH5_CONDITIONS,
    **FRESH6_CONDITIONS,
    **FRESH7_CONDITIONS,
    **FRESH8_CONDITIONS,
    **FRESH9_CONDITIONS,
    **FRESH10_CONDITIONS,
    **FRESH11_CONDITIONS,
    **FRESH12_CONDITIONS,
    **FRESH13_CONDITIONS,
    **FRESH14_CONDITIONS,
    **FRESH15_CONDITIONS,
    **FRESH16_CONDITIONS,
    **FRESH17_CONDITIONS,
    **FRESH18_CONDITIONS,
    **FRESH19_CONDITIONS,
}
VIDEO_SPECIES = (
    "print moved",
    "screen replay (other challenge)",
    "screen relay (right challenge)",
    "cut-out mask",
    "still expression",
    "replayed session (nonce)",
    "injected frames",
)


def video_sources(split: str) -> list[tuple[str, np.ndarray, np.ndarray]]:
    out = []
    for name in VIDEO_SOURCES[split]:
        rgb = _source_rgb(name)
        out.append((name, rgb, faces.landmarks(rgb, faces.single_face(rgb))))
    return out


def _source_rgb(name: str) -> np.ndarray:
    """One video source photo, framed as a selfie (see ``VIDEO_SOURCES``)."""
    from kyc_sdk.registration import samples

    if name.startswith("mirror:"):  # a photo mirrored: another face, its asymmetry the other way
        return np.ascontiguousarray(_source_rgb(name.removeprefix("mirror:"))[:, ::-1])
    if name == "registration sample":
        return np.array(samples.selfie_frame())
    if name == "astronaut":
        return pad_data.load(name).rgb  # framed as a selfie: the photo's face is 98 px wide
    if name.startswith("matplotlib/"):  # the package's sample photos
        import matplotlib

        path = Path(matplotlib.get_data_path()) / "sample_data" / name.split("/", 1)[1]
        return pad_data.selfie(load_rgb(path))
    if "~" in name:  # a turned photo brought back towards the camera (degrees of yaw)
        path, yaw = name.split("~")
        raw = pad_data.selfie(load_rgb(DATA / path))
        return synth_video.turn_head(raw, faces.landmarks(raw, faces.single_face(raw)), float(yaw))
    if "@" in name:  # one face cut from a group photo (x0,y0,x1,y1), framed as a selfie
        path, box = name.split("@")
        x0, y0, x1, y1 = (int(v) for v in box.split(","))
        return pad_data.selfie(np.ascontiguousarray(load_rgb(DATA / path)[y0:y1, x0:x1]))
    return camera(load_rgb(DATA / name))


#: ``--video-log``: one line per checked video (decision, every reason, every measured cue),
#: so a single look at a held-out group sorts its refusals by cause without a second run
LOG = {"video": False}


def _check(frames: list, challenge, once=None) -> tuple[bool, tuple[str, ...], float]:
    """Decision, reasons and ms per frame; ``once`` where this check_video takes one (main's
    took a set of used nonces instead)."""
    kwargs = {}
    if once is not None:
        params = inspect.signature(check_video).parameters
        kwargs = {"once": once} if "once" in params else {"used_nonces": once}
    t = time.perf_counter()
    r = check_video(frames, challenge=challenge, now=challenge.issued_at + 1, **kwargs)
    ms = (time.perf_counter() - t) * 1000 / len(frames)
    if LOG["video"]:
        done = [f"{s['action']}@{s['t']}" if s["done"] else f"{s['action']}:missed" for s in r.challenges]
        cues = " ".join(f"{k}={v:.3g}" for k, v in r.cues.items() if k != "frames")
        print(f"  video live={r.live} reasons={list(r.reasons)} steps={done} {cues}", flush=True)
    return r.live, r.reasons, ms


class VideoTally:
    def __init__(self) -> None:
        self.rows: dict[tuple[str, str], list[tuple[bool, tuple[str, ...]]]] = defaultdict(list)
        self.ms: list[float] = []

    def add(self, species: str, variant: str, result: tuple[bool, tuple[str, ...], float]) -> None:
        if LOG["video"]:  # names the video the line above logged
            print(f"  ^ {species} | {variant}", flush=True)
        self.rows[(species, variant)].append(result[:2])
        self.ms.append(result[2])


def run_video(tally: VideoTally, split: str, per_variant: int) -> None:
    """``per_variant`` videos for every genuine condition and every attack variant of ``split``."""
    plan = SPLITS[split]
    sources = video_sources(split)
    own = plan.get("sensor") == OWN
    # every camera's, the screen's stream's too; OWN: the genuine conditions' own, attacks i.i.d.
    sensor = "iid" if own else cast("str", plan.get("sensor", "iid"))
    nonce_condition = plan.get("nonce_condition", "plain")
    counter = 0

    def draw() -> tuple[str, np.ndarray, np.ndarray, np.random.Generator, random.Random]:
        nonlocal counter
        counter += 1
        name, rgb, pts = sources[counter % len(sources)]
        seed = SEED_BASE[split] + counter
        return name, rgb, pts, np.random.default_rng(seed), random.Random(seed)

    def challenge(pick: random.Random) -> Challenge:
        """A new challenge; a split that lists ``steps`` gets those, in turn, drawn the same way."""
        c = new_challenge(pick, n=2)
        fixed = cast("list[tuple[str, ...]]", plan.get("steps", []))
        return dataclasses.replace(c, steps=fixed[counter % len(fixed)]) if fixed else c

    for _ in range(per_variant):
        for cond in plan["conditions"]:
            method = plan["method"][counter % len(plan["method"])]
            _, rgb, pts, rng, pick = draw()
            c = challenge(pick)
            capture, fps, keep = CONDITIONS.get(cond, (synth_video.HARD.get(cond), 15.0, 1.0))
            capture = capture or synth_video.Capture()
            capture = capture if own else dataclasses.replace(capture, sensor=sensor)
            video = synth_video.animate(rgb, pts, c.steps, rng, fps, method=method, capture=capture)
            video = _browser_drops(video, keep, rng)
            tally.add("bona fide (video)", cond, _check(video, c))
            if cond == nonce_condition:  # the same session's video sent again with its challenge
                once = MemoryOnce() if "once" in inspect.signature(check_video).parameters else set()
                _check(video, c, once)
                tally.add("replayed session (nonce)", method, _check(video, c, once))
        for i, kw in enumerate(plan["print"]):
            _, rgb, pts, rng, pick = draw()
            tally.add(
                "print moved",
                f"v{i} {kw}",
                _check(synth_video.print_moved(rgb, rng, 4.0, sensor=sensor, **kw), challenge(pick)),
            )
        for i, kw in enumerate(plan["cutout"]):
            _, rgb, pts, rng, pick = draw()
            c = challenge(pick)
            video = synth_video.cutout(rgb, pts, c.steps, rng, sensor=sensor, **kw)
            tally.add("cut-out mask", f"v{i} {kw}", _check(video, c))
        for i, screen in enumerate(plan["screen"]):
            _, rgb, pts, rng, pick = draw()
            c = challenge(pick)
            other = [a for a in ACTIONS if a not in c.steps]
            method = plan["method"][0]
            show = _screen_renderer(screen)
            label = f"v{i} {type(screen).__name__} pitch {screen.pitch}"
            phone = synth_video.Capture(sensor=sensor)
            recorded = synth_video.animate(rgb, pts, other, rng, method=method, capture=phone)
            shown = show(recorded, rng, screen, sensor=sensor)
            tally.add("screen replay (other challenge)", label, _check(shown, c))
            live = synth_video.animate(rgb, pts, c.steps, rng, method=method, capture=phone)
            tally.add(
                "screen relay (right challenge)", label, _check(show(live, rng, screen, sensor=sensor), c)
            )
        for i, kw in enumerate(plan["expression"]):
            _, rgb, pts, rng, pick = draw()
            steps = ("open_mouth", "blink") if kw["kind"] != "squint" else ("blink", "open_mouth")
            c = dataclasses.replace(new_challenge(pick, n=2), steps=steps)
            tally.add(
                "still expression",
                f"v{i} {kw}",
                _check(synth_video.still_expression(rgb, pts, rng, 4.0, sensor=sensor, **kw), c),
            )
        for mode in plan["injection"]:
            _, rgb, pts, rng, pick = draw()
            c = challenge(pick)
            video = synth_video.injected(rgb, pts, c.steps, rng, mode=mode, method=plan["method"][0])
            tally.add("injected frames", mode, _check(video, c))


def _screen_renderer(screen: synth_video.Screen | synth_video.Subpixels | synth_panel.Panel):
    """A painted grid (``on_screen``), a screen rendered from its subpixels at the frame's
    pixels (``on_subpixel_screen``) or at the phone sensor's (``synth_panel.on_panel``)."""
    if isinstance(screen, synth_panel.Panel):
        return synth_panel.on_panel
    if isinstance(screen, synth_video.Subpixels):
        return synth_video.on_subpixel_screen
    return synth_video.on_screen


def _browser_drops(video: list, keep: float, rng: np.random.Generator) -> list:
    """What a loaded browser's encoder keeps: each frame with probability ``keep``, never a
    gap over 0.25 s (Chromium kept 25-63 of ~90 frames); timestamps kept."""
    if keep >= 1.0:
        return video
    out = [video[0]]
    for t, img in video[1:]:
        if rng.random() < keep or t - out[-1][0] >= 0.25:
            out.append((t, img))
    return out


def report_video(tally: VideoTally, split: str) -> None:
    """Per species and per variant: errors (APCER: attacks accepted; BPCER: bona fide refused),
    their rate and its 95 % upper bound; the reasons given; the cost per frame."""
    print(f"\nactive video, {split} variants ({', '.join(VIDEO_SOURCES[split])})")
    print(f"{'species / variant':58} {'n':>4} {'errors':>6} {'rate':>6} {'95% up':>7}  reasons (most common)")
    species = ["bona fide (video)", *VIDEO_SPECIES]
    for sp in species:
        keys = [k for k in tally.rows if k[0] == sp]
        if not keys:
            continue
        bona = sp.startswith("bona fide")
        for label, rows in [(f"{sp} — all", [r for k in keys for r in tally.rows[k]])] + [
            (f"   {k[1]}", tally.rows[k]) for k in keys
        ]:
            errors = sum((not live) if bona else live for live, _ in rows)
            counts: dict[str, int] = defaultdict(int)
            for _live, reasons in rows:
                for r in reasons:
                    counts[r.split(":")[0]] += 1
            common = ", ".join(f"{r} {c}" for r, c in sorted(counts.items(), key=lambda x: -x[1])[:3])
            print(
                f"{label[:58]:58} {len(rows):4d} {errors:6d} {100 * errors / len(rows):5.1f}% "
                f"{100 * _upper(errors, len(rows)):6.1f}%  {'BPCER' if bona else 'APCER'}  {common}"
            )
    ms = sorted(tally.ms)
    if ms:
        print(
            f"active frame (check_video / frames): p50 {statistics.median(ms):.1f} ms   "
            f"p95 {ms[int(0.95 * (len(ms) - 1))]:.1f} ms"
        )


def public_samples() -> None:
    print("public samples (Silent-Face-Anti-Spoofing):")
    for name in ("image_F1.jpg", "image_F2.jpg", "image_T1.jpg"):
        r = check_image(DATA / "liveness" / name)
        print(f"  {name}: live={r.live} score={r.score:.2f} reasons={list(r.reasons)}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, default=8, help="passive images per held-out source and variant")
    ap.add_argument(
        "--videos",
        type=int,
        default=12,
        help="videos per genuine condition and per attack variant (held-out split)",
    )
    ap.add_argument("--video-split", choices=tuple(SPLITS), default="held_out")
    ap.add_argument(
        "--passive-split",
        choices=(*PASSIVE_SPLITS, "all", "tune"),
        default="all",
        help="passive variants: held out from the start, added fresh later (pad_data.FRESH, "
        "pad_data.FRESH2, ..., FRESH15), or all of them, each reported apart; 'tune': the tuning "
        "variants on the fitting faces (pad_data.TUNE), never a held-out figure",
    )
    ap.add_argument("--video-only", action="store_true", help="only the active (video) part")
    ap.add_argument(
        "--video-log",
        action="store_true",
        help="one line per video: decision, every reason, the steps done and every cue's value",
    )
    ap.add_argument(
        "--baseline-model",
        help="a pad_model.json to judge the same passive images with as well (before/after in one run)",
    )
    args = ap.parse_args()
    LOG["video"] = args.video_log
    if args.video_only:
        video = VideoTally()
        t0 = time.perf_counter()
        run_video(video, args.video_split, args.videos)
        report_video(video, args.video_split)
        took = time.perf_counter() - t0
        print(f"{took:.0f} s. Generated set: a regression check, not a certification figure.")
        return
    public_samples()
    t0 = time.perf_counter()
    baseline = json.loads(Path(args.baseline_model).read_text()) if args.baseline_model else None
    for split in PASSIVE_SPLITS if args.passive_split == "all" else (args.passive_split,):
        if args.seeds:
            after, before = run_passive(args.seeds, split, baseline)
            if baseline is not None:
                print(f"\nBEFORE: {args.baseline_model}")
                report_passive(before, split)
                print("\nAFTER: the shipped model")
            report_passive(after, split)
    if args.videos:
        video = VideoTally()
        run_video(video, args.video_split, args.videos)
        report_video(video, args.video_split)
    print(
        f"\n{args.seeds} images per held-out source and variant, "
        f"{args.videos} videos per condition and variant; "
        f"{time.perf_counter() - t0:.0f} s. Generated set: a regression check, not a certification figure."
    )


if __name__ == "__main__":
    main()
