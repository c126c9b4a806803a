"""``KYC`` and ``AsyncKYC``: the only code that talks to vendors.

Both drivers run the same sans-IO pieces: a routing plan (``kyc_sdk.routing``), a leg
loop (``_leg``, a generator shared by both) and each adapter's ``flow()``. What is
written twice is only the part that must block or await: sending a request, sleeping.

httpx errors become ours in one place, ``_mapped_transport_errors``; an adapter that
trips over a vendor's answer becomes a protocol error in another, ``_contained``.

Webhooks: ``parse_webhook`` verifies one through its adapter and refuses an event id it
has met before (``once``, a ``OnceGuard``: ``MemoryOnce`` for one process, a store-backed
guard for a server with replicas), for as long as the adapter's ``keep_until`` says: past
the signed timestamp's window, or a signed time's age limit, or, for an event with no
time at all, a year (see ``kyc_sdk.providers._webhooks``). ``verify_webhook`` only
verifies, for a receiver that records ``replay_record(event)`` in the transaction that
applies the event. ``fetch_result`` reads from the
vendor the result an event announces, through the adapter's sans-IO ``fetch`` flow: the
only trustworthy reading of a hint (a webhook whose signature does not cover its body).
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import random
import time
import traceback
import urllib.request
from collections.abc import Callable, Generator, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Self

import anyio
import httpx

from kyc_sdk.deadline_transport import DeadlineTransport, within
from kyc_sdk.errors import (
    InputError,
    KycError,
    NoProviderAvailable,
    ProviderProtocolError,
    ProviderUnavailable,
    WebhookRejected,
    WebhookReplayed,
)
from kyc_sdk.http_pool import DEFAULT_POOL, PoolLimits, ShardedTransport
from kyc_sdk.models import Attempt, VerificationRequest, VerificationResult
from kyc_sdk.once import MemoryOnce, OnceGuard
from kyc_sdk.providers.base import SENT_AT, AnyProvider, Clock, Flow, Wait, WebhookEvent
from kyc_sdk.redact import redact_result
from kyc_sdk.routing import (
    Backoff,
    Call,
    CircuitBreaker,
    GiveUp,
    Leg,
    Policy,
    Single,
    combine,
    could_not_decide,
    next_call,
    quorum_decision,
)
from kyc_sdk.validation import typed_text, validate_request

log = logging.getLogger("kyc_sdk")
DEFAULT_BACKOFF = Backoff()  # frozen: one shared default is safe

DEFAULT_DEADLINE = 120.0


@contextlib.contextmanager
def _mapped_transport_errors(provider: str) -> Iterator[None]:
    """httpx's exceptions, mapped to our tree (the one place that knows both)."""
    try:
        yield
    except httpx.TimeoutException as exc:
        raise ProviderUnavailable(f"{provider}: timed out ({type(exc).__name__})", provider=provider) from exc
    except httpx.DecodingError as exc:
        raise ProviderProtocolError(f"{provider}: undecodable response", provider=provider) from exc
    except (httpx.TransportError, httpx.StreamError) as exc:
        raise ProviderUnavailable(f"{provider}: {type(exc).__name__}", provider=provider) from exc


@contextlib.contextmanager
def _contained(provider: str) -> Iterator[None]:
    """Defence in depth: an exception outside our tree escaping an adapter's flow (a bug a
    vendor's answer reached) becomes ``ProviderProtocolError``, so fallback and the
    caller's error handling still apply. The message names the provider and the
    exception's type only: the exception's own text may quote the vendor's payload."""
    try:
        yield
    except (KycError, httpx.HTTPError, httpx.StreamError):
        raise
    except Exception as exc:
        where = next(
            (
                f"{frame.filename.rsplit('/', 1)[-1]}:{frame.lineno}"
                for frame in reversed(traceback.extract_tb(exc.__traceback__))
                if "/kyc_sdk/" in frame.filename
            ),
            "?",
        )
        log.warning("%s: adapter failed on an answer: %s at %s", provider, type(exc).__name__, where)
        raise ProviderProtocolError(
            f"{provider}: answer could not be read ({type(exc).__name__})", provider=provider
        ) from None


@dataclass(slots=True)
class _Deadline:
    at: float
    clock: Callable[[], float]

    def remaining(self) -> float:
        return self.at - self.clock()

    def check(self, provider: str) -> float:
        left = self.remaining()
        if left <= 0:
            raise ProviderUnavailable(f"{provider}: deadline exceeded", provider=provider)
        return left


