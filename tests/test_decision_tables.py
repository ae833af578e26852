"""Reading appendix tables as offices lay them out: one small table per rule, transcribing the real rows.

And one test over every real table in /work/shared/data/decisions (when the folder is there): each row
is read with the values its text says, or reported with a reason naming its cell; none is wrong.
"""
from datetime import date, time
from pathlib import Path

import pytest

from onestop.procedures.decisions import TableError, read_table
from onestop.procedures.imports import plan_import
from tests.decision_tables import NOTARISATION, SAME_DAY_15, table

REAL = Path("/work/shared/data/decisions")


def planned(rows, name="phu-luc.csv", **options):
    return plan_import(*table(rows, name), options=options)


def values(plan):
    return {row.row: (row.code, row.time_amount, row.time_unit, row.same_day_cutoff, row.fee, row.field, row.level,
                      row.status) for row in plan.rows if row.clean}


def problems(plan):
    return {row.row: [(problem.column, problem.message) for problem in row.problems] for row in plan.rows if row.problems}


@pytest.mark.parametrize("name", ["phu-luc.csv", "phu-luc.xlsx"])
def test_title_rows_a_field_row_and_level_rows_set_what_the_rows_below_say(db, name):
    plan = planned(NOTARISATION, name)
    assert plan.decision == {"number": "2637/QĐ-UBND", "date": date(2025, 11, 16),
                             "signer": "Chủ tịch Ủy ban nhân dân tỉnh Vĩnh Long"}
    assert plan.header_row == 5
    assert values(plan) == {
        8: ("2.000908", 0, "same_day", time(15, 0), 0, "Chứng thực", "shared", "in_force"),
        9: ("2.000884", 0, "same_day", time(15, 0), 10000, "Chứng thực", "shared", "in_force"),
        11: ("2.001019", 2, "working_days", None, 50000, "Chứng thực", "commune", "in_force"),
    }
    assert problems(plan) == {12: [("Phí, lệ phí", "có 3 mức phí (1.000 đồng, 2.000 đồng, 200.000 đồng): phí theo bậc, "
                                                   "theo thời gian hoặc theo trường hợp")]}
    assert [row.code_suffix for row in plan.rows] == ["000.00.00.H61"] * 4


def test_headers_as_offices_write_them(db):
    # decision-k: "Stt", a footnote in "Ghi chú[1]", an agency column, "DVC TT" and an unused "Phi địa giới"
    plan = planned([
        ["Stt", "Mã TTHC", "Tên thủ tục hành chính", "Thời hạn giải quyết", "Địa điểm thực hiện", "Cơ quan thực hiện",
         "Phí, lệ phí", "Căn cứ pháp lý", "DVC TT", "Phi địa giới", "Ghi chú[1]"],
        ["1", "1.014438", "Thủ tục công nhận trung tâm đổi mới sáng tạo cấp tỉnh", "27 ngày",
         "Nộp hồ sơ trực tuyến qua Cổng Dịch vụ công quốc gia", "Ủy ban nhân dân tỉnh", "Không",
         "- Luật Khoa học, công nghệ và đổi mới sáng tạo năm 2025.", "Một phần", "X",
         "Nội dung TTHC thực hiện theo Quyết định 3578/QĐ-BKHCN ngày 07/11/2025 của Bộ Khoa học và Công nghệ."],
    ], field="Hoạt động khoa học và công nghệ")
    assert values(plan) == {2: ("1.014438", 27, "calendar_days", None, 0, "Hoạt động khoa học và công nghệ",
                                "province", "in_force")}
    assert plan.ignored_columns == ["Phi địa giới"]
    assert plan.rows[0].cleaned["online"] == "partial"
    assert plan.rows[0].cleaned["agency_name"] == "Ủy ban nhân dân tỉnh"
    # decision-l: "Mã số TTHC", a code "1.014464. H12", a reduction note in the time cell, "Không qui định"
    plan = planned([
        ["DANH MỤC THỦ TỤC HÀNH CHÍNH MỚI BAN HÀNH TRONG LĨNH VỰC BÁO CHÍ, XUẤT BẢN THUỘC THẨM QUYỀN GIẢI QUYẾT CỦA SỞ "
         "VĂN HÓA, THỂ THAO VÀ DU LỊCH TỈNH CÀ MAU"],
        ["(Kèm theo Quyết định số: 01763/QĐ-UBND ngày 18/11/2025 của Chủ tịch Ủy ban nhân dân tỉnh Cà Mau)"],
        ["STT", "Mã số TTHC", "Tên thủ tục hành chính", "Thời hạn giải quyết", "Địa điểm thực hiện",
         "Phí, lệ phí (nếu có)", "Căn cứ pháp lý", "Ghi chú"],
        ["01", "1.014464. H12", "Thủ tục cấp giấy chứng nhận lưu hành tự do (CFS) đối với hàng hóa xuất khẩu trong "
         "lĩnh vực báo chí, xuất bản", "Trong thời hạn 02 ngày làm việc (cắt giảm 01/03 ngày làm việc, tỷ lệ 33,33%) kể "
         "từ ngày nhận đủ hồ sơ hợp lệ.", "Trung tâm Phục vụ hành chính công tỉnh Cà Mau.", "Không qui định", "", ""],
    ])
    assert plan.decision == {"number": "01763/QĐ-UBND", "date": date(2025, 11, 18),
                             "signer": "Chủ tịch Ủy ban nhân dân tỉnh Cà Mau"}
    assert values(plan) == {4: ("1.014464", 2, "working_days", None, None, "Báo chí, xuất bản", "province", "in_force")}
    assert plan.rows[0].code_suffix == "H12"


