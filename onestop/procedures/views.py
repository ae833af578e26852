"""Catalogue pages: public (no login) and staff (list, edit, retire, import, export)."""
from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..auth import roles_required
from ..auth.models import Agency
from ..database import begin_write
from ..extensions import db
from . import bp, services, transfer
from ..forms import options
from .forms import ImportForm, ProcedureForm


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
                           online=args.get("online"), status=args.get("status"), public=public,
                           agency_id=agency.id if agency else None)


@bp.get("/thu-tuc")
def public_list():
    page = db.paginate(filtered_query(public=True), per_page=20, error_out=False)
    return render_template("procedures/public_list.html", page=page, args=filter_args(), fields=services.fields(),
                           agencies=agency_choices())


@bp.get("/thu-tuc/<code>")
def public_detail(code):
    procedure = services.get_by_code(code)
    if procedure is None or procedure.status != "in_force":
        abort(404)
    return render_template("procedures/public_detail.html", procedure=procedure, version=procedure.current)


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
@roles_required("admin")
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
    return render_template("procedures/staff_detail.html", procedure=procedure, version=procedure.current)


@bp.route("/staff/procedures/<code>/edit", methods=["GET", "POST"])
@roles_required("admin")
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
@roles_required("admin")
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


@bp.route("/staff/procedures/import", methods=["GET", "POST"])
@roles_required("admin")
def import_page():
    form = ImportForm()
    form.agency_code.choices = options(agency_choices())
    report = None
    if form.validate_on_submit():
        upload = form.file.data
        begin_write()
        report = transfer.import_catalogue(
            upload.filename or "upload.csv", upload.read(), dry_run=form.dry_run.data, user=current_user,
            defaults={"agency_code": form.agency_code.data or None, "field": form.field.data or None,
                      "level": form.level.data})
        if report.applied:
            db.session.commit()
            flash(_("Đã nhập: %(s)s.", s=report.summary()), "success")
        else:
            db.session.rollback()
    status = 400 if (report and report.errors) or form.errors else 200
    return render_template("procedures/import.html", form=form, report=report), status


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


