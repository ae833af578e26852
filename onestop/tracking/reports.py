"""The supervisors' reports as plain data for onestop.pdf: the overdue report and the periodic CCHC report."""
from datetime import date

from ..reception.printing import place_name
from ..timeutil import now
from . import watch
from .indicators import day_end


def heading(agency: dict) -> dict:
    """The issuing agency and the one above it, as an official heading writes them (Decree 30/2020)."""
    from ..auth.models import Agency
    from ..extensions import db

    row = db.session.get(Agency, agency["id"])
    governed = row.parent is not None and not row.name.startswith("Ủy ban nhân dân ")
    return {"agency_name": row.name, "parent_agency_name": row.parent.name if governed else None,
            "place": place_name(row)}


def overdue_report(agency: dict, agency_ids, day: date | None = None, field: str | None = None,
                   stream: bool = False) -> dict:
    """The overdue files of an agency (with those below it) now, or at the end of a past day; with the files
    whose current step is late while the file is still within time (now only)."""
    moment = now()
    today = watch.local_today(moment)
    if day is None or day >= today:
        rows = watch.overdue_now(agency_ids, field, moment)
        steps, at = watch.late_steps_now(agency_ids, field, moment), moment
    else:
        at = day_end(day)
        rows, steps = watch.overdue_at(agency_ids, day, field), []
    return {**heading(agency), "at": at, "printed_at": moment, "field": field,
            "rows": rows if stream else list(rows), "steps": steps}
