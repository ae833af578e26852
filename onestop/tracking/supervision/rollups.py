"""Rollups: per agency × procedure version × day (and × month) counts that the indicators sum, kept current on
every write by a session hook, so the desk never calls tracking (reception never imports it).

What one application adds is `facts()`: counts on the day they happened (received by channel, resolved early /
on time / late, returned, refused, stopped, apologies, supplement requests, working days taken, ratings) and
stock *changes* (`d_open`, `d_paused`, `d_overdue`): the number of files open, paused or overdue at the end of a
day is the sum of the changes up to that day. Every figure therefore comes from the events' own dates, never from
"now": a closed period gives the same numbers whenever it is reported again. The files' attribution is their lead
agency (cơ quan chủ trì: the procedure's agency, or the receiving agency for a commune's own procedures), which
never changes. `recount.py` computes the same facts set-based in SQL (rebuild and check).
"""
from collections import Counter
from datetime import date, datetime, timezone
from functools import lru_cache

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Mapped, Session, mapped_column

from ...database import UTCDateTime
from ...extensions import db
from ...timeutil import local

COUNTS = (
    "received_in_person", "received_online", "received_postal",
    "resolved_early", "resolved_on_time", "resolved_late",
    "returned", "refused", "stopped", "apologised", "supplement_requested",
    "days_sum",  # working days from reception to result, summed over the files resolved that day
    "d_open", "d_paused", "d_overdue",  # stock changes: open, waiting for the applicant, overdue
    "rated_very_satisfied", "rated_satisfied", "rated_not_satisfied",
    # the electronic file (số hóa): on the reception day, a file with every required component digitised or
    # reused, and its components reused; on the day its file was attached, a result digitised
    "digitised", "results_digitised", "papers_reused",
    # on the reception day, a file whose reception the national portal accepted (onestop.outbox)
    "synced",
    # Decision 766 (index766_figures): files resolved early or on time whose supplement was requested twice or
    # more (the portal counts them late); stock changes of the open files asked twice or more, and of those also
    # overdue; on the result's digitised day, a file whose papers were digitised too; on the reception day, a file
    # that reused at least one paper
    "resolved_resupplied", "d_resupplied", "d_resupplied_overdue", "digitised_whole", "reusing",
)
STOCKS = ("d_open", "d_paused", "d_overdue", "d_resupplied", "d_resupplied_overdue")
OPEN_STATES = ("received", "transferred", "processing", "waiting_supplement")
# Rows with this procedure version hold the agency's totals over every version: a year of the province is then a
# few hundred rows to add, not thousands.
ALL_VERSIONS = 0
CLOSING = ("result_ready", "refuse", "stop")


def _count_column():
    return mapped_column(sa.Integer, default=0, server_default="0", nullable=False)


class Rollup(db.Model):
    """Counts of one lead agency and procedure version (ALL_VERSIONS: every version) on one day (grain 'd') or in
    one month (grain 'm', period = the month's first day)."""

    __tablename__ = "rollup"

    # Key order: the all-versions rows of a period range lie together in the index.
    grain: Mapped[str] = mapped_column(sa.String(1), primary_key=True)
    procedure_version_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    period: Mapped[date] = mapped_column(sa.Date, primary_key=True)
    agency_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    received_in_person: Mapped[int] = _count_column()
    received_online: Mapped[int] = _count_column()
    received_postal: Mapped[int] = _count_column()
    resolved_early: Mapped[int] = _count_column()
    resolved_on_time: Mapped[int] = _count_column()
    resolved_late: Mapped[int] = _count_column()
    returned: Mapped[int] = _count_column()
    refused: Mapped[int] = _count_column()
    stopped: Mapped[int] = _count_column()
    apologised: Mapped[int] = _count_column()
    supplement_requested: Mapped[int] = _count_column()
    days_sum: Mapped[int] = _count_column()
    d_open: Mapped[int] = _count_column()
    d_paused: Mapped[int] = _count_column()
    d_overdue: Mapped[int] = _count_column()
    rated_very_satisfied: Mapped[int] = _count_column()
    rated_satisfied: Mapped[int] = _count_column()
    rated_not_satisfied: Mapped[int] = _count_column()
    digitised: Mapped[int] = _count_column()
    results_digitised: Mapped[int] = _count_column()
    papers_reused: Mapped[int] = _count_column()
    synced: Mapped[int] = _count_column()
    resolved_resupplied: Mapped[int] = _count_column()
    d_resupplied: Mapped[int] = _count_column()
    d_resupplied_overdue: Mapped[int] = _count_column()
    digitised_whole: Mapped[int] = _count_column()
    reusing: Mapped[int] = _count_column()


