"""The PAR INDEX prints (chỉ số cải cách hành chính): a unit's score sheet for its head's signature, the province's
ranking with its chart, and a unit's lost points with the actions that fix them. Plain data in, bytes out
(onestop.par_index.printing builds the dicts).
"""
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.units import cm
from reportlab.platypus import CondPageBreak, KeepTogether, Spacer

from ..numbers import figure
from . import charts
from .fonts import BOLD, ITALIC
from .layout import TITLE, build, content_width, date_line, grid, national_heading, para, signatures, style, text

HEAD = style("par_head", size=9.5, font=BOLD, align=TA_CENTER, space_after=0, leading=11.5)
CELL = style("par_cell", size=9.5, align=TA_LEFT, space_after=0, leading=11.5)
NUMBER = style("par_number", size=9.5, align=TA_CENTER, space_after=0, leading=11.5)
RIGHT = style("par_right", size=9.5, align=TA_RIGHT, space_after=0, leading=11.5)
SUBTITLE = style("par_subtitle", size=13, font=BOLD, align=TA_CENTER, space_after=2, leading=17)
UNIT = style("par_unit", size=13, align=TA_CENTER, space_after=10, leading=17)
SECTION = style("par_section", size=12.5, font=BOLD, align=TA_LEFT, space_after=4, leading=16)
NOTE = style("par_note", size=9.5, font=ITALIC, align=TA_LEFT, space_after=2, leading=11.5)
LANDSCAPE_MARGINS = (2 * cm, 1.5 * cm, 1.5 * cm, 1.5 * cm)
AREA_FILL = colors.Color(0.93, 0.95, 0.98)
CRITERION_FILL = colors.Color(0.98, 0.98, 0.98)


def points(value) -> str:
    """12,5 / 0,25 / a dash for a score not given."""
    return figure(value, "decimal")


def share(value) -> str:
    return figure(value, "rate")


def _cell(value: str, st=CELL, bold: bool = False):
    return para(f"<b>{value}</b>" if bold else value, st)


def _sheet_rows(ctx: dict) -> tuple[list, list]:
    """The criteria tree as rows (areas and criteria bold, sub-criteria plain) and the rows to shade."""
    rows, shaded = [], []
    for row in ctx["rows"]:
        bold = row["level"] < 2
        title = text(row["title"])
        extra = []
        if row.get("measured"):
            extra.append(f"<i>{text(row['measured'])}</i>")
        if row.get("note"):
            extra.append(text(row["note"]))
        if row.get("evidence"):
            extra.append(f"Tài liệu kiểm chứng: {text(row['evidence'])}")
        rows.append([_cell(text(row["number"]), NUMBER, bold), _cell(title, CELL, bold),
                     _cell(points(row["max_points"]), NUMBER, bold),
                     _cell(points(row.get("self_score")), NUMBER, bold),
                     _cell(points(row.get("appraised_score")), NUMBER, bold),
                     para("<br/>".join(extra), CELL)])
        if row["level"] < 2:
            shaded.append((len(rows), AREA_FILL if row["level"] == 0 else CRITERION_FILL))
    return rows, shaded


def _total_rows(ctx: dict) -> list:
    """Bonus and penalty points, the survey and the total, under the tree."""
    found = []
    for adjustment in ctx.get("adjustments", []):
        sign = "+" if adjustment["points"] >= 0 else "−"
        found.append(["", _cell(text(adjustment["label"]) + (f": {text(adjustment['reason'])}"
                                                                if adjustment.get("reason") else "")),
                      "", "", _cell(sign + points(abs(adjustment["points"])), NUMBER), ""])
    survey = ctx.get("survey")
    if survey:
        found.append(["", _cell(text(survey["label"]), CELL, True), _cell(points(survey["max_points"]), NUMBER, True),
                      "", _cell(points(survey.get("points")), NUMBER, True), _cell(text(survey.get("note") or ""))])
    totals = ctx["totals"]
    found.append(["", _cell("TỔNG ĐIỂM", CELL, True), _cell(points(totals["max_points"]), NUMBER, True),
                  _cell(points(totals.get("self_score")), NUMBER, True),
                  _cell(points(totals.get("total")), NUMBER, True),
                  _cell(text(totals.get("band") or ""), CELL, True)])
    return found