def test_a_name_and_its_code_sharing_one_column(db):
    # decision-e (2715/QĐ-UBND, Quảng Trị): "Tên thủ tục hành chính/ Mã thủ tục hành chính", "name; 1.013401.H50";
    # the title lists new and abolished procedures, and is not itself an abolished table
    plan = planned([
        ["DANH MỤC TTHC BAN HÀNH MỚI VÀ TTHC BỊ BÃI BỎ TRONG LĨNH VỰC ĐIỆN LỰC THUỘC THUỘC THẨM QUYỀN GIẢI QUYẾT CỦA "
         "UBND TỈNH VÀ SỞ CÔNG THƯƠNG"],
        ["(Kèm theo Quyết định số 2715/QĐ-UBND ngày 19 tháng 11 năm 2025 của Chủ tịch UBND tỉnh Quảng Trị)"],
        ["I. DANH MỤC THỦ TỤC HÀNH CHÍNH BAN HÀNH MỚI (09 TTHC)"],
        ["STT", "Tên thủ tục hành chính/ Mã thủ tục hành chính", "Thời hạn giải quyết", "Địa điểm thực hiện",
         "Phí, lệ phí", "Căn cứ pháp lý"],
        ["1", "Cấp giấy phép hoạt động phát điện thuộc thẩm quyền cấp của Ủy ban nhân dân cấp tỉnh; 1.013401.H50",
         "14 ngày làm việc từ ngày nhận được hồ sơ đầy đủ và hợp lệ", "Trung tâm Phục vụ hành chính công tỉnh Quảng Trị",
         "Theo quy định của Bộ Tài chính", "- Luật Điện lực số 61/2024/QH15"],
    ])
    row = plan.rows[0]
    assert (row.code, row.code_suffix, row.name, row.status) == (
        "1.013401", "H50", "Cấp giấy phép hoạt động phát điện thuộc thẩm quyền cấp của Ủy ban nhân dân cấp tỉnh",
        "in_force")
    assert values(plan)[5] == ("1.013401", 14, "working_days", None, None, "Điện lực", "province", "in_force")


def test_a_code_inside_the_name_and_no_code_column(db):
    # decision-c (1949/QĐ-UBND, Cao Bằng): "TT", sections I/II for the levels; one row has two codes
    header = ["TT", "Tên thủ tục hành chính", "Thời hạn giải quyết", "Địa điểm thực hiện", "Cách thức thực hiện",
              "Phí, lệ phí", "Căn cứ pháp lý", "Ghi chú"]
    plan = planned([
        ["DANH MỤC THỦ TỤC HÀNH CHÍNH ĐƯỢC CHUẨN HÓA TRONG LĨNH VỰC TÀI NGUYÊN NƯỚC THUỘC THẨM QUYỀN GIẢI QUYẾT CỦA SỞ "
         "NÔNG NGHIỆP VÀ MÔI TRƯỜNG, UBND CẤP XÃ TỈNH CAO BẰNG"],
        header,
        ["I.", "THỦ TỤC HÀNH CHÍNH CẤP TỈNH (24 TTHC)"],
        ["3", "Cấp lại giấy phép hành nghề khoan nước dưới đất (1.004253)",
         "Trong thời hạn 08 ngày làm việc, kể từ ngày nhận đủ hồ sơ", "", "", "Không quy định", "", ""],
        ["19", "Lấy ý kiến đối với công trình khai thác nguồn nước (1.001740; 1.001645)",
         "Trong thời hạn 26 ngày làm việc, kể từ ngày nhận đủ hồ sơ", "", "", "Tổ chức, cá nhân đầu tư dự án chi trả", "",
         ""],
        ["II.", "THỦ TỤC HÀNH CHÍNH CẤP XÃ (01 TTHC)"],
        ["1", "Đăng ký khai thác, sử dụng nước dưới đất (1.001662)",
         "Trong thời hạn 07 ngày làm việc, kể từ ngày nhận đủ hồ sơ", "", "", "Không quy định", "", ""],
    ], decision_number="1949/QĐ-UBND", decision_date=date(2025, 11, 18))
    assert values(plan) == {
        4: ("1.004253", 8, "working_days", None, None, "Tài nguyên nước", "province", "in_force"),
        7: ("1.001662", 7, "working_days", None, None, "Tài nguyên nước", "commune", "in_force"),
    }
    assert plan.rows[0].name == "Cấp lại giấy phép hành nghề khoan nước dưới đất"
    assert problems(plan) == {5: [
        ("Tên thủ tục hành chính", "ô có 2 mã (1.001740, 1.001645): mỗi dòng một thủ tục"),
        ("Phí, lệ phí", "không có mức phí bằng số trong «Tổ chức, cá nhân đầu tư dự án chi trả»")]}
    # decision-f (2929/QĐ-UBND, Sơn La): header in row 1, ". Mã TTHC: …" at the end of the name, "Phí, lệ phí (đồng)"
    plan = planned([
        ["STT", "Tên thủ tục hành chính", "Thời gian giải quyết", "Địa điểm thực hiện", "Cách thức thực hiện",
         "Phí, lệ phí (đồng)", "Căn cứ pháp lý"],
        ["5", "Thủ tục xác nhận cán bộ Quân đội nghỉ hưu mắc bệnh hiểm nghèo. Mã TTHC: 2.002761", "09 ngày làm việc",
         "Ban CHQS cấp xã", "Đối tượng hoặc thân nhân đối tượng trực tiếp nộp hồ sơ", "Không", ""],
    ], field="Chính sách")
    assert values(plan) == {2: ("2.002761", 9, "working_days", None, 0, "Chính sách", "province", "in_force")}
    assert plan.rows[0].name == "Thủ tục xác nhận cán bộ Quân đội nghỉ hưu mắc bệnh hiểm nghèo"


