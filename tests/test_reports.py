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
from onestop.tracking import indicators, reports

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
    assert data["period_label"] == "tháng 3 năm 2025" and data["previous_label"] == "tháng 2 năm 2025"
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
                     "Tình hình, kết quả giải quyết thủ tục hành chính", "tháng 3 năm 2025", "Kỳ trước",
                     "Tỷ lệ giải quyết đúng hạn theo đơn vị", "Phản ánh, kiến nghị", "khớp"):
        assert expected in text, expected


def test_the_excel_has_one_sheet_per_table_with_formulas_for_the_totals(march, client, auth):
    auth.login("supervisor")
    response = client.get("/api/v1/reports/cchc.xlsx?from=2025-03-01&to=2025-03-31")
    assert response.status_code == 200
    book = load_workbook(BytesIO(response.data))
    assert len(book.sheetnames) == 9 and book.sheetnames[-2:] == ["8. Số hóa", "Đối chiếu"]
    sheet = book[book.sheetnames[1]]  # 2. Kết quả giải quyết
    rows = list(sheet.iter_rows(values_only=True))
    header = rows.index(next(row for row in rows if row and row[0] == "Đơn vị"))
    assert rows[header + 1][:5] == ("Sở Tư pháp tỉnh Lào Cai", 12, 5, 4, 3)
    total = rows[header + 2]
    assert total[0] == "Tổng cộng" and total[1] == f"=SUM(B{header + 2}:B{header + 2})"
    assert total[5].startswith("=IF(B") and "(C" in total[5]
    check = book["Đối chiếu"]
    assert [check.cell(row=r, column=2).value for r in range(2, 8)] == [0, 17, 12, 1, 1, 3]
    assert check["B8"].value == "=B2+B3-B4-B5-B6-B7"


def test_the_dashboard_draws_its_four_charts_as_svg(march, client, auth):
    auth.login("supervisor")
    page = client.get("/dashboard?from=2025-01-01&to=2025-03-31").get_data(as_text=True)
    assert page.count("<svg") == 4
    assert "Tỷ lệ giải quyết đúng hạn theo đơn vị" in page and "OnestopSerif" in page
    assert "75.0%" in page and "Không đo được tại đây" in page
    assert client.get("/fonts/LiberationSerif-Regular.ttf").status_code == 200
    assert client.get("/fonts/secret.py").status_code == 404


def test_the_public_scoreboard_shows_last_quarter_without_personal_data(march, client):
    with frozen_at(APRIL):
        response = client.get("/ket-qua-giai-quyet")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "public" in response.headers["Cache-Control"]
    assert "Sở Tư pháp tỉnh Lào Cai" in page and "75.0%" in page and "66.7%" in page
    assert "Nguyễn" not in page and "000.00.01.H38-" not in page
