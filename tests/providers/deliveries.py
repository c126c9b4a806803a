"""Real webhook deliveries of each style's sandbox, and the time each was signed, for the
replay tests and the hostile webhook campaign."""

from __future__ import annotations

import json
from datetime import datetime

import anyio

from kyc_sdk import KYC
from kyc_sdk.providers import STYLES
from kyc_sdk.sandbox import Sandboxes, apply_scenario, scenario
from kyc_sdk.sandbox.base import Delivery
from kyc_sdk.sandbox.delta import CALLBACK_IPS
from tests.providers.conftest import base_request

WEBHOOK_STYLES = [s for s in STYLES if s != "hirkan"]  # hirkan is synchronous


def deliveries(style: str, reference: str = "hooks", outcome: str | None = None) -> list[Delivery]:
    """What ``style``'s sandbox sent during one verification (approved, or the scenario
    named ``outcome``)."""
    request = base_request(f"{reference}-{style}")
    if outcome is not None:
        request = apply_scenario(request, scenario(style, outcome))
    with Sandboxes([style]) as sb, KYC(sb.providers(), transport=sb.transport) as kyc:
        kyc.verify(request)
        anyio.run(sb.apps[style].flush_webhooks)
        return list(sb.apps[style].outbox)


def source_ip(style: str) -> str | None:
    return CALLBACK_IPS[0] if style == "delta" else None


def sent_at(style: str, delivery: Delivery) -> float:
    """The time the sandbox put on ``delivery`` (each style says it its own way)."""
    headers = {k.lower(): v for k, v in delivery.headers.items()}
    if style == "echo":
        return float(headers["echo-signature"].split(",")[0].removeprefix("t="))
    if style == "gilan":
        return float(headers["x-gilan-timestamp"])
    body = json.loads(delivery.body)
    found = {
        "aurora": lambda: datetime.fromisoformat(
            body["payload"]["object"]["completed_at_iso8601"]
        ).timestamp(),
        "borealis": lambda: float(body["verification"]["decisionTime"]),
        "cirrus": lambda: body["createdAtMs"] / 1000,
        "delta": lambda: float(body["callbackSentAt"]),
        "fjord": lambda: datetime.fromisoformat(body["timestamp"]).timestamp(),
    }
    return float(found[style]())
