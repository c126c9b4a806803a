"""gilan specifics: API key + expiring login token, client-chosen transaction numbers,
the hosted redirect, two-phase results, SUCCESS_DATA_CHANGED, polling lists, archive,
timestamped shared-secret webhooks."""

from __future__ import annotations

import dataclasses
import io
import json
import zipfile

import httpx
import pytest

from kyc_sdk import KYC, Decision
from kyc_sdk.errors import (
    AuthenticationFailed,
    NoProviderAvailable,
    ProviderProtocolError,
    RateLimited,
    WebhookRejected,
    WebhookReplayed,
)
from kyc_sdk.providers.gilan import GilanProvider
from kyc_sdk.sandbox import Sandboxes, apply_scenario, create, provider, scenario
from kyc_sdk.sandbox.gilan import API_KEY, COMPANY_ID, sign
from kyc_sdk.sandbox.serve import serving
from tests.providers.conftest import FAST, base_request, run, sandboxes

DRIVERS = ["sync", "async"]
NOW = 1_800_000_000.0
API = f"http://gilan.sandbox/api/v1/{COMPANY_ID}"


def request_for(name: str, reference: str):  # type: ignore[no-untyped-def]
    return apply_scenario(base_request(reference), scenario("gilan", name))


def with_settings(p: GilanProvider, **changes: object) -> GilanProvider:
    return GilanProvider(dataclasses.replace(p.settings, **changes))  # type: ignore[arg-type]


@pytest.mark.parametrize("driver", DRIVERS)
def test_wrong_api_key_is_an_authentication_failure(driver: str) -> None:
    with (
        sandboxes(["gilan"], "in-process") as (providers, http, apps),
        pytest.raises(AuthenticationFailed) as info,
    ):
        run(driver, [with_settings(providers[0], api_key="gilan_sandbox_wrong")], http, base_request())
    assert info.value.vendor_code == "INVALID_API_KEY" and not apps["gilan"].idents


@pytest.mark.parametrize("driver", DRIVERS)
def test_an_expired_login_token_is_renewed_once(driver: str) -> None:
    now = [NOW]
    with sandboxes(["gilan"], "in-process", clock=lambda: now[0], token_ttl=60) as (providers, http, apps):
        first = run(driver, providers, http, request_for("approved", "tok-1"))
        now[0] += 61  # the token the provider holds has expired
        second = run(driver, providers, http, request_for("declined", "tok-2"))
    assert first.decision is Decision.APPROVED and second.decision is Decision.DECLINED
    assert len(apps["gilan"].tokens) == 2  # one login each, not one per read


@pytest.mark.parametrize("driver", DRIVERS)
def test_a_token_refused_twice_is_an_authentication_failure(driver: str) -> None:
    with (
        sandboxes(["gilan"], "in-process", token_ttl=-1) as (providers, http, apps),
        pytest.raises(AuthenticationFailed) as info,
    ):
        run(driver, providers, http, base_request("never"))
    assert info.value.vendor_code == "INVALID_LOGIN_TOKEN" and len(apps["gilan"].tokens) == 2


@pytest.mark.parametrize("driver", DRIVERS)
def test_hosted_flow_pending_with_redirect_then_the_same_transaction(driver: str) -> None:
    request = request_for("approved", "hosted")
    with sandboxes(["gilan"], "in-process") as (providers, http, apps):
        pending = run(driver, providers, http, request, wait=False)
        decided = run(driver, providers, http, request)
    tn = pending.reference
    assert pending.decision is Decision.PENDING and pending.vendor["transaction_number"] == tn
    assert pending.vendor["redirect_url"] == f"https://go.gilan.sim/{COMPANY_ID}/identifications/{tn}"
    assert (
        decided.decision is Decision.APPROVED
        and decided.reference == tn
        and list(apps["gilan"].idents) == [tn]
    )