def test_a_header_over_two_rows_with_the_code_on_the_second_line_of_the_name(db):
    # decision-m (Gia Lai): "Mã TTHC" under "Tên TTHC", a merged row naming the ministry's decision, a total row;
    # the appendix title leaves the decision number blank, as published
    plan = planned([
        ["DANH MỤC 01 THỦ TỤC HÀNH CHÍNH ĐƯỢC SỬA ĐỔI, BỔ SUNG TRONG LĨNH VỰC XUẤT NHẬP KHẨU THUỘC PHẠM VI CHỨC NĂNG "
         "QUẢN LÝ CỦA SỞ CÔNG THƯƠNG"],
        ["(Ban hành kèm theo Quyết định số /QĐ-UBND ngày tháng năm 2025 của Chủ tịch Ủy ban nhân dân tỉnh)"],
        ["STT", "Tên TTHC", "Thời hạn giải quyết", "Địa điểm tiếp nhận và trả kết quả giải quyết TTHC",
         "Mức độ DVC trực tuyến", "Phí, lệ phí (nếu có)"],
        ["", "Mã TTHC", "", "", "", ""],
        ["Thủ tục hành chính được công bố theo Quyết định số 3361/QĐ-BCT ngày 18 tháng 11 năm 2025 của Bộ trưởng Bộ "
         "Công Thương"],
        ["1", "Cấp Giấy chứng nhận xuất xứ hàng hóa (C/O) ưu đãi mẫu AK\n1.000603.H21", "04 giờ làm việc",
         "Sở Công Thương tỉnh Gia Lai", "Toàn trình", "Không"],
        ["Tổng cộng: 01 TTHC"],
    ])
    assert plan.problems == ["Chưa có số quyết định công bố (tiêu đề bảng không ghi): nhập số quyết định.",
                             "Chưa có ngày quyết định công bố: nhập ngày quyết định."]
    assert values(plan) == {6: ("1.000603", 4, "working_hours", None, 0, "Xuất nhập khẩu", "province", "in_force")}
    assert (plan.rows[0].name, plan.rows[0].code_suffix) == ("Cấp Giấy chứng nhận xuất xứ hàng hóa (C/O) ưu đãi mẫu AK",
                                                             "H21")


