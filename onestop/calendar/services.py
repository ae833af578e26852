"""The calendar as it stands in the database: statutory holidays plus the administrator's overrides."""
from datetime import date, time

import sqlalchemy as sa
from flask_babel import gettext as _

from .. import audit, process_cache
from ..extensions import db
from .models import OVERRIDE_KINDS, CalendarOverride, WorkingHours
from .working_time import Hours, WorkingCalendar

class CalendarError(ValueError):
    """A calendar change the rules refuse; the message is shown to the administrator."""

def load_calendar() -> WorkingCalendar:
    """The working calendar with every override: read once per process and kept a few seconds (a change made here
    is seen at once, one made on another host within CONFIG_CACHE_SECONDS; onestop.process_cache)."""
    return process_cache.cached("working_calendar", _read_calendar)


def _read_calendar() -> WorkingCalendar:
    overrides, hours = {}, []
    for kind, day, *times in db.session.execute(calendar_rows()):
        if kind is None:
            hours.append(Hours(day, *times))
        else:
            overrides[day] = kind
    return WorkingCalendar(overrides, sorted(hours, key=lambda row: row.valid_from) or None)

def calendar_rows():
    """The overrides (kind, day) and the working hours (no kind, from when, four times) in one statement: the
    calendar is read on every write and every list page."""
    no_time = sa.cast(sa.null(), sa.Time)
    return sa.union_all(
        sa.select(CalendarOverride.kind, CalendarOverride.day, no_time, no_time, no_time, no_time),
        sa.select(sa.cast(sa.null(), sa.String), WorkingHours.valid_from, WorkingHours.morning_start,
                  WorkingHours.morning_end, WorkingHours.afternoon_start, WorkingHours.afternoon_end),
    )

def forget_calendar() -> None:
    """Drop the cached calendar after a change (the next load_calendar reads the database again)."""
    process_cache.clear()

def set_override(day: date, kind: str, note: str | None = None, user=None) -> CalendarOverride:
    if kind not in OVERRIDE_KINDS:
        raise CalendarError(_("Loại ngày không hợp lệ (nghỉ thêm, làm bù, nghỉ buổi sáng, nghỉ buổi chiều)."))
    if not isinstance(day, date):
        raise CalendarError(_("Ngày không hợp lệ."))
    row = db.session.scalar(sa.select(CalendarOverride).filter_by(day=day))
    if row is None:
        row = CalendarOverride(day=day)
        db.session.add(row)
    row.kind, row.note = kind, note
    row.created_by_id = user.id if user is not None else None
    db.session.flush()
    audit.record("calendar_override_set", object_type="CalendarOverride", object_id=day.isoformat(), user=user,
                 kind=kind, note=note)
    forget_calendar()
    return row

def remove_override(day: date, user=None) -> None:
    row = db.session.scalar(sa.select(CalendarOverride).filter_by(day=day))
    if row is None:
        raise CalendarError(_("Ngày này không có điều chỉnh."))
    db.session.delete(row)
    db.session.flush()
    audit.record("calendar_override_removed", object_type="CalendarOverride", object_id=day.isoformat(), user=user)
    forget_calendar()

def set_working_hours(valid_from: date, morning_start: time, morning_end: time, afternoon_start: time,
                      afternoon_end: time, user=None) -> WorkingHours:
    if not (morning_start < morning_end <= afternoon_start < afternoon_end):
        raise CalendarError(_("Giờ làm việc phải theo thứ tự: bắt đầu sáng < kết thúc sáng ≤ bắt đầu chiều < kết thúc chiều."))
    row = db.session.scalar(sa.select(WorkingHours).filter_by(valid_from=valid_from))
    if row is None:
        row = WorkingHours(valid_from=valid_from)
        db.session.add(row)
    row.morning_start, row.morning_end = morning_start, morning_end
    row.afternoon_start, row.afternoon_end = afternoon_start, afternoon_end
    db.session.flush()
    audit.record("working_hours_set", object_type="WorkingHours", object_id=valid_from.isoformat(), user=user,
                 hours=f"{morning_start:%H:%M}-{morning_end:%H:%M}, {afternoon_start:%H:%M}-{afternoon_end:%H:%M}")
    forget_calendar()
    return row

