"""The receipt of fees and charges (biên lai thu phí, lệ phí) on A5 (or A4), and the day's book of a collecting
agency as PDF and Excel. Pure rendering: each takes a plain dict (built by onestop.fees.printing) and returns bytes;
amounts in words come in the dict, written by onestop.fees.words.
"""
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, A5
from reportlab.lib.units import cm
from reportlab.platypus import Spacer, Table, TableStyle

from .fonts import BOLD, REGULAR
from .layout import BLANK, balanced, build, day_text, para, signatures, style, text

A5_MARGINS = (1.5 * cm, 1.2 * cm, 1.2 * cm, 1.2 * cm)
HEAD = style("receipt_head", size=10, align=TA_CENTER, space_after=0)
HEAD_BOLD = style("receipt_head_bold", size=10, font=BOLD, align=TA_CENTER, space_after=0)
SERIES = style("receipt_series", size=10, align=TA_LEFT, space_after=0)
TITLE = style("receipt_title", size=14, font=BOLD, align=TA_CENTER, space_after=0, leading=18)
DATE = style("receipt_date", size=11, align=TA_CENTER, space_after=6)
LINE = style("receipt_line", size=11, align=TA_LEFT, space_after=2)
CELL = style("receipt_cell", size=10.5, align=TA_LEFT, space_after=0)
CELL_RIGHT = style("receipt_cell_right", size=10.5, align=TA_RIGHT, space_after=0)
CELL_HEAD = style("receipt_cell_head", size=10.5, font=BOLD, align=TA_CENTER, space_after=0)
WORDS = style("receipt_words", size=10, align=TA_LEFT, space_after=0, textColor=colors.black)
MARK = style("receipt_mark", size=12, font=BOLD, align=TA_CENTER, space_after=4, textColor=colors.Color(0.7, 0, 0))
METHODS = {"cash": "Tiền mặt", "transfer": "Chuyển khoản", "online": "Thanh toán trực tuyến"}


def figures(amount: int) -> str:
    return f"{amount:,}".replace(",", ".")


def _line_name(line: dict) -> str:
    """'Lệ phí: …' unless the published name already says which it is."""
    name = str(line.get("name") or "")
    kind = "Lệ phí" if line.get("kind") == "le_phi" else "Phí"
    return name if name.lower().startswith(("phí", "lệ phí")) else f"{kind}: {name}"


def _top(ctx: dict, width: float) -> Table:
    """The collecting agency (left), the form number, series and number (right)."""
    left = width * 0.58
    agency = []
    if ctx.get("parent_agency_name"):
        agency.append(para(balanced(str(ctx["parent_agency_name"]).upper(), REGULAR, 10, left), HEAD))
    agency.append(para(balanced(str(ctx.get("agency_name") or "").upper(), BOLD, 10, left), HEAD_BOLD))
    if ctx.get("agency_code"):
        agency.append(para(f"Mã định danh: {text(ctx['agency_code'])}", HEAD))
    series = [para(f"Mẫu số: {text(ctx.get('form_number'))}", SERIES),
              para(f"Ký hiệu: <b>{text(ctx.get('symbol'))}</b>", SERIES),
              para(f"Số: <b>{ctx.get('number', 0):07d}</b>", SERIES)]
    table = Table([[agency, series]], colWidths=[left, width - left])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("RIGHTPADDING", (0, 0), (-1, -1), 0), ("TOPPADDING", (0, 0), (-1, -1), 0),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 0)]))
    return table


def render_fee_receipt(ctx: dict, page: str = "A5") -> bytes:
    """One receipt: who collected, who paid, for which application, each line in figures and in words, the
    total, the date and the collector. A cancelled receipt prints as it was, under a mark saying so."""
    size = A5 if page == "A5" else A4
    margins = A5_MARGINS if page == "A5" else (3 * cm, 2 * cm, 2 * cm, 2 * cm)
    width = size[0] - margins[0] - margins[1]
    flow = []
    if ctx.get("cancelled"):
        flow.append(para(f"ĐÃ HỦY {text(ctx['cancelled'])}", MARK))
    flow += [_top(ctx, width), Spacer(1, 8), para("BIÊN LAI THU PHÍ, LỆ PHÍ", TITLE),
             para(day_text(ctx.get("issued_at")).capitalize(), DATE)]
    flow += [
        para(f"Tên đơn vị thu: <b>{text(ctx.get('agency_name'))}</b>", LINE),
        para(f"Người nộp tiền: <b>{text(ctx.get('payer_name')) or BLANK}</b>", LINE),
        para(f"Mã hồ sơ: <b>{text(ctx.get('application_code'))}</b>", LINE),
    ]
    if ctx.get("procedure_name"):
        flow.append(para(f"Thủ tục: {text(ctx['procedure_name'])}", LINE))
    flow.append(para(f"Hình thức thanh toán: {METHODS.get(ctx.get('method'), text(ctx.get('method')))}", LINE))
    rows = [[para("STT", CELL_HEAD), para("Nội dung khoản thu", CELL_HEAD), para("Số tiền (đồng)", CELL_HEAD)]]
    for index, line in enumerate(ctx.get("lines") or [], start=1):
        rows.append([para(str(index), CELL), [para(text(_line_name(line)), CELL),
                                              para(f"<i>Bằng chữ: {text(line.get('words'))}</i>", WORDS)],
                     para(figures(line.get("amount") or 0), CELL_RIGHT)])
    rows.append(["", para("<b>Tổng cộng</b>", CELL), para(f"<b>{figures(ctx.get('total') or 0)}</b>", CELL_RIGHT)])
    table = Table(rows, colWidths=[1 * cm, width - 4.2 * cm, 3.2 * cm], repeatRows=1)
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("FONT", (0, 0), (-1, -1), REGULAR, 10.5),
                               ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3)]))
    flow += [Spacer(1, 4), table, Spacer(1, 4),
             para(f"Tổng số tiền bằng chữ: <b><i>{text(ctx.get('total_words'))}</i></b>", LINE), Spacer(1, 6),
             signatures([("Người nộp tiền", "(Ký, ghi rõ họ tên)", None),
                         ("Người thu tiền", "(Ký, ghi rõ họ tên)", ctx.get("collector_name"))], width,
                        space=1.6 * cm)]
    return build(flow, title=f"Biên lai {ctx.get('symbol')} số {ctx.get('number', 0):07d}", margins=margins, page=size)
