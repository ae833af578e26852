"""An application's due time recomputed from its events and the calendar (the stored due_at is a cache).

The rules of the clock (processing time, pauses, cut-offs) are the calendar's (`onestop.calendar.rules`);
this module only reads the application's events to find what the clock must count.
"""
from datetime import datetime

from ..calendar import rules


def procedure_due(version, received_at: datetime, calendar) -> datetime:
    """The due time the procedure version's processing time gives, before any pause."""
    return rules.statutory_due(calendar, received_at, version.time_amount, version.time_unit, version.same_day_cutoff)


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
    due = procedure_due(version, received_at, calendar)
    return rules.due_after_pauses(calendar, due, pauses(events), version.time_unit)


def apology_due(events) -> datetime | None:
    """The one new appointment given in an apology slip, if any."""
    for event in events:
        if event.type == "apologise":
            return datetime.fromisoformat(event.data["new_due_at"])
    return None
