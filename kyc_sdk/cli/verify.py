"""``kyc-sdk verify``: one verification through one or more providers.

With ``--sandbox`` the providers are the in-process sandboxes of their styles; a
``--sandbox-scenario`` is produced by each style's own sandbox control, and
``--sandbox-fault NAME=FAULT`` injects a fault into one of them.
"""

from __future__ import annotations

import time

import click

from kyc_sdk.cli.output import emit, errors_as_exit, json_option
from kyc_sdk.cli.params import positive
from kyc_sdk.errors import InputError
from kyc_sdk.models import CheckKind, DocumentType, Evidence, Subject, VerificationRequest, VerificationResult


def _read(path: str | None, what: str) -> bytes | None:
    """An evidence file's bytes, read no further than an image may be (``/dev/zero``)."""
    if path is None:
        return None
    from kyc_sdk.files import read_bytes
    from kyc_sdk.imaging import MAX_BYTES

    return read_bytes(path, what, MAX_BYTES)


def _checks(text: str | None) -> frozenset[CheckKind]:
    if not text:
        return frozenset()
    try:
        return frozenset(CheckKind(name.strip()) for name in text.split(",") if name.strip())
    except ValueError:
        known = ", ".join(c.value for c in CheckKind)
        raise InputError(f"unknown check in {text!r}; known: {known}") from None


def _faults(items: tuple[str, ...]) -> dict[str, list[str]]:
    faults: dict[str, list[str]] = {}
    for item in items:
        name, sep, fault = item.partition("=")
        if not sep or not fault:
            raise InputError(f"--sandbox-fault takes NAME=FAULT, not {item!r}")
        faults.setdefault(name, []).append(fault)
    return faults


def human(result: VerificationResult) -> str:
    lines = [f"decision: {result.decision.value}  (provider {result.provider}, reference {result.reference})"]
    lines += [
        f"  check {c.kind.value:<13} {c.outcome.value:<9} by {c.provider}"
        + (f"  [{', '.join(c.reasons)}]" if c.reasons else "")
        for c in result.checks
    ]
    lines += [
        f"  attempt {a.provider:<9} {a.error or (a.outcome.value if a.outcome else '')} {a.ms:.0f} ms"
        for a in result.attempts
    ]
    if result.reasons:
        lines.append("reasons: " + ", ".join(result.reasons))
    return "\n".join(lines)


def result_json(result: VerificationResult) -> dict[str, object]:
    data = result.to_dict()
    out = {key: data[key] for key in ("decision", "checks", "attempts", "provider", "reference", "reasons")}
    # Vendor-only data a caller acts on: a hosted flow's redirect URL, fields a registry changed.
    out["vendor"] = dict(result.vendor)
    return out


@click.command()
@click.option("--provider", "providers", required=True, help="NAME[,NAME…] in order of preference.")
@click.option(
    "--policy",
    default=None,
    help="single | fallback | cheapest | quorum:K (default: single for one provider, fallback for several).",
)
@click.option("--checks", default=None, help="document,face_match,liveness,registry,mobile_match")
@click.option("--sandbox", is_flag=True, help="Use the in-process sandboxes of the named styles.")
@click.option("--sandbox-scenario", default=None, help="approved | declined | retry | review | …")
@click.option(
    "--sandbox-fault",
    "sandbox_faults",
    multiple=True,
    metavar="NAME=FAULT",
    help="unavailable | slow | rate_limited | edge_rate_limited | malformed | auth (repeatable).",
)
@click.option(
    "--deadline", type=float, callback=positive, default=None, help="Seconds for the whole verification."
)
@click.option("--no-wait", is_flag=True, help="Return PENDING instead of waiting for an asynchronous vendor.")
@click.option("--national-code")
@click.option("--mobile")
@click.option("--birth-date", help="Jalali YYYY/MM/DD, any digits.")
@click.option("--first-name")
@click.option("--last-name")
@click.option("--father-name")
@click.option("--passport-number")
@click.option("--selfie", type=click.Path(dir_okay=False))
@click.option("--document-front", type=click.Path(dir_okay=False))
@click.option("--document-back", type=click.Path(dir_okay=False))
@click.option(
    "--document-type",
    type=click.Choice([d.value for d in DocumentType]),
    default=DocumentType.NATIONAL_CARD.value,
)
@json_option
def verify(
    providers: str,
    policy: str | None,
    checks: str | None,
    sandbox: bool,
    sandbox_scenario: str | None,
    sandbox_faults: tuple[str, ...],
    deadline: float | None,
    no_wait: bool,
    national_code: str | None,
    mobile: str | None,
    birth_date: str | None,
    first_name: str | None,
    last_name: str | None,
    father_name: str | None,
    passport_number: str | None,
    selfie: str | None,
    document_front: str | None,
    document_back: str | None,
    document_type: str,
    as_json: bool,
) -> None:
    """Verify one person through the named providers."""
    with errors_as_exit(as_json):
        from kyc_sdk.client import KYC
        from kyc_sdk.providers import provider_class
        from kyc_sdk.routing import Fallback, Single, parse_policy

        names = [n.strip() for n in providers.split(",") if n.strip()]
        if not names:
            raise InputError("--provider names no provider")
        for name in names:
            provider_class(name)  # unknown name → a clear error listing the known ones
        chosen = parse_policy(policy) if policy else (Single() if len(names) == 1 else Fallback())
        if chosen == Single():
            chosen = Single(names[0])
        request = VerificationRequest(
            subject=Subject(
                national_code=national_code,
                mobile=mobile,
                first_name=first_name,
                last_name=last_name,
                father_name=father_name,
                birth_date=birth_date,
                passport_number=passport_number,
            ),
            evidence=Evidence(
                selfie=_read(selfie, "selfie"),
                document_front=_read(document_front, "document front"),
                document_back=_read(document_back, "document back"),
                document_type=DocumentType(document_type),
            ),
            checks=_checks(checks),
            reference=f"cli-{time.time_ns()}",
        )
        if not sandbox:
            raise InputError(
                "only --sandbox is available from the command line: live vendors need "
                "credentials, which the library takes as typed settings"
            )
        from kyc_sdk.sandbox import Sandboxes, apply_scenario, sample_request, scenario

        request = sample_request(request)
        if sandbox_scenario:
            for name in names:
                request = apply_scenario(request, scenario(name, sandbox_scenario))
        faults = _faults(sandbox_faults)
        unknown = sorted(set(faults) - set(names))
        if unknown:
            raise InputError(f"--sandbox-fault names {unknown[0]!r}, which is not among --provider")
        with (
            Sandboxes(names, faults=faults, slow_seconds=30.0) as sb,
            KYC(sb.providers(), transport=sb.transport, policy=chosen) as kyc,
        ):
            result = kyc.verify(request, deadline=deadline, wait=not no_wait)
        emit(result_json(result), as_json=as_json, human=human(result))
