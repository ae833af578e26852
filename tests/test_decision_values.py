"""A decision's time, fee and code cells are read exactly, or reported: each rule on the real cells where it appears.

The texts are transcribed from the published appendix tables (the file and row are named beside each);
a wrong value taken silently is the failure these tests exist to catch.
"""
from datetime import time

import pytest

from onestop.procedures.decisions import FEE_UNITS, TIME_UNITS, heading_unit
from onestop.procedures.values import note_contradicts, read_code, read_fee, read_time, split_name_and_code


@pytest.fixture(autouse=True)
def _context(app):  # messages go through gettext
    yield


# ------------------------------------------------------------------ times read exactly

@pytest.mark.parametrize("text, amount, unit", [
    # decision-e (2715/QĐ-UBND Quảng Trị), row 6
    ("14 ngày làm việc từ ngày nhận được hồ sơ đầy đủ và hợp lệ", 14, "working_days"),
    # decision-g (3565/QĐ-UBND Huế), row 3
    ("Mười (10) ngày làm việc kể từ ngày nhận được hồ sơ hợp lệ.", 10, "working_days"),
    # decision-d (2637/QĐ-UBND Vĩnh Long), row 14: an extension by agreement is a note, not a second time
    ("Không quá 02 (hai) ngày làm việc, kể từ ngày nhận đủ hồ sơ yêu cầu chứng thực hoặc có thể kéo dài hơn theo "
     "thỏa thuận bằng văn bản với người yêu cầu chứng thực. Trường hợp kéo dài thời hạn giải quyết thì người tiếp "
     "nhận hồ sơ phải có phiếu hẹn ghi rõ thời gian (giờ, ngày) trả kết quả cho người yêu cầu chứng thực.",
     2, "working_days"),
    # decision-k (2776/QĐ-UBND Đồng Nai), row 2: "ngày" alone is calendar days
    ("27 ngày", 27, "calendar_days"),
    # decision-n (3850/QĐ-UBND Nghệ An), row 4
    ("105 ngày kể từ ngày nhận đủ hồ sơ", 105, "calendar_days"),
    # decision-c (1949/QĐ-UBND Cao Bằng), row 6: dates and decree numbers elsewhere are not durations
    ("Trong thời hạn 22 ngày làm việc, kể từ ngày nhận đủ hồ sơ.", 22, "working_days"),
    # decision-e row 13: the decree number in the text is not a time
    ("10 ngày làm việc kể từ thời điểm có cơ sở xác định giấy phép hoạt động điện lực thuộc trường hợp quy định "
     "tại khoản 1 Điều 23 Nghị định số 61/2025/NĐ-CP", 10, "working_days"),
    # the example of working hours
    ("04 giờ làm việc", 4, "working_hours"),
])
def test_a_single_time_is_read_with_its_unit(text, amount, unit):
    assert read_time(text)[:4] == (amount, unit, None, None)


def test_notarisation_same_day_with_a_15_oclock_cut_off_is_never_15_working_hours():
    # decision-d row 8 (2.000908, Cấp bản sao từ sổ gốc)
    text = ("Thời hạn thực hiện yêu cầu chứng thực là ngay trong ngày cơ quan, tổ chức tiếp nhận yêu cầu hoặc trong ngày "
            "làm việc tiếp theo nếu tiếp nhận yêu cầu sau 15 giờ. Thời hạn được tính từ ngày cơ quan, tổ chức nhận đủ hồ "
            "sơ hợp lệ trực tiếp, theo dấu bưu điện đến hoặc theo thời điểm hệ thống dịch vụ công ghi nhận đã nhận đủ hồ "
            "sơ hợp lệ")
    assert read_time(text)[:4] == (0, "same_day", time(15, 0), None)
    # decision-d row 18 (2.000913): the comma before "nếu" and the appointment sentence change nothing
    text = ("Thời hạn thực hiện yêu cầu chứng thực là ngay trong ngày cơ quan, tổ chức tiếp nhận yêu cầu hoặc trong ngày "
            "làm việc tiếp theo, nếu tiếp nhận yêu cầu sau 15 giờ. Trường hợp trả kết quả trong ngày làm việc tiếp theo thì "
            "người tiếp nhận hồ sơ phải có phiếu hẹn ghi rõ thời gian (giờ, ngày) trả kết quả cho người yêu cầu chứng thực")
    assert read_time(text)[:4] == (0, "same_day", time(15, 0), None)


