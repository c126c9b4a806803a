"""The document stage: what the national card or the passport says, in one shape.

``read(path, front, back)`` runs ``kyc_sdk.docs_ocr`` (the card's labelled fields and its
back's barcodes, or the passport's MRZ) and returns a ``Reading``: each field's value in
the form the person types it (ASCII digits, Jalali ``YYYY/MM/DD`` birth dates), its
confidence, and whether it passed its own rule (checksum, calendar, check digit). The
cross-checks (``crosscheck``) decide what the reading means. Spec: the issue "The whole
registration"; docs/architecture.md (the flow of one registration).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any, cast

from kyc_sdk.identifiers import jalali

CARD_FIELDS = ("national_code", "first_name", "last_name", "father_name", "birth_date", "expiry_date")


@dataclass(frozen=True, slots=True)
class Value:
    """One field as read: ``value`` None when not read; ``valid`` under its own rule."""

    value: str | None
    confidence: float = 0.0
    valid: bool = False


@dataclass(frozen=True, slots=True)
class Reading:
    """A document as read. ``found`` is False when no card or MRZ was seen at all;
    ``expiry`` is a Gregorian date when read."""

    kind: str  # "national_card" | "passport"
    found: bool
    fields: dict[str, Value] = field(default_factory=dict)
    expiry: datetime.date | None = None
    mrz_valid: bool | None = None
    serial: str | None = None

    def get(self, name: str) -> Value:
        return self.fields.get(name, Value(None))

    def summary(self) -> dict[str, Any]:
        """Which fields were read and how well; no values (they are the person's data)."""
        return {
            "kind": self.kind,
            "found": self.found,
            "mrz_valid": self.mrz_valid,
            "fields": {
                k: {"read": v.value is not None, "confidence": round(v.confidence, 3), "valid": v.valid}
                for k, v in self.fields.items()
            },
        }


def read(path: str, front: bytes, back: bytes | None = None) -> Reading:
    """The document of ``path`` ("resident": national card, "abroad": passport)."""
    return read_card(front, back) if path == "resident" else read_passport(front)


def read_card(front: bytes, back: bytes | None = None) -> Reading:
    from kyc_sdk.docs_ocr import read_national_card

    data = read_national_card(front, back)
    raw = cast("dict[str, dict[str, Any]]", data["fields"])
    fields = {
        k: Value(raw[k]["value"], float(raw[k]["confidence"]), bool(raw[k]["valid"])) for k in CARD_FIELDS
    }
    expiry = fields.pop("expiry_date")
    when = jalali.to_gregorian(expiry.value) if expiry.valid and expiry.value else None
    return Reading("national_card", bool(data["found"]), fields, when, serial=_text(data.get("serial")))


def read_passport(page: bytes) -> Reading:
    from kyc_sdk.docs_ocr import read_mrz

    data = read_mrz(page)
    if not data.get("found"):
        return Reading("passport", False)
    raw = cast("dict[str, Any]", data["fields"])
    checks = cast("dict[str, bool]", data["checks"])
    valid = bool(data["valid"])
    confidence = 1.0 if valid else 0.0  # an MRZ is exact under its check digits, or not trusted

    def value(name: str, check: str | None = None) -> Value:
        ok = checks.get(check, valid) if check else valid
        return Value(raw.get(name), confidence if ok else 0.0, ok and raw.get(name) is not None)

    fields = {
        "passport_number": value("document_number", "document_number"),
        "nationality": value("nationality"),
        "issuing_state": value("issuing_state"),
        "last_name": value("surname"),
        "first_name": value("given_names"),
        "birth_date": _jalali_of(value("birth_date", "birth_date")),
        "national_code": Value(
            _text(data.get("national_code")), confidence, bool(data.get("national_code")) and valid
        ),
    }
    expiry = raw.get("expiry_date")
    return Reading("passport", True, fields, datetime.date.fromisoformat(expiry) if expiry else None, valid)


def _text(value: object) -> str | None:
    """A field docs_ocr reports as text, or None when it read nothing."""
    return value if isinstance(value, str) else None


def _jalali_of(v: Value) -> Value:
    """An MRZ's ISO birth date as the Jalali date a person types."""
    if v.value is None:
        return v
    return Value(jalali.from_gregorian(datetime.date.fromisoformat(v.value)), v.confidence, v.valid)
