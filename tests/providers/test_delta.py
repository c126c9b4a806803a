"""delta specifics: OAuth2 token caching and refresh, the User-Agent rule, per-part
uploads and finalize, silent expiry, the retrieval schedule, tagged test images, bare
error statuses, IP-allowlisted thin callbacks and legacy form callbacks."""

from __future__ import annotations

import dataclasses
import json
import time
from typing import Any

import anyio
import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from kyc_sdk import KYC, Decision
from kyc_sdk.errors import (
    AuthenticationFailed,
    ImageRejected,
    NoProviderAvailable,
    ProviderProtocolError,
    RateLimited,
    WebhookRejected,
)
from kyc_sdk.models import Evidence
from kyc_sdk.providers.base import Wait
from kyc_sdk.providers.delta import SCHEDULE, DeltaProvider
from kyc_sdk.sandbox import Sandboxes, apply_scenario, png, scenario
from kyc_sdk.sandbox import settings as sandbox_settings
from kyc_sdk.sandbox.delta import CALLBACK_IPS, USER_AGENT, apply_control, image_tag
from kyc_sdk.sandbox.serve import serving
from tests.providers.conftest import FAST, base_request, run, sandboxes

NOW = 1_800_000_000.0


class Clock:
    def __init__(self, start: float = 1000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now


def tagged(reference: str, name: str) -> Any:
    return apply_scenario(base_request(reference), scenario("delta", name))


def retrieve(reference: str, account: str, execution: str) -> Any:
    options = {"delta": {"account_id": account, "workflow_execution_id": execution}}
    return dataclasses.replace(base_request(reference), options=options)


@pytest.mark.parametrize("driver", ["sync", "async"])
def test_token_is_cached_refreshed_on_expiry_and_on_401(driver: str) -> None:
    clock = Clock()
    with sandboxes(["delta"], "in-process", token_ttl=40) as (_, http, apps):
        adapter = DeltaProvider(sandbox_settings("delta", "http://delta.sandbox"))
        run(driver, [adapter], http, base_request("t1"), now=clock)
        run(driver, [adapter], http, base_request("t2"), now=clock)
        assert adapter.tokens_fetched == 1  # one token for both
        clock.now += 11  # a 40 s token is refreshed 30 s early, by the driver's clock
        run(driver, [adapter], http, base_request("t3"), now=clock)
        assert adapter.tokens_fetched == 2
        apps["delta"].revoke_tokens()  # the vendor forgets it: 401, then a fresh token
        assert run(driver, [adapter], http, base_request("t4"), now=clock).decision is Decision.APPROVED
        assert adapter.tokens_fetched == 3


@pytest.mark.parametrize("driver", ["sync", "async"])
@pytest.mark.parametrize(
    ("change", "status"),
    [
        ({"client_secret": "wrong"}, 401),
        ({"user_agent": "python-httpx/0.28"}, 403),
        ({"user_agent": "Acme"}, 403),
    ],
)
def test_bad_credentials_and_the_user_agent_rule(driver: str, change: dict, status: int) -> None:
    with sandboxes(["delta"], "in-process") as (providers, http, _):
        bad = DeltaProvider(dataclasses.replace(providers[0].settings, **change))
        with pytest.raises(AuthenticationFailed) as info:
            run(driver, [bad], http, base_request())
    assert info.value.status == status and info.value.vendor_code == str(status)


def test_sandbox_answers_bare_statuses() -> None:
    with Sandboxes(["delta"]) as sb, httpx.Client(transport=sb.transport) as http:
        no_agent = http.post(
            "http://delta.sandbox/oauth2/token",
            data={"grant_type": "client_credentials"},
            headers={"User-Agent": ""},
        )
        no_token = http.get(
            "http://delta.sandbox/api/v1/accounts/a/workflow-executions/w/status",
            headers={"User-Agent": USER_AGENT},
        )
    assert (no_agent.status_code, no_agent.content) == (403, b"")
    assert (no_token.status_code, no_token.content) == (401, b"")


@pytest.mark.parametrize("driver", ["sync", "async"])
def test_unknown_execution_is_a_bare_404(driver: str) -> None:
    with (
        sandboxes(["delta"], "in-process") as (providers, http, _),
        pytest.raises(ProviderProtocolError) as info,
    ):
        run(driver, providers, http, retrieve("r", "no-account", "no-execution"))
    assert info.value.status == 404 and info.value.vendor_code == "404"


def test_rate_limit_reads_retry_after() -> None:
    with (
        Sandboxes(["delta"], faults={"delta": ["rate_limited"]}) as sb,
        KYC(sb.providers(), transport=sb.transport, backoff=FAST) as kyc,
        pytest.raises(NoProviderAvailable) as info,
    ):
        kyc.verify(base_request())
    err = info.value.errors[0]
    assert isinstance(err, RateLimited) and err.retry_after == 1.0 and err.status == 429


@pytest.mark.parametrize("driver", ["sync", "async"])
def test_images_are_checked_before_anything_is_created(driver: str) -> None:
    with sandboxes(["delta"], "in-process") as (providers, http, apps):
        for evidence in (
            Evidence(document_front=b"GIF89a..."),
            Evidence(selfie=png()),
            Evidence(document_front=b"\xff\xd8\xff" + b"0" * 5_300_000),
        ):
            with pytest.raises(ImageRejected):
                run(driver, providers, http, dataclasses.replace(base_request(), evidence=evidence))
        assert not apps["delta"].executions


def test_part_urls_must_point_at_delta() -> None:
    adapter = DeltaProvider(sandbox_settings("delta", "http://delta.sandbox"))
    assert adapter._own_url("http://delta.sandbox/api/v1/x").endswith("/x")
    for url in ("https://evil.example/api/v1/x", None, 7):
        with pytest.raises(ProviderProtocolError):
            adapter._own_url(url)


def test_retrieval_follows_the_recommended_schedule_scaled() -> None:
    with Sandboxes(["delta"], processing_delay=0.15) as sb, httpx.Client(transport=sb.transport) as http:
        adapter = sb.providers()[0]
        flow, waits, step = adapter.flow(base_request("sched"), now=time.time), [], None
        step = next(flow)
        try:
            while True:
                if isinstance(step, Wait):
                    waits.append(step.seconds)
                    time.sleep(step.seconds)
                    step = next(flow)
                else:
                    step = flow.send(http.send(step))
        except StopIteration as stop:
            result = stop.value
    assert result.decision is Decision.APPROVED
    assert 2 <= len(waits) <= 4 and waits == [s * 0.001 for s in SCHEDULE[: len(waits)]]


@pytest.mark.parametrize("driver", ["sync", "async"])
def test_not_finalising_expires_silently(driver: str) -> None:
    clock = Clock()
    with (
        sandboxes(["delta"], "in-process", clock=clock, session_timeout=900) as (providers, transport, apps),
        httpx.Client(transport=transport) as http,
    ):
        flow = providers[0]._start(base_request("abandon"), now=time.time)
        step = next(flow)
        while step.method != "PUT":  # stop just before finalising
            step = flow.send(http.send(step))
        app = apps["delta"]
        (execution,) = app.executions.values()
        clock.now += 901
        assert not app.outbox  # silent: nothing happens until someone looks
        result = run(driver, providers, transport, retrieve("abandon", execution["account"], execution["id"]))
    assert result.decision is Decision.RETRY and result.raw_status == "SESSION_EXPIRED"
    assert result.reasons == ("session_expired",)
    assert json.loads(app.outbox[0].body)["workflowExecution"]["status"] == "SESSION_EXPIRED"


@pytest.mark.parametrize("driver", ["sync", "async"])
def test_an_unused_token_expires_and_lifetimes_are_bounded(driver: str) -> None:
    clock = Clock()
    with (
        sandboxes(["delta"], "in-process", clock=clock) as (providers, transport, apps),
        httpx.Client(transport=transport) as http,
    ):
        flow = providers[0]._start(base_request("idle"), now=time.time)
        step = next(flow)
        while "/parts/" not in str(step.url):  # the account exists; no part sent yet
            step = flow.send(http.send(step))
        (execution,) = apps["delta"].executions.values()
        clock.now += 30 * 60 + 1
        late = http.send(step)
        result = run(driver, providers, transport, retrieve("idle", execution["account"], execution["id"]))
        short = DeltaProvider(dataclasses.replace(providers[0].settings, token_lifetime="1m"))
        with pytest.raises(ProviderProtocolError) as info:
            run(driver, [short], transport, base_request("short"))
    assert late.status_code == 401  # the upload token died with the window
    assert result.decision is Decision.RETRY and result.reasons == ("token_expired",)
    assert info.value.status == 400


def test_tagged_images_choose_the_outcome() -> None:
    request = apply_control(base_request(), {"image_tag": "DENIED_FRAUD"})
    assert image_tag(request.evidence.document_front) == "DENIED_FRAUD"
    assert image_tag(png()) is None and image_tag(b"\x89PNG\r\n\x1a\n\x00\x00") is None
    assert apply_control(base_request(), {}) == base_request()


def test_capability_chain_is_kept_in_raw_codes_and_checks() -> None:
    with Sandboxes(["delta"]) as sb, KYC(sb.providers(), transport=sb.transport) as kyc:
        result = kyc.verify(tagged("chain", "retry"))
    assert result.decision is Decision.RETRY and "usability:REJECTED/BLURRED" in result.raw_codes
    outcomes = {c.kind.value: c.outcome for c in result.checks}
    assert outcomes == {
        "document": Decision.RETRY,
        "liveness": Decision.APPROVED,
        "face_match": Decision.RETRY,
    }


# Callbacks ---------------------------------------------------------------------------------


class Receiver:
    """A real HTTP endpoint on loopback that keeps what it receives and from where."""

    def __init__(self) -> None:
        self.got: list[tuple[str, dict[str, str], bytes]] = []
        self.app = Starlette(routes=[Route("/cb", self.receive, methods=["POST"])])

    async def receive(self, request: Request) -> Response:
        self.got.append((request.client.host, dict(request.headers), await request.body()))
        return Response(status_code=200)


def callbacks(
    source: str, faults: list[str] = (), legacy: bool = False, name: str = "declined", driver: str = "sync"
) -> tuple[list, Any]:
    receiver = Receiver()
    with (
        serving(receiver.app) as url,
        sandboxes(
            ["delta"],
            "in-process",
            faults={"delta": list(faults)},
            webhook_url=f"{url}/cb",
            webhook_source=source,
            legacy_callbacks=legacy,
        ) as (providers, http, apps),
    ):
        first = run(driver, providers, http, tagged("cb-1", name))
        second = run(driver, providers, http, tagged("cb-2", "approved"))
        anyio.run(apps["delta"].flush_webhooks)
        retrieved = []
        for host, headers, body in receiver.got:
            event = providers[0].parse_webhook(headers, body, now=time.time(), source_ip=host)
            if event.event == "workflowExecution":  # thin: the verdict must be fetched
                fetch = retrieve("cb", event.payload["account_id"], event.reference)
                retrieved.append((event, run(driver, providers, http, fetch)))
            else:
                retrieved.append((event, None))
    return retrieved, {first.reference: first.decision, second.reference: second.decision}


@pytest.mark.parametrize("driver", ["sync", "async"])
@pytest.mark.parametrize("faults", [[], ["webhook_duplicate"], ["webhook_reorder"]])
def test_thin_callbacks_from_the_allowlist_lead_to_the_same_result(faults: list[str], driver: str) -> None:
    retrieved, decided = callbacks(CALLBACK_IPS[0], faults, driver=driver)
    assert len(retrieved) == (4 if faults == ["webhook_duplicate"] else 2)
    if faults == ["webhook_reorder"]:  # the second execution's callback came first
        assert [e.reference for e, _ in retrieved] == list(decided)[::-1]
    for event, result in retrieved:
        assert event.decision is None and event.status == "PROCESSED"  # no verdict inside
        assert result.decision is decided[event.reference]
    assert set(decided.values()) == {Decision.DECLINED, Decision.APPROVED}


def test_callback_from_another_address_is_rejected() -> None:
    with pytest.raises(WebhookRejected):
        callbacks("127.0.0.1")
    adapter = DeltaProvider(sandbox_settings("delta", "http://delta.sandbox"))
    with pytest.raises(WebhookRejected):
        adapter.parse_webhook({}, b"{}", now=NOW, source_ip=None)
    for body in (
        b"{}",
        b"not json",
        b'{"workflowExecution": {"id": "w", "status": "DONE"}, "account": {"id": "a"}}',
    ):
        with pytest.raises(WebhookRejected):
            adapter.parse_webhook(
                {"Content-Type": "application/json"}, body, now=NOW, source_ip=CALLBACK_IPS[0]
            )


def test_legacy_form_callbacks_carry_a_verdict() -> None:
    retrieved, decided = callbacks(CALLBACK_IPS[0], legacy=True, name="retry")
    events = [e for e, _ in retrieved]
    assert [e.status for e in events] == ["ERROR_NOT_READABLE_ID", "APPROVED_VERIFIED"]
    assert [e.decision for e in events] == [decided[e.reference] for e in events]
    assert events[0].payload["rejectReason"]["rejectReasonDescription"] == "ERROR_NOT_READABLE_ID"
    adapter = DeltaProvider(sandbox_settings("delta", "http://delta.sandbox"))
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    for body in (
        b"verificationStatus=MAYBE&transactionReference=t",
        b"rejectReason=%7Bnope&verificationStatus=DENIED_FRAUD",
        b"\xff\xfe",
    ):
        with pytest.raises(WebhookRejected):
            adapter.parse_webhook(form, body, now=NOW, source_ip=CALLBACK_IPS[0])


@pytest.mark.parametrize("driver", ["sync", "async"])
def test_oauth_and_parts_over_a_real_socket(driver: str) -> None:
    with sandboxes(["delta"], "loopback") as (providers, http, _):
        for name in ("review", "expired"):
            item = scenario("delta", name)
            result = run(driver, providers, http, tagged(f"sock-{name}", name))
            assert (
                result.decision is Decision(item.expected["decision"])
                and list(result.reasons) == item.expected["reasons"]
            )


class Breaking(httpx.BaseTransport):
    """The sandbox, except that answer number ``index`` is replaced by ``body``."""

    def __init__(self, inner: httpx.BaseTransport, index: int, body: bytes) -> None:
        self.inner, self.index, self.body, self.count = inner, index, body, 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self.inner.handle_request(request)
        self.count += 1
        return (
            response if self.count != self.index else httpx.Response(200, content=self.body, request=request)
        )


BROKEN = [
    b"{}",
    b"[]",
    b"null",
    b"7",
    b'{"access_token": 1, "expires_in": "x"}',
    b'{"expires_in": true}',
    b'{"account": {"id": "a"}, "workflowExecution": {"id": "w"}, "api": {"token": "t", "parts": []}}',
    b'{"workflowExecution": []}',
    b'{"workflowExecution": {"status": 7}}',
    b'{"workflowExecution": {"status": "PROCESSED"}, "capabilities": {"usability": [{"decision": null}]}}',
    b'{"workflowExecution": {"status": "PROCESSED"}, "capabilities": {"liveness": {"decision": 1}}}',
    b'{"workflowExecution": {"status": "PROCESSED"},'
    b' "capabilities": {"liveness": [{"decision": {"type": "X"}}]}}',
]


@pytest.mark.parametrize("body", BROKEN)
def test_broken_answers_are_protocol_errors_never_crashes(body: bytes) -> None:
    refused = 0
    for index in range(1, 10):
        with (
            Sandboxes(["delta"]) as sb,
            KYC(sb.providers(), transport=Breaking(sb.transport, index, body)) as kyc,
        ):
            try:
                result = kyc.verify(base_request(f"broken-{index}"))
            except ProviderProtocolError:
                refused += 1
                continue
            assert result.decision in Decision  # an answer the adapter may ignore (an upload's)
    assert refused >= 1  # somewhere in the flow this answer matters


def test_the_chain_merges_outcomes_in_the_one_order_of_caution() -> None:
    from kyc_sdk.providers._delta_chain import read_chain

    def entry(kind: str, label: str = "OK") -> list[dict]:
        return [{"decision": {"type": kind, "details": {"label": label}}}]

    # an unusable picture (RETRY) and a warning (REVIEW): a human look outranks a retake
    retake_and_look = {"usability": entry("REJECTED", "BLURRED"), "imageChecks": entry("WARNING", "LOOKUP")}
    decision, checks, reasons, _ = read_chain(retake_and_look, "delta")
    assert decision is checks[0].outcome is Decision.REVIEW and reasons == ("blurred", "lookup")
    refused = {**retake_and_look, "liveness": entry("REJECTED", "SPOOF")}
    assert read_chain(refused, "delta")[0] is Decision.DECLINED
