"""Scenario files: one JSON file per style, shared by the sandbox, the contract tests,
the CLI's ``--sandbox-scenario`` and the conformance kit.

A scenario names an outcome (``approved``, ``declined``, ``retry``, ``review``,
``expired`` …) and says three things: ``control``, how a client makes the sandbox
produce it in this style's own way (request fields, a test national code, a tagged
image…); ``vendor``, the vendor's own words for it (status, codes) that the sandbox
answers with; and ``expected``, what our adapter must make of it (decision, reasons).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from kyc_sdk.errors import InputError


@dataclass(frozen=True)
class Scenario:
    style: str
    name: str
    description: str
    control: dict[str, Any] = field(default_factory=dict)
    vendor: dict[str, Any] = field(default_factory=dict)
    expected: dict[str, Any] = field(default_factory=dict)


@cache
def scenarios(style: str) -> tuple[Scenario, ...]:
    """Every scenario of ``style``, in file order."""
    try:
        text = resources.files("kyc_sdk.sandbox.scenario_data").joinpath(f"{style}.json").read_text("utf-8")
    except FileNotFoundError:
        raise InputError(f"no scenarios for style {style!r}") from None
    return tuple(
        Scenario(
            style=style,
            name=item["name"],
            description=item.get("description", ""),
            control=item.get("control", {}),
            vendor=item.get("vendor", {}),
            expected=item.get("expected", {}),
        )
        for item in json.loads(text)["scenarios"]
    )


def scenario(style: str, name: str) -> Scenario:
    for item in scenarios(style):
        if item.name == name:
            return item
    known = ", ".join(s.name for s in scenarios(style))
    raise InputError(f"style {style!r} has no scenario {name!r}; known: {known}")
