"""A recording httpx transport: every exchange the kit makes, logged with secrets and PII
redacted (``kyc_sdk.redact`` for bodies, a header rule for credentials and signatures).

The log is what a report shows under each module; the raw response is also kept, in
memory only, so that the schema module can check the JSON shape of every answer.
See docs/conformance.md ("Reading a report").
"""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

import httpx

from kyc_sdk.conformance.model import Exchange
from kyc_sdk.deadline_transport import DeadlineTransport
from kyc_sdk.redact import REDACTED, redact

# Header names that carry credentials, signatures or session tokens in one style or another.
_SECRET_HEADER_WORDS = ("auth", "token", "key", "sig", "secret", "cookie", "login", "digest")
_MAX_TEXT = 300

#: Called with each request before it is sent; may return a changed request (tampering).
Tamper = Callable[[httpx.Request], httpx.Request]


def redact_headers(headers: httpx.Headers) -> dict[str, str]:
    return {
        k: (REDACTED if any(w in k.lower() for w in _SECRET_HEADER_WORDS) else v) for k, v in headers.items()
    }


def body_view(content: bytes, content_type: str) -> Any:
    """What a log may show of a body: redacted JSON or form, else its size and type."""
    if not content:
        return None
    if "json" in content_type or content[:1] in (b"{", b"["):
        try:
            return redact(json.loads(content))
        except ValueError:
            return f"<{len(content)} bytes, not JSON: {content[:40]!r}>"
    if "x-www-form-urlencoded" in content_type:
        return redact(dict(parse_qsl(content.decode("utf-8", "replace"))))
    return f"<{len(content)} bytes {content_type or 'untyped'}>"


@dataclass
class Recorded:
    """One exchange as logged, plus the unredacted JSON answer (never written out)."""

    exchange: Exchange
    answer: Any = None
    answer_is_json: bool = False
    module: str = ""


class Recorder:
    """Where exchanges go: the kit points ``sink`` at the running module's list."""

    def __init__(self) -> None:
        self.sink: list[Recorded] = []
        self.all: list[Recorded] = []
        self.module = ""  # the running module's name
        self.tamper: Tamper | None = None

    def record(
        self, request: httpx.Request, response: httpx.Response | None, ms: float, error: str | None
    ) -> None:
        answer, is_json = None, False
        if response is not None and response.content:
            with contextlib.suppress(ValueError):
                answer, is_json = json.loads(response.content), True
        exchange = Exchange(
            method=request.method,
            url=str(request.url.copy_with(query=None)),
            status=response.status_code if response is not None else None,
            ms=ms,
            request_body=body_view(request.content, request.headers.get("content-type", "")),
            response_body=body_view(response.content, response.headers.get("content-type", ""))
            if response is not None
            else None,
            request_headers=redact_headers(request.headers),
            response_headers=redact_headers(response.headers) if response is not None else {},
            error=error,
        )
        item = Recorded(exchange, answer, is_json, self.module)
        self.sink.append(item)
        self.all.append(item)


class RecordingTransport(httpx.BaseTransport):
    """Sends through ``inner`` (a real socket, bounded by the kit's deadline, by default)
    and records each exchange."""

    def __init__(self, recorder: Recorder, inner: httpx.BaseTransport | None = None) -> None:
        self.recorder = recorder
        self.inner = inner or DeadlineTransport()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        request.read()  # multipart bodies stream; the log needs them whole
        if self.recorder.tamper is not None:
            request = self.recorder.tamper(request)
        started = time.perf_counter()
        try:
            response = self.inner.handle_request(request)
            response.read()
        except httpx.HTTPError as exc:
            self.recorder.record(request, None, (time.perf_counter() - started) * 1000, type(exc).__name__)
            raise
        self.recorder.record(request, response, (time.perf_counter() - started) * 1000, None)
        return response

    def close(self) -> None:
        self.inner.close()
