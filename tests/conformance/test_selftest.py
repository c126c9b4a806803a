"""Self-test: every built-in sandbox passes its full plan over loopback, and each sandbox
fault makes the module that should catch it fail (the table in docs/conformance.md)."""

from __future__ import annotations

import dataclasses
import json

import pytest

from kyc_sdk.conformance import Status
from kyc_sdk.models import Subject, VerificationRequest
from kyc_sdk.providers import STYLES
from kyc_sdk.sandbox import sample_request, scenarios, settings
from tests.conformance.conftest import FAST, run_against, statuses

pytestmark = pytest.mark.slow  # seconds, not milliseconds: `make check` leaves it out

# fault -> (the module that must catch it, the status it must end in)
CATCHES = {
    "unavailable": ("availability", Status.FAILED),
    "slow": ("latency", Status.FAILED),
    "rate_limited": ("rate_limit", Status.FAILED),
    "malformed": ("schemas", Status.FAILED),
    "auth": ("credentials", Status.FAILED),
    "webhook_drop": ("webhooks.delivery", Status.FAILED),
    "webhook_duplicate": ("webhooks.duplicates", Status.WARNING),  # legal at-least-once delivery
    "webhook_reorder": ("webhooks.ordering", Status.FAILED),
}


@pytest.mark.serial  # the plan holds the sandbox to a p95 latency: it needs the cores to itself
@pytest.mark.parametrize("style", STYLES)
def test_every_sandbox_passes_its_full_plan(style: str) -> None:
    report = run_against(style)
    bad = {
        m.module: [(c.name, c.detail) for c in m.conditions if c.status is not Status.PASSED]
        for m in report.modules
        if m.status not in (Status.PASSED, Status.SKIPPED)
    }
    assert not bad, bad
    assert not report.failed
    names = [m.module for m in report.modules]
    assert [n for n in names if n.startswith("scenario.")] == [f"scenario.{s.name}" for s in scenarios(style)]
    assert {"credentials", "schemas", "errors", "rate_limit", "latency", "webhooks.ordering"} <= set(names)
    # what each module saw is logged, and the ordinary ones actually talked to the vendor
    assert all(m.exchanges for m in report.modules if m.module.startswith(("scenario.", "credentials")))
    # ... with no PII of the test person and none of the credentials in it
    logged = json.dumps(report.to_dict(), ensure_ascii=False)
    person = sample_request(VerificationRequest(Subject())).subject
    assert person.national_code not in logged and person.mobile not in logged
    assert not [name for name in _secrets(style) if name in logged]


def _secrets(style: str) -> list[str]:
    """The API keys, secrets and tokens of the style's sandbox settings (not account or workflow ids)."""
    made = settings(style, "http://conformance.test")
    values = [
        getattr(made, f.name)
        for f in dataclasses.fields(made)
        if f.name.endswith(("api_key", "secret_key", "secret", "secrets", "token"))
    ]
    return [
        v
        for value in values
        for v in (value if isinstance(value, tuple) else (value,))
        if isinstance(v, str) and v
    ]


@pytest.mark.parametrize("fault", sorted(CATCHES))
@pytest.mark.parametrize("style", STYLES)
def test_each_fault_is_caught_by_its_module(style: str, fault: str) -> None:
    module, expected = CATCHES[fault]
    report = run_against(style, [fault], dataclasses.replace(FAST, only=(module,)))
    got = statuses(report)[module]
    if fault.startswith("webhook") and style == "hirkan":  # synchronous: no webhooks to fault
        assert got == "SKIPPED"
        return
    assert got == expected.value, report.modules[0].conditions
    assert bool(report.failed) is (expected is Status.FAILED)


# A sandbox started with a fault that lasts: the module a full run names. Request faults
# stop every verification, so ``availability`` names them first (auth also in
# ``credentials``, a broken body in ``schemas``); the ``errors`` and ``rate_limit``
# modules set their own one-shot faults through /_sim/faults, replacing the lasting one.
FULL_RUN = {
    "auth": "credentials",
    "unavailable": "availability",
    "rate_limited": "availability",
    "malformed": "schemas",
    "slow": "latency",
    "webhook_drop": "webhooks.delivery",
    "webhook_reorder": "webhooks.ordering",
}


@pytest.mark.parametrize(
    ("style", "fault"),
    [
        ("aurora", "auth"),
        ("cirrus", "webhook_reorder"),
        ("hirkan", "malformed"),
        ("gilan", "rate_limited"),
        ("fjord", "webhook_drop"),
        ("echo", "slow"),
    ],
)
def test_a_full_run_against_a_faulted_sandbox_names_the_module(style: str, fault: str) -> None:
    report = run_against(style, [fault])
    assert FULL_RUN[fault] in {m.module for m in report.failed}
    if fault == "rate_limited":  # and says why
        availability = next(m for m in report.modules if m.module == "availability")
        assert any("RateLimited" in c.detail for c in availability.conditions)


def test_the_basic_plan_is_a_subset_without_faults_or_webhooks() -> None:
    report = run_against("echo", options=dataclasses.replace(FAST, plan="basic"))
    names = [m.module for m in report.modules]
    assert "availability" in names and "scenario.approved" in names and "latency" in names
    assert not [n for n in names if n.startswith(("webhooks.", "errors", "rate_limit", "signatures"))]
    assert not report.failed
