"""The CLI contract: JSON shapes, exit codes from the error classes, sandbox options."""

from __future__ import annotations

import json
import time

import pytest
from click.testing import CliRunner

from kyc_sdk.cli import main
from kyc_sdk.errors import InputError, NoProviderAvailable
from tests.ports import free_port


def cli(*args: str) -> tuple[int, dict | list | str]:
    result = CliRunner().invoke(main, list(args))
    try:
        return result.exit_code, json.loads(result.stdout)
    except ValueError:
        return result.exit_code, result.output


@pytest.mark.parametrize("style", ["aurora", "hirkan"])
@pytest.mark.parametrize(
    ("scenario", "decision"),
    [("approved", "APPROVED"), ("declined", "DECLINED"), ("retry", "RETRY"), ("review", "REVIEW")],
)
def test_verify_sandbox_scenarios(style: str, scenario: str, decision: str) -> None:
    code, out = cli("verify", "--provider", style, "--sandbox", "--sandbox-scenario", scenario, "--json")
    assert code == 0, out
    assert out["decision"] == decision and out["provider"] == style
    assert set(out) == {"decision", "checks", "attempts", "provider", "reference", "reasons", "vendor"}
    assert out["attempts"][0]["provider"] == style and "ms" in out["attempts"][0]
    assert "outcome" in out["attempts"][0]


def test_verify_takes_the_person_from_the_command_line() -> None:
    code, out = cli(
        "verify",
        "--provider",
        "hirkan",
        "--sandbox",
        "--national-code",
        "۰۴۹۹۳۷۰۸۹۹",
        "--mobile",
        "+98 912 123 4567",
        "--birth-date",
        "1370/01/01",
        "--first-name",
        "علي",
        "--last-name",
        "رضایی",
        "--json",
    )
    assert code == 0 and out["decision"] == "APPROVED"


@pytest.mark.parametrize(
    ("option", "value", "field"),
    [
        ("--national-code", "1234567890", "national_code"),
        ("--mobile", "0912", "mobile"),
        ("--birth-date", "1404/12/30", "jalali_date"),
    ],
)
def test_invalid_input_exits_2_with_a_json_error(option: str, value: str, field: str) -> None:
    code, out = cli("verify", "--provider", "hirkan", "--sandbox", option, value, "--json")
    assert code == InputError.exit_code == 2
    assert out["error"] == "invalid_identifier" and out["field"] == field
    assert value not in out["message"]


def test_unknown_provider_lists_the_known_ones() -> None:
    code, out = cli("verify", "--provider", "acme", "--sandbox", "--json")
    assert code == 2 and "aurora" in out["message"] and "hirkan" in out["message"]


def test_composition_of_a_document_vendor_and_the_registry() -> None:
    code, out = cli(
        "verify",
        "--provider",
        "aurora,hirkan",
        "--sandbox",
        "--checks",
        "document,face_match,registry,mobile_match",
        "--json",
    )
    assert code == 0 and out["decision"] == "APPROVED"
    assert {(c["kind"], c["provider"]) for c in out["checks"]} == {
        ("document", "aurora"),
        ("face_match", "aurora"),
        ("registry", "hirkan"),
        ("mobile_match", "hirkan"),
    }


@pytest.mark.slow  # about a second: the quick loop (make check) leaves it to the full run
def test_fault_with_a_deadline_ends_in_about_the_deadline() -> None:
    started = time.monotonic()
    code, out = cli(
        "verify",
        "--provider",
        "hirkan",
        "--sandbox",
        "--sandbox-fault",
        "hirkan=slow",
        "--deadline",
        "1",
        "--json",
    )
    took = time.monotonic() - started
    assert code == NoProviderAvailable.exit_code and out["error"] == "no_provider_available"
    assert 0.9 < took < 3.0


