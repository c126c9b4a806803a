"""Service metrics, scraped over real HTTP from a tiny Starlette app and parsed with
prometheus_client's own parser."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import anyio
import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Mount, Route

from kyc_sdk.errors import ProviderUnavailable
from kyc_sdk.models import Attempt, Decision
from kyc_sdk.sandbox.serve import serving
from kyc_sdk.service.metrics import MULTIPROC_ENV, Metrics, MetricsMiddleware, metrics_route
from tests.ports import free_port

ROOT = Path(__file__).resolve().parents[2]
CASE_ID = "Zq3-secretCaseId_0123456789"


async def item(request: Request) -> PlainTextResponse:
    return PlainTextResponse(str(os.getpid()))


async def boom(request: Request) -> PlainTextResponse:
    raise RuntimeError("bug")


def make_app(metrics: Metrics | None = None) -> Any:
    """The app under test (also the subprocess's factory, with a fresh ``Metrics``)."""
    metrics = metrics or Metrics()
    app = Starlette(
        routes=[
            Route("/items/{item_id}", item),
            Route("/boom", boom),
            Mount("/v1", routes=[Route("/cases/{case_id}", item, methods=["GET"])]),
            metrics_route(metrics),
        ]
    )
    return MetricsMiddleware(app, metrics)


def samples(text: str, name: str) -> dict[tuple[tuple[str, str], ...], float]:
    found = {}
    for family in text_string_to_metric_families(text):
        for s in family.samples:
            if s.name == name:
                found[tuple(sorted(s.labels.items()))] = s.value
    return found


def count(text: str, **labels: str) -> float:
    return sum(
        v
        for k, v in samples(text, "kyc_http_requests_total").items()
        if all(dict(k).get(n) == want for n, want in labels.items())
    )


@pytest.fixture
def served() -> Iterator[tuple[str, Metrics]]:
    metrics = Metrics()
    with serving(make_app(metrics)) as url:
        yield url, metrics


def test_requests_are_labelled_by_route_template(served: tuple[str, Metrics]) -> None:
    url, _ = served
    with httpx.Client(base_url=url) as http:
        for i in range(3):
            assert http.get(f"/items/{CASE_ID}{i}").status_code == 200
        assert http.get(f"/v1/cases/{CASE_ID}").status_code == 200
        assert http.get(f"/nowhere/{CASE_ID}").status_code == 404
        assert http.post(f"/items/{CASE_ID}").status_code == 405
        assert http.request("BREW", "/items/x").status_code == 405
    # uvicorn drops the connection of a request whose app raised: a connection of its own
    assert httpx.get(f"{url}/boom").status_code == 500
    text = httpx.get(f"{url}/metrics").text
    assert CASE_ID not in text  # no raw path anywhere
    assert count(text, method="GET", route="/items/{item_id}", status="200") == 3
    assert count(text, method="GET", route="/v1/cases/{case_id}", status="200") == 1
    assert count(text, method="GET", route="<unmatched>", status="404") == 1
    assert count(text, method="POST", route="/items/{item_id}", status="405") == 1
    assert count(text, method="GET", route="/boom", status="500") == 1
    assert count(text, method="OTHER", status="405") == 1
    timed = samples(text, "kyc_http_request_duration_seconds_count")
    assert timed[(("method", "GET"), ("route", "/items/{item_id}"))] == 3
    routes = {dict(k)["route"] for k in samples(text, "kyc_http_requests_total")}
    assert routes == {"/items/{item_id}", "/v1/cases/{case_id}", "<unmatched>", "/boom"}


def test_stages_decisions_vendor_errors_and_scrape_time_values(served: tuple[str, Metrics]) -> None:
    url, metrics = served
    with metrics.stage("faces"):
        pass
    with pytest.raises(ZeroDivisionError), metrics.stage("ocr"):
        _ = 1 / 0  # a failed stage is timed too
    with pytest.raises(ValueError, match="unknown stage"), metrics.stage("astrology"):
        pass
    metrics.decision(Decision.APPROVED)
    metrics.decision("REVIEW")
    metrics.vendor_error("aurora", ProviderUnavailable("aurora: down", provider="aurora"))
    metrics.attempts(
        [Attempt("hirkan", 5.0, error="rate_limited"), Attempt("hirkan", 3.0, Decision.APPROVED)]
    )
    depth = {"n": 7}

    async def queue_depth() -> int:
        await anyio.sleep(0)
        return depth["n"]

    metrics.queue_depth_from(queue_depth)
    metrics.breakers_from(lambda: {"aurora": "open", "hirkan": "closed", "bad": "melted"})
    with httpx.Client(base_url=url) as http:
        text = http.get("/metrics").text
        depth["n"] = 2
        later = http.get("/metrics").text
    stage_counts = samples(text, "kyc_stage_duration_seconds_count")
    assert stage_counts == {(("stage", "faces"),): 1, (("stage", "ocr"),): 1}
    assert samples(text, "kyc_decisions_total") == {
        (("decision", "APPROVED"),): 1,
        (("decision", "REVIEW"),): 1,
    }
    assert samples(text, "kyc_vendor_errors_total") == {
        (("error", "provider_unavailable"), ("provider", "aurora")): 1,
        (("error", "rate_limited"), ("provider", "hirkan")): 1,
    }
    assert samples(text, "kyc_breaker_state") == {(("provider", "aurora"),): 2, (("provider", "hirkan"),): 0}
    assert samples(text, "kyc_queue_depth") == {(): 7}
    assert samples(later, "kyc_queue_depth") == {(): 2}


def test_a_failing_or_hanging_source_does_not_fail_the_scrape(
    served: tuple[str, Metrics], monkeypatch: pytest.MonkeyPatch
) -> None:
    url, metrics = served
    monkeypatch.setattr("kyc_sdk.service.metrics.REFRESH_TIMEOUT", 0.2)

    async def hangs() -> int:
        await anyio.sleep(60)
        return 1

    def fails() -> dict[str, str]:
        raise RuntimeError("store down")

    metrics.queue_depth_from(hangs)
    metrics.breakers_from(fails)
    with httpx.Client(base_url=url, timeout=10) as http:
        answer = http.get("/metrics")
    assert answer.status_code == 200
    assert samples(answer.text, "kyc_queue_depth") == {(): 0}


def test_registries_are_separate() -> None:
    a, b = Metrics(), Metrics()  # no "Duplicated timeseries" error: neither is the global registry
    a.decision("DECLINED")
    assert samples(a.exposition().decode(), "kyc_decisions_total") == {(("decision", "DECLINED"),): 1}
    assert samples(b.exposition().decode(), "kyc_decisions_total") == {}


@pytest.mark.slow
def test_processes_sharing_a_multiprocess_dir_report_one_total(tmp_path: Path) -> None:
    """Two server processes (as ``--workers 2`` makes) write to one directory; a scrape of
    either reports what both counted."""
    env = {**os.environ, MULTIPROC_ENV: str(tmp_path), "PYTHONPATH": str(ROOT)}
    ports = [free_port(), free_port()]
    servers = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "--factory",
                "tests.service.test_metrics:make_app",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--log-level",
                "warning",
                "--lifespan",
                "off",
            ],
            env=env,
            cwd=ROOT,
        )
        for port in ports
    ]
    try:
        pids = set()
        for port in ports:
            deadline = time.monotonic() + 30
            while True:
                try:
                    pids.add(httpx.get(f"http://127.0.0.1:{port}/items/a").text)
                    break
                except httpx.TransportError:
                    assert time.monotonic() < deadline, "server did not start"
                    time.sleep(0.1)
        for i in range(5):
            httpx.get(f"http://127.0.0.1:{ports[0]}/items/{i}")
        for i in range(7):
            httpx.get(f"http://127.0.0.1:{ports[1]}/items/{i}")
        texts = [httpx.get(f"http://127.0.0.1:{port}/metrics").text for port in ports]
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=30)
    assert len(pids) == 2
    for text in texts:
        assert count(text, route="/items/{item_id}", status="200") == 2 + 5 + 7


