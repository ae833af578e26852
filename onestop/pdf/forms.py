"""The official forms of the one-stop desk (Circular 03/2025/TT-VPCP as amended), one function each.

Each takes a plain dict built by onestop.reception.printing and returns the PDF bytes.
"""
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.units import cm
from reportlab.platypus import KeepTogether, Spacer, Table, TableStyle

from .layout import (
    BODY, CELL, CELL_CENTER, SMALL, SMALL_CENTER, SUBTITLE, TITLE, build, content_width, date_line, field, grid,
    moment, national_heading, para, qr_drawing, signatures, style, text,
)

WIDTH = content_width()
# Official forms are printed in Vietnamese whatever the page language.
DOCUMENT_KINDS = {"original": "Bản chính", "copy": "Bản sao", "original_or_copy": "Bản chính hoặc bản sao"}
TIMELINESS = {"early": "Trước hạn", "on_time": "Đúng hạn", "late": "Quá hạn"}


def _top(ctx: dict, title: str, subtitle: str | None = None) -> list:
    flow = national_heading(ctx, WIDTH)
    flow.append(date_line(ctx.get("place", ""), ctx.get("at")))
    flow.append(para(title, TITLE))
    if subtitle:
        flow.append(para(subtitle, SUBTITLE))
    else:
        flow.append(Spacer(1, 8))
    return flow


def _numbered(items) -> list:
    return [para(f"{index}. {text(item)}", BODY) for index, item in enumerate(items, start=1)] or [para("…", BODY)]


def render_receipt(ctx: dict) -> bytes:
    """Giấy tiếp nhận hồ sơ và hẹn trả kết quả, with the QR code of the public status page."""
    flow = _top(ctx, "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
                f"Số: {text(ctx.get('receipt_number'))} &nbsp;&nbsp; Mã hồ sơ: {text(ctx['application_code'])}")
    intro = [
        field("Bộ phận tiếp nhận và trả kết quả", ctx.get("desk_name")),
        para(f"Tiếp nhận hồ sơ của: <b>{text(ctx['applicant_name'])}</b>", BODY),
        field("Số CCCD" if ctx.get("applicant_kind") != "organisation" else "Mã số thuế", ctx.get("applicant_id_number")),
        field("Địa chỉ", ctx.get("applicant_address")),
        field("Số điện thoại", ctx.get("applicant_phone")),
        field("Thư điện tử", ctx.get("applicant_email")),
    ]
    code_box = [qr_drawing(ctx["tracking_url"]),
                para("Quét mã để tra cứu tình trạng hồ sơ", SMALL_CENTER)]
    top = Table([[intro, code_box]], colWidths=[WIDTH - 4 * cm, 4 * cm])
    top.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                             ("RIGHTPADDING", (0, 0), (-1, -1), 0), ("ALIGN", (1, 0), (1, 0), "CENTER"),
                             ("FONT", (0, 0), (-1, -1), "OnestopSerif", 12)]))
    flow.append(top)
    representative = ctx.get("representative")
    if representative:
        flow.append(field("Người được ủy quyền", ", ".join(
            part for part in (representative.get("name"), representative.get("id_number"), representative.get("phone"))
            if part)))
    flow.append(para(f"Nội dung yêu cầu giải quyết: <b>{text(ctx['procedure_name'])}</b> "
                     f"(mã thủ tục {text(ctx.get('procedure_code'))})", BODY))
    flow.append(para("1. Thành phần hồ sơ nộp gồm:", BODY))
    rows = [[para("<b>TT</b>", CELL_CENTER), para("<b>Tên giấy tờ</b>", CELL), para("<b>Loại</b>", CELL_CENTER),
             para("<b>Số bản</b>", CELL_CENTER)]]
    for index, document in enumerate(ctx.get("documents") or [], start=1):
        rows.append([para(str(index), CELL_CENTER), para(text(document.get("name")), CELL),
                     para(text(DOCUMENT_KINDS.get(document.get("kind"), document.get("kind"))), CELL_CENTER),
                     para(f"{int(document.get('copies') or 1):02d}", CELL_CENTER)])
    flow.append(grid(rows, [1.1 * cm, WIDTH - 6.6 * cm, 3.6 * cm, 1.9 * cm]))
    flow.append(Spacer(1, 4))
    flow.append(para(f"2. Số lượng hồ sơ: {int(ctx.get('sets') or 1):02d} bộ", BODY))
    flow.append(field("3. Thời gian giải quyết hồ sơ theo quy định", ctx.get("time_text")))
    flow.append(para(f"4. Thời gian nhận hồ sơ: <b>{moment(ctx.get('received_at'))}</b>", BODY))
    flow.append(para(f"5. Thời gian trả kết quả giải quyết hồ sơ: <b>{moment(ctx.get('due_at'))}</b>", BODY))
    flow.append(field("6. Nơi trả kết quả", ctx.get("return_place")))
    flow.append(para(f"Vào Sổ theo dõi hồ sơ: quyển {text(ctx.get('register_volume'))}, số {text(ctx.get('register_entry'))}",
                     BODY))
    flow.append(para(f"<font size=9>Tra cứu: {text(ctx['tracking_url'])}</font>", SMALL))
    flow.append(Spacer(1, 8))
    flow.append(KeepTogether(signatures([
        ("NGƯỜI NỘP HỒ SƠ", None, ctx.get("applicant_name")),
        ("NGƯỜI TIẾP NHẬN HỒ SƠ", None, ctx.get("officer_name")),
    ], WIDTH)))
    return build(flow, title=f"Giấy tiếp nhận hồ sơ {ctx['application_code']}")


