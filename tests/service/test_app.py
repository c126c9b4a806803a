"""The service over real HTTP (uvicorn on loopback) on a SQLite file and, when
KYC_SDK_PG_URL is set, on PostgreSQL: what it refuses at the edge, case tokens, upload
caps, webhook replays across two instances on one database, the OpenAPI document, the
schema check, and the state it shares through the store. No image work here (the whole
registrations are in test_app_flow.py)."""

from __future__ import annotations

import contextlib
import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import anyio
import pytest

from kyc_sdk.models import Subject, VerificationRequest
from kyc_sdk.routing import CircuitBreaker
from kyc_sdk.sana import SchemaError, open_store
from kyc_sdk.sana.store import MIGRATIONS, SCHEMA_VERSION
from kyc_sdk.sandbox import sample_request
from kyc_sdk.service.api import ROUTES, openapi_spec
from kyc_sdk.service.cases import StoreBreakerStates, StorePool
from kyc_sdk.service.config import check_schema
from kyc_sdk.service.jobs import LocalJobs
from tests.service.app_harness import (
    PG_URL,
    RESIDENT,
    bearer,
    config,
    fresh_db,
    open_case,
    service,
)

CREATED = re.compile(r"CREATE TABLE (\w+)")

ROOT = Path(__file__).resolve().parents[2]


def _count(db: str, sql: str) -> int:
    store = open_store(db, create=False)
    try:
        return int(store._run(lambda q: q(sql, ())[0][0], write=False))
    finally:
        store.close()


@pytest.mark.parametrize(
    ("field", "value"),
    [("national_code", "1234567890"), ("mobile", "0912"), ("birth_date", "1370/13/40")],
)
def test_a_bad_identifier_is_refused_at_creation_and_nothing_is_stored(db, tmp_path, field, value) -> None:
    with service(config(db, tmp_path, warm_up=False)) as (client, _):
        r = client.post("/v1/cases", json={"path": "resident", "subject": {**RESIDENT, field: value}})
        other = client.post("/v1/cases", json={"path": "resident", "subject": {**RESIDENT, "password": "x"}})
        moon = client.post("/v1/cases", json={"path": "moon", "subject": RESIDENT})
        garbage = client.post("/v1/cases", content=b"{oops")
    assert r.status_code == 422 and r.json()["error"] == "invalid_identifier"
    named = {"birth_date": "jalali_date"}.get(field, field)  # the identifier's own name for its rule
    assert r.json()["field"] == named and value not in r.text  # the rule is named, the value is not
    assert other.status_code == 422 and other.json()["error"] == "invalid_request"
    assert moon.status_code == 422 and moon.json()["field"] == "path"
    assert garbage.status_code == 422
    assert _count(db, "SELECT count(*) FROM cases") == 0


@pytest.mark.parametrize(
    "value", ["a\x00b", "\ud800علی", "\u202eعلی", "علی\n"], ids=["nul", "surrogate", "override", "newline"]
)
def test_a_name_with_a_character_no_one_types_is_refused_not_stored(db, tmp_path, value) -> None:
    """A NUL, an unpaired surrogate (JSON may carry one), a bidi override or a line break in a
    name: 422 naming the field, on either store (SQLite raised UnicodeEncodeError on the
    surrogate and PostgreSQL refuses a NUL: both were a 500)."""
    body = json.dumps({"path": "resident", "subject": {**RESIDENT, "father_name": value}})  # \ud800 escaped
    with service(config(db, tmp_path, warm_up=False)) as (client, _):
        r = client.post("/v1/cases", content=body, headers={"content-type": "application/json"})
        invisible = client.post(
            "/v1/cases", json={"path": "resident", "subject": {**RESIDENT, "last_name": "\u200b"}}
        )
    assert r.status_code == 422 and r.json() == {
        **r.json(),
        "error": "invalid_identifier",
        "field": "father_name",
    }
    assert (
        invisible.status_code == 422 and invisible.json()["field"] == "last_name"
    )  # blank to the eye: missing
    assert _count(db, "SELECT count(*) FROM cases") == 0