def test_middleware_costs_a_small_share_of_a_request(served: tuple[str, Metrics]) -> None:
    """At 1,000 requests/s the middleware must not halve throughput: what it adds to a
    request (timed in process, with and without it) is compared with what one request
    costs over loopback HTTP (client and server on this machine). Each is timed in
    several rounds and the best round kept, so other load on the machine shows in none."""
    url, _ = served
    bare = Starlette(routes=[Route("/items/{item_id}", item)])
    counted = MetricsMiddleware(bare, Metrics())
    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET", "scheme": "http",
        "path": "/items/7", "raw_path": b"/items/7", "query_string": b"", "root_path": "", "headers": [],
        "client": ("127.0.0.1", 1), "server": ("127.0.0.1", 80),
    }  # fmt: skip

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        pass

    async def per_request(app: Any, n: int) -> float:
        started = time.perf_counter()
        for _ in range(n):
            await app(dict(scope), receive, send)
        return (time.perf_counter() - started) / n

    async def in_process() -> float:
        best_bare = best_counted = float("inf")
        for _ in range(7):
            best_bare = min(best_bare, await per_request(bare, 300))
            best_counted = min(best_counted, await per_request(counted, 300))
        return best_counted - best_bare

    added = anyio.run(in_process)
    over_http = float("inf")
    with httpx.Client(base_url=url) as http:
        for _ in range(5):
            started = time.perf_counter()
            for _ in range(50):
                http.get("/items/7")
            over_http = min(over_http, (time.perf_counter() - started) / 50)
    print(f"middleware adds {added * 1e6:.1f} µs; a request over HTTP {over_http * 1e6:.0f} µs")
    assert added < 0.5 * over_http, (added, over_http)
