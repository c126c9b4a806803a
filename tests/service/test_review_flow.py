"""The officers' review queue in the running service, over real HTTP, on a SQLite file and
(when KYC_SDK_PG_URL is set) on PostgreSQL: a registration the civil registry sends to
REVIEW (hirkan's name-mismatch fixture person) is queued with its evidence; officers
made by ``kyc-sdk officer add`` list, claim and decide it; an APPROVED case gets a SANA
code and an attestation naming the officer that verifies against the JWKS; a DECLINED
one ends ``review_declined`` without the officer's words; another officer's claim is
refused; every action is in the audit log, and ``kyc-sdk sana audit verify
--checkpoints URL --jwks URL`` passes against the service until a row is rewritten."""

from __future__ import annotations

import dataclasses
import datetime
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from kyc_sdk.attestation import load_jwks, verify
from kyc_sdk.identifiers import sana_code
from kyc_sdk.registration import samples as S
from kyc_sdk.sana import open_store
from tests.sana.test_checkpoints import rewrite_history
from tests.service.app_harness import (
    bearer,
    config,
    fresh_db,
    open_case,
    service,
    upload_evidence,
    wait_decided,
    wait_ready,
)

pytestmark = pytest.mark.slow  # two whole registrations (OCR, liveness, faces) per database
ROOT = Path(__file__).resolve().parents[2]
PERSON = S.NAME_MISMATCH


def cli(*args: str) -> tuple[int, Any]:
    """``kyc-sdk`` in its own process, as an operator runs it."""
    done = subprocess.run(
        [sys.executable, "-m", "kyc_sdk.cli", *args, "--json"],
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        check=False,
        text=True,
        timeout=120,
    )
    try:
        return done.returncode, json.loads(done.stdout)
    except ValueError:
        return done.returncode, done.stdout + done.stderr


def rows(db: str, sql: str) -> list[tuple[Any, ...]]:
    store = open_store(db, create=False)
    try:
        return store._run(lambda q: q(sql, ()), write=False)
    finally:
        store.close()


def register(client: httpx.Client) -> tuple[str, str]:
    typed = {k: v for k, v in dataclasses.asdict(S.resident_subject(PERSON)).items() if v is not None}
    case_id, token = open_case(client, typed)
    upload_evidence(client, case_id, token, S.card_front(PERSON), S.card_back(PERSON))
    assert client.post(f"/v1/cases/{case_id}/submit", headers=bearer(token)).status_code == 202
    return case_id, token


def wait_checkpointed(client: httpx.Client, db: str, timeout: float = 30) -> list[str]:
    """The published checkpoints once one covers the audit log's current head."""
    head = rows(db, "SELECT seq FROM audit_head")[0][0]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        tokens = client.get("/v1/audit/checkpoints").json()["checkpoints"]
        if tokens and json.loads(_payload(tokens[-1]))["seq"] == head:
            return tokens  # type: ignore[no-any-return]
        time.sleep(0.2)
    raise AssertionError("no checkpoint of the audit head was published")


