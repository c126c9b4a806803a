"""cirrus specifics: timestamp-signed requests and clock skew, sbx: tokens, levels with
farsiDocs, FRONT before BACK, no uploads while pending, RETRY vs FINAL, webhooks with
the digest algorithm in a header."""

from __future__ import annotations

import dataclasses
import time

import anyio
import httpx
import pytest

from kyc_sdk import KYC, Decision
from kyc_sdk.errors import AuthenticationFailed, InputError, ProviderProtocolError, WebhookRejected
from kyc_sdk.models import DocumentType
from kyc_sdk.providers._signing import hmac_hex
from kyc_sdk.providers.cirrus import DIGESTS, CirrusProvider
from kyc_sdk.sandbox import Sandboxes, apply_scenario, scenario
from kyc_sdk.sandbox import settings as sandbox_settings
from kyc_sdk.sandbox.cirrus import WEBHOOK_SECRET
from tests.providers.conftest import FAST, base_request, run, sandboxes

NOW = 1_800_000_000.0


def variant(provider: CirrusProvider, **changes: object) -> CirrusProvider:
    return CirrusProvider(dataclasses.replace(provider.settings, **changes))  # type: ignore[arg-type]


def with_options(reference: str, **options: object) -> object:
    return dataclasses.replace(base_request(reference), options={"cirrus": options})


@pytest.mark.parametrize("driver", ["sync", "async"])
@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"app_token": "sbx:someone-else"}, "4001"),
        ({"app_token": "prd:cirrus-app-token-5e1f"}, "4001"),  # a production token on the sandbox
        ({"secret_key": "wrong"}, "4003"),
    ],
)
def test_bad_credentials_are_refused(driver: str, change: dict, code: str) -> None:
    with sandboxes(["cirrus"], "in-process") as (providers, http, apps):
        with pytest.raises(AuthenticationFailed) as info:
            run(driver, [variant(providers[0], **change)], http, base_request())
        assert not apps["cirrus"].applicants
    assert info.value.vendor_code == code and info.value.status == 401 and info.value.correlation_id


@pytest.mark.parametrize("driver", ["sync", "async"])
@pytest.mark.parametrize(("skew", "ok"), [(-55, True), (55, True), (-65, False), (120, False)])
def test_clock_skew_beyond_60_seconds_is_4004(driver: str, skew: int, ok: bool) -> None:
    with sandboxes(["cirrus"], "in-process") as (providers, http, _):
        skewed = {"now": lambda: time.time() + skew}  # the driver's clock signs the stamp
        if ok:
            assert run(driver, providers, http, base_request(), **skewed).decision is Decision.APPROVED
            return
        with pytest.raises(AuthenticationFailed) as info:
            run(driver, providers, http, base_request(), **skewed)
    assert info.value.vendor_code == "4004"


def test_the_signature_covers_the_query() -> None:
    with Sandboxes(["cirrus"]) as sb, httpx.Client(transport=sb.transport) as http:
        adapter = sb.providers()[0]
        good = adapter._req(
            "POST",
            "/resources/applicants",
            now=time.time,
            params={"levelName": "fa-kyc"},
            json={"externalUserId": "q"},
        )
        forged = httpx.Request(
            "POST",
            good.url.copy_with(query=b"levelName=basic-kyc"),
            headers=good.headers,
            content=good.content,
        )
        assert http.send(forged).json()["errorCode"] == 4003
        assert http.send(good).status_code == 201


@pytest.mark.parametrize("driver", ["sync", "async"])
def test_farsi_documents_need_the_level_flag(driver: str) -> None:
    passport = dataclasses.replace(
        base_request("pp"),
        evidence=dataclasses.replace(base_request().evidence, document_type=DocumentType.PASSPORT),
    )
    with sandboxes(["cirrus"], "in-process") as (providers, http, _):
        basic = variant(providers[0], level_name="basic-kyc")
        with pytest.raises(ProviderProtocolError) as info:
            run(driver, [basic], http, base_request("fa"))
        assert run(driver, [basic], http, passport).decision is Decision.APPROVED  # Latin MRZ: no flag needed
        assert run(driver, providers, http, base_request("fa2")).decision is Decision.APPROVED  # farsiDocs on
    assert info.value.vendor_code == "1008" and info.value.status == 400


