"""The rollups recounted from scratch, set-based in SQL (`flask --app wsgi indicators rebuild`), and the check
that the rollups kept by the session hook equal a full recount (`indicators check`).

The SQL states the same facts as `rollups.facts()`, from the stored columns the events determine (result_at,
returned_at, closed_at, due_at) and the few events the columns do not keep (apologies and the pause). Only two
things come from Python, because they need the working calendar: the working-day number of each day (for the
working days taken) and, for files that paused, the due time before the pause.
"""
from datetime import date, datetime, time, timedelta, timezone
from types import SimpleNamespace

import sqlalchemy as sa

from ...extensions import db
from ...timeutil import local
from .rollups import ALL_VERSIONS, COUNTS, LateRecord, Rollup, RollupDuration, StageWatch, stage_of

OPEN = "('received', 'transferred', 'processing', 'waiting_supplement')"


class Dialect:
    """The few expressions SQLite and PostgreSQL write differently (Vietnam has no summer time: +7 h)."""

    def __init__(self, name: str):
        self.pg = name == "postgresql"

    def day(self, column: str) -> str:
        return (f"CAST(timezone('Asia/Ho_Chi_Minh', {column}) AS date)" if self.pg
                else f"date({column}, '+7 hours')")

    def month(self, column: str) -> str:
        return f"CAST(date_trunc('month', {column}) AS date)" if self.pg else f"strftime('%Y-%m-01', {column})"

    def greatest(self, a: str, b: str) -> str:
        return f"GREATEST({a}, {b})" if self.pg else f"max({a}, {b})"

    def temp(self, name: str, select: str) -> str:
        return f"CREATE TEMP TABLE {name} AS {select}"


def _fact(source: str, day: str, where: str | None = None, **values) -> str:
    columns = ", ".join(f"{values.get(name, '0')} AS {name}" for name in COUNTS)
    return (f"SELECT x.agency_id AS agency_id, x.version_id AS version_id, {day} AS day, {columns} FROM {source}"
            + (f" WHERE {where}" if where else ""))


def _drop_scratch(connection) -> None:
    for name in ("rc_wd", "rc_app", "rc_event", "rc_pause", "rc_due0", "rc_rollup", "rc_duration", "rc_paper",
                 "rc_result", "rc_sync", "rc_req2"):
        connection.exec_driver_sql(f"DROP TABLE IF EXISTS {name}")


