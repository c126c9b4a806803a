"""Attestation throughput on one core: sign/s and verify/s, EdDSA and ES256.

Method: one process (one core), a synthetic Outcome with five checks and two attempts
(a ~2.3 KB token), N calls in a loop after a warm-up; best of 3 runs is reported as
calls per second, with the raw cryptographic primitive alone (cryptography's sign/verify
of the same signing input) as the ceiling. Goals (issue): sign >= 5,000/s, verify >= 3,000/s.

    .venv/bin/python benchmarks/attest_bench.py [-n 2000]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, ed25519

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kyc_sdk.attestation import KeyRing, generate, load_jwks, sign, verify
from tests.attestation.factory import SUBJECT_KEY, outcome


def rate(fn: Callable[[], object], n: int) -> float:
    for _ in range(min(n, 200)):
        fn()
    best = 0.0
    for _ in range(3):
        start = time.perf_counter()
        for _ in range(n):
            fn()
        best = max(best, n / (time.perf_counter() - start))
    return best


def bench(alg: str, n: int) -> None:
    key = generate(alg)
    ring = KeyRing()
    ring.add(key)
    jwks = load_jwks(ring.jwks())
    now = datetime.now(UTC)
    out = outcome()
    token = sign(out, key, now=now, subject_key=SUBJECT_KEY)
    signing_input = token.rsplit(".", 1)[0].encode()
    s = rate(lambda: sign(out, key, now=now, subject_key=SUBJECT_KEY), n)
    v = rate(lambda: verify(token, jwks, now=now), n)
    priv, pub = key.private_key, key.public_key
    if isinstance(priv, ed25519.Ed25519PrivateKey) and isinstance(pub, ed25519.Ed25519PublicKey):
        ed_priv, ed_pub = priv, pub
        ed_sig = ed_priv.sign(signing_input)
        raw_s = rate(lambda: ed_priv.sign(signing_input), n)
        raw_v = rate(lambda: ed_pub.verify(ed_sig, signing_input), n)
    elif isinstance(priv, ec.EllipticCurvePrivateKey) and isinstance(pub, ec.EllipticCurvePublicKey):
        ec_priv, ec_pub, ecdsa = priv, pub, ec.ECDSA(hashes.SHA256())
        ec_sig = ec_priv.sign(signing_input, ecdsa)
        raw_s = rate(lambda: ec_priv.sign(signing_input, ecdsa), n)
        raw_v = rate(lambda: ec_pub.verify(ec_sig, signing_input, ecdsa), n)
    else:
        raise SystemExit(f"{alg}: no raw primitive to compare with")
    print(
        f"{alg:6} token {len(token)} B  sign {s:8.0f}/s  verify {v:8.0f}/s   "
        f"(primitive alone: sign {raw_s:8.0f}/s, verify {raw_v:8.0f}/s)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=2000)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core, as the goal says
    print(f"attestation throughput, one core, best of 3 x {args.n} calls")
    print(
        "load average before: {:.2f} {:.2f} {:.2f} (a shared machine halves these figures)".format(
            *os.getloadavg()
        )
    )
    for alg in ("EdDSA", "ES256"):
        bench(alg, args.n)


if __name__ == "__main__":
    main()