def test_same_day_without_a_cut_off_keeps_the_default_cut_off():
    assert read_time("Trong ngày")[:4] == (0, "same_day", None, None)


def test_a_reduction_note_is_kept_and_the_time_is_the_number_before_it():
    # decision-l (01763/QĐ-UBND Cà Mau), row 4: three days cut by one leave two
    text = "Trong thời hạn 02 ngày làm việc (cắt giảm 01/03 ngày làm việc, tỷ lệ 33,33%) kể từ ngày nhận đủ hồ sơ hợp lệ."
    assert read_time(text)[:4] == (2, "working_days", None, None)
    assert read_time("Trong thời hạn 03 ngày làm việc (cắt giảm 01/03 ngày làm việc)").problem == (
        "cắt giảm 01/03 ngày không khớp với thời hạn 3 ngày")


# ------------------------------------------------------------------ times reported, never summed or picked

@pytest.mark.parametrize("text, message", [
    # decision-f (2929/QĐ-UBND Sơn La), row 5: by case
    ("10 ngày hoặc 30 ngày (đối với trường hợp chưa đủ căn cứ xác nhận) kể từ ngày nhận được đơn đề nghị",
     "có 2 thời hạn («10 ngày», «30 ngày»): thời hạn tùy trường hợp, giai đoạn hoặc cách nộp"),
    # decision-i (1628/QĐ-UBND Quảng Ngãi), row 7: two stages
    ("- Trong thời hạn 7 ngày làm việc, kể từ ngày nhận đủ hồ sơ hợp lệ của Văn phòng giám định tư pháp, Sở Tư pháp "
     "trình Chủ tịch Ủy ban nhân dân tỉnh xem xét, quyết định cho phép chuyển đổi loại hình Văn phòng giám định tư pháp.\n"
     "- Trong thời hạn 10 ngày làm việc, kể từ ngày nhận được văn bản đề nghị của Sở Tư pháp, Chủ tịch Ủy ban nhân dân "
     "tỉnh xem xét, quyết định cho phép chuyển đổi loại hình Văn phòng giám định tư pháp.",
     "có 2 thời hạn («7 ngày làm việc», «10 ngày làm việc»): thời hạn tùy trường hợp, giai đoạn hoặc cách nộp"),
    # decision-m (Gia Lai), row 6: 6, 8 or 24 working hours by channel
    ("- Đối với trường hợp hồ sơ đề nghị cấp C/O của thương nhân được đính kèm trên Hệ thống eCoSys dưới dạng điện tử: "
     "Trong thời hạn 6 giờ làm việc kể từ khi Tổ chức cấp C/O nhận được hồ sơ đầy đủ và hợp lệ dưới dạng điện tử.\n"
     "- Đối với trường hợp hồ sơ … nộp trực tiếp tại trụ sở của Tổ chức cấp C/O dưới dạng bản giấy: Trong thời hạn 8 giờ "
     "làm việc kể từ khi Tổ chức cấp C/O nhận được hồ sơ đề nghị cấp C/O đầy đủ và hợp lệ.\n"
     "- Đối với trường hợp hồ sơ … nộp qua bưu điện: Trong thời hạn 24 giờ làm việc kể từ khi Tổ chức cấp C/O nhận được "
     "hồ sơ đề nghị cấp C/O đầy đủ và hợp lệ theo ngày ghi trên bì thư.",
     "có 3 thời hạn («6 giờ làm việc», «8 giờ làm việc», «24 giờ làm việc»): thời hạn tùy trường hợp, giai đoạn hoặc "
     "cách nộp"),
    # same day, and another time that is no extension of it: by case
    ("Trong ngày đối với hồ sơ nộp trực tiếp; 02 ngày làm việc đối với hồ sơ nộp qua bưu chính",
     "ngay trong ngày nhưng còn thời hạn khác («02 ngày làm việc»): thời hạn tùy trường hợp"),
    # a bare hour count is not assumed to be working hours
    ("15 giờ", "«15 giờ» không ghi là giờ làm việc"),
    ("Theo quy định", "không có số ngày hoặc số giờ trong «Theo quy định»"),
    ("Hai (03) ngày làm việc", "số «03» và chữ «hai» không khớp"),
    ("", "ô thời hạn để trống"),
])
def test_a_time_that_depends_on_the_case_stage_or_channel_is_reported(text, message):
    assert read_time(text) == (None, None, None, message, None)


