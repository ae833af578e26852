"""The day's book of fees and charges (sổ thu phí, lệ phí trong ngày): A4 PDF and an Excel sheet. Pure: takes the
plain dict of onestop.fees.daybook.book (the agency, the day, its rows and totals) and returns bytes."""
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Font
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.units import cm
from reportlab.platypus import Spacer

from ..text import looks_like_formula, spreadsheet_text
from ..timeutil import fmt
from .fonts import BOLD
from .layout import SIGN_NOTE, TITLE, build, content_width, grid, national_heading, para, signatures, style, text

METHODS = {"cash": "Tiền mặt", "transfer": "Chuyển khoản", "online": "Trực tuyến"}
SUB = style("daybook_sub", size=12, align=TA_CENTER, space_after=8)
HEAD = style("daybook_head", size=12, align=TA_LEFT, space_after=2, font=BOLD)
CELL = style("daybook_cell", size=9.5, align=TA_LEFT, space_after=0, leading=11)
MARGINS = (2 * cm, 1.5 * cm, 1.5 * cm, 1.5 * cm)


def figures(amount: int) -> str:
    return f"{amount:,}".replace(",", ".")


def _title(data: dict) -> str:
    return f"Ngày {data['day']:%d/%m/%Y}" + (f" – người thu: {data['collector'].full_name}" if data.get("collector") else "")


def render_daybook_pdf(data: dict) -> bytes:
    width = content_width(margins=MARGINS)
    agency = data["agency"]
    flow = national_heading({"agency_name": agency.name,
                             "parent_agency_name": agency.parent.name if agency.parent else None}, width)
    flow += [para("SỔ THU PHÍ, LỆ PHÍ TRONG NGÀY", TITLE), para(text(_title(data)), SUB)]
    cell = lambda value: para(text(value), CELL)  # noqa: E731
    flow.append(para("1. Biên lai đã lập", HEAD))
    rows = [["STT", "Ký hiệu, số", "Mã hồ sơ", "Người nộp", "Hình thức", "Số tiền", "Người thu"]]
    for index, row in enumerate(data["receipts"], start=1):
        rows.append([str(index), cell(f"{row['series']} / {row['number']:07d}" + (" (đã hủy)" if row["cancelled"] else "")),
                     cell(row["application_code"]), cell(row["payer"]), METHODS.get(row["method"], row["method"]),
                     figures(row["amount"]), cell(row["collector"] or "")])
    flow.append(grid(rows, [1 * cm, 3.4 * cm, 3.4 * cm, 2.6 * cm, 1.8 * cm, 2.4 * cm, 2.9 * cm], font_size=9.5))
    flow.append(Spacer(1, 6))
    flow.append(para("2. Biên lai hủy trong ngày", HEAD))
    rows = [["STT", "Ký hiệu, số", "Mã hồ sơ", "Số tiền", "Lý do", "Người hủy"]]
    for index, row in enumerate(data["cancellations"], start=1):
        rows.append([str(index), cell(f"{row['series']} / {row['number']:07d}"), cell(row["application_code"]),
                     figures(row["amount"]), cell(row["reason"]), cell(row["by"] or "")])
    flow.append(grid(rows, [1 * cm, 3.6 * cm, 3.6 * cm, 2 * cm, 4.5 * cm, 2.8 * cm], font_size=9.5))
    flow.append(Spacer(1, 6))
    flow.append(para("3. Hoàn trả trong ngày", HEAD))
    rows = [["STT", "Mã hồ sơ", "Số tiền", "Lý do", "Người quyết định", "Người chi"]]
    for index, row in enumerate(data["refunds"], start=1):
        rows.append([str(index), cell(row["application_code"]), figures(row["amount"]), cell(row["reason"]),
                     cell(row["decided_by"]), cell(row["by"] or "")])
    flow.append(grid(rows, [1 * cm, 3.6 * cm, 2 * cm, 4.5 * cm, 3.2 * cm, 3.2 * cm], font_size=9.5))
    flow.append(Spacer(1, 6))
    flow.append(para("4. Tổng hợp theo hình thức", HEAD))
    rows = [["Hình thức", "Số biên lai", "Đã thu", "Hủy", "Hoàn trả", "Còn lại"]]
    for method, bucket in data["by_method"].items():
        rows.append([METHODS[method], str(bucket["count"]), figures(bucket["receipts"]), figures(bucket["cancelled"]),
                     figures(bucket["refunded"]), figures(bucket["net"])])
    total = data["totals"]
    rows.append(["Cộng", str(total["count"]), figures(total["receipts"]), figures(total["cancelled"]),
                 figures(total["refunded"]), figures(total["net"])])
    flow.append(grid(rows, [3 * cm, 2.2 * cm, 2.8 * cm, 2.8 * cm, 2.8 * cm, 3 * cm], font_size=10))
    closed = data.get("closed")
    flow.append(Spacer(1, 6))
    flow.append(para(text(f"Đã khóa sổ lúc {fmt(closed.closed_at)}" if closed else "Chưa khóa sổ"), SIGN_NOTE))
    flow.append(signatures([("Người lập sổ", None, None), ("Lãnh đạo đơn vị", None, None)], width))
    return build(flow, title=f"Sổ thu phí ngày {data['day']:%d/%m/%Y}", margins=MARGINS)


