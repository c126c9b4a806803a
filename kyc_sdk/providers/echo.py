"""Adapter for the ``echo`` style: JSON:API inquiries with dated versions and strict
idempotency keys (modelled on Persona and Stripe Identity).

Spec: docs/styles/echo.md. ``Authorization: Bearer <key>`` and a dated
``Echo-Version`` on every call; ``POST /api/v1/inquiries`` → documents → selfies →
submit; the inquiry is polled (``GET /api/v1/inquiries/{id}``) until final; webhooks are
signed ``Echo-Signature: t=<unix>,v1=<hex>`` (two pairs while a secret rotates).

Idempotency: every POST carries ``Idempotency-Key`` = hash(reference, step). The vendor
replays the first answer for a key it has seen, so a whole flow may run again without a
second inquiry (``idempotent = True``; routing may retry it).

Mapping (Checkout.com rule: decide on the status, codes are extra information):
``approved`` → APPROVED; ``declined`` and ``failed`` (attempts exhausted) → DECLINED;
``expired`` → RETRY (the person may start again); ``completed`` means the person
finished but the template decided nothing: a verification that ``requires_retry`` →
RETRY, one that ``failed`` → DECLINED, otherwise REVIEW (client-side decisioning is
ours to do: a human approves or declines through ``/approve|/decline``).
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

import httpx

from kyc_sdk.errors import (
    AuthenticationFailed,
    ProviderError,
    ProviderProtocolError,
    ProviderUnavailable,
    RateLimited,
    WebhookRejected,
)
from kyc_sdk.models import Check, CheckKind, Decision, VerificationRequest, VerificationResult
from kyc_sdk.providers import _webhooks
from kyc_sdk.providers._signing import matches_any
from kyc_sdk.providers.base import Flow, Provider, ProviderSettings, SubFlow, Wait, WebhookEvent
from kyc_sdk.redact import redact

API_VERSION = "2025-12-08"


@dataclass(frozen=True, kw_only=True)
class EchoSettings(ProviderSettings):
    api_key: str
    version: str = API_VERSION
    template_id: str = "itmpl_sana_v1"
    #: Current and (while rotating) previous webhook secrets.
    webhook_secrets: tuple[str, ...] = ()
    webhook_tolerance: float = 300.0
    poll_interval: float = 2.0
    max_polls: int = 60

    def __repr__(self) -> str:
        return f"EchoSettings(base_url={self.base_url!r}, api_key=…)"


#: Sub-verification words → (check outcome, reason or None).
VERIFICATION_OUTCOMES: Mapping[str, Decision] = {
    "passed": Decision.APPROVED,
    "failed": Decision.DECLINED,
    "requires_retry": Decision.RETRY,
}
#: Echo's kebab-case field names that carry PII (redact() knows the generic ones).
KINDS = {"government-id": CheckKind.DOCUMENT, "selfie": CheckKind.FACE_MATCH}
_ORDER = (Decision.DECLINED, Decision.RETRY, Decision.REVIEW, Decision.APPROVED)


def idempotency_key(reference: str, step: str) -> str:
    """Stable per (reference, step), so a retried flow replays instead of duplicating."""
    return hashlib.sha256(f"echo\x00{reference}\x00{step}".encode()).hexdigest()[:40]


def parse_signature(header: str) -> list[tuple[str, str]]:
    """``t=…,v1=… t=…,v1=…`` → [(t, v1), …]; malformed pairs are dropped."""
    pairs = []
    for chunk in header.split():
        parts = dict(p.split("=", 1) for p in chunk.split(",") if "=" in p)
        if parts.get("t") and parts.get("v1"):
            pairs.append((parts["t"], parts["v1"]))
    return pairs


class EchoProvider(Provider):
    style = "echo"
    settings_class = EchoSettings
    capabilities = frozenset({CheckKind.DOCUMENT, CheckKind.FACE_MATCH, CheckKind.LIVENESS})
    cost = 1.2
    idempotent = True  # Idempotency-Key on every POST (see module docstring)
    status_map: ClassVar[Mapping[str, Decision | None]] = {
        "created": None,
        "pending": None,
        "completed": Decision.REVIEW,  # refined by the verifications
        "approved": Decision.APPROVED,
        "declined": Decision.DECLINED,
        "expired": Decision.RETRY,
        "failed": Decision.DECLINED,
    }
    error_map: ClassVar[Mapping[str, type[ProviderError]]] = {
        "unauthorized": AuthenticationFailed,
        "forbidden": AuthenticationFailed,
        "rate_limited": RateLimited,
        "idempotency_error": ProviderProtocolError,
        "record_invalid": ProviderProtocolError,
        "not_found": ProviderProtocolError,
        "conflict": ProviderProtocolError,
        "invalid_version": ProviderProtocolError,
        "internal_error": ProviderUnavailable,
    }

    @property
    def _s(self) -> EchoSettings:
        assert isinstance(self.settings, EchoSettings)
        return self.settings

    # Requests ---------------------------------------------------------------------------

    def _req(self, method: str, path: str, body: Any = None, key: str | None = None) -> httpx.Request:
        headers = {
            "Authorization": f"Bearer {self._s.api_key}",
            "Echo-Version": self._s.version,
            "Accept": "application/vnd.api+json",
        }
        if key:
            headers["Idempotency-Key"] = key
        return self.build(method, f"/api/v1/{path}", headers=headers, json=body)

    def _json(self, response: httpx.Response | None) -> dict[str, Any]:
        assert response is not None
        if response.status_code >= 400:
            raise self._error(response)
        body = self.decode_json(response)
        if not isinstance(body, dict) or not isinstance(body.get("data"), dict):
            raise self.protocol_error("answer is not a JSON:API document", response)
        return body

    def _error(self, response: httpx.Response) -> ProviderError:
        status = response.status_code
        code = _error_code(response)
        if status == 429:
            # RateLimit-Reset is echo's own signal; an edge limiter in front sends Retry-After.
            reset = self.retry_after(response, "RateLimit-Reset")
            if reset is None:
                reset = self.retry_after(response)
            return RateLimited(
                f"{self.name}: rate limited",
                provider=self.name,
                status=status,
                vendor_code=code or "rate_limited",
                retry_after=reset,
            )
        if status >= 500:
            return ProviderUnavailable(
                f"{self.name}: HTTP {status}", provider=self.name, status=status, vendor_code=code
            )
        cls = self.error_map.get(code or "") or (AuthenticationFailed if status in (401, 403) else None)
        if cls is None:
            return self.protocol_error(f"HTTP {status} without echo's error envelope", response)
        return cls(
            f"{self.name}: {code} (HTTP {status})", provider=self.name, status=status, vendor_code=code
        )

    # The flow ---------------------------------------------------------------------------

    def flow(self, request: VerificationRequest, *, wait: bool = True) -> Flow:
        ref = request.reference
        created = self._json(
            (yield self._req("POST", "inquiries", self._create_body(request), idempotency_key(ref, "create")))
        )
        inquiry = self.vendor_id(created["data"].get("id"), "inquiry id")
        if _attr(created["data"], "status") == "created":
            yield from self._submit(request, inquiry)
        doc = self._json((yield self._req("GET", f"inquiries/{inquiry}")))
        polls = 0
        while self.map_status(_attr(doc["data"], "status")) is None:
            if not wait:
                return VerificationResult(
                    Decision.PENDING,
                    self.name,
                    reference=inquiry,
                    raw_status=_attr(doc["data"], "status"),
                    raw=redact(doc),
                )
            if polls >= self._s.max_polls:
                raise ProviderUnavailable(
                    f"{self.name}: inquiry not final after {polls} polls", provider=self.name
                )
            yield Wait(self._s.poll_interval)
            doc = self._json((yield self._req("GET", f"inquiries/{inquiry}")))
            polls += 1
        return self._result(doc)

    def _create_body(self, request: VerificationRequest) -> dict[str, Any]:
        s = request.subject
        fields = {
            "name-first": s.first_name,
            "name-last": s.last_name,
            "birthdate": s.birth_date,
            "identification-number": s.national_code,
            "phone-number": s.mobile,
        }
        attributes = {
            "inquiry-template-id": self._s.template_id,
            "reference-id": request.reference,
            "fields": {k: v for k, v in fields.items() if v},
        }
        body: dict[str, Any] = {"data": {"type": "inquiry", "attributes": attributes}}
        meta = {**request.options_for(self.style), **request.options_for(self.name)}
        if meta:
            body["meta"] = dict(meta)
        return body

    def _submit(self, request: VerificationRequest, inquiry: str) -> SubFlow:
        ev, ref = request.evidence, request.reference
        sides = {"front-photo": ev.document_front, "back-photo": ev.document_back}
        files = {k: base64.b64encode(v).decode() for k, v in sides.items() if v}
        if files:
            body = {"data": {"type": "document", "attributes": {"kind": "national-id", **files}}}
            self._json(
                (yield self._req("POST", f"inquiries/{inquiry}/documents", body, idempotency_key(ref, "doc")))
            )
        if ev.selfie:
            body = {
                "data": {
                    "type": "selfie",
                    "attributes": {"center-photo": base64.b64encode(ev.selfie).decode()},
                }
            }
            self._json(
                (
                    yield self._req(
                        "POST", f"inquiries/{inquiry}/selfies", body, idempotency_key(ref, "selfie")
                    )
                )
            )
        self._json(
            (yield self._req("POST", f"inquiries/{inquiry}/submit", {}, idempotency_key(ref, "submit")))
        )

    def _result(self, doc: dict[str, Any]) -> VerificationResult:
        data = doc["data"]
        status = _attr(data, "status")
        decision = self.map_status(status)
        checks = self._checks(doc)
        if status == "completed":
            worst = min((c.outcome for c in checks), key=_ORDER.index, default=Decision.REVIEW)
            decision = Decision.REVIEW if worst is Decision.APPROVED else worst
        assert decision is not None
        reasons = tuple(r for c in checks if c.outcome is not Decision.APPROVED for r in c.reasons)
        if status in ("expired", "failed"):
            reasons = (f"inquiry_{status}", *reasons)
        return VerificationResult(
            decision=decision,
            provider=self.name,
            reference=_text(data, "id"),
            checks=checks,
            reasons=reasons,
            raw_status=status,
            raw_codes=tuple(f"{c.kind}:{_word(c)}" for c in checks),
            raw=redact(doc),
            vendor={"reference-id": _attr(data, "reference-id", required=False), "version": self._s.version},
        )

    def _checks(self, doc: dict[str, Any]) -> tuple[Check, ...]:
        included = doc.get("included", [])
        if not isinstance(included, list):
            raise self.protocol_error("'included' is not a list")
        checks = []
        for item in included:
            kind = KINDS.get(str(item.get("type"))) if isinstance(item, dict) else None
            if kind is None:
                continue
            word = _attr(item, "status")
            if word not in VERIFICATION_OUTCOMES:
                raise self.protocol_error(f"unknown verification status {word!r}")
            outcome = VERIFICATION_OUTCOMES[word]
            reason = f"{item['type'].replace('-', '_')}_{word}"
            checks.append(
                Check(kind, outcome, self.name, reasons=(reason,) if outcome is not Decision.APPROVED else ())
            )
        return tuple(checks)

    # Webhooks ---------------------------------------------------------------------------

    def parse_webhook(
        self, headers: Mapping[str, str], body: bytes, *, now: float, source_ip: str | None = None
    ) -> WebhookEvent:
        """Verify ``Echo-Signature`` (any pair, any configured secret, within the
        tolerance) and read the event. The event carries the inquiry's status, so its
        decision is final except for ``completed`` (which needs the verifications: fetch).
        ``event_id`` is echo's own; its id is kept while the signing ``t`` is in the window."""
        secrets = [s for s in self._s.webhook_secrets if s]
        if not secrets:
            raise WebhookRejected(f"{self.name}: no webhook secret configured")
        _webhooks.check_size(body, self.name)
        pairs = parse_signature(_webhooks.lowered(headers).get("echo-signature", ""))
        if not pairs:
            raise WebhookRejected(f"{self.name}: missing or malformed Echo-Signature")
        tolerance = self._s.webhook_tolerance
        stamps = [
            stamp for t, sig in pairs if (stamp := _valid(t, sig, body, secrets, now, tolerance)) is not None
        ]
        if not stamps:
            raise WebhookRejected(f"{self.name}: bad or stale Echo-Signature")
        found = _webhooks.read_json(body, self.name)
        try:
            data = found["data"]
            attributes = data["attributes"]
            name, inquiry = attributes["name"], attributes["payload"]["data"]
            ident, status = inquiry["id"], inquiry["attributes"]["status"]
        except (KeyError, TypeError, IndexError):
            raise WebhookRejected(f"{self.name}: webhook body is not an echo event") from None
        if not all(isinstance(v, str) for v in (name, ident, status)) or not isinstance(attributes, dict):
            raise WebhookRejected(f"{self.name}: webhook body is not an echo event")
        event_id = data.get("id") if isinstance(data.get("id"), str) else _webhooks.digest(body)
        decision = self.status_map.get(status) if status != "completed" else None
        return WebhookEvent(
            self.name,
            name,
            ident,
            status=status,
            decision=decision,
            event_id=event_id,
            payload=redact(attributes),
            keep_until=_webhooks.keep_until(self.name, max(stamps), now, window=tolerance, ahead=tolerance),
        )


