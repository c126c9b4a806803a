"""Replays are refused after any delay, through the driver's OnceGuard; secrets rotate
with overlap. Deliveries are the sandboxes' own, signed as each style signs."""

from __future__ import annotations

import dataclasses
import json
import time

import pytest

from kyc_sdk import KYC
from kyc_sdk.errors import WebhookRejected, WebhookReplayed
from kyc_sdk.once import MemoryOnce, OnceGuard
from kyc_sdk.providers._signing import hmac_hex
from kyc_sdk.sandbox import aurora as aurora_sandbox
from kyc_sdk.sandbox import gilan as gilan_sandbox
from kyc_sdk.sandbox import provider
from tests.providers.deliveries import WEBHOOK_STYLES, deliveries, sent_at, source_ip

DAY = 86400.0


class Recording:
    """A OnceGuard that records what the driver asks of it."""

    def __init__(self) -> None:
        self.asked: list[tuple[str, str, float, float]] = []
        self._inner = MemoryOnce()

    def first_use(self, namespace: str, key: str, *, expires_at: float, now: float) -> bool:
        self.asked.append((namespace, key, expires_at, now))
        return self._inner.first_use(namespace, key, expires_at=expires_at, now=now)


@pytest.mark.parametrize("style", WEBHOOK_STYLES)
def test_a_replay_is_refused_at_once_an_hour_and_thirty_days_later(style: str) -> None:
    delivery = deliveries(style)[-1]
    now = sent_at(style, delivery) + 1

    def parse(kyc: KYC, at: float) -> object:
        return kyc.parse_webhook(style, delivery.headers, delivery.body, now=at, source_ip=source_ip(style))

    with KYC([provider(style)]) as kyc:
        assert parse(kyc, now).event_id  # type: ignore[attr-defined]
        with pytest.raises(WebhookReplayed):
            parse(kyc, now + 1)
        for later in (now + 3600, now + 30 * DAY):
            with pytest.raises(WebhookRejected):
                parse(kyc, later)
    # A replica that never saw it: the signed time alone refuses it.
    with KYC([provider(style)]) as replica, pytest.raises(WebhookRejected):
        parse(replica, now + 30 * DAY)


def test_an_undated_event_is_remembered_for_a_year() -> None:
    body = json.dumps(
        {
            "payload": {
                "resource_type": "check",
                "action": "check.completed",
                "object": {"id": "chk_1", "status": "complete"},
            }
        }
    ).encode()
    headers = {"X-SHA2-Signature": aurora_sandbox.sign(body)}
    guard = Recording()
    now = time.time()
    with KYC([provider("aurora")], once=guard) as kyc:
        kyc.parse_webhook("aurora", headers, body, now=now)
        with pytest.raises(WebhookReplayed):
            kyc.parse_webhook("aurora", headers, body, now=now + 300 * DAY)
    assert guard.asked[0][2] >= now + 365 * DAY


def test_the_driver_asks_its_guard_with_a_digest_and_the_window() -> None:
    guard = Recording()
    assert isinstance(guard, OnceGuard)
    delivery = deliveries("echo")[-1]
    stamp = sent_at("echo", delivery)
    with KYC([provider("echo")], once=guard) as kyc:
        event = kyc.parse_webhook("echo", delivery.headers, delivery.body, now=stamp + 2)
    [(namespace, key, expires_at, now)] = guard.asked
    assert namespace == "webhook:echo" and now == stamp + 2
    assert event.event_id not in key and len(key) == 40  # a digest, whatever the vendor's id holds
    window = provider("echo").settings.webhook_tolerance  # type: ignore[attr-defined]
    assert stamp + window < expires_at <= stamp + window + 1  # past the window's last instant, no longer


@pytest.mark.parametrize("style", ["echo", "gilan", "fjord"])
def test_a_replay_at_the_window_s_last_instant_is_refused(style: str) -> None:
    delivery = deliveries(style)[-1]
    stamp = sent_at(style, delivery)
    window = provider(style).settings.webhook_tolerance  # type: ignore[attr-defined]
    with KYC([provider(style)]) as kyc:
        kyc.parse_webhook(style, delivery.headers, delivery.body, now=stamp)
        with pytest.raises(WebhookReplayed):  # the window still accepts the signature here
            kyc.parse_webhook(style, delivery.headers, delivery.body, now=stamp + window)


def test_replicas_sharing_one_guard_refuse_each_other_s_replays() -> None:
    shared = MemoryOnce()  # stands for the store both replicas would share
    delivery = deliveries("borealis")[-1]
    now = sent_at("borealis", delivery) + 1
    with KYC([provider("borealis")], once=shared) as one, KYC([provider("borealis")], once=shared) as two:
        one.parse_webhook("borealis", delivery.headers, delivery.body, now=now)
        with pytest.raises(WebhookReplayed):
            two.parse_webhook("borealis", delivery.headers, delivery.body, now=now + 5)


# Rotation ------------------------------------------------------------------------------------


