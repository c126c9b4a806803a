"""fjord specifics: signatures in bodies (both ways), presigned ZIP upload and its
expiry, stringly typed results, the provisional 0814 that changes later, the per-ID
2222 limit, the synchronous registry call, callbacks signed inside the body."""

from __future__ import annotations

import dataclasses
import json
import time
from collections.abc import Iterator
from datetime import datetime

import anyio
import httpx
import pytest

from kyc_sdk import KYC, AsyncKYC, Decision
from kyc_sdk.errors import (
    AuthenticationFailed,
    NoProviderAvailable,
    ProviderProtocolError,
    RateLimited,
    WebhookRejected,
    WebhookReplayed,
)
from kyc_sdk.models import CheckKind
from kyc_sdk.providers import _fjord_wire as wire
from kyc_sdk.providers import _webhooks
from kyc_sdk.providers.fjord import FjordProvider
from kyc_sdk.sandbox import Sandboxes, apply_scenario, create, provider, scenario
from kyc_sdk.sandbox.fjord import API_KEY, PARTNER_ID
from kyc_sdk.sandbox.serve import serving
from tests.providers.conftest import FAST, base_request, run, sandboxes

DRIVERS = ["sync", "async"]


def request_for(name: str, reference: str = "fjord-1"):  # type: ignore[no-untyped-def]
    return apply_scenario(base_request(reference), scenario("fjord", name))


def stamp() -> str:
    return wire.iso_stamp(time.time())


def with_settings(p: FjordProvider, **changes: object) -> FjordProvider:
    return FjordProvider(dataclasses.replace(p.settings, **changes))  # type: ignore[arg-type]


def test_signature_is_base64_hmac_of_timestamp_partner_and_sid_request() -> None:
    # Computed independently: printf '%s' "2026-01-01T00:00:00.000Z2718sid_request" |
    # openssl dgst -sha256 -hmac "$API_KEY" -binary | base64
    import base64
    import hashlib
    import hmac

    stamp = "2026-01-01T00:00:00.000Z"
    expected = base64.b64encode(
        hmac.new(API_KEY.encode(), f"{stamp}{PARTNER_ID}sid_request".encode(), hashlib.sha256).digest()
    ).decode()
    body = wire.signed(API_KEY, PARTNER_ID, {"job_id": "j"}, stamp)
    assert body["signature"] == expected and wire.signature_ok(API_KEY, PARTNER_ID, body)
    assert not wire.signature_ok(API_KEY, PARTNER_ID, {**body, "timestamp": "2026-01-01T00:00:01.000Z"})
    assert not wire.signature_ok("other", PARTNER_ID, body) and not wire.signature_ok(API_KEY, PARTNER_ID, {})


@pytest.mark.parametrize("driver", DRIVERS)
def test_wrong_key_or_partner_is_an_authentication_failure(driver: str) -> None:
    with sandboxes(["fjord"], "in-process") as (providers, http, _):
        with pytest.raises(AuthenticationFailed) as key:
            run(driver, [with_settings(providers[0], api_key="fjord_sandbox_wrong")], http, base_request())
        with pytest.raises(AuthenticationFailed) as partner:
            run(driver, [with_settings(providers[0], partner_id="9999")], http, base_request())
    assert key.value.vendor_code == "2203" and partner.value.vendor_code == "2204"


@pytest.mark.parametrize("driver", DRIVERS)
def test_an_answer_whose_signature_does_not_verify_is_refused(driver: str) -> None:
    # A man in the middle (or a misconfigured proxy) answers without our key.
    def forged(request: httpx.Request) -> httpx.Response:
        body = wire.signed(
            "not-the-key", PARTNER_ID, {"upload_url": "http://x/u", "smile_job_id": "1"}, stamp()
        )
        return httpx.Response(200, json=body)

    with pytest.raises(AuthenticationFailed) as info:
        run(driver, [provider("fjord")], httpx.MockTransport(forged), base_request())
    assert info.value.vendor_code == "response_signature"


