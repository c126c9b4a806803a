"""borealis specifics: HMAC on requests and answers with two secrets, null-until-decided
polling, 409 after submit, nine resubmissions then 539, tolerant 9104, webhooks."""

from __future__ import annotations

import dataclasses
import json
import time

import anyio
import httpx
import pytest

from kyc_sdk import KYC, Decision
from kyc_sdk.errors import (
    AuthenticationFailed,
    ImageRejected,
    InputError,
    NoProviderAvailable,
    ProviderProtocolError,
    RateLimited,
    WebhookRejected,
)
from kyc_sdk.models import Evidence
from kyc_sdk.providers._signing import hmac_hex
from kyc_sdk.providers.borealis import BorealisProvider
from kyc_sdk.sandbox import Sandboxes, apply_scenario, scenario
from kyc_sdk.sandbox import settings as sandbox_settings
from kyc_sdk.sandbox.borealis import SECRETS
from tests.providers.conftest import FAST, base_request, run, sandboxes

NOW = 1_800_000_000.0


def forced(reference: str, decision: str, **extra: object) -> object:
    request = base_request(reference)
    return dataclasses.replace(
        request, options={"borealis": {"force_decision": {"decision": decision, **extra}}}
    )


def variant(provider: BorealisProvider, **changes: object) -> BorealisProvider:
    return BorealisProvider(dataclasses.replace(provider.settings, **changes))


@pytest.mark.parametrize("driver", ["sync", "async"])
@pytest.mark.parametrize(
    ("change", "code"),
    [({"api_key": "bor_sandbox_other"}, "1001"), ({"shared_secrets": ("not-the-secret",)}, "1002")],
)
def test_wrong_client_or_secret_is_refused(driver: str, change: dict, code: str) -> None:
    with sandboxes(["borealis"], "in-process") as (providers, http, apps):
        with pytest.raises(AuthenticationFailed) as info:
            run(driver, [variant(providers[0], **change)], http, base_request())
        assert not apps["borealis"].sessions  # nothing was created
    assert info.value.vendor_code == code and info.value.status == 401


@pytest.mark.parametrize("driver", ["sync", "async"])
def test_rotation_either_secret_signs_and_answers_must_verify(driver: str) -> None:
    with sandboxes(["borealis"], "in-process") as (providers, http, _):
        newer = run(
            driver, [variant(providers[0], shared_secrets=(SECRETS[1],))], http, base_request("rot-1")
        )
        # A client that knows only the retired secret is heard, but cannot trust the answer.
        with pytest.raises(AuthenticationFailed, match="answer signature"):
            run(driver, [variant(providers[0], shared_secrets=(SECRETS[0],))], http, base_request("rot-2"))
    assert newer.decision is Decision.APPROVED


def test_decision_is_null_until_decided_and_pending_without_wait() -> None:
    with (
        Sandboxes(["borealis"]) as sb,
        KYC(sb.providers(), transport=sb.transport) as kyc,
        httpx.Client(transport=sb.transport) as http,
    ):
        pending = kyc.verify(base_request("null"), wait=False)
        adapter = sb.providers()[0]
        path = f"/v1/sessions/{pending.reference}/decision"
        first = http.send(adapter._req("GET", path, session=pending.reference))
        second = http.send(adapter._req("GET", path, session=pending.reference))
        app = sb.apps["borealis"]
    assert pending.decision is Decision.PENDING and pending.raw_status == "submitted"
    assert first.json() == {"status": "success", "verification": None}
    assert (
        second.json()["verification"]["status"] == "approved"
        and second.json()["verification"]["code"] == 9001
    )
    assert first.headers["x-hmac-signature"] == hmac_hex(SECRETS[-1], first.content)
    assert app.billed == 1


@pytest.mark.parametrize("driver", ["sync", "async"])
def test_media_after_submit_is_a_conflict(driver: str) -> None:
    with sandboxes(["borealis"], "in-process") as (providers, http, _):
        pending = run(driver, providers, http, base_request("409"), wait=False)
        again = dataclasses.replace(
            base_request("409"), options={"borealis": {"session_id": pending.reference}}
        )
        with pytest.raises(ProviderProtocolError) as info:  # not retryable: raised as it is
            run(driver, providers, http, again)
    assert info.value.vendor_code == "1301" and info.value.status == 409


