"""Sandboxes: one simulated vendor per style, as ASGI apps.

In-process, a ``Sandboxes`` set routes ``http://<style>.sandbox`` to each app through an
httpx transport (no socket); on loopback, ``kyc-sdk sandbox serve STYLE --port N``.

    with Sandboxes(["aurora", "hirkan"], faults={"aurora": ["unavailable"]}) as sb:
        kyc = KYC(sb.providers(), transport=sb.transport, policy=Fallback())

Each style module ``kyc_sdk.sandbox.<style>`` defines ``<Style>Sandbox`` (a
``SandboxApp``) and ``credentials(base_url)``: what a client of the sandbox is configured
with (public test values). The style modules know nothing of the adapters: each carries
its own constants and signing, written from the style's page and checked against the
published vectors. ``settings``/``provider`` (``kyc_sdk.sandbox.adapters``, loaded on first
call) are the one bridge: they hand a sandbox's credentials to the adapter registered for
its style. A sandbox therefore runs where no adapter is installed.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Self, cast

from kyc_sdk.models import VerificationRequest
from kyc_sdk.sandbox.base import FAULTS, FaultPlan, SandboxApp
from kyc_sdk.sandbox.samples import SAMPLE_SUBJECT, png, sample_request
from kyc_sdk.sandbox.scenarios import Scenario, scenario, scenarios
from kyc_sdk.sandbox.styles import STYLES, module
from kyc_sdk.sandbox.transport import HostRouter

if TYPE_CHECKING:
    from kyc_sdk.sandbox.adapters import Provider, ProviderSettings

__all__ = [
    "FAULTS",
    "SAMPLE_SUBJECT",
    "STYLES",
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


def create(style: str, **kwargs: Any) -> SandboxApp:
    """A fresh sandbox app of ``style`` (kwargs: faults, slow_seconds, clock, webhook_url…)."""
    cls = getattr(module(style), f"{style.capitalize()}Sandbox")
    return cast(SandboxApp, cls(**kwargs))


def settings(style: str, base_url: str | None = None, **overrides: Any) -> ProviderSettings:
    """Settings of the adapter registered for ``style`` that its sandbox accepts, at ``base_url``."""
    from kyc_sdk.sandbox import adapters

    return adapters.settings(style, base_url, **overrides)


def provider(style: str, base_url: str | None = None, **overrides: Any) -> Provider[Any]:
    """The adapter registered for ``style``, configured for its sandbox."""
    from kyc_sdk.sandbox import adapters

    return adapters.provider(style, base_url, **overrides)


def apply_scenario(request: VerificationRequest, item: Scenario) -> VerificationRequest:
    """``request`` changed the way ``item.control`` says, so the sandbox produces it.

    ``control`` may hold ``subject`` (fields to override, e.g. a fixture national code)
    and ``options`` (vendor options for this style); a style with another trigger
    defines ``apply_control(request, control)`` in its sandbox module.
    """
    hook = getattr(module(item.style), "apply_control", None)
    if hook is not None:
        return cast(VerificationRequest, hook(request, item.control))
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

    def providers(self) -> list[Provider[Any]]:
        return [provider(style) for style in self.apps]

    def close(self) -> None:
        self.transport.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