def test_front_goes_before_back_and_back_first_never_completes() -> None:
    with (
        Sandboxes(["cirrus"]) as sb,
        KYC(sb.providers(), transport=sb.transport) as kyc,
        httpx.Client(transport=sb.transport) as http,
    ):
        result = kyc.verify(base_request("order"))
        app = sb.apps["cirrus"]
        sides = [d["idDocSubType"] for d in app.applicants[result.reference]["docs"]]
        adapter = sb.providers()[0]
        made = http.send(
            adapter._req(
                "POST",
                "/resources/applicants",
                now=time.time,
                params={"levelName": "fa-kyc"},
                json={"externalUserId": "back-first"},
            )
        ).json()["id"]
        for side in ("BACK_SIDE", "FRONT_SIDE"):
            meta = f'{{"idDocType": "ID_CARD", "idDocSubType": "{side}", "country": "IRN"}}'
            http.send(
                adapter._req(
                    "POST",
                    f"/resources/applicants/{made}/info/idDoc",
                    now=time.time,
                    data={"metadata": meta},
                    files={"content": ("x.png", b"\x89PNG\r\n\x1a\n", "image/png")},
                )
            )
        http.send(adapter._req("POST", f"/resources/applicants/{made}/status/pending", now=time.time))
        reads = [
            http.send(adapter._req("GET", f"/resources/applicants/{made}/status", now=time.time)).json()[
                "reviewStatus"
            ]
            for _ in range(4)
        ]
    assert sides == ["FRONT_SIDE", "BACK_SIDE", None]
    assert reads == ["pending"] * 4


@pytest.mark.parametrize("driver", ["sync", "async"])
def test_uploads_are_refused_while_pending(driver: str) -> None:
    with sandboxes(["cirrus"], "in-process") as (providers, http, _):
        pending = run(driver, providers, http, base_request("busy"), wait=False)
        with pytest.raises(ProviderProtocolError) as info:
            run(driver, providers, http, with_options("busy", applicant_id=pending.reference))
    assert pending.decision is Decision.PENDING
    assert info.value.vendor_code == "1006" and info.value.status == 409


@pytest.mark.parametrize("driver", ["sync", "async"])
def test_retry_takes_a_new_upload_but_final_is_final(driver: str) -> None:
    retry = scenario("cirrus", "retry").control["options"]["test_completed"]
    final = scenario("cirrus", "declined").control["options"]["test_completed"]
    with sandboxes(["cirrus"], "in-process") as (providers, http, apps):
        first = run(driver, providers, http, with_options("again", test_completed=retry))
        second = run(driver, providers, http, with_options("again", applicant_id=first.reference))
        refused = run(driver, providers, http, with_options("fin", test_completed=final))
        still = run(driver, providers, http, with_options("fin", applicant_id=refused.reference))
        app = apps["cirrus"]
    assert (first.decision, second.decision) == (Decision.RETRY, Decision.APPROVED)
    assert app.applicants[first.reference]["attemptCnt"] == 2
    assert refused.decision is still.decision is Decision.DECLINED and still.reasons == ("forgery",)
    assert len(app.applicants[refused.reference]["docs"]) == 3  # no upload after FINAL


def test_file_too_big_is_1002_and_test_completed_needs_a_sandbox() -> None:
    with (
        Sandboxes(["cirrus"], max_file_bytes=64) as sb,
        KYC(sb.providers(), transport=sb.transport) as kyc,
        pytest.raises(ProviderProtocolError) as info,
    ):
        kyc.verify(base_request("big"))
    assert info.value.vendor_code == "1002"
    live = variant(CirrusProvider(sandbox_settings("cirrus", "http://c")), sandbox=False)
    with pytest.raises(InputError):
        next(live.flow(with_options("x", test_completed={"reviewAnswer": "GREEN"}), now=time.time))


# Webhooks --------------------------------------------------------------------------------


def events_of(faults: list[str], alg: str = "HMAC_SHA256_HEX") -> tuple[list, object]:
    retry = scenario("cirrus", "retry").control["options"]["test_completed"]
    with (
        Sandboxes(["cirrus"], faults={"cirrus": faults}, webhook_alg=alg) as sb,
        KYC(sb.providers(), transport=sb.transport, backoff=FAST) as kyc,
    ):
        first = kyc.verify(with_options("hook", test_completed=retry))
        final = kyc.verify(with_options("hook", applicant_id=first.reference))
        app = sb.apps["cirrus"]
        anyio.run(app.flush_webhooks)
    adapter = CirrusProvider(sandbox_settings("cirrus", "http://c"))
    return [adapter.parse_webhook(d.headers, d.body, now=time.time()) for d in app.outbox], final


def state(events: list) -> tuple[str | None, Decision | None]:
    newest = max(events, key=lambda e: e.payload["createdAtMs"])
    return newest.status, newest.decision


@pytest.mark.parametrize("alg", sorted(DIGESTS))
def test_webhooks_verify_with_each_algorithm(alg: str) -> None:
    events, final = events_of([], alg)
    assert [e.event for e in events] == [
        "applicantCreated",
        "applicantPending",
        "applicantReviewed",
        "applicantPending",
        "applicantReviewed",
    ]
    assert [e.decision for e in events if e.event == "applicantReviewed"] == [
        Decision.RETRY,
        Decision.APPROVED,
    ]
    assert state(events) == ("completed", final.decision)


