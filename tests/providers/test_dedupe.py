"""Vendors without idempotency keys (aurora, cirrus): a retried flow for one reference
finds and reuses what the first attempt created. Over loopback, counting the sandbox's
own objects."""

from __future__ import annotations

import pytest

from kyc_sdk import KYC, Decision
from kyc_sdk.sandbox import create, provider
from kyc_sdk.sandbox.serve import serving
from tests.providers.conftest import base_request


@pytest.mark.parametrize("first_wait", [False, True])  # interrupted after submitting, or finished
def test_cirrus_retried_flow_reuses_the_applicant(first_wait: bool) -> None:
    app = create("cirrus")
    with serving(app) as url, KYC([provider("cirrus", url)]) as kyc:
        first = kyc.verify(base_request("dedupe-cirrus"), wait=first_wait)
        second = kyc.verify(base_request("dedupe-cirrus"))
    assert first.reference == second.reference and second.decision is Decision.APPROVED
    [applicant] = app.applicants.values()  # type: ignore[attr-defined]
    sides = [(d["idDocType"], d["idDocSubType"]) for d in applicant["docs"]]
    assert len(sides) == len(set(sides)) == 3 and applicant["attemptCnt"] == 1


def test_cirrus_flows_for_two_references_make_two_applicants() -> None:
    app = create("cirrus")
    with serving(app) as url, KYC([provider("cirrus", url)]) as kyc:
        kyc.verify(base_request("dedupe-a"))
        kyc.verify(base_request("dedupe-b"))
    assert len(app.applicants) == 2  # type: ignore[attr-defined]


def test_aurora_retried_flow_uploads_one_live_photo() -> None:
    app = create("aurora")
    with serving(app) as url, KYC([provider("aurora", url)]) as kyc:
        first = kyc.verify(base_request("dedupe-aurora"), wait=False)
        second = kyc.verify(base_request("dedupe-aurora"))
        third = kyc.verify(base_request("dedupe-aurora"))
    assert first.reference == second.reference == third.reference
    counts = [len(getattr(app, name)) for name in ("applicants", "documents", "live_photos", "checks")]
    assert counts == [1, 2, 1, 1]
