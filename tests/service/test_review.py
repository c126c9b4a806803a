"""The review queue on a real SQLite file and a real PostgreSQL: claim, decide, release,
claim expiry, the audit entries every action leaves, and one winner among racing claims."""

from __future__ import annotations

import hashlib
import json
import threading

import anyio
import pytest

from kyc_sdk.errors import InputError
from kyc_sdk.sana import open_store
from kyc_sdk.sana.audit import REVIEW_EVENTS
from kyc_sdk.service.officers import NotAuthenticated, add_officer, authenticate, revoke_officer
from kyc_sdk.service.review import CaseNotFound, ClaimConflict, NotYourClaim, ReviewQueue
from tests.sana.conftest import fresh_url

EVIDENCE = {
    "stages": {"liveness": {"score": 0.41, "reasons": ["static_face"]}, "face_match": {"distance": 0.58}},
    "images_sha256": {"document_front": "ab" * 32},
}


class Clock:
    def __init__(self) -> None:
        self.t = 1_000_000.0

    def __call__(self) -> float:
        return self.t


def run(fn, *args):
    return anyio.run(fn, *args)


@pytest.fixture
def setup(store):
    clock = Clock()
    decided: list[tuple[str, str]] = []

    async def hook(case_id: str, decision: str) -> None:
        decided.append((case_id, decision))

    queue = ReviewQueue(store, claim_ttl=60, clock=clock, on_decided=hook)
    alice, _ = add_officer(store, "Alice")
    bob, _ = add_officer(store, "Bob")
    return queue, clock, alice, bob, decided


def review_audit(store):
    with store._tx(write=False) as q:
        return q("SELECT event, subject, code, jti FROM audit WHERE event LIKE ? ORDER BY seq", ("review_%",))


def test_claim_decide_and_every_action_in_the_audit_log(store, setup):
    queue, _, alice, bob, decided = setup
    assert run(queue.put, "case-1", EVIDENCE) and not run(queue.put, "case-1", {"other": 1})
    assert [i.case_id for i in run(queue.list_open)] == ["case-1"]
    assert run(queue.get, "case-1").evidence == EVIDENCE  # the first evidence stays
    item = run(queue.claim, alice, "case-1")
    assert item.state == "claimed" and item.claimed_by == alice.id and run(queue.list_open) == []
    with pytest.raises(ClaimConflict):
        run(queue.claim, bob, "case-1")
    with pytest.raises(NotYourClaim):
        run(queue.decide, bob, "case-1", "APPROVED", "looks fine")
    with pytest.raises(InputError):
        run(queue.decide, alice, "case-1", "APPROVED", "  ")
    with pytest.raises(InputError):
        run(queue.decide, alice, "case-1", "REVIEW", "no")
    reason = "the selfie matches the card; liveness retaken in person"
    done = run(queue.decide, alice, "case-1", "APPROVED", reason)
    assert done.state == "decided" and done.decision == "APPROVED" and done.decided_by == alice.id
    assert decided == [("case-1", "APPROVED")]
    again = run(queue.decide, alice, "case-1", "APPROVED", reason)  # a retry re-runs the hook only
    assert again == done and decided == [("case-1", "APPROVED")] * 2
    with pytest.raises(ClaimConflict):
        run(queue.decide, alice, "case-1", "DECLINED", "changed my mind")
    with pytest.raises(ClaimConflict):
        run(queue.claim, bob, "case-1")
    rows = review_audit(store)
    assert [r[0] for r in rows] == ["review_queued", "review_claimed", "review_approved"]
    assert {r[1] for r in rows} == {"case-1"} and rows[2][2] == alice.id
    assert rows[2][3] == "sha256:" + hashlib.sha256(reason.encode()).hexdigest()  # never the text
    assert all(r[0] in REVIEW_EVENTS for r in rows)
    assert store.verify_audit().valid


def test_release_and_an_abandoned_claim_returns_to_the_queue(store, setup):
    queue, clock, alice, bob, _ = setup
    run(queue.put, "case-2", EVIDENCE)
    with pytest.raises(ClaimConflict):
        run(queue.release, alice, "case-2")  # not claimed
    run(queue.claim, alice, "case-2")
    with pytest.raises(NotYourClaim):
        run(queue.release, bob, "case-2")
    assert run(queue.release, alice, "case-2").state == "open"
    run(queue.claim, alice, "case-2")
    clock.t += 59
    assert run(queue.list_open) == []
    clock.t += 2  # past the 60 s claim
    assert [i.case_id for i in run(queue.list_open)] == ["case-2"]
    taken = run(queue.claim, bob, "case-2")
    assert taken.claimed_by == bob.id
    with pytest.raises(NotYourClaim):
        run(queue.decide, alice, "case-2", "DECLINED", "too late")
    assert run(queue.decide, bob, "case-2", "DECLINED", "the card is a photocopy").decision == "DECLINED"
    events = [r[0] for r in review_audit(store)]
    assert events == [
        "review_queued",
        "review_claimed",
        "review_released",
        "review_claimed",
        "review_claimed",
        "review_declined",
    ]


