"""Issue SANA codes from attestations: verify, apply the assurance rules, store.

``Issuer.issue(token)`` verifies the attestation against the JWKS (``AttestationError``
subclasses on failure), requires ``kyc.decision == APPROVED`` and every check the
assurance level demands, then lets the store consume the ``jti`` (a replay is refused by
its primary key) and return the person's code: the same code for every later attestation
of the same ``sub``. Codes are 10 digits from a CSPRNG with a Verhoeff check digit
(``kyc_sdk.identifiers.sana_code``). Spec: docs/architecture.md (Attestations and SANA codes),
docs/identifiers.md (SANA code).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from kyc_sdk.attestation import ASSURANCE_CHECKS, AUDIENCE, ISSUER, verify
from kyc_sdk.attestation.errors import InvalidClaims
from kyc_sdk.identifiers import sana_code
from kyc_sdk.sana.audit import AuditReport
from kyc_sdk.sana.errors import InsufficientChecks, NotApproved
from kyc_sdk.sana.store import Query, Record, SqlStore

#: Runs inside the issuing transaction with the stored record; whatever it raises rolls
#: the issuance back (the service closes its case with the code this way).
Then = Callable[[Query, Record], None]


@dataclass(frozen=True, slots=True)
class Issued:
    sana_code: str
    subject: str
    issued_at: str
    new: bool

    def to_dict(self) -> dict[str, object]:
        return {
            "sana_code": self.sana_code,
            "subject": self.subject,
            "issued_at": self.issued_at,
            "new": self.new,
        }


def _iso(t: datetime) -> str:
    return t.astimezone(UTC).isoformat(timespec="microseconds")


def require_approved(claims: dict[str, Any]) -> None:
    """APPROVED, and every check of the claimed assurance level approved. The decision is
    read first: only an APPROVED attestation carries ``verified_claims``."""
    try:
        kyc = claims["kyc"]
        # an officer's APPROVED (``kyc.review``) settles the checks the machines left in REVIEW
        officer = isinstance(kyc, dict) and isinstance(kyc.get("review"), dict)
        settled = ("APPROVED", "REVIEW") if officer else ("APPROVED",)
        approved = {c["kind"] for c in kyc["checks"] if c["outcome"] in settled}
        decision = kyc["decision"]
        if not isinstance(decision, str):
            raise TypeError("not text")
    except (KeyError, TypeError) as err:  # a signed token may still hold any JSON here
        raise InvalidClaims("attestation lacks the kyc outcome") from err
    if decision != "APPROVED":
        raise NotApproved("the verification was not approved")
    try:
        level = claims["verified_claims"]["verification"]["assurance_level"]
        if not isinstance(level, str):
            raise TypeError("not text")
    except (KeyError, TypeError) as err:
        raise InvalidClaims("an approved attestation lacks its verified claims' assurance level") from err
    if level not in ASSURANCE_CHECKS:
        raise InsufficientChecks("unknown assurance level")
    if missing := sorted(k.value for k in ASSURANCE_CHECKS[level] if k.value not in approved):
        raise InsufficientChecks("the assurance level needs approved checks: " + ", ".join(missing))


class Issuer:
    """Issues, revokes and re-issues SANA codes in ``store``, trusting ``jwks``."""

    def __init__(
        self,
        store: SqlStore,
        jwks: Any,
        *,
        audience: str = AUDIENCE,
        issuer: str | None = ISSUER,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        rng: random.Random | None = None,
    ) -> None:
        self.store, self.jwks, self.audience, self.issuer = store, jwks, audience, issuer
        self.clock = clock
        self._rng = rng  # a seeded Random only in tests (to force code collisions)

    def _claims(self, token: str) -> dict[str, Any]:
        claims = verify(token, self.jwks, now=self.clock(), audience=self.audience, issuer=self.issuer)
        require_approved(claims)
        return claims

    def _new_code(self) -> str:
        return sana_code.generate(self._rng)

    def _run(self, token: str, *, reissue: bool, then: Then | None = None) -> Issued:
        c = self._claims(token)
        record, new = self.store.issue(
            c["sub"], c["jti"], int(c["exp"]), _iso(self.clock()), self._new_code, reissue=reissue, then=then
        )
        return Issued(record.code, record.subject, record.issued_at, new)

    def issue(self, token: str, *, then: Then | None = None) -> Issued:
        """The person's SANA code; ``new`` says whether this call created it. ``then(q,
        record)`` runs in the issuing transaction: what it writes commits with the code,
        and whatever it raises rolls the code back too."""
        return self._run(token, reissue=False, then=then)

    def reissue(self, token: str) -> Issued:
        """A fresh code for the person (the old one, if active, is revoked)."""
        return self._run(token, reissue=True)

    def revoke(self, code: str) -> Record:
        return self.store.revoke(sana_code.validate(code), _iso(self.clock()))

    def show(self, code: str) -> Record:
        return self.store.show(sana_code.validate(code))

    def verify_audit(self) -> AuditReport:
        return self.store.verify_audit()
