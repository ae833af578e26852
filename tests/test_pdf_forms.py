"""Every printed form parses back with its Vietnamese text, embeds only Liberation Serif, prints user text literally."""
import io
from datetime import date, datetime

import pytest
from pypdf import PdfReader

from onestop import pdf
from onestop.timeutil import VN

HEADING = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
COMMON = {"form_number": "Mẫu số 01", "agency_name": "Sở Tư pháp tỉnh Yên Bái",
          "parent_agency_name": "Ủy ban nhân dân tỉnh Yên Bái", "place": "Yên Bái",
          "at": datetime(2026, 9, 15, 10, 30, tzinfo=VN)}
APPLICANT = {"applicant_name": "Nguyễn Thị Ngọc Ánh", "applicant_kind": "person",
             "applicant_id_number": "015190001234",
             "applicant_address": "Số 12, ngõ 34, phường Hồng Hà, thành phố Yên Bái",
             "applicant_phone": "0912345678", "applicant_email": "ngocanh@example.vn"}


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def fonts(data: bytes) -> set[str]:
    found = set()
    for page in PdfReader(io.BytesIO(data)).pages:
        for font in page["/Resources"]["/Font"].values():
            found.add(str(font.get_object()["/BaseFont"]).split("+")[-1])
    return found


FORMS = {
    "receipt": (pdf.render_receipt, {
        **COMMON, **APPLICANT, "desk_name": "Bộ phận một cửa", "receipt_number": "0001",
        "application_code": "000.00.04.H62-260915-0001", "representative": None,
        "procedure_name": "Đăng ký khai sinh", "procedure_code": "1.001193",
        "documents": [{"name": "Tờ khai đăng ký khai sinh", "kind": "original", "copies": 1}], "sets": 1,
        "time_text": "03 ngày làm việc", "received_at": datetime(2026, 9, 15, 10, 30, tzinfo=VN),
        "due_at": datetime(2026, 9, 18, 17, 0, tzinfo=VN), "return_place": "Tại bộ phận một cửa",
        "register_volume": "Hộ tịch – năm 2026", "register_entry": 1, "officer_name": "Lê Thị Thu Hằng",
        "tracking_url": "https://motcua.yenbai.gov.vn/tra-cuu/000.00.04.H62-260915-0001?k=Zx8abc", "channel": "in_person"},
        ["GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ", "17:00 18/09/2026", "10:30 15/09/2026", "03 ngày làm việc"]),
    "supplement": (pdf.render_supplement, {
        **COMMON, **APPLICANT, "application_code": None, "procedure_name": "Đăng ký khai sinh",
        "procedure_code": "1.001193", "items": ["Bổ sung bản sao Giấy chứng nhận kết hôn"],
        "reason": "Thiếu giấy tờ chứng minh quan hệ cha con", "officer_name": "Phạm Đức Xử", "officer_phone": "0216386000"},
        ["PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ", "1. Bổ sung bản sao Giấy chứng nhận kết hôn", "0216386000"]),
    "refusal": (pdf.render_refusal, {
        **COMMON, **APPLICANT, "desk_name": "Bộ phận một cửa", "application_code": None,
        "procedure_name": "Đăng ký khai sinh", "procedure_code": "1.001193",
        "reasons": ["Hồ sơ không thuộc thẩm quyền giải quyết"], "officer_name": "Lê Thị Thu Hằng"},
        ["PHIẾU TỪ CHỐI TIẾP NHẬN, GIẢI QUYẾT HỒ SƠ", "1. Hồ sơ không thuộc thẩm quyền giải quyết", "(chưa cấp)"]),
    "apology": (pdf.render_apology, {
        **COMMON, "applicant_name": "Nguyễn Thị Ngọc Ánh", "received_at": datetime(2026, 9, 15, 10, 30, tzinfo=VN),
        "procedure_name": "Đăng ký khai sinh", "application_code": "000.00.04.H62-260915-0001",
        "original_due_at": datetime(2026, 9, 18, 17, 0, tzinfo=VN), "reason": "Chờ xác minh",
        "new_due_at": datetime(2026, 9, 23, 17, 0, tzinfo=VN), "signer_title": "GIÁM ĐỐC", "signer_name": "Đỗ Văn Ổn"},
        ["PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ", "17:00 23/09/2026", "17:00 18/09/2026", "Đỗ Văn Ổn"]),
    "stop": (pdf.render_stop, {
        **COMMON, "applicant_name": "Nguyễn Thị Ngọc Ánh", "application_code": "000.00.04.H62-260915-0001",
        "procedure_name": "Đăng ký khai sinh", "received_at": datetime(2026, 9, 15, 10, 30, tzinfo=VN),
        "request": "Xin rút hồ sơ", "signer_title": "GIÁM ĐỐC", "signer_name": None},
        ["THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ", "Xin rút hồ sơ"]),
    "control": (pdf.render_control, {
        **COMMON, "application_code": "000.00.04.H62-260915-0001", "procedure_name": "Đăng ký khai sinh",
        "applicant_name": "Nguyễn Thị Ngọc Ánh", "processing_agency": "Sở Tư pháp tỉnh Yên Bái",
        "coordinating_agencies": [], "received_at": datetime(2026, 9, 15, 10, 30, tzinfo=VN),
        "due_at": datetime(2026, 9, 18, 17, 0, tzinfo=VN),
        "rows": [{"from_unit": "Bộ phận một cửa", "to_unit": "Phòng Hộ tịch", "at": datetime(2026, 9, 15, 11, 0, tzinfo=VN),
                  "result": "early", "note": "Chuyển xử lý"}]},
        ["PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ", "Trước hạn", "Phòng Hộ tịch"]),
}


