"""A synchronous httpx transport whose socket operations end by a deadline.

httpx's timeouts are per operation: a vendor that sends one byte every half second never
trips a 2 s read timeout, so a blocking client waits as long as the vendor likes.
``AsyncKYC`` bounds a flow with a cancel scope; a blocking socket has none, so here every
connect, TLS handshake, read and written chunk waits at most min(its own timeout, the
time left) and fails at once when none is left. The time left is set by the caller
around ``send`` with ``within(seconds)`` (a context variable: per thread, no helper
thread, no timer). Outside ``within`` the transport behaves like httpx's own.

Only public httpx and httpcore API is used: a ``httpcore.ConnectionPool`` (or
``HTTPProxy``) over our network backend, and httpcore's errors turned into httpx's errors
of the same name. Proxy environment variables are not read: name a proxy with
``DeadlineTransport(proxy=...)``.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterable, Iterator
from contextvars import ContextVar
from typing import Any

import httpcore
import httpx

_ends_at: ContextVar[float | None] = ContextVar("kyc_sdk_deadline", default=None)
#: Written data goes out in chunks this big, so a vendor that reads slowly meets the
#: deadline between chunks rather than after the whole body.
WRITE_CHUNK = 16 * 1024


@contextlib.contextmanager
def within(seconds: float) -> Iterator[None]:
    """Requests sent in this block end (or fail with a timeout) within ``seconds``."""
    token = _ends_at.set(time.monotonic() + seconds)
    try:
        yield
    finally:
        _ends_at.reset(token)


def _bounded(timeout: float | None, error: type[Exception]) -> float | None:
    ends_at = _ends_at.get()
    if ends_at is None:
        return timeout
    left = ends_at - time.monotonic()
    if left <= 0:
        raise error("deadline reached")
    return left if timeout is None else min(timeout, left)


class _Stream(httpcore.NetworkStream):
    def __init__(self, inner: httpcore.NetworkStream) -> None:
        self._inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, _bounded(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        for start in range(0, len(buffer), WRITE_CHUNK):
            self._inner.write(buffer[start : start + WRITE_CHUNK], _bounded(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self, ssl_context: Any, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.NetworkStream:
        return _Stream(
            self._inner.start_tls(ssl_context, server_hostname, _bounded(timeout, httpcore.ConnectTimeout))
        )

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class _Backend(httpcore.NetworkBackend):
    def __init__(self) -> None:
        self._inner = httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        return _Stream(
            self._inner.connect_tcp(
                host, port, _bounded(timeout, httpcore.ConnectTimeout), local_address, socket_options
            )
        )

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.NetworkStream:
        return _Stream(
            self._inner.connect_unix_socket(path, _bounded(timeout, httpcore.ConnectTimeout), socket_options)
        )

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


_CORE_ERRORS = (
    httpcore.TimeoutException,
    httpcore.NetworkError,
    httpcore.ProtocolError,
    httpcore.UnsupportedProtocol,
    httpcore.ProxyError,
)


@contextlib.contextmanager
def _as_httpx_errors(request: httpx.Request) -> Iterator[None]:
    """httpcore's errors as httpx's (the two libraries name them alike)."""
    try:
        yield
    except _CORE_ERRORS as exc:
        cls = getattr(httpx, type(exc).__name__, httpx.TransportError)
        raise cls(str(exc) or type(exc).__name__, request=request) from exc


class _Body(httpx.SyncByteStream):
    def __init__(self, inner: Any, request: httpx.Request) -> None:
        self._inner, self._request = inner, request

    def __iter__(self) -> Iterator[bytes]:
        with _as_httpx_errors(self._request):
            yield from self._inner

    def close(self) -> None:
        self._inner.close()


class DeadlineTransport(httpx.BaseTransport):
    """httpx's default HTTP/1.1 transport, with every socket operation bounded by ``within``."""

    def __init__(
        self, *, verify: bool | str = True, proxy: str | None = None, limits: httpx.Limits | None = None
    ) -> None:
        limits = limits or httpx.Limits(max_connections=100, max_keepalive_connections=20)  # httpx's default
        common: dict[str, Any] = {
            "ssl_context": httpx.create_ssl_context(verify=verify),
            "network_backend": _Backend(),
            "max_connections": limits.max_connections,
            "max_keepalive_connections": limits.max_keepalive_connections,
            "keepalive_expiry": limits.keepalive_expiry,
        }
        self._pool: httpcore.ConnectionPool | httpcore.HTTPProxy = (
            httpcore.HTTPProxy(proxy_url=proxy, **common) if proxy else httpcore.ConnectionPool(**common)
        )

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        url = request.url
        core = httpcore.Request(
            method=request.method,
            url=httpcore.URL(scheme=url.raw_scheme, host=url.raw_host, port=url.port, target=url.raw_path),
            headers=request.headers.raw,
            content=request.stream,
            extensions=request.extensions,
        )
        with _as_httpx_errors(request):
            answer = self._pool.handle_request(core)
        return httpx.Response(
            answer.status,
            headers=answer.headers,
            stream=_Body(answer.stream, request),
            extensions=answer.extensions,
        )

    def close(self) -> None:
        self._pool.close()
