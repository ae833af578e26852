"""The overdue watch: the supervisors' board (what is late and where, now) and the overdue report's rows.

The board counts the open files by the agency processing them now (with the agencies below it): due today, due
within the next working days, overdue and since when, paused, steps past their own deadline, and the same for
complaints. Open files are few, so these are plain aggregates over them; the numbers link to the lists that
`reception.queries.filtered` gives for `due=` and `handled_by=`, cut at the same moments.
"""
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from ...auth.models import Agency, User
from ...calendar.services import load_calendar
from ...extensions import db
from ...procedures.models import ProcedureVersion
from ...reception import deadlines
from ...reception.models import Application
from ...reception.queries import RUNNING_STATES, due_bounds
from ...timeutil import VN, now
from .indicators import COMPLAINT_OPEN, day_end, tree
from ..models import Complaint
from .rollups import StageWatch, stage_of

OPEN_STATES = RUNNING_STATES + ("waiting_supplement",)
FILE_COLUMNS = ("overdue", "today", "soon", "paused", "steps", "open")
COMPLAINT_COLUMNS = ("complaints_overdue", "complaints_today", "complaints_soon")


def _count(condition):
    return sa.func.coalesce(sa.func.sum(sa.case((condition, 1), else_=0)), 0)


def board(agency_ids: set[int], moment: datetime | None = None) -> list[dict]:
    """One row per agency the user sees, each counting its own files and those of the agencies below it, the
    most urgent first (the user's own agency, the total, stays on top)."""
    moment = moment or now()
    end_of_today, end_of_soon = due_bounds(moment)
    running = Application.status.in_(RUNNING_STATES)
    ids = sorted(agency_ids)
    everything = tree().is_everything(set(agency_ids))  # no filter then: it would only block the index

    def scoped(column):
        return sa.true() if everything else column.in_(ids)

    own: dict[int, dict] = {}
    if db.session.get_bind().dialect.name == "postgresql":
        # The open files are a few tens of thousands of index entries: PostgreSQL's parallel workers take longer to
        # start (about 10 ms) than the scan takes alone. For this transaction (a read) only.
        db.session.execute(sa.text("SET LOCAL max_parallel_workers_per_gather = 0"))
    files = db.session.execute(
        sa.select(Application.processing_agency_id,
                  _count(sa.and_(running, Application.due_at < moment)),
                  _count(sa.and_(running, Application.due_at >= moment, Application.due_at < end_of_today)),
                  _count(sa.and_(running, Application.due_at >= end_of_today, Application.due_at < end_of_soon)),
                  _count(Application.status == "waiting_supplement"), sa.func.count(),
                  sa.func.min(sa.case((sa.and_(running, Application.due_at < moment), Application.due_at))))
        .where(Application.status.in_(OPEN_STATES), scoped(Application.processing_agency_id))
        .group_by(Application.processing_agency_id))
    for agency_id, overdue, today, soon, paused, still_open, oldest in files:
        if agency_id not in agency_ids:
            continue
        own[agency_id] = {"overdue": int(overdue), "today": int(today), "soon": int(soon), "paused": int(paused),
                          "open": int(still_open), "oldest_due": oldest}
    steps = db.session.execute(
        sa.select(StageWatch.agency_id, sa.func.count())
        .join(Application, Application.id == StageWatch.application_id)
        .where(StageWatch.deadline < moment, Application.due_at >= moment, running, scoped(StageWatch.agency_id))
        .group_by(StageWatch.agency_id))
    for agency_id, count in steps:
        own.setdefault(agency_id, {})["steps"] = int(count)
    handled = sa.func.coalesce(Complaint.answered_at, Complaint.closed_at)
    complaints = db.session.execute(
        sa.select(Complaint.agency_id, _count(Complaint.due_at < moment),
                  _count(sa.and_(Complaint.due_at >= moment, Complaint.due_at < end_of_today)),
                  _count(sa.and_(Complaint.due_at >= end_of_today, Complaint.due_at < end_of_soon)))
        .where(Complaint.status.in_(COMPLAINT_OPEN), handled.is_(None), scoped(Complaint.agency_id))
        .group_by(Complaint.agency_id))
    for agency_id, overdue, today, soon in complaints:
        own.setdefault(agency_id, {}).update(complaints_overdue=int(overdue), complaints_today=int(today),
                                             complaints_soon=int(soon))
    agencies = tree()
    calendar = load_calendar()
    rows = []
    for agency_id in ids:
        below = agencies.below(agency_id) & agency_ids
        row = {"agency": agencies.agencies[agency_id], "below": len(below) - 1}
        for column in FILE_COLUMNS + COMPLAINT_COLUMNS:
            row[column] = sum(own.get(other, {}).get(column, 0) for other in below)
        oldest = [own[other]["oldest_due"] for other in below if own.get(other, {}).get("oldest_due")]
        row["oldest_due"] = min(oldest) if oldest else None
        row["days_late"] = calendar.working_days_between(row["oldest_due"], moment) if oldest else None
        rows.append(row)
    top = [row for row in rows if row["agency"]["id"] not in {
        child for parent in ids for child in agencies.children.get(parent, [])}]
    rest = sorted((row for row in rows if row not in top), key=urgency)
    return sorted(top, key=urgency) + rest


def urgency(row: dict):
    """What needs action first: overdue files, overdue complaints, late steps, then what falls due soonest."""
    return (-row["overdue"], -row["complaints_overdue"], -row["steps"], -row["today"] - row["complaints_today"],
            -row["soon"] - row["complaints_soon"], -row["paused"], row["agency"]["code"])