def test_reusing_a_transaction_number_is_409_at_the_vendor() -> None:
    body = {"firstname": "x", "lastname": "y"}
    with (
        Sandboxes(["gilan"]) as sb,
        httpx.Client(transport=sb.transport, headers={"X-API-KEY": API_KEY}) as http,
    ):
        first = http.post(f"{API}/identifications/tn-1/start", json=body)
        again = http.post(f"{API}/identifications/tn-1/start", json=body)
        bad = http.post(f"{API}/identifications/tn%20x/start", json=body)
    assert first.status_code == 200 and again.status_code == 409
    assert again.json()["errors"][0]["cause"] == "TRANSACTIONNUMBER_ALREADY_USED"
    assert bad.status_code == 400 and bad.json()["errors"][0]["cause"] == "INVALID_PARAMETER"


@pytest.mark.parametrize("driver", DRIVERS)
def test_success_data_changed_is_approved_with_the_changed_fields(driver: str) -> None:
    with sandboxes(["gilan"], "in-process") as (providers, http, apps):
        result = run(driver, providers, http, request_for("data_changed", "changed"))
    assert result.decision is Decision.APPROVED and result.raw_status == "SUCCESS_DATA_CHANGED"
    assert result.vendor["changed_fields"] == ["lastname"] and result.reasons == ("data_changed_lastname",)
    assert result.raw["userdata"] == "[redacted]"
    userdata = apps["gilan"].idents[result.reference]["userdata"]
    assert userdata["lastname"]["status"] == "CHANGE" and userdata["firstname"]["status"] == "MATCH"


def test_missing_name_is_a_missing_parameter_error() -> None:
    request = base_request("noname")
    request = dataclasses.replace(request, subject=dataclasses.replace(request.subject, last_name=""))
    with (
        Sandboxes(["gilan"]) as sb,
        KYC(sb.providers(), transport=sb.transport) as kyc,
        pytest.raises(ProviderProtocolError) as info,
    ):
        kyc.verify(request)
    assert info.value.vendor_code == "MISSING_PARAMETER" and info.value.status == 400


@pytest.mark.parametrize("driver", DRIVERS)
def test_rate_limit_carries_retry_after(driver: str) -> None:
    with (
        sandboxes(["gilan"], "in-process", faults={"gilan": ["rate_limited"]}) as (providers, http, _),
        pytest.raises(NoProviderAvailable) as info,
    ):
        run(driver, providers, http, base_request(), deadline=0.5)
    limited = [e for e in info.value.errors if isinstance(e, RateLimited)]
    assert limited and limited[0].retry_after == 1.0 and limited[0].vendor_code == "TOO_MANY_REQUESTS"


