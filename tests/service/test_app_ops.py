"""The service's operations face over real HTTP: ``/metrics`` after real registrations
(parsed with prometheus_client's own parser) and the JSON logs of ``kyc-sdk serve``,
neither holding a case id, a token or the person's data."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from kyc_sdk.registration import samples as S
from tests.ports import free_port
from tests.service.app_harness import (
    RESIDENT,
    bearer,
    config,
    databases,
    fresh_db,
    keys,
    open_case,
    service,
    upload_evidence,
    wait_decided,
    wait_ready,
    wait_serving,
)

pytestmark = pytest.mark.slow  # whole registrations: OCR, liveness and faces for real
ROOT = Path(__file__).resolve().parents[2]
UPLOAD = "/v1/cases/{id}/uploads/{kind}"


def scrape(client: httpx.Client) -> tuple[str, dict[str, dict[tuple[tuple[str, str], ...], float]]]:
    """The text of ``/metrics`` and its samples, by name then by labels."""
    r = client.get("/metrics")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/plain")
    found: dict[str, dict[tuple[tuple[str, str], ...], float]] = {}
    for family in text_string_to_metric_families(r.text):
        for s in family.samples:
            found.setdefault(s.name, {})[tuple(sorted(s.labels.items()))] = s.value
    return r.text, found


def value(found: dict[str, dict[tuple[tuple[str, str], ...], float]], name: str, **labels: str) -> float:
    return sum(
        v for k, v in found.get(name, {}).items() if all(dict(k).get(n) == w for n, w in labels.items())
    )


def assert_no_person(text: str, case_id: str, token: str) -> None:
    for secret in (
        case_id,
        token,
        RESIDENT["national_code"],
        RESIDENT["national_code"].lstrip("0"),
        RESIDENT["mobile"][1:],  # 9121234567: inside 09…, +98…
        RESIDENT["first_name"],
        RESIDENT["last_name"],
        RESIDENT["father_name"],
    ):
        assert secret not in text, "a case id, token or personal value was written"


def register(client: httpx.Client) -> tuple[str, str, dict]:
    case_id, token = open_case(client)
    upload_evidence(client, case_id, token, S.card_front(), S.card_back())
    assert client.post(f"/v1/cases/{case_id}/submit", headers=bearer(token)).status_code == 202
    return case_id, token, wait_decided(client, case_id, token)


def test_serve_counts_a_registration_on_metrics_and_logs_json_without_the_person(tmp_path) -> None:
    db, port, shared = fresh_db("sqlite", tmp_path), free_port(), keys(tmp_path)
    log = tmp_path / "serve.log"
    command = [sys.executable, "-m", "kyc_sdk.cli", "serve", "--db", db, "--port", str(port)]
    command += ["--blobs", str(tmp_path / "blobs"), "--signing-key", shared["signing_key"]]
    command += ["--subject-key", shared["subject_key"], "--log-level", "debug", "--access-log"]
    serve = subprocess.Popen(
        command,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.DEVNULL,
        stderr=log.open("wb"),  # a file: a full pipe would stall the server
        start_new_session=True,
    )
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60) as client:
            wait_serving(client, serve, log)
            _, before = scrape(client)
            case_id, token, case = register(client)
            assert case["decision"] == "APPROVED", case["reasons"]
            # a hostile client's headers and query are not logged as sent
            client.get(
                f"/v1/cases/{case_id}", params={"nc": RESIDENT["national_code"]}, headers=bearer(token)
            )
            text, after = scrape(client)
    finally:
        os.killpg(serve.pid, signal.SIGTERM)
        serve.wait(timeout=30)

    assert value(before, "kyc_decisions_total") == 0
    assert value(after, "kyc_decisions_total", decision="APPROVED") == 1
    for stage in ("ocr", "liveness", "faces", "vendor"):
        assert value(after, "kyc_stage_duration_seconds_count", stage=stage) == 1, stage
        assert value(after, "kyc_stage_duration_seconds_sum", stage=stage) > 0, stage
    uploads = value(after, "kyc_http_requests_total", method="PUT", route=UPLOAD, status="201")
    assert uploads == 3  # front, back, video: one series for every case, by template
    assert value(after, "kyc_http_requests_total", method="POST", route="/v1/cases", status="201") == 1
    assert value(after, "kyc_http_request_duration_seconds_count", method="PUT", route=UPLOAD) == 3
    assert ("kyc_queue_depth" in after) and value(after, "kyc_queue_depth") == 0
    assert value(after, "kyc_breaker_state", provider="hirkan") == 0  # closed
    assert_no_person(text, case_id, token)

    written = log.read_text(encoding="utf-8")
    records = [json.loads(line) for line in written.splitlines() if line.strip()]  # every line JSON
    assert records and all({"time", "level", "logger", "message"} <= r.keys() for r in records)
    access = [r for r in records if r["logger"] == "uvicorn.access"]
    assert any("/v1/cases/" in str(r["message"]) and "/submit" in str(r["message"]) for r in access)
    for secret in (
        token,
        RESIDENT["national_code"],
        RESIDENT["mobile"][1:],
        RESIDENT["first_name"],
        RESIDENT["last_name"],
        RESIDENT["father_name"],
    ):
        assert secret not in written, "the log holds a token or a personal value"


@pytest.mark.parametrize("kind", databases())
def test_vendor_errors_and_breaker_state_are_on_metrics(kind, tmp_path) -> None:
    db = fresh_db(kind, tmp_path)
    cfg = config(db, tmp_path, sandbox_faults={"aurora": ("unavailable",)})
    with service(cfg) as (client, app):
        wait_ready(client)
        case_id, token, case = register(client)
        _, found = scrape(client)
        assert value(found, "kyc_vendor_errors_total", provider="aurora") >= 1
        assert value(found, "kyc_breaker_state", provider="aurora") == 0  # one failure: still closed
        assert value(found, "kyc_decisions_total", decision=case["decision"]) == 1
        breaker = app.state.services.kyc.breakers["aurora"]
        for _ in range(breaker.threshold):  # as failures seen by any replica would
            breaker.record(False, time.time())
        text, found = scrape(client)
    assert value(found, "kyc_breaker_state", provider="aurora") == 2  # open, read from the store
    assert value(found, "kyc_breaker_state", provider="hirkan") == 0
    assert value(found, "kyc_http_requests_total", route="/metrics", status="200") >= 1
    assert_no_person(text, case_id, token)


def test_registrations_run_in_worker_processes_are_counted(tmp_path, monkeypatch) -> None:
    """``kyc-sdk serve`` keeps metrics in prometheus_client's multiprocess mode so a stage
    pool's processes count: a case run by ``runner.run_in_process`` in a spawned process
    shows on the app's ``/metrics``."""
    import asyncio
    import dataclasses
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from kyc_sdk.service.metrics import MULTIPROC_ENV, prepare_multiprocess
    from kyc_sdk.service.runner import init_process, run_in_process

    folder = tmp_path / "metrics"
    monkeypatch.setenv(MULTIPROC_ENV, str(folder))  # first: the test's end unsets it again
    prepare_multiprocess(folder)
    cfg = config(fresh_db("sqlite", tmp_path), tmp_path)
    context = multiprocessing.get_context("spawn")  # imports prometheus_client afresh, in that mode
    with ProcessPoolExecutor(1, mp_context=context, initializer=init_process, initargs=(cfg,)) as processes:

        async def offload(fn, case_id):
            return await asyncio.wrap_future(processes.submit(run_in_process, case_id))

        with service(dataclasses.replace(cfg, offload=offload)) as (client, _):
            case_id, token, case = register(client)
            text, found = scrape(client)  # this process's values are not in the files: only the worker's
    assert case["decision"] == "APPROVED", case["reasons"]
    assert value(found, "kyc_decisions_total", decision="APPROVED") == 1
    for stage in ("ocr", "liveness", "faces", "vendor"):
        assert value(found, "kyc_stage_duration_seconds_count", stage=stage) == 1, stage
    assert_no_person(text, case_id, token)


