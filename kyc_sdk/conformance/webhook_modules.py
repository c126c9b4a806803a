"""Webhook modules: the kit runs a receiver on loopback, asks the vendor to deliver there
(a callback URL in each request where the style has one, else the sandbox control
``POST /_sim/webhook``), runs two verifications one after the other and judges what
arrives with the adapter's own ``parse_webhook``.

- ``webhooks.delivery``: each verification's final event arrives within the wait, every
  delivery verifies (signature, source address, timestamp), and its payload names the
  verification and agrees with the decision polled (a hint, whose signature does not
  cover its body, through the result the adapter's ``fetch`` reads from the vendor).
- ``webhooks.duplicates``: one event delivered twice is legal at-least-once delivery:
  WARNING (receivers must dedupe by event id), never FAILED.
- ``webhooks.ordering``: deliveries arrive in the order the vendor's state changed: the
  second verification's events never before the first's, and within one verification
  never an earlier lifecycle event after a later one. Out of order: FAILED.

See docs/conformance.md.
"""

from __future__ import annotations

import hashlib
import itertools
import time
from dataclasses import dataclass, field

from kyc_sdk.conformance.kit import Kit
from kyc_sdk.conformance.model import ModuleResult, Status
from kyc_sdk.conformance.receiver import Delivery
from kyc_sdk.errors import KycError, WebhookRejected
from kyc_sdk.models import Decision, VerificationResult
from kyc_sdk.providers.base import KitFacts, WebhookEvent

RUNS = ("approved", "declined", "approved")  # three: a held-back event always shows as out of order


@dataclass
class Seen:
    delivery: Delivery
    event: WebhookEvent | None
    rejected: str | None
    run: int  # which verification it belongs to (by reference, else by arrival window)


@dataclass
class Collected:
    registered: str = ""  # how the kit asked for deliveries ("" if it could not)
    results: list[VerificationResult | KycError] = field(default_factory=list)
    seen: list[Seen] = field(default_factory=list)
    late: list[int] = field(default_factory=list)  # runs whose final event did not arrive in time


def rank(facts: KitFacts, event: WebhookEvent) -> int:
    """Where an event sits in one verification's life (later events rank higher)."""
    if event.event in facts.webhook_events:
        return facts.webhook_events.index(event.event)
    return 1 if is_final(facts, event) else 0


def is_final(facts: KitFacts, event: WebhookEvent) -> bool:
    """Whether an event ends a verification: the style's last event, or a decision, or a
    status the style names final."""
    if event.event in facts.webhook_events:
        return event.event == facts.webhook_events[-1]
    return event.decision is not None or (event.status or "") in facts.final_statuses


def collect(kit: Kit) -> Collected:
    """Run the verifications once; the three webhook modules share what arrived."""
    if "webhooks" in kit.shared:
        return kit.shared["webhooks"]  # type: ignore[no-any-return]
    found = Collected()
    kit.shared["webhooks"] = found
    receiver = kit.receiver()
    url = receiver.url or ""
    answer = kit.control("POST", "/webhook", {"url": url})
    overrides = {kit.callback_field: url} if kit.callback_field else {}
    if overrides:
        found.registered = f"callback URL in each request ({kit.callback_field})"
    elif answer is not None and answer.status_code < 300:
        found.registered = "sandbox control POST /_sim/webhook"
    else:
        return found
    adapter = kit.provider(**overrides)
    start = len(receiver)
    for run, name in enumerate(RUNS):
        try:
            outcome: VerificationResult | KycError = kit.verify(kit.request(name), provider=adapter)
        except KycError as err:
            outcome = err
        found.results.append(outcome)
        if not _await_final(kit, found, run, start):
            found.late.append(run)
    _classify(kit, found, start, final=True)
    return found


def _await_final(kit: Kit, found: Collected, run: int, start: int) -> bool:
    ends = time.monotonic() + kit.options.webhook_wait
    while True:
        _classify(kit, found, start)
        if any(s.run == run and s.event is not None and is_final(kit.facts, s.event) for s in found.seen):
            return True
        if time.monotonic() >= ends:
            return False
        time.sleep(0.02)


