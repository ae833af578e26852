"""Complaints and feedback (PAKN): the public form and status page, and the staff pages to log, assign,
transfer, answer, close and print the reply. Thin views over tracking.complaints."""
from datetime import datetime

import sqlalchemy as sa
from flask import Response, abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ...auth import roles_required
from ...auth.models import Agency
from ...database import begin_write
from ...extensions import db
from ...reception.keys import grouped
from ...text import clean
from ...timeutil import VN, now
from . import attachments, complaints, printing
from .. import bp
from .complaint_queries import complaint_page, counts, visible
from .limits import complaint_limit, lookup_limits
from .status import complaint_status

HONEYPOT = "website"  # hidden from people; a bot that fills every field fills this one
FIELDS = ("application_code", "key", "phone", "agency_code", "sender_name", "sender_contact", "content")


def agencies() -> list[Agency]:
    return db.session.scalars(sa.select(Agency).filter_by(active=True).order_by(Agency.code)).all()


def form_data(form) -> dict:
    data = {name: form.get(name) for name in FIELDS}
    about = form.get("about") or ("application" if clean(form.get("application_code")) else "agency")
    if about == "agency":
        data["application_code"] = None
    else:
        data["agency_code"] = None
    return data


# ---------------------------------------------------------------- public


def public_form(form=None, errors=None, message=None, status=200):
    prefill = form or {"application_code": request.args.get("code") or "", "key": request.args.get("k") or "",
                       "phone": request.args.get("phone") or "",
                       "about": "application" if request.args.get("code") else "agency"}
    return render_template("tracking/complaint_form.html", form=prefill, errors=errors or {}, message=message,
                           agencies=agencies(), max_length=current_app.config["COMPLAINT_MAX_LENGTH"],
                           max_mb=current_app.config["COMPLAINT_ATTACHMENT_MAX_BYTES"] / 1024 / 1024,
                           honeypot=HONEYPOT), status


@bp.get("/phan-anh")
def complaint_form():
    return public_form()


@bp.post("/phan-anh")
@complaint_limit
def send_complaint():
    if request.form.get(HONEYPOT):
        current_app.logger.warning("complaint held back: honeypot filled from %s", request.remote_addr)
        return render_template("tracking/complaint_held.html"), 200
    data = form_data(request.form)
    begin_write()
    try:
        complaint = complaints.submit(data, attachments.read_upload(request.files.get("attachment")))
    except complaints.ComplaintError as error:
        db.session.rollback()
        return public_form(request.form, error.errors, error.message, error.status)
    try:
        db.session.commit()
    except Exception:
        attachments.remove(complaint.attachment_path)
        raise
    flash(_("Đã gửi phản ánh. Ghi lại mã phản ánh và mã tra cứu để theo dõi câu trả lời."), "success")
    return redirect(url_for("tracking.complaint_public", code=complaint.code, k=grouped(complaint.tracking_key)))


@bp.get("/phan-anh/tra-cuu")
def complaint_lookup():
    code, key = clean(request.args.get("code")), clean(request.args.get("k"))
    if code and key:
        return redirect(url_for("tracking.complaint_public", code=code, k=key))
    incomplete = "code" in request.args
    return render_template("tracking/complaint_lookup.html", incomplete=incomplete), 400 if incomplete else 200


@bp.get("/phan-anh/<code>")
@lookup_limits
def complaint_public(code):
    key = clean(request.args.get("k"))
    complaint = complaints.find_complaint(code, key)
    if complaint is None:
        return render_template("tracking/complaint_lookup.html", not_found=True), 404
    return render_template("tracking/complaint_status.html", complaint=complaint, s=complaint_status(complaint),
                           key=grouped(complaint.tracking_key))


# ---------------------------------------------------------------- staff


def visible_complaint(code: str):
    complaint = db.session.scalar(visible(current_user).where(complaints.Complaint.code == code))
    if complaint is None:
        abort(404)
    return complaint


@bp.get("/complaints")
@roles_required(*complaints.STAFF_ROLES)
def complaint_list():
    from ..supervision.views import parse_day

    args = request.args
    received = (parse_day(args.get("from")), parse_day(args.get("to")))  # the dashboard's figures link so
    page = complaint_page(current_user, status=args.get("status") or "open", overdue=args.get("overdue") == "1",
                          mine=args.get("mine") == "1", after=args.get("after"), received_from=received[0],
                          received_to=received[1])
    return render_template("tracking/complaints.html", page=page, counts=counts(current_user), args=args,
                           received=received, due_state=complaints.due_state)


