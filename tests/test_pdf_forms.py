"""The desk's printed forms, parsed back: Vietnamese text intact, Liberation Serif only, user text literal, QR readable."""
import io
import time
import unicodedata
from datetime import datetime, timedelta, timezone

import pypdfium2
import pytest
import zxingcpp
from pypdf import PdfReader

from onestop import pdf
from onestop.timeutil import VN

NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
LIBERATION = {"LiberationSerif", "LiberationSerif-Bold", "LiberationSerif-Italic", "LiberationSerif-BoldItalic"}
TRACKING_URL = "https://motcua.yenbai.gov.vn/tra-cuu/000.00.01.H38-260915-0001?k=Zx8fQ2pL9vRtK3mN7bWcYg"
CODE = "000.00.01.H38-260915-0001"
RECEIVED = datetime(2026, 9, 15, 10, 30, tzinfo=VN)  # a Tuesday
DUE = datetime(2026, 9, 18, 17, 0, tzinfo=VN)  # 3 working days later, close of office hours

HEADING = {"agency_name": "Sở Tư pháp tỉnh Lào Cai", "parent_agency_name": "Ủy ban nhân dân tỉnh Lào Cai",
           "place": "Yên Bái", "at": RECEIVED}
APPLICANT = {"applicant_name": "Nguyễn Thị Ngọc Ánh", "applicant_kind": "person", "applicant_id_number": "015190001234",
             "applicant_address": "Số 12, ngõ 34, phường Hồng Hà, thành phố Yên Bái",
             "applicant_phone": "0912345678", "applicant_email": "ngocanh@example.vn"}
PROCEDURE = {"procedure_name": "Đăng ký khai sinh", "procedure_code": "1.001193"}


def pdf_text(data: bytes) -> str:
    """Every page's text, NFC, whitespace collapsed (pypdf breaks lines where the layout does)."""
    pages = PdfReader(io.BytesIO(data)).pages
    return unicodedata.normalize("NFC", " ".join(" ".join(page.extract_text().split()) for page in pages))


def page_texts(data: bytes) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(data)).pages]


def embedded_fonts(data: bytes) -> set[str]:
    """BaseFont names of every font a page uses, subset prefix removed."""
    found = set()
    for page in PdfReader(io.BytesIO(data)).pages:
        for font in page["/Resources"]["/Font"].values():
            found.add(str(font.get_object()["/BaseFont"]).split("+")[-1])
    return found


def receipt_ctx(**changes) -> dict:
    ctx = {
        **HEADING, **APPLICANT, **PROCEDURE, "form_number": "Mẫu số 01",
        "desk_name": "Bộ phận một cửa Sở Tư pháp", "receipt_number": "0001", "application_code": CODE,
        "representative": None,
        "documents": [{"name": "Tờ khai đăng ký khai sinh (bản chính, 01 bản)", "kind": "original", "copies": 1},
                      {"name": "Giấy chứng sinh", "kind": "original", "copies": 1},
                      {"name": "Giấy chứng nhận kết hôn của cha mẹ", "kind": "copy", "copies": 2}],
        "sets": 1, "time_text": "03 ngày làm việc", "received_at": RECEIVED, "due_at": DUE,
        "return_place": "Tại bộ phận một cửa nơi nộp hồ sơ", "register_volume": "Hộ tịch – năm 2026",
        "register_entry": 17, "officer_name": "Lê Thị Thu Hằng", "tracking_url": TRACKING_URL, "channel": "in_person",
    }
    return {**ctx, **changes}


def supplement_ctx(**changes) -> dict:
    return {**HEADING, **APPLICANT, **PROCEDURE, "form_number": "Mẫu số 02", "application_code": CODE,
            "items": ["Bổ sung bản sao Giấy chứng nhận kết hôn", "Hoàn thiện mục quê quán trong tờ khai"],
            "reason": "Thiếu giấy tờ chứng minh quan hệ cha, mẹ, con", "officer_name": "Phạm Đức Xử",
            "officer_phone": "0216 3862 000", **changes}


def refusal_ctx(**changes) -> dict:
    return {**HEADING, **APPLICANT, **PROCEDURE, "form_number": "Mẫu số 03", "desk_name": "Bộ phận một cửa Sở Tư pháp",
            "application_code": None, "reasons": ["Hồ sơ không thuộc thẩm quyền giải quyết của Sở Tư pháp",
                                                  "Trẻ đã được đăng ký khai sinh tại Ủy ban nhân dân xã Tân Thịnh"],
            "officer_name": "Lê Thị Thu Hằng", **changes}


