"""Run every benchmark in this folder and write ``benchmarks/RESULTS.md``.

Each benchmark in ``benchmarks/`` (not the scripts of ``NOT_BENCHMARKS``) runs with its
default arguments in its own process, one after another (they measure time: running two at
once would skew both), with the repository root on ``PYTHONPATH`` and a timeout each.
RESULTS.md gets the machine (CPU model, cores, memory, OS, Python, load average before each
script), the commit, and per script: its one-line purpose, the exact command, exit status,
wall time and everything it printed (each script prints its own method with its figures). A
script that fails or times out is reported as such and the others still run; the exit status
is then 1. ``make bench`` runs this under ``scripts/with-postgres.sh`` so the issuance
benchmark measures PostgreSQL too.

    .venv/bin/python benchmarks/run_all.py [--only NAME ...] [--timeout 3600] [--out PATH]
"""

from __future__ import annotations

import argparse
import ast
import datetime
import os
import platform
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
# Scripts of this folder that are not benchmarks, so never run here: with their default
# arguments the two trainers would overwrite the shipped models (digitnet.npz,
# pad_model.json), and the others are shared code or a development audit.
NOT_BENCHMARKS = {
    "run_all.py": "this runner",
    "video_before_after.py": "a video split checked by this tree and by a git revision (needs the revision)",
    "tracker_before_after.py": "a video split checked once, a git revision's tracker alongside (needs it)",
    "bounds.py": "confidence bounds the evaluations import",
    "dither_captures.py": "the dither group's capture generators faces_eval.py imports",
    "textile_captures.py": "the textile group's capture generators faces_eval.py imports",
    "exposure_captures.py": "the exposure group's capture generators faces_eval.py imports",
    "light_captures.py": "the light gate's tuning and held-out capture generators faces_eval.py imports",
    "occlusion_captures.py": "the occlusion gate's capture generators faces_eval.py imports",
    "eye_captures.py": "the occlusion gate's eye covers (tuning and held out) faces_eval.py imports",
    "occlusion_eval.py": "main's gate against the occlusion gate on a named draw (needs one)",
    "pad_data.py": "the passive-PAD data split train_pad.py and liveness_eval.py import",
    "pad_image_cache.py": "train_pad.py's image cache, keyed by the generator's code",
    "train_digits.py": "fits the shipped digit classifier",
    "train_pad.py": "fits the shipped passive detector",
    "erasure_audit.py": "a development audit on tuning cards",
    "mrz_ab.py": "ocr_eval's MRZ groups read by two trees alternately (needs both trees)",
    "codec_eval.py": "a record of the two gate measures tried at stop 19 (one shipped)",
    "fold_eval.py": "a record of the gate's zoom read across the comb's fold (stop 20)",
    "views_eval.py": "a record of the choice to encode a face from two cuts (stop 19)",
    "encoding_eval.py": "a record of softened chips, tried at stop 21 and not shipped",
    "grain_eval.py": "a record of the gate's print-grain flag (stop 22), before and after on a named draw",
    "grid_readings.py": "liveness_eval with each video's screen-grid readings logged (a development tool)",
}


@dataclass(frozen=True)
class Run:
    name: str
    purpose: str
    command: str
    status: str
    seconds: float
    load: str
    output: str


def scripts(only: list[str] | None) -> list[Path]:
    found = sorted(
        p for p in HERE.glob("*.py") if p.name not in NOT_BENCHMARKS and not p.name.startswith("_")
    )
    if only:
        found = [p for p in found if p.stem in only or p.name in only]
    return found