def _payload(token: str) -> bytes:
    import base64

    part = token.split(".")[1]
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def test_review_cases_are_decided_by_officers_end_to_end(db, tmp_path) -> None:
    code, first = cli("officer", "add", "--name", "Officer One", "--db", db)
    assert code == 0, first
    code, second = cli("officer", "add", "--name", "Officer Two", "--db", db)
    assert code == 0, second
    one, two = bearer(first["token"]), bearer(second["token"])

    with service(config(db, tmp_path, checkpoint_s=0.5)) as (client, _):
        wait_ready(client)
        approve_id, approve_token = register(client)
        decline_id, decline_token = register(client)
        waiting = [
            wait_decided(client, c, t) for c, t in ((approve_id, approve_token), (decline_id, decline_token))
        ]

        # the queue: officers only (a case's own token is not an officer's)
        assert client.get("/v1/review/cases").status_code == 401
        assert client.get("/v1/review/cases", headers=bearer(approve_token)).status_code == 401
        assert client.get(f"/v1/review/cases/{approve_id}", headers=bearer("off_x.y")).status_code == 401
        listed = client.get("/v1/review/cases", headers=one).json()["cases"]
        shown = client.get(f"/v1/review/cases/{approve_id}", headers=one).json()

        # one officer's claim is not another's to decide
        claimed = client.post(f"/v1/review/cases/{approve_id}/claim", headers=one)
        taken = client.post(f"/v1/review/cases/{approve_id}/claim", headers=two)
        decision = {"decision": "APPROVED", "reason": "the registry holds a nickname; the card is hers"}
        not_yours = client.post(f"/v1/review/cases/{approve_id}/decide", headers=two, json=decision)
        approved = client.post(f"/v1/review/cases/{approve_id}/decide", headers=one, json=decision)
        again = client.post(f"/v1/review/cases/{approve_id}/decide", headers=one, json=decision)
        after_approval = client.get(f"/v1/cases/{approve_id}", headers=bearer(approve_token)).json()
        att = client.get(f"/v1/cases/{approve_id}/attestation", headers=bearer(approve_token)).json()
        jwks = client.get("/.well-known/jwks.json").json()

        declining = "the face on the card is not Maryam Ahmadi's"
        client.post(f"/v1/review/cases/{decline_id}/claim", headers=two)
        declined = client.post(
            f"/v1/review/cases/{decline_id}/decide",
            headers=two,
            json={"decision": "DECLINED", "reason": declining},
        )
        after_decline = client.get(f"/v1/cases/{decline_id}", headers=bearer(decline_token)).json()
        listed_after = client.get("/v1/review/cases", headers=one).json()["cases"]

        # the signed checkpoints hold the chain until someone rewrites it
        events = rows(db, "SELECT event, subject, code, jti FROM audit ORDER BY seq")
        tokens = wait_checkpointed(client, db)
        base = str(client.base_url).rstrip("/")
        urls = ["--checkpoints", base + "/v1/audit/checkpoints", "--jwks", base + "/.well-known/jwks.json"]
        code_ok, report = cli("sana", "audit", "verify", "--db", db, *urls)
        store = open_store(db, create=False)
        try:
            rewrite_history(store, 1, "someone-else")
        finally:
            store.close()
        code_bad, caught = cli("sana", "audit", "verify", "--db", db, *urls)

    # both registrations waited for an officer, with the evidence to judge by
    for case in waiting:
        assert case["status"] == "review" and case["decision"] == "REVIEW" and case["sana_code"] is None
        assert "registry_name_mismatch" in {r["code"] for r in case["reasons"]}
    assert {c["case_id"] for c in listed} == {approve_id, decline_id}
    evidence = shown["evidence"]
    assert evidence["approvable"] is True
    registry = [c for c in evidence["result"]["checks"] if c["kind"] == "registry"]
    assert registry and registry[0]["outcome"] == "REVIEW"
    assert evidence["scores"]["liveness"] > 0 and evidence["scores"]["face_match"] > 0
    uploads = waiting[0]["uploads"]
    assert evidence["uploads_sha256"] == {k: u["sha256"] for k, u in uploads.items()}
    assert evidence["images_sha256"]["document_front"] == uploads["document_front"]["sha256"]
    text = json.dumps(evidence, ensure_ascii=False)
    assert PERSON.national_code not in text and PERSON.first_name not in text  # no typed identity

    assert claimed.status_code == 200 and claimed.json()["claimed_by"] == first["id"]
    assert taken.status_code == 409 and taken.json()["error"] == "claim_conflict"
    assert not_yours.status_code == 403 and not_yours.json()["error"] == "not_your_claim"
    assert approved.status_code == 200 and approved.json()["decided_by"] == first["id"]
    assert again.status_code == 200  # a repeated decision only runs the ending again

    # APPROVED: a code and an attestation naming the officer, verified with the JWKS
    assert after_approval["status"] == "decided" and after_approval["decision"] == "APPROVED"
    assert sana_code.is_valid(after_approval["sana_code"]) and att["sana_code"] == after_approval["sana_code"]
    assert [s["name"] for s in after_approval["stages"]][-2:] == ["review", "sana"]
    claims = verify(att["token"], load_jwks(jwks), now=datetime.datetime.now(datetime.UTC))
    assert claims["kyc"]["decision"] == "APPROVED" and claims["kyc"]["review"] == {"officer": first["id"]}
    assert {c["kind"]: c["outcome"] for c in claims["kyc"]["checks"]}["registry"] == "REVIEW"
    evidence_types = claims["verified_claims"]["verification"]["evidence"]
    document = next(e for e in evidence_types if e["type"] == "document")
    assert "pvr" in {c["check_method"] for c in document["check_details"]}
    assert rows(db, "SELECT count(*), min(code) FROM codes") == [(1, after_approval["sana_code"])]

    # DECLINED: a reason code for the person, not the officer's words
    assert declined.status_code == 200
    assert after_decline["status"] == "decided" and after_decline["decision"] == "DECLINED"
    assert after_decline["sana_code"] is None
    assert [r["code"] for r in after_decline["reasons"]] == ["registry_name_mismatch", "review_declined"]
    assert declining not in json.dumps(after_decline, ensure_ascii=False)
    assert listed_after == []

    # every officer action in the audit log (the officer's id, a digest of the reason)
    mine = [(e, s, c) for e, s, c, _ in events if e.startswith("review_")]
    assert mine == [
        ("review_queued", approve_id, ""),
        ("review_queued", decline_id, ""),
        ("review_claimed", approve_id, first["id"]),
        ("review_approved", approve_id, first["id"]),
        ("review_claimed", decline_id, second["id"]),
        ("review_declined", decline_id, second["id"]),
    ]
    assert all(
        j.startswith("sha256:") for e, _, _, j in events if e in ("review_approved", "review_declined")
    )
    assert [e for e, *_ in events].count("issued") == 1

    assert tokens and code_ok == 0 and report["valid"] and report["checkpoints"] == len(tokens), report
    assert code_bad != 0 and "history_rewritten" in json.dumps(caught), caught