def apology_ctx(**changes) -> dict:
    return {**HEADING, "form_number": "Mẫu số 04", "at": datetime(2026, 9, 17, 9, 0, tzinfo=VN),
            "applicant_name": "Nguyễn Thị Ngọc Ánh", "received_at": RECEIVED, "procedure_name": "Đăng ký khai sinh",
            "application_code": CODE, "original_due_at": DUE, "reason": "Cần xác minh thông tin tại Ủy ban nhân dân "
            "xã Tân Thịnh", "new_due_at": datetime(2026, 9, 23, 17, 0, tzinfo=VN), "signer_title": "GIÁM ĐỐC",
            "signer_name": "Đỗ Văn Ổn", **changes}


def stop_ctx(**changes) -> dict:
    return {**HEADING, "form_number": "Mẫu số 05", "at": datetime(2026, 9, 16, 14, 15, tzinfo=VN),
            "applicant_name": "Nguyễn Thị Ngọc Ánh", "application_code": CODE, "procedure_name": "Đăng ký khai sinh",
            "received_at": RECEIVED, "request": "Xin rút hồ sơ để bổ sung giấy tờ của người cha",
            "signer_title": "GIÁM ĐỐC", "signer_name": None, **changes}


def control_ctx(**changes) -> dict:
    rows = [
        {"from_unit": "Bộ phận một cửa", "to_unit": "Phòng Hành chính tư pháp", "at": datetime(2026, 9, 15, 13, 30, tzinfo=VN),
         "result": "on_time", "note": "Chuyển xử lý"},
        {"from_unit": "Phòng Hành chính tư pháp", "to_unit": "Lãnh đạo Sở", "at": datetime(2026, 9, 16, 16, 0, tzinfo=VN),
         "result": "early", "note": "Trình ký"},
        {"from_unit": "Lãnh đạo Sở", "to_unit": "Bộ phận một cửa", "at": datetime(2026, 9, 21, 8, 0, tzinfo=VN),
         "result": "late", "note": "Có kết quả"},
        {"from_unit": "Bộ phận một cửa", "to_unit": "Người nộp hồ sơ", "at": datetime(2026, 9, 21, 9, 0, tzinfo=VN),
         "result": None, "note": "Trả kết quả"},
    ]
    return {**HEADING, "form_number": "Mẫu số 06", "application_code": CODE, "procedure_name": "Đăng ký khai sinh",
            "applicant_name": "Nguyễn Thị Ngọc Ánh", "processing_agency": "Sở Tư pháp tỉnh Lào Cai",
            "coordinating_agencies": ["Công an tỉnh Lào Cai", "Ủy ban nhân dân xã Tân Thịnh"], "received_at": RECEIVED,
            "due_at": DUE, "rows": rows, **changes}


