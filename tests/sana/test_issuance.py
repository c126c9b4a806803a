"""Issuance rules, idempotency, replay, revoke/reissue and bad input, on both stores."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest

from kyc_sdk.attestation import AttestationError, MalformedToken, UnknownKey, WrongAudience, load_jwks
from kyc_sdk.errors import InvalidIdentifier, IssuanceError
from kyc_sdk.identifiers import sana_code
from kyc_sdk.models import CheckKind, Decision
from kyc_sdk.sana import (
    AttestationReplayed,
    CodeNotFound,
    InsufficientChecks,
    Issuer,
    NotApproved,
    SubjectRevoked,
)
from tests.attestation.factory import NOW, result, token


def test_issue_is_idempotent_per_person(issuer, ring):
    first = issuer.issue(token(ring.signer))
    assert sana_code.is_valid(first.sana_code) and first.new
    again = issuer.issue(token(ring.signer))  # a new attestation of the same person
    assert (again.sana_code, again.new, again.subject) == (first.sana_code, False, first.subject)
    other = issuer.issue(token(ring.signer, national_code="0790419904"))
    assert other.new and other.sana_code != first.sana_code
    assert first.to_dict().keys() == {"sana_code", "subject", "issued_at", "new"}


def test_replayed_jti_refused_and_nothing_written(issuer, ring, store):
    t = token(ring.signer)
    issuer.issue(t)
    before = store.counts()
    with pytest.raises(AttestationReplayed) as info:
        issuer.issue(t)
    assert isinstance(info.value, IssuanceError) and store.counts() == before


@pytest.mark.parametrize(
    ("kw", "err"),
    [
        ({"res": result(Decision.DECLINED)}, NotApproved),
        ({"res": result(Decision.REVIEW)}, NotApproved),
        ({"res": result(failed=frozenset({CheckKind.LIVENESS}))}, InsufficientChecks),
        ({"res": result(kinds=frozenset({CheckKind.DOCUMENT, CheckKind.FACE_MATCH}))}, InsufficientChecks),
        (
            {
                "level": "high",
                "res": result(
                    kinds=frozenset({CheckKind.DOCUMENT, CheckKind.FACE_MATCH, CheckKind.LIVENESS})
                ),
            },
            InsufficientChecks,
        ),
    ],
)
def test_rules_refuse_and_write_nothing(issuer, ring, store, kw, err):
    with pytest.raises(err):
        issuer.issue(token(ring.signer, **kw))
    assert store.counts() == {"codes": 0, "jtis": 0, "audit": 0}


def test_low_level_needs_only_the_document(issuer, ring):
    t = token(ring.signer, level="low", res=result(kinds=frozenset({CheckKind.DOCUMENT})))
    assert issuer.issue(t).new


@pytest.mark.parametrize(
    ("bad", "err"),
    [
        ("garbage", MalformedToken),
        ("a.b.c", MalformedToken),
        ("x" * 100_000, MalformedToken),
        ("eyJhbGciOiJFZERTQSJ9.WzEsMl0.AAAA", UnknownKey),  # no kid
    ],
)
def test_bad_tokens_typed_and_nothing_written(issuer, store, bad, err):
    with pytest.raises(err):
        issuer.issue(bad)
    assert store.counts() == {"codes": 0, "jtis": 0, "audit": 0}


def test_signed_payload_that_is_not_an_object(issuer, ring, store):
    from tests.attestation.factory import raw_sign

    for payload in (b"[1, 2]", b"null", b'"claims"'):
        with pytest.raises(MalformedToken):
            issuer.issue(raw_sign({"alg": "EdDSA", "kid": ring.signer.kid}, payload, ring.signer))
    assert store.counts()["jtis"] == 0


def test_wrong_audience_expired_and_foreign_key(issuer, ring, store):
    with pytest.raises(WrongAudience):
        issuer.issue(token(ring.signer, audience="urn:other"))
    with pytest.raises(AttestationError):
        issuer.issue(token(ring.signer, now=NOW - timedelta(hours=1)))
    from kyc_sdk.attestation import generate

    with pytest.raises(AttestationError):
        issuer.issue(token(generate()))
    assert store.counts()["jtis"] == 0


def test_then_commits_with_the_code_or_rolls_it_back(issuer, ring, store):
    seen = []

    def record(q, rec):  # runs inside the issuing transaction: reads what it wrote
        seen.append((rec.code, q("SELECT status FROM codes WHERE code = ?", (rec.code,))[0][0]))

    issued = issuer.issue(token(ring.signer), then=record)
    assert seen == [(issued.sana_code, "active")]

    def refuse(q, rec):
        raise RuntimeError("the caller's own write failed")

    before = store.counts()
    with pytest.raises(RuntimeError):
        issuer.issue(token(ring.signer, national_code="0790419904"), then=refuse)
    assert store.counts() == before  # no code, no consumed jti, no audit entry


def test_revoke_then_reissue(issuer, ring):
    code = issuer.issue(token(ring.signer)).sana_code
    revoked = issuer.revoke(sana_code.format(code))  # displayed form is accepted
    assert revoked.status == "revoked" and issuer.show(code).revoked_at
    assert issuer.revoke(code).status == "revoked"  # idempotent
    with pytest.raises(SubjectRevoked):
        issuer.issue(token(ring.signer))
    fresh = issuer.reissue(token(ring.signer))
    assert fresh.new and fresh.sana_code != code and issuer.show(fresh.sana_code).status == "active"
    assert issuer.issue(token(ring.signer)).sana_code == fresh.sana_code
    newer = issuer.reissue(token(ring.signer))  # reissue while active revokes the active one
    assert issuer.show(fresh.sana_code).status == "revoked" and newer.sana_code != fresh.sana_code
    assert issuer.verify_audit().valid


def test_show_and_revoke_unknown_or_malformed_codes(issuer):
    with pytest.raises(CodeNotFound):
        issuer.show(sana_code.generate())
    with pytest.raises(CodeNotFound):
        issuer.revoke(sana_code.generate())
    with pytest.raises(InvalidIdentifier):
        issuer.show("1234567891")


def test_random_code_collision_is_retried(store, ring):
    jwks = load_jwks(ring.jwks())
    a = Issuer(store, jwks, clock=lambda: NOW, rng=random.Random(7))
    b = Issuer(store, jwks, clock=lambda: NOW, rng=random.Random(7))  # will draw the same first code
    first = a.issue(token(ring.signer)).sana_code
    assert first == sana_code.generate(random.Random(7))
    second = b.issue(token(ring.signer, national_code="0790419904")).sana_code
    assert second != first and store.counts()["codes"] == 2


def test_audit_log_records_every_event(issuer, ring, store):
    code = issuer.issue(token(ring.signer)).sana_code
    issuer.issue(token(ring.signer))
    issuer.revoke(code)
    issuer.reissue(token(ring.signer))
    with store._tx() as q:
        events = [r[0] for r in q("SELECT event FROM audit ORDER BY seq", ())]
    assert events == ["issued", "repeated", "revoked", "reissued"]
    assert issuer.verify_audit().to_dict() == {"valid": True, "entries": 4, "first_bad": None, "reason": None}
