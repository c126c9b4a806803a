"""Each adapter's signing and verifying against the same published vectors, through its
public behaviour only: the requests its ``flow`` yields (fixed settings, a fixed clock)
and what it makes of the answers and webhooks it is handed.

For the lead (what these tests lean on while the adapters are rewritten):
- ``kyc_sdk.sandbox.provider(style, **overrides)``: the registry's adapter, built from
  its ``settings_class`` with the sandbox's credentials and these settings fields;
- a flow is a generator that yields ``httpx.Request`` and is sent ``httpx.Response``;
  these flows never reach a ``Wait``;
- the driver's clock (``now``) is pinned to the vector's time, so the requests' stamps
  and signatures (cirrus, fjord) must equal the published ones.
"""

from __future__ import annotations

import json
from collections.abc import Generator
from typing import Any

import httpx
import pytest

from kyc_sdk.errors import AuthenticationFailed, WebhookRejected
from kyc_sdk.models import CheckKind, Decision, Subject, VerificationRequest, VerificationResult
from kyc_sdk.sandbox import provider, sample_request
from tests.vectors.published import vectors

T = 1767225600.0


def at(t: float) -> Any:
    """A driver clock stopped at ``t``."""
    return lambda: t


Flow = Generator[Any, Any, VerificationResult]


def flipped(text: str) -> str:
    return text[:-1] + ("0" if text[-1] != "0" else "1")


def tampered(body: str) -> bytes:
    """The body with one byte changed inside it (still valid JSON)."""
    return body.replace("vector", "vectos", 1).encode()


def answer(request: httpx.Request, body: str, **headers: str) -> httpx.Response:
    return httpx.Response(200, content=body.encode(), headers=headers, request=request)


def first(flow: Flow) -> httpx.Request:
    request = next(flow)
    assert isinstance(request, httpx.Request)
    return request


def reply(flow: Flow, response: httpx.Response) -> Any:
    """What the flow does with ``response``: its next request, or its result."""
    try:
        return flow.send(response)
    except StopIteration as done:
        return done.value


# aurora ------------------------------------------------------------------------------------


def test_aurora_verifies_webhooks_as_published() -> None:
    v = vectors("aurora")["webhook"]
    adapter = provider("aurora", webhook_token=v["secret"])
    headers = {"X-SHA2-Signature": v["X-SHA2-Signature"]}
    event = adapter.parse_webhook(headers, v["body"].encode(), now=float(v["received_at"]))
    assert (event.event, event.reference, event.status) == (
        "check.completed",
        "chk_vector0000000001",
        "complete",
    )
    with pytest.raises(WebhookRejected):
        adapter.parse_webhook(headers, tampered(v["body"]), now=float(v["received_at"]))


# borealis ----------------------------------------------------------------------------------


def test_borealis_signs_a_session_read_and_verifies_answers_as_published() -> None:
    """A resubmission in a known session: PATCH (answered with a vector), then the decision
    read, signed over the session id, answered with the decision vector."""
    vs = vectors("borealis")
    get, submitted, decided = vs["request-get"], vs["answer-submitted"], vs["answer-decision"]
    adapter = provider("borealis", shared_secrets=(get["secret"], decided["secret"]))
    request = VerificationRequest(
        Subject(), reference="vector-1", options={"borealis": {"session_id": get["session"]}}
    )
    flow = adapter.flow(request, now=at(T))
    patch = first(flow)
    assert (patch.method, patch.url.path) == ("PATCH", f"/v1/sessions/{get['session']}")
    read = reply(
        flow, answer(patch, submitted["body"], **{"X-HMAC-SIGNATURE": submitted["X-HMAC-SIGNATURE"]})
    )
    assert (read.method, read.url.path) == (get["method"], get["path"])
    assert read.headers["X-HMAC-SIGNATURE"] == get["X-HMAC-SIGNATURE"]
    result = reply(flow, answer(read, decided["body"], **{"X-HMAC-SIGNATURE": decided["X-HMAC-SIGNATURE"]}))
    assert isinstance(result, VerificationResult)
    assert result.decision is Decision.APPROVED


