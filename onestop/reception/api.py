"""Reception JSON API: applications, their events, forms and the register."""
import tempfile
from datetime import date, datetime

from flask import Response, current_app, jsonify, request, send_file
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import selectinload

from .. import inputs
from ..api import ApiError, api_blueprint, api_login_required, int_arg, json_body
from ..database import begin_write
from ..extensions import db
from ..paging import CursorError
from ..timeutil import VN
from . import backdating, lifecycle, printing, queries, services
from . import register as register_book
from .models import EVENT_TYPES, STATUSES, Application, ApplicationEvent
from .validation import ReceptionError

bp = api_blueprint("reception_api", __name__)

# What a request may carry: anything else is refused by name, never stored or printed.
APPLICATION_KEYS = frozenset({"procedure_code", "applicant", "representative", "channel", "documents", "sets",
                              "received_at", "return_method", "submission_key", "notify"})
EVENT_KEYS = {"at", "note", "backdate_reason"}
EVENT_DATA_KEYS = {
    "transfer": {"to_agency", "to_user"},
    "step": {"to_agency", "to_user", "working_days"},
    "request_supplement": {"items", "reason", "signer"},
    "apologise": {"reason", "new_due_at", "signer"},
    "return": {"method"},
    "refuse": {"reasons", "signer"},
    "stop": {"request", "signer"},
}


def parse_moment(value, field: str) -> datetime | None:
    """ISO 8601 between 1900 and 2100; without an offset it is Vietnam time."""
    try:
        return inputs.moment(value, field)
    except inputs.InputError as error:
        raise ApiError(error.message, 400) from None


def parse_day(value, field: str) -> date | None:
    try:
        return inputs.day(value, field)
    except inputs.InputError as error:
        raise ApiError(error.message, 400) from None


def application_json(application: Application, with_events=False) -> dict:
    body = {
        "code": application.code,
        "status": application.status,
        "procedure": {"code": application.procedure.code, "name": application.version.name,
                      "version": application.version.number},
        "agency": application.agency.code,
        "processing_agency": application.processing_agency.code if application.processing_agency else None,
        "applicant": {"kind": application.applicant_kind, "name": application.applicant_name,
                      "id_kind": application.applicant_id_kind, "id_number": application.applicant_id_number,
                      "id_paper": application.applicant_id_paper, "phone": application.applicant_phone,
                      "email": application.applicant_email, "address": application.applicant_address},
        "representative": {"name": application.representative_name,
                           "id_kind": application.representative_id_kind,
                           "id_number": application.representative_id_number,
                           "id_paper": application.representative_id_paper,
                           "phone": application.representative_phone} if application.representative_name else None,
        "channel": application.channel,
        "documents": application.documents,
        "sets": application.sets,
        "received_at": application.received_at.astimezone(VN).isoformat(),
        "due_at": application.due_at.astimezone(VN).isoformat(),
        "apology_due_at": application.apology_due_at.astimezone(VN).isoformat() if application.apology_due_at else None,
        "result_at": application.result_at.astimezone(VN).isoformat() if application.result_at else None,
        "returned_at": application.returned_at.astimezone(VN).isoformat() if application.returned_at else None,
        "tracking_url": services.tracking_url(application),
    }
    if with_events:
        body["events"] = [event_json(event) for event in application.events]
    return body


def event_json(event) -> dict:
    return {
        "seq": event.seq,
        "type": event.type,
        "at": event.at.astimezone(VN).isoformat(),
        "user": event.user.username if event.user else None,
        "from_status": event.from_status,
        "to_status": event.to_status,
        "note": event.note,
        "data": event.data,
        "recorded_at": event.recorded_at.astimezone(VN).isoformat(),
        "backdate_reason": event.backdate_reason,
    }


def visible_application(code: str) -> Application:
    application = db.session.scalar(queries.visible(current_user).where(Application.code == code).options(
        *queries.LIST_LOADS, selectinload(Application.events).joinedload(ApplicationEvent.user)))
    if application is None:
        raise ApiError(_("Không tìm thấy hồ sơ."), 404)
    return application