class RollupDuration(db.Model):
    """How many files took `days` working days from reception to result (for the median)."""

    __tablename__ = "rollup_duration"

    # Key order: the all-versions rows of a period range lie together in the index.
    grain: Mapped[str] = mapped_column(sa.String(1), primary_key=True)
    procedure_version_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    period: Mapped[date] = mapped_column(sa.Date, primary_key=True)
    agency_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    days: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    files: Mapped[int] = _count_column()


class StageWatch(db.Model):
    """Where each open file is now and the deadline of that stage (the desk's hand-over, or a step's own): the
    board counts overdue steps from here without reading events."""

    __tablename__ = "stage_watch"

    application_id: Mapped[int] = mapped_column(sa.ForeignKey("application.id"), primary_key=True,
                                                autoincrement=False)
    agency_id: Mapped[int | None] = mapped_column(sa.ForeignKey("agency.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    unit: Mapped[str] = mapped_column(sa.String(255))
    since: Mapped[datetime] = mapped_column(UTCDateTime)
    deadline: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


class LateRecord(db.Model):
    """An event typed on a later day than it happened (from a paper record, an online file logged late): what
    explains a closed period's figure that changed after it was reported."""

    __tablename__ = "late_record"
    __table_args__ = (sa.Index("ix_late_record_agency_day", "agency_id", "day"),)

    event_id: Mapped[int] = mapped_column(sa.ForeignKey("application_event.id"), primary_key=True,
                                          autoincrement=False)
    application_id: Mapped[int] = mapped_column(sa.ForeignKey("application.id"))
    agency_id: Mapped[int] = mapped_column()  # lead agency
    procedure_version_id: Mapped[int] = mapped_column()
    type: Mapped[str] = mapped_column(sa.String(32))
    day: Mapped[date] = mapped_column(sa.Date)  # when it happened
    recorded_day: Mapped[date] = mapped_column(sa.Date)


# ---------------------------------------------------------------- what one application adds


def day_of(moment: datetime) -> date:
    return local(moment).date()


def month_of(day: date) -> date:
    return day.replace(day=1)


def facts(app, events, due_at: datetime, calendar, statutory_due: datetime | None = None):
    """(counts, durations) that one application adds: Counter {(day, column): n} and Counter {(day, days): n}.

    `app` has received_at, reception_moment and channel; `due_at` is its due time after every finished pause
    (the stored one); `statutory_due` is the due time before any pause, needed only when a pause was requested.
    A file is open from its reception day until the day of its result, refusal or stop; paused from the
    supplement request until the supplement (or the end); overdue at the end of a day when it is open, not
    paused and its due time (as it stood then) falls on or before that day.
    """
    counts, durations = Counter(), Counter()
    received = day_of(app.received_at)
    counts[(received, f"received_{app.channel}")] += 1
    counts[(received, "d_open")] += 1
    if app.papers_digitised:
        counts[(received, "digitised")] += 1
    if app.papers_reused:
        counts[(received, "papers_reused")] += app.papers_reused
        counts[(received, "reusing")] += 1
    if app.result_digitised_at is not None:
        counts[(day_of(app.result_digitised_at), "results_digitised")] += 1
        if app.papers_digitised:
            counts[(day_of(app.result_digitised_at), "digitised_whole")] += 1
    # With two requests or more (files keyed in from elsewhere: the desk allows one), the pause runs from the first
    # request to the last supplement: a file overdue between two pauses is not counted overdue then.
    closed = paused = resumed = resupplied = None
    requests = 0
    for item in events:
        day, kind = day_of(item.at), item.type
        if kind == "result_ready":
            timeliness = calendar.timeliness(item.at, due_at)
            counts[(day, "resolved_" + timeliness)] += 1
            if requests >= 2 and timeliness != "late":
                counts[(day, "resolved_resupplied")] += 1
            days = calendar.working_days_between(app.reception_moment, item.at)
            counts[(day, "days_sum")] += days
            durations[(day, days)] += 1
        elif kind == "return":
            counts[(day, "returned")] += 1
        elif kind in ("refuse", "stop"):
            counts[(day, "refused" if kind == "refuse" else "stopped")] += 1
            if item.from_status == "waiting_supplement":
                counts[(day, "d_paused")] -= 1
        elif kind == "apologise":
            counts[(day, "apologised")] += 1
        elif kind == "request_supplement":
            counts[(day, "supplement_requested")] += 1
            counts[(day, "d_paused")] += 1
            requests += 1
            paused, resumed = paused or day, None
            if requests == 2:
                resupplied = day
                counts[(day, "d_resupplied")] += 1
        elif kind == "supplement_received":
            counts[(day, "d_paused")] -= 1
            resumed = day
        if kind in CLOSING:
            closed = day
            counts[(day, "d_open")] -= 1
            if resupplied is not None:
                counts[(day, "d_resupplied")] -= 1
    if paused is None:
        _overdue_span(counts, received, day_of(due_at), closed)
    else:
        _overdue_span(counts, received, day_of(statutory_due or due_at), paused)
        if resumed is not None:
            _overdue_span(counts, resumed, day_of(due_at), closed)
            if resupplied is not None:
                _overdue_span(counts, resumed, day_of(due_at), closed, "d_resupplied_overdue")
    return counts, durations


def _overdue_span(counts: Counter, start: date, due_day: date, end: date | None, column: str = "d_overdue") -> None:
    """Overdue from the due day (not before `start`) until `end` (exclusive), if that is not empty."""
    begin = max(start, due_day)
    if end is None or begin < end:
        counts[(begin, column)] += 1
        if end is not None:
            counts[(end, column)] -= 1


def count_synced(connection, application_ids: list[int]) -> None:
    """The outbox's worker saw these files' receptions accepted by the national portal (each once): count them on
    their reception day (two statements for a batch)."""
    from ...procedures.models import ProcedureVersion
    from ...reception.models import Application

    if not application_ids:
        return
    rows = connection.execute(sa.select(
        Application.id, sa.func.coalesce(ProcedureVersion.agency_id, Application.agency_id),
        Application.procedure_version_id, Application.received_at)
        .join(ProcedureVersion, ProcedureVersion.id == Application.procedure_version_id)
        .where(Application.id.in_(sorted(set(application_ids))))).all()
    counts = Counter()
    for _id, agency_id, version_id, received_at in rows:
        if isinstance(received_at, str):  # SQLite hands a Core read's UTC moment back as text
            received_at = datetime.fromisoformat(received_at)
        if received_at.tzinfo is None:
            received_at = received_at.replace(tzinfo=timezone.utc)
        counts[((agency_id, version_id), day_of(received_at), "synced")] += 1
    write_counts(connection, counts)


# ---------------------------------------------------------------- the session hook


def _old_value(obj, name):
    history = sa.inspect(obj).attrs[name].history
    if history.deleted:
        return history.deleted[0]
    return getattr(obj, name)


class _Before:
    """The application as it stood before this flush (stored values), for the facts it had added."""

    def __init__(self, app):
        self.received_at = _old_value(app, "received_at")
        self.reception_moment = _old_value(app, "reception_moment")
        self.channel = _old_value(app, "channel")
        self.due_at = _old_value(app, "due_at")
        self.papers_digitised = _old_value(app, "papers_digitised")
        self.papers_reused = _old_value(app, "papers_reused")
        self.result_digitised_at = _old_value(app, "result_digitised_at")


def _application_delta(session, app, new_events, calendar, counts: Counter, durations: Counter) -> None:
    from ...procedures.models import ProcedureVersion
    from ...reception import deadlines

    version = session.get(ProcedureVersion, app.procedure_version_id)
    key = (version.agency_id or app.agency_id, version.id)
    events = list(app.events)
    statutory = None
    if any(item.type == "request_supplement" for item in events):
        statutory = deadlines.procedure_due(version, app.received_at, calendar)
    after, after_durations = facts(app, events, app.due_at, calendar, statutory)
    state = sa.inspect(app)
    if state.pending or state.transient:
        before, before_durations = Counter(), Counter()
    else:
        old_events = [item for item in events if item not in new_events]
        before, before_durations = facts(_Before(app), old_events, _old_value(app, "due_at"), calendar, statutory)
    for (day, column), n in (after - before).items():
        counts[(key, day, column)] += n
    for (day, column), n in (before - after).items():
        counts[(key, day, column)] -= n
    for (day, days), n in (after_durations - before_durations).items():
        durations[(key, day, days)] += n
    for (day, days), n in (before_durations - after_durations).items():
        durations[(key, day, days)] -= n


def _rating_delta(session, rating, counts: Counter) -> None:
    from ...procedures.models import ProcedureVersion
    from ...reception.models import Application

    app = session.get(Application, rating.application_id)
    version = session.get(ProcedureVersion, app.procedure_version_id)
    counts[((version.agency_id or app.agency_id, version.id), day_of(rating.at), f"rated_{rating.level}")] += 1


def stage_of(app, events, calendar, agency_name) -> dict:
    """The unit holding an open file and the deadline of its stage: the last hand-over's, else the desk's."""
    from ...calendar import rules

    for item in reversed(events):
        if item.type in ("transfer", "step"):
            data = item.data or {}
            return {"agency_id": data.get("to_agency_id"), "user_id": data.get("to_user_id"),
                    "unit": (data.get("to_unit") or "")[:255], "since": item.at,
                    "deadline": datetime.fromisoformat(data["deadline"]) if data.get("deadline") else app.due_at}
    return {"agency_id": app.agency_id, "user_id": None, "unit": agency_name[:255], "since": app.received_at,
            "deadline": rules.handover_deadline(calendar, app.reception_moment)}


def _before_flush(session, flush_context, instances):
    from ...auth.models import Agency
    from ...calendar.services import load_calendar
    from ...reception.models import Application, ApplicationEvent
    from ..models import Rating

    new_events = [obj for obj in session.new if isinstance(obj, ApplicationEvent)]
    touched = {obj for obj in session.new | session.dirty if isinstance(obj, Application)}
    touched.update(item.application for item in new_events if item.application is not None)
    ratings = [obj for obj in session.new if isinstance(obj, Rating)]
    if not touched and not ratings:
        return
    counts, durations, stages = Counter(), Counter(), []
    with session.no_autoflush:
        calendar = load_calendar()
        for app in touched:
            _application_delta(session, app, set(new_events), calendar, counts, durations)
            if app.status in OPEN_STATES:
                agency = session.get(Agency, app.agency_id)
                stages.append((app, stage_of(app, list(app.events), calendar, agency.name if agency else "")))
            else:
                stages.append((app, None))
        for rating in ratings:
            _rating_delta(session, rating, counts)
    pending = session.info.setdefault("rollup_pending", [])
    pending.append((counts, durations, stages, new_events))


def _after_flush(session, flush_context):
    pending = session.info.pop("rollup_pending", None)
    if not pending:
        return
    connection = session.connection()
    for counts, durations, stages, new_events in pending:
        write_counts(connection, counts)
        write_durations(connection, durations)
        write_stages(connection, stages)
        write_late_records(session, connection, new_events)


@lru_cache(maxsize=32)
def _upsert_statement(dialect: str, table, keys: tuple, values: tuple):
    """Built once per table and dialect: every write then reuses it (and its compiled form)."""
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    statement = insert(table)
    return statement.on_conflict_do_update(
        index_elements=list(keys), set_={name: table.c[name] + statement.excluded[name] for name in values})


def _upsert_add(connection, table, keys, values, rows) -> None:
    """Add each row's values to the stored ones (a missing row starts at zero), in key order (no deadlocks)."""
    if not rows:
        return
    statement = _upsert_statement(connection.dialect.name, table, tuple(keys), tuple(values))
    rows.sort(key=lambda row: tuple(str(row[name]) for name in keys))
    connection.execute(statement, rows)


def write_counts(connection, counts: Counter) -> None:
    by_row: dict = {}
    for ((agency_id, version_id), day, column), n in counts.items():
        if not n:
            continue
        for grain, period in (("d", day), ("m", month_of(day))):
            for version in (version_id, ALL_VERSIONS):
                row = by_row.setdefault((grain, period, agency_id, version), {
                    "grain": grain, "period": period, "agency_id": agency_id, "procedure_version_id": version,
                    **{name: 0 for name in COUNTS}})
                row[column] += n
    _upsert_add(connection, Rollup.__table__, ["grain", "period", "agency_id", "procedure_version_id"], COUNTS,
                list(by_row.values()))


def write_durations(connection, durations: Counter) -> None:
    by_row: dict = {}
    for ((agency_id, version_id), day, days), n in durations.items():
        if not n:
            continue
        for grain, period in (("d", day), ("m", month_of(day))):
            for version in (version_id, ALL_VERSIONS):
                key = (grain, period, agency_id, version, days)
                row = by_row.setdefault(key, {"grain": grain, "period": period, "agency_id": agency_id,
                                              "procedure_version_id": version, "days": days, "files": 0})
                row["files"] += n
    _upsert_add(connection, RollupDuration.__table__,
                ["grain", "period", "agency_id", "procedure_version_id", "days"], ("files",), list(by_row.values()))


def write_stages(connection, stages) -> None:
    table = StageWatch.__table__
    gone = [app.id for app, stage in stages if stage is None]
    if gone:
        connection.execute(table.delete().where(table.c.application_id.in_(gone)))
    rows = [{"application_id": app.id, **stage} for app, stage in stages if stage is not None]
    if rows:
        connection.execute(_stage_statement(connection.dialect.name), sorted(rows, key=lambda row: row["application_id"]))


@lru_cache(maxsize=4)
def _stage_statement(dialect: str):
    """The stage upsert, built once per dialect."""
    table = StageWatch.__table__
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    statement = insert(table)
    return statement.on_conflict_do_update(
        index_elements=["application_id"],
        set_={name: statement.excluded[name] for name in ("agency_id", "user_id", "unit", "since", "deadline")})


def write_late_records(session, connection, new_events) -> None:
    from ...procedures.models import ProcedureVersion

    rows = []
    for item in new_events:
        recorded = item.recorded_at or item.at
        if day_of(recorded) <= day_of(item.at):
            continue
        app = item.application
        version = session.get(ProcedureVersion, app.procedure_version_id)
        rows.append({"event_id": item.id, "application_id": app.id, "agency_id": version.agency_id or app.agency_id,
                     "procedure_version_id": version.id, "type": item.type, "day": day_of(item.at),
                     "recorded_day": day_of(recorded)})
    if rows:
        connection.execute(LateRecord.__table__.insert(), rows)


event.listen(Session, "before_flush", _before_flush)
event.listen(Session, "after_flush", _after_flush)
