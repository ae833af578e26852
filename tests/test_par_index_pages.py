"""The PAR INDEX pages (issue 20 items 1-9): the province's admin imports the criteria set from its Excel table and
opens the round; a department's reform officer scores itself with evidence and submits; the appraiser (Sở Nội vụ)
appraises, asks for an explanation, appraises again; the ranking, the lost points with their actions, and the
prints. Nothing is changed after a deadline or by someone else's unit, and a refused change leaves the sheet as it
was. The clock is set per step (tests/par_index_world.py holds the round's calendar)."""
import io
import re

import pytest
from openpyxl import load_workbook

from onestop.par_index import rounds, sheets
from onestop.par_index.models import ParAnswer, ParHistory, ParSheet
from onestop.timeutil import frozen_at

from . import par_index_samples as samples
from . import par_index_world as w
from .paper_samples import pdf
from .test_pdf_forms import pdf_text

STP, SNV, YB, VP = (w.UNITS[tag][0] for tag in ("stp", "snv", "yb", "vp"))
SHEET = "/par-index/2026/sheets/{code}"
MEASURED = {"2.2.1", "2.2.2", "2.3.1", "4.1.1", "4.1.2"}


@pytest.fixture
def province(app):
    return w.build()


def signed_in(app, username):
    client = app.test_client()
    assert client.post("/login", data={"username": username, "password": "demo"}).status_code == 302
    return client


def upload(client, content, name="phu-luc-2026.xlsx", group="departments", year="2026"):
    return client.post("/par-index/sets/import", data={
        "year": year, "group": group, "title": "", "survey_weight": "30", "file": (io.BytesIO(content), name)},
        content_type="multipart/form-data")


def open_round(app):
    """The admin imports both groups' sets and opens the 2026 round through the pages (5 January 2027)."""
    admin = signed_in(app, "admin")
    with frozen_at(w.OPENING):
        for group in ("departments", "communes"):
            assert upload(admin, samples.criteria_workbook(), group=group).status_code == 302
        response = admin.post("/par-index/rounds/new", data={"year": "2026", "survey_source": "entered",
                                                             **w.DEADLINES})
    assert response.status_code == 302, response.get_data(as_text=True)
    return admin


def page(response) -> str:
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


def score_all(agency_code, username, below=None, evidence=True):
    """A unit scores every sub-criterion it scores itself (at its maximum unless `below` says), with a file each
    (through the services, as the pages do), and submits."""
    from onestop.auth.models import Agency, User
    from onestop.extensions import db

    agency = db.session.scalar(db.select(Agency).filter_by(code=agency_code))
    user = db.session.scalar(db.select(User).filter_by(username=username))
    par_round = rounds.get_round(2026)
    maxima = samples.maxima()
    for number in samples.leaves():
        if number in MEASURED:
            continue
        score = (below or {}).get(number, maxima[number])
        sheets.update_answer(par_round, agency, number, {"self_score": score}, user)
        if evidence and score and number != "2.1.1":
            sheets.add_evidence(par_round, agency, number, f"kc-{number}.pdf", pdf(text=number), user)
    sheets.submit(par_round, agency, user)
    db.session.commit()


