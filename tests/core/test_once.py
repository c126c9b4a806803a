"""MemoryOnce: the one-process OnceGuard."""

from __future__ import annotations

from kyc_sdk.once import MemoryOnce, OnceGuard


def test_a_key_is_used_once_until_it_expires() -> None:
    guard = MemoryOnce()
    assert isinstance(guard, OnceGuard)
    assert guard.first_use("webhook", "evt-1", expires_at=100.0, now=0.0)
    assert not guard.first_use("webhook", "evt-1", expires_at=200.0, now=99.0)
    assert guard.first_use("nonce", "evt-1", expires_at=100.0, now=0.0)  # namespaces are apart
    assert guard.first_use("webhook", "evt-1", expires_at=300.0, now=100.0)  # expired: usable again


def test_expired_keys_are_dropped_so_memory_stays_bounded() -> None:
    guard = MemoryOnce()
    for i in range(5000):
        guard.first_use("w", str(i), expires_at=float(i) + 1, now=float(i))
    assert len(guard._seen) <= 1026
