"""What a conformance run produces: modules that end in a status, with the conditions
they checked and the exchanges they saw (secrets and PII redacted).

Statuses, as in the OpenID Foundation's conformance suite: PASSED, WARNING (works, but
not as a careful vendor would), REVIEW (a human must judge), FAILED, SKIPPED (does not
apply to this style or plan). See docs/conformance.md.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any


class Status(enum.StrEnum):
    PASSED = "PASSED"
    WARNING = "WARNING"
    REVIEW = "REVIEW"
    FAILED = "FAILED"
    SKIPPED = "SKIPPED"


# How bad each status is, for a module made of several conditions.
_SEVERITY = [Status.PASSED, Status.SKIPPED, Status.WARNING, Status.REVIEW, Status.FAILED]


def worst(statuses: list[Status]) -> Status:
    return max(statuses, key=_SEVERITY.index, default=Status.PASSED)


@dataclass(frozen=True)
class Condition:
    """One thing a module checked, e.g. "401 answered with the style's error envelope"."""

    name: str
    status: Status
    detail: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "status": self.status.value, "detail": self.detail}


@dataclass(frozen=True)
class Exchange:
    """One HTTP exchange, redacted: method, path, status, ms, and bodies' shapes."""

    method: str
    url: str
    status: int | None
    ms: float
    request_body: Any = None
    response_body: Any = None
    request_headers: dict[str, str] = field(default_factory=dict)
    response_headers: dict[str, str] = field(default_factory=dict)
    error: str | None = None  # a transport failure (timeout, refused) instead of an answer

    @property
    def path(self) -> str:
        from urllib.parse import urlsplit

        return urlsplit(self.url).path

    def to_dict(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "url": self.url,
            "status": self.status,
            "ms": round(self.ms, 1),
            "error": self.error,
            "request_headers": self.request_headers,
            "request": self.request_body,
            "response_headers": self.response_headers,
            "response": self.response_body,
        }


@dataclass
class ModuleResult:
    module: str
    description: str
    status: Status = Status.PASSED
    conditions: list[Condition] = field(default_factory=list)
    exchanges: list[Exchange] = field(default_factory=list)
    ms: float = 0.0
    waived: str | None = None  # the waiver's reason, when a waiver covers a failure
    error: str | None = None  # an unexpected exception's class and message

    def check(self, name: str, ok: bool, detail: str = "", *, otherwise: Status = Status.FAILED) -> bool:
        """Record a condition that is PASSED when ``ok``, else ``otherwise``; returns ``ok``."""
        self.add(name, Status.PASSED if ok else otherwise, detail)
        return ok

    def add(self, name: str, status: Status, detail: str = "") -> None:
        self.conditions.append(Condition(name, status, detail))

    def settle(self) -> None:
        """The module's status: the worst of its conditions (SKIPPED when all were)."""
        statuses = [c.status for c in self.conditions]
        if statuses and all(s is Status.SKIPPED for s in statuses):
            self.status = Status.SKIPPED
        else:
            self.status = worst([s for s in statuses if s is not Status.SKIPPED])

    def to_dict(self) -> dict[str, Any]:
        return {
            "module": self.module,
            "description": self.description,
            "status": self.status.value,
            "waived": self.waived,
            "ms": round(self.ms, 1),
            "error": self.error,
            "conditions": [c.to_dict() for c in self.conditions],
            "exchanges": [e.to_dict() for e in self.exchanges],
        }


@dataclass
class Report:
    style: str
    base_url: str
    plan: str
    modules: list[ModuleResult]
    started_at: str
    ms: float
    versions: dict[str, str]

    @property
    def failed(self) -> list[ModuleResult]:
        """Modules that FAILED and that no waiver covers: these make the run exit non-zero."""
        return [m for m in self.modules if m.status is Status.FAILED and not m.waived]

    def counts(self) -> dict[str, int]:
        counts = {s.value: 0 for s in Status}
        for m in self.modules:
            counts[m.status.value] += 1
        return counts

    def to_dict(self) -> dict[str, Any]:
        return {
            "style": self.style,
            "base_url": self.base_url,
            "plan": self.plan,
            "started_at": self.started_at,
            "ms": round(self.ms, 1),
            "versions": self.versions,
            "counts": self.counts(),
            "passed": not self.failed,
            "modules": [m.to_dict() for m in self.modules],
        }
