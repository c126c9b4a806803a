"""The package's public face: exports, the error tree, and a light import."""

from __future__ import annotations

import subprocess
import sys

import kyc_sdk
from kyc_sdk import errors


def test_exported_members_resolve() -> None:
    for name in kyc_sdk.__all__:
        assert getattr(kyc_sdk, name) is not None, name


def test_error_tree_matches_design() -> None:
    assert issubclass(errors.InputError, ValueError)
    assert issubclass(errors.InvalidIdentifier, errors.InputError)
    assert issubclass(errors.ImageRejected, errors.InputError)
    for cls in (
        errors.AuthenticationFailed,
        errors.RateLimited,
        errors.ProviderUnavailable,
        errors.ProviderProtocolError,
    ):
        assert issubclass(cls, errors.ProviderError)
    for cls in errors.ALL_ERRORS:
        assert issubclass(cls, errors.KycError)
        assert isinstance(cls.retryable, bool) and isinstance(cls.exit_code, int)


def test_only_could_not_decide_errors_are_retryable() -> None:
    retryable = {cls for cls in errors.ALL_ERRORS if cls.retryable}
    assert retryable == {errors.RateLimited, errors.ProviderUnavailable, errors.NoProviderAvailable}


def test_exit_codes_tell_the_leaf_classes_apart() -> None:
    leaves = [
        errors.InputError,
        errors.AuthenticationFailed,
        errors.RateLimited,
        errors.ProviderUnavailable,
        errors.ProviderProtocolError,
        errors.NoProviderAvailable,
        errors.WebhookRejected,
        errors.AttestationError,
        errors.IssuanceError,
        errors.MissingExtra,
    ]
    codes = [cls.exit_code for cls in leaves]
    assert len(set(codes)) == len(codes) and 0 not in codes


def test_error_json_has_no_values() -> None:
    err = errors.InvalidIdentifier("national code fails its checksum", field="national_code")
    assert err.to_dict() == {
        "error": "invalid_identifier",
        "message": "national code fails its checksum",
        "retryable": False,
        "field": "national_code",
    }


def test_import_loads_nothing_heavy() -> None:
    code = (
        "import sys, kyc_sdk; heavy = {'cv2', 'dlib', 'face_recognition', 'numpy', 'httpx', 'PIL'}; "
        "print(sorted(heavy & set(sys.modules)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
