"""The versioned JSON API (``/v1``), the health probes and the JWKS.

Every case endpoint needs the case's own token (``Authorization: Bearer <token>``, given
once at creation, stored hashed); a wrong token and an unknown case get the same 401.
Errors are ``{"error": <code>, "message": <text>}``: a ``kyc_sdk.errors`` class gives its
own ``code`` (the one the CLI prints) and a status from ``HTTP_STATUS``; conditions of
the HTTP exchange itself (no token, a body too large, a case in the wrong state) have
codes of their own. Messages name rules and fields, never values.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import secrets
import time
from collections.abc import AsyncIterator
from dataclasses import fields
from importlib import resources
from typing import Any

import anyio.to_thread
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from kyc_sdk.errors import (
    AttestationError,
    InputError,
    InvalidIdentifier,
    IssuanceError,
    KycError,
    NoProviderAvailable,
    ProviderError,
    WebhookRejected,
)
from kyc_sdk.models import Subject
from kyc_sdk.sana.errors import StoreUnavailable
from kyc_sdk.service import cases, review_routes
from kyc_sdk.service.blobs import EmptyBody, TooLarge
from kyc_sdk.service.cases import Case, CaseGone, Upload
from kyc_sdk.service.review import check_case_id
from kyc_sdk.service.runner import NEEDED

log = logging.getLogger(__name__)

MAX_JSON = 16 * 1024
MAX_WEBHOOK = 1024 * 1024
SUBJECT_FIELDS = {f.name for f in fields(Subject)}

#: HTTP status of each error class (the first that matches)
HTTP_STATUS: tuple[tuple[type[KycError], int], ...] = (
    (InputError, 422),
    (WebhookRejected, 401),
    (StoreUnavailable, 503),
    (IssuanceError, 409),
    (AttestationError, 422),
    (ProviderError, 502),
    (NoProviderAvailable, 503),
    (KycError, 500),
)


class ApiError(Exception):
    """A refusal of the HTTP exchange itself (not a ``KycError``)."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code = status, code


def error_response(err: Exception) -> JSONResponse:
    if isinstance(err, ApiError):
        return JSONResponse({"error": err.code, "message": str(err)}, status_code=err.status)
    assert isinstance(err, KycError)
    status = next(s for cls, s in HTTP_STATUS if isinstance(err, cls))
    body: dict[str, Any] = {"error": err.code, "message": str(err)}
    if isinstance(err, InvalidIdentifier) and err.field:
        body["field"] = err.field
    return JSONResponse(body, status_code=status)


