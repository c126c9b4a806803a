"""Sandboxes: one simulated vendor per style, as ASGI apps.

In-process, a ``Sandboxes`` set routes ``http://<style>.sandbox`` to each app through an
httpx transport (no socket); on loopback, ``kyc-sdk sandbox serve STYLE --port N``.

    with Sandboxes(["aurora", "hirkan"], faults={"aurora": ["unavailable"]}) as sb:
        kyc = KYC(sb.providers(), transport=sb.transport, policy=Fallback())

Each style module ``kyc_sdk.sandbox.<style>`` defines ``<Style>Sandbox`` (a
``SandboxApp``) and ``settings(base_url)``: the adapter settings that the sandbox
accepts (its sandbox credentials, which are public test values).
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Mapping, Sequence
from types import ModuleType
from typing import Any, Self

from kyc_sdk.models import VerificationRequest
from kyc_sdk.providers import STYLES, provider_class
from kyc_sdk.providers.base import Provider, ProviderSettings
from kyc_sdk.sandbox.base import FAULTS, FaultPlan, SandboxApp
from kyc_sdk.sandbox.samples import SAMPLE_SUBJECT, png, sample_request
from kyc_sdk.sandbox.scenarios import Scenario, scenario, scenarios
from kyc_sdk.sandbox.transport import HostRouter

__all__ = [
    "FAULTS",
    "SAMPLE_SUBJECT",
    "FaultPlan",
    "SandboxApp",
    "Sandboxes",
    "Scenario",
    "apply_scenario",
    "create",
    "png",
    "provider",
    "sample_request",
    "scenario",
    "scenarios",
    "settings",
]


def _module(style: str) -> ModuleType:
    if style not in STYLES:
        from kyc_sdk.providers import UnknownProvider

        raise UnknownProvider(f"no sandbox for style {style!r}; styles: {', '.join(STYLES)}")
    return importlib.import_module(f"kyc_sdk.sandbox.{style}")


def create(style: str, **kwargs: Any) -> SandboxApp:
    """A fresh sandbox app of ``style`` (kwargs: faults, slow_seconds, clock, webhook_url…)."""
    cls = getattr(_module(style), f"{style.capitalize()}Sandbox")
    return cls(**kwargs)  # type: ignore[no-any-return]


def settings(style: str, base_url: str | None = None, **overrides: Any) -> ProviderSettings:
    """Adapter settings that ``style``'s sandbox accepts, at ``base_url``."""
    made: ProviderSettings = _module(style).settings(base_url or f"http://{style}.sandbox")
    if overrides:
        import dataclasses

        made = dataclasses.replace(made, **overrides)
    return made


def provider(style: str, base_url: str | None = None, **overrides: Any) -> Provider:
    return provider_class(style)(settings(style, base_url, **overrides))


def apply_scenario(request: VerificationRequest, item: Scenario) -> VerificationRequest:
    """``request`` changed the way ``item.control`` says, so the sandbox produces it.

    ``control`` may hold ``subject`` (fields to override, e.g. a fixture national code)
    and ``options`` (vendor options for this style); a style with another trigger
    defines ``apply_control(request, control)`` in its sandbox module.
    """
    import dataclasses

    hook = getattr(_module(item.style), "apply_control", None)
    if hook is not None:
        return hook(request, item.control)  # type: ignore[no-any-return]
    subject = dataclasses.replace(request.subject, **item.control.get("subject", {}))
    options = {**request.options}
    options[item.style] = {**request.options_for(item.style), **item.control.get("options", {})}
    return dataclasses.replace(request, subject=subject, options=options)


class Sandboxes:
    """A set of in-process sandboxes and the transport that reaches them."""

    def __init__(
        self,
        styles: Sequence[str],
        *,
        faults: Mapping[str, Iterable[str] | Mapping[str, int | None]] | None = None,
        **kwargs: Any,
    ) -> None:
        faults = faults or {}
        self.apps = {style: create(style, faults=faults.get(style, ()), **kwargs) for style in styles}
        self.transport = HostRouter({f"{style}.sandbox": app for style, app in self.apps.items()})

    def providers(self) -> list[Provider]:
        return [provider(style) for style in self.apps]

    def close(self) -> None:
        self.transport.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
