"""The benchmark cases: each takes (app, agencies, users, folder) and returns result rows."""
import random
import time
from datetime import datetime, timedelta

from onestop.extensions import db
from onestop.timeutil import VN, frozen_at

from .__main__ import summary, timed


def due_dates(app, agencies, users, folder):
    from onestop.calendar.services import load_calendar

    calendar = load_calendar()
    rng = random.Random(1)
    start = datetime(2026, 1, 1, tzinfo=VN)
    moments = [start + timedelta(minutes=rng.randint(0, 365 * 24 * 60)) for _ in range(20000)]
    units = [("working_days", 10), ("calendar_days", 15), ("working_hours", 8), ("same_day", 0)]
    began = time.perf_counter()
    for index, moment in enumerate(moments):
        unit, amount = units[index % 4]
        calendar.due_at(moment, amount, unit)
    per = (time.perf_counter() - began) / len(moments)
    return [summary("due time computed (mixed units)", [per], unit="µs", scale=1e6, note="20,000 moments")]


def catalogue(app, agencies, users, folder):
    from onestop.procedures.demo import load_catalogue

    load_catalogue(agencies)
    db.session.commit()
    return []


def reception(app, agencies, users, folder):
    from onestop.database import begin_write
    from onestop.procedures.models import Procedure
    from onestop.reception import printing, services

    clerk = users["clerk"]
    procedures = db.session.scalars(db.select(Procedure).where(Procedure.status == "in_force")).all()
    rng = random.Random(2)
    count = 500

    def one(index):
        procedure = rng.choice(procedures)
        data = {
            "procedure_code": procedure.code,
            "applicant": {"kind": "person", "name": "Nguyễn Thị Ngọc Ánh", "id_number": "015190001234",
                          "phone": "0912345678", "address": "Số 12, phường Hồng Hà, Yên Bái"},
            "documents": [d.name for d in procedure.current.documents] or ["Đơn đề nghị"],
        }
        begin_write()
        application, _ = services.receive_application(clerk, data)
        db.session.commit()
        return application

    began = time.perf_counter()
    made = [one(index) for index in range(count)]
    elapsed = time.perf_counter() - began
    rows = [{"name": "applications logged by one process (SQLite)", "unit": "/s", "n": count,
             "mean": round(count / elapsed, 1), "p95": None, "target": None,
             "note": "validation, code, due time, event, audit, commit each"}]

    application = made[-1]
    first = timed(lambda: printing.render_form(application, "receipt"), 1)
    rows.append(summary("receipt PDF, first in the process (fonts load)", first, target="< 1000 ms"))
    rows.append(summary("receipt PDF", timed(lambda: printing.render_form(application, "receipt"), 50),
                        target="< 1000 ms"))

    began = time.perf_counter()
    differences = list(services.verify_all())
    elapsed = time.perf_counter() - began
    rows.append({"name": "applications verify (recompute due times)", "unit": "/s", "n": count,
                 "mean": round(count / elapsed, 1), "p95": None, "target": None,
                 "note": f"{len(differences)} differences"})
    return rows


ALL = [due_dates, catalogue, reception]
