"""What every webhook parser shares: reading hostile headers and bodies without crashing,
naming an event and saying how long its id must be remembered (HMACs are compared by
``_signing.matches_any``).

A webhook is hostile input until its signature checks: headers may be missing, huge or
non-ASCII, bodies non-UTF-8, huge or nested a million deep. Everything here answers such
input with ``WebhookRejected`` (or a False), never another exception, and parsers
authenticate before they parse JSON (fjord, whose signature sits inside the body, reads
it through ``read_json``'s bounds first).

Replays (refused by the drivers through a ``OnceGuard``, keyed by ``event_id``) need a
time to bound how long an id is kept:

- a style whose signature covers a timestamp (echo, gilan, fjord) refuses a stamp
  outside its tolerance, so the id is kept until the stamp leaves the window;
- a style with a time only inside the signed body (aurora, borealis, cirrus, delta)
  refuses events older than ``MAX_AGE`` and keeps the id that long after the event;
- an event with no time at all can be told from a replay only by the record, so its id
  is kept for ``UNDATED_KEEP``, longer than any vendor redelivers or a verification
  matters.
"""

from __future__ import annotations

import hashlib
import itertools
import math
import re
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

from kyc_sdk.errors import WebhookRejected
from kyc_sdk.models import Decision
from kyc_sdk.providers._signing import matches_any
from kyc_sdk.providers.base import WebhookEvent, parse_json

MAX_BODY = 1024 * 1024  # vendors send small JSON events; anything bigger is not one
MAX_DEPTH = 32  # the deepest real event nests about six levels
MAX_HEADER = 4096
MAX_AGE = 7 * 86400.0  # vendors stop redelivering within days
UNDATED_KEEP = 365 * 86400.0
FUTURE_SKEW = 300.0  # a sender's clock may run this far ahead of ours

# A JSON string, or an unterminated one up to the end: every match succeeds from its first
# quote and nothing is scanned twice (possessive), so stripping strings stays linear.
_STRING = re.compile(rb'"(?:[^"\\]|\\.)*+(?:"|\\?\Z)', re.DOTALL)
_BRACKETS = bytes(range(256)).translate(None, b"[]{}")  # every byte but the brackets


def lowered(headers: Mapping[str, str]) -> dict[str, str]:
    """Headers by lower-case name; a name or value that is not short ASCII text is dropped
    (so it reads as missing, and the signature check fails)."""
    found: dict[str, str] = {}
    try:
        items = list(headers.items())
    except (AttributeError, TypeError):
        return found
    for name, value in items:
        if (
            isinstance(name, str)
            and isinstance(value, str)
            and len(value) <= MAX_HEADER
            and name.isascii()
            and value.isascii()
        ):
            found[name.lower()] = value
    return found


def secrets_of(value: str | Iterable[str]) -> list[str]:
    """The configured secrets: one string, or several (current first) while rotating."""
    values = (value,) if isinstance(value, str) else tuple(value)
    return [s for s in values if isinstance(s, str) and s]


def configured(value: str | Iterable[str], provider: str) -> list[str]:
    """``secrets_of(value)``, or ``WebhookRejected`` when none is configured."""
    keys = secrets_of(value)
    if not keys:
        raise WebhookRejected(f"{provider}: no webhook secret configured")
    return keys


def check_size(body: bytes, provider: str) -> None:
    if not isinstance(body, bytes | bytearray) or len(body) > MAX_BODY:
        raise WebhookRejected(f"{provider}: webhook body missing or over {MAX_BODY} bytes")


def read_json(body: bytes, provider: str) -> Any:
    """The body as strict JSON within the size and depth bounds, or ``WebhookRejected``."""
    check_size(body, provider)
    return sized_json(body, provider)


