"""Adapter for the ``fjord`` style: body-signed job upload, presigned ZIP, polling,
stringly typed results (modelled on Smile ID).

Spec: docs/styles/fjord.md; wire details in ``_fjord_wire``. No auth header: every body
is signed (``partner_id``, ``timestamp``, ``signature``), stamped by the driver's clock.
A job is ``POST /v1/upload`` → ``PUT <upload_url>`` (a ZIP with ``info.json``) → polled
with ``POST /v1/job_status`` (2 s × 3, then 4 s, at most 20 polls; scaled down for the
sandbox). A registry-only request uses the synchronous ``POST /v1/id_verification``.

- An answer whose own ``timestamp`` + ``signature`` is missing, wrong, or more than
  ``answer_tolerance`` (1 h) from the driver's clock is ``AuthenticationFailed``: it did
  not come from someone holding our key, and retrying will not help.
- The ``job_id`` is derived from the reference, so the flow is repeatable: uploading a
  job whose ZIP arrived answers ``2215`` (job exists) and the flow polls it; an expired
  upload URL (403 on the PUT) is asked for again once.
- ``ResultCode`` decides (``RESULT_CODES``); ``Actions`` become checks. ``0814`` is
  REVIEW with ``vendor["provisional"] = True``: a later poll may carry a final code.
- A callback's signature does not cover its body: a callback is a hint without a
  decision, and ``fetch`` (``KYC.fetch_result``) reads the job it names from fjord.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from itertools import chain, islice, repeat
from typing import Any, ClassVar

import httpx

from kyc_sdk.errors import (
    AuthenticationFailed,
    InputError,
    ProviderProtocolError,
    ProviderUnavailable,
    RateLimited,
)
from kyc_sdk.models import CheckKind, Decision, VerificationRequest, VerificationResult
from kyc_sdk.providers import _fjord_wire as wire
from kyc_sdk.providers.base import (
    Clock,
    Flow,
    KitFacts,
    Provider,
    ProviderSettings,
    SubFlow,
    VendorError,
    WebhookEvent,
    callback,
    credential,
)
from kyc_sdk.redact import redact

#: The ``code`` of an error answer.
ERRORS: Mapping[str, VendorError] = {
    "2203": VendorError(AuthenticationFailed, "invalid signature"),
    "2204": VendorError(AuthenticationFailed, "partner not authorised"),
    "2205": VendorError(AuthenticationFailed, "not authorised for this product"),
    "2209": VendorError(AuthenticationFailed, "timestamp outside the window (clock skew)"),
    "2213": VendorError(ProviderProtocolError, "missing required keys"),
    "2214": VendorError(ProviderProtocolError, "invalid job type or value"),
    "2215": VendorError(ProviderProtocolError, "job exists"),  # the flow polls it
    "2231": VendorError(ProviderProtocolError, "unknown job"),
    "2220": VendorError(RateLimited, "partner-wide rate limit"),
    "2222": VendorError(RateLimited, "per-ID-number limit: 30 in a rolling 3 days"),
    "2299": VendorError(ProviderUnavailable, "internal error"),
}


@dataclass(frozen=True, kw_only=True)
class FjordSettings(ProviderSettings):
    partner_id: str = credential()
    api_key: str = credential()
    callback_url: str = callback("")
    job_type: int = 1  # biometric KYC: selfie + ID
    #: Client polling policy: ``first_polls`` polls ``first_interval`` apart, then ``interval``.
    first_interval: float = 2.0
    first_polls: int = 3
    interval: float = 4.0
    max_polls: int = 20
    webhook_tolerance: float = 300.0
    #: How far an answer's own timestamp may be from our clock (replayed answers are refused).
    answer_tolerance: float = 3600.0


class FjordProvider(Provider[FjordSettings]):
    style = "fjord"
    settings_class = FjordSettings
    capabilities = frozenset(wire.ACTIONS.values())  # liveness, face match, document, registry
    cost = 0.8
    idempotent = True  # job_id derived from the reference (see module docstring)
    status_map: ClassVar[Mapping[str, Decision | None]] = {
        code: decision for code, (decision, _) in wire.RESULT_CODES.items()
    } | {"job_pending": None}
    error_table = ERRORS
    kit = KitFacts(
        request_signature="signature field in the JSON body",
        signed_answer_fields=("timestamp", "signature"),
        webhook_events=("job_result_provisional", "job_result"),
    )

    def _post(self, path: str, body: Mapping[str, Any], *, now: Clock) -> httpx.Request:
        s, stamp = self.settings, wire.iso_stamp(now())
        return self.build("POST", path, json=wire.signed(s.api_key, s.partner_id, body, stamp))

    def tamper_signature(self, request: httpx.Request) -> httpx.Request:
        return wire.spoil_signature(request)

    def error_code(self, response: httpx.Response, body: Any) -> str | None:
        code = body.get("code") if isinstance(body, dict) and not response.is_success else None
        return code if isinstance(code, str) else None

    def _answer(self, response: httpx.Response, *, now: Clock) -> dict[str, Any]:
        """A success answer that carries our signature and a fresh timestamp; one without
        them comes from someone without our key, or is replayed: ``AuthenticationFailed``."""
        body = self.answer(response)
        s, age = self.settings, wire.seconds_since(body.get("timestamp"), now())
        if not wire.signature_ok(s.api_key, s.partner_id, body):
            problem = "signature"
        elif age is None or abs(age) > s.answer_tolerance:  # replayed, or a wrong clock
            problem = "timestamp"
        else:
            return body
        text, code = f"{self.name}: answer's {problem} does not verify", f"response_{problem}"
        raise AuthenticationFailed(text, provider=self.name, status=response.status_code, vendor_code=code)

    def flow(self, request: VerificationRequest, *, now: Clock, wait: bool = True) -> Flow:
        if request.checks and request.checks <= {CheckKind.REGISTRY}:
            return (yield from self._registry(request, now=now))
        ids = wire.job_ids(request.reference, self.settings.job_type)
        job = yield from self._upload(request, ids, now=now)
        return (yield from self._job(ids, job, reference=job, now=now, wait=wait))

    def _job(
        self, ids: Mapping[str, Any], job: str | None, *, reference: str | None, now: Clock, wait: bool
    ) -> Flow:
        """The job's result, polled on the client policy while ``wait``; PENDING (named
        ``reference``) while it is not complete."""
        seen: list[dict[str, Any]] = []

        def read() -> SubFlow[VerificationResult | None]:
            seen.append(self._answer((yield self._status_request(ids, now=now)), now=now))
            complete = wire.truth(seen[-1].get("job_complete"))
            if complete is None:
                raise self.protocol_error("job_complete is neither true nor false")
            return self._result(seen[-1], job, ids["job_id"]) if complete else None

        s = self.settings
        polls = islice(chain(repeat(s.first_interval, s.first_polls), repeat(s.interval)), s.max_polls)
        found = yield from self.poll(read, schedule=polls, wait=wait)
        if found is not None:
            return found
        return VerificationResult(
            Decision.PENDING,
            self.name,
            reference=reference,
            raw_status="job_pending",
            raw=redact(seen[-1]),
            vendor={"job_id": ids["job_id"]},
        )

    def _upload(self, request: VerificationRequest, ids: dict[str, Any], *, now: Clock) -> SubFlow[str]:
        """Create the job and PUT its ZIP; returns fjord's job id (``smile_job_id``)."""
        body = {
            "file_name": "selfie.zip",
            "partner_params": ids,
            "callback_url": self.settings.callback_url,
            "id_number": request.subject.national_code,
        }
        package = wire.job_package(request.evidence, request.subject)
        for _ in range(2):  # a second time only when the presigned URL had expired
            response = yield self._post("/v1/upload", body, now=now)
            try:
                created = self._answer(response, now=now)
            except ProviderProtocolError as error:
                if error.vendor_code != "2215":
                    raise
                found = self.decode_json(response)  # the job exists: poll it
                job = found.get("smile_job_id") if isinstance(found, dict) else None
                return self.vendor_id(job, "smile_job_id")
            upload_url = self.vendor_url(created.get("upload_url"), "upload_url")
            headers = {"Content-Type": "application/zip"}
            put = yield httpx.Request("PUT", upload_url, content=package, headers=headers)
            if put.status_code < 300:
                return self.vendor_id(created.get("smile_job_id"), "smile_job_id")
            if put.status_code != 403:
                self.decipher(put)  # an error: raises what it means
        raise AuthenticationFailed(f"{self.name}: upload URL refused twice", provider=self.name, status=403)

    def _status_request(self, ids: Mapping[str, Any], *, now: Clock) -> httpx.Request:
        body = {"job_id": ids["job_id"], "user_id": ids["user_id"], "image_links": False, "history": True}
        return self._post("/v1/job_status", body, now=now)

    def _registry(self, request: VerificationRequest, *, now: Clock) -> Flow:
        ids = wire.job_ids(request.reference, 5)
        body = {**wire.id_info(request.subject), "partner_params": ids}
        answer = self._answer((yield self._post("/v1/id_verification", body, now=now)), now=now)
        status = {"job_complete": True, "job_success": True, "result": answer}
        return self._result(status, answer.get("SmileJobID"), ids["job_id"])

    def _result(self, status: dict[str, Any], job: Any, job_id: str) -> VerificationResult:
        result = status.get("result")
        if not isinstance(result, dict):
            raise self.protocol_error("complete job without a result")
        code = str(result.get("ResultCode"))
        if code not in wire.RESULT_CODES:
            raise self.protocol_error(f"unknown ResultCode {code!r}")
        decision, reason = wire.RESULT_CODES[code]
        final = wire.truth(result.get("IsFinalResult", "true"))
        if final is None:
            raise self.protocol_error("IsFinalResult is neither 'true' nor 'false'")
        found = status.get("history")
        history = found if isinstance(found, list) else []
        provisional = not final or code == "0814"
        return VerificationResult(
            decision=decision,
            provider=self.name,
            reference=str(job or result.get("SmileJobID") or job_id),
            checks=wire.action_checks(result.get("Actions"), self.name),
            reasons=(reason,) if reason else (),
            raw_status=code,
            raw_codes=tuple(str(h.get("ResultCode")) for h in history if isinstance(h, dict)),
            raw=redact(status),
            vendor={"job_id": job_id, "provisional": provisional, "result_text": result.get("ResultText")},
        )

    def parse_webhook(
        self, headers: Mapping[str, str], body: bytes, *, now: float, source_ip: str | None = None
    ) -> WebhookEvent:
        """Verify the signature inside the callback body and its timestamp's age; the event
        is a hint (``wire.callback_event``) that ``fetch`` turns into a result."""
        s = self.settings
        return wire.callback_event(
            self.name, s.api_key, s.partner_id, body, now=now, tolerance=s.webhook_tolerance
        )

    def fetch(self, event: WebhookEvent, *, now: Clock) -> Flow:
        """The result of the job a callback names, read with one ``job_status`` call."""
        job_id, user_id = event.payload.get("job_id"), event.payload.get("user_id")
        if not (isinstance(job_id, str) and isinstance(user_id, str)):
            raise InputError(f"{self.name}: the event names no job to read")
        ids = {"job_id": job_id, "user_id": user_id}
        return (yield from self._job(ids, None, reference=event.reference, now=now, wait=False))
