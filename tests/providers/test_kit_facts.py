"""What an adapter class tells the conformance kit about its style: its credentials
(hidden from ``repr``, refused when spoiled) and, for a style that signs requests, a
request whose signature is spoiled and all else as signed, which the vendor refuses."""

from __future__ import annotations

import time

import httpx
import pytest

from kyc_sdk.providers.base import Wait
from kyc_sdk.sandbox import Sandboxes, provider
from tests.providers.conftest import base_request

#: style → (its credential fields, the vendor's code for a bad signature)
SIGNED = {
    "borealis": (("api_key", "shared_secrets"), "1002"),
    "cirrus": (("app_token", "secret_key"), "4003"),
    "fjord": (("partner_id", "api_key"), "2203"),
}


def first_request(style: str) -> httpx.Request:
    step = next(provider(style).flow(base_request(f"kit-{style}"), now=time.time))
    assert not isinstance(step, Wait)
    return step


def vendor_code(answer: httpx.Response) -> str:
    body = answer.json()
    return str(body.get("errorCode") or body.get("code"))


@pytest.mark.parametrize("style", sorted(SIGNED))
def test_a_tampered_signature_is_refused_and_the_untouched_request_is_not(style: str) -> None:
    adapter = provider(style)
    sent = first_request(style)
    tampered = adapter.tamper_signature(sent)
    assert tampered is not None and adapter.kit.request_signature
    assert tampered.method == sent.method and tampered.url == sent.url
    with Sandboxes([style]) as sb, httpx.Client(transport=sb.transport) as http:
        refused = http.send(tampered)
        accepted = http.send(first_request(style))
    assert refused.status_code == 401 and vendor_code(refused) == SIGNED[style][1]
    assert accepted.status_code not in (401, 403)  # cirrus's first look may find nothing: 404


@pytest.mark.parametrize("style", sorted(SIGNED))
def test_credentials_are_declared_hidden_and_spoiled(style: str) -> None:
    adapter = provider(style)
    names = SIGNED[style][0]
    assert adapter.settings.credentials() == names
    spoiled = adapter.spoiled()
    for name in names:
        value = getattr(adapter.settings, name)
        assert getattr(spoiled, name) != value
        for secret in value if isinstance(value, tuple) else (value,):
            assert secret not in repr(adapter.settings) and secret not in repr(adapter)
