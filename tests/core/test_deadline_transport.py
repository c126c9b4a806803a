"""``DeadlineTransport`` on its own: the deadline set by ``within`` and a named proxy."""

from __future__ import annotations

import socket
import threading
import time

import httpx
import pytest

from kyc_sdk.deadline_transport import DeadlineTransport, within


def _serve_once(answer: bytes, seen: list[bytes], pause: float = 0.0) -> str:
    listener = socket.create_server(("127.0.0.1", 0))

    def run() -> None:
        conn, _ = listener.accept()
        with conn, listener:
            seen.append(conn.recv(65536))
            time.sleep(pause)
            conn.sendall(answer)

    threading.Thread(target=run, daemon=True).start()
    host, port = listener.getsockname()
    return f"http://{host}:{port}"


OK = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}"


def test_outside_within_it_is_an_ordinary_transport() -> None:
    seen: list[bytes] = []
    url = _serve_once(OK, seen, pause=0.3)
    with httpx.Client(transport=DeadlineTransport()) as http:
        assert http.get(url + "/x", timeout=2).json() == {}
    assert seen[0].startswith(b"GET /x HTTP/1.1")


def test_within_ends_a_request_in_time_even_when_each_read_would_wait() -> None:
    seen: list[bytes] = []
    url = _serve_once(OK, seen, pause=2.0)
    with httpx.Client(transport=DeadlineTransport()) as http:
        started = time.monotonic()
        with pytest.raises(httpx.ReadTimeout), within(0.3):
            http.get(url, timeout=10)
    assert time.monotonic() - started < 1.0


def test_a_named_proxy_gets_the_request_in_absolute_form() -> None:
    seen: list[bytes] = []
    proxy = _serve_once(OK, seen)
    with httpx.Client(transport=DeadlineTransport(proxy=proxy)) as http, within(2):
        assert http.get("http://vendor.example/v1/x").status_code == 200
    assert seen[0].startswith(b"GET http://vendor.example/v1/x HTTP/1.1")