def sized_json(body: bytes, provider: str) -> Any:
    """``read_json`` for a body ``check_size`` has already passed (a parser that bounds
    the body before its signature check)."""
    brackets = _STRING.sub(b"", bytes(body)).translate(None, _BRACKETS)
    steps = (1 if b in b"[{" else -1 for b in brackets)
    if max(itertools.accumulate(steps), default=0) > MAX_DEPTH:
        raise WebhookRejected(f"{provider}: webhook body nested deeper than {MAX_DEPTH}")
    try:
        return parse_json(bytes(body))
    except ValueError:  # bad UTF-8 or syntax, NaN/Infinity, a number too long to convert
        raise WebhookRejected(f"{provider}: webhook body is not JSON") from None


def signed_json(
    provider: str,
    body: bytes,
    given: str | None,
    secrets: str | Iterable[str],
    signed: bytes | None = None,
    algorithm: str = "sha256",
) -> Any:
    """The JSON body of a webhook whose hex HMAC ``given`` matches what is signed
    (``signed``, by default the body) under any configured secret; ``WebhookRejected`` for
    no secret configured, an oversized body, a bad signature or a body that is not JSON.
    The signature is checked before the body is parsed."""
    keys = configured(secrets, provider)
    check_size(body, provider)
    if not matches_any(given, keys, body if signed is None else signed, algorithm):
        raise WebhookRejected(f"{provider}: bad or missing webhook signature")
    return sized_json(body, provider)


def dig(obj: Any, *path: str) -> Any:
    """``obj[path[0]][path[1]]…`` in an event's JSON, or None where a step is missing or
    not an object (a hostile body never raises here)."""
    for key in path:
        obj = obj.get(key) if isinstance(obj, dict) else None
    return obj


def body_event(
    provider: str,
    event: str,
    reference: str,
    status: str,
    decision: Decision | None,
    body: bytes,
    payload: Mapping[str, Any],
    sent_at: Any,
    now: float,
) -> WebhookEvent:
    """An event whose signature (or source) vouches for its whole body: the body's digest
    names it and its time (``signed_time``; None: undated) bounds a replay's age.
    ``payload`` is kept as given: redact it first."""
    keep = keep_until(provider, signed_time(sent_at), now)
    return WebhookEvent(
        provider, event, reference, status, decision, digest(body), payload=payload, keep_until=keep
    )


def digest(*parts: bytes) -> str:
    """An event id for a style without one: the digest of what its signature covers."""
    hasher = hashlib.sha256()
    for part in parts:
        hasher.update(len(part).to_bytes(8, "big") + part)
    return "sha256:" + hasher.hexdigest()[:32]


def signed_time(value: Any) -> float | None:
    """Epoch seconds from a vendor's time: seconds or milliseconds as a number or digits,
    or ISO 8601 (no zone: UTC). None when it is none of these, or not finite."""
    try:
        if isinstance(value, int | float) and not isinstance(value, bool):
            number = float(value)  # OverflowError for an int of 400 digits
        elif isinstance(value, str) and len(value) <= 64:
            try:
                number = float(value)
            except ValueError:
                parsed = datetime.fromisoformat(value)
                return (parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)).timestamp()
        else:
            return None
    except (ValueError, OverflowError, OSError):
        return None
    if not math.isfinite(number):
        return None
    return number / 1000 if number > 1e11 else number  # 1e11 s is the year 5138: milliseconds


def keep_until(
    provider: str, sent_at: float | None, now: float, *, window: float = MAX_AGE, ahead: float = FUTURE_SKEW
) -> float:
    """Until when an event's id must be remembered; ``WebhookRejected`` when its signed
    time is more than ``window`` old or more than ``ahead`` in the future."""
    if sent_at is None:
        return now + UNDATED_KEEP
    if not now - window <= sent_at <= now + ahead:
        raise WebhookRejected(f"{provider}: webhook's signed time is outside the accepted window")
    # A guard holds a key while expires_at > now, and the window still accepts at exactly
    # sent_at + window: hold it a second longer, so no instant is left uncovered.
    return sent_at + window + 1.0
