"""The administrator's working calendar: a year view, overrides, working hours, a due-time preview."""
import calendar as month_calendar
from datetime import date, time

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..auth import province_admin_required
from ..database import begin_write
from ..extensions import db
from ..timeutil import VN, now
from . import bp, services
from .forms import HoursForm, OverrideForm, PreviewForm
from .models import CalendarOverride, WorkingHours

FIRST_YEAR, LAST_YEAR = 1900, 2100  # the years a working calendar is kept for


def months(calendar, year: int) -> list:
    grid = []
    for month in range(1, 13):
        weeks = []
        for week in month_calendar.Calendar().monthdatescalendar(year, month):
            weeks.append([(day, calendar.day_kind(day), calendar.holiday_name(day)) if day.month == month else None
                          for day in week])
        grid.append((month, weeks))
    return grid


@bp.route("/", methods=["GET", "POST"])
@province_admin_required
def year():
    year_number = request.args.get("year", now().astimezone(VN).year, type=int)
    if not FIRST_YEAR <= year_number <= LAST_YEAR:
        abort(400, description=_("Năm phải từ %(first)s đến %(last)s.", first=FIRST_YEAR, last=LAST_YEAR))
    override_form, hours_form = OverrideForm(prefix="o"), HoursForm(prefix="h")
    preview = PreviewForm(request.args, prefix="p")
    if request.method == "POST":
        form = override_form if "o-day" in request.form else hours_form
        if form.validate_on_submit():
            begin_write()
            try:
                if form is override_form:
                    services.set_override(form.day.data, form.kind.data, form.note.data, current_user)
                else:
                    services.set_working_hours(form.valid_from.data, form.morning_start.data, form.morning_end.data,
                                               form.afternoon_start.data, form.afternoon_end.data, current_user)
            except services.CalendarError as error:
                db.session.rollback()
                flash(str(error), "danger")
            else:
                db.session.commit()
                flash(_("Đã lưu lịch làm việc."), "success")
                return redirect(url_for("calendar.year", year=year_number))
    if not hours_form.is_submitted():
        hours_form.process(data={"valid_from": date(year_number, 1, 1), "morning_start": time(7, 30),
                                 "morning_end": time(11, 30), "afternoon_start": time(13, 30),
                                 "afternoon_end": time(17, 0)})
    calendar = services.load_calendar()
    result = None
    if preview.received_at.data and preview.validate():
        received = preview.received_at.data.replace(tzinfo=VN)
        result = {"moment": calendar.reception_moment(received),
                  "due": calendar.due_at(received, preview.amount.data or 0, preview.unit.data)}
    overrides = db.session.scalars(db.select(CalendarOverride).order_by(CalendarOverride.day)).all()
    hours = db.session.scalars(db.select(WorkingHours).order_by(WorkingHours.valid_from)).all()
    status = 400 if override_form.errors or hours_form.errors else 200
    return render_template("calendar/year.html", year=year_number, months=months(calendar, year_number),
                           override_form=override_form, hours_form=hours_form, preview=preview, result=result,
                           overrides=overrides, hours=hours), status


@bp.post("/overrides/<day>/delete")
@province_admin_required
def delete_override(day):
    begin_write()
    try:
        services.remove_override(date.fromisoformat(day), current_user)
    except (ValueError, services.CalendarError) as error:
        db.session.rollback()
        flash(str(error), "danger")
        return redirect(url_for("calendar.year")), 400
    db.session.commit()
    flash(_("Đã bỏ điều chỉnh."), "success")
    return redirect(url_for("calendar.year", year=date.fromisoformat(day).year))
