"""A PAR INDEX criteria set laid out as a province publishes its appendix (title rows, a header row, numbered rows,
a total row), made with openpyxl: 4 areas, 11 criteria, 31 sub-criteria, 70 points plus a survey of 30.

SPEC rows: (number, title, max points or None for a parent (the sum is written), how it is scored, evidence asked
for, indicator, scale). The parents' maxima written in the table are the sums of their children's."""
import io

from openpyxl import Workbook

SPEC = [
    ("1", "Công tác chỉ đạo, điều hành cải cách hành chính", None, None, None, None, None),
    ("1.1", "Kế hoạch cải cách hành chính năm", None, None, None, None, None),
    ("1.1.1", "Ban hành kế hoạch CCHC năm đúng thời hạn", 1, "Đúng hạn: 1; trễ hạn: 0", "Kế hoạch CCHC năm", None, None),
    ("1.1.2", "Mức độ hoàn thành kế hoạch CCHC", 1, "100%: 1; dưới 100%: 0", "Báo cáo kết quả thực hiện", None, None),
    ("1.1.3", "Bố trí kinh phí thực hiện kế hoạch", 1, "Có: 1; không: 0", "Quyết định giao dự toán", None, None),
    ("1.2", "Báo cáo cải cách hành chính", None, None, None, None, None),
    ("1.2.1", "Báo cáo quý đúng hạn, đủ nội dung", 1, "Đủ 4 báo cáo: 1", "Các báo cáo quý", None, None),
    ("1.2.2", "Báo cáo 6 tháng đúng hạn", 1, "Đúng hạn: 1", "Báo cáo 6 tháng", None, None),
    ("1.2.3", "Báo cáo năm đúng hạn", 1, "Đúng hạn: 1", "Báo cáo năm", None, None),
    ("1.3", "Kiểm tra công tác cải cách hành chính", None, None, None, None, None),
    ("1.3.1", "Ban hành kế hoạch kiểm tra CCHC", 2, "Có: 2", "Kế hoạch kiểm tra", None, None),
    ("1.3.2", "Tỷ lệ đơn vị được kiểm tra", 1, "≥30%: 1", "Biên bản kiểm tra", None, None),
    ("1.3.3", "Xử lý vấn đề phát hiện qua kiểm tra", 1, "100% xử lý: 1", "Văn bản xử lý", None, None),
    ("2", "Cải cách thủ tục hành chính", None, None, None, None, None),
    ("2.1", "Công khai thủ tục hành chính", None, None, None, None, None),
    ("2.1.1", "Công khai đầy đủ thủ tục trên Cổng dịch vụ công", 3, "100%: 3", "Không", None, None),
    ("2.1.2", "Niêm yết thủ tục tại bộ phận một cửa", 2, "Đầy đủ: 2", "Ảnh chụp nơi niêm yết", None, None),
    ("2.2", "Kết quả giải quyết thủ tục hành chính", None, None, None, None, None),
    ("2.2.1", "Tỷ lệ hồ sơ giải quyết đúng hạn", 6, "100%: 6; 90% đến dưới 100%: 3; dưới 90%: 0", "Không",
     "on_time_rate", "100:1; 90:0,5; 0:0"),
    ("2.2.2", "Tỷ lệ hồ sơ trễ hạn có văn bản xin lỗi", 2, "100%: 2; dưới 100%: 0", "Không",
     "apologised_share", "100:1; 0:0"),
    ("2.2.3", "Thực hiện cơ chế một cửa liên thông", 2, "Đầy đủ: 2", "Quyết định phê duyệt quy trình", None, None),
    ("2.3", "Tiếp nhận, xử lý phản ánh, kiến nghị", None, None, None, None, None),
    ("2.3.1", "Tỷ lệ phản ánh, kiến nghị xử lý đúng hạn", 3, "100%: 3; dưới 100%: 0", "Không",
     "complaints_on_time_rate", "100:1; 0:0"),
    ("2.3.2", "Công khai kết quả xử lý phản ánh, kiến nghị", 2, "Có: 2", "Đường dẫn công khai", None, None),
    ("3", "Cải cách tổ chức bộ máy", None, None, None, None, None),
    ("3.1", "Thực hiện quy định về tổ chức bộ máy", None, None, None, None, None),
    ("3.1.1", "Ban hành quy chế làm việc", 2, "Có: 2", "Quy chế làm việc", None, None),
    ("3.1.2", "Thực hiện sắp xếp tổ chức theo quy định", 2, "Đúng: 2", "Quyết định sắp xếp", None, None),
    ("3.1.3", "Thực hiện phân cấp, ủy quyền", 1, "Có: 1", "Văn bản phân cấp", None, None),
    ("3.2", "Quản lý biên chế", None, None, None, None, None),
    ("3.2.1", "Sử dụng biên chế đúng số được giao", 2, "Đúng: 2", "Báo cáo biên chế", None, None),
    ("3.2.2", "Thực hiện tinh giản biên chế", 1.5, "Đạt: 1,5", "Quyết định tinh giản", None, None),
    ("3.2.3", "Vị trí việc làm được phê duyệt", 1.5, "Có: 1,5", "Đề án vị trí việc làm", None, None),
    ("4", "Xây dựng và phát triển chính quyền điện tử, chính quyền số", None, None, None, None, None),
    ("4.1", "Cung cấp dịch vụ công trực tuyến", None, None, None, None, None),
    ("4.1.1", "Tỷ lệ hồ sơ nộp trực tuyến", 4, "≥50%: 4; 30% đến dưới 50%: 2; dưới 30%: 0", "Không",
     "online_share", "50:1; 30:0,5; 0:0"),
    ("4.1.2", "Tỷ lệ hồ sơ được số hóa", 3, "100%: 3; 80% đến dưới 100%: 1,5", "Không", "digitised_share",
     "100:1; 80:0,5; 0:0"),
    ("4.1.3", "Tích hợp dịch vụ công lên Cổng quốc gia", 3, "Đầy đủ: 3", "Danh mục dịch vụ tích hợp", None, None),
    ("4.2", "Ứng dụng công nghệ thông tin trong nội bộ", None, None, None, None, None),
    ("4.2.1", "Văn bản điện tử có chữ ký số", 4, "100%: 4", "Báo cáo hệ thống quản lý văn bản", None, None),
    ("4.2.2", "Hệ thống thông tin báo cáo", 3, "Có: 3", "Ảnh chụp hệ thống", None, None),
    ("4.2.3", "Họp trực tuyến", 3, "Có: 3", "Danh sách cuộc họp", None, None),
    ("4.3", "An toàn thông tin", None, None, None, None, None),
    ("4.3.1", "Phê duyệt hồ sơ cấp độ an toàn hệ thống", 4, "Có: 4", "Quyết định phê duyệt", None, None),
    ("4.3.2", "Diễn tập an toàn thông tin", 3, "Có: 3", "Báo cáo diễn tập", None, None),
    ("4.3.3", "Đào tạo an toàn thông tin cho công chức", 3, "Có: 3", "Danh sách học viên", None, None),
]
SURVEY = 30
HEADER = ("STT", "Lĩnh vực/Tiêu chí/Tiêu chí thành phần", "Điểm tối đa", "Cách chấm", "Tài liệu kiểm chứng",
          "Chỉ số đo", "Thang điểm")


