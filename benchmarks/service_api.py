"""Requests per second of the service's endpoints that do no image work, one replica.

Method: one ``kyc-sdk serve`` process (one uvicorn worker, model warm-up off, SQLite in a
temporary folder or ``--db URL``) on a loopback port; the load comes from this process,
another one, as raw HTTP/1.1 over ``--concurrency`` keep-alive connections (a minimal
asyncio client, so the client costs little beside the server), for ``--seconds``.
``get`` reads a case with its token (token check + one read transaction), ``create``
opens a case (identity validated, challenge made, one write transaction), ``healthz``
is the framework alone, ``review`` lists the officers' queue with an officer's token
(token check + one read, made on the event loop), ``checkpoints`` reads the signed
audit checkpoints. Figures depend on the machine and what else runs on it: read
them against each other, never as a gate.

    python benchmarks/service_api.py --endpoint get --endpoint create --endpoint healthz
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

SUBJECT = {  # everything a resident path's vendor checks need (names, birth date, mobile)
    "path": "resident",
    "subject": {
        "national_code": "0499370899",
        "mobile": "09121234567",
        "first_name": "علی",
        "last_name": "رضایی",
        "birth_date": "1370/01/01",
    },
}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _officer_token(db: str) -> str:
    made = subprocess.run(
        [sys.executable, "-m", "kyc_sdk.cli", "officer", "add", "--name", "bench", "--db", db, "--json"],
        capture_output=True,
        check=True,
        text=True,
    )
    return str(json.loads(made.stdout)["token"])


def _request(endpoint: str, base: str, db: str) -> tuple[bytes, bytes]:
    """The raw request to repeat and the status line it must get."""
    if endpoint == "healthz":
        return b"GET /healthz HTTP/1.1\r\nHost: bench\r\n\r\n", b"HTTP/1.1 200"
    if endpoint == "checkpoints":
        return b"GET /v1/audit/checkpoints HTTP/1.1\r\nHost: bench\r\n\r\n", b"HTTP/1.1 200"
    if endpoint == "review":
        token = _officer_token(db)
        head = f"GET /v1/review/cases HTTP/1.1\r\nHost: bench\r\nAuthorization: Bearer {token}\r\n\r\n"
        return head.encode(), b"HTTP/1.1 200"
    body = json.dumps(SUBJECT).encode()
    if endpoint == "create":
        head = f"POST /v1/cases HTTP/1.1\r\nHost: bench\r\nContent-Length: {len(body)}\r\n\r\n"
        return head.encode() + body, b"HTTP/1.1 201"
    made = json.loads(urllib.request.urlopen(urllib.request.Request(base + "/v1/cases", data=body)).read())
    head = (
        f"GET /v1/cases/{made['id']} HTTP/1.1\r\nHost: bench\r\nAuthorization: Bearer {made['token']}\r\n\r\n"
    )
    return head.encode(), b"HTTP/1.1 200"


async def _load(port: int, raw: bytes, ok: bytes, concurrency: int, seconds: float) -> float:
    done = 0
    stop = time.monotonic() + seconds

    async def connection() -> None:
        nonlocal done
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        while time.monotonic() < stop:
            writer.write(raw)
            await writer.drain()
            head = await reader.readuntil(b"\r\n\r\n")
            if not head.startswith(ok):
                raise RuntimeError(head.split(b"\r\n")[0].decode())
            length = next(
                int(h.split(b":")[1]) for h in head.split(b"\r\n") if h.lower().startswith(b"content-length")
            )
            await reader.readexactly(length)
            done += 1
        writer.close()

    started = time.monotonic()
    await asyncio.gather(*(connection() for _ in range(concurrency)))
    return done / (time.monotonic() - started)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default=None, help="default: SQLite in a temporary folder")
    parser.add_argument(
        "--endpoint", action="append", choices=["get", "create", "healthz", "review", "checkpoints"]
    )
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=10.0)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        db = args.db or f"sqlite://{folder}/bench.db"
        port = _free_port()
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "kyc_sdk.cli",
                "serve",
                "--db",
                db,
                "--port",
                str(port),
                "--blobs",
                folder,
            ],
            env={**os.environ, "KYC_SDK_WARM_UP": "0"},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 60
            while True:
                try:
                    urllib.request.urlopen(base + "/healthz")
                    break
                except OSError:
                    if server.poll() is not None or time.monotonic() > deadline:
                        raise SystemExit("the service did not start") from None
                    time.sleep(0.1)
            for endpoint in args.endpoint or ["get", "create", "healthz"]:
                raw, ok = _request(endpoint, base, db)
                per_s = asyncio.run(_load(port, raw, ok, args.concurrency, args.seconds))
                line = {"endpoint": endpoint, "db": db.split(":")[0], "concurrency": args.concurrency}
                print(json.dumps({**line, "per_s": round(per_s), "cpus": os.cpu_count()}), flush=True)
        finally:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