def test_a_replayed_old_answer_is_refused() -> None:
    old = wire.signed(
        API_KEY, PARTNER_ID, {"upload_url": "http://x/u", "smile_job_id": "1"}, "2020-01-01T00:00:00Z"
    )
    with (
        KYC(
            [provider("fjord")], transport=httpx.MockTransport(lambda r: httpx.Response(200, json=old))
        ) as kyc,
        pytest.raises(AuthenticationFailed) as info,
    ):
        kyc.verify(base_request())
    assert info.value.vendor_code == "response_timestamp"


@pytest.fixture
def tehran_time(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The host's local time is UTC+3:30, so reading a zone-less stamp as local time shows."""
    monkeypatch.setenv("TZ", "Asia/Tehran")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_a_stamp_without_a_zone_is_utc_as_in_webhooks(tehran_time: None) -> None:
    now = 1_800_000_000.0
    zoned = wire.iso_stamp(now - 90)
    plain = zoned.removesuffix("Z")
    assert wire.seconds_since(zoned, now) == pytest.approx(90)
    assert wire.seconds_since(plain, now) == pytest.approx(90)
    assert _webhooks.signed_time(plain) == pytest.approx(now - 90)
    assert wire.seconds_since("not a time", now) is None and wire.seconds_since(None, now) is None


def test_answers_are_stamped_and_checked_by_the_drivers_clock() -> None:
    """No wall clock in the adapter: a driver whose clock is a day ahead stamps its
    requests a day ahead, and the sandbox (on the real clock) refuses them."""
    with Sandboxes(["fjord"]) as sb:
        ahead = KYC(sb.providers(), transport=sb.transport, backoff=FAST, now=lambda: time.time() + 86400)
        with ahead as kyc, pytest.raises(AuthenticationFailed) as info:
            kyc.verify(base_request("ahead"), deadline=5)
    assert info.value.vendor_code == "2209"


def test_sandbox_refuses_a_stale_timestamp() -> None:
    stamp = "2020-01-01T00:00:00.000Z"
    with Sandboxes(["fjord"]) as sb, httpx.Client(transport=sb.transport) as http:
        answer = http.post(
            "http://fjord.sandbox/v1/job_status",
            json=wire.signed(API_KEY, PARTNER_ID, {"job_id": "j", "user_id": "u"}, stamp),
        )
    assert answer.status_code == 401 and answer.json()["code"] == "2209"


@pytest.mark.parametrize("driver", DRIVERS)
def test_the_zip_reaches_the_presigned_url_with_info_json(driver: str) -> None:
    with sandboxes(["fjord"], "in-process") as (providers, http, apps):
        pending = run(driver, providers, http, base_request("zip"), wait=False)
        result = run(driver, providers, http, base_request("zip"))
    (job,) = apps["fjord"].jobs.values()
    assert pending.decision is Decision.PENDING and pending.raw_status == "job_pending"
    assert (
        result.decision is Decision.APPROVED and result.reference == pending.reference == job["smile_job_id"]
    )
    assert job["zip"] and not apps["fjord"].urls  # one job, its URL spent
    assert {c.kind for c in result.checks} == {
        CheckKind.LIVENESS,
        CheckKind.FACE_MATCH,
        CheckKind.DOCUMENT,
        CheckKind.REGISTRY,
    }


def test_job_package_is_refused_when_info_json_lists_a_missing_image() -> None:
    good = wire.job_zip([(0, "selfie.jpg", b"x")], {"id_number": "0499370899"})
    assert wire.read_job_zip(good)["images"] == [{"image_type_id": 0, "file_name": "selfie.jpg"}]
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("info.json", json.dumps({"images": [{"image_type_id": 1, "file_name": "id.jpg"}]}))
    assert wire.read_job_zip(buffer.getvalue()) is None and wire.read_job_zip(b"not a zip") is None


class LateUploads(httpx.BaseTransport):
    """The sandbox behind it, whose clock jumps ``late`` seconds for the first ``n`` PUTs
    (as if the client had sat on the presigned URL)."""

    def __init__(self, inner: httpx.BaseTransport, app: object, n: int, late: float = 700) -> None:
        self.inner, self.app, self.n, self.late = inner, app, n, late

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.method == "PUT" and self.n > 0:
            self.n -= 1
            self.app.clock = lambda: time.time() + self.late  # type: ignore[attr-defined]
        try:
            return self.inner.handle_request(request)
        finally:
            self.app.clock = time.time  # type: ignore[attr-defined]


@pytest.mark.parametrize(("late_puts", "ok"), [(1, True), (2, False)])
def test_an_expired_upload_url_is_asked_for_again_once(late_puts: int, ok: bool) -> None:
    with Sandboxes(["fjord"], url_ttl=600) as sb:
        app = sb.apps["fjord"]
        with KYC(sb.providers(), transport=LateUploads(sb.transport, app, late_puts)) as kyc:
            if ok:
                assert kyc.verify(base_request("ttl"), wait=False).decision is Decision.PENDING
            else:
                with pytest.raises(AuthenticationFailed, match="upload URL refused"):
                    kyc.verify(base_request("ttl"), wait=False)
    (job,) = app.jobs.values()
    assert job["zip"] is ok and len(app.urls) == (1 if ok else 2)  # the expired ones stay unused


@pytest.mark.parametrize("driver", DRIVERS)
def test_a_repeated_flow_polls_the_existing_job(driver: str) -> None:
    with sandboxes(["fjord"], "in-process") as (providers, http, apps):
        first = run(driver, providers, http, request_for("declined", "again"))
        second = run(driver, providers, http, request_for("declined", "again"))
    assert first.decision is second.decision is Decision.DECLINED and first.reference == second.reference
    assert len(apps["fjord"].jobs) == 1 and first.reasons == ("face_mismatch",)


@pytest.mark.parametrize("driver", DRIVERS)
def test_provisional_review_becomes_final_later_with_history(driver: str) -> None:
    with sandboxes(["fjord"], "in-process", final_after=1) as (providers, http, _):
        provisional = run(driver, providers, http, request_for("review", "later"))
        final = run(driver, providers, http, request_for("review", "later"))
    assert provisional.decision is Decision.REVIEW and provisional.vendor["provisional"] is True
    assert provisional.check(CheckKind.FACE_MATCH).outcome is Decision.REVIEW  # type: ignore[union-attr]
    assert final.decision is Decision.APPROVED and final.vendor["provisional"] is False
    assert final.raw_status == "1012" and final.raw_codes == ("0814",)


@pytest.mark.parametrize("driver", DRIVERS)
def test_per_id_number_limit_is_2222_with_retry_after(driver: str) -> None:
    with sandboxes(["fjord"], "in-process", id_limit=2) as (providers, http, _):
        for n in range(2):
            run(driver, providers, http, base_request(f"limit-{n}"), wait=False)
        with pytest.raises(NoProviderAvailable) as info:
            run(driver, providers, http, base_request("limit-3"), wait=False, deadline=5)
        other = run(driver, providers, http, request_for("declined", "limit-other"), wait=False)
        with httpx.Client(transport=http) as raw:
            raw.post(
                "http://fjord.sandbox/v1/id_number_rate_limit_reset",
                json=wire.signed(API_KEY, PARTNER_ID, {"id_number": "0499370899"}, stamp()),
            )
        after = run(driver, providers, http, base_request("limit-4"), wait=False)
    (limited,) = {type(e): e for e in info.value.errors if isinstance(e, RateLimited)}.values()
    assert limited.vendor_code == "2222" and limited.status == 429
    assert 3 * 24 * 3600 - 60 < limited.retry_after <= 3 * 24 * 3600 + 1  # type: ignore[operator]
    assert other.decision is after.decision is Decision.PENDING


@pytest.mark.parametrize("driver", DRIVERS)
@pytest.mark.parametrize(
    ("name", "decision"), [("approved", Decision.APPROVED), ("id_number_invalid", Decision.DECLINED)]
)
def test_registry_only_request_is_synchronous(driver: str, name: str, decision: Decision) -> None:
    request = dataclasses.replace(request_for(name, f"reg-{name}"), checks=frozenset({CheckKind.REGISTRY}))
    with sandboxes(["fjord"], "in-process") as (providers, http, apps):
        result = run(driver, providers, http, request)
    assert result.decision is decision and not apps["fjord"].jobs
    assert [c.kind for c in result.checks] == [CheckKind.REGISTRY]


def test_stringly_typed_values_are_read_and_junk_is_a_protocol_error() -> None:
    assert (wire.truth("true"), wire.truth(False), wire.truth("yes"), wire.truth(1)) == (
        True,
        False,
        None,
        None,
    )
    answers = iter(
        [{"upload_url": "http://fjord.sandbox/u", "smile_job_id": "77"}, None, {"job_complete": "maybe"}]
    )

    def vendor(request: httpx.Request) -> httpx.Response:
        body = next(answers)
        return (
            httpx.Response(200, json=wire.signed(API_KEY, PARTNER_ID, body, stamp()))
            if body
            else httpx.Response(200)
        )

    with (
        KYC([provider("fjord")], transport=httpx.MockTransport(vendor)) as kyc,
        pytest.raises(ProviderProtocolError),
    ):
        kyc.verify(base_request())


def test_an_unknown_result_code_is_a_protocol_error() -> None:
    answers = iter(
        [
            {"upload_url": "http://fjord.sandbox/u", "smile_job_id": "77"},
            None,
            {"job_complete": True, "result": {"ResultCode": "4242", "IsFinalResult": "true"}},
        ]
    )

    def vendor(request: httpx.Request) -> httpx.Response:
        body = next(answers)
        return (
            httpx.Response(200, json=wire.signed(API_KEY, PARTNER_ID, body, stamp()))
            if body
            else httpx.Response(200)
        )

    with (
        KYC([provider("fjord")], transport=httpx.MockTransport(vendor), backoff=FAST) as kyc,
        pytest.raises(ProviderProtocolError, match="4242"),
    ):
        kyc.verify(base_request())


# Callbacks -------------------------------------------------------------------------


def now_of(body: bytes) -> float:
    return datetime.fromisoformat(json.loads(body)["timestamp"]).timestamp()


def test_callbacks_are_hints_whose_result_is_read_from_fjord() -> None:
    with Sandboxes(["fjord"], final_after=1) as sb, KYC(sb.providers(), transport=sb.transport) as kyc:
        kyc.verify(request_for("review", "hooks"))
        kyc.verify(request_for("review", "hooks"))
        outbox = sb.apps["fjord"].outbox
        now = now_of(outbox[-1].body)
        # Reordered: final first, then provisional.
        events = [kyc.parse_webhook("fjord", d.headers, d.body, now=now) for d in outbox[::-1]]
        for d in outbox:  # the same deliveries again: refused as replays
            with pytest.raises(WebhookReplayed):
                kyc.parse_webhook("fjord", d.headers, d.body, now=now)
        fetched = [kyc.fetch_result(e) for e in events]
    assert [e.event for e in events] == ["job_result", "job_result_provisional"]
    assert all(e.hint and e.decision is None and e.status is None for e in events)
    assert len({e.event_id for e in events}) == 2
    assert {(f.decision, f.raw_status) for f in fetched} == {(Decision.APPROVED, "1012")}


def test_callback_with_a_bad_signature_or_stale_timestamp_is_rejected() -> None:
    fjord = provider("fjord")
    stamp = "2026-11-28T12:00:00.000Z"
    claims = {
        "ResultCode": "1012",
        "IsFinalResult": "true",
        "SmileJobID": "9",
        "PartnerParams": {"job_id": "job-1", "user_id": "usr-1", "job_type": 1},
    }
    good = wire.signed(API_KEY, PARTNER_ID, claims, stamp)
    now = now_of(json.dumps(good).encode())
    event = fjord.parse_webhook({}, json.dumps(good).encode(), now=now + 299)
    assert event.hint and event.decision is None and event.payload == {"job_id": "job-1", "user_id": "usr-1"}
    bad = [
        {**good, "signature": wire.signature("other", stamp, PARTNER_ID)},
        {k: v for k, v in good.items() if k != "signature"},
        {k: v for k, v in good.items() if k != "PartnerParams"},
        {**good, "IsFinalResult": "maybe"},
        {**good, "signature": "\u00e9" + good["signature"]},  # non-ASCII once crashed compare_digest
    ]
    for body in bad:
        with pytest.raises(WebhookRejected):
            fjord.parse_webhook({}, json.dumps(body).encode(), now=now)
    for body, at in ((json.dumps(good).encode(), now + 301), (b"[1]", now), (b"{", now)):
        with pytest.raises(WebhookRejected):
            fjord.parse_webhook({}, body, now=at)


@pytest.mark.parametrize("driver", DRIVERS)
def test_a_signed_callback_rewritten_to_approved_never_approves_a_declined_job(driver: str) -> None:
    # fjord's signature covers timestamp + partner id only: an attacker holding one signed
    # callback can rewrite ResultCode, Actions and the job it names. Over loopback.
    app = create("fjord")
    with serving(app) as url:
        adapter = provider("fjord", url)
        with KYC([adapter]) as kyc:
            declined = kyc.verify(request_for("declined", "forged-cb"))
        assert declined.decision is Decision.DECLINED
        signed = json.loads(app.outbox[-1].body)
        forged = {
            **signed,
            "ResultCode": "1012",
            "ResultText": "ID Validated",
            "IsFinalResult": "true",
            "Actions": dict.fromkeys(
                ("Liveness_Check", "Selfie_To_ID_Card_Compare", "Verify_Document"), "Passed"
            ),
        }
        body = json.dumps(forged).encode()
        now = now_of(body)
        if driver == "sync":
            with KYC([adapter]) as kyc:
                event = kyc.parse_webhook("fjord", {"Content-Type": "application/json"}, body, now=now)
                result = kyc.fetch_result(event)
        else:

            async def go() -> tuple:  # type: ignore[type-arg]
                async with AsyncKYC([adapter]) as kyc:
                    found = kyc.parse_webhook("fjord", {"Content-Type": "application/json"}, body, now=now)
                    return found, await kyc.fetch_result(found)

            event, result = anyio.run(go)
    assert event.decision is None and event.hint
    assert result.decision is Decision.DECLINED and result.reference == declined.reference


def test_over_loopback_with_the_callback_url() -> None:
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.routing import Route

    received: list[bytes] = []

    async def hook(request: Request) -> Response:
        received.append(await request.body())
        return Response(status_code=200)

    with (
        serving(Starlette(routes=[Route("/cb", hook, methods=["POST"])])) as receiver,
        serving(create("fjord")) as url,
        KYC([provider("fjord", url, callback_url=f"{receiver}/cb")]) as kyc,
    ):
        result = kyc.verify(request_for("retry", "loopback"))
        events = [kyc.parse_webhook("fjord", {}, b, now=now_of(b)) for b in received]
        fetched = [kyc.fetch_result(e) for e in events]
    assert result.decision is Decision.RETRY and result.reasons == ("no_face_found",)
    assert [(e.reference, e.decision) for e in events] == [(result.reference, None)]
    assert [(f.reference, f.decision) for f in fetched] == [(result.reference, Decision.RETRY)]
