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
    KycError,
    ProviderError,
    ProviderProtocolError,
    ProviderUnavailable,
    RateLimited,
)
from kyc_sdk.models import Check, CheckKind, Decision, VerificationRequest, VerificationResult
from kyc_sdk.providers.base import Flow, Provider, ProviderSettings
from kyc_sdk.redact import redact
from kyc_sdk.text import names_match


@dataclass(frozen=True, kw_only=True)
class HirkanSettings(ProviderSettings):
    token: str
    zohal: bool = False  # snake_case fields, answers nested under ``response_body``

    def __repr__(self) -> str:
        return f"HirkanSettings(base_url={self.base_url!r}, token=…, zohal={self.zohal})"


def snake(key: str) -> str:
    """``nationalCode`` → ``national_code`` (the Zohal variant's spelling)."""
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in key)


def camel(key: str) -> str:
    """``national_code`` → ``nationalCode``."""
    head, *rest = key.split("_")
    return head + "".join(part.capitalize() for part in rest)


#: Business codes that are errors (1 is success). Input codes should never come back,
#: since requests are validated first; if they do, the gateway disagrees with our rules.
RESULT_ERRORS: Mapping[str, tuple[type[KycError], str]] = {
    "2": (InvalidIdentifier, "the gateway refused the national code"),
    "3": (InvalidIdentifier, "the gateway refused the mobile number"),
    "4": (InvalidIdentifier, "the gateway refused the birth date"),
    "5": (ProviderError, "the person's consent is not on record at the gateway"),
    "6": (ProviderUnavailable, "the civil registry is unavailable"),
    "7": (ProviderUnavailable, "the gateway timed out upstream"),
    "8": (RateLimited, "inquiry quota exhausted"),
    "9": (ProviderUnavailable, "the gateway had an internal error"),
    "10": (AuthenticationFailed, "our address is not on the gateway's allowlist"),
    "11": (AuthenticationFailed, "the gateway refused our token"),
}


