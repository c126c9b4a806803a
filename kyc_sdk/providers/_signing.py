"""HMAC helpers for the adapters whose styles sign with a shared secret (the sandboxes
keep their own, in ``kyc_sdk/sandbox/_crypto.py``: an independent implementation).

Spec: docs/styles/index.md ("Webhook auth" and "Auth" rows). Comparisons are constant-time
(``hmac.compare_digest``) so a forger learns nothing from timing.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable

import httpx

from kyc_sdk.providers.base import spoil

#: Digest names as vendors spell them → hashlib constructors.
ALGORITHMS = {"sha1": hashlib.sha1, "sha256": hashlib.sha256, "sha512": hashlib.sha512}


def hmac_hex(secret: str | bytes, data: str | bytes, algorithm: str = "sha256") -> str:
    """Lowercase hex HMAC of ``data`` under ``secret``."""
    key = secret.encode() if isinstance(secret, str) else secret
    msg = data.encode() if isinstance(data, str) else data
    return hmac.new(key, msg, ALGORITHMS[algorithm]).hexdigest()


def matches_any(
    given: str | None, secrets: Iterable[str], data: str | bytes, algorithm: str = "sha256"
) -> bool:
    """True when ``given`` is the HMAC of ``data`` under any of ``secrets`` (key rotation).

    Every secret is tried, so the time taken does not tell which one matched.
    """
    if not isinstance(given, str) or not given.isascii():  # compare_digest takes ASCII str only
        return False
    given = given.strip().lower()
    if not given:
        return False
    found = False
    for secret in secrets:
        if secret and hmac.compare_digest(given, hmac_hex(secret, data, algorithm)):
            found = True
    return found


def with_header_spoiled(request: httpx.Request, header: str) -> httpx.Request:
    """``request`` with the signature in ``header`` spoiled and all else as signed (what
    the conformance kit sends to see a forged request refused)."""
    if header not in request.headers:
        return request
    headers = httpx.Headers(request.headers)
    headers[header] = str(spoil(headers[header]))
    made = httpx.Request(request.method, request.url, headers=headers, content=request.read())
    made.extensions = dict(request.extensions)
    return made
