"""Settings that httpx could not put on the wire are refused when the adapter is made
(a typed ``InputError``), not by a crash inside the first request."""

from __future__ import annotations

import dataclasses

import pytest

from kyc_sdk.errors import InputError
from kyc_sdk.providers import STYLES, provider_class
from kyc_sdk.sandbox import settings


def _wire_fields(style: str) -> list[str]:
    made = settings(style)
    return [
        f.name
        for f in dataclasses.fields(made)
        if f.name not in ("name", "base_url") and isinstance(getattr(made, f.name), str | tuple)
    ]


@pytest.mark.parametrize("style", STYLES)
def test_non_ascii_or_control_characters_in_settings_are_refused(style: str) -> None:
    adapter_class = provider_class(style)
    adapter_class(settings(style))  # the sandbox's own settings are fine
    for name in _wire_fields(style):
        for bad in ("tokén", "to\nken", "tok\x00en"):
            value = (bad,) if isinstance(getattr(settings(style), name), tuple) else bad
            with pytest.raises(InputError, match=name):
                adapter_class(settings(style, **{name: value}))
    for url in ("ftp://vendor.example", "vendor.example/api", "http://"):
        with pytest.raises(InputError, match="base_url"):
            adapter_class(settings(style, base_url=url))


def test_a_persian_instance_name_is_fine() -> None:
    assert provider_class("hirkan")(settings("hirkan", name="استعلام")).name == "استعلام"
