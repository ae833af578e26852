"""Small appendix tables for tests, transcribing rows of the real decisions in /work/shared/data/decisions."""
import csv
import io

from openpyxl import Workbook


def table(rows, name="phu-luc.csv") -> tuple[str, bytes]:
    """(filename, bytes) of a CSV or an XLSX holding these rows as an office typed them."""
    if name.endswith(".xlsx"):
        workbook = Workbook()
        for row in rows:
            workbook.active.append(row)
        buffer = io.BytesIO()
        workbook.save(buffer)
        return name, buffer.getvalue()
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return name, buffer.getvalue().encode("utf-8")


SAME_DAY_15 = ("Thời hạn thực hiện yêu cầu chứng thực là ngay trong ngày cơ quan, tổ chức tiếp nhận yêu cầu hoặc trong "
               "ngày làm việc tiếp theo nếu tiếp nhận yêu cầu sau 15 giờ. Thời hạn được tính từ ngày cơ quan, tổ chức "
               "nhận đủ hồ sơ hợp lệ trực tiếp, theo dấu bưu điện đến hoặc theo thời điểm hệ thống dịch vụ công ghi "
               "nhận đã nhận đủ hồ sơ hợp lệ")
TWO_DAYS = ("Không quá 02 (hai) ngày làm việc, kể từ ngày nhận đủ hồ sơ yêu cầu chứng thực hoặc có thể kéo dài hơn theo "
            "thỏa thuận bằng văn bản với người yêu cầu chứng thực.")
PER_PAGE = ("Phí: 2.000 đồng/trang; từ trang thứ 3 trở lên thu 1.000 đồng/trang, tối đa thu không quá 200.000 đồng/bản. "
            "Trang là căn cứ để thu phí được tính theo trang của bản chính")

# decision-d (2637/QĐ-UBND, Vĩnh Long): title rows, "Số TT", portal codes with a stray space, a field row and level rows
NOTARISATION = [
    ["PHỤ LỤC I", "", "", "", "", "", ""],
    ["DANH MỤC THỦ TỤC HÀNH CHÍNH TRONG LĨNH VỰC CHỨNG THỰC THUỘC PHẠM VI CHỨC NĂNG QUẢN LÝ CỦA SỞ TƯ PHÁP TỈNH "
     "VĨNH LONG"],
    ["(Kèm theo Quyết định số 2637/QĐ-UBND ngày 16 tháng 11 năm 2025 của Chủ tịch Ủy ban nhân dân tỉnh Vĩnh Long)"],
    ["A. DANH MỤC THỦ TỤC HÀNH CHÍNH ĐƯỢC SỬA ĐỔI, BỔ SUNG"],
    ["Số TT", "Mã thủ tục hành chính", "Tên thủ tục hành chính", "Thời hạn giải quyết", "Địa điểm thực hiện",
     "Phí, lệ phí", "Căn cứ pháp lý"],
    ["LĨNH VỰC: CHỨNG THỰC (12 TTHC)", "", "", "", "", "", ""],
    ["I. THỦ TỤC HÀNH CHÍNH ÁP DỤNG CHUNG (CẤP TÍNH, XÃ) (05 TTHC)", "", "", "", "", "", ""],
    ["1", "2.000908.00 0.00.00.H61", "Cấp bản sao từ sổ gốc", SAME_DAY_15,
     "Cơ quan thực hiện thủ tục hành chính: Cơ quan, tổ chức lập sổ gốc", "Không",
     "- Nghị định số 280/2025/NĐ-CP ngày 27/10/2025 của Chính phủ"],
    ["2", "2.000884.00 0.00.00.H61", "Chứng thực chữ ký trong các giấy tờ, văn bản", SAME_DAY_15, "UBND cấp xã",
     "Phí: 10.000 đồng/trường hợp (trường hợp được tính là một hoặc nhiều chữ ký trong một giấy tờ, văn bản)", ""],
    ["II. THỦ TỤC HÀNH CHÍNH CẤP XÃ (07 TTHC)", "", "", "", "", "", ""],
    ["1", "2.001019.00 0.00.00.H61", "Chứng thực di chúc", TWO_DAYS, "UBND cấp xã", "Phí: 50.000 đồng/di chúc", ""],
    ["7", "2.000942.000 .00.00.H61", "Cấp bản sao có chứng thực từ bản chính giao dịch đã được chứng thực",
     SAME_DAY_15, "UBND cấp xã", PER_PAGE, ""],
]


def workbook(sheets: dict[str, list], name="phu-luc.xlsx") -> tuple[str, bytes]:
    """(filename, bytes) of a workbook with these sheets, in this order, each holding its rows."""
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return name, buffer.getvalue()
