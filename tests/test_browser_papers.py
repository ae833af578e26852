"""The electronic file in headless Chromium at 1280 px: a clerk digitises a paper application at the counter (two
components, one of them two photos dropped on its box), an officer records the result with its scan, and the same
applicant's next application reuses the stored ID paper with one click; the dashboard counts 1 reuse."""
import threading
from datetime import datetime, timedelta

import pytest

from tests import paper_samples as samples
from tests.test_browser import browser, login, shot  # noqa: F401  (fixture)

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def paper_server(tmp_path_factory):
    """The demo world, with its papers stored in a folder of the test's own."""
    from werkzeug.serving import make_server

    from onestop import create_app, demo
    from onestop.extensions import db
    from onestop.reception import services
    from onestop.timeutil import VN, frozen_at
    from tests.factories import applicant, make_procedure

    folder = tmp_path_factory.mktemp("papers")
    app = create_app({"SECRET_KEY": "browser", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'b.db'}",
                      "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000", "RATELIMIT_ENABLED": False,
                      "FILES_DIR": str(folder / "files")})
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    base = f"http://127.0.0.1:{httpd.server_port}"
    app.config["PUBLIC_BASE_URL"] = base
    with app.app_context():
        db.create_all()
        agencies = demo.load_agencies()
        users = demo.load_users(agencies)
        db.session.commit()
        documents = (("Tờ khai", "original", 1), ("Căn cước của người đi đăng ký", "copy", 1))
        birth = make_procedure(agency=agencies["000.00.04.H38"], documents=documents)
        marriage = make_procedure(code="1.000894", name="Đăng ký kết hôn", agency=agencies["000.00.04.H38"],
                                  documents=documents)
        codes = []
        # received at 09:00 this morning (Vietnam's time), or yesterday's when that is still to come (from 00:00 to
        # 09:00 there, 17:00 to 02:00 UTC): the clerk's and officer's steps below happen now, after it
        received = datetime.now(VN).replace(hour=9, minute=0, second=0, microsecond=0)
        if received > datetime.now(VN):
            received -= timedelta(days=1)
        for procedure in (birth, marriage):
            with frozen_at(received):
                made, _ = services.receive_application(users["clerk"], {
                    "procedure_code": procedure.code, "applicant": applicant(), "channel": "in_person",
                    "documents": [{"name": name, "kind": kind, "copies": 1} for name, kind, _ in documents],
                    "sets": 1})
            codes.append(made.code)
        db.session.commit()
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield base, codes
    httpd.shutdown()


def drop_files(page, selector, files):
    """Drop files on a box as a person drags them from a folder."""
    handle = page.evaluate_handle("""(files) => {
        const transfer = new DataTransfer();
        for (const [name, type, bytes] of files) transfer.items.add(new File([new Uint8Array(bytes)], name, {type}));
        return transfer;
    }""", [[name, kind, list(data)] for name, kind, data in files])
    page.dispatch_event(selector, "drop", {"dataTransfer": handle})


def test_digitised_at_the_counter_then_reused_in_the_next_application(paper_server, browser, tmp_path):
    base, (first, second) = paper_server
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    login(page, base, "clerk")
    page.goto(f"{base}/applications/{first}")
    assert page.locator("#giay-to h2").inner_text().startswith("Giấy tờ số hóa")
    # the form scanned to a PDF, picked with the file chooser
    form = tmp_path / "to-khai.pdf"
    form.write_bytes(samples.pdf(pages=2))
    page.set_input_files("tr[data-component='0'] input[type=file]", str(form))
    page.click("tr[data-component='0'] button[type=submit]")
    page.wait_for_url(f"**/applications/{first}#giay-to")
    # the ID card, both sides photographed, dropped on its box
    drop_files(page, "tr[data-component='1'] label.dropzone", [
        ("mat-truoc.jpg", "image/jpeg", samples.jpeg()), ("mat-sau.jpg", "image/jpeg", samples.jpeg())])
    assert page.locator("tr[data-component='1'] .dropped").inner_text().strip() == "mat-truoc.jpg, mat-sau.jpg"
    page.click("tr[data-component='1'] button[type=submit]")
    page.wait_for_url(f"**/applications/{first}#giay-to")
    assert "Đã số hóa đủ" in page.locator("#giay-to h2").inner_text()
    assert page.locator("tr[data-component='1'] td >> nth=2").inner_text().strip() == "mat-truoc.pdf (2 trang)"
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    shot(page, "papers-digitised")
    page.click("a[data-action=transfer]")
    page.click("#action-transfer button[type=submit]")
    page.wait_for_url(f"**/applications/{first}")

    # the officer: result ready, with the result's number, date, signer and scan
    page.context.clear_cookies()
    login(page, base, "officer")
    page.goto(f"{base}/applications/{first}?action=result_ready")
    result = tmp_path / "giay-khai-sinh.pdf"
    result.write_bytes(samples.pdf(text="Giấy khai sinh"))
    page.fill("#result-number-result_ready", "125/2026/TLKS")
    page.fill("#result-date-result_ready", datetime.now().strftime("%Y-%m-%d"))
    page.fill("#result-signer-result_ready", "Nguyễn Văn Ký")
    page.set_input_files("#action-result_ready input[name=result_file]", str(result))
    page.click("#action-result_ready button[type=submit]")
    page.wait_for_url(f"**/applications/{first}")
    assert "125/2026/TLKS" in page.locator("#result-document").inner_text()
    assert page.locator("#result-document a").inner_text() == "giay-khai-sinh.pdf"

    # the same applicant's next application: one click reuses the stored ID paper
    page.context.clear_cookies()
    login(page, base, "clerk")
    page.goto(f"{base}/applications/{second}")
    offer = page.locator("tr[data-component='1'] form.paper-reuse button")
    assert offer.inner_text().startswith("Dùng lại: Căn cước của người đi đăng ký")
    offer.click()
    page.wait_for_url(f"**/applications/{second}#giay-to")
    assert page.locator("tr[data-component='1'] .badge").inner_text() == "Dùng lại"
    assert f"từ hồ sơ {first}" in page.locator("tr[data-component='1']").inner_text()
    shot(page, "papers-reused")

    # the supervisor's dashboard: 1 paper reused this month
    page.context.clear_cookies()
    login(page, base, "supervisor")
    page.goto(f"{base}/dashboard?agency=000.00.04.H38")
    assert "dùng lại 1 giấy tờ" in page.locator(".figures").inner_text()
