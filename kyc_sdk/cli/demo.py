"""``kyc-sdk demo``: two whole registrations on embedded samples, with no network.

A resident (national card + Iranian mobile, Shahkar) and an Iranian abroad (passport MRZ,
foreign mobile) register through ``kyc_sdk.registration``: the samples are rendered
around the shipped face (``registration.samples``), each selfie video performs the
challenge the server just drew, the vendors are in-process sandboxes (aurora + hirkan),
the SANA store is SQLite in a temporary folder. Progress goes to stderr, one line per
stage; stdout gets the decisions, the attestations' claims and the SANA codes, or with
``--json`` one document: ``{"registrations": [{"case", "path", "decision", "reasons",
"sana_code", "attestation", "stages"}], "jwks"}``. ``--with-failures`` adds the three
registrations that must end without a code: a replayed selfie (DECLINED), a typed
national code that is not the card's (DECLINED), a Shahkar mismatch (RETRY). Spec: the
issue "The whole registration".
"""

from __future__ import annotations

import tempfile
import time
from typing import Any

import click

from kyc_sdk.cli.output import emit, errors_as_exit, json_option

#: (name, path, typed subject, document front, document back, video for the challenge's steps)
Case = tuple[str, str, Any, Any, Any, Any]


def _progress(path: str) -> Any:
    def show(stage: Any) -> None:
        click.echo(f"  {path:<8} {stage.name:<12} {stage.ms:7.0f} ms  {stage.outcome}", err=True)

    return show


def _cases(with_failures: bool) -> list[Case]:
    """(case, path, typed subject, document front, back, video maker) for each registration."""
    import dataclasses

    from kyc_sdk.registration import samples as s

    performs = s.selfie_video  # the person doing the challenge's steps
    cases: list[Case] = [
        ("approved", "resident", s.resident_subject(), s.card_front(), s.card_back(), performs),
        ("approved", "abroad", s.abroad_subject(), s.passport_page(), None, performs),
    ]
    if with_failures:
        other_code = dataclasses.replace(s.resident_subject(), national_code=s.SHAHKAR_MISMATCH.national_code)
        cases += [
            (
                "replayed_selfie",
                "resident",
                s.resident_subject(),
                s.card_front(),
                s.card_back(),
                lambda _steps: s.replay_video(),
            ),
            ("typed_code_differs", "resident", other_code, s.card_front(), s.card_back(), performs),
            (
                "shahkar_mismatch",
                "resident",
                s.resident_subject(s.SHAHKAR_MISMATCH),
                s.card_front(s.SHAHKAR_MISMATCH),
                s.card_back(s.SHAHKAR_MISMATCH),
                performs,
            ),
        ]
    return cases


def _application(reg: Any, case: Case) -> Any:
    """The case as an application whose video answers a fresh challenge, made just before
    it is registered (a challenge is valid for 30 seconds)."""
    from kyc_sdk.registration import Application

    name, path, subject, front, back, video_for = case
    started = time.perf_counter()
    challenge = reg.challenge()
    video = video_for(challenge.steps)
    click.echo(
        f"  {path:<8} {'samples':<12} {(time.perf_counter() - started) * 1000:7.0f} ms  "
        f"{name}; challenge {' → '.join(challenge.steps)}",
        err=True,
    )
    # The video arrives now, as an upload reaches the service: its freshness is judged at
    # arrival, not after the card's OCR (on a loaded machine that took past the window).
    received = reg.clock()
    return Application(
        path, subject, front, video, challenge, back, reference=f"demo-{name}", recorded_at=received
    )


def _cases_or_exit(with_failures: bool) -> list[Case]:
    try:
        return _cases(with_failures)
    except FileNotFoundError as err:  # the generator's fonts come from Debian packages
        raise click.ClickException(f"{err}; scripts/setup.sh installs them") from err


def _human(item: dict[str, Any]) -> str:
    case = "" if item["case"] == "approved" else f" ({item['case'].replace('_', ' ')})"
    lines = [f"{item['path']}{case}: {item['decision']}  SANA code: {item['sana_code'] or '—'}"]
    lines += [f"  reason {r['code']}: {r['en']} / {r['fa']}" for r in item["reasons"]]
    claims = (item["attestation"] or {}).get("claims")
    if claims:
        lines += _claims(claims)
    return "\n".join(lines)


def _claims(claims: dict[str, Any]) -> list[str]:
    """The attestation's claims, one line per part (the full set is in ``--json``). Only
    an APPROVED attestation has ``verified_claims``."""
    kyc = claims["kyc"]
    checks = ", ".join(f"{c['kind']} {c['outcome']} by {c['provider']}" for c in kyc["checks"])
    lines = [
        "  attestation claims (signature verified against the JWKS):",
        f"    iss {claims['iss']}  aud {claims['aud']}  typ {claims['typ']}",
        f"    sub {claims['sub']}  (keyed hash; the national code is not in the token)",
        f"    iat {claims['iat']}  exp {claims['exp']}  jti {claims['jti']}",
    ]
    if "verified_claims" in claims:
        v = claims["verified_claims"]["verification"]
        kinds = ", ".join(
            f"{e['type']} ({'/'.join(c['check_method'] for c in e['check_details'])})" for e in v["evidence"]
        )
        verified = ", ".join(sorted(claims["verified_claims"]["claims"])) or "none disclosed"
        lines += [
            f"    verification: {v['trust_framework']}, assurance {v['assurance_level']}, at {v['time']}",
            f"    evidence: {kinds}; verified claims: {verified}",
        ]
    return [
        *lines,
        f"    decision {kyc['decision']}; checks: {checks}",
        "    scores: " + ", ".join(f"{k} {val}" for k, val in kyc["scores"].items()),
    ]


@click.command()
@click.option(
    "--with-failures",
    is_flag=True,
    help="Also register a replayed selfie, a typed code that is not the card's, and a Shahkar mismatch.",
)
@click.option(
    "--serve",
    is_flag=True,
    help="Instead: serve the registration service and its capture page on embedded defaults"
    " (SQLite in a temporary folder, the sandboxes) and print the page's address.",
)
@click.option(
    "--host", default="127.0.0.1", show_default=True, help="With --serve: the address to listen on."
)
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8000,
    show_default=True,
    help="With --serve (0: any free port).",
)
@json_option
def demo(with_failures: bool, serve: bool, host: str, port: int, as_json: bool) -> None:
    """Register a resident and an Iranian abroad on built-in samples (no network)."""
    if serve:
        from kyc_sdk.cli.demo_serve import serve as serve_page

        serve_page(host, port)
        return
    with errors_as_exit(as_json):
        from kyc_sdk.registration.sandboxed import sandboxed

        out: list[dict[str, Any]] = []
        click.echo("Preparing the samples (synthetic card, passport, selfie videos)…", err=True)
        with tempfile.TemporaryDirectory(prefix="kyc-demo-") as folder, sandboxed(folder) as reg:
            for case in _cases_or_exit(with_failures):
                app = _application(reg, case)
                reg.on_stage = _progress(app.path)
                result = reg.register(app).to_dict()
                out.append(
                    {
                        "case": case[0],
                        **{
                            k: result[k]
                            for k in ("path", "decision", "reasons", "sana_code", "attestation", "stages")
                        },
                    }
                )
            jwks = reg.keys.jwks()
        emit(
            {"registrations": out, "jwks": jwks},
            as_json=as_json,
            human="\n\n".join(_human(item) for item in out),
        )
