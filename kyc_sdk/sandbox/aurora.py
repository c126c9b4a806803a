"""Sandbox of the ``aurora`` style: applicants, documents, live photos, checks with
reports (modelled on Onfido's API v3).

Spec: docs/styles/aurora.md. Choices the style leaves to us, written down here and on
that page:
- ``GET /applicants?external_id=`` and ``GET /checks?applicant_id=`` list what exists, so
  a client can find what an earlier, interrupted attempt created (there are no
  idempotency keys: a repeated POST creates a duplicate, which the adapter avoids).
- A check is created ``in_progress``; its reports complete one per poll
  (``GET /checks/{id}``), and the check becomes ``complete`` with its result only when
  every report has; then the sandbox sends ``report.completed`` and ``check.completed``
  webhooks signed with ``X-SHA2-Signature`` (hex HMAC-SHA256 of the body with the
  webhook token); each event's object carries ``completed_at_iso8601``, the event's
  time (as Onfido names it).
- Sandbox control: the check request's ``consider`` (report names to fail) and
  ``sub_result`` (the document's: ``rejected``, ``suspected``, ``caution``).
- ``reopen: true`` in the check request makes a completed check go ``reopened`` once
  and complete again, as checks do when a vendor's analyst revisits them.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from kyc_sdk.sandbox._crypto import hmac_hex, same
from kyc_sdk.sandbox.base import SandboxApp

API_TOKEN = "aur_sandbox_0f1e2d3c4b5a"
WEBHOOK_TOKEN = "aur_webhook_sandbox_secret"
REPORT_NAMES = ("document", "facial_similarity_photo")
SUB_RESULTS = ("clear", "rejected", "suspected", "caution")


def credentials(base_url: str) -> dict[str, Any]:
    """What a client of this sandbox is configured with (public test values)."""
    return {
        "base_url": base_url,
        "api_token": API_TOKEN,
        "webhook_token": WEBHOOK_TOKEN,
        "poll_interval": 0.01,
    }


def error(kind: str, message: str, status: int, fields: dict[str, list[str]] | None = None) -> JSONResponse:
    body: dict[str, Any] = {"type": kind, "message": message}
    if fields:
        body["fields"] = fields
    return JSONResponse({"error": body}, status_code=status)


def sign(body: bytes, token: str = WEBHOOK_TOKEN) -> str:
    """``X-SHA2-Signature``: hex HMAC-SHA256 of the raw body under the webhook token."""
    return hmac_hex(token, body)


class AuroraSandbox(SandboxApp):
    style = "aurora"

    def __init__(self, **kw: Any) -> None:
        self.applicants: dict[str, dict[str, Any]] = {}
        self.documents: dict[str, dict[str, Any]] = {}
        self.live_photos: dict[str, dict[str, Any]] = {}
        self.checks: dict[str, dict[str, Any]] = {}
        self.reports: dict[str, dict[str, Any]] = {}
        super().__init__(**kw)

    def routes(self) -> list[BaseRoute]:
        return [
            Route("/v3/ping", self.ping, methods=["GET"]),
            Route("/v3/applicants", self.create_applicant, methods=["POST"]),
            Route("/v3/applicants", self.list_applicants, methods=["GET"]),
            Route("/v3/documents", self.upload_document, methods=["POST"]),
            Route("/v3/documents", self.list_documents, methods=["GET"]),
            Route("/v3/live_photos", self.upload_live_photo, methods=["POST"]),
            Route("/v3/live_photos", self.list_live_photos, methods=["GET"]),
            Route("/v3/checks", self.create_check, methods=["POST"]),
            Route("/v3/checks", self.list_checks, methods=["GET"]),
            Route("/v3/checks/{id}", self.get_check, methods=["GET"]),
            Route("/v3/reports/{id}", self.get_report, methods=["GET"]),
            Route("/v3/webhooks/resend", self.resend, methods=["POST"]),
        ]

    def auth_failed(self) -> Response:
        return error("authorization_error", "Please provide a valid token", 401)

    def rate_limited(self) -> Response:
        return error("rate_limit", "Rate limit exceeded, please try again later", 429)

    def unavailable(self) -> Response:
        return error("internal_server_error", "Something went wrong", 503)

    def _authorized(self, request: Request) -> bool:
        return same(request.headers.get("authorization"), f"Token token={API_TOKEN}")

    @staticmethod
    def _new(prefix: str) -> str:
        return f"{prefix}_{uuid.uuid4().hex[:16]}"

    async def ping(self, request: Request) -> Response:
        return JSONResponse({"status": "ok"}) if self._authorized(request) else self.auth_failed()

    async def create_applicant(self, request: Request) -> Response:
        if not self._authorized(request):
            return self.auth_failed()
        try:
            body = json.loads(await request.body())
            assert isinstance(body, dict)
        except (ValueError, AssertionError):
            return error("validation_error", "Request body must be a JSON object", 422)
        missing = {f: ["can't be blank"] for f in ("first_name", "last_name") if not body.get(f)}
        if missing:
            return error("validation_error", "There was a validation error on this request", 422, missing)
        applicant = {
            "id": self._new("app"),
            "first_name": body["first_name"],
            "last_name": body["last_name"],
            "dob": body.get("dob"),
            "external_id": body.get("external_id"),
            "is_sandbox": True,
        }
        self.applicants[applicant["id"]] = applicant
        return JSONResponse(applicant, status_code=201)

    async def list_applicants(self, request: Request) -> Response:
        if not self._authorized(request):
            return self.auth_failed()
        wanted = request.query_params.get("external_id")
        found = [a for a in self.applicants.values() if wanted is None or a["external_id"] == wanted]
        return JSONResponse({"applicants": found})

    async def _upload(
        self, request: Request, store: dict[str, dict[str, Any]], prefix: str, needs_side: bool
    ) -> Response:
        if not self._authorized(request):
            return self.auth_failed()
        form = await request.form()
        applicant, upload = form.get("applicant_id"), form.get("file")
        errors = {}
        if applicant not in self.applicants:
            errors["applicant_id"] = ["is invalid"]
        if upload is None or isinstance(upload, str):
            errors["file"] = ["can't be blank"]
        if needs_side and form.get("side") not in ("front", "back"):
            errors["side"] = ["must be front or back"]
        if needs_side and form.get("type") not in ("national_identity_card", "passport"):
            errors["type"] = ["is not supported"]
        if errors:
            return error("validation_error", "There was a validation error on this request", 422, errors)
        content = await upload.read()  # type: ignore[union-attr]
        item = {
            "id": self._new(prefix),
            "applicant_id": applicant,
            "file_size": len(content),
            "type": form.get("type"),
            "side": form.get("side"),
            "is_sandbox": True,
        }
        store[str(item["id"])] = item
        return JSONResponse(item, status_code=201)

    async def upload_document(self, request: Request) -> Response:
        return await self._upload(request, self.documents, "doc", needs_side=True)

    async def upload_live_photo(self, request: Request) -> Response:
        return await self._upload(request, self.live_photos, "lph", needs_side=False)

    async def list_documents(self, request: Request) -> Response:
        if not self._authorized(request):
            return self.auth_failed()
        wanted = request.query_params.get("applicant_id")
        return JSONResponse(
            {"documents": [d for d in self.documents.values() if d["applicant_id"] == wanted]}
        )

    async def list_live_photos(self, request: Request) -> Response:
        if not self._authorized(request):
            return self.auth_failed()
        wanted = request.query_params.get("applicant_id")
        return JSONResponse(
            {"live_photos": [p for p in self.live_photos.values() if p["applicant_id"] == wanted]}
        )

    async def create_check(self, request: Request) -> Response:
        if not self._authorized(request):
            return self.auth_failed()
        try:
            body = json.loads(await request.body())
            assert isinstance(body, dict)
        except (ValueError, AssertionError):
            return error("validation_error", "Request body must be a JSON object", 422)
        names = body.get("report_names")
        if body.get("applicant_id") not in self.applicants:
            return error(
                "validation_error",
                "There was a validation error on this request",
                422,
                {"applicant_id": ["is invalid"]},
            )
        if not isinstance(names, list) or not names or any(n not in REPORT_NAMES for n in names):
            return error(
                "validation_error",
                "There was a validation error on this request",
                422,
                {"report_names": ["must name known reports"]},
            )
        consider = body.get("consider") or []
        sub_result = body.get("sub_result", "suspected")
        if sub_result not in SUB_RESULTS:
            return error(
                "validation_error", "Unknown sandbox sub_result", 422, {"sub_result": ["is invalid"]}
            )
        check_id = self._new("chk")
        reports = []
        for name in names:
            report = {
                "id": self._new("rep"),
                "name": name,
                "status": "awaiting_data",
                "result": None,
                "sub_result": None,
                "check_id": check_id,
                "breakdown": {},
            }
            report["_final"] = (
                "consider" if name in consider else "clear",
                (sub_result if name in consider else "clear") if name == "document" else None,
            )
            self.reports[report["id"]] = report
            reports.append(report["id"])
        self.checks[check_id] = {
            "id": check_id,
            "applicant_id": body["applicant_id"],
            "status": "in_progress",
            "result": None,
            "report_ids": reports,
            "href": f"/v3/checks/{check_id}",
            "is_sandbox": True,
            "_reopen": bool(body.get("reopen")),
        }
        await self._event("check", "check.started", self.checks[check_id])
        return JSONResponse(self._public(self.checks[check_id]), status_code=201)

    async def list_checks(self, request: Request) -> Response:
        if not self._authorized(request):
            return self.auth_failed()
        wanted = request.query_params.get("applicant_id")
        found = [c for c in self.checks.values() if c["applicant_id"] == wanted]
        for check in found:  # a read is what lets the sandbox's clock move
            await self._advance(check)
        return JSONResponse({"checks": [self._public(c) for c in found]})

    async def get_check(self, request: Request) -> Response:
        if not self._authorized(request):
            return self.auth_failed()
        check = self.checks.get(request.path_params["id"])
        if check is None:
            return error("resource_not_found", "The requested resource was not found", 404)
        await self._advance(check)
        return JSONResponse(self._public(check))

    async def get_report(self, request: Request) -> Response:
        if not self._authorized(request):
            return self.auth_failed()
        report = self.reports.get(request.path_params["id"])
        if report is None:
            return error("resource_not_found", "The requested resource was not found", 404)
        return JSONResponse(self._public(report))

    async def resend(self, request: Request) -> Response:
        """Deliver again every event of completed checks (the kit uses this)."""
        if not self._authorized(request):
            return self.auth_failed()
        for check in self.checks.values():
            if check["status"] == "complete":
                await self._event("check", "check.completed", check)
        return Response(status_code=204)

    async def _advance(self, check: dict[str, Any]) -> None:
        """One report completes per poll; the check completes after the last one."""
        if check["status"] == "reopened":
            check["status"] = "complete"
            await self._event("check", "check.completed", check)
            return
        if check["status"] != "in_progress":
            if check["status"] == "complete" and check.pop("_reopen", False):
                check["status"] = "reopened"
                await self._event("check", "check.reopened", check)
            return
        pending = [self.reports[r] for r in check["report_ids"] if self.reports[r]["status"] != "complete"]
        if pending:
            report = pending[0]
            report["status"] = "complete"
            report["result"], report["sub_result"] = report["_final"]
            await self._event("report", "report.completed", report)
        if len(pending) <= 1:
            results = [self.reports[r]["result"] for r in check["report_ids"]]
            check["status"] = "complete"
            check["result"] = "consider" if "consider" in results else "clear"
            await self._event("check", "check.completed", check)

    async def _event(self, kind: str, action: str, obj: dict[str, Any]) -> None:
        body = json.dumps(
            {
                "payload": {
                    "resource_type": kind,
                    "action": action,
                    "object": {
                        "id": obj["id"],
                        "status": obj["status"],
                        "href": f"/v3/{kind}s/{obj['id']}",
                        "completed_at_iso8601": datetime.fromtimestamp(self.clock(), UTC).isoformat(
                            timespec="seconds"
                        ),
                    },
                }
            }
        ).encode()
        await self.send_webhook(body, {"Content-Type": "application/json", "X-SHA2-Signature": sign(body)})

    @staticmethod
    def _public(obj: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in obj.items() if not k.startswith("_")}
