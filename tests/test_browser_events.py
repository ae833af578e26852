"""Events are dated when they happen, seen in Chromium (issue 6, item 1): a file received on Wednesday at 14:00 is
transferred by the clerk at 15:30, after the 15:00 cut-off; the officer records a step at 16:00 the same afternoon,
and the timeline and the citizen's page show 15:30, never the next morning."""
import threading
from datetime import datetime

import pytest

from onestop.timeutil import VN, frozen_at
from tests.test_browser import browser, login, shot  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser


def vn(*args):
    return datetime(*args, tzinfo=VN)


class Clock:
    """WSGI middleware: every request sees now() at the moment the test sets (the server's threads cannot see a
    frozen_at made in the test's own thread)."""

    def __init__(self, app, moment):
        self.app, self.moment = app, moment

    def __call__(self, environ, start_response):
        with frozen_at(self.moment):
            return self.app(environ, start_response)


@pytest.fixture(scope="module")
def desk(tmp_path_factory):
    """The demo's agencies, users and catalogue on a free port, on a clock the test moves; one file received on
    Wednesday 7 October 2026 at 14:00 for the criminal record certificate (Sở Tư pháp)."""
    from werkzeug.serving import make_server

    from onestop import create_app, demo
    from onestop.extensions import db
    from onestop.procedures.demo import load_catalogue
    from onestop.reception import services
    from tests.factories import applicant

    folder = tmp_path_factory.mktemp("events")
    app = create_app({"SECRET_KEY": "browser", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'e.db'}",
                      "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000", "RATELIMIT_ENABLED": False})
    clock = Clock(app.wsgi_app, vn(2026, 10, 7, 15, 30))
    app.wsgi_app = clock
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    with app.app_context():
        db.create_all()
        agencies = demo.load_agencies()
        users = demo.load_users(agencies)
        load_catalogue(agencies)
        db.session.commit()
        with frozen_at(vn(2026, 10, 7, 14, 0)):
            application, _ = services.receive_application(users["clerk"], {
                "procedure_code": "2.000488", "applicant": applicant(), "documents": ["Tờ khai"]})
            db.session.commit()
        code, key = application.code, application.tracking_key
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield type("Desk", (), {"base": f"http://127.0.0.1:{httpd.server_port}", "clock": clock, "code": code,
                            "key": key})
    httpd.shutdown()


def timeline(page) -> list[str]:
    return [" ".join(text.split()) for text in page.locator("ol.timeline > li").all_inner_texts()]


def test_a_transfer_after_the_cut_off_keeps_its_moment_and_the_officer_acts_at_once(desk, browser):
    clerk = browser.new_page(viewport={"width": 1280, "height": 900})
    desk.clock.moment = vn(2026, 10, 7, 15, 30)
    login(clerk, desk.base, "clerk")
    clerk.goto(f"{desk.base}/applications/{desk.code}?action=transfer")
    clerk.click("#action-transfer button[type=submit]")
    assert "Đã ghi: Chuyển xử lý." in clerk.locator(".flash").inner_text()

    officer = browser.new_page(viewport={"width": 1280, "height": 900})
    desk.clock.moment = vn(2026, 10, 7, 16, 0)
    login(officer, desk.base, "officer")
    officer.goto(f"{desk.base}/applications/{desk.code}?action=step")
    officer.select_option("#step-officer", "officer")
    officer.fill("#action-step input[name=note]", "Thẩm định hồ sơ")
    officer.click("#action-step button[type=submit]")
    assert "Đã ghi: Bước xử lý." in officer.locator(".flash").inner_text()
    officer.goto(f"{desk.base}/applications/{desk.code}")
    events = timeline(officer)
    assert "Cơ quan xử lý tính thời gian từ: 07:30 08/10/2026" in events[1]  # the cut-off's deadline, beside it
    assert [line.split(" – ")[0:2] for line in events] == [
        ["Tiếp nhận", "14:00 07/10/2026"], ["Chuyển xử lý", "15:30 07/10/2026"], ["Bước xử lý", "16:00 07/10/2026"]]
    shot(officer, "events-dated-when-they-happen")

    citizen = browser.new_page(viewport={"width": 360, "height": 740})
    citizen.goto(f"{desk.base}/tra-cuu/{desk.code}?k={desk.key}")
    history = citizen.locator("ol.timeline .muted").all_inner_texts()
    assert history[:2] == ["14:00 07/10/2026", "15:30 07/10/2026"]  # never 07:30 08/10/2026, the next morning
    assert not [moment for moment in history if moment.endswith("08/10/2026")]
