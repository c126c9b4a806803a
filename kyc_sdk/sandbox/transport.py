"""httpx transports that reach in-process sandboxes (ASGI apps) without a socket.

``httpx.ASGITransport`` is async-only; ``SyncASGITransport`` runs the same app for a
synchronous ``httpx.Client`` on an event loop in a helper thread (an anyio blocking
portal). Both honour the request's read timeout, so a ``slow`` sandbox times out the
way a slow vendor does over a socket. ``HostRouter`` sends each request to the app
named by its host (``http://aurora.sandbox`` → the aurora app).
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Mapping
from typing import Any

import anyio
import anyio.from_thread
import httpx

ASGIApp = Any


def _read_timeout(request: httpx.Request) -> float | None:
    timeout = request.extensions.get("timeout") or {}
    value = timeout.get("read")
    return float(value) if value is not None else None


async def _call_app(app: ASGIApp, request: httpx.Request, body: bytes) -> httpx.Response:
    # A sandbox that crashes answers 500, as a server would, instead of raising into the client.
    inner = httpx.ASGITransport(app=app, client=("127.0.0.1", 50000), raise_app_exceptions=False)
    forwarded = httpx.Request(request.method, request.url, headers=request.headers, content=body)
    timeout = _read_timeout(request)
    try:
        with anyio.fail_after(timeout) if timeout is not None else contextlib.nullcontext():
            response = await inner.handle_async_request(forwarded)
            content = await response.aread()
    except TimeoutError:
        raise httpx.ReadTimeout("sandbox did not answer in time", request=request) from None
    return httpx.Response(response.status_code, headers=response.headers, content=content, request=request)


class AsyncASGITransport(httpx.AsyncBaseTransport):
    """``httpx.ASGITransport`` plus the request's read timeout."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        return await _call_app(self.app, request, await request.aread())


class SyncASGITransport(httpx.BaseTransport):
    """Drive an ASGI app from synchronous code, through an anyio blocking portal."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self._stack: contextlib.ExitStack | None = None
        self._portal: anyio.from_thread.BlockingPortal | None = None
        self._lock = threading.Lock()

    def _get_portal(self) -> anyio.from_thread.BlockingPortal:
        with self._lock:
            if self._portal is None:
                self._stack = contextlib.ExitStack()
                self._portal = self._stack.enter_context(anyio.from_thread.start_blocking_portal())
            return self._portal

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        return self._get_portal().call(_call_app, self.app, request, request.read())

    def close(self) -> None:
        with self._lock:
            if self._stack is not None:
                self._stack.close()
            self._stack = self._portal = None


class HostRouter(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """Route by host to per-host transports (sync or async, whichever the client uses)."""

    def __init__(self, apps: Mapping[str, ASGIApp]) -> None:
        self.apps = dict(apps)
        self._sync = {host: SyncASGITransport(app) for host, app in self.apps.items()}
        self._async = {host: AsyncASGITransport(app) for host, app in self.apps.items()}

    def _pick(self, table: Mapping[str, Any], request: httpx.Request) -> Any:
        try:
            return table[request.url.host]
        except KeyError:
            raise httpx.ConnectError(f"no sandbox at host {request.url.host!r}", request=request) from None

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        return self._pick(self._sync, request).handle_request(request)  # type: ignore[no-any-return]

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        return await self._pick(self._async, request).handle_async_request(request)  # type: ignore[no-any-return]

    def close(self) -> None:
        for transport in self._sync.values():
            transport.close()

    async def aclose(self) -> None:
        self.close()
