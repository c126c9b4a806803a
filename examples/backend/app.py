"""A small registration service embedding kyc-sdk: an ASGI app (Starlette).

    POST /registrations                    {"path": "resident"|"abroad", "subject": {...}}
                                           -> 201 {"id", "challenge": {"steps", "nonce", "expires_at"}}
    POST /registrations/{id}/challenge     a fresh challenge, just before recording -> 200 {"challenge"}
    PUT  /registrations/{id}/evidence/{kind}   raw bytes; kind: document_front, document_back,
                                           selfie_video (a video file) -> 204
    POST /registrations/{id}/submit        runs the whole registration -> its status
    GET  /registrations/{id}               status: decision, reasons (fa/en), sana_code, stages
    POST /webhooks/{provider}              a vendor's signed webhook -> 204 (401 if not believed;
                                           204 for a replay; a hint is read from the vendor)
    GET  /.well-known/jwks.json            the keys that verify our attestations

Cases live in memory (a real service keeps them in its database; the SANA codes are in
the SANA store already). Registrations run on one worker thread so the event loop keeps
serving. Errors come back as ``{"error", "message"}`` with a status from their class;
nothing personal is logged. Run it on the in-process sandboxes:

    python examples/backend/app.py --port 8000
"""

from __future__ import annotations

import asyncio
import contextlib
import secrets
import tempfile
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from kyc_sdk.errors import InputError, KycError, WebhookRejected, WebhookReplayed
from kyc_sdk.models import Subject
from kyc_sdk.registration import Application, Registration, RegistrationResult

KINDS = ("document_front", "document_back", "selfie_video")
MAX_UPLOAD = 50 * 1024 * 1024
SUBJECT_FIELDS = {f.name for f in fields(Subject)}


@dataclass
class Case:
    path: str
    subject: Subject
    challenge: Any
    evidence: dict[str, bytes] = field(default_factory=dict)
    status: str = "awaiting_evidence"  # -> processing -> decided
    result: RegistrationResult | None = None
    events: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self, case_id: str) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": case_id,
            "path": self.path,
            "status": self.status,
            "evidence": sorted(self.evidence),
            "vendor_events": self.events,
        }
        if self.result is not None:
            done = self.result.to_dict()
            out.update({k: done[k] for k in ("decision", "reasons", "sana_code", "stages")})
        return out


def _error(err: KycError) -> JSONResponse:
    status = 422 if isinstance(err, InputError) else 401 if isinstance(err, WebhookRejected) else 502
    return JSONResponse(err.to_dict(), status_code=status)


def _not_found() -> JSONResponse:
    return JSONResponse({"error": "not_found", "message": "no such registration"}, status_code=404)


