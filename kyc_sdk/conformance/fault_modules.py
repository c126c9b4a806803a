"""Modules that ask the vendor's sandbox control for an error answer (``POST /_sim/faults``
with a count of 1, see ``kyc_sdk/sandbox/base.py``) and check that the style's envelope
lands on the right error class: ``errors`` (auth, unavailable, malformed) and
``rate_limit`` (429 or the style's quota signal, its retry signal, and recovery).

These run last in a plan: setting faults replaces any the vendor had active. A vendor
without the control gets REVIEW (show these answers another way), not FAILED.
See docs/conformance.md.
"""

from __future__ import annotations

from kyc_sdk.conformance.kit import Kit
from kyc_sdk.conformance.model import ModuleResult, Status
from kyc_sdk.conformance.schemas import check_answers
from kyc_sdk.errors import (
    AuthenticationFailed,
    KycError,
    ProviderError,
    ProviderProtocolError,
    ProviderUnavailable,
    RateLimited,
)
from kyc_sdk.models import VerificationResult

ERRORS: dict[str, type[ProviderError]] = {
    "auth": AuthenticationFailed,
    "unavailable": ProviderUnavailable,
    "malformed": ProviderProtocolError,
}


def _forced(kit: Kit, result: ModuleResult, fault: str) -> VerificationResult | KycError | None:
    """One verification with ``fault`` on the vendor's next answer (None: no control)."""
    answer = kit.control("POST", "/faults", {"faults": {fault: 1}})
    if answer is None or answer.status_code >= 300:
        result.add(
            f"vendor gives a {fault} answer on request",
            Status.REVIEW,
            "no sandbox control at /_sim/faults: show this answer another way",
        )
        return None
    mark = len(kit.recorder.sink)
    try:
        outcome: VerificationResult | KycError = kit.verify(kit.request("approved"))
    except KycError as err:
        outcome = err
    kit.control("DELETE", "/faults")
    kit.shared.setdefault("forced", []).extend(kit.recorder.sink[mark:])
    return outcome


def errors(kit: Kit, result: ModuleResult) -> None:
    for fault, expected in ERRORS.items():
        mark = len(kit.recorder.sink)
        outcome = _forced(kit, result, fault)
        if outcome is None:
            continue
        got = type(outcome).__name__ if isinstance(outcome, KycError) else f"decided {outcome.decision.value}"
        result.check(
            f"{fault} answer lands on {expected.__name__}", isinstance(outcome, expected), f"got {got}"
        )
        if fault != "malformed":  # a truncated body is meant to break the shape
            faulted = [r for r in kit.recorder.sink[mark:] if "/_sim" not in r.exchange.url]
            for condition in check_answers(kit.style, faulted[:1]):
                result.add(f"{fault} envelope: {condition.name}", condition.status, condition.detail)


def rate_limit(kit: Kit, result: ModuleResult) -> None:
    try:
        kit.verify(kit.request("approved"))
        baseline = ""
    except KycError as err:
        baseline = f"{type(err).__name__} before any limit was asked for"
    result.check("an ordinary call is not limited", not baseline, baseline)
    outcome = _forced(kit, result, "rate_limited")
    if outcome is None:
        return
    limited = isinstance(outcome, RateLimited)
    result.check(
        "the limit lands on RateLimited",
        limited,
        type(outcome).__name__ if isinstance(outcome, KycError) else "decided anyway",
    )
    retry_after = getattr(outcome, "retry_after", None) if limited else None
    if retry_after is not None:
        result.add("retry signal given", Status.PASSED, f"retry after {retry_after:g} s")
    elif kit.facts.retry_signal:
        result.add(
            "retry signal given", Status.FAILED, "the style promises one (Retry-After / RateLimit-Reset)"
        )
    else:
        result.add(
            "retry signal given", Status.PASSED, f"none, and {kit.style}'s spec promises none (back off)"
        )
    try:
        kit.verify(kit.request("approved"))
        after = ""
    except KycError as err:
        after = type(err).__name__
    result.check("calls succeed again once the limit is over", not after, after)