def render_score_sheet_pdf(ctx: dict) -> bytes:
    """ctx: heading (agency_name, parent_agency_name, place, at), year, unit_name, stage, rows (level 0 area, 1
    criterion, 2 sub-criterion: number, title, max_points, self_score, appraised_score, note, evidence, measured),
    adjustments (label, reason, points), survey (label, max_points, points, note), totals (max_points, self_score,
    total, band), areas (number, title, max_points, points, share), remarks, signer_title."""
    width = content_width()
    flow = national_heading(ctx, width)
    flow.append(date_line(ctx.get("place"), ctx.get("at")))
    flow.append(para("BẢNG ĐIỂM", TITLE))
    flow.append(para(f"Tự đánh giá, chấm điểm Chỉ số cải cách hành chính năm {ctx['year']}", SUBTITLE))
    flow.append(para(f"{text(ctx['unit_name'])}<br/><i>({text(ctx['stage'])})</i>", UNIT))
    widths = [1.25 * cm, 6 * cm, 1.45 * cm, 1.5 * cm, 1.6 * cm]
    widths.append(width - sum(widths))
    header = [para(label, HEAD) for label in ("STT", "Lĩnh vực, tiêu chí, tiêu chí thành phần", "Điểm tối đa",
                                              "Tự đánh giá", "Thẩm định", "Ghi chú, tài liệu kiểm chứng")]
    body, shaded = _sheet_rows(ctx)
    table = grid([header, *body, *_total_rows(ctx)], widths, font_size=9.5)
    table.setStyle([("BACKGROUND", (0, row), (-1, row), fill) for row, fill in shaded]
                   + [("BACKGROUND", (0, len(body) + 1), (-1, -1), (0.95, 0.95, 0.95))])
    flow.append(table)
    if ctx.get("areas"):
        flow += [Spacer(1, 10), CondPageBreak(4 * cm), para("Điểm theo lĩnh vực", SECTION), _areas_table(ctx, width)]
    remarks = [para(text(remark), NOTE) for remark in ctx.get("remarks", [])]
    recipients = [para("<b><i>Nơi nhận:</i></b>", style("par_to", size=11, align=TA_LEFT, space_after=0)),
                  para("- Sở Nội vụ (thẩm định);<br/>- Lưu: VT.", style("par_to_list", size=10, align=TA_LEFT))]
    # the signature block never stands alone on a page, nor splits (its blank signing space would be a page)
    flow.append(KeepTogether(remarks + [Spacer(1, 12), signatures(
        [recipients, (ctx.get("signer_title") or "Thủ trưởng đơn vị", "(Ký, ghi rõ họ tên, đóng dấu)", "")],
        width)]))
    return build(flow, title=f"Bảng điểm Chỉ số CCHC năm {ctx['year']} - {ctx['unit_name']}")


def _areas_table(ctx: dict, width: float):
    widths = [1.3 * cm, width - 7.5 * cm, 2 * cm, 2 * cm, 2.2 * cm]
    rows = [[para(label, HEAD) for label in ("STT", "Lĩnh vực", "Điểm tối đa", "Điểm đạt", "Tỷ lệ")]]
    for area in ctx["areas"]:
        below = area.get("below_threshold")
        rows.append([_cell(text(area["number"]), NUMBER), _cell(text(area["title"])),
                     _cell(points(area["max_points"]), NUMBER), _cell(points(area.get("points")), NUMBER),
                     _cell(share(area.get("share")) + (" (*)" if below else ""), NUMBER, below)])
    flow = grid(rows, widths, font_size=9.5)
    return flow


