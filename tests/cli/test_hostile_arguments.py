"""Command-line arguments are untrusted: a pipe, ``/dev/zero``, a port or a time out of range,
a path that cannot be written, a configuration the service cannot start with. Each gets
a typed error and its exit code before any work, never a traceback, a hang or a run that
blames a vendor for the caller's slip (found by a sweep of every command, stop 27)."""

from __future__ import annotations

import json
import math
import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from kyc_sdk.cli import main
from kyc_sdk.errors import InputError
from tests.ports import free_port

CLI = [sys.executable, "-m", "kyc_sdk.cli"]


def cli(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    assert not isinstance(result.exception, Exception), result.exception  # SystemExit is not one
    return result.exit_code, result.output


def run_apart(*args: str, memory: int = 2 << 30) -> subprocess.CompletedProcess[str]:
    """The CLI in its own process: the old code hung on a pipe or read /dev/zero whole,
    which must fail this test rather than the test process."""

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

    return subprocess.run(
        [*CLI, *args],
        check=False,
        capture_output=True,
        text=True,
        timeout=60,
        preexec_fn=cap,
        stdin=subprocess.DEVNULL,
    )


def test_a_token_file_that_is_a_pipe_is_refused_not_waited_on(tmp_path: Path) -> None:
    (tmp_path / "jwks.json").write_text('{"keys": []}')
    os.mkfifo(tmp_path / "token")  # no writer: opening it to read would wait for ever
    try:
        done = run_apart("attest", "verify", f"@{tmp_path / 'token'}", "--jwks", str(tmp_path / "jwks.json"))
    except subprocess.TimeoutExpired:
        pytest.fail("attest verify waited on a pipe")
    assert done.returncode == InputError.exit_code and "pipe" in done.stderr, done.stderr


def test_an_endless_selfie_file_is_refused_after_a_bounded_read() -> None:
    done = run_apart("verify", "--provider", "aurora", "--sandbox", "--selfie", "/dev/zero")
    assert done.returncode == InputError.exit_code, done.stderr[-500:]
    assert "selfie file is larger than" in done.stderr and "Traceback" not in done.stderr


def test_a_key_file_that_cannot_be_written_is_a_typed_error(tmp_path: Path) -> None:
    code, out = cli("attest", "keygen", "--out", str(tmp_path / "missing" / "k.pem"), "--json")
    assert code == InputError.exit_code and json.loads(out)["error"] == "input_error"


@pytest.mark.parametrize("names", ["", ",,", " , "])
def test_a_provider_list_naming_no_one_is_a_typed_error(names: str) -> None:
    code, out = cli("verify", "--provider", names, "--sandbox", "--json")
    assert code == InputError.exit_code and "names no provider" in json.loads(out)["message"]


@pytest.mark.parametrize(
    "args",
    [
        ["serve", "--port", "99999"],
        ["serve", "--port", "-1"],
        ["sandbox", "serve", "hirkan", "--port", "70000"],
        ["sandbox", "serve", "hirkan", "--slow-seconds", "nan"],
        ["verify", "--provider", "hirkan", "--sandbox", "--deadline", "nan"],
        ["verify", "--provider", "hirkan", "--sandbox", "--deadline", "-1"],
        ["verify", "--provider", "hirkan", "--sandbox", "--deadline", "inf"],
        ["face-match", "a.jpg", "b.jpg", "--threshold", "nan"],
        ["conformance", "run", "--style", "hirkan", "--base-url", "http://h.test", "--deadline", "nan"],
        ["conformance", "run", "--style", "hirkan", "--base-url", "http://h.test", "--webhook-wait", "-2"],
        ["conformance", "run", "--style", "hirkan", "--base-url", "http://h.test", "--budget-p50", "0"],
    ],
    ids=lambda a: " ".join(a[:2] + a[-2:]),
)
def test_numbers_out_of_range_are_usage_errors_before_any_work(args: list[str]) -> None:
    """A port past 65535 was an OverflowError traceback from bind(); a deadline of nan was
    'aurora: answer could not be read', of -1 'deadline exceeded'; a threshold of nan
    refused every pair in silence; a kit run with a nan deadline failed every module."""
    code, out = cli(*args)
    assert code == 2 and "Invalid value for" in out, out


@pytest.mark.parametrize("url", ["file:///etc/passwd", "http://[::1", "h.test:8000"])
def test_a_base_url_that_is_not_http_is_refused_before_the_kit_runs(url: str) -> None:
    """It ran the whole plan and reported every module FAILED, as if the vendor were at fault."""
    code, out = cli("conformance", "run", "--style", "hirkan", "--base-url", url, "--plan", "basic")
    assert code == InputError.exit_code and "base URL" in out, out


def test_an_only_pattern_that_matches_no_module_is_not_a_pass() -> None:
    """A mistyped --only ran nothing and exited 0 with PASS."""
    code, out = cli(
        "conformance", "run", "--style", "hirkan", "--base-url", "http://h.test", "--only", "nope*"
    )
    assert code == InputError.exit_code and "no module" in out, out


@pytest.mark.parametrize("kind", ["db", "signing-key"])
def test_serve_refuses_a_configuration_it_cannot_start_with_before_the_server(
    tmp_path: Path, kind: str
) -> None:
    """A bad --db or key file started uvicorn, whose lifespan logged a traceback and exited 3."""
    not_a_db = tmp_path / "notes.txt"
    not_a_db.write_text("not a database\n" * 100)
    args = ["serve", "--port", str(free_port()), "--db"]
    if kind == "db":
        args += [str(not_a_db)]
    else:
        args += [str(tmp_path / "kyc.db"), "--signing-key", str(not_a_db)]
    done = run_apart(*args)
    assert done.returncode not in (0, 3) and done.stderr.startswith("error: "), done.stderr[-800:]
    assert "Traceback" not in done.stderr and "uvicorn" not in done.stderr


# --- the library beneath: the same slips from Python -----------------------------------------


@pytest.mark.parametrize("seconds", [math.nan, 0.0, -1.0])
def test_a_deadline_that_is_not_above_zero_is_an_input_error(seconds: float) -> None:
    from kyc_sdk.client import KYC
    from kyc_sdk.models import Subject, VerificationRequest
    from kyc_sdk.sandbox import Sandboxes, sample_request

    request = sample_request(VerificationRequest(subject=Subject()))
    with (
        Sandboxes(["hirkan"]) as sb,
        KYC(sb.providers(), transport=sb.transport) as kyc,
        pytest.raises(InputError, match="deadline"),
    ):
        kyc.verify(request, deadline=seconds)


@pytest.mark.parametrize("threshold", [math.nan, math.inf, 0.0, -0.5])
def test_a_face_threshold_that_is_not_a_distance_is_an_input_error(threshold: float) -> None:
    import numpy as np

    from kyc_sdk import faces

    same = np.full(128, 0.1)
    with pytest.raises(InputError, match="threshold"):
        faces.match(same, same, threshold=threshold)


@pytest.mark.parametrize("field", ["deadline", "webhook_wait", "budget_p50_ms", "budget_p95_ms"])
def test_kit_options_refuse_times_that_are_not_above_zero(field: str) -> None:
    from kyc_sdk.conformance import Options

    for value in (math.nan, -1.0, 0.0, math.inf):
        with pytest.raises(InputError, match=field):
            Options(**{field: value})


def test_a_database_url_of_another_kind_is_named_not_opened_as_a_file(tmp_path: Path) -> None:
    """``--db mysql://x`` was taken for a SQLite file name: 'busy or unreadable'."""
    code, out = cli("sana", "show", "1", "--db", "mysql://db/kyc", "--json")
    assert code == InputError.exit_code and "mysql://" in json.loads(out)["message"]
    code, out = cli("sana", "show", "1", "--db", "kyc:s3cret@db://kyc", "--json")  # a slip, not a scheme
    assert code == InputError.exit_code and "s3cret" not in out


def test_a_video_path_that_is_a_device_is_not_called_missing() -> None:
    code, out = cli("liveness", "--video", "/dev/zero", "--challenge", "blink", "--json")
    assert code == 2 and "device" in json.loads(out)["message"]
