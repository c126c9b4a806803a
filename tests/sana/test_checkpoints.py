"""Signed audit checkpoints, on SQLite and PostgreSQL: a database administrator who
rewrites history and recomputes every hash passes the chain check but not the signed
checkpoints; a checkpoint signed with another key is refused; ``kyc-sdk sana audit
verify --checkpoints --jwks`` reads files and URLs with size caps and exits non-zero."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from click.testing import CliRunner
from starlette.applications import Starlette
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from kyc_sdk.attestation import KeyRing, generate, load_jwks
from kyc_sdk.attestation.errors import InvalidClaims, InvalidSignature, UnknownKey
from kyc_sdk.attestation.jws import sign_claims
from kyc_sdk.cli import main
from kyc_sdk.errors import InputError
from kyc_sdk.sana.audit import GENESIS, entry_hash
from kyc_sdk.sana.checkpoints import (
    HEADER_TYP,
    TYP,
    HistoryRewritten,
    checkpoint_if_due,
    parse_published,
    published,
    sign_checkpoint,
    verify_with_checkpoints,
)
from kyc_sdk.sandbox.serve import serving
from tests.attestation.factory import token
from tests.sana.conftest import tamper

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def issue_some(issuer, ring, n: int) -> None:
    """``n`` audit entries: the person's code issued, then repeated (each a fresh jti)."""
    for _ in range(n):
        issuer.issue(token(ring.signer))


def rewrite_history(store, seq: int, subject: str) -> None:
    """What an administrator with full rights does: change entry ``seq``, then recompute
    every later hash and the head so the chain holds together again."""
    with store._tx(write=False) as q:
        rows = q("SELECT seq, at, event, subject, code, jti FROM audit ORDER BY seq", ())
    prev, statements = GENESIS, []
    for s, at, event, old, code, jti in rows:
        subj = subject if s == seq else old
        digest = entry_hash(prev, s, at, event, subj, code, jti)
        statements.append(
            f"UPDATE audit SET subject = '{subj}', prev = '{prev}', hash = '{digest}' WHERE seq = {s}"
        )
        prev = digest
    statements.append(f"UPDATE audit_head SET hash = '{prev}' WHERE id = 1")
    tamper(store, "UPDATE audit SET prev = 'x' || prev, hash = 'x' || hash", *statements)  # unique columns


def test_a_rewritten_history_is_caught_by_the_checkpoint(store, issuer, ring):
    issue_some(issuer, ring, 3)
    sign_checkpoint(store, ring.signer, now=T0)
    issue_some(issuer, ring, 2)
    tokens = published(store)["checkpoints"]
    jwks = load_jwks(ring.jwks())
    before = verify_with_checkpoints(store, tokens, jwks)
    assert before.chain.valid and before.checkpoints == 1 and before.latest == 3
    rewrite_history(store, 2, "someone-else")
    assert store.verify_audit().valid  # the chain alone cannot tell
    with pytest.raises(HistoryRewritten, match="entry 3"):
        verify_with_checkpoints(store, tokens, jwks)


def test_removing_entries_after_a_checkpoint_is_caught(store, issuer, ring):
    issue_some(issuer, ring, 3)
    sign_checkpoint(store, ring.signer, now=T0)
    tamper(
        store,
        "DELETE FROM audit WHERE seq >= 3",
        "UPDATE audit_head SET seq = 2, hash = (SELECT hash FROM audit WHERE seq = 2) WHERE id = 1",
    )
    assert store.verify_audit().valid
    with pytest.raises(HistoryRewritten):
        verify_with_checkpoints(store, published(store)["checkpoints"], load_jwks(ring.jwks()))


def test_forged_checkpoints_are_refused(store, issuer, ring):
    issue_some(issuer, ring, 2)
    mallory = generate()
    with store._tx(write=False) as q:
        seq, digest = q("SELECT seq, hash FROM audit_head WHERE id = 1", ())[0]
    claims = {"typ": TYP, "seq": seq, "hash": digest, "iat": int(T0.timestamp())}
    jwks = load_jwks(ring.jwks())
    with pytest.raises(UnknownKey):  # signed with a key the JWKS does not hold
        verify_with_checkpoints(store, [sign_claims(claims, mallory, typ=HEADER_TYP)], jwks)
    mallorys_signature = sign_claims(claims, mallory, typ=HEADER_TYP).rsplit(".", 1)[1]
    genuine_input = sign_claims(claims, ring.signer, typ=HEADER_TYP).rsplit(".", 1)[0]
    with pytest.raises(InvalidSignature):  # the published kid, another key's signature
        verify_with_checkpoints(store, [genuine_input + "." + mallorys_signature], jwks)
    with pytest.raises(InvalidClaims):  # an attestation is not a checkpoint
        verify_with_checkpoints(store, [token(ring.signer)], jwks)


