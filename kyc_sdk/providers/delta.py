"""Adapter for the ``delta`` style: OAuth2 client credentials, one workflow execution
per verification, per-part uploads, a thin callback and retrieval (modelled on Jumio).

Spec: docs/styles/delta.md. The adapter fetches a Bearer token
(``grant_type=client_credentials`` with Basic auth), caches it until shortly before
``expires_in`` runs out, and fetches a new one when delta answers 401 (revoked or
expired early). Every call sends ``User-Agent: <Company> <App>/<ver>``: delta answers
403 to anything else. Images go to the per-part URLs delta returns (with the account's
own upload token), then ``PUT`` finalises: an execution never finalised expires
silently. Retrieval follows delta's recommended schedule (40, 60, 100 … 940 s, at most
10 reads; ``schedule_scale`` shrinks it for the sandbox).

Errors are bare HTTP statuses. The capability chain is read by ``_delta_chain``.
``options["delta"]`` may name ``account_id`` and ``workflow_execution_id`` to retrieve
an execution a callback announced, without creating anything.
Callbacks carry no verdict and no signature: they are believed only from an allowlisted
source address (``callback_ips``); legacy form-encoded callbacks are parsed too.
"""

from __future__ import annotations

import base64
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

import httpx

from kyc_sdk.errors import (
    AuthenticationFailed,
    ImageRejected,
    InputError,
    ProviderError,
    ProviderProtocolError,
    ProviderUnavailable,
    RateLimited,
    WebhookRejected,
)
from kyc_sdk.models import CheckKind, Decision, VerificationRequest, VerificationResult
from kyc_sdk.providers import _webhooks
from kyc_sdk.providers._delta_chain import LEGACY, parse_legacy, read_chain
from kyc_sdk.providers.base import Flow, Provider, ProviderSettings, SubFlow, Wait, WebhookEvent
from kyc_sdk.redact import redact

SCHEDULE = (40.0, 60.0, 100.0, 160.0, 240.0, 340.0, 460.0, 600.0, 760.0, 940.0)
MAX_PART = 5 * 1024 * 1024
EXECUTION_STATUSES = frozenset({"INITIATED", "ACQUIRED", "PROCESSED", "SESSION_EXPIRED", "TOKEN_EXPIRED"})
TOKEN_MARGIN = 30.0  # refresh this long before expiry, so no call carries a dying token


@dataclass(frozen=True, kw_only=True)
class DeltaSettings(ProviderSettings):
    client_id: str
    client_secret: str
    user_agent: str  # "<Company> <App>/<version>", e.g. "Acme Onboarding/2.1"
    token_url: str = ""  # default: <base_url>/oauth2/token (delta: https://auth.<region>.delta.sim)
    workflow_key: str = "10011"
    token_lifetime: str = "30m"  # the person's upload window, "5m" to "60d"
    callback_url: str = ""
    callback_ips: tuple[str, ...] = ()
    schedule_scale: float = 1.0
    sandbox: bool = False

    def __repr__(self) -> str:
        return f"DeltaSettings(base_url={self.base_url!r}, client_id=…)"