def _cell(value):
    return spreadsheet_text(value)


class _Sheet:
    """A sheet whose text never runs as a formula (a payer named "=1+1" stays text)."""

    def __init__(self, sheet):
        self.sheet = sheet

    def append(self, values):
        self.sheet.append(values)
        for cell in self.sheet[self.sheet.max_row]:
            if looks_like_formula(cell.value):
                cell.data_type = "s"


def render_daybook_xlsx(data: dict) -> bytes:
    workbook = Workbook()
    raw = workbook.active
    raw.title = "Sổ thu"
    sheet = _Sheet(raw)
    bold = Font(name="Times New Roman", bold=True)
    sheet.append([_cell(data["agency"].name)])
    sheet.append(["SỔ THU PHÍ, LỆ PHÍ TRONG NGÀY", _title(data)])
    raw["A2"].font = bold
    sheet.append([])
    sheet.append(["Ký hiệu", "Số", "Mã hồ sơ", "Người nộp", "Hình thức", "Số tiền", "Người thu", "Đã hủy"])
    for row in data["receipts"]:
        sheet.append([row["series"], row["number"], _cell(row["application_code"]), _cell(row["payer"]),
                      METHODS[row["method"]], row["amount"], _cell(row["collector"]), "x" if row["cancelled"] else ""])
    sheet.append([])
    sheet.append(["Biên lai hủy", "Số", "Mã hồ sơ", "Số tiền", "Lý do", "Người hủy"])
    for row in data["cancellations"]:
        sheet.append([row["series"], row["number"], _cell(row["application_code"]), row["amount"], _cell(row["reason"]),
                      _cell(row["by"])])
    sheet.append([])
    sheet.append(["Hoàn trả", "Mã hồ sơ", "Số tiền", "Lý do", "Người quyết định", "Người chi"])
    for row in data["refunds"]:
        sheet.append(["", _cell(row["application_code"]), row["amount"], _cell(row["reason"]), _cell(row["decided_by"]),
                      _cell(row["by"])])
    sheet.append([])
    sheet.append(["Hình thức", "Số biên lai", "Đã thu", "Hủy", "Hoàn trả", "Còn lại"])
    for method, bucket in [*data["by_method"].items(), ("total", data["totals"])]:
        sheet.append([METHODS.get(method, "Cộng"), bucket["count"], bucket["receipts"], bucket["cancelled"],
                      bucket["refunded"], bucket["net"]])
    for column, width in zip("ABCDEFGH", (22, 10, 28, 26, 14, 14, 22, 8)):
        raw.column_dimensions[column].width = width
    out = BytesIO()
    workbook.save(out)
    return out.getvalue()