@pytest.mark.slow  # about a second: the quick loop (make check) leaves it to the full run
@pytest.mark.parametrize("driver", ["sync", "async"])
def test_nine_resubmissions_then_539(driver: str) -> None:
    outcomes = []
    with sandboxes(["borealis"], "in-process") as (providers, http, apps):
        first = run(driver, providers, http, forced("resub", "resubmission_requested", reasonCode=201))
        outcomes.append(first)
        for _ in range(9):
            request = forced("resub", "resubmission_requested", reasonCode=201)
            request = dataclasses.replace(
                request, options={"borealis": {**request.options["borealis"], "session_id": first.reference}}
            )
            outcomes.append(run(driver, providers, http, request))
        app = apps["borealis"]
    assert [o.decision for o in outcomes[:9]] == [Decision.RETRY] * 9
    assert outcomes[9].decision is Decision.DECLINED and outcomes[9].reasons == ("resubmission_limit",)
    assert outcomes[9].raw_codes == ("9102", "539")
    assert len(app.sessions) == 1 and app.billed == 1  # billed once, for a decided session


def test_code_9104_is_read_tolerantly() -> None:
    adapter = BorealisProvider(sandbox_settings("borealis", "http://b"))
    request = base_request()
    abandoned = adapter._result("s1", {"status": "abandoned", "code": 9104}, request)
    no_word = adapter._result("s1", {"code": 9104}, request)
    assert abandoned.decision is no_word.decision is Decision.RETRY
    assert abandoned.raw_status == "abandoned/9104"
    with pytest.raises(ProviderProtocolError):
        adapter._result("s1", {"status": "mystery", "code": 1234}, request)
    with pytest.raises(ProviderProtocolError):
        adapter._result("s1", {"status": "submitted", "code": 7002}, request)


@pytest.mark.parametrize("driver", ["sync", "async"])
def test_rate_limit_carries_retry_after(driver: str) -> None:
    faults = {"borealis": ["rate_limited"]}
    with (
        sandboxes(["borealis"], "in-process", faults=faults) as (providers, http, _),
        pytest.raises(NoProviderAvailable) as info,
    ):
        run(driver, providers, http, base_request())
    err = info.value.errors[0]
    assert isinstance(err, RateLimited) and err.retry_after == 2.0 and err.vendor_code == "1429"


def test_unknown_session_and_sandbox_error_envelope() -> None:
    with Sandboxes(["borealis"]) as sb, httpx.Client(transport=sb.transport) as http:
        adapter = sb.providers()[0]
        missing = http.send(adapter._req("GET", "/v1/sessions/nope/decision", session="nope"))
        bad = http.send(adapter._req("POST", "/v1/sessions", body={"verification": {}}))
    assert missing.status_code == 404 and missing.json() == {
        "status": "fail",
        "code": "1201",
        "message": "Session not found.",
    }
    assert bad.status_code == 400 and bad.json()["code"] == "1102"
    with pytest.raises(ProviderProtocolError) as info:
        adapter.decipher(missing)
    assert info.value.vendor_code == "1201" and info.value.status == 404


def test_oversized_image_is_refused_before_sending_and_force_needs_a_sandbox() -> None:
    with Sandboxes(["borealis"]) as sb, KYC(sb.providers(), transport=sb.transport) as kyc:
        big = dataclasses.replace(
            base_request(), evidence=Evidence(document_front=b"\xff" * (19 * 1024 * 1024))
        )
        with pytest.raises(ImageRejected):
            kyc.verify(big)
        assert not sb.apps["borealis"].sessions
    live = variant(sb.providers()[0], sandbox=False)
    with pytest.raises(InputError):
        next(live.flow(forced("x", "declined"), now=time.time))


# Webhooks --------------------------------------------------------------------------------


def decisions(faults: list[str]) -> tuple[list, object]:
    """Webhooks of a session decided RETRY then APPROVED (second attempt)."""
    with (
        Sandboxes(["borealis"], faults={"borealis": faults}) as sb,
        KYC(sb.providers(), transport=sb.transport, backoff=FAST) as kyc,
    ):
        first = kyc.verify(forced("hook", "resubmission_requested", reasonCode=201))
        again = dataclasses.replace(
            base_request("hook"), options={"borealis": {"session_id": first.reference}}
        )
        final = kyc.verify(again)
        app = sb.apps["borealis"]
        anyio.run(app.flush_webhooks)
        return list(app.outbox), final