def test_a_malformed_code_is_reported_never_read_as_a_section_and_duplicates_are_reported(db):
    # decision-h (1805/QĐ-UBND, Phú Thọ): 1.014440 published twice, "1.01443" with five digits
    header = ["TT", "Mã TTHC", "Tên TTHC", "Thời hạn giải quyết", "Cách thức/Địa điểm thực hiện",
              "Phí, lệ phí (nếu có)", "DVC TT (mức độ)", "Căn cứ pháp lý"]
    plan = planned([
        ["I. DANH MỤC THỦ TỤC HÀNH CHÍNH MỚI BAN HÀNH (16 thủ tục)"],
        header,
        ["3", "1.014440", "Thủ tục cấp lại Giấy công nhận trung tâm đổi mới sáng tạo",
         "15 ngày kể từ ngày nhận được hồ sơ hợp lệ.", "", "Không", "Toàn trình", ""],
        ["9", "1.01443", "Thủ tục cấp lại Giấy công nhận trung tâm hỗ trợ khởi nghiệp sáng tạo",
         "15 ngày kể từ ngày nhận được hồ sơ hợp lệ.", "", "Không", "Toàn trình", ""],
        ["10", "1.014445", "Thủ tục cấp Giấy chứng nhận doanh nghiệp khoa học và công nghệ",
         "15 ngày kể từ ngày nhận được hồ sơ hợp lệ.", "", "Không", "Toàn trình", ""],
        ["11", "1.014440", "Thủ tục cấp thay đổi nội dung, cấp lại Giấy chứng nhận doanh nghiệp khoa học và công nghệ",
         "10 ngày kể từ ngày nhận được hồ sơ hợp lệ.", "", "", "", ""],
    ], field="Hoạt động khoa học và công nghệ")
    assert [row.row for row in plan.rows] == [3, 4, 5, 6]
    assert problems(plan) == {
        3: [("Mã TTHC", "mã 1.014440 có ở các dòng 3, 6")],
        4: [("Mã TTHC", "mã «1.01443» không đúng dạng: một chữ số, dấu chấm và sáu chữ số (ví dụ 1.004122)")],
        6: [("Mã TTHC", "mã 1.014440 có ở các dòng 3, 6")],
    }
    assert values(plan) == {5: ("1.014445", 15, "calendar_days", None, 0, "Hoạt động khoa học và công nghệ", "province",
                                "in_force")}


def test_an_abolished_table_marks_its_procedures_abolished_and_its_header_names_no_field(db):
    # decision-h, part II: its own header with a "Lĩnh vực" column, below the new procedures
    plan = planned([
        ["TT", "Mã TTHC", "Tên TTHC", "Thời hạn giải quyết", "Phí, lệ phí (nếu có)", "Căn cứ pháp lý"],
        ["16", "1.014454", "Thủ tục đề xuất tham gia chương trình hỗ trợ voucher", "40 ngày", "Không", ""],
        ["II. THỦ TỤC HÀNH CHÍNH BỊ BÃI BỎ (06 THỦ TỤC)"],
        ["STT", "Số hồ sơ TTHC", "Tên Thủ tục hành chính", "Tên VBQPPL quy định việc bãi bỏ thủ tục hành chính",
         "Lĩnh vực", "Cơ quan thực hiện"],
        ["1", "2.002278", "Thủ tục cấp Giấy chứng nhận doanh nghiệp khoa học và công nghệ",
         "- Luật Khoa học, công nghệ và đổi mới sáng tạo năm 2025;\n- Nghị định số 268/2025/NĐ-CP.",
         "Hoạt động khoa học và công nghệ", "UBND tỉnh (Sở Khoa học và Công nghệ)"],
        ["III. THỦ TỤC HÀNH CHÍNH SỬA ĐỔI"],
        ["TT", "Mã TTHC", "Tên TTHC", "Thời hạn giải quyết", "Phí, lệ phí (nếu có)", "Căn cứ pháp lý"],
        ["1", "1.014451", "Thủ tục đăng ký thực hiện nhiệm vụ đổi mới sáng tạo", "53 ngày", "Không", ""],
    ], field="Đổi mới sáng tạo")
    assert [(row.row, row.code, row.status, row.field) for row in plan.rows] == [
        (2, "1.014454", "in_force", "Đổi mới sáng tạo"),
        (5, "2.002278", "abolished", "Hoạt động khoa học và công nghệ"),
        (8, "1.014451", "in_force", "Đổi mới sáng tạo"),
    ]
    assert plan.rows[1].action == "absent"  # not in this catalogue: nothing to abolish


def test_the_field_option_fills_rows_whose_table_names_none_and_never_overrides_a_field_row(db):
    plan = planned(NOTARISATION, field="Hộ tịch")
    assert {row.field for row in plan.rows} == {"Chứng thực"}
    rows = [NOTARISATION[4], NOTARISATION[7]]  # the header and one row: no title, no field row
    assert planned(rows, field="Chứng thực").rows[0].field == "Chứng thực"
    assert problems(planned(rows, decision_number="1", decision_date=date(2025, 1, 1))) == {2: [
        ("Lĩnh vực", "bảng không ghi lĩnh vực: nhập lĩnh vực (hoặc lĩnh vực mặc định khi tải lên)")]}


def test_a_name_repeated_under_another_code_is_reported_on_the_later_row(db):
    # decision-o (2770/QĐ-UBND, Đồng Nai), rows 13 and 14: row 14 repeats row 13's name under 2.000927
    header = ["STT", "Mã TTHC", "Tên thủ tục hành chính", "Thời hạn giải quyết", "Phí, lệ phí"]
    plan = planned([
        header, ["B. THỦ TỤC HÀNH CHÍNH CẤP XÃ"],
        ["5", "2.000913", "Chứng thực việc sửa đổi, bổ sung, hủy bỏ giao dịch", SAME_DAY_15, "30.000 đồng/giao dịch."],
        ["6", "2.000927", "Chứng thực việc sửa đổi, bổ sung, hủy bỏ giao dịch", SAME_DAY_15, "25.000 đồng/ giao dịch."],
    ], field="Chứng thực")
    assert problems(plan) == {4: [("Tên thủ tục hành chính", "tên giống dòng 3 (mã 2.000913): có thể chép nhầm tên")]}


