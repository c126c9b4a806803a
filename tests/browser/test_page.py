"""The capture page (``/register``) in headless Chromium against the real service.

The browser's fake camera plays a ``.y4m`` made from the synthetic challenge video of the
sample person (the face on the demo's card): the test types the identity (the national
code in Persian digits), uploads the demo's card, performs the challenge through the fake
camera and reads APPROVED and the SANA code the service issued; a still photo as the
camera reads the refusal and its reason; a refused camera reads the guidance. An Iranian
abroad chooses the passport, types its fields (Latin names, the Gregorian birth date the
page turns into the Solar Hijri one the service takes), uploads the demo's passport page
and reads APPROVED and a SANA code the same way; in English with the Solar Hijri calendar,
the service's refusal of a typed national code is named beside the field.

The service draws the challenge as it does for anybody. Chromium opens its camera file
again at each ``getUserMedia``, and the page opens the camera only when the person presses
Start, so the test reads the steps the page shows (checked against the case's stored
challenge) and then writes the camera file performing them (``DrawnCamera``: the person's
neutral lead, one generated clip per action, made once before the browser starts, and a
still tail), well inside the 15 s after which the page would draw a new challenge.

Screenshots of each step go to ``$KYC_SDK_SCREENSHOTS`` (or the test's temporary
folder); with that variable set, the two the README shows (Persian, phone-sized) are
also written to ``docs/img/``. ``timings.json`` beside them holds the page's load time and
the seconds from the end of the last challenge step to the result on the page.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kyc_sdk.identifiers import jalali, sana_code
from kyc_sdk.liveness import ACTIONS
from kyc_sdk.registration import samples as S
from kyc_sdk.service import create_app
from tests.browser import cameras as camera_files
from tests.browser import harness
from tests.service.app_harness import config, serving

pytestmark = [
    pytest.mark.slow,  # a browser per run, a recording of eight seconds, a registration each
    pytest.mark.serial,  # the browser films in real time: a test beside it on the cores drops its frames
]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
DOCS_IMG = Path(__file__).resolve().parents[2] / "docs" / "img"
README_SHOTS = {"identity": "register-identity-fa.png", "approved": "register-approved-fa.png"}
NATIONAL_CODE_FA = "۰۴۹۹۳۷۰۸۹۹"  # the sample resident's, as a person types it on a Persian keyboard
# the sample passport holder's number and German mobile as a person may type them
PASSPORT_NUMBER_TYPED = S.ABROAD.passport_number.lower()[:5] + " " + S.ABROAD.passport_number[5:]
MOBILE_TYPED = "0049 151 1234 5678"


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    chosen = os.environ.get("KYC_SDK_SCREENSHOTS")
    folder = Path(chosen) if chosen else tmp_path_factory.mktemp("screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="module")
def base(chromium: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Any]]:
    """The service on a fresh SQLite file, drawing its own challenges."""
    tmp = tmp_path_factory.mktemp("service")
    app = create_app(config(f"sqlite://{tmp / 'service.db'}", tmp))
    with serving(app) as url:
        yield url, app


@pytest.fixture(scope="module")
def cameras(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    out = tmp_path_factory.mktemp("cameras")
    made = camera_files.page()
    genuine = camera_files.DrawnCamera(out / "genuine.y4m", made)
    still = Path(shutil.copyfile(made / "still.y4m", out / "still.y4m"))
    return {"genuine": genuine, "still": still}


@pytest.fixture(scope="module")
def card(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("card") / "card-front.jpg"
    path.write_bytes(S.card_front())
    return path


@pytest.fixture(scope="module")
def passport(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("passport") / "passport-page.jpg"
    path.write_bytes(S.passport_page())
    return path


@contextlib.contextmanager
def browser(
    base: str, camera: Path | None, *, allow_camera: bool = True, viewport: dict[str, int] = PHONE
) -> Iterator[Any]:
    """A page (phone-sized unless told) in the system's headless Chromium whose camera plays ``camera``."""
    from playwright.sync_api import sync_playwright

    args = list(harness.BROWSER_ARGS)
    if camera is not None:
        args.append(f"--use-file-for-fake-video-capture={camera}")
    if not allow_camera:  # no automatic yes: the permission Playwright leaves ungranted is refused
        args.remove("--use-fake-ui-for-media-stream")
    with tempfile.TemporaryDirectory(prefix="kyc-chromium-") as profile, sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            profile,
            executable_path=str(harness.CHROMIUM),
            headless=True,
            args=args,
            viewport=viewport,
            locale="fa-IR",
        )
        try:
            if allow_camera:
                context.grant_permissions(["camera"], origin=base)
            page = context.pages[0] if context.pages else context.new_page()
            page.set_default_timeout(30_000)
            yield page
        finally:
            context.close()