def test_aurora_takes_current_and_previous_tokens() -> None:
    body = json.dumps(
        {
            "payload": {
                "resource_type": "report",
                "action": "report.completed",
                "object": {"id": "rep_1", "status": "complete"},
            }
        }
    ).encode()
    rotating = dataclasses.replace(
        provider("aurora").settings, webhook_token=("aur_new", aurora_sandbox.WEBHOOK_TOKEN)
    )
    adapter = type(provider("aurora"))(rotating)
    for token in ("aur_new", aurora_sandbox.WEBHOOK_TOKEN):
        assert adapter.parse_webhook(
            {"X-SHA2-Signature": aurora_sandbox.sign(body, token)}, body, now=time.time()
        )
    with pytest.raises(WebhookRejected):
        adapter.parse_webhook(
            {"X-SHA2-Signature": aurora_sandbox.sign(body, "aur_retired")}, body, now=time.time()
        )


def test_cirrus_takes_current_and_previous_secrets() -> None:
    body = json.dumps(
        {
            "type": "applicantPending",
            "applicantId": "a1",
            "reviewStatus": "pending",
            "createdAtMs": int(time.time() * 1000),
        }
    ).encode()
    base = provider("cirrus")
    adapter = type(base)(dataclasses.replace(base.settings, webhook_secret=("cirrus_new", "cirrus_old")))
    for secret in ("cirrus_new", "cirrus_old"):
        headers = {"X-Payload-Digest": hmac_hex(secret, body), "X-Payload-Digest-Alg": "HMAC_SHA256_HEX"}
        assert adapter.parse_webhook(headers, body, now=time.time()).reference == "a1"
    with pytest.raises(WebhookRejected):
        adapter.parse_webhook(
            {
                "X-Payload-Digest": hmac_hex(gilan_sandbox.WEBHOOK_SECRET, body),
                "X-Payload-Digest-Alg": "HMAC_SHA256_HEX",
            },
            body,
            now=time.time(),
        )


def test_gilan_takes_current_and_previous_secrets() -> None:
    body = json.dumps({"identificationprocess": {"result": "SUCCESS", "transactionnumber": "tn-1"}}).encode()
    stamp = int(time.time())
    base = provider("gilan")
    adapter = type(base)(
        dataclasses.replace(base.settings, webhook_secret=("gilan_new", gilan_sandbox.WEBHOOK_SECRET))
    )
    for secret in ("gilan_new", gilan_sandbox.WEBHOOK_SECRET):
        headers = {
            "X-Gilan-Timestamp": str(stamp),
            "X-Gilan-Signature": gilan_sandbox.sign(body, stamp, secret),
        }
        assert adapter.parse_webhook(headers, body, now=stamp).reference == "tn-1"
    with pytest.raises(WebhookRejected):
        adapter.parse_webhook(
            {
                "X-Gilan-Timestamp": str(stamp),
                "X-Gilan-Signature": gilan_sandbox.sign(body, stamp, "gilan_retired"),
            },
            body,
            now=stamp,
        )


@pytest.mark.parametrize("created", [10**400, float("inf"), "1e999", "9999-12-31T23:59:59+14:00", True, [1]])
def test_a_signed_event_with_an_absurd_time_is_refused_or_remembered_for_a_year(created: object) -> None:
    # Only a vendor holding the secret can send these; they must still not crash the parser
    # (float(10**400) raises OverflowError) or get an id kept for less than a year.
    body = json.dumps(
        {"type": "applicantPending", "applicantId": "a1", "reviewStatus": "pending", "createdAtMs": created}
    ).encode()
    headers = {
        "X-Payload-Digest": hmac_hex("cirrus_sandbox_webhook_secret", body),
        "X-Payload-Digest-Alg": "HMAC_SHA256_HEX",
    }
    now = time.time()
    if created == float("inf"):  # json.dumps writes Infinity, which strict JSON is not
        with pytest.raises(WebhookRejected, match="not JSON"):
            provider("cirrus").parse_webhook(headers, body, now=now)
        return
    try:
        event = provider("cirrus").parse_webhook(headers, body, now=now)
    except WebhookRejected:
        assert isinstance(created, str) and created.startswith("9999")  # a signed time far ahead
        return
    assert event.keep_until is not None and event.keep_until >= now + 365 * DAY


@pytest.mark.parametrize("style", WEBHOOK_STYLES)
def test_two_replicas_on_one_store_accept_a_delivery_once(style: str, tmp_path) -> None:
    """The guard a deployment passes: each replica opens the same store file, and a
    delivery one of them took is a replay to the other, however much later it comes."""
    from kyc_sdk.sana import open_store

    delivery = deliveries(style)[-1]
    now = sent_at(style, delivery) + 1
    path = str(tmp_path / "state.db")
    first, second = open_store(path), open_store(path)
    try:
        with KYC([provider(style)], once=first) as a, KYC([provider(style)], once=second) as b:
            assert a.parse_webhook(
                style, delivery.headers, delivery.body, now=now, source_ip=source_ip(style)
            )
            with pytest.raises(WebhookReplayed):
                b.parse_webhook(
                    style, delivery.headers, delivery.body, now=now + 1, source_ip=source_ip(style)
                )
    finally:
        first.close()
        second.close()
