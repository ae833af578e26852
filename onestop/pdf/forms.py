"""The printed forms of the one-stop desk (Circular 03/2025/TT-VPCP as amended), one function each.

Each takes a plain dict (built by onestop.reception.printing) and returns the PDF bytes. The forms are
printed in Vietnamese whatever the language of the page that asked for them.
"""
from reportlab.lib.units import cm
from reportlab.platypus import KeepTogether, Spacer, Table, TableStyle

from .fonts import BOLD, REGULAR
from .layout import (
    BLANK, BODY, CAPTION, CELL, CELL_CENTER, CELL_HEAD, PROSE, SMALL_RIGHT, build, content_width, date_line,
    field, form_top, grid, moment, national_heading, numbered, para, qr_drawing, signatures, style, text,
)

WIDTH = content_width()
DOCUMENT_KINDS = {"original": "Bản chính", "copy": "Bản sao", "original_or_copy": "Bản chính hoặc bản sao"}
CHANNELS = {"in_person": "Trực tiếp", "online": "Trực tuyến", "postal": "Qua dịch vụ bưu chính"}
TIMELINESS = {"early": "Trước hạn", "on_time": "Đúng hạn", "late": "Quá hạn"}
RECIPIENTS = style("recipients", size=11, align=0, space_after=0)
LOOKUP = style("lookup", size=10, align=0, space_after=0)
HEAD_SIGNATURE_NOTE = "(Ký, ghi rõ họ tên và đóng dấu)"


def _count(value, default: int = 1) -> str:
    """'01', '02': counts on the forms take two digits."""
    try:
        return f"{int(value):02d}"
    except (TypeError, ValueError):
        return f"{default:02d}" if value in (None, "") else text(value)


def _procedure(ctx: dict) -> str:
    code = f" (mã thủ tục: {text(ctx['procedure_code'])})" if ctx.get("procedure_code") else ""
    return f"<b>{text(ctx.get('procedure_name')) or BLANK}</b>{code}"


# What each paper calls its number (the căn cước card and the older CCCD carry the same personal ID number).
ID_LABELS = {
    "personal_id": "Số định danh cá nhân",
    "cmnd": "Số chứng minh nhân dân",
    "passport": "Số hộ chiếu",
    "tax_code": "Mã số doanh nghiệp/Mã số thuế",
}


def id_label(kind: str | None, paper: str | None = None) -> str:
    """'Số định danh cá nhân', 'Số hộ chiếu', 'Số Thẻ thường trú' (another paper, as the clerk named it): markup."""
    if kind == "other" and paper:
        return f"Số {text(paper)}"
    return ID_LABELS.get(kind, "Số giấy tờ")


def _id_field(ctx: dict):
    """The applicant's paper; a context without its kind (older callers) means a person's ID or a tax code."""
    if "applicant_id_kind" in ctx:
        kind = ctx["applicant_id_kind"]
    else:
        kind = "tax_code" if ctx.get("applicant_kind") == "organisation" else "personal_id"
    return field(id_label(kind, ctx.get("applicant_id_paper")), ctx.get("applicant_id_number"))


def _contact(ctx: dict) -> list:
    return [field("Địa chỉ", ctx.get("applicant_address")), field("Số điện thoại", ctx.get("applicant_phone")),
            field("Thư điện tử", ctx.get("applicant_email"))]


def _recipients() -> list:
    """'Nơi nhận' of a letter signed by the agency head."""
    return [para("<b><i>Nơi nhận:</i></b>", RECIPIENTS), para("- Như trên;", RECIPIENTS),
            para("- Lưu: VT, hồ sơ.", RECIPIENTS)]


def _head_signature(ctx: dict) -> KeepTogether:
    block = (ctx.get("signer_title") or "THỦ TRƯỞNG CƠ QUAN", HEAD_SIGNATURE_NOTE, ctx.get("signer_name"))
    return KeepTogether([Spacer(1, 10), signatures([_recipients(), block], WIDTH)])


def _documents_table(documents) -> Table:
    rows = [[para("TT", CELL_HEAD), para("Tên giấy tờ", CELL_HEAD), para("Hình thức", CELL_HEAD),
             para("Số lượng", CELL_HEAD)]]
    for number, document in enumerate(documents or [], start=1):
        kind = document.get("kind")
        rows.append([para(str(number), CELL_CENTER), para(text(document.get("name")), CELL),
                     para(text(DOCUMENT_KINDS.get(kind, kind)), CELL_CENTER),
                     para(_count(document.get("copies")), CELL_CENTER)])
    if len(rows) == 1:
        rows.append(["", para(BLANK, CELL), "", ""])
    return grid(rows, [1.0 * cm, WIDTH - 6.4 * cm, 3.6 * cm, 1.8 * cm])


