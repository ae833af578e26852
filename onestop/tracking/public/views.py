"""The applicant's pages: the status page reached from the receipt's QR code (or by code and phone), the look-up
form, the rating on the status page; and the desk's tablet page where a rating is taken at the counter."""
from flask import Response, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from ... import audit, public_layout
from ...auth import roles_required
from ...database import begin_write
from ...extensions import db
from ...reception import papers
from ...reception.models import Application
from ...text import clean
from .. import bp
from . import pagecache, ratings
from .limits import lookup_limits
from .status import find_application, find_status, masked, public_status, typed_code


def not_found(template="tracking/lookup.html", **context):
    """One answer for a wrong code, a wrong key and a wrong phone: the look-up form, empty, and a 404."""
    return render_template(template, not_found=True, **context), 404


@bp.get("/tra-cuu")
def lookup():
    code = typed_code(clean(request.args.get("code")))
    key, phone = clean(request.args.get("k")), clean(request.args.get("phone"))
    if code and key and code.upper().startswith("TT-"):  # an online submission's number, before its acceptance
        return redirect(url_for("reception.online_status", number=code.upper(), k=key))
    if code and key:
        return redirect(url_for("tracking.status", code=code, k=key))
    if code and phone:
        return redirect(url_for("tracking.status", code=code, phone=phone))
    incomplete = "code" in request.args
    return render_template("tracking/lookup.html", incomplete=incomplete), 400 if incomplete else 200


def blank_rating_choices():
    """The rating's choices with nothing chosen yet, as the macro draws them: the same for every file in one
    language, so drawn once per process and language (a tenth of drawing a returned file's page)."""
    drawn = current_app.extensions.setdefault("onestop_blank_rating", {})
    locale = str(get_locale())
    found = drawn.get(locale)
    if found is None:
        macro = current_app.jinja_env.get_template("tracking/_public.html").module.rating_choices
        found = drawn[locale] = Markup(macro(ratings.REASONS, {}, {}))
    return found


def status_page(application, key: str | None, phone: str | None, errors=None, status=200):
    """The page of a file (an Application, or the StatusFile read for the page in one statement)."""
    info = public_status(application)
    can_rate = bool(key) and info["status"] == "returned" and info["rating"] is None  # ratings.may_rate
    # the digitised result, to the holder of the key only (not to a look-up by the phone's last digits)
    result_files = papers.result_files(application) if key and application.result_digitised_at is not None else []
    return public_layout.render_template("tracking/status.html", application=application, s=info, key=key, phone=phone,
                           can_rate=can_rate, result_files=result_files, reasons=ratings.REASONS, errors=errors or {},
                           form=request.form if errors else {},
                           blank_choices=blank_rating_choices() if can_rate and not errors else None), status


@bp.get("/tra-cuu/<code>")
@lookup_limits
def status(code):
    """One indexed look-up (find_status) and one template; a page asked for again is served from pagecache."""
    code = typed_code(code)
    key, phone = clean(request.args.get("k")), clean(request.args.get("phone"))
    entry = pagecache.key_for(code, key, None if key else phone)
    cached = pagecache.get(entry)
    if cached is not None:
        return Response(cached, mimetype="text/html")
    application = find_status(code, key, None if key else phone)
    if application is None:
        return not_found()
    page, status_code = status_page(application, key, None if key else phone)
    if status_code == 200:
        pagecache.put(entry, page.encode("utf-8"))
    return page, status_code


@bp.post("/tra-cuu/<code>/danh-gia")
@lookup_limits
def rate(code):
    """The rating from the status page: only with the key printed on the receipt (a phone's 4 digits are not
    enough to speak for the applicant)."""
    key = clean(request.form.get("k"))
    application = find_application(code, key) if key else None
    if application is None:
        return not_found()
    begin_write()  # on SQLite: rolls back the read (the application reloads in the write transaction)
    try:
        ratings.rate(application, request.form.get("level"), request.form.getlist("reasons"),
                     request.form.get("comment"), channel="status_page")
    except ratings.RatingError as error:
        db.session.rollback()
        flash(error.message, "danger")
        return status_page(application, key, None, errors=error.errors or {"level": error.message},
                           status=error.status)
    db.session.commit()
    flash(_("Cảm ơn Ông/Bà đã đánh giá. Ý kiến được gửi tới lãnh đạo cơ quan."), "success")
    return redirect(url_for("tracking.status", code=application.code, k=key))


@bp.post("/tra-cuu/<code>/ngung-nhan-tin")
@lookup_limits
def stop_messages(code):
    """The applicant stops the SMS and e-mails about this file (only with the key printed on the receipt)."""
    key = clean(request.form.get("k"))
    application = find_application(code, key) if key else None
    if application is None:
        return not_found()
    begin_write()
    application = db.session.get(Application, application.id, populate_existing=True)
    if application.notify:
        application.notify = False
        audit.record("notifications_stopped", application)
    db.session.commit()
    flash(_("Đã ngừng gửi tin nhắn và thư điện tử về hồ sơ này."), "success")
    return redirect(url_for("tracking.status", code=application.code, k=key))


# ---------------------------------------------------------------- the desk's tablet


@bp.route("/ratings/desk", methods=["GET", "POST"])
@roles_required("clerk")
def desk_rating():
    """The counter's tablet: the clerk types the code of the file just handed back."""
    if request.method == "POST":
        code = clean(request.form.get("code"))
        if code:
            return redirect(url_for("tracking.desk_rating_for", code=code))
    return render_template("tracking/desk_rating.html", application=None)


def desk_application(code: str) -> Application | None:
    """The file received at this clerk's desk; another desk's file is not found, as if it did not exist."""
    application = db.session.scalar(db.select(Application).filter_by(code=code))
    if application is None or not current_user.can_see_agency(application.agency_id):
        flash(_("Không tìm thấy hồ sơ mã %(code)s.", code=code), "danger")
        return None
    return application


@bp.route("/ratings/desk/<code>", methods=["GET", "POST"])
@roles_required("clerk")
def desk_rating_for(code):
    application = desk_application(code)
    if application is None:
        return render_template("tracking/desk_rating.html", application=None), 404
    errors = {}
    if request.method == "POST":
        begin_write()
        try:
            ratings.rate(application, request.form.get("level"), request.form.getlist("reasons"),
                         request.form.get("comment"), channel="desk", user=current_user)
        except ratings.RatingError as error:
            db.session.rollback()
            flash(error.message, "danger")
            errors = error.errors
            status = error.status
        else:
            db.session.commit()
            flash(_("Cảm ơn Ông/Bà đã đánh giá!"), "success")
            return redirect(url_for("tracking.desk_rating"))
    else:
        status = 200
    name = application.applicant_name
    return render_template("tracking/desk_rating.html", application=application, errors=errors,
                           applicant=name if application.applicant_kind == "organisation" else masked(name),
                           can_rate=ratings.may_rate(application), rating=ratings.rating_of(application),
                           reasons=ratings.REASONS), status
