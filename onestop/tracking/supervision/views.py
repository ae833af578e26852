"""Supervisors' pages: the board, the overdue report, the dashboard and the CCHC report (thin views over
watch, indicators and reports; the API answers the same)."""
import re
from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ... import inputs
from ...auth import roles_required
from ...database import begin_write
from ...extensions import db
from ...procedures import services as catalogue
from ...timeutil import now
from .. import bp
from . import reports, watch
from ...outbox.views import board_backlog
from .digest import is_subscribed, subscribe


@bp.get("/board")
@roles_required("supervisor", "admin")
def board():
    from ...reception import online

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


def report_periods(today: date) -> dict[str, list[tuple[str, date, date]]]:
    """The periods a report is usually asked for: the official ones of Decree 09/2019 that closed last, then the
    calendar month, quarter, half-years and years."""
    from .periods import report_choices

    return report_choices(today)


@bp.get("/reports")
@roles_required("supervisor", "admin")
def reports_page():
    from .indicators import tree
    from .periods import OFFICIAL_CHOICES, last_ended_official

    agency, _ids = report_scope()
    visible = current_user.visible_agency_ids()
    today = watch.local_today()
    return render_template("tracking/reports.html", agency=agency, periods=report_periods(today),
                           choices=OFFICIAL_CHOICES,
                           year=last_ended_official("month", today)[1].year,  # the year a report is due for
                           fields=catalogue.fields(),
                           agencies=[a for a in tree().agencies.values() if a["id"] in visible])


@bp.get("/reports/period")
@roles_required("supervisor", "admin")
def official_report():
    """Any official period, chosen by its name and year (Quý II năm 2026), as the CCHC report or the dashboard."""
    from .periods import official_choice

    agency, _ids = report_scope()
    year = request.args.get("year", "")
    found = official_choice(request.args.get("period", ""), int(year)) if re.fullmatch(r"[0-9]{4}", year) else None
    if found is None:
        abort(400, _("Chọn kỳ báo cáo và năm (từ 2000 đến 2100)."))
    days = {"agency": agency["code"], "from": found[0].isoformat(), "to": found[1].isoformat()}
    fmt = request.args.get("fmt")
    if fmt in ("pdf", "xlsx"):
        return redirect(url_for("tracking_api.cchc_file", fmt=fmt, **days))
    return redirect(url_for("tracking.dashboard", **days))


@bp.get("/ratings")
@roles_required("supervisor", "admin")
def rating_list():
    """The ratings given in a period to an agency's files (the dashboard's satisfaction figure), newest first;
    level=not_satisfied for those to act on."""
    from ...paging import CursorError
    from ..models import RATING_LEVELS
    from .periods import official_containing
    from ..public.ratings import rating_page

    agency, ids = report_scope()
    today = watch.local_today()
    start = parse_day(request.args.get("from")) or official_containing("year", today)[0]
    end = parse_day(request.args.get("to")) or today
    if end < start:
        abort(400)
    level = request.args.get("level") if request.args.get("level") in RATING_LEVELS else None
    try:
        page = rating_page(ids, start, end, level, cursor=request.args.get("after"))
    except CursorError:
        abort(400)
    args = {"agency": agency["code"], "from": start.isoformat(), "to": end.isoformat(), **({"level": level}
                                                                                          if level else {})}
    return render_template("tracking/ratings.html", page=page, agency=agency, start=start, end=end, level=level,
                           levels=RATING_LEVELS, args=args)


@bp.get("/fonts/<name>")
def font(name):
    """The bundled serif, for the charts' SVG text (no outside font service)."""
    from flask import send_from_directory

    from ...pdf.fonts import FONT_DIR

    if name not in ("LiberationSerif-Regular.ttf", "LiberationSerif-Bold.ttf"):
        abort(404)
    return send_from_directory(FONT_DIR, name, mimetype="font/ttf", max_age=30 * 24 * 3600)
