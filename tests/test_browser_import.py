"""An administrator reviews a decision's table in headless Chromium at desktop width, corrects a row, leaves one out."""
import os
import threading
from pathlib import Path

import pytest

from tests.decision_tables import NOTARISATION, table, workbook
from tests.test_browser import ARGS, CHROMIUM, SHOTS

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    from werkzeug.serving import make_server

    from onestop import create_app, demo
    from onestop.extensions import db

    folder = tmp_path_factory.mktemp("browser-import")
    app = create_app({"SECRET_KEY": "browser", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'b.db'}",
                      "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000", "RATELIMIT_ENABLED": False})
    with app.app_context():
        db.create_all()
        demo.load_users(demo.load_agencies())
        db.session.commit()
    httpd = make_server("127.0.0.1", 0, app, threaded=True)  # a free port: other suites run browsers too
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_port}", app
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
        launched = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield launched
        launched.close()


def test_admin_reviews_a_decision_corrects_one_row_leaves_one_out_and_imports(server, browser, tmp_path):
    base, app = server
    rows = NOTARISATION + [["8", "1.01443", "Thủ tục cấp lại Giấy công nhận", "15 ngày", "", "Không", ""]]
    filename, content = table(rows, "quyet-dinh-2637.xlsx")
    path = tmp_path / filename
    path.write_bytes(content)
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    page.goto(f"{base}/login")
    page.fill("#username", "admin")
    page.fill("#password", "demo")
    page.click("main button[type=submit]")
    page.goto(f"{base}/staff/procedures/import")
    page.set_input_files("#file", str(path))
    page.click("main button[type=submit]")
    page.wait_for_url("**/staff/procedures/import/*")
    assert page.locator("tr.flagged").count() == 2 and page.locator("tr.clean").count() == 3
    assert page.input_value("#decision_number") == "2637/QĐ-UBND"
    shot(page, "import-review")

    page.select_option('select[name="fix-12-fee_kind"]', "amount")
    page.fill('input[name="fix-12-fee"]', "2.000")
    page.check('input[name="skip-13"]')
    page.fill('input[name="skip-13-reason"]', "Mã sai trong quyết định, chờ đính chính")
    page.click('button[value="import"] >> nth=0')
    page.wait_for_load_state()
    assert "Đã nhập bảng quyet-dinh-2637.xlsx: 4 thêm mới" in page.inner_text(".flash-success")
    assert "Dòng 13 (?) bỏ ra: Mã sai trong quyết định, chờ đính chính" in page.inner_text("main")
    shot(page, "import-review-done")
    with app.app_context():
        from onestop.procedures import services

        assert services.get_by_code("2.000942").current.fee_amount == 2000
        assert services.get_by_code("2.000908").current.same_day_cutoff.strftime("%H:%M") == "15:00"


def test_a_workbooks_sheets_are_reviewed_together_and_the_desk_sees_the_longer_time(server, browser, tmp_path):
    from tests.test_decision_tables import CONDITIONS

    base, app = server
    sheets = {"Phụ lục I": CONDITIONS[:4], "Phụ lục II": [
        ["STT", "Mã TTHC", "Tên thủ tục hành chính", "Thời hạn giải quyết (ngày làm việc)", "Phí, lệ phí (đồng)"],
        ["1", "2.000304", "Chứng thực thử nghiệm D", "02 ngày", "20000"]]}
    filename, content = workbook(sheets, "quyet-dinh-46.xlsx")
    path = tmp_path / filename
    path.write_bytes(content)
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    page.goto(f"{base}/login")
    page.fill("#username", "admin")
    page.fill("#password", "demo")
    page.click("main button[type=submit]")
    page.goto(f"{base}/staff/procedures/import")
    page.set_input_files("#file", str(path))
    page.fill("#field", "Chứng thực")
    page.click("main button[type=submit]")
    page.wait_for_url("**/staff/procedures/import/*")
    assert page.locator("tr.clean").count() == 3
    assert page.inner_text("#dong-2\\.2 td >> nth=0") == "2\ntrang «Phụ lục II»"
    assert "02 ngày\n→ 2 ngày làm việc" in page.inner_text("#dong-2\\.2")  # the heading's unit
    assert "Lưu ý (ghi vào thủ tục, hiện khi tiếp nhận): Trường hợp yêu cầu nhiều bản sao" in page.inner_text("#dong-3")
    shot(page, "import-review-sheets")
    page.click('button[value="import"] >> nth=0')
    page.wait_for_load_state()
    assert "3 thêm mới" in page.inner_text(".flash-success")
    page.context.clear_cookies()

    page.goto(f"{base}/login")
    page.fill("#username", "clerk")
    page.fill("#password", "demo")
    page.click("main button[type=submit]")
    page.wait_for_url("**/desk")
    page.wait_for_load_state("load")
    page.keyboard.type("2.000301")
    page.wait_for_selector("#procedure_results li[aria-selected=true]")
    page.keyboard.press("Enter")
    page.wait_for_selector("#time-note")
    assert page.inner_text("#time-note") == (
        "Lưu ý thời hạn: Trường hợp yêu cầu nhiều bản sao, giấy tờ nhiều trang mà không đáp ứng được thời hạn trên "
        "thì được kéo dài thêm không quá 02 ngày làm việc.")
    shot(page, "desk-time-note")


def shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
