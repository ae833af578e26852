"""The register (sổ theo dõi hồ sơ) of a field or group of fields for a period: landscape PDF and Excel."""
from datetime import date, datetime
from io import BytesIO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.units import cm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Paragraph, Spacer

from ..text import looks_like_formula, nfc, printable, spreadsheet_text
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
                cells.append(_fitted_code(printable(value), widths[index]))
            else:  # the number and the empty signature column
                cells.append(printable(value))
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
    return spreadsheet_text(value)


class _Cells:
    """Cells of the write-only sheet. The body row is one set of cells, styled once and given new values for
    each row (the sheet writes a row out as it is appended; styling cell by cell is what costs), and text that
    starts like a formula is kept as text."""

    def __init__(self, sheet):
        thin = Side(style="thin")
        body = {"font": Font(name="Times New Roman", size=11), "border": Border(top=thin, bottom=thin, left=thin,
                                                                                right=thin),
                "alignment": Alignment(wrap_text=True, vertical="top")}
        self.sheet = sheet
        self.body = [self.cell(None, **body, **({"number_format": "dd/mm/yyyy hh:mm"} if key in MOMENTS else {}))
                     for key, _, _, _ in COLUMNS]
        self.keys = [key for key, _, _, _ in COLUMNS]
        # openpyxl takes a cell handed to append() by first trying it as a value and catching the error, for
        # every cell; rows of ready cells are laid out directly instead (openpyxl 3.1, write-only sheets).
        sheet._values_to_row = self._ready_row

    def cell(self, value, **style):
        cell = WriteOnlyCell(self.sheet, value=value)
        if looks_like_formula(value):
            cell.data_type = "s"
        for name, setting in style.items():
            setattr(cell, name, setting)
        return cell

    @staticmethod
    def _ready_row(cells, row_index):
        for column, cell in enumerate(cells, start=1):
            cell.column, cell.row = column, row_index
            yield cell

    def row(self, row: dict) -> list:
        for cell, key in zip(self.body, self.keys):
            value = cell.value = _excel_value(key, row.get(key))
            if looks_like_formula(value):
                cell.data_type = "s"
        return self.body


def render_register_xlsx(ctx: dict, out=None) -> bytes | None:
    """The register as one Excel sheet: title, period, a bold frozen header, real date-times.

    Written row by row in openpyxl's write-only mode: `ctx["rows"]` may be an iterator (streamed from the
    database) and memory stays flat. With `out` (a binary file) the workbook goes there; else its bytes return.
    """
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Sổ theo dõi hồ sơ")
    cells = _Cells(sheet)
    last_column = get_column_letter(len(COLUMNS))
    header_row = 7  # under the five heading lines and an empty one
    # What the sheet's head holds is written with the first row: widths and the frozen header come first.
    for column, (_, _, _, characters) in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = characters
    sheet.freeze_panes = f"A{header_row + 1}"
    sheet.row_dimensions[header_row].height = 32
    heading = [
        (nfc(str(ctx.get("parent_agency_name") or "")).upper(), Font(name="Times New Roman", size=12)),
        (nfc(str(ctx.get("agency_name") or "")).upper(), Font(name="Times New Roman", size=12, bold=True)),
        (nfc(str(ctx.get("title") or DEFAULT_TITLE)), Font(name="Times New Roman", size=14, bold=True)),
        (_field(ctx), Font(name="Times New Roman", size=12, italic=True)),
        (_period(ctx), Font(name="Times New Roman", size=12, italic=True)),
    ]
    for row_number, (value, font) in enumerate(heading, start=1):
        if row_number >= 3:  # title and period centred across the table
            sheet.merged_cells.add(f"A{row_number}:{last_column}{row_number}")
            sheet.append([cells.cell(value or None, font=font, alignment=Alignment(horizontal="center"))])
        else:
            sheet.append([cells.cell(value or None, font=font)])
    sheet.append([cells.cell(None)])
    thin = Side(style="thin")
    header_style = {"font": Font(name="Times New Roman", size=11, bold=True),
                    "fill": PatternFill("solid", fgColor="E8E8E8"),
                    "alignment": Alignment(wrap_text=True, vertical="center", horizontal="center"),
                    "border": Border(top=thin, bottom=thin, left=thin, right=thin)}
    sheet.append([cells.cell(header, **header_style) for _, header, _, _ in COLUMNS])
    count = 0
    for row in ctx.get("rows") or []:
        sheet.append(cells.row(row))
        count += 1
    if count:
        sheet.auto_filter.ref = f"A{header_row}:{last_column}{header_row + count}"
    sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    if out is not None:
        workbook.save(out)
        return None
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
