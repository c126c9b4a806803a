"""Four processes issuing 2,000 codes each, people overlapping between processes, and a
writer killed with SIGKILL mid-run: on both stores, one code per person, no duplicate
codes, no partial record, a valid audit chain."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kyc_sdk.attestation import generate
from kyc_sdk.attestation.keys import to_jwk
from kyc_sdk.sana import open_store

pytestmark = pytest.mark.slow  # seconds, not milliseconds: `make check` leaves it out

ROOT = Path(__file__).resolve().parents[2]
PROCS, PER_PROC, STRIDE = 4, 2000, 1000  # process i issues people i*1000 .. i*1000+1999


def _spawn(url: str, key_file: Path, first: int, count: int, *extra: str) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "tests.sana._worker", url, str(key_file), str(first), str(count), *extra]
    return subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


@pytest.fixture
def key_file(tmp_path) -> Path:
    path = tmp_path / "key.jwk"
    path.write_text(json.dumps(to_jwk(generate(), private=True)))
    return path


def _consistent(store) -> None:
    """Every code has its 'issued' entry and every jti its entry: nothing half-written."""
    with store._tx() as q:
        orphans = q(
            "SELECT count(*) FROM codes c WHERE NOT EXISTS (SELECT 1 FROM audit a"
            " WHERE a.code = c.code AND a.event = 'issued')",
            (),
        )[0][0]
        unlogged = q(
            "SELECT count(*) FROM jtis j WHERE NOT EXISTS (SELECT 1 FROM audit a WHERE a.jti = j.jti)", ()
        )[0][0]
        dangling = q(
            "SELECT count(*) FROM audit a WHERE NOT EXISTS (SELECT 1 FROM codes c WHERE c.code = a.code)", ()
        )[0][0]
    assert (orphans, unlogged, dangling) == (0, 0, 0)
    counts = store.counts()
    assert counts["jtis"] == counts["audit"]
    report = store.verify_audit()
    assert report.valid, report


@pytest.mark.slow
def test_four_processes_two_thousand_each(store_url, key_file):
    open_store(store_url).close()  # schema first, as a deployment would
    procs = [_spawn(store_url, key_file, i * STRIDE, PER_PROC) for i in range(PROCS)]
    results: dict[str, set[str]] = {}
    for p in procs:
        out, err = p.communicate(timeout=240)
        assert p.returncode == 0, err[-2000:]
        for line in out.splitlines():
            row = json.loads(line)
            results.setdefault(row["sub"], set()).add(row["code"])
    people = (PROCS - 1) * STRIDE + PER_PROC
    assert len(results) == people and all(len(codes) == 1 for codes in results.values())
    store = open_store(store_url)
    with store._tx() as q:
        rows = q("SELECT subject, code FROM codes WHERE status = 'active'", ())
    assert len(rows) == people == len({c for _, c in rows})  # one code per person, no duplicates
    assert {s: {c} for s, c in rows} == results
    assert store.counts() == {"codes": people, "jtis": PROCS * PER_PROC, "audit": PROCS * PER_PROC}
    _consistent(store)
    store.close()


@pytest.mark.slow
def test_sigkill_mid_run_leaves_no_partial_record(store_url, key_file):
    open_store(store_url).close()
    for round_ in range(3):
        p = _spawn(store_url, key_file, 10_000_000 * (round_ + 1), 0, "--forever")
        assert p.stdout is not None
        for _ in range(50 + 37 * round_):  # let it get well into its loop
            assert p.stdout.readline(), p.stderr.read() if p.stderr else ""
        time.sleep(0.013 * (round_ + 1))  # so the kill lands at varying points of a transaction
        os.kill(p.pid, signal.SIGKILL)
        p.wait(timeout=10)
        p.stdout.close()
        p.stderr.close()
    store = open_store(store_url)
    _consistent(store)
    assert store.counts()["codes"] >= 3 * 50
    store.close()
    follow = _spawn(store_url, key_file, 5, 3)  # the store still takes writers afterwards
    out, err = follow.communicate(timeout=60)
    assert follow.returncode == 0 and len(out.splitlines()) == 3, err[-2000:]


KILL_INSIDE = """
import os, signal, sys
from kyc_sdk.sana import open_store
store = open_store(sys.argv[1])
with store._tx() as q:  # half an issuance: jti and code written, no audit entry yet
    q("INSERT INTO jtis VALUES ('killed-jti', 0, 'now')", ())
    q("INSERT INTO codes VALUES ('1234567890', 'killed-subject', 'active', 'now', NULL)", ())
    os.kill(os.getpid(), signal.SIGKILL)
"""


def test_sigkill_inside_a_transaction_rolls_it_back(store_url, issuer_for_url):
    issuer_for_url(store_url)  # one complete issuance before
    p = subprocess.run(
        [sys.executable, "-c", KILL_INSIDE, store_url], check=False, cwd=ROOT, capture_output=True, timeout=60
    )
    assert p.returncode == -signal.SIGKILL
    store = open_store(store_url)
    with store._tx() as q:
        assert q("SELECT count(*) FROM jtis WHERE jti = 'killed-jti'", ())[0][0] == 0
        assert q("SELECT count(*) FROM codes WHERE subject = 'killed-subject'", ())[0][0] == 0
    assert store.counts() == {"codes": 1, "jtis": 1, "audit": 1}
    _consistent(store)
    store.close()
    issuer_for_url(store_url, "0790419904")  # and the store takes writers again at once


@pytest.fixture
def issuer_for_url(ring):
    from kyc_sdk.attestation import load_jwks
    from kyc_sdk.sana import Issuer
    from tests.attestation.factory import NOW, token

    def issue(url: str, national_code: str = "0499370899") -> None:
        store = open_store(url)
        Issuer(store, load_jwks(ring.jwks()), clock=lambda: NOW).issue(
            token(ring.signer, national_code=national_code)
        )
        store.close()

    return issue
