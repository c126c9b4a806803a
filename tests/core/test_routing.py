"""The pure routing rules: plans, fallback, retries, backoff, circuit breaker, quorum."""

from __future__ import annotations

import pytest

from kyc_sdk.errors import (
    AuthenticationFailed,
    InputError,
    NoProviderAvailable,
    ProviderUnavailable,
    RateLimited,
)
from kyc_sdk.models import Check, CheckKind, Decision, VerificationResult
from kyc_sdk.providers.base import ProviderSettings
from kyc_sdk.routing import (
    Backoff,
    Call,
    Cheapest,
    CircuitBreaker,
    Fallback,
    GiveUp,
    Leg,
    Quorum,
    Single,
    combine,
    next_call,
    parse_policy,
    quorum_decision,
)
from tests.core.reference import RefProvider

DOC = frozenset({CheckKind.DOCUMENT, CheckKind.FACE_MATCH, CheckKind.LIVENESS})
REG = frozenset({CheckKind.REGISTRY, CheckKind.MOBILE_MATCH})


def vendor(name: str, caps: frozenset[CheckKind], cost: float = 1.0) -> RefProvider:
    cls = type(f"P_{name}", (RefProvider,), {"capabilities": caps, "cost": cost})
    return cls(RefProvider.settings_class(base_url="http://x", name=name))


PROVIDERS = {p.name: p for p in [vendor("doc1", DOC, 3.0), vendor("doc2", DOC, 1.5), vendor("reg", REG, 0.2)]}
ALL = DOC | REG


def test_single_needs_a_provider_that_covers_everything() -> None:
    assert Single("doc1").plan(frozenset({CheckKind.DOCUMENT}), PROVIDERS) == [
        Leg(frozenset({CheckKind.DOCUMENT}), ("doc1",))
    ]
    with pytest.raises(InputError, match="cannot check"):
        Single("doc1").plan(ALL, PROVIDERS)
    with pytest.raises(InputError, match="not configured"):
        Single("nobody").plan(ALL, PROVIDERS)


def test_fallback_composes_a_document_vendor_with_the_registry() -> None:
    legs = Fallback().plan(ALL, PROVIDERS)
    assert legs == [Leg(DOC, ("doc1", "doc2")), Leg(REG, ("reg",))]
    with pytest.raises(InputError, match="no configured provider"):
        Fallback().plan(ALL, {"doc1": PROVIDERS["doc1"]})


def test_cheapest_covering_set() -> None:
    legs = Cheapest().plan(ALL, PROVIDERS)
    assert legs == [Leg(REG, ("reg",)), Leg(DOC, ("doc2", "doc1"))]
    assert Cheapest().plan(REG, PROVIDERS) == [Leg(REG, ("reg",))]


def test_quorum_plan_and_decision() -> None:
    assert Quorum(2).plan(DOC, PROVIDERS) == [Leg(DOC, ("doc1", "doc2"), quorum=2)]
    with pytest.raises(InputError, match="quorum of 2"):
        Quorum(2).plan(REG, PROVIDERS)
    ok = [
        VerificationResult(Decision.APPROVED, n, checks=(Check(CheckKind.DOCUMENT, Decision.APPROVED, n),))
        for n in "ab"
    ]
    no = VerificationResult(Decision.DECLINED, "c")
    assert quorum_decision([*ok, no], 2).decision is Decision.APPROVED
    assert quorum_decision([ok[0], no], 2).decision is Decision.REVIEW
    assert quorum_decision([ok[0]], 2) is None


def test_parse_policy() -> None:
    assert parse_policy("quorum:3") == Quorum(3)
    assert parse_policy("cheapest") == Cheapest()
    for bad in ("quorum", "quorum:x", "quorum:٣", "random"):
        with pytest.raises(InputError):
            parse_policy(bad)


LEG = Leg(DOC, ("doc1", "doc2"))


