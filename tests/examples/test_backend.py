"""The example backend (examples/backend/app.py) through ``httpx.ASGITransport``: start a
registration, upload the evidence as a phone app would (the selfie as a video file),
submit, read the status and the SANA code; vendor webhooks verified and attached."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import anyio
import httpx
import pytest

from kyc_sdk.identifiers import sana_code
from kyc_sdk.registration import samples as S

pytestmark = pytest.mark.slow  # seconds, not milliseconds: `make check` leaves it out

ROOT = Path(__file__).resolve().parents[2]


def _load():
    spec = importlib.util.spec_from_file_location(
        "kyc_example_backend", ROOT / "examples" / "backend" / "app.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


backend = _load()
RESIDENT = {
    "national_code": "0499370899",
    "mobile": "09121234567",
    "first_name": "علی",
    "last_name": "رضایی",
    "father_name": "محمد",
    "birth_date": "1370/01/01",
}


@pytest.fixture
def service(tmp_path):
    with backend.sandboxed(tmp_path) as (app, sandboxes):
        yield app, sandboxes


def run(app, script):
    async def go():
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://backend"
        ) as client:
            return await script(client)

    return anyio.run(go)


async def start(client, subject=RESIDENT, path="resident") -> tuple[str, list[str]]:
    r = await client.post("/registrations", json={"path": path, "subject": subject})
    assert r.status_code == 201, r.text
    return r.json()["id"], r.json()["challenge"]["steps"]


async def start_nonce(client) -> tuple[str, str]:
    r = await client.post("/registrations", json={"path": "resident", "subject": RESIDENT})
    return r.json()["id"], r.json()["challenge"]["nonce"]


async def upload_card(client, case_id: str, video: bytes) -> None:
    for kind, data in (
        ("document_front", S.card_front()),
        ("document_back", S.card_back()),
        ("selfie_video", video),
    ):
        r = await client.put(f"/registrations/{case_id}/evidence/{kind}", content=data)
        assert r.status_code == 204, r.text


def test_resident_registers_and_webhooks_are_attached(service) -> None:
    app, sandboxes = service

    async def script(client):
        case_id, first = await start_nonce(client)
        again = await client.post(f"/registrations/{case_id}/challenge")  # the app starts recording
        steps = again.json()["challenge"]["steps"]
        assert again.status_code == 200 and again.json()["challenge"]["nonce"] != first
        await upload_card(client, case_id, S.video_file(S.selfie_video(steps)))
        done = (await client.post(f"/registrations/{case_id}/submit")).json()
        outbox = sandboxes.apps["aurora"].outbox
        codes = [
            (await client.post("/webhooks/aurora", content=d.body, headers=d.headers)).status_code
            for d in outbox
        ]
        forged = await client.post(
            "/webhooks/aurora", content=outbox[-1].body + b" ", headers=outbox[-1].headers
        )
        status = (await client.get(f"/registrations/{case_id}")).json()
        replayed = await client.post("/webhooks/aurora", content=outbox[-1].body, headers=outbox[-1].headers)
        after = (await client.get(f"/registrations/{case_id}")).json()
        jwks = (await client.get("/.well-known/jwks.json")).json()
        return done, codes, forged, status, jwks, (replayed.status_code, after["vendor_events"])

    done, codes, forged, status, jwks, replay = run(app, script)
    assert replay == (204, status["vendor_events"])  # acknowledged, not attached again
    assert done["status"] == "decided" and done["decision"] == "APPROVED", done["reasons"]
    assert sana_code.is_valid(done["sana_code"]) and status["sana_code"] == done["sana_code"]
    assert done["stages"][0]["name"] == "document"
    assert codes and set(codes) == {204} and forged.status_code == 401
    assert forged.json()["error"] == "webhook_rejected"
    assert status["vendor_events"] and {e["provider"] for e in status["vendor_events"]} == {"aurora"}
    assert jwks["keys"] and "d" not in jwks["keys"][0]


def test_replayed_selfie_upload_is_declined_without_code(service) -> None:
    app, _ = service

    async def script(client):
        case_id, _ = await start(client)
        await upload_card(client, case_id, S.video_file(S.replay_video(2.0)))
        return (await client.post(f"/registrations/{case_id}/submit")).json()

    done = run(app, script)
    assert done["decision"] == "DECLINED" and done["sana_code"] is None
    reasons = {r["code"]: r for r in done["reasons"]}
    assert "liveness_attack" in reasons and reasons["liveness_attack"]["fa"]


def test_bad_requests_get_typed_errors(service) -> None:
    app, _ = service

    async def script(client):
        out = {
            "unknown": (await client.get("/registrations/nope")).status_code,
            "bad_path": (
                await client.post("/registrations", json={"path": "moon", "subject": {}})
            ).status_code,
            "bad_field": (
                await client.post("/registrations", json={"path": "resident", "subject": {"password": "x"}})
            ).status_code,
        }
        case_id, _ = await start(client, {**RESIDENT, "national_code": "1234567890"})  # checksum fails
        out["early_submit"] = (await client.post(f"/registrations/{case_id}/submit")).status_code
        out["bad_kind"] = (await client.put(f"/registrations/{case_id}/evidence/x", content=b"1")).status_code
        await upload_card(client, case_id, b"not a video")
        r = await client.post(f"/registrations/{case_id}/submit")
        out["invalid"] = (r.status_code, r.json()["error"])
        out["webhook_unknown_provider"] = (await client.post("/webhooks/nobody", content=b"{}")).status_code
        out["rechallenge_unknown"] = (await client.post("/registrations/nope/challenge")).status_code
        out["not_json"] = (await client.post("/registrations", content=b"{oops")).status_code
        return out

    out = run(app, script)
    assert out["unknown"] == 404 and out["bad_path"] == 422 and out["bad_field"] == 422
    assert out["early_submit"] == 409 and out["bad_kind"] == 409
    assert out["invalid"] == (422, "invalid_identifier")
    assert out["webhook_unknown_provider"] in (401, 422) and out["rechallenge_unknown"] == 404
    assert out["not_json"] == 422


def test_backend_serves_over_http_when_run_as_a_script() -> None:
    import os
    import socket
    import subprocess
    import time

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "examples" / "backend" / "app.py"), "--port", str(port)],
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
