"""Bench cases for the supervisors' side: the yearly province indicators and the board, each beside a hand-written
SQL query for the same answer, on a province generated in bulk here (or on the rows already in the database).

`python -m bench.tracking N` alone generates N applications into DATABASE_URL (PostgreSQL or SQLite), rebuilds
the rollups and prints the timings; `make bench` runs it at a small N on SQLite as one of its cases.
"""
import os
import random
import statistics
import sys
import time
from datetime import date, datetime, timedelta, timezone

import sqlalchemy as sa

from onestop.extensions import db
from onestop.timeutil import VN

END = datetime(2026, 11, 27, 17, 0, tzinfo=VN)  # the generated province's "now"


def median_ms(fn, repeat=21) -> float:
    samples = []
    for _ in range(repeat):
        began = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - began) * 1000)
    return round(statistics.median(samples), 2)


def generate(count: int, seed: int = 9, days: int = 730) -> int:
    """`count` applications with their events over `days` days before END, written with executemany (the rollups
    are recounted afterwards, as the scale helper's generator does)."""
    from onestop.auth.models import Agency, User
    from onestop.calendar.services import load_calendar
    from onestop.procedures.models import Procedure, ProcedureVersion
    from onestop.reception import deadlines
    from onestop.reception.models import Application, ApplicationEvent

    rng = random.Random(seed)
    calendar = load_calendar()
    versions = db.session.scalars(sa.select(ProcedureVersion).join(Procedure, Procedure.current_version_id ==
                                                                   ProcedureVersion.id)).all()
    agencies = {agency.code: agency for agency in db.session.scalars(sa.select(Agency))}
    desk = agencies["000.00.01.H38"]
    communes = [agency for agency in agencies.values() if agency.level == "commune"]
    clerk = db.session.scalar(sa.select(User).filter_by(username="clerk"))
    working = [day for day in (END.date() - timedelta(days=offset) for offset in range(1, days))
               if calendar.is_working_day(day)]
    next_id = (db.session.scalar(sa.select(sa.func.max(Application.id))) or 0) + 1
    apps, events, made = [], [], 0
    app_table, event_table = Application.__table__, ApplicationEvent.__table__
    sequence: dict = {}
    for index in range(count):
        version = rng.choice(versions)
        receiving = rng.choice(communes) if version.level == "commune" else desk
        day = rng.choice(working)
        start, end = rng.choice(calendar.windows(day))
        received = start + timedelta(seconds=rng.randint(0, int((end - start).total_seconds()) - 60))
        moment = calendar.reception_moment(received)
        due = deadlines.procedure_due(version, received, calendar)
        number = sequence[(receiving.id, day)] = sequence.get((receiving.id, day), 0) + 1
        app_id = next_id + index
        processing = version.agency_id or receiving.id
        row = {"id": app_id, "code": f"{receiving.code}-{day:%y%m%d}-{number:04d}", "agency_id": receiving.id,
               "procedure_id": version.procedure_id, "procedure_version_id": version.id,
               "processing_agency_id": processing, "assignee_id": None, "applicant_kind": "person",
               "applicant_name": "Nguyễn Văn An", "applicant_id_number": "015190001234", "channel": rng.choices(
                   ["in_person", "online", "postal"], [65, 30, 5])[0], "documents": [], "sets": 1,
               "received_at": received, "reception_moment": moment, "due_at": due, "status": "received",
               "tracking_key": "B" * 12, "created_at": received, "result_at": None, "returned_at": None,
               "closed_at": None, "apology_due_at": None}
        trail = [("receive", received, None, "received", {"channel": row["channel"]})]
        at = calendar.add_working_time(moment, timedelta(hours=1))
        trail.append(("transfer", at, "received", "transferred",
                      {"to_agency_id": processing, "to_unit": "Đơn vị xử lý", "deadline": due.isoformat()}))
        fate = rng.random()
        recent = (END - received).days < 20
        if fate < 0.1:
            pause_start = calendar.add_working_time(at, timedelta(hours=rng.randint(2, 20)))
            trail.append(("request_supplement", pause_start, "transferred", "waiting_supplement", {"items": ["x"]}))
            if recent and fate < 0.03:
                pass  # still waiting
            else:
                pause_end = calendar.add_working_time(pause_start, timedelta(hours=rng.randint(4, 40)))
                trail.append(("supplement_received", pause_end, "waiting_supplement", "processing", {}))
                due = calendar.pause_extension(due, pause_start, pause_end, version.time_unit)
                row["due_at"] = due
        status = trail[-1][3]
        if status != "waiting_supplement" and not (recent and fate > 0.6):
            last = trail[-1][1]
            if fate > 0.97:
                trail.append(("refuse", last + timedelta(hours=2), status, "refused", {"reasons": ["x"]}))
            elif fate > 0.95:
                trail.append(("stop", last + timedelta(hours=2), status, "stopped", {"request": "x"}))
            else:
                spread = (due - last).total_seconds() * rng.uniform(0.2, 1.25) if due > last else 3600
                result = max(last + timedelta(hours=1), last + timedelta(seconds=spread))
                if result <= END:
                    trail.append(("result_ready", result, status, "result_ready", {}))
                    row["result_at"] = result
                    back = result + timedelta(hours=rng.randint(1, 50))
                    if back <= END and rng.random() < 0.85:
                        trail.append(("return", back, "result_ready", "returned", {"method": "at_desk"}))
                        row["returned_at"] = row["closed_at"] = back
        last_kind, last_at, _, status, _ = trail[-1]
        row["status"] = status
        if status in ("refused", "stopped"):
            row["closed_at"] = last_at
        apps.append(row)
        for seq, (kind, when, before, after, data) in enumerate(trail, start=1):
            events.append({"application_id": app_id, "seq": seq, "type": kind, "at": when, "recorded_at": when,
                           "user_id": clerk.id, "from_status": before, "to_status": after, "note": None,
                           "data": data or None})
        if len(apps) >= 5000:
            db.session.execute(app_table.insert(), apps)
            db.session.execute(event_table.insert(), events)
            made += len(apps)
            apps, events = [], []
    if apps:
        db.session.execute(app_table.insert(), apps)
        db.session.execute(event_table.insert(), events)
        made += len(apps)
    if db.engine.dialect.name == "postgresql":
        db.session.execute(sa.text("SELECT setval(pg_get_serial_sequence('application', 'id'), "
                                   "(SELECT MAX(id) FROM application))"))
    db.session.commit()
    return made