def _lookup_line(ctx: dict):
    """Where to look the file up by hand: the public look-up page, the code and the key as a person types it."""
    if not (ctx.get("lookup_url") and ctx.get("tracking_key")):
        return para(f"Tra cứu: {text(ctx['tracking_url'])}", SMALL_RIGHT)
    # Full width: under the QR code a key of wide letters (WMWM-…) would wrap.
    return para(f"Tra cứu tình trạng hồ sơ tại <b>{text(ctx['lookup_url'])}</b> với mã hồ sơ và "
                f"mã tra cứu: <b>{text(ctx['tracking_key'])}</b> (hoặc quét mã QR).", LOOKUP)


def render_receipt(ctx: dict) -> bytes:
    """Giấy tiếp nhận hồ sơ và hẹn trả kết quả, with the QR code of the public status page."""
    representative = ctx.get("representative") or None
    applicant = [
        field("Bộ phận tiếp nhận và trả kết quả", ctx.get("desk_name")),
        field("Tiếp nhận hồ sơ của", ctx.get("applicant_name"), bold=True),
        _id_field(ctx),
        *_contact(ctx),
    ]
    if representative:
        parts = [f"<b>{text(representative.get('name'))}</b>"]
        if representative.get("id_number"):
            label = id_label(representative.get("id_kind") or "personal_id", representative.get("id_paper"))
            parts.append(f"{label[0].lower()}{label[1:]} {text(representative['id_number'])}")
        if representative.get("phone"):
            parts.append(f"điện thoại {text(representative['phone'])}")
        applicant.append(para("Người đại diện/được ủy quyền: " + ", ".join(parts), BODY))
    if ctx.get("channel"):
        applicant.append(field("Hình thức nộp hồ sơ", CHANNELS.get(ctx["channel"], ctx["channel"])))
    qr_width = 3.8 * cm
    code_box = [qr_drawing(ctx["tracking_url"]), para("Quét mã để tra cứu tình trạng hồ sơ", CAPTION)]
    top = Table([[applicant, code_box]], colWidths=[WIDTH - qr_width, qr_width], splitInRow=1)
    top.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("ALIGN", (1, 0), (1, 0), "CENTER"),
                             ("FONT", (0, 0), (-1, -1), REGULAR, 13),
                             ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                             ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 0)]))
    # One number on top: the application code (its last part is the day's sequence, not the register entry).
    subtitle = f"Mã hồ sơ: <b>{text(ctx['application_code'])}</b>"
    flow = form_top(ctx, WIDTH, "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ", subtitle,
                    at=ctx.get("at") or ctx.get("received_at"))
    flow += [
        top,
        _lookup_line(ctx),
        Spacer(1, 4),
        para(f"Nội dung yêu cầu giải quyết: {_procedure(ctx)}", BODY),
        para("1. Thành phần hồ sơ nộp gồm:", BODY),
        _documents_table(ctx.get("documents")),
        Spacer(1, 5),
        para(f"2. Số lượng hồ sơ: {_count(ctx.get('sets'))} bộ", BODY),
        field("3. Thời gian giải quyết hồ sơ theo quy định", ctx.get("time_text")),
        para(f"4. Thời gian nhận hồ sơ: <b>{moment(ctx.get('received_at'))}</b>", BODY),
        para(f"5. Thời gian trả kết quả giải quyết hồ sơ: <b>{moment(ctx.get('due_at'))}</b>", BODY),
        field("6. Nơi trả kết quả", ctx.get("return_place")),
        para(f"Vào Sổ theo dõi hồ sơ, quyển số: {text(ctx.get('register_volume')) or BLANK}, "
             f"số thứ tự: {text(ctx.get('register_entry')) or BLANK}", BODY),
    ]
    submitter = (representative or {}).get("name") or ctx.get("applicant_name")
    flow.append(KeepTogether([Spacer(1, 8), signatures([
        ("NGƯỜI NỘP HỒ SƠ", None, submitter), ("NGƯỜI TIẾP NHẬN HỒ SƠ", None, ctx.get("officer_name"))], WIDTH)]))
    return build(flow, title=f"Giấy tiếp nhận hồ sơ {ctx['application_code']}")


