"""Running one verification against a style's sandbox, under either driver and either
transport (in-process through httpx, or a real loopback socket)."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator
from importlib import resources
from typing import Any

import anyio

from kyc_sdk import KYC, AsyncKYC, Subject, VerificationRequest, VerificationResult
from kyc_sdk.providers import STYLES
from kyc_sdk.routing import Backoff, Policy
from kyc_sdk.sandbox import Sandboxes, create, provider, sample_request
from kyc_sdk.sandbox.serve import serving

FAST = Backoff(base=0.001, cap=0.001)


def styles_with_scenarios() -> list[str]:
    data = resources.files("kyc_sdk.sandbox.scenario_data")
    return [s for s in STYLES if data.joinpath(f"{s}.json").is_file()]


def base_request(reference: str = "contract-1") -> VerificationRequest:
    return sample_request(VerificationRequest(Subject(), reference=reference))


@contextlib.contextmanager
def sandboxes(styles: list[str], transport: str, **kw: Any) -> Iterator[tuple[list, Any, dict]]:
    """(providers, httpx transport or None, apps by style)."""
    if transport == "in-process":
        with Sandboxes(styles, **kw) as sb:
            yield sb.providers(), sb.transport, sb.apps
        return
    faults = kw.pop("faults", {})
    apps = {s: create(s, faults=faults.get(s, ()), **kw) for s in styles}
    with contextlib.ExitStack() as stack:
        urls = {s: stack.enter_context(serving(app)) for s, app in apps.items()}
        yield [provider(s, urls[s]) for s in styles], None, apps


def run(
    driver: str,
    providers: list,
    transport: Any,
    request: VerificationRequest,
    *,
    policy: Policy | None = None,
    now: Callable[[], float] = time.time,
    **kw: Any,
) -> VerificationResult:
    """``request`` verified by ``driver``; ``now`` is the wall clock the driver hands to flows."""
    if driver == "sync":
        with KYC(providers, transport=transport, policy=policy, backoff=FAST, now=now) as kyc:
            return kyc.verify(request, **kw)

    async def go() -> VerificationResult:
        async with AsyncKYC(providers, transport=transport, policy=policy, backoff=FAST, now=now) as kyc:
            return await kyc.verify(request, **kw)

    return anyio.run(go)
