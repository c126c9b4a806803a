"""The adapter contract: one sans-IO ``flow()`` per vendor style.

An adapter never does I/O. Its ``flow(request)`` is a generator, in the manner of
``httpx.Auth.auth_flow``: it yields an ``httpx.Request`` and receives the
``httpx.Response``, or yields ``Wait(seconds)`` and receives ``None``, and finally
*returns* a ``VerificationResult`` (or raises a ``ProviderError``). The drivers in
``kyc_sdk.client`` run the same flow over ``httpx.Client`` or ``httpx.AsyncClient``,
against a live vendor, a loopback sandbox or an in-process sandbox.

Adapters describe themselves with class attributes (``style``, ``capabilities``,
``cost``, ``idempotent``, ``status_map``) and take one typed settings object.
"""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from collections.abc import Generator, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

import httpx

from kyc_sdk.errors import InputError, ProviderError, ProviderProtocolError, WebhookRejected
from kyc_sdk.models import CheckKind, Decision, VerificationRequest, VerificationResult


@dataclass(frozen=True, slots=True)
class Wait:
    """Ask the driver to sleep (polling on the vendor's schedule). The flow receives None."""

    seconds: float


Step = httpx.Request | Wait
Flow = Generator[Step, "httpx.Response | None", VerificationResult]
#: A piece of a flow (``yield from``) that ends with a vendor object rather than a result.
SubFlow = Generator[Step, "httpx.Response | None", Any]


@dataclass(frozen=True, kw_only=True)
class ProviderSettings:
    """Where a vendor lives. Each style subclasses this with its credentials.

    ``name`` is this instance's name in routing and results; it defaults to the style,
    so two accounts of one style can sit side by side under different names.
    """

    base_url: str
    name: str | None = None
    timeout: float = 30.0


@dataclass(frozen=True, slots=True)
class WebhookEvent:
    """What a verified webhook announces. ``decision`` is None until the vendor decided.

    ``hint`` is True when the style's signature does not cover the body (fjord): nothing
    in the event is vouched for, so it carries no decision and the result must be read
    from the vendor (``KYC.fetch_result``). ``event_id`` names the event (the vendor's
    id, else a digest of what the signature covers) and ``keep_until`` (epoch seconds)
    says how long a replay of it must be refused.
    """

    provider: str
    event: str
    reference: str | None
    status: str | None = None
    decision: Decision | None = None
    event_id: str | None = None
    payload: Mapping[str, Any] = field(default_factory=dict)
    hint: bool = False
    keep_until: float | None = None


class Provider(ABC):
    """Base of every adapter. Subclasses set the class attributes and ``flow``."""

    style: ClassVar[str]
    settings_class: ClassVar[type[ProviderSettings]] = ProviderSettings
    capabilities: ClassVar[frozenset[CheckKind]]
    cost: ClassVar[float] = 1.0
    #: True when a whole flow may run again without creating a duplicate at the vendor
    #: (the style has idempotency keys, or the adapter dedupes). Routing retries a flow
    #: only then.
    idempotent: ClassVar[bool] = False
    #: Every vendor status word this adapter knows, mapped to our decision (None: not final).
    status_map: ClassVar[Mapping[str, Decision | None]] = {}
    #: Every vendor error code this adapter knows, mapped to our error class.
    error_map: ClassVar[Mapping[str, type[ProviderError]]] = {}

    def __init__(self, settings: ProviderSettings) -> None:
        if not isinstance(settings, self.settings_class):
            raise TypeError(f"{type(self).__name__} takes {self.settings_class.__name__}")
        self.settings = settings
        self.name = settings.name or self.style

    def __repr__(self) -> str:  # never show credentials
        return f"<{type(self).__name__} {self.name!r} {self.settings.base_url}>"

    @abstractmethod
    def flow(self, request: VerificationRequest, *, wait: bool = True) -> Flow:
        """Yield requests and waits; return the result. ``wait=False`` returns PENDING
        as soon as the vendor has accepted the verification."""

    def parse_webhook(
        self, headers: Mapping[str, str], body: bytes, *, now: float, source_ip: str | None = None
    ) -> WebhookEvent:
        """Verify a webhook's authenticity and say what it announces. Raises only
        ``WebhookRejected``, whatever the headers and body."""
        raise WebhookRejected(f"{self.style} sends no webhooks")

    def fetch(self, event: WebhookEvent) -> Flow:
        """A short flow reading from the vendor the result ``event`` announces (nothing is
        created; PENDING when the vendor has not decided yet)."""
        raise InputError(f"{self.style}: reading a webhook's result from the vendor is not supported")

    # Helpers shared by adapters -------------------------------------------------------

    def url(self, path: str) -> str:
        return self.settings.base_url.rstrip("/") + "/" + path.lstrip("/")

    def build(self, method: str, path: str, **kwargs: Any) -> httpx.Request:
        return httpx.Request(method, self.url(path), **kwargs)

    def decode_json(self, response: httpx.Response) -> Any:
        """The response body as JSON, or ``ProviderProtocolError`` (never a KeyError)."""
        try:
            return json.loads(response.content)
        except (ValueError, UnicodeDecodeError):
            raise self.protocol_error("response body is not JSON", response) from None

    def protocol_error(self, message: str, response: httpx.Response | None = None) -> ProviderProtocolError:
        return ProviderProtocolError(
            f"{self.name}: {message}",
            provider=self.name,
            status=response.status_code if response is not None else None,
        )

    def map_status(self, word: str | None) -> Decision | None:
        """Our decision for a vendor status word; an unknown word is a protocol error."""
        if word is None or word not in self.status_map:
            raise self.protocol_error(f"unknown status {word!r}")
        return self.status_map[word]
