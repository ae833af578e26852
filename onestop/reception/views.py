"""Desk and processing pages: thin views over reception.services (the same calls as the API)."""
import uuid
from datetime import datetime

from flask import Response, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..auth import roles_required
from ..labels import LABELS
from ..database import begin_write
from ..extensions import db
from ..procedures import services as catalogue
from ..text import clean
from ..timeutil import VN, fmt
from . import bp, lifecycle, printing, queries, services
from .models import STATUSES, Application, DeskSlip
from .validation import ReceptionError

APPLICANT_FIELDS = ("kind", "name", "id_number", "phone", "email", "address")


def desk_data(form) -> dict:
    """The reception form's fields as the service's data (the same shape as the API's JSON)."""
    names, kinds, copies = form.getlist("doc_name"), form.getlist("doc_kind"), form.getlist("doc_copies")
    ticked = set(form.getlist("doc_received"))
    documents = [{"name": name, "kind": kind, "copies": count}
                 for index, (name, kind, count) in enumerate(zip(names, kinds, copies)) if str(index) in ticked]
    extra = clean(form.get("doc_extra"))
    if extra:
        documents += [{"name": line.strip(), "kind": "copy", "copies": 1} for line in extra.splitlines() if line.strip()]
    return {
        "procedure_code": form.get("procedure_code", ""),
        "applicant": {key: form.get(f"applicant_{key}") for key in APPLICANT_FIELDS},
        "representative": {key: form.get(f"representative_{key}") for key in ("name", "id_number", "phone")},
        "channel": form.get("channel") or "in_person",
        "documents": documents,
        "sets": form.get("sets"),
        "return_method": form.get("return_method") or "at_desk",
    }


def desk_context(form=None, errors=None, message=None):
    form = form or {}
    version = None
    code = form.get("procedure_code") or request.args.get("procedure")
    if code:
        procedure = catalogue.get_by_code(code)
        version = procedure.current if procedure and procedure.status == "in_force" else None
    preview = services.preview_due(version.procedure.code) if version else None
    return {
        "form": form, "errors": errors or {}, "message": message, "version": version, "preview": preview,
        "submission_key": form.get("submission_key") or uuid.uuid4().hex,
        "today": db.session.scalars(queries.received_today(current_user).limit(50)).all(),
        "ready": db.session.scalars(queries.awaiting_return(current_user).limit(50)).all(),
        "procedures": catalogue.choices(),
        "kinds": {key: str(text) for key, text in LABELS["document_kind"].items()},
    }


@bp.get("/desk")
@roles_required("clerk")
def desk():
    return render_template("reception/desk.html", **desk_context())


@bp.post("/desk")
@roles_required("clerk")
def receive():
    if request.form.get("action") == "choose":  # no-JS path: show the chosen procedure's documents
        return render_template("reception/desk.html", **desk_context(request.form))
    data = desk_data(request.form)
    begin_write()
    try:
        application, created = services.receive_application(current_user, data, request.form.get("submission_key"))
    except ReceptionError as error:
        db.session.rollback()
        return render_template("reception/desk.html", **desk_context(request.form, error.errors, error.message)), 400
    db.session.commit()
    if created:
        flash(_("Đã tiếp nhận hồ sơ %(code)s.", code=application.code), "success")
    return redirect(url_for("reception.application", code=application.code))


@bp.get("/desk/preview")
@login_required
def preview():
    try:
        found = services.preview_due(request.args.get("procedure", ""))
    except ReceptionError as error:
        return jsonify(error=error.message), 404
    version = catalogue.get_by_code(request.args["procedure"]).current
    return jsonify(
        reception_moment=fmt(found["reception_moment"]), due_at=fmt(found["due_at"]), time_text=found["time_text"],
        name=version.name, sets=version.sets,
        documents=[{"name": d.name, "kind": d.kind, "copies": d.copies} for d in version.documents],
    )


@bp.post("/desk/slips")
@roles_required("clerk")
def desk_slip():
    kind = request.form.get("kind")
    data = desk_data(request.form)
    data["items"] = (request.form.get("items") or "").splitlines()
    data["reason"] = request.form.get("reason")
    begin_write()
    try:
        slip = services.record_desk_slip(current_user, kind, data)
    except ReceptionError as error:
        db.session.rollback()
        return render_template("reception/desk.html", **desk_context(request.form, error.errors, error.message)), 400
    db.session.commit()
    flash(_("Đã lập phiếu; in phiếu để trao cho người nộp."), "success")
    return redirect(url_for("reception.desk", slip=slip.id))