def _stamp(step: httpx.Request, left: float, provider: AnyProvider, now: Clock) -> None:
    """Give a request its timeout (what is left, at most the provider's) and send time."""
    step.extensions["timeout"] = httpx.Timeout(min(left, provider.settings.timeout)).as_dict()
    step.extensions[SENT_AT] = float(now())  # what a Retry-After date counts from
    log.debug("%s %s %s", provider.name, step.method, step.url.path)


def run_flow(
    flow: Flow,
    provider: AnyProvider,
    deadline: _Deadline,
    *,
    send: Callable[[httpx.Request], httpx.Response],
    sleep: Callable[[float], None],
    now: Clock,
) -> VerificationResult:
    """Run an adapter's sans-IO ``flow`` to its result: each request stamped with its
    timeout and sent whole within what is left of ``deadline``, each ``Wait`` slept,
    ``ProviderUnavailable`` once the deadline cannot be met. Errors are left as they are
    (``KYC`` maps and contains them; the conformance kit wants to see them)."""
    try:
        step = next(flow)
        while True:
            left = deadline.check(provider.name)
            if isinstance(step, Wait):
                if step.seconds >= left:
                    raise ProviderUnavailable(f"{provider.name}: deadline exceeded", provider=provider.name)
                sleep(step.seconds)
                step = next(flow)  # a Wait's answer is the time passed
                continue
            _stamp(step, left, provider, now)
            with within(left):  # the whole exchange, not each read, ends in time
                response = send(step)
            step = flow.send(response)
    except StopIteration as stop:
        ended: VerificationResult = stop.value
        return ended
    finally:
        flow.close()


@dataclass(frozen=True, slots=True)
class _Outcome:
    """What a driver reports back to the leg loop after running one flow."""

    result: VerificationResult | None
    error: KycError | None
    ms: float


def replay_record(event: WebhookEvent) -> tuple[str, str, float]:
    """Where a webhook's event is recorded against replay: ``(namespace, key, until)`` for
    a ``OnceGuard`` (the key a digest of the vendor's event id). ``WebhookRejected`` for
    an event that names no id or lifetime, which no guard could check."""
    if not event.event_id or event.keep_until is None:
        raise WebhookRejected(f"{event.provider}: event without an id cannot be checked for replay")
    key = hashlib.sha256(event.event_id.encode("utf-8", "surrogatepass")).hexdigest()[:40]
    return f"webhook:{event.provider}", key, event.keep_until


#: The longest event name, reference or status a webhook may carry (vendors' ids are UUIDs)
MAX_EVENT_TEXT = 256


def _check_event_text(event: WebhookEvent) -> None:
    """A signature vouches for who sent a body, not that its text is fit to keep: an event
    naming itself, its check or its status with a control character, an unpaired surrogate
    or a bidi override (or past ``MAX_EVENT_TEXT``) is refused before anything stores it."""
    for value in (event.event, event.reference, event.status):
        if value is not None and (
            not isinstance(value, str) or len(value) > MAX_EVENT_TEXT or not typed_text(value)
        ):
            raise WebhookRejected(f"{event.provider}: webhook event text is not text a vendor sends")


