"""Replicas of ``kyc-sdk serve`` (real processes, each with its stage worker process) on one
real PostgreSQL (``scripts/with-postgres.sh``), driven over loopback HTTP: registrations
submitted to either replica are decided once; a replica SIGKILLed mid-registration has
its case finished by the other (one SANA code, one audit entry); SIGTERM lets the running
registration finish, or, past the grace, hands it back to the queue for another replica."""

from __future__ import annotations

import dataclasses
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from kyc_sdk.identifiers import sana_code
from kyc_sdk.registration import samples as S
from tests.ports import free_port
from tests.service.app_harness import (
    PG_URL,
    bearer,
    fresh_db,
    keys,
    open_case,
    upload_evidence,
    wait_decided,
    wait_serving,
)

pytestmark = [
    pytest.mark.slow,  # whole registrations in several processes: tens of seconds
    pytest.mark.serial,  # SIGTERM grace and job leases in real time
    pytest.mark.skipif(not PG_URL, reason="replicas need KYC_SDK_PG_URL (scripts/with-postgres.sh)"),
]
ROOT = Path(__file__).resolve().parents[2]
LEASE_S = "2"  # a dead replica's job is taken by another after about this long
RESIDENT = {k: v for k, v in dataclasses.asdict(S.resident_subject()).items() if v is not None}
ABROAD = {k: v for k, v in dataclasses.asdict(S.abroad_subject()).items() if v is not None}


