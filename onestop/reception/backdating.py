"""Back-dating (ghi lùi thời điểm): who may type a time earlier than now for a lifecycle event, and the
supervisors' list of the events that were.

A time typed in the past needs a reason. Clerks and officers may go back only within the working day they are
in (calendar.rules.working_day_start); earlier needs the supervisor role. The event keeps the time typed as `at`,
the real moment as `recorded_at`, and the reason as `backdate_reason`, so it is marked wherever it is shown.
"""
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import contains_eager, joinedload

from .. import inputs, paging
from ..auth.models import User
from ..calendar import rules
from ..calendar.services import load_calendar
from ..extensions import db
from ..timeutil import VN, fmt, now
from .models import Application, ApplicationEvent
from .services import CLOCK_SKEW
from .validation import ReceptionError

ORDER = (ApplicationEvent.recorded_at, ApplicationEvent.id)  # newest recorded first


def reason_for(user: User, at: datetime, reason) -> str | None:
    """The reason for a time earlier than now, checked against who types it; None when the time is now.

    Every caller goes through here, the pages, the API and the CLI alike: there is no switch to skip it. Code
    that replays the past (the demo data, the tests' builders) sets the clock to each moment instead
    (timeutil.frozen_at), so what it records is dated when it is recorded, and is not back-dated.
    """
    try:
        reason = inputs.text(reason, "backdate_reason", inputs.NOTE_MAX, multiline=True)
    except inputs.InputError as error:
        raise ReceptionError(error.message, {"backdate_reason": error.message}) from None
    current = now()
    if at >= current - CLOCK_SKEW:  # the minute typed into a form is now, not the past
        if reason:
            raise ReceptionError(_("Chỉ ghi lý do ghi lùi khi nhập một thời điểm đã qua."),
                                 {"backdate_reason": _("Thời điểm không ở quá khứ: bỏ trống lý do.")})
        return None
    if not reason:
        raise ReceptionError(_("Thời điểm đã qua: nhập lý do ghi lùi thời điểm."),
                             {"backdate_reason": _("Bắt buộc khi ghi lùi thời điểm.")})
    floor = rules.working_day_start(load_calendar(), current)
    if at < floor and not user.has_role("supervisor"):
        message = _("Chỉ được ghi lùi thời điểm trong ngày làm việc hiện tại (từ %(floor)s); ghi lùi sớm hơn phải "
                    "do lãnh đạo (vai trò giám sát) thực hiện.", floor=fmt(floor))
        raise ReceptionError(message, {"at": _("Trước ngày làm việc hiện tại: chỉ lãnh đạo được ghi.")})
    return reason


def slip_note(event: ApplicationEvent) -> str:
    """What the control slip's notes column says of a back-dated event (empty when it is not)."""
    if not event.backdated:
        return ""
    return f"Ghi lùi thời điểm (ghi lúc {fmt(event.recorded_at)}): {event.backdate_reason}"


# ---------------------------------------------------------------- the supervisors' list


@dataclass
class Row:
    """One back-dated event as the list shows it."""

    event: ApplicationEvent
    earlier_day: bool  # dated before the working day it was recorded in: only a supervisor may do that

    @property
    def shift(self) -> timedelta:
        return self.event.recorded_at - self.event.at


def period_bounds(date_from: date, date_to: date) -> tuple[datetime, datetime]:
    """From the first day's midnight to the midnight after the last day, in Vietnam time."""
    return (datetime.combine(date_from, time(0, 0), VN),
            datetime.combine(date_to + timedelta(days=1), time(0, 0), VN))


def listing(user: User, date_from: date, date_to: date):
    """Back-dated events recorded in the period, on applications the user sees (received or processed by one of
    the agencies it sees), newest recorded first."""
    start, end = period_bounds(date_from, date_to)
    query = (sa.select(ApplicationEvent).join(ApplicationEvent.application)
             .where(ApplicationEvent.backdate_reason.is_not(None), ApplicationEvent.recorded_at >= start,
                    ApplicationEvent.recorded_at < end)
             .options(contains_eager(ApplicationEvent.application).load_only(Application.code),
                      joinedload(ApplicationEvent.user)))
    if not user.sees_every_agency():
        ids = sorted(user.visible_agency_ids())
        query = query.where(sa.or_(Application.agency_id.in_(ids), Application.processing_agency_id.in_(ids)))
    return query.order_by(*paging.order(ORDER, True))


def rows(events) -> list[Row]:
    calendar = load_calendar()
    return [Row(event, event.at < rules.working_day_start(calendar, event.recorded_at)) for event in events]


def page(user: User, date_from: date, date_to: date, cursor: str | None = None, per_page: int = 50) -> paging.Page:
    """A keyset page of the list; paging.CursorError for a cursor that does not decode."""
    query = listing(user, date_from, date_to)
    start = paging.after(ORDER, True, cursor)
    if start is not None:
        query = query.where(start)
    found = db.session.scalars(query.limit(per_page + 1)).unique().all()
    following = paging.cursor_of(found[per_page - 1], ORDER) if len(found) > per_page else None
    return paging.Page(items=rows(found[:per_page]), next=following)


def every_row(user: User, date_from: date, date_to: date, batch: int = 500):
    """The whole list of a period, read a page at a time (for the CSV file)."""
    cursor = None
    while True:
        found = page(user, date_from, date_to, cursor, batch)
        yield from found.items
        if found.next is None:
            return
        cursor = found.next