class DeltaProvider(Provider):
    style = "delta"
    settings_class = DeltaSettings
    capabilities = frozenset({CheckKind.DOCUMENT, CheckKind.FACE_MATCH, CheckKind.LIVENESS})
    cost = 1.4
    idempotent = False  # no idempotency keys: a repeat opens a second account
    status_map: ClassVar[Mapping[str, Decision | None]] = {
        "INITIATED": None,
        "ACQUIRED": None,
        "PROCESSED": Decision.APPROVED,  # refined by the capability chain
        "SESSION_EXPIRED": Decision.RETRY,
        "TOKEN_EXPIRED": Decision.RETRY,
        "PASSED": Decision.APPROVED,
        "REJECTED": Decision.DECLINED,
        "WARNING": Decision.REVIEW,
        "NOT_EXECUTED": None,
        **LEGACY,
    }
    error_map: ClassVar[Mapping[str, type[ProviderError]]] = {
        "400": ProviderProtocolError,
        "404": ProviderProtocolError,
        "409": ProviderProtocolError,
        "401": AuthenticationFailed,
        "403": AuthenticationFailed,  # 403: the User-Agent rule
        "429": RateLimited,
        "TECHNICAL_ERROR": ProviderUnavailable,
    }

    def __init__(self, settings: ProviderSettings, *, clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__(settings)
        self.clock = clock
        self._token: tuple[str, float] | None = None  # (access token, expires at by self.clock)
        self.tokens_fetched = 0

    @property
    def conf(self) -> DeltaSettings:
        assert isinstance(self.settings, DeltaSettings)
        return self.settings

    # Token and requests --------------------------------------------------------------------

    def _fetch_token(self) -> SubFlow:
        url = self.conf.token_url or self.url("/oauth2/token")
        request = httpx.Request(
            "POST",
            url,
            data={"grant_type": "client_credentials"},
            headers={"User-Agent": self.conf.user_agent},
        )
        basic = base64.b64encode(f"{self.conf.client_id}:{self.conf.client_secret}".encode()).decode()
        request.headers["Authorization"] = f"Basic {basic}"
        body = self._json((yield request))
        token, ttl = body.get("access_token"), body.get("expires_in")
        if not isinstance(ttl, int | float) or isinstance(ttl, bool):
            raise self.protocol_error("token answer without access_token/expires_in")
        token = self.vendor_token(token, "access_token")
        self._token = (token, self.clock() + max(float(ttl) - TOKEN_MARGIN, 0.0))
        self.tokens_fetched += 1
        return token

    def _bearer(self) -> SubFlow:
        if self._token is not None and self.clock() < self._token[1]:
            return self._token[0]
        return (yield from self._fetch_token())

    def _api(self, method: str, url: str, *, token: str | None = None, **kwargs: Any) -> SubFlow:
        """One API call; on 401 with a cached token, one more try with a fresh token."""
        for fresh in (False, True):
            bearer = token or (yield from (self._fetch_token() if fresh else self._bearer()))
            headers = {
                "Authorization": f"Bearer {bearer}",
                "User-Agent": self.conf.user_agent,
                "Accept": "application/json",
            }
            response = yield httpx.Request(
                method, url if "://" in url else self.url(url), headers=headers, **kwargs
            )
            if response is None or response.status_code != 401 or token is not None:
                break
            self._token = None
        return self._json(response)

    def _json(self, response: httpx.Response | None) -> dict[str, Any]:
        assert response is not None
        if response.status_code >= 400:
            raise self._error(response)
        body = self.decode_json(response) if response.content else {}
        if not isinstance(body, dict):
            raise self.protocol_error("answer is not a JSON object", response)
        return body

    def _error(self, response: httpx.Response) -> ProviderError:
        status = response.status_code
        message = f"{self.name}: HTTP {status}"
        if status >= 500:
            return ProviderUnavailable(message, provider=self.name, status=status)
        if status == 429:
            return RateLimited(
                message,
                retry_after=self.retry_after(response),
                provider=self.name,
                status=status,
                vendor_code="429",
            )
        cls = self.error_map.get(str(status), ProviderProtocolError)
        return cls(message, provider=self.name, status=status, vendor_code=str(status))

    # The flow ------------------------------------------------------------------------------

    def flow(self, request: VerificationRequest, *, wait: bool = True) -> Flow:
        options = request.options_for(self.name)
        account, execution = options.get("account_id"), options.get("workflow_execution_id")
        if not (isinstance(account, str) and isinstance(execution, str)):
            account, execution = yield from self._start(request)
            if not wait:
                return VerificationResult(
                    Decision.PENDING,
                    self.name,
                    reference=execution,
                    raw_status="ACQUIRED",
                    vendor={"account_id": account},
                )
        return (yield from self._retrieve(account, execution, wait, _expected_chains(request)))

    def _retrieve(self, account: str, execution: str, wait: bool, expected: frozenset[CheckKind]) -> Flow:
        """Read an execution on delta's schedule until processed (once when not ``wait``)."""
        base = f"/api/v1/accounts/{account}/workflow-executions/{execution}"
        for delay in SCHEDULE:
            status = _word(self._execution((yield from self._api("GET", f"{base}/status"))))
            if status == "PROCESSED":
                details = yield from self._api("GET", base)
                return self._result(account, execution, details, expected)
            if self.map_status(status) is not None:  # expired: nothing to retrieve
                return VerificationResult(
                    Decision.RETRY,
                    self.name,
                    reference=execution,
                    raw_status=status,
                    reasons=(status.lower(),),
                    vendor={"account_id": account},
                )
            if not wait:
                return VerificationResult(Decision.PENDING, self.name, reference=execution, raw_status=status)
            yield Wait(delay * self.conf.schedule_scale)
        raise ProviderUnavailable(
            f"{self.name}: not processed after {len(SCHEDULE)} reads", provider=self.name
        )

    def _start(self, request: VerificationRequest) -> SubFlow:
        parts = self._parts(request)
        credentials = [{"category": "ID", "country": {"values": [request.subject.nationality]}}]
        if "FACE" in parts:
            credentials.append({"category": "SELFIE"})
        body = {
            "customerInternalReference": request.reference,
            "userReference": request.reference,
            "workflowDefinition": {"key": self.conf.workflow_key, "credentials": credentials},
            "tokenLifetime": self.conf.token_lifetime,
            **({"callbackUrl": self.conf.callback_url} if self.conf.callback_url else {}),
        }
        created = yield from self._api("POST", "/api/v1/accounts", json=body)
        try:
            account, execution = created["account"]["id"], created["workflowExecution"]["id"]
            upload_token, urls = created["api"]["token"], created["api"]["parts"]
        except (KeyError, TypeError):
            raise self.protocol_error("account answer lacks account/workflowExecution/api") from None
        account, execution = self.vendor_id(account, "account id"), self.vendor_id(execution, "execution id")
        upload_token = self.vendor_token(upload_token, "upload token")
        for part, image in parts.items():
            url = urls.get(part.lower()) if isinstance(urls, dict) else None
            yield from self._api(
                "POST",
                self._own_url(url),
                token=upload_token,
                files={"file": (f"{part.lower()}.img", image, _mime(image))},
            )
        yield from self._api("PUT", f"/api/v1/accounts/{account}/workflow-executions/{execution}")
        return account, execution

    def _parts(self, request: VerificationRequest) -> dict[str, bytes]:
        ev = request.evidence
        parts = {
            k: v
            for k, v in (("FRONT", ev.document_front), ("BACK", ev.document_back), ("FACE", ev.selfie))
            if v
        }
        if "FRONT" not in parts:
            raise ImageRejected("delta needs the document's front", reason="missing")
        for image in parts.values():  # refuse here what delta would refuse with a bare 400
            if len(image) > MAX_PART:
                raise ImageRejected("image exceeds delta's 5 MB part limit", reason="too_large")
            if _mime(image) is None:
                raise ImageRejected("delta takes JPEG or PNG only", reason="format")
        return parts

    def _own_url(self, url: Any) -> str:
        """A part URL from delta, only if it points at delta (images go nowhere else)."""
        part, own = self.vendor_url(url, "part URL"), httpx.URL(self.settings.base_url)
        if (part.scheme, part.host, part.port) != (own.scheme, own.host, own.port):
            raise self.protocol_error("part URL missing or not on delta's host")
        return str(part)

    def _execution(self, body: Mapping[str, Any]) -> Mapping[str, Any]:
        found = body.get("workflowExecution")
        if not isinstance(found, dict):
            raise self.protocol_error("answer has no workflowExecution")
        return found

    def _result(
        self, account: str, execution: str, details: Mapping[str, Any], expected: frozenset[CheckKind]
    ) -> VerificationResult:
        decision, checks, reasons, codes = read_chain(
            details.get("capabilities"), self.name, expected=expected
        )
        return VerificationResult(
            decision=decision,
            provider=self.name,
            reference=execution,
            checks=checks,
            reasons=reasons,
            raw_status="PROCESSED",
            raw_codes=codes,
            raw=redact(dict(details)),
            vendor={"account_id": account, "definition_key": self._execution(details).get("definitionKey")},
        )

    # Callbacks -----------------------------------------------------------------------------

    def parse_webhook(
        self, headers: Mapping[str, str], body: bytes, *, now: float, source_ip: str | None = None
    ) -> WebhookEvent:
        """Believe a callback only from an allowlisted address; read JSON or legacy form.

        A JSON callback says only that the execution changed: retrieve it (``fetch``,
        i.e. ``KYC.fetch_result``), so duplicates and reordering cannot change the
        outcome. Legacy callbacks carry a verdict word. The address vouches for the whole
        body: ``event_id`` is its digest, ``callbackSentAt`` (``callbackDate``) bounds a
        replay's age.
        """
        if source_ip is None or source_ip not in self.conf.callback_ips:
            raise WebhookRejected(f"{self.name}: callback from an address not on the allowlist")
        _webhooks.check_size(body, self.name)
        if _webhooks.lowered(headers).get("content-type", "").startswith("application/x-www-form-urlencoded"):
            try:
                return self._legacy(parse_legacy(body), body, now)
            except (ValueError, RecursionError):
                raise WebhookRejected(f"{self.name}: callback body is not a legacy delta callback") from None
        payload = _webhooks.read_json(body, self.name)
        execution, account = (
            (payload.get("workflowExecution"), payload.get("account"))
            if isinstance(payload, dict)
            else (None, None)
        )
        if (
            not isinstance(execution, dict)
            or not isinstance(account, dict)
            or not all(
                isinstance(v, str) for v in (execution.get("id"), execution.get("status"), account.get("id"))
            )
        ):
            raise WebhookRejected(f"{self.name}: callback body is not a delta callback")
        ident, status = execution["id"], execution["status"]
        if status not in EXECUTION_STATUSES:  # not a capability's or a legacy word
            raise WebhookRejected(f"{self.name}: unknown execution status in callback")
        decision = None if status == "PROCESSED" else self.status_map[status]  # PROCESSED: retrieve
        keep = _webhooks.keep_until(self.name, _webhooks.signed_time(payload.get("callbackSentAt")), now)
        return WebhookEvent(
            self.name,
            "workflowExecution",
            ident,
            status=status,
            decision=decision,
            event_id=_webhooks.digest(body),
            payload={**redact(payload), "account_id": account["id"]},
            keep_until=keep,
        )

    def _legacy(self, fields: Mapping[str, Any], body: bytes, now: float) -> WebhookEvent:
        status, ident = fields.get("verificationStatus"), fields.get("transactionReference")
        if status not in LEGACY or not ident:
            raise WebhookRejected(f"{self.name}: legacy callback without a known verificationStatus")
        keep = _webhooks.keep_until(self.name, _webhooks.signed_time(fields.get("callbackDate")), now)
        return WebhookEvent(
            self.name,
            "legacy",
            str(ident),
            status=str(status),
            decision=LEGACY[str(status)],
            event_id=_webhooks.digest(body),
            payload=redact(dict(fields)),
            keep_until=keep,
        )

    def fetch(self, event: WebhookEvent) -> Flow:
        """The execution a JSON callback announced, retrieved once (PENDING if not processed)."""
        account = event.payload.get("account_id")
        if not isinstance(account, str) or not event.reference or event.event == "legacy":
            raise InputError(f"{self.name}: the event names no workflow execution to retrieve")
        # A callback cannot say what was sent: only the document chain is required here.
        return (yield from self._retrieve(account, event.reference, False, frozenset({CheckKind.DOCUMENT})))


def _expected_chains(request: VerificationRequest) -> frozenset[CheckKind]:
    """A selfie we sent makes delta run liveness and similarity: their chains must be there."""
    if request.evidence.selfie:
        return frozenset({CheckKind.DOCUMENT, CheckKind.LIVENESS, CheckKind.FACE_MATCH})
    return frozenset({CheckKind.DOCUMENT})


def _word(execution: Mapping[str, Any]) -> str:
    status = execution.get("status")
    return status if isinstance(status, str) else ""


def _mime(image: bytes) -> str | None:
    if image.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if image.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    return None
