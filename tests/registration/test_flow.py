"""The whole registration end to end: both paths approved with a verifiable attestation and
a SANA code; a replayed selfie, a card whose code is not the typed one, and a failed
Shahkar match each end without a code, with their reason."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

import pytest

from kyc_sdk.attestation import load_jwks, subject_hash, verify
from kyc_sdk.errors import ImageRejected, InputError, InvalidIdentifier
from kyc_sdk.identifiers import sana_code
from kyc_sdk.models import Decision
from kyc_sdk.once import MemoryOnce
from kyc_sdk.registration import Registration
from kyc_sdk.registration import samples as S
from kyc_sdk.registration.sandboxed import sandboxed
from tests.registration.conftest import abroad_app, challenge, resident_app

pytestmark = pytest.mark.slow  # seconds, not milliseconds: `make check` leaves it out

STAGES = [
    "document",
    "liveness",
    "face_match",
    "cross_checks",
    "providers",
    "decision",
    "attestation",
    "sana",
]


def verified(reg, token: str) -> dict:
    return verify(token, load_jwks(reg.keys.jwks()), now=datetime.now(UTC))


def test_resident_is_approved_with_a_code_and_a_verifiable_attestation(reg) -> None:
    r = reg.register(resident_app(reg))
    assert r.decision is Decision.APPROVED and r.reasons == (), r.reasons
    assert sana_code.is_valid(r.sana_code)
    assert [s.name for s in r.stages] == STAGES and all(s.ms >= 0 for s in r.stages)
    assert {s.name: s.outcome for s in r.stages}["sana"] == "issued"
    claims = verified(reg, r.attestation)
    assert claims["kyc"]["decision"] == "APPROVED"
    assert claims["verified_claims"]["verification"]["assurance_level"] == "high"
    kinds = {(c["kind"], c["provider"]) for c in claims["kyc"]["checks"] if c["outcome"] == "APPROVED"}
    assert {
        ("liveness", "kyc-sdk"),
        ("face_match", "kyc-sdk"),
        ("registry", "hirkan"),
        ("mobile_match", "hirkan"),
        ("document", "aurora"),
    } <= kinds
    assert claims["sub"] == subject_hash("nc:" + S.RESIDENT.national_code, reg.subject_key)
    assert S.RESIDENT.national_code not in r.attestation and S.RESIDENT.national_code not in str(claims)


def test_abroad_is_identified_by_the_passports_national_code(reg) -> None:
    r = reg.register(abroad_app(reg))
    assert r.decision is Decision.APPROVED, r.reasons
    assert sana_code.is_valid(r.sana_code)
    claims = verified(reg, r.attestation)
    assert claims["verified_claims"]["verification"]["assurance_level"] == "substantial"
    assert claims["verified_claims"]["verification"]["evidence"][0]["document_details"]["type"] == "passport"
    assert claims["sub"] == subject_hash("nc:" + S.ABROAD.national_code, reg.subject_key)
    assert not any(c["kind"] == "mobile_match" for c in claims["kyc"]["checks"])  # no Shahkar abroad
    assert {a["provider"] for a in claims["kyc"]["attempts"]} == {"aurora"}


def test_replayed_selfie_is_declined_without_vendor_calls_or_code(reg) -> None:
    r = reg.register(resident_app(reg, video=S.replay_video()))
    assert r.decision is Decision.DECLINED and "liveness_attack" in r.reasons
    assert r.sana_code is None and r.result.attempts == ()
    stages = {s.name: s.outcome for s in r.stages}
    assert (
        stages["liveness"] == "DECLINED"
        and stages["providers"] == "skipped"
        and stages["sana"] == "not_issued"
    )
    assert verified(reg, r.attestation)["kyc"]["decision"] == "DECLINED"  # a decline is attested too


def test_card_code_differing_from_the_typed_one_is_declined(reg) -> None:
    typed = dataclasses.replace(S.resident_subject(), national_code=S.SHAHKAR_MISMATCH.national_code)
    r = reg.register(resident_app(reg, subject=typed))
    assert r.decision is Decision.DECLINED and "national_code_mismatch" in r.reasons
    assert r.sana_code is None and r.result.attempts == ()  # the wrong code never reached a vendor


def test_shahkar_mismatch_is_retry_without_code(reg) -> None:
    r = reg.register(resident_app(reg, person=S.SHAHKAR_MISMATCH))
    assert r.decision is Decision.RETRY and r.reasons == ("mobile_not_owned",)
    assert r.sana_code is None
    assert {c.kind.value: c.outcome for c in r.result.checks if c.provider == "hirkan"} == {
        "registry": Decision.APPROVED,
        "mobile_match": Decision.RETRY,
    }
    explained = r.to_dict()["reasons"][0]
    assert explained["code"] == "mobile_not_owned" and explained["fa"] and explained["en"]


def test_same_person_again_gets_the_same_code(reg) -> None:
    first = reg.register(resident_app(reg))
    again = reg.register(resident_app(reg))
    assert first.sana_code == again.sana_code is not None
    assert verified(reg, first.attestation)["jti"] != verified(reg, again.attestation)["jti"]


def liveness_reasons(registered) -> tuple[str, ...]:
    return next(c.reasons for c in registered.result.checks if c.kind.value == "liveness")


def test_reused_challenge_nonce_is_declined(reg) -> None:
    ch = challenge(reg)
    assert reg.register(resident_app(reg, ch=ch)).decision is Decision.APPROVED
    r = reg.register(resident_app(reg, ch=ch))
    assert r.decision is Decision.DECLINED and "challenge_reused" in liveness_reasons(r)


def test_a_nonce_spent_on_one_replica_is_refused_on_another(reg) -> None:
    shared = MemoryOnce()  # stands in for the store both replicas share
    reg.once = shared
    replica = Registration(
        reg.kyc, keys=reg.keys, subject_key=reg.subject_key, issuer=reg.issuer, once=shared
    )
    ch = challenge(reg)
    assert reg.register(resident_app(reg, ch=ch)).decision is Decision.APPROVED
    r = replica.register(resident_app(replica, ch=ch))
    assert r.decision is Decision.DECLINED and "challenge_reused" in liveness_reasons(r)


def test_used_nonces_set_is_adapted_with_a_deprecation(reg) -> None:
    used: set[str] = set()
    with pytest.warns(DeprecationWarning, match="pass once=<OnceGuard>"):
        old_style = Registration(
            reg.kyc, keys=reg.keys, subject_key=reg.subject_key, issuer=reg.issuer, used_nonces=used
        )
    ch = challenge(reg)
    assert old_style.register(resident_app(reg, ch=ch)).decision is Decision.APPROVED
    assert used == {ch.nonce}
    assert old_style.register(resident_app(reg, ch=ch)).decision is Decision.DECLINED


def test_vendors_down_is_retry(tmp_path) -> None:
    with sandboxed(tmp_path, faults={"hirkan": ["unavailable"]}) as reg:
        r = reg.register(resident_app(reg))
    assert r.decision is Decision.RETRY and "providers_unavailable" in r.reasons and r.sana_code is None


def test_face_of_someone_else_is_declined(shared_data) -> None:
    from kyc_sdk.imaging import load_rgb
    from kyc_sdk.registration import biometrics

    other = biometrics.Selfie([(0.0, load_rgb(shared_data / "faces" / "tests_obama.jpg"))])
    check, distance = biometrics.face_match(other, S.card_front())
    assert check.outcome is Decision.DECLINED and check.reasons == ("face_mismatch",)
    assert distance is not None and distance > 0.5
    same, _ = biometrics.face_match(biometrics.Selfie([(0.0, S.selfie_frame().copy())]), S.card_front())
    assert same.outcome is Decision.APPROVED


@pytest.mark.parametrize(
    ("distance", "outcome", "reasons"),
    [
        (0.30, Decision.APPROVED, ()),
        (0.50, Decision.REVIEW, ("face_match_unsure",)),
        (0.60, Decision.REVIEW, ("face_match_unsure",)),
        (0.61, Decision.DECLINED, ("face_mismatch",)),
    ],
)
def test_an_unsure_face_match_goes_to_an_officer(distance: float, outcome: Decision, reasons: tuple) -> None:
    from kyc_sdk.faces import MatchResult
    from kyc_sdk.registration import biometrics

    check = biometrics.face_check(MatchResult(distance <= 0.45, distance, 0.45, 0.01))
    assert check.outcome is outcome and check.reasons == reasons


@pytest.mark.parametrize("application", [resident_app, abroad_app])
def test_a_genuine_selfie_past_the_threshold_but_under_dlibs_limit_is_review(
    reg, monkeypatch, application
) -> None:
    from kyc_sdk.faces import calibration
    from kyc_sdk.registration import biometrics

    # the document threshold set far below the sample person's own distance puts this
    # genuine selfie in the unsure band: an officer decides, the model does not decline
    monkeypatch.setattr(calibration, "default_threshold", lambda kind="photo": 0.05)
    r = reg.register(application(reg))
    face = next(c for c in r.result.checks if c.kind.value == "face_match")
    assert face.outcome is Decision.REVIEW and face.reasons == ("face_match_unsure",)
    assert 1 - face.score <= biometrics.REVIEW_UP_TO
    assert r.decision is Decision.REVIEW and "face_match_unsure" in r.reasons and r.sana_code is None


def test_bad_input_is_a_typed_error_before_any_work(reg) -> None:
    with pytest.raises(InvalidIdentifier):  # no Shahkar for a foreign mobile: not a resident
        reg.register(
            resident_app(reg, subject=dataclasses.replace(S.resident_subject(), mobile=S.FOREIGN_MOBILE))
        )
    with pytest.raises(InvalidIdentifier):
        reg.register(
            dataclasses.replace(
                abroad_app(reg), subject=dataclasses.replace(S.abroad_subject(), passport_number=None)
            )
        )
    with pytest.raises(InvalidIdentifier):
        reg.register(dataclasses.replace(resident_app(reg), path="martian"))
    with pytest.raises(ImageRejected):
        reg.register(dataclasses.replace(resident_app(reg), document_front=b"not an image"))
    with pytest.raises(ImageRejected):
        reg.register(dataclasses.replace(resident_app(reg), selfie_video=[]))
    with pytest.raises(ImageRejected):
        reg.register(dataclasses.replace(resident_app(reg), selfie_video=b"\x00" * 100))
    with pytest.raises(InputError):
        reg.register(dataclasses.replace(resident_app(reg), challenge=None))
    with pytest.raises(InvalidIdentifier):  # a JSON number where a name belongs
        reg.register(resident_app(reg, subject=dataclasses.replace(S.resident_subject(), first_name=7)))


def test_abroad_without_a_national_code_is_identified_by_passport_and_nationality(reg) -> None:
    from kyc_sdk.registration import Application

    person = dataclasses.replace(S.ABROAD, national_code="")  # the personal-number field left empty
    ch = challenge(reg)
    r = reg.register(
        Application("abroad", S.abroad_subject(person), S.passport_page(person), S.selfie_video(ch.steps), ch)
    )
    assert r.decision is Decision.APPROVED and sana_code.is_valid(r.sana_code), r.reasons
    assert verified(reg, r.attestation)["sub"] == subject_hash(
        "pp:IRN:" + person.passport_number, reg.subject_key
    )


def test_unreadable_card_photo_is_retry_never_decline(reg) -> None:
    import random

    import numpy as np

    from kyc_sdk.docs_ocr import synth
    from kyc_sdk.registration.crosscheck import MIN_CONFIDENCE

    card = synth.render_national_card(S.RESIDENT, face=np.array(S.face()), rng=random.Random(1))
    blurred = synth.photograph(card, rng=random.Random(1), blur=3.0, noise=3.0)
    r = reg.register(dataclasses.replace(resident_app(reg), document_front=blurred))
    assert r.decision is Decision.RETRY and r.sana_code is None
    # unreadable, or a stray field read (an evened-out father's name at 0.38): a new photo either way
    document = {"document_unreadable", "document_low_confidence"}
    assert set(r.reasons) & document and set(r.reasons) <= document | {"face_not_found"}
    trusted = [n for n, f in r.document["fields"].items() if f["valid"] and f["confidence"] >= MIN_CONFIDENCE]
    assert r.document["found"] is False or not trusted, trusted


def test_challenge_left_unfinished_is_retry(reg) -> None:
    ch = challenge(reg)
    half = S.selfie_video(ch.steps[:1])  # the person did the first step only
    r = reg.register(resident_app(reg, video=half, ch=ch))
    assert r.decision is Decision.RETRY and r.reasons == ("liveness_retry",) and r.sana_code is None
    liveness = next(c for c in r.result.checks if c.kind.value == "liveness")
    assert f"challenge_not_met:{ch.steps[1]}" in liveness.reasons


def test_a_video_is_judged_fresh_when_it_arrived_not_when_it_is_checked(reg) -> None:
    """A challenge lasts 30 s. A registration whose card reading took the clock past that
    (a loaded machine, a queued job) expires a video that carries no arrival time, and
    keeps one that arrived in time (the demo and the service both stamp it)."""
    now = reg.clock
    reg.clock = lambda: now() - 45  # the challenges were drawn 45 s ago
    late = resident_app(reg)
    arrived = dataclasses.replace(resident_app(reg), recorded_at=reg.clock() + 5)
    reg.clock = now
    stale = reg.register(late)
    assert stale.decision is Decision.RETRY and "challenge_expired" in liveness_reasons(stale)
    assert stale.reasons == ("liveness_expired",)  # the person is told it expired, not "movements missed"
    assert reg.register(arrived).decision is Decision.APPROVED
