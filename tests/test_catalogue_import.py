"""An administrator imports a decision's table: a dry run prints every row; the page shows each cell beside what was
read, flagged rows are corrected in place or left out with a reason, then everything is imported or nothing."""
import io
import json
from datetime import date

import sqlalchemy as sa

from onestop.auth.models import AuditLog
from onestop.procedures import services
from onestop.procedures.imports import import_catalogue
from onestop.procedures.models import CatalogueUpload, Procedure, ProcedureVersion
from tests.conftest import csrf_token_from, drop_everything, make_app
from tests.decision_tables import NOTARISATION, TWO_DAYS, table, workbook

PER_PAGE_FEE = ("có 3 mức phí (1.000 đồng, 2.000 đồng, 200.000 đồng): phí theo bậc, theo thời gian hoặc theo trường "
                "hợp")


def count(db, model=Procedure):
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def write(tmp_path, rows, name="phu-luc.csv"):
    filename, content = table(rows, name)
    path = tmp_path / filename
    path.write_bytes(content)
    return str(path)


# ------------------------------------------------------------------ the command line


def test_dry_run_json_prints_one_object_with_every_procedure_row_as_it_would_be_stored(runner, db, tmp_path):
    result = runner.invoke(args=["procedures", "import", write(tmp_path, NOTARISATION), "--dry-run", "--json"])
    assert result.exit_code == 0, result.output
    printed = json.loads(result.stdout)
    assert printed["rows"] == [
        {"row": 8, "sheet": None, "code": "2.000908", "name": "Cấp bản sao từ sổ gốc", "field": "Chứng thực", "level": "shared",
         "time_amount": 0, "time_unit": "same_day", "same_day_cutoff": "15:00", "fee": 0, "status": "in_force",
         "problems": []},
        {"row": 9, "sheet": None, "code": "2.000884", "name": "Chứng thực chữ ký trong các giấy tờ, văn bản", "field": "Chứng thực",
         "level": "shared", "time_amount": 0, "time_unit": "same_day", "same_day_cutoff": "15:00", "fee": 10000,
         "status": "in_force", "problems": []},
        {"row": 11, "sheet": None, "code": "2.001019", "name": "Chứng thực di chúc", "field": "Chứng thực", "level": "commune",
         "time_amount": 2, "time_unit": "working_days", "same_day_cutoff": None, "fee": 50000, "status": "in_force",
         "problems": []},
        {"row": 12, "sheet": None, "code": "2.000942", "name": "Cấp bản sao có chứng thực từ bản chính giao dịch đã được chứng thực",
         "field": "Chứng thực", "level": "commune", "time_amount": 0, "time_unit": "same_day", "same_day_cutoff": "15:00",
         "fee": None, "status": "in_force", "problems": [{"column": "Phí, lệ phí", "message": PER_PAGE_FEE}]},
    ]
    summary = printed["summary"]
    assert summary["decision"] == {"number": "2637/QĐ-UBND", "date": "2025-11-16",
                                   "signer": "Chủ tịch Ủy ban nhân dân tỉnh Vĩnh Long"}
    assert (summary["rows"], summary["clean"], summary["flagged"], summary["create"], summary["applied"]) == (
        4, 3, 1, ["2.000908", "2.000884", "2.001019"], False)
    assert count(db) == 0