def parse_local(value: str | None) -> datetime | None:
    """A datetime-local field ('2026-12-14T09:30') as Vietnam time."""
    if not value:
        return None
    try:
        return datetime.fromisoformat(value).replace(tzinfo=VN)
    except ValueError:
        return "invalid"


@bp.route("/complaints/new", methods=["GET", "POST"])
@roles_required("clerk")
def complaint_new():
    form, errors, message, status = {"channel": "in_person", "agency_code": current_user.agency.code}, {}, None, 200
    if request.method == "POST":
        form = request.form
        data = form_data(form)
        data["channel"] = form.get("channel")
        data["received_at"] = parse_local(form.get("received_at"))
        begin_write()
        try:
            if data["received_at"] == "invalid":
                raise complaints.ComplaintError(_("Thời điểm nhận không hợp lệ."),
                                                {"received_at": _("Thời điểm nhận không hợp lệ.")})
            complaint = complaints.submit(data, attachments.read_upload(request.files.get("attachment")),
                                          user=current_user)
        except complaints.ComplaintError as error:
            db.session.rollback()
            errors, message, status = error.errors, error.message, error.status
        else:
            try:
                db.session.commit()
            except Exception:
                attachments.remove(complaint.attachment_path)
                raise
            flash(_("Đã ghi nhận phản ánh %(code)s. Mã tra cứu cho người gửi: %(key)s",
                    code=complaint.code, key=grouped(complaint.tracking_key)), "success")
            return redirect(url_for("tracking.complaint_detail", code=complaint.code))
    return render_template("tracking/complaint_new.html", form=form, errors=errors, message=message,
                           agencies=agencies(), now=now()), status


def detail_page(complaint, errors=None, status=200):
    return render_template(
        "tracking/complaint_detail.html", complaint=complaint, s=complaint_status(complaint),
        actions=complaints.allowed_actions(current_user, complaint), assignees=complaints.assignees(complaint, current_user),
        agencies=[agency for agency in agencies() if agency.id != complaint.agency_id], errors=errors or {},
        state=complaints.due_state(complaint), key=grouped(complaint.tracking_key)), status


@bp.get("/complaints/<code>")
@roles_required(*complaints.STAFF_ROLES)
def complaint_detail(code):
    return detail_page(visible_complaint(code))


@bp.post("/complaints/<code>/<action>")
@roles_required(*complaints.STAFF_ROLES)
def complaint_action(code, action):
    visible_complaint(code)
    begin_write()
    try:
        complaint = complaints.lock(code)
        fields = {name: request.form.get(name) for name in ("to_user", "to_agency", "response")}
        complaints.record(complaint, current_user, action, note=request.form.get("note"), **fields)
    except complaints.ComplaintError as error:
        db.session.rollback()
        flash(error.message, "danger")
        return detail_page(visible_complaint(code), error.errors, error.status)
    db.session.commit()
    flash(_("Đã cập nhật phản ánh %(code)s.", code=code), "success")
    if complaints.handles(current_user, complaint):
        return redirect(url_for("tracking.complaint_detail", code=code))
    return redirect(url_for("tracking.complaint_list"))  # transferred out of sight


@bp.get("/complaints/<code>/attachment")
@roles_required(*complaints.STAFF_ROLES)
def complaint_attachment(code):
    complaint = visible_complaint(code)
    path = attachments.path_of(complaint.attachment_path) if complaint.attachment_path else None
    if path is None:
        abort(404)
    response = send_file(path, mimetype=complaint.attachment_type, download_name=complaint.attachment_name,
                         as_attachment=complaint.attachment_type == "application/pdf", max_age=0)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/complaints/<code>/reply.pdf")
@roles_required(*complaints.STAFF_ROLES)
def complaint_reply(code):
    complaint = visible_complaint(code)
    try:
        data = printing.reply_pdf(complaint)
    except printing.ReplyNotAvailable:
        abort(404, _("Phản ánh chưa được trả lời."))
    response = Response(data, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'inline; filename="tra-loi-{complaint.code}.pdf"'
    return response
