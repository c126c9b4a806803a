"""Register an Iranian abroad: passport MRZ, liveness, face match and a document vendor.

What a registration backend does, end to end, on the package's synthetic samples and the
in-process sandboxes (no network): sign with an Ed25519 key, keep SANA codes in SQLite,
ask a document vendor (aurora); no Shahkar for a foreign mobile. The national code in the
passport identifies the person (else the passport number and nationality would).

    python examples/register_abroad.py
"""

from __future__ import annotations

import secrets
import tempfile
import time
from contextlib import closing
from pathlib import Path

from kyc_sdk import KYC, Fallback
from kyc_sdk.attestation import KeyRing, generate, load_jwks
from kyc_sdk.registration import Application, Registration, RegistrationResult, samples
from kyc_sdk.sana import Issuer, open_store
from kyc_sdk.sandbox import Sandboxes


def main() -> RegistrationResult:
    ring = KeyRing()
    ring.add(generate())  # in production: kyc_sdk.attestation.load("attestor.pem")
    with (
        tempfile.TemporaryDirectory() as tmp,
        closing(open_store(str(Path(tmp) / "sana.db"))) as store,
        Sandboxes(["aurora"]) as sb,
        KYC(sb.providers(), transport=sb.transport, policy=Fallback()) as kyc,
    ):
        # the store: a SQLite file here; open_store("postgresql://…") for several replicas
        reg = Registration(
            kyc, keys=ring, subject_key=secrets.token_bytes(32), issuer=Issuer(store, load_jwks(ring.jwks()))
        )
        challenge = reg.challenge()  # sent to the app, which records the person doing it
        video = samples.selfie_video(challenge.steps)  # here: the generated selfie video
        # stamp the video's arrival: the challenge's freshness is judged then, not after
        # the document stage (a loaded backend would otherwise expire an honest video)
        arrived = time.time()
        result = reg.register(
            Application(
                "abroad",
                samples.abroad_subject(),
                samples.passport_page(),
                video,
                challenge,
                recorded_at=arrived,
            )
        )
    print(f"decision {result.decision.value}, SANA code {result.sana_code}")
    for stage in result.stages:
        print(f"  {stage.name:<12} {stage.ms:6.0f} ms  {stage.outcome}")
    for reason in result.to_dict()["reasons"]:
        print(f"  {reason['code']}: {reason['en']} / {reason['fa']}")
    return result


if __name__ == "__main__":
    main()
