"""The kit's credentials and waivers files are named on the command line, so they are
untrusted: an endless or huge file, deep nesting and bad UTF-8 end in a typed
``InputError`` after a bounded read, never in memory growth or a crash."""

from __future__ import annotations

from pathlib import Path

import pytest

from kyc_sdk.conformance.runner import load_settings, load_waivers
from kyc_sdk.errors import InputError
from kyc_sdk.files import MAX_FILE_BYTES, read_text


@pytest.mark.parametrize("load", [load_waivers, lambda p: load_settings("hirkan", "http://h.test", p)])
def test_an_endless_file_is_refused_after_a_bounded_read(load) -> None:
    with pytest.raises(InputError, match="larger than"):
        load("/dev/zero")  # read() of it never ends; only a bound stops it


@pytest.mark.parametrize(
    "content",
    [b"[" * 100_000 + b"]" * 100_000, b'{"waivers": "\xff\xfe"}', b"x" * (MAX_FILE_BYTES + 1)],
    ids=["deep", "not-utf8", "too-big"],
)
def test_hostile_files_are_input_errors(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "given.json"
    path.write_bytes(content)
    for load in (load_waivers, lambda p: load_settings("hirkan", "http://h.test", p)):
        with pytest.raises(InputError):
            load(path)


def test_a_small_file_reads_and_a_missing_one_is_typed(tmp_path: Path) -> None:
    path = tmp_path / "waivers.json"
    path.write_text('{"waivers": [{"module": "latency", "reason": "a slow test box"}]}', "utf-8")
    assert load_waivers(path) == {"latency": "a slow test box"}
    with pytest.raises(InputError, match="cannot read"):
        read_text(tmp_path / "absent.json", "waivers")
