"""Serving the registration service for its tests: uvicorn on a free loopback port in a
thread (lifespan on: the store, the workers and the warm-up start as in production)."""

from __future__ import annotations

import contextlib
import os
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn

from kyc_sdk.registration import samples as S
from kyc_sdk.service import ServiceConfig, create_app

PG_URL = os.environ.get("KYC_SDK_PG_URL")
RESIDENT = {
    "national_code": "0499370899",
    "mobile": "09121234567",
    "first_name": "علی",
    "last_name": "رضایی",
    "father_name": "محمد",
    "birth_date": "1370/01/01",
}


def databases() -> list[Any]:
    """SQLite always; PostgreSQL when KYC_SDK_PG_URL is set (CI sets it)."""
    pg = pytest.param(
        "postgresql",
        marks=pytest.mark.skipif(
            not PG_URL, reason="PostgreSQL tests need KYC_SDK_PG_URL (scripts/with-postgres.sh)"
        ),
    )
    return ["sqlite", pg]


def fresh_db(kind: str, tmp_path: Path) -> str:
    """A new database of ``kind`` at the current schema: a SQLite file, or PostgreSQL's
    public schema wiped and made again."""
    from kyc_sdk.sana import open_store

    if kind == "sqlite":
        url = f"sqlite://{tmp_path / 'service.db'}"
    else:
        import psycopg

        assert PG_URL
        with psycopg.connect(PG_URL, autocommit=True) as conn:
            conn.execute("DROP SCHEMA public CASCADE")
            conn.execute("CREATE SCHEMA public")
        url = PG_URL
    open_store(url).close()
    return url


def keys(tmp_path: Path) -> dict[str, str]:
    """Key files replicas share (the signing key and the subject key)."""
    from kyc_sdk.attestation import generate
    from kyc_sdk.attestation.keys import save

    signing, subject = tmp_path / "signing.pem", tmp_path / "subject.key"
    if not signing.exists():
        save(generate(), signing)
        subject.write_bytes(os.urandom(32))
    return {"signing_key": str(signing), "subject_key": str(subject)}


def config(db: str, tmp_path: Path, **kw: Any) -> ServiceConfig:
    # no stage pool unless a test asks for one (processes=N): most need no image work
    base: dict[str, Any] = {
        "db": db,
        "blob_dir": str(tmp_path / "blobs"),
        "upgrade": True,
        "processes": 0,
        **keys(tmp_path),
    }
    return ServiceConfig(**{**base, **kw})


@contextlib.contextmanager
def serving(app: Any) -> Iterator[str]:
    cfg = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", access_log=False, lifespan="on")
    server = uvicorn.Server(cfg)
    thread = threading.Thread(target=server.run, name="service", daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the service did not start")
        time.sleep(0.02)
    host, port = server.servers[0].sockets[0].getsockname()[:2]
    try:
        yield f"http://{host}:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=60)


@contextlib.contextmanager
def service(cfg: ServiceConfig) -> Iterator[tuple[httpx.Client, Any]]:
    """A client of the running service, and the app (its ``state.services``)."""
    app = create_app(cfg)
    with serving(app) as url, httpx.Client(base_url=url, timeout=60) as client:
        yield client, app


def bearer(token: str) -> dict[str, str]:
    return {"authorization": f"Bearer {token}"}


def open_case(
    client: httpx.Client, subject: dict[str, str] = RESIDENT, path: str = "resident"
) -> tuple[str, str]:
    r = client.post("/v1/cases", json={"path": path, "subject": subject})
    assert r.status_code == 201, r.text
    return r.json()["id"], r.json()["token"]


def upload_evidence(
    client: httpx.Client, case_id: str, token: str, front: bytes, back: bytes | None = None
) -> None:
    auth = bearer(token)
    for kind, data in (("document_front", front), ("document_back", back)):
        if data is not None:
            r = client.put(f"/v1/cases/{case_id}/uploads/{kind}", content=data, headers=auth)
            assert r.status_code == 201, r.text
    # the app asks a fresh challenge when it starts recording, then uploads the video
    steps = client.post(f"/v1/cases/{case_id}/challenge", headers=auth).json()["challenge"]["steps"]
    video = S.video_file(S.selfie_video(steps))
    r = client.put(f"/v1/cases/{case_id}/uploads/selfie_video", content=video, headers=auth)
    assert r.status_code == 201, r.text


def wait_decided(client: httpx.Client, case_id: str, token: str, timeout: float = 120) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        case = client.get(f"/v1/cases/{case_id}", headers=bearer(token)).json()
        if case["status"] not in ("open", "submitted"):
            return case  # type: ignore[no-any-return]
        time.sleep(0.2)
    raise AssertionError("the case was not decided in time")


def wait_serving(client: httpx.Client, proc: subprocess.Popen[bytes], log: Path, timeout: float = 60) -> None:
    """Until a service started as a process answers ``/readyz`` with 200; fails with the
    process's log if it exits first or the time runs out."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            if client.get("/readyz").status_code == 200:
                return
        except httpx.TransportError:
            pass
        assert proc.poll() is None and time.monotonic() < deadline, log.read_text()
        time.sleep(0.1)


def wait_ready(client: httpx.Client, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while client.get("/readyz").status_code != 200:
        assert time.monotonic() < deadline, client.get("/readyz").text
        time.sleep(0.1)
