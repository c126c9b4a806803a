"""Prometheus metrics for the service: requests, stages, decisions, vendors, the queue.

Each ``Metrics`` owns its ``CollectorRegistry`` (never the process-wide default), so
tests and several apps in one process do not collide. ``MetricsMiddleware`` is plain
ASGI (no per-request objects beyond a closure) and labels a request by its route's
*template* (``/v1/cases/{id}``), never its path: paths hold case ids, and every distinct
path would be a new series. Unknown methods become ``OTHER`` and unrouted requests
``<unmatched>``, so a client cannot grow the label sets. ``metrics_route`` serves the
text format; before writing it, it asks the queue-depth and breaker-state callbacks
(sync or async) for their current values.

Several workers (``kyc-sdk serve --workers N``): a scrape reaches one worker, so
separate registries would each report a fraction that jumps between scrapes. The
service uses prometheus_client's multiprocess mode instead: the parent calls
``prepare_multiprocess(dir)`` before it starts the workers; every worker then writes its
samples to memory-mapped files in ``dir`` and ``/metrics``, in whichever worker, adds
them all up (counters and histograms summed; the queue depth and breaker states as most
recently written, since every worker reads the same shared sources). ``kyc-sdk serve``
sets that directory (a fresh one per run) before anything imports prometheus_client, with
one worker too, so that cases run in a stage pool's processes are counted as well.
"""

from __future__ import annotations

import inspect
import os
import time
from collections.abc import Awaitable, Callable, Iterable, Iterator, Mapping, MutableMapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import anyio
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from prometheus_client.multiprocess import MultiProcessCollector
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from kyc_sdk.errors import KycError
from kyc_sdk.models import Attempt, Decision

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
STAGES = ("ocr", "liveness", "faces", "vendor")
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
UNMATCHED = "<unmatched>"
BREAKER_STATES = {"closed": 0, "half-open": 1, "open": 2}
STAGE_BUCKETS = (0.01, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)
REFRESH_TIMEOUT = 2.0  # seconds a scrape waits for a depth or breaker callback

Scope = MutableMapping[str, Any]
ASGIApp = Callable[[Scope, Callable[[], Awaitable[Any]], Callable[[Any], Awaitable[None]]], Awaitable[None]]
DepthSource = Callable[[], int | Awaitable[int]]
BreakerSource = Callable[[], Mapping[str, str] | Awaitable[Mapping[str, str]]]


def prepare_multiprocess(directory: str | Path) -> Path:
    """Make ``directory`` the (empty) multiprocess directory for workers started after
    this call: sets the environment variable they inherit and removes the files of an
    earlier run. Call it in the parent, before any worker imports prometheus_client."""
    path = Path(directory)
    path.mkdir(parents=True, exist_ok=True)
    for old in path.glob("*.db"):
        old.unlink()
    os.environ[MULTIPROC_ENV] = str(path)
    return path


def multiprocess_dir() -> str | None:
    return os.environ.get(MULTIPROC_ENV) or None


