"""Checking a request before any vendor sees it.

Invalid input is the caller's error (``InvalidIdentifier``), found here, before a single
vendor call is made or paid for. Identifiers come out in their compact forms (ASCII
digits, ``09…`` mobiles, zero-padded Jalali dates), so every adapter gets one spelling.
"""

from __future__ import annotations

import dataclasses
import unicodedata

from kyc_sdk.errors import InputError, InvalidIdentifier
from kyc_sdk.models import CheckKind, Subject, VerificationRequest
from kyc_sdk.text import normalize_persian

#: Longest accepted value per field. Real names are well under 100 characters, passport
#: and card numbers under 20; a 10-million-character name must stop here, not cost
#: seconds and gigabytes in every step after (matching, redaction, vendor calls).
MAX_LENGTH = {
    "first_name": 100,
    "last_name": 100,
    "father_name": 100,
    "passport_number": 20,
    "nationality": 3,
    "national_code": 32,
    "mobile": 32,
    "birth_date": 32,
}
MAX_CARD_SERIAL = 32
MAX_REFERENCE = 256

#: What the vendors must be given, per check, to decide it: a document check compares the
#: document with the typed names (a document vendor opens its applicant by them); the
#: civil registry is asked by national code and birth date and answers names to compare;
#: Shahkar pairs a national code with a mobile. Whichever vendor a route picks needs these,
#: so a flow that knows its checks refuses a missing field before any work or vendor call.
NEEDED_FOR_CHECK: dict[CheckKind, tuple[str, ...]] = {
    CheckKind.DOCUMENT: ("first_name", "last_name"),
    CheckKind.REGISTRY: ("national_code", "birth_date", "first_name", "last_name"),
    CheckKind.MOBILE_MATCH: ("national_code", "mobile"),
}


#: What no typed value holds: control characters (NUL, line breaks), unpaired surrogates
#: (no UTF-8 store can keep one: a 500 before this check), private-use and unassigned
#: code points, and the bidi embeddings, overrides and isolates (U+202A-U+202E,
#: U+2066-U+2069), which reorder how a name is shown to an officer or in a log. ZWNJ and
#: the direction marks stay: they are how Persian keyboards type names.
_NOT_TYPED_CATEGORIES = frozenset({"Cc", "Cs", "Co", "Cn"})
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def typed_text(value: str) -> bool:
    """True when ``value`` holds only characters a person types into a form field."""
    return not any(ch in _BIDI_CONTROLS or unicodedata.category(ch) in _NOT_TYPED_CATEGORIES for ch in value)


def _check_text(name: str, value: object, limit: int) -> None:
    """``InvalidIdentifier`` unless ``value`` is None or text of at most ``limit`` typed
    characters (the length first: the character scan below is then bounded)."""
    if value is None:
        return
    if not isinstance(value, str):
        raise InvalidIdentifier(f"{name} must be text", field=name)
    if len(value) > limit:
        raise InvalidIdentifier(f"{name} is longer than {limit} characters", field=name)
    if not typed_text(value):
        raise InvalidIdentifier(
            f"{name} holds a character no one types (a control, a bidi override or an unpaired surrogate)",
            field=name,
        )


def validate_subject(subject: Subject, checks: frozenset[CheckKind] = frozenset()) -> Subject:
    """``subject`` with every identifier validated and compacted.

    A mobile that is not Iranian is kept as given (people abroad), unless a Shahkar
    mobile match was asked for, which only Iranian numbers can have.
    """
    from kyc_sdk.identifiers import jalali, mobile, national_code

    for name, limit in MAX_LENGTH.items():
        _check_text(name, getattr(subject, name), limit)
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


def require_fields(subject: Subject, checks: frozenset[CheckKind]) -> None:
    """``InvalidIdentifier`` naming the first field ``checks`` need (``NEEDED_FOR_CHECK``)
    that ``subject`` leaves empty; a name of spaces, joiners and direction marks is empty."""
    needed = {f for kind in checks for f in NEEDED_FOR_CHECK.get(kind, ())}
    for name in (f for f in Subject.__slots__ if f in needed):  # the form's order: a stable answer
        value = getattr(subject, name)
        if value is None or (isinstance(value, str) and not normalize_persian(value)):
            raise InvalidIdentifier(f"{name} is needed for the checks this registration asks", field=name)


def validate_request(
    request: VerificationRequest, checks: frozenset[CheckKind] | None = None
) -> VerificationRequest:
    """``request`` with its subject validated for ``checks`` (by default its own)."""
    wanted = request.checks if checks is None else checks
    _check_text("card_serial", request.evidence.card_serial, MAX_CARD_SERIAL)
    reference = request.reference
    if not isinstance(reference, str) or len(reference) > MAX_REFERENCE or not typed_text(reference):
        raise InputError(f"reference is text of at most {MAX_REFERENCE} typed characters")
    return dataclasses.replace(request, subject=validate_subject(request.subject, wanted))