def test_borealis_refuses_an_answer_that_is_not_the_signed_one() -> None:
    v = vectors("borealis")["answer-submitted"]
    adapter = provider("borealis", shared_secrets=(v["secret"],))
    session = vectors("borealis")["request-get"]["session"]
    flow = adapter.flow(
        VerificationRequest(Subject(), options={"borealis": {"session_id": session}}), now=at(T)
    )
    patch = first(flow)
    changed = v["body"].replace("7002", "7001")
    with pytest.raises(AuthenticationFailed):
        reply(flow, answer(patch, changed, **{"X-HMAC-SIGNATURE": v["X-HMAC-SIGNATURE"]}))


def test_borealis_verifies_decision_webhooks_as_published() -> None:
    v = vectors("borealis")["answer-decision"]
    adapter = provider("borealis", shared_secrets=(v["secret"],))
    headers = {"X-HMAC-SIGNATURE": v["X-HMAC-SIGNATURE"]}
    event = adapter.parse_webhook(headers, v["body"].encode(), now=float(v["received_at"]))
    assert event.decision is Decision.APPROVED
    with pytest.raises(WebhookRejected):
        adapter.parse_webhook(headers, tampered(v["body"]), now=float(v["received_at"]))


# cirrus ------------------------------------------------------------------------------------


def test_cirrus_signs_requests_as_published() -> None:
    """With a reference, the flow first looks the applicant up: a GET with no body."""
    v = vectors("cirrus")["request-get"]
    adapter = provider("cirrus", secret_key=v["secret"], app_token=v["X-App-Token"])
    clock = at(float(v["X-App-Access-Ts"]))
    request = first(adapter.flow(VerificationRequest(Subject(), reference="vector-1"), now=clock))
    assert (request.method, request.url.raw_path.decode(), request.content) == (v["method"], v["path"], b"")
    assert request.headers["X-App-Access-Ts"] == v["X-App-Access-Ts"]
    assert request.headers["X-App-Access-Sig"] == v["X-App-Access-Sig"]


@pytest.mark.parametrize("alg", ["sha1", "sha256", "sha512"])
def test_cirrus_verifies_webhook_digests_as_published(alg: str) -> None:
    v = vectors("cirrus")[f"webhook-{alg}"]
    adapter = provider("cirrus", webhook_secret=v["secret"])
    headers = {"X-Payload-Digest": v["X-Payload-Digest"], "X-Payload-Digest-Alg": v["X-Payload-Digest-Alg"]}
    event = adapter.parse_webhook(headers, v["body"].encode(), now=float(v["received_at"]))
    assert (event.status, event.decision) == ("completed", Decision.APPROVED)
    with pytest.raises(WebhookRejected):
        adapter.parse_webhook(headers, tampered(v["body"]), now=float(v["received_at"]))


# delta -------------------------------------------------------------------------------------


def test_delta_asks_for_a_token_with_the_published_credential() -> None:
    v = vectors("delta")["token-request"]
    adapter = provider("delta", client_id=v["client_id"], client_secret=v["client_secret"])
    request = first(
        adapter.flow(sample_request(VerificationRequest(Subject(), reference="vector-1")), now=at(T))
    )
    assert (request.method, request.url.path) == (v["method"], v["path"])
    assert request.headers["Authorization"] == v["Authorization"]


