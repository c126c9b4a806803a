"""The one place the sandbox package meets the adapters: a client configured for a sandbox.

A sandbox says what its clients are configured with (``credentials(base_url)`` in each
style module, public test values). Here those values become the settings of whatever
adapter is registered for the style, through the registry's public names only
(``provider_class`` and the class's ``settings_class``), never an adapter's constants or
signing code: the sandboxes stay an independent implementation of each style.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from kyc_sdk.providers import Provider, ProviderSettings, provider_class
from kyc_sdk.sandbox.styles import module

__all__ = ["Provider", "ProviderSettings", "provider", "settings"]


def settings(style: str, base_url: str | None = None, **overrides: Any) -> ProviderSettings:
    """Adapter settings that ``style``'s sandbox accepts, at ``base_url``."""
    values = module(style).credentials(base_url or f"http://{style}.sandbox")
    made = provider_class(style).settings_class(**values)
    return dataclasses.replace(made, **overrides) if overrides else made


def provider(style: str, base_url: str | None = None, **overrides: Any) -> Provider[Any]:
    """The adapter registered for ``style``, configured for its sandbox."""
    return provider_class(style)(settings(style, base_url, **overrides))
