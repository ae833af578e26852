"""The catalogue: search with or without diacritics, versions, import/export round trips, decision tables."""
import csv
import io
import json
from datetime import date

import pytest
import sqlalchemy as sa
from openpyxl import Workbook

from onestop.procedures import services, transfer
from onestop.procedures.demo import load_catalogue
from onestop.procedures.models import Procedure, ProcedureVersion


@pytest.fixture
def catalogue(world, db):
    load_catalogue(world.agencies)
    db.session.commit()
    return world


def names(query, db):
    return [version.name for version in db.session.scalars(query)]


@pytest.mark.parametrize("typed", ["dang ky khai sinh", "ĐĂNG KÝ KHAI SINH", "khai sinh", "1.001193"])
def test_search_finds_birth_registration_however_typed(catalogue, db, typed):
    assert "Đăng ký khai sinh" in names(services.search(q=typed), db)


def test_search_without_diacritics_finds_exactly_the_three_birth_procedures(catalogue, db):
    assert sorted(names(services.search(q="khai sinh"), db)) == [
        "Đăng ký khai sinh", "Đăng ký khai sinh có yếu tố nước ngoài", "Đăng ký lại khai sinh"]


def test_demo_catalogue_is_realistic(catalogue, db):
    versions = db.session.scalars(sa.select(ProcedureVersion)).all()
    assert len(versions) >= 40
    assert {v.time_unit for v in versions} == {"working_days", "calendar_days", "working_hours", "same_day"}
    assert len({v.field for v in versions}) >= 10
    assert {v.level for v in versions} == {"province", "commune"}  # two levels since 1 July 2025


def test_editing_makes_a_new_version_and_keeps_history(catalogue, db):
    procedure = services.get_by_code("1.004227")
    data = services.procedure_to_dict(procedure.current)
    assert services.update_procedure(procedure, dict(data)) is None  # nothing changed, no version
    version = services.update_procedure(procedure, {**data, "time_amount": 8})
    db.session.commit()
    assert (version.number, procedure.current.time_amount) == (2, 8)
    assert [v.time_amount for v in procedure.versions] == [10, 8]


def test_bad_procedure_lists_every_field(world):
    with pytest.raises(services.ProcedureError) as caught:
        services.create_procedure({"code": "12345", "name": "", "field": "", "time_amount": "x", "time_unit": "weeks"})
    assert caught.value.errors == {
        "code": "Mã thủ tục không đúng dạng (ví dụ 1.001193, 2.000635 hoặc 1.014199.H62).",
        "name": "Nhập tên thủ tục.",
        "field": "Nhập lĩnh vực.",
        "time_unit": "Đơn vị thời hạn phải là ngày làm việc, ngày, giờ làm việc hoặc trong ngày.",
        "time_amount": "Phải là số nguyên.",
    }


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_export_imported_again_gives_the_same_catalogue(catalogue, db, fmt):
    before = [services.procedure_to_dict(v) for v in transfer.all_current_versions()]
    exported = transfer.export_catalogue(fmt, transfer.all_current_versions())
    report = transfer.import_catalogue(f"catalogue.{fmt}", exported)
    assert report.errors == []
    assert (len(report.created), len(report.updated), len(report.unchanged)) == (0, 0, len(before))
    # and into an empty catalogue it recreates every procedure identically
    db.session.execute(sa.update(Procedure).values(current_version_id=None))
    db.session.execute(sa.delete(ProcedureVersion.__table__.c.id.table.metadata.tables["procedure_document"]))
    db.session.execute(sa.delete(ProcedureVersion))
    db.session.execute(sa.delete(Procedure))
    db.session.expunge_all()
    report = transfer.import_catalogue(f"catalogue.{fmt}", exported)
    db.session.commit()
    assert len(report.created) == len(before)
    after = [services.procedure_to_dict(v) for v in transfer.all_current_versions()]
    assert after == before


def decision_sheet(rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["PHỤ LỤC: DANH MỤC THỦ TỤC HÀNH CHÍNH"])
    sheet.append([])
    sheet.append(["STT", "Mã TTHC", "Tên thủ tục hành chính", "Thời hạn giải quyết", "Địa điểm thực hiện",
                  "Cơ quan thực hiện", "Phí, lệ phí", "Căn cứ pháp lý", "Ghi chú"])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


DECISION_ROWS = [
    ["A", "THỦ TỤC HÀNH CHÍNH CẤP TỈNH"],
    ["I", "Lĩnh vực Hộ tịch"],
    [1, "2.000635", "Đăng ký khai sinh có yếu tố nước ngoài", "03 ngày làm việc", "Bộ phận một cửa",
     "Sở Tư pháp tỉnh Lào Cai", "75.000 đồng/hồ sơ", "Luật Hộ tịch 2014", ""],
    [2, "1.001193", "Đăng ký khai sinh", "Trong ngày", "UBND cấp xã", "UBND cấp xã", "Không", "Luật Hộ tịch", ""],
    ["II", "Lĩnh vực Đất đai"],
    [3, "1.004227", "Đăng ký biến động đất đai", "10 ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ",
     "Bộ phận một cửa", "Sở Nông nghiệp và Môi trường tỉnh Lào Cai", "Lệ phí: 30.000 đồng", "Luật Đất đai", ""],
    [4, "1.005398", "Cung cấp dữ liệu đất đai", "04 giờ làm việc", "", "", "Miễn phí", "", ""],
    [5, "1.010727", "Cấp giấy phép môi trường", "15 ngày", "", "", "Không", "", ""],
]


DECISION = {"decision_number": "1234/QĐ-UBND", "decision_date": date(2025, 8, 15)}