# ---------------------------------------------------------------- the province's ranking


def ranking_chart(title: str, units: list[dict]):
    """Each unit's total as a bar, best first; a unit marked out of emulation in red."""
    return charts.score_bars(title, [(unit["short_name"], unit.get("total"), not unit.get("emulation_eligible", True))
                                     for unit in units], maximum=max([unit.get("max_points") or 0 for unit in units]
                                                                     + [100]))


def _ranking_table(group: dict, width: float):
    areas = group["areas"]  # (number, title, max_points)
    fixed = [1.2 * cm] + [1.45 * cm] * len(areas) + [1.6 * cm, 1.6 * cm, 2.3 * cm, 2.5 * cm]
    widths = [fixed[0], width - sum(fixed)] + fixed[1:]
    header = ([para("Xếp hạng", HEAD), para("Đơn vị", HEAD)]
              + [para(f"LV {text(number)}<br/>({points(most)})", HEAD) for number, _, most in areas]
              + [para(f"Điều tra XHH<br/>({points(group.get('survey_max'))})", HEAD),
                 para(f"Tổng điểm<br/>({points(group.get('max_points'))})", HEAD), para("Xếp loại", HEAD),
                 para("Thi đua", HEAD)])
    rows = [header]
    marked = []
    for unit in group["units"]:
        rows.append([_cell(str(unit["rank"]) if unit.get("rank") else "", NUMBER), _cell(text(unit["name"]))]
                    + [_cell(points(unit["areas"].get(number)) + ("*" if number in unit.get("low_areas", ()) else ""),
                             NUMBER) for number, _, _ in areas]
                    + [_cell(points(unit.get("survey")), NUMBER), _cell(points(unit.get("total")), NUMBER, True),
                       _cell(text(unit.get("band") or ""), NUMBER),
                       _cell("Đủ điều kiện" if unit.get("emulation_eligible") else "<b>Không xét</b>", NUMBER)])
        if not unit.get("emulation_eligible"):
            marked.append(len(rows) - 1)
    table = grid(rows, widths, font_size=9)
    table.setStyle([("BACKGROUND", (0, row), (-1, row), colors.Color(0.99, 0.92, 0.91)) for row in marked])
    return table


def render_ranking_pdf(ctx: dict) -> bytes:
    """ctx: heading, year, groups (title, areas [(number, title, max_points)], survey_max, max_points, units
    [rank, name, short_name, areas {number: points}, low_areas, survey, total, max_points, band,
    emulation_eligible]), rule (the emulation rule's sentence), signer_title. Landscape A4."""
    width = content_width(landscape_page=True, margins=LANDSCAPE_MARGINS)
    flow = national_heading(ctx, width)
    flow.append(date_line(ctx.get("place"), ctx.get("at")))
    flow.append(para("KẾT QUẢ XẾP HẠNG", TITLE))
    flow.append(para(f"Chỉ số cải cách hành chính năm {ctx['year']} của các cơ quan, đơn vị", UNIT))
    for index, group in enumerate(ctx["groups"], start=1):
        flow += [CondPageBreak(5 * cm), para(f"{index}. {text(group['title'])}", SECTION)]
        if not group["units"]:
            flow += [para("Chưa có đơn vị nào có kết quả.", NOTE), Spacer(1, 8)]
            continue
        flow.append(_ranking_table(group, width))
        legend = "; ".join(f"LV {text(number)}: {text(title)}" for number, title, _ in group["areas"])
        flow.append(para(f"{legend}. (*) lĩnh vực dưới ngưỡng của quy định thi đua.", NOTE))
        flow += [Spacer(1, 6), KeepTogether([_scaled(ranking_chart(
            f"Tổng điểm Chỉ số CCHC năm {ctx['year']} - {group['title']}", group["units"]), width * 0.8)]),
                 Spacer(1, 10)]
    if ctx.get("rule"):
        flow.append(para(text(ctx["rule"]), NOTE))
    flow.append(KeepTogether([Spacer(1, 10), signatures(
        [None, (ctx.get("signer_title") or "Giám đốc Sở Nội vụ", "(Ký, ghi rõ họ tên, đóng dấu)", "")], width)]))
    return build(flow, title=f"Kết quả xếp hạng Chỉ số CCHC năm {ctx['year']}", landscape_page=True,
                 margins=LANDSCAPE_MARGINS)


