"""The adapter contract: one sans-IO ``flow()`` per vendor style.

An adapter never does I/O and never reads a clock of its own. Its ``flow(request,
now=...)`` is a generator, in the manner of ``httpx.Auth.auth_flow``: it yields an
``httpx.Request`` and receives the ``httpx.Response``, and finally *returns* a
``VerificationResult`` (or raises a ``KycError``). ``now`` is the driver's wall clock.
The drivers in ``kyc_sdk.client`` run the same flow over ``httpx.Client`` or
``httpx.AsyncClient``, against a live vendor, a loopback sandbox or an in-process one.

What every adapter shares lives here, so an adapter is its flow, its tables and its
webhook:

- ``decipher(response)`` reads every answer in one fixed order (authentication, rate
  limit, unavailable, the style's error table, protocol error); a style gives only small
  hooks (``error_code``, ``unwrap``, ``retry_hint``, ``correlation_id``).
- ``poll(read, ...)`` is the only code that yields ``Wait``: flows receive responses only.
- The class attributes describe the style to routing (``capabilities``, ``cost``,
  ``idempotent``) and to the conformance kit (``kit``, the ``credential()`` fields of the
  settings, ``tamper_signature``), so a registered third-party adapter gets the full kit.
"""

from __future__ import annotations

import json
import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Generator, Iterable, Mapping
from dataclasses import dataclass, field, fields, replace
from datetime import UTC
from email.utils import parsedate_to_datetime
from typing import Any, ClassVar, Generic, Literal, TypeAlias, TypeVar, overload

import httpx

from kyc_sdk.errors import (
    AuthenticationFailed,
    InputError,
    InvalidIdentifier,
    KycError,
    ProviderError,
    ProviderProtocolError,
    ProviderUnavailable,
    RateLimited,
    WebhookRejected,
)
from kyc_sdk.models import CheckKind, Decision, VerificationRequest, VerificationResult
from kyc_sdk.redact import redact

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
    """Ask the driver to sleep (polling on the vendor's schedule). Only ``poll`` yields it."""

    seconds: float


T = TypeVar("T")
#: The wall clock (Unix seconds) a driver hands to every flow.
Clock = Callable[[], float]
Step: TypeAlias = httpx.Request | Wait
#: A piece of a flow (``yield from``) that ends with a value of its own.
SubFlow: TypeAlias = Generator[Step, httpx.Response, T]
Flow: TypeAlias = Generator[Step, httpx.Response, VerificationResult]

#: The request extension where a driver notes when it sent the request (its wall clock).
SENT_AT = "kyc_sdk.sent_at"
#: ``dataclasses.field`` metadata marking a settings field the kit spoils and tampers with.
CREDENTIAL = "kyc_sdk.credential"
#: ... and the field holding the callback URL a style sends with each request.
CALLBACK = "kyc_sdk.callback"


def credential(**kwargs: Any) -> Any:
    """A settings field that identifies the caller (a key, a token, a secret): never
    shown by ``repr``, and the conformance kit checks that a wrong one is refused.
    ``kwargs`` go to ``dataclasses.field`` (a default, say)."""
    return field(repr=False, metadata={CREDENTIAL: True}, **kwargs)


def callback(default: str | None = None) -> Any:
    """The settings field holding the callback URL a style sends with each request."""
    return field(default=default, metadata={CALLBACK: True})


@dataclass(frozen=True, kw_only=True)
class ProviderSettings:
    """Where a vendor lives. Each style subclasses this with its credentials, declared
    with ``credential()``.

    ``name`` is this instance's name in routing and results; it defaults to the style,
    so two accounts of one style can sit side by side under different names.
    """

    base_url: str
    name: str | None = None
    timeout: float = 30.0

    def credentials(self) -> tuple[str, ...]:
        """The names of the fields declared with ``credential()``."""
        return tuple(f.name for f in fields(self) if f.metadata.get(CREDENTIAL))

    def callback_field(self) -> str | None:
        return next((f.name for f in fields(self) if f.metadata.get(CALLBACK)), None)


SettingsT = TypeVar("SettingsT", bound=ProviderSettings)


@dataclass(frozen=True, slots=True)
class VendorError:
    """What one code of a style's error table means. ``text`` is ours (never the
    vendor's message, which may echo personal data); ``field`` names the subject field
    an ``InvalidIdentifier`` is about."""

    error: type[KycError]
    text: str = ""
    field: str | None = None


