"""Attestations as a standard OpenID Connect for Identity Assurance consumer reads them.

No JSON schema of the final standard ships in a package we have, so ``consume`` below
checks the structure the specification's text requires (OpenID Identity Assurance Schema
Definition 1.0 §5.4: ``verification`` with a ``trust_framework``, ``evidence`` whose
elements have a ``type``; §5.4.4: ``document`` evidence with ``check_details`` of
predefined ``check_method`` values, ``electronic_record`` evidence with a ``record``
naming its type and source; ``claims`` as OpenID Connect Core's standard claims, e.g.
``birthdate`` as ISO 8601 ``YYYY-MM-DD``) and returns what a relying party would take
as verified."""

from __future__ import annotations

import dataclasses
import re
from typing import Any

import pytest

from kyc_sdk.attestation import build_claims, load_jwks, sign, verify
from kyc_sdk.attestation.claims import DisclosurePolicy, reviewed
from kyc_sdk.errors import InputError, InvalidIdentifier
from kyc_sdk.models import CheckKind, Decision
from kyc_sdk.sana import InsufficientChecks, Issuer, NotApproved, open_store
from tests.attestation.factory import NATIONAL_CODE, NOW, SUBJECT_KEY, outcome, result

#: the predefined check methods (eKYC-IDA working group's list)
CHECK_METHODS = {
    "vpip",
    "vpiruv",
    "vri",
    "vdig",
    "vcrypt",
    "data",
    "auth",
    "token",
    "kbv",
    "pvp",
    "pvr",
    "bvp",
    "bvr",
}
TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?(Z|[+-]\d{2}:\d{2})$")
PERSON = {"given_name": "Sara", "family_name": "Ahmadi", "birth_date": "1370/01/01"}  # synthetic


def consume(claims: dict[str, Any]) -> dict[str, Any] | None:
    """A relying party's reading: the verified claims, or None when there are none."""
    vc = claims.get("verified_claims")
    if vc is None:
        return None
    assert set(vc) == {"verification", "claims"}
    v = vc["verification"]
    assert isinstance(v["trust_framework"], str) and TIME.match(v["time"])
    assert isinstance(v["evidence"], list) and v["evidence"]
    for ev in v["evidence"]:
        assert ev["type"] in {"document", "electronic_record"}
        assert isinstance(ev["check_details"], list) and ev["check_details"]  # "at least one member"
        for check in ev["check_details"]:
            assert check["check_method"] in CHECK_METHODS
            assert isinstance(check.get("organization", ""), str)  # optional: absent when we checked
            assert TIME.match(check["time"])
        if ev["type"] == "document":
            assert ev["document_details"]["type"] in {"idcard", "passport"}
            assert re.fullmatch(r"[A-Z]{3}", ev["document_details"]["issuer"]["country_code"])
        else:
            assert isinstance(ev["record"]["type"], str) and isinstance(ev["record"]["source"]["name"], str)
    person = vc["claims"]
    assert isinstance(person, dict)
    if "birthdate" in person:
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", person["birthdate"])
    return vc


def claims_of(**kw: Any) -> dict[str, Any]:
    policy = kw.pop("policy", None)
    base = outcome(**{k: kw.pop(k) for k in ("national_code", "passport", "level", "res") if k in kw})
    return build_claims(
        dataclasses.replace(base, **kw),
        issuer="urn:test",
        audience="urn:test",
        now=NOW,
        ttl=600,
        subject_key=SUBJECT_KEY,
        policy=policy,
    )


def methods(vc: dict[str, Any]) -> list[tuple[str, str]]:
    return [
        (ev["type"], c["check_method"]) for ev in vc["verification"]["evidence"] for c in ev["check_details"]
    ]


def test_an_approved_resident_reads_as_verified_names_and_birthdate():
    vc = consume(claims_of(**PERSON))
    assert vc is not None
    # 1370/01/01 in the Jalali calendar is 21 March 1991
    assert vc["claims"] == {"given_name": "Sara", "family_name": "Ahmadi", "birthdate": "1991-03-21"}
    assert methods(vc) == [
        ("document", "vri"),
        ("document", "bvr"),
        ("document", "bvr"),
        ("electronic_record", "data"),
        ("electronic_record", "data"),
    ]
    assert NATIONAL_CODE not in str(vc)  # the policy keeps identifiers out by default


@pytest.mark.parametrize("decision", [Decision.REVIEW, Decision.DECLINED])
def test_only_an_approved_outcome_carries_verified_claims(decision, tmp_path, ring_and_jwks):
    ring, jwks = ring_and_jwks
    claims = claims_of(res=result(decision), **PERSON)
    assert consume(claims) is None and claims["kyc"]["decision"] == decision.value
    assert "Sara" not in str(claims) and "1991" not in str(claims)
    store = open_store(str(tmp_path / "sana.db"))
    try:
        token = sign(
            dataclasses.replace(outcome(res=result(decision)), **PERSON),
            ring.signer,
            now=NOW,
            subject_key=SUBJECT_KEY,
        )
        assert "verified_claims" not in verify(token, jwks, now=NOW)
        with pytest.raises(NotApproved):
            Issuer(store, jwks, clock=lambda: NOW).issue(token)
    finally:
        store.close()


def test_claims_hold_only_what_a_check_confirmed():
    no_registry = claims_of(res=result(failed=frozenset({CheckKind.REGISTRY})), **PERSON)
    # a failed check makes the whole outcome REVIEW in the flow; here the result says
    # APPROVED while the registry check did not pass, and nothing the registry would
    # have confirmed is claimed
    vc = consume(no_registry)
    assert vc is not None and vc["claims"] == {}
    records = [
        ev["record"]["type"] for ev in vc["verification"]["evidence"] if ev["type"] == "electronic_record"
    ]
    assert records == ["ir_shahkar_mobile_register"]
    only_document = claims_of(res=result(kinds=frozenset({CheckKind.DOCUMENT})), level="low", **PERSON)
    vc = consume(only_document)
    assert vc is not None and vc["claims"] == {} and methods(vc) == [("document", "vri")]