def test_unknown_cases_and_hostile_input(store, setup):
    queue, _, alice, _, _ = setup
    with pytest.raises(CaseNotFound):
        run(queue.claim, alice, "nope")
    with pytest.raises(CaseNotFound):
        run(queue.get, "nope")
    for bad in ("", "x" * 129, "a\x00b"):
        with pytest.raises(InputError):
            run(queue.put, bad, EVIDENCE)
    with pytest.raises(InputError):
        run(queue.put, "case-3", {"score": float("nan")})
    with pytest.raises(InputError):
        run(queue.put, "case-3", {"blob": "x" * 300_000})
    with pytest.raises(InputError):
        run(queue.put, "case-3", {"raw": b"bytes"})


def test_officer_tokens_are_hashed_and_revocable(store):
    officer, token = add_officer(store, "Carol")
    assert authenticate(store, token) == officer
    with store._tx(write=False) as q:
        (stored,) = q("SELECT token_sha256 FROM officers WHERE id = ?", (officer.id,))[0]
    assert (
        token.split(".", 1)[1] not in stored
        and stored == hashlib.sha256(token.split(".", 1)[1].encode()).hexdigest()
    )
    for bad in (
        None,
        "",
        token + "x",
        token[:-1],
        officer.id,
        "off_000000000000." + token.split(".")[1],
        "é" * 9,
    ):
        with pytest.raises(NotAuthenticated):
            authenticate(store, bad)
    revoke_officer(store, officer.id)
    with pytest.raises(NotAuthenticated):
        authenticate(store, token)


def test_two_officers_racing_on_two_replicas_one_wins(tmp_path):
    """Two connections (two replicas) claim the same cases at the same moment, each from
    its own thread: every case has exactly one claimant, the other got ClaimConflict."""
    url = fresh_url("postgres", tmp_path)
    setup_store = open_store(url)
    officers = [add_officer(setup_store, n)[0] for n in ("Dana", "Erin")]
    cases = [f"race-{i}" for i in range(20)]
    queue0 = ReviewQueue(setup_store)
    for c in cases:
        anyio.run(queue0.put, c, EVIDENCE)
    barrier = threading.Barrier(2)
    won: dict[str, list[str]] = {o.id: [] for o in officers}
    lost: dict[str, int] = {o.id: 0 for o in officers}

    def replica(officer) -> None:
        store = open_store(url)
        queue = ReviewQueue(store)
        try:
            for c in cases:
                barrier.wait()
                try:
                    anyio.run(queue.claim, officer, c)
                    won[officer.id].append(c)
                except ClaimConflict:
                    lost[officer.id] += 1
        finally:
            store.close()

    threads = [threading.Thread(target=replica, args=(o,)) for o in officers]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    a, b = (set(won[o.id]) for o in officers)
    assert not a & b and a | b == set(cases) and sum(lost.values()) == len(cases)
    with setup_store._tx(write=False) as q:
        claims = q("SELECT count(*) FROM audit WHERE event = 'review_claimed'", ())[0][0]
    assert claims == len(cases) and setup_store.verify_audit().valid
    setup_store.close()


def test_officer_cli_prints_the_token_once_and_revokes(store_url):
    import json

    from click.testing import CliRunner

    from kyc_sdk.cli import main

    def cli(*args: str):
        res = CliRunner().invoke(main, [*args, "--db", store_url, "--json"])
        return res.exit_code, json.loads(res.stdout)

    code, added = cli("officer", "add", "--name", "Frank")
    assert code == 0 and added["token"].startswith(added["id"] + ".")
    store = open_store(store_url)
    try:
        assert authenticate(store, added["token"]).name == "Frank"
        code, _ = cli("officer", "revoke", added["id"])
        assert code == 0
        with pytest.raises(NotAuthenticated):
            authenticate(store, added["token"])
        code, err = cli("officer", "revoke", "off_unknown")
        assert code == 16 and err["error"] == "officer_not_found"  # not 12: a missing extra
        code, err = cli("officer", "add", "--name", "  ")
        assert code == 2 and err["error"] == "input_error"
    finally:
        store.close()


def test_evidence_of_an_outcome_holds_scores_reasons_and_digests_only(store, setup):
    import dataclasses

    from kyc_sdk.models import CheckKind, Decision
    from kyc_sdk.service.review import evidence_of
    from tests.attestation.factory import NATIONAL_CODE, outcome, result

    base = result(Decision.REVIEW)
    checks = tuple(
        dataclasses.replace(c, outcome=Decision.REVIEW, reasons=("static_face",))
        if c.kind is CheckKind.LIVENESS
        else c
        for c in base.checks
    )
    out = outcome(res=dataclasses.replace(base, checks=checks, reasons=("liveness_uncertain",)))
    evidence = evidence_of(out, {"liveness": {"ms": 812.0}})
    queue = setup[0]
    run(queue.put, "case-e", evidence)
    shown = run(queue.get, "case-e").evidence
    assert shown == evidence and shown["result"]["reasons"] == ["liveness_uncertain"]
    live = next(c for c in shown["result"]["checks"] if c["kind"] == "liveness")
    assert live["outcome"] == "REVIEW" and live["reasons"] == ["static_face"] and live["score"] == 0.93
    assert shown["images_sha256"]["selfie"] == hashlib.sha256(b"selfie-bytes").hexdigest()
    assert shown["scores"]["liveness"] == 0.97 and shown["stages"] == {"liveness": {"ms": 812.0}}
    assert NATIONAL_CODE not in json.dumps(shown) and "selfie-bytes" not in json.dumps(shown)
