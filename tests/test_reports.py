"""The CCHC report, the dashboard and the public scoreboard on the March 2025 world (tests/tracking_world.py):
totals reconcile, agree with the register and the lists, and every page shows the same figures."""
from datetime import date, datetime
from io import BytesIO

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook
from pypdf import PdfReader

from onestop.extensions import db
from onestop.reception import queries
from onestop.timeutil import VN, frozen_at
from onestop.tracking.supervision import indicators, reports

from . import tracking_world

APRIL = datetime(2025, 4, 15, 10, 0, tzinfo=VN)


@pytest.fixture
def march(world):
    return tracking_world.build(world)


def report(code="000.00.00.H38", start=date(2025, 3, 1), end=date(2025, 3, 31)):
    agency, ids = indicators.scope_of(code)
    return reports.cchc_report(agency, ids, start, end, moment=APRIL)


def test_the_report_states_its_period_and_the_identity_that_reconciles_its_totals(march):
    data = report()
    assert data["period_label"] == "Tháng 3 năm 2025 (dương lịch)"
    assert data["previous_label"] == "Tháng 3 năm 2024 (dương lịch)"  # the same period a year before
    assert data["identity_figures"] == {"carried_over": 0, "received": 17, "resolved": 12, "refused": 1,
                                        "stopped": 1, "open": 3}
    assert data["identity"].endswith("= 17: khớp.") and data["balances"] is True
    tables = {table["key"]: table for table in data["tables"]}
    assert [row["label"] for row in tables["resolved"]["rows"]] == ["Sở Tư pháp tỉnh Lào Cai"]
    assert (tables["resolved"]["total"]["early"], tables["resolved"]["total"]["on_time"],
            tables["resolved"]["total"]["late"]) == (5, 4, 3)
    assert tables["fields"]["rows"][0]["label"] == "Lý lịch tư pháp"
    assert tables["complaints"]["total"]["handled_late"] == 1
    summary = " ".join(data["summary"])
    assert "trước hạn 5, đúng hạn 4, quá hạn 3" in summary
    assert "Tỷ lệ giải quyết đúng hạn đạt 75,0%" in summary
    assert "Đơn vị có nhiều hồ sơ trễ hạn nhất: Sở Tư pháp tỉnh Lào Cai (3 hồ sơ giải quyết quá hạn, 1 hồ sơ" in summary
    assert "Thủ tục thường trễ hạn nhất: Cấp Phiếu lý lịch tư pháp (3)" in summary


def test_the_totals_agree_with_the_register_and_the_application_lists(march, world):
    supervisor = world.users["supervisor"]
    data = report()
    from onestop.reception import register as desk_register
    from onestop.reception.models import Application

    register = db.session.execute(desk_register.statement(supervisor, None, date(2025, 3, 1), date(2025, 3, 31))).all()
    listed = queries.filtered(supervisor, received_from=date(2025, 3, 1), received_to=date(2025, 3, 31),
                              handled_by="000.00.04.H38")
    assert len(register) == data["identity_figures"]["received"] == 17
    assert db.session.scalar(sa.select(sa.func.count()).select_from(listed.subquery())) == 17
    resolved = db.session.scalar(sa.select(sa.func.count()).select_from(Application).where(
        Application.code.in_([row.code for row in register]), Application.result_at < datetime(2025, 4, 1, tzinfo=VN)))
    assert resolved == data["identity_figures"]["resolved"]


def test_the_pdf_reads_in_vietnamese_with_heading_tables_and_summary(march, client, auth):
    auth.login("supervisor")
    response = client.get("/api/v1/reports/cchc.pdf?agency=000.00.00.H38&from=2025-03-01&to=2025-03-31")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(BytesIO(response.data)).pages)
    for expected in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "BÁO CÁO",
                     "Tình hình, kết quả giải quyết thủ tục hành chính", "Tháng 3 năm 2025", "Cùng kỳ năm trước",
                     "Tỷ lệ giải quyết đúng hạn theo đơn vị", "Phản ánh, kiến nghị", "khớp"):
        assert expected in text, expected