def test_the_disclosure_policy_is_explicit():
    everything = DisclosurePolicy(national_code=True, passport_number=True)
    vc = consume(claims_of(policy=everything, **PERSON))
    assert vc is not None and vc["claims"]["national_code"] == NATIONAL_CODE
    nothing = DisclosurePolicy(names=False, birthdate=False)
    vc = consume(claims_of(policy=nothing, **PERSON))
    assert vc is not None and vc["claims"] == {}
    vc = consume(claims_of(national_code=None, passport="x1234567", policy=everything))
    assert vc is not None and vc["claims"] == {"passport_number": "X1234567", "nationalities": ["IRN"]}
    vc = consume(
        claims_of(res=result(failed=frozenset({CheckKind.REGISTRY, CheckKind.DOCUMENT})), policy=everything)
    )
    assert vc is not None and "national_code" not in vc["claims"]  # nothing confirmed it


def test_hostile_person_fields_are_typed_errors():
    for bad in (
        {"birth_date": "1991-02-30"},
        {"birth_date": "13/70/01"},
        {"given_name": "a\x00b"},
        {"family_name": "x" * 201},
    ):
        with pytest.raises(InvalidIdentifier):
            claims_of(**{**PERSON, **bad})
    zwnj = "\u0639\u0644\u06cc\u200c\u0631\u0636\u0627"  # a Persian name with a zero-width non-joiner
    vc = consume(claims_of(**{**PERSON, "given_name": zwnj}))
    assert vc is not None and vc["claims"]["given_name"] == zwnj


@pytest.fixture(scope="module")
def ring_and_jwks():
    from kyc_sdk.attestation import KeyRing, generate

    ring = KeyRing()
    ring.add(generate())
    return ring, load_jwks(ring.jwks())


def in_review(kind: CheckKind = CheckKind.LIVENESS):
    """What the flow hands over when liveness was not sure: the case is REVIEW."""
    base = result(Decision.REVIEW)
    checks = tuple(
        dataclasses.replace(c, outcome=Decision.REVIEW) if c.kind is kind else c for c in base.checks
    )
    return dataclasses.replace(outcome(res=dataclasses.replace(base, checks=checks)), **PERSON)


def test_an_officers_approval_gets_an_attestation_and_a_sana_code(tmp_path, ring_and_jwks):
    ring, jwks = ring_and_jwks
    store = open_store(str(tmp_path / "sana.db"))
    issuer = Issuer(store, jwks, clock=lambda: NOW)
    try:
        waiting = sign(in_review(), ring.signer, now=NOW, subject_key=SUBJECT_KEY)
        with pytest.raises(NotApproved):
            issuer.issue(waiting)
        decided = reviewed(in_review(), "off_0123456789ab")
        token = sign(decided, ring.signer, now=NOW, subject_key=SUBJECT_KEY)
        claims = verify(token, jwks, now=NOW)
        assert claims["kyc"]["review"] == {"officer": "off_0123456789ab"}
        assert claims["kyc"]["decision"] == "APPROVED"
        liveness = next(c for c in claims["kyc"]["checks"] if c["kind"] == "liveness")
        assert liveness["outcome"] == "REVIEW"  # what the machine said stays on record
        vc = consume(claims)
        assert vc is not None and ("document", "pvr") in methods(vc)
        assert methods(vc).count(("document", "bvr")) == 1  # face match only: liveness was the officer's
        assert issuer.issue(token).new
        # without the officer, a REVIEW check does not count for the assurance level
        forged = build_claims(
            dataclasses.replace(decided, reviewed_by=None),
            issuer="urn:kyc-sdk:attestor",
            audience="urn:kyc-sdk:sana",
            now=NOW,
            ttl=600,
            subject_key=SUBJECT_KEY,
        )
        from kyc_sdk.attestation import sign_claims

        with pytest.raises(InsufficientChecks):
            issuer.issue(sign_claims(forged, ring.signer))
    finally:
        store.close()


def test_only_review_outcomes_are_decided_by_officers():
    with pytest.raises(InputError):
        reviewed(outcome(), "off_1")  # already APPROVED
    declined = dataclasses.replace(
        in_review(), result=result(Decision.REVIEW, failed=frozenset({CheckKind.DOCUMENT}))
    )
    with pytest.raises(InputError):
        reviewed(declined, "off_1")
    with pytest.raises(InputError):
        reviewed(in_review(), "")


def test_an_officers_decline_is_signed_as_a_decline_naming_the_officer(ring_and_jwks):
    ring, jwks = ring_and_jwks
    decided = reviewed(in_review(), "off_0123456789ab", Decision.DECLINED)
    assert decided.result.decision is Decision.DECLINED
    assert decided.result.reasons[-1] == "review_declined"
    claims = verify(sign(decided, ring.signer, now=NOW, subject_key=SUBJECT_KEY), jwks, now=NOW)
    assert claims["kyc"]["decision"] == "DECLINED" and claims["kyc"]["review"] == {
        "officer": "off_0123456789ab"
    }
    assert "verified_claims" not in claims  # nobody was verified
    # a declined check may be declined again by an officer, never approved
    failed = dataclasses.replace(
        in_review(), result=result(Decision.REVIEW, failed=frozenset({CheckKind.DOCUMENT}))
    )
    assert reviewed(failed, "off_1", Decision.DECLINED).result.decision is Decision.DECLINED
    with pytest.raises(InputError):
        reviewed(in_review(), "off_1", Decision.REVIEW)
