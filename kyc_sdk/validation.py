"""Checking a request before any vendor sees it.

Invalid input is the caller's error (``InvalidIdentifier``), found here, before a single
vendor call is made or paid for. Identifiers come out in their compact forms (ASCII
digits, ``09…`` mobiles, zero-padded Jalali dates), so every adapter gets one spelling.
"""

from __future__ import annotations

import dataclasses

from kyc_sdk.errors import InvalidIdentifier
from kyc_sdk.models import CheckKind, Subject, VerificationRequest


def validate_subject(subject: Subject, checks: frozenset[CheckKind] = frozenset()) -> Subject:
    """``subject`` with every identifier validated and compacted.

    A mobile that is not Iranian is kept as given (people abroad), unless a Shahkar
    mobile match was asked for, which only Iranian numbers can have.
    """
    from kyc_sdk.identifiers import jalali, mobile, national_code

    changes: dict[str, str] = {}
    if subject.national_code is not None:
        changes["national_code"] = national_code.validate(subject.national_code)
    if subject.birth_date is not None:
        changes["birth_date"] = jalali.validate(subject.birth_date)
    if subject.mobile is not None:
        if mobile.is_iranian(subject.mobile):
            changes["mobile"] = mobile.validate(subject.mobile)
        elif CheckKind.MOBILE_MATCH in checks:
            raise InvalidIdentifier("a mobile match needs an Iranian mobile number", field="mobile")
    if CheckKind.MOBILE_MATCH in checks and (subject.mobile is None or subject.national_code is None):
        raise InvalidIdentifier("a mobile match needs a national code and a mobile number", field="mobile")
    if CheckKind.REGISTRY in checks and subject.national_code is None:
        raise InvalidIdentifier("a registry match needs a national code", field="national_code")
    return dataclasses.replace(subject, **changes)


def validate_request(request: VerificationRequest, checks: frozenset[CheckKind] | None = None) -> VerificationRequest:
    """``request`` with its subject validated for ``checks`` (by default its own)."""
    wanted = request.checks if checks is None else checks
    return dataclasses.replace(request, subject=validate_subject(request.subject, wanted))
