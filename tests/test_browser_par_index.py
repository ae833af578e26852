"""The 2026 PAR INDEX round in headless Chromium at 1280 px, the key pages checked at 390 px (issue 20): the
province's admin imports both criteria sets from the appendix's Excel table and opens the round; two departments
(Sở Nội vụ, Sở Tư pháp) and two wards (Yên Bái, Văn Phú) score themselves with evidence; the on-time criterion
(2.2.1) shows Sở Tư pháp's own figure for 2026; the appraiser appraises, asks Sở Nội vụ to explain 1.3.1, Sở Nội
vụ explains with a new file, the appraiser appraises again; the ranking and the emulation marks are the hand
computation below; after its deadline a unit's sheet is read-only. The clock moves through the round's calendar
(tests/par_index_world.py).

Hand computation (set: areas of 10, 20, 10, 30 points, survey 30; five criteria measured by the app, 18 points):
- each unit scores 1.1.1, 1.1.2, 1.1.3, 1.3.1 (2), 3.1.1 (2), 3.1.2 (2), 3.1.3, 4.2.1 (4), 4.3.1 (4): 18 points,
  the rest 0; Sở Nội vụ also 1.2.1: 19.
- Sở Tư pháp's 2026 files: 4 received in person, 3 resolved early, 1 late without apology: on time 75 % → 2.2.1
  0 of 6; apologised 0 % → 2.2.2 0 of 2; no complaint → 2.3.1 3; online 0 % → 4.1.1 0 of 4; digitised 0 % →
  4.1.2 0 of 3: measured 3. Every other unit has no file: measured 18.
- Sở Nội vụ: 1.3.1 appraised 0 (explanation asked), appraised again 1: 19 − 1 + 18 = 36, bonus 1, survey 27.5 →
  64.5, Trung bình; areas 5/10 (50 %), 11/20, 5/10, 15/30 (50 %): eligible. Rank 1.
- Sở Tư pháp: 18 + 3 = 21, penalty 0.5, survey 25 → 45.5, Yếu; area 2 3/20 (15 %) and area 4 8/30: not
  eligible. Rank 2.
- phường Yên Bái: 18 + 18 + survey 24 = 60; phường Văn Phú: 4.3.1 given 0: 14 + 18 + survey 28 = 60: equal, both
  ranked 1st, Trung bình; Văn Phú's area 4 11/30 (36.7 %): not eligible."""
import threading
from datetime import datetime, timedelta

import pytest

from onestop.timeutil import VN
from tests import par_index_samples as samples
from tests import par_index_world as w
from tests.paper_samples import pdf
from tests.test_browser import browser, login, shot  # noqa: F401  (browser: the fixture)
from tests.test_browser_csp import WATCH, blocked
from tests.test_browser_tracking import Clock

pytestmark = pytest.mark.browser
DESKTOP, PHONE = {"width": 1280, "height": 900}, {"width": 390, "height": 844}
SNV, STP, YB, VP = (w.UNITS[tag][0] for tag in ("snv", "stp", "yb", "vp"))
SCORED = {"1.1.1": "1", "1.1.2": "1", "1.1.3": "1", "1.3.1": "2", "3.1.1": "2", "3.1.2": "2", "3.1.3": "1",
          "4.2.1": "4", "4.3.1": "4"}
UNITS = {"snv": {**SCORED, "1.2.1": "1"}, "stp": SCORED, "yb": SCORED, "vp": {**SCORED, "4.3.1": "0"}}


def justice_files_of_2026(agencies, users):
    """Sở Tư pháp's desk in March 2026: 4 files of a 3-working-day procedure, 3 resolved early, 1 late."""
    from tests.factories import event, make_procedure, receive

    procedure = make_procedure(code="2.000488", name="Cấp Phiếu lý lịch tư pháp", agency=agencies["stp"])
    clerk, officer = users["clerk.stp"], users["cchc.stp"]
    for day, resolved in ((2, 4), (2, 4), (3, 5), (3, 12)):  # due on the 5th and the 6th at 17:00
        received = datetime(2026, 3, day, 9, 0, tzinfo=VN)
        application = receive(clerk, procedure, received)
        event(application, clerk, "transfer", received + timedelta(minutes=30))
        event(application, officer, "result_ready", datetime(2026, 3, resolved, 10, 0, tzinfo=VN))


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    from werkzeug.serving import make_server

    from onestop import create_app
    from onestop.extensions import db

    folder = tmp_path_factory.mktemp("browser-par-index")
    app = create_app({"SECRET_KEY": "browser", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'p.db'}",
                      "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000", "RATELIMIT_ENABLED": False,
                      "FILES_DIR": str(folder / "files")})
    with app.app_context():
        db.create_all()
        province = w.build()
        justice_files_of_2026(province.agencies, province.users)
    clock = Clock(app.wsgi_app, w.OPENING)
    app.wsgi_app = clock
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_port}", clock, folder
    httpd.shutdown()