def _open(page: Any, base: str) -> float:
    """Load the page; its load time in ms (navigation start to the end of ``load``)."""
    page.goto(base + "/register")
    page.wait_for_selector("body[data-ready]")
    unlabelled = page.evaluate(
        "() => [...document.querySelectorAll('input, select')]"
        ".filter(el => !el.labels.length).map(el => el.id)"
    )
    assert unlabelled == []
    return float(
        page.evaluate(
            "() => { const n = performance.getEntriesByType('navigation')[0];"
            " return n.loadEventEnd - n.startTime; }"
        )
    )


def _identity_and_card(page: Any, app: Any, card: Path, shots: Path, prefix: str) -> list[str]:
    """Type the identity, send the card; the steps the page then shows."""
    assert page.evaluate("() => [document.documentElement.lang, document.documentElement.dir]") == [
        "fa",
        "rtl",
    ]
    assert page.get_by_label("در ایران هستم").is_checked()  # the first choice, the common one chosen
    page.get_by_label("نام", exact=True).fill(S.RESIDENT.first_name)
    page.get_by_label("نام خانوادگی").fill(S.RESIDENT.last_name)
    page.get_by_label("کد ملی").fill(NATIONAL_CODE_FA)
    page.get_by_label("شماره همراه").fill(S.FIXTURE_MOBILE)
    year, month, day = S.RESIDENT.birth_date.split("/")
    page.select_option("#birth_year", year)
    page.select_option("#birth_month", month)
    page.select_option("#birth_day", day)
    page.screenshot(path=shots / f"{prefix}-1-identity.png")
    page.get_by_role("button", name="ادامه").click()
    page.wait_for_selector("#card:not([hidden])")
    assert page.evaluate("() => document.activeElement.id") == "card-h"  # focus follows the step
    page.set_input_files("#card_front", card)
    page.screenshot(path=shots / f"{prefix}-2-card.png")
    page.get_by_role("button", name="ارسال").click()
    page.wait_for_selector("#challenge:not([hidden])")
    page.screenshot(path=shots / f"{prefix}-3-challenge.png")
    return _drawn(page, app)


