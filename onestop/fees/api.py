"""Fees JSON API: an application's lines and balance, payments with their receipts, cancellations, refunds, the
receipt PDF, the day's book, and online payment (the gateway's callback and return)."""
from flask import Response, jsonify, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..api import ApiError, api_blueprint, api_login_required, json_body
from ..auth.models import Agency, User
from ..database import begin_write
from ..extensions import db
from ..reception import fee_lines, lifecycle, queries
from ..reception.models import Application
from ..reception.validation import ReceptionError
from ..timeutil import local, now
from . import daybook, gateway, printing, services

bp = api_blueprint("fees_api", __name__)


def _error(error: ReceptionError) -> ApiError:
    db.session.rollback()
    return ApiError(error.message, error.status, errors=error.errors)


def visible_application(code: str) -> Application:
    application = db.session.scalar(queries.visible(current_user).where(Application.code == code))
    if application is None:
        raise ApiError(_("Không tìm thấy hồ sơ."), 404)
    return application


def locked_application(code: str) -> Application:
    begin_write()
    try:
        return lifecycle.lock_application(code, current_user)
    except ReceptionError:
        db.session.rollback()
        raise ApiError(_("Không tìm thấy hồ sơ."), 404) from None


def line_json(line) -> dict:
    return {"position": line.position, "kind": line.kind, "name": line.name, "collect": line.collect,
            "unit_amount": line.unit_amount, "unit": line.unit, "quantity": line.quantity,
            "amount": line.amount, "reduction": line.reduction, "exempt_reason": line.exempt_reason,
            "due": line.due}


def receipt_json(receipt) -> dict | None:
    if receipt is None:
        return None
    return {"series": receipt.series.symbol, "form_number": receipt.series.form_number, "number": receipt.number,
            "issued_at": local(receipt.issued_at).isoformat(), "cancelled": receipt.cancellation is not None,
            "pdf_url": url_for("fees_api.receipt_pdf", series=receipt.series.symbol, number=receipt.number)}


def payment_json(payment) -> dict:
    return {"id": payment.id, "method": payment.method, "amount": payment.amount, "status": payment.status,
            "payer_name": payment.payer_name, "lines": payment.lines,
            "paid_at": local(payment.paid_at).isoformat() if payment.paid_at else None,
            "collector": payment.collector.username if payment.collector else None,
            "cancelled": payment.cancelled, "refunded": payment.refunded, "receipt": receipt_json(payment.receipt)}


def fees_json(application: Application) -> dict:
    account = services.account(application)
    return {"code": application.code, "lines": [line_json(line) for line in account.lines],
            "known": account.known, "due": account.due, "paid": account.paid, "refunded": account.refunded,
            "balance": account.balance, "payments": [payment_json(payment) for payment in account.payments]}


@bp.get("/applications/<code>/fees")
@api_login_required()
def application_fees(code):
    return jsonify(fees_json(visible_application(code)))


@bp.post("/applications/<code>/fees/<int(max=999):position>")
@api_login_required("clerk")
def complete_fee_line(code, position):
    """The desk completes a line: `amount` (not stated by the publication) or `quantity` (per page, per copy);
    or grants an exemption or reduction: `reduction` with its `reason`."""
    data = json_body(allowed={"amount", "quantity", "reduction", "reason"})
    application = locked_application(code)
    try:
        if "reduction" in data or "reason" in data:
            fee_lines.reduce_line(application, current_user, position, reduction=data.get("reduction"),
                                  reason=data.get("reason"))
        else:
            fee_lines.complete_line(application, current_user, position, amount=data.get("amount"),
                                    quantity=data.get("quantity"))
    except ReceptionError as error:
        raise _error(error)
    body = fees_json(application)
    db.session.commit()
    return jsonify(body)


@bp.post("/applications/<code>/payments")
@api_login_required("clerk")
def create_payment(code):
    data = json_body(allowed={"method", "amount", "payer_name"})
    application = locked_application(code)
    try:
        payment = services.record_payment(application, current_user, data.get("method"), data.get("amount"),
                                          data.get("payer_name"))
    except ReceptionError as error:
        raise _error(error)
    body = payment_json(payment)
    db.session.commit()
    return jsonify(body), 201


