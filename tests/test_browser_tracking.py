"""The citizens' pages on a phone (360 px wide) in headless Chromium, on a known clock: Monday 21/12/2026 10:00.

Each page must fit the width without sideways scrolling and load nothing from outside the app.
"""
import threading
from datetime import datetime

import pytest

from onestop.timeutil import VN, frozen_at
from tests.test_browser import ARGS, CHROMIUM, login, shot

pytestmark = pytest.mark.browser
PHONE = {"width": 360, "height": 740}


def vn(*args):
    return datetime(*args, tzinfo=VN)


class Clock:
    """WSGI middleware: every request sees now() at the moment the test sets."""

    def __init__(self, app, moment):
        self.app, self.moment = app, moment

    def __call__(self, environ, start_response):
        with frozen_at(self.moment):
            return self.app(environ, start_response)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    from werkzeug.serving import make_server

    from onestop import create_app, demo
    from onestop.extensions import db
    from onestop.reception import keys
    from tests.factories import event, make_procedure, receive

    folder = tmp_path_factory.mktemp("browser-tracking")
    app = create_app({"SECRET_KEY": "browser", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 't.db'}",
                      "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000", "RATELIMIT_ENABLED": False,
                      "COMPLAINT_FILES": str(folder / "files")})
    files = {}
    with app.app_context():
        db.create_all()
        agencies = demo.load_agencies()
        users = demo.load_users(agencies)
        db.session.commit()
        clerk, officer = users["clerk"], users["officer"]
        birth = make_procedure(agency=agencies["000.00.04.H38"])

        def moved(received, *steps):
            application = receive(clerk, birth, received)
            event(application, clerk, "transfer", received.replace(minute=30))
            for user, kind, at, data in steps:
                event(application, user, kind, at, **data)
            return application

        made = {
            "received": receive(clerk, birth, vn(2026, 12, 18, 10, 0)),
            "paused": moved(vn(2026, 12, 16, 9, 0), (officer, "request_supplement", vn(2026, 12, 18, 9, 0), {
                "items": ["Bản sao Giấy chứng nhận kết hôn của cha mẹ", "Giấy xác nhận nơi cư trú"],
                "reason": "Thiếu giấy tờ chứng minh quan hệ cha, mẹ, con"})),
            "late": moved(vn(2026, 12, 14, 10, 0), (officer, "apologise", vn(2026, 12, 15, 9, 0), {
                "reason": "Cần xác minh thông tin tại nơi cư trú", "new_due_at": vn(2026, 12, 22, 17, 0)})),
            "ready": moved(vn(2026, 12, 16, 9, 0), (officer, "result_ready", vn(2026, 12, 18, 15, 0), {})),
            "returned": moved(vn(2026, 12, 14, 9, 0), (officer, "result_ready", vn(2026, 12, 16, 15, 0), {}),
                              (clerk, "return", vn(2026, 12, 17, 9, 0), {})),
            "at the desk": moved(vn(2026, 12, 15, 9, 0), (officer, "result_ready", vn(2026, 12, 17, 15, 0), {}),
                                 (clerk, "return", vn(2026, 12, 21, 9, 40), {})),
        }
        for state, application in made.items():
            files[state] = (application.code, keys.grouped(application.tracking_key))
    clock = Clock(app.wsgi_app, vn(2026, 12, 21, 10, 0))
    app.wsgi_app = clock
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield type("Site", (), {"base": f"http://127.0.0.1:{httpd.server_port}", "files": files, "clock": clock})
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


def phone(browser, site):
    """A phone-sized page that fails the test on any request outside the app."""
    page = browser.new_page(viewport=PHONE)
    outside = []
    page.on("request", lambda request: None if request.url.startswith(site.base) else outside.append(request.url))
    page.outside = outside
    return page