class _Base:
    def __init__(
        self,
        providers: Sequence[AnyProvider],
        *,
        policy: Policy | None = None,
        backoff: Backoff = DEFAULT_BACKOFF,
        breaker_threshold: int = 5,
        breaker_cooldown: float = 30.0,
        rand: Callable[[], float] = random.random,
        clock: Callable[[], float] = time.monotonic,
        now: Clock = time.time,
        once: OnceGuard | None = None,
    ) -> None:
        if not providers:
            raise ValueError("at least one provider is needed")
        self.providers: dict[str, AnyProvider] = {}
        for p in providers:
            if p.name in self.providers:
                raise ValueError(f"two providers are named {p.name!r}")
            self.providers[p.name] = p
        self.policy: Policy = policy or Single()
        self.backoff = backoff
        self.breakers = {name: CircuitBreaker(breaker_threshold, breaker_cooldown) for name in self.providers}
        self._rand = rand
        self._clock = clock  # durations and deadlines
        self._now = now  # the wall clock handed to flows: signing times, dates in answers
        self.once: OnceGuard = once if once is not None else MemoryOnce()

    def provider(self, name: str) -> AnyProvider:
        try:
            return self.providers[name]
        except KeyError:
            from kyc_sdk.providers import UnknownProvider

            raise UnknownProvider(f"provider {name!r} is not configured") from None

    def parse_webhook(
        self,
        provider: str,
        headers: Mapping[str, str],
        body: bytes,
        *,
        now: float | None = None,
        source_ip: str | None = None,
    ) -> WebhookEvent:
        """Verify a vendor webhook and return what it announces; ``WebhookRejected`` for
        anything not believed, ``WebhookReplayed`` for an event id already received.

        The id is recorded before the caller acts on the event, so a receiver that fails
        half-way does not get the same event again: it polls or calls ``fetch_result``.
        A receiver with a database records the id in the same transaction as its effect
        instead (``verify_webhook`` and ``replay_record``). An event whose ``hint`` is True
        carries no decision: call ``fetch_result``.
        """
        when = self._now() if now is None else now
        event, (namespace, key, keep_until) = self._believed(provider, headers, body, when, source_ip)
        if not self.once.first_use(namespace, key, expires_at=keep_until, now=when):
            raise WebhookReplayed(f"{provider}: event already received")
        return event

    def verify_webhook(
        self,
        provider: str,
        headers: Mapping[str, str],
        body: bytes,
        *,
        now: float | None = None,
        source_ip: str | None = None,
    ) -> WebhookEvent:
        """``parse_webhook`` without recording the event: ``WebhookRejected`` for anything
        not believed (or that cannot be checked for replay); the caller claims
        ``replay_record(event)`` itself, with what it does on the event."""
        when = self._now() if now is None else now
        return self._believed(provider, headers, body, when, source_ip)[0]

    def _believed(
        self, provider: str, headers: Mapping[str, str], body: bytes, now: float, source_ip: str | None
    ) -> tuple[WebhookEvent, tuple[str, str, float]]:
        """The verified event and its replay record (an event without an id or a lifetime
        is refused here)."""
        event = self.provider(provider).parse_webhook(headers, body, now=now, source_ip=source_ip)
        _check_event_text(event)
        return event, replay_record(event)

    def _prepare_request(self, request: VerificationRequest) -> tuple[VerificationRequest, list[Leg]]:
        """Plan the legs, then validate the subject for the checks they will make (before
        any vendor call)."""
        legs = self.policy.plan(request.checks, self.providers)
        checks = frozenset().union(*(leg.checks for leg in legs))
        return validate_request(request, checks), legs

    def _deadline(self, seconds: float | None) -> _Deadline:
        if seconds is not None and not seconds > 0:  # nan, 0 or negative: the caller's slip
            raise InputError(f"a deadline is a number of seconds above zero, not {seconds!r}")
        return _Deadline(self._clock() + (DEFAULT_DEADLINE if seconds is None else seconds), self._clock)

    def _leg(
        self, leg: Leg, deadline: _Deadline, attempts: list[Attempt]
    ) -> Generator[Call, _Outcome, VerificationResult]:
        """The leg loop both drivers share: yields calls, receives their outcomes, records
        each in ``attempts`` and in the provider's circuit breaker."""
        failures: list[tuple[str, KycError]] = []
        while True:
            step = next_call(
                leg,
                failures,
                backoff=self.backoff,
                repeatable=lambda n: self.providers[n].idempotent,
                rand=self._rand,
                available=lambda n: self.breakers[n].allow(self._clock()),
                time_left=deadline.remaining(),
            )
            if isinstance(step, Call) and deadline.remaining() <= step.delay:
                step = GiveUp(NoProviderAvailable("deadline exceeded", errors=[e for _, e in failures]))
            if isinstance(step, GiveUp):
                if isinstance(step.error, NoProviderAvailable):
                    step.error.attempts = list(attempts)
                raise step.error
            provider = self.providers[step.provider]
            outcome = yield step
            failed = outcome.error is not None and could_not_decide(outcome.error)
            self.breakers[provider.name].record(not failed, self._clock())
            if outcome.error is not None:
                log.info("%s failed: %s", provider.name, outcome.error.code)
                attempts.append(
                    Attempt(provider.name, outcome.ms, error=outcome.error.code, cost=provider.cost)
                )
                failures.append((provider.name, outcome.error))
                continue
            assert outcome.result is not None
            attempts.append(
                Attempt(provider.name, outcome.ms, outcome=outcome.result.decision, cost=provider.cost)
            )
            return replace(outcome.result, attempts=tuple(attempts))

    @staticmethod
    def _quorum(leg: Leg, outcomes: Sequence[VerificationResult | KycError]) -> VerificationResult:
        """Decide a quorum leg from each candidate's result or error."""
        results = [o for o in outcomes if isinstance(o, VerificationResult)]
        decided = quorum_decision(results, leg.quorum)
        if decided is None:
            errors = [o for o in outcomes if isinstance(o, KycError)]
            attempts = [
                a
                for o in outcomes
                for a in (o.attempts if isinstance(o, VerificationResult) else getattr(o, "attempts", ()))
            ]
            raise NoProviderAvailable(
                f"quorum of {leg.quorum} not reached ({len(results)} of {len(outcomes)} decided)",
                errors=errors,
                attempts=attempts,
            )
        return decided

    def _prepare(self, step: httpx.Request | Wait, deadline: _Deadline, provider: AnyProvider) -> float:
        """Seconds this step may take; stamps a request with its timeout."""
        left = deadline.check(provider.name)
        if isinstance(step, httpx.Request):
            _stamp(step, left, provider, self._now)
        return left


