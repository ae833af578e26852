"""The clock's rules for a period: the due time of a procedure's processing time, the pause arithmetic, the
same-day and hand-over cut-offs (DOMAIN.md "How a period is counted").

They take an amount, a unit and a cut-off, and know no application: the desk and the complaints ask the
calendar, never the other way round. The cut-offs an administrator sets live in `onestop.settings`.
"""
from datetime import datetime, time, timedelta

from .. import settings
from ..timeutil import VN
from .working_time import WorkingCalendar


def parse_hhmm(value: str | time | None) -> time | None:
    """'15:00' -> time(15, 0); a time passes through; None stays None."""
    if value is None or isinstance(value, time):
        return value
    hours, minutes = str(value).split(":")
    return time(int(hours), int(minutes))


def same_day_cutoff(own: time | None = None) -> time:
    """A procedure's own same-day cut-off, or the province's (15:00 by default)."""
    return own or parse_hhmm(settings.get("same_day_cutoff"))


def transfer_cutoff() -> time:
    """Received after this, a file goes on to the processing agency the next working day (15:00 by default)."""
    return parse_hhmm(settings.get("transfer_cutoff"))


def statutory_due(calendar: WorkingCalendar, received_at: datetime, amount: int, unit: str,
                  cutoff: time | None = None) -> datetime:
    """The due time a processing time gives, before any pause."""
    return calendar.due_at(received_at, amount, unit, same_day_cutoff(cutoff) if unit == "same_day" else None)


def due_after_pauses(calendar: WorkingCalendar, due: datetime, pauses, unit: str) -> datetime:
    """The due time moved later by every finished pause ((start, end) pairs; an open pause moves nothing yet)."""
    for start, end in pauses:
        if end is not None:
            due = calendar.pause_extension(due, start, end, unit)
    return due


def handover_deadline(calendar: WorkingCalendar, reception_moment: datetime) -> datetime:
    """The desk hands a file on by the close of the reception day, or of the next working day when it was
    received after the cut-off."""
    moment = reception_moment.astimezone(VN)
    day = moment.date()
    if moment.time() > transfer_cutoff():
        day = calendar.next_working_day(day)
    return calendar.close_of_day(day)


def processing_starts(calendar: WorkingCalendar, handed_over_at: datetime) -> datetime:
    """Where the processing agency's working time starts counting for a file handed over at a moment: that
    moment inside working hours and before the cut-off, else the next working morning. The hand-over itself
    is dated when it happened; this is a computed moment beside it."""
    moment = calendar.reception_moment(handed_over_at)
    if moment.astimezone(VN).time() > transfer_cutoff():
        moment = calendar.windows(calendar.next_working_day(moment.astimezone(VN).date()))[0][0]
    return moment


def working_day_start(calendar: WorkingCalendar, moment: datetime) -> datetime:
    """The start (local midnight) of the working day a moment belongs to: its own day when that is a working
    day, else the last working day before it, so an evening, a weekend or a holiday still belongs to the working
    day that came before. Clerks and officers may date what they record back to this, not earlier."""
    day = moment.astimezone(VN).date()
    for _ in range(366):  # the longest run of days off a calendar can hold, and then some
        if calendar.is_working_day(day):
            break
        day -= timedelta(days=1)
    return datetime.combine(day, time(0, 0), VN)


def time_left(calendar: WorkingCalendar, at: datetime, due_at: datetime) -> str:
    """overdue | due_soon | in_time: past its due time, or within the province's due-soon working days of it
    (the same words for an application and a complaint)."""
    if at > due_at:
        return "overdue"
    if calendar.working_days_between(at, due_at) <= int(settings.get("due_soon_working_days")):
        return "due_soon"
    return "in_time"
