"""The fee story in headless Chromium (issue 17): a clerk receives a file of a fee-bearing procedure, takes the
cash on its page, prints the receipt, and the day's book shows it; two clerks taking fees at the same moment get
the next two numbers of the series."""
import io
import threading

import pytest
from pypdf import PdfReader

from tests.test_browser import browser, shot  # noqa: F401  (fixture)

pytestmark = pytest.mark.browser
RECORD_PRINTS = "window.print = function () { (window.top.__prints = window.top.__prints || []).push(location.href); };"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    from werkzeug.serving import make_server

    from onestop import create_app, demo
    from onestop.auth import services as accounts
    from onestop.auth.models import Agency
    from onestop.extensions import db

    folder = tmp_path_factory.mktemp("browser-fees")
    app = create_app({"SECRET_KEY": "browser", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'b.db'}",
                      "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000", "RATELIMIT_ENABLED": False})
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    base = f"http://127.0.0.1:{httpd.server_port}"
    app.config["PUBLIC_BASE_URL"] = base
    with app.app_context():
        db.create_all()
        demo.load(applications=0)
        desk = db.session.scalar(db.select(Agency).filter_by(code="000.00.01.H38"))
        accounts.create_user("clerk2", "demo", "Vũ Thị Thu", desk, ["clerk"], allow_demo_password=True)
        db.session.commit()
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield base
    httpd.shutdown()


def signed_in(browser, server, username):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.add_init_script(RECORD_PRINTS)
    page.goto(f"{server}/login")
    page.fill("#username", username)
    page.fill("#password", "demo")
    page.click("button[type=submit]")
    page.wait_for_url("**/desk")
    page.wait_for_load_state("load")
    return page


def receive_at_the_desk(page, name: str) -> str:
    """The clerk picks the criminal record certificate (200.000 đồng) and logs a file; its code."""
    page.fill("#procedure_search", "ly lich tu phap cong dan")
    page.wait_for_selector("#procedure_results li[aria-selected=true]")
    page.keyboard.press("Enter")
    page.wait_for_selector("#due-at")
    page.fill("#applicant_name", name)
    page.fill("#applicant_id_number", "015190009876")
    page.fill("#applicant_address", "Số 5, đường Yên Ninh, phường Yên Bái")
    with page.expect_response("**/forms/receipt.pdf"):
        page.keyboard.press("Enter")
    return page.locator("#received").get_attribute("data-code")


def pdf_text(page, url) -> str:
    data = page.request.get(url).body()
    return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(data)).pages)


def test_a_clerk_takes_cash_prints_the_receipt_and_the_days_book_shows_it(server, browser):
    page = signed_in(browser, server, "clerk")
    code = receive_at_the_desk(page, "Hoàng Thị Ngọc Ánh")
    page.goto(f"{server}/applications/{code}")
    assert page.locator("#fee-balance").inner_text() == (
        "Phải thu: 200.000 đồng · Đã thu: Không · Còn phải thu: 200.000 đồng")
    assert page.input_value("#pay-amount") == "200000"
    page.select_option("#pay-method", "cash")
    page.click("#take-payment button[type=submit]")
    page.wait_for_selector("#fee-payments")
    assert "Còn phải thu: Không" in page.locator("#fee-balance").inner_text()
    link = page.locator("a.receipt-link").first
    assert link.inner_text().endswith("số 0000001")
    shot(page, "fees-application-paid")
    with page.context.expect_page() as receipt_tab:
        link.click()  # the receipt opens in its own tab, to print
    assert receipt_tab.value.url.endswith("/1.pdf")
    text = pdf_text(page, server + link.get_attribute("href"))
    assert "BIÊN LAI THU PHÍ, LỆ PHÍ" in text and "Hai trăm nghìn đồng" in text and f"Mã hồ sơ: {code}" in text

    page.goto(f"{server}/daybook")
    rows = page.locator("#book-receipts tbody tr")
    assert rows.count() == 1 and code in rows.first.inner_text() and "200.000" in rows.first.inner_text()
    assert page.locator("#book-net").inner_text() == "200.000"
    shot(page, "fees-daybook")


def test_two_clerks_taking_fees_at_the_same_moment_get_the_next_two_numbers(server, browser):
    first, second = signed_in(browser, server, "clerk"), signed_in(browser, server, "clerk2")
    codes = [receive_at_the_desk(first, "Trần Văn An"), receive_at_the_desk(second, "Lê Thị Bình")]
    for page, code in zip((first, second), codes):
        page.goto(f"{server}/applications/{code}")
    # both forms sent before either answer is read: the server takes them on two threads at once
    for page in (first, second):
        page.evaluate("document.querySelector('#take-payment').submit()")
    numbers = []
    for page in (first, second):
        page.wait_for_selector("a.receipt-link")
        numbers.append(int(page.locator("a.receipt-link").first.inner_text().rsplit(" ", 1)[1]))
    assert sorted(numbers) == [2, 3]
    first.goto(f"{server}/daybook")
    assert first.locator("#book-receipts tbody tr").count() == 3
    assert first.locator("#book-net").inner_text() == "600.000"
