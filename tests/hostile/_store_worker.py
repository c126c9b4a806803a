"""An issuing process for the store campaign (``tests/hostile/test_stores.py``).

    python -m tests.hostile._store_worker URL KEY_JWK_FILE SEED PEOPLE

Issues (and every fifth time re-issues) codes for people drawn at random from PEOPLE
synthetic passport holders, shared with the other workers, until killed. Prints one JSON
line per acknowledged call, written whole before the next call: what the caller was told
is exactly what the store must keep. A ``StoreUnavailable`` (a server restarting) is
printed as such and the call is not acknowledged; the worker waits a little and goes on.
"""

from __future__ import annotations

import json
import os
import random
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from kyc_sdk.attestation import KeyRing, load_jwks, sign
from kyc_sdk.attestation.keys import from_jwk
from kyc_sdk.sana import Issuer, StoreUnavailable, open_store
from tests.attestation.factory import SUBJECT_KEY, outcome


def main(argv: list[str]) -> None:
    url, key_file, seed, people = argv[0], argv[1], int(argv[2]), int(argv[3])
    key = from_jwk(Path(key_file).read_text())
    ring = KeyRing()
    ring.add(key)
    now = datetime.now(UTC)
    rng = random.Random(seed)
    while True:
        try:
            issuer = Issuer(open_store(url), load_jwks(ring.jwks()), clock=lambda: now)
            break
        except StoreUnavailable:
            time.sleep(0.05)
    while True:
        person = rng.randrange(people)
        reissue = rng.random() < 0.2
        token = sign(
            outcome(national_code=None, passport=f"P{person:08d}"), key, now=now, subject_key=SUBJECT_KEY
        )
        try:
            got = (issuer.reissue if reissue else issuer.issue)(token)
        except StoreUnavailable:
            os.write(1, b'{"unavailable": 1}\n')
            time.sleep(0.02)
            continue
        line = {"sub": got.subject, "code": got.sana_code, "new": got.new, "reissue": reissue}
        os.write(1, (json.dumps(line) + "\n").encode())  # one write: a kill leaves a whole line or none


if __name__ == "__main__":
    main(sys.argv[1:])