def _scaled(chart, width: float):
    factor = min(1.0, width / chart.width)
    chart.scale(factor, factor)
    chart.width, chart.height = chart.width * factor, chart.height * factor
    chart.hAlign = "CENTER"
    return chart


# ---------------------------------------------------------------- where the points were lost


def render_lost_points_pdf(ctx: dict) -> bytes:
    """ctx: heading, year, unit_name, rows (number, title, max_points, points, lost, province_average, last_year,
    actions [task, owner, due, done]), total_lost, signer_title. Landscape A4."""
    width = content_width(landscape_page=True, margins=LANDSCAPE_MARGINS)
    flow = national_heading(ctx, width)
    flow.append(date_line(ctx.get("place"), ctx.get("at")))
    flow.append(para("DANH SÁCH NỘI DUNG CHƯA ĐẠT ĐIỂM TỐI ĐA", TITLE))
    flow.append(para(f"và nhiệm vụ khắc phục - Chỉ số cải cách hành chính năm {ctx['year']}<br/>"
                     f"{text(ctx['unit_name'])}", UNIT))
    fixed = [1.4 * cm, 1.5 * cm, 1.5 * cm, 1.5 * cm, 1.7 * cm, 1.7 * cm, 9.2 * cm]
    widths = [fixed[0], width - sum(fixed)] + fixed[1:]
    header = [para(label, HEAD) for label in ("STT", "Tiêu chí thành phần", "Điểm tối đa", "Điểm đạt", "Bị trừ",
                                              "Bình quân tỉnh", "Năm trước", "Nhiệm vụ khắc phục (chủ trì, hạn)")]
    rows = [header]
    for row in ctx["rows"]:
        actions = [f"- {text(action['task'])} ({text(action['owner'])}, hạn {text(action['due'])}): "
                   + ("<b>đã xong</b>" if action.get("done") else "đang thực hiện")
                   for action in row.get("actions", [])]
        rows.append([_cell(text(row["number"]), NUMBER), _cell(text(row["title"])),
                     _cell(points(row["max_points"]), NUMBER), _cell(points(row.get("points")), NUMBER),
                     _cell(points(row.get("lost")), NUMBER, True), _cell(points(row.get("province_average")), NUMBER),
                     _cell(points(row.get("last_year")), NUMBER),
                     para("<br/>".join(actions) or "<i>Chưa giao nhiệm vụ</i>", CELL)])
    rows.append(["", _cell("Tổng số điểm bị trừ", CELL, True), "", "", _cell(points(ctx.get("total_lost")), NUMBER,
                                                                             True), "", "", ""])
    table = grid(rows, widths, font_size=9.5)
    table.setStyle([("BACKGROUND", (0, len(rows) - 1), (-1, -1), (0.95, 0.95, 0.95))])
    flow.append(table if len(rows) > 2 else para("Đơn vị đạt điểm tối đa ở mọi tiêu chí thành phần.", NOTE))
    flow.append(KeepTogether([Spacer(1, 12), signatures(
        [None, (ctx.get("signer_title") or "Thủ trưởng đơn vị", "(Ký, ghi rõ họ tên, đóng dấu)", "")], width)]))
    return build(flow, title=f"Nội dung chưa đạt điểm tối đa năm {ctx['year']} - {ctx['unit_name']}",
                 landscape_page=True, margins=LANDSCAPE_MARGINS)