def step(failures, *, repeatable=False, available=lambda n: True, time_left=float("inf")):
    return next_call(
        LEG,
        failures,
        backoff=Backoff(base=1, cap=4, retries=2),
        repeatable=lambda n: repeatable,
        rand=lambda: 0.5,
        available=available,
        time_left=time_left,
    )


def test_fallback_only_on_could_not_decide() -> None:
    down = ProviderUnavailable("down")
    assert step([]) == Call("doc1")
    assert step([("doc1", down)]) == Call("doc2")
    assert isinstance(step([("doc1", down), ("doc2", down)]).error, NoProviderAvailable)
    auth = AuthenticationFailed("bad key")
    assert step([("doc1", auth)]) == GiveUp(auth)


def test_retries_only_repeatable_flows_with_backoff_and_retry_after() -> None:
    down = ProviderUnavailable("down")
    assert step([("doc1", down)], repeatable=True) == Call("doc1", 0.5)  # 0.5 * min(4, 1 * 2**0)
    assert step([("doc1", down)] * 2, repeatable=True) == Call("doc1", 1.0)
    assert step([("doc1", down)] * 3, repeatable=True) == Call("doc2")  # retries spent
    slow = RateLimited("slow down", retry_after=3.0)
    assert step([("doc1", slow)], repeatable=True) == Call("doc1", 3.0)


def test_a_wait_that_would_not_fit_moves_on_to_the_next_candidate() -> None:
    slow = RateLimited("slow down", retry_after=60.0)
    assert step([("doc1", slow)], repeatable=True, time_left=5.0) == Call("doc2")
    assert step([("doc1", slow)], repeatable=True, time_left=61.0) == Call("doc1", 60.0)
    last = step([("doc1", slow), ("doc2", slow)], repeatable=True, time_left=5.0)
    assert isinstance(last, GiveUp) and last.error.errors == [slow, slow]  # type: ignore[attr-defined]


def test_backoff_is_capped_and_jittered() -> None:
    b = Backoff(base=1, factor=2, cap=4)
    assert b.delay(10, None, lambda: 1.0) == 4
    assert b.delay(10, None, lambda: 0.0) == 0
    assert b.delay(0, 9.0, lambda: 0.3) == 9.0


def test_open_circuit_is_passed_over() -> None:
    assert step([], available=lambda n: n != "doc1") == Call("doc2")
    give_up = step([], available=lambda n: False)
    assert isinstance(give_up, GiveUp) and "circuit open" in str(give_up.error)


def test_circuit_breaker_opens_probes_and_closes() -> None:
    cb = CircuitBreaker(threshold=2, cooldown=10)
    cb.record(False, 0)
    assert cb.allow(1) and cb.state == "closed"
    cb.record(False, 1)
    assert cb.state == "open" and not cb.allow(5)
    assert cb.allow(11) and cb.state == "half-open"
    assert not cb.allow(11.5)  # one probe at a time
    cb.record(False, 12)
    assert cb.state == "open" and not cb.allow(13)
    assert cb.allow(22)
    cb.record(True, 22)
    assert cb.state == "closed" and cb.allow(22)


def test_combine_takes_the_most_cautious_decision_and_keeps_provenance() -> None:
    a = VerificationResult(
        Decision.APPROVED, "doc1", checks=(Check(CheckKind.DOCUMENT, Decision.APPROVED, "doc1"),)
    )
    b = VerificationResult(
        Decision.DECLINED,
        "reg",
        checks=(Check(CheckKind.REGISTRY, Decision.DECLINED, "reg"),),
        reasons=("registry_mismatch",),
    )
    merged = combine([a, b])
    assert merged.decision is Decision.DECLINED
    assert [(c.kind, c.provider) for c in merged.checks] == [
        (CheckKind.DOCUMENT, "doc1"),
        (CheckKind.REGISTRY, "reg"),
    ]
    assert merged.reasons == ("registry_mismatch",)


def test_settings_repr_hides_nothing_secret() -> None:
    p = PROVIDERS["doc1"]
    assert "ref-token" not in repr(p)
    assert isinstance(p.settings, ProviderSettings)