def test_a_note_that_contradicts_the_time_cell_is_reported_and_one_that_agrees_is_not():
    # decision-c row 12 (1.009669): 26 days in the time cell, the note says the time was cut to 24
    reading = read_time("Trong thời hạn 26 ngày làm việc, kể từ ngày nhận đủ hồ sơ")
    assert note_contradicts(reading, "Cắt giảm thời gian giải quyết từ 26 ngày xuống 24 ngày") == (
        "ghi chú ghi thời hạn 24 ngày, ô thời hạn ghi 26")
    # decision-c row 6 (1.004122): 22 days, cut from 24 to 22
    reading = read_time("Trong thời hạn 22 ngày làm việc, kể từ ngày nhận đủ hồ sơ.")
    assert note_contradicts(reading, "Cắt giảm thời gian giải quyết từ 24 ngày xuống 22 ngày") is None


# ------------------------------------------------------------------ fees

@pytest.mark.parametrize("text, kind, value", [
    ("Không", "none", 0),  # decision-d row 8
    ("Không thu", "none", 0),
    ("Miễn phí", "none", 0),
    ("", "unknown", None),  # decision-h row 13: blank as published, never 0
    ("Phí: 50.000 đồng/giao dịch", "amount", 50000),  # decision-d row 14
    ("Phí: 10.000 đồng/trường hợp (trường hợp được tính là một hoặc nhiều chữ ký trong một giấy tờ, văn bản)",
     "amount", 10000),  # decision-d row 10
    ("10.000 đồng/th (trường hợp viết tắt là th)", "amount", 10000),  # decision-o row 6
    ("1.500.000 đồng/01 hồ sơ (áp dụng từ 01/7/2025 đến hết ngày 31/12/2026)", "amount", 1500000),  # dates are not amounts
    ("Không quy định", "unknown", None),  # decision-c row 8
    ("Không qui định", "unknown", None),  # decision-l row 4
    ("Không có quy định", "unknown", None),  # decision-n row 4
    ("Theo quy định của Bộ Tài chính", "unknown", None),  # decision-e
    ("Theo quy định tại các văn bản hướng dẫn Luật Phí và lệ phí thuộc thẩm quyền quyết định của Hội đồng nhân dân "
     "tỉnh,", "unknown", None),  # decision-j
    ("- Trường hợp nộp hồ sơ trực tiếp hoặc qua bưu chính công ích: Theo Nghị quyết số 22/2025/NQ-HĐND ngày 10/11/2025 "
     "của HĐND tỉnh Cao Bằng;\n- Trường hợp nộp hồ sơ qua dịch vụ công trực tuyến: giảm 50 % mức phí, lệ phí theo Nghị "
     "quyết số 89/2022/NQ-HĐND ngày 09/12/2022 của HĐND tỉnh Cao Bằng.", "unknown", None),  # decision-c row 6
])
def test_a_fee_is_none_one_amount_or_not_known(text, kind, value):
    reading = read_fee(text)
    assert (reading.kind, reading.value, reading.problem) == (kind, value, None)


def test_a_bare_number_is_an_amount_only_under_a_header_in_dong():
    assert read_fee("50.000", unit_hint="dong").value == 50000  # "Phí, lệ phí (đồng)" as in decision-f
    assert read_fee("50.000").problem == "số «50.000» không ghi đơn vị tiền"


