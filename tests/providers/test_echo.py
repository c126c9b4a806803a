"""echo specifics: bearer + dated version, strict idempotency keys, RateLimit-* headers,
JSON:API errors, rotating ``t=,v1=`` webhook signatures, client-side decisioning."""

from __future__ import annotations

import dataclasses
import json

import httpx
import pytest

from kyc_sdk import KYC, Decision
from kyc_sdk.errors import (
    AuthenticationFailed,
    NoProviderAvailable,
    ProviderProtocolError,
    ProviderUnavailable,
    RateLimited,
    WebhookRejected,
    WebhookReplayed,
)
from kyc_sdk.models import Evidence
from kyc_sdk.providers.echo import EchoProvider, idempotency_key
from kyc_sdk.sandbox import Sandboxes, apply_scenario, create, provider, scenario
from kyc_sdk.sandbox.echo import API_KEY, WEBHOOK_SECRETS, sign
from kyc_sdk.sandbox.serve import serving
from tests.providers.conftest import FAST, base_request, run, sandboxes

NOW = 1_800_000_030.0
DRIVERS = ["sync", "async"]
HEADERS = {"Authorization": f"Bearer {API_KEY}", "Echo-Version": "2025-12-08"}


def with_settings(p: EchoProvider, **changes: object) -> EchoProvider:
    return EchoProvider(dataclasses.replace(p.settings, **changes))  # type: ignore[arg-type]


@pytest.mark.parametrize("driver", DRIVERS)
def test_wrong_key_is_an_authentication_failure(driver: str) -> None:
    with (
        sandboxes(["echo"], "in-process") as (providers, http, _),
        pytest.raises(AuthenticationFailed) as info,
    ):
        run(driver, [with_settings(providers[0], api_key="echo_sandbox_wrong")], http, base_request())
    assert info.value.status == 401 and info.value.vendor_code == "unauthorized"


@pytest.mark.parametrize("driver", DRIVERS)
def test_unknown_dated_version_is_refused(driver: str) -> None:
    with (
        sandboxes(["echo"], "in-process") as (providers, http, apps),
        pytest.raises(ProviderProtocolError) as info,
    ):
        run(driver, [with_settings(providers[0], version="2031-01-01")], http, base_request())
    assert info.value.status == 400 and info.value.vendor_code == "invalid_version"
    assert not apps["echo"].inquiries


@pytest.mark.parametrize("driver", DRIVERS)
def test_a_retried_flow_creates_no_duplicate_inquiry(driver: str) -> None:
    with sandboxes(["echo"], "in-process") as (providers, http, apps):
        pending = run(driver, providers, http, base_request("same-ref"), wait=False)
        decided = run(driver, providers, http, base_request("same-ref"))
    app = apps["echo"]
    assert pending.decision is Decision.PENDING and decided.decision is Decision.APPROVED
    assert pending.reference == decided.reference and len(app.inquiries) == 1
    assert app.inquiries[decided.reference]["uploads"] == ["document", "selfie"]


def test_same_key_with_other_parameters_is_an_idempotency_error() -> None:
    key = idempotency_key("ref-409", "create")
    body = {"data": {"attributes": {"inquiry-template-id": "itmpl_sana_v1", "reference-id": "ref-409"}}}
    with (
        Sandboxes(["echo"]) as sb,
        httpx.Client(transport=sb.transport, base_url="http://echo.sandbox") as http,
    ):
        first = http.post("/api/v1/inquiries", json=body, headers={**HEADERS, "Idempotency-Key": key})
        replay = http.post("/api/v1/inquiries", json=body, headers={**HEADERS, "Idempotency-Key": key})
        body["data"]["attributes"]["reference-id"] = "other"
        clash = http.post("/api/v1/inquiries", json=body, headers={**HEADERS, "Idempotency-Key": key})
        keyless = http.post("/api/v1/inquiries", json=body, headers=HEADERS)
    assert first.status_code == 201 and replay.content == first.content
    assert replay.headers["Idempotent-Replayed"] == "true"
    assert clash.status_code == 409 and clash.json()["errors"][0]["code"] == "idempotency_error"
    assert keyless.status_code == 400 and len(sb.apps["echo"].inquiries) == 1


@pytest.mark.parametrize("driver", DRIVERS)
def test_one_reference_reused_for_another_person_is_refused(driver: str) -> None:
    # The keys come from the reference: a second, different request under the same
    # reference must not silently get the first one's inquiry.
    first = apply_scenario(base_request("shared-ref"), scenario("echo", "approved"))
    other = apply_scenario(base_request("shared-ref"), scenario("echo", "declined"))
    with sandboxes(["echo"], "in-process") as (providers, http, apps):
        run(driver, providers, http, first)
        with pytest.raises(ProviderProtocolError) as info:
            run(driver, providers, http, other)
    assert info.value.status == 409 and info.value.vendor_code == "idempotency_error"
    assert len(apps["echo"].inquiries) == 1