def _valid(t: str, sig: str, body: bytes, secrets: list[str], now: float, tolerance: float) -> float | None:
    """The pair's time when it is in the window and signed by a secret, else None."""
    stamp = _webhooks.signed_time(t)
    if stamp is None or abs(now - stamp) > tolerance:
        return None
    return stamp if matches_any(sig, secrets, t.encode() + b"." + body) else None  # constant-time


def _error_code(response: httpx.Response) -> str | None:
    try:
        code = json.loads(response.content)["errors"][0]["code"]
    except (ValueError, KeyError, TypeError, IndexError, UnicodeDecodeError):
        return None
    return code if isinstance(code, str) else None


def _text(obj: Any, key: str) -> str:
    value = obj.get(key) if isinstance(obj, dict) else None
    if not isinstance(value, str):
        raise ProviderProtocolError(f"echo: field {key!r} missing or not a string", provider="echo")
    return value


def _attr(obj: Any, key: str, required: bool = True) -> Any:
    attributes = obj.get("attributes") if isinstance(obj, dict) else None
    if not isinstance(attributes, dict) or (required and not isinstance(attributes.get(key), str)):
        raise ProviderProtocolError(f"echo: attribute {key!r} missing", provider="echo")
    return attributes.get(key)


def _word(check: Check) -> str:
    return next(w for w, d in VERIFICATION_OUTCOMES.items() if d is check.outcome)
