"""What every official form shares: page, styles, the national heading, the date line, signatures, the QR code.

Layout follows Decree 30/2020/NĐ-CP on administrative documents: A4, left margin 3 cm, a serif face,
the issuing agency top left and the national motto top right, each with a short rule under it.
"""
import zlib
from datetime import date, datetime
from io import BytesIO
from xml.sax.saxutils import escape

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfdoc
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Paragraph, Spacer, Table, TableStyle

from ..text import nfc, printable
from ..timeutil import fmt, local
from .fonts import BOLD, ITALIC, REGULAR, register_fonts
from .qr import QrCode

register_fonts()  # the styles below name the faces; paragraph markup resolves <b>/<i> through the family


def _deflate_fast(self, text):
    """reportlab's Flate filter at zlib's fastest level: a form's streams (its three font subsets, mostly) come
    out about 5% larger and compress in a third of the time; nothing reads them but a PDF viewer."""
    if isinstance(text, str):
        text = text.encode("utf8")
    return zlib.compress(text, 1)


pdfdoc.PDFStreamFilterZCompress.encode = _deflate_fast
rl_config.useA85 = 0  # page streams as binary, not also ASCII85-encoded (a quarter larger, for 7-bit channels)

PORTRAIT_MARGINS = (3 * cm, 2 * cm, 2 * cm, 2 * cm)  # left, right, top, bottom
BLANK = "…………………"


def style(name: str, size: float = 13, font: str = REGULAR, align=TA_JUSTIFY, leading: float | None = None,
          space_after: float = 3, **extra) -> ParagraphStyle:
    """A paragraph style in the bundled serif (every face named, so nothing falls back to Helvetica)."""
    return ParagraphStyle(name, fontName=font, bulletFontName=font, fontSize=size, leading=leading or size * 1.25,
                          alignment=align, spaceAfter=space_after, **extra)


BODY = style("body")
PROSE = style("prose", firstLineIndent=1 * cm)
ITEM = style("item", leftIndent=0.6 * cm, firstLineIndent=-0.6 * cm)
SMALL = style("small", size=9, align=TA_LEFT, space_after=0)
SMALL_RIGHT = style("small_right", size=8, align=TA_RIGHT, space_after=0)
CAPTION = style("caption", size=9, font=ITALIC, align=TA_CENTER, space_after=0)
CELL = style("cell", size=11, align=TA_LEFT, space_after=0)
CELL_CENTER = style("cell_center", size=11, align=TA_CENTER, space_after=0)
CELL_HEAD = style("cell_head", size=11, font=BOLD, align=TA_CENTER, space_after=0)
AGENCY = style("agency", size=12, align=TA_CENTER, space_after=0)
AGENCY_BOLD = style("agency_bold", size=12, font=BOLD, align=TA_CENTER, space_after=0)
NATION = style("nation", size=12, font=BOLD, align=TA_CENTER, space_after=0)
MOTTO = style("motto", size=13, font=BOLD, align=TA_CENTER, space_after=0)
FORM_NUMBER = style("form_number", size=12, font=ITALIC, align=TA_RIGHT, space_after=4)
DATE_LINE = style("date_line", size=13, font=ITALIC, align=TA_RIGHT, space_after=10)
TITLE = style("title", size=14, font=BOLD, align=TA_CENTER, space_after=3, leading=18)
SUBTITLE = style("subtitle", size=13, align=TA_CENTER, space_after=10)
SIGN_TITLE = style("sign_title", size=13, font=BOLD, align=TA_CENTER, space_after=0)
SIGN_NOTE = style("sign_note", size=13, font=ITALIC, align=TA_CENTER, space_after=0)
SIGN_NAME = style("sign_name", size=13, font=BOLD, align=TA_CENTER, space_after=0)


def text(value) -> str:
    """User text safe inside Paragraph markup: NFC, '<' and '&' escaped, line breaks kept."""
    return escape(printable(value)).replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ").replace("\n", "<br/>")


def upper(value) -> str:
    """Upper case first, then escaped ('&amp;'.upper() would no longer be an entity)."""
    return text(nfc(str(value or "")).upper())


class LaidOutParagraph(Paragraph):
    """A paragraph that breaks its lines once per width: a table wraps each cell to measure the row and again to
    draw it, and line breaking is most of what a form costs to render."""

    _wrapped_for = None

    def wrap(self, available_width, available_height):
        # laid out again if the width changed, or if a split at the foot of a frame dropped the lines
        if self._wrapped_for != available_width or "blPara" not in self.__dict__:
            self._wrapped_size = super().wrap(available_width, available_height)
            self._wrapped_for = available_width
        return self._wrapped_size


