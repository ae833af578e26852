"""Shared layout of official forms: fonts, the national heading, paragraphs, signatures."""
from datetime import datetime
from io import BytesIO
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from ..text import nfc
from ..timeutil import fmt, local

FONT_DIR = Path(__file__).resolve().parent.parent / "fonts"
FONT_NAMES = {
    "regular": ("OnestopSerif", "LiberationSerif-Regular.ttf"),
    "bold": ("OnestopSerif-Bold", "LiberationSerif-Bold.ttf"),
    "italic": ("OnestopSerif-Italic", "LiberationSerif-Italic.ttf"),
    "bolditalic": ("OnestopSerif-BoldItalic", "LiberationSerif-BoldItalic.ttf"),
}
FONT = FONT_NAMES["regular"][0]
BOLD = FONT_NAMES["bold"][0]
ITALIC = FONT_NAMES["italic"][0]
_registered = False


def register_fonts() -> None:
    """Register the four Liberation Serif faces once per process, as one family."""
    global _registered
    if _registered:
        return
    for name, filename in FONT_NAMES.values():
        pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / filename)))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=BOLD, italic=ITALIC,
                                  boldItalic=FONT_NAMES["bolditalic"][0])
    _registered = True


register_fonts()  # Paragraph markup (<b>, <i>) is resolved when a paragraph is built


def style(name, size=13, font=None, align=TA_JUSTIFY, leading=None, space_after=3, **extra) -> ParagraphStyle:
    return ParagraphStyle(name, fontName=font or FONT, fontSize=size, leading=leading or size * 1.3,
                          alignment=align, spaceAfter=space_after, **extra)


BODY = style("body")
BODY_LEFT = style("body_left", align=TA_LEFT)
SMALL = style("small", size=10, align=TA_LEFT, space_after=0)
SMALL_CENTER = style("small_center", size=10, align=TA_CENTER, space_after=0)
CELL = style("cell", size=11, align=TA_LEFT, space_after=0)
CELL_CENTER = style("cell_center", size=11, align=TA_CENTER, space_after=0)
HEAD_LEFT = style("head_left", size=12, align=TA_CENTER, space_after=0)
HEAD_RIGHT = style("head_right", size=12, font=BOLD, align=TA_CENTER, space_after=0)
TITLE = style("title", size=14, font=BOLD, align=TA_CENTER, space_after=2)
SUBTITLE = style("subtitle", size=13, font=ITALIC, align=TA_CENTER, space_after=8)
DATE_LINE = style("date_line", size=13, font=ITALIC, align=TA_RIGHT, space_after=8)
FORM_NUMBER = style("form_number", size=11, font=ITALIC, align=TA_RIGHT, space_after=2)
SIGN_TITLE = style("sign_title", size=13, font=BOLD, align=TA_CENTER, space_after=0)
SIGN_NOTE = style("sign_note", size=12, font=ITALIC, align=TA_CENTER, space_after=0)


def text(value) -> str:
    """User text made safe for Paragraph markup: NFC, escaped, line breaks kept."""
    if value is None:
        return ""
    return escape(nfc(str(value))).replace("\n", "<br/>")


def para(markup: str, st: ParagraphStyle = BODY) -> Paragraph:
    return Paragraph(nfc(markup), st)


def field(label: str, value, st: ParagraphStyle = BODY) -> Paragraph:
    """'Label: value' with the label as printed on the form."""
    return para(f"{label}: {text(value) if value not in (None, '') else '…………………………'}", st)


def moment(value: datetime | None) -> str:
    return fmt(value) if value else "……… giờ ……… ngày ……/……/………"


def date_line(place: str, at: datetime | None) -> Paragraph:
    at = local(at) if at else None
    if at is None:
        return para(f"{text(place)}, ngày …… tháng …… năm ………", DATE_LINE)
    return para(f"{text(place)}, ngày {at.day:02d} tháng {at.month:02d} năm {at.year}", DATE_LINE)


