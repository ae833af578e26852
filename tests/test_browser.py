"""Real pages in headless Chromium (Debian's chromium, driven by Playwright): phone and desktop widths."""
import os
import shutil
import threading
import time
from datetime import datetime
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SHOTS = Path(os.environ.get("ONESTOP_SCREENSHOTS", "/tmp/onestop-screens"))
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    from werkzeug.serving import make_server

    from onestop import create_app, demo
    from onestop.extensions import db

    folder = tmp_path_factory.mktemp("browser")
    app = create_app({"SECRET_KEY": "browser", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'b.db'}",
                      "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000", "RATELIMIT_ENABLED": False})
    # a free port: several suites may run side by side on one machine
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    base = f"http://127.0.0.1:{httpd.server_port}"
    app.config["PUBLIC_BASE_URL"] = base
    with app.app_context():
        db.create_all()
        demo.load(applications=60)
        db.session.commit()
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield base
    httpd.shutdown()


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        message = "Debian's chromium is not installed (apt-get install chromium)"
        if os.environ.get("ONESTOP_REQUIRE_BROWSER"):  # CI installs it: there a missing browser is a failure
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield browser
        browser.close()


def shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def login(page, server, username):
    page.goto(f"{server}/login")
    page.fill("#username", username)
    page.fill("#password", "demo")
    page.click("button[type=submit]")


def test_citizen_searches_without_diacritics_on_a_phone(server, browser):
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(f"{server}/thu-tuc")
    page.fill("#q", "dang ky khai sinh")
    page.click("text=Tìm")
    page.click("text=Đăng ký khai sinh có yếu tố nước ngoài")
    assert page.locator("h1").inner_text() == "Đăng ký khai sinh có yếu tố nước ngoài"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, "phone-procedure")


def test_clerk_logs_an_application_by_typing_without_diacritics(server, browser):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.add_init_script("window.print = function () {};")  # the desk prints the receipt; headless cannot
    login(page, server, "clerk")
    assert page.url.endswith("/desk")
    page.fill("#procedure_search", "chung thuc ban sao")
    page.click("#procedure_results li >> nth=0")
    page.wait_for_selector("#due-at")
    assert page.locator("input[name=doc_name]").count() == 1
    page.fill("#applicant_name", "Hoàng Thị Ngọc Ánh")
    page.fill("#applicant_id_number", "015190009876")
    page.fill("#applicant_phone", "0987654321")
    page.fill("#applicant_address", "Số 5, đường Yên Ninh, thành phố Yên Bái")
    shot(page, "desk")
    page.click("text=Lưu và cấp mã hồ sơ")
    page.wait_for_url("**/desk?received=000.00.01.H38-*")
    assert "Đã tiếp nhận hồ sơ 000.00.01.H38-" in page.locator("#received").inner_text()
    page.click("#received >> text=Mở hồ sơ")
    assert page.locator("a:has-text('Giấy tiếp nhận, hẹn trả')").count() == 1
    shot(page, "application")
    phone = browser.new_page(viewport={"width": 390, "height": 844})
    login(phone, server, "clerk")
    phone.goto(page.url)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    shot(phone, "phone-application")


def test_a_clerk_who_types_before_the_script_arrives_still_gets_results(server, browser):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    login(page, server, "clerk")

    def slow_script(route):
        time.sleep(1.5)  # a provincial network on a bad day
        route.continue_()

    page.route("**/static/desk.js", slow_script)
    page.goto(f"{server}/desk", wait_until="commit")
    page.fill("#procedure_search", "khai sinh")  # typed while desk.js is still on its way
    page.wait_for_selector("#procedure_results li")
    assert page.locator("#procedure_results li").first.inner_text() == "1.001193 – Đăng ký khai sinh"


def test_admin_adds_a_make_up_saturday_and_the_preview_changes(server, browser):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    login(page, server, "admin")
    url = f"{server}/admin/calendar/?year=2027&p-received_at=2027-03-05T16:00&p-amount=3&p-unit=working_days"
    page.goto(url)
    assert page.locator("#preview-due").inner_text() == "17:00 10/03/2027"
    page.fill("#o-day", "2027-03-06")
    page.select_option("#o-kind", "work")
    page.click("text=Lưu ngày")
    page.goto(url)
    assert page.locator("#preview-due").inner_text() == "17:00 09/03/2027"
    shot(page, "calendar")


def test_supervisor_sees_overdue_files_by_word(server, browser):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    login(page, server, "supervisor")
    page.goto(f"{server}/overview")
    assert page.locator("h1").inner_text() == "Theo dõi giải quyết hồ sơ"
    shot(page, "overview")
    page.goto(f"{server}/inbox?overdue=1")
    assert page.locator("text=⚠ Quá hạn").count() >= 1
    shot(page, "inbox-overdue")
