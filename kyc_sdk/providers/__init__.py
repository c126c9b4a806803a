"""Adapters by name, loaded lazily (``name -> "module:Class"``), as libcloud does.

``kyc_sdk.providers.register("acme", "acme_kyc.adapter:AcmeProvider")`` adds a third-party
adapter; ``provider_class("aurora")`` imports only the module it needs.
"""

from __future__ import annotations

import importlib
from typing import Any

from kyc_sdk.errors import InputError
from kyc_sdk.providers.base import (
    Clock,
    Flow,
    KitFacts,
    Provider,
    ProviderSettings,
    SubFlow,
    VendorError,
    Wait,
    WebhookEvent,
    callback,
    credential,
)

__all__ = [
    "Clock",
    "Flow",
    "KitFacts",
    "Provider",
    "ProviderSettings",
    "SubFlow",
    "VendorError",
    "Wait",
    "WebhookEvent",
    "callback",
    "credential",
    "known",
    "provider_class",
    "register",
]

#: The eight built-in vendor styles.
STYLES: tuple[str, ...] = (
    "aurora",
    "borealis",
    "cirrus",
    "delta",
    "echo",
    "fjord",
    "gilan",
    "hirkan",
)


def _built_in() -> dict[str, str]:
    """The built-in styles whose adapter module is present in this installation."""
    from importlib.util import find_spec

    return {
        style: f"kyc_sdk.providers.{style}:{style.capitalize()}Provider"
        for style in STYLES
        if find_spec(f"kyc_sdk.providers.{style}") is not None
    }


_REGISTRY: dict[str, str] = _built_in()


class UnknownProvider(InputError):
    """No adapter is registered under that name."""


def register(name: str, target: str) -> None:
    """Register an adapter class by ``"module:Class"`` path (imported on first use)."""
    if ":" not in target:
        raise ValueError("target must look like 'package.module:ClassName'")
    _REGISTRY[name] = target


def known() -> list[str]:
    return sorted(_REGISTRY)


def provider_class(name: str) -> type[Provider[Any]]:
    try:
        target = _REGISTRY[name]
    except KeyError:
        raise UnknownProvider(f"unknown provider {name!r}; known providers: {', '.join(known())}") from None
    module_name, _, class_name = target.partition(":")
    cls = getattr(importlib.import_module(module_name), class_name)
    if not (isinstance(cls, type) and issubclass(cls, Provider)):
        raise TypeError(f"{target} is not a Provider subclass")
    return cls
