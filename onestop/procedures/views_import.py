"""Catalogue import pages: upload a file; a decision's table is reviewed row by row before it counts."""
from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..auth import province_admin_required
from ..database import begin_write
from ..extensions import db
from ..forms import options as choices
from ..text import clean
from . import bp, imports
from .forms import ImportForm
from .review import COLUMN_DEFAULTS, corrections_from_form
from .views import agency_choices


@bp.route("/staff/procedures/import", methods=["GET", "POST"])
@province_admin_required
def import_page():
    form = ImportForm()
    form.agency_code.choices = choices(agency_choices())
    plan = None
    if form.validate_on_submit():
        upload = form.file.data
        filename, content = upload.filename or "upload.csv", upload.read()
        options = {"agency_code": form.agency_code.data or None, "field": form.field.data or None,
                   "level": form.level.data or None}
        begin_write()
        plan = imports.plan_import(filename, content, options=options)
        if plan.kind == "decision" and plan.header_row is not None:  # an appendix table: reviewed before it counts
            saved = imports.save_upload(filename, content, options, current_user)
            db.session.commit()
            return redirect(url_for("procedures.review_upload", token=saved.token))
        if plan.kind == "catalogue" and plan.ok and not form.dry_run.data:
            imports.apply_import(plan, current_user)
            db.session.commit()
            flash(_("Đã nhập: %(s)s.", s=plan.summary_text()), "success")
        else:
            db.session.rollback()
    status = 400 if (plan and not plan.ok) or form.errors else 200
    return render_template("procedures/import.html", form=form, plan=plan), status


def review_options(form, upload) -> tuple[dict, dict]:
    """The review page's decision and defaults; errors by field for dates that cannot be read."""
    errors, found = {}, dict(upload.options)
    for key in ("decision_date", "effective_from"):
        value = clean(form.get(key))
        try:
            found[key] = date.fromisoformat(value) if value else None
        except ValueError:
            errors[key] = _("Ngày phải dạng ngày/tháng/năm.")
    for key in ("decision_number", "decision_signer", "field", "agency_code", "level"):
        found[key] = clean(form.get(key))
    found["draft"] = form.get("draft") == "1"
    return found, errors


@bp.route("/staff/procedures/import/<token>", methods=["GET", "POST"])
@province_admin_required
def review_upload(token):
    upload = imports.get_upload(token) or abort(404)
    errors, corrections, options = {}, {}, dict(upload.options)
    if request.method == "POST":
        begin_write()
        upload = imports.get_upload(token, lock=True) or abort(404)
        options, errors = review_options(request.form, upload)
        corrections = corrections_from_form(request.form)
    plan = imports.plan_import(upload.filename, upload.content, options=options, corrections=corrections)
    status = 200
    if request.method == "POST" and request.form.get("action") == "import":
        if upload.imported_at is not None:
            flash(_("Bảng này đã được nhập."), "danger")
            status = 409
        elif errors or not plan.ok:
            flash(_("Chưa nhập: còn dòng cần sửa hoặc bỏ ra (nêu lý do), hoặc thiếu thông tin quyết định."), "danger")
            status = 400
        else:
            imports.import_upload(upload, plan, current_user)
            db.session.commit()
            flash(_("Đã nhập bảng %(file)s: %(s)s.", file=upload.filename, s=plan.summary_text()), "success")
            return redirect(url_for("procedures.review_upload", token=token))
    db.session.rollback()
    return render_template("procedures/import_review.html", upload=upload, plan=plan, options=options,
                           fixes=request.form if request.method == "POST" else {}, errors=errors,
                           agencies=agency_choices(), columns=COLUMN_DEFAULTS), status


@bp.app_template_filter("iso_date")
def iso_date(value: str | None) -> str:
    """'2025-11-16' (as a summary keeps it) -> '16/11/2025'."""
    return date.fromisoformat(value).strftime("%d/%m/%Y") if value else ""