def test_when_no_header_is_found_the_message_says_which_column_is_missing_and_what_was_looked_for(db):
    with pytest.raises(TableError) as caught:
        read_table(*table([["STT", "Mã TTHC", "Nội dung", "Số ngày", "Phí, lệ phí"], ["1", "1.001193", "…", "3", "0"]]))
    assert str(caught.value) == (
        "Không tìm thấy dòng tiêu đề trong 30 dòng đầu: thiếu cột «Tên thủ tục hành chính» (tìm «Tên thủ tục hành chính»,"
        " «Tên TTHC», «Thủ tục hành chính»); cột «Thời hạn giải quyết» (tìm «Thời hạn giải quyết», «Thời gian giải "
        "quyết»). Dòng gần nhất là dòng 1: «STT | Mã TTHC | Nội dung | Số ngày | Phí, lệ phí».")
    plan = plan_import(*table([["x"]], "bang.txt"))
    assert plan.problems == ["Tệp phải là .csv, .xlsx hoặc .json."] and plan.rows == []


# ------------------------------------------------------------------ the real tables

# What the thirteen tables say, row by row, for the rows that can be read exactly: (code, amount, unit, cut-off,
# fee, level). Checked by hand against the cells; every other row must be reported with a reason naming a cell.
# The field and decision are given where the table names none, as an administrator types them on upload.
OPTIONS = {
    "f": {"field": "Chính sách", "decision_number": "2929/QĐ-UBND", "decision_date": date(2025, 11, 18)},
    "g": {"field": "Hoạt động khoa học và công nghệ", "decision_number": "3565/QĐ-UBND", "decision_date": date(2025, 11, 21)},
    "h": {"field": "Hoạt động khoa học và công nghệ", "decision_number": "1805/QĐ-UBND", "decision_date": date(2025, 11, 18)},
    "j": {"field": "Việc làm", "decision_number": "1513/QĐ-UBND", "decision_date": date(2025, 11, 22)},
    "k": {"field": "Hoạt động khoa học và công nghệ", "decision_number": "2776/QĐ-UBND", "decision_date": date(2025, 11, 18)},
    "m": {"decision_number": "2698/QĐ-UBND", "decision_date": date(2025, 11, 21)},
    "o": {"field": "Chứng thực", "decision_number": "2770/QĐ-UBND", "decision_date": date(2025, 11, 18)},
}
WD, CD, SD, H15 = "working_days", "calendar_days", "same_day", time(15, 0)
P, C, S = "province", "commune", "shared"
RIGHT = {
    "c": {6: ("1.004122", 22, WD, None, None, P), 7: ("2.001738", 15, WD, None, None, P),
          8: ("1.004253", 8, WD, None, None, P), 9: ("1.012501", 8, WD, None, None, P),
          10: ("1.012498", 43, WD, None, None, P), 11: ("1.012505", 26, WD, None, None, P),
          14: ("1.004283", 21, WD, None, None, P), 16: ("1.004232", 45, WD, None, None, P),
          17: ("1.004228", 38, WD, None, None, P), 18: ("1.004223", 45, WD, None, None, P),
          19: ("1.004211", 38, WD, None, None, P), 20: ("1.004179", 45, WD, None, None, P),
          21: ("1.004167", 38, WD, None, None, P), 22: ("1.011518", 23, WD, None, None, P),
          25: ("1.012502", 14, CD, None, None, P), 29: ("2.001850", 49, CD, None, None, P),
          31: ("1.001662", 7, WD, None, None, C)},
    "d": {8: ("2.000908", 0, SD, H15, 0, S), 10: ("2.000884", 0, SD, H15, 10000, S), 11: ("2.000992", 0, SD, H15, 10000, S),
          12: ("2.001008", 0, SD, H15, 10000, S), 14: ("2.001035", 2, WD, None, 50000, C),
          15: ("2.001019", 2, WD, None, 50000, C), 16: ("2.001016", 2, WD, None, 50000, C),
          17: ("2.001406", 2, WD, None, 50000, C), 18: ("2.000913", 0, SD, H15, 30000, C),
          19: ("2.000927", 0, SD, H15, 25000, C)},
    "e": {6: ("1.013401", 14, WD, None, None, P), 7: ("1.013411", 14, WD, None, None, P),
          8: ("1.013412", 14, WD, None, None, P), 9: ("1.013416", 14, WD, None, None, P),
          10: ("1.013417", 10, WD, None, None, P), 11: ("1.013418", 10, WD, None, None, P),
          12: ("1.013419", 10, WD, None, None, P), 13: ("1.013421", 10, WD, None, None, P),
          14: ("1.013420", 10, WD, None, None, P)},
    "f": {2: ("2.002755", 12, WD, None, 0, P), 3: ("2.002757", 12, WD, None, 0, P), 4: ("2.002765", 1, CD, None, 0, P),
          6: ("2.002761", 9, WD, None, 0, P), 7: ("2.002767", 1, CD, None, None, P)},
    "g": {3: ("1.014390", 10, WD, None, 0, P), 4: ("1.014391", 10, WD, None, 0, P), 5: ("1.014392", 10, WD, None, 0, P),
          7: ("1.011818", 5, WD, None, 0, P), 8: ("1.011820", 5, WD, None, 0, P), 9: ("1.011819", 5, WD, None, 0, P)},
    "h": {12: ("1.014445", 15, CD, None, 0, P), 13: ("1.014446", 10, CD, None, None, P),
          14: ("1.014444", 28, CD, None, 0, P)},
    "i": {6: ("2.000894", 10, CD, None, 0, P), 9: ("2.000823", 30, CD, None, 0, P), 13: ("1.001117", 5, WD, None, 0, P)},
    "j": {3: ("1.014200", 3, WD, None, None, P), 4: ("1.014201", 10, WD, None, None, P),
          6: ("1.014197", 3, WD, None, None, P), 7: ("1.014198", 5, WD, None, None, P)},
    "k": {2: ("1.014438", 27, CD, None, 0, P), 3: ("1.014439", 27, CD, None, 0, P), 4: ("1.014440", 15, CD, None, 0, P),
          5: ("1.014431", 27, CD, None, 0, P), 6: ("1.014432", 27, CD, None, 0, P), 7: ("1.014433", 27, CD, None, 0, P),
          8: ("1.014435", 27, CD, None, 0, P), 9: ("1.014436", 27, CD, None, 0, P), 10: ("1.014437", 15, CD, None, 0, P),
          11: ("1.014445", 15, CD, None, 0, P), 12: ("1.014446", 10, CD, None, 0, P), 13: ("1.014444", 28, CD, None, 0, P),
          14: ("1.014451", 53, CD, None, 0, P), 15: ("1.014452", 15, CD, None, 0, P), 16: ("1.014453", 40, CD, None, 0, P),
          17: ("1.014454", 40, CD, None, 0, P)},
    "l": {4: ("1.014464", 2, WD, None, None, P), 5: ("1.014465", 2, WD, None, None, P)},
    "m": {},
    "n": {4: ("3.000324", 105, CD, None, None, P)},
    "o": {3: ("2.000908", 0, SD, H15, 0, S), 6: ("2.000992", 0, SD, H15, 10000, S), 7: ("2.001008", 0, SD, H15, 10000, S),
          9: ("2.001035", 2, WD, None, 50000, C), 10: ("2.001019", 2, WD, None, 50000, C),
          11: ("2.001016", 2, WD, None, 50000, C), 12: ("2.001406", 2, WD, None, 50000, C),
          13: ("2.000913", 0, SD, H15, 30000, C)},
}
ABOLISHED = {"h": ["2.002278", "2.001525", "2.002709", "2.002710", "2.002722", "2.002723"]}
FIELDS = {"c": "Tài nguyên nước", "d": "Chứng thực", "e": "Điện lực", "i": "Giám định tư pháp", "l": "Báo chí, xuất bản",
          "m": "Xuất nhập khẩu", "n": "Quản lý công sản"}  # from the title or a field row; the rest as typed on upload