def render_supplement(ctx: dict) -> bytes:
    """Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ (at the desk without a code, or once during processing)."""
    code = ctx.get("application_code")
    flow = form_top(ctx, WIDTH, "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ",
                    f"Mã hồ sơ: <b>{text(code)}</b>" if code else None)
    phone = text(ctx.get("officer_phone")) or BLANK
    flow += [
        field("Hồ sơ của", ctx.get("applicant_name"), bold=True),
        *_contact(ctx),
        para(f"Nội dung yêu cầu giải quyết: {_procedure(ctx)}", BODY),
        para("Yêu cầu bổ sung, hoàn thiện hồ sơ gồm những nội dung sau:", BODY),
        *numbered(ctx.get("items")),
        field("Lý do", ctx.get("reason")),
        para("Trong quá trình bổ sung, hoàn thiện hồ sơ, nếu có vướng mắc, Ông/Bà liên hệ với "
             f"<b>{text(ctx.get('officer_name')) or BLANK}</b>, số điện thoại <b>{phone}</b> để được hướng dẫn.", BODY),
        KeepTogether([Spacer(1, 10), signatures([None, ("NGƯỜI HƯỚNG DẪN", None, ctx.get("officer_name"))], WIDTH)]),
    ]
    return build(flow, title="Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ")


def render_refusal(ctx: dict) -> bytes:
    """Phiếu từ chối tiếp nhận, giải quyết hồ sơ, signed by the applicant and the officer."""
    flow = form_top(ctx, WIDTH, "PHIẾU TỪ CHỐI TIẾP NHẬN, GIẢI QUYẾT HỒ SƠ")
    if ctx.get("processing_name"):  # refused during processing, by the agency that processed it
        flow.append(field("Cơ quan giải quyết hồ sơ", ctx["processing_name"]))
    else:
        flow.append(field("Bộ phận tiếp nhận và trả kết quả", ctx.get("desk_name")))
    flow += [
        field("Tiếp nhận hồ sơ của", ctx.get("applicant_name"), bold=True),
        _id_field(ctx),
        *_contact(ctx),
    ]
    if ctx.get("application_code"):
        flow.append(field("Mã hồ sơ", ctx["application_code"], bold=True))
    flow += [
        para(f"Nội dung yêu cầu giải quyết: {_procedure(ctx)}", BODY),
        para("Qua xem xét, cơ quan, đơn vị thông báo không tiếp nhận, giải quyết hồ sơ này với lý do cụ thể "
             "như sau:", BODY),
        *numbered(ctx.get("reasons")),
        para("Xin thông báo để Ông/Bà được biết và thực hiện./.", BODY),
        KeepTogether([Spacer(1, 10), signatures([
            ("NGƯỜI NỘP HỒ SƠ", None, ctx.get("applicant_name")),
            (ctx.get("officer_title") or "CÁN BỘ TIẾP NHẬN HỒ SƠ", None, ctx.get("officer_name"))], WIDTH)]),
    ]
    return build(flow, title="Phiếu từ chối tiếp nhận, giải quyết hồ sơ")


def _agency(ctx: dict) -> str:
    return text(ctx.get("agency_name")) or "Cơ quan, đơn vị"


def render_apology(ctx: dict) -> bytes:
    """Phiếu xin lỗi và hẹn lại ngày trả kết quả, signed by the agency head."""
    flow = form_top(ctx, WIDTH, "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ")
    agency = _agency(ctx)
    flow += [
        para(f"Kính gửi: <b>{text(ctx.get('applicant_name')) or BLANK}</b>", style("to", align=1, space_after=8)),
        para(f"Vào lúc {moment(ctx.get('received_at'))}, {agency} đã tiếp nhận hồ sơ đề nghị giải quyết thủ tục "
             f"{_procedure(ctx)} của Ông/Bà, mã hồ sơ: <b>{text(ctx.get('application_code'))}</b>.", PROSE),
        para(f"Thời hạn trả kết quả giải quyết hồ sơ theo giấy hẹn: <b>{moment(ctx.get('original_due_at'))}</b>.",
             PROSE),
        para(f"Tuy nhiên đến nay, {agency} chưa trả kết quả giải quyết hồ sơ cho Ông/Bà. "
             f"Lý do: {text(ctx.get('reason')) or BLANK}", PROSE),
        para(f"Sự chậm trễ này đã gây phiền hà cho Ông/Bà. {agency} xin lỗi Ông/Bà và hẹn trả kết quả giải quyết "
             f"hồ sơ vào <b>{moment(ctx.get('new_due_at'))}</b>.", PROSE),
        para("Xin trân trọng cảm ơn Ông/Bà./.", PROSE),
        _head_signature(ctx),
    ]
    return build(flow, title=f"Phiếu xin lỗi và hẹn lại ngày trả kết quả {ctx.get('application_code') or ''}")


