"""Staff lists of complaints, scoped by agency like applications: keyset pages and one aggregate for the counts
(built for a province's years of complaints: nothing loads every row)."""
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa

from ...auth.models import User
from ...extensions import db
from ...timeutil import now
from ..models import Complaint
from ..supervision.periods import day_end, day_start

PAGE_SIZE = 50
STATUS_FILTERS = {
    "open": ("received", "in_handling"),
    "received": ("received",),
    "in_handling": ("in_handling",),
    "answered": ("answered",),
    "closed": ("closed",),
    "all": None,
}


def visible(user: User) -> sa.Select:
    return sa.select(Complaint).where(Complaint.agency_id.in_(user.visible_agency_ids()))


@dataclass
class Page:
    items: list
    next_after: str | None


def _cursor(complaint: Complaint) -> str:
    return f"{complaint.received_at.isoformat()}_{complaint.id}"


def _parse_cursor(value: str | None):
    try:
        moment, ident = (value or "").rsplit("_", 1)
        return datetime.fromisoformat(moment), int(ident)
    except ValueError:
        return None


def complaint_page(user: User, status: str = "open", overdue: bool = False, mine: bool = False,
                   after: str | None = None, size: int = PAGE_SIZE, received_from: date | None = None,
                   received_to: date | None = None) -> Page:
    """Newest first, one page after the cursor (received_at, id) of the last row shown; received within the days
    given, if any (Vietnam's days, as the indicators count)."""
    query = visible(user).options(sa.orm.joinedload(Complaint.agency), sa.orm.joinedload(Complaint.assignee))
    statuses = STATUS_FILTERS.get(status, STATUS_FILTERS["open"])
    if statuses:
        query = query.where(Complaint.status.in_(statuses))
    if overdue:
        query = query.where(Complaint.status.in_(STATUS_FILTERS["open"]), Complaint.due_at < now())
    if mine:
        query = query.where(Complaint.assignee_id == user.id)
    if received_from:
        query = query.where(Complaint.received_at >= day_start(received_from))
    if received_to:
        query = query.where(Complaint.received_at < day_end(received_to))
    cursor = _parse_cursor(after)
    if cursor:
        moment, ident = cursor
        query = query.where(sa.or_(Complaint.received_at < moment,
                                   sa.and_(Complaint.received_at == moment, Complaint.id < ident)))
    rows = db.session.scalars(query.order_by(Complaint.received_at.desc(), Complaint.id.desc()).limit(size + 1)).all()
    return Page(rows[:size], _cursor(rows[size - 1]) if len(rows) > size else None)


def counts(user: User) -> dict:
    """Complaints by status in the user's agencies, and the open ones past their deadline (one query)."""
    open_statuses = STATUS_FILTERS["open"]
    overdue = sa.case((sa.and_(Complaint.status.in_(open_statuses), Complaint.due_at < now()), 1), else_=0)
    rows = db.session.execute(
        sa.select(Complaint.status, sa.func.count(), sa.func.sum(overdue))
        .where(Complaint.agency_id.in_(user.visible_agency_ids()))
        .group_by(Complaint.status)
    ).all()
    found = {status: count for status, count, _late in rows}
    found["overdue"] = sum(late or 0 for _status, _count, late in rows)
    found["open"] = sum(found.get(status, 0) for status in open_statuses)
    return found