def test_the_admin_imports_a_set_with_errors_by_row_then_the_set_edits_it_and_opens_the_round(app, province):
    admin = signed_in(app, "admin")
    with frozen_at(w.OPENING):
        spec = [row if row[0] != "1.1.2" else ("1.1.2", row[1], "hai", *row[3:]) for row in samples.SPEC]
        bad = upload(admin, samples.criteria_workbook(spec, extra_rows=[("1.x", "Dòng sai", 1)]))
        assert bad.status_code == 400
        text = page(bad)
        assert "Bảng tiêu chí có" in text and "chưa có gì được lưu" in text
        assert ('<ul class="problems"><li>Dòng 9: «Điểm tối đa» phải là số điểm (ví dụ 2 hoặc 0,5).</li>'
                "<li>Dòng 53: số thứ tự «1.x» không hợp lệ (dạng 1, 1.1, 1.1.1).</li></ul>") in text
        assert admin.get("/par-index/sets/2026/departments").status_code == 404  # nothing stored

        good = upload(admin, samples.criteria_workbook())
        assert good.status_code == 302 and good.headers["Location"] == "/par-index/sets/2026/departments"
        tree = page(admin.get("/par-index/sets/2026/departments"))
        assert '<b id="total-max">100</b>' in tree and "<b>4 · 11 · 31</b>" in tree
        assert "Tỷ lệ hồ sơ giải quyết đúng hạn" in tree
        edited = admin.post("/par-index/sets/2026/departments/items/1.1.1", data={
            "title": "Ban hành kế hoạch CCHC năm 2026 đúng thời hạn", "scoring": "Đúng hạn: 1", "evidence":
            "Kế hoạch CCHC năm", "evidence_required": "1", "answer_kind": "yes_no", "indicator": "", "scale": ""})
        assert edited.status_code == 302
        assert "Ban hành kế hoạch CCHC năm 2026 đúng thời hạn" in page(admin.get("/par-index/sets/2026/departments"))
        bound = admin.post("/par-index/sets/2026/departments/items/1.1.2", data={
            "title": "Mức độ hoàn thành kế hoạch CCHC", "answer_kind": "percent", "indicator": "on_time_rate",
            "scale": ""})
        assert bound.status_code == 400 and "Tiêu chí đo tự động cần thang điểm." in page(bound)

        assert upload(admin, samples.criteria_workbook(), group="communes").status_code == 302
        out_of_order = admin.post("/par-index/rounds/new", data={
            "year": "2026", "survey_source": "entered", **w.DEADLINES, "appraisal_until": "2027-01-20"})
        assert out_of_order.status_code == 400 and "Các mốc phải theo thứ tự" in page(out_of_order)
        opened = admin.post("/par-index/rounds/new", data={"year": "2026", "survey_source": "entered",
                                                           **w.DEADLINES})
        assert opened.status_code == 302 and opened.headers["Location"] == "/par-index/2026/sheets"
        frozen = page(admin.get("/par-index/sets/2026/departments"))
        assert "Bộ tiêu chí đã khóa" in frozen and "/items/1.1.1" not in frozen  # no edit form any more
        refused = admin.post("/par-index/sets/2026/departments/items/1.1.1", data={"title": "Khác"})
        assert refused.status_code == 409 and "đã khóa" in page(refused)
        listing = page(admin.get("/par-index/2026/sheets"))
    assert listing.count("Chưa nộp") == 4 and "Sở Tư pháp tỉnh Lào Cai" in listing


def test_a_unit_scores_itself_with_evidence_submits_and_is_read_only_after(app, province):
    open_round(app)
    officer = signed_in(app, "cchc.stp")
    with frozen_at(w.SELF_STAGE):
        sheet = page(officer.get(SHEET.format(code=STP)))
        assert 'id="measured-2-2-1"' in sheet and "Tỷ lệ hồ sơ giải quyết đúng hạn" in sheet
        # the official year 2026 of Decree 09/2019 (15/12/2025 to 14/12/2026), as the annual CCHC report counts it
        assert ('href="/inbox?handled_by=000.00.04.H38&amp;resolved_from=2025-12-15&amp;resolved_to=2026-12-14"'
                in sheet)
        saved = officer.post(SHEET.format(code=STP) + "/items/1.1.1/self", data={
            "declared": "yes", "self_score": "1", "note": "Kế hoạch số 12/KH-STP",
            "files": [(io.BytesIO(pdf(text="Kế hoạch")), "ke-hoach.pdf"), (io.BytesIO(pdf(text="Công văn")),
                                                                            "cong-van.pdf")]},
            content_type="multipart/form-data")
        assert saved.status_code == 302 and saved.headers["Location"].endswith("#item-1-1-1")
        officer.post(SHEET.format(code=STP) + "/items/1.1.2/self", data={"declared": "100", "self_score": "1"})
        refused = officer.post(SHEET.format(code=STP) + "/submit")
        assert refused.status_code == 400
        assert "Chưa nộp được: thiếu tài liệu kiểm chứng ở 1.1.2." in page(refused)
        too_high = officer.post(SHEET.format(code=STP) + "/items/1.1.2/self", data={"self_score": "1,5"})
        assert too_high.status_code == 400 and "tối đa 1.0 điểm" in page(too_high)
        measured = officer.post(SHEET.format(code=STP) + "/items/2.2.1/self", data={"note": "Số liệu khớp."})
        assert measured.status_code == 302
        sheet = page(officer.get(SHEET.format(code=STP)))
        assert "ke-hoach.pdf" in sheet and "cong-van.pdf" in sheet and "Số liệu khớp." in sheet
        officer.get("/lang/en?next=/")
        english = page(officer.get(SHEET.format(code=STP)))
        assert "PAR INDEX score sheet 2026" in english and "Measured by the system" in english
        assert "Phiếu chấm" not in english
        officer.get("/lang/vi?next=/")
        other = officer.get(SHEET.format(code=YB))
        assert other.status_code == 404  # another unit's sheet is not there for it
        assert officer.post(SHEET.format(code=YB) + "/items/1.1.1/self", data={"self_score": "1"}).status_code == 404
    with frozen_at(w.APPRAISAL_STAGE):  # after the self-assessment's deadline: read-only, said so
        late = officer.get(SHEET.format(code=STP))
        text = page(late)
        assert "Đã hết hạn tự đánh giá (23:59 31/01/2027): phiếu chỉ còn để xem, không sửa được nữa." in text
        assert "/items/1.1.1/self" not in text and 'id="submit"' not in text
        before = answers_of(STP)
        refused = officer.post(SHEET.format(code=STP) + "/items/1.1.1/self", data={"self_score": "0"})
        assert refused.status_code == 409 and "Đã quá hạn tự đánh giá (23:59 31/01/2027)" in page(refused)
        assert answers_of(STP) == before


