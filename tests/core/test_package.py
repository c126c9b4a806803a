"""The package's public face: exports, the error tree, and a light import."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

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


#: classes that declare one exit code because they mean one thing to a script
SAME_MEANING = ({"MissingExtra", "OcrUnavailable", "FaceModelMissing"}, {"CodeNotFound", "OfficerNotFound"})


def _declared_exit_codes() -> dict[int, set[str]]:
    """Every error class in the package that declares its own ``exit_code`` (found in the
    source, so a new module is covered without being listed), by the code it declares."""
    import ast
    import importlib

    root = Path(kyc_sdk.__file__).parent
    found: dict[int, set[str]] = {}
    for path in sorted(root.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.ClassDef) and any(
                isinstance(a, ast.Assign) and any(getattr(t, "id", None) == "exit_code" for t in a.targets)
                for a in node.body
            ):
                module = ".".join(path.relative_to(root.parent).with_suffix("").parts)
                code = getattr(importlib.import_module(module), node.name).exit_code
                found.setdefault(code, set()).add(node.name)
    return found


def test_no_two_meanings_share_an_exit_code() -> None:
    declared = _declared_exit_codes()
    assert {"OfficerNotFound", "CodeNotFound", "MissingExtra", "HistoryRewritten"} <= set().union(
        *declared.values()
    )
    for code, names in declared.items():
        assert code in errors.EXIT_CODES, (code, names)
        assert len(names) == 1 or names in SAME_MEANING, f"exit {code} is declared by {sorted(names)}"
    assert declared[12] == {"MissingExtra", "OcrUnavailable", "FaceModelMissing"}  # install, run again
    assert declared[errors.NOT_FOUND_EXIT] == {"CodeNotFound", "OfficerNotFound"}


def test_readme_documents_every_exit_code() -> None:
    import re

    readme = (Path(kyc_sdk.__file__).parents[1] / "README.md").read_text("utf-8")
    rows = {int(n) for n in re.findall(r"^\| (\d+) \|", readme, flags=re.MULTILINE)}
    assert rows == set(errors.EXIT_CODES)


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