@pytest.mark.parametrize("text, message", [
    # decision-d row 9: by page, with a ceiling
    ("Phí: 2.000 đồng/trang; từ trang thứ 3 trở lên thu 1.000 đồng/trang, tối đa thu không quá 200.000 đồng/bản. Trang "
     "là căn cứ để thu phí được tính theo trang của bản chính",
     "có 3 mức phí (1.000 đồng, 2.000 đồng, 200.000 đồng): phí theo bậc, theo thời gian hoặc theo trường hợp"),
    # decision-o row 5: a tier in USD abroad
    ("10.000 đồng/th (trường hợp được tính là một hoặc nhiều chữ ký trong một giấy tờ, văn bản) Tại cơ quan đại diện: "
     "10 USD/bản", "có mức phí bằng ngoại tệ: nhiều mức theo nơi nộp"),
    # decision-m row 6: tiers by date
    ("- Từ ngày 01/7/2025 đến ngày 31/12/2026: 30.000 đồng/bộ C/O.\n- Từ ngày 01/01/2027 trở đi: 60.000 đồng/bộ C/O.\n"
     "- Thu phí tại thời điểm nộp hồ sơ",
     "có 2 mức phí (30.000 đồng, 60.000 đồng): phí theo bậc, theo thời gian hoặc theo trường hợp"),
    ("50.000 - 100.000 đồng", "có 2 mức phí (50.000 đồng, 100.000 đồng): phí theo bậc, theo thời gian hoặc theo trường hợp"),
    # decision-c row 24: who pays, but no amount
    ("Tổ chức, cá nhân đầu tư dự án chi trả",
     "không có mức phí bằng số trong «Tổ chức, cá nhân đầu tư dự án chi trả»"),
])
def test_fees_in_tiers_or_without_an_amount_are_reported(text, message):
    assert read_fee(text).problem == message


# ------------------------------------------------------------------ codes

@pytest.mark.parametrize("text, code, suffix", [
    ("2.000908.00 0.00.00.H61", "2.000908", "000.00.00.H61"),  # decision-d: the portal's long form, a stray space
    ("2.001016.000 .00.00.H61", "2.001016", "000.00.00.H61"),
    ("1.001122.000.00.00.H48", "1.001122", "000.00.00.H48"),  # decision-i
    ("1.014199.H05", "1.014199", "H05"),  # decision-j
    ("1.014464. H12", "1.014464", "H12"),  # decision-l
    ("3.000324", "3.000324", None),  # decision-n
    (2.00091, "2.000910", None),  # a spreadsheet that stored the code as a number
])
def test_the_national_code_is_kept_and_the_suffix_recorded(text, code, suffix):
    assert read_code(text) == (code, suffix, None)


def test_a_malformed_code_is_a_problem_not_a_heading():
    assert read_code("1.01443").problem == (
        "mã «1.01443» không đúng dạng: một chữ số, dấu chấm và sáu chữ số (ví dụ 1.004122)")  # decision-h row 11
    assert read_code("1.001740; 1.001645").problem == "ô có 2 mã (1.001740, 1.001645): mỗi dòng một thủ tục"


@pytest.mark.parametrize("cell, name, code", [
    ("Cấp giấy phép hành nghề khoan nước dưới đất (1.004122)", "Cấp giấy phép hành nghề khoan nước dưới đất",
     "1.004122"),  # decision-c row 6
    ("Thủ tục xác nhận cán bộ Quân đội nghỉ hưu mắc bệnh hiểm nghèo. Mã TTHC: 2.002761",
     "Thủ tục xác nhận cán bộ Quân đội nghỉ hưu mắc bệnh hiểm nghèo", "2.002761"),  # decision-f row 6
    ("Cấp giấy phép hoạt động phát điện thuộc thẩm quyền cấp của Ủy ban nhân dân cấp tỉnh; 1.013401.H50",
     "Cấp giấy phép hoạt động phát điện thuộc thẩm quyền cấp của Ủy ban nhân dân cấp tỉnh", "1.013401.H50"),  # e row 6
    ("Cấp Giấy chứng nhận xuất xứ hàng hóa (C/O) ưu đãi mẫu AK\n1.000603.H21",
     "Cấp Giấy chứng nhận xuất xứ hàng hóa (C/O) ưu đãi mẫu AK", "1.000603.H21"),  # decision-m row 6
    ("Cấp giấy phép khai thác nước mặt, nước biển (đối với các trường hợp quy định tại khoản 2 Điều 15 Nghị định số "
     "54/2024/NĐ-CP ngày 16 tháng 5 năm 2024) (1.004179)",
     "Cấp giấy phép khai thác nước mặt, nước biển (đối với các trường hợp quy định tại khoản 2 Điều 15 Nghị định số "
     "54/2024/NĐ-CP ngày 16 tháng 5 năm 2024)", "1.004179"),  # decision-c row 20, shortened
    ("Đăng ký khai sinh", "Đăng ký khai sinh", None),
])
def test_a_code_written_inside_the_name_is_taken_out_of_it(cell, name, code):
    assert split_name_and_code(cell) == (name, code)