def test_faulted_unavailable_lists_the_attempts() -> None:
    code, out = cli(
        "verify", "--provider", "aurora", "--sandbox", "--sandbox-fault", "aurora=unavailable", "--json"
    )
    assert code == NoProviderAvailable.exit_code
    assert [a["error"] for a in out["attempts"]] == ["provider_unavailable"] * 3


def test_no_wait_returns_pending() -> None:
    code, out = cli("verify", "--provider", "aurora", "--sandbox", "--no-wait", "--json")
    assert code == 0 and out["decision"] == "PENDING" and out["reference"]


def test_no_wait_on_a_hosted_flow_gives_the_redirect() -> None:
    code, out = cli("verify", "--provider", "gilan", "--sandbox", "--no-wait", "--json")
    assert code == 0 and out["decision"] == "PENDING"
    assert out["vendor"]["redirect_url"].startswith("https://")


@pytest.mark.parametrize(
    "style", ["aurora", "borealis", "cirrus", "delta", "echo", "fjord", "gilan", "hirkan"]
)
@pytest.mark.parametrize(
    ("scenario", "decision"),
    [("approved", "APPROVED"), ("declined", "DECLINED"), ("retry", "RETRY"), ("review", "REVIEW")],
)
def test_every_style_decides_every_scenario_from_the_cli(style: str, scenario: str, decision: str) -> None:
    code, out = cli("verify", "--provider", style, "--sandbox", "--sandbox-scenario", scenario, "--json")
    assert code == 0 and out["decision"] == decision, out


def test_fallback_across_styles_lists_both_attempts() -> None:
    code, out = cli(
        "verify",
        "--provider",
        "aurora,borealis",
        "--policy",
        "fallback",
        "--sandbox",
        "--sandbox-fault",
        "aurora=unavailable",
        "--json",
    )
    assert code == 0 and out["decision"] == "APPROVED"
    assert out["attempts"][0] == {**out["attempts"][0], "provider": "aurora", "error": "provider_unavailable"}
    assert out["attempts"][-1]["provider"] == "borealis" and out["attempts"][-1]["outcome"] == "APPROVED"


def test_quorum_and_cheapest_from_the_cli() -> None:
    code, out = cli(
        "verify",
        "--provider",
        "aurora,borealis,cirrus",
        "--policy",
        "quorum:2",
        "--sandbox",
        "--checks",
        "document",
        "--json",
    )
    assert code == 0 and out["decision"] == "APPROVED" and len(out["attempts"]) == 3
    code, out = cli(
        "verify",
        "--provider",
        "aurora,borealis,hirkan",
        "--policy",
        "cheapest",
        "--sandbox",
        "--checks",
        "document,registry",
        "--json",
    )
    assert code == 0 and {c["provider"] for c in out["checks"]} >= {"hirkan"}


def test_human_output_and_version() -> None:
    code, out = cli("verify", "--provider", "hirkan", "--sandbox")
    assert code == 0 and "decision: APPROVED" in out
    code, out = cli("--version")
    assert code == 0 and "kyc-sdk" in out


def test_sandbox_scenarios_listing() -> None:
    code, out = cli("sandbox", "scenarios", "hirkan", "--json")
    assert code == 0 and {s["name"] for s in out} >= {"approved", "declined", "retry", "review"}


def test_sandbox_serve_on_loopback() -> None:
    import socket
    import subprocess
    import sys

    from kyc_sdk import KYC, Decision, Subject, VerificationRequest
    from kyc_sdk.sandbox import provider, sample_request

    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "kyc_sdk.cli", "sandbox", "serve", "hirkan", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 15
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                assert time.monotonic() < deadline and server.poll() is None, "server did not start"
                time.sleep(0.1)
        with KYC([provider("hirkan", f"http://127.0.0.1:{port}")]) as kyc:
            result = kyc.verify(sample_request(VerificationRequest(Subject())))
        assert result.decision is Decision.APPROVED
    finally:
        server.terminate()
        server.wait(timeout=10)
