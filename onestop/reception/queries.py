"""Lists of applications scoped to what a user may see: queues, filters, the register."""
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa

from ..auth.models import Agency, User
from ..extensions import db
from ..procedures.models import Procedure, ProcedureVersion
from ..timeutil import VN, now
from .models import Application
from .services import OPEN_STATES


def visible(user: User):
    """Applications received by, or being processed at, an agency the user may see."""
    agency_ids = user.visible_agency_ids()
    return sa.select(Application).where(
        sa.or_(Application.agency_id.in_(agency_ids), Application.processing_agency_id.in_(agency_ids))
    )


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
    )


def awaiting_return(user: User):
    """Results ready at the desk, oldest first."""
    return (
        sa.select(Application)
        .where(Application.agency_id.in_(user.visible_agency_ids()), Application.status == "result_ready")
        .order_by(Application.result_at)
    )


def inbox(user: User):
    """Open applications at the user's processing agency, soonest due first."""
    query = sa.select(Application).where(
        Application.processing_agency_id.in_(user.visible_agency_ids()),
        Application.status.in_(sorted(OPEN_STATES - {"received"})),
    )
    return query.order_by(Application.due_at, Application.code)


def filtered(user: User, *, status=None, agency=None, procedure=None, received_from=None, received_to=None,
             overdue=None, q=None):
    """The API's and the list page's filters; unknown values simply match nothing."""
    query = visible(user)
    if status:
        query = query.where(Application.status == status)
    if agency:
        query = query.join(Agency, Agency.id == Application.agency_id).where(Agency.code == agency)
    if procedure:
        query = query.join(Procedure, Procedure.id == Application.procedure_id).where(Procedure.code == procedure)
    if received_from:
        query = query.where(Application.received_at >= day_bounds(received_from)[0])
    if received_to:
        query = query.where(Application.received_at < day_bounds(received_to)[1])
    if overdue is not None:
        late = sa.and_(Application.status.in_(sorted(OPEN_STATES - {"waiting_supplement"})), Application.due_at < now())
        query = query.where(late if overdue else sa.not_(late))
    if q:
        pattern = f"%{q.strip()}%"
        query = query.where(
            sa.or_(
                Application.code.ilike(pattern),
                Application.applicant_name.ilike(pattern),
                Application.applicant_id_number == q.strip(),
            )
        )
    return query.order_by(Application.received_at.desc(), Application.id.desc())


def register_rows(user: User, field: str | None, date_from: date, date_to: date):
    """Applications received in the period for a field (or all fields), in code order, for the register."""
    start, _ = day_bounds(date_from)
    _, end = day_bounds(date_to)
    query = (
        sa.select(Application)
        .join(ProcedureVersion, ProcedureVersion.id == Application.procedure_version_id)
        .where(Application.agency_id.in_(user.visible_agency_ids()))
        .where(Application.received_at >= start, Application.received_at < end)
        .order_by(Application.received_at, Application.code)
    )
    if field:
        query = query.where(ProcedureVersion.field == field)
    return db.session.scalars(query).all()