ROWS = {"c": 25, "d": 12, "e": 9, "f": 6, "g": 6, "h": 22, "i": 9, "j": 6, "k": 16, "l": 2, "m": 1, "n": 3, "o": 12}


@pytest.mark.skipif(not REAL.is_dir(), reason=f"{REAL} is not on this machine (CI has it)")
@pytest.mark.parametrize("letter", sorted(ROWS))
@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_every_row_of_the_real_tables_is_read_right_or_reported_with_its_cell(db, letter, suffix):
    path = REAL / f"decision-{letter}.{suffix}"
    plan = plan_import(path.name, path.read_bytes(), options=OPTIONS.get(letter, {}))
    assert plan.problems == [] and len(plan.rows) == ROWS[letter]
    read = {row.row: (row.code, row.time_amount, row.time_unit, row.same_day_cutoff, row.fee, row.level)
            for row in plan.rows if row.clean and row.status != "abolished"}
    assert read == RIGHT[letter]
    field = FIELDS.get(letter) or OPTIONS[letter]["field"]
    assert {row.field for row in plan.rows if row.status != "abolished"} == {field}
    assert [row.code for row in plan.rows if row.status == "abolished" and row.clean] == ABOLISHED.get(letter, [])
    for row in plan.rows:
        assert all(problem.column and problem.message for problem in row.problems), row


