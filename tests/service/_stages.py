"""Module-level functions for the stage pool's tests (a worker process imports them)."""

from __future__ import annotations

import os
import time
from pathlib import Path

from kyc_sdk.errors import ImageRejected


def record_warm_up(path: str) -> None:
    """A warm-up that leaves this worker's pid in ``path``, one line per warm-up."""
    with open(path, "a", encoding="utf-8") as out:
        out.write(f"{os.getpid()}\n")


def square(x: int) -> tuple[int, int]:
    return x * x, os.getpid()


def reject(reason: str) -> None:
    raise ImageRejected("an image we will not process", reason=reason)


def leave_pid_then_sleep(path: str, seconds: float) -> int:
    Path(path).write_text(str(os.getpid()), encoding="utf-8")
    time.sleep(seconds)
    return os.getpid()


def call_quit() -> None:
    quit()


def hold(seconds: float) -> int:
    time.sleep(seconds)
    return os.getpid()
