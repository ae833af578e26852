"""Desk pages for fees: the fee panel on the application page (its lines, "Thu phí", receipts, cancellations and
refunds) and the day's book. Thin: the same services as the API."""
from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup

from ..auth import roles_required
from ..auth.models import Agency, User
from ..database import begin_write
from ..extensions import db
from ..inputs import InputError, day as parse_day
from ..reception import fee_lines, lifecycle
from ..reception.models import Application
from ..reception.validation import ReceptionError
from ..reception.views import application_context, visible_or_404
from ..timeutil import local, now
from . import bp, daybook, gateway, services


def fees_panel(application: Application) -> Markup:
    """The fee panel of the application page (a template global: reception's page imports nothing of fees)."""
    account = services.account(application)
    if not account.lines and not account.payments:
        return Markup("")
    desk = current_user.has_role("clerk") and current_user.can_see_agency(application.agency_id)
    keeper = current_user.has_role("clerk", "supervisor") and current_user.can_see_agency(application.agency_id)
    return Markup(render_template("fees/_panel.html", application=application, account=account, desk=desk,
                                  keeper=keeper, refundable=application.status in services.REFUNDABLE_STATES,
                                  errors=g.get("fee_errors") or {}, online=gateway.offered()))


def _failed(application_code: str, error: ReceptionError):
    """Back to the application page with the message and the status code of the refusal."""
    db.session.rollback()
    flash(error.message, "danger")
    g.fee_errors = error.errors
    return render_template("reception/application.html",
                           **application_context(visible_or_404(application_code))), error.status


def _lock(code: str) -> Application:
    visible_or_404(code)
    begin_write()
    return lifecycle.lock_application(code)


@bp.post("/applications/<code>/fees/<int(max=999):position>")
@login_required
def fee_line(code, position):
    application = _lock(code)
    form = request.form
    try:
        if form.get("action") == "reduce":
            fee_lines.reduce_line(application, current_user, position, reduction=form.get("reduction"),
                                  reason=form.get("reason"))
        else:
            fee_lines.complete_line(application, current_user, position, amount=form.get("amount"),
                                    quantity=form.get("quantity"))
    except ReceptionError as error:
        return _failed(code, error)
    db.session.commit()
    flash(_("Đã ghi mức phí."), "success")
    return redirect(url_for("reception.application", code=code) + "#fees")


@bp.post("/applications/<code>/payments")
@login_required
def take_payment(code):
    application = _lock(code)
    try:
        payment = services.record_payment(application, current_user, request.form.get("method"),
                                          request.form.get("amount"), request.form.get("payer_name"))
    except ReceptionError as error:
        return _failed(code, error)
    receipt = payment.receipt
    series, number = receipt.series.symbol, receipt.number
    db.session.commit()
    flash(_("Đã thu phí: biên lai %(series)s số %(number)s.", series=series, number=str(number).zfill(7)), "success")
    return redirect(url_for("reception.application", code=code, receipt=f"{series}/{number}") + "#fees")


def _payment(payment_id: int):
    begin_write()
    payment = services.find_payment(payment_id, current_user)
    if payment is None or payment.application is None:
        abort(404)
    lifecycle.lock_application(payment.application.code)
    return payment


@bp.post("/payments/<int(max=2147483647):payment_id>/cancel")
@login_required
def cancel(payment_id):
    payment = _payment(payment_id)
    code = payment.application.code
    try:
        services.cancel_payment(payment, current_user, request.form.get("reason"))
    except ReceptionError as error:
        return _failed(code, error)
    db.session.commit()
    flash(_("Đã hủy biên lai; thu lại sẽ lập biên lai mới."), "success")
    return redirect(url_for("reception.application", code=code) + "#fees")


@bp.post("/payments/<int(max=2147483647):payment_id>/refund")
@login_required
def refund(payment_id):
    payment = _payment(payment_id)
    code = payment.application.code
    form = request.form
    try:
        services.refund_payment(payment, current_user, form.get("amount"), form.get("reason"), form.get("decided_by"),
                                form.get("method") or "cash")
    except ReceptionError as error:
        return _failed(code, error)
    db.session.commit()
    flash(_("Đã ghi hoàn trả phí."), "success")
    return redirect(url_for("reception.application", code=code) + "#fees")