REFERENCE_INDICATORS = """
SELECT
  SUM(CASE WHEN a.received_at >= :start AND a.received_at < :end AND a.channel = 'in_person' THEN 1 ELSE 0 END),
  SUM(CASE WHEN a.received_at >= :start AND a.received_at < :end AND a.channel = 'online' THEN 1 ELSE 0 END),
  SUM(CASE WHEN a.received_at >= :start AND a.received_at < :end AND a.channel = 'postal' THEN 1 ELSE 0 END),
  SUM(CASE WHEN a.result_at >= :start AND a.result_at < :end AND a.result_at > a.due_at THEN 1 ELSE 0 END),
  SUM(CASE WHEN a.result_at >= :start AND a.result_at < :end AND a.result_at <= a.due_at THEN 1 ELSE 0 END),
  SUM(CASE WHEN a.returned_at >= :start AND a.returned_at < :end THEN 1 ELSE 0 END),
  SUM(CASE WHEN a.status = 'refused' AND a.closed_at >= :start AND a.closed_at < :end THEN 1 ELSE 0 END),
  SUM(CASE WHEN a.status = 'stopped' AND a.closed_at >= :start AND a.closed_at < :end THEN 1 ELSE 0 END),
  SUM(CASE WHEN a.received_at < :end AND (COALESCE(a.result_at, a.closed_at) IS NULL
      OR COALESCE(a.result_at, a.closed_at) >= :end) THEN 1 ELSE 0 END)
FROM application a"""

REFERENCE_BOARD = """
SELECT processing_agency_id,
  SUM(CASE WHEN status <> 'waiting_supplement' AND due_at < :now THEN 1 ELSE 0 END),
  SUM(CASE WHEN status <> 'waiting_supplement' AND due_at >= :now AND due_at < :today_end THEN 1 ELSE 0 END),
  SUM(CASE WHEN status <> 'waiting_supplement' AND due_at >= :today_end AND due_at < :soon_end THEN 1 ELSE 0 END),
  SUM(CASE WHEN status = 'waiting_supplement' THEN 1 ELSE 0 END)
FROM application WHERE status IN ('received', 'transferred', 'processing', 'waiting_supplement')
GROUP BY processing_agency_id"""