@dataclass(frozen=True, slots=True)
class KitFacts:
    """What the conformance kit must know of a style beyond its code (docs/conformance.md).

    ``request_signature`` says where a request's signature sits ("" when requests are not
    signed); a signed answer carries its signature in the header ``signed_answer_header``
    or in the JSON fields ``signed_answer_fields``; ``webhook_events`` are the event names
    in the order one verification produces them; ``final_statuses`` end a verification for
    styles whose events carry no decision; ``retry_signal`` is True when the style promises
    a wait on rate limiting; ``webhooks`` is False for styles that send none.
    """

    request_signature: str = ""
    signed_answer_header: str = ""
    signed_answer_fields: tuple[str, ...] = ()
    webhook_events: tuple[str, ...] = ()
    final_statuses: frozenset[str] = frozenset()
    retry_signal: bool = False
    webhooks: bool = True

    @property
    def response_signature(self) -> str:
        """Where an answer's signature sits, in words ("" when answers are not signed)."""
        if self.signed_answer_header:
            return f"{self.signed_answer_header} header"
        return (
            " + ".join(self.signed_answer_fields) + " fields in the JSON body"
            if self.signed_answer_fields
            else ""
        )


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


class _NotJson:
    """The body of an answer that is not JSON (``decipher`` decides whether that matters)."""


NOT_JSON = _NotJson()


