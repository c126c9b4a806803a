"""Adapter for the ``hirkan`` style: an Iranian inquiry gateway (Shahkar and the civil
registry), modelled on Iranian Shahkar/registry gateways and Trulioo.

Spec: docs/styles/hirkan.md. Synchronous JSON POSTs with Bearer auth; errors
arrive as HTTP 200 with a business ``result`` code and a Persian message (the message is
never copied into our errors: it may echo the national code); quota exhaustion is HTTP
409. The registry's names are compared with the subject's, forgiving Persian spelling
variants (``kyc_sdk.text.names_match``).

The "Zohal variant" of such gateways (``HirkanSettings.zohal``) names every field in
snake_case and nests ``data`` and ``message`` under ``response_body``; the adapter
translates at the edge (``_to_wire``/``_from_wire``) so the rest reads one shape.

Decisions: a registry record that does not match, or a deceased person → DECLINED;
Shahkar saying the mobile is someone else's → RETRY (the person may use their own
number); registry names that are not variants of the typed ones → REVIEW.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

import httpx

from kyc_sdk.errors import (
    AuthenticationFailed,
    InvalidIdentifier,
    ProviderError,
    ProviderUnavailable,
    RateLimited,
)
from kyc_sdk.models import Check, CheckKind, Decision, VerificationRequest, VerificationResult
from kyc_sdk.providers.base import Clock, Flow, KitFacts, Provider, ProviderSettings, VendorError, credential
from kyc_sdk.redact import redact
from kyc_sdk.text import names_match


@dataclass(frozen=True, kw_only=True)
class HirkanSettings(ProviderSettings):
    token: str = credential()
    zohal: bool = False  # snake_case fields, answers nested under ``response_body``


def snake(key: str) -> str:
    """``nationalCode`` → ``national_code`` (the Zohal variant's spelling)."""
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in key)


def camel(key: str) -> str:
    """``national_code`` → ``nationalCode``."""
    head, *rest = key.split("_")
    return head + "".join(part.capitalize() for part in rest)


#: Business codes that are errors (1 is success). Input codes should never come back,
#: since requests are validated first; if they do, the gateway disagrees with our rules.
RESULT_ERRORS: Mapping[str, VendorError] = {
    "2": VendorError(InvalidIdentifier, "the gateway refused the national code", "national_code"),
    "3": VendorError(InvalidIdentifier, "the gateway refused the mobile number", "mobile"),
    "4": VendorError(InvalidIdentifier, "the gateway refused the birth date", "jalali_date"),
    "5": VendorError(ProviderError, "the person's consent is not on record at the gateway"),
    "6": VendorError(ProviderUnavailable, "the civil registry is unavailable"),
    "7": VendorError(ProviderUnavailable, "the gateway timed out upstream"),
    "8": VendorError(RateLimited, "inquiry quota exhausted"),
    "9": VendorError(ProviderUnavailable, "the gateway had an internal error"),
    "10": VendorError(AuthenticationFailed, "our address is not on the gateway's allowlist"),
    "11": VendorError(AuthenticationFailed, "the gateway refused our token"),
}
#: Statuses the gateway answers with instead of a business code (409 is its quota; a 429
#: comes from a limiter in front of it and keeps the plain meaning).
_STATUS_CODES = {401: "11", 403: "10", 409: "8"}


