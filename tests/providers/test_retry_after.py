"""One reading of ``Retry-After`` for every adapter, and fallback that does not wait for
a vendor whose wait would not fit in the time left."""

from __future__ import annotations

import dataclasses
import time
from email.utils import formatdate

import httpx
import pytest

from kyc_sdk import Decision, Fallback
from kyc_sdk.errors import NoProviderAvailable, RateLimited
from kyc_sdk.models import CheckKind
from kyc_sdk.providers import STYLES
from kyc_sdk.providers.base import MAX_RETRY_AFTER, parse_retry_after
from kyc_sdk.sandbox import FaultPlan, apply_scenario, scenario
from tests.providers.conftest import base_request, run, sandboxes

NOW = 1_445_412_470.0  # Wed, 21 Oct 2015 07:27:50 GMT


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        ("2", 2.0),
        ("1.5", 1.5),
        (" 30 ", 30.0),
        ("0", 0.0),
        ("Wed, 21 Oct 2015 07:28:00 GMT", 10.0),  # IMF-fixdate
        ("Wednesday, 21-Oct-15 07:28:00 GMT", 10.0),  # RFC 850
        ("Wed Oct 21 07:28:00 2015", 10.0),  # asctime
        ("Wed, 21 Oct 2015 07:00:00 GMT", 0.0),  # already past
        ("-5", 0.0),
        ("99999999999999999999", MAX_RETRY_AFTER),
        ("Fri, 31 Dec 9999 23:59:59 GMT", MAX_RETRY_AFTER),
        (None, None),
        ("", None),
        ("soon", None),
        ("1e3", None),
        ("nan", None),
        ("inf", None),
        ("1_0", None),
        ("١٢", None),
        ("2.", None),
        ("Mon, 99 Foo 99999 99:99:99 GMT", None),
        ("9" * 500, None),
    ],
)
def test_one_parser_reads_every_form(value: str | None, seconds: float | None) -> None:
    assert parse_retry_after(value, now=NOW) == seconds


def test_an_http_date_counts_from_the_answers_own_date() -> None:
    from kyc_sdk.sandbox import provider

    adapter = provider("aurora")
    answer = httpx.Response(
        429, headers={"Date": "Wed, 21 Oct 2015 07:27:50 GMT", "Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"}
    )
    assert adapter.retry_after(answer) == 10.0  # not 11 years in the past by our clock


def _limited(style: str, retry_after: str) -> RateLimited:
    """The rate-limit error ``style``'s adapter makes of an edge limiter's 429."""
    with sandboxes([style], "in-process") as (providers, http, apps):
        apps[style].faults = FaultPlan.of(["edge_rate_limited"], retry_after=retry_after)
        with pytest.raises(NoProviderAvailable) as info:
            run("sync", providers, http, base_request(f"retry-after-{style}"), deadline=1.0)
    first = info.value.errors[0]
    assert isinstance(first, RateLimited), (style, first)
    return first


@pytest.mark.parametrize("style", STYLES)
def test_every_adapter_reads_retry_after_the_same_way(style: str) -> None:
    assert _limited(style, "1.5").retry_after == 1.5
    in_two_minutes = formatdate(time.time() + 120, usegmt=True)
    assert 115 <= (_limited(style, in_two_minutes).retry_after or 0) <= 121
    assert _limited(style, "after lunch").retry_after is None


@pytest.mark.parametrize("driver", ["sync", "async"])
def test_fallback_passes_over_a_wait_longer_than_the_time_left(driver: str) -> None:
    """echo (idempotent, so routing would retry it) asks for an hour: aurora decides."""
    request = base_request(f"fallback-429-{driver}")
    for style in ("echo", "aurora"):
        request = apply_scenario(request, scenario(style, "approved"))
    request = dataclasses.replace(request, checks=frozenset({CheckKind.DOCUMENT, CheckKind.FACE_MATCH}))
    with sandboxes(["echo", "aurora"], "loopback") as (providers, _, _apps):
        echo_url = providers[0].settings.base_url
        in_an_hour = formatdate(time.time() + 3600, usegmt=True)
        httpx.post(
            f"{echo_url}/_sim/faults", json={"faults": {"edge_rate_limited": None}, "retry_after": in_an_hour}
        )
        result = run(driver, providers, None, request, policy=Fallback(), deadline=20)
    assert result.decision is Decision.APPROVED and result.provider == "aurora"
    assert [(a.provider, a.error) for a in result.attempts] == [("echo", "rate_limited"), ("aurora", None)]


@pytest.mark.parametrize("driver", ["sync", "async"])
def test_a_429_in_front_of_hirkan_falls_back_to_fjords_registry(driver: str) -> None:
    request = apply_scenario(base_request(f"hirkan-429-{driver}"), scenario("hirkan", "approved"))
    request = dataclasses.replace(request, checks=frozenset({CheckKind.REGISTRY}))
    with sandboxes(["hirkan", "fjord"], "loopback") as (providers, _, _apps):
        httpx.post(
            f"{providers[0].settings.base_url}/_sim/faults",
            json={"faults": {"edge_rate_limited": None}, "retry_after": "30"},
        )
        result = run(driver, providers, None, request, policy=Fallback(), deadline=10)
    assert result.decision is Decision.APPROVED and result.provider == "fjord"
    assert [(a.provider, a.error) for a in result.attempts] == [("hirkan", "rate_limited"), ("fjord", None)]
