"""The capture-quality gate (RETRY for a face with too little detail) on the face groups.

A genuine photo pair beyond the shipped threshold is a miss, unless ``match()`` flags
either face (``match.photo_reasons``: less than ``RELIABLE_FACE`` pixels of detail,
``resolution.effective_size``, or a print's grain): then registration asks for another
photo (RETRY). "After" is the library's own gate (``faces_eval.gate_size``). This script draws
the captures of ``faces_eval.py``'s groups (the same seeds, variants and draws), encodes
them as ``match()`` does (photo against photo) and reports, for the gate before stop 18
(noise counted as detail, no resampling comb: ``stop15_size``) and after it, at the shipped threshold:
- FNMR among the pairs the gate accepts (neither face flagged), 95 % interval;
- the cost: good captures (an original, a re-crop, a mirror image, an exposure change or
  a large sharp face, of ``RELIABLE_FACE`` px or more) flagged, and genuine pairs of two
  good captures sent to RETRY;
- impostor FMR among the accepted pairs (a match stays a match: over all pairs it does
  not depend on the gate), observed and 95 % upper;
- per variant (its pairs with an original), the misses the gate lets through.

``--gate-tune`` is the development draw (seed 11: the calibration's captures plus
``GATE_TUNE_VARIANTS``, each from its own stream); the other options are held out from it:
``--fresh 2026``, ``--new-group``, ``--detail-group``, ``--light-group``, ``--blur-group``
(``faces_eval.py``'s), ``--gate-group`` (stop 18's, ``GATE_GROUP_SEED``) and
``--capture-group`` (stop 19's, ``CAPTURE_GROUP_SEED``), ``--codec-group`` (stop 19's
hard codecs, ``CODEC_GROUP_SEED``), ``--small-group`` (stop 20's small faces that lost
detail two ways at once, ``SMALL_GROUP_SEED``) and ``--printlight-group`` (stop 21's scanned
and photographed prints and hard light, ``PRINTLIGHT_GROUP_SEED``) and ``--grain-group``
(stop 22's prints whose grain no tuning print has: an error-diffused inkjet photographed, a
clustered FM laser print and newsprint, ``GRAIN_GROUP_SEED``) and ``--dither-group`` (stop
23's ordered-dither prints of cells and angles no tuning draw has, scanned and
photographed, and honest photos with periodic content, ``DITHER_GROUP_SEED``) and
``--textile-group`` (stop 24's honest photos whose textiles reach over or up to the face,
and prints of several kinds, ``TEXTILE_GROUP_SEED``) and ``--exposure-group`` (stop 24's
honest photos under light and white balance nothing tunes on, with and without a
headscarf, and colour prints seen again under such light, ``EXPOSURE_GROUP_SEED``) and
``--lowlight-group`` (stop 25's honest photos under poor light, sensor noise and a demosaic
nothing tunes on, half in a headscarf, ``LOWLIGHT_GROUP_SEED``) and ``--occlusion-group``
(stop 25's faces partly covered by occluders nothing tunes on, and headscarves framing the
face uncovered, ``OCCLUSION_GROUP_SEED``) and ``--occlusion2-group`` (stop 25's: those
occluders redrawn and new styles of the same kinds, ``OCCLUSION2_GROUP_SEED``) and
``--hardlight-group`` (stop 26's: the low lights and occluders redrawn and new styles of
each, for the encoder's input, ``HARDLIGHT_GROUP_SEED``) and ``--eyes-group`` (stop 27's
eye covers nothing tunes on, and clear glasses, ``EYES_GROUP_SEED``).
``--eyes-tune`` is stop 27's development draw: ``--occlusion-tune``'s and eyes covered
(sunglasses, a hand, hair, a patch) by covers of its own (``EYES_TUNE_VARIANTS``).
``--occlusion-tune`` is stop 25's development draw: ``--dither-tune``'s and faces partly
covered of its own (``OCCLUSION_TUNE_VARIANTS``).
``--light-tune`` is stop
25's development draw: ``--dither-tune``'s and honest photos under poor light of its own
(``LIGHT_TUNE_VARIANTS``).
``--dither-tune`` is stop 23's development draw: ``--grain-tune``'s and the 4x4 Bayer
print scanned (``DITHER_TUNE_VARIANTS``). ``--grain-tune`` is stop 22's
development draw: ``--gate-tune``'s and a blue-noise FM print scanned
(``GRAIN_TUNE_VARIANTS``).

Run: ``cd benchmarks; nice -n 10 python gate_eval.py --gate-tune``; with no draw named it
reports the gate group (what ``run_all.py`` shows: it runs every benchmark without
arguments, and a gate benchmark that insisted on a draw failed there).
"""

from __future__ import annotations

import argparse
import collections
import itertools