def test_a_case_path_with_a_nul_is_an_unknown_case_not_a_database_error(db, tmp_path) -> None:
    with service(config(db, tmp_path, warm_up=False)) as (client, _):
        _, token = open_case(client)
        answers = [
            client.request(method, path, headers=bearer(token)).status_code
            for method, path in (
                ("GET", "/v1/cases/a%00b"),
                ("POST", "/v1/cases/%00/submit"),
                ("GET", "/v1/cases/%ED%A0%80"),
            )
        ]
    assert answers == [401, 401, 401]  # as any unknown case (PostgreSQL refused the NUL: a 500)


def _abroad() -> dict[str, str]:
    import dataclasses

    from kyc_sdk.registration import samples as S

    return {k: v for k, v in dataclasses.asdict(S.abroad_subject()).items() if v is not None}


@pytest.mark.parametrize(
    ("path", "left_out", "field"),
    [
        ("resident", ("first_name", "last_name"), "first_name"),  # the document vendor's applicant
        ("resident", ("last_name",), "last_name"),
        ("resident", ("birth_date",), "birth_date"),  # the civil registry is asked by it
        ("abroad", ("first_name",), "first_name"),
    ],
)
def test_a_case_without_what_its_vendors_need_is_refused_at_creation(
    db, tmp_path, path, left_out, field
) -> None:
    typed = RESIDENT if path == "resident" else _abroad()
    with service(config(db, tmp_path, warm_up=False)) as (client, _):
        gone = client.post(
            "/v1/cases", json={"path": path, "subject": {k: v for k, v in typed.items() if k not in left_out}}
        )
        blank = client.post("/v1/cases", json={"path": path, "subject": {**typed, field: "  "}})
    for r in (gone, blank):
        assert r.status_code == 422 and r.json()["error"] == "invalid_identifier", r.text
        assert r.json()["field"] == field
    assert _count(db, "SELECT count(*) FROM cases") == 0


def test_every_case_endpoint_needs_that_case_token(db, tmp_path) -> None:
    with service(config(db, tmp_path, warm_up=False)) as (client, _):
        mine, token = open_case(client)
        theirs, their_token = open_case(client)
        paths = [
            ("GET", f"/v1/cases/{mine}"),
            ("POST", f"/v1/cases/{mine}/challenge"),
            ("PUT", f"/v1/cases/{mine}/uploads/document_front"),
            ("POST", f"/v1/cases/{mine}/submit"),
            ("GET", f"/v1/cases/{mine}/attestation"),
        ]
        refused = {
            (method, path, name): client.request(method, path, headers=headers, content=b"x").status_code
            for method, path in paths
            for name, headers in (
                ("none", {}),
                ("other case's", bearer(their_token)),
                ("basic", {"authorization": f"Basic {token}"}),
            )
        }
        unknown = client.get("/v1/cases/nope", headers=bearer(token))
        own = client.get(f"/v1/cases/{mine}", headers=bearer(token))
        assert theirs != mine
    assert set(refused.values()) == {401}, refused
    assert unknown.status_code == 401  # an unknown case looks like a wrong token
    assert own.status_code == 200 and own.json()["status"] == "open"
    assert "token" not in own.text and RESIDENT["national_code"] not in own.text


def test_uploads_past_their_cap_are_refused_and_leave_nothing(tmp_path) -> None:
    db = fresh_db("sqlite", tmp_path)
    cfg = config(db, tmp_path, warm_up=False, max_image_bytes=1000)

    def chunks():
        for _ in range(10):
            yield b"x" * 500  # no content-length: the stream itself is cut at the cap

    with service(cfg) as (client, _):
        case_id, token = open_case(client)
        url = f"/v1/cases/{case_id}/uploads/document_front"
        at_cap = client.put(url, content=b"y" * 1000, headers=bearer(token))
        declared = client.put(url, content=b"x" * 1001, headers=bearer(token))
        streamed = client.put(url, content=chunks(), headers=bearer(token))
        empty = client.put(url, content=b"", headers=bearer(token))
        unknown = client.put(
            f"/v1/cases/{case_id}/uploads/passport_scan", content=b"1", headers=bearer(token)
        )
        case = client.get(f"/v1/cases/{case_id}", headers=bearer(token)).json()
    assert at_cap.status_code == 201 and at_cap.json()["size"] == 1000
    assert declared.status_code == 413 and declared.json()["error"] == "too_large"
    assert streamed.status_code == 413
    assert empty.status_code == 422 and unknown.status_code == 404
    assert case["uploads"]["document_front"]["sha256"] == at_cap.json()["sha256"]
    kept = [p for p in (tmp_path / "blobs").rglob("*") if p.is_file()]
    assert [p.name for p in kept] == [at_cap.json()["sha256"]]  # no partial or temporary file left