def maxima(spec=SPEC) -> dict[str, float]:
    """Every row's maximum: a leaf's own, a parent's the sum of the rows below it."""
    found = {number: points for number, _title, points, *_rest in spec if points is not None}
    counted = {number: value for number, value in found.items() if isinstance(value, (int, float))}
    for number, *_rest in reversed(spec):
        if number not in found:
            found[number] = counted[number] = sum(value for child, value in counted.items()
                                                  if child.rpartition(".")[0] == number)
    return found


def leaves(spec=SPEC) -> list[str]:
    numbers = [row[0] for row in spec]
    return [number for number in numbers if not any(other.startswith(number + ".") for other in numbers)]


def criteria_workbook(spec=SPEC, *, total: float | None = None, extra_rows=(), header=HEADER,
                      title="Bộ tiêu chí xác định Chỉ số cải cách hành chính của các sở, ban, ngành năm 2026") -> bytes:
    """The appendix as an .xlsx: the province's name, the appendix's title, a header row, the numbered rows and
    "Tổng cộng" (the areas' sum unless `total` is given). `extra_rows` are appended as they are."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Phụ lục I"
    sheet.append(["ỦY BAN NHÂN DÂN TỈNH LÀO CAI"])
    sheet.append(["PHỤ LỤC I"])
    sheet.append([title])
    sheet.merge_cells("A3:G3")
    sheet.append([])
    sheet.append(list(header))
    values = maxima(spec)
    for number, name, _points, scoring, evidence, indicator, scale in spec:
        sheet.append([number, name, values[number], scoring, evidence, indicator, scale])
    areas = sum(values[number] for number, *_rest in spec if "." not in number)
    sheet.append([None, "Tổng cộng", areas if total is None else total])
    for row in extra_rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
