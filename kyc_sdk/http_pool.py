"""The connection pool ``AsyncKYC`` sends vendor requests through.

httpcore's pool (behind ``httpx.AsyncHTTPTransport``) pays for its size on every
request: each time a request is queued or a response closed it walks all its
connections, asks every idle one whether its socket turned readable (a syscall and a
dictionary of socket attributes built by anyio), counts the idle ones once per idle
connection (quadratic), and walks every queued request against every connection. At a
few connections this is noise; at 32 to 128 in flight it is most of the client's CPU,
and throughput over loopback halves. Its keep-alive count also counts every connection,
not only idle ones, so past ``max_keepalive_connections`` (httpx's default: 20) a
connection is closed as soon as it goes idle and the next request opens a new one.

``ShardedTransport`` keeps httpcore (and so httpx's behaviour, errors and extensions)
but bounds what one pool sees. Each vendor host (scheme, host, port) gets its own set of
small pools (``shard_size`` connections each, every one kept alive), made as load needs
them, behind one admission semaphore of ``max_connections`` per host; a request takes a
slot, then the first pool with a free one. No pool ever queues a request or holds more
than ``shard_size`` connections, so its walks stay short, and hosts never evict each
other's connections; a light load uses only the first pools, whose connections stay
warm, while the others' idle connections expire. Waiting for a slot is bounded by the
caller's deadline (``AsyncKYC`` runs each flow in a cancel scope).

HTTP/2 would put every request to a host on one connection, but the vendors' styles
promise only HTTP/1.1 and h2's framing, in pure Python, costs more CPU a request than
h11's: not used.
"""

from __future__ import annotations

import ssl
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass

import anyio
import httpx


@dataclass(frozen=True, slots=True)
class PoolLimits:
    """How many vendor connections a driver opens and keeps.

    ``max_connections`` bounds the requests in flight at once to one vendor host (more
    wait their turn); ``shard_size`` is the size of each underlying pool (4: measured
    flat client CPU a verification from 1 to 128 in flight, where 16 costs half as much
    again at 32 and more); ``keepalive_expiry`` is how long an idle connection is kept
    for reuse (seconds).
    """

    max_connections: int = 128
    shard_size: int = 4
    keepalive_expiry: float = 5.0

    def __post_init__(self) -> None:
        if self.max_connections < 1 or self.shard_size < 1:
            raise ValueError("max_connections and shard_size must be at least 1")
        if self.keepalive_expiry < 0:
            raise ValueError("keepalive_expiry must not be negative")

    def httpx_limits(self, connections: int | None = None) -> httpx.Limits:
        """``httpx.Limits`` for one pool of ``connections`` (default: all of them), every
        one kept alive (see the module's note on httpcore's keep-alive count)."""
        n = self.max_connections if connections is None else connections
        return httpx.Limits(
            max_connections=n, max_keepalive_connections=n, keepalive_expiry=self.keepalive_expiry
        )


DEFAULT_POOL = PoolLimits()
MAX_HOSTS = 64  # past this many hosts with pools, those with nothing in flight are closed


class _Releasing(httpx.AsyncByteStream):
    """A response body that gives its pool slot back once, when it is closed."""

    def __init__(self, inner: httpx.AsyncByteStream, release: Callable[[], None]) -> None:
        self._inner = inner
        self._release: Callable[[], None] | None = release

    async def __aiter__(self) -> AsyncIterator[bytes]:
        async for chunk in self._inner:
            yield chunk

    async def aclose(self) -> None:
        try:
            await self._inner.aclose()
        finally:
            if self._release is not None:
                release, self._release = self._release, None
                release()


class _Host:
    """One vendor host's small pools, created as load needs them, and their free slots."""

    def __init__(self, limits: PoolLimits, tls: Callable[[], ssl.SSLContext]) -> None:
        self.limits, self.tls = limits, tls
        self.admission = anyio.Semaphore(limits.max_connections)
        self.shards: list[httpx.AsyncHTTPTransport] = []
        self.free: list[int] = []
        self.busy = 0

    def take(self) -> int:
        """Index of the first shard with a free slot (a new one if none): call with a
        slot of ``admission`` held, so one exists or may be made."""
        index = next((i for i, free in enumerate(self.free) if free), len(self.free))
        if index == len(self.shards):
            size = min(self.limits.shard_size, self.limits.max_connections - index * self.limits.shard_size)
            self.shards.append(
                httpx.AsyncHTTPTransport(verify=self.tls(), limits=self.limits.httpx_limits(size))
            )
            self.free.append(size)
        self.free[index] -= 1
        self.busy += 1
        return index

    def give_back(self, index: int) -> None:
        self.free[index] += 1
        self.busy -= 1
        self.admission.release()


class ShardedTransport(httpx.AsyncBaseTransport):
    """``httpx.AsyncHTTPTransport`` split per vendor host, and per host in small pools
    behind one admission semaphore of ``limits.max_connections``."""

    def __init__(self, limits: PoolLimits = DEFAULT_POOL, *, verify: bool | str = True) -> None:
        self.limits = limits
        self._verify = verify
        self._tls: ssl.SSLContext | None = None
        self._hosts: dict[tuple[bytes, bytes, int | None], _Host] = {}

    def _context(self) -> ssl.SSLContext:
        """One TLS context for every pool: making one loads the CA store (milliseconds
        of CPU), which 32 pools would otherwise do 32 times."""
        if self._tls is None:
            self._tls = httpx.create_ssl_context(verify=self._verify)
        return self._tls

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        url = request.url
        key = (url.raw_scheme, url.raw_host, url.port)
        host = self._hosts.get(key)
        if host is None:
            if len(self._hosts) >= MAX_HOSTS:
                await self._forget_idle_hosts()
            host = self._hosts[key] = _Host(self.limits, self._context)
        await host.admission.acquire()
        index = host.take()  # no await between acquiring the slot and taking it

        def release() -> None:
            host.give_back(index)

        try:
            response = await host.shards[index].handle_async_request(request)
        except BaseException:
            release()
            raise
        assert isinstance(response.stream, httpx.AsyncByteStream)
        return httpx.Response(
            response.status_code,
            headers=response.headers,
            stream=_Releasing(response.stream, release),
            extensions=response.extensions,
        )

    async def _forget_idle_hosts(self) -> None:
        """Close the pools of hosts with nothing in flight: a vendor may name a new host
        in every answer (an upload URL), and their pools must not pile up."""
        idle = [key for key, host in self._hosts.items() if not host.busy]
        for key in idle:
            for shard in self._hosts.pop(key).shards:
                await shard.aclose()

    @property
    def hosts(self) -> int:
        """Hosts with pools now."""
        return len(self._hosts)

    def in_flight(self) -> int:
        """Requests holding a slot now (sent, or answered with the body not yet closed)."""
        return sum(host.busy for host in self._hosts.values())

    async def aclose(self) -> None:
        for host in self._hosts.values():
            for shard in host.shards:
                await shard.aclose()