def _abroad_identity_and_passport(page: Any, app: Any, passport: Path, shots: Path) -> list[str]:
    page.get_by_label("خارج از ایران هستم").check()
    assert page.is_visible("#passport_number") and page.is_visible("#nationality")
    assert page.get_attribute("#national_code", "required") is None  # optional abroad
    first = page.get_by_label("نام به لاتین (مانند گذرنامه)", exact=True)
    last = page.get_by_label("نام خانوادگی به لاتین (مانند گذرنامه)", exact=True)
    first.fill(S.ABROAD.first_name)  # in Persian: the passport's lines are Latin
    last.fill(S.ABROAD.last_name_latin)
    page.get_by_label("شماره گذرنامه").fill(PASSPORT_NUMBER_TYPED)
    assert page.get_by_label("ملیت").input_value() == "IRN"
    page.get_by_label("شماره همراه").fill(MOBILE_TYPED)
    assert page.get_by_label("میلادی").is_checked()  # as the passport prints it
    born = jalali.to_gregorian(S.ABROAD.birth_date)
    page.select_option("#birth_year", str(born.year))
    page.select_option("#birth_month", f"{born.month:02d}")
    page.select_option("#birth_day", f"{born.day:02d}")
    before = _count(app, "cases")
    page.get_by_role("button", name="ادامه").click()
    page.wait_for_selector("#first_name-error:not([hidden])")
    assert page.evaluate("() => document.activeElement.id") == "first_name"
    assert "لاتین" in page.text_content("#first_name-error")
    assert _count(app, "cases") == before  # refused in the page, no case made
    first.fill(S.ABROAD.first_name_latin)
    assert page.is_hidden("#first_name-error")  # corrected: its error goes
    page.screenshot(path=shots / "abroad-1-identity.png", full_page=True)
    page.get_by_role("button", name="ادامه").click()
    page.wait_for_selector("#card:not([hidden])")
    assert page.text_content("#card-h") == "صفحه مشخصات گذرنامه"
    assert page.text_content('.progress li[aria-current="step"]') == "گذرنامه"
    assert page.is_hidden("#card_front") and page.is_hidden("#card_back")
    page.set_input_files("#passport_page", passport)
    page.screenshot(path=shots / "abroad-2-passport.png")
    page.get_by_role("button", name="ارسال").click()
    page.wait_for_selector("#challenge:not([hidden])")
    return _drawn(page, app)


def _drawn(page: Any, app: Any) -> list[str]:
    """The steps the page shows: the challenge the service drew and stored for the latest case."""
    shown = page.eval_on_selector_all("#challenge-steps li", "items => items.map(li => li.dataset.action)")
    rows = app.state.services.pool.run(
        lambda s: s._run(
            lambda q: q("SELECT challenge FROM cases ORDER BY created_at DESC LIMIT 1", ()), write=False
        )
    )
    assert shown == json.loads(rows[0][0])["steps"]
    assert 2 <= len(shown) == len(set(shown)) and set(shown) <= set(ACTIONS), shown
    return list(shown)


def _perform(page: Any, shots: Path, prefix: str) -> None:
    page.get_by_role("button", name="شروع فیلم‌برداری").click()
    page.wait_for_selector("#recording:not([hidden])")
    page.wait_for_function(  # the first step's countdown, in the words the list shows it
        "() => document.getElementById('now').textContent"
        " === document.querySelector('#challenge-steps li').textContent"
    )
    page.screenshot(path=shots / f"{prefix}-4-recording.png")
    page.wait_for_selector(
        "#result-h.APPROVED, #result-h.DECLINED, #result-h.RETRY, #result-h.REVIEW, #result-h.failed",
        timeout=240_000,
    )
    page.screenshot(path=shots / f"{prefix}-5-result.png", full_page=True)


def _seconds_to_result(page: Any) -> float:
    return float(
        page.evaluate(
            "() => (performance.getEntriesByName('kyc:result-shown')[0].startTime"
            " - performance.getEntriesByName('kyc:challenge-done')[0].startTime) / 1000"
        )
    )


def _record_timing(shots: Path, key: str, value: float) -> None:
    path = shots / "timings.json"
    data = json.loads(path.read_text()) if path.exists() else {}
    data[key] = round(value, 3)
    path.write_text(json.dumps(data, indent=1))