def reception_error(error: ReceptionError) -> ApiError:
    db.session.rollback()
    return ApiError(error.message, error.status, errors=error.errors)


@bp.post("/applications")
@api_login_required("clerk")
def create_application():
    data = json_body(allowed=APPLICATION_KEYS)
    data["received_at"] = parse_moment(data.get("received_at"), "received_at")
    try:
        key = inputs.text(request.headers.get("Idempotency-Key") or data.get("submission_key"), "Idempotency-Key",
                          inputs.KEY_MAX)
    except inputs.InputError as error:
        raise ApiError(error.message, 400) from None
    begin_write()
    try:
        application, created = services.receive_application(current_user, data, submission_key=key)
    except ReceptionError as error:
        raise reception_error(error)
    body = {"code": application.code, "status": application.status,
            "received_at": application.received_at.astimezone(VN).isoformat(),
            "due_at": application.due_at.astimezone(VN).isoformat(), "tracking_url": services.tracking_url(application)}
    db.session.commit()  # the answer is read before: after the commit every attribute would be read again
    return jsonify(body), 201 if created else 200


@bp.get("/applications")
@api_login_required()
def list_applications():
    """A keyset page: `next` is the cursor of the following page (pass it back as `after`); `total` on the first
    page only, exact when `total_exact`, else the database's estimate."""
    args = request.args
    overdue = args.get("overdue")
    if overdue not in (None, "", "true", "false", "1", "0"):
        raise ApiError(_("«overdue» phải là true hoặc false."), 400)
    status = args.get("status") or None
    if status and status not in STATUSES:
        raise ApiError(_("«status» không hợp lệ."), 400)
    due = args.get("due") or None
    if due and due not in queries.DUE_FILTERS:
        raise ApiError(_("«due» phải là một trong: %(values)s.", values=", ".join(queries.DUE_FILTERS)), 400)
    filters = queries.Filters(
        status=status,
        agency=args.get("agency") or None,
        procedure=args.get("procedure") or None,
        received_from=parse_day(args.get("received_from"), "received_from"),
        received_to=parse_day(args.get("received_to"), "received_to"),
        overdue=None if overdue in (None, "") else overdue in ("true", "1"),
        due=due,
        handled_by=args.get("handled_by") or None,
    )
    per_page = int_arg("per_page", current_app.config["API_PAGE_SIZE"], 1, 200)
    try:
        page = queries.application_page(current_user, filters, cursor=args.get("after") or None,
                                        per_page=per_page, with_total=True)
    except CursorError:
        raise ApiError(_("«after» không hợp lệ: hãy dùng giá trị «next» của trang trước."), 400)
    return jsonify(items=[application_json(item) for item in page.items], next=page.next, per_page=per_page,
                   total=page.total, total_exact=page.total_exact if page.total is not None else None)


@bp.get("/applications/<code>")
@api_login_required()
def get_application(code):
    return jsonify(application_json(visible_application(code), with_events=True))


@bp.post("/applications/<code>/events")
@api_login_required()
def add_event(code):
    data = json_body()
    event_type = data.pop("type", None)
    if not isinstance(event_type, str) or event_type not in EVENT_TYPES or event_type == "receive":
        raise ApiError(_("«type» phải là một trong: %(types)s.", types=", ".join(lifecycle.TRANSITIONS)), 400)
    if unknown := sorted(set(data) - EVENT_KEYS - EVENT_DATA_KEYS.get(event_type, set())):
        raise ApiError(_("Khóa không được hỗ trợ: %(keys)s.", keys=", ".join(unknown)), 400)
    at = parse_moment(data.pop("at", None), "at")
    note, backdate_reason = data.pop("note", None), data.pop("backdate_reason", None)
    if "new_due_at" in data:
        data["new_due_at"] = parse_moment(data["new_due_at"], "new_due_at")
    begin_write()
    try:
        application = lifecycle.lock_application(code, current_user)
        event = lifecycle.record_event(application, current_user, event_type, at=at, note=note,
                                       backdate_reason=backdate_reason, **data)
    except ReceptionError as error:
        raise reception_error(error)
    body = {"event": event_json(event), "application": application_json(application)}
    db.session.commit()  # the answer is read before: after the commit every attribute would be read again
    return jsonify(body), 201