# ---------------------------------------------------------------- the overdue report


def _report_query(agency_ids, field):
    receiving, processing = aliased(Agency), aliased(Agency)
    query = (sa.select(Application, ProcedureVersion.name, ProcedureVersion.field, receiving.name, processing.name,
                       User.full_name, StageWatch.unit, StageWatch.deadline)
             .join(ProcedureVersion, ProcedureVersion.id == Application.procedure_version_id)
             .join(receiving, receiving.id == Application.agency_id)
             .outerjoin(processing, processing.id == Application.processing_agency_id)
             .outerjoin(User, User.id == Application.assignee_id)
             .outerjoin(StageWatch, StageWatch.application_id == Application.id))
    if agency_ids is not None:
        query = query.where(Application.processing_agency_id.in_(sorted(agency_ids)))
    if field:
        query = query.where(ProcedureVersion.field == field)
    return query


def _row(app, procedure, field, receiving, processing, officer, unit, deadline, due, days_late, apology) -> dict:
    return {"code": app.code, "procedure": procedure, "field": field, "applicant": app.applicant_name,
            "receiving_agency": receiving, "agency": processing or "", "officer": officer or "", "step": unit or "",
            "step_deadline": deadline, "due_at": due, "days_late": days_late, "apology": apology}


def overdue_now(agency_ids, field: str | None = None, moment: datetime | None = None, batch: int = 1000):
    """The files overdue now, by the agency processing them, the longest overdue first (streamed in batches)."""
    moment = moment or now()
    calendar = load_calendar()
    query = (_report_query(agency_ids, field)
             .where(Application.status.in_(RUNNING_STATES), Application.due_at < moment)
             .order_by(Application.due_at, Application.id).execution_options(yield_per=batch))
    for app, procedure, field_name, receiving, processing, officer, unit, deadline in db.session.execute(query):
        yield _row(app, procedure, field_name, receiving, processing, officer, unit, deadline, app.due_at,
                   calendar.working_days_between(app.due_at, moment), app.apology_due_at)


def late_steps_now(agency_ids, field: str | None = None, moment: datetime | None = None) -> list[dict]:
    """Files still within their own time whose current step is past its deadline, by the unit holding them."""
    moment = moment or now()
    calendar = load_calendar()
    query = _report_query(None, field).where(
        Application.status.in_(RUNNING_STATES), Application.due_at >= moment, StageWatch.deadline < moment)
    if agency_ids is not None:
        query = query.where(StageWatch.agency_id.in_(sorted(agency_ids)))
    rows = []
    for app, procedure, field_name, receiving, processing, officer, unit, deadline in db.session.execute(
            query.order_by(StageWatch.deadline, Application.id)):
        rows.append(_row(app, procedure, field_name, receiving, processing, officer, unit, deadline, app.due_at,
                         calendar.working_days_between(deadline, moment), app.apology_due_at))
    return rows


def overdue_at(agency_ids, day: date, field: str | None = None, batch: int = 500):
    """The files that were overdue at the end of a past day, replayed from their events as they stood then: the
    processing agency, officer and step of that day, the due time before pauses that came later."""
    moment = day_end(day)
    calendar = load_calendar()
    names = {agency_id: agency["name"] for agency_id, agency in tree().agencies.items()}
    closed = sa.func.coalesce(Application.result_at, Application.closed_at)
    query = (sa.select(Application).join(ProcedureVersion, ProcedureVersion.id == Application.procedure_version_id)
             .where(Application.received_at < moment, sa.or_(closed.is_(None), closed >= moment))
             .order_by(Application.id).options(sa.orm.selectinload(Application.events),
                                               sa.orm.joinedload(Application.version)))
    if field:
        query = query.where(ProcedureVersion.field == field)
    last_id, found = 0, []
    while True:
        apps = db.session.scalars(query.where(Application.id > last_id).limit(batch)).all()
        if not apps:
            break
        for app in apps:
            row = _state_at(app, moment, calendar, names, agency_ids)
            if row is not None:
                found.append(row)
        last_id = apps[-1].id
        db.session.expunge_all()
    found.sort(key=lambda row: (row["due_at"], row["code"]))
    return found


def _state_at(app, moment, calendar, names, agency_ids) -> dict | None:
    events = [item for item in app.events if item.at < moment]
    status = events[-1].to_status if events else "received"
    if status not in RUNNING_STATES:
        return None
    due = deadlines.due_from_events(app.version, app.received_at, events, calendar)
    if due >= moment:
        return None
    agency_id, user_id = app.version.agency_id or app.agency_id, None
    for item in events:
        if item.type in ("transfer", "step"):
            agency_id = (item.data or {}).get("to_agency_id") or agency_id
            user_id = (item.data or {}).get("to_user_id")
    if agency_ids is not None and agency_id not in agency_ids:
        return None
    stage = stage_of(app, events, calendar, names.get(app.agency_id, ""))
    officer = db.session.get(User, user_id).full_name if user_id else ""
    apology = deadlines.apology_due(events)
    return _row(app, app.version.name, app.version.field, names.get(app.agency_id, ""), names.get(agency_id, ""),
                officer, stage["unit"], stage["deadline"], due, calendar.working_days_between(due, moment), apology)


def local_today(moment: datetime | None = None) -> date:
    return (moment or now()).astimezone(VN).date()
