"""A ``Registration`` wired to in-process sandboxes, for the demo, the examples and tests.

Everything a deployment configures is made here on the spot: the vendors are the
in-process sandboxes of a document vendor (``aurora`` by default) and ``hirkan``, routed
by ``Fallback``; a fresh Ed25519 signing key; a random subject key; a SQLite store in
``folder``. No network, no files outside ``folder``.

    with sandboxed(tmp) as reg:
        result = reg.register(application)
"""

from __future__ import annotations

import contextlib
import secrets
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path

from kyc_sdk.registration.flow import Registration, Stage


@contextlib.contextmanager
def sandboxed(
    folder: str | Path,
    *,
    document_vendor: str = "aurora",
    faults: Mapping[str, Iterable[str]] | None = None,
    on_stage: Callable[[Stage], None] | None = None,
) -> Iterator[Registration]:
    """A registration over sandboxes, signing with a new key, issuing into ``folder/sana.db``."""
    from kyc_sdk.attestation import KeyRing, generate, load_jwks
    from kyc_sdk.client import KYC
    from kyc_sdk.once import OnceGuard
    from kyc_sdk.routing import Fallback
    from kyc_sdk.sana import Issuer, open_store
    from kyc_sdk.sandbox import Sandboxes

    ring = KeyRing()
    ring.add(generate())
    store = open_store(str(Path(folder) / "sana.db"))
    try:
        with (
            Sandboxes([document_vendor, "hirkan"], faults=faults) as sb,
            KYC(sb.providers(), transport=sb.transport, policy=Fallback()) as kyc,
        ):
            yield Registration(
                kyc,
                keys=ring,
                subject_key=secrets.token_bytes(32),
                issuer=Issuer(store, load_jwks(ring.jwks())),
                on_stage=on_stage,
                once=store if isinstance(store, OnceGuard) else None,
            )
    finally:
        store.close()