def _payment(payment_id: int):
    begin_write()
    payment = services.find_payment(payment_id, current_user)
    if payment is None:
        raise ApiError(_("Không tìm thấy khoản thu."), 404)
    if payment.application is not None:  # the application's row first, as a payment takes it (no deadlock)
        lifecycle.lock_application(payment.application.code)
    return payment


@bp.post("/payments/<int(max=2147483647):payment_id>/cancel")
@api_login_required("clerk", "supervisor")
def cancel_payment(payment_id):
    data = json_body(allowed={"reason", "reissue"})
    reissue = data.get("reissue")
    if reissue is not None and (not isinstance(reissue, dict) or set(reissue) - {"method", "amount", "payer_name"}):
        raise ApiError(_("«reissue» là {method, amount, payer_name}."), 400)
    payment = _payment(payment_id)
    try:
        new = services.cancel_payment(payment, current_user, data.get("reason"), reissue)
    except ReceptionError as error:
        raise _error(error)
    body = {"cancelled": payment_json(payment), "reissued": payment_json(new) if new else None}
    db.session.commit()
    return jsonify(body), 201


@bp.post("/payments/<int(max=2147483647):payment_id>/refund")
@api_login_required("clerk", "supervisor")
def refund_payment(payment_id):
    data = json_body(allowed={"amount", "reason", "decided_by", "method"})
    payment = _payment(payment_id)
    try:
        refund = services.refund_payment(payment, current_user, data.get("amount"), data.get("reason"),
                                         data.get("decided_by"), data.get("method") or "cash")
    except ReceptionError as error:
        raise _error(error)
    body = {"refund": {"id": refund.id, "amount": refund.amount, "reason": refund.reason,
                       "decided_by": refund.decided_by, "method": refund.method,
                       "at": local(refund.at).isoformat()}, "payment": payment_json(payment)}
    db.session.commit()
    return jsonify(body), 201


