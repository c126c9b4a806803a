"""``kyc-sdk demo``: the main job on embedded defaults, with no network and no files.

It verifies the sandbox's synthetic person through in-process sandboxes: a document
vendor (aurora) for the document and face match, and the Iranian gateway (hirkan) for
the civil registry and the Shahkar mobile match, composed by one ``verify()`` call.
"""

from __future__ import annotations

import time

import click

from kyc_sdk.cli.output import emit, errors_as_exit, json_option


@click.command()
@json_option
def demo(as_json: bool) -> None:
    """Verify a synthetic person through the in-process sandboxes."""
    with errors_as_exit(as_json):
        from kyc_sdk import KYC, CheckKind, Fallback, Subject, VerificationRequest
        from kyc_sdk.cli.verify import human, result_json
        from kyc_sdk.sandbox import Sandboxes, sample_request

        request = sample_request(VerificationRequest(
            Subject(), reference=f"demo-{time.time_ns()}",
            checks=frozenset({CheckKind.DOCUMENT, CheckKind.FACE_MATCH, CheckKind.REGISTRY, CheckKind.MOBILE_MATCH}),
        ))
        started = time.perf_counter()
        with Sandboxes(["aurora", "hirkan"]) as sb, \
                KYC(sb.providers(), transport=sb.transport, policy=Fallback()) as kyc:
            result = kyc.verify(request, deadline=30)
        ms = (time.perf_counter() - started) * 1000
        data = {"registrations": [{"path": "resident", "verification": result_json(result), "ms": round(ms, 1)}]}
        emit(data, as_json=as_json,
             human=f"Resident verification of the synthetic sample person ({ms:.0f} ms)\n{human(result)}")
