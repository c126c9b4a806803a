"""The issue's "Done when", as a vendor runs it: ``kyc-sdk sandbox serve STYLE --port N``
in one process, ``kyc-sdk conformance run`` in another, exit status and reports read
back from the files (the JUnit XML as a CI system parses it)."""

from __future__ import annotations

import contextlib
import json
import socket
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.ports import free_port

pytestmark = pytest.mark.slow  # seconds, not milliseconds: `make check` leaves it out

CLI = [sys.executable, "-m", "kyc_sdk.cli"]


@contextlib.contextmanager
def sandbox_process(style: str, *faults: str) -> Iterator[str]:
    port = free_port()
    args = [*CLI, "sandbox", "serve", style, "--port", str(port), "--slow-seconds", "0.3"]
    for fault in faults:
        args += ["--fault", fault]
    server = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        ends = time.monotonic() + 20
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                assert time.monotonic() < ends and server.poll() is None, "sandbox did not start"
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=10)


def conformance(url: str, style: str, out: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    args = [
        *CLI,
        "conformance",
        "run",
        "--style",
        style,
        "--base-url",
        url,
        "--out",
        str(out),
        "--webhook-wait",
        "2",
        *extra,
    ]
    return subprocess.run(args, capture_output=True, text=True, timeout=240, check=False)


def junit_cases(path: Path) -> tuple[ET.Element, list[ET.Element]]:
    """The suite and its cases, checked for what CI systems read."""
    root = ET.parse(path).getroot()
    suite = root if root.tag == "testsuite" else root.find("testsuite")
    assert suite is not None
    cases = suite.findall("testcase")
    assert int(suite.get("tests", "-1")) == len(cases) > 0
    assert int(suite.get("failures", "-1")) == sum(c.find("failure") is not None for c in cases)
    assert int(suite.get("skipped", "-1")) == sum(c.find("skipped") is not None for c in cases)
    assert float(suite.get("time", "x")) >= 0 and all(float(c.get("time", "x")) >= 0 for c in cases)
    assert all(c.get("name") and c.get("classname") for c in cases)
    assert all(f.get("message") for c in cases for f in c.findall("failure"))
    return suite, cases


@pytest.mark.parametrize("style", ["aurora", "delta", "hirkan"])
def test_a_served_sandbox_passes_its_plan_and_exits_0(style: str, tmp_path: Path) -> None:
    with sandbox_process(style) as url:
        run = conformance(url, style, tmp_path, "--report", "junit")
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    assert run.stdout.startswith("<?xml")  # --report junit prints the XML itself
    suite, cases = junit_cases(tmp_path / "junit.xml")
    assert suite.get("failures") == "0" and {"credentials", "latency", "scenario.approved"} <= {
        c.get("name") for c in cases
    }
    report = json.loads((tmp_path / "report.json").read_text("utf-8"))
    assert report["style"] == style and report["plan"] == "full"
    assert report["versions"] and all("conditions" in m and "ms" in m for m in report["modules"])
    assert "PASS" in (tmp_path / "report.txt").read_text("utf-8").splitlines()[-1]


def test_a_faulted_sandbox_fails_naming_the_module_and_a_waiver_covers_it(tmp_path: Path) -> None:
    with sandbox_process("aurora", "auth") as url:
        failed = conformance(
            url, "aurora", tmp_path / "plain", "--only", "credentials", "--only", "scenario.*"
        )
        waivers = tmp_path / "waivers.json"
        waivers.write_text(
            json.dumps(
                {
                    "waivers": [
                        {"module": "credentials", "reason": "staging keys rotate tonight"},
                        {"module": "scenario.*", "reason": "same"},
                    ]
                }
            )
        )
        waived = conformance(
            url,
            "aurora",
            tmp_path / "waived",
            "--only",
            "credentials",
            "--only",
            "scenario.*",
            "--waivers",
            str(waivers),
        )
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "FAIL (credentials" in failed.stdout.splitlines()[-1]
    _, cases = junit_cases(tmp_path / "plain" / "junit.xml")
    failure = next(c for c in cases if c.get("name") == "credentials").find("failure")
    assert failure is not None and "credentials" in failure.get("message", "")
    assert waived.returncode == 0, waived.stdout + waived.stderr
    assert "waived: staging keys rotate tonight" in waived.stdout
    suite, _ = junit_cases(tmp_path / "waived" / "junit.xml")
    assert suite.get("failures") == "0"


def test_slow_sandbox_fails_latency_and_bad_options_exit_2(tmp_path: Path) -> None:
    with sandbox_process("echo", "slow") as url:
        slow = conformance(
            url,
            "echo",
            tmp_path,
            "--only",
            "latency",
            "--budget-p50",
            "100",
            "--budget-p95",
            "200",
            "--report",
            "json",
        )
    assert slow.returncode == 1
    latency = next(m for m in json.loads(slow.stdout)["modules"] if m["module"] == "latency")
    assert latency["status"] == "FAILED"
    broken = tmp_path / "waivers.json"
    broken.write_text("[1, 2")
    bad = subprocess.run(
        [
            *CLI,
            "conformance",
            "run",
            "--style",
            "echo",
            "--base-url",
            "http://127.0.0.1:9",
            "--waivers",
            str(broken),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert bad.returncode == 2 and "waivers file" in bad.stderr


def test_the_receiver_listens_where_told_and_the_vendor_gets_its_public_url(tmp_path: Path) -> None:
    port = free_port()
    with sandbox_process("cirrus") as url:  # cirrus delivers to the URL its control is given
        run = conformance(
            url,
            "cirrus",
            tmp_path,
            "--only",
            "webhooks.*",
            "--report",
            "json",
            "--receiver",
            f"127.0.0.1:{port}",
            "--receiver-url",
            f"http://localhost:{port}",
        )
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    delivery = next(m for m in json.loads(run.stdout)["modules"] if m["module"] == "webhooks.delivery")
    assert delivery["status"] == "PASSED"
    assert any(f"localhost:{port}/hooks" in json.dumps(x) for x in delivery["exchanges"])
    bad = subprocess.run(
        [
            *CLI,
            "conformance",
            "run",
            "--style",
            "echo",
            "--base-url",
            "http://127.0.0.1:9",
            "--receiver",
            "nowhere",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert bad.returncode == 2 and "HOST:PORT" in bad.stderr