def _prepare(connection, calendar, d: Dialect) -> None:
    """Scratch tables: the applications with their days, the pause, the due time before it, working-day numbers."""
    from ...reception import deadlines

    _drop_scratch(connection)
    connection.exec_driver_sql(d.temp("rc_app", f"""
        SELECT a.id AS id, COALESCE(v.agency_id, a.agency_id) AS agency_id, a.procedure_version_id AS version_id,
               {d.day('a.received_at')} AS received_day, a.channel AS channel, a.due_at AS due_at,
               {d.day('a.due_at')} AS due_day, {d.day('a.reception_moment')} AS start_day,
               a.result_at AS result_at, {d.day('a.result_at')} AS result_day,
               {d.day('a.returned_at')} AS returned_day, a.status AS status,
               {d.day('COALESCE(a.result_at, a.closed_at)')} AS closed_day,
               a.received_at AS received_at, v.time_amount AS time_amount, v.time_unit AS time_unit,
               v.same_day_cutoff AS same_day_cutoff
        FROM application a JOIN procedure_version v ON v.id = a.procedure_version_id"""))
    # the electronic file, from the papers themselves (not the application's summary columns the hook counts);
    # a migration older than the papers' tables recounts without them
    if not sa.inspect(connection).has_table("application_paper"):
        connection.exec_driver_sql("CREATE TEMP TABLE rc_paper (application_id INTEGER, papers INTEGER, "
                                   "reused INTEGER, required_covered INTEGER, required INTEGER)")
        connection.exec_driver_sql("CREATE TEMP TABLE rc_result (application_id INTEGER, day DATE)")
    else:
        connection.exec_driver_sql(d.temp("rc_paper", """
            SELECT ap.application_id AS application_id, COUNT(*) AS papers,
                   SUM(CASE WHEN ap.reused THEN 1 ELSE 0 END) AS reused,
                   SUM(CASE WHEN pd.required THEN 1 ELSE 0 END) AS required_covered,
                   MIN(r.required) AS required
            FROM application_paper ap JOIN application a ON a.id = ap.application_id
            LEFT JOIN procedure_document pd ON pd.version_id = a.procedure_version_id AND pd.position = ap.position
            LEFT JOIN (SELECT version_id, SUM(CASE WHEN required THEN 1 ELSE 0 END) AS required
                       FROM procedure_document GROUP BY version_id) r ON r.version_id = a.procedure_version_id
            GROUP BY ap.application_id"""))
        connection.exec_driver_sql(d.temp("rc_result", f"""
            SELECT application_id, {d.day('digitised_at')} AS day FROM result_document
            WHERE stored_paper_id IS NOT NULL AND digitised_at IS NOT NULL"""))
    # the national portal: a file counts as synchronised once its reception was accepted there (the outbox's rows)
    if sa.inspect(connection).has_table("outbox_message"):
        connection.exec_driver_sql(d.temp("rc_sync", """
            SELECT DISTINCT application_id FROM outbox_message
            WHERE channel = 'portal' AND event_type = 'receive' AND state = 'sent'"""))
    else:
        connection.exec_driver_sql("CREATE TEMP TABLE rc_sync (application_id INTEGER)")
    connection.exec_driver_sql(d.temp("rc_event", f"""
        SELECT e.application_id AS application_id, e.type AS type, e.seq AS seq, {d.day('e.at')} AS day
        FROM application_event e WHERE e.type IN ('apologise', 'request_supplement', 'supplement_received')"""))
    # the pause runs from the first request to the last supplement, if that came after the last request
    # (rollups.facts: a file keyed in with two requests or more)
    connection.exec_driver_sql(d.temp("rc_pause", """
        SELECT application_id,
               MIN(CASE WHEN type = 'request_supplement' THEN day END) AS paused_day,
               CASE WHEN MAX(CASE WHEN type = 'supplement_received' THEN seq END)
                         > MAX(CASE WHEN type = 'request_supplement' THEN seq END)
                    THEN MAX(CASE WHEN type = 'supplement_received' THEN day END) END AS resumed_day,
               SUM(CASE WHEN type = 'request_supplement' THEN 1 ELSE 0 END) AS requests
        FROM rc_event WHERE type IN ('request_supplement', 'supplement_received') GROUP BY application_id"""))
    connection.exec_driver_sql(d.temp("rc_req2", """
        SELECT e.application_id AS application_id, MIN(e.day) AS resupplied_day
        FROM rc_event e JOIN (SELECT application_id, MIN(seq) AS first_seq FROM rc_event
                              WHERE type = 'request_supplement' GROUP BY application_id) f
             ON f.application_id = e.application_id AND e.seq > f.first_seq
        WHERE e.type = 'request_supplement' GROUP BY e.application_id"""))
    connection.exec_driver_sql("CREATE TEMP TABLE rc_due0 (application_id INTEGER PRIMARY KEY, due0_day DATE)")
    connection.exec_driver_sql("CREATE TEMP TABLE rc_wd (day DATE PRIMARY KEY, w INTEGER)")
    if d.pg:
        for name in ("rc_app", "rc_pause"):
            key = "id" if name == "rc_app" else "application_id"
            connection.exec_driver_sql(f"CREATE INDEX ON {name} ({key})")
            connection.exec_driver_sql(f"ANALYZE {name}")
    rows = connection.exec_driver_sql("""
        SELECT a.id, a.received_at, a.time_amount, a.time_unit, a.same_day_cutoff
        FROM rc_app a JOIN rc_pause p ON p.application_id = a.id WHERE p.paused_day IS NOT NULL""")
    due0 = []
    for app_id, received_at, amount, unit, cutoff in rows:
        version = SimpleNamespace(time_amount=amount, time_unit=unit, same_day_cutoff=_as_time(cutoff))
        due = deadlines.procedure_due(version, _moment(received_at), calendar)
        due0.append({"application_id": app_id, "due0_day": local(due).date()})
    if due0:
        connection.execute(sa.text("INSERT INTO rc_due0 (application_id, due0_day) VALUES (:application_id, :due0_day)"),
                           due0)
    first, last = connection.exec_driver_sql(
        "SELECT MIN(start_day), MAX(result_day) FROM rc_app").one()
    if first is not None:
        first, last = _as_date(first), _as_date(last or first)
        day, number, rows = first - timedelta(days=1), 0, []
        while day <= last:
            day += timedelta(days=1)
            number += calendar.is_working_day(day)
            rows.append({"day": day, "w": number})
        connection.execute(sa.text("INSERT INTO rc_wd (day, w) VALUES (:day, :w)"), rows)


