"""Adapter for the ``delta`` style: OAuth2 client credentials, one workflow execution
per verification, per-part uploads, a thin callback and retrieval (modelled on Jumio).

Spec: docs/styles/delta.md. A Bearer token (``client_credentials`` with Basic auth) is
cached until shortly before ``expires_in`` runs out by the driver's clock, and fetched
again when delta answers 401. Every call sends ``User-Agent: <Company> <App>/<ver>``
(delta answers 403 to anything else). Images go to the per-part URLs delta returns,
with the account's upload token, then ``PUT`` finalises (an execution never finalised
expires silently). Retrieval follows delta's schedule (40, 60, 100 … s between reads,
at most 10 reads; ``schedule_scale`` shrinks it for the sandbox).

Errors are bare HTTP statuses. ``_delta_chain`` reads the capability chain and the
callbacks (unsigned: believed only from ``callback_ips``). ``options["delta"]`` may name
``account_id`` and ``workflow_execution_id``: the execution is retrieved, nothing made.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

import httpx

from kyc_sdk.errors import (
    AuthenticationFailed,
    InputError,
    ProviderProtocolError,
    ProviderUnavailable,
    WebhookRejected,
)
from kyc_sdk.models import CheckKind, Decision, VerificationRequest, VerificationResult
from kyc_sdk.providers import _delta_chain as chain
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

MAX_PART = chain.MAX_PART  # the sandbox imports it from here, until it keeps its own
SCHEDULE = (40.0, 60.0, 100.0, 160.0, 240.0, 340.0, 460.0, 600.0, 760.0, 940.0)
TOKEN_MARGIN = 30.0  # refresh this long before expiry, so no call carries a dying token
#: delta's errors are bare HTTP statuses: a 4xx is its own code.
ERRORS: Mapping[str, VendorError] = {
    "400": VendorError(ProviderProtocolError, "request refused"),
    "401": VendorError(AuthenticationFailed, "credentials or token refused"),
    "403": VendorError(AuthenticationFailed, "refused: the User-Agent must be '<Company> <App>/<version>'"),
    "404": VendorError(ProviderProtocolError, "not found"),
    "409": VendorError(ProviderProtocolError, "conflict"),
    "TECHNICAL_ERROR": VendorError(ProviderUnavailable, "a capability was not executed"),  # in a chain
}


@dataclass(frozen=True, kw_only=True)
class DeltaSettings(ProviderSettings):
    client_id: str = credential()
    client_secret: str = credential()
    user_agent: str  # "<Company> <App>/<version>", e.g. "Acme Onboarding/2.1"
    token_url: str = ""  # default: <base_url>/oauth2/token (delta: https://auth.<region>.delta.sim)
    workflow_key: str = "10011"
    token_lifetime: str = "30m"  # the person's upload window, "5m" to "60d"
    callback_url: str = callback("")
    callback_ips: tuple[str, ...] = ()
    schedule_scale: float = 1.0
    sandbox: bool = False


class DeltaProvider(Provider[DeltaSettings]):
    style = "delta"
    settings_class = DeltaSettings
    capabilities = frozenset({CheckKind.DOCUMENT, CheckKind.FACE_MATCH, CheckKind.LIVENESS})
    cost = 1.4
    idempotent = False  # no idempotency keys: a repeat opens a second account
    status_map: ClassVar[Mapping[str, Decision | None]] = {
        **chain.EXECUTION,
        "PROCESSED": Decision.APPROVED,  # refined by the capability chain
        **chain.DECISION_TYPES,
        **chain.LEGACY,
    }
    error_table = ERRORS
    kit = KitFacts(final_statuses=chain.FINAL, retry_signal=True)

    def __init__(self, settings: DeltaSettings) -> None:
        super().__init__(settings)
        self._token: tuple[str, float] | None = None  # (access token, expires at by the driver's clock)
        self.tokens_fetched = 0

    def error_code(self, response: httpx.Response, body: Any) -> str | None:
        return str(response.status_code) if 400 <= response.status_code < 500 else None

    def _fetch_token(self, now: Clock) -> SubFlow[str]:
        url = self.settings.token_url or self.url("/oauth2/token")
        basic = base64.b64encode(f"{self.settings.client_id}:{self.settings.client_secret}".encode()).decode()
        headers = {"User-Agent": self.settings.user_agent, "Authorization": f"Basic {basic}"}
        request = httpx.Request("POST", url, data={"grant_type": "client_credentials"}, headers=headers)
        body = self.answer((yield request))
        token, ttl = body.get("access_token"), body.get("expires_in")
        if not isinstance(ttl, int | float) or isinstance(ttl, bool):
            raise self.protocol_error("token answer without access_token/expires_in")
        token = self.vendor_token(token, "access_token")
        self._token = (token, now() + max(float(ttl) - TOKEN_MARGIN, 0.0))
        self.tokens_fetched += 1
        return token

    def _api(
        self, method: str, url: str, *, now: Clock, token: str | None = None, **kwargs: Any
    ) -> SubFlow[dict[str, Any]]:
        """One API call; on 401 with a cached token, one more try with a fresh token."""
        for fresh in (False, True):
            cached = self._token if self._token is not None and now() < self._token[1] and not fresh else None
            bearer = token or (cached[0] if cached else (yield from self._fetch_token(now)))
            headers = {"Authorization": f"Bearer {bearer}", "Accept": "application/json"}
            headers["User-Agent"] = self.settings.user_agent
            target = url if "://" in url else self.url(url)
            response = yield httpx.Request(method, target, headers=headers, **kwargs)
            if response.status_code != 401 or token is not None:
                break
            self._token = None
        if response.is_success and not response.content:
            return {}  # finalising may answer with no body at all
        return self.answer(response)

    def flow(self, request: VerificationRequest, *, now: Clock, wait: bool = True) -> Flow:
        options = request.options_for(self.name)
        account, execution = options.get("account_id"), options.get("workflow_execution_id")
        if not (isinstance(account, str) and isinstance(execution, str)):
            account, execution = yield from self._start(request, now=now)
            if not wait:
                return self._plain(Decision.PENDING, account, execution, "ACQUIRED")
        expected = chain.expected_chains(request.evidence.selfie)
        return (yield from self._retrieve(account, execution, expected, now=now, wait=wait))

    def _retrieve(
        self, account: str, execution: str, expected: frozenset[CheckKind], *, now: Clock, wait: bool
    ) -> Flow:
        """Read an execution on delta's schedule until processed (once when not ``wait``)."""
        base = f"/api/v1/accounts/{account}/workflow-executions/{execution}"
        seen: list[str] = []

        def read() -> SubFlow[VerificationResult | None]:
            answer = yield from self._api("GET", f"{base}/status", now=now)
            seen.append(str(self._execution(answer).get("status")))
            if seen[-1] == "PROCESSED":
                details = yield from self._api("GET", base, now=now)
                return self._result(account, execution, details, expected)
            if seen[-1] not in chain.EXECUTION:
                raise self.protocol_error("unknown execution status")
            expired = chain.EXECUTION[seen[-1]]  # nothing to retrieve
            return None if expired is None else self._plain(expired, account, execution, seen[-1])

        schedule = (delay * self.settings.schedule_scale for delay in SCHEDULE[:-1])  # ten reads at most
        found = yield from self.poll(read, schedule=schedule, wait=wait)
        return self._plain(Decision.PENDING, account, execution, seen[-1]) if found is None else found

    def _plain(self, decision: Decision, account: str, execution: str, word: str) -> VerificationResult:
        """A result without checks: PENDING while delta works, RETRY once it expired."""
        reasons, vendor = (word.lower(),) if decision is Decision.RETRY else (), {"account_id": account}
        return VerificationResult(
            decision, self.name, reference=execution, raw_status=word, reasons=reasons, vendor=vendor
        )

    def _start(self, request: VerificationRequest, *, now: Clock) -> SubFlow[tuple[str, str]]:
        parts = chain.image_parts(request.evidence)
        credentials = [{"category": "ID", "country": {"values": [request.subject.nationality]}}]
        if "FACE" in parts:
            credentials.append({"category": "SELFIE"})
        body = {
            **dict.fromkeys(("customerInternalReference", "userReference"), request.reference),
            "workflowDefinition": {"key": self.settings.workflow_key, "credentials": credentials},
            "tokenLifetime": self.settings.token_lifetime,
            **({"callbackUrl": self.settings.callback_url} if self.settings.callback_url else {}),
        }
        created = yield from self._api("POST", "/api/v1/accounts", now=now, json=body)
        try:
            account, execution = created["account"]["id"], created["workflowExecution"]["id"]
            upload_token, urls = created["api"]["token"], created["api"]["parts"]
        except (KeyError, TypeError):
            raise self.protocol_error("account answer lacks account/workflowExecution/api") from None
        account, execution = self.vendor_id(account, "account id"), self.vendor_id(execution, "execution id")
        upload_token = self.vendor_token(upload_token, "upload token")
        for part, image in parts.items():
            url = urls.get(part.lower()) if isinstance(urls, dict) else None
            files = {"file": (f"{part.lower()}.img", image, chain.mime(image))}
            yield from self._api("POST", self._own_url(url), now=now, token=upload_token, files=files)
        yield from self._api("PUT", f"/api/v1/accounts/{account}/workflow-executions/{execution}", now=now)
        return account, execution

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
        capabilities = details.get("capabilities")
        decision, checks, reasons, codes = chain.read_chain(capabilities, self.name, expected=expected)
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

    def parse_webhook(
        self, headers: Mapping[str, str], body: bytes, *, now: float, source_ip: str | None = None
    ) -> WebhookEvent:
        """Believe a callback only from an allowlisted address. A JSON one says only that the
        execution changed: ``fetch`` retrieves it, so duplicates and reordering change nothing."""
        if source_ip is None or source_ip not in self.settings.callback_ips:
            raise WebhookRejected(f"{self.name}: callback from an address not on the allowlist")
        return chain.read_callback(self.name, headers, body, now)

    def fetch(self, event: WebhookEvent, *, now: Clock) -> Flow:
        """The execution a JSON callback announced, retrieved once (PENDING if not processed)."""
        account = event.payload.get("account_id")
        if not isinstance(account, str) or not event.reference or event.event == "legacy":
            raise InputError(f"{self.name}: the event names no workflow execution to retrieve")
        # A callback cannot say what was sent: only the document chain is required here.
        document_only = chain.expected_chains(None)
        return (yield from self._retrieve(account, event.reference, document_only, now=now, wait=False))
