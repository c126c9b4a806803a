"""Adapter for the ``gilan`` style (docs/styles/gilan.md; modelled on IDnow): hosted
video-ident with client-chosen transaction numbers, two auth schemes and two-phase results.

Starting takes ``X-API-KEY``; reads take the ``X-API-LOGIN-TOKEN`` of a login, logged in
again once when the vendor says it expired. The transaction number is derived from the
reference, so a repeated flow meets 409 ``TRANSACTIONNUMBER_ALREADY_USED`` and reads the
identification it made. ``wait=False`` returns PENDING with the person's
``vendor["redirect_url"]``; against the sandbox (``simulate_user``) the flow first plays
the person through the automated-testing endpoints. ``*_PENDING`` results are REVIEW and
provisional (an agent's later word is final); ``SUCCESS_DATA_CHANGED`` is APPROVED with the
changed field *names*. Webhooks: ``X-Gilan-Signature: sha256=<HMAC of "{ts}.{body}">``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import partial
from itertools import repeat
from typing import Any, ClassVar

import httpx

from kyc_sdk import errors
from kyc_sdk.models import Check, CheckKind, Decision, VerificationRequest, VerificationResult
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
class GilanSettings(ProviderSettings):
    company_id: str
    api_key: str = credential()
    #: The webhook secret, or several (current first) while one is rotated out.
    webhook_secret: str | tuple[str, ...] = field(default="", repr=False)
    webhook_tolerance: float = 300.0
    redirect_base: str = "https://go.gilan.sim"
    poll_interval: float = 5.0
    max_polls: int = 120
    #: Sandbox only: play the person through the automated-testing endpoints.
    simulate_user: bool = False


#: Results that may still change (an agent has not looked yet): not in a webhook's decision.
PROVISIONAL = frozenset({"CHECK_PENDING", "REVIEW_PENDING", "FRAUD_SUSPICION_PENDING"})
PENDING_CAUSES = frozenset({"TRANSACTIONNUMBER_ALREADY_USED"})


class GilanProvider(Provider[GilanSettings]):
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
    #: ``errors[0].cause`` of gilan's error answers.
    error_table: ClassVar[Mapping[str, VendorError]] = {
        "INVALID_LOGIN_TOKEN": VendorError(errors.AuthenticationFailed, "login token refused"),
        "INVALID_API_KEY": VendorError(errors.AuthenticationFailed, "API key refused"),
        "UNAUTHORIZED": VendorError(errors.AuthenticationFailed),
        "TRANSACTIONNUMBER_ALREADY_USED": VendorError(errors.ProviderProtocolError),  # read by the flow
        "OBJECT_NOT_FOUND": VendorError(errors.ProviderProtocolError, "no such identification"),
        "MISSING_PARAMETER": VendorError(errors.ProviderProtocolError, "our request missed a parameter"),
        "INVALID_PARAMETER": VendorError(errors.ProviderProtocolError, "our request was invalid"),
        "TOO_MANY_REQUESTS": VendorError(errors.RateLimited),
        "INTERNAL_ERROR": VendorError(errors.ProviderUnavailable),
    }
    kit = KitFacts(retry_signal=True)

    def __init__(self, settings: GilanSettings) -> None:
        super().__init__(settings)
        self._token: str | None = None  # login token, reused until the vendor says it expired

    def _path(self, tail: str) -> str:
        return f"/api/v1/{self.settings.company_id}/{tail}"

    def _create(self, tail: str, body: Any) -> httpx.Request:
        return self.build("POST", self._path(tail), json=body, headers={"X-API-KEY": self.settings.api_key})

    def error_code(self, response: httpx.Response, body: Any) -> str | None:
        errors_ = body.get("errors") if isinstance(body, dict) and response.status_code >= 400 else None
        cause = _webhooks.dig(errors_[0] if isinstance(errors_, list) and errors_ else None, "cause")
        return cause if isinstance(cause, str) else None

    def _read(self, tail: str) -> SubFlow[dict[str, Any]]:
        """GET with the login token; log in first or again (once) when it is missing or expired."""
        for attempt in (0, 1):
            if self._token is None or attempt:
                login = self.answer((yield self._create("login", {"apiKey": self.settings.api_key})))
                self._token = self.vendor_token(login.get("authToken"), "authToken")
            headers = {"X-API-LOGIN-TOKEN": self._token}
            response = yield self.build("GET", self._path(tail), headers=headers)
            expired = response.status_code == 401 and self._cause(response) == "INVALID_LOGIN_TOKEN"
            if not expired or attempt:
                return self.answer(response)
        raise errors.ProviderProtocolError(f"{self.name}: login loop ended", provider=self.name)

    def _cause(self, response: httpx.Response) -> str | None:
        return self.error_code(response, self._json_or_not(response))

    # The flow ---------------------------------------------------------------------------

    def transaction_number(self, reference: str) -> str:
        return "sana" + hashlib.sha256(f"gilan\x00{reference}".encode()).hexdigest()[:24]

    def flow(self, request: VerificationRequest, *, now: Clock, wait: bool = True) -> Flow:
        tn = self.transaction_number(request.reference)
        response = yield self._create(f"identifications/{tn}/start", self._start_body(request))
        if not (response.status_code == 409 and self._cause(response) in PENDING_CAUSES):
            self.answer(response)
        if not wait:
            redirect = f"{self.settings.redirect_base}/{self.settings.company_id}/identifications/{tn}"
            vendor = {"redirect_url": redirect, "transaction_number": tn}
            return VerificationResult(
                Decision.PENDING, self.name, reference=tn, raw_status="STARTED", vendor=vendor
            )
        ident = yield from self._read(f"identifications/{tn}")
        played = self.settings.simulate_user and self._word(ident) == "STARTED"  # not played through yet
        if played:
            yield from self._simulate(tn, request)
        if played or self.map_status(self._word(ident)) is None:
            schedule = repeat(self.settings.poll_interval, self.settings.max_polls)
            read = partial(self._done, tn)
            ident = (yield from self.poll(read, schedule=schedule, look_first=played)) or ident
        return self._result(ident, tn)

    def _done(self, tn: str) -> SubFlow[dict[str, Any] | None]:
        """One look at the identification: it once decided, else None."""
        ident = yield from self._read(f"identifications/{tn}")
        return ident if self.map_status(self._word(ident)) is not None else None

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

    def _simulate(self, tn: str, request: VerificationRequest) -> SubFlow[None]:
        sim = {**request.options_for(self.style), **request.options_for(self.name)}.get("sim") or {}
        headers = {"X-API-KEY": self.settings.api_key}
        for step, body in (("start", {}), ("requestVideoChat", sim)):
            self.answer(
                (yield self.build("POST", f"/sim/identifications/{tn}/{step}", json=body, headers=headers))
            )

    def _word(self, ident: dict[str, Any]) -> str:
        """The identification's result word (``STARTED`` for gilan's ``null``)."""
        process = self.field(ident, "identificationprocess", dict)
        if "result" not in process:
            raise self.protocol_error("answer has no identificationprocess.result")
        return "STARTED" if process["result"] is None else str(self.field(process, "result"))

    def _result(self, ident: dict[str, Any], tn: str) -> VerificationResult:
        process, word = ident["identificationprocess"], self._word(ident)
        decision = self.map_status(word)
        if decision is None:
            raise self.protocol_error("identification read as decided while it is not")
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
        return VerificationResult(
            decision=decision,
            provider=self.name,
            reference=tn,
            checks=(Check(CheckKind.DOCUMENT, decision, self.name, reasons=reasons),),
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
        """Verify the signature (any configured secret) and window; read the identification.
        A provisional result (``*_PENDING``) announces no decision, so duplicates and
        reordering of the two phases cannot turn a final result back. ``event_id`` is the
        digest of what is signed (timestamp and body)."""
        lower = _webhooks.lowered(headers)
        stamp, given = lower.get("x-gilan-timestamp", ""), lower.get("x-gilan-signature", "")
        when, tolerance = _webhooks.signed_time(stamp), self.settings.webhook_tolerance
        if when is None or abs(now - when) > tolerance:
            raise errors.WebhookRejected(f"{self.name}: missing or stale X-Gilan-Timestamp")
        signed = stamp.encode() + b"." + body
        signature = given[7:] if given.startswith("sha256=") else None
        ident = _webhooks.signed_json(self.name, body, signature, self.settings.webhook_secret, signed)
        word = _webhooks.dig(ident, "identificationprocess", "result")
        tn = _webhooks.dig(ident, "identificationprocess", "transactionnumber")
        if not isinstance(tn, str) or not isinstance(word, str) or word not in self.status_map:
            raise errors.WebhookRejected(f"{self.name}: webhook body is not a gilan identification")
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