def test_submit_refuses_a_case_without_its_evidence(tmp_path) -> None:
    with service(config(fresh_db("sqlite", tmp_path), tmp_path, warm_up=False)) as (client, _):
        case_id, token = open_case(client)
        r = client.post(f"/v1/cases/{case_id}/submit", headers=bearer(token))
        att = client.get(f"/v1/cases/{case_id}/attestation", headers=bearer(token))
    assert r.status_code == 409 and "document_front" in r.json()["message"]
    assert att.status_code == 409 and att.json()["error"] == "not_decided"


def test_a_webhook_is_applied_once_across_two_instances_on_one_database(db, tmp_path) -> None:
    cfg = config(db, tmp_path, warm_up=False)
    with service(cfg) as (a, app_a), service(cfg) as (b, _):
        services = app_a.state.services
        services.kyc.verify(sample_request(VerificationRequest(Subject(), reference="wh-1")))
        outbox = services.sandboxes.apps["aurora"].outbox
        assert outbox, "the aurora sandbox sends a webhook per verification"
        d = outbox[-1]
        first = a.post("/v1/webhooks/aurora", content=d.body, headers=d.headers)
        on_b = b.post("/v1/webhooks/aurora", content=d.body, headers=d.headers)
        again = a.post("/v1/webhooks/aurora", content=d.body, headers=d.headers)
        forged = b.post("/v1/webhooks/aurora", content=d.body + b" ", headers=d.headers)
        nobody = b.post("/v1/webhooks/nobody", content=b"{}")
    assert first.status_code == 200 and first.json() == {"applied": True, "replayed": False}
    assert on_b.status_code == 200 and on_b.json() == {"applied": False, "replayed": True}
    assert again.json()["replayed"] is True
    assert forged.status_code == 401 and forged.json()["error"] == "webhook_rejected"
    assert nobody.status_code in (401, 422) and "error" in nobody.json()


@pytest.mark.parametrize("ident", ["a\x00b", "\ud800", "\u202echk"], ids=["nul", "surrogate", "override"])
def test_a_signed_webhook_naming_its_check_with_characters_no_vendor_sends_is_rejected(
    db, tmp_path, ident
) -> None:
    """The vendor's signature vouches for who sent the body, not that its text fits a
    store: a NUL (PostgreSQL refuses it), an unpaired surrogate (UTF-8 cannot hold it) or a
    bidi override in the check id is a rejected webhook, not a 500 or a stored event."""
    from kyc_sdk.sandbox.aurora import sign

    with service(config(db, tmp_path, warm_up=False)) as (client, app):
        services = app.state.services
        services.kyc.verify(sample_request(VerificationRequest(Subject(), reference="wh-text")))
        d = services.sandboxes.apps["aurora"].outbox[-1]
        event = json.loads(d.body)
        event["payload"]["object"]["id"] = ident
        body = json.dumps(event).encode()
        r = client.post(
            "/v1/webhooks/aurora", content=body, headers={**d.headers, "X-SHA2-Signature": sign(body)}
        )
    assert r.status_code == 401 and r.json()["error"] == "webhook_rejected", r.text
    assert _count(db, "SELECT count(*) FROM case_events") == 0


def _execute(db: str, *statements: str) -> None:
    store = open_store(db, create=False)
    try:
        store._run(lambda q: [q(sql, ()) for sql in statements])
    finally:
        store.close()


@contextlib.contextmanager
def _attach_fails(db: str) -> Iterator[None]:
    """Every insert into case_events fails (a trigger): the process dies, as far as the
    database can tell, between recording a webhook and attaching it to its case."""
    if db.startswith("postgresql"):
        _execute(
            db,
            "CREATE FUNCTION fail_attach() RETURNS trigger LANGUAGE plpgsql"
            " AS $$ BEGIN RAISE EXCEPTION 'attach failed'; END $$",
            "CREATE TRIGGER fail_attach BEFORE INSERT ON case_events"
            " FOR EACH ROW EXECUTE FUNCTION fail_attach()",
        )
    else:
        _execute(
            db,
            "CREATE TRIGGER fail_attach BEFORE INSERT ON case_events"
            " BEGIN SELECT RAISE(ABORT, 'attach failed'); END",
        )
    try:
        yield
    finally:
        _execute(db, "DROP TRIGGER fail_attach" + (" ON case_events" if db.startswith("postgresql") else ""))


