"""Identifier validators in the manner of python-stdnum: one small module each, with
``compact``, ``validate`` (raises ``InvalidIdentifier``), ``is_valid`` (never raises) and
``format``.

- ``national_code``: the Iranian national code (کد ملی)
- ``jalali``: Solar Hijri dates ``YYYY/MM/DD``
- ``mobile``: Iranian mobile numbers
- ``mrz``: ICAO 9303 machine-readable zones (TD1, TD2, TD3); ``mrz_repair`` for OCR output
- ``sana_code``: our SANA code format (Verhoeff check digit)
"""

from kyc_sdk.identifiers import jalali, mobile, mrz, mrz_repair, national_code, sana_code

__all__ = ["jalali", "mobile", "mrz", "mrz_repair", "national_code", "sana_code"]