def test_without_json_the_same_reading_prints_as_a_table(runner, db, tmp_path):
    result = runner.invoke(args=["procedures", "import", write(tmp_path, NOTARISATION), "--dry-run"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == ("Tệp phu-luc.csv: quyết định 2637/QĐ-UBND ngày 2025-11-16 (Chủ tịch Ủy ban nhân dân tỉnh Vĩnh "
                        "Long); hiệu lực từ 2025-11-16.")
    assert any(line.startswith("    8 2.000908   Cấp bản sao từ sổ gốc") and "trong ngày (trước 1…" in line
               for line in lines)
    assert f"        ↳ cột «Phí, lệ phí»: {PER_PAGE_FEE}" in lines
    assert lines[-1].startswith("Chạy thử: 3 thêm mới, 0 cập nhật, 0 không đổi, 0 bãi bỏ, 1 dòng cần sửa, 0 dòng bỏ ra")


def test_import_is_all_or_nothing_until_each_flagged_row_is_corrected_or_left_out_with_a_reason(runner, db, tmp_path):
    path = write(tmp_path, NOTARISATION)
    refused = runner.invoke(args=["procedures", "import", path])
    assert refused.exit_code == 1 and "Không nhập dòng nào" in refused.output
    assert count(db) == 0
    fixes = tmp_path / "fixes.json"
    fixes.write_text(json.dumps({"12": {"skip": ""}}), encoding="utf-8")
    no_reason = runner.invoke(args=["procedures", "import", path, "--corrections", str(fixes)])
    assert no_reason.exit_code == 1 and "↳ cột «Dòng»: nêu lý do bỏ dòng này" in no_reason.output
    fixes.write_text(json.dumps({"12": {"fee_kind": "unknown"}}), encoding="utf-8")
    done = runner.invoke(args=["procedures", "import", path, "--corrections", str(fixes)])
    assert done.exit_code == 0, done.output
    assert "Đã nhập: 4 thêm mới" in done.output
    copy = services.get_by_code("2.000942").current
    assert (copy.fee_amount, copy.fee_text) == (None, NOTARISATION[11][5])
    stamps = {(v.procedure.code, v.decision_number, v.decision_date, v.decision_signer, v.code_suffix, v.status,
               v.effective_from) for v in db.session.scalars(sa.select(ProcedureVersion))}
    assert stamps == {(code, "2637/QĐ-UBND", date(2025, 11, 16), "Chủ tịch Ủy ban nhân dân tỉnh Vĩnh Long",
                       "000.00.00.H61", "in_force", date(2025, 11, 16))
                      for code in ("2.000908", "2.000884", "2.001019", "2.000942")}
    audit = db.session.scalar(sa.select(AuditLog).filter_by(action="procedures_imported"))
    assert (audit.detail["decision"], audit.detail["created"]) == ("2637/QĐ-UBND", 4)


def test_an_amended_decision_makes_a_new_version_and_the_same_one_again_changes_nothing(db):
    rows = NOTARISATION[:11]
    first = import_catalogue(*table(rows))
    db.session.commit()
    assert first.created == ["2.000908", "2.000884", "2.001019"]
    again = import_catalogue(*table(rows))
    assert (again.created, again.updated, again.unchanged) == ([], [], ["2.000908", "2.000884", "2.001019"])
    amended = [list(row) for row in rows]
    amended[2][0] = "(Kèm theo Quyết định số 2801/QĐ-UBND ngày 10 tháng 12 năm 2025 của Chủ tịch Ủy ban nhân dân tỉnh)"
    amended[10][3] = TWO_DAYS.replace("02 (hai)", "03 (ba)")
    later = import_catalogue(*table(amended))
    db.session.commit()
    assert (later.updated, later.unchanged) == (["2.001019"], ["2.000908", "2.000884"])
    will = services.get_by_code("2.001019")
    assert [(v.number, v.time_amount, v.decision_number, v.effective_from) for v in will.versions] == [
        (1, 2, "2637/QĐ-UBND", date(2025, 11, 16)), (2, 3, "2801/QĐ-UBND", date(2025, 12, 10))]


def test_an_abolished_table_abolishes_the_procedures_the_catalogue_has_and_writes_nothing_for_the_others(db):
    services.create_procedure({"code": "2.002278", "name": "Cấp Giấy chứng nhận doanh nghiệp khoa học và công nghệ",
                               "field": "Hoạt động khoa học và công nghệ", "time_amount": 15,
                               "time_unit": "calendar_days", "fee": 0})
    db.session.commit()
    plan = import_catalogue(*table([
        ["(Kèm theo Quyết định số 1805/QĐ-UBND ngày 18 tháng 11 năm 2025 của Chủ tịch Ủy ban nhân dân tỉnh Phú Thọ)"],
        ["II. THỦ TỤC HÀNH CHÍNH BỊ BÃI BỎ (06 THỦ TỤC)"],
        ["STT", "Số hồ sơ TTHC", "Tên Thủ tục hành chính", "Tên VBQPPL quy định việc bãi bỏ thủ tục hành chính",
         "Lĩnh vực", "Cơ quan thực hiện"],
        ["1", "2.002278", "Thủ tục cấp Giấy chứng nhận doanh nghiệp khoa học và công nghệ",
         "- Luật Khoa học, công nghệ và đổi mới sáng tạo năm 2025;", "Hoạt động khoa học và công nghệ", "UBND tỉnh"],
        ["3", "2.002709", "Thủ tục xác định nhiệm vụ KH&CN cấp tỉnh sử dụng ngân sách nhà nước",
         "- Nghị định số 267/2025/NĐ-CP.", "Hoạt động khoa học và công nghệ", "UBND tỉnh"],
    ]))
    db.session.commit()
    assert (plan.summary()["abolish"], plan.summary()["not_in_catalogue"]) == (["2.002278"], ["2.002709"])
    procedure = services.get_by_code("2.002278")
    assert (procedure.status, procedure.current.status, procedure.current.effective_from,
            procedure.current.decision_number, procedure.current.time_amount) == (
        "abolished", "abolished", date(2025, 11, 18), "1805/QĐ-UBND", 15)
    assert services.get_by_code("2.002709") is None


# ------------------------------------------------------------------ the upload and review pages


def upload(client, rows, name="phu-luc.xlsx", **fields):
    filename, content = table(rows, name)
    return client.post("/staff/procedures/import", data={"file": (io.BytesIO(content), filename), "level": "province",
                                                         **fields}, content_type="multipart/form-data")


def review_form(**extra):
    return {"decision_number": "2637/QĐ-UBND", "decision_date": "2025-11-16", "level": "province", "agency_code": "",
            "action": "import", **extra}


def test_the_review_page_shows_every_row_with_its_cell_beside_what_was_read(client, auth, world):
    auth.login("admin")
    response = upload(client, NOTARISATION)
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert page.count('<tr id="dong-') == 4
    assert '<tr id="dong-8" class="clean">' in page and '<tr id="dong-12" class="flagged">' in page
    assert "Thời hạn thực hiện yêu cầu chứng thực là ngay trong ngày cơ quan" in page  # the cell as published
    assert "→ Trong ngày, nhận sau 15:00 thì ngày làm việc tiếp theo" in page  # beside what was read
    assert f"Cột «Phí, lệ phí»: {PER_PAGE_FEE}" in page
    assert 'name="fix-12-fee_kind"' in page and 'name="fix-8-fee_kind"' not in page
    assert 'value="2637/QĐ-UBND"' in page  # the decision as the title says


def test_flagged_rows_are_corrected_in_place_or_left_out_with_a_reason_then_all_is_imported(client, auth, world, db):
    auth.login("admin")
    review = upload(client, NOTARISATION).headers["Location"]
    refused = client.post(review, data=review_form())
    assert refused.status_code == 400 and count(db) == 0
    no_reason = client.post(review, data=review_form(**{"skip-12": "1", "skip-12-reason": ""}))
    assert no_reason.status_code == 400 and "nêu lý do bỏ dòng này" in no_reason.get_data(as_text=True)
    assert count(db) == 0
    bad_fix = client.post(review, data=review_form(**{"fix-12-fee_kind": "amount", "fix-12-fee": "hai nghìn"}))
    assert bad_fix.status_code == 400 and "nhập mức phí bằng số (đồng)" in bad_fix.get_data(as_text=True)
    done = client.post(review, data=review_form(**{"skip-12": "1", "skip-12-reason": "Phí tính theo trang: chờ Sở Tư pháp"}))
    assert done.status_code == 302
    assert sorted(db.session.scalars(sa.select(Procedure.code))) == ["2.000884", "2.000908", "2.001019"]
    saved = db.session.scalar(sa.select(CatalogueUpload))
    assert saved.summary["left_out"] == [{"row": 12, "sheet": "Sheet", "code": "2.000942", "reason": "Phí tính theo trang: chờ Sở Tư pháp"}]
    assert client.post(review, data=review_form()).status_code == 409  # once only
    result = client.get(review).get_data(as_text=True)
    assert "Thêm mới (3)" in result and "Dòng 12 (2.000942) bỏ ra: Phí tính theo trang: chờ Sở Tư pháp" in result
    fixed = upload(client, NOTARISATION).headers["Location"]
    assert client.post(fixed, data=review_form(**{"fix-12-fee_kind": "amount", "fix-12-fee": "2.000"})).status_code == 302
    assert services.get_by_code("2.000942").current.fee_amount == 2000
    assert "Dòng 12 (2.000942) sửa tay: Phí, lệ phí" in client.get(fixed).get_data(as_text=True)


def test_a_file_without_a_header_or_of_another_kind_is_refused_with_its_reason(client, auth, world, db):
    auth.login("admin")
    no_header = upload(client, [["STT", "Mã TTHC", "Nội dung"], ["1", "1.001193", "Đăng ký khai sinh"]])
    assert no_header.status_code == 400
    assert "thiếu cột «Tên thủ tục hành chính»" in no_header.get_data(as_text=True)
    text = client.post("/staff/procedures/import", data={"file": (io.BytesIO(b"x"), "bang.txt"), "level": "province"},
                       content_type="multipart/form-data")
    assert text.status_code == 400 and "Tệp phải là .csv, .xlsx hoặc .json." in text.get_data(as_text=True)
    assert count(db, CatalogueUpload) == 0


def test_a_clerk_may_not_upload(client, auth, world):
    auth.login("clerk")
    assert client.get("/staff/procedures/import").status_code == 403
    assert upload(client, NOTARISATION).status_code == 403


def test_every_post_needs_its_csrf_token(tmp_path):
    app = make_app(tmp_path, WTF_CSRF_ENABLED=True)
    with app.app_context():
        from onestop import demo
        from onestop.extensions import db

        demo.load_users(demo.load_agencies())
        db.session.commit()
    client = app.test_client()  # outside the app context: each request has its own, as in production
    token = csrf_token_from(client.get("/login").get_data(as_text=True))
    client.post("/login", data={"username": "admin", "password": "demo", "csrf_token": token})
    page = client.get("/staff/procedures/import").get_data(as_text=True)
    filename, content = table(NOTARISATION)
    assert upload(client, NOTARISATION, name="phu-luc.csv").status_code == 400  # no token
    review = client.post("/staff/procedures/import", data={
        "file": (io.BytesIO(content), filename), "level": "province", "csrf_token": csrf_token_from(page)},
        content_type="multipart/form-data").headers["Location"]
    form = client.get(review).get_data(as_text=True)
    assert client.post(review, data=review_form(**{"skip-12": "1", "skip-12-reason": "chờ"})).status_code == 400
    accepted = client.post(review, data=review_form(**{"skip-12": "1", "skip-12-reason": "chờ",
                                                       "csrf_token": csrf_token_from(form)}))
    assert accepted.status_code == 302
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Procedure)) == 3
        drop_everything()


