"""Catalogue pages: public (no login) and staff (list, edit, publish, retire, export); imports in views_import."""
from datetime import date

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from .. import inputs
from ..auth import province_admin_required
from ..auth.models import Agency
from ..database import begin_write
from ..extensions import db
from . import bp, publishing, services, transfer
from ..forms import options
from ..labels import label
from ..templating import money
from .forms import ProcedureForm


FILTERS = ("q", "field", "level", "online", "status", "agency")


def filter_args() -> dict:
    return {key: request.args.get(key) for key in FILTERS if request.args.get(key)}


def agency_choices(blank=True):
    agencies = db.session.scalars(db.select(Agency).order_by(Agency.code)).all()
    return ([("", _("— Không chọn —"))] if blank else []) + [(a.code, f"{a.code} – {a.name}") for a in agencies]


def filtered_query(public: bool):
    args = filter_args()
    agency = db.session.scalar(db.select(Agency).filter_by(code=args["agency"])) if args.get("agency") else None
    return services.search(q=args.get("q"), field=args.get("field"), level=args.get("level"),
                           online=args.get("online"), status=args.get("status"), public=public, ahead=public,
                           agency_id=agency.id if agency else None)


@bp.get("/thu-tuc")
def public_list():
    page = db.paginate(filtered_query(public=True), per_page=20, error_out=False)
    today = services.today()
    coming = {v.procedure_id: publishing.coming_changes(v.procedure, max(today, v.starts), limit=1)
              for v in page.items}
    return render_template("procedures/public_list.html", page=page, args=filter_args(), fields=services.fields(),
                           agencies=agency_choices(), coming=coming, today=today,
                           labels=publishing.HISTORY_LABELS)


@bp.get("/thu-tuc/<code>")
def public_detail(code):
    """The version in force today (or on ?ngay=YYYY-MM-DD), and every change published ahead, with its day."""
    procedure = services.get_by_code(code)
    if procedure is None or procedure.admin_status != "in_force":
        abort(404)
    today = services.today()
    try:
        day = inputs.day(request.args.get("ngay"), "ngay") or today
    except inputs.InputError as error:
        abort(400, error.message)
    version = publishing.version_on(procedure, day) or publishing.next_start(procedure, day)
    if version is None or version.status != "in_force":
        abort(404)
    return render_template("procedures/public_detail.html", procedure=procedure, version=version, today=today,
                           coming=publishing.coming_changes(procedure, max(day, version.starts)),
                           labels=publishing.HISTORY_LABELS)


@bp.get("/thu-tuc/niem-yet/<agency_code>")
def posting_sheet(agency_code):
    agency = db.session.scalar(db.select(Agency).filter_by(code=agency_code))
    if agency is None:
        abort(404)
    versions = db.session.scalars(services.search(agency_id=agency.id, public=True)).all()
    return render_template("procedures/posting.html", agency=agency, versions=versions)


@bp.get("/staff/procedures")
@login_required
def staff_list():
    page = db.paginate(filtered_query(public=False), per_page=30, error_out=False)
    return render_template("procedures/staff_list.html", page=page, args=filter_args(), fields=services.fields(),
                           agencies=agency_choices())


def form_data(form: ProcedureForm) -> dict:
    data = {name: field.data for name, field in form._fields.items() if name != "csrf_token"}
    data["decision_date"] = form.decision_date.data
    return data


def apply_errors(form: ProcedureForm, error: services.ProcedureError) -> None:
    for key, message in error.errors.items():
        target = getattr(form, key, None)
        if target is not None:
            target.errors = list(target.errors) + [message]
        else:
            flash(message, "danger")


@bp.route("/staff/procedures/new", methods=["GET", "POST"])
@province_admin_required
def create():
    form = ProcedureForm()
    form.agency_code.choices = options(agency_choices())
    if form.validate_on_submit():
        begin_write()
        try:
            procedure = services.create_procedure(form_data(form), current_user)
        except services.ProcedureError as error:
            db.session.rollback()
            apply_errors(form, error)
        else:
            db.session.commit()
            flash(_("Đã thêm thủ tục %(code)s.", code=procedure.code), "success")
            return redirect(url_for("procedures.staff_detail", code=procedure.code))
    status = 400 if form.errors else 200
    return render_template("procedures/edit.html", form=form, procedure=None), status


