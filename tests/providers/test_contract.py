"""One contract for every vendor style: each scenario file entry decides as it says,
each fault lands on the right error class, under both drivers, in-process and over a
real loopback socket."""

from __future__ import annotations

import time

import pytest

from kyc_sdk import Decision, Fallback
from kyc_sdk.errors import (
    AuthenticationFailed,
    KycError,
    NoProviderAvailable,
    ProviderProtocolError,
    ProviderUnavailable,
    RateLimited,
)
from kyc_sdk.sandbox import apply_scenario, create, provider, scenarios
from kyc_sdk.sandbox.transport import HostRouter
from tests.providers.conftest import base_request, run, sandboxes, styles_with_scenarios

pytestmark = pytest.mark.slow  # seconds, not milliseconds: `make check` leaves it out

STYLES = styles_with_scenarios()
CASES = [(style, s.name) for style in STYLES for s in scenarios(style)]
DRIVERS = ["sync", "async"]


def error_codes(err: KycError) -> set[str]:
    return {err.code} | {e.code for e in getattr(err, "errors", [])}


@pytest.mark.parametrize("driver", DRIVERS)
@pytest.mark.parametrize(("style", "name"), CASES)
def test_scenario_in_process(style: str, name: str, driver: str) -> None:
    check_scenario(style, name, driver, "in-process")


@pytest.mark.parametrize("driver", DRIVERS)
@pytest.mark.parametrize("style", STYLES)
def test_scenarios_over_loopback(style: str, driver: str) -> None:
    for item in scenarios(style):
        check_scenario(style, item.name, driver, "loopback")


def check_scenario(style: str, name: str, driver: str, transport: str) -> None:
    item = next(s for s in scenarios(style) if s.name == name)
    request = apply_scenario(base_request(f"{style}-{name}-{driver}"), item)
    with sandboxes([style], transport) as (providers, http, _):
        if "error" in item.expected:
            with pytest.raises(KycError) as info:
                run(driver, providers, http, request, deadline=10)
            assert item.expected["error"] in error_codes(info.value)
            return
        result = run(driver, providers, http, request, deadline=10)
    assert result.decision is Decision(item.expected["decision"]), result
    assert list(result.reasons) == item.expected.get("reasons", list(result.reasons))
    assert result.provider == style and result.attempts[-1].provider == style
    assert all(c.provider == style for c in result.checks)


FAULTS = {
    "unavailable": (NoProviderAvailable, ProviderUnavailable),
    "rate_limited": (NoProviderAvailable, RateLimited),
    "malformed": (ProviderProtocolError, ProviderProtocolError),
    "auth": (AuthenticationFailed, AuthenticationFailed),
}


@pytest.mark.parametrize("driver", DRIVERS)
@pytest.mark.parametrize("fault", sorted(FAULTS))
@pytest.mark.parametrize("style", STYLES)
def test_fault_lands_on_its_error_class(style: str, fault: str, driver: str) -> None:
    raised, cause = FAULTS[fault]
    with (
        sandboxes([style], "in-process", faults={style: [fault]}) as (providers, http, _),
        pytest.raises(raised) as info,
    ):
        run(driver, providers, http, base_request(), deadline=10)
    err = info.value
    assert isinstance(err, cause) or any(isinstance(e, cause) for e in getattr(err, "errors", []))


@pytest.mark.parametrize("driver", DRIVERS)
@pytest.mark.parametrize("style", STYLES)
def test_slow_vendor_is_cut_by_the_deadline(style: str, driver: str) -> None:
    with sandboxes([style], "in-process", faults={style: ["slow"]}, slow_seconds=30) as (providers, http, _):
        started = time.monotonic()
        with pytest.raises(NoProviderAvailable):
            run(driver, providers, http, base_request(), deadline=0.5)
    assert time.monotonic() - started < 2.0


@pytest.mark.parametrize("driver", DRIVERS)
@pytest.mark.parametrize("style", STYLES)
def test_fallback_decides_through_the_second_when_the_first_is_down(style: str, driver: str) -> None:
    # Two accounts of one style: the first's sandbox is down, the second's is up.
    apps = {"down": create(style, faults=["unavailable"]), "up": create(style)}
    router = HostRouter({f"{key}.{style}.sandbox": app for key, app in apps.items()})
    providers = [provider(style, f"http://{key}.{style}.sandbox", name=f"{style}-{key}") for key in apps]
    try:
        result = run(driver, providers, router, base_request(), policy=Fallback(), deadline=10)
    finally:
        router.close()
    assert result.decision is Decision.APPROVED
    assert {a.provider for a in result.attempts} == {f"{style}-down", f"{style}-up"}
    assert result.attempts[0].error == "provider_unavailable"
    assert result.attempts[-1].provider == f"{style}-up" and result.attempts[-1].outcome is Decision.APPROVED