class HirkanProvider(Provider[HirkanSettings]):
    style = "hirkan"
    settings_class = HirkanSettings
    capabilities = frozenset({CheckKind.REGISTRY, CheckKind.MOBILE_MATCH})
    cost = 0.2
    idempotent = True  # inquiries only read: asking again creates nothing
    status_map: ClassVar[Mapping[str, Decision | None]] = {
        "matched": Decision.APPROVED,
        "not_matched": Decision.DECLINED,
    }
    error_table = RESULT_ERRORS
    kit = KitFacts(webhooks=False)

    def flow(self, request: VerificationRequest, *, now: Clock, wait: bool = True) -> Flow:
        wanted = request.checks & self.capabilities or self.capabilities
        subject = request.subject
        checks: list[Check] = []
        raw: dict[str, Any] = {}
        vendor: dict[str, Any] = {}
        if CheckKind.REGISTRY in wanted:
            body = {"nationalCode": subject.national_code, "birthDate": subject.birth_date}
            response = yield self._post("/facility/nationalIdentityInquiry", body)
            data = self.decipher(response)
            raw["registry"] = redact(data)
            check, vendor["registry_fields"] = self._registry_check(data, request)
            checks.append(check)
        if CheckKind.MOBILE_MATCH in wanted:
            body = {"mobile": subject.mobile, "nationalCode": subject.national_code}
            data = self.decipher((yield self._post("/facility/shahkarInquiry", body)))
            raw["shahkar"] = redact(data)
            matched = self._bool(data, "matched")
            outcome = Decision.APPROVED if matched else Decision.RETRY
            reasons = () if matched else ("mobile_not_owned",)
            checks.append(Check(CheckKind.MOBILE_MATCH, outcome, self.name, reasons=reasons))
        decision = Decision.worst(c.outcome for c in checks)
        return VerificationResult(
            decision=decision,
            provider=self.name,
            checks=tuple(checks),
            reasons=tuple(r for c in checks for r in c.reasons),
            raw_status="matched" if decision is Decision.APPROVED else "not_matched",
            raw=raw,
            vendor=vendor,
        )

    def _post(self, path: str, body: Mapping[str, Any]) -> httpx.Request:
        if self.settings.zohal:
            body = {snake(k): v for k, v in body.items()}
        headers = {"Authorization": f"Bearer {self.settings.token}"}
        return self.build("POST", path, json=dict(body), headers=headers)

    # decipher's hooks: business codes ride in HTTP 200 (and three statuses stand for codes)

    def error_code(self, response: httpx.Response, body: Any) -> str | None:
        if response.status_code in _STATUS_CODES:
            return _STATUS_CODES[response.status_code]
        result = body.get("result") if isinstance(body, dict) else None
        return str(result) if isinstance(result, int) and result != 1 else None

    def unwrap(self, body: Any, response: httpx.Response) -> Mapping[str, Any]:
        """The ``data`` of a successful answer (a Zohal-variant one lifted to camelCase)."""
        if self.settings.zohal and isinstance(body, dict):
            inner = body.get("response_body")
            if not isinstance(inner, dict):
                raise self.protocol_error("Zohal-variant answer without 'response_body'", response)
            data = inner.get("data")
            body = {
                "result": body.get("result"),
                "data": {camel(k): v for k, v in data.items()} if isinstance(data, dict) else data,
            }
        if not isinstance(body, dict) or body.get("result") != 1 or isinstance(body.get("result"), bool):
            raise self.protocol_error("answer without an integer 'result'", response)
        data = body.get("data")
        if not isinstance(data, dict):
            raise self.protocol_error("successful answer without 'data'", response)
        return data

    def _bool(self, data: Mapping[str, Any], key: str) -> bool:
        value = data.get(key)
        if not isinstance(value, bool):
            raise self.protocol_error(f"'{key}' is not a boolean")
        return value

    def _registry_check(
        self, data: Mapping[str, Any], request: VerificationRequest
    ) -> tuple[Check, dict[str, str]]:
        if not self._bool(data, "matched"):
            return Check(CheckKind.REGISTRY, Decision.DECLINED, self.name, reasons=("registry_no_match",)), {}
        if data.get("alive") is False:
            return Check(CheckKind.REGISTRY, Decision.DECLINED, self.name, reasons=("registry_deceased",)), {}
        subject = request.subject
        fields = {
            field: ("match" if names_match(typed, data.get(key)) else "mismatch")
            for field, key, typed in (
                ("first_name", "firstName", subject.first_name),
                ("last_name", "lastName", subject.last_name),
                ("father_name", "fatherName", subject.father_name),
            )
            if typed
        }
        if "mismatch" in fields.values():
            check = Check(CheckKind.REGISTRY, Decision.REVIEW, self.name, reasons=("registry_name_mismatch",))
            return check, fields
        return Check(CheckKind.REGISTRY, Decision.APPROVED, self.name), fields
