"""Adapter for the ``gilan`` style: hosted video-ident with client-chosen transaction
numbers, two auth schemes and two-phase results (modelled on IDnow).

Spec: docs/styles/gilan.md. ``POST /api/v1/{companyid}/identifications/{tn}/start``
with ``X-API-KEY``; the person is redirected to ``https://go.gilan.sim/{companyid}/
identifications/{tn}``; reads (``GET …/identifications/{tn}``) carry ``X-API-LOGIN-TOKEN``
from ``POST /api/v1/{companyid}/login``, which expires: a 401 ``INVALID_LOGIN_TOKEN`` is
answered by logging in again, once.

Choices:
- The transaction number is derived from the request reference, so a repeated flow
  meets 409 ``TRANSACTIONNUMBER_ALREADY_USED`` and reads the existing identification
  instead (``idempotent = True``).
- ``wait=False`` returns PENDING with ``vendor["redirect_url"]`` as soon as the start
  was accepted. ``wait=True`` polls. Against the sandbox (``simulate_user``) the adapter
  first plays the person through the automated-testing endpoints, as IDnow's test
  environment is used: ``/sim/identifications/{tn}/start`` then ``/requestVideoChat``
  with the automatic result the request's ``options["gilan"]["sim"]`` asks for.
- Two phases: the automatic result can be changed by an agent later. ``REVIEW_PENDING``
  and ``FRAUD_SUSPICION_PENDING`` are REVIEW (a human must look; a later read or
  webhook may carry the agent's word). ``SUCCESS_DATA_CHANGED`` is APPROVED, its changed
  field *names* in ``vendor["changed_fields"]`` and reasons ``data_changed_<field>``.
- Webhooks (the spec leaves the scheme to us): ``X-Gilan-Timestamp: <unix>`` and
  ``X-Gilan-Signature: sha256=<hex HMAC-SHA256(secret, f"{ts}.{body}")>``, 300 s window.
"""

from __future__ import annotations

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


@dataclass(frozen=True, kw_only=True)
class GilanSettings(ProviderSettings):
    company_id: str
    api_key: str
    #: The webhook secret, or several (current first) while one is rotated out.
    webhook_secret: str | tuple[str, ...] = ""
    webhook_tolerance: float = 300.0
    redirect_base: str = "https://go.gilan.sim"
    poll_interval: float = 5.0
    max_polls: int = 120
    #: Sandbox only: play the person through the automated-testing endpoints.
    simulate_user: bool = False

    def __repr__(self) -> str:
        return f"GilanSettings(base_url={self.base_url!r}, company_id={self.company_id!r}, api_key=…)"


#: Results that may still change (an agent has not looked yet): not in a webhook's decision.
PROVISIONAL = frozenset({"CHECK_PENDING", "REVIEW_PENDING", "FRAUD_SUSPICION_PENDING"})
PENDING_CAUSES = frozenset({"TRANSACTIONNUMBER_ALREADY_USED"})