class Metrics:
    """The service's metrics, in a registry of their own."""

    def __init__(self, registry: CollectorRegistry | None = None, *, namespace: str = "kyc") -> None:
        self.registry = registry if registry is not None else CollectorRegistry()
        r, ns = self.registry, namespace
        self.requests = Counter(
            "http_requests", "HTTP requests answered", ["method", "route", "status"], namespace=ns, registry=r
        )
        self.request_seconds = Histogram(
            "http_request_duration_seconds", "Time to answer a request", ["method", "route"], namespace=ns,
            registry=r,
        )  # fmt: skip
        self.stage_seconds = Histogram(
            "stage_duration_seconds", "Time a registration stage took", ["stage"], namespace=ns, registry=r,
            buckets=STAGE_BUCKETS,
        )  # fmt: skip
        self.decisions = Counter("decisions", "Registrations decided", ["decision"], namespace=ns, registry=r)
        self.failures = Counter(
            "cases_failed", "Registrations ended without a decision, by error code", ["error"], namespace=ns,
            registry=r,
        )  # fmt: skip
        self.vendor_errors = Counter(
            "vendor_errors", "Vendor calls that failed, by error class", ["provider", "error"], namespace=ns,
            registry=r,
        )  # fmt: skip
        self.breaker_state = Gauge(
            "breaker_state", "Circuit breaker per provider: 0 closed, 1 half-open, 2 open", ["provider"],
            namespace=ns, registry=r, multiprocess_mode="mostrecent",
        )  # fmt: skip
        self.queue_depth = Gauge(
            "queue_depth",
            "Registration jobs waiting",
            namespace=ns,
            registry=r,
            multiprocess_mode="mostrecent",
        )
        self._depth: DepthSource | None = None
        self._breakers: BreakerSource | None = None
        self._children: dict[tuple[str, str, int], tuple[Any, Any]] = {}

    # -- what the service reports -----------------------------------------------------------

    def observe_request(self, method: str, route: str, status: int, seconds: float) -> None:
        key = (method, route, status)
        children = self._children.get(key)
        if children is None:  # labels() takes a lock and builds a tuple: once per series
            children = (
                self.requests.labels(method, route, str(status)),
                self.request_seconds.labels(method, route),
            )
            self._children[key] = children
        children[0].inc()
        children[1].observe(seconds)

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        """Time a stage (``ocr``, ``liveness``, ``faces``, ``vendor``), failed or not."""
        if name not in STAGES:
            raise ValueError(f"unknown stage {name!r}; stages: {', '.join(STAGES)}")
        started = time.perf_counter()
        try:
            yield
        finally:
            self.stage_took(name, time.perf_counter() - started)

    def stage_took(self, name: str, seconds: float) -> None:
        """Record a stage timed elsewhere (``Registration``'s ``on_stage``)."""
        if name not in STAGES:
            raise ValueError(f"unknown stage {name!r}; stages: {', '.join(STAGES)}")
        self.stage_seconds.labels(name).observe(seconds)

    def decision(self, decision: Decision | str) -> None:
        self.decisions.labels(Decision(decision).value).inc()

    def failed(self, code: str) -> None:
        """Count a case ended ``failed`` (unreadable input, a job that kept crashing)."""
        self.failures.labels(code).inc()

    def vendor_error(self, provider: str, error: KycError | str) -> None:
        """Count a failed vendor call by its error's code (``provider_unavailable``…)."""
        self.vendor_errors.labels(provider, error if isinstance(error, str) else error.code).inc()

    def attempts(self, attempts: Iterable[Attempt]) -> None:
        """Count the failed calls among a verification's attempts (``result.attempts``,
        or ``NoProviderAvailable.attempts``)."""
        for attempt in attempts:
            if attempt.error is not None:
                self.vendor_error(attempt.provider, attempt.error)

    # -- values read when scraped ----------------------------------------------------------

    def queue_depth_from(self, source: DepthSource) -> None:
        """Read the queue depth from ``source`` (e.g. ``jobs.depth``) at each scrape."""
        self._depth = source

    def breakers_from(self, source: BreakerSource) -> None:
        """Read ``{provider: "closed" | "half-open" | "open"}`` from ``source`` at each
        scrape (e.g. ``lambda: {n: b.state for n, b in kyc.breakers.items()}``)."""
        self._breakers = source

    async def refresh(self) -> None:
        """Ask the callbacks for their values; one that fails or hangs leaves its gauge
        as it was (a scrape must not fail for it)."""
        if self._depth is not None:
            depth = await _ask(self._depth)
            if isinstance(depth, int):
                self.queue_depth.set(depth)
        if self._breakers is not None:
            states = await _ask(self._breakers)
            if isinstance(states, Mapping):
                for provider, state in states.items():
                    if state in BREAKER_STATES:
                        self.breaker_state.labels(provider).set(BREAKER_STATES[state])

    def exposition(self) -> bytes:
        """The text format: this registry's, or every worker's in multiprocess mode."""
        if multiprocess_dir() is None:
            return generate_latest(self.registry)
        merged = CollectorRegistry()
        MultiProcessCollector(merged)
        return generate_latest(merged)


async def _ask(source: Callable[[], Any]) -> Any:
    """A callback's value: awaited if async, in a worker thread if not (it may query the
    store); ``None`` when it fails or takes longer than ``REFRESH_TIMEOUT``."""
    with anyio.move_on_after(REFRESH_TIMEOUT):
        try:
            if inspect.iscoroutinefunction(source):
                return await source()
            value = await anyio.to_thread.run_sync(source)
            return await value if inspect.isawaitable(value) else value
        except Exception:  # a broken source must not break the scrape
            return None
    return None


class _Scope(dict[str, Any]):
    """The request's scope, remembering every route a router matched on the way in
    (Starlette sets ``scope["route"]`` in each router: a ``Mount``, then its child)."""

    __slots__ = ("routes",)

    def __init__(self, scope: Scope) -> None:
        super().__init__(scope)
        self.routes: list[Any] = []

    def __setitem__(self, key: str, value: Any) -> None:
        if key == "route":
            self.routes.append(value)
        super().__setitem__(key, value)

    def template(self) -> str:
        path = "".join(getattr(route, "path", "") for route in self.routes)
        return path or UNMATCHED


class MetricsMiddleware:
    """Counts and times every HTTP request by method, route template and status."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        tracked = _Scope(scope)
        status = 500  # what the client sees when the app fails before answering

        async def sending(message: Any) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        started = time.perf_counter()
        try:
            await self.app(tracked, receive, sending)
        finally:
            method = scope["method"] if scope["method"] in METHODS else "OTHER"
            self.metrics.observe_request(method, tracked.template(), status, time.perf_counter() - started)


def metrics_route(metrics: Metrics, path: str = "/metrics") -> Route:
    """A ``GET`` route serving ``metrics`` in Prometheus's text format."""

    async def endpoint(request: Request) -> Response:
        await metrics.refresh()
        body = await anyio.to_thread.run_sync(metrics.exposition)
        return Response(body, media_type=CONTENT_TYPE_LATEST)

    return Route(path, endpoint, methods=["GET"], name="metrics")