@pytest.mark.parametrize("form", sorted(FORMS))
def test_form_prints_vietnamese_text_in_liberation_serif(form):
    render, ctx, expected = FORMS[form]
    data = render(ctx)
    text = pdf_text(data)
    for piece in [HEADING, "Độc lập - Tự do - Hạnh phúc", "SỞ TƯ PHÁP TỈNH YÊN BÁI", *expected]:
        assert piece in text, piece
    assert fonts(data) <= {"LiberationSerif", "LiberationSerif-Bold", "LiberationSerif-Italic", "LiberationSerif-BoldItalic"}


def test_html_typed_by_a_user_prints_literally():
    render, ctx, _ = FORMS["supplement"]
    data = render({**ctx, "items": ["<script>alert(1)</script> & <b>đậm</b>"]})
    assert "1. <script>alert(1)</script> & <b>đậm</b>" in pdf_text(data)


def test_decomposed_input_prints_composed():
    render, ctx, _ = FORMS["stop"]
    data = render({**ctx, "applicant_name": "Nguye\u0302\u0303n Thi\u0323 A\u0301nh"})
    assert "Nguyễn Thị Ánh" in pdf_text(data)


def test_long_document_list_flows_to_a_second_page():
    render, ctx, _ = FORMS["receipt"]
    documents = [{"name": f"Giấy tờ số {i} về quyền sử dụng đất ở và tài sản gắn liền", "kind": "copy", "copies": 2}
                 for i in range(1, 41)]
    data = render({**ctx, "documents": documents})
    assert len(PdfReader(io.BytesIO(data)).pages) >= 2
    assert "Giấy tờ số 40 về quyền sử dụng đất" in pdf_text(data)


def test_register_pdf_and_excel_list_every_row():
    import openpyxl

    rows = [{"no": i, "code": f"000.00.01.H62-260915-{i:04d}", "procedure": "Đăng ký khai sinh",
             "applicant": "Trần Văn Ổn", "address_phone": "Yên Bái, 0912345678", "lead_agency": "Sở Tư pháp",
             "received_at": datetime(2026, 9, 15, 8, 0, tzinfo=VN), "due_at": datetime(2026, 9, 18, 17, 0, tzinfo=VN),
             "returned_at": None, "delivery_method": "", "signature": ""} for i in range(1, 121)]
    ctx = {**COMMON, "title": "SỔ THEO DÕI HỒ SƠ", "field": "Hộ tịch", "date_from": date(2026, 9, 1),
           "date_to": date(2026, 9, 30), "rows": rows}
    text = pdf_text(pdf.render_register_pdf(ctx))
    assert "000.00.01.H62-260915-0120" in text and "Tổng số: 120 hồ sơ" in text
    sheet = openpyxl.load_workbook(io.BytesIO(pdf.render_register_xlsx(ctx))).active
    assert [cell.value for cell in sheet[5]][:3] == ["STT", "Mã hồ sơ", "Tên thủ tục"]
    assert sheet.cell(row=6, column=2).value == "000.00.01.H62-260915-0001"
    assert sheet.cell(row=6, column=7).value == datetime(2026, 9, 15, 8, 0)
    assert sheet.max_row == 125
