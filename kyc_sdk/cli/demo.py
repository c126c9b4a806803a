"""``kyc-sdk demo``: two whole registrations on embedded samples, with no network.

A resident (national card + Iranian mobile, Shahkar) and an Iranian abroad (passport MRZ,
foreign mobile) register through ``kyc_sdk.registration``: the samples are rendered
around the shipped face (``registration.samples``), each selfie video performs the
challenge the server just drew, the vendors are in-process sandboxes (aurora + hirkan),
the SANA store is SQLite in a temporary folder. Progress goes to stderr, one line per
stage; stdout gets the decisions, the attestations' claims and the SANA codes, or with
``--json`` one document: ``{"registrations": [{"path", "decision", "reasons",
"sana_code", "attestation", "stages"}], "jwks"}``. Spec: the issue "The whole registration".
"""

from __future__ import annotations

import tempfile
import time
from typing import Any

import click

from kyc_sdk.cli.output import emit, errors_as_exit, json_option


def _progress(path: str) -> Any:
    def show(stage: Any) -> None:
        click.echo(f"  {path:<8} {stage.name:<12} {stage.ms:7.0f} ms  {stage.outcome}", err=True)

    return show


def _applications(reg: Any) -> list[Any]:
    """Both sample applications, each with a video performing its own fresh challenge."""
    from kyc_sdk.registration import Application
    from kyc_sdk.registration import samples as s

    apps = []
    for path, subject, front, back in (("resident", s.resident_subject(), s.card_front(), s.card_back()),
                                       ("abroad", s.abroad_subject(), s.passport_page(), None)):
        started = time.perf_counter()
        challenge = reg.challenge()
        video = s.selfie_video(challenge.steps)
        click.echo(f"  {path:<8} {'samples':<12} {(time.perf_counter() - started) * 1000:7.0f} ms  "
                   f"challenge {' → '.join(challenge.steps)}", err=True)
        apps.append(Application(path, subject, front, video, challenge, back, reference=f"demo-{path}"))
    return apps


def _samples(reg: Any) -> list[Any]:
    try:
        return _applications(reg)
    except FileNotFoundError as err:  # the generator's fonts come from Debian packages
        raise click.ClickException(f"{err}; scripts/setup.sh installs them") from err


def _human(item: dict[str, Any]) -> str:
    lines = [f"{item['path']}: {item['decision']}  SANA code: {item['sana_code'] or '—'}"]
    lines += [f"  reason {r['code']}: {r['en']} / {r['fa']}" for r in item["reasons"]]
    claims = (item["attestation"] or {}).get("claims")
    if claims:
        lines += _claims(claims)
    return "\n".join(lines)


def _claims(claims: dict[str, Any]) -> list[str]:
    """The attestation's claims, one line per part (the full set is in ``--json``)."""
    v = claims["verified_claims"]["verification"]
    doc = v["evidence"][0]["document_details"]
    kyc = claims["kyc"]
    checks = ", ".join(f"{c['kind']} {c['outcome']} by {c['provider']}" for c in kyc["checks"])
    return [
        "  attestation claims (signature verified against the JWKS):",
        f"    iss {claims['iss']}  aud {claims['aud']}  typ {claims['typ']}",
        f"    sub {claims['sub']}  (keyed hash; the national code is not in the token)",
        f"    iat {claims['iat']}  exp {claims['exp']}  jti {claims['jti']}",
        (f"    verification: {v['trust_framework']}, assurance {v['assurance_level']}, "
        f"{doc['type']} issued by {doc['issuer']['country_code']}, at {v['time']}"),
        f"    decision {kyc['decision']}; checks: {checks}",
        "    scores: " + ", ".join(f"{k} {val}" for k, val in kyc["scores"].items()),
    ]


@click.command()
@json_option
def demo(as_json: bool) -> None:
    """Register a resident and an Iranian abroad on built-in samples (no network)."""
    with errors_as_exit(as_json):
        from kyc_sdk.registration.sandboxed import sandboxed

        out: list[dict[str, Any]] = []
        click.echo("Preparing the samples (synthetic card, passport, selfie videos)…", err=True)
        with tempfile.TemporaryDirectory(prefix="kyc-demo-") as folder, sandboxed(folder) as reg:
            for app in _samples(reg):
                reg.on_stage = _progress(app.path)
                result = reg.register(app).to_dict()
                out.append({k: result[k] for k in ("path", "decision", "reasons", "sana_code", "attestation",
                                                   "stages")})
            jwks = reg.keys.jwks()
        emit({"registrations": out, "jwks": jwks}, as_json=as_json,
             human="\n\n".join(_human(item) for item in out))
