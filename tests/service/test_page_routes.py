"""The capture page's routes over loopback: the page and every asset it names come from
the package, its headers keep it to this origin, and its script keeps nothing."""

from __future__ import annotations

import re
from collections.abc import Iterator

import httpx
import pytest
from starlette.applications import Starlette

from kyc_sdk.registration.flow import PATHS
from kyc_sdk.registration.reasons import REASONS
from kyc_sdk.service import page
from tests.service.app_harness import serving


@pytest.fixture(scope="module")
def client() -> Iterator[httpx.Client]:
    with serving(Starlette(routes=page.ROUTES)) as url, httpx.Client(base_url=url, timeout=10) as c:
        yield c


def test_the_page_is_persian_first_and_kept_to_its_origin(client: httpx.Client) -> None:
    r = client.get("/register")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert re.search(r'<html lang="fa" dir="rtl">', r.text)
    csp = r.headers["content-security-policy"]
    assert "default-src 'self'" in csp and "http" not in csp
    assert r.headers["cache-control"] == "no-store"
    assert r.headers["permissions-policy"].startswith("camera=(self)")


def test_the_page_offers_every_registration_path(client: httpx.Client) -> None:
    html = client.get("/register").text
    assert re.findall(r'name="path" value="(\w+)"', html) == list(PATHS)  # the card first, then the passport
    for field in ("national_code", "passport_number", "nationality", "card_front", "passport_page"):
        assert f'<label for="{field}"' in html, field


def test_every_asset_the_page_names_is_served_by_the_package(client: httpx.Client) -> None:
    html = client.get("/register").text
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert assets and all(a.startswith(page.STATIC + "/") for a in assets), assets  # no CDN
    for asset in assets:
        r = client.get(asset)
        assert r.status_code == 200 and r.content, asset
        assert not re.search(rb"https?://", r.content), asset  # nothing fetched from elsewhere


def test_the_script_keeps_nothing_in_the_browser(client: httpx.Client) -> None:
    js = client.get(page.STATIC + "/register.js").text
    for kept in ("localStorage", "sessionStorage", "document.cookie", "indexedDB"):
        assert kept not in js


def test_every_ask_about_the_face_shows_the_page_a_guide(client: httpx.Client) -> None:
    """A selfie refused for its face (none found, too small, covered) or for being a
    print: the page shows the guide that says what to do (uncover the face, film yourself)."""
    js = client.get(page.STATIC + "/register.js").text
    guided: set[str] = set()
    for name in ("FACE_REASONS", "LIVE_REASONS"):
        listed = re.search(name + r" = \[([^\]]*)\]", js)
        assert listed, name
        guided |= set(re.findall(r'"(\w+)"', listed.group(1)))
    asks = {code for code in REASONS if code.startswith("face_photo_")} | {"face_not_found"}
    assert asks <= guided, sorted(asks - guided)


def test_the_static_mount_serves_nothing_else(client: httpx.Client) -> None:
    assert client.get(page.STATIC + "/missing.js").status_code == 404
    # (a literal "/../" is tidied away by httpx before sending: only the encoded form reaches us)
    assert client.get(page.STATIC + "/%2e%2e/page.py").status_code == 404