class AnswerUnexpected:
    """An unexpected failure is answered here, as JSON, and the connection kept.

    Left to Starlette and uvicorn, the answer is plain text and uvicorn closes the
    keep-alive connection after it; a client that reuses that connection at once (a
    vendor redelivering the webhook that failed, say) can then meet a reset instead of
    an answer. The failure is still logged, through the redacting formatter.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def sending(message: Any) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, sending)
        except Exception:
            if started:  # half an answer is out: only closing the connection can end it
                raise
            log.exception("unexpected failure answering %s", scope["method"])
            answer = JSONResponse({"error": "internal", "message": "unexpected failure; try again"}, 500)
            await answer(scope, receive, send)


async def _capped(request: Request, limit: int) -> AsyncIterator[bytes]:
    declared = request.headers.get("content-length")
    if declared is not None and (not declared.isdigit() or int(declared) > limit):
        raise TooLarge
    async for chunk in request.stream():
        yield chunk


async def _body(request: Request, limit: int) -> bytes:
    out, size = [], 0
    try:
        async for chunk in _capped(request, limit):
            size += len(chunk)
            if size > limit:
                raise TooLarge
            out.append(chunk)
    except TooLarge:
        raise ApiError(413, "too_large", f"the body may hold at most {limit} bytes") from None
    return b"".join(out)


def _services(request: Request) -> Any:
    return request.app.state.services


async def _case(request: Request) -> Case:
    auth = request.headers.get("authorization", "")
    scheme, _, token = auth.partition(" ")
    if scheme.lower() != "bearer" or not token or len(token) > 256:
        raise ApiError(401, "unauthorized", "this case's bearer token is required")
    case_id = request.path_params["id"]
    try:  # a NUL or a lone surrogate in the path must not reach the database (a 500 there)
        check_case_id(case_id)
    except InputError:
        raise ApiError(401, "unauthorized", "no case for this token") from None
    found = await _services(request).pool.arun(lambda s: cases.authenticate(s, case_id, token.strip()))
    if found is None:
        raise ApiError(401, "unauthorized", "no case for this token")
    return found  # type: ignore[no-any-return]


def _challenge(challenge: Any) -> dict[str, Any]:
    made: dict[str, Any] = challenge.to_dict()
    return made


async def create_case(request: Request) -> Response:
    from kyc_sdk.liveness import new_challenge
    from kyc_sdk.registration.flow import validated_subject

    try:
        body = json.loads(await _body(request, MAX_JSON))
    except (ValueError, RecursionError):  # UnicodeDecodeError is a ValueError; nesting bombs recurse
        raise ApiError(422, "invalid_request", "the body is not JSON") from None
    raw = body.get("subject") if isinstance(body, dict) else None
    if not isinstance(raw, dict) or not set(raw) <= SUBJECT_FIELDS:
        raise ApiError(422, "invalid_request", "need path and subject (known fields only)")
    path = body.get("path")
    if not isinstance(path, str):
        raise ApiError(422, "invalid_request", "path must be resident or abroad")
    subject = validated_subject(path, Subject(**raw))  # InvalidIdentifier before anything is stored
    case_id, token, now = secrets.token_urlsafe(16), secrets.token_urlsafe(32), time.time()
    challenge = new_challenge(now=now)
    await _services(request).pool.arun(
        lambda s: cases.create(s, case_id, token, path, subject, challenge, now)
    )
    return JSONResponse(
        {"id": case_id, "token": token, "status": cases.OPEN, "challenge": _challenge(challenge)},
        status_code=201,
    )


async def get_case(request: Request) -> Response:
    return JSONResponse((await _case(request)).public())


async def rechallenge(request: Request) -> Response:
    """A fresh challenge, asked just before recording (each lasts 30 s)."""
    from kyc_sdk.liveness import new_challenge

    case = await _case(request)
    now = time.time()
    challenge = new_challenge(now=now)
    try:
        await _services(request).pool.arun(lambda s: cases.new_challenge(s, case.id, challenge, now))
    except CaseGone:
        raise ApiError(409, "case_closed", "the case no longer takes evidence") from None
    return JSONResponse({"challenge": _challenge(challenge)})


async def upload(request: Request) -> Response:
    from kyc_sdk.liveness.video import NONCES

    kind = request.path_params["kind"]
    if kind not in cases.KINDS:
        raise ApiError(404, "unknown_upload", "uploads are " + ", ".join(cases.KINDS))
    case = await _case(request)
    if case.status != cases.OPEN:
        raise ApiError(409, "case_closed", "the case no longer takes evidence")
    s = _services(request)
    arrived = time.time()
    challenge = cases.challenge_of(case.challenge)
    video = kind == "selfie_video"
    if video and not challenge.is_fresh(arrived):
        raise ApiError(409, "challenge_expired", "the challenge expired: ask a new one and record again")
    limit = s.config.max_video_bytes if video else s.config.max_image_bytes
    try:
        digest, size = await s.blobs.put(_capped(request, limit), limit)
    except TooLarge:
        raise ApiError(413, "too_large", f"a {kind} may hold at most {limit} bytes") from None
    except EmptyBody:
        raise ApiError(422, "invalid_request", "the upload is empty") from None
    if video and not await s.pool.arun(
        lambda st: st.first_use(NONCES, challenge.nonce, expires_at=challenge.expires_at, now=arrived)
    ):
        raise ApiError(409, "challenge_reused", "a video was already given for this challenge: ask a new one")
    try:
        await s.pool.arun(
            lambda st: cases.add_upload(
                st, case.id, kind, Upload(digest, size, arrived), challenge.nonce if video else None
            )
        )
    except CaseGone:
        raise ApiError(409, "case_closed", "the case or its challenge changed meanwhile") from None
    return JSONResponse({"kind": kind, "sha256": digest, "size": size}, status_code=201)


async def submit(request: Request) -> Response:
    case = await _case(request)
    s = _services(request)
    try:
        status = await s.pool.arun(lambda st: cases.submit(st, case.id, NEEDED, time.time()))
    except CaseGone as err:
        raise ApiError(409, "incomplete", str(err)) from None
    if status == cases.SUBMITTED:  # again after a lost answer: enqueue adds nothing twice
        await s.jobs.enqueue(case.id)
    return JSONResponse({"id": case.id, "status": status}, status_code=202)


async def attestation(request: Request) -> Response:
    case = await _case(request)
    if case.attestation is None:
        raise ApiError(409, "not_decided", "the case has no attestation (not decided yet)")
    return JSONResponse({"token": case.attestation, "decision": case.decision, "sana_code": case.sana_code})


async def webhook(request: Request) -> Response:
    from kyc_sdk.client import replay_record

    s = _services(request)
    provider = request.path_params["provider"]
    body = await _body(request, MAX_WEBHOOK)
    client = request.client.host if request.client else None
    headers = dict(request.headers)
    now = time.time()
    event = await anyio.to_thread.run_sync(
        lambda: s.kyc.verify_webhook(provider, headers, body, now=now, source_ip=client)
    )
    replay = replay_record(event)
    if await s.pool.arun(lambda st: st.used(replay[0], replay[1], now=now)):
        return _replayed()  # seen before: no vendor call for it (only the claim below decides)
    reference, status = event.reference, event.status
    if event.hint:  # its signature does not cover the body: ask the vendor what happened
        fetched = await anyio.to_thread.run_sync(lambda: s.kyc.fetch_result(event))
        reference, status = fetched.reference, fetched.raw_status
    key = hashlib.sha256(
        f"{event.provider}\x00{event.event_id}".encode("utf-8", "surrogatepass")
    ).hexdigest()[:40]
    # the replay record and the case's event in one transaction: a crash between them
    # cannot record an event that was never applied
    applied = await s.pool.arun(
        lambda st: cases.apply_event(st, replay, reference, key, event.provider, event.event, status, now)
    )
    return JSONResponse({"applied": True, "replayed": False}) if applied else _replayed()


def _replayed() -> JSONResponse:
    """Delivered before, to this replica or another: acknowledged (so the vendor stops
    redelivering), not applied."""
    return JSONResponse({"applied": False, "replayed": True})


async def jwks(request: Request) -> Response:
    return JSONResponse(_services(request).keys.jwks(), headers={"cache-control": "public, max-age=300"})


async def healthz(request: Request) -> Response:
    return JSONResponse({"status": "ok"})


async def readyz(request: Request) -> Response:
    s = getattr(request.app.state, "services", None)
    if s is None or not s.ready or (s.stages is not None and not s.stages.ready()):
        return JSONResponse({"status": "starting", **(s.notes if s else {})}, status_code=503)
    return JSONResponse({"status": "ready"})


@functools.cache
def _openapi_text() -> str:
    """The packaged document, read once per process (it does not change while serving)."""
    return resources.files("kyc_sdk.service").joinpath("openapi.json").read_text("utf-8")


def openapi_spec() -> dict[str, Any]:
    spec: dict[str, Any] = json.loads(_openapi_text())
    return spec


async def openapi(request: Request) -> Response:
    return Response(_openapi_text(), media_type="application/json")


ROUTES = [
    Route("/v1/cases", create_case, methods=["POST"]),
    Route("/v1/cases/{id}", get_case, methods=["GET"]),
    Route("/v1/cases/{id}/challenge", rechallenge, methods=["POST"]),
    Route("/v1/cases/{id}/uploads/{kind}", upload, methods=["PUT"]),
    Route("/v1/cases/{id}/submit", submit, methods=["POST"]),
    Route("/v1/cases/{id}/attestation", attestation, methods=["GET"]),
    Route("/v1/webhooks/{provider}", webhook, methods=["POST"]),
    Route("/v1/jwks.json", jwks, methods=["GET"]),
    Route("/.well-known/jwks.json", jwks, methods=["GET"]),
    Route("/v1/openapi.json", openapi, methods=["GET"]),
    Route("/healthz", healthz, methods=["GET"]),
    Route("/readyz", readyz, methods=["GET"]),
    # the officers' review queue (officer tokens) and the signed audit checkpoints (public)
    *review_routes.routes(),
]
