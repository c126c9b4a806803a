"""A REVIEW case between the runner and the officers, on SQLite and PostgreSQL: what was
signed survives the case row whole (images as digests); the case is queued in the
transaction that ends it ``review``; and a decision whose ending a stop cut short (the
decision committed, the case still ``review``) is ended by the next start of the service,
once, with its code and an attestation naming the officer."""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import secrets
import time
from typing import Any

import anyio
import pytest

from kyc_sdk.attestation import load_jwks, verify
from kyc_sdk.identifiers import sana_code
from kyc_sdk.liveness import new_challenge
from kyc_sdk.models import CheckKind, Decision, Subject
from kyc_sdk.registration.flow import Stage
from kyc_sdk.sana import open_store
from kyc_sdk.service import cases
from kyc_sdk.service.cases import CaseGone
from kyc_sdk.service.officers import add_officer
from kyc_sdk.service.review import NotApprovable, ReviewQueue
from kyc_sdk.service.review_cases import approvable, close_for_review, outcome_json, outcome_of
from tests.attestation.factory import NOW, outcome, result
from tests.service.app_harness import RESIDENT, bearer, config, fresh_db, service


def in_review():
    """A resident's outcome the registry left in REVIEW (every other check approved)."""
    base = result(Decision.REVIEW)
    checks = tuple(
        dataclasses.replace(c, outcome=Decision.REVIEW, reasons=("registry_name_mismatch",))
        if c.kind is CheckKind.REGISTRY
        else c
        for c in base.checks
    )
    res = dataclasses.replace(base, checks=checks, reasons=("registry_name_mismatch",))
    return dataclasses.replace(
        outcome(res=res, level="high"),
        verified_at=NOW,
        given_name=RESIDENT["first_name"],
        family_name=RESIDENT["last_name"],
        birth_date=RESIDENT["birth_date"],
    )


def test_the_signed_outcome_survives_the_case_row_with_images_as_digests() -> None:
    signed = in_review()
    kept = outcome_of(outcome_json(signed))
    digests = {k: hashlib.sha256(v).hexdigest() for k, v in signed.evidence.items()}
    assert kept == dataclasses.replace(signed, evidence={}, evidence_sha256=digests)


def locally_in_review():
    """A resident's outcome a local check left in REVIEW: the vendors were never asked."""
    local = frozenset({CheckKind.DOCUMENT, CheckKind.LIVENESS, CheckKind.FACE_MATCH})
    base = result(Decision.REVIEW, kinds=local)
    checks = tuple(
        dataclasses.replace(c, outcome=Decision.REVIEW) if c.kind is CheckKind.FACE_MATCH else c
        for c in base.checks
    )
    return dataclasses.replace(in_review(), result=dataclasses.replace(base, checks=checks))


def review_case(db: str, signed: Any = None) -> tuple[str, str]:
    """A submitted case ended ``review`` by the runner's commit; its id and token."""
    case_id, token, now = secrets.token_urlsafe(8), secrets.token_urlsafe(16), time.time()
    store = open_store(db, create=False)
    try:
        cases.create(store, case_id, token, "resident", Subject(**RESIDENT), new_challenge(now=now), now)
        store._run(lambda q: q("UPDATE cases SET status = 'submitted' WHERE id = ?", (case_id,)))
        fields = {
            "status": cases.REVIEW,
            "decision": "REVIEW",
            "attestation": None,
            "vendor_reference": "ref-1",
            "now": now,
        }
        ending = {
            "reasons": [],
            "stages": [{"name": "decision", "ms": 1.0, "outcome": "REVIEW"}],
            "document": {},
        }
        args = {
            "signed": signed or in_review(),
            "stages": [Stage("decision", 1.0, "REVIEW")],
            "uploads": {"document_front": "ab" * 32},
            "outcome": ending,
            "fields": fields,
        }
        close_for_review(store, case_id, **args)
        with pytest.raises(CaseGone):  # a second run of the same case ends nothing, queues nothing
            close_for_review(store, case_id, **args)
    finally:
        store.close()
    return case_id, token