def test_the_excel_has_one_sheet_per_table_with_its_totals_and_rates_as_numbers(march, client, auth):
    """A formula has no value until a spreadsheet program recalculates it: a preview on a phone shows it empty."""
    auth.login("supervisor")
    response = client.get("/api/v1/reports/cchc.xlsx?from=2025-03-01&to=2025-03-31")
    assert response.status_code == 200
    book = load_workbook(BytesIO(response.data))
    assert len(book.sheetnames) == 11 and book.sheetnames[-4:] == ["8. Số hóa", "9. Chỉ số 766", "10. Xếp hạng 766",
                                                                   "Đối chiếu"]
    sheet = book[book.sheetnames[1]]  # 2. Kết quả giải quyết
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[2][0] == "Tháng 3 năm 2025 (dương lịch) (từ ngày 01/03/2025 đến ngày 31/03/2025)"
    header = rows.index(next(row for row in rows if row and row[0] == "Đơn vị"))
    assert rows[header + 1] == ("Sở Tư pháp tỉnh Lào Cai", 12, 5, 4, 3, 0.75)
    assert rows[header + 2] == ("Tổng cộng", 12, 5, 4, 3, 0.75)
    assert rows[header + 3] == ("Cùng kỳ năm trước", 0, 0, 0, 0, None)
    assert sheet.cell(row=header + 2, column=6).number_format == "0.0%"
    assert all(cell.data_type == "n" for cell in sheet[header + 2][1:])
    check = book["Đối chiếu"]
    assert [check.cell(row=r, column=2).value for r in range(2, 9)] == [0, 17, 12, 1, 1, 3, 0]
    assert not [cell.coordinate for sheet in book.worksheets for row in sheet.iter_rows() for cell in row
                if cell.data_type == "f"]


def test_the_dashboard_draws_its_four_charts_as_svg(march, client, auth):
    auth.login("supervisor")
    page = client.get("/dashboard?from=2025-01-01&to=2025-03-31").get_data(as_text=True)
    assert page.count("<svg") == 4
    assert "Tỷ lệ giải quyết đúng hạn theo đơn vị" in page and "OnestopSerif" in page
    assert "75,0%" in page and "75.0" not in page and "Chưa đo được: hệ thống không có dữ liệu này" in page
    assert client.get("/fonts/LiberationSerif-Regular.ttf").status_code == 200
    assert client.get("/fonts/secret.py").status_code == 404


def test_the_public_scoreboard_shows_the_official_quarters_without_personal_data(march, client):
    """On 15 April 2025 this quarter runs from 15 March and the last one closed on 14 March (Decree 09/2019): of
    March's 12 results, 11 came by the 14th (9 in time) and L3 (late) on the 19th; the ratings came on the 20th."""
    import re

    with frozen_at(APRIL):
        response = client.get("/ket-qua-giai-quyet")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "public" in response.headers["Cache-Control"]
    assert "Quý II năm 2025" in page and "Quý I năm 2025" in page
    assert "Quý này: từ 15/03/2025 đến 15/04/2025; quý trước: từ 15/12/2024 đến 14/03/2025." in page
    row = page[page.index("Sở Tư pháp tỉnh Lào Cai"):]
    row = row[:row.index("</tr>")]
    cells = [" ".join(re.sub(r"<[^>]+>", " ", cell).split()) for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
    assert cells == ["Quý này · Quý II năm 2025 (15/03/2025 – 15/04/2025)", "4", "1", "0,0%", "66,7% (3)",
                     "Quý trước · Quý I năm 2025 (15/12/2024 – 14/03/2025)", "13", "11", "81,8%", "–"]
    assert "Nguyễn" not in page and "000.00.01.H38-" not in page
