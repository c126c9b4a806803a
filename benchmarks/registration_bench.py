"""End-to-end registration time, per stage and whole, on the shipped samples.

Method: one process, in-process sandboxes (aurora + hirkan, sub-millisecond vendors, so
the figures are our own CPU), SQLite in a temporary folder. A warm-up registration of
each path loads the models (dlib, Tesseract) and is reported apart as "first"; then
``--n`` registrations of each path (a resident: national card, Shahkar; an Iranian
abroad: passport MRZ), each with a fresh challenge whose video was generated beforehand
(generation is the client's camera, not our cost, and is not timed). Per stage and for
the whole ``register()`` call: p50 and p95 of wall time. Also the cold ``kyc-sdk demo``
wall time (a new process: imports, model loading, sample rendering, video generation
and two registrations). Anchor (docs/evaluation.md): commercial vendors take about 50 s for a
whole verification, 90 % of users finish in under 20 s at the fastest.

    .venv/bin/python benchmarks/registration_bench.py [--n 5]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from kyc_sdk.registration import Application, Registration
from kyc_sdk.registration import samples as s
from kyc_sdk.registration.sandboxed import sandboxed

ROOT = Path(__file__).resolve().parents[1]


def _p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _application(reg: Registration, path: str, rng: random.Random) -> Application:
    challenge = reg.challenge(rng)
    video = s.selfie_video(challenge.steps)  # cached per steps: generated once, untimed
    if path == "resident":
        return Application(path, s.resident_subject(), s.card_front(), video, challenge, s.card_back())
    return Application(path, s.abroad_subject(), s.passport_page(), video, challenge)


def measure(n: int) -> None:
    rng = random.Random(1)
    with tempfile.TemporaryDirectory() as folder, sandboxed(folder) as reg:
        for path in ("resident", "abroad"):
            app = _application(reg, path, rng)
            started = time.perf_counter()
            first = reg.register(app)
            print(
                f"{path:<8} first registration (models loading): {(time.perf_counter() - started):.2f} s, "
                f"{first.decision.value}"
            )
            stages: dict[str, list[float]] = {}
            whole: list[float] = []
            for _ in range(n):
                app = _application(reg, path, rng)
                started = time.perf_counter()
                result = reg.register(app)
                whole.append((time.perf_counter() - started) * 1000)
                assert result.decision.value == "APPROVED", result.reasons
                for stage in result.stages:
                    stages.setdefault(stage.name, []).append(stage.ms)
            for name, ms in stages.items():
                print(
                    f"{path:<8} {name:<13} p50 {statistics.median(ms):7.1f} ms   p95 {_p(ms, 0.95):7.1f} ms"
                )
            print(
                f"{path:<8} {'register()':<13} p50 {statistics.median(whole):7.1f} ms   "
                f"p95 {_p(whole, 0.95):7.1f} ms   (n={n})"
            )


def cold_demo() -> None:
    exe = Path(sys.executable).with_name("kyc-sdk")
    command = (
        [str(exe), "demo", "--json"]
        if exe.exists()
        else [sys.executable, "-m", "kyc_sdk.cli", "demo", "--json"]
    )
    started = time.perf_counter()
    proc = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False, cwd=ROOT)
    wall = time.perf_counter() - started
    print(f"cold `kyc-sdk demo --json`: {wall:.1f} s wall, exit {proc.returncode} (goal: 10–20 s on 2 cores)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=5, help="timed registrations per path")
    args = parser.parse_args()
    print(f"cpus {os.cpu_count()}, load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    measure(args.n)
    cold_demo()


if __name__ == "__main__":
    main()
