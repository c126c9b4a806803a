"""Slow-loris and stalled vendors on real loopback sockets, against both drivers and the
conformance kit: each must give up within its deadline (plus a little slack) with a
typed error, whatever the vendor does with its bytes.

The servers here speak just enough HTTP/1.1 to be believed: they read a request and
then answer the hostile way (``MODES``). A trickle stops by itself after ``GIVE_UP``
seconds, so a client that does not hold its deadline fails the test instead of hanging.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from typing import Self

import anyio
import pytest

from kyc_sdk import KYC, AsyncKYC, Subject, VerificationRequest
from kyc_sdk.conformance.kit import Kit, Options
from kyc_sdk.conformance.runner import run
from kyc_sdk.errors import NoProviderAvailable, ProviderUnavailable
from kyc_sdk.routing import Backoff
from kyc_sdk.sandbox import provider, sample_request, settings

GIVE_UP = 15.0
SLACK = 0.5  # scheduling on a loaded 2-core machine; a broken bound overshoots by seconds
HEAD = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 4000\r\n\r\n"
#: mode -> what the server does after reading a request
MODES = ("trickle_headers", "trickle_body", "stall", "stall_mid_headers", "silent_accept")


class SlowServer:
    """A loopback server answering every request in ``mode``, a byte every ``interval`` s."""

    def __init__(self, mode: str, interval: float) -> None:
        self.mode, self.interval = mode, interval
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.listener.settimeout(0.2)
        self.stop = threading.Event()
        self.threads: list[threading.Thread] = []

    @property
    def url(self) -> str:
        host, port = self.listener.getsockname()
        return f"http://{host}:{port}"

    def __enter__(self) -> Self:
        self._spawn(self._accept)
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=5)
        self.listener.close()

    def _spawn(self, target, *args) -> None:  # type: ignore[no-untyped-def]
        thread = threading.Thread(target=target, args=args, name="slow-server", daemon=True)
        self.threads.append(thread)
        thread.start()

    def _accept(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self.listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self._spawn(self._answer, conn)

    def _answer(self, conn: socket.socket) -> None:
        with conn:
            conn.settimeout(0.2)
            if self.mode != "silent_accept":
                self._read_request(conn)
            if self.mode == "trickle_headers":
                self._trickle(conn, HEAD + b"{}".ljust(4000))
            elif self.mode == "trickle_body":
                conn.sendall(HEAD)
                self._trickle(conn, b"{}".ljust(4000))
            elif self.mode == "stall_mid_headers":
                conn.sendall(HEAD[:20])
                self.stop.wait(GIVE_UP)
            else:  # stall, silent_accept: hold the connection, say nothing
                self.stop.wait(GIVE_UP)

    def _read_request(self, conn: socket.socket) -> None:
        data, ends = b"", time.monotonic() + 2
        while b"\r\n\r\n" not in data and time.monotonic() < ends and not self.stop.is_set():
            with contextlib.suppress(TimeoutError):
                chunk = conn.recv(65536)
                if not chunk:
                    return
                data += chunk

    def _trickle(self, conn: socket.socket, payload: bytes) -> None:
        ends = time.monotonic() + GIVE_UP
        for i in range(len(payload)):
            if self.stop.wait(self.interval) or time.monotonic() > ends:
                return
            try:
                conn.sendall(payload[i : i + 1])
            except OSError:  # the client gave up and closed: as it should
                return


def _request() -> VerificationRequest:
    return sample_request(VerificationRequest(Subject(), reference="slow-loris"))


def _sync(url: str, deadline: float) -> None:
    with KYC([provider("hirkan", url)], backoff=Backoff(base=0.01, cap=0.01)) as kyc:
        kyc.verify(_request(), deadline=deadline)


def _async(url: str, deadline: float) -> None:
    async def go() -> None:
        async with AsyncKYC([provider("hirkan", url)], backoff=Backoff(base=0.01, cap=0.01)) as kyc:
            await kyc.verify(_request(), deadline=deadline)

    anyio.run(go)


def _kit(url: str, deadline: float) -> None:
    kit = Kit("hirkan", settings("hirkan", url), Options(deadline=deadline))
    try:
        kit.verify(kit.request("approved"))
    finally:
        kit.close()


RUNNERS = {
    "sync": (_sync, NoProviderAvailable),
    "async": (_async, NoProviderAvailable),
    "kit": (_kit, ProviderUnavailable),
}


def _cases(long: bool) -> list[tuple[str, float, float]]:
    """(mode, interval, deadline): a small sample in CI, a sweep with --hostile-long."""
    if not long:
        return [(mode, 0.1, 0.4) for mode in ("trickle_headers", "trickle_body", "silent_accept")]
    return [
        (mode, interval, deadline)
        for mode in MODES
        for interval in (0.02, 0.1, 0.45)
        for deadline in (0.3, 1.0, 2.0)
    ]


def _own_threads() -> set[threading.Thread]:
    return {t for t in threading.enumerate() if t.name != "slow-server"}


@pytest.mark.parametrize("runner", sorted(RUNNERS))
def test_every_driver_holds_its_deadline_against_slow_vendors(runner: str, hostile_long: bool) -> None:
    call, error = RUNNERS[runner]
    before = _own_threads()
    for mode, interval, deadline in _cases(hostile_long):
        with SlowServer(mode, interval) as server:
            started = time.monotonic()
            with pytest.raises(error) as info:
                call(server.url, deadline)
            took = time.monotonic() - started
        assert took < deadline + SLACK, f"{runner} took {took:.2f} s against {mode} (deadline {deadline} s)"
        assert info.value.retryable, f"{runner}: a vendor too slow for the deadline may succeed later"
    assert _own_threads() <= before, "a driver left a thread running"


def test_the_kit_run_ends_against_a_stalled_vendor() -> None:
    """A whole (basic-plan) kit run against a vendor that never answers ends, module by
    module, each within the deadline, and reports the failure instead of hanging."""
    deadline = 0.4
    with SlowServer("stall", 0.1) as server:
        started = time.monotonic()
        report = run(
            "hirkan",
            settings("hirkan", server.url),
            Options(plan="basic", deadline=deadline, only=("availability", "credentials")),
        )
        took = time.monotonic() - started
    assert len(report.modules) == 2 and len(report.failed) == 2
    assert took < 6 * (deadline + SLACK)
