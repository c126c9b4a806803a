"""The review endpoints over real HTTP (uvicorn on loopback), on SQLite and PostgreSQL:
bearer tokens (401 without, 403 on another officer's claim), the whole claim / decide /
release flow, hostile bodies, and the published audit checkpoints."""

from __future__ import annotations

from datetime import UTC, datetime

import anyio
import httpx
import pytest
from starlette.applications import Starlette

from kyc_sdk.attestation import KeyRing, generate, load_jwks
from kyc_sdk.sana import open_store
from kyc_sdk.sana.checkpoints import parse_published, sign_checkpoint, verify_with_checkpoints
from kyc_sdk.sandbox.serve import serving
from kyc_sdk.service.officers import add_officer, revoke_officer
from kyc_sdk.service.review import ReviewQueue
from kyc_sdk.service.review_routes import routes

EVIDENCE = {"stages": {"liveness": {"score": 0.4, "reasons": ["static_face"]}}, "images_sha256": {}}


class LazyApp:
    """Opens its store on the server's own thread (a SQLite connection belongs to the
    thread that opened it), as the service does at start-up."""

    def __init__(self, url: str) -> None:
        self.url, self.app, self.decided = url, None, []

    async def __call__(self, scope, receive, send) -> None:
        if self.app is None:
            self.store = open_store(self.url)

            async def hook(case_id: str, decision: str) -> None:
                self.decided.append((case_id, decision))

            self.app = Starlette(routes=routes(ReviewQueue(self.store, on_decided=hook)))
        await self.app(scope, receive, send)


@pytest.fixture
def served(store_url):
    store = open_store(store_url)
    alice = add_officer(store, "Alice")
    bob = add_officer(store, "Bob")
    queue = ReviewQueue(store)
    for c in ("c1", "c2"):
        anyio.run(queue.put, c, EVIDENCE)
    app = LazyApp(store_url)
    with serving(app) as url, httpx.Client(base_url=url, timeout=10) as http:
        yield http, store, alice, bob, app
    store.close()


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_no_case_without_an_officers_token(served):
    http, store, (alice, token), _, _ = served
    for method, path in (
        ("GET", "/v1/review/cases"),
        ("GET", "/v1/review/cases/c1"),
        ("POST", "/v1/review/cases/c1/claim"),
        ("POST", "/v1/review/cases/c1/decide"),
        ("POST", "/v1/review/cases/c1/release"),
    ):
        for headers in ({}, auth("nope"), auth(token + "x"), {"Authorization": f"Basic {token}"}):
            r = http.request(method, path, headers=headers)
            assert r.status_code == 401 and r.json()["error"] == "not_authenticated", (method, path)
            assert r.headers["www-authenticate"] == "Bearer" and token not in r.text
    revoke_officer(store, alice.id)
    assert http.get("/v1/review/cases", headers=auth(token)).status_code == 401


def test_claim_decide_release_over_http(served):
    http, _, (alice, a_token), (_, b_token), app = served
    listed = http.get("/v1/review/cases", headers=auth(a_token)).json()["cases"]
    assert [c["case_id"] for c in listed] == ["c1", "c2"] and "evidence" not in listed[0]
    shown = http.get("/v1/review/cases/c1", headers=auth(a_token)).json()
    assert shown["evidence"] == EVIDENCE and shown["state"] == "open"
    assert http.get("/v1/review/cases/zz", headers=auth(a_token)).status_code == 404
    r = http.post("/v1/review/cases/c1/claim", headers=auth(a_token))
    assert r.status_code == 200 and r.json()["claimed_by"] == alice.id
    assert http.post("/v1/review/cases/c1/claim", headers=auth(b_token)).status_code == 409
    decide = {"decision": "APPROVED", "reason": "documents verified by phone with the registry"}
    r = http.post("/v1/review/cases/c1/decide", headers=auth(b_token), json=decide)
    assert r.status_code == 403 and r.json()["error"] == "not_your_claim"
    assert http.post("/v1/review/cases/c1/release", headers=auth(b_token)).status_code == 403
    for bad in (b"{", b"[]", b'{"decision": "MAYBE", "reason": "x"}', b'{"decision": "APPROVED"}'):
        r = http.post("/v1/review/cases/c1/decide", headers=auth(a_token), content=bad)
        assert r.status_code == 400, bad
    r = http.post(
        "/v1/review/cases/c1/decide", headers=auth(a_token), content=b'{"a": "' + b"x" * 20_000 + b'"}'
    )
    assert r.status_code == 400 and "limited" in r.json()["message"]
    r = http.post("/v1/review/cases/c1/decide", headers=auth(a_token), json=decide)
    assert r.status_code == 200 and r.json()["decision"] == "APPROVED" and app.decided == [("c1", "APPROVED")]
    assert http.post("/v1/review/cases/c2/claim", headers=auth(b_token)).status_code == 200
    r = http.post("/v1/review/cases/c2/release", headers=auth(b_token))
    assert r.status_code == 200 and r.json()["state"] == "open"
    listed = http.get("/v1/review/cases?limit=10", headers=auth(b_token)).json()["cases"]
    assert [c["case_id"] for c in listed] == ["c2"]
    assert http.get("/v1/review/cases?limit=x", headers=auth(b_token)).status_code == 400
    for bad in ("x" * 129, "a%00b", "a%0Ab"):
        r = http.post(f"/v1/review/cases/{bad}/claim", headers=auth(b_token))
        assert r.status_code == 400 and r.json()["error"] == "input_error", bad


def test_checkpoints_are_published_and_check_the_database(served):
    http, store, (_, token), _, _ = served
    ring = KeyRing()
    ring.add(generate())
    assert http.get("/v1/audit/checkpoints").json() == {"checkpoints": []}  # public, like the JWKS
    sign_checkpoint(store, ring.signer, now=datetime.now(UTC))
    http.post("/v1/review/cases/c1/claim", headers=auth(token))
    sign_checkpoint(store, ring.signer, now=datetime.now(UTC))
    tokens = parse_published(http.get("/v1/audit/checkpoints").content)
    assert len(tokens) == 2
    checked = verify_with_checkpoints(store, tokens, load_jwks(ring.jwks()))
    assert checked.chain.valid and checked.checkpoints == 2 and checked.latest == checked.chain.entries == 3
