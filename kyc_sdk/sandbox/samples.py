"""The sandbox's synthetic person and placeholder images.

Nobody real: the national code is one of docs/identifiers.md's public test vectors, the
names are common Persian names, the images are flat generated PNGs (sandboxes do not
look at pixels, except where a style's control says so).
"""

from __future__ import annotations

import dataclasses
import struct
import zlib

from kyc_sdk.models import Subject, VerificationRequest

SAMPLE_SUBJECT = Subject(
    national_code="0499370899",
    mobile="09121234567",
    first_name="علی",
    last_name="رضایی",
    father_name="محمد",
    birth_date="1370/01/01",
)


def png(
    width: int = 64,
    height: int = 48,
    rgb: tuple[int, int, int] = (200, 200, 200),
    text: dict[str, str] | None = None,
) -> bytes:
    """A flat RGB PNG, with optional ``tEXt`` chunks (delta's tagged test images)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    row = b"\x00" + bytes(rgb) * width
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    texts = b"".join(
        chunk(b"tEXt", k.encode("latin-1") + b"\x00" + v.encode("latin-1")) for k, v in (text or {}).items()
    )
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + texts
        + chunk(b"IDAT", zlib.compress(row * height))
        + chunk(b"IEND", b"")
    )


def sample_request(request: VerificationRequest) -> VerificationRequest:
    """``request`` with missing subject fields and images taken from the sample person."""
    subject = dataclasses.replace(
        request.subject,
        **{
            f.name: getattr(SAMPLE_SUBJECT, f.name)
            for f in dataclasses.fields(Subject)
            if getattr(request.subject, f.name) is None
        },
    )
    ev = request.evidence
    evidence = dataclasses.replace(
        ev,
        selfie=ev.selfie or png(rgb=(180, 150, 130)),
        document_front=ev.document_front or png(rgb=(120, 160, 200)),
        document_back=ev.document_back or png(rgb=(120, 160, 190)),
    )
    return dataclasses.replace(
        request, subject=subject, evidence=evidence, reference=request.reference or "sample"
    )
