"""Every shape of ``verified_claims`` we sign fits the OpenID IDA schema written for it
(``kyc_sdk/attestation/verified_claims.schema.json``), checked with ``jsonschema``."""

from __future__ import annotations

import dataclasses
import json
from importlib import resources
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from kyc_sdk.attestation import AUDIENCE, ISSUER, build_claims, reviewed
from kyc_sdk.attestation.claims import DisclosurePolicy
from kyc_sdk.models import CheckKind, Decision, DocumentType
from tests.attestation.factory import NOW, SUBJECT_KEY, outcome, result


def schema() -> dict[str, Any]:
    text = resources.files("kyc_sdk.attestation").joinpath("verified_claims.schema.json").read_text("utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


EVERYTHING = DisclosurePolicy(names=True, birthdate=True, national_code=True, passport_number=True)


def _claims(out, policy: DisclosurePolicy | None = None) -> dict:
    return build_claims(
        out, issuer=ISSUER, audience=AUDIENCE, now=NOW, ttl=600, subject_key=SUBJECT_KEY, policy=policy
    )


def _named(out):
    return dataclasses.replace(out, given_name="Sara", family_name="Ahmadi", birth_date="1370/01/15")


def _in_review():
    base = result(Decision.REVIEW)
    checks = tuple(
        dataclasses.replace(c, outcome=Decision.REVIEW) if c.kind is CheckKind.REGISTRY else c
        for c in base.checks
    )
    return reviewed(
        dataclasses.replace(outcome(res=base, level="high"), result=dataclasses.replace(base, checks=checks)),
        "officer-1",
    )


SHAPES = {
    "resident": lambda: _named(outcome(level="high")),
    "resident-everything": lambda: (_named(outcome(level="high")), EVERYTHING),
    "abroad-passport": lambda: (
        dataclasses.replace(
            _named(outcome(national_code=None, passport="X1234567")),
            nationality="DEU",
            document_type=DocumentType.PASSPORT,
            document_issuer="Federal Republic of Germany",
        ),
        EVERYTHING,
    ),
    "low-document-only": lambda: outcome(level="low", res=result(kinds=frozenset({CheckKind.DOCUMENT}))),
    "officer-approved": _in_review,
}


def test_the_schema_is_a_valid_draft_2020_12_schema() -> None:
    Draft202012Validator.check_schema(schema())


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_every_shape_we_sign_fits_the_schema(shape: str) -> None:
    made = SHAPES[shape]()
    out, policy = made if isinstance(made, tuple) else (made, None)
    verified = _claims(out, policy)["verified_claims"]
    errors = [e.json_path for e in Draft202012Validator(schema()).iter_errors(verified)]
    assert errors == []
    assert verified["verification"]["evidence"]  # not vacuously valid


def test_the_schema_refuses_what_a_relying_party_could_not_read() -> None:
    good = _claims(_named(outcome(level="high")))["verified_claims"]
    validator = Draft202012Validator(schema())
    broken = [
        {**good, "extra": 1},
        {**good, "claims": {**good["claims"], "birthdate": "1370/01/15"}},  # Jalali, not ISO 8601
        {"claims": good["claims"]},
        {**good, "verification": {**good["verification"], "evidence": [{"type": "document"}]}},
    ]
    assert all(not validator.is_valid(b) for b in broken)