def test_a_webhook_whose_attachment_failed_is_applied_when_redelivered(db, tmp_path) -> None:
    cfg = config(db, tmp_path, warm_up=False)
    with service(cfg) as (a, app_a), service(cfg) as (b, _):
        services = app_a.state.services
        services.kyc.verify(sample_request(VerificationRequest(Subject(), reference="wh-crash")))
        d = services.sandboxes.apps["aurora"].outbox[-1]
        reference = (
            services.kyc.provider("aurora").parse_webhook(d.headers, d.body, now=time.time()).reference
        )
        assert reference
        case_id, token = open_case(a)
        store = open_store(db, create=False)
        try:
            store._run(
                lambda q: q("UPDATE cases SET vendor_reference = ? WHERE id = ?", (reference, case_id))
            )
        finally:
            store.close()
        with _attach_fails(db):
            crashed = a.post("/v1/webhooks/aurora", content=d.body, headers=d.headers)
        redelivered = b.post("/v1/webhooks/aurora", content=d.body, headers=d.headers)
        replayed = a.post("/v1/webhooks/aurora", content=d.body, headers=d.headers)
        events = a.get(f"/v1/cases/{case_id}", headers=bearer(token)).json()["vendor_events"]
    # answered by the service itself, so the client's connection was kept for the next call
    assert crashed.status_code == 500 and crashed.json()["error"] == "internal"
    assert redelivered.status_code == 200 and redelivered.json() == {"applied": True, "replayed": False}
    assert replayed.json() == {"applied": False, "replayed": True}
    assert [e["provider"] for e in events] == ["aurora"]


def test_one_webhook_delivered_at_once_to_two_instances_is_applied_once(db, tmp_path) -> None:
    from concurrent.futures import ThreadPoolExecutor

    cfg = config(db, tmp_path, warm_up=False)
    with service(cfg) as (a, app_a), service(cfg) as (b, _):
        services = app_a.state.services
        services.kyc.verify(sample_request(VerificationRequest(Subject(), reference="wh-race")))
        d = services.sandboxes.apps["aurora"].outbox[-1]
        with ThreadPoolExecutor(8) as pool:
            answers = list(
                pool.map(
                    lambda c: c.post("/v1/webhooks/aurora", content=d.body, headers=d.headers), [a, b] * 4
                )
            )
    assert all(r.status_code == 200 for r in answers)
    assert sum(r.json()["applied"] for r in answers) == 1


def test_openapi_document_is_valid_and_lists_exactly_the_routes(tmp_path) -> None:
    from openapi_spec_validator import validate

    spec = openapi_spec()
    validate(spec)  # OpenAPI 3.1, by the schema the standard publishes
    served = {(r.path, m.lower()) for r in ROUTES for m in (r.methods or ()) if m != "HEAD"}
    documented = {(path, method) for path, ops in spec["paths"].items() for method in ops}
    assert documented == served
    with service(config(fresh_db("sqlite", tmp_path), tmp_path, warm_up=False)) as (client, _):
        assert client.get("/v1/openapi.json").json() == spec
        jwks = client.get("/v1/jwks.json").json()
        assert client.get("/.well-known/jwks.json").json() == jwks
        assert client.get("/healthz").status_code == 200
    assert jwks["keys"] and all("d" not in k for k in jwks["keys"])


def test_readiness_waits_for_the_models(tmp_path) -> None:
    with service(config(fresh_db("sqlite", tmp_path), tmp_path, warm_up=True)) as (client, app):
        seen = []
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            seen.append(client.get("/readyz").status_code)
            if seen[-1] == 200:
                break
            time.sleep(0.05)
        assert seen[-1] == 200 and set(seen) <= {200, 503}
        assert app.state.services.ready


