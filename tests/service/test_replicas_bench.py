"""``benchmarks/replicas.py`` in small: two replicas on a throw-away PostgreSQL, one
SIGKILLed mid-run and started again. Its figures are timing and never gate; what this
asserts is correctness: every submitted case decided, one SANA code per subject, no
replayed webhook applied twice."""

from __future__ import annotations

import glob
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [
    pytest.mark.slow,  # real registrations on two replicas: a minute or more
    pytest.mark.serial,  # a replica killed and its job leases in real time
]
ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(
    not glob.glob("/usr/lib/postgresql/*/bin/initdb"), reason="needs PostgreSQL's server (scripts/setup.sh)"
)
def test_a_killed_replica_loses_no_case_and_duplicates_nothing(tmp_path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("KYC_SDK_PG_URL", "KYC_SDK_REPLICAS_THROWAWAY")}
    env["PYTHONPATH"] = str(ROOT)
    command = [sys.executable, str(ROOT / "benchmarks" / "replicas.py"), "--replicas", "2"]
    command += ["--registrations", "12", "--kill", "1", "--lease-s", "5", "--settle-s", "600"]
    command += ["--keep-logs", str(tmp_path)]
    run = subprocess.run(command, check=False, env=env, capture_output=True, text=True, timeout=1200)
    assert run.returncode == 0, run.stderr[-3000:]
    line = json.loads(run.stdout.strip().splitlines()[-1])
    assert line["killed"] == 1 and line["registrations"] == 12
    assert line["never_submitted"] == 0
    assert line["lost"] == 0 and line["db_undecided"] == 0
    assert line["duplicate_codes"] == 0
    assert line["webhooks_replayed_applied"] == 0
    assert line["approved"] >= 1  # the codes were really issued, so "no duplicate" means something
    decided = sum(line[k] for k in ("approved", "review", "declined", "retry", "failed"))
    assert decided == 12