def newest(events: list) -> object:
    return max(events, key=lambda e: e.payload["verification"]["decisionTime"])


@pytest.mark.parametrize("faults", [[], ["webhook_duplicate"], ["webhook_reorder"]])
def test_webhooks_duplicate_or_reordered_give_the_same_final_result(faults: list[str]) -> None:
    outbox, final = decisions(faults)
    adapter = BorealisProvider(sandbox_settings("borealis", "http://b"))
    events = [adapter.parse_webhook(d.headers, d.body, now=time.time()) for d in outbox]
    assert len(events) == (4 if faults == ["webhook_duplicate"] else 2)
    assert newest(events).decision is final.decision is Decision.APPROVED
    assert newest(events).reference == final.reference
    text = json.dumps([e.payload for e in events], ensure_ascii=False)
    assert "0499370899" not in text and "رضایی" not in text  # payloads are redacted


def test_webhook_signature_rules() -> None:
    outbox, _ = decisions([])
    adapter = BorealisProvider(sandbox_settings("borealis", "http://b"))
    body = outbox[-1].body
    for secret in SECRETS:  # either active secret is accepted during rotation
        assert adapter.parse_webhook(
            {"X-HMAC-SIGNATURE": hmac_hex(secret, body)}, body, now=time.time()
        ).decision
    for headers, payload in [
        ({"X-HMAC-SIGNATURE": hmac_hex("old", body)}, body),
        ({}, body),
        ({"X-HMAC-SIGNATURE": hmac_hex(SECRETS[0], body)}, body + b" "),
        ({"X-HMAC-SIGNATURE": hmac_hex(SECRETS[0], b"[]")}, b"[]"),
    ]:
        with pytest.raises(WebhookRejected):
            adapter.parse_webhook(headers, payload, now=NOW)


@pytest.mark.parametrize("driver", ["sync", "async"])
def test_scenarios_over_a_real_socket_with_signed_answers(driver: str) -> None:
    with sandboxes(["borealis"], "loopback") as (providers, http, _):
        assert providers[0].settings.base_url.startswith("http://127.0.0.1:")
        for name in ("declined", "abandoned"):
            item = scenario("borealis", name)
            result = run(driver, providers, http, apply_scenario(base_request(f"sock-{name}"), item))
            assert result.decision is Decision(item.expected["decision"]), name


class Breaking(httpx.BaseTransport):
    """The sandbox, except that answer number ``index`` is replaced by ``body`` (signed,
    so the adapter must read it): a vendor that breaks its own contract mid-flow."""

    def __init__(self, inner: httpx.BaseTransport, index: int, body: bytes) -> None:
        self.inner, self.index, self.body, self.count = inner, index, body, 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self.inner.handle_request(request)
        self.count += 1
        if self.count != self.index:
            return response
        return httpx.Response(
            200,
            content=self.body,
            request=request,
            headers={"X-HMAC-SIGNATURE": hmac_hex(SECRETS[-1], self.body)},
        )


BROKEN = [
    b"{}",
    b"[]",
    b"null",
    b'"x"',
    b'{"status": "success"}',
    b'{"status": "success", "verification": 5}',
    b'{"status": "success", "verification": {"id": 5}}',
    b'{"status": "success", "verification": {"code": "x"}}',
    b'{"status": "success", "verification": {"status": ["approved"]}}',
]


@pytest.mark.parametrize("body", BROKEN)
def test_broken_answers_are_protocol_errors_never_crashes(body: bytes) -> None:
    refused = 0
    for index in range(1, 9):
        with (
            Sandboxes(["borealis"]) as sb,
            KYC(sb.providers(), transport=Breaking(sb.transport, index, body)) as kyc,
        ):
            try:
                result = kyc.verify(base_request(f"broken-{index}"))
            except ProviderProtocolError:
                refused += 1
                continue
            assert result.decision in Decision  # an answer the adapter may ignore (an upload's)
    assert refused >= 1  # somewhere in the flow this answer matters
