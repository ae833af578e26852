"""The back office in headless Chromium: one action at a time (with and without JavaScript), hand-overs picked from
lists, a refusal confirmed; the application page on a desktop and at phone width."""
import re
import threading

import pytest

from tests.test_browser import browser, login, shot  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def office(tmp_path_factory):
    """The demo's agencies, users and catalogue served on a free port; `new_file()` puts a fresh application for
    the criminal record certificate (2.000488, Department of Justice) on the officer's desk and returns its path."""
    from werkzeug.serving import make_server

    from onestop import create_app, demo
    from onestop.extensions import db
    from onestop.procedures.demo import load_catalogue
    from onestop.reception import lifecycle, services
    from tests.factories import applicant

    folder = tmp_path_factory.mktemp("office")
    app = create_app({"SECRET_KEY": "browser", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'o.db'}",
                      "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000", "RATELIMIT_ENABLED": False})
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    base = f"http://127.0.0.1:{httpd.server_port}"
    with app.app_context():
        db.create_all()
        agencies = demo.load_agencies()
        users = demo.load_users(agencies)
        load_catalogue(agencies)
        db.session.commit()

    def new_file() -> str:
        with app.app_context():
            clerk = db.session.merge(users["clerk"])
            application, _ = services.receive_application(clerk, {
                "procedure_code": "2.000488", "applicant": applicant(), "documents": ["Tờ khai"]})
            lifecycle.record_event(application, clerk, "transfer")
            db.session.commit()
            return f"/applications/{application.code}"

    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield type("Office", (), {"base": base, "new_file": staticmethod(new_file)})
    httpd.shutdown()


def visible_forms(page) -> list[str]:
    return page.eval_on_selector_all(".action-form", "forms => forms.filter(f => !f.hidden).map(f => f.id)")


def test_an_officer_picks_one_action_at_a_time_and_sends_the_file_up_from_a_list(office, browser):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    login(page, office.base, "officer")
    path = office.new_file()
    code = path.rsplit("/", 1)[-1]
    page.goto(office.base + path)
    assert visible_forms(page) == []
    shot(page, "application-actions")

    page.click(".action-picker >> text=Từ chối")
    assert visible_forms(page) == ["action-refuse"] and page.url.endswith("?action=refuse#action-refuse")
    assert page.evaluate("document.activeElement.id") == "refuse-reasons"
    page.click(".action-picker >> text=Bước xử lý")
    assert visible_forms(page) == ["action-step"]
    officers = "#step-officer optgroup:not([hidden]) option"
    # Sở Tư pháp's officers and supervisors, who may take a file on (routing.officers), by name
    assert page.locator(officers).all_inner_texts() == ["Ngô Văn Cải", "Phạm Đức Xử"]
    page.select_option("#step-agency", "000.00.00.H38")  # up to the province for signature
    assert page.locator(officers).all_inner_texts() == ["Trần Thị Lãnh"]
    page.select_option("#step-officer", "supervisor")
    shot(page, "application-step")
    page.click("#action-step button[type=submit]")
    # the file has left the department: back to the officer's inbox
    assert page.url.endswith("/inbox")
    assert page.locator(".flash").all_inner_texts()[:2] == [
        "Đã ghi: Bước xử lý.", f"Hồ sơ {code} đã chuyển khỏi đơn vị của bạn."]


def test_a_refusal_is_confirmed_before_it_is_recorded(office, browser):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    login(page, office.base, "officer")
    page.goto(f"{office.base}{office.new_file()}?action=refuse")
    assert visible_forms(page) == ["action-refuse"]
    assert "người ký: Cán bộ xử lý hồ sơ – Phạm Đức Xử" in page.locator("#action-refuse .signing").inner_text()
    page.fill("#refuse-reasons", "Giấy tờ không hợp lệ")
    page.click("#action-refuse button[type=submit]")
    assert page.url.endswith("?action=refuse")  # the browser holds the form until it is confirmed
    page.check("#action-refuse input[name=confirm]")
    page.click("#action-refuse button[type=submit]")
    assert "Đã ghi: Từ chối." in page.locator(".flash").inner_text()
    assert page.locator("a:has-text('Phiếu từ chối')").count() == 1


def test_without_javascript_the_picker_still_shows_one_form(office, browser):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    login(page, office.base, "officer")
    page.goto(office.base + office.new_file())
    assert visible_forms(page) == []
    page.click(".action-picker >> text=Yêu cầu bổ sung")
    assert re.search(r"\?action=request_supplement#action-request_supplement$", page.url)
    assert visible_forms(page) == ["action-request_supplement"]
    context.close()


def test_the_application_page_fits_a_phone(office, browser):
    page = browser.new_page(viewport={"width": 360, "height": 780})
    login(page, office.base, "officer")
    page.goto(f"{office.base}{office.new_file()}?action=step")
    assert visible_forms(page) == ["action-step"]
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    box = page.locator("#step-agency").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 360
    shot(page, "phone-application-step")
