"""Fan out with ``AsyncKYC``: many verifications at once, each asking three document
vendors concurrently and deciding by a quorum of two.

Against the in-process sandboxes of aurora, cirrus and echo (no network). A real backend
would pass each vendor's settings (``AuroraProvider(AuroraSettings(...))``) instead of
the sandbox's and drop the transport.

    python examples/async_fanout.py
"""

from __future__ import annotations

import time

import anyio

from kyc_sdk import AsyncKYC, CheckKind, Subject, VerificationRequest, VerificationResult
from kyc_sdk.routing import Quorum
from kyc_sdk.sandbox import Sandboxes, sample_request

VENDORS = ["aurora", "cirrus", "echo"]
PEOPLE = 6


def request(i: int) -> VerificationRequest:
    """The sandbox's synthetic person, one reference per verification."""
    return sample_request(
        VerificationRequest(
            Subject(), checks=frozenset({CheckKind.DOCUMENT, CheckKind.FACE_MATCH}), reference=f"fanout-{i}"
        )
    )


async def verify_all(n: int = PEOPLE) -> list[VerificationResult]:
    results: list[VerificationResult | None] = [None] * n
    with Sandboxes(VENDORS) as sb:
        async with AsyncKYC(sb.providers(), transport=sb.transport, policy=Quorum(2)) as kyc:

            async def one(i: int) -> None:
                results[i] = await kyc.verify(request(i), deadline=30)

            async with anyio.create_task_group() as group:  # every verification at once
                for i in range(n):
                    group.start_soon(one, i)
    return [r for r in results if r is not None]


def main() -> list[VerificationResult]:
    started = time.perf_counter()
    results = anyio.run(verify_all)
    ms = (time.perf_counter() - started) * 1000
    for r in results:
        asked = sorted({a.provider for a in r.attempts})
        print(f"{r.decision.value:<9} quorum of 2 among {', '.join(asked)}")
    print(f"{len(results)} verifications x {len(VENDORS)} vendors in {ms:.0f} ms")
    return results


if __name__ == "__main__":
    main()
