"""The register at province scale: streamed from the database into a write-only sheet, a year at most, a PDF
only as long as a person would print, and text that looks like a formula kept as text."""
import io
import zipfile
from datetime import datetime

import openpyxl
import pytest

from onestop import pdf
from onestop.timeutil import VN, frozen_at
from tests.factories import applicant, make_procedure, receive
from tests.test_pdf_register import register_ctx, register_rows


def vn(*args):
    return datetime(*args, tzinfo=VN)


@pytest.fixture
def birth(world):
    return make_procedure(agency=world.agencies["000.00.04.H38"])


def bearer(client, username):
    token = client.post("/api/v1/tokens", json={"username": username, "password": "demo"}).get_json()["token"]
    return {"Authorization": f"Bearer {token}"}


def test_text_that_looks_like_a_formula_stays_text():
    rows = register_rows(4)
    names = ["=HYPERLINK(\"http://x.example\",\"Bấm vào đây\")", "+84 912 345 678", "-Trần Văn Ổn", "@SUM(A1:A2)"]
    for row, name in zip(rows, names):
        row["applicant"] = name
    rows[0]["address_phone"] = "\tSố 1, tổ 5"
    data = pdf.render_register_xlsx(register_ctx(rows))
    sheet_xml = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml and "<f " not in sheet_xml
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert [sheet.cell(row=8 + i, column=4).value for i in range(4)] == names
    assert all(sheet.cell(row=8 + i, column=4).data_type == "s" for i in range(4))
    assert sheet.cell(row=8, column=5).value.startswith("\tSố 1")


def test_the_sheet_keeps_its_heading_merged_its_filter_and_print_titles():
    data = pdf.render_register_xlsx(register_ctx(register_rows(30)))
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert {str(cells) for cells in sheet.merged_cells.ranges} == {"A3:K3", "A4:K4", "A5:K5"}
    assert sheet.auto_filter.ref == "A7:K37"
    assert sheet.print_title_rows == "$7:$7"
    assert sheet.page_setup.orientation == "landscape" and sheet.row_dimensions[7].height == 32
    assert sheet.cell(row=8, column=2).font.name == "Times New Roman"
    assert sheet.cell(row=8, column=2).border.left.style == "thin"


def test_rows_may_come_from_an_iterator_into_a_file():
    out = io.BytesIO()
    ctx = register_ctx(iter(register_rows(120)))
    assert pdf.render_register_xlsx(ctx, out) is None
    sheet = openpyxl.load_workbook(io.BytesIO(out.getvalue()), read_only=True).active
    assert sum(1 for _ in sheet.iter_rows(min_row=8, values_only=True)) == 120


def test_the_api_streams_the_register_of_the_desk_in_order(client, world, birth):
    clerk = world.users["clerk"]
    made = [receive(clerk, birth, vn(2026, 10, 5, hour, 0), applicant=applicant(name=f"Người nộp {hour}"))
            for hour in (15, 9, 11)]
    other = make_procedure(code="1.004227", name="Đăng ký biến động đất đai", field="Đất đai",
                           agency=world.agencies["000.00.05.H38"])
    receive(clerk, other, vn(2026, 10, 5, 10, 0))
    receive(world.users["clerk.yenbai"], make_procedure(code="1.001612", name="Đăng ký thường trú", level="commune"),
            vn(2026, 10, 5, 10, 0))  # another desk's register
    response = client.get("/api/v1/register.xlsx?field=Hộ tịch&from=2026-10-05&to=2026-10-05",
                          headers=bearer(client, "clerk"))
    assert response.status_code == 200 and response.headers["Content-Disposition"].endswith(
        'filename=so-theo-doi-20261005-20261005.xlsx')
    sheet = openpyxl.load_workbook(io.BytesIO(response.data)).active
    listed = [row[:4] for row in sheet.iter_rows(min_row=8, values_only=True)]
    assert listed == [(number, a.code, "Đăng ký khai sinh", a.applicant_name) for number, a in
                      enumerate(sorted(made, key=lambda a: a.received_at), start=1)]
    assert sheet.cell(row=8, column=6).value == "Sở Tư pháp tỉnh Lào Cai"
    assert sheet.cell(row=8, column=7).value == datetime(2026, 10, 5, 9, 0)


def test_more_than_a_year_or_a_pdf_too_long_to_print_is_refused_with_what_to_do(client, app, world, birth):
    headers = bearer(client, "clerk")
    too_long = client.get("/api/v1/register.xlsx?from=2025-01-01&to=2026-01-02", headers=headers)  # 367 days
    assert too_long.status_code == 400
    assert too_long.get_json()["error"] == "Sổ theo dõi in tối đa 366 ngày một lần: hãy chọn khoảng thời gian ngắn hơn."
    assert client.get("/api/v1/register.xlsx?from=2025-01-01&to=2026-01-01", headers=headers).status_code == 200
    for hour in range(8, 12):
        receive(world.users["clerk"], birth, vn(2026, 10, 5, hour, 0))
    app.config["REGISTER_PDF_MAX_ROWS"] = 3
    refused = client.get("/api/v1/register.pdf?from=2026-10-01&to=2026-10-31", headers=headers)
    assert refused.status_code == 400
    assert refused.get_json()["error"] == ("Sổ có hơn 3 hồ sơ, quá dài để in PDF: hãy chọn lĩnh vực, thu hẹp khoảng "
                                           "thời gian hoặc tải Excel.")
    app.config["REGISTER_PDF_MAX_ROWS"] = 4
    assert client.get("/api/v1/register.pdf?from=2026-10-01&to=2026-10-31", headers=headers).status_code == 200