class GilanProvider(Provider):
    style = "gilan"
    settings_class = GilanSettings
    capabilities = frozenset({CheckKind.DOCUMENT, CheckKind.FACE_MATCH, CheckKind.LIVENESS})
    cost = 3.0  # a human agent on a video call
    idempotent = True  # the transaction number comes from the reference
    status_map: ClassVar[Mapping[str, Decision | None]] = {
        "STARTED": None,  # our word for ``result: null``: started, the person has not finished
        "CHECK_PENDING": None,
        "SUCCESS": Decision.APPROVED,
        "SUCCESS_DATA_CHANGED": Decision.APPROVED,
        "REVIEW_PENDING": Decision.REVIEW,
        "FRAUD_SUSPICION_PENDING": Decision.REVIEW,
        "FRAUD_SUSPICION_CONFIRMED": Decision.DECLINED,
        "CANCELED": Decision.RETRY,
        "ABORTED": Decision.RETRY,
    }
    error_map: ClassVar[Mapping[str, type[ProviderError]]] = {
        "INVALID_LOGIN_TOKEN": AuthenticationFailed,
        "INVALID_API_KEY": AuthenticationFailed,
        "UNAUTHORIZED": AuthenticationFailed,
        "TRANSACTIONNUMBER_ALREADY_USED": ProviderProtocolError,  # handled in the flow
        "OBJECT_NOT_FOUND": ProviderProtocolError,
        "MISSING_PARAMETER": ProviderProtocolError,
        "INVALID_PARAMETER": ProviderProtocolError,
        "TOO_MANY_REQUESTS": RateLimited,
        "INTERNAL_ERROR": ProviderUnavailable,
    }

    def __init__(self, settings: ProviderSettings) -> None:
        super().__init__(settings)
        self._token: str | None = None  # login token, reused until the vendor says it expired

    @property
    def _s(self) -> GilanSettings:
        assert isinstance(self.settings, GilanSettings)
        return self.settings

    # Requests ---------------------------------------------------------------------------

    def _path(self, tail: str) -> str:
        return f"/api/v1/{self._s.company_id}/{tail}"

    def _create(self, tail: str, body: Any) -> httpx.Request:
        return self.build("POST", self._path(tail), json=body, headers={"X-API-KEY": self._s.api_key})

    def _json(self, response: httpx.Response | None) -> dict[str, Any]:
        assert response is not None
        if response.status_code >= 400:
            raise self._error(response)
        body = self.decode_json(response)
        if not isinstance(body, dict):
            raise self.protocol_error("answer is not a JSON object", response)
        return body

    def _error(self, response: httpx.Response) -> ProviderError:
        status, cause = response.status_code, _cause(response)
        cls = self.error_map.get(cause or "")
        if cls is RateLimited or (cls is None and status == 429):
            return RateLimited(
                f"{self.name}: rate limited",
                provider=self.name,
                status=status,
                vendor_code=cause,
                retry_after=self.retry_after(response),
            )
        if cls is None and status >= 500:
            cls = ProviderUnavailable
        if cls is None and status in (401, 403):
            cls = AuthenticationFailed
        if cls is None:
            return self.protocol_error(f"HTTP {status} without gilan's error envelope", response)
        return cls(
            f"{self.name}: {cause} (HTTP {status})", provider=self.name, status=status, vendor_code=cause
        )

    def _read(self, tail: str) -> SubFlow:
        """GET with the login token; log in first or again (once) when it is missing or expired."""
        for attempt in range(2):
            if self._token is None or attempt:
                login = self._json((yield self._create("login", {"apiKey": self._s.api_key})))
                self._token = self.vendor_token(login.get("authToken"), "authToken")
            response = yield self.build("GET", self._path(tail), headers={"X-API-LOGIN-TOKEN": self._token})
            assert response is not None
            if response.status_code != 401 or _cause(response) != "INVALID_LOGIN_TOKEN" or attempt:
                return self._json(response)
        raise AssertionError("unreachable")

    # The flow ---------------------------------------------------------------------------

    def transaction_number(self, reference: str) -> str:
        return "sana" + hashlib.sha256(f"gilan\x00{reference}".encode()).hexdigest()[:24]

    def flow(self, request: VerificationRequest, *, wait: bool = True) -> Flow:
        tn = self.transaction_number(request.reference)
        response = yield self._create(f"identifications/{tn}/start", self._start_body(request))
        if not (response is not None and response.status_code == 409 and _cause(response) in PENDING_CAUSES):
            self._json(response)
        redirect = f"{self._s.redirect_base}/{self._s.company_id}/identifications/{tn}"
        if not wait:
            return VerificationResult(
                Decision.PENDING,
                self.name,
                reference=tn,
                raw_status="STARTED",
                vendor={"redirect_url": redirect, "transaction_number": tn},
            )
        ident = yield from self._read(f"identifications/{tn}")
        if self._s.simulate_user and _result_word(ident) == "STARTED":  # not yet played through
            yield from self._simulate(tn, request)
            ident = yield from self._read(f"identifications/{tn}")
        polls = 0
        while self.map_status(_result_word(ident)) is None:
            if polls >= self._s.max_polls:
                raise ProviderUnavailable(
                    f"{self.name}: identification not done after {polls} polls", provider=self.name
                )
            yield Wait(self._s.poll_interval)
            ident = yield from self._read(f"identifications/{tn}")
            polls += 1
        return self._result(ident, tn)

    def _start_body(self, request: VerificationRequest) -> dict[str, Any]:
        s = request.subject
        body = {
            "firstname": s.first_name,
            "lastname": s.last_name,
            "birthday": s.birth_date.replace("/", "-") if s.birth_date else None,
            "nationality": "IR" if s.nationality == "IRN" else s.nationality,
            "mobilephone": s.mobile,
            "custom1": request.reference,
        }
        return {k: v for k, v in body.items() if v}

    def _simulate(self, tn: str, request: VerificationRequest) -> SubFlow:
        sim = {**request.options_for(self.style), **request.options_for(self.name)}.get("sim") or {}
        headers = {"X-API-KEY": self._s.api_key}
        for step, body in (("start", {}), ("requestVideoChat", sim)):
            response = yield self.build(
                "POST", f"/sim/identifications/{tn}/{step}", json=body, headers=headers
            )
            self._json(response)

    def _result(self, ident: dict[str, Any], tn: str) -> VerificationResult:
        process = ident["identificationprocess"]
        word = _result_word(ident)
        decision = self.map_status(word)
        assert decision is not None
        userdata = ident["userdata"] if isinstance(ident.get("userdata"), dict) else {}
        changed = sorted(
            k for k, v in userdata.items() if isinstance(v, dict) and v.get("status") == "CHANGE"
        )
        reasons: tuple[str, ...]
        if word == "SUCCESS_DATA_CHANGED":
            reasons = tuple(f"data_changed_{field}" for field in changed)
        else:
            reason = process.get("reason")
            reasons = (reason.lower(),) if isinstance(reason, str) and reason else ()
            if not reasons and decision is not Decision.APPROVED:
                reasons = (word.lower(),)
        check = Check(CheckKind.DOCUMENT, decision, self.name, reasons=reasons)
        return VerificationResult(
            decision=decision,
            provider=self.name,
            reference=tn,
            checks=(check,),
            reasons=reasons,
            raw_status=word,
            raw_codes=tuple(c for c in (process.get("reason"),) if isinstance(c, str)),
            raw=redact(ident),
            vendor={
                "transaction_number": tn,
                "changed_fields": changed,
                "agent": bool(process.get("agentname")),
                "provisional": word in PROVISIONAL,
            },
        )

    # Webhooks ---------------------------------------------------------------------------

    def parse_webhook(
        self, headers: Mapping[str, str], body: bytes, *, now: float, source_ip: str | None = None
    ) -> WebhookEvent:
        """Verify the shared-secret signature (any configured secret) and window; read the
        identification.

        A provisional result (``*_PENDING``) announces no decision: the agent's later
        word, in a later webhook or a read, is final; duplicates and reordering of the
        two phases therefore cannot turn a final result back. ``event_id`` is the digest
        of what is signed (timestamp and body), kept while the timestamp is in the window."""
        secrets = _webhooks.secrets_of(self._s.webhook_secret)
        if not secrets:
            raise WebhookRejected(f"{self.name}: no webhook secret configured")
        _webhooks.check_size(body, self.name)
        lower = _webhooks.lowered(headers)
        stamp, given = lower.get("x-gilan-timestamp", ""), lower.get("x-gilan-signature", "")
        when, tolerance = _webhooks.signed_time(stamp), self._s.webhook_tolerance
        if when is None or abs(now - when) > tolerance:
            raise WebhookRejected(f"{self.name}: missing or stale X-Gilan-Timestamp")
        signed = stamp.encode() + b"." + body
        if not given.startswith("sha256=") or not matches_any(given[7:], secrets, signed):
            raise WebhookRejected(f"{self.name}: bad or missing X-Gilan-Signature")
        ident = _webhooks.read_json(body, self.name)
        process = ident.get("identificationprocess") if isinstance(ident, dict) else None
        if not isinstance(process, dict) or not all(
            isinstance(process.get(k), str) for k in ("result", "transactionnumber")
        ):
            raise WebhookRejected(f"{self.name}: webhook body is not a gilan identification")
        word, tn = process["result"], process["transactionnumber"]
        if word not in self.status_map:
            raise WebhookRejected(f"{self.name}: unknown result")
        decision = None if word in PROVISIONAL else self.status_map[word]
        return WebhookEvent(
            self.name,
            "identification",
            tn,
            status=word,
            decision=decision,
            event_id=_webhooks.digest(signed),
            payload=redact(ident),
            keep_until=_webhooks.keep_until(self.name, when, now, window=tolerance, ahead=tolerance),
        )


def _result_word(ident: dict[str, Any]) -> Any:
    process = ident.get("identificationprocess")
    if not isinstance(process, dict) or "result" not in process:
        raise ProviderProtocolError("gilan: answer has no identificationprocess.result", provider="gilan")
    return "STARTED" if process["result"] is None else process["result"]


def _cause(response: httpx.Response) -> str | None:
    try:
        cause = json.loads(response.content)["errors"][0]["cause"]
    except (ValueError, KeyError, TypeError, IndexError, UnicodeDecodeError):
        return None
    return cause if isinstance(cause, str) else None


def _text(body: Mapping[str, Any], key: str) -> str:
    value = body.get(key)
    if not isinstance(value, str) or not value:
        raise ProviderProtocolError(f"gilan: field {key!r} missing or not a string", provider="gilan")
    return value
