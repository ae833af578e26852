"""The register (sổ theo dõi hồ sơ): a landscape PDF with its header on every page, and a real Excel sheet."""
import io
from datetime import date, datetime, timedelta, timezone

import openpyxl
from pypdf import PdfReader

from onestop import pdf
from onestop.timeutil import VN
from tests.test_pdf_forms import LIBERATION, NATION, embedded_fonts, page_texts, pdf_text

HEADER = ["STT", "Mã hồ sơ", "Tên thủ tục hành chính", "Tên tổ chức, cá nhân", "Địa chỉ, số điện thoại",
          "Cơ quan chủ trì giải quyết", "Ngày, giờ nhận hồ sơ", "Ngày, giờ hẹn trả kết quả", "Ngày, giờ trả kết quả",
          "Phương thức nhận kết quả", "Ký nhận"]
PROCEDURES = ["Đăng ký khai sinh", "Đăng ký kết hôn có yếu tố nước ngoài", "Cấp bản sao trích lục hộ tịch"]


def register_rows(count: int) -> list[dict]:
    """`count` applications, a hundred a day from 1 September 2026, every other one already returned."""
    rows = []
    for number in range(1, count + 1):
        received = datetime(2026, 9, 1, 8, 0, tzinfo=VN) + timedelta(days=number // 100, minutes=4 * (number % 100))
        rows.append({
            "no": number, "code": f"000.00.01.H38-{received:%y%m%d}-{number:04d}",
            "procedure": PROCEDURES[number % 3], "applicant": f"Nguyễn Thị Ngọc Ánh {number}",
            "address_phone": f"Số {number}, ngõ 34, phường Hồng Hà, thành phố Yên Bái, 0912345678",
            "lead_agency": "Sở Tư pháp tỉnh Lào Cai", "received_at": received, "due_at": received + timedelta(days=3),
            "returned_at": received + timedelta(days=2) if number % 2 else None,
            "delivery_method": "Trực tiếp tại bộ phận một cửa" if number % 2 else "", "signature": "",
        })
    return rows


def register_ctx(rows: list[dict]) -> dict:
    return {"form_number": "Mẫu số 07", "agency_name": "Sở Tư pháp tỉnh Lào Cai",
            "parent_agency_name": "Ủy ban nhân dân tỉnh Lào Cai", "title": "SỔ THEO DÕI HỒ SƠ", "field": "Hộ tịch",
            "date_from": date(2026, 9, 1), "date_to": date(2026, 9, 30), "rows": rows}


def test_the_register_pdf_is_landscape_and_lists_every_application():
    rows = register_rows(60)
    rows[0]["received_at"] = datetime(2026, 9, 1, 1, 5, tzinfo=timezone.utc)  # 08:05 in Yên Bái
    rows[1]["applicant"] = "Trần Văn <Ổn> & Cộng sự"
    data = pdf.render_register_pdf(register_ctx(rows))
    reader = PdfReader(io.BytesIO(data))
    width, height = reader.pages[0].mediabox.width, reader.pages[0].mediabox.height
    assert (round(width), round(height)) == (842, 595)
    text = pdf_text(data)
    for piece in [NATION, "SỞ TƯ PHÁP TỈNH LÀO CAI", "Mẫu số 07", "SỔ THEO DÕI HỒ SƠ", "Lĩnh vực: Hộ tịch",
                  "Từ ngày 01/09/2026 đến ngày 30/09/2026", " ".join(HEADER), "Trần Văn <Ổn> & Cộng sự",
                  "1 000.00.01.H38-260901-0001", "08:05 01/09/2026", "Tổng số: 60 hồ sơ"]:
        assert piece in text, piece
    for row in rows:
        assert row["code"] in text
    pages = page_texts(data)
    assert len(pages) >= 3
    for number, page in enumerate(pages, start=1):
        assert f"Trang {number}/{len(pages)}" in page
        if number < len(pages):
            assert " ".join(HEADER) in page
    assert embedded_fonts(data) <= LIBERATION


def test_the_register_excel_sheet_has_a_title_a_frozen_bold_header_and_real_dates():
    rows = register_rows(25)
    rows[0]["received_at"] = datetime(2026, 9, 1, 1, 5, tzinfo=timezone.utc)
    sheet = openpyxl.load_workbook(io.BytesIO(pdf.render_register_xlsx(register_ctx(rows)))).active
    assert sheet.title == "Sổ theo dõi hồ sơ"
    assert [sheet.cell(row=row, column=1).value for row in range(1, 6)] == [
        "ỦY BAN NHÂN DÂN TỈNH LÀO CAI", "SỞ TƯ PHÁP TỈNH LÀO CAI", "SỔ THEO DÕI HỒ SƠ", "Lĩnh vực: Hộ tịch",
        "Từ ngày 01/09/2026 đến ngày 30/09/2026"]
    assert [cell.value for cell in sheet[7]] == HEADER
    assert all(cell.font.b for cell in sheet[7])
    assert sheet.freeze_panes == "A8"
    assert sheet.max_row == 7 + 25
    first = [cell.value for cell in sheet[8]]
    assert first[:4] == [1, "000.00.01.H38-260901-0001", "Đăng ký kết hôn có yếu tố nước ngoài", "Nguyễn Thị Ngọc Ánh 1"]
    received = sheet.cell(row=8, column=7)
    assert received.value == datetime(2026, 9, 1, 8, 5)  # naive, Vietnam wall-clock time
    assert received.number_format == "dd/mm/yyyy hh:mm"
    assert sheet.cell(row=8, column=9).value == datetime(2026, 9, 3, 8, 4)
    assert sheet.cell(row=9, column=9).value is None  # not returned yet
    assert sheet.cell(row=8, column=11).value is None  # "Ký nhận" left for the pen
    assert sheet.column_dimensions["B"].width == 27 and sheet.column_dimensions["C"].width == 40


def test_an_empty_period_still_prints_a_register():
    ctx = register_ctx([])
    assert "Tổng số: 0 hồ sơ" in pdf_text(pdf.render_register_pdf(ctx))
    sheet = openpyxl.load_workbook(io.BytesIO(pdf.render_register_xlsx(ctx))).active
    assert sheet.max_row == 7


def test_a_month_of_two_thousand_applications_lists_every_one_to_the_last_page():
    ctx = register_ctx(register_rows(2000))
    data = pdf.render_register_pdf(ctx)
    workbook = pdf.render_register_xlsx(ctx)
    pages = page_texts(data)
    assert len(pages) > 100
    assert "000.00.01.H38-260901-0001" in pages[0] and "Tổng số: 2000 hồ sơ" in pages[-1]
    assert "2000 000.00.01.H38-260921-2000 Cấp bản sao trích lục hộ tịch" in " ".join(pages[-2:])
    assert openpyxl.load_workbook(io.BytesIO(workbook)).active.max_row == 2007
