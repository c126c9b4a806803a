"""A whole verification per style, logging at DEBUG: no national code, name, mobile,
image bytes or credential appears in the logs or in the result's raw payload."""

from __future__ import annotations

import base64
import dataclasses
import json
import logging

import pytest

from kyc_sdk import KYC
from kyc_sdk.sandbox import Sandboxes, settings
from tests.providers.conftest import base_request, styles_with_scenarios


def secrets_of(style: str) -> list[str]:
    made = settings(style, "http://x")
    return [
        v
        for f in dataclasses.fields(made)
        if isinstance(v := getattr(made, f.name), str) and f.name not in ("base_url", "name") and len(v) >= 8
    ]


@pytest.mark.parametrize("style", styles_with_scenarios())
def test_no_pii_or_secret_in_logs_or_raw(style: str, caplog: pytest.LogCaptureFixture) -> None:
    request = base_request(f"redaction-{style}")
    s = request.subject
    pii = [s.national_code, s.mobile, s.first_name, s.last_name, s.father_name, s.birth_date, "رضايي", "علي"]
    images = [request.evidence.selfie, request.evidence.document_front]
    blobs = [base64.b64encode(i).decode()[:40] for i in images if i]
    with (
        caplog.at_level(logging.DEBUG),
        Sandboxes([style]) as sb,
        KYC(sb.providers(), transport=sb.transport) as kyc,
    ):
        result = kyc.verify(request)
    text = (
        caplog.text
        + json.dumps(result.raw, ensure_ascii=False)
        + json.dumps(result.to_dict(), ensure_ascii=False)
    )
    assert caplog.records, "expected some DEBUG logging to inspect"
    for value in pii + blobs + secrets_of(style):
        assert value and value not in text, f"{style} leaked a value"
