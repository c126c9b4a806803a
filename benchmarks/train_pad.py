"""Fit the passive detector (``kyc_sdk/liveness/pad_model.json``) on generated images.

Only the fitting split of ``pad_data.py`` is used: its source faces and, per species, its
variants. Before writing the model it prints a leave-one-variant-out check inside the
fitting split (fit without one variant, score that variant), so a variant the model only
knows by heart shows up here, before the held-out figures of ``liveness_eval.py``.

The model: gradient-boosted trees of depth 3 on the logistic loss (Newton leaves, L2),
classes weighted equally. The threshold refuses at most ``--bpcer`` of the fitting bona
fide images, each scored by a model fitted without its variant, counting those that
``passive`` refuses before any model (capture quality) in that share.

Run: ``.venv/bin/python benchmarks/train_pad.py [--seeds 3]`` (a few minutes). Caches in
/tmp (``pad_image_cache``): the generated images, keyed by a digest of the generator's code
through its imports and reused only where the cache's manifest lists their bytes, and the
features measured on them, keyed by the image's SHA-256 and the measuring code.
"""

from __future__ import annotations

import argparse
import inspect
import json
import tempfile
import time
from pathlib import Path

import numpy as np
import pad_data
from pad_image_cache import ImageCache, generator_digest

from kyc_sdk.errors import ImageRejected
from kyc_sdk.liveness import _faces, cues, features, pad_model, passive, synth, synth_variants

OUT = Path(__file__).resolve().parents[1] / "kyc_sdk" / "liveness" / "pad_model.json"
FEATURES = [
    "periodic",
    "periodic_chroma",
    "hf_ratio",
    "slope",
    "noise",
    "chroma_noise",
    "cr",
    "cb",
    "cr_spread",
    "cb_spread",
    "sat",
    "sat_spread",
    "skin_chroma",
    "glare",
    "frame",
    "depth",
    "sharpness",
    "lbp1_irregular",
    "lbp1_flat",
    "lbp1_entropy",
    "lbp2_irregular",
    "lbp2_flat",
    "lbp2_entropy",
    "floor",
    "highlight",
    "chroma_p90",
    "hue",
]
DEPTH, ROUNDS, RATE, L2, MIN_LEAF = 3, 100, 0.1, 2.0, 12
#: +1: a larger value may only raise the attack odds; -1: only lower them. Where physics
#: gives a direction, the trees may not learn the opposite from one generator's quirks.
DIRECTION = {
    "periodic": 1,
    "periodic_chroma": 1,
    "glare": 1,
    "frame": 1,
    "skin_chroma": -1,
    "sat": -1,
    "cr": -1,
    "chroma_p90": -1,
}


def _measured(img: np.ndarray) -> dict[str, float] | None:
    try:
        return features.measure(img, _faces.box_of(_faces.one_face(img), img.shape))
    except ImageRejected:
        return None  # no usable face: never reaches the model


def _image_digest(sensors: tuple[str, ...]) -> str:
    """What the fitting images depend on: the generator's code as far as its imports reach,
    the source photos, and the cameras asked for (the same names through other cameras are
    other images)."""
    here = Path(__file__).resolve().parent
    return generator_digest(
        [here / "pad_data.py", Path(inspect.getfile(synth_variants)), Path(inspect.getfile(synth))],
        [pad_data.DATA / n for n in pad_data.FIT_SOURCES],
        extra=repr(sensors),
    )


