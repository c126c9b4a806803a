"""Serving a built-in sandbox on a real loopback socket and running the kit against it."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence

from kyc_sdk.conformance import Options, Report, load_settings, run
from kyc_sdk.sandbox import create
from kyc_sdk.sandbox.serve import serving

# Quick enough for CI, still honest: sandboxes answer in milliseconds, so these budgets
# are wide for a healthy sandbox and far too tight for the 'slow' fault's 0.2 s answers.
FAST = Options(webhook_wait=0.4, deadline=10.0, budget_p50_ms=100.0, budget_p95_ms=150.0)
SLOW_SECONDS = 0.2


@contextlib.contextmanager
def served(style: str, faults: Sequence[str] = ()) -> Iterator[str]:
    app = create(style, faults=list(faults), slow_seconds=SLOW_SECONDS)
    with serving(app) as url:
        yield url


def run_against(style: str, faults: Sequence[str] = (), options: Options = FAST) -> Report:
    with served(style, faults) as url:
        return run(style, load_settings(style, url), options)


def statuses(report: Report) -> dict[str, str]:
    return {m.module: m.status.value for m in report.modules}
