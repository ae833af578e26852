"""The overdue report (báo cáo hồ sơ quá hạn): landscape A4 PDF with the header repeated on every page, and a
streamed Excel sheet. Plain data in, bytes out."""
from io import BytesIO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.units import cm
from reportlab.platypus import Spacer

from ..text import nfc, spreadsheet_text
from ..timeutil import fmt, local
from .fonts import BOLD
from .register import _fitted_code
from .layout import TITLE, build, content_width, date_line, grid, national_heading, para, style, text

# key, header, width in cm on the PDF, width in characters in Excel
COLUMNS = [
    ("no", "STT", 0.9, 6),
    ("code", "Mã hồ sơ", 4.1, 27),
    ("procedure", "Thủ tục hành chính", 3.9, 40),
    ("applicant", "Tổ chức, cá nhân", 2.8, 24),
    ("receiving_agency", "Nơi tiếp nhận", 2.8, 26),
    ("handler", "Đơn vị, cán bộ xử lý", 3.2, 30),
    ("step", "Đang ở bước", 2.8, 26),
    ("due_at", "Hạn giải quyết", 1.9, 17),
    ("days_late", "Số ngày làm việc trễ", 1.5, 10),
    ("apology", "Phiếu xin lỗi, hẹn lại", 2.0, 18),
]
MARGINS = (1.5 * cm, 1.2 * cm, 1.5 * cm, 1.5 * cm)
HEAD = style("overdue_head", size=9, font=BOLD, align=TA_CENTER, space_after=0, leading=11)
CELL = style("overdue_cell", size=9, align=TA_LEFT, space_after=0, leading=11)
CENTRED = style("overdue_centred", size=9, align=TA_CENTER, space_after=0, leading=11)
SECTION = style("overdue_section", size=12, font=BOLD, align=TA_LEFT, space_after=4)
PDF_ROW_LIMIT = 3000  # beyond this the PDF says so and the Excel holds every row


def cell_values(row: dict) -> dict:
    """The row as the report prints it."""
    handler = row.get("agency") or ""
    if row.get("officer"):
        handler = f"{handler}\n{row['officer']}" if handler else row["officer"]
    apology = f"Có, hẹn {fmt(row['apology'], '%d/%m/%Y')}" if row.get("apology") else "Không"
    return {"code": row["code"], "procedure": row["procedure"], "applicant": row["applicant"],
            "receiving_agency": row["receiving_agency"], "handler": handler, "step": row.get("step") or "",
            "due_at": fmt(row["due_at"]), "days_late": row["days_late"], "apology": apology}


def _table(rows, widths, first_number=1):
    body = []
    for number, row in enumerate(rows, start=first_number):
        values = cell_values(row)
        values["code"] = _fitted_code(values["code"], widths[1])
        body.append([str(number)] + [para(text(values[key]), CENTRED if key in ("due_at", "days_late") else CELL)
                                     for key, _, _, _ in COLUMNS[1:]])
    return grid([[para(header, HEAD) for _, header, _, _ in COLUMNS], *body], widths, font_size=9)


def render_overdue_pdf(ctx: dict) -> bytes:
    """ctx: agency_name, parent_agency_name, place, at (moment), field, rows, steps (files within time whose step
    is late), total."""
    width = content_width(landscape_page=True, margins=MARGINS)
    scale = width / (sum(column[2] for column in COLUMNS) * cm)
    widths = [column[2] * cm * scale for column in COLUMNS]
    rows = list(ctx.get("rows") or [])
    shown = rows[:PDF_ROW_LIMIT]
    flow = national_heading(ctx, width)
    flow.append(date_line(ctx.get("place"), ctx.get("printed_at")))
    flow.append(para("BÁO CÁO HỒ SƠ QUÁ HẠN", TITLE))
    flow.append(para(f"{text(ctx.get('field') or 'Tất cả lĩnh vực')} · tính đến {fmt(ctx['at'])}",
                     style("overdue_sub", align=TA_CENTER, space_after=8)))
    flow.append(para(f"Tổng số hồ sơ quá hạn: <b>{len(rows)}</b>", style("overdue_total", size=11, space_after=4)))
    flow.append(_table(shown, widths))
    if len(rows) > len(shown):
        flow.append(para(f"… và {len(rows) - len(shown)} hồ sơ khác: xem bản Excel đầy đủ.", CELL))
    steps = ctx.get("steps") or []
    if steps:
        flow += [Spacer(1, 10), para("Hồ sơ còn trong hạn nhưng bước xử lý đã quá hạn của bước", SECTION),
                 _table(steps, widths)]
    return build(flow, title="Báo cáo hồ sơ quá hạn", landscape_page=True, margins=MARGINS)


def render_overdue_xlsx(ctx: dict) -> bytes:
    """One sheet, streamed row by row (write-only): every overdue file, then the late steps."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Hồ sơ quá hạn")
    for index, (_, _, _, characters) in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[chr(64 + index)].width = characters
    bold = Font(name="Times New Roman", size=12, bold=True)
    plain = Font(name="Times New Roman", size=11)
    thin = Side(style="thin")
    border = Border(top=thin, bottom=thin, left=thin, right=thin)

    def styled(value, font=plain, fill=None, wrap=True, number_format=None):
        cell = WriteOnlyCell(sheet, value=spreadsheet_text(value))
        if isinstance(value, str):
            cell.data_type = "s"  # a name starting with "=" stays text
        cell.font, cell.border = font, border
        cell.alignment = Alignment(wrap_text=wrap, vertical="top")
        if fill:
            cell.fill = fill
        if number_format:
            cell.number_format = number_format
        return cell

    sheet.append([styled(spreadsheet_text(nfc(str(ctx.get("agency_name") or "")).upper()))])
    sheet.append(["BÁO CÁO HỒ SƠ QUÁ HẠN"])
    sheet.append([styled(f"{nfc(str(ctx.get('field') or 'Tất cả lĩnh vực'))} · tính đến {fmt(ctx['at'])}")])
    sheet.append([])
    header_fill = PatternFill("solid", fgColor="E8E8E8")
    sheet.append([styled(header, bold, header_fill) for _, header, _, _ in COLUMNS])
    count = 0
    for count, row in enumerate(ctx.get("rows") or [], start=1):
        values = cell_values(row)
        values["due_at"] = local(row["due_at"]).replace(tzinfo=None)
        sheet.append([styled(count)] + [
            styled(values[key], number_format="dd/mm/yyyy hh:mm" if key == "due_at" else None)
            for key, _, _, _ in COLUMNS[1:]])
    sheet.append([])
    # the count as a value: a formula shows empty where the file is only previewed (a phone, a mail reader)
    sheet.append([styled("Tổng số", bold), styled(count, bold)])
    steps = ctx.get("steps") or []
    if steps:
        sheet.append([])
        sheet.append(["Hồ sơ còn trong hạn nhưng bước xử lý đã quá hạn của bước"])
        for number, row in enumerate(steps, start=1):
            values = cell_values(row)
            sheet.append([styled(number)] + [styled(values[key]) for key, _, _, _ in COLUMNS[1:]])
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