FORMS = {
    "receipt": (pdf.render_receipt, receipt_ctx, [
        "Mẫu số 01", "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ", f"Mã hồ sơ: {CODE}",
        "Tiếp nhận hồ sơ của: Nguyễn Thị Ngọc Ánh", "Địa chỉ: Số 12, ngõ 34, phường Hồng Hà, thành phố Yên Bái",
        "Nội dung yêu cầu giải quyết: Đăng ký khai sinh (mã thủ tục: 1.001193)",
        "1 Tờ khai đăng ký khai sinh (bản chính, 01 bản) Bản chính 01", "3 Giấy chứng nhận kết hôn của cha mẹ Bản sao 02",
        "2. Số lượng hồ sơ: 01 bộ", "3. Thời gian giải quyết hồ sơ theo quy định: 03 ngày làm việc",
        "4. Thời gian nhận hồ sơ: 10:30 15/09/2026", "5. Thời gian trả kết quả giải quyết hồ sơ: 17:00 18/09/2026",
        "6. Nơi trả kết quả: Tại bộ phận một cửa nơi nộp hồ sơ", "quyển số: Hộ tịch – năm 2026, số thứ tự: 17",
        "Quét mã để tra cứu tình trạng hồ sơ", f"Tra cứu: {TRACKING_URL}", "NGƯỜI NỘP HỒ SƠ", "NGƯỜI TIẾP NHẬN HỒ SƠ",
        "Lê Thị Thu Hằng"]),
    "supplement": (pdf.render_supplement, supplement_ctx, [
        "Mẫu số 02", "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ", f"Mã hồ sơ: {CODE}", "Hồ sơ của: Nguyễn Thị Ngọc Ánh",
        "1. Bổ sung bản sao Giấy chứng nhận kết hôn", "2. Hoàn thiện mục quê quán trong tờ khai",
        "Lý do: Thiếu giấy tờ chứng minh quan hệ cha, mẹ, con", "liên hệ với Phạm Đức Xử, số điện thoại 0216 3862 000",
        "NGƯỜI HƯỚNG DẪN"]),
    "refusal": (pdf.render_refusal, refusal_ctx, [
        "Mẫu số 03", "PHIẾU TỪ CHỐI TIẾP NHẬN, GIẢI QUYẾT HỒ SƠ", "Số định danh cá nhân: 015190001234",
        "Thư điện tử: ngocanh@example.vn", "1. Hồ sơ không thuộc thẩm quyền giải quyết của Sở Tư pháp",
        "2. Trẻ đã được đăng ký khai sinh tại Ủy ban nhân dân xã Tân Thịnh", "NGƯỜI NỘP HỒ SƠ", "CÁN BỘ TIẾP NHẬN HỒ SƠ"]),
    "apology": (pdf.render_apology, apology_ctx, [
        "Mẫu số 04", "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ", "Yên Bái, ngày 17 tháng 9 năm 2026",
        "Kính gửi: Nguyễn Thị Ngọc Ánh", f"Vào lúc 10:30 15/09/2026, Sở Tư pháp tỉnh Lào Cai đã tiếp nhận hồ sơ",
        f"mã hồ sơ: {CODE}", "theo giấy hẹn: 17:00 18/09/2026", "Lý do: Cần xác minh thông tin tại Ủy ban nhân dân xã Tân Thịnh",
        "hẹn trả kết quả giải quyết hồ sơ vào 17:00 23/09/2026", "GIÁM ĐỐC", "Đỗ Văn Ổn"]),
    "stop": (pdf.render_stop, stop_ctx, [
        "Mẫu số 05", "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ", "Yên Bái, ngày 16 tháng 9 năm 2026", f"mã hồ sơ: {CODE}",
        "Ông/Bà đã có đề nghị: Xin rút hồ sơ để bổ sung giấy tờ của người cha",
        "dừng giải quyết hồ sơ nêu trên kể từ 14:15 16/09/2026", "GIÁM ĐỐC"]),
    "control": (pdf.render_control, control_ctx, [
        "Mẫu số 06", "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ", f"Mã hồ sơ: {CODE}",
        "Cơ quan chủ trì giải quyết: Sở Tư pháp tỉnh Lào Cai",
        "Cơ quan phối hợp giải quyết: Công an tỉnh Lào Cai, Ủy ban nhân dân xã Tân Thịnh",
        "Thời gian nhận hồ sơ: 10:30 15/09/2026", "Thời gian trả kết quả: 17:00 18/09/2026",
        "1 Bộ phận một cửa Phòng Hành chính tư pháp 13:30 15/09/2026 Đúng hạn Chuyển xử lý",
        "2 Phòng Hành chính tư pháp Lãnh đạo Sở 16:00 16/09/2026 Trước hạn Trình ký",
        "3 Lãnh đạo Sở Bộ phận một cửa 08:00 21/09/2026 Quá hạn Có kết quả",
        "4 Bộ phận một cửa Người nộp hồ sơ 09:00 21/09/2026 Trả kết quả"]),
}


@pytest.mark.parametrize("form", list(FORMS))
def test_each_form_prints_the_heading_and_its_content_in_liberation_serif(form):
    render, make_ctx, expected = FORMS[form]
    data = render(make_ctx())
    assert data.startswith(b"%PDF-")
    text = pdf_text(data)
    for piece in ["ỦY BAN NHÂN DÂN TỈNH LÀO CAI", "SỞ TƯ PHÁP TỈNH LÀO CAI", NATION, MOTTO, *expected]:
        assert piece in text, piece
    fonts = embedded_fonts(data)
    assert fonts <= LIBERATION and {"LiberationSerif", "LiberationSerif-Bold"} <= fonts
    assert not any("Helvetica" in name or "Times" in name for name in fonts)
    assert b"Helvetica" not in data and b"Times-Roman" not in data


