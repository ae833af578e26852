"""The register (sổ theo dõi hồ sơ) of a field or group of fields for a period, as PDF and Excel."""
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from reportlab.lib.units import cm
from reportlab.platypus import Spacer

from ..text import nfc
from ..timeutil import fmt, local
from .layout import CELL, SUBTITLE, TITLE, build, content_width, grid, national_heading, para, style, text

COLUMNS = [
    ("no", "STT", 1.0), ("code", "Mã hồ sơ", 4.6), ("procedure", "Tên thủ tục", 4.0), ("applicant", "Người nộp", 2.8),
    ("address_phone", "Địa chỉ, số điện thoại", 3.4), ("lead_agency", "Cơ quan chủ trì giải quyết", 2.8),
    ("received_at", "Ngày, giờ nhận", 2.0), ("due_at", "Ngày, giờ hẹn trả", 2.0),
    ("returned_at", "Ngày, giờ trả", 2.0), ("delivery_method", "Phương thức nhận kết quả", 2.0),
    ("signature", "Ký nhận", 1.6),
]
MARGINS = (1.5 * cm, 1.5 * cm, 1.5 * cm, 1.5 * cm)


def _period(ctx) -> str:
    return f"Lĩnh vực: {ctx.get('field')} – từ ngày {ctx['date_from']:%d/%m/%Y} đến ngày {ctx['date_to']:%d/%m/%Y}"


def render_register_pdf(ctx: dict) -> bytes:
    width = content_width(landscape_page=True, margins=MARGINS[:2])
    scale = width / (sum(w for _, _, w in COLUMNS) * cm)
    head = style("register_head", size=10, font="OnestopSerif-Bold", align=1, space_after=0)
    cell, cell_center = style("rcell", size=10, align=0, space_after=0), style("rcell_c", size=10, align=1, space_after=0)
    rows = [[para(title, head) for _, title, _ in COLUMNS]]
    for row in ctx.get("rows") or []:
        values = []
        for key, _, _ in COLUMNS:
            value = row.get(key)
            if key in ("received_at", "due_at", "returned_at"):
                values.append(para(fmt(value) if value else "", cell_center))
            else:
                values.append(para(text(value), cell_center if key == "no" else cell))
        rows.append(values)
    flow = national_heading(ctx, width)
    flow += [para(text(ctx.get("title") or "SỔ THEO DÕI HỒ SƠ"), TITLE), para(text(_period(ctx)), SUBTITLE),
             grid(rows, [w * cm * scale for _, _, w in COLUMNS], font_size=10), Spacer(1, 6),
             para(f"Tổng số: {len(ctx.get('rows') or [])} hồ sơ", CELL)]
    return build(flow, title=nfc(ctx.get("title") or "Sổ theo dõi hồ sơ"), landscape_page=True, margins=MARGINS)


def render_register_xlsx(ctx: dict) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "So theo doi"
    bold, thin = Font(bold=True), Side(style="thin")
    sheet["A1"] = nfc(ctx.get("agency_name") or "")
    sheet["A2"] = nfc(ctx.get("title") or "SỔ THEO DÕI HỒ SƠ")
    sheet["A2"].font = Font(bold=True, size=14)
    sheet["A3"] = nfc(_period(ctx))
    header_row = 5
    for column, (_, title, width) in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=header_row, column=column, value=title)
        cell.font = bold
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        cell.border = Border(top=thin, bottom=thin, left=thin, right=thin)
        sheet.column_dimensions[get_column_letter(column)].width = max(8, width * 5)
    for offset, row in enumerate(ctx.get("rows") or [], start=1):
        for column, (key, _, _) in enumerate(COLUMNS, start=1):
            value = row.get(key)
            if key in ("received_at", "due_at", "returned_at") and value is not None:
                value = local(value).replace(tzinfo=None)
            elif isinstance(value, str):
                value = nfc(value)
            cell = sheet.cell(row=header_row + offset, column=column, value=value)
            if key in ("received_at", "due_at", "returned_at"):
                cell.number_format = "dd/mm/yyyy hh:mm"
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
