"""The JSON shape of every vendor answer, checked against schemas shipped with the kit
(``kyc_sdk/conformance/schemas/<style>/*.json``).

Each file is ``{"title", "match": {"method", "path" (a regex on the URL path),
"status" (a glob such as "2??" or "401")}, "schema": {...}}``. The schema language is
the subset of JSON Schema (draft 2020-12 keywords) that these answers need: ``type``,
``properties``, ``required``, ``additionalProperties``, ``items``, ``enum``, ``const``,
``pattern``, ``minLength``, ``minimum``, ``anyOf``; it is checked here rather than
with a dependency. See docs/conformance.md ("schemas").
"""

from __future__ import annotations

import contextlib
import fnmatch
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from kyc_sdk.conformance.model import Condition, ModuleResult, Status
from kyc_sdk.conformance.recorder import Recorded

_TYPES: dict[str, Any] = {"object": dict, "array": list, "string": str, "boolean": bool, "null": type(None)}


@dataclass(frozen=True)
class Shape:
    name: str
    title: str
    method: str
    path: re.Pattern[str]
    status: str
    schema: dict[str, Any]

    def matches(self, method: str, path: str, status: int) -> bool:
        return (
            method == self.method
            and self.path.fullmatch(path) is not None
            and fnmatch.fnmatch(str(status), self.status)
        )


@cache
def shapes(style: str) -> tuple[Shape, ...]:
    folder = resources.files("kyc_sdk.conformance").joinpath("schemas", style)
    if not folder.is_dir():
        return ()
    found = []
    for item in sorted(folder.iterdir(), key=lambda f: f.name):
        if item.name.endswith(".json"):
            data = json.loads(item.read_text("utf-8"))
            m = data["match"]
            found.append(
                Shape(
                    item.name,
                    data.get("title", item.name),
                    m["method"],
                    re.compile(m["path"]),
                    str(m["status"]),
                    data["schema"],
                )
            )
    return tuple(found)


def problems(value: Any, schema: dict[str, Any], where: str = "$") -> list[str]:
    """Every way ``value`` breaks ``schema`` (empty: it conforms)."""
    if "anyOf" in schema:
        options = [problems(value, s, where) for s in schema["anyOf"]]
        if all(options):
            return [f"{where}: matches none of {len(options)} alternatives ({options[0][0]})"]
    found = _type_problems(value, schema, where)
    if found:
        return found
    if "enum" in schema and value not in schema["enum"]:
        return [f"{where}: {_show(value)} not one of {schema['enum']}"]
    if "const" in schema and value != schema["const"]:
        return [f"{where}: {_show(value)} is not {schema['const']!r}"]
    if isinstance(value, str):
        found += _string_problems(value, schema, where)
    number = isinstance(value, (int, float)) and not isinstance(value, bool)
    if number and "minimum" in schema and value < schema["minimum"]:
        found.append(f"{where}: below {schema['minimum']}")
    if isinstance(value, dict):
        found += _object_problems(value, schema, where)
    if isinstance(value, list) and "items" in schema:
        for i, item in enumerate(value):
            found += problems(item, schema["items"], f"{where}[{i}]")
    return found


def _type_problems(value: Any, schema: dict[str, Any], where: str) -> list[str]:
    wanted = schema.get("type")
    if wanted is None:
        return []
    names = wanted if isinstance(wanted, list) else [wanted]
    if any(_is(value, n) for n in names):
        return []
    return [f"{where}: expected {'|'.join(names)}, got {type(value).__name__}"]


def _is(value: Any, name: str) -> bool:
    if name == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if name == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    return isinstance(value, _TYPES[name])


def _string_problems(value: str, schema: dict[str, Any], where: str) -> list[str]:
    found = []
    if "pattern" in schema and re.search(schema["pattern"], value) is None:
        found.append(f"{where}: does not match /{schema['pattern']}/")
    if len(value) < schema.get("minLength", 0):
        found.append(f"{where}: shorter than {schema['minLength']}")
    return found


def _object_problems(value: dict[str, Any], schema: dict[str, Any], where: str) -> list[str]:
    found = [f"{where}: missing {key!r}" for key in schema.get("required", []) if key not in value]
    props = schema.get("properties", {})
    extra = schema.get("additionalProperties", True)
    for key, item in value.items():
        if key in props:
            found += problems(item, props[key], f"{where}.{key}")
        elif extra is False:
            found.append(f"{where}: unexpected {key!r}")
        elif isinstance(extra, dict):
            found += problems(item, extra, f"{where}.{key}")
    return found


def _show(value: Any) -> str:
    return repr(value) if isinstance(value, (bool, int, float)) or value is None else type(value).__name__


def _looks_json(recorded: Recorded) -> bool:
    kind = {k.lower(): v for k, v in recorded.exchange.response_headers.items()}.get("content-type", "")
    body = recorded.exchange.response_body
    return "json" in kind and body is not None


def check_answers(style: str, answers: Iterable[Recorded]) -> list[Condition]:
    """One condition per schema used (or per answer that breaks its shape)."""
    used: dict[str, int] = {}
    conditions: list[Condition] = []
    for rec in answers:
        ex = rec.exchange
        if ex.status is None or "/_sim" in ex.url:
            continue
        label = f"{ex.method} {ex.path} -> {ex.status}"
        if not rec.answer_is_json:
            if _looks_json(rec):
                conditions.append(Condition(f"{label} is JSON", Status.FAILED, str(ex.response_body)[:120]))
            continue
        shape = next((s for s in shapes(style) if s.matches(ex.method, ex.path, ex.status)), None)
        if shape is None:
            conditions.append(
                Condition(f"{label} has a schema in the kit", Status.REVIEW, "judge its shape by hand")
            )
            continue
        found = problems(rec.answer, shape.schema)
        if found:
            conditions.append(Condition(f"{label} matches {shape.name}", Status.FAILED, "; ".join(found[:3])))
        used[shape.name] = used.get(shape.name, 0) + 1
    conditions += [
        Condition(f"{count} answer(s) match {name}", Status.PASSED) for name, count in sorted(used.items())
    ]
    return conditions


FORCED = ("errors", "rate_limit")


def schema_module(kit: Any, result: ModuleResult) -> None:
    answers = [r for r in kit.recorder.all if not r.module.startswith(FORCED)]
    if not answers:  # run alone: make one ordinary verification to look at
        from kyc_sdk.errors import KycError

        with contextlib.suppress(KycError):
            kit.verify(kit.request("approved"))
        answers = list(kit.recorder.sink)
    if not shapes(kit.style):
        result.add("the kit ships schemas for this style", Status.REVIEW, f"none for {kit.style}")
        return
    for condition in check_answers(kit.style, answers):
        result.conditions.append(condition)
    if not result.conditions:
        result.add("answers were seen", Status.FAILED, "no JSON answer to check")