@bp.get("/desk/slips/<int:slip_id>.pdf")
@roles_required("clerk")
def desk_slip_pdf(slip_id):
    slip = db.session.get(DeskSlip, slip_id)
    if slip is None or not current_user.can_see_agency(slip.agency_id):
        abort(404)
    return pdf_response(printing.desk_slip_pdf(slip), f"phieu-{slip.kind}-{slip.id}.pdf")


def visible_or_404(code: str) -> Application:
    application = db.session.scalar(queries.visible(current_user).where(Application.code == code))
    if application is None:
        abort(404)
    return application


@bp.get("/inbox")
@roles_required("officer", "clerk", "supervisor")
def inbox():
    status = request.args.get("status") or None
    overdue = request.args.get("overdue") == "1"
    q = clean(request.args.get("q"))
    due = request.args.get("due") if request.args.get("due") in queries.DUE_FILTERS else None
    handled_by = clean(request.args.get("handled_by"))
    if current_user.has_role("officer") and not (status or overdue or q or due or handled_by):
        query = queries.inbox(current_user)
    else:
        query = queries.filtered(current_user, status=status if status in STATUSES else None,
                                 overdue=True if overdue else None, q=q, due=due, handled_by=handled_by)
    page = db.paginate(query, per_page=30, error_out=False)
    return render_template("reception/inbox.html", page=page, due_state=services.due_state,
                           args={k: v for k, v in request.args.items() if k != "page"})


@bp.get("/overview")
@roles_required("supervisor", "admin")
def overview():
    """The supervisors' board (tracking) supersedes the overview; old bookmarks land there."""
    return redirect(url_for("tracking.board"), code=301)


@bp.get("/applications/<code>")
@login_required
def application(code):
    application = visible_or_404(code)
    return render_template("reception/application.html", application=application,
                           allowed=lifecycle.allowed_events(current_user, application),
                           forms=printing.available_forms(application), due_state=services.due_state(application),
                           tracking_url=services.tracking_url(application))


def event_data(event_type: str, form) -> dict:
    data = {}
    if event_type in ("transfer", "step"):
        data.update(to_agency=clean(form.get("to_agency")), to_user=clean(form.get("to_user")))
        if event_type == "step":
            data["working_days"] = form.get("working_days")
    elif event_type == "request_supplement":
        data.update(items=(form.get("items") or "").splitlines(), reason=form.get("reason"))
    elif event_type == "apologise":
        data.update(reason=form.get("reason"))
        data["new_due_at"] = parse_local(form.get("new_due_at"))
    elif event_type == "return":
        data["method"] = form.get("method")
    elif event_type == "refuse":
        data["reasons"] = (form.get("reasons") or "").splitlines()
    elif event_type == "stop":
        data["request"] = form.get("request")
    return {key: value for key, value in data.items() if value not in (None, "")}


def parse_local(value: str | None) -> datetime | None:
    """A datetime-local field (Vietnam time); None if empty; ReceptionError if unreadable."""
    if not value:
        return None
    try:
        return datetime.fromisoformat(value).replace(tzinfo=VN)
    except ValueError:
        raise ReceptionError(_("Thời điểm không hợp lệ."), {"at": _("Thời điểm không hợp lệ.")})


@bp.post("/applications/<code>/events/<event_type>")
@login_required
def record_event(code, event_type):
    visible_or_404(code)
    begin_write()
    try:
        application = lifecycle.lock_application(code)
        lifecycle.record_event(application, current_user, event_type, at=parse_local(request.form.get("at")),
                              note=request.form.get("note"), **event_data(event_type, request.form))
    except ReceptionError as error:
        db.session.rollback()
        flash(error.message, "danger")
        application = visible_or_404(code)
        return render_template("reception/application.html", application=application,
                               allowed=lifecycle.allowed_events(current_user, application),
                               forms=printing.available_forms(application),
                               due_state=services.due_state(application),
                               tracking_url=services.tracking_url(application)), error.status
    db.session.commit()
    flash(_("Đã ghi: %(what)s.", what=str(services_label(event_type))), "success")
    return redirect(url_for("reception.application", code=code))


def services_label(event_type):
    from ..labels import label

    return label(event_type, "event")


def pdf_response(data: bytes, filename: str) -> Response:
    response = Response(data, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@bp.get("/applications/<code>/forms/<form>.pdf")
@login_required
def application_form(code, form):
    application = visible_or_404(code)
    try:
        data = printing.render_form(application, form)
    except printing.FormNotAvailable:
        abort(404)
    return pdf_response(data, f"{form}-{application.code}.pdf")
