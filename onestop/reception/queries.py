"""Lists of applications scoped to what a user may see: queues, filters, the register."""
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa

from .. import settings
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


DUE_FILTERS = ("overdue", "today", "soon", "paused", "open")
RUNNING_STATES = ("received", "transferred", "processing")  # open, the clock running


def due_bounds(moment: datetime | None = None) -> tuple[datetime, datetime]:
    """The end of today and the end of the due-soon window (the next N working days after today, N from the
    settings), as Vietnam midnights: the board and the lists cut the days at the same moments."""
    from ..calendar.services import load_calendar

    today = (moment or now()).astimezone(VN).date()
    soon = load_calendar().add_working_days(today, int(settings.get("due_soon_working_days")))
    return day_bounds(today)[1], day_bounds(soon)[1]


def due_condition(due: str, moment: datetime | None = None):
    """overdue | today (due later today) | soon (after today, within the due-soon window) | paused (waiting for
    the applicant, whose clock stands still and so is none of the others) | open (all of them and the rest)."""
    if due == "paused":
        return Application.status == "waiting_supplement"
    if due == "open":
        return Application.status.in_(RUNNING_STATES + ("waiting_supplement",))
    moment = moment or now()
    end_of_today, end_of_soon = due_bounds(moment)
    running = Application.status.in_(RUNNING_STATES)
    windows = {"overdue": Application.due_at < moment,
               "today": sa.and_(Application.due_at >= moment, Application.due_at < end_of_today),
               "soon": sa.and_(Application.due_at >= end_of_today, Application.due_at < end_of_soon)}
    return sa.and_(running, windows[due]) if due in windows else sa.false()


def filtered(user: User, *, status=None, agency=None, procedure=None, received_from=None, received_to=None,
             overdue=None, q=None, due=None, handled_by=None):
    """The API's and the list page's filters; unknown values simply match nothing. `handled_by` is an agency
    code: files whose processing agency is it or one below it; `due` one of DUE_FILTERS, ordered by due time."""
    query = visible(user)
    if handled_by:
        handler = db.session.scalar(sa.select(Agency).filter_by(code=handled_by))
        query = query.where(Application.processing_agency_id.in_(sorted(handler.descendant_ids()) if handler else []))
    if due:
        return query.where(due_condition(due)).order_by(Application.due_at, Application.id)
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
