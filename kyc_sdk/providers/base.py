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
from dataclasses import dataclass, field, fields
from datetime import UTC
from email.utils import parsedate_to_datetime
from typing import Any, ClassVar

import httpx

from kyc_sdk.errors import InputError, ProviderError, ProviderProtocolError, WebhookRejected
from kyc_sdk.models import CheckKind, Decision, VerificationRequest, VerificationResult

#: The longest wait a vendor's retry signal may ask for. Longer than any quota window we
#: know (fjord's per-ID-number window is 3 days); a bigger value is a broken header.
MAX_RETRY_AFTER = 7 * 24 * 3600.0
_DELAY_SECONDS = re.compile(r"-?[0-9]{1,64}(\.[0-9]{1,64})?")
#: A vendor's id we put in a URL path: one segment of unreserved characters, so it can
#: neither break the URL nor climb out of the path (``..``, ``/``, ``%2F``).
_PATH_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._~-]{0,127}")
#: A vendor's token we send back in a header: visible ASCII, no spaces.
_TOKEN = re.compile(r"[!-~]{1,4096}")


def parse_json(content: bytes) -> Any:
    """``content`` as strict JSON, or ``ValueError`` for anything else: bad UTF-8, bad
    syntax, ``NaN``/``Infinity``, nesting deeper than the parser's recursion allows, or
    integers longer than Python converts."""
    try:
        return json.loads(content, parse_constant=_refuse_constant)
    except RecursionError:
        raise ValueError("JSON nested too deeply") from None


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


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
        _check_wire_settings(settings)
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
            return parse_json(response.content)
        except ValueError:
            raise self.protocol_error("response body is not JSON", response) from None

    # Values from a vendor's answer that we send back: checked before use, so a hostile
    # answer meets a protocol error here instead of crashing httpx later.

    def vendor_id(self, value: Any, what: str = "id") -> str:
        """``value`` if it can be one URL path segment (see ``_PATH_ID``)."""
        if not isinstance(value, str) or not _PATH_ID.fullmatch(value):
            raise self.protocol_error(f"{what} missing or not a plain id")
        return value

    def vendor_token(self, value: Any, what: str = "token") -> str:
        """``value`` if it can go into a header (visible ASCII)."""
        if not isinstance(value, str) or not _TOKEN.fullmatch(value):
            raise self.protocol_error(f"{what} missing or not visible ASCII")
        return value

    def vendor_url(self, value: Any, what: str = "URL") -> httpx.URL:
        """``value`` if it is an absolute http(s) URL httpx can send to."""
        try:
            url = httpx.URL(value) if isinstance(value, str) else None
        except (httpx.InvalidURL, ValueError, TypeError):
            url = None
        if url is None or url.scheme not in ("http", "https") or not url.host:
            raise self.protocol_error(f"{what} missing or not an http(s) URL")
        return url

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

    def map_status(self, word: Any) -> Decision | None:
        """Our decision for a vendor status word; an unknown word (or not a word: a list,
        a number) is a protocol error."""
        if not isinstance(word, str) or word not in self.status_map:
            raise self.protocol_error(f"unknown status {_shown(word)}")
        return self.status_map[word]


def _shown(word: Any) -> str:
    """A vendor word for an error message: short, and only when it is a plain word."""
    if isinstance(word, str) and word.isascii() and word.isprintable() and len(word) <= 40:
        return repr(word)
    return f"<{type(word).__name__}>"


def _check_wire_settings(settings: ProviderSettings) -> None:
    """Credentials and the other settings go into headers and URLs: a value httpx cannot
    send (non-ASCII, control characters) is refused when the adapter is made, not by a
    crash at the first request."""
    try:
        base = httpx.URL(settings.base_url)
        ok = base.scheme in ("http", "https") and bool(base.host)
    except (httpx.InvalidURL, TypeError):
        ok = False
    if not ok:
        raise InputError(f"{type(settings).__name__}.base_url must be an http(s) URL")
    for f in fields(settings):
        value = getattr(settings, f.name)
        if f.name == "name":
            continue
        for item in value if isinstance(value, tuple) else (value,):
            if isinstance(item, str) and not (item.isascii() and item.isprintable()):
                raise InputError(f"{type(settings).__name__}.{f.name} must be printable ASCII")