def test_an_answer_without_identificationprocess_is_a_protocol_error() -> None:
    def vendor(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/login"):
            return httpx.Response(200, json={"authToken": "t"})
        return httpx.Response(200, json={"identificationprocess": "nope"} if request.method == "GET" else {})

    with (
        KYC([provider("gilan")], transport=httpx.MockTransport(vendor), backoff=FAST) as kyc,
        pytest.raises(ProviderProtocolError),
    ):
        kyc.verify(base_request())


def test_polling_lists_and_result_archive() -> None:
    with Sandboxes(["gilan"]) as sb, KYC(sb.providers(), transport=sb.transport) as kyc:
        review = kyc.verify(request_for("review", "list-review"))
        retry = kyc.verify(request_for("retry", "list-retry"))
        started = kyc.verify(request_for("approved", "list-started"), wait=False)
        with httpx.Client(transport=sb.transport) as http:
            token = http.post(f"{API}/login", json={"apiKey": API_KEY}).json()["authToken"]
            h = {"X-API-LOGIN-TOKEN": token}
            pending = http.get(f"{API}/identifications", params={"pending": "true"}, headers=h).json()
            failed = http.get(f"{API}/identifications", params={"failed": "true"}, headers=h).json()
            archive = http.get(f"http://gilan.sandbox/files/{review.reference}.zip", headers=h)
            refused = http.get(f"http://gilan.sandbox/files/{review.reference}.zip")

    def tns(listing):
        return {i["identificationprocess"]["transactionnumber"] for i in listing["identifications"]}

    assert tns(pending) == {review.reference, started.reference} and tns(failed) == {retry.reference}
    with zipfile.ZipFile(io.BytesIO(archive.content)) as package:
        saved = json.loads(package.read(f"{review.reference}.json"))
    assert saved["identificationprocess"]["result"] == "REVIEW_PENDING" and refused.status_code == 401
    from kyc_sdk.sandbox.gilan import PHRASES

    assert saved["identificationprocess"]["readaloudtext"] in PHRASES  # the read-aloud step happened


# Two phases and webhooks ---------------------------------------------------------------


def test_agent_changes_the_automatic_result_and_reordered_duplicates_settle_on_it() -> None:
    request = request_for("review", "two-phase")
    with (
        Sandboxes(["gilan"], faults={"gilan": {"webhook_reorder": 1}}, clock=lambda: NOW) as sb,
        KYC(sb.providers(), transport=sb.transport) as kyc,
    ):
        automatic = kyc.verify(request)
        with httpx.Client(transport=sb.transport, headers={"X-API-KEY": API_KEY}) as http:
            agent = http.post(
                f"http://gilan.sandbox/sim/identifications/{automatic.reference}/agent-decision",
                json={"result": "SUCCESS"},
            )
            late = http.post(
                f"http://gilan.sandbox/sim/identifications/{automatic.reference}/agent-decision",
                json={"result": "FRAUD_SUSPICION_CONFIRMED"},
            )
        outbox = sb.apps["gilan"].outbox  # reordered by the fault
        events = [kyc.parse_webhook("gilan", d.headers, d.body, now=NOW) for d in outbox]
        for d in outbox:  # then each delivered again: the driver knows its event id
            with pytest.raises(WebhookReplayed):
                kyc.parse_webhook("gilan", d.headers, d.body, now=NOW + 1)
        final = kyc.verify(request)
    assert automatic.decision is Decision.REVIEW and automatic.vendor["provisional"] is True
    assert agent.status_code == 200 and late.status_code == 400  # a final result is not changed again
    assert [e.status for e in events] == ["SUCCESS", "REVIEW_PENDING"]
    assert {e.decision for e in events} - {None} == {Decision.APPROVED}
    assert final.decision is Decision.APPROVED and final.vendor["agent"] is True


def test_webhook_signature_and_window() -> None:
    gilan = provider("gilan")
    body = json.dumps(
        {"identificationprocess": {"result": "SUCCESS", "transactionnumber": "tn-1"}, "userdata": {}}
    ).encode()
    stamp = int(NOW)
    good = {"X-Gilan-Timestamp": str(stamp), "X-Gilan-Signature": sign(body, stamp)}
    assert gilan.parse_webhook(good, body, now=NOW + 299).decision is Decision.APPROVED
    bad = [
        {},
        {**good, "X-Gilan-Signature": sign(body, stamp, "other-secret")},
        {**good, "X-Gilan-Signature": sign(body, stamp)[7:]},
        {**good, "X-Gilan-Timestamp": str(stamp + 1)},
        {**good, "X-Gilan-Timestamp": "soon"},
    ]
    for headers in bad:
        with pytest.raises(WebhookRejected):
            gilan.parse_webhook(headers, body, now=NOW)
    with pytest.raises(WebhookRejected):
        gilan.parse_webhook(good, body, now=NOW + 301)
    odd = json.dumps({"identificationprocess": {"result": "MAYBE", "transactionnumber": "t"}}).encode()
    with pytest.raises(WebhookRejected):
        gilan.parse_webhook(
            {"X-Gilan-Timestamp": str(stamp), "X-Gilan-Signature": sign(odd, stamp)}, odd, now=NOW
        )


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
        app = create("gilan", webhook_url=f"{receiver}/hook", clock=lambda: NOW)
        with serving(app) as url, KYC([provider("gilan", url)]) as kyc:
            result = kyc.verify(request_for("declined", "loopback"))
            events = [kyc.parse_webhook("gilan", h, b, now=NOW) for h, b in received]
    assert result.decision is Decision.DECLINED and result.reasons == ("selfie_mismatch",)
    assert [(e.reference, e.decision) for e in events] == [(result.reference, Decision.DECLINED)]
