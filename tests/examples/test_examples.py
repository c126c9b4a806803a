"""Every example runs as a user runs it: ``python examples/NAME.py``, in a fresh process
(no network: everything is in-process sandboxes), and prints what it promises."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

# not `serial`: the examples stamp the video's arrival, so a loaded machine cannot expire it
pytestmark = pytest.mark.slow  # seconds, not milliseconds: `make check` leaves it out

ROOT = Path(__file__).resolve().parents[2]


def run(name: str) -> str:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run(
        [sys.executable, str(ROOT / "examples" / name)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
        cwd=ROOT,
        env=env,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc.stdout


@pytest.mark.parametrize("name", ["register_resident.py", "register_abroad.py"])
def test_registration_examples_issue_a_code(name: str) -> None:
    out = run(name)
    assert re.search(r"^decision APPROVED, SANA code \d{10}$", out, re.MULTILINE), out
    assert re.search(r"^  sana +\d+ ms  issued$", out, re.MULTILINE)


def test_async_fanout_reaches_quorum_for_every_verification() -> None:
    out = run("async_fanout.py")
    lines = [line for line in out.splitlines() if line.startswith("APPROVED")]
    assert len(lines) == 6 and all("aurora, cirrus, echo" in line for line in lines), out
    assert re.search(r"^6 verifications x 3 vendors in \d+ ms$", out, re.MULTILINE)


def test_every_example_is_tested() -> None:
    tested = {"register_resident.py", "register_abroad.py", "async_fanout.py"}
    theirs = {"vendor_conformance.py"}  # the conformance kit's example, run by its own tests
    present = {p.name for p in (ROOT / "examples").glob("*.py")}
    assert present - tested - theirs == set(), "an example without a test"
    assert (ROOT / "examples" / "backend" / "app.py").is_file()