def test_a_bare_number_is_a_time_only_when_the_header_names_the_unit():
    assert read_time("05", unit_hint="ngay lam viec")[:4] == (5, "working_days", None, None)
    assert read_time("05").problem == "không có số ngày hoặc số giờ trong «05»"


def test_thousands_written_with_commas_are_one_amount():
    assert read_fee("Lệ phí: 100,000 đồng/hồ sơ").value == 100000


# ------------------------------------------------------------------ the unit a column's heading states

@pytest.mark.parametrize("heading, unit", [
    ("Thời hạn giải quyết (Ngày làm việc)", "ngay lam viec"),
    ("THỜI HẠN GIẢI QUYẾT (NGÀY LÀM VIỆC)", "ngay lam viec"),
    ("Thoi han giai quyet (ngay lam viec)", "ngay lam viec"),  # typed without tone marks
    ("Thời gian giải quyết - ngày", "ngay"),
    ("Thời hạn giải quyết – Giờ làm việc", "gio lam viec"),
    ("Thời hạn giải quyết (đơn vị tính: ngày làm việc)", "ngay lam viec"),
    ("Thời hạn giải quyết", None),
    ("Thời hạn giải quyết (kể từ ngày nhận đủ hồ sơ)", None),  # a note in brackets, not a unit
])
def test_the_unit_a_time_heading_states_in_brackets_or_after_a_dash(heading, unit):
    assert heading_unit(heading, TIME_UNITS) == unit


@pytest.mark.parametrize("heading, unit", [
    ("Phí, lệ phí (đồng)", "dong"), ("Phí, lệ phí (VNĐ)", "dong"), ("Lệ phí - đồng", "dong"),
    ("Mức thu (nghìn đồng)", "nghin dong"), ("Phí, lệ phí (ngàn đồng)", "nghin dong"), ("Phí, lệ phí (nếu có)", None),
    ("Phí, lệ phí (đồng/hồ sơ)", "dong"),
])
def test_the_unit_a_fee_heading_states(heading, unit):
    assert heading_unit(heading, FEE_UNITS) == unit


@pytest.mark.parametrize("text, heading, reading", [
    # a cell giving only a number and "ngày" takes the heading's unit
    ("02 ngày", "ngay lam viec", (2, "working_days")),
    ("Trong thời hạn 15 ngày kể từ ngày nhận đủ hồ sơ hợp lệ", "ngay lam viec", (15, "working_days")),
    ("Mười (10) ngày", "ngay lam viec", (10, "working_days")),
    ("7", "ngay lam viec", (7, "working_days")),
    ("02 ngày", "ngay", (2, "calendar_days")),
    ("8 giờ", "gio lam viec", (8, "working_hours")),
    # a cell stating its own unit wins over the heading
    ("04 giờ làm việc", "ngay lam viec", (4, "working_hours")),
    ("10 ngày làm việc", "ngay", (10, "working_days")),
    ("30 ngày theo lịch", "ngay lam viec", (30, "calendar_days")),
    ("Trong ngày", "ngay lam viec", (0, "same_day")),
])
def test_a_heading_unit_reads_a_cell_that_gives_only_a_number_and_ngay(text, heading, reading):
    assert read_time(text, heading) == (*reading, None, None, None)


@pytest.mark.parametrize("text, heading, message", [
    ("02 ngày", "gio lam viec", "ô ghi «02 ngày» nhưng tiêu đề cột ghi «giờ làm việc»"),
    ("Trong thời hạn 8 giờ", "ngay lam viec", "ô ghi «8 giờ» nhưng tiêu đề cột ghi «ngày làm việc»"),
])
def test_a_cell_that_contradicts_its_heading_is_reported(text, heading, message):
    assert read_time(text, heading) == (None, None, None, message, None)


def test_without_a_heading_unit_ngay_stays_calendar_days():
    assert read_time("02 ngày")[:2] == (2, "calendar_days")


