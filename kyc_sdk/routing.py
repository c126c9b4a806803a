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
  (``Provider.idempotent``);
- when every candidate failed, the leg gives up with ``NoProviderAvailable``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from kyc_sdk.errors import InputError, KycError, NoProviderAvailable
from kyc_sdk.models import CheckKind, Decision, VerificationResult
from kyc_sdk.providers.base import Provider


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
    """Part of a plan: the checks it covers and the providers that may decide them."""

    checks: frozenset[CheckKind]
    candidates: tuple[str, ...]


class Policy(Protocol):
    def plan(self, checks: frozenset[CheckKind], providers: Mapping[str, Provider]) -> list[Leg]:
        """Legs that together cover ``checks`` (all of a provider's own when empty)."""
        ...


def _wanted(checks: frozenset[CheckKind], provider: Provider) -> frozenset[CheckKind]:
    if not checks:
        return provider.capabilities
    missing = checks - provider.capabilities
    if missing:
        names = ", ".join(sorted(c.value for c in missing))
        raise InputError(f"provider {provider.name!r} cannot check: {names}")
    return checks


@dataclass(frozen=True, slots=True)
class Single:
    """One named provider (or the only one configured)."""

    name: str | None = None

    def plan(self, checks: frozenset[CheckKind], providers: Mapping[str, Provider]) -> list[Leg]:
        if self.name is None and len(providers) != 1:
            raise InputError("policy 'single' needs one provider, or a provider name")
        name = self.name or next(iter(providers))
        if name not in providers:
            raise InputError(f"provider {name!r} is not configured; configured: {', '.join(providers)}")
        return [Leg(_wanted(checks, providers[name]), (name,))]


@dataclass(frozen=True, slots=True)
class Fallback:
    """Providers in order (by default the order they were configured); the next one is
    tried only when the previous could not decide."""

    order: tuple[str, ...] | None = None

    def plan(self, checks: frozenset[CheckKind], providers: Mapping[str, Provider]) -> list[Leg]:
        order = self.order or tuple(providers)
        unknown = [n for n in order if n not in providers]
        if unknown:
            raise InputError(f"not configured: {', '.join(unknown)}")
        wanted = checks or providers[order[0]].capabilities
        able = tuple(n for n in order if wanted <= providers[n].capabilities)
        if not able:
            raise InputError("no configured provider covers the requested checks")
        return [Leg(wanted, able)]


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
) -> Call | GiveUp:
    """What to do after ``failures`` (provider, error) so far in this leg."""
    if not failures:
        return Call(leg.candidates[0])
    provider, error = failures[-1]
    if not could_not_decide(error):
        return GiveUp(error)
    tries = sum(1 for name, _ in failures if name == provider)
    if repeatable(provider) and tries <= backoff.retries:
        retry_after = getattr(error, "retry_after", None)
        return Call(provider, backoff.delay(tries - 1, retry_after, rand))
    tried = {name for name, _ in failures}
    rest = [name for name in leg.candidates if name not in tried]
    if rest:
        return Call(rest[0])
    return GiveUp(
        NoProviderAvailable(
            f"no provider could decide ({len(failures)} attempts)",
            errors=[err for _, err in failures],
        )
    )


#: When legs disagree, the most cautious decision wins.
_PRECEDENCE = (Decision.DECLINED, Decision.REVIEW, Decision.RETRY, Decision.PENDING, Decision.APPROVED)


def combine(results: Sequence[VerificationResult]) -> VerificationResult:
    """Merge the results of several legs into one decision, keeping each check's provenance."""
    if len(results) == 1:
        return results[0]
    decision = min((r.decision for r in results), key=_PRECEDENCE.index)
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
