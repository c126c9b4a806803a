"""A separate issuing process for the concurrency and crash tests (and the benchmark).

    python -m tests.sana._worker URL KEY_JWK_FILE FIRST COUNT [--forever]

Signs an attestation for each synthetic person FIRST..FIRST+COUNT-1 (passport numbers,
so no two are the same person), issues their codes, and prints one JSON line per person
(``sub code new``), or, with ``--forever``, loops over new people printing a count until
killed.
"""

from __future__ import annotations

import itertools
import json
import sys
from datetime import UTC, datetime
from pathlib import Path

from kyc_sdk.attestation import KeyRing, load_jwks, sign
from kyc_sdk.attestation.keys import from_jwk
from kyc_sdk.sana import Issuer, open_store
from tests.attestation.factory import SUBJECT_KEY, outcome


def main(argv: list[str]) -> None:
    url, key_file, first, count = argv[0], argv[1], int(argv[2]), int(argv[3])
    key = from_jwk(Path(key_file).read_text())
    ring = KeyRing()
    ring.add(key)
    now = datetime.now(UTC)
    issuer = Issuer(open_store(url), load_jwks(ring.jwks()), clock=lambda: now)
    people = itertools.count(first) if "--forever" in argv else range(first, first + count)
    for n, i in enumerate(people, start=1):
        t = sign(outcome(national_code=None, passport=f"P{i:08d}"), key, now=now, subject_key=SUBJECT_KEY)
        got = issuer.issue(t)
        line = (
            {"n": n} if "--forever" in argv else {"sub": got.subject, "code": got.sana_code, "new": got.new}
        )
        sys.stdout.write(json.dumps(line) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main(sys.argv[1:])
