"""Adapter for the ``aurora`` style: applicant → documents → check → reports (modelled
on Onfido's API v3).

Spec: docs/styles/aurora.md. ``Authorization: Token token=<key>``; multipart
uploads; a check runs its reports asynchronously and is polled (``GET /checks/{id}``)
until ``complete``; webhooks carry ``X-SHA2-Signature``.

Aurora has no idempotency keys, so the adapter dedupes: the request's ``reference`` is
the applicant's ``external_id``, and before creating anything the flow looks for what an
earlier, interrupted attempt made (the applicant, its documents, its live photo, its check). That makes
a whole flow safe to repeat, so routing may retry it (``idempotent = True``).

A check's result is final only when every report is complete. ``consider`` is mapped
through the reports: the document's ``sub_result`` ``suspected`` or ``rejected`` by the
face report → DECLINED, ``rejected`` → RETRY (unreadable, cut off: upload again),
``caution`` → REVIEW, ``unidentified`` → RETRY.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

import httpx

from kyc_sdk.errors import (
    AuthenticationFailed,
    InputError,
    ProviderError,
    ProviderProtocolError,
    ProviderUnavailable,
    RateLimited,
    WebhookRejected,
)
from kyc_sdk.models import Check, CheckKind, Decision, DocumentType, VerificationRequest, VerificationResult
from kyc_sdk.providers import _webhooks
from kyc_sdk.providers._signing import matches_any
from kyc_sdk.providers.base import Flow, Provider, ProviderSettings, SubFlow, Wait, WebhookEvent
from kyc_sdk.redact import redact


@dataclass(frozen=True, kw_only=True)
class AuroraSettings(ProviderSettings):
    api_token: str
    #: The webhook token, or several (current first) while one is rotated out.
    webhook_token: str | tuple[str, ...] = ""
    poll_interval: float = 2.0
    max_polls: int = 60

    def __repr__(self) -> str:
        return f"AuroraSettings(base_url={self.base_url!r}, api_token=…)"


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


class AuroraProvider(Provider):
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
    error_map: ClassVar[Mapping[str, type[ProviderError]]] = {
        "authorization_error": AuthenticationFailed,
        "rate_limit": RateLimited,
        "internal_server_error": ProviderUnavailable,
        "validation_error": ProviderProtocolError,
        "resource_not_found": ProviderProtocolError,
    }

    # Requests ---------------------------------------------------------------------------

    def _req(self, method: str, path: str, **kwargs: Any) -> httpx.Request:
        assert isinstance(self.settings, AuroraSettings)
        headers = {"Authorization": f"Token token={self.settings.api_token}"}
        return self.build(method, f"/v3/{path}", headers=headers, **kwargs)

    def _json(self, response: httpx.Response | None, expect: int = 200) -> dict[str, Any]:
        assert response is not None
        if response.status_code >= 400:
            raise self._error(response)
        body = self.decode_json(response)
        if not isinstance(body, dict):
            raise self.protocol_error("answer is not a JSON object", response)
        return body

    def _error(self, response: httpx.Response) -> ProviderError:
        status = response.status_code
        try:
            kind = json.loads(response.content)["error"]["type"]
        except (ValueError, KeyError, TypeError):
            kind = None
        if status >= 500 and kind in (None, "internal_server_error"):
            return ProviderUnavailable(f"{self.name}: HTTP {status}", provider=self.name, status=status)
        cls = self.error_map.get(kind) if isinstance(kind, str) else None
        if cls is None and status == 429:  # an edge limiter's 429 has no aurora envelope
            cls = RateLimited
        if cls is None:
            return self.protocol_error(f"HTTP {status} without aurora's error envelope", response)
        if cls is RateLimited:
            return RateLimited(
                f"{self.name}: rate limited",
                provider=self.name,
                status=status,
                vendor_code=kind,
                retry_after=self.retry_after(response),
            )
        return cls(
            f"{self.name}: {kind} (HTTP {status})", provider=self.name, status=status, vendor_code=kind
        )

    @staticmethod
    def _field(body: Any, key: str, kind: type = str) -> Any:
        value = body.get(key) if isinstance(body, Mapping) else None
        if not isinstance(value, kind):
            raise ProviderProtocolError(
                f"aurora: field {key!r} missing or not {kind.__name__}", provider="aurora"
            )
        return value

    # The flow ---------------------------------------------------------------------------

    def flow(self, request: VerificationRequest, *, wait: bool = True) -> Flow:
        wanted = request.checks & self.capabilities or self.capabilities
        reference = request.reference
        found = self._json((yield self._req("GET", "applicants", params={"external_id": reference})))
        existing = self._field(found, "applicants", list) if reference else []
        if existing:
            applicant = self._field(existing[0], "id")
        else:
            subject = request.subject
            body = {
                "first_name": subject.first_name,
                "last_name": subject.last_name,
                "external_id": reference,
            }
            applicant = self._field(self._json((yield self._req("POST", "applicants", json=body))), "id")
        yield from self._upload(request, applicant, wanted)
        check = yield from self._check(request, applicant, wanted)
        polls = 0
        while self.map_status(self._field(check, "status")) is None:
            if not wait:
                return VerificationResult(
                    Decision.PENDING,
                    self.name,
                    reference=self.vendor_id(check.get("id"), "check id"),
                    raw_status=check["status"],
                    raw=redact(check),
                )
            if polls >= self.settings.max_polls:  # type: ignore[attr-defined]
                raise ProviderUnavailable(
                    f"{self.name}: check not complete after {polls} polls", provider=self.name
                )
            yield Wait(self.settings.poll_interval)  # type: ignore[attr-defined]
            check_id = self.vendor_id(check.get("id"), "check id")
            check = self._json((yield self._req("GET", f"checks/{check_id}")))
            polls += 1
        reports = yield from self._reports(check)
        return self._result(check, reports, {REPORTS[k] for k in wanted if k in REPORTS})

    def _reports(self, check: dict[str, Any]) -> SubFlow:
        reports = []
        for report_id in self._field(check, "report_ids", list):
            report_id = self.vendor_id(report_id, "report id")
            reports.append(self._json((yield self._req("GET", f"reports/{report_id}"))))
        return reports

    def _upload(self, request: VerificationRequest, applicant: str, wanted: frozenset[CheckKind]) -> SubFlow:
        evidence = request.evidence
        listed = self._json((yield self._req("GET", "documents", params={"applicant_id": applicant})))
        have = {
            d.get("side")
            for d in self._field(listed, "documents", list)
            if isinstance(d, dict) and isinstance(d.get("side"), str)
        }
        kind = "passport" if evidence.document_type is DocumentType.PASSPORT else "national_identity_card"
        for side, content in (("front", evidence.document_front), ("back", evidence.document_back)):
            if content and side not in have:
                data = {"applicant_id": applicant, "type": kind, "side": side}
                files = {"file": (f"{side}.jpg", content, "application/octet-stream")}
                self._json((yield self._req("POST", "documents", data=data, files=files)))
        if (
            CheckKind.FACE_MATCH in wanted
            and evidence.selfie
            and not (yield from self._has_live_photo(applicant))
        ):
            files = {"file": ("selfie.jpg", evidence.selfie, "application/octet-stream")}
            self._json(
                (yield self._req("POST", "live_photos", data={"applicant_id": applicant}, files=files))
            )
        return None  # type: ignore[return-value]

    def _has_live_photo(self, applicant: str) -> SubFlow:
        """Whether an earlier attempt already uploaded the live photo (aurora keeps every one)."""
        listed = self._json((yield self._req("GET", "live_photos", params={"applicant_id": applicant})))
        return bool(self._field(listed, "live_photos", list))

    def _check(self, request: VerificationRequest, applicant: str, wanted: frozenset[CheckKind]) -> SubFlow:
        listed = self._json((yield self._req("GET", "checks", params={"applicant_id": applicant})))
        checks = self._field(listed, "checks", list)
        if checks:
            return checks[0]  # type: ignore[no-any-return]
        body = {
            "applicant_id": applicant,
            "asynchronous": True,
            "report_names": [REPORTS[k] for k in (CheckKind.DOCUMENT, CheckKind.FACE_MATCH) if k in wanted],
            **request.options_for(self.name),
        }
        return self._json((yield self._req("POST", "checks", json=body)))  # type: ignore[return-value]

    def _result(
        self, check: dict[str, Any], reports: list[dict[str, Any]], asked: set[str]
    ) -> VerificationResult:
        decision = self.map_status(check["status"])
        if not asked <= {r.get("name") for r in reports if isinstance(r.get("name"), str)}:
            # "complete" is refined by the reports: one we asked for and did not get could be the decline
            raise self.protocol_error("check complete without every report asked for")
        results = []
        for report in reports:
            if report.get("status") != "complete":
                raise self.protocol_error("check complete while a report is not")
            key = (
                report.get("result"),
                report.get("sub_result") if report.get("name") == "document" else None,
            )
            if not all(part is None or isinstance(part, str) for part in key) or key not in REPORT_OUTCOMES:
                raise self.protocol_error("unknown report result")
            outcome, reason = REPORT_OUTCOMES[key]  # type: ignore[index]
            kind = CheckKind.DOCUMENT if report.get("name") == "document" else CheckKind.FACE_MATCH
            results.append(Check(kind, outcome, self.name, reasons=(reason,) if reason else ()))
        order = (Decision.DECLINED, Decision.REVIEW, Decision.RETRY, Decision.APPROVED)
        if decision is Decision.APPROVED and results:
            decision = min((c.outcome for c in results), key=order.index)
        assert decision is not None
        return VerificationResult(
            decision=decision,
            provider=self.name,
            reference=self.vendor_id(check.get("id"), "check id"),
            checks=tuple(results),
            reasons=tuple(r for c in results for r in c.reasons),
            raw_status=f"{check['status']}/{check.get('result')}",
            raw_codes=tuple(f"{r.get('name')}:{r.get('result')}/{r.get('sub_result')}" for r in reports),
            raw=redact({"check": check, "reports": reports}),
            vendor={"applicant_id": check.get("applicant_id"), "is_sandbox": check.get("is_sandbox", False)},
        )

    # Webhooks ---------------------------------------------------------------------------

    def parse_webhook(
        self, headers: Mapping[str, str], body: bytes, *, now: float, source_ip: str | None = None
    ) -> WebhookEvent:
        """Check ``X-SHA2-Signature`` (HMAC-SHA256 of the raw body under any configured
        token) and read the event.

        Aurora's events say *that* a check or report changed, not its result: ``fetch``
        (``KYC.fetch_result``) reads the check and its reports to learn it. Aurora
        has no event ids: ``event_id`` is the body's digest. The object's
        ``completed_at_iso8601`` (signed with the body) bounds a replay's age; an event
        without it is remembered for ``UNDATED_KEEP``."""
        tokens = _webhooks.secrets_of(self.settings.webhook_token)  # type: ignore[attr-defined]
        if not tokens:
            raise WebhookRejected(f"{self.name}: no webhook token configured")
        _webhooks.check_size(body, self.name)
        if not matches_any(_webhooks.lowered(headers).get("x-sha2-signature"), tokens, body):
            raise WebhookRejected(f"{self.name}: bad or missing X-SHA2-Signature")
        found = _webhooks.read_json(body, self.name)
        payload = found.get("payload") if isinstance(found, dict) else None
        obj = payload.get("object") if isinstance(payload, dict) else None
        if (
            not isinstance(payload, dict)
            or not isinstance(obj, dict)
            or not all(isinstance(v, str) for v in (payload.get("action"), obj.get("status"), obj.get("id")))
        ):
            raise WebhookRejected(f"{self.name}: webhook body is not an aurora event")
        event, status, ident = payload["action"], obj["status"], obj["id"]
        decision = self.status_map.get(status) if payload.get("resource_type") == "check" else None
        sent_at = _webhooks.signed_time(obj.get("completed_at_iso8601"))
        return WebhookEvent(
            self.name,
            event,
            ident,
            status=status,
            decision=None if decision is Decision.APPROVED else decision,  # result needs a fetch
            event_id=_webhooks.digest(body),
            payload=redact(payload),
            keep_until=_webhooks.keep_until(self.name, sent_at, now),
        )

    def fetch(self, event: WebhookEvent) -> Flow:
        """The check an event is about (a report's, for a report event) with its reports;
        PENDING while the check is not complete."""
        kind = event.payload.get("resource_type")
        if not event.reference or kind not in ("check", "report"):
            raise InputError(f"{self.name}: the event names no check or report to read")
        check_id = self.vendor_id(event.reference, "check or report id")
        if kind == "report":
            report = self._json((yield self._req("GET", f"reports/{check_id}")))
            check_id = self.vendor_id(report.get("check_id"), "check id")
        check = self._json((yield self._req("GET", f"checks/{check_id}")))
        if self.map_status(self._field(check, "status")) is None:
            return VerificationResult(
                Decision.PENDING, self.name, reference=check_id, raw_status=check["status"], raw=redact(check)
            )
        reports = yield from self._reports(check)
        # An event does not say which reports were asked for; every check we make has a document report.
        return self._result(check, reports, {REPORTS[CheckKind.DOCUMENT]})