def render_supplement(ctx: dict) -> bytes:
    """Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ."""
    code = ctx.get("application_code")
    flow = _top(ctx, "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ", f"Mã hồ sơ: {text(code)}" if code else None)
    flow += [
        para(f"Kính gửi: <b>{text(ctx['applicant_name'])}</b>", BODY),
        field("Địa chỉ", ctx.get("applicant_address")),
        field("Số điện thoại", ctx.get("applicant_phone")),
        field("Thư điện tử", ctx.get("applicant_email")),
        para(f"Cơ quan, đơn vị tiếp nhận hồ sơ của Ông/Bà đề nghị giải quyết thủ tục: <b>{text(ctx['procedure_name'])}</b>"
             f" (mã {text(ctx.get('procedure_code'))}).", BODY),
        para("Sau khi xem xét, hồ sơ của Ông/Bà cần bổ sung, hoàn thiện các nội dung sau:", BODY),
        *_numbered(ctx.get("items") or []),
        field("Lý do", ctx.get("reason")),
        para("Trong quá trình hoàn thiện hồ sơ, nếu có vướng mắc, Ông/Bà liên hệ "
             f"{text(ctx.get('officer_name'))} – số điện thoại {text(ctx.get('officer_phone') or '……………')} để được hướng dẫn.",
             BODY),
        Spacer(1, 10),
        KeepTogether(signatures([("", "", None), ("NGƯỜI HƯỚNG DẪN", None, ctx.get("officer_name"))], WIDTH)),
    ]
    return build(flow, title="Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ")


def render_refusal(ctx: dict) -> bytes:
    """Phiếu từ chối tiếp nhận, giải quyết hồ sơ."""
    flow = _top(ctx, "PHIẾU TỪ CHỐI TIẾP NHẬN, GIẢI QUYẾT HỒ SƠ")
    flow += [
        field("Bộ phận tiếp nhận và trả kết quả", ctx.get("desk_name")),
        para(f"Tiếp nhận hồ sơ của: <b>{text(ctx['applicant_name'])}</b>", BODY),
        field("Số CCCD / Mã số thuế", ctx.get("applicant_id_number")),
        field("Địa chỉ", ctx.get("applicant_address")),
        field("Số điện thoại", ctx.get("applicant_phone")),
        field("Thư điện tử", ctx.get("applicant_email")),
        field("Mã hồ sơ", ctx.get("application_code") or "(chưa cấp)"),
        para(f"Đề nghị giải quyết thủ tục: <b>{text(ctx['procedure_name'])}</b> (mã {text(ctx.get('procedure_code'))}).",
             BODY),
        para("Cơ quan, đơn vị từ chối tiếp nhận, giải quyết hồ sơ với lý do như sau:", BODY),
        *_numbered(ctx.get("reasons") or []),
        para("Xin thông báo để Ông/Bà được biết và thực hiện.", BODY),
        Spacer(1, 10),
        KeepTogether(signatures([("NGƯỜI NỘP HỒ SƠ", None, ctx.get("applicant_name")),
                                 ("NGƯỜI TIẾP NHẬN HỒ SƠ", None, ctx.get("officer_name"))], WIDTH)),
    ]
    return build(flow, title="Phiếu từ chối tiếp nhận, giải quyết hồ sơ")


