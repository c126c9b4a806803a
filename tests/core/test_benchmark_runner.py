"""``make bench`` (benchmarks/run_all.py) runs benchmarks only: with their default
arguments the model trainers in the same folder would overwrite the shipped weights."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"


def _runner():
    spec = importlib.util.spec_from_file_location("run_all", BENCHMARKS / "run_all.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclass looks its module up there
    spec.loader.exec_module(module)
    return module


def test_the_trainers_and_shared_modules_are_never_run() -> None:
    runner = _runner()
    chosen = {p.name for p in runner.scripts(None)}
    assert {"train_digits.py", "train_pad.py", "bounds.py", "pad_data.py", "run_all.py"}.isdisjoint(chosen)
    assert {"ocr_eval.py", "liveness_eval.py", "faces_eval.py"} <= chosen
    every = {p.name for p in BENCHMARKS.glob("*.py") if not p.name.startswith("_")}
    assert chosen | set(runner.NOT_BENCHMARKS) == every


def test_a_run_benchmark_writes_into_the_package_only_behind_an_option() -> None:
    # A script that names a file inside kyc_sdk/ may write it only when asked
    # (faces_eval.py --write-calibration); a new trainer must be listed as not a benchmark.
    for path in _runner().scripts(None):
        source = path.read_text()
        if re.search(r'/ "kyc_sdk" /', source):
            assert "--write-" in source, f"{path.name} names a shipped file and runs in make bench"