@bp.get("/staff/procedures/<code>")
@login_required
def staff_detail(code):
    procedure = services.get_by_code(code) or abort(404)
    return render_template("procedures/staff_detail.html", procedure=procedure, version=procedure.current,
                           history=publishing.history(procedure), labels=publishing.HISTORY_LABELS,
                           in_force=publishing.version_on(procedure, services.today()))


@bp.post("/staff/procedures/<code>/versions/<int:number>/publish")
@province_admin_required
def publish_version(code, number):
    begin_write()
    procedure = services.get_by_code(code) or abort(404)
    version = next((v for v in procedure.versions if v.number == number), None) or abort(404)
    try:
        day = date.fromisoformat(request.form.get("effective_from") or "")
    except ValueError:
        day = None
    try:
        publishing.publish(version, day, current_user)
    except services.ProcedureError as error:
        db.session.rollback()
        flash(error.message, "danger")
        return redirect(url_for("procedures.staff_detail", code=code)), 400
    db.session.commit()
    flash(_("Đã công bố phiên bản %(n)s, hiệu lực từ %(d)s.", n=number, d=day.strftime("%d/%m/%Y")), "success")
    return redirect(url_for("procedures.staff_detail", code=code))


@bp.route("/staff/procedures/<code>/edit", methods=["GET", "POST"])
@province_admin_required
def edit(code):
    procedure = services.get_by_code(code) or abort(404)
    form = ProcedureForm()
    form.agency_code.choices = options(agency_choices())
    if request.method == "GET":
        data = services.procedure_to_dict(procedure.current)
        data["documents"] = transfer.document_lines(data["documents"])
        data["decision_date"] = procedure.current.decision_date
        form.process(data=data)
    if form.validate_on_submit():
        begin_write()
        procedure = services.get_by_code(code)
        try:
            version = services.update_procedure(procedure, form_data(form), current_user)
        except services.ProcedureError as error:
            db.session.rollback()
            apply_errors(form, error)
        else:
            db.session.commit()
            flash(_("Đã lưu phiên bản %(n)s.", n=version.number) if version else _("Không có thay đổi."), "success")
            return redirect(url_for("procedures.staff_detail", code=code))
    status = 400 if form.errors else 200
    return render_template("procedures/edit.html", form=form, procedure=procedure), status


@bp.post("/staff/procedures/<code>/status")
@province_admin_required
def change_status(code):
    begin_write()
    procedure = services.get_by_code(code) or abort(404)
    try:
        services.set_status(procedure, request.form.get("status", ""), current_user)
    except services.ProcedureError as error:
        db.session.rollback()
        flash(error.message, "danger")
        return redirect(url_for("procedures.staff_detail", code=code)), 400
    db.session.commit()
    flash(_("Đã cập nhật trạng thái."), "success")
    return redirect(url_for("procedures.staff_detail", code=code))


@bp.get("/staff/procedures/export.<fmt>")
@login_required
def export(fmt):
    if fmt not in ("csv", "xlsx", "json"):
        abort(404)
    data = transfer.export_catalogue(fmt, transfer.all_current_versions())
    types = {"csv": "text/csv; charset=utf-8", "json": "application/json",
             "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
    response = Response(data, mimetype=types[fmt])
    response.headers["Content-Disposition"] = f'attachment; filename="thu-tuc.{fmt}"'
    return response




@bp.app_template_filter("history_time")
def history_time(value) -> str:
    """(amount, unit, cut-off) as the history shows it: '3 ngày làm việc', 'Trong ngày (nhận trước 15:00)'."""
    amount, unit, cutoff = value
    if unit == "same_day":
        return _("Trong ngày") + (" (" + _("nhận trước %(t)s", t=cutoff) + ")" if cutoff else "")
    return f"{amount} {label(unit, 'time_unit')}"


@bp.app_template_filter("history_value")
def history_value(value, key: str) -> str:
    if key == "fee":
        return _("Không ghi mức phí") if value is None else money(value)
    if key in ("level", "online"):
        return label(value, key)
    if key == "decision":
        number, day, signer = value
        return " ".join(filter(None, [number, date.fromisoformat(day).strftime("%d/%m/%Y") if day else None, signer])) or "—"
    if isinstance(value, bool):
        return _("Có") if value else _("Không")
    return "—" if value in (None, "") else str(value)