def _moment(value) -> datetime:
    """A stored UTC moment as the driver hands it back (SQLite: text without offset)."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


def _as_date(value):
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def _as_time(value):
    if value is None or isinstance(value, time):
        return value
    return time.fromisoformat(str(value)[:8])


def _facts_sql(d: Dialect) -> str:
    """Every fact of every application, as rows (agency, version, day, counts…)."""
    app = "rc_app x"
    paused = "rc_app x LEFT JOIN rc_pause p ON p.application_id = x.id LEFT JOIN rc_due0 z ON z.application_id = x.id"
    due_a = "CASE WHEN p.paused_day IS NULL THEN x.due_day ELSE z.due0_day END"
    end_a = "COALESCE(p.paused_day, x.closed_day)"
    start_a = d.greatest("x.received_day", due_a)
    start_c = d.greatest("p.resumed_day", "x.due_day")
    closed = "x.status IN ('refused', 'stopped')"
    whole = "q.papers > 0 AND q.required_covered = COALESCE(q.required, 0)"  # every required paper digitised
    parts = [
        _fact(app, "x.received_day", None, d_open="1",
              received_in_person="CASE WHEN x.channel = 'in_person' THEN 1 ELSE 0 END",
              received_online="CASE WHEN x.channel = 'online' THEN 1 ELSE 0 END",
              received_postal="CASE WHEN x.channel = 'postal' THEN 1 ELSE 0 END"),
        _fact("rc_app x JOIN rc_wd s ON s.day = x.start_day JOIN rc_wd r ON r.day = x.result_day "
              "LEFT JOIN rc_pause p ON p.application_id = x.id", "x.result_day",
              "x.result_at IS NOT NULL", d_open="-1", days_sum="r.w - s.w",
              resolved_resupplied="CASE WHEN x.result_at <= x.due_at AND p.requests >= 2 THEN 1 ELSE 0 END",
              resolved_late="CASE WHEN x.result_at > x.due_at THEN 1 ELSE 0 END",
              resolved_early="CASE WHEN x.result_at <= x.due_at AND x.result_day < x.due_day THEN 1 ELSE 0 END",
              resolved_on_time="CASE WHEN x.result_at <= x.due_at AND x.result_day >= x.due_day THEN 1 ELSE 0 END"),
        _fact(app, "x.returned_day", "x.status = 'returned'", returned="1"),
        _fact(paused, "x.closed_day", closed, d_open="-1",
              refused="CASE WHEN x.status = 'refused' THEN 1 ELSE 0 END",
              stopped="CASE WHEN x.status = 'stopped' THEN 1 ELSE 0 END",
              d_paused="CASE WHEN p.paused_day IS NOT NULL AND p.resumed_day IS NULL THEN -1 ELSE 0 END"),
        _fact("rc_event e JOIN rc_app x ON x.id = e.application_id", "e.day", None,
              apologised="CASE WHEN e.type = 'apologise' THEN 1 ELSE 0 END",
              supplement_requested="CASE WHEN e.type = 'request_supplement' THEN 1 ELSE 0 END",
              d_paused="CASE WHEN e.type = 'request_supplement' THEN 1 "
                       "WHEN e.type = 'supplement_received' THEN -1 ELSE 0 END"),
        _fact(paused, start_a, f"{end_a} IS NULL OR {start_a} < {end_a}", d_overdue="1"),
        _fact(paused, end_a, f"{end_a} IS NOT NULL AND {start_a} < {end_a}", d_overdue="-1"),
        _fact(paused, start_c, f"p.resumed_day IS NOT NULL AND (x.closed_day IS NULL OR {start_c} < x.closed_day)",
              d_overdue="1"),
        _fact(paused, "x.closed_day", f"p.resumed_day IS NOT NULL AND x.closed_day IS NOT NULL "
                                      f"AND {start_c} < x.closed_day", d_overdue="-1"),
        _fact("rc_paper q JOIN rc_app x ON x.id = q.application_id", "x.received_day", None,
              digitised=f"CASE WHEN {whole} THEN 1 ELSE 0 END", papers_reused="q.reused",
              reusing="CASE WHEN q.reused > 0 THEN 1 ELSE 0 END"),
        _fact("rc_result r JOIN rc_app x ON x.id = r.application_id LEFT JOIN rc_paper q ON q.application_id = x.id",
              "r.day", None, results_digitised="1", digitised_whole=f"CASE WHEN {whole} THEN 1 ELSE 0 END"),
        # Decision 766: the open files asked twice or more, and those of them overdue (after the last supplement)
        _fact("rc_req2 q JOIN rc_app x ON x.id = q.application_id", "q.resupplied_day", None, d_resupplied="1"),
        _fact("rc_req2 q JOIN rc_app x ON x.id = q.application_id", "x.closed_day", "x.closed_day IS NOT NULL",
              d_resupplied="-1"),
        _fact(paused, start_c, f"p.requests >= 2 AND p.resumed_day IS NOT NULL "
                               f"AND (x.closed_day IS NULL OR {start_c} < x.closed_day)", d_resupplied_overdue="1"),
        _fact(paused, "x.closed_day", f"p.requests >= 2 AND p.resumed_day IS NOT NULL AND x.closed_day IS NOT NULL "
                                      f"AND {start_c} < x.closed_day", d_resupplied_overdue="-1"),
        _fact("rc_sync y JOIN rc_app x ON x.id = y.application_id", "x.received_day", None, synced="1"),
        _fact("rating g JOIN rc_app x ON x.id = g.application_id", d.day("g.at"), None,
              **{f"rated_{level}": f"CASE WHEN g.level = '{level}' THEN 1 ELSE 0 END"
                 for level in ("very_satisfied", "satisfied", "not_satisfied")}),
    ]
    sums = ", ".join(f"SUM({name}) AS {name}" for name in COUNTS)
    return (f"SELECT agency_id, version_id, day, {sums} FROM ({' UNION ALL '.join(parts)}) f "
            f"GROUP BY agency_id, version_id, day")


def _durations_sql() -> str:
    return ("SELECT x.agency_id AS agency_id, x.version_id AS version_id, x.result_day AS day, r.w - s.w AS days, "
            "COUNT(*) AS files FROM rc_app x JOIN rc_wd s ON s.day = x.start_day JOIN rc_wd r ON r.day = x.result_day "
            "WHERE x.result_at IS NOT NULL GROUP BY x.agency_id, x.version_id, x.result_day, r.w - s.w")


def calendar_on(connection):
    """The working calendar read through one connection (a migration's: the session must not open another)."""
    from ...calendar.models import CalendarOverride, WorkingHours
    from ...calendar.working_time import Hours, WorkingCalendar

    overrides = {row.day: row.kind for row in connection.execute(sa.select(CalendarOverride.day, CalendarOverride.kind))}
    hours = [Hours(*row) for row in connection.execute(
        sa.select(WorkingHours.valid_from, WorkingHours.morning_start, WorkingHours.morning_end,
                  WorkingHours.afternoon_start, WorkingHours.afternoon_end).order_by(WorkingHours.valid_from))]
    return WorkingCalendar(overrides, hours or None)


REBUILD_STEPS, CHECK_STEPS = 8, 7  # what a Progress given to rebuild and check counts to


def _stepper(progress):
    """A step done, named: advances `progress` (onestop.progress.Progress) when one is given."""
    return (lambda note: progress.advance(1, note=note)) if progress is not None else (lambda note: None)


def rebuild(calendar=None, connection=None, progress=None) -> dict:
    """Recount every rollup, the open files' stages and the late records from the applications and their events,
    in the caller's transaction (or on the connection given: a migration's). Returns each table's row count."""
    from ...calendar.services import load_calendar

    step = _stepper(progress)

    if connection is not None:
        calendar = calendar or calendar_on(connection)
    calendar = calendar or load_calendar()
    connection = connection or db.session.connection()
    d = Dialect(connection.dialect.name)
    _prepare(connection, calendar, d)
    step("hồ sơ và ngày làm việc")
    kept = {column["name"] for column in sa.inspect(connection).get_columns("rollup")}
    names = [name for name in COUNTS if name in kept]  # a migration's rollup table may predate some counts
    columns = ", ".join(names)
    for table in ("rollup", "rollup_duration", "late_record", "stage_watch"):
        connection.exec_driver_sql(f"DELETE FROM {table}")
    step("xoá số liệu cũ")
    connection.exec_driver_sql(
        f"INSERT INTO rollup (grain, period, agency_id, procedure_version_id, {columns}) "
        f"SELECT 'd', day, agency_id, version_id, {columns} FROM ({_facts_sql(d)}) t")
    step("số liệu từng ngày")
    sums = ", ".join(f"SUM({name})" for name in names)
    connection.exec_driver_sql(
        f"INSERT INTO rollup (grain, period, agency_id, procedure_version_id, {columns}) "
        f"SELECT 'd', period, agency_id, {ALL_VERSIONS}, {sums} FROM rollup WHERE grain = 'd' "
        f"GROUP BY period, agency_id")
    connection.exec_driver_sql(
        f"INSERT INTO rollup (grain, period, agency_id, procedure_version_id, {columns}) "
        f"SELECT 'm', {d.month('period')}, agency_id, procedure_version_id, {sums} FROM rollup WHERE grain = 'd' "
        f"GROUP BY {d.month('period')}, agency_id, procedure_version_id")
    step("số liệu từng tháng")
    connection.exec_driver_sql(
        "INSERT INTO rollup_duration (grain, period, agency_id, procedure_version_id, days, files) "
        f"SELECT 'd', day, agency_id, version_id, days, files FROM ({_durations_sql()}) t")
    connection.exec_driver_sql(
        "INSERT INTO rollup_duration (grain, period, agency_id, procedure_version_id, days, files) "
        f"SELECT 'd', period, agency_id, {ALL_VERSIONS}, days, SUM(files) FROM rollup_duration WHERE grain = 'd' "
        "GROUP BY period, agency_id, days")
    connection.exec_driver_sql(
        "INSERT INTO rollup_duration (grain, period, agency_id, procedure_version_id, days, files) "
        f"SELECT 'm', {d.month('period')}, agency_id, procedure_version_id, days, SUM(files) FROM rollup_duration "
        f"WHERE grain = 'd' GROUP BY {d.month('period')}, agency_id, procedure_version_id, days")
    step("thời gian giải quyết")
    connection.exec_driver_sql(
        "INSERT INTO late_record (event_id, application_id, agency_id, procedure_version_id, type, day, recorded_day) "
        f"SELECT e.id, e.application_id, x.agency_id, x.version_id, e.type, {d.day('e.at')}, {d.day('e.recorded_at')} "
        f"FROM application_event e JOIN rc_app x ON x.id = e.application_id "
        f"WHERE {d.day('e.recorded_at')} > {d.day('e.at')}")
    step("sự kiện ghi muộn")
    rebuild_stages(calendar, connection)
    step("hồ sơ đang giải quyết")
    _drop_scratch(connection)
    if d.pg:  # fresh tables: give the planner their statistics now, not when autovacuum comes round
        connection.exec_driver_sql("ANALYZE rollup, rollup_duration, stage_watch, late_record")
    step("thống kê cho cơ sở dữ liệu")
    return {table.__tablename__: connection.scalar(sa.select(sa.func.count()).select_from(table))
            for table in (Rollup, RollupDuration, StageWatch, LateRecord)}


def rebuild_stages(calendar, connection) -> None:
    """Where each open file is now: read once from the open files' last hand-over (open files are few)."""
    from ...auth.models import Agency
    from ...reception.models import Application, ApplicationEvent
    from .rollups import write_stages

    names = dict(connection.execute(sa.select(Agency.id, Agency.name)).all())
    open_states = ("received", "transferred", "processing", "waiting_supplement")
    last = (sa.select(ApplicationEvent.application_id, sa.func.max(ApplicationEvent.seq).label("seq"))
            .join(Application, Application.id == ApplicationEvent.application_id)
            .where(ApplicationEvent.type.in_(("transfer", "step")), Application.status.in_(open_states))
            .group_by(ApplicationEvent.application_id).subquery())
    rows = connection.execute(
        sa.select(Application.id, Application.agency_id, Application.received_at, Application.reception_moment,
                  Application.due_at, ApplicationEvent.type, ApplicationEvent.at, ApplicationEvent.data)
        .outerjoin(last, last.c.application_id == Application.id)
        .outerjoin(ApplicationEvent, sa.and_(ApplicationEvent.application_id == Application.id,
                                             ApplicationEvent.seq == last.c.seq))
        .where(Application.status.in_(open_states))).all()
    batch = []
    for app_id, agency_id, received_at, moment, due_at, kind, at, data in rows:
        app = SimpleNamespace(id=app_id, agency_id=agency_id, received_at=received_at, reception_moment=moment,
                              due_at=due_at)
        events = [SimpleNamespace(type=kind, at=at, data=data)] if kind else []
        batch.append((app, stage_of(app, events, calendar, names.get(agency_id, ""))))
        if len(batch) >= 2000:
            write_stages(connection, batch)
            batch = []
    write_stages(connection, batch)


def _sums_differing(connection, summed: str, kept: str, limit: int):
    """Rows of a sum over finer rollup rows that the kept coarser rows do not hold (a sum of all zeros is no
    difference: nothing was kept for it), at most `limit`."""
    nonzero = " OR ".join(f"{name} <> 0" for name in COUNTS)
    return connection.exec_driver_sql(f"SELECT * FROM ({summed} EXCEPT {kept}) t WHERE {nonzero} LIMIT {limit}")


def check(calendar=None, limit: int = 50, progress=None) -> list[str]:
    """Differences between the rollups as kept and a full recount (empty when they agree)."""
    from ...calendar.services import load_calendar

    step = _stepper(progress)
    calendar = calendar or load_calendar()
    connection = db.session.connection()
    d = Dialect(connection.dialect.name)
    _prepare(connection, calendar, d)
    step("hồ sơ và ngày làm việc")
    columns = ", ".join(COUNTS)
    nonzero = " OR ".join(f"{name} <> 0" for name in COUNTS)
    connection.exec_driver_sql(d.temp("rc_rollup", f"SELECT agency_id, version_id, day, {columns} "
                                                   f"FROM ({_facts_sql(d)}) t"))
    step("đếm lại từng ngày")
    kept = (f"SELECT agency_id, procedure_version_id, period, {columns} FROM rollup "
            f"WHERE grain = 'd' AND procedure_version_id <> {ALL_VERSIONS} AND ({nonzero})")
    recounted = f"SELECT agency_id, version_id, day, {columns} FROM rc_rollup WHERE {nonzero}"
    differences = []
    for label, first, second in (("kept, not recounted", kept, recounted), ("recounted, not kept", recounted, kept)):
        for row in connection.exec_driver_sql(f"SELECT * FROM ({first} EXCEPT {second}) t LIMIT {limit}"):
            differences.append(f"{label}: agency {row[0]} version {row[1]} day {row[2]}: "
                               + ", ".join(f"{name}={value}" for name, value in zip(COUNTS, row[3:]) if value))
    step("so sánh từng ngày")
    sums = ", ".join(f"SUM({name}) AS {name}" for name in COUNTS)
    months = (f"SELECT {d.month('period')} AS period, agency_id, procedure_version_id, {sums} FROM rollup WHERE grain = 'd' "
              f"GROUP BY {d.month('period')}, agency_id, procedure_version_id")
    kept_months = f"SELECT period, agency_id, procedure_version_id, {columns} FROM rollup WHERE grain = 'm'"
    for row in _sums_differing(connection, months, kept_months, limit):
        differences.append(f"month {row[0]} agency {row[1]} version {row[2]} differs from its days")
    step("so sánh từng tháng")
    every = (f"SELECT grain, period, agency_id, {sums} FROM rollup WHERE procedure_version_id <> {ALL_VERSIONS} "
             f"GROUP BY grain, period, agency_id")
    kept_every = f"SELECT grain, period, agency_id, {columns} FROM rollup WHERE procedure_version_id = {ALL_VERSIONS}"
    for row in _sums_differing(connection, every, kept_every, limit):
        differences.append(f"{row[0]} {row[1]} agency {row[2]}: the all-versions row differs from its versions")
    step("so sánh tổng các phiên bản")
    connection.exec_driver_sql(d.temp("rc_duration", f"SELECT agency_id, version_id, day, days, files "
                                                     f"FROM ({_durations_sql()}) t"))
    step("đếm lại thời gian giải quyết")
    for label, first, second in (
            ("durations kept, not recounted",
             "SELECT agency_id, procedure_version_id, period, days, files FROM rollup_duration "
             f"WHERE grain = 'd' AND procedure_version_id <> {ALL_VERSIONS} AND files <> 0",
             "SELECT agency_id, version_id, day, days, files FROM rc_duration"),
            ("durations recounted, not kept",
             "SELECT agency_id, version_id, day, days, files FROM rc_duration",
             "SELECT agency_id, procedure_version_id, period, days, files FROM rollup_duration "
             f"WHERE grain = 'd' AND procedure_version_id <> {ALL_VERSIONS} AND files <> 0")):
        for row in connection.exec_driver_sql(f"SELECT * FROM ({first} EXCEPT {second}) t LIMIT {limit}"):
            differences.append(f"{label}: {tuple(row)}")
    step("so sánh thời gian giải quyết")
    _drop_scratch(connection)
    return differences
