"""Pure routing: which provider next, after what wait, or give up.

Nothing here does I/O or reads a clock; the drivers in ``kyc_sdk.client`` ask
``next_call`` what to do after each failure and carry it out.

Rules:
- a *plan* splits the requested checks into legs; each leg has candidate providers in
  order of preference;
- a leg falls back to its next candidate only on errors that say the vendor could not
  decide (``err.retryable``: unavailable, timeout, rate limited), never on a decision
  and never on an authentication or protocol error, which are re-raised as they are;
- the same provider is retried, with full-jitter exponential backoff that honours
  ``Retry-After`` as a floor, only when its flow can be repeated safely
  (``Provider.idempotent``) and the wait fits in the time left; otherwise the leg
  moves on to its next candidate (a vendor asking for 60 s when 5 s are left is
  passed over, not waited for);
- when every candidate failed, the leg gives up with ``NoProviderAvailable``.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Protocol, TypeVar

from kyc_sdk.errors import InputError, KycError, NoProviderAvailable
from kyc_sdk.models import CheckKind, Decision, VerificationResult
from kyc_sdk.providers.base import AnyProvider

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Backoff:
    """Full-jitter exponential backoff: ``uniform(0, min(cap, base * factor**n))``."""

    base: float = 0.25
    factor: float = 2.0
    cap: float = 8.0
    retries: int = 2  # repeats of one provider after its first try

    def delay(self, retry: int, retry_after: float | None, rand: Callable[[], float]) -> float:
        ceiling = min(self.cap, self.base * self.factor**retry)
        wait = rand() * ceiling
        if retry_after is not None:
            wait = max(wait, retry_after)
        return wait


@dataclass(frozen=True, slots=True)
class Leg:
    """Part of a plan: the checks it covers and the providers that may decide them.

    ``quorum`` 0 means the first decision wins (candidates are fallbacks); k > 0 means
    every candidate is asked and k of them must agree.
    """

    checks: frozenset[CheckKind]
    candidates: tuple[str, ...]
    quorum: int = 0


class Policy(Protocol):
    def plan(self, checks: frozenset[CheckKind], providers: Mapping[str, AnyProvider]) -> list[Leg]:
        """Legs that together cover ``checks`` (all of the first provider's when empty)."""
        ...


def _wanted(checks: frozenset[CheckKind], provider: AnyProvider) -> frozenset[CheckKind]:
    if not checks:
        return provider.capabilities
    missing = checks - provider.capabilities
    if missing:
        names = ", ".join(sorted(c.value for c in missing))
        raise InputError(f"provider {provider.name!r} cannot check: {names}")
    return checks


def _check_names(names: Sequence[str], providers: Mapping[str, AnyProvider]) -> None:
    unknown = [n for n in names if n not in providers]
    if unknown:
        raise InputError(f"not configured: {', '.join(unknown)}; configured: {', '.join(providers)}")


def split(
    checks: frozenset[CheckKind], order: Sequence[str], providers: Mapping[str, AnyProvider]
) -> list[Leg]:
    """Cover ``checks`` with legs, in provider order: the first provider that can do any
    remaining check takes all of them it can; every provider able to do that leg's checks
    is a candidate for it, in order. (A document vendor plus hirkan for Shahkar and the
    registry comes out as two legs.)"""
    wanted = checks or providers[order[0]].capabilities
    legs: list[Leg] = []
    remaining = set(wanted)
    for name in order:
        mine = frozenset(remaining & providers[name].capabilities)
        if mine:
            able = tuple(n for n in order if mine <= providers[n].capabilities)
            legs.append(Leg(mine, able))
            remaining -= mine
    if remaining:
        names = ", ".join(sorted(c.value for c in remaining))
        raise InputError(f"no configured provider can check: {names}")
    return legs


@dataclass(frozen=True, slots=True)
class Single:
    """One named provider (or the only one configured), covering every check itself."""

    name: str | None = None

    def plan(self, checks: frozenset[CheckKind], providers: Mapping[str, AnyProvider]) -> list[Leg]:
        if self.name is None and len(providers) != 1:
            raise InputError("policy 'single' needs one provider, or a provider name")
        name = self.name or next(iter(providers))
        _check_names([name], providers)
        return [Leg(_wanted(checks, providers[name]), (name,))]


@dataclass(frozen=True, slots=True)
class Fallback:
    """Providers in order (by default the order they were configured); the next able one
    is tried only when the previous could not decide."""

    order: tuple[str, ...] | None = None

    def plan(self, checks: frozenset[CheckKind], providers: Mapping[str, AnyProvider]) -> list[Leg]:
        order = self.order or tuple(providers)
        _check_names(order, providers)
        return split(checks, order, providers)


@dataclass(frozen=True, slots=True)
class Cheapest:
    """The covering set of providers with the lowest declared total ``cost`` (ties: fewer
    providers, then configured order); the others stand by as fallbacks, cheapest first."""

    def plan(self, checks: frozenset[CheckKind], providers: Mapping[str, AnyProvider]) -> list[Leg]:
        names = list(providers)
        wanted = checks or frozenset().union(*(p.capabilities for p in providers.values()))
        best: tuple[float, int, list[str]] | None = None
        for mask in range(1, 1 << len(names)):
            chosen = [n for i, n in enumerate(names) if mask >> i & 1]
            if not wanted <= frozenset().union(*(providers[n].capabilities for n in chosen)):
                continue
            key = (sum(providers[n].cost for n in chosen), len(chosen), chosen)
            if best is None or key[:2] < best[:2]:
                best = key
        if best is None:
            raise InputError("no set of configured providers covers the requested checks")
        by_cost = sorted(names, key=lambda n: providers[n].cost)
        order = sorted(best[2], key=lambda n: providers[n].cost) + [n for n in by_cost if n not in best[2]]
        return split(wanted, order, providers)


@dataclass(frozen=True, slots=True)
class Quorum:
    """Ask every able provider; ``k`` of them must reach the same decision (concurrently
    under ``AsyncKYC``). Disagreement is a REVIEW: a human must look."""

    k: int
    order: tuple[str, ...] | None = None

    def plan(self, checks: frozenset[CheckKind], providers: Mapping[str, AnyProvider]) -> list[Leg]:
        if self.k < 1:
            raise InputError("quorum needs k >= 1")
        order = self.order or tuple(providers)
        _check_names(order, providers)
        legs = []
        for leg in split(checks, order, providers):
            if len(leg.candidates) < self.k:
                raise InputError(
                    f"quorum of {self.k} needs {self.k} providers able to check "
                    f"{', '.join(sorted(c.value for c in leg.checks))}"
                )
            legs.append(Leg(leg.checks, leg.candidates, quorum=self.k))
        return legs


def parse_policy(text: str) -> Policy:
    """``single``, ``fallback``, ``cheapest`` or ``quorum:K`` (the CLI's spelling)."""
    name, _, arg = text.partition(":")
    if name == "single" and not arg:
        return Single()
    if name == "fallback" and not arg:
        return Fallback()
    if name == "cheapest" and not arg:
        return Cheapest()
    if name == "quorum" and arg.isascii() and arg.isdigit():
        return Quorum(int(arg))
    raise InputError(f"unknown policy {text!r}; use single, fallback, cheapest or quorum:K")


@dataclass(frozen=True, slots=True)
class BreakerState:
    """What a circuit breaker remembers: failures in a row, when it opened, whether its
    one half-open probe is out."""

    failures: int = 0
    opened_at: float | None = None
    probing: bool = False


def breaker_allow(state: BreakerState, now: float, cooldown: float) -> tuple[bool, BreakerState]:
    """May a call go through, and the state after saying so (a probe once cooled down)."""
    if state.opened_at is None:
        return True, state
    if not state.probing and now - state.opened_at >= cooldown:
        return True, replace(state, probing=True)  # one probe at a time
    return False, state


def breaker_record(state: BreakerState, ok: bool, now: float, threshold: int) -> BreakerState:
    """The state after a call that decided (``ok``) or could not decide."""
    if ok:
        return BreakerState()
    failures = state.failures + 1
    if state.probing or failures >= threshold:
        return BreakerState(failures, now, False)
    return replace(state, failures=failures)


class BreakerStates(Protocol):
    """Where breakers keep their state: this process's memory (``MemoryBreakerStates``),
    or a store shared by replicas. ``update`` applies ``change`` atomically and returns
    its first value."""

    def update(self, name: str, change: Callable[[BreakerState], tuple[T, BreakerState]]) -> T: ...

    def read(self, name: str) -> BreakerState: ...


class MemoryBreakerStates:
    """Breaker states in one process (the default)."""

    def __init__(self) -> None:
        self._states: dict[str, BreakerState] = {}
        self._lock = threading.Lock()

    def update(self, name: str, change: Callable[[BreakerState], tuple[T, BreakerState]]) -> T:
        with self._lock:
            value, self._states[name] = change(self._states.get(name, BreakerState()))
            return value

    def read(self, name: str) -> BreakerState:
        return self._states.get(name, BreakerState())


class CircuitBreaker:
    """Stops calling a provider that keeps failing: after ``threshold`` could-not-decide
    errors in a row it opens for ``cooldown`` seconds, then lets one probe through
    (half-open); the probe's success closes it, its failure opens it again.

    The rules are pure (``breaker_allow``, ``breaker_record``; the caller passes ``now``);
    the state lives in ``states`` under ``name``, in memory by default, so replicas can
    share one breaker by passing a store-backed ``BreakerStates``.
    """

    def __init__(
        self,
        threshold: int = 5,
        cooldown: float = 30.0,
        *,
        states: BreakerStates | None = None,
        name: str = "",
    ) -> None:
        self.threshold = threshold
        self.cooldown = cooldown
        self.states: BreakerStates = states if states is not None else MemoryBreakerStates()
        self.name = name

    @property
    def failures(self) -> int:
        return self.states.read(self.name).failures

    @property
    def opened_at(self) -> float | None:
        return self.states.read(self.name).opened_at

    @property
    def state(self) -> str:
        now = self.states.read(self.name)
        if now.opened_at is None:
            return "closed"
        return "half-open" if now.probing else "open"

    def allow(self, now: float) -> bool:
        return self.states.update(self.name, lambda s: breaker_allow(s, now, self.cooldown))

    def record(self, ok: bool, now: float) -> None:
        self.states.update(self.name, lambda s: (None, breaker_record(s, ok, now, self.threshold)))


@dataclass(frozen=True, slots=True)
class Call:
    """Run ``provider``'s flow after sleeping ``delay`` seconds."""

    provider: str
    delay: float = 0.0


@dataclass(frozen=True, slots=True)
class GiveUp:
    error: KycError


def could_not_decide(error: KycError) -> bool:
    """Unavailable, timed out or rate limited: another try, elsewhere or later, may decide."""
    return error.retryable


def next_call(
    leg: Leg,
    failures: Sequence[tuple[str, KycError]],
    *,
    backoff: Backoff,
    repeatable: Callable[[str], bool],
    rand: Callable[[], float],
    available: Callable[[str], bool] = lambda name: True,
    time_left: float = math.inf,
) -> Call | GiveUp:
    """What to do after ``failures`` (provider, error) so far in this leg.

    ``available`` says whether a provider's circuit lets a call through; a provider whose
    circuit is open is passed over as if it had been unavailable. ``time_left`` (seconds
    before the deadline) rules out a retry whose wait would not end before it.
    """
    if not failures:
        return _first_available(leg.candidates, set(), failures, available)
    provider, error = failures[-1]
    if not could_not_decide(error):
        return GiveUp(error)
    tries = sum(1 for name, _ in failures if name == provider)
    if repeatable(provider) and tries <= backoff.retries:
        delay = backoff.delay(tries - 1, getattr(error, "retry_after", None), rand)
        if delay < time_left and available(provider):
            return Call(provider, delay)
    return _first_available(leg.candidates, {name for name, _ in failures}, failures, available)


def _first_available(
    candidates: Sequence[str],
    tried: set[str],
    failures: Sequence[tuple[str, KycError]],
    available: Callable[[str], bool],
) -> Call | GiveUp:
    for name in candidates:
        if name not in tried and available(name):
            return Call(name)
    skipped = [n for n in candidates if n not in tried]
    why = f"; circuit open for {', '.join(skipped)}" if skipped else ""
    return GiveUp(
        NoProviderAvailable(
            f"no provider could decide ({len(failures)} attempts{why})",
            errors=[err for _, err in failures],
        )
    )


def quorum_decision(results: Sequence[VerificationResult], k: int) -> VerificationResult | None:
    """The result whose decision at least ``k`` providers reached; REVIEW when enough
    answered but they disagree; None when fewer than ``k`` answered at all."""
    if len(results) < k:
        return None
    counts: dict[Decision, int] = {}
    for r in results:
        counts[r.decision] = counts.get(r.decision, 0) + 1
    agreed = [d for d, n in counts.items() if n >= k]
    if agreed:
        decision = Decision.worst(agreed)
        chosen = [r for r in results if r.decision is decision]
        merged = combine(chosen)
        return replace(merged, checks=tuple(c for r in results for c in r.checks))
    merged = combine(results)
    return replace(merged, decision=Decision.REVIEW, reasons=(*merged.reasons, "providers_disagree"))


def combine(results: Sequence[VerificationResult]) -> VerificationResult:
    """Merge the results of several legs into one decision, keeping each check's provenance."""
    if len(results) == 1:
        return results[0]
    decision = Decision.worst(r.decision for r in results)  # when legs disagree, the most cautious wins
    first = next(r for r in results if r.decision is decision)
    return VerificationResult(
        decision=decision,
        provider="+".join(r.provider for r in results),
        reference=first.reference,
        checks=tuple(c for r in results for c in r.checks),
        attempts=tuple(a for r in results for a in r.attempts),
        reasons=tuple(reason for r in results for reason in r.reasons),
        raw_status=first.raw_status,
        raw_codes=tuple(code for r in results for code in r.raw_codes),
        raw={r.provider: r.raw for r in results},
        vendor={r.provider: r.vendor for r in results if r.vendor},
    )
