"""``examples/vendor_conformance.py`` runs as a vendor runs it, in a fresh process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # seconds, not milliseconds: `make check` leaves it out

ROOT = Path(__file__).resolve().parents[2]


def example(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, str(ROOT / "examples" / "vendor_conformance.py"), *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        env=env,
        check=False,
    )


def test_the_example_passes_a_healthy_sandbox_and_writes_reports(tmp_path: Path) -> None:
    run = example("--style", "gilan", "--out", str(tmp_path))
    assert run.returncode == 0, run.stdout + run.stderr
    lines = run.stdout.splitlines()
    assert lines[0].startswith("kyc-sdk conformance: style gilan, plan full, http://127.0.0.1:")
    assert any(line.startswith("scenario.approved") and "PASSED" in line for line in lines)
    assert {p.name for p in tmp_path.iterdir()} == {"report.txt", "report.json", "junit.xml"}


def test_the_example_names_the_module_a_fault_breaks() -> None:
    run = example("--style", "aurora", "--fault", "webhook_reorder")
    assert run.returncode == 1
    assert run.stdout.splitlines()[-1].endswith("FAIL (webhooks.ordering)")