def answers_of(code):
    from onestop.auth.models import Agency
    from onestop.extensions import db

    db.session.expire_all()
    return sorted(db.session.execute(db.select(ParAnswer.item_id, ParAnswer.self_cp, ParAnswer.appraised_cp,
                                               ParAnswer.explanation, ParAnswer.second_cp).join(ParSheet).join(
        Agency, Agency.id == ParSheet.agency_id).where(Agency.code == code)).all())


def test_the_appraiser_appraises_asks_the_unit_explains_and_the_appraiser_appraises_again(app, province):
    open_round(app)
    with frozen_at(w.SELF_STAGE):
        score_all(SNV, "cchc.snv")
    appraiser = signed_in(app, "tham.dinh")
    officer = signed_in(app, "cchc.snv")
    with frozen_at(w.APPRAISAL_STAGE):
        listing = page(appraiser.get("/par-index/2026/sheets"))
        assert listing.count("Chưa nộp") == 3 and listing.count(">Đã nộp<") == 1
        asked = appraiser.post(SHEET.format(code=SNV) + "/items/1.3.1/appraisal", data={
            "appraised_score": "0", "appraisal_note": "Chưa có kế hoạch kiểm tra.", "explanation_requested": "1"})
        assert asked.status_code == 302
        assert appraiser.post(SHEET.format(code=SNV) + "/adjustments", data={
            "kind": "bonus", "points": "1", "reason": "Sáng kiến CCHC được công nhận"}).status_code == 302
        assert appraiser.post(SHEET.format(code=SNV) + "/survey", data={"points": "27,5"}).status_code == 302
        not_the_unit = officer.post(SHEET.format(code=SNV) + "/items/1.3.1/appraisal", data={"appraised_score": "2"})
        assert not_the_unit.status_code == 403 and "không có quyền" in page(not_the_unit)
    with frozen_at(w.EXPLANATION_STAGE):
        sheet = page(officer.get(SHEET.format(code=SNV)))
        assert "Chưa có kế hoạch kiểm tra." in sheet and 'id="explain-1-3-1"' in sheet
        assert 'id="explain-1-1-1"' not in sheet  # only where asked
        explained = officer.post(SHEET.format(code=SNV) + "/items/1.3.1/explanation", data={
            "explanation": "Kế hoạch kiểm tra ban hành ngày 15/3/2026, gửi kèm.",
            "files": [(io.BytesIO(pdf(text="Kế hoạch 15/3")), "ke-hoach-kiem-tra.pdf")]},
            content_type="multipart/form-data")
        assert explained.status_code == 302
        assert "Chờ giải trình" not in page(appraiser.get("/par-index/2026/sheets"))
    with frozen_at(w.SECOND_STAGE):
        sheet = page(appraiser.get(SHEET.format(code=SNV)))
        assert "Kế hoạch kiểm tra ban hành ngày 15/3/2026, gửi kèm." in sheet and "bổ sung khi giải trình" in sheet
        again = appraiser.post(SHEET.format(code=SNV) + "/items/1.3.1/second", data={
            "second_score": "1", "second_note": "Kế hoạch có nhưng ban hành muộn."})
        assert again.status_code == 302
        sheet = page(appraiser.get(SHEET.format(code=SNV)))
        # 52 of 52 by itself, 1.3.1 from 2 to 1, measured 18, bonus 1, survey 27.5
        assert '<b id="total">97,5</b>' in sheet and '<b id="band">Xuất sắc</b>' in sheet
        history = page(appraiser.get(SHEET.format(code=SNV) + "/history?item=1.3.1"))
        assert history.count("<tr>") == 1 + 9  # the header and nine changes of 1.3.1
        assert "Kế hoạch có nhưng ban hành muộn." in history
        assert ('<td data-label="Nội dung">Đề nghị giải trình</td> <td data-label="Trước" class="old">Không</td> '
                '<td data-label="Sau" class="new">Có</td>') in history
        assert ('<td data-label="Nội dung">Điểm thẩm định lại</td> <td data-label="Trước" class="old">–</td> '
                '<td data-label="Sau" class="new">1</td>') in history
    with frozen_at(w.AFTER_ALL):
        closed = page(appraiser.get(SHEET.format(code=SNV)))
        assert "Đã hết hạn thẩm định lại (23:59 10/03/2027): kết quả đã chốt." in closed
        assert "/items/1.3.1/second" not in closed
        before = answers_of(SNV)
        assert (None, 100) in [(row[3] and None, row[4]) for row in before]
        refused = appraiser.post(SHEET.format(code=SNV) + "/items/1.3.1/second", data={"second_score": "2"})
        assert refused.status_code == 409 and answers_of(SNV) == before


