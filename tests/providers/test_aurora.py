"""aurora specifics: token auth, dedupe instead of idempotency keys, polling, webhooks."""

from __future__ import annotations

import dataclasses
import json
import time

import httpx
import pytest

from kyc_sdk import KYC, Decision
from kyc_sdk.errors import AuthenticationFailed, ProviderProtocolError, WebhookRejected, WebhookReplayed
from kyc_sdk.sandbox import Sandboxes, apply_scenario, scenario
from kyc_sdk.sandbox.aurora import API_TOKEN, sign
from tests.providers.conftest import FAST, base_request, run, sandboxes

NOW = 1_800_000_000.0


def test_a_repeated_flow_creates_no_duplicates() -> None:
    with Sandboxes(["aurora"]) as sb, KYC(sb.providers(), transport=sb.transport, backoff=FAST) as kyc:
        first = kyc.verify(base_request("same-ref"), wait=False)
        second = kyc.verify(base_request("same-ref"))
        app = sb.apps["aurora"]
    assert first.decision is Decision.PENDING and second.decision is Decision.APPROVED
    assert first.reference == second.reference
    assert len(app.applicants) == 1 and len(app.checks) == 1 and len(app.documents) == 2


def test_an_interrupted_flow_resumes_where_it_stopped() -> None:
    # The first check request fails at the vendor; the retry finds the applicant and
    # its documents instead of creating them again.
    with Sandboxes(["aurora"]) as sb, KYC(sb.providers(), transport=sb.transport, backoff=FAST) as kyc:
        app = sb.apps["aurora"]
        app.faults = type(app.faults).of({"unavailable": 1})
        result = kyc.verify(base_request("resume"))
    assert result.decision is Decision.APPROVED
    assert [a.error for a in result.attempts] == ["provider_unavailable", None]
    assert len(app.applicants) == 1


def test_pending_then_polled_to_a_decision() -> None:
    request = apply_scenario(base_request("poll"), scenario("aurora", "declined"))
    with Sandboxes(["aurora"]) as sb, KYC(sb.providers(), transport=sb.transport, backoff=FAST) as kyc:
        pending = kyc.verify(request, wait=False)
        decided = kyc.verify(request)
    assert pending.decision is Decision.PENDING and pending.raw_status == "in_progress"
    assert decided.decision is Decision.DECLINED and decided.reasons == ("document_suspected",)
    assert decided.raw_codes == ("document:consider/suspected", "facial_similarity_photo:clear/None")


@pytest.mark.parametrize("driver", ["sync", "async"])
def test_wrong_token_is_an_authentication_failure(driver: str) -> None:
    with sandboxes(["aurora"], "in-process") as (providers, http, _):
        wrong = type(providers[0])(dataclasses.replace(providers[0].settings, api_token="aur_sandbox_wrong"))
        with pytest.raises(AuthenticationFailed) as info:
            run(driver, [wrong], http, base_request())
    assert info.value.vendor_code == "authorization_error" and info.value.status == 401


def test_validation_error_envelope_is_a_protocol_error() -> None:
    request = dataclasses.replace(
        base_request(), subject=dataclasses.replace(base_request().subject, first_name="")
    )
    with (
        Sandboxes(["aurora"]) as sb,
        KYC(sb.providers(), transport=sb.transport) as kyc,
        pytest.raises(ProviderProtocolError) as info,
    ):
        kyc.verify(request)
    assert info.value.vendor_code == "validation_error" and info.value.status == 422


def test_sandbox_speaks_the_error_envelope() -> None:
    with Sandboxes(["aurora"]) as sb, httpx.Client(transport=sb.transport) as http:
        bad = http.post(
            "http://aurora.sandbox/v3/applicants",
            json={"first_name": "x"},
            headers={"Authorization": f"Token token={API_TOKEN}"},
        )
        missing = http.get(
            "http://aurora.sandbox/v3/checks/chk_nope", headers={"Authorization": f"Token token={API_TOKEN}"}
        )
    assert bad.status_code == 422 and bad.json()["error"]["fields"] == {"last_name": ["can't be blank"]}
    assert missing.status_code == 404 and missing.json()["error"]["type"] == "resource_not_found"


def deliveries(sb: Sandboxes) -> list:
    return sb.apps["aurora"].outbox


def test_webhooks_verify_and_announce_the_check() -> None:
    with Sandboxes(["aurora"]) as sb, KYC(sb.providers(), transport=sb.transport) as kyc:
        result = kyc.verify(base_request("hooks"))
        events = [kyc.parse_webhook("aurora", d.headers, d.body, now=time.time()) for d in deliveries(sb)]
    actions = [e.event for e in events]
    assert actions[0] == "check.started" and actions[-1] == "check.completed"
    assert actions.count("report.completed") == 2
    assert events[-1].reference == result.reference and events[-1].status == "complete"


