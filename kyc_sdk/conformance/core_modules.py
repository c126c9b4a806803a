"""Modules that drive ordinary verifications: availability, credentials, signatures,
every scenario, idempotency and latency. Each takes the kit and the module's result and
records conditions on it; see docs/conformance.md ("What each module checks").
"""

from __future__ import annotations

import math

from kyc_sdk.conformance.kit import CONTROL, Kit
from kyc_sdk.conformance.model import ModuleResult, Status
from kyc_sdk.errors import AuthenticationFailed, KycError
from kyc_sdk.models import Decision, VerificationResult


def _attempt(
    kit: Kit, result: ModuleResult, name: str = "approved", **kw: object
) -> VerificationResult | KycError:
    try:
        return kit.verify(kit.request(name), **kw)  # type: ignore[arg-type]
    except KycError as err:
        return err


def _said(err: KycError) -> str:
    status = getattr(err, "status", None)
    return f"{type(err).__name__} ({err.code}{f', HTTP {status}' if status else ''})"


def availability(kit: Kit, result: ModuleResult) -> None:
    outcome = _attempt(kit, result)
    answers = [r.exchange for r in kit.recorder.sink]
    errors5xx = [e for e in answers if e.status is not None and e.status >= 500]
    broken = [e for e in answers if e.error]
    result.check(
        "no 5xx answers",
        not errors5xx,
        "; ".join(f"{e.method} {e.path} -> {e.status}" for e in errors5xx[:3]),
    )
    result.check(
        "no transport failures (refused, reset, timed out)",
        not broken,
        "; ".join(f"{e.method} {e.path}: {e.error}" for e in broken[:3]),
    )
    decided = isinstance(outcome, VerificationResult)
    said = f"decision {outcome.decision.value}" if isinstance(outcome, VerificationResult) else _said(outcome)
    result.check("an ordinary verification is decided", decided, said)


def credentials(kit: Kit, result: ModuleResult) -> None:
    good = _attempt(kit, result)
    result.check(
        "the given credentials are accepted",
        isinstance(good, VerificationResult),
        "" if isinstance(good, VerificationResult) else _said(good),
    )
    fields = kit.credentials
    if not fields:
        result.add(
            "wrong credentials are refused", Status.REVIEW, "the settings declare no credential() fields"
        )
        return
    bad = _attempt(kit, result, provider=kit.adapter_class(kit.provider().spoiled()))
    result.check(
        f"wrong {', '.join(fields)} refused with the style's auth error",
        isinstance(bad, AuthenticationFailed),
        "verification went through" if isinstance(bad, VerificationResult) else _said(bad),
    )
    statuses = {r.exchange.status for r in kit.recorder.sink[-3:]}
    result.check(
        "the refusal is an HTTP 401 or 403",
        bool(statuses & {401, 403}),
        f"last statuses {sorted(s for s in statuses if s)}",
    )


def signatures(kit: Kit, result: ModuleResult) -> None:
    facts, adapter = kit.facts, kit.provider()
    if not facts.request_signature and not facts.response_signature:
        result.add(
            "signed requests and answers", Status.SKIPPED, f"{kit.style} signs neither requests nor answers"
        )
        return
    if facts.request_signature:
        outcome = _attempt(kit, result, tamper=lambda r: adapter.tamper_signature(r) or r)
        result.check(
            f"a request with a wrong signature is refused ({facts.request_signature})",
            isinstance(outcome, AuthenticationFailed),
            "accepted" if isinstance(outcome, VerificationResult) else _said(outcome),
        )
    if facts.response_signature:
        signed_ok = _attempt(kit, result)
        result.check(
            "signed answers verify (the adapter checks each one)",
            isinstance(signed_ok, VerificationResult),
            "" if isinstance(signed_ok, VerificationResult) else _said(signed_ok),
        )
        ok = [r for r in kit.recorder.sink if r.exchange.status and r.exchange.status < 300]
        unsigned = [
            r.exchange for r in ok if adapter.answer_signed(r.exchange.response_headers, r.answer) is False
        ]
        result.check(
            f"every success answer is signed ({facts.response_signature})",
            bool(ok) and not unsigned,
            "; ".join(f"{e.method} {e.path}" for e in unsigned[:3]),
        )