@bp.get("/receipts/<series>/<int(max=9999999):number>.pdf")
@api_login_required()
def receipt_pdf(series, number):
    receipt = services.find_receipt(series, number, current_user)
    if receipt is None:
        raise ApiError(_("Không tìm thấy biên lai."), 404)
    page = request.args.get("paper") or "A5"
    if page not in ("A4", "A5"):
        raise ApiError(_("«paper» là A4 hoặc A5."), 400)
    response = Response(printing.render(receipt, page), mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'inline; filename="bien-lai-{series}-{number:07d}.pdf"'
    return response


def book_request():
    """The agency (default: the user's), the day (default: today) and the collector of a day's book request."""
    from ..inputs import InputError, day as parse_day

    code = request.args.get("agency") or current_user.agency.code
    agency = db.session.scalar(db.select(Agency).filter_by(code=code))
    if agency is None:
        raise ApiError(_("Không có cơ quan mã này."), 404)
    if not current_user.can_see_agency(agency.id):
        raise ApiError(_("Không được xem sổ thu của cơ quan này."), 403)
    try:
        day = parse_day(request.args.get("day"), "day") or local(now()).date()
    except InputError as error:
        raise ApiError(error.message, 400) from None
    collector = None
    if request.args.get("collector"):
        collector = db.session.scalar(db.select(User).filter_by(username=request.args["collector"]))
        if collector is None or collector.agency_id != agency.id:
            raise ApiError(_("Không có người thu này ở cơ quan."), 404)
    return agency, day, collector


@bp.get("/daybook", defaults={"fmt": "json"})
@bp.get("/daybook.<fmt>")
@api_login_required("clerk", "supervisor")
def day_book(fmt):
    from ..pdf.daybook import render_daybook_pdf, render_daybook_xlsx

    if fmt not in ("json", "pdf", "xlsx"):
        raise ApiError(_("Sổ thu có dạng json, pdf hoặc xlsx."), 404)
    agency, day, collector = book_request()
    data = daybook.book(agency, day, collector)
    name = f"so-thu-{agency.code}-{day:%Y%m%d}"
    if fmt == "pdf":
        response = Response(render_daybook_pdf(data), mimetype="application/pdf")
        response.headers["Content-Disposition"] = f'inline; filename="{name}.pdf"'
        return response
    if fmt == "xlsx":
        response = Response(render_daybook_xlsx(data),
                            mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response.headers["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
        return response
    return jsonify(daybook.book_json(data))


@bp.post("/daybook/close")
@api_login_required("supervisor")
def close_day_book():
    from ..inputs import InputError, day as parse_day

    data = json_body(allowed={"agency", "day"})
    code = data.get("agency") or current_user.agency.code
    agency = db.session.scalar(db.select(Agency).filter_by(code=code)) if isinstance(code, str) else None
    if agency is None:
        raise ApiError(_("Không có cơ quan mã này."), 404)
    if not current_user.can_see_agency(agency.id):
        raise ApiError(_("Không được khóa sổ thu của cơ quan này."), 403)
    try:
        day = parse_day(data.get("day"), "day") or local(now()).date()
    except InputError as error:
        raise ApiError(error.message, 400) from None
    begin_write()
    try:
        closed = daybook.close_day(agency, day, current_user)
    except ReceptionError as error:
        raise _error(error)
    body = {"agency": agency.code, "day": day.isoformat(), "closed_at": local(closed.closed_at).isoformat(),
            "totals": closed.totals}
    db.session.commit()
    return jsonify(body), 201



# ---------------------------------------------------------------- online payment


@bp.post("/applications/<code>/payments/online")
def online_payment(code):
    """Start paying online: a signed-in desk that sees the application, or the applicant with the tracking key
    (`key`) of the receipt. Answers the platform's address where the payment is made."""
    from ..reception.services import find_for_tracking

    data = json_body(allowed={"key"})
    if not gateway.offered():
        raise ApiError(_("Chưa cung cấp thanh toán trực tuyến."), 404)
    if current_user.is_authenticated:
        visible_application(code)
    elif find_for_tracking(code, data.get("key") if isinstance(data.get("key"), str) else None) is None:
        raise ApiError(_("Không tìm thấy hồ sơ."), 404)
    begin_write()
    application = lifecycle.lock_application(code)
    try:
        payment = gateway.start(application)
    except ReceptionError as error:
        raise _error(error)
    db.session.commit()  # pending before the platform hears of it: its callback may come back at once
    try:
        pay_url = gateway.init(payment)
    except gateway.GatewayError:
        db.session.commit()  # the payment is marked failed
        raise ApiError(_("Cổng thanh toán không trả lời; xin thử lại sau."), 502)
    body = {"reference": payment.reference, "amount": payment.amount, "currency": gateway.CURRENCY,
            "pay_url": pay_url}
    db.session.commit()
    return jsonify(body), 201


CALLBACK_ANSWERS = {"paid": ("00", 200), "failed": ("00", 200), "ignored": ("02", 200), "unknown": ("01", 404),
                    "wrong_amount": ("04", 400), "bad_checksum": ("97", 400)}


@bp.post("/payments/callback")
def payment_callback():
    """The platform tells the result (server to server); verified before anything is recorded."""
    if not gateway.offered():
        raise ApiError(_("Chưa cung cấp thanh toán trực tuyến."), 404)
    message = json_body()
    begin_write()
    outcome, _payment = gateway.settle(message)
    db.session.commit()
    code, status = CALLBACK_ANSWERS[outcome]
    return jsonify(code=code, outcome=outcome), status


@bp.get("/payments/return")
def payment_return():
    """The citizen's browser back from the platform: the same verified message, and a page that says the result."""
    from flask import render_template

    if not gateway.offered():
        raise ApiError(_("Chưa cung cấp thanh toán trực tuyến."), 404)
    begin_write()
    outcome, payment = gateway.settle(request.args.to_dict())
    paid = payment is not None and payment.status == "paid"
    status = 400 if outcome == "bad_checksum" else 200
    page = render_template("fees/return.html", outcome=outcome, paid=paid,
                           code=payment.application.code if payment is not None and payment.application else None)
    db.session.commit()
    return page, status