def create_app(registration: Registration, worker: Worker) -> Starlette:
    """The service around ``registration`` (which holds the vendors, keys and SANA store),
    running registrations on ``worker``."""
    cases: dict[str, Case] = {}

    async def start(request: Request) -> Response:
        try:
            body = await request.json()
        except ValueError:
            return JSONResponse({"error": "invalid_request", "message": "the body is not JSON"}, 422)
        raw = body.get("subject") if isinstance(body, dict) else None
        if (
            not isinstance(raw, dict)
            or not set(raw) <= SUBJECT_FIELDS
            or body.get("path") not in ("resident", "abroad")
        ):
            return JSONResponse({"error": "invalid_request", "message": "need path and subject fields"}, 422)
        case_id = secrets.token_urlsafe(12)
        challenge = registration.challenge()
        cases[case_id] = Case(body["path"], Subject(**raw), challenge)
        return JSONResponse({"id": case_id, "challenge": challenge.to_dict()}, status_code=201)

    async def rechallenge(request: Request) -> Response:
        # A challenge is valid for 30 s: the app asks for a new one when it starts recording.
        case = cases.get(request.path_params["id"])
        if case is None:
            return _not_found()
        if case.status != "awaiting_evidence":
            return JSONResponse({"error": "invalid_request", "message": "case closed"}, 409)
        case.challenge = registration.challenge()
        case.evidence.pop("selfie_video", None)  # a video recorded for the old challenge is void
        return JSONResponse({"challenge": case.challenge.to_dict()})

    async def upload(request: Request) -> Response:
        case = cases.get(request.path_params["id"])
        kind = request.path_params["kind"]
        if case is None:
            return _not_found()
        if kind not in KINDS or case.status != "awaiting_evidence":
            return JSONResponse(
                {"error": "invalid_request", "message": "unknown evidence or case closed"}, 409
            )
        data = await _body(request)
        if data is None:
            return JSONResponse(
                {"error": "too_large", "message": f"uploads are at most {MAX_UPLOAD} bytes"}, 413
            )
        case.evidence[kind] = data
        return Response(status_code=204)

    async def submit(request: Request) -> Response:
        case_id = request.path_params["id"]
        case = cases.get(case_id)
        if case is None:
            return _not_found()
        missing = [k for k in ("document_front", "selfie_video") if k not in case.evidence]
        if missing or case.status != "awaiting_evidence":
            return JSONResponse(
                {"error": "invalid_request", "message": "missing: " + ", ".join(missing)}, 409
            )
        case.status = "processing"
        app = Application(
            case.path,
            case.subject,
            case.evidence["document_front"],
            case.evidence["selfie_video"],
            case.challenge,
            case.evidence.get("document_back"),
            reference=case_id,
        )
        try:
            case.result = await worker.run(registration.register, app)
        except KycError as err:
            case.status = "awaiting_evidence"  # the person may correct the input
            return _error(err)
        case.status = "decided"
        return JSONResponse(case.to_dict(case_id))

    async def status(request: Request) -> Response:
        case_id = request.path_params["id"]
        case = cases.get(case_id)
        return _not_found() if case is None else JSONResponse(case.to_dict(case_id))

    async def webhook(request: Request) -> Response:
        body = await request.body()
        client = request.client.host if request.client else None
        try:
            event = registration.kyc.parse_webhook(
                request.path_params["provider"], request.headers, body, source_ip=client
            )
            reference, status = event.reference, event.status
            if event.hint:  # its signature does not cover the body: ask the vendor what happened
                fetched = await worker.run(registration.kyc.fetch_result, event)
                reference, status = fetched.reference, fetched.raw_status
        except WebhookReplayed:
            return Response(status_code=204)  # delivered before: acknowledge, so the vendor stops
        except KycError as err:
            return _error(err)
        for case in cases.values():  # attach to the registration whose vendor reference it names
            if case.result is not None and case.result.result.reference == reference:
                case.events.append({"provider": event.provider, "event": event.event, "status": status})
        return Response(status_code=204)

    async def jwks(request: Request) -> Response:
        return JSONResponse(registration.keys.jwks())

    return Starlette(
        routes=[
            Route("/registrations", start, methods=["POST"]),
            Route("/registrations/{id}", status, methods=["GET"]),
            Route("/registrations/{id}/challenge", rechallenge, methods=["POST"]),
            Route("/registrations/{id}/evidence/{kind}", upload, methods=["PUT"]),
            Route("/registrations/{id}/submit", submit, methods=["POST"]),
            Route("/webhooks/{provider}", webhook, methods=["POST"]),
            Route("/.well-known/jwks.json", jwks, methods=["GET"]),
        ]
    )


async def _body(request: Request) -> bytes | None:
    """The request body, or None past ``MAX_UPLOAD`` (read no further than that)."""
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_UPLOAD:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


class Worker:
    """One thread runs every registration. The work is CPU-bound (OCR, dlib), so more
    threads would not finish sooner on a small machine, and a SQLite connection belongs
    to the thread that opened it: the SANA store is opened on this thread too."""

    def __init__(self) -> None:
        self._pool = ThreadPoolExecutor(1, thread_name_prefix="registration")

    async def run(self, fn: Callable[..., Any], *args: Any) -> Any:
        return await asyncio.wrap_future(self._pool.submit(fn, *args))

    def call(self, fn: Callable[..., Any], *args: Any) -> Any:
        return self._pool.submit(fn, *args).result()

    def close(self) -> None:
        self._pool.shutdown()


@contextlib.contextmanager
def sandboxed(folder: str | Path) -> Iterator[tuple[Starlette, Any]]:
    """The service over in-process sandboxes (aurora + hirkan) and SQLite in ``folder``;
    yields the app and the ``Sandboxes`` (whose outboxes hold the webhooks they sent)."""
    from kyc_sdk import KYC, Fallback
    from kyc_sdk.attestation import KeyRing, generate, load_jwks
    from kyc_sdk.sana import Issuer, open_store
    from kyc_sdk.sandbox import Sandboxes

    ring = KeyRing()
    ring.add(generate())
    worker = Worker()
    store = worker.call(open_store, str(Path(folder) / "sana.db"))
    try:
        with (
            Sandboxes(["aurora", "hirkan"]) as sb,
            KYC(sb.providers(), transport=sb.transport, policy=Fallback()) as kyc,
        ):
            reg = Registration(
                kyc,
                keys=ring,
                subject_key=secrets.token_bytes(32),
                issuer=Issuer(store, load_jwks(ring.jwks())),
            )
            yield create_app(reg, worker), sb
    finally:
        worker.call(store.close)
        worker.close()


def main(argv: list[str] | None = None) -> None:
    import argparse

    import uvicorn

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder, sandboxed(folder) as (app, _):
        uvicorn.run(app, host=args.host, port=args.port)


if __name__ == "__main__":
    main()
