"""Registrations over in-process sandboxes and a real SQLite file, on the shipped samples.

Challenges come from a seeded ``Random`` so every test performs the same steps and the
generated selfie video (about 3 s to animate) is made once per session; each challenge
still gets its own random nonce.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

import pytest

from kyc_sdk.registration import Application, Registration
from kyc_sdk.registration import samples as S
from kyc_sdk.registration.sandboxed import sandboxed


@pytest.fixture
def reg(tmp_path: Path) -> Iterator[Registration]:
    with sandboxed(tmp_path) as registration:
        yield registration


def challenge(reg: Registration):
    return reg.challenge(random.Random(5))


def resident_app(reg: Registration, *, person=S.RESIDENT, subject=None, video=None, ch=None) -> Application:
    ch = ch or challenge(reg)
    return Application(
        "resident",
        subject or S.resident_subject(person),
        S.card_front(person),
        S.selfie_video(ch.steps) if video is None else video,
        ch,
        S.card_back(person),
    )


def abroad_app(reg: Registration, *, subject=None) -> Application:
    ch = challenge(reg)
    return Application(
        "abroad", subject or S.abroad_subject(), S.passport_page(), S.selfie_video(ch.steps), ch
    )
