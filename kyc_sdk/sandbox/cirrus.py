"""Sandbox of the ``cirrus`` style: applicants on levels, signed requests, typed
document uploads, GREEN/RED reviews and digest-signed webhooks (modelled on Sumsub).

Spec: docs/styles/cirrus.md. Choices the style leaves to us, written down there and in
``scenario_data/cirrus.json``:

- Auth: ``X-App-Token`` must be the ``sbx:`` sandbox token (any other → 401, 4001); the
  stamp must be within ±60 s of the sandbox clock (4004); the signature over
  ts + METHOD + path_with_query + body must match (4003).
- Levels: ``basic-kyc`` (farsiDocs off) and ``fa-kyc`` (farsiDocs on). An Iranian
  ID_CARD (Farsi text) on a level without farsiDocs → 400, errorCode 1008.
- Applicants may share an ``externalUserId`` (no idempotency: a repeated POST makes a
  second one); ``GET …/-;externalUserId={id}/one`` finds the first (404 if none).
- Uploads: multipart ``metadata`` + ``content``; a document of the same type and side
  replaces the earlier one; over ``max_file_bytes`` → 1002; while
  ``pending`` → 409, 1006; after a FINAL rejection → 400, 1009. A BACK_SIDE sent before
  its FRONT_SIDE leaves the ID step incomplete: the review then never finishes.
- Review: after ``status/pending`` the first status read says ``queued``, the next
  ``completed`` GREEN, unless ``status/testCompleted`` set the answer (at once), or
  ``{"reviewStatus": "onHold"}`` (our extension, for manual review).
- Webhooks ``applicantCreated``, ``applicantPending``, ``applicantOnHold``,
  ``applicantReviewed`` with ``createdAtMs``, signed ``X-Payload-Digest`` with the
  configured ``X-Payload-Digest-Alg`` (HMAC_SHA1_HEX, HMAC_SHA256_HEX, HMAC_SHA512_HEX).
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from kyc_sdk.sandbox._crypto import hmac_hex, same
from kyc_sdk.sandbox.base import SandboxApp
from kyc_sdk.sandbox.scenarios import scenarios

APP_TOKEN = "sbx:cirrus-app-token-5e1f"
SECRET_KEY = "cirrus_sandbox_secret_key_91b2"
WEBHOOK_SECRET = "cirrus_sandbox_webhook_secret"
LEVELS = {"basic-kyc": {"farsiDocs": False}, "fa-kyc": {"farsiDocs": True}}
SKEW = 60
DOC_TYPES = ("ID_CARD", "PASSPORT", "SELFIE")
#: ``X-Payload-Digest-Alg`` values → the digest each one names.
DIGESTS = {"HMAC_SHA1_HEX": "sha1", "HMAC_SHA256_HEX": "sha256", "HMAC_SHA512_HEX": "sha512"}


def credentials(base_url: str) -> dict[str, Any]:
    """What a client of this sandbox is configured with (public test values)."""
    return {
        "base_url": base_url,
        "app_token": APP_TOKEN,
        "secret_key": SECRET_KEY,
        "webhook_secret": WEBHOOK_SECRET,
        "level_name": "fa-kyc",
        "poll_interval": 0.01,
        "sandbox": True,
    }


def request_signature(secret: str, ts: str, method: str, path_with_query: bytes, body: bytes) -> str:
    """``X-App-Access-Sig``: lowercase hex HMAC-SHA256 of ts + METHOD + path with query + body."""
    return hmac_hex(secret, ts.encode() + method.encode() + path_with_query + body)


def payload_digest(body: bytes, alg: str, secret: str = WEBHOOK_SECRET) -> str:
    """``X-Payload-Digest`` of a webhook body under the algorithm ``alg`` names."""
    return hmac_hex(secret, body, DIGESTS[alg])


def error(description: str, status: int, code: int | None = None, name: str | None = None) -> JSONResponse:
    body: dict[str, Any] = {
        "description": description,
        "code": status,
        "correlationId": f"req-{uuid.uuid4().hex[:12]}",
    }
    if code is not None:
        body.update(errorCode=code, errorName=name)
    return JSONResponse(body, status_code=status)


def review_words(answer: str, reject_type: str | None) -> dict[str, Any]:
    """The scenario file's reviewResult for an answer (and reject type)."""
    for item in scenarios("cirrus"):
        result = item.vendor.get("reviewResult") or {}
        if result.get("reviewAnswer") == answer and result.get("reviewRejectType") == reject_type:
            return dict(result)
    return {"reviewAnswer": answer, "reviewRejectType": reject_type, "rejectLabels": []}


