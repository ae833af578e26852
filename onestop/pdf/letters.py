"""Letters an agency sends a citizen: the reply to a complaint or feedback (trả lời phản ánh, kiến nghị).

An administrative letter (công văn, Decree 30/2020/NĐ-CP): the agency and the national motto at the top, the
number and the "V/v" summary under the agency, the place and date opposite, "Kính gửi", the body, the
recipients and the head's signature. Takes a plain dict (built by onestop.tracking.public.printing), returns PDF bytes.
"""
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.units import cm
from reportlab.platypus import KeepTogether, Spacer, Table, TableStyle

from ..timeutil import fmt_date
from .fonts import REGULAR
from .layout import (
    BLANK, DATE_LINE, PROSE, build, content_width, day_text, field, national_heading, para, signatures,
    style, text,
)

WIDTH = content_width()
NUMBER = style("letter_number", size=13, align=TA_CENTER, space_after=0)
SUMMARY = style("letter_summary", size=12, align=TA_CENTER, space_after=0)
ADDRESSEE = style("letter_addressee", size=13, align=TA_LEFT, leftIndent=3 * cm, space_after=8)
QUOTE = style("letter_quote", size=13, leftIndent=1 * cm, rightIndent=0.5 * cm, space_after=6)
RECIPIENTS = style("letter_recipients", size=11, align=TA_LEFT, space_after=0)
CHANNELS = {"online": "trên Cổng tiếp nhận trực tuyến", "in_person": "trực tiếp tại bộ phận một cửa",
            "phone": "qua điện thoại", "letter": "bằng văn bản gửi qua bưu chính"}


def _number_and_date(ctx: dict) -> Table:
    """'Số: …/…' and 'V/v …' under the agency (left), the place and date opposite (right)."""
    left = min(6.4 * cm, WIDTH * 0.4)
    number = f"Số: {text(ctx.get('number')) or '………/……'}"
    table = Table([[[para(number, NUMBER), para(f"V/v {text(ctx.get('summary'))}", SUMMARY)],
                    para(f"{text(ctx.get('place')) or BLANK}, {day_text(ctx.get('at'))}", DATE_LINE)]],
                  colWidths=[left, WIDTH - left])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("FONT", (0, 0), (-1, -1), REGULAR, 12),
                               ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                               ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 0)]))
    return table


def _about(ctx: dict) -> str:
    if ctx.get("application_code"):
        procedure = f" (thủ tục {text(ctx['procedure_name'])})" if ctx.get("procedure_name") else ""
        return f" về hồ sơ mã <b>{text(ctx['application_code'])}</b>{procedure}"
    return ""


def render_complaint_reply(ctx: dict) -> bytes:
    """The agency's written answer to one complaint, addressed to its sender."""
    agency = text(ctx.get("agency_name"))
    received = ctx.get("received_at")
    channel = CHANNELS.get(ctx.get("channel"), "")
    flow = national_heading({**ctx, "form_number": None}, WIDTH)
    flow += [
        _number_and_date(ctx),
        Spacer(1, 14),
        para(f"Kính gửi: Ông/Bà <b>{text(ctx.get('sender_name')) or BLANK}</b>", ADDRESSEE),
        field("Địa chỉ liên hệ", ctx.get("sender_contact"), ADDRESSEE),
        para(f"Ngày {fmt_date(received) or BLANK}, {agency} nhận được phản ánh, "
             f"kiến nghị của Ông/Bà {channel}{_about(ctx)} (mã phản ánh <b>{text(ctx.get('complaint_code'))}</b>), "
             "với nội dung:", PROSE),
        para(f"<i>“{text(ctx.get('content'))}”</i>", QUOTE),
        para(f"Sau khi xem xét, {agency} trả lời như sau:", PROSE),
        *[para(text(paragraph), PROSE) for paragraph in (ctx.get("response") or BLANK).split("\n") if paragraph.strip()],
        para(f"{agency} trân trọng thông báo để Ông/Bà được biết./.", PROSE),
        KeepTogether([Spacer(1, 10), signatures([
            [para("<b><i>Nơi nhận:</i></b>", RECIPIENTS), para("- Như trên;", RECIPIENTS),
             para("- Lưu: VT, hồ sơ phản ánh.", RECIPIENTS)],
            (ctx.get("signer_title") or "THỦ TRƯỞNG CƠ QUAN", "(Ký, ghi rõ họ tên và đóng dấu)", ctx.get("signer_name")),
        ], WIDTH)]),
    ]
    return build(flow, title=f"Trả lời phản ánh, kiến nghị {ctx.get('complaint_code') or ''}".strip())