@pytest.mark.parametrize("faults", [["webhook_duplicate"], ["webhook_reorder"]])
def test_duplicate_or_reordered_webhooks_give_the_same_final_state(faults: list[str]) -> None:
    events, final = events_of(faults)
    assert state(events) == ("completed", Decision.APPROVED) and final.decision is Decision.APPROVED


def test_webhook_digest_rules() -> None:
    adapter = CirrusProvider(sandbox_settings("cirrus", "http://c"))
    body = (
        b'{"type": "applicantReviewed", "applicantId": "a1", "reviewStatus": "completed", '
        b'"reviewResult": {"reviewAnswer": "RED", "reviewRejectType": "FINAL"}, "createdAtMs": 1800000000000}'
    )
    good = {
        "X-Payload-Digest": hmac_hex(WEBHOOK_SECRET, body, "sha512"),
        "X-Payload-Digest-Alg": "HMAC_SHA512_HEX",
    }
    assert adapter.parse_webhook(good, body, now=NOW).decision is Decision.DECLINED
    bad = [
        {**good, "X-Payload-Digest-Alg": "HMAC_SHA256_HEX"},  # the header names another algorithm
        {**good, "X-Payload-Digest-Alg": "MD5_HEX"},
        {"X-Payload-Digest-Alg": "HMAC_SHA512_HEX"},
        {**good, "X-Payload-Digest": hmac_hex("other", body, "sha512")},
    ]
    for headers in bad:
        with pytest.raises(WebhookRejected):
            adapter.parse_webhook(headers, body, now=NOW)
    odd = b'{"type": "applicantReviewed", "applicantId": "a1", "reviewStatus": "completed"}'
    with pytest.raises(WebhookRejected):  # completed without a reviewResult says nothing
        adapter.parse_webhook(
            {
                "X-Payload-Digest": hmac_hex(WEBHOOK_SECRET, odd, "sha1"),
                "X-Payload-Digest-Alg": "HMAC_SHA1_HEX",
            },
            odd,
            now=NOW,
        )


def test_completed_without_review_result_is_a_protocol_error() -> None:
    adapter = CirrusProvider(sandbox_settings("cirrus", "http://c"))
    with pytest.raises(ProviderProtocolError):
        adapter._result("a1", {"reviewStatus": "completed"})
    with pytest.raises(ProviderProtocolError):
        adapter._result("a1", {"reviewStatus": "completed", "reviewResult": {"reviewAnswer": "AMBER"}})


@pytest.mark.parametrize("driver", ["sync", "async"])
def test_signed_requests_over_a_real_socket(driver: str) -> None:
    with sandboxes(["cirrus"], "loopback") as (providers, http, _):
        for name in ("retry", "review"):
            item = scenario("cirrus", name)
            result = run(driver, providers, http, apply_scenario(base_request(f"sock-{name}"), item))
            assert result.decision is Decision(item.expected["decision"]), name
            assert list(result.reasons) == item.expected["reasons"]


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
    b'{"id": 5}',
    b'{"reviewStatus": 7}',
    b'{"reviewStatus": "completed"}',
    b'{"reviewStatus": "completed", "reviewResult": []}',
    b'{"reviewStatus": "completed", "reviewResult": {"reviewAnswer": "RED", "rejectLabels": 5}}',
]


@pytest.mark.parametrize("body", BROKEN)
def test_broken_answers_are_protocol_errors_never_crashes(body: bytes) -> None:
    refused = 0
    for index in range(1, 9):
        with (
            Sandboxes(["cirrus"]) as sb,
            KYC(sb.providers(), transport=Breaking(sb.transport, index, body)) as kyc,
        ):
            try:
                result = kyc.verify(base_request(f"broken-{index}"))
            except ProviderProtocolError:
                refused += 1
                continue
            assert result.decision in Decision  # an answer the adapter may ignore (an upload's)
    assert refused >= 1  # somewhere in the flow this answer matters


@pytest.mark.parametrize(
    ("correlation", "kept"),
    [("req-0a1b2c", True), ("x" * 500, False), ("req-\u06f1", False), (["req-1"], False), (None, False)],
)
def test_the_correlation_id_is_kept_only_when_it_is_a_short_plain_word(
    correlation: object, kept: bool
) -> None:
    refused = {"errorCode": 4003, "code": 401, "correlationId": correlation}
    with (
        KYC(
            [CirrusProvider(sandbox_settings("cirrus", "http://c"))],
            transport=httpx.MockTransport(lambda request: httpx.Response(401, json=refused)),
        ) as kyc,
        pytest.raises(AuthenticationFailed) as info,
    ):
        kyc.verify(base_request("corr"))
    assert info.value.vendor_code == "4003"
    assert info.value.correlation_id == (correlation if kept else None)
