"""HTTP endpoints of the review queue (Starlette), and the published audit checkpoints.

``routes(queue)`` gives, each behind an officer's bearer token (``Authorization: Bearer
<token>``; 401 without a valid one, 403 acting on another officer's claim):

    GET  /v1/review/cases                     open cases, oldest first (``?limit=``)
    GET  /v1/review/cases/{case_id}           one case with its evidence
    POST /v1/review/cases/{case_id}/claim
    POST /v1/review/cases/{case_id}/release
    POST /v1/review/cases/{case_id}/decide    {"decision": "APPROVED"|"DECLINED", "reason": "..."}

and, public like the JWKS it is checked with, ``GET /v1/audit/checkpoints``: the signed
heads of the audit chain (``kyc_sdk.sana.checkpoints``). Errors are
``{"error", "message"}`` JSON. The store calls are short single-row transactions made
through ``ReviewQueue.call``: the service gives the queue a ``cases.PooledStore`` and
worker threads, so the event loop never waits on the database.
"""

from __future__ import annotations

import json
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from kyc_sdk.errors import InputError, KycError
from kyc_sdk.sana.checkpoints import published
from kyc_sdk.service.officers import NotAuthenticated, Officer, authenticate
from kyc_sdk.service.review import CaseNotFound, ClaimConflict, NotApprovable, NotYourClaim, ReviewQueue

MAX_BODY = 16 * 1024
_STATUS: tuple[tuple[type[KycError], int], ...] = (
    (NotAuthenticated, 401),
    (NotYourClaim, 403),
    (CaseNotFound, 404),
    (ClaimConflict, 409),
    (NotApprovable, 409),
    (InputError, 400),
)


def _error(err: KycError) -> JSONResponse:
    status = next((s for cls, s in _STATUS if isinstance(err, cls)), 503 if err.retryable else 500)
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JSONResponse({"error": err.code, "message": str(err)}, status_code=status, headers=headers)


def _bearer(request: Request) -> str | None:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else None


async def _body(request: Request) -> dict[str, Any]:
    raw = bytearray()
    async for chunk in request.stream():
        raw += chunk
        if len(raw) > MAX_BODY:
            raise InputError(f"the request body is limited to {MAX_BODY} bytes")
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise InputError("the request body is not JSON") from None
    if not isinstance(data, dict):
        raise InputError("the request body is a JSON object")
    return data


def routes(fixed: ReviewQueue | None = None) -> list[Route]:
    """The review endpoints over a queue and the checkpoints of its store's audit log:
    ``fixed``, or the app's ``state.review_queue`` (which the service sets at start-up)."""

    def current(request: Request) -> ReviewQueue:
        queue: ReviewQueue = fixed or request.app.state.review_queue
        return queue

    def officer_only(action: Any) -> Any:
        async def endpoint(request: Request) -> JSONResponse:
            try:
                queue = current(request)
                token = _bearer(request)
                officer = await queue.call(lambda: authenticate(queue.store, token))
                return JSONResponse(await action(queue, request, officer))
            except KycError as err:
                return _error(err)

        return endpoint

    async def list_open(queue: ReviewQueue, request: Request, officer: Officer) -> Any:
        try:
            limit = int(request.query_params.get("limit", "100"))
        except ValueError:
            raise InputError("limit is a whole number") from None
        return {"cases": [item.to_dict() for item in await queue.list_open(limit)]}

    async def show(queue: ReviewQueue, request: Request, officer: Officer) -> Any:
        return (await queue.get(request.path_params["case_id"])).to_dict()

    async def claim(queue: ReviewQueue, request: Request, officer: Officer) -> Any:
        return (await queue.claim(officer, request.path_params["case_id"])).to_dict()

    async def release(queue: ReviewQueue, request: Request, officer: Officer) -> Any:
        return (await queue.release(officer, request.path_params["case_id"])).to_dict()

    async def decide(queue: ReviewQueue, request: Request, officer: Officer) -> Any:
        body = await _body(request)
        item = await queue.decide(
            officer, request.path_params["case_id"], body.get("decision"), body.get("reason")
        )
        return item.to_dict()

    async def checkpoints(request: Request) -> JSONResponse:
        try:
            queue = current(request)
            return JSONResponse(await queue.call(lambda: published(queue.store)))
        except KycError as err:
            return _error(err)

    base = "/v1/review/cases"
    return [
        Route(base, officer_only(list_open), methods=["GET"]),
        Route(base + "/{case_id}", officer_only(show), methods=["GET"]),
        Route(base + "/{case_id}/claim", officer_only(claim), methods=["POST"]),
        Route(base + "/{case_id}/release", officer_only(release), methods=["POST"]),
        Route(base + "/{case_id}/decide", officer_only(decide), methods=["POST"]),
        Route("/v1/audit/checkpoints", checkpoints, methods=["GET"]),
    ]
