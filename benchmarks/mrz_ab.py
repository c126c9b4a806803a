"""ocr_eval's MRZ groups read by two source trees in one run, page by page, alternately.

Usage: .venv/bin/python benchmarks/mrz_ab.py BEFORE_TREE AFTER_TREE [--log FILE] -- OCR_EVAL_ARGS
  e.g. ``mrz_ab.py /work/main /work/wt-x -- --part mrz --mrz-groups real,fresh-documents8 --pages 60``

Each tree reads in its own worker process (``PYTHONPATH=TREE``, warmed up on one
development scan before the first page), so the two readers see the same images, in the
same run, under the same load; which of them reads a page first alternates page by page
(a reader second in line finds the image in the page cache and the CPU a little warmer).
The pages and the scoring are this tree's ``ocr_eval``: its report is printed once with
AFTER's readings, then once more with BEFORE's (read from this run's log; PassportEye is
run once). Then, per group, CPU seconds per page (each worker's process time around
``read_mrz``: in-process Tesseract and the one-thread ONNX recogniser included) p50 and
p95, before and after, their ratios, the pages read valid by each, and the pages whose
reading changed. Absolute seconds depend on the machine's load (printed); the ratios
come from pages read alternately and are the figure to quote (ocr_eval's own seconds and
CPU lines time this driver waiting, not a reader). ``--log``: one JSON line a page (both
readings, both CPU times).
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

HERE = Path(__file__).resolve().parent
# the groups ocr_eval reads MRZ pages in, by the function that reads them
GROUP_FUNCTIONS = (
    "mrz_real",
    "mrz_generated",
    "mrz_fresh",
    "mrz_captured",
    "mrz_fresh_states",
    "mrz_fresh_captures",
    "mrz_documents",
    "mrz_fresh_lookalikes",
    "mrz_fresh_documents6",
    "mrz_fresh_documents7",
    "mrz_fresh_documents8",
    "mrz_fresh_documents9",
    "mrz_fresh_documents10",
    "mrz_fresh_documents11",
    "mrz_fresh_documents12",
    "mrz_card_backs",
    "mrz",
)


def _worker() -> None:
    """Reads the images named on stdin (one JSON line each) with the kyc_sdk on PYTHONPATH."""
    import kyc_sdk
    from kyc_sdk.docs_ocr import read_mrz

    sys.stdout.write(json.dumps({"kyc_sdk": kyc_sdk.__file__}) + "\n")
    sys.stdout.flush()
    warm = Path(sys.argv[2])
    if warm.is_file():
        read_mrz(warm)
    for line in sys.stdin:
        path = json.loads(line)["path"]
        start = time.process_time()
        out = read_mrz(Path(path))
        cpu = time.process_time() - start
        sys.stdout.write(json.dumps({"out": out, "cpu": cpu}, default=str) + "\n")
        sys.stdout.flush()


def _key(image: Any) -> tuple[str, Path | None, bytes | None]:
    if isinstance(image, (str, Path)):
        data = Path(image).read_bytes()
        return hashlib.sha1(data).hexdigest(), Path(image), None
    data = bytes(image)
    return hashlib.sha1(data).hexdigest(), None, data


def _pct(xs: list[float], q: float) -> float:
    return float(np.percentile(xs, 100 * q)) if xs else float("nan")


def main() -> None:
    cut = sys.argv.index("--") if "--" in sys.argv else len(sys.argv)
    own, rest = sys.argv[1:cut], sys.argv[cut + 1 :]
    log_path = None
    if "--log" in own:
        at = own.index("--log")
        log_path = own[at + 1]
        own = own[:at] + own[at + 2 :]
    before_tree, after_tree = own
    sys.path.insert(0, str(HERE))
    import ocr_eval

    warm = ocr_eval.DATA / "mrz/passporteye/passport-td3.png"
    group = ["none"]
    for name in GROUP_FUNCTIONS:
        function = getattr(ocr_eval, name, None)
        if function is None:
            continue

        def tagged(*a: Any, _function: Any = function, _name: str = name, **k: Any) -> Any:
            group[0] = _name + "".join(f" {key}" for key, value in sorted(k.items()) if value is True)
            return _function(*a, **k)

        setattr(ocr_eval, name, tagged)
    passporteye_of: dict[str, Any] = {}
    passporteye = ocr_eval._passporteye

    def passporteye_once(path: Path) -> Any:
        if str(path) not in passporteye_of:
            passporteye_of[str(path)] = passporteye(path)
        return passporteye_of[str(path)]

    ocr_eval._passporteye = passporteye_once

    def worker(tree: str) -> subprocess.Popen[str]:
        env = dict(os.environ, PYTHONPATH=tree)
        return subprocess.Popen(
            [sys.executable, str(Path(__file__).resolve()), "--worker", str(warm)],
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            bufsize=1,
        )

    workers = {"before": worker(before_tree), "after": worker(after_tree)}
    for which, process in workers.items():
        print(f"{which}: {json.loads(process.stdout.readline())['kyc_sdk']}", flush=True)  # type: ignore[union-attr]
    rows: list[dict[str, Any]] = []
    readings: dict[str, dict[str, Any]] = {}
    log = open(log_path, "w", encoding="utf-8") if log_path else None  # noqa: SIM115
    scratch = tempfile.TemporaryDirectory(prefix="mrz_ab_")
    load_start = os.getloadavg()

    def both(image: Any) -> dict[str, Any]:
        key, path, data = _key(image)
        if path is None:
            path = Path(scratch.name) / f"{key}.img"
            path.write_bytes(data or b"")
        order = ("before", "after") if len(rows) % 2 == 0 else ("after", "before")
        row: dict[str, Any] = {"n": len(rows), "group": group[0], "key": key, "first": order[0]}
        for which in order:
            workers[which].stdin.write(json.dumps({"path": str(path)}) + "\n")  # type: ignore[union-attr]
            workers[which].stdin.flush()  # type: ignore[union-attr]
            row[which] = json.loads(workers[which].stdout.readline())  # type: ignore[union-attr]
        if path.parent == Path(scratch.name):
            path.unlink()
        if not rows and isinstance(image, (str, Path)) and Path(image) == warm:  # ocr_eval's warm-up
            row["group"] = "warm-up"
        rows.append(row)
        readings[key] = row
        if log:
            log.write(json.dumps(row) + "\n")
            log.flush()
        return row["after"]["out"]

    sys.argv = ["ocr_eval.py", *rest]
    print(f"=== after ({after_tree}) ===", flush=True)
    ocr_eval.read_mrz = both
    ocr_eval.main()
    for w in workers.values():
        w.stdin.close()  # type: ignore[union-attr]
        w.wait()
    load_end = os.getloadavg()
    print(f"\n=== before ({before_tree}), the same pages, read in the same run ===", flush=True)
    ocr_eval.read_mrz = lambda image: readings[_key(image)[0]]["before"]["out"]
    ocr_eval.main()
    print(
        f"\n=== CPU seconds per page, before -> after (alternating, worker process time; load "
        f"average {load_start[0]:.1f} at the start, {load_end[0]:.1f} at the end) ==="
    )
    by_group: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        if row["group"] != "warm-up":
            by_group.setdefault(row["group"], []).append(row)
    for name, group_rows in by_group.items():
        b = [r["before"]["cpu"] for r in group_rows]
        a = [r["after"]["cpu"] for r in group_rows]
        changed = sum(
            (r["before"]["out"]["lines"], r["before"]["out"]["valid"])
            != (r["after"]["out"]["lines"], r["after"]["out"]["valid"])
            for r in group_rows
        )
        valid = {w: sum(bool(r[w]["out"]["valid"]) for r in group_rows) for w in ("before", "after")}
        print(
            f"  {name:34s} pages {len(group_rows):3d}  valid {valid['before']} -> {valid['after']}  "
            f"p50 {_pct(b, 0.5):.3f} -> {_pct(a, 0.5):.3f} "
            f"(x{_pct(a, 0.5) / _pct(b, 0.5):.2f})  p95 {_pct(b, 0.95):.3f} -> {_pct(a, 0.95):.3f} "
            f"(x{_pct(a, 0.95) / _pct(b, 0.95):.2f})  total x{sum(a) / sum(b):.2f}  "
            f"reading or valid changed on {changed}"
        )
    scratch.cleanup()


if __name__ == "__main__":
    if sys.argv[1:2] == ["--worker"]:
        _worker()
    else:
        main()