def _book_args():
    agency = current_user.agency
    if request.args.get("agency"):
        agency = db.session.scalar(db.select(Agency).filter_by(code=request.args["agency"]))
        if agency is None:
            abort(404)
        if not current_user.can_see_agency(agency.id):  # agencies are public: the refusal hides nothing
            abort(403)
    try:
        day = parse_day(request.args.get("day"), "day") or local(now()).date()
    except InputError:
        abort(400)
    collector = None
    if request.args.get("collector"):
        collector = db.session.scalar(db.select(User).filter_by(username=request.args["collector"],
                                                                agency_id=agency.id))
        if collector is None:
            abort(404)
    return agency, day, collector


@bp.get("/daybook")
@roles_required("clerk", "supervisor")
def day_book():
    agency, day, collector = _book_args()
    collectors = db.session.scalars(db.select(User).filter_by(agency_id=agency.id).order_by(User.full_name)).all()
    return render_template("fees/daybook.html", book=daybook.book(agency, day, collector), agency=agency, day=day,
                           collector=collector, collectors=[user for user in collectors if user.has_role("clerk")])


@bp.post("/daybook/close")
@roles_required("supervisor")
def close_day():
    agency, day, _collector = _book_args()
    begin_write()
    try:
        daybook.close_day(agency, day, current_user)
    except ReceptionError as error:
        db.session.rollback()
        flash(error.message, "danger")
        return render_template("fees/daybook.html", book=daybook.book(agency, day), agency=agency, day=day,
                               collector=None, collectors=[]), error.status
    db.session.commit()
    flash(_("Đã khóa sổ thu ngày %(day)s.", day=day.strftime("%d/%m/%Y")), "success")
    return redirect(url_for("fees.day_book", agency=agency.code, day=day.isoformat()))


# ---------------------------------------------------------------- the applicant pays online (public)


def online_offer(application: Application, key: str | None) -> Markup:
    """On the status page opened with the receipt's key: a button to pay what is left online, when offered."""
    if not key or not gateway.offered() or application.status in services.REFUNDABLE_STATES:
        return Markup("")
    if not isinstance(application, Application):  # the status page's one-statement read (tracking.status)
        application = db.session.get(Application, application.id)
    account = services.account(application)
    if not account.known or account.balance <= 0:
        return Markup("")
    return Markup(render_template("fees/_online_offer.html", application=application, key=key, account=account))


def submission_offer(submission, key: str | None) -> Markup:
    """On an online submission's status page (with its key): pay online what acceptance waits for."""
    if not key or not gateway.offered() or submission.application_id is not None:
        return Markup("")
    left = services.unpaid_before_acceptance(services._submission_version(submission), submission.number)
    if left <= 0:
        return Markup("")
    return Markup(render_template("fees/_submission_offer.html", submission=submission, key=key, left=left))


def start_and_send(start, **page):
    """A pending online payment made by `start()` (flushed), committed before the platform hears of it (its
    callback may come back at once), then the platform's address: the page with the link to it, or why not."""
    try:
        payment = start()
    except ReceptionError as error:
        db.session.rollback()
        return render_template("fees/pay_online.html", error=error.message, **page), error.status
    db.session.commit()
    try:
        pay_url = gateway.init(payment)
    except gateway.GatewayError:
        db.session.commit()  # marked failed
        return render_template("fees/pay_online.html", error=_("Cổng thanh toán không trả lời; xin thử lại sau."),
                               **page), 502
    amount = payment.amount
    db.session.commit()
    return render_template("fees/pay_online.html", pay_url=pay_url, amount=amount, **page)


@bp.post("/nop-ho-so/<number>/nop-phi")
def pay_submission_online(number):
    """A citizen pays online what their online submission owes before the desk may accept it."""
    from ..reception.online import find_for_citizen

    key = request.form.get("k")
    submission = find_for_citizen(number, key if isinstance(key, str) else None) if gateway.offered() else None
    if submission is None:
        abort(404)
    back = url_for("reception.online_status", number=submission.number, k=key)
    begin_write()
    return start_and_send(lambda: gateway.start_for_submission(submission), code=number, back=back)


@bp.post("/tra-cuu/<code>/nop-phi")
def pay_online(code):
    """The applicant asks to pay online: a pending payment, the platform's address, and a link to it (a link: the
    site's policy lets forms post only to itself)."""
    from ..reception.services import find_for_tracking

    key = request.form.get("k")
    if not gateway.offered() or find_for_tracking(code, key if isinstance(key, str) else None) is None:
        abort(404)
    begin_write()
    application = lifecycle.lock_application(code)
    return start_and_send(lambda: gateway.start(application), code=code, key=key)
