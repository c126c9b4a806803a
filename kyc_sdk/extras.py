"""Which optional extra installs which import, so a missing one is a ``MissingExtra``
naming what to ``pip install``, never a bare ``ModuleNotFoundError``.

The base install is the client (httpx, anyio, cryptography, jdatetime); everything
else is an extra (see pyproject.toml).
"""

from __future__ import annotations

from kyc_sdk.errors import MissingExtra

#: top-level import name -> the extra that provides it
PROVIDED_BY: dict[str, str] = {
    "click": "cli",
    "tqdm": "cli",
    "starlette": "sandbox",
    "uvicorn": "sandbox",
    "multipart": "sandbox",
    "python_multipart": "sandbox",
    "numpy": "imaging",
    "PIL": "imaging",
    "cv2": "imaging",
    "dlib": "faces",
    "face_recognition_models": "faces",
    "threadpoolctl": "faces",
    "av": "liveness",
    "tesserocr": "ocr",
    "pyzbar": "ocr",
    "zxingcpp": "ocr",
    "joserfc": "attest",
    "psycopg": "postgres",
}


def missing_extra(err: ModuleNotFoundError) -> MissingExtra | None:
    """The ``MissingExtra`` behind an import failure, or None when the module is not one
    of ours to promise (then the failure is a bug, and should be seen as one)."""
    top = (err.name or "").partition(".")[0]
    extra = PROVIDED_BY.get(top)
    return MissingExtra(extra, top) if extra else None
