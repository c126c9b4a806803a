"""What the kit must know of each style beyond its adapter: which settings fields are
credentials and signing secrets, where a request's signature sits (to tamper with it),
whether answers are signed, how webhooks are requested and ordered, and whether the
style promises a retry signal on rate limiting.

Everything here is taken from docs/styles/index.md (the style's section and
the "How the 8 styles cover the adapter contract" table); see docs/conformance.md.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field

import httpx

from kyc_sdk.providers.base import WebhookEvent

_HEADER_SIGNED = {"borealis": "X-HMAC-SIGNATURE", "cirrus": "X-App-Access-Sig"}


@dataclass(frozen=True)
class Profile:
    style: str
    #: settings fields that identify the caller (bad values must be refused)
    credentials: tuple[str, ...]
    #: the request-signing scheme, or "" when requests are not signed
    request_signing: str = ""
    #: where answers carry their own signature, or ""
    response_signing: str = ""
    #: settings field holding a callback URL sent with each request, or "" (then /_sim/webhook)
    callback_field: str = ""
    #: webhook event names in the order a verification produces them (rank = index)
    event_order: tuple[str, ...] = ()
    #: webhook statuses that end a verification, for styles whose events carry no decision
    final_statuses: frozenset[str] = field(default_factory=frozenset)
    #: the style's spec (or its sandbox's documented choice) sends a retry signal on 429
    retry_signal: bool = False
    webhooks: bool = True

    def rank(self, event: WebhookEvent) -> int:
        """Where an event sits in one verification's life (later events rank higher)."""
        if event.event in self.event_order:
            return self.event_order.index(event.event)
        return 1 if self.is_final(event) else 0

    def is_final(self, event: WebhookEvent) -> bool:
        if self.event_order and event.event in self.event_order:
            return event.event == self.event_order[-1]
        return event.decision is not None or (event.status or "") in self.final_statuses


PROFILES: dict[str, Profile] = {
    "aurora": Profile(
        "aurora", ("api_token",), event_order=("check.started", "report.completed", "check.completed")
    ),
    "borealis": Profile(
        "borealis",
        ("api_key",),
        request_signing="X-HMAC-SIGNATURE over body or session id",
        response_signing="X-HMAC-SIGNATURE header",
        retry_signal=True,
    ),
    "cirrus": Profile(
        "cirrus",
        ("app_token",),
        request_signing="X-App-Access-Sig over ts+method+path+body",
        event_order=("applicantCreated", "applicantPending", "applicantOnHold", "applicantReviewed"),
    ),
    "delta": Profile(
        "delta",
        ("client_id", "client_secret"),
        callback_field="callback_url",
        final_statuses=frozenset({"PROCESSED", "SESSION_EXPIRED", "TOKEN_EXPIRED"}),
        retry_signal=True,
    ),
    "echo": Profile("echo", ("api_key",), retry_signal=True),
    "fjord": Profile(
        "fjord",
        ("partner_id", "api_key"),
        request_signing="signature field in the JSON body",
        response_signing="timestamp + signature fields in the JSON body",
        callback_field="callback_url",
        event_order=("job_result_provisional", "job_result"),
    ),  # hints: no decision inside
    "gilan": Profile("gilan", ("api_key",), retry_signal=True),
    "hirkan": Profile("hirkan", ("token",), webhooks=False),
}


def profile(style: str) -> Profile:
    return PROFILES.get(style) or Profile(style, ())


def spoil(value: object) -> object:
    """A wrong credential of the same shape (the last character changed)."""
    if isinstance(value, str) and value:
        return value[:-1] + ("x" if value[-1] != "x" else "y")
    if isinstance(value, tuple):
        return tuple(spoil(v) for v in value)
    return value


def tamper_signature(style: str, request: httpx.Request) -> httpx.Request:
    """``request`` with its signature changed and everything else as signed."""
    header = _HEADER_SIGNED.get(style)
    if header is not None and header in request.headers:
        headers = httpx.Headers(request.headers)
        headers[header] = str(spoil(headers[header]))
        return _copy(request, headers, request.content)
    if style == "fjord" and request.content[:1] == b"{":
        body = json.loads(request.content)
        if isinstance(body, dict) and "signature" in body:
            raw = bytearray(base64.b64decode(body["signature"]))
            raw[0] ^= 0xFF
            body["signature"] = base64.b64encode(bytes(raw)).decode()
            content = json.dumps(body).encode()
            headers = httpx.Headers(request.headers)
            headers["content-length"] = str(len(content))
            return _copy(request, headers, content)
    return request


def _copy(request: httpx.Request, headers: httpx.Headers, content: bytes) -> httpx.Request:
    made = httpx.Request(request.method, request.url, headers=headers, content=content)
    made.extensions = dict(request.extensions)
    return made


def answer_signed(style: str, headers: dict[str, str], answer: object) -> bool | None:
    """Whether a logged answer carries the style's answer signature (None: not signed)."""
    if style == "borealis":
        return any(k.lower() == "x-hmac-signature" for k in headers)
    if style == "fjord" and isinstance(answer, dict):  # the presigned ZIP upload answers no JSON
        return bool(answer.get("signature")) and bool(answer.get("timestamp"))
    return None
