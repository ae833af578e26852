"""The register (sổ theo dõi hồ sơ) of a field or group of fields for a period: landscape PDF and Excel."""
from datetime import date, datetime
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.units import cm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Paragraph, Spacer

from ..text import nfc
from ..timeutil import fmt, local
from .fonts import BOLD, REGULAR
from .layout import SUBTITLE, TITLE, build, content_width, grid, national_heading, para, style, text

# key, header, width in cm on the PDF, width in characters in Excel
COLUMNS = [
    ("no", "STT", 1.0, 6),
    ("code", "Mã hồ sơ", 4.0, 27),
    ("procedure", "Tên thủ tục hành chính", 3.7, 40),
    ("applicant", "Tên tổ chức, cá nhân", 2.8, 26),
    ("address_phone", "Địa chỉ, số điện thoại", 3.4, 34),
    ("lead_agency", "Cơ quan chủ trì giải quyết", 2.7, 26),
    ("received_at", "Ngày, giờ nhận hồ sơ", 1.85, 17),
    ("due_at", "Ngày, giờ hẹn trả kết quả", 1.85, 17),
    ("returned_at", "Ngày, giờ trả kết quả", 1.85, 17),
    ("delivery_method", "Phương thức nhận kết quả", 1.9, 20),
    ("signature", "Ký nhận", 1.5, 12),
]
MOMENTS = {"received_at", "due_at", "returned_at"}
WRAPPED = {"procedure", "applicant", "address_phone", "lead_agency", "delivery_method"}
MARGINS = (2 * cm, 1.5 * cm, 1.5 * cm, 1.5 * cm)  # left, right, top, bottom
FONT_SIZE = 9
HEAD = style("register_head", size=FONT_SIZE, font=BOLD, align=TA_CENTER, space_after=0, leading=11)
CELL = style("register_cell", size=FONT_SIZE, align=TA_LEFT, space_after=0, leading=11)
DEFAULT_TITLE = "SỔ THEO DÕI HỒ SƠ"


def _day(value: date | datetime | None) -> str:
    if value is None:
        return "……/……/………"
    return f"{local(value) if isinstance(value, datetime) else value:%d/%m/%Y}"


def _period(ctx: dict) -> str:
    return f"Từ ngày {_day(ctx.get('date_from'))} đến ngày {_day(ctx.get('date_to'))}"


def _field(ctx: dict) -> str:
    return f"Lĩnh vực: {nfc(str(ctx.get('field') or 'Tất cả lĩnh vực'))}"


class _CellParagraph(Paragraph):
    """A table-cell paragraph that lays itself out once per width.

    reportlab wraps every cell when it measures a row, again when it splits the table at a page end and
    again when it draws it; for thousands of rows the line breaking dominates the render time.
    """

    _wrapped_for = None

    def wrap(self, available_width, available_height):
        if self._wrapped_for != available_width:
            self._wrapped_size = super().wrap(available_width, available_height)
            self._wrapped_for = available_width
        return self._wrapped_size


def _fitted_code(code: str, width: float) -> str:
    """The application code on one line, or broken after the agency part when the column is too narrow."""
    if stringWidth(code, REGULAR, FONT_SIZE) <= width - 6 or "-" not in code:
        return code
    agency, rest = code.split("-", 1)
    return f"{agency}-\n{rest}"


def _pdf_rows(rows: list[dict], widths: list[float]) -> list[list]:
    """Table rows: short fixed values as plain strings (fast), free text as paragraphs (wrapped).

    Registers repeat the same procedure and agency on many rows, so one paragraph serves every equal cell
    of a column (a paragraph wrapped again at the same width lays out the same).
    """
    shared: dict[tuple[int, str], Paragraph] = {}
    result = []
    for row in rows:
        cells = []
        for index, (key, _, _, _) in enumerate(COLUMNS):
            value = row.get(key)
            if key in MOMENTS:
                cells.append(fmt(value).replace(" ", "\n") if value else "")
            elif key in WRAPPED:
                markup = text(value)
                paragraph = shared.get((index, markup))
                if paragraph is None:
                    paragraph = shared[(index, markup)] = _CellParagraph(markup, CELL)
                cells.append(paragraph)
            elif key == "code":
                cells.append(_fitted_code(nfc(str(value or "")), widths[index]))
            else:  # the number and the empty signature column
                cells.append(nfc(str(value)) if value not in (None, "") else "")
        result.append(cells)
    return result