def test_a_unit_in_the_time_header_a_code_left_in_the_name_and_a_second_sheet_are_handled(db):
    from openpyxl import Workbook
    import io

    workbook = Workbook()
    first = workbook.active
    first.title = "Phụ lục I"
    for row in [["(Kèm theo Quyết định số 12/QĐ-UBND ngày 05-01-2026 của Chủ tịch Ủy ban nhân dân tỉnh)"],
                ["STT", "Mã TTHC", "Tên thủ tục hành chính", "Thời hạn giải quyết (ngày làm việc)", "Phí, lệ phí"],
                [1, "", "Đăng ký khai sinh (1.001193)", 5, "Không"]]:
        first.append(row)
    workbook.create_sheet("Phụ lục II").append(["THỦ TỤC HÀNH CHÍNH BỊ BÃI BỎ"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    plan = plan_import("phu-luc.xlsx", buffer.getvalue(), options={"field": "Hộ tịch"})
    assert plan.decision["date"] == date(2026, 1, 5)
    assert values(plan) == {3: ("1.001193", 5, "working_days", None, 0, "Hộ tịch", "province", "in_force")}
    assert plan.notes == ["Trang tính «Phụ lục II» không có bảng thủ tục (không thấy dòng tiêu đề): bỏ qua."]


def test_a_field_is_spelt_as_the_catalogue_already_spells_it(db):
    from onestop.procedures import services

    services.create_procedure({"code": "2.000635", "name": "Đăng ký khai sinh có yếu tố nước ngoài", "field": "Chứng thực",
                               "time_amount": 3, "time_unit": "working_days", "fee": 0})
    rows = [list(row) for row in NOTARISATION]
    rows[5][0] = "LĨNH VỰC: CHỨNG THỰC"
    assert {row.field for row in planned(rows).rows} == {"Chứng thực"}
    rows[5][0] = "Lĩnh vực: chứng thực"
    assert {row.field for row in planned(rows).rows} == {"Chứng thực"}


# ------------------------------------------------------------------ units and notes in headings (written for these tests)

def test_the_time_headings_unit_reads_cells_that_say_only_a_number_and_ngay(db):
    plan = planned([
        ["(Kèm theo Quyết định số 45/QĐ-UBND ngày 02 tháng 3 năm 2026 của Chủ tịch Ủy ban nhân dân tỉnh)"],
        ["STT", "Mã TTHC", "Tên thủ tục hành chính", "Thời hạn giải quyết (Ngày làm việc)", "Phí, lệ phí (đồng)"],
        ["1", "1.000101", "Cấp giấy phép thử nghiệm A", "02 ngày", "50.000"],
        ["2", "1.000102", "Cấp giấy phép thử nghiệm B", "5", "100000"],
        ["3", "1.000103", "Cấp giấy phép thử nghiệm C", "Trong thời hạn 15 ngày kể từ ngày nhận đủ hồ sơ", "Không"],
        ["4", "1.000104", "Cấp giấy phép thử nghiệm D", "04 giờ làm việc", "Không"],  # the cell's own unit wins
        ["5", "1.000105", "Cấp giấy phép thử nghiệm E", "30 ngày theo lịch", "Không"],
    ], field="Thử nghiệm")
    assert values(plan) == {
        3: ("1.000101", 2, "working_days", None, 50000, "Thử nghiệm", "province", "in_force"),
        4: ("1.000102", 5, "working_days", None, 100000, "Thử nghiệm", "province", "in_force"),
        5: ("1.000103", 15, "working_days", None, 0, "Thử nghiệm", "province", "in_force"),
        6: ("1.000104", 4, "working_hours", None, 0, "Thử nghiệm", "province", "in_force"),
        7: ("1.000105", 30, "calendar_days", None, 0, "Thử nghiệm", "province", "in_force"),
    }


def test_a_heading_after_a_dash_in_capitals_and_a_cell_that_contradicts_it(db):
    plan = planned([
        ["TT", "MÃ TTHC", "TÊN THỦ TỤC HÀNH CHÍNH", "THỜI GIAN GIẢI QUYẾT - GIỜ LÀM VIỆC", "LỆ PHÍ (NGHÌN ĐỒNG)"],
        ["1", "1.000201", "Cấp giấy xác nhận thử nghiệm A", "8", "30"],
        ["2", "1.000202", "Cấp giấy xác nhận thử nghiệm B", "02 ngày", "Không"],
    ], field="Thử nghiệm", decision_number="45/QĐ-UBND", decision_date=date(2026, 3, 2))
    assert values(plan) == {2: ("1.000201", 8, "working_hours", None, 30000, "Thử nghiệm", "province", "in_force")}
    assert problems(plan) == {3: [("THỜI GIAN GIẢI QUYẾT - GIỜ LÀM VIỆC",
                                   "ô ghi «02 ngày» nhưng tiêu đề cột ghi «giờ làm việc»")]}


def test_without_a_unit_in_the_heading_ngay_is_calendar_days_and_a_bare_number_is_reported(db):
    plan = planned([
        ["STT", "Mã TTHC", "Tên thủ tục hành chính", "Thời hạn giải quyết", "Phí, lệ phí"],
        ["1", "1.000301", "Cấp giấy phép thử nghiệm A", "02 ngày", "Không"],
        ["2", "1.000302", "Cấp giấy phép thử nghiệm B", "5", "20000"],
    ], field="Thử nghiệm", decision_number="45/QĐ-UBND", decision_date=date(2026, 3, 2))
    assert values(plan) == {2: ("1.000301", 2, "calendar_days", None, 0, "Thử nghiệm", "province", "in_force")}
    assert problems(plan) == {3: [("Thời hạn giải quyết", "không có số ngày hoặc số giờ trong «5»"),
                                  ("Phí, lệ phí", "không có mức phí bằng số trong «20000»")]}


# ------------------------------------------------------------------ a main time with conditions (written for these tests)

SAME_DAY_BULKY = ("Trong ngày làm việc (nếu tiếp nhận sau 15 giờ thì trả kết quả trong ngày làm việc tiếp theo). "
                  "Trường hợp yêu cầu nhiều bản sao, giấy tờ nhiều trang mà không đáp ứng được thời hạn trên thì được kéo "
                  "dài thêm không quá 02 ngày làm việc.")
BY_AGREEMENT = "03 ngày làm việc kể từ ngày nhận đủ hồ sơ, hoặc có thể kéo dài theo thỏa thuận với người yêu cầu."
BY_OUTCOME = ("10 ngày làm việc trong trường hợp cấp giấy phép; 03 ngày làm việc trong trường hợp không cấp giấy phép "
              "thì trả lời bằng văn bản.")
CONDITIONS = [
    ["(Kèm theo Quyết định số 46/QĐ-UBND ngày 03 tháng 3 năm 2026 của Chủ tịch Ủy ban nhân dân tỉnh)"],
    ["STT", "Mã TTHC", "Tên thủ tục hành chính", "Thời hạn giải quyết", "Phí, lệ phí"],
    ["1", "2.000301", "Chứng thực thử nghiệm A", SAME_DAY_BULKY, "10.000 đồng/trường hợp"],
    ["2", "2.000302", "Chứng thực thử nghiệm B", BY_AGREEMENT, "50.000 đồng/hợp đồng"],
    ["3", "2.000303", "Cấp giấy phép thử nghiệm C", BY_OUTCOME, "Không"],
]


def test_a_main_time_with_a_longer_time_for_special_requests_keeps_the_longer_one_as_a_note(db):
    plan = planned(CONDITIONS, field="Chứng thực")
    assert values(plan) == {
        3: ("2.000301", 0, "same_day", time(15, 0), 10000, "Chứng thực", "province", "in_force"),
        4: ("2.000302", 3, "working_days", None, 50000, "Chứng thực", "province", "in_force"),
    }
    assert [row.time_note for row in plan.rows[:2]] == [
        "Trường hợp yêu cầu nhiều bản sao, giấy tờ nhiều trang mà không đáp ứng được thời hạn trên thì được kéo dài "
        "thêm không quá 02 ngày làm việc.",
        "Có thể kéo dài theo thỏa thuận với người yêu cầu."]
    assert problems(plan) == {5: [("Thời hạn giải quyết", "có 2 thời hạn («10 ngày làm việc», «03 ngày làm việc»): "
                                                          "thời hạn tùy trường hợp, giai đoạn hoặc cách nộp")]}


def test_the_note_is_stored_on_the_version_and_a_later_table_without_one_clears_it(db):
    from onestop.procedures import services
    from onestop.procedures.imports import apply_import

    plan = planned(CONDITIONS[:4], field="Chứng thực")
    apply_import(plan)
    version = services.get_by_code("2.000301").current
    assert (version.time_unit, version.same_day_cutoff, version.time_note) == (
        "same_day", time(15, 0), plan.rows[0].time_note)
    assert services.procedure_to_dict(version)["time_note"] == plan.rows[0].time_note
    later = [row[:] for row in CONDITIONS[:3]]
    later[0] = ["(Kèm theo Quyết định số 80/QĐ-UBND ngày 04 tháng 5 năm 2026 của Chủ tịch Ủy ban nhân dân tỉnh)"]
    later[2][3] = "Trong ngày (nếu tiếp nhận sau 15 giờ thì trả kết quả trong ngày làm việc tiếp theo)."
    plan = planned(later, field="Chứng thực")
    assert plan.updated == ["2.000301"]
    apply_import(plan)
    procedure = services.get_by_code("2.000301")
    assert [(v.number, v.time_note is None) for v in procedure.versions] == [(1, False), (2, True)]