def test_a_later_decision_that_publishes_an_abolished_procedure_again_brings_it_back_into_force(db):
    services.create_procedure({"code": "2.002278", "name": "Cấp Giấy chứng nhận doanh nghiệp khoa học và công nghệ",
                               "field": "Hoạt động khoa học và công nghệ", "time_amount": 15,
                               "time_unit": "calendar_days", "fee": 0})
    db.session.commit()
    title = ["(Kèm theo Quyết định số {}/QĐ-UBND ngày {} tháng 11 năm 2025 của Chủ tịch Ủy ban nhân dân tỉnh)"]
    header = ["STT", "Mã TTHC", "Tên thủ tục hành chính", "Thời hạn giải quyết", "Phí, lệ phí"]
    row = ["1", "2.002278", "Cấp Giấy chứng nhận doanh nghiệp khoa học và công nghệ", "10 ngày làm việc", "Không"]
    import_catalogue(*table([[title[0].format(100, 3)], ["THỦ TỤC HÀNH CHÍNH BỊ BÃI BỎ"], header, row]))
    db.session.commit()
    assert services.get_by_code("2.002278").status == "abolished"
    plan = import_catalogue(*table([[title[0].format(200, 20)], ["THỦ TỤC HÀNH CHÍNH BAN HÀNH MỚI"], header, row]))
    db.session.commit()
    procedure = services.get_by_code("2.002278")
    assert plan.updated == ["2.002278"]
    assert [(v.number, v.status, v.effective_from, v.time_amount) for v in procedure.versions] == [
        (1, "in_force", None, 15), (2, "abolished", date(2025, 11, 3), 15), (3, "in_force", date(2025, 11, 20), 10)]
    assert (procedure.status, procedure.current.number) == ("in_force", 3)


