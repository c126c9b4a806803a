"""What verify() costs on top of the vendor exchange it makes.

Method: the hirkan sandbox; one verification is two JSON POSTs (civil registry, then
Shahkar). Each round times N verifications through ``KYC.verify`` / ``AsyncKYC.verify``
and N of the same two POSTs made by hand with the same httpx client type and transport,
interleaved round by round so that drift (other processes on the machine) affects both;
after a warm-up of 50 each, the median of the rounds is reported with the ratio
verify / raw. Goal: ≤ 1.05. Two transports: ``in-process`` (the ASGI app behind an httpx
transport, no socket: the harshest case, a vendor answering in well under a millisecond)
and ``loopback`` (the same app served by uvicorn on 127.0.0.1, a real socket); and
``replayed`` (the sandbox's two answers recorded once and served from memory by
``httpx.MockTransport``: no vendor work on either side, so the added microseconds are the
SDK's own work, steady where the other modes swing with the machine's load). Absolute
times depend on the machine; the ratio and the added microseconds are the figures.

    .venv/bin/python benchmarks/verify_overhead.py [--n 300] [--rounds 7] \
        [--mode in-process|loopback|replayed|all]
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import time
from collections.abc import Iterator
from typing import Any

import anyio
import httpx

from kyc_sdk import KYC, AsyncKYC, CheckKind, Subject, VerificationRequest
from kyc_sdk.sandbox import create, provider, sample_request
from kyc_sdk.sandbox.hirkan import TOKEN
from kyc_sdk.sandbox.serve import serving
from kyc_sdk.sandbox.transport import HostRouter

HEADERS = {"Authorization": f"Bearer {TOKEN}"}
REGISTRY = {"nationalCode": "0499370899", "birthDate": "1370/01/01"}
SHAHKAR = {"mobile": "09121234567", "nationalCode": "0499370899"}
CALLS = (("/facility/nationalIdentityInquiry", REGISTRY), ("/facility/shahkarInquiry", SHAHKAR))
REQUEST = sample_request(
    VerificationRequest(Subject(), checks=frozenset({CheckKind.REGISTRY, CheckKind.MOBILE_MATCH}))
)
WARM_UP = 50
MODES = ("in-process", "loopback", "replayed")


def raw_sync(http: httpx.Client, url: str, n: int) -> float:
    started = time.perf_counter()
    for _ in range(n):
        for path, body in CALLS:
            response = http.post(url + path, json=body, headers=HEADERS)
            assert response.json()["result"] == 1
    return time.perf_counter() - started


def sdk_sync(kyc: KYC, n: int) -> float:
    started = time.perf_counter()
    for _ in range(n):
        kyc.verify(REQUEST)
    return time.perf_counter() - started


async def raw_async(http: httpx.AsyncClient, url: str, n: int) -> float:
    started = time.perf_counter()
    for _ in range(n):
        for path, body in CALLS:
            response = await http.post(url + path, json=body, headers=HEADERS)
            assert response.json()["result"] == 1
    return time.perf_counter() - started


async def sdk_async(kyc: AsyncKYC, n: int) -> float:
    started = time.perf_counter()
    for _ in range(n):
        await kyc.verify(REQUEST)
    return time.perf_counter() - started


def report(name: str, raw: list[float], sdk: list[float], n: int) -> None:
    r, s = statistics.median(raw) / n * 1e3, statistics.median(sdk) / n * 1e3
    print(
        f"{name:<18} raw httpx {r:7.3f} ms/verification   verify() {s:7.3f} ms   "
        f"added {(s - r) * 1e3:6.0f} µs   ratio {s / r:.3f}"
    )


@contextlib.contextmanager
def sandbox(mode: str) -> Iterator[tuple[str, httpx.MockTransport | HostRouter | None]]:
    """The base URL to call and the transport to use (None: a real socket)."""
    if mode == "loopback":
        with serving(create("hirkan")) as url:
            yield url, None
        return
    router = HostRouter({"hirkan.sandbox": create("hirkan")})
    try:
        yield "http://hirkan.sandbox", router if mode == "in-process" else _replaying(router)
    finally:
        router.close()


def _replaying(router: HostRouter) -> httpx.MockTransport:
    """The sandbox's answer to each call, recorded once and then served from memory."""
    with httpx.Client(transport=router) as http:
        answers = {
            path: http.post("http://hirkan.sandbox" + path, json=body, headers=HEADERS).content
            for path, body in CALLS
        }
    return httpx.MockTransport(
        lambda request: httpx.Response(
            200, content=answers[request.url.path], headers={"content-type": "application/json"}
        )
    )


def bench_sync(mode: str, url: str, transport: Any, n: int, rounds: int) -> None:
    with (
        httpx.Client(transport=transport) as http,
        KYC([provider("hirkan", url)], transport=transport) as kyc,
    ):
        raw_sync(http, url, WARM_UP), sdk_sync(kyc, WARM_UP)
        raw, sdk = [], []
        for _ in range(rounds):
            raw.append(raw_sync(http, url, n))
            sdk.append(sdk_sync(kyc, n))
    report(f"sync  {mode}", raw, sdk, n)


async def bench_async(mode: str, url: str, transport: Any, n: int, rounds: int) -> None:
    async with (
        httpx.AsyncClient(transport=transport) as http,
        AsyncKYC([provider("hirkan", url)], transport=transport) as kyc,
    ):
        await raw_async(http, url, WARM_UP), await sdk_async(kyc, WARM_UP)
        raw, sdk = [], []
        for _ in range(rounds):
            raw.append(await raw_async(http, url, n))
            sdk.append(await sdk_async(kyc, n))
    report(f"async {mode}", raw, sdk, n)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--mode", choices=[*MODES, "all"], default="all")
    args = parser.parse_args()
    print(__doc__.split("\n\n")[1])
    print(f"N={args.n} verifications per round, {args.rounds} rounds, median")
    for mode in MODES if args.mode == "all" else (args.mode,):
        with sandbox(mode) as (url, transport):
            bench_sync(mode, url, transport, args.n, args.rounds)
            anyio.run(bench_async, mode, url, transport, args.n, args.rounds)


if __name__ == "__main__":
    main()
