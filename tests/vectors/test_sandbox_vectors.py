"""Each sandbox's own signing and verifying against the published vectors: its functions
give the vectors' values, and over loopback HTTP a sandbox accepts a request carrying a
vector's signature and refuses it with one character changed.

The vectors are written in the sandbox's public test credentials, so they double as a
check that those credentials are the ones the pages publish."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from kyc_sdk.sandbox import aurora, borealis, cirrus, create, delta, echo, fjord, gilan
from kyc_sdk.sandbox.serve import serving
from tests.vectors.published import vectors

T = 1767225600.0  # every vector's clock


def flipped(text: str) -> str:
    """``text`` with its last character changed (still ASCII, same length)."""
    return text[:-1] + ("0" if text[-1] != "0" else "1")


@contextlib.contextmanager
def client(style: str, **kw: Any) -> Iterator[httpx.Client]:
    """A client of ``style``'s sandbox on loopback, with the sandbox's clock at ``T``."""
    with serving(create(style, clock=lambda: T, **kw)) as url, httpx.Client(base_url=url, timeout=10) as c:
        yield c


# aurora ------------------------------------------------------------------------------------


def test_aurora_signs_webhooks_as_published() -> None:
    v = vectors("aurora")["webhook"]
    assert v["secret"] == aurora.WEBHOOK_TOKEN
    assert aurora.sign(v["body"].encode()) == v["X-SHA2-Signature"]


# borealis ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["request-get", "request-patch"])
def test_borealis_request_signatures(name: str) -> None:
    v = vectors("borealis")[name]
    assert v["secret"] in borealis.SECRETS
    content = borealis.signed_content(v["method"], v["body"].encode(), v["session"])
    assert borealis.sign(content, v["secret"]) == v["X-HMAC-SIGNATURE"]


@pytest.mark.parametrize("name", ["answer-submitted", "answer-decision"])
def test_borealis_answers_are_signed_with_the_newer_secret(name: str) -> None:
    v = vectors("borealis")[name]
    assert v["secret"] == borealis.SECRETS[-1]
    assert borealis.sign(v["body"].encode()) == v["X-HMAC-SIGNATURE"]


def test_borealis_sandbox_checks_request_signatures_over_http() -> None:
    """The vector's session does not exist: a good signature gets as far as 404 (1201),
    a bad one stops at 401 (1002)."""
    with client("borealis") as c:
        for name in ("request-get", "request-patch"):
            v = vectors("borealis")[name]
            for signature, status, code in (
                (v["X-HMAC-SIGNATURE"], 404, "1201"),
                (flipped(v["X-HMAC-SIGNATURE"]), 401, "1002"),
            ):
                headers = {"X-AUTH-CLIENT": borealis.API_KEY, "X-HMAC-SIGNATURE": signature}
                answer = c.request(v["method"], v["path"], content=v["body"].encode(), headers=headers)
                assert (answer.status_code, answer.json()["code"]) == (status, code), name


# cirrus ------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["request-get", "request-post"])
def test_cirrus_request_signatures(name: str) -> None:
    v = vectors("cirrus")[name]
    assert (v["secret"], v["X-App-Token"]) == (cirrus.SECRET_KEY, cirrus.APP_TOKEN)
    made = cirrus.request_signature(
        v["secret"], v["X-App-Access-Ts"], v["method"], v["path"].encode(), v["body"].encode()
    )
    assert made == v["X-App-Access-Sig"]


@pytest.mark.parametrize("alg", ["sha1", "sha256", "sha512"])
def test_cirrus_webhook_digests(alg: str) -> None:
    v = vectors("cirrus")[f"webhook-{alg}"]
    assert v["secret"] == cirrus.WEBHOOK_SECRET
    assert cirrus.payload_digest(v["body"].encode(), v["X-Payload-Digest-Alg"]) == v["X-Payload-Digest"]


def test_cirrus_sandbox_checks_request_signatures_over_http() -> None:
    with client("cirrus") as c:
        for name, accepted in (("request-get", 404), ("request-post", 201)):  # no applicant vector-1 yet
            v = vectors("cirrus")[name]
            for signature, status in (
                (v["X-App-Access-Sig"], accepted),
                (flipped(v["X-App-Access-Sig"]), 401),
            ):
                headers = {
                    "X-App-Token": v["X-App-Token"],
                    "X-App-Access-Ts": v["X-App-Access-Ts"],
                    "X-App-Access-Sig": signature,
                }
                answer = c.request(v["method"], v["path"], content=v["body"].encode(), headers=headers)
                assert answer.status_code == status, (name, answer.text)
                if status == 401:
                    assert answer.json()["errorCode"] == 4003


# delta -------------------------------------------------------------------------------------


def test_delta_token_request_credential() -> None:
    v = vectors("delta")["token-request"]
    assert (v["client_id"], v["client_secret"]) == (delta.CLIENT_ID, delta.CLIENT_SECRET)
    assert delta.basic_authorization(v["client_id"], v["client_secret"]) == v["Authorization"]
    with client("delta") as c:
        for authorization, status in ((v["Authorization"], 200), (flipped(v["Authorization"]), 401)):
            headers = {"Authorization": authorization, "User-Agent": delta.USER_AGENT}
            answer = c.post(v["path"], data={"grant_type": "client_credentials"}, headers=headers)
            assert answer.status_code == status


# echo --------------------------------------------------------------------------------------


def test_echo_signs_webhooks_as_published_and_while_rotating() -> None:
    one, two = vectors("echo")["webhook"], vectors("echo")["webhook-rotating"]
    assert (two["secret"], two["previous_secret"]) == echo.WEBHOOK_SECRETS
    body, t = one["body"].encode(), int(one["t"])
    assert echo.sign(body, t, (one["secret"],)) == one["Echo-Signature"]
    assert echo.sign(body, t, (two["secret"], two["previous_secret"])) == two["Echo-Signature"]


# fjord -------------------------------------------------------------------------------------


def test_fjord_signature() -> None:
    v = vectors("fjord")["signature"]
    assert (v["api_key"], v["partner_id"]) == (fjord.API_KEY, fjord.PARTNER_ID)
    assert fjord.signature(v["timestamp"], v["partner_id"], v["api_key"]) == v["signature"]
    assert fjord.signature_ok({"timestamp": v["timestamp"], "signature": v["signature"]})
    assert not fjord.signature_ok({"timestamp": v["timestamp"], "signature": flipped(v["signature"])})


def test_fjord_sandbox_checks_and_makes_body_signatures_over_http() -> None:
    """A request signed with the vector is accepted; the answer, made at the same clock,
    carries the vector's timestamp and signature."""
    v = vectors("fjord")["signature"]
    signed = {"partner_id": v["partner_id"], "timestamp": v["timestamp"], "id_number": "0499370899"}
    with client("fjord") as c:
        answer = c.post("/v1/id_number_rate_limit_reset", json={**signed, "signature": v["signature"]})
        assert answer.status_code == 200
        assert (answer.json()["timestamp"], answer.json()["signature"]) == (v["timestamp"], v["signature"])
        refused = c.post(
            "/v1/id_number_rate_limit_reset", json={**signed, "signature": flipped(v["signature"])}
        )
        assert (refused.status_code, refused.json()["code"]) == (401, "2203")


# gilan -------------------------------------------------------------------------------------


def test_gilan_signs_webhooks_as_published() -> None:
    v = vectors("gilan")["webhook"]
    assert v["secret"] == gilan.WEBHOOK_SECRET
    assert gilan.sign(v["body"].encode(), int(v["X-Gilan-Timestamp"])) == v["X-Gilan-Signature"]