# ------------------------------------------------------------------ every sheet of a workbook (written for these tests)

SHEETS = {
    "Phụ lục I": [
        ["(Kèm theo Quyết định số 47/QĐ-UBND ngày 05 tháng 3 năm 2026 của Chủ tịch Ủy ban nhân dân tỉnh)"],
        ["STT", "Mã TTHC", "Tên thủ tục hành chính", "Thời hạn giải quyết", "Phí, lệ phí"],
        ["LĨNH VỰC: THỬ NGHIỆM"],
        ["1", "1.000401", "Cấp giấy phép thử nghiệm A", "05 ngày làm việc", "Không"],
        ["2", "1.000402", "Cấp giấy phép thử nghiệm B", "10 ngày làm việc", "20.000 đồng/hồ sơ"],
    ],
    "Ghi chú": [["Các phụ lục dưới đây thay thế danh mục ban hành năm 2024."]],
    "Phụ lục II": [  # its own header, columns in another order, units in the headings
        ["DANH MỤC THỦ TỤC HÀNH CHÍNH SỬA ĐỔI TRONG LĨNH VỰC THỬ NGHIỆM"],
        ["Tên thủ tục hành chính", "Mã TTHC", "STT", "Phí, lệ phí (đồng)", "Thời hạn giải quyết (ngày làm việc)"],
        ["Cấp giấy phép thử nghiệm C", "1.000403", "1", "15000", "03 ngày"],
        ["Cấp giấy phép thử nghiệm B", "1.000402", "2", "Không", "7"],
        ["Cấp giấy phép thử nghiệm D", "1.000404", "3", "2.000 đồng/trang", "02 ngày"],
    ],
}


