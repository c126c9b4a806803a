"""How the service wires its queue and its stage pool, over real HTTP on a SQLite file and
(when KYC_SDK_PG_URL is set) PostgreSQL: the queue follows the database, the job queue's
schema is applied by ``kyc-sdk db upgrade`` and required at start-up, a case whose job
gives up is ended ``failed`` for its client to see, and readiness waits for the stage
workers."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest

from kyc_sdk.sana import SchemaError
from kyc_sdk.service.config import check_schema
from kyc_sdk.service.jobs import LocalJobs
from kyc_sdk.service.pool import StageCrashed
from tests.service.app_harness import PG_URL, bearer, config, fresh_db, open_case, service

ROOT = Path(__file__).resolve().parents[2]
needs_pg = pytest.mark.skipif(not PG_URL, reason="needs KYC_SDK_PG_URL (scripts/with-postgres.sh)")


def test_the_queue_follows_the_database(db, tmp_path) -> None:
    from kyc_sdk.service.pgjobs import PgJobs

    with service(config(db, tmp_path, warm_up=False)) as (client, app):
        jobs = app.state.services.jobs
        assert client.get("/readyz").status_code in (200, 503)
    expected = PgJobs if db.startswith("postgresql") else LocalJobs
    assert type(jobs) is expected
    assert jobs.on_give_up is not None  # the runner ends the cases it gives up on


@needs_pg
def test_the_job_queue_schema_is_required_and_applied_by_db_upgrade(tmp_path) -> None:
    db = fresh_db("postgresql", tmp_path)  # the store's schema is current, the queue's missing
    cfg = config(db, tmp_path, upgrade=False)
    with pytest.raises(SchemaError, match="db upgrade") as missing:
        check_schema(cfg)
    assert "missing" in str(missing.value)
    done = subprocess.run(
        [sys.executable, "-m", "kyc_sdk.cli", "db", "upgrade", "--db", db, "--json"],
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout)
    assert answer["current"] and answer["job_queue"].startswith("created the job queue schema")
    check_schema(cfg)  # now accepted
    with psycopg.connect(db, autocommit=True) as conn:  # as left by an older release
        conn.execute("UPDATE kyc_jobs_schema SET version = '3.0.0'")
    with pytest.raises(SchemaError, match="db upgrade"):
        check_schema(cfg)


async def _always_crashing(fn, case_id):  # the stage pool losing its worker on every try
    raise StageCrashed("a stage worker process died during the call")


def _queue(kind: str):
    """A queue that retries at once and gives up after two attempts (the defaults wait)."""
    if kind == "sqlite":
        return None  # LocalJobs: MAX_ATTEMPTS tries, no wait between them

    def make(pool, cfg):
        from kyc_sdk.service.pgjobs import PgJobs

        return PgJobs(
            cfg.db, max_attempts=2, retry_wait=0.0, poll_interval=0.1, heartbeat=0.3, stalled_after=2
        )

    return make


def test_a_case_whose_job_gives_up_ends_failed_for_its_client(db, tmp_path) -> None:
    kind = "postgresql" if db.startswith("postgresql") else "sqlite"
    cfg = config(db, tmp_path, warm_up=False, offload=_always_crashing, jobs_factory=_queue(kind))
    with service(cfg) as (client, _):
        case_id, token = open_case(client)
        auth = bearer(token)
        client.put(f"/v1/cases/{case_id}/uploads/document_front", content=b"card", headers=auth)
        client.post(f"/v1/cases/{case_id}/challenge", headers=auth)
        client.put(f"/v1/cases/{case_id}/uploads/selfie_video", content=b"video", headers=auth)
        assert client.post(f"/v1/cases/{case_id}/submit", headers=auth).status_code == 202
        deadline = time.monotonic() + 30
        while (case := client.get(f"/v1/cases/{case_id}", headers=auth).json())["status"] == "submitted":
            assert time.monotonic() < deadline, "the case was left undecided"
            time.sleep(0.1)
    assert case["status"] == "failed" and case["decision"] is None and case["sana_code"] is None
    assert case["error"]["error"] == "internal_error" and "new case" in case["error"]["message"]


@pytest.mark.slow  # starts a real stage worker process
def test_readiness_waits_for_the_stage_workers(tmp_path) -> None:
    cfg = config(fresh_db("sqlite", tmp_path), tmp_path, warm_up=False, processes=1)
    with service(cfg) as (client, app):
        seen = [client.get("/readyz").status_code]
        deadline = time.monotonic() + 120
        while seen[-1] != 200:
            assert time.monotonic() < deadline, client.get("/readyz").text
            time.sleep(0.05)
            seen.append(client.get("/readyz").status_code)
        stages = app.state.services.stages
        assert stages is not None and stages.ready() and stages.workers == 1
        assert set(seen) <= {200, 503}
    assert stages._executor is None  # closed at shutdown


@pytest.mark.slow  # a whole registration in a stage worker, twice
def test_a_stage_worker_killed_mid_registration_makes_the_job_run_again(tmp_path) -> None:
    import signal

    from kyc_sdk.registration import samples as S
    from kyc_sdk.sana import open_store
    from tests.service.app_harness import upload_evidence, wait_decided, wait_ready

    db = fresh_db("sqlite", tmp_path)
    store = open_store(db, create=False)

    def jobs() -> list[tuple]:
        return store._run(lambda q: q("SELECT state, attempts FROM jobs", ()), write=False)

    try:
        with service(config(db, tmp_path, processes=1)) as (client, app):
            wait_ready(client, timeout=120)
            case_id, token = open_case(client)
            upload_evidence(client, case_id, token, S.card_front(), S.card_back())
            client.post(f"/v1/cases/{case_id}/submit", headers=bearer(token))
            deadline = time.monotonic() + 30
            while jobs() != [("running", 1)]:
                assert time.monotonic() < deadline
                time.sleep(0.02)
            executor = app.state.services.stages._executor
            for process in list(executor._processes.values()):
                os.kill(process.pid, signal.SIGKILL)  # the worker running the case
            case = wait_decided(client, case_id, token)
        codes = store.counts()["codes"]
        ran = jobs()
    finally:
        store.close()
    assert case["decision"] == "APPROVED", case["reasons"]
    assert ran == [("done", 2)] and codes == 1  # run again after StageCrashed, decided once
