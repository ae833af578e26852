"""Applying online on a phone (390 px) in headless Chromium, and the desk deciding, on a known clock (Monday
21/12/2026 10:00): three papers (one a phone photo), a number and key, a request for one more paper uploaded from
the status page, acceptance with its code and due time; and a refusal with its reasons (issue 16, items 1-2)."""
import threading
from datetime import datetime

import pytest

from onestop.timeutil import VN
from tests import paper_samples as samples
from tests.test_browser import ARGS, CHROMIUM, login, shot
from tests.test_browser_tracking import Clock

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}
CODE = "1.001193"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    from werkzeug.serving import make_server

    from onestop import create_app, demo
    from onestop.extensions import db
    from tests.factories import make_procedure

    folder = tmp_path_factory.mktemp("browser-online")
    app = create_app({"SECRET_KEY": "browser", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 't.db'}",
                      "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000", "RATELIMIT_ENABLED": False,
                      "FILES_DIR": str(folder / "files")})
    with app.app_context():
        db.create_all()
        agencies = demo.load_agencies()
        demo.load_users(agencies)
        db.session.commit()
        make_procedure(code=CODE, agency=agencies["000.00.01.H38"], documents=(
            ("Tờ khai đăng ký khai sinh", "original", 1), ("Giấy chứng sinh", "original", 1),
            ("Căn cước của người đi khai", "copy", 1)))
    app.wsgi_app = Clock(app.wsgi_app, datetime(2026, 12, 21, 10, 0, tzinfo=VN))
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()


@pytest.fixture(scope="module")
def browser():
    from pathlib import Path

    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield browser
        browser.close()


def file(name, mime, data):
    return {"name": name, "mimeType": mime, "buffer": data}


def fits(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def apply_on_a_phone(browser, site, name):
    """From the procedure's public page to the status page: the number and key the citizen notes."""
    page = browser.new_page(viewport=PHONE)
    page.goto(f"{site}/thu-tuc/{CODE}")
    page.click("#apply-online")
    page.fill("#applicant_name", name)
    page.fill("#applicant_id_number", "015190001234")
    page.fill("#applicant_phone", "0912345678")
    page.fill("#applicant_address", "Số 12, ngõ 34, phường Hồng Hà")
    page.set_input_files("#paper-0", file("to-khai.pdf", "application/pdf", samples.pdf(pages=2)))
    page.set_input_files("#paper-1", file("IMG_2041.JPG", "image/jpeg", samples.jpeg(size=(900, 1200))))
    page.set_input_files("#paper-2", file("can-cuoc.png", "image/png", samples.png()))
    fits(page)
    shot(page, "phone-apply-online")
    page.click("#send")
    page.wait_for_selector("#sent")
    return page, page.inner_text("#number"), page.inner_text("#key")


def clerk_page(browser, site):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    login(page, site, "clerk")
    page.wait_for_load_state()
    return page


def test_a_citizen_applies_the_desk_asks_for_one_more_paper_then_accepts(site, browser):
    citizen, number, key = apply_on_a_phone(browser, site, "Nguyễn Thị Ngọc Ánh")
    assert "chờ bộ phận một cửa kiểm tra" in citizen.inner_text("#state")
    assert citizen.locator("#papers li").count() == 3
    fits(citizen)
    shot(citizen, "phone-online-sent")

    desk = clerk_page(browser, site)
    desk.goto(f"{site}/desk/online")
    desk.click(f"text={number}")
    assert desk.locator("iframe.paper-frame").count() == 3
    desk.fill("#items", "Giấy chứng sinh bản chụp rõ nét")
    desk.fill("#reason", "Ảnh chụp giấy chứng sinh bị mờ.")
    shot(desk, "desk-online-review")
    desk.click("#request")
    desk.wait_for_load_state()

    citizen.goto(f"{site}/tra-cuu")
    citizen.fill("#code", number)
    citizen.fill("#k", key)
    citizen.click("button[type=submit]")
    citizen.wait_for_selector("#supplement")
    assert "Giấy chứng sinh bản chụp rõ nét" in citizen.inner_text("#supplement")
    citizen.set_input_files("#paper-1", file("IMG_2050.JPG", "image/jpeg", samples.jpeg(size=(900, 1200),
                                                                                          colour=(20, 20, 20))))
    fits(citizen)
    citizen.click("#send-supplement")
    citizen.wait_for_load_state()
    assert "chờ bộ phận một cửa kiểm tra" in citizen.inner_text("#state")

    desk.goto(f"{site}/desk/online/{number}")
    desk.click("#accept")
    desk.wait_for_load_state()
    code = desk.url.rsplit("/", 1)[1]
    assert code == "000.00.01.H38-261221-0001"

    citizen.reload()
    assert citizen.inner_text("#application-code") == code
    assert citizen.inner_text("#due-at") == "17:00 24/12/2026"  # 3 working days from Monday 10:00
    fits(citizen)
    shot(citizen, "phone-online-accepted")


def test_a_citizen_applies_and_the_desk_refuses_with_reasons(site, browser):
    citizen, number, _key = apply_on_a_phone(browser, site, "Trần Văn Bình")
    desk = clerk_page(browser, site)
    desk.goto(f"{site}/desk/online/{number}")
    desk.fill("#reasons", "Không thuộc thẩm quyền giải quyết của UBND tỉnh.")
    desk.check("input[name=confirm]")
    desk.click("#refuse")
    desk.wait_for_load_state()
    citizen.reload()
    refused = citizen.inner_text("#refused")
    assert "Không thuộc thẩm quyền giải quyết của UBND tỉnh." in refused
    assert citizen.locator("#refused a").get_attribute("href").startswith(f"/nop-ho-so/{number}/refusal.pdf?k=")
    fits(citizen)
    shot(citizen, "phone-online-refused")