def fits(page, width):
    assert page.evaluate("document.documentElement.scrollWidth") <= width, page.url


def signed_in(browser, base, username, viewport=DESKTOP):
    page = browser.new_page(viewport=viewport)
    login(page, base, username)
    page.wait_for_load_state()
    return page


def file(name, text):
    return {"name": name, "mimeType": "application/pdf", "buffer": pdf(text=text)}


def key(number):
    return number.replace(".", "-")


def self_score(page, number, score, files=()):
    page.fill(f"#self-{key(number)}", score)
    if files:
        page.set_input_files(f"#files-{key(number)}", list(files))
    page.click(f"#save-{key(number)}")
    page.wait_for_selector(".flash-success, .flash-danger")


def import_sets_and_open_the_round(browser, base, folder):
    admin = signed_in(browser, base, "admin")
    admin.click("nav a[href='/par-index/']")
    table = folder / "phu-luc-2026.xlsx"
    table.write_bytes(samples.criteria_workbook())
    for group in ("departments", "communes"):
        admin.click("text=Nhập bộ tiêu chí từ Excel")
        admin.fill("#year", "2026")
        admin.select_option("#group", group)
        admin.fill("#survey_weight", "30")
        admin.set_input_files("#file", str(table))
        admin.click("main button[type=submit]")
        admin.wait_for_selector("#total-max")
        assert admin.inner_text("#total-max") == "100"
        fits(admin, DESKTOP["width"])
        admin.goto(f"{base}/par-index/")
    shot(admin, "par-index-set")
    admin.set_viewport_size(PHONE)  # the set with its edit forms, the import and round forms, on a phone
    for path in ("/par-index/sets/2026/departments", "/par-index/sets/import", "/par-index/rounds/new"):
        admin.goto(base + path)
        fits(admin, PHONE["width"])
    admin.set_viewport_size(DESKTOP)
    admin.goto(f"{base}/par-index/")
    admin.click("text=Mở đợt chấm điểm")
    for name, day in w.DEADLINES.items():
        admin.fill(f"#{name}", day)
    admin.fill("#year", "2026")
    admin.click("main button[type=submit]")
    admin.wait_for_selector("#stage")
    assert "Đã mở đợt chấm điểm năm 2026" in admin.inner_text(".flash-success")
    assert admin.locator("text=Chưa nộp").count() == 4
    admin.close()


def assess(browser, base, tag):
    """The unit's reform officer scores its items, each with its evidence (1.1.1 with two files), and submits."""
    code = w.UNITS[tag][0]
    page = signed_in(browser, base, f"cchc.{tag}")
    page.click("nav a[href='/par-index/']")
    page.click("text=Phiếu chấm của đơn vị")
    page.wait_for_selector("#submit")
    for number, score in UNITS[tag].items():
        files = [] if score == "0" else [file(f"kiem-chung-{number}.pdf", f"Kiểm chứng {number}")]
        if number == "1.1.1":
            files.append(file("cong-van-1.1.1.pdf", "Công văn"))
        self_score(page, number, score, files)
    assert page.locator("#item-1-1-1 ul.evidence li").count() == 2
    page.click("#submit")
    page.wait_for_selector("#submitted.ok")
    assert page.inner_text("#submitted") == "Đã nộp lúc 09:00 20/01/2027"
    return page, code


