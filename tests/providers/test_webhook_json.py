"""Webhook bodies are strict JSON: ``NaN`` and ``Infinity`` (which Python's ``json``
accepts by default) are refused with ``WebhookRejected``, even when correctly signed."""

from __future__ import annotations

import json
import time

import pytest

from kyc_sdk import KYC
from kyc_sdk.errors import WebhookRejected
from kyc_sdk.providers import _webhooks
from kyc_sdk.sandbox import aurora as aurora_sandbox
from kyc_sdk.sandbox import provider


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_a_signed_body_with_a_non_json_number_is_rejected(constant: str) -> None:
    event = {
        "resource_type": "check",
        "action": "check.completed",
        "object": {"id": "chk_1", "status": "complete"},
    }
    text = json.dumps({"payload": event}).replace('"complete"}', f'"complete", "score": {constant}}}')
    body = text.encode()
    headers = {"X-SHA2-Signature": aurora_sandbox.sign(body)}
    with KYC([provider("aurora")]) as kyc:
        with pytest.raises(WebhookRejected, match="not JSON"):
            kyc.parse_webhook("aurora", headers, body, now=time.time())
        # the same event with a real number is believed: only the constant was refused
        fine = text.replace(constant, "0.5").encode()
        assert kyc.parse_webhook("aurora", {"X-SHA2-Signature": aurora_sandbox.sign(fine)}, fine).event_id


@pytest.mark.parametrize("body", [b'{"a": NaN}', b"[Infinity]", b'{"a": -Infinity}', b"1" * 5000])
def test_read_json_refuses_what_strict_json_does_not_allow(body: bytes) -> None:
    with pytest.raises(WebhookRejected):
        _webhooks.read_json(body, "test")
