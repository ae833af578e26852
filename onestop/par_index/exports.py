"""The province's PAR INDEX ranking as an Excel workbook: one sheet per group of units, each unit's points per area,
survey, total, rank, band and emulation mark. Every figure is a number written as a value, never a formula: a
formula has no value until a spreadsheet program recalculates it, so a preview would show those cells empty."""
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from ..text import looks_like_formula, nfc, spreadsheet_text

BOLD = Font(name="Times New Roman", size=11, bold=True)
THIN = Side(style="thin")
BORDER = Border(top=THIN, bottom=THIN, left=THIN, right=THIN)
HEADER_FILL = PatternFill("solid", fgColor="E8E8E8")
MARKED_FILL = PatternFill("solid", fgColor="FCE8E6")


def _number(value):
    """Points as a number with two decimals at most (the sheet adds and sorts them), empty when not given."""
    return None if value is None else round(float(value), 2)


def _write_group(sheet, ctx: dict, group: dict) -> None:
    areas = group["areas"]
    sheet.append([spreadsheet_text(nfc(str(ctx.get("agency_name") or ""))).upper()])
    sheet.append([nfc(f"Kết quả xếp hạng Chỉ số cải cách hành chính năm {ctx['year']} - {group['title']}")])
    sheet.append([])
    header = (["Xếp hạng", "Mã đơn vị", "Đơn vị"]
              + [nfc(f"LV {number}. {title} ({_number(most) or 0:g})") for number, title, most in areas]
              + [f"Điều tra xã hội học ({_number(group.get('survey_max')) or 0:g})",
                 f"Tổng điểm ({_number(group.get('max_points')) or 0:g})", "Xếp loại", "Đủ điều kiện xét thi đua"])
    sheet.append(header)
    header_row = sheet.max_row
    for cell in sheet[header_row]:
        cell.font, cell.fill, cell.border = BOLD, HEADER_FILL, BORDER
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    for unit in group["units"]:
        sheet.append([unit.get("rank"), spreadsheet_text(unit["code"]), spreadsheet_text(nfc(unit["name"]))]
                     + [_number(unit["areas"].get(number)) for number, _, _ in areas]
                     + [_number(unit.get("survey")), _number(unit.get("total")),
                        spreadsheet_text(unit.get("band") or ""), "Có" if unit.get("emulation_eligible") else "Không"])
        for cell in sheet[sheet.max_row]:
            cell.border = BORDER
            if isinstance(cell.value, float):
                cell.number_format = "0.00"
            if not unit.get("emulation_eligible"):
                cell.fill = MARKED_FILL
    for row in sheet.iter_rows(min_row=1, max_row=sheet.max_row):
        for cell in row:
            if looks_like_formula(cell.value):
                cell.data_type = "s"  # a name such as "=1+1" is shown, never run
    sheet.column_dimensions["A"].width = 9
    sheet.column_dimensions["B"].width = 16
    sheet.column_dimensions["C"].width = 44
    for position in range(4, len(header) + 1):
        sheet.column_dimensions[get_column_letter(position)].width = 14
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=4)
    if ctx.get("rule"):
        sheet.append([])
        sheet.append([nfc(ctx["rule"])])


def render_ranking_xlsx(ctx: dict) -> bytes:
    """ctx: as onestop.pdf.scores.render_ranking_pdf takes it (agency_name, year, groups, rule)."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for index, group in enumerate(ctx["groups"], start=1):
        _write_group(workbook.create_sheet(f"{index}. {group['sheet']}"[:31]), ctx, group)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