def para(markup: str, st: ParagraphStyle = BODY) -> Paragraph:
    """A paragraph from markup whose user parts went through text()."""
    return LaidOutParagraph(nfc(markup), st)


def field(label: str, value, st: ParagraphStyle = BODY, bold: bool = False) -> Paragraph:
    """'Label: value' as the form prints it, dots when the value is missing."""
    shown = text(value) if value not in (None, "") else BLANK
    return para(f"{label}: <b>{shown}</b>" if bold and value not in (None, "") else f"{label}: {shown}", st)


def moment(value: datetime | None) -> str:
    """hh:mm dd/mm/yyyy in Vietnam time, or dots to fill in by hand."""
    return fmt(value) if value else "…… giờ …… ngày ……/……/………"


def day_text(value: date | datetime | None) -> str:
    """'ngày 05 tháng 9 năm 2026': days below 10 and months 1–2 get a leading zero (Decree 30/2020)."""
    if value is None:
        return "ngày …… tháng …… năm ………"
    if isinstance(value, datetime):
        value = local(value)
    month = f"{value.month:02d}" if value.month < 3 else str(value.month)
    return f"ngày {value.day:02d} tháng {month} năm {value.year}"


def date_line(place: str | None, at: datetime | None) -> Paragraph:
    """'Yên Bái, ngày 15 tháng 9 năm 2026', italic, right-aligned."""
    return para(f"{text(place) or BLANK}, {day_text(at)}", DATE_LINE)


class Rule(Flowable):
    """A short centred horizontal line, as under the agency name and under the motto."""

    def __init__(self, length: float, thickness: float = 0.7, space: float = 2):
        super().__init__()
        self.length, self.thickness, self.space = length, thickness, space

    def wrap(self, available_width, available_height):
        self.width = available_width
        return available_width, self.space + self.thickness

    def draw(self):
        start = (self.width - self.length) / 2
        self.canv.setLineWidth(self.thickness)
        self.canv.line(start, self.thickness / 2, start + self.length, self.thickness / 2)


PLACE_WORDS = ("TỈNH", "THÀNH PHỐ", "HUYỆN", "QUẬN", "THỊ XÃ", "THỊ TRẤN", "XÃ", "PHƯỜNG", "ĐẶC KHU")


def balanced(value: str, font: str, size: float, width: float) -> str:
    """Escaped markup of `value`, in two lines when one is too wide, broken where an official heading breaks.

    'ỦY BAN NHÂN DÂN / TỈNH YÊN BÁI': before the place (tỉnh, huyện, xã …) when both lines then fit,
    otherwise where the two lines come out nearest in length.
    """
    words = value.split()
    if stringWidth(value, font, size) <= width or len(words) < 2:
        return text(value)

    def widest(cut):
        return max(stringWidth(" ".join(words[:cut]), font, size), stringWidth(" ".join(words[cut:]), font, size))

    cuts = range(1, len(words))
    at_place = [cut for cut in cuts if " ".join(words[cut:]).startswith(PLACE_WORDS) and widest(cut) <= width]
    best = min(at_place or cuts, key=widest)
    return f"{text(' '.join(words[:best]))}<br/>{text(' '.join(words[best:]))}"


def national_heading(ctx: dict, width: float) -> list:
    """Form number, then the agency block (left) beside the national motto (right)."""
    left = min(6.4 * cm, width * 0.4)
    agency = []
    if ctx.get("parent_agency_name"):
        parent = nfc(str(ctx["parent_agency_name"])).upper()
        agency.append(para(balanced(parent, REGULAR, 12, left), AGENCY))
    agency_name = nfc(str(ctx.get("agency_name") or "")).upper()
    agency.append(para(balanced(agency_name, BOLD, 12, left), AGENCY_BOLD))
    agency.append(Rule(min(3.5 * cm, max(2 * cm, stringWidth(agency_name, BOLD, 12) / 3)), space=4))
    motto = "Độc lập - Tự do - Hạnh phúc"
    nation = [para("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", NATION), para(motto, MOTTO),
              Rule(stringWidth(motto, BOLD, 13), space=4)]
    table = Table([[agency, nation]], colWidths=[left, width - left])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("FONT", (0, 0), (-1, -1), REGULAR, 12),
                               ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                               ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 0)]))
    flow = [para(text(ctx["form_number"]), FORM_NUMBER)] if ctx.get("form_number") else []
    return flow + [table, Spacer(1, 10)]