def render_stop(ctx: dict) -> bytes:
    """Thông báo dừng giải quyết hồ sơ, at the applicant's request."""
    flow = form_top(ctx, WIDTH, "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ")
    agency = _agency(ctx)
    flow += [
        para(f"Kính gửi: <b>{text(ctx.get('applicant_name')) or BLANK}</b>", style("to", align=1, space_after=8)),
        para(f"Vào lúc {moment(ctx.get('received_at'))}, {agency} đã tiếp nhận hồ sơ đề nghị giải quyết thủ tục "
             f"{_procedure(ctx)} của Ông/Bà, mã hồ sơ: <b>{text(ctx.get('application_code'))}</b>.", PROSE),
        para(f"Ông/Bà đã có đề nghị: {text(ctx.get('request')) or BLANK}", PROSE),
        para(f"Theo đề nghị của Ông/Bà, {agency} thông báo dừng giải quyết hồ sơ nêu trên kể từ "
             f"<b>{moment(ctx.get('at'))}</b>.", PROSE),
        para("Xin thông báo để Ông/Bà được biết./.", PROSE),
        _head_signature(ctx),
    ]
    return build(flow, title=f"Thông báo dừng giải quyết hồ sơ {ctx.get('application_code') or ''}")


def render_control(ctx: dict) -> bytes:
    """Phiếu kiểm soát quá trình giải quyết hồ sơ: one row per hand-over, header repeated on every page."""
    flow = national_heading(ctx, WIDTH)
    if ctx.get("at"):
        flow.append(date_line(ctx.get("place"), ctx["at"]))
    coordinating = ", ".join(text(name) for name in ctx.get("coordinating_agencies") or []) or "Không"
    flow += [
        para("PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ", style("control_title", size=14, font=BOLD,
                                                                  align=1, leading=18, space_after=3)),
        para(f"Mã hồ sơ: <b>{text(ctx.get('application_code'))}</b>", style("control_code", align=1, space_after=10)),
        para(f"Thủ tục: {_procedure(ctx)}", BODY),
        field("Người nộp hồ sơ", ctx.get("applicant_name")),
        field("Cơ quan chủ trì giải quyết", ctx.get("processing_agency")),
        para(f"Cơ quan phối hợp giải quyết: {coordinating}", BODY),
        para(f"Thời gian nhận hồ sơ: <b>{moment(ctx.get('received_at'))}</b>", BODY),
        para(f"Thời gian trả kết quả: <b>{moment(ctx.get('due_at'))}</b>", BODY),
        Spacer(1, 6),
        _control_table(ctx.get("rows") or []),
    ]
    return build(flow, title=f"Phiếu kiểm soát quá trình giải quyết hồ sơ {ctx.get('application_code') or ''}")


def _control_table(hand_overs: list[dict]) -> Table:
    rows = [
        [para("TT", CELL_HEAD), para("Tên cơ quan, đơn vị", CELL_HEAD), "", para("Thời gian giao, nhận hồ sơ", CELL_HEAD),
         para("Kết quả giải quyết", CELL_HEAD), para("Ghi chú", CELL_HEAD)],
        ["", para("Bên giao", CELL_HEAD), para("Bên nhận", CELL_HEAD), "", "", ""],
    ]
    for number, row in enumerate(hand_overs, start=1):
        rows.append([para(str(number), CELL_CENTER), para(text(row.get("from_unit")), CELL),
                     para(text(row.get("to_unit")), CELL), para(moment(row.get("at")) if row.get("at") else "",
                                                                 CELL_CENTER),
                     para(TIMELINESS.get(row.get("result"), ""), CELL_CENTER), para(text(row.get("note")), CELL)])
    if not hand_overs:
        rows.append([""] * 6)
    table = grid(rows, [0.9 * cm, 3.0 * cm, 3.0 * cm, 3.2 * cm, 2.2 * cm, WIDTH - 12.3 * cm], header_rows=2)
    table.setStyle(TableStyle([("SPAN", (0, 0), (0, 1)), ("SPAN", (1, 0), (2, 0)), ("SPAN", (3, 0), (3, 1)),
                               ("SPAN", (4, 0), (4, 1)), ("SPAN", (5, 0), (5, 1))]))
    return table