def test_a_fee_heading_in_dong_or_thousands_makes_a_bare_number_an_amount():
    assert read_fee("20000", unit_hint="dong") == ("amount", 20000, None)
    assert read_fee("50", unit_hint="nghin dong") == ("amount", 50000, None)
    assert read_fee("50.000 đồng", unit_hint="nghin dong") == ("amount", 50000, None)  # the cell's own unit wins
    assert read_fee("Không", unit_hint="nghin dong") == ("none", 0, None)
    assert read_fee("1.500", unit_hint="nghin dong").problem == "số «1.500» dưới tiêu đề nghìn đồng: ghi rõ số đồng"
    assert read_fee("20000").problem == "không có mức phí bằng số trong «20000»"  # no heading unit: not guessed


# ------------------------------------------------------------------ a main time with conditions

BULKY = ("Đối với trường hợp cùng một lúc yêu cầu chứng thực nhiều loại giấy tờ; giấy tờ có nhiều trang; yêu cầu nhiều "
         "bản sao mà không thể đáp ứng được thời hạn nêu trên thì thời hạn được kéo dài thêm không quá 02 (hai) ngày làm "
         "việc hoặc có thể dài hơn theo thỏa thuận bằng văn bản với người yêu cầu.")


def test_same_day_with_its_cut_off_then_a_longer_time_for_bulky_requests_is_same_day_with_a_note():
    text = ("Trong ngày tiếp nhận yêu cầu (nếu tiếp nhận sau 15 giờ 30 thì trả kết quả trong ngày làm việc tiếp theo). "
            + BULKY)
    assert read_time(text) == (0, "same_day", time(15, 30), None, BULKY)


def test_a_main_time_then_an_extension_by_agreement_is_the_main_time_with_a_note():
    text = "Không quá 03 ngày làm việc kể từ ngày nhận đủ hồ sơ, hoặc có thể kéo dài theo thỏa thuận với người yêu cầu."
    assert read_time(text) == (3, "working_days", None, None, "Có thể kéo dài theo thỏa thuận với người yêu cầu.")
    # the heading's unit reads the main time as it reads any cell
    text = "05 ngày hoặc có thể được kéo dài theo thỏa thuận bằng văn bản"
    assert read_time(text, "ngay lam viec") == (5, "working_days", None, None,
                                                "Có thể được kéo dài theo thỏa thuận bằng văn bản")


@pytest.mark.parametrize("text, message", [
    # by outcome: 10 days if granted, 3 if refused
    ("- 10 ngày làm việc nếu chấp thuận và cấp giấy phép.\n- 03 ngày làm việc trong trường hợp không chấp thuận.",
     "có 2 thời hạn («10 ngày làm việc», «03 ngày làm việc»): thời hạn tùy trường hợp, giai đoạn hoặc cách nộp"),
    # by channel
    ("04 giờ làm việc với hồ sơ điện tử; 08 giờ làm việc với hồ sơ giấy",
     "có 2 thời hạn («04 giờ làm việc», «08 giờ làm việc»): thời hạn tùy trường hợp, giai đoạn hoặc cách nộp"),
    # by stage, even when a later stage may be extended
    ("- Trong thời hạn 05 ngày làm việc, Sở kiểm tra hồ sơ.\n- Trong thời hạn 15 ngày, Sở thẩm định; thời hạn thẩm "
     "định có thể kéo dài thêm 10 ngày.",
     "có 3 thời hạn («05 ngày làm việc», «15 ngày», «10 ngày»): thời hạn tùy trường hợp, giai đoạn hoặc cách nộp"),
    # by case, with no extension named
    ("14 ngày; riêng công trình là hồ chứa thì thời hạn giải quyết là 28 ngày",
     "có 2 thời hạn («14 ngày», «28 ngày»): thời hạn tùy trường hợp, giai đoạn hoặc cách nộp"),
    # an extension in the same clause as the main time: which is which is for a person to say
    ("05 ngày làm việc; trường hợp phức tạp được kéo dài thêm 05 ngày làm việc",
     "có 2 thời hạn («05 ngày làm việc», «05 ngày làm việc»): thời hạn tùy trường hợp, giai đoạn hoặc cách nộp"),
])
def test_alternatives_of_equal_standing_are_still_reported(text, message):
    assert read_time(text) == (None, None, None, message, None)
