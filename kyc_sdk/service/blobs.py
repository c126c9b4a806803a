"""Uploaded evidence on disk, named by its SHA-256, streamed in with a size cap.

An upload is written to a temporary file in the same folder while it is hashed, and
renamed to its digest only when complete, so a reader never sees half a file and a body
past the cap costs at most the cap in disk and one chunk in memory. Two replicas storing
the same bytes write the same name (the rename is atomic). Replicas on several hosts
share the folder (a network volume); the database keeps only the digests.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import tempfile
from collections.abc import AsyncIterator
from pathlib import Path

_DIGEST = re.compile(r"[0-9a-f]{64}")


class TooLarge(Exception):
    """The body went past the cap; nothing was kept."""


class EmptyBody(Exception):
    """The body held nothing; nothing was kept."""


class Blobs:
    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)

    def path(self, digest: str) -> Path:
        if not _DIGEST.fullmatch(digest):
            raise ValueError("not a SHA-256 digest")
        return self.folder / digest[:2] / digest

    async def put(self, chunks: AsyncIterator[bytes], limit: int) -> tuple[str, int]:
        """Store the streamed body; its (digest, size). ``TooLarge`` past ``limit`` bytes,
        ``EmptyBody`` for none."""
        digest, size = hashlib.sha256(), 0
        fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=".upload-")
        try:
            with os.fdopen(fd, "wb") as out:
                async for chunk in chunks:
                    size += len(chunk)
                    if size > limit:
                        raise TooLarge
                    digest.update(chunk)
                    out.write(chunk)
            if size == 0:
                raise EmptyBody
            name = digest.hexdigest()
            target = self.path(name)
            target.parent.mkdir(exist_ok=True)
            os.replace(tmp, target)
            return name, size
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
            raise

    def get(self, digest: str) -> bytes:
        return self.path(digest).read_bytes()