def fits(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert page.outside == []


def when(page) -> str:
    page.wait_for_load_state()  # the stylesheet capitalises the sentence's first letter
    return " ".join(page.locator("#when").inner_text().split())


def open_status(page, site, state):
    code, key = site.files[state]
    page.goto(f"{site.base}/tra-cuu/{code}?k={key}")


@pytest.mark.parametrize("state, expected", [
    ("received", "Còn 2 ngày làm việc, hẹn trả 17:00 thứ Tư, 23/12/2026"),
    ("paused", "Tạm dừng, chờ bổ sung"),
    ("late", "Đã quá hạn 2 ngày làm việc, hẹn trả lại 17:00 thứ Ba, 22/12/2026"),
    ("ready", "Có kết quả, mời nhận tại Trung tâm Phục vụ hành chính công tỉnh Lào Cai"),
])
def test_the_status_page_in_each_state_on_a_phone(site, browser, state, expected):
    page = phone(browser, site)
    open_status(page, site, state)
    assert when(page).startswith(expected)
    fits(page)
    shot(page, f"phone-status-{state}")
    if state == "late":
        wide = browser.new_page(viewport={"width": 1280, "height": 900})
        open_status(wide, site, state)
        shot(wide, "status-late")


def test_returned_the_applicant_rates_the_service_on_the_phone(site, browser):
    page = phone(browser, site)
    open_status(page, site, "returned")
    assert when(page) == "Đã trả kết quả"
    shot(page, "phone-status-returned")
    assert not page.is_visible("label.choice:has-text('Hướng dẫn chưa rõ')")  # asked only when not satisfied
    page.click("label.choice:has-text('Chưa hài lòng')")
    page.click("label.choice:has-text('Hướng dẫn chưa rõ')")
    page.fill("#comment", "Phải hỏi lại hai lần mới biết cần bản sao nào.")
    page.click("text=Gửi đánh giá")
    assert "Cảm ơn Ông/Bà đã đánh giá." in page.locator(".flash").inner_text()
    assert "Hồ sơ đã được đánh giá: Chưa hài lòng." in page.locator("#rating").inner_text()
    fits(page)
    shot(page, "phone-status-rated")


def test_look_up_by_code_and_the_phones_last_digits(site, browser):
    page = phone(browser, site)
    page.goto(f"{site.base}/tra-cuu")
    fits(page)
    shot(page, "phone-lookup")
    page.fill("#code", site.files["received"][0])
    page.fill("#phone", "1234")
    page.click("button:has-text('Tra cứu')")
    assert "Không tìm thấy trang hoặc hồ sơ." in page.locator(".notice").inner_text()
    shot(page, "phone-lookup-not-found")
    page.fill("#code", site.files["received"][0])
    page.fill("#phone", "5678")
    page.click("button:has-text('Tra cứu')")
    assert when(page).startswith("Còn 2 ngày làm việc")
    fits(page)


def test_a_complaint_sent_from_the_phone_and_followed_to_its_answer(site, browser):
    page = phone(browser, site)
    open_status(page, site, "late")
    page.click("text=Phản ánh, kiến nghị về hồ sơ này")
    assert page.input_value("#application_code") == site.files["late"][0]
    page.fill("#sender_name", "Lò Văn Páo")
    page.fill("#sender_contact", "0915 222 333")
    page.fill("#content", "Hồ sơ khai sinh của con tôi đã quá hẹn hai ngày. Đề nghị cho biết khi nào có kết quả.")
    fits(page)
    shot(page, "phone-complaint-form")
    page.click("button:has-text('Gửi phản ánh')")
    assert page.locator("h1").inner_text().startswith("PA-000.00.01.H38-261221-")
    assert when(page) == "Còn 10 ngày làm việc, hạn trả lời 17:00 thứ Ba, 05/01/2027"  # 1/1 is a holiday
    fits(page)
    shot(page, "phone-complaint-sent")
    followed = page.url

    site.clock.moment = vn(2026, 12, 22, 9, 0)
    staff = browser.new_page(viewport={"width": 1280, "height": 900})
    login(staff, site.base, "clerk")
    staff.goto(f"{site.base}/complaints")
    staff.click("text=PA-000.00.01.H38-261221-")
    staff.fill("textarea[name=response]", "Hồ sơ của Ông đã có kết quả từ chiều 21/12/2026; mời Ông đến nhận tại quầy số 2.")
    staff.click("form[action$='/respond'] button")
    assert "Đã cập nhật phản ánh" in staff.locator(".flash").inner_text()
    shot(staff, "complaint-staff")

    page.goto(followed)
    assert when(page) == "Đã trả lời"
    assert "mời Ông đến nhận tại quầy số 2" in page.locator("#answer").inner_text()
    fits(page)
    shot(page, "phone-complaint-answered")
    site.clock.moment = vn(2026, 12, 21, 10, 0)


def test_the_desk_takes_a_rating_on_its_tablet(site, browser):
    tablet = browser.new_page(viewport={"width": 768, "height": 1024})
    login(tablet, site.base, "clerk")
    tablet.goto(f"{site.base}/ratings/desk")
    tablet.fill("#code", site.files["ready"][0])
    tablet.click("text=Mở phiếu đánh giá")
    assert "Hồ sơ chưa trả kết quả nên chưa thể đánh giá." in tablet.locator(".notice").inner_text()
    shot(tablet, "tablet-rating-not-returned")
    tablet.click("text=Hồ sơ khác")
    tablet.fill("#code", site.files["at the desk"][0])
    tablet.click("text=Mở phiếu đánh giá")
    assert tablet.locator("h1").inner_text() == "Đăng ký khai sinh"
    shot(tablet, "tablet-rating")
    tablet.click("label.choice:has-text('Rất hài lòng')")
    tablet.click("text=Gửi đánh giá")
    assert tablet.locator(".flash").inner_text() == "Cảm ơn Ông/Bà đã đánh giá!"
    assert tablet.url.endswith("/ratings/desk")  # ready for the next citizen
    status = phone(browser, site)
    open_status(status, site, "at the desk")
    assert "Hồ sơ đã được đánh giá: Rất hài lòng." in status.locator("#rating").inner_text()
