"""Every reason the flow can give has both texts; the shipped face is skimage's astronaut."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import numpy as np

from kyc_sdk.registration import REASONS, explain
from kyc_sdk.registration import samples as S

PKG = Path(__file__).resolve().parents[2] / "kyc_sdk" / "registration"
PERSIAN = re.compile(r"[\u0600-\u06FF]")


def _codes_in_source() -> set[str]:
    """String constants the flow returns as reasons: snake_case words next to a Decision."""
    found: set[str] = set()
    for name in ("crosscheck.py", "biometrics.py", "flow.py"):
        for node in ast.walk(ast.parse((PKG / name).read_text())):
            if isinstance(node, ast.Tuple) and len(node.elts) == 2 and isinstance(node.elts[1], ast.Constant):
                first = node.elts[0]
                if isinstance(first, ast.Attribute) and getattr(first.value, "id", "") == "Decision":
                    found.add(node.elts[1].value)
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "_differs":
                found.add(node.args[-1].value)  # type: ignore[attr-defined]
    found |= {"providers_unavailable", "face_not_found", "face_mismatch", "face_match_unsure"}
    return found


def test_every_reason_the_flow_gives_has_persian_and_english() -> None:
    codes = _codes_in_source()
    assert {
        "national_code_mismatch",
        "liveness_attack",
        "liveness_expired",
        "document_low_confidence",
    } <= codes
    for code in codes | {"mobile_not_owned", "registry_no_match", "registry_name_mismatch"}:
        fa, en = REASONS[code]
        assert PERSIAN.search(fa) and en.isascii() and not PERSIAN.search(en), code


def test_unknown_code_gets_the_decisions_generic_text() -> None:
    [item] = explain(["vendor_new_code_42"], "RETRY")
    assert item["code"] == "vendor_new_code_42" and "again" in item["en"] and PERSIAN.search(item["fa"])
    assert [x["code"] for x in explain(["a", "b", "a"])] == ["a", "b"]


def test_shipped_face_is_the_astronaut_crop() -> None:
    shipped = S.face().astype(np.int16)
    original = S.face_from_skimage().astype(np.int16)
    assert shipped.shape == original.shape == (300, 256, 3)
    assert float(np.abs(shipped - original).mean()) < 2.0  # JPEG at quality 95