import faces_eval as fe
import numpy as np
from bounds import interval95, upper95

from kyc_sdk import faces
from kyc_sdk.faces.calibration import default_threshold
from kyc_sdk.faces.match import RELIABLE_FACE
from kyc_sdk.faces.resolution import (
    COARSE,
    box_grey,
    detail_size,
    enlargement,
    shrink_size,
)

GOOD = {"original", "recrop", "mirror", "exposure", "sharp_large", "patterned_scarf", "moire_selfie"}
GOOD |= set(fe.TEXTILE_HONEST) | set(fe.EXPOSURE_HONEST) | set(fe.LIGHT_CAPTURES)
GOOD |= set(fe.occlusion_captures.UNCOVERED)
BASE = fe.VARIANTS + fe.FRESH_VARIANTS
# group -> (seed, variants, with the new identity), as faces_eval.main() draws them
GROUPS = {
    "fresh": (None, BASE, False),
    "new": (fe.NEW_GROUP_SEED, BASE + fe.NEW_VARIANTS, True),
    "detail": (fe.DETAIL_GROUP_SEED, BASE + fe.NEW_VARIANTS + fe.DETAIL_VARIANTS, True),
    "light": (
        fe.LIGHT_GROUP_SEED,
        BASE + fe.NEW_VARIANTS + fe.DETAIL_VARIANTS + fe.LIGHT_VARIANTS,
        True,
    ),
    "blur": (
        fe.BLUR_GROUP_SEED,
        BASE + fe.NEW_VARIANTS + fe.DETAIL_VARIANTS + fe.LIGHT_VARIANTS + fe.BLUR_VARIANTS,
        True,
    ),
    "gate": (fe.GATE_GROUP_SEED, BASE + fe.GATE_GROUP_VARIANTS, True),
    "capture": (fe.CAPTURE_GROUP_SEED, BASE + fe.CAPTURE_GROUP_VARIANTS, True),
    "codec": (fe.CODEC_GROUP_SEED, BASE + fe.CODEC_GROUP_VARIANTS, True),
    "small": (fe.SMALL_GROUP_SEED, BASE + fe.SMALL_GROUP_VARIANTS, True),
    "printlight": (fe.PRINTLIGHT_GROUP_SEED, BASE + fe.PRINTLIGHT_GROUP_VARIANTS, True),
    "grain": (fe.GRAIN_GROUP_SEED, BASE + fe.GRAIN_GROUP_VARIANTS, True),
    "dither": (fe.DITHER_GROUP_SEED, BASE + fe.DITHER_GROUP_VARIANTS, True),
    "textile": (fe.TEXTILE_GROUP_SEED, BASE + fe.TEXTILE_GROUP_VARIANTS, True),
    "exposure": (fe.EXPOSURE_GROUP_SEED, BASE + fe.EXPOSURE_GROUP_VARIANTS, True),
    "lowlight": (fe.LOWLIGHT_GROUP_SEED, BASE + fe.LOWLIGHT_HONEST, True),
    "occlusion": (fe.OCCLUSION_GROUP_SEED, BASE + fe.OCCLUSION_HELD_OUT, True),
    "occlusion2": (fe.OCCLUSION2_GROUP_SEED, BASE + fe.OCCLUSION2_VARIANTS, True),
    "hardlight": (fe.HARDLIGHT_GROUP_SEED, BASE + fe.HARDLIGHT_VARIANTS, True),
    "eyes": (fe.EYES_GROUP_SEED, BASE + fe.EYES_HELD_OUT, True),
}
# the development draws: --gate-tune's variants and these
TUNE_EXTRA = {
    "tune": (),
    "encoding-tune": fe.ENCODING_TUNE_VARIANTS,
    "grain-tune": fe.GRAIN_TUNE_VARIANTS,
    "dither-tune": fe.GRAIN_TUNE_VARIANTS + fe.DITHER_TUNE_VARIANTS,
    "light-tune": fe.GRAIN_TUNE_VARIANTS + fe.DITHER_TUNE_VARIANTS + fe.LIGHT_TUNE_VARIANTS,
    "occlusion-tune": fe.GRAIN_TUNE_VARIANTS + fe.DITHER_TUNE_VARIANTS + fe.OCCLUSION_TUNE_VARIANTS,
    "eyes-tune": fe.GRAIN_TUNE_VARIANTS
    + fe.DITHER_TUNE_VARIANTS
    + fe.OCCLUSION_TUNE_VARIANTS
    + fe.EYES_TUNE_VARIANTS,
}
# the --<name>-group options
HELD_OUT = (
    "new",
    "detail",
    "light",
    "blur",
    "gate",
    "capture",
    "codec",
    "small",
    "printlight",
    "grain",
    "dither",
    "textile",
    "exposure",
    "lowlight",
    "occlusion",
    "occlusion2",
    "hardlight",
    "eyes",
)


