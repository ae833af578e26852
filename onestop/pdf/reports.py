"""The periodic CCHC report (báo cáo tình hình, kết quả giải quyết thủ tục hành chính): a portrait A4 PDF with the
national heading, the tables provinces send upward each with its chart and the same period of the year before
beside it, and a written summary; and an Excel workbook with one sheet per table, its totals written as values.

Plain data in (tracking.reports.cchc_report builds it), bytes out.
"""
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from reportlab.graphics.shapes import Drawing
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.units import cm
from reportlab.platypus import CondPageBreak, KeepTogether, Spacer

from ..numbers import figure
from ..text import looks_like_formula, nfc, spreadsheet_text
from . import charts
from .fonts import BOLD, ITALIC
from .layout import (PROSE, TITLE, build, content_width, date_line, grid, national_heading, para, signatures, style,
                     text)

HEAD = style("cchc_head", size=9.5, font=BOLD, align=TA_CENTER, space_after=0, leading=11.5)
CELL = style("cchc_cell", size=9.5, align=TA_LEFT, space_after=0, leading=11.5)
NUMBER = style("cchc_number", size=9.5, align=TA_CENTER, space_after=0, leading=11.5)
SECTION = style("cchc_section", size=12.5, font=BOLD, align=TA_LEFT, space_after=4, leading=16)
NOTE = style("cchc_note", size=9.5, font=ITALIC, align=TA_LEFT, space_after=2)
COLOURS = {"blue": charts.BLUE, "light": charts.LIGHT, "red": charts.RED, "green": charts.GREEN,
           "amber": charts.AMBER, "grey": charts.GREY}


def number(value, kind: str = "int") -> str:
    """Vietnamese figures: 1.234 and 94,2%; a dash for what cannot be computed (the pages write the same)."""
    return figure(value, kind)


def drawing(spec: dict) -> Drawing:
    """A chart from its plain description (the dashboard draws the same ones as SVG)."""
    kind = spec["kind"]
    if kind == "rates":
        return charts.rate_bars(spec["title"], spec["rows"], spec.get("target"))
    if kind == "lines":
        return charts.line_chart(spec["title"], spec["categories"], [
            (name, values, COLOURS[colour], dashed) for name, values, colour, dashed in spec["series"]])
    return charts.grouped_bars(spec["title"], spec["categories"], [
        (name, values, COLOURS[colour]) for name, values, colour in spec["series"]])


def _scaled(chart: Drawing, width: float) -> Drawing:
    factor = min(1.0, width / chart.width)
    chart.scale(factor, factor)
    chart.width, chart.height = chart.width * factor, chart.height * factor
    return chart


def _table_flow(table: dict, width: float) -> list:
    columns = table["columns"]
    label_width = width * (0.34 if len(columns) > 5 else 0.42)
    other = (width - label_width) / max(len(columns) - 1, 1)
    rows = [[para(text(header), HEAD) for _, header, _ in columns]]
    for row in table["rows"] + [table["total"]] + ([table["previous"]] if table.get("previous") else []):
        bold = row is table["total"]
        rows.append([para(f"<b>{text(row.get(key))}</b>" if bold else text(row.get(key)), CELL) if kind == "label"
                     else para(f"<b>{number(row.get(key), kind)}</b>" if bold else number(row.get(key), kind), NUMBER)
                     for key, _, kind in columns])
    ruled = grid(rows, [label_width] + [other] * (len(columns) - 1), font_size=9.5)
    last = len(rows) - (2 if table.get("previous") else 1)
    ruled.setStyle([("FONT", (0, last), (-1, last), BOLD, 9.5),
                    ("BACKGROUND", (0, last), (-1, last), (0.95, 0.95, 0.95))])
    flow = [CondPageBreak(6 * cm), para(text(table["title"]), SECTION), ruled]
    if table.get("note"):
        flow.append(para(text(table["note"]), NOTE))
    if table.get("chart"):
        flow += [Spacer(1, 4), KeepTogether([_scaled(drawing(table["chart"]), width)])]
    return flow + [Spacer(1, 10)]