def collect(
    seeds: int, sensors: tuple[str, ...] = ()
) -> tuple[np.ndarray, np.ndarray, list[tuple[str, str, str, str]], np.ndarray]:
    """Features of every fitting image (``pad_image_cache``: images drawn by this very
    generator are reused, features measured by this very code on those very pixels), and
    which images ``passive`` refuses before the model is asked (quality)."""
    measuring = generator_digest([Path(inspect.getfile(m)) for m in (features, cues, _faces, passive)])
    cache = ImageCache(Path(tempfile.gettempdir()), _image_digest(sensors), measuring[:16])
    known: dict[tuple[str, str, str, int], dict[str, float] | None] = {}
    sources = [pad_data.load(n) for n in pad_data.FIT_SOURCES]
    making: list[tuple[str, str, str, int]] = []

    def measured(sha: str, img: np.ndarray) -> dict[str, float] | None:
        hit, found = cache.features(sha)
        if not hit:
            found = _measured(img)
            cache.remember(sha, found)
        return found

    def cached(species: str, variant: str, src: str, s: int) -> bool:
        key = (species, variant, src, s)
        got = cache.image("__".join(map(str, key)))
        if got is None:
            making.append(key)  # the next image made is this one
            return False
        known[key] = measured(got[1], got[0])
        return True

    fit_images = pad_data.images(sources, pad_data.FIT, seeds, skip=cached, sensors=sensors)
    for n, (_species, _variant, _src, img) in enumerate(fit_images, 1):
        key = making[-1]
        known[key] = measured(cache.put("__".join(map(str, key)), img), img)
        if n % 50 == 0:
            cache.save()  # an interrupted run keeps what it drew
    cache.save()
    if cache.redrawn:
        print(f"{len(cache.redrawn)} images in {cache.dir} not drawn by this generator: drawn again")
    rows, ys, tags = [], [], []
    for species, names in pad_data.FIT.items():
        for j, variant in enumerate(names):
            for k, src in enumerate(sources):
                for s in range(seeds):
                    r = known.get((species, variant, src.name, s))
                    if r is not None:
                        rows.append(r)
                        ys.append(0 if species == "bona_fide" else 1)
                        tags.append(
                            (
                                species,
                                variant,
                                src.name,
                                pad_data.sensor_of(sensors, k, j, s) if sensors else "own",
                            )
                        )
    x = np.array([pad_model.inputs(r, FEATURES) for r in rows])
    return x, np.array(ys), tags, np.array([passive.refused_outside_model(r) for r in rows])


def _tree(x: np.ndarray, g: np.ndarray, h: np.ndarray, cuts: list[np.ndarray]) -> list[dict]:
    """One tree, every candidate split of a node scored at once: ``bins[:, f]`` is the first
    cut at or above each value, so ``x <= cuts[f][k]`` is ``bins <= k`` and a node's left
    sums for every cut are cumulative sums of its per-bin sums."""
    nodes: list[dict] = []
    bins = np.stack([np.searchsorted(c, x[:, f], side="left") for f, c in enumerate(cuts)], axis=1)

    def grow(idx: np.ndarray, depth: int) -> int:
        me = len(nodes)
        gs, hs = g[idx].sum(), h[idx].sum()
        nodes.append({"v": float(-gs / (hs + L2))})
        if depth == DEPTH or len(idx) < 2 * MIN_LEAF:
            return me
        best, split = 0.0, (0, 0.0)
        for f, thresholds in enumerate(cuts):
            m = len(thresholds)
            b = bins[idx, f]
            n = np.cumsum(np.bincount(b, minlength=m + 1))[:m]
            gl = np.cumsum(np.bincount(b, weights=g[idx], minlength=m + 1))[:m]
            hl = np.cumsum(np.bincount(b, weights=h[idx], minlength=m + 1))[:m]
            ok = (n >= MIN_LEAF) & (len(idx) - n >= MIN_LEAF)
            d = DIRECTION.get(FEATURES[f], 0)
            if d:  # the right (larger) side may not be less of an attack than the left
                ok &= d * (-(gs - gl) / (hs - hl + L2) + gl / (hl + L2)) >= 0
            gain = gl**2 / (hl + L2) + (gs - gl) ** 2 / (hs - hl + L2) - gs**2 / (hs + L2)
            gain = np.where(ok, gain, 0.0)
            k = int(np.argmax(gain))
            if gain[k] > best:
                best, split = float(gain[k]), (f, float(thresholds[k]))
        if best <= 1e-6:
            return me
        f, t = split
        left = x[idx, f] <= t
        nodes[me].update(f=f, t=round(t, 6))
        nodes[me]["l"] = grow(idx[left], depth + 1)
        nodes[me]["r"] = grow(idx[~left], depth + 1)
        return me

    grow(np.arange(len(x)), 0)
    return nodes