class CirrusSandbox(SandboxApp):
    style = "cirrus"

    def __init__(
        self, *, webhook_alg: str = "HMAC_SHA256_HEX", max_file_bytes: int = 20 * 1024 * 1024, **kw: Any
    ) -> None:
        if webhook_alg not in DIGESTS:
            raise ValueError(f"webhook_alg must be one of {', '.join(DIGESTS)}")
        self.webhook_alg = webhook_alg
        self.max_file_bytes = max_file_bytes
        self.applicants: dict[str, dict[str, Any]] = {}
        self._last_ms = 0
        super().__init__(**kw)

    def routes(self) -> list[BaseRoute]:
        base = "/resources/applicants"
        return [
            Route(base, self.create, methods=["POST"]),
            Route(base + "/-;externalUserId={external}/one", self.by_external_id, methods=["GET"]),
            Route(base + "/{id}/info/idDoc", self.upload, methods=["POST"]),
            Route(base + "/{id}/status/pending", self.pending, methods=["POST"]),
            Route(base + "/{id}/status", self.status, methods=["GET"]),
            Route(base + "/{id}/-/reject", self.reject, methods=["POST"]),
            Route(base + "/{id}/status/testCompleted", self.test_completed, methods=["POST"]),
        ]

    def auth_failed(self) -> Response:
        return error("App token is not valid", 401, 4001, "app-token-invalid")

    def rate_limited(self) -> Response:
        return error("Too many requests", 429)

    def unavailable(self) -> Response:
        return error("Service temporarily unavailable", 503)

    # Auth ----------------------------------------------------------------------------------

    async def _denied(self, request: Request) -> Response | None:
        body = await request.body()
        h = request.headers
        if h.get("x-app-token") != APP_TOKEN:
            return self.auth_failed()
        try:
            ts = int(h.get("x-app-access-ts", ""))
        except ValueError:
            return error("Request timestamp is missing", 401, 4004, "app-token-ts-invalid")
        if abs(self.clock() - ts) > SKEW:
            return error("Request timestamp is too old or in the future", 401, 4004, "app-token-ts-invalid")
        query = request.scope.get("query_string") or b""
        path = (request.scope.get("raw_path") or request.url.path.encode()) + (b"?" + query if query else b"")
        expected = request_signature(SECRET_KEY, h["x-app-access-ts"], request.method, path, body)
        if not same(h.get("x-app-access-sig"), expected):
            return error("Request signature mismatch", 401, 4003, "app-token-signature-mismatch")
        return None

    async def _applicant(self, request: Request) -> tuple[dict[str, Any], Response | None]:
        denied = await self._denied(request)
        if denied:
            return {}, denied
        found = self.applicants.get(request.path_params["id"])
        return (found, None) if found else ({}, error("Applicant not found", 404))

    # Routes --------------------------------------------------------------------------------

    async def create(self, request: Request) -> Response:
        denied = await self._denied(request)
        if denied:
            return denied
        level = request.query_params.get("levelName", "")
        if level not in LEVELS:
            return error(f"Level '{level}' not found", 404)
        try:
            body = json.loads(await request.body())
            external = body["externalUserId"]
        except (ValueError, KeyError, TypeError):
            return error("externalUserId is required", 400)
        aid = uuid.uuid4().hex[:24]
        self.applicants[aid] = {
            "id": aid,
            "externalUserId": external,
            "levelName": level,
            "info": body.get("info"),
            "reviewStatus": "init",
            "reviewResult": None,
            "docs": [],
            "complete": True,
            "attemptCnt": 0,
            "forced": None,
            "reads": 0,
        }
        await self._event("applicantCreated", self.applicants[aid])
        return JSONResponse(self._public(self.applicants[aid]), status_code=201)

    async def by_external_id(self, request: Request) -> Response:
        denied = await self._denied(request)
        if denied:
            return denied
        wanted = request.path_params["external"]
        found = [a for a in self.applicants.values() if a["externalUserId"] == wanted]
        return JSONResponse(self._public(found[0])) if found else error("Applicant not found", 404)

    async def upload(self, request: Request) -> Response:
        applicant, denied = await self._applicant(request)
        if denied:
            return denied
        form = await request.form()
        try:
            meta = json.loads(str(form.get("metadata")))
            kind, side, country = meta["idDocType"], meta.get("idDocSubType"), meta.get("country")
        except (ValueError, KeyError, TypeError):
            return error("metadata with idDocType is required", 400)
        upload = form.get("content")
        if kind not in DOC_TYPES or upload is None or isinstance(upload, str):
            return error("idDocType or content is invalid", 400)
        content = await upload.read()
        refused = self._refuse_upload(applicant, kind, country, len(content))
        if refused:
            return refused
        if side == "BACK_SIDE" and not any(d["idDocSubType"] == "FRONT_SIDE" for d in applicant["docs"]):
            applicant["complete"] = False  # the step never completes (spec quirk)
        applicant["docs"] = [
            d for d in applicant["docs"] if (d["idDocType"], d["idDocSubType"]) != (kind, side)
        ]
        applicant["docs"].append(
            {"idDocType": kind, "idDocSubType": side, "country": country, "size": len(content)}
        )
        return JSONResponse({"idDocType": kind, "idDocSubType": side, "country": country})

    def _refuse_upload(
        self, applicant: dict[str, Any], kind: str, country: str | None, size: int
    ) -> Response | None:
        if applicant["reviewStatus"] in ("pending", "queued"):
            return error("Applicant is being checked", 409, 1006, "applicant-being-checked")
        if self._final(applicant):
            return error("Applicant was rejected finally", 400, 1009, "applicant-final-reject")
        if size > self.max_file_bytes:
            return error("File is too big", 400, 1002, "file-too-big")
        if kind == "ID_CARD" and country == "IRN" and not LEVELS[applicant["levelName"]]["farsiDocs"]:
            return error("Farsi documents are not enabled for this level", 400, 1008, "farsi-docs-disabled")
        return None

    async def pending(self, request: Request) -> Response:
        applicant, denied = await self._applicant(request)
        if denied:
            return denied
        if self._final(applicant):
            return error("Applicant was rejected finally", 400, 1009, "applicant-final-reject")
        if not applicant["docs"]:
            return error("No documents uploaded", 400)
        applicant.update(
            reviewStatus="pending",
            reviewResult=None,
            forced=None,
            reads=0,
            attemptCnt=applicant["attemptCnt"] + 1,
        )
        await self._event("applicantPending", applicant)
        return JSONResponse({"ok": 1})

    async def test_completed(self, request: Request) -> Response:
        applicant, denied = await self._applicant(request)
        if denied:
            return denied
        try:
            body = json.loads(await request.body())
            assert isinstance(body, dict)
        except (ValueError, AssertionError):
            return error("Body must be a JSON object", 400)
        if applicant["reviewStatus"] not in ("pending", "queued"):
            return error("Applicant is not pending", 400)
        if body.get("reviewStatus") == "onHold":
            applicant["reviewStatus"] = "onHold"
            await self._event("applicantOnHold", applicant)
            return JSONResponse({"ok": 1})
        answer, kind = body.get("reviewAnswer"), body.get("reviewRejectType")
        if answer not in ("GREEN", "RED") or (answer == "RED" and kind not in ("FINAL", "RETRY")):
            return error("reviewAnswer must be GREEN or RED (with reviewRejectType FINAL or RETRY)", 400)
        words = review_words(answer, kind if answer == "RED" else None)
        if body.get("rejectLabels") is not None:
            words["rejectLabels"] = body["rejectLabels"]
        await self._complete(applicant, words)
        return JSONResponse({"ok": 1})

    async def reject(self, request: Request) -> Response:
        applicant, denied = await self._applicant(request)
        if denied:
            return denied
        await self._complete(applicant, review_words("RED", "FINAL"))
        return JSONResponse({"ok": 1})

    async def status(self, request: Request) -> Response:
        applicant, denied = await self._applicant(request)
        if denied:
            return denied
        if applicant["reviewStatus"] in ("pending", "queued") and applicant["complete"]:
            applicant["reads"] += 1
            if applicant["reads"] == 1:
                applicant["reviewStatus"] = "queued"
            else:
                await self._complete(applicant, review_words("GREEN", None))
        return JSONResponse(self._public(applicant))

    async def _complete(self, applicant: dict[str, Any], words: dict[str, Any]) -> None:
        applicant.update(reviewStatus="completed", reviewResult=words)
        await self._event("applicantReviewed", applicant)

    @staticmethod
    def _final(applicant: dict[str, Any]) -> bool:
        result = applicant.get("reviewResult") or {}
        return applicant["reviewStatus"] == "completed" and result.get("reviewRejectType") == "FINAL"

    async def _event(self, kind: str, applicant: dict[str, Any]) -> None:
        payload = {
            "applicantId": applicant["id"],
            "inspectionId": applicant["id"][::-1],
            "type": kind,
            "externalUserId": applicant["externalUserId"],
            "levelName": applicant["levelName"],
            "reviewStatus": applicant["reviewStatus"],
            "createdAtMs": self._stamp(),
            "correlationId": f"req-{uuid.uuid4().hex[:12]}",
            "sandboxMode": True,
        }
        if applicant["reviewResult"]:
            payload["reviewResult"] = applicant["reviewResult"]
        body = json.dumps(payload).encode()
        digest = payload_digest(body, self.webhook_alg)
        await self.send_webhook(
            body,
            {
                "Content-Type": "application/json",
                "X-Payload-Digest": digest,
                "X-Payload-Digest-Alg": self.webhook_alg,
            },
        )

    def _stamp(self) -> int:
        """Event time in ms, strictly increasing, so events of one millisecond still order."""
        self._last_ms = max(self._last_ms + 1, int(self.clock() * 1000))
        return self._last_ms

    @staticmethod
    def _public(applicant: dict[str, Any]) -> dict[str, Any]:
        keys = ("id", "externalUserId", "levelName", "reviewStatus", "reviewResult", "attemptCnt", "info")
        return {k: applicant[k] for k in keys if applicant.get(k) is not None}