# echo --------------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "secret"), [("webhook", "secret"), ("webhook-rotating", "previous_secret")])
def test_echo_verifies_webhooks_as_published(name: str, secret: str) -> None:
    """A receiver that knows only the previous secret accepts the rotating header's second pair."""
    v = vectors("echo")[name]
    adapter = provider("echo", webhook_secrets=(v[secret],))
    headers = {"Echo-Signature": v["Echo-Signature"]}
    event = adapter.parse_webhook(headers, v["body"].encode(), now=float(v["received_at"]))
    assert (event.event, event.decision) == ("inquiry.approved", Decision.APPROVED)
    with pytest.raises(WebhookRejected):
        adapter.parse_webhook(headers, tampered(v["body"]), now=float(v["received_at"]))
    with pytest.raises(WebhookRejected):  # the signed t is part of the message
        adapter.parse_webhook(
            {"Echo-Signature": v["Echo-Signature"].replace(v["t"], str(int(v["t"]) + 1))},
            v["body"].encode(),
            now=float(v["received_at"]),
        )


# fjord -------------------------------------------------------------------------------------


def fjord_signed(v: dict[str, str], signature: str, **body: Any) -> str:
    return json.dumps(
        {**body, "partner_id": v["partner_id"], "timestamp": v["timestamp"], "signature": signature}
    )


def test_fjord_signs_and_verifies_as_published() -> None:
    """The synchronous registry call, at the vector's time: the request and the answer
    carry the vector's timestamp and signature."""
    v = vectors("fjord")["signature"]
    adapter = provider("fjord", api_key=v["api_key"], partner_id=v["partner_id"])
    result_words = {"ResultCode": "1012", "IsFinalResult": "true", "SmileJobID": "0000000001", "Actions": {}}
    request = VerificationRequest(
        Subject(national_code="0499370899"), reference="vector-1", checks=frozenset({CheckKind.REGISTRY})
    )
    for signature, accepted in ((v["signature"], True), (flipped(v["signature"]), False)):
        flow = adapter.flow(request, now=at(float(v["received_at"])))
        call = first(flow)
        sent = json.loads(call.content)
        assert (sent["partner_id"], sent["timestamp"]) == (v["partner_id"], v["timestamp"])
        assert sent["signature"] == v["signature"]
        if accepted:
            result = reply(flow, answer(call, fjord_signed(v, signature, **result_words)))
            assert result.decision is Decision.APPROVED
        else:
            with pytest.raises(AuthenticationFailed):
                reply(flow, answer(call, fjord_signed(v, signature, **result_words)))


def test_fjord_verifies_callbacks_as_published() -> None:
    v = vectors("fjord")["signature"]
    adapter = provider("fjord", api_key=v["api_key"], partner_id=v["partner_id"])
    words = {
        "PartnerParams": {"job_id": "job-v", "user_id": "usr-v"},
        "IsFinalResult": "true",
        "ResultCode": "1012",
    }
    event = adapter.parse_webhook(
        {}, fjord_signed(v, v["signature"], **words).encode(), now=float(v["received_at"])
    )
    assert event.hint and event.payload == {"job_id": "job-v", "user_id": "usr-v"}
    bad = fjord_signed(v, flipped(v["signature"]), **words).encode()
    with pytest.raises(WebhookRejected):
        adapter.parse_webhook({}, bad, now=float(v["received_at"]))


# gilan -------------------------------------------------------------------------------------


def test_gilan_verifies_webhooks_as_published() -> None:
    v = vectors("gilan")["webhook"]
    adapter = provider("gilan", webhook_secret=v["secret"])
    headers = {"X-Gilan-Timestamp": v["X-Gilan-Timestamp"], "X-Gilan-Signature": v["X-Gilan-Signature"]}
    event = adapter.parse_webhook(headers, v["body"].encode(), now=float(v["received_at"]))
    assert (event.reference, event.decision) == ("vector-tn-1", Decision.APPROVED)
    with pytest.raises(WebhookRejected):
        adapter.parse_webhook(headers, tampered(v["body"]), now=float(v["received_at"]))
    moved = {**headers, "X-Gilan-Timestamp": str(int(v["X-Gilan-Timestamp"]) + 1)}
    with pytest.raises(WebhookRejected):  # the timestamp is covered too
        adapter.parse_webhook(moved, v["body"].encode(), now=float(v["received_at"]))