def _rows(db: str, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    import psycopg

    with psycopg.connect(db, autocommit=True) as conn:
        return conn.execute(sql, params).fetchall()


def _wait_for(check: Callable[[], bool], what: str, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


class Replica:
    """``kyc-sdk serve`` on a port of its own, in a session of its own (its fork server and
    stage workers with it), logging to a file (a full pipe would stall it)."""

    def __init__(self, db: str, tmp_path: Path, name: str, *extra: str) -> None:
        shared = keys(tmp_path)
        self.port, self.log = free_port(), tmp_path / f"{name}.log"
        command = [sys.executable, "-m", "kyc_sdk.cli", "serve", "--db", db, "--port", str(self.port)]
        command += ["--blobs", str(tmp_path / "blobs"), "--processes", "1", *extra]
        command += ["--signing-key", shared["signing_key"], "--subject-key", shared["subject_key"]]
        self.proc = subprocess.Popen(
            command,
            env={**os.environ, "PYTHONPATH": str(ROOT), "KYC_SDK_LEASE_S": LEASE_S},
            stdout=subprocess.DEVNULL,
            stderr=self.log.open("wb"),
            start_new_session=True,
        )
        self.client = httpx.Client(base_url=f"http://127.0.0.1:{self.port}", timeout=30)

    def wait_ready(self) -> None:
        wait_serving(self.client, self.proc, self.log, timeout=180)

    def kill(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)  # with its stage workers: no clean-up at all
        self.proc.wait(timeout=30)

    def terminate(self) -> bool:
        """SIGTERM to the server process alone, as a container platform sends it; whether
        it shut down cleanly (uvicorn raises the signal again once its shutdown is complete,
        so the exit status is the signal's)."""
        self.proc.send_signal(signal.SIGTERM)
        code = self.proc.wait(timeout=120)
        return code in (0, -signal.SIGTERM) and "Application shutdown complete" in self.log.read_text()

    def close(self) -> None:
        self.client.close()
        if self.proc.poll() is None:
            self.kill()


@pytest.fixture
def db(tmp_path) -> str:
    """A fresh database made ready by ``kyc-sdk db upgrade``, as a deployment does (a
    replica refuses a database without the job queue's schema)."""
    url = fresh_db("postgresql", tmp_path)
    done = subprocess.run(
        [sys.executable, "-m", "kyc_sdk.cli", "db", "upgrade", "--db", url, "--json"],
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["job_queue"].startswith("created the job queue schema")
    return url


@pytest.fixture
def replicas() -> Iterator[list[Replica]]:
    started: list[Replica] = []
    yield started
    for r in started:
        r.close()


def _start(replicas: list[Replica], db: str, tmp_path: Path, name: str, *extra: str) -> Replica:
    replica = Replica(db, tmp_path, name, *extra)
    replicas.append(replica)
    replica.wait_ready()
    return replica


def _submitted(client: httpx.Client, subject: dict[str, str], path: str = "resident") -> tuple[str, str]:
    case_id, token = open_case(client, subject, path)
    if path == "resident":
        upload_evidence(client, case_id, token, S.card_front(), S.card_back())
    else:
        upload_evidence(client, case_id, token, S.passport_page())
    r = client.post(f"/v1/cases/{case_id}/submit", headers=bearer(token))
    assert r.status_code == 202, r.text
    return case_id, token


def _job_status(db: str) -> list[str]:
    return [s for (s,) in _rows(db, "SELECT status::text FROM procrastinate_jobs ORDER BY id")]


def _workers(db: str) -> set[int]:
    return {i for (i,) in _rows(db, "SELECT id FROM procrastinate_workers")}


def _one_code_one_entry(db: str, case: dict[str, Any]) -> None:
    assert case["status"] == "decided" and case["decision"] == "APPROVED", case["reasons"]
    assert sana_code.is_valid(case["sana_code"])
    assert _rows(db, "SELECT code FROM codes") == [(case["sana_code"],)]
    assert _rows(db, "SELECT event FROM audit") == [("issued",)]  # issued once, no repeat


def test_registrations_sent_to_either_replica_are_decided_once(db, tmp_path, replicas) -> None:
    one = _start(replicas, db, tmp_path, "one")
    two = _start(replicas, db, tmp_path, "two")
    people = [(one, RESIDENT, "resident"), (two, ABROAD, "abroad"), (two, RESIDENT, "resident")]
    people.append((one, ABROAD, "abroad"))
    sent = [(r, *_submitted(r.client, subject, path), path) for r, subject, path in people]
    decided = [(wait_decided(r.client, case_id, token), path) for r, case_id, token, path in sent]
    assert all(c["decision"] == "APPROVED" for c, _ in decided), [c["reasons"] for c, _ in decided]
    codes = {path: {c["sana_code"] for c, p in decided if p == path} for path in ("resident", "abroad")}
    assert all(len(found) == 1 for found in codes.values())  # a person keeps their code
    assert sorted(c for (c,) in _rows(db, "SELECT code FROM codes")) == sorted(
        next(iter(found)) for found in codes.values()
    )
    # one entry per case: each person's first code issued, their second case given it again
    assert _rows(db, "SELECT event, count(*) FROM audit GROUP BY event ORDER BY event") == [
        ("issued", 2),
        ("repeated", 2),
    ]
    assert _rows(db, "SELECT count(*) FROM cases WHERE status = 'decided'") == [(4,)]
    assert "todo" not in _job_status(db) and "doing" not in _job_status(db)


def test_a_replica_killed_mid_registration_has_its_case_finished_by_the_other(db, tmp_path, replicas) -> None:
    one = _start(replicas, db, tmp_path, "one")
    of_one = _workers(db)
    two = _start(replicas, db, tmp_path, "two")
    case_id, token = _submitted(one.client, RESIDENT)
    _wait_for(lambda: _job_status(db) == ["doing"], "the registration to run")
    [(worker,)] = _rows(db, "SELECT worker_id FROM procrastinate_jobs")
    running, other = (one, two) if worker in of_one else (two, one)
    running.kill()  # mid-registration: its job stays 'doing' with a worker that no longer beats
    assert _rows(db, "SELECT status FROM cases") == [("submitted",)]
    case = wait_decided(other.client, case_id, token)
    _one_code_one_entry(db, case)
    assert _job_status(db) == []  # done (procrastinate deletes successful jobs)


def test_sigterm_lets_the_running_registration_finish(db, tmp_path, replicas) -> None:
    one = _start(replicas, db, tmp_path, "one")
    case_id, token = _submitted(one.client, RESIDENT)
    _wait_for(lambda: _job_status(db) == ["doing"], "the registration to run")
    assert one.terminate()  # after the running case, within the 20 s grace
    assert _job_status(db) == []  # finished, not handed back
    [(status,)] = _rows(db, "SELECT status FROM cases WHERE id = %s", case_id)
    assert status == "decided"
    two = _start(replicas, db, tmp_path, "two")
    _one_code_one_entry(db, two.client.get(f"/v1/cases/{case_id}", headers=bearer(token)).json())


def test_sigterm_past_the_grace_hands_the_registration_to_another_replica(db, tmp_path, replicas) -> None:
    one = _start(replicas, db, tmp_path, "one", "--grace", "0")
    case_id, token = _submitted(one.client, RESIDENT)
    _wait_for(lambda: _job_status(db) == ["doing"], "the registration to run")
    assert one.terminate()
    assert _job_status(db) == ["todo"]  # handed back at once, not left for the stalled-job check
    assert _rows(db, "SELECT status FROM cases") == [("submitted",)]
    two = _start(replicas, db, tmp_path, "two")
    _one_code_one_entry(db, wait_decided(two.client, case_id, token))