def scenario_module(name: str):  # type: ignore[no-untyped-def]
    """The module for one scenario of the style's scenario file."""

    def run(kit: Kit, result: ModuleResult) -> None:
        item = next(s for s in kit.scenarios() if s.name == name)
        outcome = _attempt(kit, result, name)
        if "error" in item.expected:
            ok = isinstance(outcome, KycError) and outcome.code == item.expected["error"]
            result.check(
                f"ends in error {item.expected['error']}",
                ok,
                _said(outcome) if isinstance(outcome, KycError) else f"decided {outcome.decision.value}",
            )
            return
        if not result.check(
            "decided",
            isinstance(outcome, VerificationResult),
            "" if isinstance(outcome, VerificationResult) else _said(outcome),
        ):
            return
        assert isinstance(outcome, VerificationResult)
        want = Decision(item.expected["decision"])
        result.check(
            f"decision is {want.value}",
            outcome.decision is want,
            f"got {outcome.decision.value} (vendor status {outcome.raw_status!r})",
        )
        if "reasons" in item.expected:
            result.check(
                f"reasons are {item.expected['reasons']}",
                list(outcome.reasons) == item.expected["reasons"],
                f"got {list(outcome.reasons)}",
            )

    return run


def idempotency(kit: Kit, result: ModuleResult) -> None:
    if not kit.adapter_class.idempotent:
        result.add(
            "a repeated verification creates nothing new",
            Status.SKIPPED,
            f"{kit.style} has no idempotency and the adapter never repeats a flow",
        )
        return
    request = kit.request("approved")
    outcomes = [_try(kit, request) for _ in range(2)]
    if not all(isinstance(o, VerificationResult) for o in outcomes):
        result.add(
            "both runs decided",
            Status.FAILED,
            "; ".join(_said(o) for o in outcomes if isinstance(o, KycError)),
        )
        return
    first, second = outcomes
    assert isinstance(first, VerificationResult) and isinstance(second, VerificationResult)
    result.check(
        "the repeat lands on the same vendor object",
        first.reference == second.reference,
        f"{first.reference!r} then {second.reference!r}",
    )
    result.check(
        "the repeat gives the same decision",
        first.decision is second.decision,
        f"{first.decision.value} then {second.decision.value}",
    )


def _try(kit: Kit, request: object) -> VerificationResult | KycError:
    try:
        return kit.verify(request)  # type: ignore[arg-type]
    except KycError as err:
        return err


MEASURED = ("availability", "credentials", "scenario.", "idempotency", "webhooks.", "latency")


def latency(kit: Kit, result: ModuleResult) -> None:
    samples = _samples(kit)
    while len(samples) < 10 and isinstance(_attempt(kit, result), VerificationResult):
        samples = _samples(kit)
    if not samples:
        result.add("latency measured", Status.FAILED, "no answered exchange to measure")
        return
    p50, p95 = percentile(samples, 50), percentile(samples, 95)
    budget = kit.options
    result.check(
        f"p50 {p50:.0f} ms within {budget.budget_p50_ms:.0f} ms",
        p50 <= budget.budget_p50_ms,
        f"{len(samples)} exchanges",
    )
    result.check(
        f"p95 {p95:.0f} ms within {budget.budget_p95_ms:.0f} ms",
        p95 <= budget.budget_p95_ms,
        f"{len(samples)} exchanges",
    )
    kit.shared["latency"] = {
        "p50_ms": round(p50, 1),
        "p95_ms": round(p95, 1),
        "n": len(samples),
        "budget_p50_ms": budget.budget_p50_ms,
        "budget_p95_ms": budget.budget_p95_ms,
    }


def _samples(kit: Kit) -> list[float]:
    """Answered exchanges of ordinary verifications (faults and control left out)."""
    return [
        r.exchange.ms
        for r in kit.recorder.all
        if r.module.startswith(MEASURED) and r.exchange.status is not None and CONTROL not in r.exchange.url
    ]


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (the value at rank ceil(q/100 * n))."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]