def render_cchc_pdf(ctx: dict) -> bytes:
    """ctx: heading (agency_name, parent_agency_name, place), number, date, period_label, previous_label, summary
    (sentences), tables (title, columns [(key, header, kind)], rows, total, previous, note, chart), identity
    (sentence), late_records (sentences), signer_title."""
    width = content_width()
    flow = national_heading(ctx, width)
    flow.append(para(f"Số: {text(ctx.get('number') or '……')}/BC", style("cchc_no", size=13, align=TA_LEFT,
                                                                             space_after=0)))
    flow.append(date_line(ctx.get("place"), ctx.get("date")))
    flow.append(para("BÁO CÁO", TITLE))
    flow.append(para(f"Tình hình, kết quả giải quyết thủ tục hành chính<br/>{text(ctx['period_label'])}",
                     style("cchc_subtitle", size=13, font=BOLD, align=TA_CENTER, space_after=0, leading=17)))
    if ctx.get("period_range"):
        flow.append(para(f"(Kỳ báo cáo: {text(ctx['period_range'])})",
                         style("cchc_range", size=12, font=ITALIC, align=TA_CENTER, space_after=12)))
    flow.append(para("I. TÓM TẮT", SECTION))
    flow += [para(text(sentence), PROSE) for sentence in ctx.get("summary", [])]
    compared = text(ctx["previous_label"]) + (f" ({text(ctx['previous_range'])})" if ctx.get("previous_range") else "")
    flow.append(para(f"So sánh với cùng kỳ năm trước: {compared} (dòng «Cùng kỳ năm trước» dưới mỗi bảng).", PROSE))
    flow.append(para("II. SỐ LIỆU CHI TIẾT", SECTION))
    for table in ctx["tables"]:
        flow += _table_flow(table, width)
    flow.append(para("III. ĐỐI CHIẾU SỐ LIỆU", SECTION))
    closing = [para(text(sentence), PROSE) for sentence in [ctx["identity"], *ctx.get("late_records", [])]]
    flow += closing[:-1]
    recipients = [para("<b><i>Nơi nhận:</i></b>", style("cchc_to", size=11, align=TA_LEFT, space_after=0)),
                  para("- Như trên;<br/>- Lưu: VT.", style("cchc_to_list", size=10, align=TA_LEFT))]
    # The signature block is never split across pages (its blank signing space alone would make a last page
    # with nothing on it), and it moves to a new page with the sentence before it, never alone.
    flow.append(KeepTogether(closing[-1:] + [Spacer(1, 14), signatures(
        [recipients, (ctx.get("signer_title") or "Thủ trưởng cơ quan", "(Ký, ghi rõ họ tên, đóng dấu)", "")],
        width)]))
    return build(flow, title=f"Báo cáo tình hình giải quyết TTHC {ctx['period_label']}")


def render_cchc_xlsx(ctx: dict) -> bytes:
    """One sheet per table, and a last sheet that checks the reconciliation identity. Every total, rate and the
    check are numbers written as values, not formulas: a formula carries no value until a spreadsheet program
    recalculates it, so a preview (a phone, a mail reader) would show those cells empty."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    bold = Font(name="Times New Roman", size=11, bold=True)
    thin = Side(style="thin")
    border = Border(top=thin, bottom=thin, left=thin, right=thin)
    fill = PatternFill("solid", fgColor="E8E8E8")
    for index, table in enumerate(ctx["tables"], start=1):
        sheet = workbook.create_sheet(f"{index}. {table['sheet']}"[:31])
        sheet.append([spreadsheet_text(str(ctx.get("agency_name") or "")).upper()])
        sheet.append([nfc(table["title"])])
        sheet.append([nfc(f"{ctx['period_label']} ({ctx.get('period_range') or ''})")])
        sheet.append([])
        columns = table["columns"]
        sheet.append([nfc(header) for _, header, _ in columns])
        header_row = sheet.max_row
        for cell in sheet[header_row]:
            cell.font, cell.fill, cell.border = bold, fill, border
            cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        first = header_row + 1
        for row in table["rows"]:
            sheet.append(_excel_row(columns, row))
        sheet.append(_excel_row(columns, table["total"]))
        for cell in sheet[sheet.max_row]:
            cell.font = bold
        if table.get("previous"):
            sheet.append(_excel_row(columns, table["previous"]))
        for row in sheet.iter_rows(min_row=1, max_row=sheet.max_row):
            for cell in row:
                if looks_like_formula(cell.value):
                    cell.data_type = "s"  # a name such as "=1+1" is shown, never run
        for row in sheet.iter_rows(min_row=first, max_row=sheet.max_row):
            for position, cell in enumerate(row):
                cell.border = border
                if columns[position][2] == "rate":
                    cell.number_format = "0.0%"
        sheet.column_dimensions["A"].width = 44
        for position in range(2, len(columns) + 1):
            sheet.column_dimensions[get_column_letter(position)].width = 15
        sheet.freeze_panes = sheet.cell(row=first, column=2)
    check = workbook.create_sheet("Đối chiếu")
    identity = ctx["identity_figures"]
    labels = [("carried_over", "Kỳ trước chuyển sang"), ("received", "Tiếp nhận mới trong kỳ"),
              ("resolved", "Đã giải quyết"), ("refused", "Từ chối"), ("stopped", "Dừng theo đề nghị"),
              ("open", "Đang giải quyết cuối kỳ")]
    check.append(["Đối chiếu: chuyển sang + tiếp nhận = giải quyết + từ chối + dừng + đang giải quyết"])
    for key, label in labels:
        check.append([label, identity[key]])
    difference = (identity["carried_over"] + identity["received"] - identity["resolved"] - identity["refused"]
                  - identity["stopped"] - identity["open"])
    check.append(["Chênh lệch (phải bằng 0)", difference])
    check.column_dimensions["A"].width = 60
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _excel_row(columns, row: dict) -> list:
    """A row's cells: counts as integers, rates as fractions (shown as 0.0%), empty where a rate has no base."""
    values = []
    for key, _, kind in columns:
        value = row.get(key)
        if kind == "rate":
            value = None if value is None else round(value / 100, 4)
        elif kind == "label":
            value = spreadsheet_text(str(value or ""))
        values.append(value)
    return values