def test_checkpoints_are_made_when_due_once_per_head(store, issuer, ring):
    assert checkpoint_if_due(store, ring.signer, now=T0, every_s=60) is not None  # genesis
    assert (
        checkpoint_if_due(store, ring.signer, now=T0 + timedelta(seconds=120), every_s=60) is None
    )  # no move
    issue_some(issuer, ring, 1)
    assert (
        checkpoint_if_due(store, ring.signer, now=T0 + timedelta(seconds=30), every_s=60) is None
    )  # too soon
    made = checkpoint_if_due(store, ring.signer, now=T0 + timedelta(seconds=61), every_s=60)
    assert made is not None and sign_checkpoint(store, ring.signer, now=T0 + timedelta(hours=1)) == made
    assert len(published(store)["checkpoints"]) == 2


def cli(*args: str):
    res = CliRunner().invoke(main, [*args, "--json"])
    try:
        return res.exit_code, json.loads(res.stdout)
    except ValueError:
        return res.exit_code, res.output


def test_cli_verifies_from_files_and_urls(store_url, store, issuer, ring, tmp_path):
    issue_some(issuer, ring, 3)
    sign_checkpoint(store, ring.signer, now=T0)
    (tmp_path / "jwks.json").write_text(json.dumps(ring.jwks()))
    (tmp_path / "cp.json").write_text(json.dumps(published(store)))
    files = ["--checkpoints", str(tmp_path / "cp.json"), "--jwks", str(tmp_path / "jwks.json")]
    code, report = cli("sana", "audit", "verify", "--db", store_url, *files)
    assert code == 0 and report["valid"] and report["checkpoints"] == 1

    doc = published(store)  # read here: a SQLite connection belongs to its thread
    huge = b'{"checkpoints": ["' + b"a" * (5 * 1024 * 1024) + b'"]}'
    app = Starlette(
        routes=[
            Route("/jwks", lambda r: JSONResponse(ring.jwks())),
            Route("/cp", lambda r: JSONResponse(doc)),
            Route("/huge", lambda r: Response(huge, media_type="application/json")),
        ]
    )
    with serving(app) as url:
        urls = ["--checkpoints", url + "/cp", "--jwks", url + "/jwks"]
        code, report = cli("sana", "audit", "verify", "--db", store_url, *urls)
        assert code == 0 and report["checkpoints"] == 1
        code, err = cli(
            "sana",
            "audit",
            "verify",
            "--db",
            store_url,
            "--checkpoints",
            url + "/huge",
            "--jwks",
            url + "/jwks",
        )
        assert code == 2 and "larger" in err["message"]
        code, err = cli(
            "sana",
            "audit",
            "verify",
            "--db",
            store_url,
            "--checkpoints",
            url + "/nope",
            "--jwks",
            url + "/jwks",
        )
        assert code == 2 and "404" in err["message"]
    code, err = cli("sana", "audit", "verify", "--db", store_url, "--checkpoints", str(tmp_path / "cp.json"))
    assert code == 2 and "--jwks" in err["message"]

    rewrite_history(store, 1, "rewritten")
    code, err = cli("sana", "audit", "verify", "--db", store_url, *files)
    assert code == 13 and err["error"] == "history_rewritten"
    (tmp_path / "other.json").write_text(json.dumps(KeyRing(keys=[generate()]).jwks()))
    code, err = cli(
        "sana",
        "audit",
        "verify",
        "--db",
        store_url,
        "--checkpoints",
        str(tmp_path / "cp.json"),
        "--jwks",
        str(tmp_path / "other.json"),
    )
    assert code == 10 and err["error"] == "unknown_key"


def test_published_documents_are_parsed_strictly():
    for bad in (b"", b"{", b'{"checkpoints": 1}', b'{"checkpoints": [1]}', b"[" * 100_000):
        with pytest.raises(InputError):
            parse_published(bad)
    assert parse_published(b'["a.b.c"]') == ["a.b.c"]


def test_the_checkpoint_loop_signs_and_stops(store, issuer, ring):
    import anyio

    from kyc_sdk.sana.checkpoints import run_checkpoints

    issue_some(issuer, ring, 2)

    async def main() -> None:
        stop = anyio.Event()
        with anyio.fail_after(30):
            async with anyio.create_task_group() as tg:
                tg.start_soon(lambda: run_checkpoints(store, ring.signer, every_s=3600, stop=stop))
                while not published(store)["checkpoints"]:
                    await anyio.sleep(0.01)
                stop.set()  # the loop is waiting out its interval: it must end now, not in an hour

    anyio.run(main)
    (only,) = published(store)["checkpoints"]
    checked = verify_with_checkpoints(store, [only], load_jwks(ring.jwks()))
    assert checked.latest == 2
