"""Reading the small files a person names on the command line (JWKS, tokens, credentials,
waivers): bounded, so ``/dev/zero`` or a mistaken disk image is refused rather than read
into memory."""

from __future__ import annotations

from pathlib import Path

from kyc_sdk.errors import InputError

#: JWKS, outcomes, tokens, credentials and waivers files are a few KiB.
MAX_FILE_BYTES = 1024 * 1024


def read_bytes(path: str | Path, what: str, limit: int = MAX_FILE_BYTES) -> bytes:
    """A small file's bytes, or ``InputError`` (unreadable, larger than ``limit`` bytes).
    At most ``limit + 1`` bytes are ever read."""
    try:
        with open(path, "rb") as f:
            data = f.read(limit + 1)
    except OSError as err:
        raise InputError(f"cannot read the {what} file") from err
    if len(data) > limit:
        raise InputError(f"the {what} file is larger than {limit} bytes")
    return data


def read_text(path: str | Path, what: str, limit: int = MAX_FILE_BYTES) -> str:
    """A small UTF-8 file's text, or ``InputError`` (unreadable, larger than ``limit``
    bytes, not UTF-8)."""
    try:
        return read_bytes(path, what, limit).decode()
    except UnicodeDecodeError as err:
        raise InputError(f"cannot read the {what} file as UTF-8 text") from err
