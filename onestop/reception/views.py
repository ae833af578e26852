"""Desk and processing pages: thin views over reception.services (the same calls as the API)."""
import uuid
from datetime import date, datetime, timedelta

from flask import Response, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
import sqlalchemy as sa

from .. import inputs
from ..auth import roles_required
from ..auth.models import Agency
from ..labels import LABELS
from ..database import begin_write
from ..extensions import db
from ..paging import CursorError
from ..procedures import services as catalogue
from ..text import clean
from ..timeutil import VN, fmt, local, now
from .. import files, inputs
from . import bp, lifecycle, papers, printing, queries, routing, services, signing
from .slips import find_slips
from .models import PERSON_ID_KINDS, STATUSES, Application, DeskSlip
from .validation import ReceptionError

APPLICANT_FIELDS = ("kind", "name", "id_kind", "id_number", "id_paper", "phone", "email", "address")
REPRESENTATIVE_FIELDS = ("name", "id_kind", "id_number", "id_paper", "phone")


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
        "representative": {key: form.get(f"representative_{key}") for key in REPRESENTATIVE_FIELDS},
        "channel": form.get("channel") or "in_person",
        "documents": documents,
        "sets": form.get("sets"),
        "return_method": form.get("return_method") or "at_desk",
        "notify": form.get("notify") == "1",
    }


def script_messages() -> dict:
    """The desk script's words, in the clerk's language."""
    return {
        "time_limit": _("Thời hạn"), "due_if_saved": _("Hẹn trả nếu lưu bây giờ"), "kind": _("Loại"),
        "copies": _("Số bản"), "not_found": _("Không tìm thấy thủ tục."), "tax_code": _("Mã số thuế"),
        "id_number": _("Số giấy tờ"), "choose_procedure": _("Chọn thủ tục trước khi lưu."),
        "printing": _("Đang mở bản in giấy tiếp nhận…"),
        "time_note": _("Lưu ý thời hạn"),
    }


