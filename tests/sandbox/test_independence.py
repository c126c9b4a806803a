"""The sandboxes are a second implementation of each style, not a copy of the adapters:
no sandbox module imports ``kyc_sdk.providers`` (the import graph, read from the source),
and every sandbox runs with the adapters absent (checked in a fresh interpreter).
``kyc_sdk/sandbox/adapters.py`` is the one bridge, and it reaches the adapters only
through the registry's public names."""

from __future__ import annotations

import ast
import subprocess
import sys
import textwrap
from pathlib import Path

import httpx
import pytest

from kyc_sdk.sandbox import STYLES, create
from kyc_sdk.sandbox.transport import HostRouter

PACKAGE = Path(__file__).resolve().parents[2] / "kyc_sdk" / "sandbox"
BRIDGE = PACKAGE / "adapters.py"
BRIDGE_NAMES = {"Provider", "ProviderSettings", "provider_class"}


def imports(path: Path) -> list[tuple[str, set[str]]]:
    """(module, names) for every import in ``path``, relative ones resolved, anywhere in
    the file (in functions and ``TYPE_CHECKING`` blocks too)."""
    found: list[tuple[str, set[str]]] = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found += [(alias.name, set()) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # from .x import y, inside kyc_sdk.sandbox
                parent = ["kyc_sdk", "sandbox"][: 3 - node.level]
                base = ".".join([*parent, base] if base else parent)
            found.append((base, {alias.name for alias in node.names}))
    return found


def names_providers(path: Path) -> bool:
    """Does the module spell the adapters' package in a string other than a docstring
    (``importlib.import_module("kyc_sdk.providers…")``)?"""
    tree = ast.parse(path.read_text("utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return any(
        isinstance(n, ast.Constant)
        and isinstance(n.value, str)
        and "kyc_sdk.providers" in n.value
        and id(n) not in docstrings
        for n in ast.walk(tree)
    )


def sandbox_modules() -> list[Path]:
    return sorted(p for p in PACKAGE.glob("*.py") if p != BRIDGE)


@pytest.mark.parametrize("path", sandbox_modules(), ids=lambda p: p.name)
def test_no_sandbox_module_imports_the_adapters(path: Path) -> None:
    for module, names in imports(path):
        about_adapters = module == "kyc_sdk.providers" or module.startswith("kyc_sdk.providers.")
        from_package = module == "kyc_sdk" and "providers" in names
        assert not (about_adapters or from_package), f"{path.name} imports {module} {sorted(names)}"
    assert not names_providers(path), f"{path.name} names kyc_sdk.providers in a string"


def test_the_bridge_uses_only_the_registrys_public_names() -> None:
    reached = [(m, n) for m, n in imports(BRIDGE) if m.startswith("kyc_sdk.providers")]
    assert reached, "adapters.py is the bridge: it should reach the registry"
    for module, names in reached:
        assert module == "kyc_sdk.providers", f"the bridge reaches into {module}"
        assert names <= BRIDGE_NAMES, f"the bridge imports {sorted(names - BRIDGE_NAMES)}"


def test_the_import_check_would_see_a_hidden_import(tmp_path: Path) -> None:
    """The walk finds imports inside functions and relative ones, and string imports."""
    sample = tmp_path / "sample.py"
    sample.write_text(
        textwrap.dedent(
            """
            def later():
                from kyc_sdk.providers._signing import hmac_hex
                from ..providers import cirrus
                import importlib
                return importlib.import_module("kyc_sdk.providers.fjord")
            """
        )
    )
    found = {m for m, _ in imports(sample)}
    assert {"kyc_sdk.providers._signing", "kyc_sdk.providers"} <= found
    assert names_providers(sample)


def test_every_sandbox_runs_without_the_adapters() -> None:
    """In a fresh interpreter where importing ``kyc_sdk.providers`` fails, each sandbox is
    made and refuses an unauthenticated call with its own 4xx."""
    paths = {style: _paths(style)[0] for style in STYLES}
    script = textwrap.dedent(
        f"""
        import sys
        sys.modules["kyc_sdk.providers"] = None  # any import of the adapters now fails
        import httpx
        from kyc_sdk.sandbox import STYLES, create
        from kyc_sdk.sandbox.transport import HostRouter
        for style, (method, path) in {paths!r}.items():
            with HostRouter({{"s.sandbox": create(style)}}) as router:
                with httpx.Client(transport=router, base_url="http://s.sandbox") as client:
                    answered = client.request(method, path, content=b"{{}}")
                    assert 400 <= answered.status_code < 500, (style, answered.status_code)
        assert not any(name.startswith("kyc_sdk.providers.") for name in sys.modules)
        print("ok", len(STYLES))
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["ok", str(len(STYLES))]


@pytest.mark.parametrize("style", STYLES)
def test_a_non_ascii_credential_header_is_refused_not_a_crash(style: str) -> None:
    """Latin-1 bytes in a credential header arrive as non-ASCII text: refused with the
    style's own 4xx, never a 500."""
    names = ("Authorization", "X-API-KEY", "X-App-Token", "X-AUTH-CLIENT", "X-HMAC-SIGNATURE")
    encoded = {**{n.encode(): b"\xff\xfe" for n in names}, b"User-Agent": b"KycSdk Tests/1.0"}  # delta's rule
    with HostRouter({"s.sandbox": create(style)}) as router, httpx.Client(transport=router) as client:
        for method, path in _paths(style):
            answered = client.request(method, f"http://s.sandbox{path}", headers=encoded, content=b"{}")
            assert 400 <= answered.status_code < 500, (style, path, answered.status_code)


def _paths(style: str) -> list[tuple[str, str]]:
    """An authenticated endpoint of each style."""
    return {
        "aurora": [("GET", "/v3/ping")],
        "borealis": [("POST", "/v1/sessions")],
        "cirrus": [("POST", "/resources/applicants?levelName=basic-kyc")],
        "delta": [("POST", "/oauth2/token"), ("POST", "/api/v1/accounts")],
        "echo": [("GET", "/api/v1/inquiries/x")],
        "fjord": [("POST", "/v1/job_status")],
        "gilan": [("POST", "/api/v1/sana42/identifications/tn-1/start"), ("POST", "/api/v1/sana42/login")],
        "hirkan": [("POST", "/facility/shahkarInquiry")],
    }[style]
