"""Orchestration costs under ``AsyncKYC``, against in-process sandboxes.

1. Quorum over every document vendor vs the slowest of them alone. Each vendor's
   sandbox answers after a fixed extra latency (``slow`` fault, different per vendor, so
   the network and not our CPU dominates, as with real vendors); the quorum asks all of
   them concurrently and must take about as long as the slowest one. Ratio =
   median(quorum) / median(slowest alone). Goal ≤ 1.2.
2. Throughput: C concurrent verifications (hirkan registry + Shahkar, two POSTs each)
   for T seconds after a warm-up; verifications per second. Goal ≥ 500/s on 2 cores.

    .venv/bin/python benchmarks/orchestration.py [--rounds 5] [--concurrency 32] [--seconds 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

import anyio

from kyc_sdk import AsyncKYC, CheckKind, Subject, VerificationRequest
from kyc_sdk.routing import Quorum, Single
from kyc_sdk.sandbox import Sandboxes, sample_request

DOCUMENT_VENDORS = ["aurora", "borealis", "cirrus", "delta", "echo", "fjord", "gilan"]
LATENCY = {name: 0.05 + 0.01 * i for i, name in enumerate(DOCUMENT_VENDORS)}  # seconds per request


def request(ref: str) -> VerificationRequest:
    return sample_request(
        VerificationRequest(Subject(), reference=ref, checks=frozenset({CheckKind.DOCUMENT}))
    )


async def timed(kyc: AsyncKYC, ref: str) -> float:
    started = time.perf_counter()
    result = await kyc.verify(request(ref), deadline=60)
    assert result.decision.value == "APPROVED", result
    return time.perf_counter() - started


async def quorum_vs_slowest(rounds: int) -> None:
    slowest = max(LATENCY, key=LATENCY.__getitem__)
    faults = {name: {"slow": None} for name in DOCUMENT_VENDORS}
    alone, together = [], []
    for i in range(rounds):
        with Sandboxes(DOCUMENT_VENDORS, faults=faults) as sb:
            for name, app in sb.apps.items():
                app.faults.slow_seconds = LATENCY[name]
            async with AsyncKYC(sb.providers(), transport=sb.transport, policy=Single(slowest)) as kyc:
                alone.append(await timed(kyc, f"alone-{i}"))
            async with AsyncKYC(
                sb.providers(), transport=sb.transport, policy=Quorum(len(DOCUMENT_VENDORS))
            ) as kyc:
                together.append(await timed(kyc, f"quorum-{i}"))
    a, q = statistics.median(alone), statistics.median(together)
    print(
        f"quorum of {len(DOCUMENT_VENDORS)} document vendors: {q * 1e3:.0f} ms; slowest ({slowest}) alone: "
        f"{a * 1e3:.0f} ms; ratio {q / a:.3f} (median of {rounds} rounds)"
    )


async def throughput(concurrency: int, seconds: float) -> None:
    with Sandboxes(["hirkan"]) as sb:
        async with AsyncKYC(sb.providers(), transport=sb.transport) as kyc:
            req = sample_request(VerificationRequest(Subject()))
            done = 0

            async def worker(until: float) -> None:
                nonlocal done
                while time.perf_counter() < until:
                    await kyc.verify(req)
                    done += 1

            for _phase, span in (("warm-up", 1.0), ("measure", seconds)):
                done = 0
                started = time.perf_counter()
                async with anyio.create_task_group() as group:
                    for _ in range(concurrency):
                        group.start_soon(worker, started + span)
                took = time.perf_counter() - started
            print(
                f"AsyncKYC throughput: {done / took:.0f} verifications/s "
                f"({concurrency} concurrent, {took:.1f} s, "
                f"hirkan in-process, 2 requests each; load average {os.getloadavg()[0]:.1f})"
            )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=5.0)
    args = parser.parse_args()
    print(__doc__.split("\n\n")[1] + "\n")
    anyio.run(quorum_vs_slowest, args.rounds)
    anyio.run(throughput, args.concurrency, args.seconds)


if __name__ == "__main__":
    main()