def desk_context(form=None, errors=None, message=None):
    form = form or {}
    version = None
    code = form.get("procedure_code") or request.args.get("procedure")
    if code:
        try:
            version = services.find_version(code)  # in force today, as the picker offers it
        except ReceptionError:
            version = None
    preview = services.preview_due(version.procedure.code) if version else None
    q = clean(request.args.get("q"))
    received = None
    if request.args.get("received") and not form:
        received = db.session.scalar(queries.visible(current_user).where(Application.code == request.args["received"]))
    return {
        "form": form, "errors": errors or {}, "message": message, "version": version, "preview": preview,
        "submission_key": form.get("submission_key") or uuid.uuid4().hex,
        "q": q, "matches": db.session.scalars(catalogue.search(q=q, public=True).limit(20)).all() if q else [],
        "received": received,
        "received_papers": paper_context(received) if received else None,
        "today": db.session.scalars(queries.received_today(current_user).limit(50)).all(),
        "ready": db.session.scalars(queries.awaiting_return(current_user).limit(50)).all(),
        "procedures": catalogue.choices(),
        "kinds": {key: str(text) for key, text in LABELS["document_kind"].items()},
        "person_id_kinds": {key: LABELS["id_kind"][key] for key in PERSON_ID_KINDS},
        "script_messages": script_messages(),
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
    # Back to an empty desk for the next person; the receipt of this one is a click away (or prints itself).
    return redirect(url_for("reception.desk", received=application.code))


@bp.get("/desk/preview")
@login_required
def preview():
    try:
        found = services.preview_due(request.args.get("procedure", ""))
    except ReceptionError as error:
        return jsonify(error=error.message), 404
    version = found["version"]  # in force at the reception moment, as the application will get
    return jsonify(
        reception_moment=fmt(found["reception_moment"]), due_at=fmt(found["due_at"]), time_text=found["time_text"],
        time_note=found["time_note"], name=version.name, sets=version.sets,
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


@bp.get("/desk/slips")
@roles_required("clerk")
def desk_slips():
    """Slips handed out at this desk, found again to reprint."""
    slips, next_before = find_slips(current_user, q=request.args.get("q"), kind=request.args.get("kind"),
                                    before=request.args.get("before", type=int))
    return render_template("reception/slips.html", slips=slips, next_before=next_before,
                           args={k: v for k, v in request.args.items() if k != "before"})


@bp.get("/desk/register")
@roles_required("clerk", "supervisor")
def desk_register():
    """The desk's own register (sổ theo dõi hồ sơ) for its agency and a period: this month unless chosen."""
    today = local(now()).date()
    first = today.replace(day=1)
    last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    return render_template("reception/register.html", fields=catalogue.fields(), date_from=first, date_to=last)


def visible_or_404(code: str) -> Application:
    application = db.session.scalar(queries.visible(current_user).where(Application.code == code))
    if application is None:
        abort(404)
    return application


CHANNELS = ("in_person", "online", "postal")
# the days the supervisors' figures link with: received, resolved in a period; open at the end of a day
PERIOD_FILTERS = ("received_from", "received_to", "resolved_from", "resolved_to", "open_at")


def list_day(value) -> date | None:
    try:
        return inputs.day(value, "ngày")
    except inputs.InputError as error:
        abort(400, error.message)


@bp.get("/inbox")
@roles_required("officer", "clerk", "supervisor")
def inbox():
    """An officer's open files, soonest due first; or the filtered list (due=overdue|today|soon|paused|open,
    handled_by=<agency code>, status, q), in keyset pages."""
    args = request.args
    status = args.get("status") if args.get("status") in STATUSES else None
    due = args.get("due") if args.get("due") in queries.DUE_FILTERS else None
    filters = queries.Filters(status=status, overdue=True if args.get("overdue") == "1" else None,
                              q=clean(args.get("q")), due=due, handled_by=clean(args.get("handled_by")),
                              channel=args.get("channel") if args.get("channel") in CHANNELS else None,
                              **{name: list_day(args.get(name)) for name in PERIOD_FILTERS})
    try:
        if current_user.has_role("officer") and not (filters.status or filters.overdue or filters.q or due
                                                     or filters.handled_by or filters.channel
                                                     or any(getattr(filters, name) for name in PERIOD_FILTERS)):
            page = queries.inbox_page(current_user, cursor=args.get("after"), with_total=True)
        else:
            page = queries.application_page(current_user, filters, cursor=args.get("after"), per_page=30,
                                            with_total=True)
    except CursorError:
        abort(400)
    agencies = db.session.execute(sa.select(Agency.code, Agency.name).where(
        Agency.id.in_(sorted(current_user.visible_agency_ids()))).order_by(Agency.code)).all()
    statuses = {key: str(text) for key, text in LABELS["status"].items()}
    return render_template("reception/inbox.html", page=page, due_state=services.due_state, agencies=agencies,
                           statuses=statuses, filters=filters, args={k: v for k, v in args.items() if k != "after"})


@bp.get("/overview")
@roles_required("supervisor", "admin")
def overview():
    """The supervisors' board (tracking) supersedes the overview; old bookmarks land there."""
    return redirect(url_for("tracking.board"), code=301)


def application_context(application: Application, action: str | None = None, errors=None, posted=None) -> dict:
    """The application page: its facts and forms, and one action at a time (the one picked, or the only one)."""
    allowed = lifecycle.allowed_events(current_user, application)
    if action not in allowed:
        action = allowed[0] if len(allowed) == 1 else None
    return {
        "application": application, "allowed": allowed, "action": action,
        "errors": errors or {}, "posted": posted or {},
        "routes": {t: routing.choices(application, t) for t in allowed if t in ("transfer", "step")},
        "signers": {t: signing.signer(application, current_user, t) for t in allowed if t in signing.SIGNED_EVENTS},
        "title_labels": signing.TITLE_LABELS,
        "forms": printing.available_forms(application), "due_state": services.due_state(application),
        "tracking_url": services.tracking_url(application),
        "papers": paper_context(application),
    }


def paper_context(application: Application) -> dict:
    """The electronic file's part of the page: each component with its paper and, for those who attach papers,
    the holder's valid stored papers it could reuse."""
    seen = papers.overview(application)
    seen["may_attach"] = (current_user.has_role("clerk", "officer")
                          and application.status not in papers.CLOSED_FOR_PAPERS)
    for row in seen["components"]:
        offers = []
        if seen["may_attach"] and not (row["paper"] and row["paper"].reused):
            for holder in sorted(papers.holders(application)):
                offers += [paper for paper in papers.reusable_for(holder, row["name"])
                           if paper.source_application_id != application.id]
        row["offers"] = offers[:5]
    return seen


@bp.get("/applications/<code>")
@login_required
def application(code):
    return render_template("reception/application.html",
                           **application_context(visible_or_404(code), request.args.get("action")))


def event_data(event_type: str, form) -> dict:
    data = {}
    if event_type in ("transfer", "step"):
        data.update(to_agency=clean(form.get("to_agency")), to_user=clean(form.get("to_user")))
        if event_type == "step":
            data["working_days"] = form.get("working_days")
    elif event_type == "request_supplement":
        data.update(items=(form.get("items") or "").splitlines(), reason=form.get("reason"))
    elif event_type == "apologise":
        data.update(reason=form.get("reason"), signer=clean(form.get("signer")))
        data["new_due_at"] = parse_local(form.get("new_due_at"))
    elif event_type == "return":
        data["method"] = form.get("method")
    elif event_type == "refuse":
        data["reasons"] = (form.get("reasons") or "").splitlines()
    elif event_type == "stop":
        data.update(request=form.get("request"), signer=clean(form.get("signer")))
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
        if event_type in ("refuse", "stop") and not request.form.get("confirm"):
            raise ReceptionError(_("Đánh dấu ô xác nhận trước khi từ chối hoặc dừng giải quyết hồ sơ."),
                                 {"confirm": _("Cần xác nhận.")})
        application = lifecycle.lock_application(code)
        lifecycle.record_event(application, current_user, event_type, at=parse_local(request.form.get("at")),
                              note=request.form.get("note"), backdate_reason=request.form.get("backdate_reason"),
                              **event_data(event_type, request.form))
        if event_type == "result_ready":  # the result document, with the event (kept small: paper_views owns it)
            from .paper_views import record_result_from_form

            record_result_from_form(application, request.form, request.files, required=False)
    except (files.UploadRefused, papers.PaperError, inputs.InputError) as error:
        db.session.rollback()
        message = getattr(error, "message", None) or str(error)
        flash(message, "danger")
        context = application_context(visible_or_404(code), event_type, {"result": message}, request.form)
        return render_template("reception/application.html", **context), 400
    except ReceptionError as error:
        db.session.rollback()
        flash(error.message, "danger")
        context = application_context(visible_or_404(code), event_type, error.errors, request.form)
        return render_template("reception/application.html", **context), error.status
    db.session.commit()
    flash(_("Đã ghi: %(what)s.", what=str(services_label(event_type))), "success")
    if not (current_user.can_see_agency(application.agency_id)
            or current_user.can_see_agency(application.processing_agency_id)):
        flash(_("Hồ sơ %(code)s đã chuyển khỏi đơn vị của bạn.", code=code), "success")
        return redirect(url_for("reception.inbox"))
    return redirect(url_for("reception.application", code=code))


def services_label(event_type):
    from ..labels import label

    return label(event_type, "event")


def pdf_response(data: bytes, filename: str) -> Response:
    response = Response(data, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    # The desk prints the receipt from a frame of its own page: same-origin framing must stay allowed.
    response.headers["X-Frame-Options"] = "SAMEORIGIN"
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
