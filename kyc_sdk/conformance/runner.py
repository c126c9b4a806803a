"""Plans and running them: a style's plan is its list of modules, in the order they
must run (modules that set faults at the vendor come last), each marked for the
``basic`` or ``full`` plan. ``run()`` runs a plan and returns a ``Report``;
waivers (``{"waivers": [{"module": "<glob>", "reason": "..."}]}``) let a known failure
stand without failing the run. See docs/conformance.md.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import json
import platform
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from kyc_sdk.conformance import core_modules as core
from kyc_sdk.conformance import fault_modules as faults
from kyc_sdk.conformance import webhook_modules as hooks
from kyc_sdk.conformance.kit import Kit, Options
from kyc_sdk.conformance.model import ModuleResult, Report, Status
from kyc_sdk.conformance.schemas import schema_module
from kyc_sdk.errors import InputError
from kyc_sdk.files import read_text
from kyc_sdk.providers.base import ProviderSettings

PLANS = ("basic", "full")
Body = Callable[[Kit, ModuleResult], None]


@dataclass(frozen=True)
class Module:
    name: str
    description: str
    body: Body
    basic: bool = False  # also in the basic plan


def modules(style: str) -> list[Module]:
    """The full plan of ``style``, in running order."""
    from kyc_sdk.sandbox import scenarios

    return [
        Module(
            "availability",
            "an ordinary verification is answered without 5xx or transport failures",
            core.availability,
            basic=True,
        ),
        Module(
            "credentials",
            "the given credentials work; wrong ones get the style's auth error",
            core.credentials,
            basic=True,
        ),
        Module(
            "signatures",
            "tampered request signatures are refused; answers carry their signature",
            core.signatures,
        ),
        *[
            Module(
                f"scenario.{s.name}",
                f"scenario '{s.name}' maps to {s.expected}",
                core.scenario_module(s.name),
                basic=True,
            )
            for s in scenarios(style)
        ],
        Module("idempotency", "repeating a verification lands on the same vendor object", core.idempotency),
        Module(
            "webhooks.delivery", "events arrive, verify and agree with the polled decision", hooks.delivery
        ),
        Module("webhooks.duplicates", "each event is delivered once (twice is a WARNING)", hooks.duplicates),
        Module("webhooks.ordering", "events arrive in the order the vendor's state changed", hooks.ordering),
        Module("schemas", "every JSON answer matches the kit's schema for it", schema_module, basic=True),
        Module("errors", "auth, 5xx and malformed answers land on their error classes", faults.errors),
        Module(
            "rate_limit", "the style's rate-limit answer, its retry signal, and recovery", faults.rate_limit
        ),
        Module("latency", "p50/p95 of ordinary exchanges within the budget", core.latency, basic=True),
    ]


def plan(style: str, name: str) -> list[Module]:
    if name not in PLANS:
        raise InputError(f"unknown plan {name!r}; plans: {', '.join(PLANS)}")
    return [m for m in modules(style) if name == "full" or m.basic]


def load_waivers(path: str | Path | None) -> dict[str, str]:
    """Module glob -> reason, from a waivers file (an InputError when it is malformed)."""
    if path is None:
        return {}
    text = read_text(path, "waivers")  # unreadable or too big: its own InputError
    try:
        items = json.loads(text)["waivers"]
        return {str(w["module"]): str(w["reason"]) for w in items}
    except (ValueError, KeyError, TypeError, RecursionError) as exc:
        raise InputError(
            f"waivers file {path}: expected {{'waivers': [{{'module', 'reason'}}]}} ({exc})"
        ) from None


def run(
    style: str,
    settings: ProviderSettings,
    options: Options | None = None,
    waivers: Mapping[str, str] | None = None,
    transport: httpx.BaseTransport | None = None,
) -> Report:
    """Run ``options.plan`` of ``style`` against ``settings.base_url``."""
    options = options or Options()
    chosen = [
        m
        for m in plan(style, options.plan)
        if not options.only or any(fnmatch.fnmatch(m.name, p) for p in options.only)
    ]
    if not chosen:  # a mistyped --only must not pass a vendor on no module at all
        raise InputError(f"no module of the {options.plan} plan matches {', '.join(options.only)}")
    started, clock = dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), time.perf_counter()
    kit = Kit(style, settings, options, transport)
    try:
        results = [_run_module(kit, m) for m in chosen]
    finally:
        kit.close()
    for result in results:
        _waive(result, waivers or {})
    return Report(
        style,
        settings.base_url,
        options.plan,
        results,
        started,
        (time.perf_counter() - clock) * 1000,
        _versions(kit),
    )


def _run_module(kit: Kit, module: Module) -> ModuleResult:
    result = ModuleResult(module.name, module.description)
    kit.recorder.sink, kit.recorder.module = [], module.name
    began = time.perf_counter()
    try:
        module.body(kit, result)
    except Exception as exc:
        result.error = f"{type(exc).__name__}: {exc}"
        result.add("module ran to its end", Status.FAILED, result.error)
    result.settle()
    result.ms = (time.perf_counter() - began) * 1000
    result.exchanges = [r.exchange for r in kit.recorder.sink]
    return result


def _waive(result: ModuleResult, waivers: Mapping[str, str]) -> None:
    if result.status is Status.FAILED:
        result.waived = next(
            (why for pattern, why in waivers.items() if fnmatch.fnmatch(result.module, pattern)), None
        )


def _versions(kit: Kit) -> dict[str, Any]:
    from kyc_sdk import __version__

    return {
        "kyc_sdk": __version__,
        "python": platform.python_version(),
        "httpx": httpx.__version__,
        "adapter": f"{kit.adapter_class.__module__}.{kit.adapter_class.__name__}",
        "budget_ms": {"p50": kit.options.budget_p50_ms, "p95": kit.options.budget_p95_ms},
        "latency": kit.shared.get("latency"),
    }


def load_settings(style: str, base_url: str, path: str | Path | None = None) -> ProviderSettings:
    """The adapter settings for ``base_url``: the sandbox's public test credentials, with
    the fields of a credentials file (JSON, the style's settings field names) on top."""
    import dataclasses

    from kyc_sdk.sandbox import settings

    try:
        url = httpx.URL(base_url)
    except httpx.InvalidURL:
        url = None
    if url is None or url.scheme not in ("http", "https") or not url.host:
        raise InputError("the base URL is an http:// or https:// URL with a host")
    made = settings(style, base_url)
    if path is None:
        return made
    text = read_text(path, "credentials")
    try:
        given = json.loads(text)
        if not isinstance(given, dict):
            raise ValueError("not an object")
    except (ValueError, RecursionError):
        raise InputError(f"credentials file {path}: expected a JSON object of settings fields") from None
    names = {f.name for f in dataclasses.fields(made)} - {"base_url"}
    unknown = sorted(set(given) - names)
    if unknown:
        raise InputError(
            f"credentials file {path}: unknown field(s) {', '.join(unknown)}; "
            f"{type(made).__name__} has {', '.join(sorted(names))}"
        )
    fields: dict[str, Any] = {k: tuple(v) if isinstance(v, list) else v for k, v in given.items()}
    return dataclasses.replace(made, **fields)
