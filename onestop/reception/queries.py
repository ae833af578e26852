"""Lists of applications scoped to what a user may see: queues, filters, the register.

Built for a province of a million files: keyset pages (onestop.paging), the agency scope left out for users who
see every agency, and for the others written as one branch per side of the scope (received by, or processed
at, an agency they see), each an ordered index scan of its own, merged by UNION (a file on both sides counts
once), instead of an OR that would sort every file of the desk. Open files are found through partial indexes
(migration 4b3d57ecb9de); their status lists are literals in the SQL so the planner can match them.
"""
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from .. import paging, settings
from ..auth.models import Agency, User
from ..extensions import db
from ..procedures.models import Procedure, ProcedureVersion
from ..timeutil import VN, now
from .models import Application

OPEN = ("received", "transferred", "processing", "waiting_supplement")
RUNNING = ("received", "transferred", "processing")  # open and the clock running: these can be overdue
RUNNING_STATES = RUNNING  # the name the supervisors' modules use
AT_PROCESSING = ("transferred", "processing", "waiting_supplement")
DUE_FILTERS = ("overdue", "today", "soon", "paused", "open")
BY_RECEPTION = (Application.received_at, Application.id)  # newest first
BY_DUE = (Application.due_at, Application.id)  # soonest due first
# A list row shows its procedure's code and name and its agencies' codes: joined in the same query, and only
# those columns (a version carries its whole published text).
LIST_LOADS = (joinedload(Application.procedure).load_only(Procedure.code),
              joinedload(Application.version).load_only(ProcedureVersion.name, ProcedureVersion.number,
                                                         ProcedureVersion.field),
              joinedload(Application.agency).load_only(Agency.code, Agency.name),
              joinedload(Application.processing_agency).load_only(Agency.code, Agency.name))


def status_in(states) -> sa.ColumnElement:
    """`status IN ('a', 'b')` with the values written into the SQL: a partial index's predicate is matched only
    against literals (a bound parameter could be anything when the plan is made)."""
    return Application.status.in_(sa.bindparam(None, sorted(states), expanding=True, literal_execute=True))


def scope_branches(user: User) -> list[list]:
    """The conditions of each side of the user's scope (they may overlap): one empty branch for a user who sees
    every agency."""
    if user.sees_every_agency():
        return [[]]
    ids = sorted(user.visible_agency_ids())
    return [[Application.agency_id.in_(ids)], [Application.processing_agency_id.in_(ids)]]


def visible(user: User):
    """Applications received by, or being processed at, an agency the user may see."""
    if user.sees_every_agency():
        return sa.select(Application)
    ids = sorted(user.visible_agency_ids())
    return sa.select(Application).where(
        sa.or_(Application.agency_id.in_(ids), Application.processing_agency_id.in_(ids)))


def day_bounds(day: date) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time(0, 0), tzinfo=VN)
    return start, start + timedelta(days=1)


def received_today(user: User, today: date | None = None):
    start, end = day_bounds(today or now().astimezone(VN).date())
    return (
        sa.select(Application)
        .where(Application.agency_id.in_(user.visible_agency_ids()))
        .where(Application.received_at >= start, Application.received_at < end)
        .order_by(Application.code.desc())
        .options(*LIST_LOADS)
    )


def awaiting_return(user: User):
    """Results ready at the desk, oldest first."""
    return (
        sa.select(Application)
        .where(Application.agency_id.in_(user.visible_agency_ids()), Application.status == "result_ready")
        .order_by(Application.result_at)
        .options(*LIST_LOADS)
    )


def due_bounds(moment: datetime | None = None, calendar=None) -> tuple[datetime, datetime]:
    """The end of today and the end of the due-soon window (the next N working days after today, N from the
    settings), as Vietnam midnights: the board, the digest and the lists cut the days at the same moments."""
    if calendar is None:
        from ..calendar.services import load_calendar

        calendar = load_calendar()
    today = (moment or now()).astimezone(VN).date()
    soon = calendar.add_working_days(today, int(settings.get("due_soon_working_days")))
    return day_bounds(today)[1], day_bounds(soon)[1]


def due_condition(due: str, at: datetime, calendar=None) -> sa.ColumnElement:
    """overdue: the clock ran out; today: runs out later today; soon: after today, within the due-soon window (2
    working days by default); paused: waiting for the applicant's supplement (its clock stands still, so it is
    none of the others); open: all of them and the rest. The supervisors' board counts the same windows."""
    if due == "paused":
        return Application.status == "waiting_supplement"
    if due == "open":
        return status_in(RUNNING + ("waiting_supplement",))
    if due == "overdue":
        return sa.and_(status_in(RUNNING), Application.due_at < at)
    end_of_today, end_of_soon = due_bounds(at, calendar)
    window = (sa.and_(Application.due_at >= at, Application.due_at < end_of_today) if due == "today"
              else sa.and_(Application.due_at >= end_of_today, Application.due_at < end_of_soon))
    return sa.and_(status_in(RUNNING), window)


@dataclass
class Filters:
    """The list's filters (API and pages); unknown codes simply match nothing."""

    status: str | None = None
    agency: str | None = None  # receiving agency code
    procedure: str | None = None  # procedure code
    received_from: date | None = None
    received_to: date | None = None
    overdue: bool | None = None
    q: str | None = None
    due: str | None = None  # overdue | today | soon | paused | open
    handled_by: str | None = None  # processing agency code: it and every agency below it
    channel: str | None = None  # in_person | online | postal
    resolved_from: date | None = None  # the result ready on or after this day
    resolved_to: date | None = None
    open_at: date | None = None  # still open at the end of this day (received, no result, not refused or stopped)

    @property
    def by_due(self) -> bool:
        return bool(self.due) or self.overdue is True