def render_apology(ctx: dict) -> bytes:
    """Phiếu xin lỗi và hẹn lại ngày trả kết quả."""
    flow = _top(ctx, "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ")
    flow += [
        para(f"Kính gửi: <b>{text(ctx['applicant_name'])}</b>", BODY),
        para(f"Ngày {moment(ctx.get('received_at'))}, cơ quan, đơn vị tiếp nhận giải quyết hồ sơ đề nghị "
             f"<b>{text(ctx['procedure_name'])}</b> của Ông/Bà, mã hồ sơ <b>{text(ctx['application_code'])}</b>.", BODY),
        para(f"Thời hạn trả kết quả giải quyết hồ sơ theo quy định: {moment(ctx.get('original_due_at'))}.", BODY),
        para(f"Tuy nhiên đến nay, cơ quan, đơn vị chưa trả kết quả giải quyết hồ sơ của Ông/Bà. "
             f"Lý do: {text(ctx.get('reason'))}", BODY),
        para("Sự chậm trễ này đã gây phiền hà cho Ông/Bà. Cơ quan, đơn vị xin lỗi Ông/Bà và sẽ trả kết quả "
             f"giải quyết hồ sơ cho Ông/Bà vào <b>{moment(ctx.get('new_due_at'))}</b>.", BODY),
        para("Xin trân trọng cảm ơn!", BODY),
        Spacer(1, 10),
        KeepTogether(signatures([("", "", None), (ctx.get("signer_title") or "THỦ TRƯỞNG CƠ QUAN",
                                                  "(Ký, ghi rõ họ tên, đóng dấu)", ctx.get("signer_name"))], WIDTH)),
    ]
    return build(flow, title=f"Phiếu xin lỗi {ctx['application_code']}")


def render_stop(ctx: dict) -> bytes:
    """Thông báo dừng giải quyết hồ sơ (at the applicant's request)."""
    flow = _top(ctx, "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ")
    flow += [
        para(f"Kính gửi: <b>{text(ctx['applicant_name'])}</b>", BODY),
        para(f"Ngày {moment(ctx.get('received_at'))}, cơ quan, đơn vị tiếp nhận hồ sơ đề nghị "
             f"<b>{text(ctx['procedure_name'])}</b> của Ông/Bà, mã hồ sơ <b>{text(ctx['application_code'])}</b>.", BODY),
        para(f"Theo đề nghị của Ông/Bà: {text(ctx.get('request'))}", BODY),
        para(f"Cơ quan, đơn vị thông báo dừng giải quyết hồ sơ nêu trên kể từ {moment(ctx.get('at'))}.", BODY),
        Spacer(1, 10),
        KeepTogether(signatures([("", "", None), (ctx.get("signer_title") or "THỦ TRƯỞNG CƠ QUAN",
                                                  "(Ký, ghi rõ họ tên, đóng dấu)", ctx.get("signer_name"))], WIDTH)),
    ]
    return build(flow, title=f"Thông báo dừng giải quyết {ctx['application_code']}")


def render_control(ctx: dict) -> bytes:
    """Phiếu kiểm soát quá trình giải quyết hồ sơ: one row per hand-over with its result."""
    flow = national_heading(ctx, WIDTH)
    flow.append(para("PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ", TITLE))
    flow.append(para(f"Mã hồ sơ: {text(ctx['application_code'])}", SUBTITLE))
    flow += [
        field("Thủ tục", ctx.get("procedure_name")),
        field("Người nộp", ctx.get("applicant_name")),
        field("Cơ quan giải quyết hồ sơ", ctx.get("processing_agency")),
        field("Cơ quan phối hợp giải quyết", ", ".join(ctx.get("coordinating_agencies") or []) or "Không"),
        para(f"Thời gian nhận hồ sơ: <b>{moment(ctx.get('received_at'))}</b>", BODY),
        para(f"Thời gian trả kết quả: <b>{moment(ctx.get('due_at'))}</b>", BODY),
        Spacer(1, 4),
    ]
    head = style("control_head", size=11, font="OnestopSerif-Bold", align=TA_CENTER, space_after=0)
    rows = [[para("Tên cơ quan, đơn vị", head), "", para("Thời gian giao, nhận hồ sơ", head),
             para("Kết quả giải quyết", head), para("Ghi chú", head)],
            [para("Bên giao", head), para("Bên nhận", head), "", "", ""]]
    for row in ctx.get("rows") or []:
        rows.append([para(text(row.get("from_unit")), CELL), para(text(row.get("to_unit")), CELL),
                     para(moment(row.get("at")), CELL_CENTER),
                     para(TIMELINESS.get(row.get("result"), ""), CELL_CENTER),
                     para(text(row.get("note")), CELL)])
    table = grid(rows, [3.6 * cm, 3.6 * cm, 2.9 * cm, 2.4 * cm, WIDTH - 12.5 * cm], header_rows=2)
    table.setStyle(TableStyle([("SPAN", (0, 0), (1, 0)), ("SPAN", (2, 0), (2, 1)), ("SPAN", (3, 0), (3, 1)),
                               ("SPAN", (4, 0), (4, 1)), ("VALIGN", (0, 0), (-1, 1), "MIDDLE")]))
    flow.append(table)
    return build(flow, title=f"Phiếu kiểm soát {ctx['application_code']}")
