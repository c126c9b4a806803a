"""Adapter for the ``aurora`` style (docs/styles/aurora.md; modelled on Onfido's API v3):
applicant → documents → check → reports, the check polled until ``complete``.

Aurora has no idempotency keys, so the flow first finds what an earlier attempt made for
the request's ``reference`` (the applicant's ``external_id``): a whole flow is safe to
repeat. A complete check's ``consider`` is read through its reports (``REPORT_OUTCOMES``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import partial
from itertools import repeat
from typing import Any, ClassVar

import httpx

from kyc_sdk.errors import (
    AuthenticationFailed,
    InputError,
    ProviderProtocolError,
    ProviderUnavailable,
    RateLimited,
    WebhookRejected,
)
from kyc_sdk.models import Check, CheckKind, Decision, DocumentType, VerificationRequest, VerificationResult
from kyc_sdk.providers import _webhooks
from kyc_sdk.providers.base import (
    Clock,
    Flow,
    KitFacts,
    Provider,
    ProviderSettings,
    SubFlow,
    VendorError,
    WebhookEvent,
    credential,
)
from kyc_sdk.redact import redact


@dataclass(frozen=True, kw_only=True)
class AuroraSettings(ProviderSettings):
    api_token: str = credential()
    #: The webhook token, or several (current first) while one is rotated out.
    webhook_token: str | tuple[str, ...] = field(default="", repr=False)
    poll_interval: float = 2.0
    max_polls: int = 60


REPORTS = {CheckKind.DOCUMENT: "document", CheckKind.FACE_MATCH: "facial_similarity_photo"}

#: Our reading of a completed report: (result, sub_result) → (decision, reason).
REPORT_OUTCOMES: Mapping[tuple[str, str | None], tuple[Decision, str | None]] = {
    ("clear", None): (Decision.APPROVED, None),
    ("clear", "clear"): (Decision.APPROVED, None),
    ("consider", None): (Decision.DECLINED, "face_mismatch"),
    ("consider", "suspected"): (Decision.DECLINED, "document_suspected"),
    ("consider", "rejected"): (Decision.RETRY, "document_rejected"),
    ("consider", "caution"): (Decision.REVIEW, "document_caution"),
    ("consider", "clear"): (Decision.REVIEW, "document_consider"),
    ("unidentified", None): (Decision.RETRY, "document_unidentified"),
    ("unidentified", "rejected"): (Decision.RETRY, "document_unidentified"),
}


class AuroraProvider(Provider[AuroraSettings]):
    style = "aurora"
    settings_class = AuroraSettings
    capabilities = frozenset({CheckKind.DOCUMENT, CheckKind.FACE_MATCH})
    cost = 1.5
    idempotent = True  # the flow finds what an earlier attempt created (see module docstring)
    status_map: ClassVar[Mapping[str, Decision | None]] = {
        "in_progress": None,
        "awaiting_applicant": None,
        "paused": None,
        "reopened": None,
        "complete": Decision.APPROVED,  # refined by the reports' results
        "withdrawn": Decision.RETRY,
    }
    #: The ``error.type`` of aurora's error envelope.
    error_table: ClassVar[Mapping[str, VendorError]] = {
        "authorization_error": VendorError(AuthenticationFailed),
        "rate_limit": VendorError(RateLimited),
        "internal_server_error": VendorError(ProviderUnavailable),
        "validation_error": VendorError(ProviderProtocolError, "our request was invalid"),
        "resource_not_found": VendorError(ProviderProtocolError, "no such resource"),
    }
    kit = KitFacts(webhook_events=("check.started", "report.completed", "check.completed"))

    def _call(self, method: str, path: str, **kwargs: Any) -> SubFlow[dict[str, Any]]:
        headers = {"Authorization": f"Token token={self.settings.api_token}"}
        return self.answer((yield self.build(method, f"/v3/{path}", headers=headers, **kwargs)))

    def error_code(self, response: httpx.Response, body: Any) -> str | None:
        error = body.get("error") if isinstance(body, dict) and response.status_code >= 400 else None
        kind = error.get("type") if isinstance(error, dict) else None
        return kind if isinstance(kind, str) else None

    # The flow ---------------------------------------------------------------------------

    def flow(self, request: VerificationRequest, *, now: Clock, wait: bool = True) -> Flow:
        wanted = request.checks & self.capabilities or self.capabilities
        applicant = yield from self._applicant(request)
        yield from self._upload(request, applicant, wanted)
        check = yield from self._check(request, applicant, wanted)
        if self.map_status(self.field(check, "status")) is None:
            read = partial(self._complete, self.vendor_id(check.get("id"), "check id"))
            schedule = repeat(self.settings.poll_interval, self.settings.max_polls)
            check = (yield from self.poll(read, schedule=schedule, wait=wait, look_first=False)) or check
        return (yield from self._finish(check, {REPORTS[k] for k in wanted if k in REPORTS}))

    def _applicant(self, request: VerificationRequest) -> SubFlow[str]:
        """The applicant an earlier attempt made for this reference, or a new one."""
        params = {"external_id": request.reference}
        existing = self.field((yield from self._call("GET", "applicants", params=params)), "applicants", list)
        if existing and request.reference:
            return self.vendor_id(self.field(existing[0], "id"), "applicant id")
        subject = request.subject
        body = {
            "first_name": subject.first_name,
            "last_name": subject.last_name,
            "external_id": request.reference,
        }
        return self.vendor_id(self.field((yield from self._call("POST", "applicants", json=body)), "id"))

    def _complete(self, check_id: str) -> SubFlow[dict[str, Any] | None]:
        """One look at a check: the check once complete (or withdrawn), else None."""
        check = yield from self._call("GET", f"checks/{check_id}")
        return check if self.map_status(self.field(check, "status")) is not None else None

    def _finish(self, check: dict[str, Any], asked: set[str]) -> Flow:
        """The result of a check: PENDING until complete, then read through its reports."""
        check_id = self.vendor_id(check.get("id"), "check id")
        decision = self.map_status(self.field(check, "status"))
        if decision is None:
            return self.pending(check_id, check["status"], check)
        reports = []
        for listed in self.field(check, "report_ids", list):
            reports.append((yield from self._call("GET", f"reports/{self.vendor_id(listed, 'report id')}")))
        if not asked <= {r.get("name") for r in reports if isinstance(r.get("name"), str)}:
            # "complete" is refined by the reports: one we asked for and did not get could be the decline
            raise self.protocol_error("check complete without every report asked for")
        results = [self._report_check(report) for report in reports]
        if decision is Decision.APPROVED and results:
            decision = Decision.worst(c.outcome for c in results)
        return VerificationResult(
            decision=decision,
            provider=self.name,
            reference=check_id,
            checks=tuple(results),
            reasons=tuple(r for c in results for r in c.reasons),
            raw_status=f"{check['status']}/{check.get('result')}",
            raw_codes=tuple(f"{r.get('name')}:{r.get('result')}/{r.get('sub_result')}" for r in reports),
            raw=redact({"check": check, "reports": reports}),
            vendor={"applicant_id": check.get("applicant_id"), "is_sandbox": check.get("is_sandbox", False)},
        )

    def _upload(
        self, request: VerificationRequest, applicant: str, wanted: frozenset[CheckKind]
    ) -> SubFlow[None]:
        """Upload what an earlier attempt did not (aurora keeps every upload)."""
        evidence, params = request.evidence, {"applicant_id": applicant}
        listed = self.field((yield from self._call("GET", "documents", params=params)), "documents", list)
        have = {d.get("side") for d in listed if isinstance(d, dict) and isinstance(d.get("side"), str)}
        kind = "passport" if evidence.document_type is DocumentType.PASSPORT else "national_identity_card"
        for side, content in (("front", evidence.document_front), ("back", evidence.document_back)):
            if content and side not in have:
                data = {"applicant_id": applicant, "type": kind, "side": side}
                files = {"file": (f"{side}.jpg", content, "application/octet-stream")}
                yield from self._call("POST", "documents", data=data, files=files)
        if CheckKind.FACE_MATCH in wanted and evidence.selfie:
            photos = yield from self._call("GET", "live_photos", params=params)
            if not self.field(photos, "live_photos", list):
                files = {"file": ("selfie.jpg", evidence.selfie, "application/octet-stream")}
                yield from self._call("POST", "live_photos", data=params, files=files)

    def _check(
        self, request: VerificationRequest, applicant: str, wanted: frozenset[CheckKind]
    ) -> SubFlow[dict[str, Any]]:
        params = {"applicant_id": applicant}
        earlier = self.field((yield from self._call("GET", "checks", params=params)), "checks", list)
        if earlier:  # an earlier attempt made it
            found: dict[str, Any] = self.field({"checks": earlier[0]}, "checks", dict)
            return found
        body = {
            "applicant_id": applicant,
            "asynchronous": True,
            "report_names": [REPORTS[k] for k in (CheckKind.DOCUMENT, CheckKind.FACE_MATCH) if k in wanted],
            **request.options_for(self.name),
        }
        return (yield from self._call("POST", "checks", json=body))

    def _report_check(self, report: dict[str, Any]) -> Check:
        if report.get("status") != "complete":
            raise self.protocol_error("check complete while a report is not")
        document = report.get("name") == "document"
        result, sub = report.get("result"), report.get("sub_result") if document else None
        known = None
        if isinstance(result, str) and isinstance(sub, str | None):
            known = REPORT_OUTCOMES.get((result, sub))
        if known is None:
            raise self.protocol_error("unknown report result")
        outcome, reason = known
        kind = CheckKind.DOCUMENT if document else CheckKind.FACE_MATCH
        return Check(kind, outcome, self.name, reasons=(reason,) if reason else ())

    # Webhooks ---------------------------------------------------------------------------

    def parse_webhook(
        self, headers: Mapping[str, str], body: bytes, *, now: float, source_ip: str | None = None
    ) -> WebhookEvent:
        """``X-SHA2-Signature`` is an HMAC of the body. Events say *that* a check changed,
        not its result (``fetch`` reads it); the signed ``completed_at_iso8601`` dates them."""
        given = _webhooks.lowered(headers).get("x-sha2-signature")
        found = _webhooks.signed_json(self.name, body, given, self.settings.webhook_token)
        payload: Any = found.get("payload") if isinstance(found, dict) else None
        obj: Any = payload.get("object") if isinstance(payload, dict) else None
        event, status, ident = (
            (payload.get("action"), obj.get("status"), obj.get("id")) if isinstance(obj, dict) else (0, 0, 0)
        )
        if not (isinstance(event, str) and isinstance(status, str) and isinstance(ident, str)):
            raise WebhookRejected(f"{self.name}: webhook body is not an aurora event")
        decision = self.status_map.get(status) if payload.get("resource_type") == "check" else None
        decision = None if decision is Decision.APPROVED else decision  # a result needs a fetch
        sent_at = obj.get("completed_at_iso8601")
        return _webhooks.body_event(
            self.name, event, ident, status, decision, body, redact(payload), sent_at, now
        )

    def fetch(self, event: WebhookEvent, *, now: Clock) -> Flow:
        """The check an event is about (a report's, for a report event), with its reports."""
        kind = event.payload.get("resource_type")
        if not event.reference or kind not in ("check", "report"):
            raise InputError(f"{self.name}: the event names no check or report to read")
        check_id = self.vendor_id(event.reference, "check or report id")
        if kind == "report":
            report = yield from self._call("GET", f"reports/{check_id}")
            check_id = self.vendor_id(report.get("check_id"), "check id")
        check = yield from self._call("GET", f"checks/{check_id}")
        # An event does not say which reports were asked for; every check we make has a document report.
        return (yield from self._finish(check, {REPORTS[CheckKind.DOCUMENT]}))