def draw(group: str, fresh_seed: int | None = None) -> list[fe.Found]:
    """The captures of ``group`` (``tune``: the development draw; ``encoding-tune``: it and
    ``ENCODING_TUNE_VARIANTS``, stop 21's; ``grain-tune``: it and ``GRAIN_TUNE_VARIANTS``,
    stop 22's)."""
    if group in TUNE_EXTRA:
        found = fe.collect()
        captured, _ = fe.with_variants(found, seed=fe.SEED, names=fe.VARIANTS)
        extra = TUNE_EXTRA[group]
        for name in fe.GATE_TUNE_VARIANTS + extra:  # each variant from its own stream
            seed = fe.variant_stream(fe.SEED, fe.GATE_TUNE_STREAM, name)
            one, _ = fe.with_variants(found, seed=seed, names=(name,))
            captured += one[len(found) :]
        return captured
    group_seed, names, new_faces = GROUPS[group]
    found = fe.collect({**fe.LABELS, **fe.NEW_IDENTITIES} if new_faces else fe.LABELS)
    captured, _ = fe.with_variants(found, seed=fresh_seed if group_seed is None else group_seed, names=names)
    return captured


def measure(captured: list[fe.Found]) -> dict[str, np.ndarray]:
    """Per face: its encoding, box size, and the gate before stop 18 (``stop15_size``) and as
    the library has it now (``faces_eval.gate_size``: ``match.photo_reasons``)."""
    return {
        "encoding": np.stack([faces.encode_face(f.rgb, f.face) for f in captured]),
        "px": np.array([f.face.size for f in captured]),
        "before": np.array([stop15_size(f.rgb, f.face) for f in captured]),
        "after": np.array([fe.gate_size(f.rgb, f.face) for f in captured]),
    }


def stop15_size(rgb: np.ndarray, face: faces.Face) -> int:
    """The effective size as stop 15 shipped it: the shrink test alone, noise and JPEG
    block steps counted as detail, no resampling comb, no codec count."""
    grey = box_grey(rgb, face)
    if min(grey.shape) < 2 * COARSE:
        return face.size
    return detail_size(grey.astype(np.float32), face.size)


def stop18_size(rgb: np.ndarray, face: faces.Face) -> int:
    """The effective size as stop 19 began: no ``kept_width`` (the codec's count)."""
    grey = box_grey(rgb, face)
    if min(grey.shape) < 2 * COARSE:
        return face.size
    top, _, _, left = face.box
    return min(shrink_size(grey, top, left, face.size), int(face.size / enlargement(grey)))


def pair_index(captured: list[fe.Found]) -> dict[str, np.ndarray]:
    """Genuine and impostor pairs (indices into ``captured``) as ``faces_eval.kind`` has them."""
    samples = [fe.Sample(f.key, f.who, np.zeros(0)) for f in captured]
    out: dict[str, list[tuple[int, int]]] = {"genuine": [], "impostor": []}
    for i, j in itertools.combinations(range(len(samples)), 2):
        if k := fe.kind(samples[i], samples[j]):
            out[k].append((i, j))
    return {k: np.array(v, dtype=int).reshape(-1, 2) for k, v in out.items()}


def rate(k: int, n: int) -> str:
    lo, hi = interval95(k, n)
    return f"{k}/{n} = {k / n:.2%} ({lo:.2%}-{hi:.2%})" if n else "0/0"


def report(
    captured: list[fe.Found],
    m: dict[str, np.ndarray],
    pairs: dict[str, np.ndarray],
    labels: tuple[str, ...] = ("before", "after"),
) -> None:
    """The gate's figures for each effective-size measure ``m[label]`` of ``labels``."""
    t = default_threshold("photo")
    enc, variant = m["encoding"], [fe.variant_of(f.key) for f in captured]
    gen, imp = pairs["genuine"], pairs["impostor"]
    g_dist = np.linalg.norm(enc[gen[:, 0]] - enc[gen[:, 1]], axis=1)
    i_dist = np.linalg.norm(enc[imp[:, 0]] - enc[imp[:, 1]], axis=1)
    good = np.array([v in GOOD for v in variant]) & (m["px"] >= RELIABLE_FACE)
    k, n = int((i_dist <= t).sum()), len(i_dist)
    print(
        f"threshold {t:.2f}; {len(captured)} faces; no gate: "
        f"FNMR {rate(int((g_dist > t).sum()), len(g_dist))}; "
        f"FMR {k}/{n} = {k / n:.4%} (95 % upper {upper95(k, n):.4%})"
    )
    for label in labels:
        flagged = m[label] < RELIABLE_FACE
        g_flag = flagged[gen[:, 0]] | flagged[gen[:, 1]]
        i_flag = flagged[imp[:, 0]] | flagged[imp[:, 1]]
        both_good = good[gen[:, 0]] & good[gen[:, 1]]
        fm, acc = int((i_dist[~i_flag] <= t).sum()), int((~i_flag).sum())
        print(f"  gate {label}:")
        print(f"    FNMR among accepted pairs {rate(int((g_dist[~g_flag] > t).sum()), int((~g_flag).sum()))}")
        print(
            f"    genuine pairs sent to RETRY {rate(int((g_flag & (g_dist > t)).sum()), len(g_dist))}; "
            f"good faces flagged {rate(int(flagged[good].sum()), int(good.sum()))}; good genuine pairs "
            f"to RETRY {rate(int((g_flag & both_good & (g_dist > t)).sum()), int(both_good.sum()))}, "
            f"flagged {int((g_flag & both_good).sum())}"
        )
        print(
            f"    impostor FMR among accepted pairs {fm}/{acc} = {fm / max(acc, 1):.4%} (95 % upper "
            f"{upper95(fm, acc):.4%}); impostor pairs flagged {rate(int(i_flag.sum()), n)}"
        )
        print("    misses / let through per variant: " + per_variant(gen, g_dist, g_flag, variant, t))


