"""Supervisors' pages: the board, the overdue report, the dashboard and the CCHC report (thin views over
watch, indicators and reports; the API answers the same)."""
from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from .. import inputs
from ..auth import roles_required
from ..database import begin_write
from ..extensions import db
from ..procedures import services as catalogue
from ..timeutil import now
from . import bp, reports, watch
from ..outbox.views import board_backlog
from .digest import is_subscribed, subscribe


@bp.get("/board")
@roles_required("supervisor", "admin")
def board():
    from ..reception import online

    moment = now()
    return render_template("tracking/board.html", rows=watch.board(current_user.visible_agency_ids(), moment),
                           moment=moment, fields=catalogue.fields(), subscribed=is_subscribed(current_user),
                           online_late=online.waiting_beyond_target(current_user.visible_agency_ids(), moment),
                           online_target=online.target_hours(),
                           outbox=board_backlog())


@bp.post("/board/digest")
@roles_required("supervisor", "admin", "officer")
def digest_choice():
    begin_write()
    wanted = request.form.get("wanted") == "1"
    if wanted and not current_user.email:
        db.session.rollback()
        flash(_("Tài khoản chưa có địa chỉ thư điện tử; nhờ quản trị viên bổ sung trước."), "danger")
        return redirect(request.referrer or url_for("tracking.board"))
    subscribe(current_user, wanted)
    db.session.commit()
    flash(_("Sẽ gửi thư tóm tắt mỗi sáng.") if wanted else _("Đã thôi nhận thư tóm tắt."), "success")
    return redirect(url_for("tracking.board"))


def parse_day(value) -> date | None:
    try:
        return inputs.day(value, "ngày")
    except inputs.InputError as error:
        abort(400, error.message)


def report_scope():
    """The agency asked for (default: the user's own), with those below it; 404/403 as the API answers."""
    from .indicators import scope_of, tree

    code = request.args.get("agency") or None
    agency, ids = scope_of(code, current_user)
    if agency is None:
        abort(404 if code and tree().by_code(code) is None else 403)
    return agency, ids


@bp.get("/reports/overdue")
@roles_required("supervisor", "admin")
def overdue_report():
    agency, ids = report_scope()
    day = parse_day(request.args.get("at"))
    if day is not None and day > watch.local_today():
        abort(400)
    field = request.args.get("field") or None
    report = reports.overdue_report(agency, ids, day, field)
    args = {key: value for key, value in request.args.items() if value}
    return render_template("tracking/overdue.html", report=report, agency=agency, args=args, fields=catalogue.fields())


def report_periods(today: date) -> list[tuple[str, date, date]]:
    """The periods a report is usually asked for: last month, last quarter, the half-years, nine months, the year."""
    from .indicators import month_end, month_start, previous_period
    from .reports import period_label

    last_month = previous_period(month_start(today), month_end(today))
    quarter_start = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    last_quarter = previous_period(quarter_start, month_end(date(quarter_start.year, quarter_start.month + 2, 1)))
    year = today.year if today.month > 1 else today.year - 1
    found = [last_month, last_quarter, (date(year, 1, 1), date(year, 6, 30)), (date(year, 1, 1), date(year, 9, 30)),
             (date(year, 1, 1), date(year, 12, 31)), (date(year - 1, 1, 1), date(year - 1, 12, 31))]
    return [(period_label(start, end), start, end) for start, end in found]


@bp.get("/reports")
@roles_required("supervisor", "admin")
def reports_page():
    from .indicators import tree

    agency, _ids = report_scope()
    visible = current_user.visible_agency_ids()
    return render_template("tracking/reports.html", agency=agency, periods=report_periods(watch.local_today()),
                           fields=catalogue.fields(),
                           agencies=[a for a in tree().agencies.values() if a["id"] in visible])


@bp.get("/fonts/<name>")
def font(name):
    """The bundled serif, for the charts' SVG text (no outside font service)."""
    from flask import send_from_directory

    from ..pdf.fonts import FONT_DIR

    if name not in ("LiberationSerif-Regular.ttf", "LiberationSerif-Bold.ttf"):
        abort(404)
    return send_from_directory(FONT_DIR, name, mimetype="font/ttf", max_age=30 * 24 * 3600)