def test_the_ranking_lost_points_and_their_prints(app, province):
    open_round(app)
    with frozen_at(w.SELF_STAGE):
        score_all(SNV, "cchc.snv")
        score_all(STP, "cchc.stp", below={"3.1.1": 0, "3.1.2": 0, "3.1.3": 1, "3.2.1": 2, "3.2.2": 0, "3.2.3": 1.5})
        score_all(YB, "cchc.yb", below={"2.1.2": 1})
    officer = signed_in(app, "cchc.stp")
    with frozen_at(w.AFTER_ALL):
        ranking = page(officer.get("/par-index/2026/ranking"))
        departments = ranking.split('id="ranking-departments"')[1].split('id="ranking-communes"')[0]
        assert re.findall(r'id="rank-([\d.A-Z]+)"', departments) == [SNV, STP]
        stp_row = departments.split(f'id="rank-{STP}"')[1].split("</tr>")[0]
        assert '<td data-label="LV 3" class="area low">4,5</td>' in stp_row and "Không xét thi đua" in stp_row
        assert "<svg" in departments
        lost = officer.get(SHEET.format(code=STP) + "/lost-points")
        text = page(lost)
        assert '<span id="total-lost">5,5</span>' in text and 'id="lost-3.1.1"' in text
        added = officer.post(SHEET.format(code=STP) + "/actions", data={
            "number": "3.1.1", "text": "Ban hành quy chế làm việc mới", "owner": "Văn phòng Sở",
            "due_on": "2027-06-30"})
        assert added.status_code == 302
        no_owner = officer.post(SHEET.format(code=STP) + "/actions", data={"number": "3.1.2", "text": "Sắp xếp",
                                                                           "owner": "", "due_on": "2027-06-30"})
        assert no_owner.status_code == 400
        assert ("<b>Ban hành quy chế làm việc mới</b> · Văn phòng Sở · hạn 30/06/2027"
                in page(officer.get(SHEET.format(code=STP) + "/lost-points")))
        printed = officer.get(SHEET.format(code=STP) + "/lost-points.pdf")
        assert printed.mimetype == "application/pdf"
        assert "Ban hành quy chế làm việc mới (Văn phòng Sở, hạn 30/06/2027): đang thực hiện" in pdf_text(
            printed.data)
        sheet_pdf = pdf_text(officer.get(SHEET.format(code=STP) + "/sheet.pdf").data)
        assert "Tự đánh giá, chấm điểm Chỉ số cải cách hành chính năm 2026" in sheet_pdf
        assert "TỔNG ĐIỂM 100 64,5 64,5" in sheet_pdf  # no survey entered: the self-scores stand
        ranking_pdf = pdf_text(officer.get("/par-index/2026/ranking.pdf").data)
        assert "KẾT QUẢ XẾP HẠNG" in ranking_pdf and "Không xét" in ranking_pdf
        workbook = load_workbook(io.BytesIO(officer.get("/par-index/2026/ranking.xlsx").data))
    sheet = workbook["1. So, ban, nganh"]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=5, max_row=6)]
    assert rows == [[1, SNV, "Sở Nội vụ tỉnh Lào Cai", 10.0, 20.0, 10.0, 30.0, None, 70.0, "Khá", "Có"],
                    [2, STP, "Sở Tư pháp tỉnh Lào Cai", 10.0, 20.0, 4.5, 30.0, None, 64.5, "Trung bình", "Không"]]
    assert not any(isinstance(cell.value, str) and cell.value.startswith("=") for row in sheet.iter_rows()
                   for cell in row)


def test_every_sheet_form_needs_its_csrf_token(tmp_path):
    from .conftest import make_app

    app = make_app(tmp_path, WTF_CSRF_ENABLED=True)
    with app.app_context():
        w.build()
        client = app.test_client()
        login = client.get("/login").get_data(as_text=True)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', login).group(1)
        client.post("/login", data={"username": "cchc.stp", "password": "demo", "csrf_token": token})
        response = client.post("/par-index/2026/sheets/000.00.04.H38/items/1.1.1/self", data={"self_score": "1"})
        assert response.status_code == 400
        assert ParHistory.query.count() == 0
