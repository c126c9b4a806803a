"""Reading the small files a person names on the command line (JWKS, tokens, credentials,
waivers): bounded, so ``/dev/zero`` or a mistaken disk image is refused rather than read
into memory."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from kyc_sdk.errors import InputError

#: JWKS, outcomes, tokens, credentials and waivers files are a few KiB.
MAX_FILE_BYTES = 1024 * 1024


def read_bytes(path: str | Path, what: str, limit: int = MAX_FILE_BYTES) -> bytes:
    """A small file's bytes, or ``InputError`` (unreadable, a pipe, larger than ``limit``
    bytes). At most ``limit + 1`` bytes are ever read."""
    try:
        # O_NONBLOCK: opening a FIFO no one writes to would otherwise wait for ever; it has
        # no effect on a file's reads
        with open(os.open(path, os.O_RDONLY | os.O_NONBLOCK), "rb") as f:
            pipe = stat.S_ISFIFO(os.fstat(f.fileno()).st_mode)
            data = b"" if pipe else f.read(limit + 1)
    except (OSError, ValueError) as err:  # ValueError: a NUL in the path
        raise InputError(f"cannot read the {what} file") from err
    if pipe:
        raise InputError(f"the {what} file is a pipe, not a file")
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