def _classify(kit: Kit, found: Collected, start: int, final: bool = False) -> None:
    """Parse deliveries not yet seen; attribute each to a run by reference, else to the
    run in progress when it arrived."""
    adapter = kit.provider()
    references = [r.reference if isinstance(r, VerificationResult) else None for r in found.results]
    for delivery in kit.receiver().since(start + len(found.seen)):
        try:
            event: WebhookEvent | None = adapter.parse_webhook(
                delivery.headers, delivery.body, now=time.time(), source_ip=delivery.source_ip
            )
            rejected = None
        except WebhookRejected as err:
            event, rejected = None, str(err)
        run = len(found.results) - 1 if not final else len(RUNS) - 1
        if event is not None and event.reference in references:
            run = references.index(event.reference)
        found.seen.append(Seen(delivery, event, rejected, max(run, 0)))


def delivery(kit: Kit, result: ModuleResult) -> None:
    if not kit.facts.webhooks:
        result.add("webhooks delivered", Status.SKIPPED, f"{kit.style} is synchronous and sends no webhooks")
        return
    found = collect(kit)
    if not result.check(
        "the vendor can be asked to deliver to the kit",
        bool(found.registered),
        found.registered or "no callback field and no /_sim/webhook control",
        otherwise=Status.REVIEW,
    ):
        return
    for run, outcome in enumerate(found.results):
        label = f"verification {run + 1} ({RUNS[run]})"
        if not isinstance(outcome, VerificationResult):
            result.add(f"{label} decided", Status.FAILED, f"{type(outcome).__name__}")
            continue
        result.check(
            f"{label}: final event arrived within {kit.options.webhook_wait:g} s",
            run not in found.late,
            f"{sum(1 for s in found.seen if s.run == run)} deliveries attributed",
        )
        finals = [s.event for s in found.seen if s.run == run and s.event and is_final(kit.facts, s.event)]
        said = [e.decision for e in finals if e.decision is not None] + [
            _fetched(kit, e) for e in finals if e.hint
        ]
        wrong = [d for d in said if d is not outcome.decision]
        result.check(
            f"{label}: announced decision agrees with the polled one",
            not wrong,
            f"polled {outcome.decision.value}; events said {[str(d) for d in wrong]}",
        )
    bad = [s for s in found.seen if s.rejected]
    result.check(
        "every delivery verifies (signature / source / timestamp)",
        not bad,
        "; ".join(s.rejected or "" for s in bad[:3]),
    )
    result.check("some delivery arrived", bool(found.seen), f"{len(found.seen)} deliveries")


def _fetched(kit: Kit, event: WebhookEvent) -> Decision | str:
    """What a hint (a webhook whose signature does not cover its body) leads to: the
    decision read from the vendor, or the error that reading met."""
    try:
        return kit.fetch(event).decision
    except KycError as err:
        return err.code


def duplicates(kit: Kit, result: ModuleResult) -> None:
    if not kit.facts.webhooks:
        result.add("no duplicate deliveries", Status.SKIPPED, f"{kit.style} sends no webhooks")
        return
    found = collect(kit)
    if not found.seen:  # nothing to judge: webhooks.delivery says why
        result.add("no duplicate deliveries", Status.SKIPPED, "no delivery arrived")
        return
    keys = [_key(s) for s in found.seen]
    twice = sorted({k for k in keys if keys.count(k) > 1})
    result.check(
        "each event delivered once",
        not twice,
        f"{len(twice)} event(s) delivered more than once: legal at-least-once delivery, receivers must dedupe"
        if twice
        else f"{len(keys)} deliveries, all distinct",
        otherwise=Status.WARNING,
    )


def _key(seen: Seen) -> str:
    if seen.event is not None and seen.event.event_id:
        return seen.event.event_id
    return hashlib.sha256(seen.delivery.body).hexdigest()[:16]


def ordering(kit: Kit, result: ModuleResult) -> None:
    if not kit.facts.webhooks:
        result.add("deliveries in order", Status.SKIPPED, f"{kit.style} sends no webhooks")
        return
    found = collect(kit)
    order = [(s.run, rank(kit.facts, s.event)) for s in found.seen if s.event is not None]
    if len(order) < 2:  # nothing to judge: webhooks.delivery says why
        result.add("deliveries in order", Status.SKIPPED, f"{len(order)} verified event(s) arrived")
        return
    backwards = [(a, b) for a, b in itertools.pairwise(order) if b < a]
    result.check(
        "deliveries arrive in the order the vendor's state changed",
        not backwards,
        "; ".join(
            f"(run {b[0] + 1}, step {b[1]}) after (run {a[0] + 1}, step {a[1]})" for a, b in backwards[:3]
        )
        or f"{len(order)} events in order",
    )