def _predict_tree(nodes: list[dict], x: np.ndarray) -> np.ndarray:
    out = np.empty(len(x))

    def walk(i: int, idx: np.ndarray) -> None:
        if "f" not in nodes[i]:
            out[idx] = nodes[i]["v"]
            return
        left = x[idx, nodes[i]["f"]] <= nodes[i]["t"]
        walk(nodes[i]["l"], idx[left])
        walk(nodes[i]["r"], idx[~left])

    walk(0, np.arange(len(x)))
    return out


#: features that tell of one physical trace each (``pad_model.TRACES``); ``frame`` is left
#: out: straight edges alone are a door or a window behind a live face
GROUPS = [list(f) for trace, f in pad_model.TRACES.items() if trace != "frame_edges"]
AUGMENTED_WEIGHT = 0.4


def one_trace_at_a_time(
    x: np.ndarray, y: np.ndarray, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Attack rows that keep ONE group of features and take every other from a random bona
    fide row. Generated attacks show every trace at once, so trees learn the loudest one
    (a halftone) and ignore colour or glare; an attack from another printer may show only
    one trace, and must still be caught by it."""
    attacks, bona = x[y == 1], x[y == 0]
    low, high = np.quantile(bona, 0.02, axis=0), np.quantile(bona, 0.98, axis=0)
    rows = []
    for group in GROUPS:
        keep = [FEATURES.index(f) for f in group if f in FEATURES]
        # only where this trace is outside what live faces show: otherwise the made row
        # would be a live face labelled attack
        odd = attacks[((attacks[:, keep] < low[keep]) | (attacks[:, keep] > high[keep])).any(axis=1)]
        made = bona[rng.integers(0, len(bona), len(odd))].copy()
        made[:, keep] = odd[:, keep]
        rows.append(made)
    made = np.vstack(rows)
    return made, np.ones(len(made))


def fit(x: np.ndarray, y: np.ndarray) -> dict:
    extra, extra_y = one_trace_at_a_time(x, y, np.random.default_rng(0))
    n_real = len(y)
    x, y = np.vstack([x, extra]), np.r_[y, extra_y]
    share = np.r_[np.ones(n_real), np.full(len(extra_y), AUGMENTED_WEIGHT)]
    weight = np.where(y == 1, 0.5 / share[y == 1].sum(), 0.5 / share[y == 0].sum()) * share * len(y)
    base = float(np.log(np.average(y, weights=weight) / (1 - np.average(y, weights=weight))))
    cuts = [np.unique(np.quantile(x[:, f], np.linspace(0.03, 0.97, 24))) for f in range(x.shape[1])]
    z, trees = np.full(len(y), base), []
    for _ in range(ROUNDS):
        p = 1 / (1 + np.exp(-z))
        nodes = _tree(x, weight * (p - y), weight * p * (1 - p), cuts)
        trees.append(nodes)
        z += RATE * _predict_tree(nodes, x)
    return {"base": base, "rate": RATE, "trees": trees}


def predict(m: dict, x: np.ndarray) -> np.ndarray:
    z = m["base"] + m["rate"] * sum(_predict_tree(t, x) for t in m["trees"])
    return 1 / (1 + np.exp(-z))


def threshold(p_bona: np.ndarray, bpcer: float, refused: np.ndarray | None = None) -> float:
    """The lowest attack probability that refuses at most ``bpcer`` of the bona fide, the
    ones ``refused`` anyway (by rules outside the model) counted in that share."""
    if refused is not None and refused.any():
        n, gone = len(p_bona), int(refused.sum())
        p_bona, bpcer = p_bona[~refused], max(bpcer * n - gone, 0.0) / max(n - gone, 1)
    return float(min(np.quantile(p_bona, 1 - bpcer) + 1e-6, 0.99)) if len(p_bona) else 0.5


def out_of_variant(x: np.ndarray, y: np.ndarray, tags: list) -> np.ndarray:
    """Each image's attack probability from a model fitted without its variant."""
    p = np.empty(len(y))
    for species, names in pad_data.FIT.items():
        for variant in names:
            out = np.array([t[0] == species and t[1] == variant for t in tags])
            if out.any():
                p[out] = predict(fit(x[~out], y[~out]), x[out])
    return p


def report(p: np.ndarray, y: np.ndarray, tags: list, t: float) -> None:
    cameras = sorted({tg[3] for tg in tags})
    print(
        f"leave-one-variant-out inside the fitting split at threshold {t:.3f} "
        f"(attacks accepted / bona fide refused, per camera: {', '.join(cameras)}):"
    )
    for species, names in pad_data.FIT.items():
        for variant in names:
            per = []
            for sensor in cameras:
                out = np.array([tg[0] == species and tg[1] == variant and tg[3] == sensor for tg in tags])
                wrong = int((p[out] < t).sum()) if species != "bona_fide" else int((p[out] >= t).sum())
                per.append(f"{wrong:3d}/{int(out.sum())}")
            print(f"  {species:10} {variant:28} {'  '.join(per)}")


def camera_shift(x: np.ndarray, y: np.ndarray, tags: list) -> dict[str, float]:
    """How far each model input moves between the fitting cameras on bona fide (Bayer median
    minus i.i.d. median, in units of the bona fide's interquartile range), beside how far it
    moves from bona fide to attacks (same unit): a feature that moves more with the camera
    than with the attack tells the camera, not the attack."""
    sensor = np.array([tg[3] for tg in tags])
    bona = y == 0
    out = {}
    print("camera shift on fitting bona fide (bayer - iid) and attack shift, in bona fide IQRs:")
    for f, name in enumerate(FEATURES):
        iqr = np.subtract(*np.percentile(x[bona, f], [75, 25])) or 1e-9
        cam = (np.median(x[bona & (sensor == "bayer"), f]) - np.median(x[bona & (sensor == "iid"), f])) / iqr
        atk = (np.median(x[y == 1, f]) - np.median(x[bona, f])) / iqr
        out[name] = float(cam)
        print(f"  {name:16} camera {cam:+6.2f}   attack {atk:+6.2f}")
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, default=3, help="images per source and variant")
    ap.add_argument(
        "--bpcer", type=float, default=0.05, help="bona fide refused, out of variant, on the fitting split"
    )
    ap.add_argument("--no-write", action="store_true")
    ap.add_argument(
        "--sensors",
        nargs="*",
        default=list(pad_data.FIT_SENSORS),
        help="cameras drawn per fitting image (synth_variants.camera; default: each variant's own)",
    )
    ap.add_argument(
        "--shift-only", action="store_true", help="print the camera shift (--sensors iid bayer) and stop"
    )
    ap.add_argument("--out", type=Path, default=OUT, help="where to write the model (to compare fits)")
    ap.add_argument("--drop", nargs="*", default=[], help="features left out (to compare fits)")
    args = ap.parse_args()
    FEATURES[:] = [f for f in FEATURES if f not in args.drop]
    t0 = time.perf_counter()
    x, y, tags, refused = collect(args.seeds, tuple(args.sensors))
    print(f"{len(y)} images ({int(y.sum())} attacks), {time.perf_counter() - t0:.0f} s", flush=True)
    if "bayer" in args.sensors and "iid" in args.sensors:
        camera_shift(x, y, tags)
    if args.shift_only:
        return
    # the threshold comes from variants each model did not see: in-sample scores of
    # boosted trees are far too confident to set it
    p = out_of_variant(x, y, tags)
    t = threshold(p[y == 0], args.bpcer, refused[y == 0])
    print(f"bona fide refused before the model (capture quality): {int(refused[y == 0].sum())}")
    report(p, y, tags, t)
    m = fit(x, y)
    print(
        f"threshold {t:.3f}; fitting split: attacks accepted {int((predict(m, x[y == 1]) < t).sum())}"
        f"/{int(y.sum())}"
    )
    if not args.no_write:
        args.out.write_text(
            json.dumps(
                {
                    "about": "passive PAD, boosted trees; written by benchmarks/train_pad.py, do not edit",
                    "features": FEATURES,
                    "threshold": round(t, 6),
                    **m,
                    "seeds": args.seeds,
                    "fit_sensors": args.sensors,
                    "fit_sources": pad_data.FIT_SOURCES,
                    "fit_variants": pad_data.FIT,
                },
                separators=(",", ":"),
            )
            + "\n"
        )
        print(f"wrote {args.out} ({args.out.stat().st_size // 1024} KB)")


if __name__ == "__main__":
    main()
