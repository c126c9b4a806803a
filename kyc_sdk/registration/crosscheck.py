"""Cross-checks: does the document agree with what the person typed? Pure functions.

Rules (each finding is a decision and a reason code from ``reasons``):
- A field read below ``MIN_CONFIDENCE``, unread, or failing its own rule is never
  trusted: RETRY ``document_low_confidence`` (a new photo), never a decline. The OCR can
  read a national code wrong yet checksum-valid on an unfamiliar font, so ``valid``
  alone is not trust.
- A confident card national code that differs from the typed one: DECLINED
  ``national_code_mismatch``; likewise the passport number (whose check digit passes by
  chance for about one misreading in ten) and a passport's national code. A confident
  birth date that differs: DECLINED ``birth_date_mismatch``. But a confident read can
  still be wrong and valid (measured on the demo card under blur: an
  expiry 1408 read as 1401 at confidence 0.93), and such misreads change one or two
  characters, where another person's code differs in most of its ten digits: a
  difference of at most ``NEAR`` characters is RETRY ``document_low_confidence``.
- Names are compared with ``kyc_sdk.text.names_match`` (ی/ي, ک/ك, ZWNJ, compound-name
  spacing forgiven); a difference is REVIEW ``name_mismatch``: spelling is a human's call.
  Father names are left to the registry (hirkan compares the typed one): card OCR of
  short names is the weakest field.
- An expired document: RETRY ``document_expired`` (with a valid one the person may go
  on; and an expiry date has no typed value to catch a misread). A passport not issued by
  Iran to an Iranian: DECLINED ``not_iranian_passport``.
The names and birth date typed are then the ones the registry is asked about (hirkan
matches the code with the birth date and compares the names), so card, typed and
registry agree when every check passes. Spec: the issue "The whole registration".
"""

from __future__ import annotations

import datetime

from kyc_sdk.identifiers import jalali, national_code
from kyc_sdk.models import Decision, Subject
from kyc_sdk.registration.document import Reading, Value
from kyc_sdk.text import names_match

MIN_CONFIDENCE = 0.8  # docs_ocr's correct reads of sample cards score 0.88–0.96
NEAR = 2  # characters: a misread's reach; two random national codes differ in ~9 of 10
Finding = tuple[Decision, str]
LOW: Finding = (Decision.RETRY, "document_low_confidence")


def trusted(v: Value) -> bool:
    return v.value is not None and v.valid and v.confidence >= MIN_CONFIDENCE


def national_card(reading: Reading, typed: Subject, today: datetime.date) -> list[Finding]:
    """Findings of a national card against the resident's typed subject."""
    if not reading.found:
        return [(Decision.RETRY, "document_unreadable")]
    findings = _code(reading.get("national_code"), typed.national_code)
    findings += _birth(reading.get("birth_date"), typed.birth_date)
    findings += _names(reading, typed)
    return findings + _expiry(reading, today)


def passport(reading: Reading, typed: Subject, today: datetime.date) -> list[Finding]:
    """Findings of a passport MRZ against what the person abroad typed."""
    if not reading.found:
        return [(Decision.RETRY, "document_unreadable")]
    if not reading.mrz_valid:
        return [(Decision.RETRY, "mrz_invalid")]
    findings: list[Finding] = []
    if {reading.get("issuing_state").value, reading.get("nationality").value} != {"IRN"}:
        findings.append((Decision.DECLINED, "not_iranian_passport"))
    number = (typed.passport_number or "").strip().upper()
    findings += _differs(reading.get("passport_number").value, number, "passport_number_mismatch")
    code = reading.get("national_code")
    if code.value is not None and typed.national_code is not None:
        findings += _code(code, typed.national_code)
    findings += _birth(reading.get("birth_date"), typed.birth_date)
    findings += _latin_names(reading, typed)
    return findings + _expiry(reading, today)


def _code(read: Value, typed: str | None) -> list[Finding]:
    if not trusted(read):
        return [LOW]
    return _differs(
        read.value, None if typed is None else national_code.compact(typed), "national_code_mismatch"
    )


def _birth(read: Value, typed: str | None) -> list[Finding]:
    if typed is None:
        return []
    if not trusted(read):
        return [LOW]
    return _differs(read.value, jalali.validate(typed), "birth_date_mismatch")


def _differs(read: str | None, typed: str | None, reason: str) -> list[Finding]:
    """Nothing when equal; a near miss is a misread (RETRY), a far one a mismatch."""
    if read == typed:
        return []
    near = (
        read is not None
        and typed is not None
        and len(read) == len(typed)
        and sum(a != b for a, b in zip(read, typed, strict=True)) <= NEAR
    )
    if near:
        return [LOW]
    return [(Decision.DECLINED, reason)]


def _names(reading: Reading, typed: Subject) -> list[Finding]:
    findings: list[Finding] = []
    for key in ("first_name", "last_name"):
        read, wanted = reading.get(key), getattr(typed, key)
        if wanted is None:
            continue
        if read.value is None or read.confidence < MIN_CONFIDENCE:
            findings.append(LOW)
        elif not names_match(read.value, wanted):
            findings.append((Decision.REVIEW, "name_mismatch"))
    return findings


def _latin_names(reading: Reading, typed: Subject) -> list[Finding]:
    """MRZ names are Latin: compared only with names typed in Latin letters (a Persian
    name has several transliterations; the passport number and code identify instead)."""
    for key in ("first_name", "last_name"):
        wanted = getattr(typed, key)
        if wanted and wanted.isascii():
            mrz_words = (reading.get(key).value or "").split()
            if wanted.upper().replace("-", " ").split() != mrz_words:
                return [(Decision.REVIEW, "name_mismatch")]
    return []


def _expiry(reading: Reading, today: datetime.date) -> list[Finding]:
    return [(Decision.RETRY, "document_expired")] if reading.expiry and reading.expiry < today else []
