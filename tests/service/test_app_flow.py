"""Whole registrations through the service over real HTTP, on a SQLite file and (when
KYC_SDK_PG_URL is set) on PostgreSQL: a resident to APPROVED with a SANA code and an
attestation any holder of the JWKS verifies, vendor webhooks attached to the case; an
Iranian abroad with a passport; a replayed selfie declined; and a job whose worker
process was SIGKILLed mid-registration, finished exactly once by another instance."""

from __future__ import annotations

import dataclasses
import datetime
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from kyc_sdk.attestation import load_jwks, verify
from kyc_sdk.identifiers import sana_code
from kyc_sdk.registration import samples as S
from kyc_sdk.sana import open_store
from tests.ports import free_port
from tests.service.app_harness import (
    bearer,
    config,
    fresh_db,
    keys,
    open_case,
    service,
    upload_evidence,
    wait_decided,
    wait_ready,
    wait_serving,
)

pytestmark = pytest.mark.slow  # OCR, liveness and faces run for real: seconds per case
ROOT = Path(__file__).resolve().parents[2]


def _rows(db: str, sql: str) -> list[tuple]:
    store = open_store(db, create=False)
    try:
        return store._run(lambda q: q(sql, ()), write=False)
    finally:
        store.close()


def test_a_resident_registers_to_approved_with_a_code_and_a_verifiable_attestation(db, tmp_path) -> None:
    with service(config(db, tmp_path)) as (client, app):
        wait_ready(client)
        case_id, token = open_case(client)
        upload_evidence(client, case_id, token, S.card_front(), S.card_back())
        submitted = client.post(f"/v1/cases/{case_id}/submit", headers=bearer(token))
        case = wait_decided(client, case_id, token)
        again = client.post(f"/v1/cases/{case_id}/submit", headers=bearer(token))
        att = client.get(f"/v1/cases/{case_id}/attestation", headers=bearer(token)).json()
        jwks = client.get("/.well-known/jwks.json").json()
        outbox = app.state.services.sandboxes.apps["aurora"].outbox
        answers = [
            client.post("/v1/webhooks/aurora", content=d.body, headers=d.headers).json() for d in outbox
        ]
        after = client.get(f"/v1/cases/{case_id}", headers=bearer(token)).json()
    assert submitted.status_code == 202 and again.json()["status"] == "decided"
    assert case["decision"] == "APPROVED", case["reasons"]
    assert sana_code.is_valid(case["sana_code"]) and att["sana_code"] == case["sana_code"]
    assert [s["name"] for s in case["stages"]][-1] == "sana" and case["stages"][-1]["outcome"] == "issued"
    claims = verify(att["token"], load_jwks(jwks), now=datetime.datetime.now(datetime.UTC))
    assert claims["kyc"]["decision"] == "APPROVED"
    assert answers and all(a["applied"] for a in answers)
    assert {e["provider"] for e in after["vendor_events"]} == {"aurora"}
    assert _rows(db, "SELECT count(*), min(code) FROM codes") == [(1, case["sana_code"])]
    if db.startswith("postgresql"):  # procrastinate's queue; a job done is deleted
        assert _rows(db, "SELECT count(*) FROM procrastinate_jobs") == [(0,)]
    else:
        assert _rows(db, "SELECT state, attempts FROM jobs") == [("done", 1)]


def test_an_iranian_abroad_registers_with_a_passport(tmp_path) -> None:
    subject = {k: v for k, v in dataclasses.asdict(S.abroad_subject()).items() if v is not None}
    with service(config(fresh_db("sqlite", tmp_path), tmp_path)) as (client, _):
        case_id, token = open_case(client, subject, path="abroad")
        upload_evidence(client, case_id, token, S.passport_page())
        client.post(f"/v1/cases/{case_id}/submit", headers=bearer(token))
        case = wait_decided(client, case_id, token)
    assert case["decision"] == "APPROVED", case["reasons"]
    assert sana_code.is_valid(case["sana_code"])
    assert case["document"] and case["path"] == "abroad"


def test_a_replayed_selfie_is_declined_without_a_code_and_its_challenge_is_spent(tmp_path) -> None:
    with service(config(fresh_db("sqlite", tmp_path), tmp_path)) as (client, _):
        case_id, token = open_case(client)
        auth = bearer(token)
        client.put(f"/v1/cases/{case_id}/uploads/document_front", content=S.card_front(), headers=auth)
        video = S.video_file(S.replay_video(2.0))
        first = client.put(f"/v1/cases/{case_id}/uploads/selfie_video", content=video, headers=auth)
        reused = client.put(f"/v1/cases/{case_id}/uploads/selfie_video", content=video, headers=auth)
        client.post(f"/v1/cases/{case_id}/submit", headers=auth)
        case = wait_decided(client, case_id, token)
    assert first.status_code == 201
    assert reused.status_code == 409 and reused.json()["error"] == "challenge_reused"
    assert case["decision"] == "DECLINED" and case["sana_code"] is None
    assert "liveness_attack" in {r["code"] for r in case["reasons"]}