class Provider(ABC, Generic[SettingsT]):
    """Base of every adapter: ``class AcmeProvider(Provider[AcmeSettings])``.

    Subclasses set the class attributes, ``flow``, and the hooks their style needs.
    """

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
    #: Every vendor error code this adapter knows (see ``error_code``).
    error_table: ClassVar[Mapping[str, VendorError]] = {}
    #: HTTP statuses meaning "not you" and "slow down" for this style.
    auth_statuses: ClassVar[frozenset[int]] = frozenset({401, 403})
    rate_statuses: ClassVar[frozenset[int]] = frozenset({429})
    kit: ClassVar[KitFacts] = KitFacts()

    def __init__(self, settings: SettingsT) -> None:
        if not isinstance(settings, self.settings_class):
            raise TypeError(f"{type(self).__name__} takes {self.settings_class.__name__}")
        _check_wire_settings(settings)
        self.settings: SettingsT = settings
        self.name: str = settings.name or self.style

    def __repr__(self) -> str:  # never show credentials
        return f"<{type(self).__name__} {self.name!r} {self.settings.base_url}>"

    @abstractmethod
    def flow(self, request: VerificationRequest, *, now: Clock, wait: bool = True) -> Flow:
        """Yield requests; return the result. ``wait=False`` returns PENDING as soon as
        the vendor has accepted the verification."""

    def parse_webhook(
        self, headers: Mapping[str, str], body: bytes, *, now: float, source_ip: str | None = None
    ) -> WebhookEvent:
        """Verify a webhook's authenticity and say what it announces. Raises only
        ``WebhookRejected``, whatever the headers and body."""
        raise WebhookRejected(f"{self.style} sends no webhooks")

    def fetch(self, event: WebhookEvent, *, now: Clock) -> Flow:
        """A short flow reading from the vendor the result ``event`` announces (nothing is
        created; PENDING when the vendor has not decided yet)."""
        raise InputError(f"{self.style}: reading a webhook's result from the vendor is not supported")

    # The conformance kit's hooks ------------------------------------------------------

    def spoiled(self) -> SettingsT:
        """These settings with every ``credential()`` changed to a wrong value of the same
        shape: the vendor must refuse them."""
        changes: dict[str, Any] = {
            name: spoil(getattr(self.settings, name)) for name in self.settings.credentials()
        }
        return replace(self.settings, **changes)

    def tamper_signature(self, request: httpx.Request) -> httpx.Request | None:
        """``request`` with its signature spoiled and all else as signed, or None when the
        style does not sign requests (``kit.request_signature`` is "")."""
        return None

    def answer_signed(self, headers: Mapping[str, str], answer: Any) -> bool | None:
        """Whether a logged success answer carries the style's answer signature (``kit``
        says where); None when the style signs no answers, or this answer cannot carry one
        (not a JSON object, for a style that signs inside the body)."""
        if self.kit.signed_answer_header:
            return self.kit.signed_answer_header.lower() in {k.lower() for k in headers}
        if self.kit.signed_answer_fields and isinstance(answer, dict):
            return all(answer.get(f) for f in self.kit.signed_answer_fields)
        return None

    # Reading answers --------------------------------------------------------------------

    def decipher(self, response: httpx.Response) -> Any:
        """The answer's content when it is a success; otherwise raise what it means.

        One fixed order for every style: success (2xx and no error code) first, then
        authentication, rate limit (with the wait it asks for), unavailable, the style's
        error table, and anything else is a protocol error. The style's hooks say where
        its error code sits (``error_code``), how a success is unwrapped (``unwrap``) and
        where a wait is signalled (``retry_hint``).
        """
        body = self._json_or_not(response)
        code = self.error_code(response, body)
        status = response.status_code
        if code is None and 200 <= status < 300:
            if body is NOT_JSON:
                raise self.protocol_error("response body is not JSON", response)
            return self.unwrap(body, response)
        known = self.error_table.get(code) if code is not None else None
        kind = known.error if known is not None else None
        where = f"HTTP {status}" + (f", code {_shown_code(code)}" if code is not None else "")
        details = self._details(response, code, body)
        if status in self.auth_statuses or _is(kind, AuthenticationFailed):
            raise AuthenticationFailed(self._text(known, "credentials refused", where), **details)
        if status in self.rate_statuses or _is(kind, RateLimited):
            raise RateLimited(
                self._text(known, "rate limited", where),
                retry_after=self.retry_hint(response, body),
                **details,
            )
        if status >= 500 or _is(kind, ProviderUnavailable):
            raise ProviderUnavailable(self._text(known, "unavailable", where), **details)
        if known is not None:
            raise self._table_error(known, where, details)
        raise ProviderProtocolError(f"{self.name}: unexpected answer ({where})", **details)

    def error_code(self, response: httpx.Response, body: Any) -> str | None:
        """Hook: the style's error code in an answer (body or header), or None when the
        answer carries none. Styles that signal errors by HTTP status alone keep None."""
        return None

    def correlation_id(self, response: httpx.Response, body: Any) -> str | None:
        """Hook: the vendor's id for this exchange, quoted to its support (None: it has none)."""
        return None

    def unwrap(self, body: Any, response: httpx.Response) -> Any:
        """Hook: the content of a successful answer (a style that wraps it lifts it here)."""
        return body

    def retry_hint(self, response: httpx.Response, body: Any) -> float | None:
        """Hook: seconds a rate-limited answer asks us to wait; by default its
        ``Retry-After`` header (``retry_after``)."""
        return self.retry_after(response)

    def retry_after(self, response: httpx.Response, header: str = "Retry-After") -> float | None:
        """The wait a header asks for (``parse_retry_after``: seconds or an HTTP-date). A
        date is counted from the answer's own ``Date``, so our clock's skew does not
        matter; without one, from when the driver sent the request (``SENT_AT``); with
        neither, a date says nothing usable (a number of seconds still does)."""
        value = response.headers.get(header)
        date = _http_date(response.headers.get("Date", "")) or _sent_at(response)
        if date is None:
            return (
                parse_retry_after(value, now=0.0) if _DELAY_SECONDS.fullmatch((value or "").strip()) else None
            )
        return parse_retry_after(value, now=date)

    # Polling ------------------------------------------------------------------------------

    @overload
    def poll(
        self,
        read: Callable[[], SubFlow[T | None]],
        *,
        schedule: Iterable[float],
        wait: Literal[True] = True,
        look_first: bool = True,
    ) -> SubFlow[T]: ...
    @overload
    def poll(
        self,
        read: Callable[[], SubFlow[T | None]],
        *,
        schedule: Iterable[float],
        wait: bool,
        look_first: bool = True,
    ) -> SubFlow[T | None]: ...
    def poll(
        self,
        read: Callable[[], SubFlow[T | None]],
        *,
        schedule: Iterable[float],
        wait: bool = True,
        look_first: bool = True,
    ) -> SubFlow[T | None]:
        """Run ``read`` (one look at the vendor) until it returns a value, waiting each
        delay of ``schedule`` in turn between looks; when the schedule runs out,
        ``ProviderUnavailable``. ``look_first=False`` waits before the first look too
        (the flow has just seen the state); with ``wait=False`` nothing is waited: one
        look, or none, and None when nothing was found.

        The only code that yields ``Wait``, so flows never receive anything but responses.
        """
        delays = iter(schedule)
        looks = 0
        if look_first or not wait:
            if not look_first:
                return None
            value = yield from read()
            looks += 1
            if value is not None or not wait:
                return value
        for delay in delays:
            yield Wait(delay)
            value = yield from read()
            looks += 1
            if value is not None:
                return value
        raise ProviderUnavailable(f"{self.name}: not decided after {looks} looks", provider=self.name)

    # Reading vendor objects ---------------------------------------------------------------

    def answer(self, response: httpx.Response) -> dict[str, Any]:
        """``decipher`` for the common case: a success whose content is a JSON object."""
        content = self.decipher(response)
        if not isinstance(content, dict):
            raise self.protocol_error("answer is not a JSON object", response)
        return content

    def field(self, obj: Any, key: str, kind: type[Any] = str) -> Any:
        """``obj[key]`` when ``obj`` is a mapping and the value is a ``kind``; otherwise a
        protocol error (never a KeyError or TypeError from a hostile answer)."""
        value = obj.get(key) if isinstance(obj, Mapping) else None
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise self.protocol_error(f"field {key!r} missing or not {kind.__name__}")
        return value

    def pending(
        self, reference: str | None, raw_status: str | None, raw: Mapping[str, Any] | None = None
    ) -> VerificationResult:
        """The result of a flow that ends before the vendor decided (``wait=False``)."""
        return VerificationResult(
            Decision.PENDING, self.name, reference=reference, raw_status=raw_status, raw=redact(raw or {})
        )

    # Building requests and checking what comes back -----------------------------------------

    def url(self, path: str) -> str:
        return self.settings.base_url.rstrip("/") + "/" + path.lstrip("/")

    def build(self, method: str, path: str, **kwargs: Any) -> httpx.Request:
        return httpx.Request(method, self.url(path), **kwargs)

    def decode_json(self, response: httpx.Response) -> Any:
        """The response body as JSON, or ``ProviderProtocolError`` (never a KeyError)."""
        body = self._json_or_not(response)
        if body is NOT_JSON:
            raise self.protocol_error("response body is not JSON", response)
        return body

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

    def map_status(self, word: Any) -> Decision | None:
        """Our decision for a vendor status word; an unknown word (or not a word: a list,
        a number) is a protocol error."""
        if not isinstance(word, str) or word not in self.status_map:
            raise self.protocol_error(f"unknown status {_shown(word)}")
        return self.status_map[word]

    # decipher's parts -------------------------------------------------------------------

    @staticmethod
    def _json_or_not(response: httpx.Response) -> Any:
        try:
            return parse_json(response.content)
        except ValueError:
            return NOT_JSON

    def _details(self, response: httpx.Response, code: str | None, body: Any) -> dict[str, Any]:
        found = self.correlation_id(response, body)
        shown = found if found is None or _shown_code(found) == found else None
        return {
            "provider": self.name,
            "status": response.status_code,
            "vendor_code": code,
            "correlation_id": shown,
        }

    def _text(self, known: VendorError | None, default: str, where: str) -> str:
        return f"{self.name}: {known.text if known is not None and known.text else default} ({where})"

    def _table_error(self, known: VendorError, where: str, details: dict[str, Any]) -> KycError:
        text = self._text(known, "refused", where)
        if issubclass(known.error, InvalidIdentifier):
            return known.error(text, field=known.field)
        if issubclass(known.error, ProviderError):
            return known.error(text, **details)
        return known.error(text)


#: An adapter of any style (what drivers, routing and the kit hold).
AnyProvider: TypeAlias = Provider[Any]


def spoil(value: object) -> object:
    """A wrong credential of the same shape (the last character changed; each item of a
    tuple of secrets)."""
    if isinstance(value, str) and value:
        return value[:-1] + ("x" if value[-1] != "x" else "y")
    if isinstance(value, tuple):
        return tuple(spoil(v) for v in value)
    return value


def _sent_at(response: httpx.Response) -> float | None:
    try:
        sent = response.request.extensions.get(SENT_AT)
    except RuntimeError:  # a response made without a request (tests, hand-driven flows)
        return None
    return sent if isinstance(sent, float) else None


def _is(kind: type[KycError] | None, base: type[KycError]) -> bool:
    return kind is not None and issubclass(kind, base)


def _shown_code(code: str) -> str:
    return code if code.isascii() and code.isprintable() and len(code) <= 40 else "<unprintable>"


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
