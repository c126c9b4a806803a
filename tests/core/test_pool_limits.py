"""The vendor connection pool is sized and kept as intended, seen from a real server.

A uvicorn server on loopback records, for each request, the client's port (one port, one
connection) and how many requests it holds at once; each request waits a little so
concurrent ones overlap. Throughput itself is measured in benchmarks/orchestration.py.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import anyio
import httpx
import pytest

from kyc_sdk import KYC, AsyncKYC
from kyc_sdk.deadline_transport import DeadlineTransport
from kyc_sdk.http_pool import DEFAULT_POOL, PoolLimits, ShardedTransport
from kyc_sdk.sandbox import provider
from kyc_sdk.sandbox.serve import serving

HOLD = 0.03  # seconds the server holds each request


@dataclass
class Seen:
    ports: list[int] = field(default_factory=list)
    now: int = 0
    most: int = 0

    def reset(self) -> None:
        self.ports.clear()
        self.most = 0


class Recorder:
    def __init__(self) -> None:
        self.seen = Seen()

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        assert scope["type"] == "http"
        seen = self.seen
        seen.ports.append(scope["client"][1])
        seen.now += 1
        seen.most = max(seen.most, seen.now)
        try:
            await anyio.sleep(HOLD)
        finally:
            seen.now -= 1
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"2")]})
        await send({"type": "http.response.body", "body": b"ok"})


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[str, Seen]]:
    app = Recorder()
    with serving(app) as url:
        yield url, app.seen


def unused_ports(n: int) -> list[int]:
    """Ports nothing listens on: bound to learn a free number, then closed."""
    sockets = [socket.socket() for _ in range(n)]
    try:
        for s in sockets:
            s.bind(("127.0.0.1", 0))
        return [s.getsockname()[1] for s in sockets]
    finally:
        for s in sockets:
            s.close()


async def burst(client: httpx.AsyncClient, url: str, n: int) -> None:
    async def one() -> None:
        assert (await client.get(url)).status_code == 200

    async with anyio.create_task_group() as group:
        for _ in range(n):
            group.start_soon(one)


def test_in_flight_bounded_and_connections_kept(server: tuple[str, Seen]) -> None:
    url, seen = server
    limits = PoolLimits(max_connections=12, shard_size=4)
    transport = ShardedTransport(limits)

    async def main() -> tuple[set[int], set[int]]:
        async with httpx.AsyncClient(transport=transport) as client:
            seen.reset()
            await burst(client, url, 48)
            first = set(seen.ports)
            assert seen.most <= 12 and len(first) <= 12
            assert transport.in_flight() == 0
            seen.reset()
            await burst(client, url, 48)
            return first, set(seen.ports)

    first, second = anyio.run(main)
    # 48 requests at once over 12 connections: the server saw all 12 used, and the
    # second burst reused them (nothing closed on going idle, nothing reopened).
    assert len(first) == 12
    assert second <= first


def test_hosts_have_their_own_slots(server: tuple[str, Seen]) -> None:
    url, seen = server
    other = url.replace("127.0.0.1", "localhost")  # same server, another origin
    transport = ShardedTransport(PoolLimits(max_connections=4, shard_size=2))

    async def main() -> None:
        async with httpx.AsyncClient(transport=transport) as client:
            seen.reset()
            async with anyio.create_task_group() as group:
                group.start_soon(burst, client, url, 8)
                group.start_soon(burst, client, other, 8)

    anyio.run(main)
    assert 4 < seen.most <= 8  # each origin is capped at 4, and they run side by side
    assert len(set(seen.ports)) == 8


def test_cancelled_and_failed_requests_give_their_slot_back(server: tuple[str, Seen]) -> None:
    url, _ = server
    transport = ShardedTransport(PoolLimits(max_connections=2, shard_size=1))

    async def main() -> None:
        async with httpx.AsyncClient(transport=transport) as client:
            for _ in range(3):  # more cancellations than slots: a leak would hang the next step
                with anyio.move_on_after(HOLD / 3):
                    async with anyio.create_task_group() as group:
                        for _ in range(2):
                            group.start_soon(client.get, url)
            assert transport.in_flight() == 0
            with pytest.raises(httpx.ConnectError):
                await client.get(f"http://127.0.0.1:{unused_ports(1)[0]}/")
            assert transport.in_flight() == 0
            with anyio.fail_after(5):
                await burst(client, url, 4)

    anyio.run(main)


def test_pools_of_idle_hosts_do_not_pile_up(
    server: tuple[str, Seen], monkeypatch: pytest.MonkeyPatch
) -> None:
    url, _ = server
    monkeypatch.setattr("kyc_sdk.http_pool.MAX_HOSTS", 3)
    transport = ShardedTransport(PoolLimits(max_connections=2, shard_size=1))

    async def main() -> None:
        async with httpx.AsyncClient(transport=transport) as client:
            for port in unused_ports(10):  # ten hosts, none listening
                with pytest.raises(httpx.ConnectError):
                    await client.get(f"http://127.0.0.1:{port}/")
                assert transport.hosts <= 3
            assert (await client.get(url)).status_code == 200  # still serves

    anyio.run(main)


def test_drivers_build_their_pools_from_pool_limits(
    server: tuple[str, Seen], monkeypatch: pytest.MonkeyPatch
) -> None:
    url, _ = server
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    limits = PoolLimits(max_connections=6, shard_size=3)
    kyc = AsyncKYC([provider("hirkan", url)], pool=limits)
    assert isinstance(kyc._http._transport, ShardedTransport)
    assert kyc._http._transport.limits == limits
    assert isinstance(AsyncKYC([provider("hirkan", url)])._http._transport, ShardedTransport)
    assert AsyncKYC([provider("hirkan", url)])._http._transport.limits == DEFAULT_POOL  # type: ignore[attr-defined]
    # A proxy named in the environment keeps httpx's own transport, which honours it.
    monkeypatch.setenv("HTTPS_PROXY", "http://127.0.0.1:9")
    assert not isinstance(AsyncKYC([provider("hirkan", url)])._http._transport, ShardedTransport)
    with KYC([provider("hirkan", url)], pool=limits) as sync:
        assert isinstance(sync._http._transport, DeadlineTransport)


def test_blocking_pool_keeps_every_connection(server: tuple[str, Seen]) -> None:
    """The blocking driver's pool (DeadlineTransport) keeps all its connections alive:
    past httpx's default of 20 kept, httpcore closes a connection as soon as it idles."""
    url, seen = server
    n = 24
    client = httpx.Client(transport=DeadlineTransport(limits=PoolLimits(max_connections=n).httpx_limits()))
    gate = threading.Barrier(n)

    def one(_: int) -> None:
        gate.wait(timeout=10)
        assert client.get(url).status_code == 200

    with client, ThreadPoolExecutor(n) as threads:
        seen.reset()
        list(threads.map(one, range(n)))
        first = set(seen.ports)
        time.sleep(0.05)
        seen.reset()
        list(threads.map(one, range(n)))
        second = set(seen.ports)
    assert len(first) == n
    assert second <= first


def test_pool_limits_are_checked() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        PoolLimits(max_connections=0)
    with pytest.raises(ValueError, match="at least 1"):
        PoolLimits(shard_size=0)
    with pytest.raises(ValueError, match="negative"):
        PoolLimits(keepalive_expiry=-1)
    limits = PoolLimits(max_connections=10).httpx_limits()
    assert limits.max_keepalive_connections == limits.max_connections == 10