def national_heading(ctx: dict, width: float) -> list:
    """Agency block on the left, the national motto on the right, the form number above."""
    left = []
    if ctx.get("parent_agency_name"):
        left.append(para(text(ctx["parent_agency_name"]).upper(), HEAD_LEFT))
    left.append(para(f"<b>{text(ctx.get('agency_name', '')).upper()}</b>", HEAD_LEFT))
    left.append(para("<font size=8>_______________</font>", SMALL_CENTER))
    right = [
        para("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", HEAD_RIGHT),
        para("<u>Độc lập - Tự do - Hạnh phúc</u>", style("motto", size=13, font=BOLD, align=TA_CENTER, space_after=0)),
        para("<font size=8>_______________________</font>", SMALL_CENTER),
    ]
    table = Table([[left, right]], colWidths=[width * 0.42, width * 0.58])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("RIGHTPADDING", (0, 0), (-1, -1), 0), ("FONT", (0, 0), (-1, -1), FONT, 12)]))
    flow = []
    if ctx.get("form_number"):
        flow.append(para(text(ctx["form_number"]), FORM_NUMBER))
    flow.append(table)
    flow.append(Spacer(1, 6))
    return flow


def signatures(blocks: list[tuple[str, str | None, str | None]], width: float) -> Table:
    """Signature columns: (title, note, name)."""
    cells = []
    for title, note, name in blocks:
        if not title:
            cells.append([])
            continue
        cell = [para(text(title), SIGN_TITLE), para(text(note or "(Ký, ghi rõ họ tên)"), SIGN_NOTE), Spacer(1, 52)]
        if name:
            cell.append(para(f"<b>{text(name)}</b>", style("sign_name", size=13, align=TA_CENTER)))
        cells.append(cell)
    table = Table([cells], colWidths=[width / len(blocks)] * len(blocks))
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("FONT", (0, 0), (-1, -1), FONT, 12)]))
    return table


def qr_drawing(value: str, size: float = 3.2 * cm) -> Drawing:
    widget = QrCodeWidget(value, barLevel="M")
    x1, y1, x2, y2 = widget.getBounds()
    drawing = Drawing(size, size, transform=[size / (x2 - x1), 0, 0, size / (y2 - y1), 0, 0],
                      initialFontName=FONT)  # not Helvetica, the graphics default
    drawing.add(widget)
    return drawing


def grid(rows, widths, header_rows=1, font_size=11) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=header_rows)
    table.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), FONT, font_size),
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BACKGROUND", (0, 0), (-1, header_rows - 1), colors.Color(0.93, 0.93, 0.93)),
        ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]))
    return table


def build(flow: list, *, title: str, landscape_page=False, margins=(3 * cm, 2 * cm, 2 * cm, 2 * cm)) -> bytes:
    """A4 PDF from flowables; margins are left, right, top, bottom."""
    register_fonts()
    buffer = BytesIO()
    pagesize = (A4[1], A4[0]) if landscape_page else A4
    left, right, top, bottom = margins
    document = SimpleDocTemplate(buffer, pagesize=pagesize, leftMargin=left, rightMargin=right, topMargin=top,
                                 bottomMargin=bottom, title=nfc(title), author="onestop", creator="onestop",
                                 # the canvas would otherwise start with (and embed a reference to) Helvetica
                                 initialFontName=FONT, initialFontSize=13)
    document.build(flow, onFirstPage=_page_number, onLaterPages=_page_number)
    return buffer.getvalue()


def _page_number(canvas, document):
    if document.page > 1 or getattr(document, "_multi", False):
        canvas.setFont(FONT, 9)
        canvas.drawRightString(document.pagesize[0] - document.rightMargin, 1.2 * cm, f"Trang {document.page}")


def content_width(landscape_page=False, margins=(3 * cm, 2 * cm)) -> float:
    page_width = A4[1] if landscape_page else A4[0]
    return page_width - margins[0] - margins[1]
