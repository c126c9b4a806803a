"""The codes an MRZ may print for an issuing state or a nationality (ICAO 9303-3, 5):
ISO 3166-1 alpha-3 (from the ``iso3166`` package) and the codes ICAO adds for bodies,
special passports and the unspecified, padded with fillers to three characters (Germany
prints ``D<<``). The OCR-B decoder uses the list to settle a state code's glyph the image
leaves open (an N beside an M), never to change a clear one."""

from __future__ import annotations

from functools import lru_cache

import iso3166

# ICAO 9303-3 5.x: Germany; the British dependent territories, overseas and protected
# persons and subjects; the United Nations and its agencies; other issuing bodies;
# refugees and stateless persons; Kosovo; the European Union; the specimen state Utopia;
# codes still on documents in circulation (the Netherlands Antilles, the neutral zone)
_ICAO_ONLY = (
    "D<<", "GBD", "GBN", "GBO", "GBP", "GBS", "UNO", "UNA", "UNK", "XBA", "XIM", "XCC", "XCE",
    "XCO", "XEC", "XPO", "XES", "XMP", "XOM", "XDC", "XXA", "XXB", "XXC", "XXX", "RKS", "EUE",
    "UTO", "ANT", "NTZ",
)  # fmt: skip


@lru_cache(maxsize=1)
def codes() -> frozenset[str]:
    """Every three-character state code an MRZ may hold."""
    return frozenset(iso3166.countries_by_alpha3) | frozenset(_ICAO_ONLY)


def is_state_code(text: str) -> bool:
    return text in codes()