def test_every_sheet_is_read_under_its_own_header_and_each_row_says_its_sheet(runner, db, tmp_path):
    filename, content = workbook(SHEETS)
    (tmp_path / filename).write_bytes(content)
    result = runner.invoke(args=["procedures", "import", str(tmp_path / filename), "--dry-run", "--json"])
    printed = json.loads(result.stdout)
    assert [(row["sheet"], row["row"], row["code"], row["time_amount"], row["time_unit"], row["fee"])
            for row in printed["rows"]] == [
        ("Phụ lục I", 4, "1.000401", 5, "working_days", 0),
        ("Phụ lục I", 5, "1.000402", 10, "working_days", 20000),
        ("Phụ lục II", 3, "1.000403", 3, "working_days", 15000),
        ("Phụ lục II", 4, "1.000402", 7, "working_days", 0),
        ("Phụ lục II", 5, "1.000404", 2, "working_days", None),
    ]
    assert [row["field"] for row in printed["rows"]] == ["Thử nghiệm"] * 5
    assert [(row["sheet"], row["row"], row["problems"]) for row in printed["rows"] if row["problems"]] == [
        ("Phụ lục I", 5, [{"column": "Mã TTHC", "message": "mã 1.000402 có ở các dòng 5, «Phụ lục II» 4"}]),
        ("Phụ lục II", 4, [{"column": "Mã TTHC", "message": "mã 1.000402 có ở các dòng 5, «Phụ lục II» 4"}]),
        ("Phụ lục II", 5, [{"column": "Phí, lệ phí (đồng)",
                            "message": "phí tính theo trang hoặc theo bản: không có một mức cho hồ sơ"}]),
    ]
    summary = printed["summary"]
    assert summary["notes"] == ["Trang tính «Ghi chú» không có bảng thủ tục (không thấy dòng tiêu đề): bỏ qua."]
    assert (summary["decision"]["number"], summary["header_row"], summary["rows"]) == ("47/QĐ-UBND", 2, 5)
    # a correction names a row of a later sheet by the sheet's name (or its number: 3.5)
    fixes = tmp_path / "fixes.json"
    fixes.write_text(json.dumps({"5": {"skip": "Bảng sửa đổi thay dòng này"},
                                 "Phụ lục II!5": {"fee_kind": "amount", "fee": "2000"}}), encoding="utf-8")
    result = runner.invoke(args=["procedures", "import", str(tmp_path / filename), "--json", "--corrections",
                                 str(fixes)])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)["summary"]
    assert summary["left_out"] == [{"row": 5, "sheet": "Phụ lục I", "code": "1.000402",
                                    "reason": "Bảng sửa đổi thay dòng này"}]
    assert summary["corrected"] == [{"row": 5, "sheet": "Phụ lục II", "code": "1.000404", "values": ["fee"]}]
    assert summary["create"] == ["1.000401", "1.000403", "1.000402", "1.000404"]
    assert services.get_by_code("1.000404").current.fee_amount == 2000