def test_an_outdated_schema_is_refused_until_db_upgrade(tmp_path) -> None:
    path = tmp_path / "old.db"
    store = open_store(str(path))
    later = [
        m.group(1) for v in sorted(MIGRATIONS) if v > 2 for s in MIGRATIONS[v] if (m := CREATED.match(s))
    ]
    with store._tx() as q:  # back to version 2, as the SANA store alone made it
        for table in reversed(later):  # the service's tables refer to the ones made before them
            q(f"DROP TABLE {table}", ())
        q("DELETE FROM schema_version WHERE version > 2", ())
    store.close()
    cfg = config(str(path), tmp_path, upgrade=False)
    with pytest.raises(SchemaError, match="db upgrade"):
        check_schema(cfg)
    done = subprocess.run(
        [sys.executable, "-m", "kyc_sdk.cli", "db", "upgrade", "--db", f"sqlite://{path}", "--json"],
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {"schema_version": SCHEMA_VERSION, "current": True}
    assert check_schema(cfg) == SCHEMA_VERSION


def test_breaker_state_is_shared_by_two_pools_on_one_database(db) -> None:
    one, two = StorePool(db), StorePool(db)
    try:
        a = CircuitBreaker(2, 10.0, states=StoreBreakerStates(one), name="aurora")
        b = CircuitBreaker(2, 10.0, states=StoreBreakerStates(two), name="aurora")
        other = CircuitBreaker(2, 10.0, states=StoreBreakerStates(two), name="hirkan")
        a.record(False, 100.0)
        b.record(False, 101.0)  # the second failure in a row, seen from another replica
        assert a.state == b.state == "open" and not b.allow(105.0)
        assert other.state == "closed" and other.allow(105.0)
        assert a.allow(111.5) and not b.allow(111.6)  # one probe between both replicas
        b.record(True, 112.0)
        assert a.state == "closed" and a.failures == 0
    finally:
        one.close()
        two.close()


def test_local_jobs_enqueue_once_and_count_what_waits(db, tmp_path) -> None:
    pool = StorePool(db)
    try:
        with service(config(db, tmp_path, warm_up=False, jobs_factory=lambda p, c: _Idle())) as (client, _):
            ids = [open_case(client)[0] for _ in range(2)]
        jobs = LocalJobs(pool)

        async def go() -> tuple[int, int]:
            for case_id in (*ids, ids[0]):
                await jobs.enqueue(case_id)
            waiting = await jobs.depth()
            claimed = await pool.arun(jobs._claim)
            assert claimed is not None and claimed[0] == ids[0]
            return waiting, await jobs.depth()

        assert anyio.run(go) == (2, 1)
    finally:
        pool.close()


@pytest.mark.skipif(not PG_URL, reason="needs KYC_SDK_PG_URL (scripts/with-postgres.sh)")
def test_local_jobs_on_postgresql_pass_over_a_job_another_claimer_holds(tmp_path) -> None:
    import threading

    from kyc_sdk.service.jobs import _CLAIM

    db = fresh_db("postgresql", tmp_path)
    pool = StorePool(db)
    try:
        with service(config(db, tmp_path, warm_up=False, jobs_factory=lambda p, c: _Idle())) as (client, _):
            ids = [open_case(client)[0] for _ in range(2)]
        first, second = LocalJobs(pool), LocalJobs(pool)
        for case_id in ids:
            anyio.run(first.enqueue, case_id)
        got: list[tuple[str, int] | None] = []
        holder = open_store(db, create=False)
        try:
            with holder._tx() as q:  # the first claimer, mid-claim: the oldest job's row is locked
                now = first.clock()
                args = (now + first.lease, first.worker_id, now, now)
                held = q(_CLAIM.format(skip_locked=holder.skip_locked), args)
                other = threading.Thread(target=lambda: got.append(pool.run(second._claim)), daemon=True)
                other.start()
                other.join(timeout=30)  # without SKIP LOCKED it waits for this transaction's end
                finished_meanwhile = not other.is_alive()
            other.join(timeout=30)
        finally:
            holder.close()
    finally:
        pool.close()
    assert [r[0] for r in held] == [ids[0]]
    assert finished_meanwhile, "the second claimer waited for the first one's row"
    assert got and got[0] is not None and got[0][0] == ids[1]


class _Idle:
    """A queue that takes nothing (the jobs of this test are driven by hand); it
    remembers what was enqueued."""

    def __init__(self) -> None:
        self.enqueued: list[str] = []

    async def enqueue(self, case_id: str) -> None:
        self.enqueued.append(case_id)

    async def work(self, handler, *, stop) -> None:
        await stop.wait()

    async def depth(self) -> int:
        return 0


def test_a_vendor_that_is_not_idempotent_is_called_once_per_case(db) -> None:
    from kyc_sdk.client import KYC
    from kyc_sdk.errors import NoProviderAvailable
    from kyc_sdk.sandbox import Sandboxes
    from kyc_sdk.service.cases import claim_vendor_call
    from kyc_sdk.service.config import _once_only

    pool = StorePool(db)
    try:
        with Sandboxes(["borealis"]) as sb, KYC(sb.providers(), transport=sb.transport) as kyc:
            assert not kyc.providers["borealis"].idempotent  # a repeated POST opens a second session
            _once_only(kyc, pool)
            request = sample_request(VerificationRequest(Subject(), reference="case-1"))
            first = kyc.verify(request)
            rerun = kyc.verify(request)  # the job run again after its worker died
            sessions = len(sb.apps["borealis"].sessions)
            pool.run(lambda s: claim_vendor_call(s, "case-2", "borealis", 1.0))  # a run died mid-call
            with pytest.raises(NoProviderAvailable):
                kyc.verify(sample_request(VerificationRequest(Subject(), reference="case-2")))
            after = len(sb.apps["borealis"].sessions)
    finally:
        pool.close()
    assert sessions == after == 1
    assert rerun.decision == first.decision and rerun.checks == first.checks
    assert rerun.reference == first.reference


def test_hostile_json_bodies_get_typed_errors(tmp_path) -> None:
    with service(config(fresh_db("sqlite", tmp_path), tmp_path, warm_up=False)) as (client, _):
        answers = [
            client.post("/v1/cases", content=b"[" * 5000 + b"]" * 5000),  # nesting past the recursion limit
            client.post("/v1/cases", content=b"\xff\xfe{}"),
            client.post(
                "/v1/cases", content=b'{"path": "resident", "subject": {"national_code": 499370899}}'
            ),
            client.post("/v1/cases", content=b" " * 20000),  # past the JSON cap
            client.post("/v1/cases", json=[1, 2]),
        ]
    assert [a.status_code for a in answers] == [422, 422, 422, 413, 422]
    assert all(set(a.json()) >= {"error", "message"} for a in answers)


def test_a_fjord_hint_is_read_back_from_the_vendor_not_from_its_body(tmp_path) -> None:
    db = fresh_db("sqlite", tmp_path)
    with service(config(db, tmp_path, warm_up=False, sandboxes=("fjord", "hirkan"))) as (client, app):
        services = app.state.services
        done = services.kyc.verify(sample_request(VerificationRequest(Subject(), reference="hint-1")))
        case_id, token = open_case(client)
        store = open_store(db, create=False)
        store._run(
            lambda q: q("UPDATE cases SET vendor_reference = ? WHERE id = ?", (done.reference, case_id))
        )
        store.close()
        sent = services.sandboxes.apps["fjord"].outbox[-1]
        body = json.loads(sent.body)
        forged = json.dumps({**body, "ResultCode": "0000", "ResultText": "forged"}).encode()
        answer = client.post("/v1/webhooks/fjord", content=forged, headers=sent.headers)
        events = client.get(f"/v1/cases/{case_id}", headers=bearer(token)).json()["vendor_events"]
    assert answer.status_code == 200 and answer.json()["applied"]
    assert events == [{"provider": "fjord", "event": "job_result", "status": done.raw_status}]
    assert done.raw_status != "0000"  # what the vendor says, not what the body claimed


def test_cases_left_submitted_without_a_job_are_enqueued_at_start(tmp_path) -> None:
    db = fresh_db("sqlite", tmp_path)
    with service(config(db, tmp_path, warm_up=False, jobs_factory=lambda p, c: _Idle())) as (client, _):
        orphan, _token = open_case(client)
        still_open, _token = open_case(client)
    store = open_store(db, create=False)  # as if the process died between submit and enqueue
    store._run(lambda q: q("UPDATE cases SET status = 'submitted' WHERE id = ?", (orphan,)))
    store.close()
    queue = _Idle()
    with service(config(db, tmp_path, warm_up=False, jobs_factory=lambda p, c: queue)):
        pass
    assert queue.enqueued == [orphan] and still_open != orphan