@pytest.mark.slow  # about a second: the quick loop (make check) leaves it to the full run
def test_a_decision_cut_short_by_a_stop_is_ended_at_the_next_start(db, tmp_path) -> None:
    case_id, token = review_case(db)
    store = open_store(db, create=False)
    try:
        queue = ReviewQueue(store)  # no hook: the replica stopped right after the decision's commit
        officer, _ = add_officer(store, "Officer One")
        [item] = anyio.run(queue.list_open)
        assert item.case_id == case_id
        assert anyio.run(queue.get, case_id).evidence["uploads_sha256"] == {"document_front": "ab" * 32}
        anyio.run(queue.claim, officer, case_id)
        anyio.run(queue.decide, officer, case_id, "APPROVED", "the registry holds a nickname")
        assert cases.load(store, case_id).status == cases.REVIEW
    finally:
        store.close()

    for _ in range(2):  # the second start finds nothing to do
        with service(config(db, tmp_path, warm_up=False)) as (client, _app):
            case = client.get(f"/v1/cases/{case_id}", headers=bearer(token)).json()
            att = client.get(f"/v1/cases/{case_id}/attestation", headers=bearer(token)).json()
            jwks = client.get("/.well-known/jwks.json").json()
    assert case["status"] == "decided" and case["decision"] == "APPROVED"
    assert sana_code.is_valid(case["sana_code"]) and att["sana_code"] == case["sana_code"]
    claims = verify(att["token"], load_jwks(jwks), now=datetime.datetime.now(datetime.UTC))
    assert claims["kyc"]["review"] == {"officer": officer.id}
    assert claims["verified_claims"]["claims"] == {}  # the registry did not confirm the names
    store = open_store(db, create=False)
    try:
        events = store._run(lambda q: q("SELECT event FROM audit ORDER BY seq", ()), write=False)
    finally:
        store.close()
    assert [e for (e,) in events] == ["review_queued", "review_claimed", "review_approved", "issued"]


def test_a_case_whose_checks_cannot_carry_an_approval_can_only_be_declined(db) -> None:
    assert approvable(in_review()) and not approvable(locally_in_review())
    case_id, _ = review_case(db, locally_in_review())
    store = open_store(db, create=False)
    try:
        queue = ReviewQueue(store)
        officer, _ = add_officer(store, "Officer One")
        assert anyio.run(queue.get, case_id).evidence["approvable"] is False  # the officer sees why
        anyio.run(queue.claim, officer, case_id)
        with pytest.raises(NotApprovable):
            anyio.run(queue.decide, officer, case_id, "APPROVED", "looks fine to me")
        assert (
            anyio.run(queue.decide, officer, case_id, "DECLINED", "cannot be approved").decision == "DECLINED"
        )
    finally:
        store.close()


def test_a_case_queued_by_hand_does_not_stop_the_service_from_starting(tmp_path) -> None:
    db = fresh_db("sqlite", tmp_path)
    case_id, token, now = "by-hand", secrets.token_urlsafe(16), time.time()
    store = open_store(db, create=False)
    try:
        cases.create(store, case_id, token, "resident", Subject(**RESIDENT), new_challenge(now=now), now)
        store._run(lambda q: q("UPDATE cases SET status = 'review' WHERE id = ?", (case_id,)))
        queue = ReviewQueue(store)
        officer, _ = add_officer(store, "Officer One")
        anyio.run(queue.put, case_id, {"note": "no signed outcome"})
        anyio.run(queue.claim, officer, case_id)
        anyio.run(queue.decide, officer, case_id, "APPROVED", "fine")
    finally:
        store.close()
    with service(config(db, tmp_path, warm_up=False)) as (client, _app):
        case = client.get(f"/v1/cases/{case_id}", headers=bearer(token)).json()
    assert case["status"] == "review"  # nothing to sign from: left for an operator, logged


def test_officers_racing_for_a_case_through_the_pooled_store_on_threads_one_wins(db) -> None:
    from kyc_sdk.service.cases import PooledStore, StorePool
    from kyc_sdk.service.review import ClaimConflict

    case_id, _ = review_case(db)
    pool = StorePool(db, 8)
    try:
        queue = ReviewQueue(PooledStore(pool), threads=True)
        officers = [add_officer(queue.store, f"Officer {i}")[0] for i in range(8)]
        outcomes: list[str] = []

        async def claim(officer) -> None:
            try:
                await queue.claim(officer, case_id)
                outcomes.append("won")
            except ClaimConflict:
                outcomes.append("lost")

        async def race() -> None:
            async with anyio.create_task_group() as tg:
                for officer in officers:
                    tg.start_soon(claim, officer)

        anyio.run(race)
        claimed_by = anyio.run(queue.get, case_id).claimed_by
    finally:
        pool.close()
    assert sorted(outcomes) == ["lost"] * 7 + ["won"]
    assert claimed_by in {o.id for o in officers}