def test_a_person_registers_through_the_page_and_reads_a_sana_code(base, cameras, card, shots) -> None:
    url, app = base
    with browser(url, cameras["genuine"].path) as page:
        load_ms = _open(page, url)
        cameras["genuine"].perform(_identity_and_card(page, app, card, shots, "approved"))
        _perform(page, shots, "approved")
        heading = page.text_content("#result-h")
        reasons = page.eval_on_selector_all("#reasons li", "items => items.map(li => li.dataset.code)")
        assert page.get_attribute("#result-h", "class") == "APPROVED", (heading, reasons, _checks(app))
        code = page.text_content("#sana-code")
        assert sana_code.is_valid(code)
        stored = app.state.services.pool.run(
            lambda s: s._run(
                lambda q: q(
                    "SELECT sana_code FROM cases WHERE sana_code IS NOT NULL AND path = 'resident'", ()
                ),
                write=False,
            )
        )
        assert [code] == [r[0] for r in stored]  # the code the service issued, and only one
        assert _video_of(app).startswith(b"\x1a\x45\xdf\xa3")  # WebM (EBML): the page prefers it to MP4
        # nothing about the person is kept by the browser
        assert page.evaluate("() => localStorage.length + sessionStorage.length") == 0
        assert page.context.cookies() == []
        _record_timing(shots, "page_load_ms", load_ms)
        _record_timing(shots, "last_step_to_result_s", _seconds_to_result(page))
        page.get_by_role("button", name="English").click()
        assert page.text_content("#result-h") == "You are verified"
        assert page.evaluate("() => document.documentElement.dir") == "ltr"
        page.screenshot(path=shots / "approved-6-result-en.png", full_page=True)
    _readme_shots(shots)


def test_an_iranian_abroad_registers_with_a_passport_and_reads_a_sana_code(
    base, cameras, passport, shots
) -> None:
    url, app = base
    with browser(url, cameras["genuine"].path) as page:
        _open(page, url)
        cameras["genuine"].perform(_abroad_identity_and_passport(page, app, passport, shots))
        _perform(page, shots, "abroad")
        heading = page.text_content("#result-h")
        reasons = page.eval_on_selector_all("#reasons li", "items => items.map(li => li.dataset.code)")
        assert page.get_attribute("#result-h", "class") == "APPROVED", (heading, reasons, _checks(app))
        code = page.text_content("#sana-code")
        assert sana_code.is_valid(code)
        rows = app.state.services.pool.run(
            lambda s: s._run(
                lambda q: q("SELECT path, subject FROM cases WHERE sana_code = ?", (code,)), write=False
            )
        )
        assert [r[0] for r in rows] == ["abroad"]
        typed = json.loads(rows[0][1])  # what the page sent, as the service keeps it
        assert typed["birth_date"] == S.ABROAD.birth_date  # the Gregorian date, turned Solar Hijri
        assert typed["passport_number"] == S.ABROAD.passport_number
        assert (typed["mobile"], typed["nationality"]) == (S.FOREIGN_MOBILE, "IRN")
        assert typed["national_code"] is None
        assert page.evaluate("() => localStorage.length + sessionStorage.length") == 0
        assert page.context.cookies() == []
        _record_timing(shots, "abroad_last_step_to_result_s", _seconds_to_result(page))
        page.get_by_role("button", name="English").click()
        assert page.text_content("#result-h") == "You are verified"
        assert page.text_content('.progress li[data-step="card"]') == "Passport"


def test_abroad_the_service_refusal_is_named_beside_the_field_in_the_language_chosen(base, shots) -> None:
    url, app = base
    with browser(url, None, viewport=DESKTOP) as page:
        _open(page, url)
        page.get_by_role("button", name="English").click()
        page.get_by_label("I live abroad").check()
        page.get_by_label("First name in Latin letters (as in the passport)").fill(S.ABROAD.first_name_latin)
        page.get_by_label("Last name in Latin letters (as in the passport)").fill(S.ABROAD.last_name_latin)
        page.get_by_label("Passport number").fill(S.ABROAD.passport_number)
        page.get_by_label("National code (optional)").fill("۱۲۳۴۵۶۷۸۹۰")  # ten digits, a wrong check digit
        page.get_by_label("Mobile number").fill(S.FOREIGN_MOBILE)
        page.get_by_label("Solar Hijri").check()  # the same lists, in the other calendar
        year, month, day = S.ABROAD.birth_date.split("/")
        page.select_option("#birth_year", year)
        page.select_option("#birth_month", month)
        page.select_option("#birth_day", day)
        before = _count(app, "cases")
        page.get_by_role("button", name="Continue").click()
        page.wait_for_selector("#national_code-error:not([hidden])")  # the service's refusal, by field
        assert "leave it empty" in page.text_content("#national_code-error")  # the abroad wording
        assert page.evaluate("() => document.activeElement.id") == "national_code"
        assert _count(app, "cases") == before
        page.screenshot(path=shots / "abroad-refused-code-en.png", full_page=True)


