"""Single use of a key within its lifetime: webhook event ids, challenge nonces, replayed
tokens.

A replay is refused only if every process that can accept it consults the same record, so
anything that must hold across processes or replicas takes a ``OnceGuard`` backed by the
store (``kyc_sdk.sana.SqlStore`` implements it on SQLite and PostgreSQL). ``MemoryOnce``
is for one process: tests, examples and a library user who runs a single worker.
"""

from __future__ import annotations

import threading
from collections.abc import MutableSet
from typing import Protocol, runtime_checkable


@runtime_checkable
class OnceGuard(Protocol):
    def first_use(self, namespace: str, key: str, *, expires_at: float, now: float) -> bool:
        """Record ``key`` in ``namespace`` until ``expires_at`` (epoch seconds).

        True the first time; False while an earlier record of the same key has not
        expired. Keys are compared exactly; callers hash anything long or personal.
        """
        ...


class MemoryOnce:
    """A ``OnceGuard`` in this process's memory; expired keys are dropped as it goes."""

    def __init__(self) -> None:
        self._seen: dict[tuple[str, str], float] = {}
        self._prune_at = 1024
        self._lock = threading.Lock()

    def first_use(self, namespace: str, key: str, *, expires_at: float, now: float) -> bool:
        with self._lock:
            if len(self._seen) > self._prune_at:
                # Keys kept for a year rarely expire: prune only when the dict has doubled,
                # so each call costs O(1) amortised instead of a copy of every live key.
                self._seen = {k: exp for k, exp in self._seen.items() if exp > now}
                self._prune_at = max(1024, 2 * len(self._seen))
            held = self._seen.get((namespace, key))
            if held is not None and held > now:
                return False
            self._seen[(namespace, key)] = expires_at
            return True


class SetOnce:
    """A ``OnceGuard`` over a caller's set of keys, for code written before ``OnceGuard``:
    one process only, and nothing ever expires. Prefer the store's guard."""

    def __init__(self, keys: MutableSet[str]) -> None:
        self.keys = keys
        self._lock = threading.Lock()

    def first_use(self, namespace: str, key: str, *, expires_at: float, now: float) -> bool:
        with self._lock:
            if key in self.keys:
                return False
            self.keys.add(key)
            return True
