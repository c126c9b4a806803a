"""``kyc-sdk demo --serve``: the service on embedded defaults, its page's address printed."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

pytestmark = pytest.mark.slow  # a process that renders the sample card and starts the service

ROOT = Path(__file__).resolve().parents[2]


def test_demo_serve_prints_the_page_address_and_serves_it() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "kyc_sdk.cli", "demo", "--serve", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert proc.stdout is not None
        address = proc.stdout.readline().strip()  # printed once the service listens
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+/register", address), address
        page = httpx.get(address, timeout=10)
        assert page.status_code == 200 and 'lang="fa"' in page.text
        base = address.removesuffix("/register")
        subject = {
            "national_code": "0499370899",
            "mobile": "09121234567",
            "first_name": "علی",
            "last_name": "رضایی",
            "birth_date": "1370/01/01",
        }
        made = httpx.post(base + "/v1/cases", json={"path": "resident", "subject": subject}, timeout=10)
        assert made.status_code == 201, made.text  # the API beside it, on its own database
    finally:
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=60)
    assert proc.returncode in (0, 130), err  # uvicorn re-raises the interrupt once it has shut down
    assert "Traceback" not in err
    card = Path(re.search(r"card front: (\S+)", err).group(1))  # type: ignore[union-attr]
    passport = Path(re.search(r"passport page: (\S+)", err).group(1))  # type: ignore[union-attr]
    assert passport.parent == card.parent and "passport P" in err  # both paths can be tried
    assert not card.parent.exists()  # the temporary folder (database, uploads) is gone