@pytest.mark.parametrize("form", ["receipt", "supplement", "refusal", "apology", "stop"])
def test_the_place_and_date_line_follows_decree_30(form):
    render, make_ctx, _ = FORMS[form]
    assert "Yên Bái, ngày 05 tháng 02 năm 2027" in pdf_text(render(make_ctx(at=datetime(2027, 2, 5, 9, 0, tzinfo=VN))))


def test_the_receipt_qr_code_opens_exactly_the_tracking_url():
    data = pdf.render_receipt(receipt_ctx())
    image = pypdfium2.PdfDocument(data)[0].render(scale=3).to_pil()
    assert [barcode.text for barcode in zxingcpp.read_barcodes(image)] == [TRACKING_URL]
    # still readable from an ordinary 72 dpi scan of the page
    coarse = pypdfium2.PdfDocument(data)[0].render(scale=1).to_pil()
    assert [barcode.text for barcode in zxingcpp.read_barcodes(coarse)] == [TRACKING_URL]


def test_times_print_in_vietnam_time_whatever_zone_they_arrive_in():
    data = pdf.render_receipt(receipt_ctx(received_at=datetime(2026, 9, 15, 9, 0, tzinfo=timezone.utc),
                                          due_at=datetime(2026, 9, 18, 9, 0, tzinfo=timezone.utc), at=None))
    text = pdf_text(data)
    assert "4. Thời gian nhận hồ sơ: 16:00 15/09/2026" in text
    assert "5. Thời gian trả kết quả giải quyết hồ sơ: 16:00 18/09/2026" in text
    assert "Yên Bái, ngày 15 tháng 9 năm 2026" in text  # no `at`: the receipt is dated by its reception


def test_an_organisation_with_a_representative_signs_through_the_representative():
    data = pdf.render_receipt(receipt_ctx(
        applicant_name="Công ty TNHH Thương mại Hoàng Long", applicant_kind="organisation",
        applicant_id_number="5200123456", channel="postal",
        representative={"name": "Trần Văn Ổn", "id_number": "015090001111", "phone": "0988777666"}))
    text = pdf_text(data)
    assert "Mã số doanh nghiệp/Mã số thuế: 5200123456" in text
    assert "Người đại diện/được ủy quyền: Trần Văn Ổn, số định danh cá nhân 015090001111, điện thoại 0988777666" in text
    assert "Hình thức nộp hồ sơ: Qua dịch vụ bưu chính" in text
    assert text.endswith("NGƯỜI NỘP HỒ SƠ (Ký, ghi rõ họ tên) Trần Văn Ổn NGƯỜI TIẾP NHẬN HỒ SƠ (Ký, ghi rõ họ tên) "
                         "Lê Thị Thu Hằng")


def test_markup_typed_by_users_prints_literally():
    hostile = "<script>alert('x')</script> & <b>Ánh</b> &amp;"
    receipt = pdf_text(pdf.render_receipt(receipt_ctx(
        applicant_name=hostile, agency_name="Sở Văn hóa & Thể thao <VH&TT>",
        documents=[{"name": "Đơn <bản khai> & phụ lục", "kind": "copy", "copies": 1}])))
    assert f"Tiếp nhận hồ sơ của: {hostile}" in receipt
    assert "SỞ VĂN HÓA & THỂ THAO <VH&TT>" in receipt
    assert "Đơn <bản khai> & phụ lục" in receipt
    supplement = pdf_text(pdf.render_supplement(supplement_ctx(items=[hostile], reason="a < b && c > d")))
    assert f"1. {hostile}" in supplement and "Lý do: a < b && c > d" in supplement
    control = pdf_text(pdf.render_control(control_ctx(rows=[{"from_unit": "<Tổ 1>", "to_unit": "A & B",
                                                             "at": RECEIVED, "result": None, "note": "<i>"}])))
    assert "1 <Tổ 1> A & B 10:30 15/09/2026 <i>" in control