def test_auth_and_rate_limit_are_judged_before_idempotency() -> None:
    key = idempotency_key("ref-order", "create")
    body = {"data": {"attributes": {"inquiry-template-id": "t"}}}
    with (
        Sandboxes(["echo"], rate_limit=1, clock=lambda: NOW) as sb,
        httpx.Client(transport=sb.transport, base_url="http://echo.sandbox") as http,
    ):
        bad = http.post(
            "/api/v1/inquiries",
            json=body,
            headers={**HEADERS, "Authorization": "Bearer x", "Idempotency-Key": key},
        )
        ok = http.post("/api/v1/inquiries", json=body, headers={**HEADERS, "Idempotency-Key": key})
        limited = http.post("/api/v1/inquiries", json=body, headers={**HEADERS, "Idempotency-Key": key})
    assert bad.status_code == 401 and ok.status_code == 201  # the 401 was not stored under the key
    assert limited.status_code == 429 and limited.headers["RateLimit-Remaining"] == "0"
    assert limited.headers["RateLimit-Reset"] == "30" and ok.headers["RateLimit-Limit"] == "1"


def test_a_stored_5xx_is_replayed_under_its_key() -> None:
    # Echo stores the first answer for a key, 5xx included (as Stripe does): retrying the
    # same flow replays the failure instead of creating a second inquiry.
    with (
        Sandboxes(["echo"], internal_errors=1) as sb,
        KYC(sb.providers(), transport=sb.transport, backoff=FAST) as kyc,
    ):
        with pytest.raises(NoProviderAvailable) as info:
            kyc.verify(base_request("stored-500"))
        fresh = kyc.verify(base_request("another-ref"))
    assert [e.status for e in info.value.errors] == [500, 500, 500]  # the first try and two replays
    assert all(isinstance(e, ProviderUnavailable) for e in info.value.errors)
    assert fresh.decision is Decision.APPROVED and len(sb.apps["echo"].inquiries) == 1


@pytest.mark.parametrize("driver", DRIVERS)
def test_rate_limit_carries_the_reset_as_retry_after(driver: str) -> None:
    with (
        sandboxes(["echo"], "in-process", rate_limit=2, clock=lambda: NOW) as (providers, http, _),
        pytest.raises(NoProviderAvailable) as info,
    ):
        run(driver, providers, http, base_request("limited"), deadline=5)
    limited = [e for e in info.value.errors if isinstance(e, RateLimited)]
    assert limited and limited[0].retry_after == 30.0 and limited[0].vendor_code == "rate_limited"


@pytest.mark.parametrize("driver", DRIVERS)
def test_sandbox_never_processes_images(driver: str) -> None:
    request = apply_scenario(base_request("garbage-images"), scenario("echo", "declined"))
    request = dataclasses.replace(request, evidence=Evidence(selfie=b"not an image", document_front=b"\x00"))
    with sandboxes(["echo"], "in-process") as (providers, http, _):
        result = run(driver, providers, http, request)
    assert result.decision is Decision.DECLINED and result.raw_codes == (
        "document:failed",
        "face_match:passed",
    )


def test_unknown_sandbox_control_is_a_record_invalid_error() -> None:
    request = dataclasses.replace(base_request(), options={"echo": {"force-outcome": "maybe"}})
    with (
        Sandboxes(["echo"]) as sb,
        KYC(sb.providers(), transport=sb.transport) as kyc,
        pytest.raises(ProviderProtocolError) as info,
    ):
        kyc.verify(request)
    assert info.value.status == 422 and info.value.vendor_code == "record_invalid"


def test_an_unknown_status_word_or_a_missing_attribute_is_a_protocol_error() -> None:
    answers = iter(
        [
            {"data": {"id": "inq_1", "attributes": {"status": "pending"}}},
            {"data": {"id": "inq_1", "attributes": {"status": "mulling"}}},
        ]
    )

    def vendor(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json=next(answers, {"data": {"id": "inq_1"}}))

    for _ in range(2):
        with (
            KYC([provider("echo")], transport=httpx.MockTransport(vendor)) as kyc,
            pytest.raises(ProviderProtocolError),
        ):
            kyc.verify(base_request())