def render_register_pdf(ctx: dict) -> bytes:
    """Sổ theo dõi hồ sơ on landscape A4; the header row repeats on every page."""
    width = content_width(landscape_page=True, margins=MARGINS)
    scale = width / (sum(column[2] for column in COLUMNS) * cm)
    widths = [column[2] * cm * scale for column in COLUMNS]
    rows = ctx.get("rows") or []
    table = grid([[para(header, HEAD) for _, header, _, _ in COLUMNS], *_pdf_rows(rows, widths)], widths,
                 font_size=FONT_SIZE)
    table.setStyle([("ALIGN", (0, 1), (0, -1), "CENTER"), ("ALIGN", (6, 1), (8, -1), "CENTER"),
                    ("LEADING", (0, 1), (-1, -1), 11)])
    flow = national_heading(ctx, width)
    flow += [
        para(text(ctx.get("title") or DEFAULT_TITLE), TITLE),
        para(f"{text(_field(ctx))}<br/>{_period(ctx)}", style("register_period", font=SUBTITLE.fontName,
                                                               align=TA_CENTER, space_after=8)),
        table,
        Spacer(1, 6),
        para(f"Tổng số: {len(rows)} hồ sơ", style("register_total", size=11, space_after=0)),
    ]
    return build(flow, title=ctx.get("title") or DEFAULT_TITLE, landscape_page=True, margins=MARGINS)


def _excel_value(key: str, value):
    if key in MOMENTS:
        # Excel has no time zones: the wall-clock time in Vietnam, as the desk reads it.
        return local(value).replace(tzinfo=None) if value else None
    if isinstance(value, str):
        return nfc(value)
    return value


def render_register_xlsx(ctx: dict) -> bytes:
    """The register as one Excel sheet: title, period, a bold frozen header, real date-times."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Sổ theo dõi hồ sơ"
    last_column = get_column_letter(len(COLUMNS))
    heading = [
        (nfc(str(ctx.get("parent_agency_name") or "")).upper(), Font(name="Times New Roman", size=12)),
        (nfc(str(ctx.get("agency_name") or "")).upper(), Font(name="Times New Roman", size=12, bold=True)),
        (nfc(str(ctx.get("title") or DEFAULT_TITLE)), Font(name="Times New Roman", size=14, bold=True)),
        (_field(ctx), Font(name="Times New Roman", size=12, italic=True)),
        (_period(ctx), Font(name="Times New Roman", size=12, italic=True)),
    ]
    for row_number, (value, font) in enumerate(heading, start=1):
        cell = sheet.cell(row=row_number, column=1, value=value or None)
        cell.font = font
        if row_number >= 3:  # title and period centred across the table
            sheet.merge_cells(f"A{row_number}:{last_column}{row_number}")
            cell.alignment = Alignment(horizontal="center")
    header_row = len(heading) + 2
    thin = Side(style="thin")
    border = Border(top=thin, bottom=thin, left=thin, right=thin)
    header_font = Font(name="Times New Roman", size=11, bold=True)
    header_fill = PatternFill("solid", fgColor="E8E8E8")
    header_alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    for column, (_, header, _, characters) in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=header_row, column=column, value=header)
        cell.font, cell.fill, cell.alignment, cell.border = header_font, header_fill, header_alignment, border
        sheet.column_dimensions[get_column_letter(column)].width = characters
    sheet.row_dimensions[header_row].height = 32
    # One named style per kind of cell: setting font, border and alignment cell by cell is slow.
    body = NamedStyle("register_body", font=Font(name="Times New Roman", size=11), border=border,
                      alignment=Alignment(wrap_text=True, vertical="top"))
    moment = NamedStyle("register_moment", font=body.font, border=border, alignment=body.alignment,
                        number_format="dd/mm/yyyy hh:mm")
    workbook.add_named_style(body)
    workbook.add_named_style(moment)
    rows = ctx.get("rows") or []
    for offset, row in enumerate(rows, start=1):
        for column, (key, _, _, _) in enumerate(COLUMNS, start=1):
            cell = sheet.cell(row=header_row + offset, column=column, value=_excel_value(key, row.get(key)))
            cell.style = "register_moment" if key in MOMENTS else "register_body"
    sheet.freeze_panes = f"A{header_row + 1}"
    if rows:
        sheet.auto_filter.ref = f"A{header_row}:{last_column}{header_row + len(rows)}"
    sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
