"""Both drivers over one reference adapter: in-process and over a loopback socket."""

from __future__ import annotations

import time
from collections.abc import Iterator

import anyio
import pytest

from kyc_sdk import KYC, AsyncKYC, Decision, NoProviderAvailable, Subject, VerificationRequest
from kyc_sdk.errors import AuthenticationFailed
from kyc_sdk.routing import Backoff, Fallback
from kyc_sdk.sandbox.serve import serving
from kyc_sdk.sandbox.transport import HostRouter
from tests.core.reference import RefProvider, RefSandbox, RefSettings

NO_WAIT = Backoff(base=0.001, cap=0.001)


def request(outcome: str) -> VerificationRequest:
    return VerificationRequest(Subject(first_name=outcome))


def verify_with(driver: str, providers, transport, req, **kw):
    if driver == "sync":
        with KYC(
            providers, transport=transport, backoff=NO_WAIT, **{k: v for k, v in kw.items() if k == "policy"}
        ) as kyc:
            return kyc.verify(req, **{k: v for k, v in kw.items() if k != "policy"})

    async def run():
        async with AsyncKYC(
            providers, transport=transport, backoff=NO_WAIT, **{k: v for k, v in kw.items() if k == "policy"}
        ) as kyc:
            return await kyc.verify(req, **{k: v for k, v in kw.items() if k != "policy"})

    return anyio.run(run)


@pytest.fixture(params=["in-process", "loopback"])
def setup(request) -> Iterator[tuple[list, object, dict]]:
    apps = {"a": RefSandbox(), "b": RefSandbox()}
    if request.param == "in-process":
        transport = HostRouter({"a.ref": apps["a"], "b.ref": apps["b"]})
        providers = [
            RefProvider(RefSettings(base_url="http://a.ref", name="a")),
            RefProvider(RefSettings(base_url="http://b.ref", name="b")),
        ]
        yield providers, transport, apps
        transport.close()
    else:
        with serving(apps["a"]) as url_a, serving(apps["b"]) as url_b:
            providers = [
                RefProvider(RefSettings(base_url=url_a, name="a")),
                RefProvider(RefSettings(base_url=url_b, name="b")),
            ]
            yield providers, None, apps


@pytest.mark.parametrize("driver", ["sync", "async"])
def test_decisions_and_polling(driver, setup):
    providers, transport, _ = setup
    assert verify_with(driver, providers[:1], transport, request("ok")).decision is Decision.APPROVED
    assert verify_with(driver, providers[:1], transport, request("no")).decision is Decision.DECLINED
    polled = verify_with(driver, providers[:1], transport, request("later"))
    assert polled.decision is Decision.APPROVED and polled.reference == "job-later"
    pending = verify_with(driver, providers[:1], transport, request("later"), wait=False)
    assert pending.decision is Decision.PENDING


@pytest.mark.parametrize("driver", ["sync", "async"])
def test_fallback_when_first_is_unavailable(driver, setup):
    providers, transport, apps = setup
    apps["a"].faults = type(apps["a"].faults).of(["unavailable"])
    result = verify_with(driver, providers, transport, request("ok"), policy=Fallback())
    assert result.decision is Decision.APPROVED
    assert [(a.provider, a.error) for a in result.attempts][-1] == ("b", None)
    assert {a.provider for a in result.attempts} == {"a", "b"}
    # "a" is idempotent: retried (Backoff.retries) before falling back.
    assert sum(a.provider == "a" for a in result.attempts) == 3


@pytest.mark.parametrize("driver", ["sync", "async"])
def test_auth_failure_is_not_a_fallback(driver, setup):
    providers, transport, apps = setup
    apps["a"].faults = type(apps["a"].faults).of(["auth"])
    with pytest.raises(AuthenticationFailed):
        verify_with(driver, providers, transport, request("ok"), policy=Fallback())


@pytest.mark.slow  # about a second: the quick loop (make check) leaves it to the full run
@pytest.mark.parametrize("driver", ["sync", "async"])
def test_deadline_bounds_a_slow_vendor(driver, setup):
    providers, transport, apps = setup
    # slower than the bound below, yet short: a loopback server's shutdown waits it out
    apps["a"].faults = type(apps["a"].faults).of(["slow"], slow_seconds=2)
    started = time.monotonic()
    with pytest.raises(NoProviderAvailable) as info:
        verify_with(driver, providers[:1], transport, request("ok"), deadline=0.5)
    took = time.monotonic() - started
    assert 0.4 < took < 1.5
    assert info.value.attempts and info.value.attempts[0].error == "provider_unavailable"


@pytest.mark.parametrize("driver", ["sync", "async"])
def test_quorum_asks_every_provider(driver, setup):
    from kyc_sdk.routing import Quorum

    providers, transport, apps = setup
    result = verify_with(driver, providers, transport, request("ok"), policy=Quorum(2))
    assert result.decision is Decision.APPROVED
    assert sorted(a.provider for a in result.attempts) == ["a", "b"]
    apps["b"].faults = type(apps["b"].faults).of(["auth"])
    with pytest.raises(NoProviderAvailable, match="quorum of 2 not reached"):
        verify_with(driver, providers, transport, request("ok"), policy=Quorum(2))


def test_circuit_opens_after_repeated_failures(setup):
    providers, transport, apps = setup
    apps["a"].faults = type(apps["a"].faults).of(["unavailable"])
    with KYC(providers, transport=transport, backoff=NO_WAIT, policy=Fallback(), breaker_threshold=2) as kyc:
        first = kyc.verify(request("ok"))
        assert kyc.breakers["a"].state == "open"
        second = kyc.verify(request("ok"))
    assert sum(a.provider == "a" for a in first.attempts) == 2  # opened after two failures
    assert [a.provider for a in second.attempts] == ["b"]  # passed over while open


class CarelessProvider(RefProvider):
    """An adapter with a bug that a vendor's answer reaches: a KeyError quoting the answer."""

    def flow(self, request, *, now, wait=True):
        response = yield self.build(
            "POST",
            "/jobs",
            json={"code": request.subject.first_name},
            headers={"Authorization": "Bearer ref-token"},
        )
        raise KeyError(f"no 'job' in {response.text}")


@pytest.mark.parametrize("driver", ["sync", "async"])
def test_an_adapter_bug_reached_by_an_answer_is_a_protocol_error(driver, setup, caplog):
    from kyc_sdk.errors import ProviderProtocolError

    providers, transport, _ = setup
    careless = CarelessProvider(providers[0].settings)
    with pytest.raises(ProviderProtocolError) as info:
        verify_with(driver, [careless], transport, request("ok"))
    assert info.value.provider == "a" and "KeyError" in str(info.value)
    assert "job-ok" not in str(info.value) and "job-ok" not in caplog.text  # no payload in errors or logs