def test_the_2026_round_from_the_excel_table_to_the_ranking(site, browser):
    base, clock, folder = site
    import_sets_and_open_the_round(browser, base, folder)

    clock.moment = w.SELF_STAGE
    officer = signed_in(browser, base, "cchc.snv")
    officer.goto(f"{base}/par-index/2026/sheets/{SNV}")
    self_score(officer, "1.1.1", "1")  # a score that asks for evidence, without a file: not submittable
    officer.click("#submit")
    officer.wait_for_selector(".flash-danger")
    assert officer.inner_text(".flash-danger") == "Chưa nộp được: thiếu tài liệu kiểm chứng ở 1.1.1."
    assert officer.locator("#item-1-1-1.missing").count() == 1
    officer.set_viewport_size(PHONE)  # the self-assessment's forms on a phone
    fits(officer, PHONE["width"])
    shot(officer, "phone-par-index-self-assessment")
    officer.close()
    for tag in ("snv", "yb", "vp"):
        assess(browser, base, tag)[0].close()
    justice, _ = assess(browser, base, "stp")
    measured = justice.locator("#measured-2-2-1")
    assert measured.locator(".value").inner_text() == "75%" and measured.locator(".points").inner_text() == "0"
    assert measured.locator("a").get_attribute("href") == (
        f"/inbox?handled_by={STP}&resolved_from=2025-12-15&resolved_to=2026-12-14")
    assert justice.locator("#save-2-2-1").count() == 0  # submitted: nothing to save any more
    fits(justice, DESKTOP["width"])
    shot(justice, "par-index-sheet-submitted")
    justice.set_viewport_size(PHONE)
    fits(justice, PHONE["width"])
    shot(justice, "phone-par-index-sheet")

    clock.moment = w.APPRAISAL_STAGE
    justice.reload()  # after the self-assessment's deadline: read-only, said so
    assert ("Đã hết hạn tự đánh giá (23:59 31/01/2027): phiếu chỉ còn để xem, không sửa được nữa."
            in justice.inner_text(".notice.locked >> nth=0"))
    assert justice.locator("form.par-form").count() == 0
    justice.close()
    appraiser = signed_in(browser, base, "tham.dinh")
    appraiser.goto(f"{base}/par-index/2026/sheets")
    assert appraiser.locator(".badge.ok").count() == 4
    appraiser.click(f"[id='unit-{SNV}'] >> text=Mở phiếu chấm")
    appraiser.fill("#appraised-1-3-1", "0")
    appraiser.fill("#appraisal-note-1-3-1", "Chưa thấy kế hoạch kiểm tra CCHC năm 2026.")
    appraiser.check("#ask-1-3-1")
    appraiser.click("#appraise-1-3-1")
    appraiser.wait_for_selector(".flash-success")
    for sheet, kind, points, reason, survey in ((SNV, "bonus", "1", "Sáng kiến CCHC được công nhận", "27,5"),
                                                (STP, "penalty", "0,5", "Báo cáo quý III trễ hạn", "25"),
                                                (YB, None, None, None, "24"), (VP, None, None, None, "28")):
        appraiser.goto(f"{base}/par-index/2026/sheets/{sheet}")
        if kind:
            appraiser.select_option("#adjust-kind", kind)
            appraiser.fill("#adjust-points", points)
            appraiser.fill("#adjust-reason", reason)
            appraiser.click("#adjust")
            appraiser.wait_for_selector(".flash-success")
        appraiser.fill("#survey-input", survey)
        appraiser.click("#save-survey")
        appraiser.wait_for_selector(".flash-success")
    assert appraiser.inner_text("#survey-points") == "28"

    clock.moment = w.EXPLANATION_STAGE
    home_affairs = signed_in(browser, base, "cchc.snv")
    home_affairs.goto(f"{base}/par-index/2026/sheets/{SNV}")
    assert "Chưa thấy kế hoạch kiểm tra CCHC năm 2026." in home_affairs.inner_text("#item-1-3-1")
    assert home_affairs.locator("textarea[name=explanation]").count() == 1  # only where asked
    home_affairs.fill("#explanation-1-3-1", "Kế hoạch kiểm tra ban hành ngày 15/3/2026, gửi kèm.")
    home_affairs.set_input_files("#files-1-3-1", [file("ke-hoach-kiem-tra.pdf", "Kế hoạch kiểm tra 15/3")])
    home_affairs.click("#explain-1-3-1")
    home_affairs.wait_for_selector(".flash-success")
    home_affairs.close()

    clock.moment = w.SECOND_STAGE
    appraiser.goto(f"{base}/par-index/2026/sheets/{SNV}")
    item = appraiser.inner_text("#item-1-3-1")
    assert "Kế hoạch kiểm tra ban hành ngày 15/3/2026, gửi kèm." in item and "ke-hoach-kiem-tra.pdf" in item
    appraiser.fill("#second-1-3-1", "1")
    appraiser.fill("#second-note-1-3-1", "Kế hoạch có nhưng ban hành muộn.")
    appraiser.click("#reappraise-1-3-1")
    appraiser.wait_for_selector(".flash-success")
    assert appraiser.inner_text("#item-1-3-1 .final") == "1"
    appraiser.click("#item-1-3-1 >> text=Lịch sử thay đổi")
    # self score, evidence; appraised score, note, request; explanation, its file; second score, note
    assert appraiser.locator("table.history tbody tr").count() == 9
    appraiser.set_viewport_size(PHONE)
    fits(appraiser, PHONE["width"])
    appraiser.goto(f"{base}/par-index/2026/sheets/{SNV}")  # the appraiser's forms on a phone
    fits(appraiser, PHONE["width"])
    appraiser.set_viewport_size(DESKTOP)

    clock.moment = w.AFTER_ALL
    appraiser.add_init_script(WATCH)  # nothing on the ranking (its charts are inline SVG) breaks the CSP
    appraiser.goto(f"{base}/par-index/2026/ranking")
    assert blocked(appraiser) == []
    assert ranking(appraiser, "departments") == [
        ("1", SNV, "64,5", "Trung bình", "Đủ điều kiện"), ("2", STP, "45,5", "Yếu", "Không xét thi đua")]
    assert ranking(appraiser, "communes") == [
        ("1", YB, "60", "Trung bình", "Đủ điều kiện"), ("1", VP, "60", "Trung bình", "Không xét thi đua")]
    assert appraiser.inner_text(f"[id='rank-{STP}'] td.low") == "3"  # area 2, under half its maximum
    assert appraiser.inner_text(f"[id='rank-{VP}'] td.low") == "11"
    assert appraiser.locator("figure.chart svg").count() == 2
    fits(appraiser, DESKTOP["width"])
    shot(appraiser, "par-index-ranking")
    appraiser.close()

    for path in ("/par-index/2026/ranking", f"/par-index/2026/sheets/{STP}", f"/par-index/2026/sheets/{STP}/lost-points",
                 "/par-index/2026/sheets", "/par-index/sets/2026/departments", "/par-index/"):
        phone = signed_in(browser, base, "cchc.stp", PHONE)
        phone.goto(base + path)
        fits(phone, PHONE["width"])
        phone.close()
    justice = signed_in(browser, base, "cchc.stp", PHONE)
    justice.goto(f"{base}/par-index/2026/sheets/{STP}/lost-points")
    assert justice.inner_text("#total-lost") == "49"  # 70 points of sub-criteria, 21 taken
    justice.click("#lost-2\\.2\\.1 summary")
    justice.fill("#text-2-2-1", "Rà soát quy trình nội bộ, nhắc hạn hằng ngày")
    justice.fill("#owner-2-2-1", "Văn phòng Sở")
    justice.fill("#due-2-2-1", "2027-06-30")
    justice.click("#act-2-2-1")
    justice.wait_for_selector(".flash-success")
    assert "Rà soát quy trình nội bộ, nhắc hạn hằng ngày" in justice.inner_text("#lost-2\\.2\\.1")
    fits(justice, PHONE["width"])
    shot(justice, "phone-par-index-lost-points")


def ranking(page, group) -> list[tuple]:
    rows = page.locator(f"#ranking-{group} tbody tr")
    return [(rows.nth(i).locator("td.rank").inner_text(), rows.nth(i).get_attribute("id").removeprefix("rank-"),
             rows.nth(i).locator("td.total").inner_text(), rows.nth(i).locator("td.band").inner_text(),
             rows.nth(i).locator("td.emulation").inner_text()) for i in range(rows.count())]
