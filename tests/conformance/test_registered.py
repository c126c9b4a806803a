"""The kit learns a style from its adapter class alone, so an adapter added with
``providers.register()`` gets the same credential, signature and webhook checks as a
built-in one (there is no second table of styles to forget)."""

from __future__ import annotations

from dataclasses import dataclass

import httpx
import pytest

from kyc_sdk import providers
from kyc_sdk.conformance.kit import Kit, Options
from kyc_sdk.conformance.webhook_modules import is_final, rank
from kyc_sdk.models import CheckKind, Decision, VerificationRequest
from kyc_sdk.providers import provider_class, register
from kyc_sdk.providers.base import (
    Clock,
    Flow,
    KitFacts,
    Provider,
    ProviderSettings,
    WebhookEvent,
    callback,
    credential,
)


@dataclass(frozen=True, kw_only=True)
class AcmeSettings(ProviderSettings):
    key_id: str
    key_secret: str = credential()
    notify_url: str | None = callback()


class AcmeProvider(Provider[AcmeSettings]):
    style = "acme"
    settings_class = AcmeSettings
    capabilities = frozenset({CheckKind.DOCUMENT})
    kit = KitFacts(request_signature="X-Acme-Sig header", webhook_events=("started", "finished"))

    def flow(self, request: VerificationRequest, *, now: Clock, wait: bool = True) -> Flow:
        response = yield self.build("POST", "/v", headers={"X-Acme-Sig": self.settings.key_secret})
        return self.pending(None, str(self.answer(response).get("state")))

    def tamper_signature(self, request: httpx.Request) -> httpx.Request | None:
        headers = httpx.Headers(request.headers)
        headers["X-Acme-Sig"] = "0" * len(headers["X-Acme-Sig"])
        return httpx.Request(request.method, request.url, headers=headers, content=request.content)


def test_a_registered_adapter_tells_the_kit_everything_it_needs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(providers, "_REGISTRY", dict(providers._REGISTRY))  # forgotten after the test
    register("acme", f"{__name__}:AcmeProvider")
    settings = AcmeSettings(base_url="http://acme.test", key_id="id-1", key_secret="s3cret")
    kit = Kit("acme", settings, Options())
    try:
        assert provider_class("acme") is AcmeProvider and kit.facts is AcmeProvider.kit
        assert kit.credentials == ("key_secret",) and kit.callback_field == "notify_url"
        spoiled = kit.provider().spoiled()
        assert spoiled.key_secret != "s3cret" and spoiled.key_id == "id-1"
        assert isinstance(kit.provider(), AcmeProvider)  # its tamper_signature is the one used
        started = WebhookEvent("acme", "started", "v1")
        finished = WebhookEvent("acme", "finished", "v1", decision=Decision.APPROVED)
        assert rank(kit.facts, started) < rank(kit.facts, finished)
        assert is_final(kit.facts, finished) and not is_final(kit.facts, started)
        assert "s3cret" not in repr(settings)
    finally:
        kit.close()