class KYC(_Base):
    """Synchronous driver over ``httpx.Client``.

    ``transport`` (or ``mounts``) lets the same adapters run against an in-process
    sandbox; by default requests go to each provider's ``base_url`` through a
    ``DeadlineTransport``, so a vendor that trickles bytes cannot outlast the deadline
    (behind an HTTP proxy: ``transport=DeadlineTransport(proxy="http://proxy:3128")``).
    ``pool`` sizes its connection pool (``kyc_sdk.http_pool.PoolLimits``).
    """

    def __init__(
        self,
        providers: Sequence[AnyProvider],
        *,
        transport: httpx.BaseTransport | None = None,
        mounts: Mapping[str, httpx.BaseTransport] | None = None,
        sleep: Callable[[float], None] = time.sleep,
        pool: PoolLimits = DEFAULT_POOL,
        **kw: Any,
    ) -> None:
        super().__init__(providers, **kw)
        self._http = httpx.Client(
            transport=transport or DeadlineTransport(limits=pool.httpx_limits()), mounts=dict(mounts or {})
        )
        self._sleep = sleep

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def verify(
        self, request: VerificationRequest, *, deadline: float | None = None, wait: bool = True
    ) -> VerificationResult:
        """Verify ``request`` within ``deadline`` seconds; PENDING only when ``wait`` is False."""
        request, legs = self._prepare_request(request)
        clock = self._deadline(deadline)
        return redact_result(combine([self._decide_leg(leg, request, clock, wait) for leg in legs]), request)

    def fetch_result(self, event: WebhookEvent, *, deadline: float | None = None) -> VerificationResult:
        """The vendor's current result for what ``event`` announces, read from the vendor
        (never from the webhook's body); PENDING while it has not decided."""
        provider = self.provider(event.provider)
        return self._run_flow(provider.fetch(event, now=self._now), provider, self._deadline(deadline))

    def _decide_leg(
        self, leg: Leg, request: VerificationRequest, deadline: _Deadline, wait: bool
    ) -> VerificationResult:
        if not leg.quorum:
            return self._run_leg(leg, request, deadline, wait)
        outcomes: list[VerificationResult | KycError] = []
        for name in leg.candidates:  # one after another; AsyncKYC asks them at once
            try:
                outcomes.append(self._run_leg(Leg(leg.checks, (name,)), request, deadline, wait))
            except KycError as err:
                outcomes.append(err)
        return self._quorum(leg, outcomes)

    def _run_leg(
        self, leg: Leg, request: VerificationRequest, deadline: _Deadline, wait: bool
    ) -> VerificationResult:
        loop = self._leg(leg, deadline, [])
        call = next(loop)
        while True:
            if call.delay:  # sleep(0) would still hand the CPU away
                self._sleep(call.delay)
            provider = self.providers[call.provider]
            started = self._clock()
            try:
                outcome = _Outcome(
                    self._run_flow(provider.flow(request, now=self._now, wait=wait), provider, deadline),
                    None,
                    0,
                )
            except KycError as err:
                outcome = _Outcome(None, err, 0)
            try:
                call = loop.send(replace(outcome, ms=(self._clock() - started) * 1000))
            except StopIteration as stop:
                ended: VerificationResult = stop.value
                return ended

    def _run_flow(self, flow: Flow, provider: AnyProvider, deadline: _Deadline) -> VerificationResult:
        with _mapped_transport_errors(provider.name), _contained(provider.name):
            return run_flow(flow, provider, deadline, send=self._http.send, sleep=self._sleep, now=self._now)