def form_top(ctx: dict, width: float, title: str, subtitle: str | None = None, at=None) -> list:
    """Heading, place and date, the title in bold capitals and an optional line under it."""
    flow = national_heading(ctx, width)
    flow.append(date_line(ctx.get("place"), at if at is not None else ctx.get("at")))
    flow.append(para(title, TITLE))
    flow.append(para(subtitle, SUBTITLE) if subtitle else Spacer(1, 8))
    return flow


def numbered(items, st: ParagraphStyle = ITEM) -> list:
    """'1. …', '2. …' with hanging indent; a dotted line when the list is empty."""
    items = [item for item in items or [] if item not in (None, "")]
    return [para(f"{number}. {text(item)}", st) for number, item in enumerate(items, start=1)] or [para(BLANK, st)]


def signatures(blocks: list, width: float, space: float = 2.4 * cm) -> Table:
    """Signature columns side by side; a block is (title, note, name), None (empty) or a list of flowables."""
    cells = []
    for block in blocks:
        if block is None or isinstance(block, list):
            cells.append(block or "")
            continue
        title, note, name = block
        cell = [para(upper(title), SIGN_TITLE), para(text(note or "(Ký, ghi rõ họ tên)"), SIGN_NOTE), Spacer(1, space)]
        if name:
            cell.append(para(text(name), SIGN_NAME))
        cells.append(cell)
    table = Table([cells], colWidths=[width / len(blocks)] * len(blocks), splitInRow=1)
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("FONT", (0, 0), (-1, -1), REGULAR, 13),
                               ("LEFTPADDING", (0, 0), (-1, -1), 2), ("RIGHTPADDING", (0, 0), (-1, -1), 2)]))
    return table


def qr_drawing(value: str, size: float = 3 * cm) -> QrCode:
    """A vector QR code (no Pillow) of exactly `value`, size × size points, quiet zone included: one filled path."""
    return QrCode(value, size)


def grid(rows: list, widths: list[float], header_rows: int = 1, font_size: float = 11) -> Table:
    """A ruled table whose header rows repeat on every page."""
    table = Table(rows, colWidths=widths, repeatRows=header_rows, splitInRow=1)
    table.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), REGULAR, font_size),
        ("FONT", (0, 0), (-1, header_rows - 1), BOLD, font_size),
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("VALIGN", (0, 0), (-1, header_rows - 1), "MIDDLE"),
        ("ALIGN", (0, 0), (-1, header_rows - 1), "CENTER"),
        ("BACKGROUND", (0, 0), (-1, header_rows - 1), colors.Color(0.92, 0.92, 0.92)),
        ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]))
    return table


def content_width(landscape_page: bool = False, margins=PORTRAIT_MARGINS) -> float:
    page_width = landscape(A4)[0] if landscape_page else A4[0]
    return page_width - margins[0] - margins[1]


class _NumberedCanvas(Canvas):
    """Holds the pages back until the end so each can say 'Trang 2/5' (only when there is more than one)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._held_pages = []

    def showPage(self):
        self._held_pages.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        total = len(self._held_pages)
        for state in self._held_pages:
            self.__dict__.update(state)
            if total > 1:
                self.setFont(REGULAR, 9)
                self.drawCentredString(self._pagesize[0] / 2, 1.1 * cm, f"Trang {self._pageNumber}/{total}")
            super().showPage()
        super().save()


def build(flow: list, *, title: str, landscape_page: bool = False, margins=PORTRAIT_MARGINS, page=None) -> bytes:
    """The PDF bytes of `flow` on A4 (or `page`, e.g. A5); margins are (left, right, top, bottom)."""
    register_fonts()
    buffer = BytesIO()
    pagesize = page or (landscape(A4) if landscape_page else A4)
    left, right, top, bottom = margins
    document = BaseDocTemplate(buffer, pagesize=pagesize, leftMargin=left, rightMargin=right, topMargin=top,
                               bottomMargin=bottom, title=nfc(title), author="onestop", creator="onestop", pageCompression=1,
                               # the canvas would otherwise open with, and reference, Helvetica
                               initialFontName=REGULAR, initialFontSize=13)
    # No frame padding: tables sized to the content width line up with the paragraphs.
    frame = Frame(left, bottom, pagesize[0] - left - right, pagesize[1] - top - bottom, id="body",
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    document.addPageTemplates([PageTemplate(id="page", frames=[frame])])
    document.build(flow, canvasmaker=_NumberedCanvas)
    return buffer.getvalue()
