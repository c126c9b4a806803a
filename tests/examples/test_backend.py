"""The example backend (examples/backend/app.py): the service on the sandboxes, served
over loopback HTTP. A resident registers through the API as a phone app would; vendor
webhooks are verified and attached; the script itself serves when run."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from kyc_sdk.identifiers import sana_code
from kyc_sdk.registration import samples as S
from tests.ports import free_port
from tests.service.app_harness import bearer, open_case, serving, upload_evidence, wait_decided

pytestmark = pytest.mark.slow  # seconds, not milliseconds: `make check` leaves it out

ROOT = Path(__file__).resolve().parents[2]


def _load():
    spec = importlib.util.spec_from_file_location(
        "kyc_example_backend", ROOT / "examples" / "backend" / "app.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


backend = _load()


def test_resident_registers_and_webhooks_are_attached(tmp_path) -> None:
    from kyc_sdk.service import create_app

    app = create_app(backend.config(tmp_path))
    with serving(app) as url, httpx.Client(base_url=url, timeout=60) as client:
        case_id, token = open_case(client)
        upload_evidence(client, case_id, token, S.card_front(), S.card_back())
        client.post(f"/v1/cases/{case_id}/submit", headers=bearer(token))
        done = wait_decided(client, case_id, token)
        outbox = app.state.services.sandboxes.apps["aurora"].outbox
        codes = [client.post("/v1/webhooks/aurora", content=d.body, headers=d.headers).json() for d in outbox]
        forged = client.post(
            "/v1/webhooks/aurora", content=outbox[-1].body + b" ", headers=outbox[-1].headers
        )
        status = client.get(f"/v1/cases/{case_id}", headers=bearer(token)).json()
    assert done["decision"] == "APPROVED", done["reasons"]
    assert sana_code.is_valid(done["sana_code"]) and status["sana_code"] == done["sana_code"]
    assert done["stages"][0]["name"] == "document"
    assert codes and all(c["applied"] for c in codes)
    assert forged.status_code == 401 and forged.json()["error"] == "webhook_rejected"
    assert {e["provider"] for e in status["vendor_events"]} == {"aurora"}
    assert (tmp_path / "service.db").is_file()  # the state is in the folder, not in memory


def test_backend_serves_over_http_when_run_as_a_script(tmp_path) -> None:
    port = free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            str(ROOT / "examples" / "backend" / "app.py"),
            "--port",
            str(port),
            "--folder",
            str(tmp_path),
        ],
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline, answer = time.monotonic() + 30, None
        while answer is None and time.monotonic() < deadline and proc.poll() is None:
            try:
                answer = httpx.get(f"http://127.0.0.1:{port}/.well-known/jwks.json", timeout=1)
            except httpx.TransportError:
                time.sleep(0.2)
        assert answer is not None and answer.status_code == 200, (
            proc.stderr.read() if proc.poll() else "no answer"
        )
        assert answer.json()["keys"][0]["kty"] == "OKP"
    finally:
        proc.terminate()
        proc.wait(timeout=10)