def purpose(path: Path) -> str:
    doc = ast.get_docstring(ast.parse(path.read_text())) or ""
    return doc.strip().splitlines()[0] if doc.strip() else ""


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def run(path: Path, timeout: float) -> Run:
    command = [sys.executable, str(path.relative_to(ROOT))]
    shown = f".venv/bin/python {path.relative_to(ROOT)}"
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    }
    load, started = _load(), time.perf_counter()
    try:
        proc = subprocess.run(
            command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout, check=False
        )
        status = "ok" if proc.returncode == 0 else f"failed (exit {proc.returncode})"
        output = proc.stdout + (
            f"\n--- stderr (last lines) ---\n{_tail(proc.stderr)}" if proc.returncode else ""
        )
    except subprocess.TimeoutExpired as exc:
        status = f"timed out after {timeout:.0f} s"
        output = exc.stdout.decode() if isinstance(exc.stdout, bytes) else (exc.stdout or "")
    return Run(path.name, purpose(path), shown, status, time.perf_counter() - started, load, output.rstrip())


def _tail(text: str, lines: int = 20) -> str:
    return "\n".join(text.rstrip().splitlines()[-lines:])


def machine() -> list[str]:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in _read("/proc/cpuinfo").splitlines()
            if line.startswith("model name")
        ),
        platform.processor() or "unknown",
    )
    kib = next(
        (line.split()[1] for line in _read("/proc/meminfo").splitlines() if line.startswith("MemTotal")), ""
    )
    mem = f"{int(kib) / 2**20:.1f} GiB" if kib.isdigit() else "unknown"
    commit = _git("rev-parse", "--short", "HEAD").strip() or "unknown"
    dirty = [
        line for line in _git("status", "--porcelain", "--untracked-files=no").splitlines() if line.strip()
    ]
    commit += f" (working tree: {f'{len(dirty)} tracked files modified' if dirty else 'clean'})"
    return [
        f"- CPU: {cpu}, {os.cpu_count()} logical cores (CPU only, no accelerator)",
        f"- memory: {mem}",
        f"- OS: {platform.platform()}",
        f"- Python {platform.python_version()} ({sys.executable})",
        f"- commit: {commit}; PostgreSQL: {'yes' if os.environ.get('KYC_SDK_PG_URL') else 'not configured'}",
    ]


def _git(*args: str) -> str:
    return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=False).stdout


def _read(path: str) -> str:
    try:
        return Path(path).read_text()
    except OSError:
        return ""


def report(runs: list[Run], started: datetime.datetime) -> str:
    lines = [
        "# Benchmark results",
        "",
        (
            f"Written by `benchmarks/run_all.py` (`make bench`) on {started:%Y-%m-%d %H:%M} UTC. "
            "Each script ran alone, in its own process, with its default arguments; "
            "its output (method and figures) is quoted as printed. Figures depend on the machine "
            "and on what else ran on it: the load average before each script is shown."
        ),
        "",
        "## Machine",
        "",
        *machine(),
        "",
        "## Summary",
        "",
        "| script | what | status | wall |",
        "|---|---|---|---|",
    ]
    lines += [f"| `{r.name}` | {r.purpose} | {r.status} | {r.seconds:.1f} s |" for r in runs]
    for r in runs:
        lines += [
            "",
            f"## {r.name}",
            "",
            r.purpose,
            "",
            f"Command: `{r.command}` — {r.status}, {r.seconds:.1f} s wall, load average before: {r.load}.",
            "",
            "```",
            r.output or "(no output)",
            "```",
        ]
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", help="script names to run (default: all)")
    parser.add_argument("--timeout", type=float, default=3600.0, help="seconds per script")
    parser.add_argument("--out", type=Path, default=HERE / "RESULTS.md")
    args = parser.parse_args()
    started = datetime.datetime.now(datetime.UTC)
    runs = []
    for path in scripts(args.only):
        print(f"running {path.name} …", flush=True)
        runs.append(run(path, args.timeout))
        print(f"  {runs[-1].status}, {runs[-1].seconds:.1f} s", flush=True)
    args.out.write_text(report(runs, started))
    print(f"wrote {args.out}")
    return 0 if all(r.status == "ok" for r in runs) else 1


if __name__ == "__main__":
    sys.exit(main())