class AsyncKYC(_Base):
    """Asynchronous driver over ``httpx.AsyncClient`` (same adapters, same routing).

    By default requests go through a ``ShardedTransport`` sized by ``pool``: httpcore's
    pool slows down as it grows, so it is split in small ones (``kyc_sdk.http_pool``).
    """

    def __init__(
        self,
        providers: Sequence[AnyProvider],
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        mounts: Mapping[str, httpx.AsyncBaseTransport] | None = None,
        pool: PoolLimits = DEFAULT_POOL,
        **kw: Any,
    ) -> None:
        super().__init__(providers, **kw)
        if transport is None and not urllib.request.getproxies():
            # A proxy named in the environment keeps httpx's own transport, which reads it.
            transport = ShardedTransport(pool)
        self._http = httpx.AsyncClient(
            transport=transport, mounts=dict(mounts or {}), limits=pool.httpx_limits()
        )

    async def aclose(self) -> None:
        await self._http.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def verify(
        self, request: VerificationRequest, *, deadline: float | None = None, wait: bool = True
    ) -> VerificationResult:
        request, legs = self._prepare_request(request)
        clock = self._deadline(deadline)
        return redact_result(
            combine([await self._decide_leg(leg, request, clock, wait) for leg in legs]), request
        )

    async def fetch_result(self, event: WebhookEvent, *, deadline: float | None = None) -> VerificationResult:
        """The vendor's current result for what ``event`` announces (see ``KYC.fetch_result``)."""
        provider = self.provider(event.provider)
        return await self._run_flow(provider.fetch(event, now=self._now), provider, self._deadline(deadline))

    async def _decide_leg(
        self, leg: Leg, request: VerificationRequest, deadline: _Deadline, wait: bool
    ) -> VerificationResult:
        if not leg.quorum:
            return await self._run_leg(leg, request, deadline, wait)
        outcomes: list[VerificationResult | KycError] = [
            NoProviderAvailable("not run") for _ in leg.candidates
        ]

        async def ask(i: int, name: str) -> None:
            try:
                outcomes[i] = await self._run_leg(Leg(leg.checks, (name,)), request, deadline, wait)
            except KycError as err:
                outcomes[i] = err

        async with anyio.create_task_group() as group:
            for i, name in enumerate(leg.candidates):
                group.start_soon(ask, i, name)
        return self._quorum(leg, outcomes)

    async def _run_leg(
        self, leg: Leg, request: VerificationRequest, deadline: _Deadline, wait: bool
    ) -> VerificationResult:
        loop = self._leg(leg, deadline, [])
        call = next(loop)
        while True:
            if call.delay:
                await anyio.sleep(call.delay)
            provider = self.providers[call.provider]
            started = self._clock()
            try:
                result = await self._run_flow(
                    provider.flow(request, now=self._now, wait=wait), provider, deadline
                )
                outcome = _Outcome(result, None, 0)
            except KycError as err:
                outcome = _Outcome(None, err, 0)
            try:
                call = loop.send(replace(outcome, ms=(self._clock() - started) * 1000))
            except StopIteration as stop:
                ended: VerificationResult = stop.value
                return ended

    async def _run_flow(self, flow: Flow, provider: AnyProvider, deadline: _Deadline) -> VerificationResult:
        with _mapped_transport_errors(provider.name), _contained(provider.name):
            try:
                # One cancel scope for the whole flow: the deadline bounds it in total (a
                # read timeout alone is per read), at one scope's cost, not one a request.
                with anyio.fail_after(max(deadline.remaining(), 0.0)):
                    step = next(flow)
                    while True:
                        left = self._prepare(step, deadline, provider)
                        if isinstance(step, Wait):
                            if step.seconds >= left:
                                raise ProviderUnavailable(
                                    f"{provider.name}: deadline exceeded", provider=provider.name
                                )
                            await anyio.sleep(step.seconds)
                            step = next(flow)  # a Wait's answer is the time passed
                        else:
                            step = flow.send(await self._http.send(step))
            except StopIteration as stop:
                ended: VerificationResult = stop.value
                return ended
            except TimeoutError:
                raise ProviderUnavailable(
                    f"{provider.name}: deadline exceeded", provider=provider.name
                ) from None
            finally:
                flow.close()
