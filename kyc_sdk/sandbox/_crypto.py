"""The vendor side's HMAC arithmetic, shared by the sandboxes that sign with a shared secret.

Written from the style pages (docs/styles/), not taken from the adapters: a sandbox is the
second, independent implementation of each style, so both sides are checked against the
published test vectors (tests/vectors/) instead of against each other. Comparisons are
constant-time, so a forger learns nothing from timing.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Iterable

#: Digest names the styles use → hashlib constructors.
DIGESTS = {"sha1": hashlib.sha1, "sha256": hashlib.sha256, "sha512": hashlib.sha512}


def _bytes(value: str | bytes) -> bytes:
    return value.encode() if isinstance(value, str) else value


def hmac_hex(secret: str | bytes, message: str | bytes, digest: str = "sha256") -> str:
    """Lowercase hex HMAC of ``message`` under ``secret``."""
    return hmac.new(_bytes(secret), _bytes(message), DIGESTS[digest]).hexdigest()


def hmac_base64(secret: str | bytes, message: str | bytes) -> str:
    """Standard base64 (with padding) of HMAC-SHA256 of ``message`` under ``secret``."""
    return base64.b64encode(hmac.new(_bytes(secret), _bytes(message), hashlib.sha256).digest()).decode()


def same(given: object, expected: str) -> bool:
    """``given`` equals ``expected``, compared in constant time; False for a non-string or
    non-ASCII value (``compare_digest`` takes ASCII text only)."""
    return isinstance(given, str) and given.isascii() and hmac.compare_digest(given, expected)


def hex_matches_any(
    given: object, secrets: Iterable[str], message: str | bytes, digest: str = "sha256"
) -> bool:
    """True when ``given`` is the hex HMAC of ``message`` under one of ``secrets`` (two are
    active while a secret rotates). Every secret is tried, so timing does not say which."""
    found = False
    for secret in secrets:
        found |= same(given, hmac_hex(secret, message, digest))
    return found