def measure(year: int | None = None) -> list[dict]:
    """Time the yearly province indicators and the board, each beside its hand-written SQL, in the same run."""
    from onestop.reception.queries import due_bounds
    from onestop.timeutil import frozen_at
    from onestop.tracking.supervision import indicators, recount, watch

    rows = []
    count = db.session.scalar(sa.select(sa.func.count()).select_from(sa.table("application")))
    began = time.perf_counter()
    recount.rebuild()
    db.session.commit()
    rows.append({"name": f"indicators rebuild ({count:,} applications)", "unit": "s", "n": 1,
                 "mean": round(time.perf_counter() - began, 2), "p95": None, "target": None, "note": ""})
    year = year or END.year - 1
    start, end = date(year, 1, 1), date(year, 12, 31)
    agency, ids = indicators.scope_of("000.00.00.H38")
    bounds = {"start": datetime(year, 1, 1, tzinfo=VN).astimezone(timezone.utc),
              "end": datetime(year + 1, 1, 1, tzinfo=VN).astimezone(timezone.utc)}
    with frozen_at(END):
        ours = median_ms(lambda: (db.session.rollback(), indicators.figures(agency, ids, start, end, moment=END)))
        reference = median_ms(lambda: (db.session.rollback(), db.session.execute(sa.text(REFERENCE_INDICATORS),
                                                                                  bounds).all()))
        rows.append({"name": f"yearly province indicators {year}", "unit": "ms", "n": 21, "mean": ours, "p95": None,
                     "target": "≤ 20 ms", "note": f"hand-written SQL aggregate: {reference} ms"})
        visible = set(indicators.tree().agencies)
        today_end, soon_end = due_bounds(END)
        board = median_ms(lambda: (db.session.rollback(), watch.board(visible, END)))
        params = {"now": END, "today_end": today_end, "soon_end": soon_end}
        board_sql = median_ms(lambda: (db.session.rollback(), db.session.execute(sa.text(REFERENCE_BOARD),
                                                                                 params).all()))
        rows.append({"name": "supervisor board (whole province)", "unit": "ms", "n": 21, "mean": board,
                     "p95": None, "target": "≤ 50 ms", "note": f"hand-written SQL (files only): {board_sql} ms"})
    return rows


def measure_units(year: int, repeat: int = 7) -> list[dict]:
    """The PAR INDEX ranking's figures (read only): every unit of each group counted alone (one figures() call per
    unit, as before) and in one grouped pass (indicators.units_figures), beside one figures() call for the whole
    province (the floor of any grouped pass), for the official year."""
    from onestop.par_index import rounds
    from onestop.tracking.supervision import indicators

    start, end = indicators.official_period("year", year)
    province, ids = indicators.scope_of(indicators.tree().agencies[min(indicators.tree().children[None])]["code"])
    rows = []
    with_province = median_ms(lambda: (db.session.rollback(), indicators.figures(province, ids, start, end,
                                                                                 moment=END)), repeat)
    for group in ("departments", "communes"):
        codes = [agency.code for agency in rounds.units(group)]
        scopes = [indicators.scope_of(code) for code in codes]
        alone = median_ms(lambda: (db.session.rollback(), [indicators.figures(agency, agency_ids, start, end,
                                                                              moment=END)
                                                           for agency, agency_ids in scopes]), repeat)
        together = median_ms(lambda: (db.session.rollback(), indicators.units_figures(codes, start, end,
                                                                                       moment=END)), repeat)
        rows.append({"name": f"PAR INDEX ranking figures, {len(codes)} {group}", "unit": "ms", "n": repeat,
                     "mean": together, "p95": None, "target": None,
                     "note": f"one unit at a time: {alone} ms; whole province once: {with_province} ms"})
    return rows


def case(app, agencies, users, folder):
    """The bench case: a small generated province on the bench's SQLite (BENCH_TRACKING_N, default 20,000)."""
    count = int(os.environ.get("BENCH_TRACKING_N", "20000"))
    began = time.perf_counter()
    made = generate(count)
    rows = [{"name": f"generate {made:,} applications with events (executemany)", "unit": "s", "n": 1,
             "mean": round(time.perf_counter() - began, 2), "p95": None, "target": None, "note": ""}]
    return rows + measure() + measure_units(END.year)


def read_only(url: str, year: int) -> None:
    """`python -m bench.tracking --units URL [YEAR]`: the PAR INDEX case alone on an existing province, writing
    nothing (the 1,000,000-application province is read only)."""
    from onestop import create_app

    app = create_app({"TESTING": True, "SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        for row in measure_units(year):
            print(f"{row['name']:<48} {row['mean']:>9} {row['unit']:<3} {row['note']}")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--units"]:
        sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
        read_only(sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else END.year)
        sys.exit(0)
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    from onestop import create_app, demo
    from onestop.procedures.demo import load_catalogue

    wanted = int(sys.argv[1]) if len(sys.argv) > 1 else 50000
    app = create_app({"TESTING": True, "SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI":
                      os.environ["DATABASE_URL"].replace("postgresql://", "postgresql+psycopg://"),
                      "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"})
    with app.app_context():
        db.create_all()
        if not db.session.scalar(sa.select(sa.func.count()).select_from(sa.table("agency"))):
            agencies = demo.load_agencies()
            demo.load_users(agencies)
            load_catalogue(agencies)
            db.session.commit()
        have = db.session.scalar(sa.select(sa.func.count()).select_from(sa.table("application")))
        if have < wanted:
            began = time.perf_counter()
            print(f"generated {generate(wanted - have)} in {time.perf_counter() - began:.1f} s")
        for row in measure():
            print(f"{row['name']:<48} {row['mean']:>9} {row['unit']:<3} {row['target'] or '':<9} {row['note']}")
