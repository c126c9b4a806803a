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
import re
import time
from abc import ABC, abstractmethod
from collections.abc import Generator, Mapping
from dataclasses import dataclass, field
from datetime import UTC
from email.utils import parsedate_to_datetime
from typing import Any, ClassVar

import httpx

from kyc_sdk.errors import ProviderError, ProviderProtocolError, WebhookRejected
from kyc_sdk.models import CheckKind, Decision, VerificationRequest, VerificationResult

#: The longest wait a vendor's retry signal may ask for. Longer than any quota window we
#: know (fjord's per-ID-number window is 3 days); a bigger value is a broken header.
MAX_RETRY_AFTER = 7 * 24 * 3600.0
_DELAY_SECONDS = re.compile(r"-?[0-9]{1,64}(\.[0-9]{1,64})?")


def parse_retry_after(value: str | None, *, now: float) -> float | None:
    """Seconds to wait from a ``Retry-After`` value (RFC 9110 10.2.3), or None when it
    says nothing usable.

    Accepts delay-seconds, fractional ones too (``1.5``: some vendors send them), and an
    HTTP-date, counted from ``now`` (Unix seconds). A wait in the past is 0; one beyond
    ``MAX_RETRY_AFTER`` is cut to it; anything else (garbage, non-ASCII digits) is None.
    """
    text = (value or "").strip()
    if _DELAY_SECONDS.fullmatch(text):
        seconds = float(text)
    else:
        when = _http_date(text)
        if when is None:
            return None
        seconds = when - now
    return min(max(seconds, 0.0), MAX_RETRY_AFTER)


def _http_date(text: str) -> float | None:
    """Unix seconds of an HTTP-date (any of the three forms ``email.utils`` reads), or None."""
    try:
        when = parsedate_to_datetime(text)
        return (when if when.tzinfo else when.replace(tzinfo=UTC)).timestamp()
    except (TypeError, ValueError, IndexError, OverflowError):
        return None


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
    """What a verified webhook announces. ``decision`` is None until the vendor decided."""

    provider: str
    event: str
    reference: str | None
    status: str | None = None
    decision: Decision | None = None
    event_id: str | None = None
    payload: Mapping[str, Any] = field(default_factory=dict)


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
        """Verify a webhook's authenticity and say what it announces."""
        raise WebhookRejected(f"{self.style} sends no webhooks")

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

    def retry_after(self, response: httpx.Response, header: str = "Retry-After") -> float | None:
        """The wait a rate-limit answer asks for (``parse_retry_after``). An HTTP-date is
        counted from the answer's own ``Date``, so our clock's skew does not matter; the
        wall clock stands in when the vendor sent none."""
        date = _http_date(response.headers.get("Date", ""))
        return parse_retry_after(response.headers.get(header), now=time.time() if date is None else date)

    def map_status(self, word: str | None) -> Decision | None:
        """Our decision for a vendor status word; an unknown word is a protocol error."""
        if word is None or word not in self.status_map:
            raise self.protocol_error(f"unknown status {word!r}")
        return self.status_map[word]