def test_decision_appendix_imports_with_fields_levels_and_free_text(world, db):
    report = transfer.import_catalogue("phu-luc.xlsx", decision_sheet(DECISION_ROWS), defaults=DECISION)
    db.session.commit()
    assert report.errors == []
    assert report.created == ["2.000635", "1.001193", "1.004227", "1.005398", "1.010727"]
    got = {v.procedure.code: (v.field, v.level, v.time_amount, v.time_unit, v.fee_amount, v.agency_name)
           for v in transfer.all_current_versions()}
    assert got == {
        "2.000635": ("Hộ tịch", "province", 3, "working_days", 75000, "Sở Tư pháp tỉnh Lào Cai"),
        "1.001193": ("Hộ tịch", "province", 0, "same_day", 0, "UBND cấp xã"),
        "1.004227": ("Đất đai", "province", 10, "working_days", 30000, "Sở Nông nghiệp và Môi trường tỉnh Lào Cai"),
        "1.005398": ("Đất đai", "province", 4, "working_hours", 0, None),
        "1.010727": ("Đất đai", "province", 15, "calendar_days", 0, None),
    }


def test_unreadable_rows_are_reported_and_nothing_is_written(world, db):
    rows = DECISION_ROWS + [
        [6, "1.000001", "Thủ tục mơ hồ", "Theo quy định", "", "", "Không", "", ""],
        [7, "1.000002", "Thủ tục hai thời hạn", "03 ngày làm việc (trường hợp xác minh: 05 ngày làm việc)", "", "",
         "50.000 - 100.000 đồng", "", ""],
        [8, "1.000003", "", "03 ngày làm việc", "", "", "Không", "", ""],
    ]
    report = transfer.import_catalogue("phu-luc.xlsx", decision_sheet(rows), defaults=DECISION)
    db.session.rollback()
    assert report.errors == [
        (12, "Thời hạn giải quyết", "không có số ngày hoặc số giờ trong «Theo quy định»"),
        (13, "Thời hạn giải quyết", "có 2 thời hạn («03 ngày làm việc», «05 ngày làm việc»): thời hạn tùy trường hợp, "
                                    "giai đoạn hoặc cách nộp"),
        (13, "Phí, lệ phí", "có 2 mức phí (50.000 đồng, 100.000 đồng): phí theo bậc, theo thời gian hoặc theo trường "
                            "hợp"),
        (14, "Tên thủ tục hành chính", "ô tên thủ tục để trống"),
    ]
    assert not report.applied
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Procedure)) == 0


def test_dry_run_reports_changes_without_writing(catalogue, db):
    report = transfer.import_catalogue("phu-luc.xlsx", decision_sheet(DECISION_ROWS), dry_run=True, defaults=DECISION)
    assert (report.created, report.updated) == ([], ["2.000635", "1.001193", "1.004227", "1.005398", "1.010727"])
    assert not report.applied
    assert services.get_by_code("1.004227").current.number == 1


def test_csv_decision_table_with_semicolons(world, db):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(["STT", "Mã hồ sơ TTHC", "Tên thủ tục hành chính", "Thời hạn giải quyết", "Phí, lệ phí"])
    writer.writerow(["1", "1.001193", "Đăng ký khai sinh", "Trong ngày", "Không"])
    report = transfer.import_catalogue("phu-luc.csv", buffer.getvalue().encode("utf-8"),
                                       defaults={"field": "Hộ tịch", "level": "commune", **DECISION})
    assert report.errors == [] and report.created == ["1.001193"]


def test_cli_imports_a_file_with_progress(catalogue, runner, tmp_path, db):
    path = tmp_path / "catalogue.json"
    path.write_bytes(transfer.export_catalogue("json", transfer.all_current_versions()))
    result = runner.invoke(args=["procedures", "import", str(path)])
    assert result.exit_code == 0, result.output
    assert "Đã nhập: 0 thêm mới, 0 cập nhật, 47 không đổi, 0 bãi bỏ, 0 dòng cần sửa, 0 dòng bỏ ra" in result.output


def test_public_pages_and_api(client, catalogue):
    page = client.get("/thu-tuc?q=dang+ky+khai+sinh").get_data(as_text=True)
    assert "Đăng ký khai sinh" in page
    detail = client.get("/thu-tuc/1.001193").get_data(as_text=True)
    assert "Tờ khai đăng ký khai sinh theo mẫu" in detail
    body = client.get("/api/v1/procedures/1.001193").get_json()
    assert (body["name"], body["time_unit"], body["documents"][1]) == (
        "Đăng ký khai sinh", "same_day", {"name": "Giấy chứng sinh", "kind": "original", "copies": 1})
    assert client.get("/api/v1/procedures/9.999999").status_code == 404
    listed = client.get("/api/v1/procedures?q=DANG KY KET HON").get_json()
    assert [item["code"] for item in listed["items"]] == ["1.000894", "2.000748"]
    posting = client.get("/thu-tuc/niem-yet/000.00.04.H38").get_data(as_text=True)
    assert "Cấp Phiếu lý lịch tư pháp" in posting


def test_only_admins_edit_and_html_is_escaped(client, auth, catalogue):
    auth.login("clerk")
    assert client.get("/staff/procedures/1.001193/edit").status_code == 403
    auth.logout()
    auth.login("admin")
    data = {"code": "1.999999", "name": "<script>alert(1)</script>", "field": "Hộ tịch", "level": "commune",
            "time_amount": "3", "time_unit": "working_days", "online": "none", "status": "in_force", "sets": "1",
            "fee": "0", "documents": "Tờ khai | bản chính | 1"}
    response = client.post("/staff/procedures/new", data=data)
    assert response.status_code == 302
    page = client.get("/staff/procedures/1.999999").get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert(1)" not in page
    bad = client.post("/staff/procedures/new", data={**data, "code": "1.999998", "time_unit": "weeks"})
    assert bad.status_code == 400
