"""Import hygiene: face_recognition is never imported, kyc_sdk stays light."""

from __future__ import annotations

import subprocess
import sys


def run(code: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    )
    return done.stdout.strip()


def test_faces_never_imports_face_recognition_nor_pkg_resources() -> None:
    out = run(
        "import sys, kyc_sdk.faces as f; f.encoding_of; "
        "from kyc_sdk.faces import _models; _models.encoder(); _models.shape_predictor('5');"
        "print('face_recognition' in sys.modules, 'pkg_resources' in sys.modules)"
    )
    assert out == "False False"


def test_import_kyc_sdk_does_not_load_dlib() -> None:
    assert run("import sys, kyc_sdk; print('dlib' in sys.modules, 'cv2' in sys.modules)") == "False False"


def test_a_missing_model_package_is_a_typed_error(monkeypatch) -> None:
    import pytest

    from kyc_sdk.errors import KycError
    from kyc_sdk.faces import _models

    monkeypatch.setattr(_models, "PACKAGE", "no_such_models_package")
    with pytest.raises(KycError, match="not found") as info:
        _models.model_path("5")
    assert info.value.exit_code == 12  # install something (as a missing extra), not 1