def test_a_still_photo_as_the_camera_is_refused_with_its_reason(base, cameras, card, shots) -> None:
    url, app = base
    with browser(url, cameras["still"], viewport=DESKTOP) as page:
        _open(page, url)
        _identity_and_card(page, app, card, shots, "still")
        _perform(page, shots, "still")
        outcome = page.get_attribute("#result-h", "class")
        reasons = page.eval_on_selector_all("#reasons li", "items => items.map(li => li.dataset.code)")
        assert outcome in ("DECLINED", "RETRY"), (outcome, reasons, _checks(app))
        assert {"liveness_attack", "liveness_retry"} & set(reasons), reasons
        assert page.is_hidden("#sana")
        assert page.is_visible("#guidance") and page.is_visible("#again")
        texts = page.eval_on_selector_all("#reasons li", "items => items.map(li => li.textContent)")
        assert all(any("\u0600" <= ch <= "\u06ff" for ch in text) for text in texts)  # in Persian


def test_a_refused_camera_gets_guidance_and_nothing_is_uploaded(base, cameras, card, shots) -> None:
    url, app = base
    before = _videos(app)
    with browser(url, cameras["still"], allow_camera=False) as page:
        _open(page, url)
        _identity_and_card(page, app, card, shots, "refused")
        page.get_by_role("button", name="شروع فیلم‌برداری").click()
        page.wait_for_selector("#alert:not([hidden])")
        assert "دوربین" in page.text_content("#alert")
        assert page.is_visible("#start")  # the person can allow it and start again
        page.screenshot(path=shots / "refused-4-camera.png")
    assert _videos(app) == before


def _checks(app: Any) -> list[Any]:
    """Every case's checks with their own reasons (why a run failed, for its message)."""
    rows = app.state.services.pool.run(
        lambda s: s._run(lambda q: q("SELECT outcome FROM cases", ()), write=False)
    )
    return [json.loads(r[0] or "{}").get("evidence", {}).get("checks") for r in rows]


def _video_of(app: Any) -> bytes:
    """The bytes of the latest selfie video a page uploaded."""
    services = app.state.services
    rows = services.pool.run(
        lambda s: s._run(
            lambda q: q(
                "SELECT sha256 FROM case_uploads WHERE kind = 'selfie_video'"
                " ORDER BY received_at DESC LIMIT 1",
                (),
            ),
            write=False,
        )
    )
    return bytes(services.blobs.get(rows[0][0]))


def _videos(app: Any) -> int:
    return _count(app, "case_uploads WHERE kind = 'selfie_video'")


def _count(app: Any, rows_of: str) -> int:
    found = app.state.services.pool.run(
        lambda s: s._run(lambda q: q(f"SELECT count(*) FROM {rows_of}", ()), write=False)
    )
    return int(found[0][0])


def _readme_shots(shots: Path) -> None:
    if not os.environ.get("KYC_SDK_SCREENSHOTS"):
        return
    DOCS_IMG.mkdir(exist_ok=True)
    shutil.copyfile(shots / "approved-1-identity.png", DOCS_IMG / README_SHOTS["identity"])
    shutil.copyfile(shots / "approved-5-result.png", DOCS_IMG / README_SHOTS["approved"])