def conditions(filters: Filters, at: datetime | None = None) -> list:
    at = at or now()
    found = []
    if filters.status:
        found.append(Application.status == filters.status)
    if filters.agency:
        agency_id = db.session.scalar(sa.select(Agency.id).filter_by(code=filters.agency))
        found.append(Application.agency_id == agency_id if agency_id else sa.false())
    if filters.procedure:
        procedure_id = db.session.scalar(sa.select(Procedure.id).filter_by(code=filters.procedure))
        found.append(Application.procedure_id == procedure_id if procedure_id else sa.false())
    if filters.handled_by:
        agency = db.session.scalar(sa.select(Agency).filter_by(code=filters.handled_by))
        found.append(Application.processing_agency_id.in_(sorted(agency.descendant_ids())) if agency else sa.false())
    if filters.received_from:
        found.append(Application.received_at >= day_bounds(filters.received_from)[0])
    if filters.received_to:
        found.append(Application.received_at < day_bounds(filters.received_to)[1])
    if filters.channel:
        found.append(Application.channel == filters.channel)
    if filters.resolved_from:
        found.append(Application.result_at >= day_bounds(filters.resolved_from)[0])
    if filters.resolved_to:
        end = day_bounds(filters.resolved_to)[1]
        # implied (a result follows its reception), and it lets the newest-first scan start at the period's end
        found += [Application.result_at < end, Application.received_at < end]
    if filters.open_at:
        # as the indicators count a file open: from its reception until its result, refusal or stop
        end = day_bounds(filters.open_at)[1]
        ended = sa.func.coalesce(Application.result_at, Application.closed_at)
        found.append(sa.and_(Application.received_at < end, sa.or_(ended.is_(None), ended >= end)))
    if filters.overdue is not None:
        late = due_condition("overdue", at, None)
        found.append(late if filters.overdue else sa.not_(late))
    if filters.due:
        from ..calendar.services import load_calendar

        found.append(due_condition(filters.due, at, load_calendar()) if filters.due in DUE_FILTERS else sa.false())
    if filters.q:
        text = filters.q.strip()
        found.append(sa.or_(Application.code.ilike(f"%{text}%"), Application.applicant_name.ilike(f"%{text}%"),
                            Application.applicant_id_number == text))
    return found


def keyset_page(where: list, branches: list[list], columns, descending: bool, cursor: str | None, per_page: int,
                with_total: bool = False) -> paging.Page:
    """One page of applications matching `where` on any branch, in key order."""
    start = paging.after(columns, descending, cursor)
    limited = where + ([start] if start is not None else [])
    if len(branches) == 1:
        query = (sa.select(Application).where(*limited, *branches[0])
                 .order_by(*paging.order(columns, descending)).limit(per_page + 1))
    else:
        # The first rows of the union are among the first rows of each branch.
        parts = [sa.select(*columns).where(*limited, *branch).order_by(*paging.order(columns, descending))
                 .limit(per_page + 1).subquery() for branch in branches]
        keys = sa.union(*(sa.select(part) for part in parts)).subquery()
        key_columns = [keys.c[column.key] for column in columns]
        query = (sa.select(Application).join(keys, Application.id == keys.c.id)
                 .order_by(*paging.order(key_columns, descending)).limit(per_page + 1))
    rows = db.session.scalars(query.options(*LIST_LOADS)).all()
    page = paging.Page(rows[:per_page], paging.cursor_of(rows[per_page - 1], columns) if len(rows) > per_page else None)
    if with_total and start is None:
        # a first page that is not full is the whole list; otherwise count (up to the cap) or estimate
        page.total, page.total_exact = (len(page.items), True) if page.next is None else total(where, branches)
    return page


def total(where: list, branches: list[list]) -> tuple[int, bool]:
    """How many match: exact up to paging.TOTAL_CAP, an estimate beyond."""
    counted = [paging.bounded_total(sa.select(Application.id).where(*where, *branch)) for branch in branches]
    if len(branches) == 1:
        return counted[0]
    if all(exact for _, exact in counted):
        both = sa.union(*(sa.select(Application.id).where(*where, *branch) for branch in branches)).subquery()
        return db.session.scalar(sa.select(sa.func.count()).select_from(both)), True
    either = sa.or_(*(sa.and_(*branch) for branch in branches))
    return paging.rough_total(sa.select(Application.id).where(*where, either), max(n for n, _ in counted)), False


def application_page(user: User, filters: Filters, cursor: str | None = None, per_page: int = 50,
                     with_total: bool = False) -> paging.Page:
    """The filtered list: soonest due first when filtered by due time, else newest received first."""
    columns, descending = (BY_DUE, False) if filters.by_due else (BY_RECEPTION, True)
    return keyset_page(conditions(filters), scope_branches(user), columns, descending, cursor, per_page, with_total)


def inbox_page(user: User, cursor: str | None = None, per_page: int = 30, with_total: bool = False) -> paging.Page:
    """Open applications at the user's processing agency, soonest due first."""
    where = [status_in(AT_PROCESSING), Application.processing_agency_id.in_(sorted(user.visible_agency_ids()))]
    return keyset_page(where, [[]], BY_DUE, False, cursor, per_page, with_total)


def filtered(user: User, **filters):
    """The filtered list as one statement (ordered like application_page), for callers that take a few rows."""
    wanted = Filters(**filters)
    query = visible(user).where(*conditions(wanted)).options(*LIST_LOADS)
    columns, descending = (BY_DUE, False) if wanted.by_due else (BY_RECEPTION, True)
    return query.order_by(*paging.order(columns, descending))
