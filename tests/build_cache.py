"""Generated test inputs kept in ``build/test-cache`` between pytest processes and runs.

Generating a person's video takes seconds of CPU (``tests/browser/cameras.py``). A cache
entry is named by a hash of everything that could change its bytes (the package's files,
the test code that makes them, their inputs, every installed distribution's version), so
changing any of them makes new files:
a stale entry is never read, and older entries of the group are removed. Entries are made
under a temporary name and renamed into place, so a reader (or a second process making the
same entry) never sees half of one.
"""

from __future__ import annotations

import functools
import hashlib
import os
import shutil
import sys
import tempfile
from collections.abc import Callable
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / "build" / "test-cache"


@functools.cache
def _code_digest() -> bytes:
    digest = hashlib.sha256()
    package = sorted(p for p in (ROOT / "kyc_sdk").rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    for path in package:
        digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes())
    versions = sorted(f"{d.metadata['Name']}=={d.version}" for d in metadata.distributions())
    digest.update("\n".join([sys.version, *versions]).encode())
    return digest.digest()


def key(*made_by: Path) -> str:
    """The package and the environment, and ``made_by``: the test code and inputs that make an entry."""
    digest = hashlib.sha256(_code_digest())
    for path in made_by:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def folder(group: str, made_by: list[Path], make: Callable[[Path], None]) -> Path:
    """``group``'s folder of files, filled by ``make(folder)`` unless this code made it already."""
    done = CACHE / f"{group}-{key(*made_by)}"
    if done.is_dir():
        return done
    CACHE.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{group}-", dir=CACHE))
    try:
        make(work)
        work.chmod(0o755)
        os.rename(work, done)
    except OSError:
        if not done.is_dir():  # not a second process that finished first
            raise
    finally:
        shutil.rmtree(work, ignore_errors=True)
    for old in CACHE.glob(f"{group}-*"):
        if old != done:
            shutil.rmtree(old, ignore_errors=True)
    return done