class HirkanProvider(Provider):
    style = "hirkan"
    settings_class = HirkanSettings
    capabilities = frozenset({CheckKind.REGISTRY, CheckKind.MOBILE_MATCH})
    cost = 0.2
    idempotent = True  # inquiries only read: asking again creates nothing
    status_map: ClassVar[Mapping[str, Decision | None]] = {
        "matched": Decision.APPROVED,
        "not_matched": Decision.DECLINED,
    }
    error_map: ClassVar[Mapping[str, type[ProviderError]]] = {
        code: cls for code, (cls, _) in RESULT_ERRORS.items()
    }  # type: ignore[misc]

    def flow(self, request: VerificationRequest, *, wait: bool = True) -> Flow:
        wanted = request.checks & self.capabilities or self.capabilities
        subject = request.subject
        checks: list[Check] = []
        raw: dict[str, Any] = {}
        vendor: dict[str, Any] = {}
        if CheckKind.REGISTRY in wanted:
            body = {"nationalCode": subject.national_code, "birthDate": subject.birth_date}
            data = self._data((yield self._post("/facility/nationalIdentityInquiry", body)))
            raw["registry"] = redact(data)
            check, vendor["registry_fields"] = self._registry_check(data, request)
            checks.append(check)
        if CheckKind.MOBILE_MATCH in wanted:
            body = {"mobile": subject.mobile, "nationalCode": subject.national_code}
            data = self._data((yield self._post("/facility/shahkarInquiry", body)))
            raw["shahkar"] = redact(data)
            matched = self._bool(data, "matched")
            checks.append(
                Check(
                    CheckKind.MOBILE_MATCH,
                    Decision.APPROVED if matched else Decision.RETRY,
                    self.name,
                    reasons=() if matched else ("mobile_not_owned",),
                )
            )
        return self._result(checks, raw, vendor)

    def _post(self, path: str, body: Mapping[str, Any]) -> httpx.Request:
        assert isinstance(self.settings, HirkanSettings)
        if self.settings.zohal:
            body = {snake(k): v for k, v in body.items()}
        return self.build(
            "POST", path, json=dict(body), headers={"Authorization": f"Bearer {self.settings.token}"}
        )

    def _data(self, response: httpx.Response | None) -> Mapping[str, Any]:
        """The ``data`` of a successful answer, or the right error for any other."""
        assert response is not None
        status = response.status_code
        if status == 401 or status == 403:
            raise self._error("11" if status == 401 else "10", response)
        if status == 409:
            raise self._error("8", response)
        if status == 429:  # a limiter in front of the gateway, not its quota
            raise RateLimited(
                f"{self.name}: HTTP 429",
                provider=self.name,
                status=status,
                retry_after=self.retry_after(response),
            )
        if status >= 500:
            raise ProviderUnavailable(f"{self.name}: HTTP {status}", provider=self.name, status=status)
        if status != 200:  # 400/415 come as plain Persian text: our request was malformed
            raise self.protocol_error(f"HTTP {status} refusing our request", response)
        body = self._from_wire(self.decode_json(response), response)
        if not isinstance(body, dict) or not isinstance(body.get("result"), int):
            raise self.protocol_error("answer without an integer 'result'", response)
        if body["result"] != 1:
            raise self._error(str(body["result"]), response)
        data = body.get("data")
        if not isinstance(data, dict):
            raise self.protocol_error("successful answer without 'data'", response)
        return data

    def _from_wire(self, body: Any, response: httpx.Response) -> Any:
        """A Zohal-variant answer in the plain shape: ``data`` lifted, keys in camelCase."""
        if not getattr(self.settings, "zohal", False) or not isinstance(body, dict):
            return body
        inner = body.get("response_body")
        if not isinstance(inner, dict):
            raise self.protocol_error("Zohal-variant answer without 'response_body'", response)
        data = inner.get("data")
        lifted = {camel(k): v for k, v in data.items()} if isinstance(data, dict) else data
        return {"result": body.get("result"), "message": inner.get("message"), "data": lifted}

    def _error(self, code: str, response: httpx.Response) -> KycError:
        if code not in RESULT_ERRORS:
            return self.protocol_error(f"unknown result code {code}", response)
        cls, message = RESULT_ERRORS[code]
        text = f"{self.name}: {message} (result {code})"
        if issubclass(cls, InvalidIdentifier):
            return InvalidIdentifier(
                text, field={"2": "national_code", "3": "mobile", "4": "jalali_date"}[code]
            )
        if cls is RateLimited:
            return RateLimited(
                text,
                provider=self.name,
                status=response.status_code,
                vendor_code=code,
                retry_after=self.retry_after(response),
            )
        return cls(text, provider=self.name, status=response.status_code, vendor_code=code)  # type: ignore[call-arg]

    def _bool(self, data: Mapping[str, Any], key: str) -> bool:
        value = data.get(key)
        if not isinstance(value, bool):
            raise ProviderProtocolError(f"{self.name}: '{key}' is not a boolean", provider=self.name)
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
            return Check(
                CheckKind.REGISTRY, Decision.REVIEW, self.name, reasons=("registry_name_mismatch",)
            ), fields
        return Check(CheckKind.REGISTRY, Decision.APPROVED, self.name), fields

    def _result(self, checks: list[Check], raw: dict[str, Any], vendor: dict[str, Any]) -> VerificationResult:
        order = (Decision.DECLINED, Decision.REVIEW, Decision.RETRY, Decision.APPROVED)
        decision = min((c.outcome for c in checks), key=order.index)
        return VerificationResult(
            decision=decision,
            provider=self.name,
            checks=tuple(checks),
            reasons=tuple(r for c in checks for r in c.reasons),
            raw_status="matched" if decision is Decision.APPROVED else "not_matched",
            raw=raw,
            vendor=vendor,
        )