def test_every_worker_of_serve_reports_the_whole_replica(tmp_path) -> None:
    """``--workers 2``: requests spread over both processes, and whichever answers a scrape
    reports them all (a registry per worker would report a share that jumps about)."""
    port, shared = free_port(), keys(tmp_path)
    command = [sys.executable, "-m", "kyc_sdk.cli", "serve", "--db", fresh_db("sqlite", tmp_path)]
    command += ["--port", str(port), "--workers", "2", "--blobs", str(tmp_path / "blobs")]
    command += ["--signing-key", shared["signing_key"], "--subject-key", shared["subject_key"]]
    log = tmp_path / "serve.log"
    serve = subprocess.Popen(
        command,
        env={**os.environ, "PYTHONPATH": str(ROOT), "KYC_SDK_WARM_UP": "0"},
        stdout=subprocess.DEVNULL,
        stderr=log.open("wb"),
        start_new_session=True,
    )
    fresh = {"connection": "close"}  # a new connection each time: the kernel picks the worker
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30, headers=fresh) as client:
            deadline = time.monotonic() + 90
            while log.read_text(errors="replace").count("Application startup complete") < 2:
                assert serve.poll() is None and time.monotonic() < deadline, log.read_text()
                time.sleep(0.2)
            _, first = scrape(client)
            for _ in range(30):
                assert client.get("/healthz").status_code == 200
            counts = set()
            for _ in range(6):
                _, found = scrape(client)
                counts.add(value(found, "kyc_http_requests_total", route="/healthz", status="200"))
    finally:
        os.killpg(serve.pid, signal.SIGTERM)
        serve.wait(timeout=30)
    assert value(first, "kyc_http_requests_total", route="/healthz") == 0
    assert counts == {30}, counts  # every scrape, from either worker, sums both


def test_a_case_ended_failed_is_counted_by_its_error_code(tmp_path) -> None:
    with service(config(fresh_db("sqlite", tmp_path), tmp_path, warm_up=False)) as (client, _):
        case_id, token = open_case(client)
        auth = bearer(token)
        client.put(f"/v1/cases/{case_id}/uploads/document_front", content=S.card_front(), headers=auth)
        client.put(f"/v1/cases/{case_id}/uploads/selfie_video", content=b"not a video" * 100, headers=auth)
        client.post(f"/v1/cases/{case_id}/submit", headers=auth)
        case = wait_decided(client, case_id, token)
        text, found = scrape(client)
    assert case["status"] == "failed"
    assert value(found, "kyc_cases_failed_total", error=case["error"]["error"]) == 1
    assert value(found, "kyc_decisions_total") == 0  # no decision was made
    assert_no_person(text, case_id, token)