def test_vendor_5xx_is_unavailable() -> None:
    with (
        KYC(
            [provider("echo")],
            transport=httpx.MockTransport(lambda r: httpx.Response(502, text="bad gateway")),
            backoff=FAST,
        ) as kyc,
        pytest.raises(NoProviderAvailable) as info,
    ):
        kyc.verify(base_request())
    assert all(isinstance(e, ProviderUnavailable) for e in info.value.errors)


# Webhooks --------------------------------------------------------------------------


def event(status: str = "approved", ident: str = "inq_1") -> bytes:
    return json.dumps(
        {
            "data": {
                "type": "event",
                "id": "evt_1",
                "attributes": {
                    "name": f"inquiry.{status}",
                    "payload": {"data": {"type": "inquiry", "id": ident, "attributes": {"status": status}}},
                },
            }
        }
    ).encode()


def test_webhook_signature_rotation_and_tolerance() -> None:
    body, t = event(), int(NOW)
    old_only = with_settings(provider("echo"), webhook_secrets=WEBHOOK_SECRETS[1:])
    both = sign(body, t, WEBHOOK_SECRETS)  # two pairs, space-separated, while rotating
    assert old_only.parse_webhook({"Echo-Signature": both}, body, now=NOW).decision is Decision.APPROVED
    new = provider("echo")
    assert new.parse_webhook({"echo-signature": both}, body, now=NOW + 299).reference == "inq_1"
    rejected = [
        ({}, NOW),
        ({"Echo-Signature": "v1=abc"}, NOW),
        ({"Echo-Signature": sign(body, t, ("other",))}, NOW),
        ({"Echo-Signature": both}, NOW + 301),
        ({"Echo-Signature": both}, NOW - 301),
        ({"Echo-Signature": sign(body, t).replace(f"t={t}", f"t={t + 1}")}, NOW),
    ]
    for headers, now in rejected:
        with pytest.raises(WebhookRejected):
            new.parse_webhook(headers, body, now=now)
    with pytest.raises(WebhookRejected):
        new.parse_webhook({"Echo-Signature": sign(body + b" ", t)}, body, now=NOW)
    with pytest.raises(WebhookRejected):
        new.parse_webhook({"Echo-Signature": sign(b"[]", t)}, b"[]", now=NOW)


def test_duplicate_and_reordered_webhooks_lead_to_the_same_final_result() -> None:
    # Client-side decisioning: completed (REVIEW) then a human approves; the two events
    # arrive duplicated and in the wrong order. "completed" carries no decision (the
    # verifications need a fetch), and the fetch returns the current state: approved.
    request = apply_scenario(base_request("hooks"), scenario("echo", "review"))
    faults = {"echo": {"webhook_reorder": 1}}
    with (
        Sandboxes(["echo"], faults=faults, clock=lambda: NOW) as sb,
        KYC(sb.providers(), transport=sb.transport) as kyc,
    ):
        review = kyc.verify(request)
        with httpx.Client(transport=sb.transport, base_url="http://echo.sandbox") as http:
            approved = http.post(
                f"/api/v1/inquiries/{review.reference}/approve",
                headers={**HEADERS, "Idempotency-Key": "human-1"},
            )
        outbox = sb.apps["echo"].outbox
        events = [kyc.parse_webhook("echo", d.headers, d.body, now=NOW) for d in outbox]
        for d in outbox:  # and each delivered again: the driver knows its event id
            with pytest.raises(WebhookReplayed):
                kyc.parse_webhook("echo", d.headers, d.body, now=NOW + 1)
        final = kyc.verify(request)
    assert review.decision is Decision.REVIEW and approved.status_code == 200
    assert [e.status for e in events] == ["approved", "completed"]
    decided = {e.decision for e in events} - {None}
    assert decided == {Decision.APPROVED} and final.decision is Decision.APPROVED
    assert final.reference == review.reference == events[0].reference


def test_over_loopback_with_webhooks_to_a_receiver() -> None:
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.routing import Route

    received: list[tuple[dict[str, str], bytes]] = []

    async def hook(request: Request) -> Response:
        received.append((dict(request.headers), await request.body()))
        return Response(status_code=204)

    with serving(Starlette(routes=[Route("/hook", hook, methods=["POST"])])) as receiver:
        app = create("echo", webhook_url=f"{receiver}/hook", clock=lambda: NOW)
        with serving(app) as url, KYC([provider("echo", url)]) as kyc:
            result = kyc.verify(base_request("loopback"))
            events = [kyc.parse_webhook("echo", h, b, now=NOW) for h, b in received]
    assert result.decision is Decision.APPROVED
    assert [(e.event, e.reference) for e in events] == [("inquiry.approved", result.reference)]