def test_a_sheet_with_procedure_codes_but_no_header_it_can_read_stops_the_import(db):
    sheets = {"Phụ lục I": SHEETS["Phụ lục I"],
              "Phụ lục II": [["Số", "Mã", "Nội dung"], ["1", "1.000405", "Cấp giấy phép thử nghiệm E"]]}
    plan = import_catalogue(*workbook(sheets))
    assert plan.problems == [
        "Trang tính «Phụ lục II» có mã thủ tục nhưng không đọc được: Không tìm thấy dòng tiêu đề trong 30 dòng đầu: "
        "thiếu cột «Tên thủ tục hành chính» (tìm «Tên thủ tục hành chính», «Tên TTHC», «Thủ tục hành chính»); cột "
        "«Thời hạn giải quyết» (tìm «Thời hạn giải quyết», «Thời gian giải quyết»). Dòng gần nhất là dòng 1: "
        "«Số | Mã | Nội dung»."]
    assert not plan.ok and count(db) == 0


def test_the_review_page_shows_each_rows_sheet_and_corrects_a_row_of_a_later_sheet(client, auth, world, db):
    auth.login("admin")
    filename, content = workbook(SHEETS)
    response = client.post("/staff/procedures/import", data={"file": (io.BytesIO(content), filename),
                                                              "level": "province"}, content_type="multipart/form-data")
    review = response.headers["Location"]
    page = client.get(review).get_data(as_text=True)
    assert page.count("trang «Phụ lục I»") == 2 and page.count("trang «Phụ lục II»") == 3
    assert '<tr id="dong-3.5" class="flagged">' in page and 'name="fix-3.5-fee_kind"' in page
    assert "Trang tính «Ghi chú» không có bảng thủ tục" in page
    form = {"decision_number": "47/QĐ-UBND", "decision_date": "2026-03-05", "level": "province", "agency_code": "",
            "action": "import", "skip-5": "1", "skip-5-reason": "Bảng sửa đổi thay dòng này", "skip-3.5": "1",
            "skip-3.5-reason": "Phí theo trang: hỏi Sở"}
    assert client.post(review, data=form).status_code == 302
    assert sorted(db.session.scalars(sa.select(Procedure.code))) == ["1.000401", "1.000402", "1.000403"]
    assert services.get_by_code("1.000402").current.time_amount == 7
    done = client.get(review).get_data(as_text=True)
    assert "Trang «Phụ lục II», Dòng 5 (1.000404) bỏ ra: Phí theo trang: hỏi Sở" in done


# ------------------------------------------------------------------ the desk sees the longer time

def test_the_desk_shows_the_longer_time_when_it_receives_an_application_of_that_procedure(client, auth, world, db):
    from tests.test_decision_tables import CONDITIONS, SAME_DAY_BULKY

    plan = import_catalogue(*table(CONDITIONS[:4]), options={"field": "Chứng thực"})
    assert plan.applied
    db.session.commit()
    note = ("Trường hợp yêu cầu nhiều bản sao, giấy tờ nhiều trang mà không đáp ứng được thời hạn trên thì được kéo "
            "dài thêm không quá 02 ngày làm việc.")
    assert note in SAME_DAY_BULKY
    auth.login("clerk")
    page = client.get("/desk?procedure=2.000301").get_data(as_text=True)
    assert f'<p id="time-note" class="time-note">Lưu ý thời hạn: {note}</p>' in page
    assert client.get("/desk/preview?procedure=2.000301").get_json()["time_note"] == note
    assert client.get("/desk/preview?procedure=2.000302").get_json()["time_note"] == (
        "Có thể kéo dài theo thỏa thuận với người yêu cầu.")
    assert 'id="time-note"' not in client.get("/desk?procedure=1.001193").get_data(as_text=True)


def test_the_terminal_table_numbers_a_later_sheets_rows_by_the_sheet_and_says_which_sheet_that_is(runner, tmp_path):
    filename, content = workbook(SHEETS)
    (tmp_path / filename).write_bytes(content)
    lines = runner.invoke(args=["procedures", "import", str(tmp_path / filename), "--dry-run"]).stdout.splitlines()
    assert [line[:15] for line in lines if line[:5].strip() in ("4", "5", "3.3", "3.4", "3.5")] == [
        "    4 1.000401 ", "    5 1.000402 ", "  3.3 1.000403 ", "  3.4 1.000402 ", "  3.5 1.000404 "]
    assert "Dòng 3.…: trang tính «Phụ lục II»" in lines
