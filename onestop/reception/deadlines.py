"""Due times recomputed from an application's events and the calendar (the stored due_at is a cache)."""
from datetime import datetime, time

from .. import settings


def parse_hhmm(value: str | time | None) -> time | None:
    if value is None or isinstance(value, time):
        return value
    hours, minutes = str(value).split(":")
    return time(int(hours), int(minutes))


def statutory_due(version, received_at: datetime, calendar) -> datetime:
    """The due time the procedure's processing time gives, before any pause."""
    cutoff = version.same_day_cutoff or parse_hhmm(settings.get("same_day_cutoff"))
    return calendar.due_at(received_at, version.time_amount, version.time_unit, cutoff)


def pauses(events) -> list[tuple[datetime, datetime | None]]:
    """(start, end) of each wait for the applicant's supplement; end is None while still waiting."""
    found, start = [], None
    for event in events:
        if event.type == "request_supplement":
            start = event.at
        elif event.type == "supplement_received" and start is not None:
            found.append((start, event.at))
            start = None
    if start is not None:
        found.append((start, None))
    return found


def due_from_events(version, received_at: datetime, events, calendar) -> datetime:
    """The statutory due time moved later by every finished pause."""
    due = statutory_due(version, received_at, calendar)
    for start, end in pauses(events):
        if end is not None:
            due = calendar.pause_extension(due, start, end, version.time_unit)
    return due


def apology_due(events) -> datetime | None:
    """The one new appointment given in an apology slip, if any."""
    for event in events:
        if event.type == "apologise":
            return datetime.fromisoformat(event.data["new_due_at"])
    return None