def draw_from_args(
    description: str, fresh: bool = True, default: str | None = None
) -> tuple[str, list[fe.Found]]:
    """The one draw named on the command line (``--gate-tune``, a ``--<group>-group`` or
    ``--fresh SEED``), drawn: the argument parsing every gate benchmark shares. With none
    named, ``default`` (a held-out group) where given."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--gate-tune", action="store_true", help="the development draw (seed 11)")
    parser.add_argument(
        "--encoding-tune",
        action="store_true",
        help="the stop-21 development draw: --gate-tune's and the encoding's own hard light",
    )
    parser.add_argument(
        "--grain-tune",
        action="store_true",
        help="the stop-22 development draw: --gate-tune's and a blue-noise screen's scanned print",
    )
    parser.add_argument(
        "--dither-tune",
        action="store_true",
        help="the stop-23 development draw: --grain-tune's and the 4x4 Bayer print scanned (scanned_print)",
    )
    parser.add_argument(
        "--light-tune",
        action="store_true",
        help="the stop-25 development draw: --dither-tune's and honest photos under poor light",
    )
    parser.add_argument(
        "--occlusion-tune",
        action="store_true",
        help="the stop-25 development draw: --dither-tune's and faces partly covered",
    )
    parser.add_argument(
        "--eyes-tune",
        action="store_true",
        help="the stop-27 development draw: --occlusion-tune's and eyes covered",
    )
    if fresh:
        parser.add_argument("--fresh", type=int, metavar="SEED", help="faces_eval.py's --fresh draw")
    for group in HELD_OUT:
        parser.add_argument(f"--{group}-group", action="store_true", help=f"the {group} held-out group")
    args = parser.parse_args()
    seed = getattr(args, "fresh", None)
    chosen = [g for g in HELD_OUT if getattr(args, f"{g}_group")]
    chosen += ["fresh"] if seed is not None else []
    chosen += ["tune"] if args.gate_tune else []
    chosen += ["encoding-tune"] if args.encoding_tune else []
    chosen += ["grain-tune"] if args.grain_tune else []
    chosen += ["dither-tune"] if args.dither_tune else []
    chosen += ["light-tune"] if args.light_tune else []
    chosen += ["occlusion-tune"] if args.occlusion_tune else []
    chosen += ["eyes-tune"] if args.eyes_tune else []
    chosen = chosen or ([default] if default else [])
    if len(chosen) != 1:
        parser.error("name exactly one draw")
    return chosen[0], draw(chosen[0], seed)


def main() -> None:
    name, captured = draw_from_args(__doc__.split("\n")[0], default="gate")
    print(f"draw {name}: {len(captured)} faces")
    report(captured, measure(captured), pair_index(captured))


def per_variant(gen: np.ndarray, g_dist: np.ndarray, g_flag: np.ndarray, variant: list[str], t: float) -> str:
    """Each capture variant's genuine pairs against their original (or itself): how many,
    how many missed at ``t``, and how many of those the gate let through."""
    rows: dict[str, list[int]] = collections.defaultdict(lambda: [0, 0, 0])
    for (i, j), d, f in zip(gen, g_dist, g_flag, strict=True):
        va, vb = sorted((variant[i], variant[j]), key=lambda v: v != "original")
        if va in ("original", vb):
            rows[vb][0] += 1
            rows[vb][1] += bool(d > t)
            rows[vb][2] += bool(d > t and not f)
    return ", ".join(f"{v} {miss}/{through} of {n}" for v, (n, miss, through) in sorted(rows.items()))


if __name__ == "__main__":
    main()