def test_decomposed_vietnamese_prints_composed():
    decomposed = unicodedata.normalize("NFD", "Nguyễn Thị Ngọc Ánh, phường Hồng Hà")
    assert decomposed != "Nguyễn Thị Ngọc Ánh, phường Hồng Hà"
    raw = " ".join(page_texts(pdf.render_stop(stop_ctx(applicant_name=decomposed))))
    assert "Kính gửi: Nguyễn Thị Ngọc Ánh, phường Hồng Hà" in raw  # not re-normalised: composed in the PDF itself


def test_a_desk_level_supplement_request_has_no_code():
    text = pdf_text(pdf.render_supplement(supplement_ctx(application_code=None)))
    assert "Mã hồ sơ" not in text and "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ Hồ sơ của: Nguyễn Thị Ngọc Ánh" in text
    refusal = pdf_text(pdf.render_refusal(refusal_ctx(application_code=CODE)))
    assert f"Mã hồ sơ: {CODE}" in refusal


def test_missing_values_leave_dotted_lines_to_fill_in_by_hand():
    text = pdf_text(pdf.render_apology(apology_ctx(signer_name=None, reason="", original_due_at=None)))
    assert "theo giấy hẹn: …… giờ …… ngày ……/……/………." in text
    assert "Lý do: …………………" in text


def test_a_long_document_list_flows_over_pages_with_the_table_header_repeated():
    documents = [{"name": f"Giấy tờ số {number}: Giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở và tài sản "
                          f"khác gắn liền với đất của hộ gia đình ông Nguyễn Văn Thưởng", "kind": "original_or_copy",
                  "copies": 2} for number in range(1, 41)]
    long_name = "Nguyễn Thị Ngọc Ánh " + "Hoàng Thượng Quyền Lực Trường Giang " * 6
    data = pdf.render_receipt(receipt_ctx(documents=documents, applicant_name=long_name))
    pages = page_texts(data)
    assert len(pages) >= 3
    for number, page in enumerate(pages, start=1):
        assert "TT Tên giấy tờ Hình thức Số lượng" in page
        assert page.endswith(f"Trang {number}/{len(pages)}") or f"Trang {number}/{len(pages)}" in page
    text = pdf_text(data)
    for number in (1, 20, 40):
        assert f"{number} Giấy tờ số {number}: Giấy chứng nhận quyền sử dụng đất" in text
    assert " ".join(long_name.split()) in text
    assert "NGƯỜI TIẾP NHẬN HỒ SƠ" in pages[-1] and "17:00 18/09/2026" in pages[-1]
    # the QR stays on the first page only, once
    assert [b.text for b in zxingcpp.read_barcodes(pypdfium2.PdfDocument(data)[0].render(scale=2).to_pil())] == [
        TRACKING_URL]


def test_a_long_control_slip_repeats_its_header_on_every_page():
    start = datetime(2026, 9, 15, 13, 30, tzinfo=VN)
    rows = [{"from_unit": f"Phòng Hành chính tư pháp – bước {number}", "to_unit": "Lãnh đạo Sở Tư pháp tỉnh Lào Cai",
             "at": start + timedelta(hours=number), "result": ("early", "on_time", "late", None)[number % 4],
             "note": "Thẩm định hồ sơ, xác minh thông tin tại Ủy ban nhân dân xã Tân Thịnh"} for number in range(1, 61)]
    pages = page_texts(pdf.render_control(control_ctx(rows=rows)))
    assert len(pages) >= 3
    for page in pages:
        assert "TT Tên cơ quan, đơn vị Thời gian giao, nhận hồ sơ Kết quả giải quyết Ghi chú Bên giao Bên nhận" in page
    assert "60 Phòng Hành chính tư pháp – bước 60" in pages[-1]


def test_fonts_are_registered_once_under_their_own_names():
    from reportlab.pdfbase import pdfmetrics

    pdf.register_fonts()
    before = pdfmetrics.getRegisteredFontNames()
    pdf.register_fonts()
    assert pdfmetrics.getRegisteredFontNames() == before
    assert set(pdf.FONT_NAMES.values()) == {"OnestopSerif", "OnestopSerif-Bold", "OnestopSerif-Italic",
                                            "OnestopSerif-BoldItalic"}
    assert set(pdf.FONT_NAMES.values()) <= set(before)
    assert pdfmetrics.getFont("OnestopSerif").face.name == b"LiberationSerif"
