"""The kit's webhook receiver: a tiny ASGI app served on loopback that keeps every
delivery (arrival time, headers, raw body, source address) for the webhook modules.

It answers 200 to anything: judging a delivery is the modules' job, with the style's
own ``parse_webhook``. See docs/conformance.md ("webhooks.*").
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from kyc_sdk.sandbox.serve import serving


@dataclass(frozen=True)
class Delivery:
    at: float  # time.monotonic() on arrival
    path: str
    headers: dict[str, str]
    body: bytes
    source_ip: str | None


class Receiver:
    """Collects deliveries; ``url`` is set while ``running()``."""

    def __init__(self) -> None:
        self.url: str | None = None
        self.deliveries: list[Delivery] = []
        self._lock = threading.Lock()

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        client = scope.get("client")
        item = Delivery(time.monotonic(), scope["path"], headers, body, client[0] if client else None)
        with self._lock:
            self.deliveries.append(item)
        await send(
            {"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]}
        )
        await send({"type": "http.response.body", "body": b"ok"})

    def since(self, index: int) -> list[Delivery]:
        with self._lock:
            return list(self.deliveries[index:])

    def __len__(self) -> int:
        with self._lock:
            return len(self.deliveries)

    @contextlib.contextmanager
    def running(self, host: str = "127.0.0.1", port: int = 0, public_url: str = "") -> Iterator[str]:
        """Listen on ``host:port``; ``public_url`` is the address the vendor is given
        instead when it reaches the kit through a proxy or tunnel."""
        with serving(self, host=host, port=port) as url:
            self.url = public_url.rstrip("/") + "/hooks" if public_url else url + "/hooks"
            try:
                yield self.url
            finally:
                self.url = None