@bp.get("/events/backdated")
@api_login_required("supervisor", "admin")
def backdated_events():
    """Back-dated events recorded in a period, on the applications of the agencies the user sees (keyset pages)."""
    date_from = parse_day(request.args.get("from"), "from")
    date_to = parse_day(request.args.get("to"), "to")
    if date_from is None or date_to is None:
        raise ApiError(_("Cần «from» và «to» (YYYY-MM-DD)."), 400)
    if date_to < date_from:
        raise ApiError(_("«to» phải không trước «from»."), 400)
    per_page = int_arg("per_page", current_app.config["API_PAGE_SIZE"], 1, 200)
    try:
        page = backdating.page(current_user, date_from, date_to, request.args.get("after") or None, per_page)
    except CursorError:
        raise ApiError(_("«after» không hợp lệ: hãy dùng giá trị «next» của trang trước."), 400)
    items = [{"application": row.event.application.code, "seq": row.event.seq, "type": row.event.type,
              "at": row.event.at.astimezone(VN).isoformat(),
              "recorded_at": row.event.recorded_at.astimezone(VN).isoformat(),
              "user": row.event.user.username if row.event.user else None,
              "backdate_reason": row.event.backdate_reason, "earlier_day": row.earlier_day} for row in page.items]
    return jsonify(items=items, next=page.next, per_page=per_page)


def pdf_response(data: bytes, filename: str) -> Response:
    response = Response(data, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@bp.get("/applications/<code>/forms/<form>.pdf")
@api_login_required()
def application_form(code, form):
    application = visible_application(code)
    try:
        data = printing.render_form(application, form)
    except printing.FormNotAvailable as error:
        raise ApiError(str(error), 404)
    return pdf_response(data, f"{form}-{application.code}.pdf")


@bp.get("/register.<fmt>")
@api_login_required()
def register(fmt):
    """The register of a period (at most a year): a PDF of a few thousand rows, or an Excel sheet streamed from the
    database through a temporary file."""
    from .. import pdf

    if fmt not in ("pdf", "xlsx"):
        raise ApiError(_("Sổ theo dõi có dạng pdf hoặc xlsx."), 404)
    date_from = parse_day(request.args.get("from"), "from")
    date_to = parse_day(request.args.get("to"), "to")
    if date_from is None or date_to is None:
        raise ApiError(_("Cần «from» và «to» (YYYY-MM-DD)."), 400)
    if date_to < date_from:
        raise ApiError(_("«to» phải không trước «from»."), 400)
    field = request.args.get("field") or None
    try:
        register_book.check(current_user, field, date_from, date_to, fmt)
    except register_book.RegisterTooLarge as error:
        raise ApiError(str(error), 400)
    rows = register_book.rows(current_user, field, date_from, date_to)
    name = f"so-theo-doi-{date_from:%Y%m%d}-{date_to:%Y%m%d}"
    if fmt == "pdf":
        ctx = register_book.context(current_user.agency, field, date_from, date_to, list(rows))
        return pdf_response(pdf.render_register_pdf(ctx), name + ".pdf")
    ctx = register_book.context(current_user.agency, field, date_from, date_to, rows)
    spool = tempfile.TemporaryFile()
    pdf.render_register_xlsx(ctx, spool)
    spool.seek(0)
    return send_file(spool, mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                     as_attachment=True, download_name=f"{name}.xlsx")

from . import online_api  # noqa: E402,F401  (the online submissions' routes, on this blueprint)
