"""The subject key file is named by the operator (``KYC_SDK_SUBJECT_KEY``,
``--subject-key``): a wrong path such as ``/dev/zero`` or a disk image is refused with a
typed error after a bounded read, not read into memory."""

from __future__ import annotations

from pathlib import Path

import pytest

from kyc_sdk.errors import InputError
from kyc_sdk.files import MAX_FILE_BYTES
from kyc_sdk.service.config import ServiceConfig, open_services


def _open(tmp_path: Path, subject_key: str) -> None:
    with open_services(ServiceConfig(db=str(tmp_path / "kyc.db"), subject_key=subject_key, sandboxes=())):
        pass


def test_an_endless_subject_key_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="larger than"):
        _open(tmp_path, "/dev/zero")  # read() of it never ends; only a bound stops it


def test_a_huge_subject_key_file_is_refused(tmp_path: Path) -> None:
    huge = tmp_path / "disk.img"
    with huge.open("wb") as f:
        f.truncate(MAX_FILE_BYTES + 1)  # sparse: costs no disk
    with pytest.raises(InputError, match="larger than"):
        _open(tmp_path, str(huge))


def test_a_missing_subject_key_file_is_a_typed_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read"):
        _open(tmp_path, str(tmp_path / "absent.key"))
