"""The console script's own contract: a missing extra is a typed error naming it (exit 12,
JSON under --json), Ctrl-C exits 130, and JSON survives a stdout that is not UTF-8."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

from kyc_sdk.errors import MissingExtra

ROOT = Path(__file__).resolve().parents[2]

# Loaded before anything else in the child (sitecustomize): the named top-level modules
# cannot be imported, as on a machine where their extra was never installed.
BLOCKER = """
import sys
HIDDEN = set({hidden!r})
class Hide:
    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] in HIDDEN:
            raise ModuleNotFoundError(f"No module named {{name!r}}", name=name)
        return None
sys.meta_path.insert(0, Hide())
"""


def run_cli(
    args: list[str], tmp_path: Path, hidden: tuple[str, ...] = (), **env: str
) -> subprocess.CompletedProcess[str]:
    site = tmp_path / "site"
    site.mkdir(exist_ok=True)
    (site / "sitecustomize.py").write_text(BLOCKER.format(hidden=hidden))
    environ = {**os.environ, "PYTHONPATH": os.pathsep.join([str(site), str(ROOT)]), **env}
    return subprocess.run(
        [sys.executable, "-c", "from kyc_sdk.entry import run; run()", *args],
        capture_output=True,
        text=True,
        env=environ,
        timeout=120,
        cwd=tmp_path,
        check=False,
    )


@pytest.mark.parametrize(
    ("args", "hidden", "extra"),
    [
        (["face-match", "a.jpg", "b.jpg", "--json"], ("dlib",), "faces"),
        (["ocr", "mrz", "page.png", "--json"], ("tesserocr",), "ocr"),
        (["attest", "keygen", "--out", "k.json", "--json"], ("joserfc",), "attest"),
        (["--version", "--json"], ("click",), "cli"),
    ],
)
def test_a_missing_extra_is_a_typed_error_that_names_it(
    tmp_path: Path, args: list[str], hidden: tuple[str, ...], extra: str
) -> None:
    for name in ("a.jpg", "b.jpg", "page.png"):
        (tmp_path / name).write_bytes(b"\x89PNG\r\n\x1a\n")
    done = run_cli(args, tmp_path, hidden)
    assert done.returncode == MissingExtra.exit_code, done.stderr[-2000:]
    out = json.loads(done.stdout)
    assert out["error"] == "missing_extra" and out["extra"] == extra, out
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize(
    ("args", "hidden", "extra"),
    [
        (["attest", "keygen", "--out", "k.json"], ("joserfc",), "attest"),
        (["sandbox", "serve", "hirkan"], ("starlette", "uvicorn"), "sandbox"),
    ],
)
def test_without_json_the_missing_extra_is_one_line_on_stderr(
    tmp_path: Path, args: list[str], hidden: tuple[str, ...], extra: str
) -> None:
    done = run_cli(args, tmp_path, hidden)
    assert done.returncode == MissingExtra.exit_code
    assert done.stdout == "" and f"pip install 'kyc-sdk[{extra}]'" in done.stderr
    assert "Traceback" not in done.stderr


def test_reading_a_store_does_not_need_the_attest_extra(tmp_path: Path) -> None:
    code = (
        "try:\n    import joserfc\nexcept ModuleNotFoundError:\n    pass\n"
        "else:\n    raise SystemExit('joserfc importable')\n"
        "from kyc_sdk.sana import open_store\n"
        "s = open_store('s.db'); print(s.verify_audit().valid); s.close()"
    )
    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(BLOCKER.format(hidden=("joserfc",)))
    environ = {**os.environ, "PYTHONPATH": os.pathsep.join([str(site), str(ROOT)])}
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=environ,
        timeout=60,
        cwd=tmp_path,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "True"


def test_ctrl_c_exits_130(monkeypatch: pytest.MonkeyPatch) -> None:
    from kyc_sdk import entry
    from kyc_sdk.cli import main

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(type(main), "invoke", interrupted)
    with pytest.raises(SystemExit) as done:
        entry.run(["verify", "--help"])
    assert done.value.code == entry.EXIT_INTERRUPTED


@pytest.mark.slow  # reads a card image in a fresh process: ~3.5 s
def test_ocr_json_survives_a_stdout_that_is_not_utf8(tmp_path: Path) -> None:
    from kyc_sdk.docs_ocr import synth

    card = tmp_path / "card.png"
    from PIL import Image

    Image.fromarray(synth.render_national_card(synth.random_person(random.Random(3)))).save(card)
    done = run_cli(["ocr", "national-card", str(card), "--json"], tmp_path, PYTHONIOENCODING="ascii")
    assert done.returncode in (0, 2), done.stderr[-2000:]
    out = json.loads(done.stdout)  # Persian arrives as \\u escapes, and parses back
    assert any(ord(c) > 127 for c in json.dumps(out, ensure_ascii=False)), out
    assert "Traceback" not in done.stderr