def test_webhook_with_a_bad_or_missing_signature_is_rejected() -> None:
    body = json.dumps(
        {
            "payload": {
                "resource_type": "check",
                "action": "check.completed",
                "object": {"id": "chk_1", "status": "complete", "href": "/v3/checks/chk_1"},
            }
        }
    ).encode()
    with Sandboxes(["aurora"]) as sb, KYC(sb.providers(), transport=sb.transport) as kyc:
        assert (
            kyc.parse_webhook("aurora", {"X-SHA2-Signature": sign(body)}, body, now=NOW).reference == "chk_1"
        )
        for headers in ({}, {"X-SHA2-Signature": sign(body, "another-token")}, {"X-SHA2-Signature": "zz"}):
            with pytest.raises(WebhookRejected):
                kyc.parse_webhook("aurora", headers, body, now=NOW)
        with pytest.raises(WebhookRejected):
            kyc.parse_webhook("aurora", {"X-SHA2-Signature": sign(body)}, body + b" ", now=NOW)
        with pytest.raises(WebhookRejected):
            kyc.parse_webhook("aurora", {"X-SHA2-Signature": sign(b"[]")}, b"[]", now=NOW)


def test_webhooks_reach_a_receiver_over_loopback() -> None:
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.routing import Route

    from kyc_sdk.sandbox import create, provider
    from kyc_sdk.sandbox.serve import serving

    received: list[tuple[dict[str, str], bytes]] = []

    async def hook(request: Request) -> Response:
        received.append((dict(request.headers), await request.body()))
        return Response(status_code=204)

    with serving(Starlette(routes=[Route("/hook", hook, methods=["POST"])])) as receiver:
        app = create("aurora", webhook_url=f"{receiver}/hook")
        with serving(app) as url, KYC([provider("aurora", url)]) as kyc:
            kyc.verify(base_request("loopback-hooks"))
            events = [kyc.parse_webhook("aurora", h, b, now=time.time()).event for h, b in received]
    assert events[-1] == "check.completed" and len(events) == len(app.outbox)


def test_reopened_check_is_not_final_until_complete_again() -> None:
    request = apply_scenario(base_request("reopen"), scenario("aurora", "approved"))
    request = dataclasses.replace(request, options={"aurora": {"reopen": True}})
    with Sandboxes(["aurora"]) as sb, KYC(sb.providers(), transport=sb.transport) as kyc:
        kyc.verify(request)
        again = kyc.verify(request, wait=False)  # the analyst reopened it
        final = kyc.verify(request)
        # The adapter, not the driver: the second check.completed may repeat the first
        # byte for byte (same second), which the driver refuses as a replay.
        adapter = sb.providers()[0]
        events = [adapter.parse_webhook(d.headers, d.body, now=time.time()) for d in sb.apps["aurora"].outbox]
    assert again.decision is Decision.PENDING and again.raw_status == "reopened"
    assert final.decision is Decision.APPROVED
    assert [e.event for e in events].count("check.reopened") == 1
    assert next(e for e in events if e.event == "check.reopened").decision is None


@pytest.mark.parametrize("faults", [{}, {"webhook_duplicate": None}, {"webhook_reorder": 1}])
def test_duplicate_or_reordered_webhooks_lead_to_the_same_final_result(faults: dict[str, int | None]) -> None:
    # Aurora events carry no result, so a receiver fetches the check on each one; the
    # adapter's dedupe makes every fetch land on the same check, whatever the order.
    import anyio

    request = apply_scenario(base_request("hook-order"), scenario("aurora", "declined"))
    with (
        Sandboxes(["aurora"], faults={"aurora": faults}) as sb,
        KYC(sb.providers(), transport=sb.transport) as kyc,
    ):
        decided = kyc.verify(request)
        app = sb.apps["aurora"]
        anyio.run(app.flush_webhooks)
        events, replayed = [], 0
        for d in app.outbox:
            try:
                events.append(kyc.parse_webhook("aurora", d.headers, d.body, now=time.time()))
            except WebhookReplayed:  # the driver knows a delivered event's id
                replayed += 1
        fetched = [kyc.verify(request, wait=False) for e in events if e.event.startswith("check.")]
    assert len(events) == 4 and replayed == (4 if "webhook_duplicate" in faults else 0)
    if "webhook_reorder" in faults:
        assert events[0].event != "check.started"  # the first event arrived late
    assert {f.decision for f in fetched} == {decided.decision} == {Decision.DECLINED}
    assert {f.reference for f in fetched} == {decided.reference}
    assert len(app.applicants) == 1 and len(app.checks) == 1


def test_fetch_result_reads_the_check_an_event_announces() -> None:
    request = apply_scenario(base_request("hook-fetch"), scenario("aurora", "declined"))
    with Sandboxes(["aurora"]) as sb, KYC(sb.providers(), transport=sb.transport) as kyc:
        decided = kyc.verify(request)
        events = [kyc.parse_webhook("aurora", d.headers, d.body, now=time.time()) for d in deliveries(sb)]
        fetched = [kyc.fetch_result(e) for e in events]
    assert {e.event for e in events} == {"check.started", "report.completed", "check.completed"}
    assert [(f.decision, f.reference) for f in fetched] == [(Decision.DECLINED, decided.reference)] * len(
        events
    )