def test_a_case_a_local_check_sent_to_review_can_only_be_declined(tmp_path) -> None:
    db = fresh_db("sqlite", tmp_path)
    code, officer = cli("officer", "add", "--name", "Officer One", "--db", db)
    assert code == 0, officer
    auth = bearer(officer["token"])
    typed = {**dataclasses.asdict(S.resident_subject()), "first_name": "حسین"}  # the card says علی
    with service(config(db, tmp_path)) as (client, _):
        case_id, token = open_case(client, {k: v for k, v in typed.items() if v is not None})
        upload_evidence(client, case_id, token, S.card_front(), S.card_back())
        client.post(f"/v1/cases/{case_id}/submit", headers=bearer(token))
        waiting = wait_decided(client, case_id, token)
        shown = client.get(f"/v1/review/cases/{case_id}", headers=auth).json()
        client.post(f"/v1/review/cases/{case_id}/claim", headers=auth)
        refused = client.post(
            f"/v1/review/cases/{case_id}/decide", headers=auth, json={"decision": "APPROVED", "reason": "ok"}
        )
        declined = client.post(
            f"/v1/review/cases/{case_id}/decide", headers=auth, json={"decision": "DECLINED", "reason": "no"}
        )
        case = client.get(f"/v1/cases/{case_id}", headers=bearer(token)).json()
    assert waiting["status"] == "review" and "name_mismatch" in {r["code"] for r in waiting["reasons"]}
    kinds = {c["kind"] for c in shown["evidence"]["result"]["checks"]}
    assert "registry" not in kinds and shown["evidence"]["approvable"] is False  # vendors never asked
    assert refused.status_code == 409 and refused.json()["error"] == "not_approvable"
    assert declined.status_code == 200
    assert case["status"] == "decided" and case["decision"] == "DECLINED" and case["sana_code"] is None