def test_a_job_of_a_killed_worker_is_finished_once_by_another_instance(tmp_path) -> None:
    # LocalJobs' lease (SQLite); PgJobs' hand-back is in test_replicas.py
    db = fresh_db("sqlite", tmp_path)
    port, shared = free_port(), keys(tmp_path)
    blobs = tmp_path / "blobs"
    command = [
        sys.executable,
        "-m",
        "kyc_sdk.cli",
        "serve",
        "--db",
        db,
        "--port",
        str(port),
        "--blobs",
        str(blobs),
    ]
    command += ["--signing-key", shared["signing_key"], "--subject-key", shared["subject_key"]]
    worker = subprocess.Popen(
        command,
        env={**os.environ, "PYTHONPATH": str(ROOT), "KYC_SDK_LEASE_S": "2"},
        stdout=subprocess.DEVNULL,
        stderr=(tmp_path / "worker.log").open("wb"),  # a file: a full pipe would stall the worker
        start_new_session=True,
    )
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
            wait_serving(client, worker, tmp_path / "worker.log")
            case_id, token = open_case(client)
            upload_evidence(client, case_id, token, S.card_front(), S.card_back())
            client.post(f"/v1/cases/{case_id}/submit", headers=bearer(token))
            deadline = time.monotonic() + 30
            while _rows(db, "SELECT state FROM jobs") != [("running",)]:
                assert time.monotonic() < deadline
                time.sleep(0.02)
            os.killpg(worker.pid, signal.SIGKILL)  # mid-registration: no clean-up, the lease stays
            worker.wait(timeout=10)
        assert _rows(db, "SELECT status FROM cases") == [("submitted",)]
        with service(config(db, tmp_path, lease_s=2.0)) as (other, _):
            case = wait_decided(other, case_id, token)
    finally:
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait(timeout=10)
    assert case["decision"] == "APPROVED", case["reasons"]
    assert _rows(db, "SELECT state, attempts FROM jobs") == [("done", 2)]
    assert _rows(db, "SELECT count(*) FROM codes") == [(1,)]
    assert _rows(db, "SELECT event FROM audit") == [("issued",)]  # one issuance, no repeat


def test_an_undecodable_video_ends_the_case_failed_with_a_typed_error(tmp_path) -> None:
    with service(config(fresh_db("sqlite", tmp_path), tmp_path)) as (client, _):
        case_id, token = open_case(client)
        auth = bearer(token)
        client.put(f"/v1/cases/{case_id}/uploads/document_front", content=S.card_front(), headers=auth)
        client.put(f"/v1/cases/{case_id}/uploads/selfie_video", content=b"not a video" * 100, headers=auth)
        client.post(f"/v1/cases/{case_id}/submit", headers=auth)
        case = wait_decided(client, case_id, token)
    assert case["status"] == "failed" and case["decision"] is None and case["sana_code"] is None
    assert case["error"]["error"] in ("image_rejected", "input_error")


def test_a_review_case_keeps_its_evidence_for_an_officer(tmp_path) -> None:
    import json

    from tests.service.app_harness import RESIDENT

    db = fresh_db("sqlite", tmp_path)
    typed = {**RESIDENT, "first_name": "حسین"}  # the card says علی: spelling is a human's call
    with service(config(db, tmp_path)) as (client, _):
        case_id, token = open_case(client, typed)
        upload_evidence(client, case_id, token, S.card_front(), S.card_back())
        client.post(f"/v1/cases/{case_id}/submit", headers=bearer(token))
        case = wait_decided(client, case_id, token)
    assert case["status"] == "review" and case["decision"] == "REVIEW" and case["sana_code"] is None
    assert "name_mismatch" in {r["code"] for r in case["reasons"]}
    [(outcome, attestation)] = _rows(db, "SELECT outcome, attestation FROM cases")
    evidence = json.loads(outcome)["evidence"]
    assert evidence["uploads"] == {k: v["sha256"] for k, v in case["uploads"].items()}
    kinds = {c["kind"]: c for c in evidence["checks"]}
    assert kinds["document"]["outcome"] == "REVIEW" and "name_mismatch" in kinds["document"]["reasons"]
    assert kinds["liveness"]["score"] is not None and kinds["face_match"]["score"] is not None
    assert attestation  # a REVIEW is signed too (evidence of what was seen)


def test_registrations_run_in_worker_processes_when_offloaded_there(tmp_path) -> None:
    import asyncio
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from kyc_sdk.service.runner import init_process, run_in_process

    db = fresh_db("sqlite", tmp_path)
    cfg = config(db, tmp_path)
    context = multiprocessing.get_context("spawn")  # no inherited threads or connections
    with ProcessPoolExecutor(1, mp_context=context, initializer=init_process, initargs=(cfg,)) as processes:
        ran: list[str | None] = []

        async def offload(fn, case_id):  # the whole run in a worker process; only the id crosses
            ran.append(await asyncio.wrap_future(processes.submit(run_in_process, case_id)))

        with service(dataclasses.replace(cfg, offload=offload)) as (client, _):
            case_id, token = open_case(client)
            upload_evidence(client, case_id, token, S.card_front(), S.card_back())
            client.post(f"/v1/cases/{case_id}/submit", headers=bearer(token))
            case = wait_decided(client, case_id, token)
            worker_pid = processes.submit(os.getpid).result()
    assert case["decision"] == "APPROVED", case["reasons"]
    assert worker_pid != os.getpid() and ran == ["decided"]  # the worker process ended the case
    assert _rows(db, "SELECT count(*) FROM codes") == [(1,)]
