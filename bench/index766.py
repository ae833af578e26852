"""Decision 766 at province scale (issue 19): the index of the province and every unit below it for a year, ranked
with the previous year, from the rollups; beside it a hand-written SQL aggregate of the same year's on-time and
online figures straight from the applications (what the index would cost without rollups), and the check that
the index from the rollups equals the index after a full recount (`recount.rebuild` in a transaction rolled back).

`python -m bench.index766 [YEAR]` on DATABASE_URL (a copy of the 1,000,000-application province, migrated and
rebuilt); `make bench` runs it inside the scale run (bench/scale.py).
"""
import os
import statistics
import sys
import time
from datetime import date, datetime, timezone

import sqlalchemy as sa

REPEAT = 21

# The year's figures per lead agency, straight from the applications: received, online, resolved, resolved by
# the due time, still open at the year's end, and of those not yet due then.
REFERENCE = """
SELECT COALESCE(v.agency_id, a.agency_id) AS agency_id,
  SUM(CASE WHEN a.received_at >= :start AND a.received_at < :end THEN 1 ELSE 0 END) AS received,
  SUM(CASE WHEN a.received_at >= :start AND a.received_at < :end AND a.channel = 'online' THEN 1 ELSE 0 END),
  SUM(CASE WHEN a.result_at >= :start AND a.result_at < :end THEN 1 ELSE 0 END) AS resolved,
  SUM(CASE WHEN a.result_at >= :start AND a.result_at < :end AND a.result_at <= a.due_at THEN 1 ELSE 0 END),
  SUM(CASE WHEN COALESCE(a.result_at, a.closed_at) IS NULL OR COALESCE(a.result_at, a.closed_at) >= :end
      THEN 1 ELSE 0 END) AS open_at_end,
  SUM(CASE WHEN (COALESCE(a.result_at, a.closed_at) IS NULL OR COALESCE(a.result_at, a.closed_at) >= :end)
      AND a.due_at >= :end THEN 1 ELSE 0 END) AS not_yet_due
FROM application a JOIN procedure_version v ON v.id = a.procedure_version_id
WHERE a.received_at < :end AND (a.result_at >= :start OR a.closed_at >= :start
                                OR (a.result_at IS NULL AND a.closed_at IS NULL))
GROUP BY COALESCE(v.agency_id, a.agency_id)"""


def timed(fn, repeat: int = REPEAT) -> dict:
    """Median and spread (10th and 90th percentile, min, max) in ms."""
    from .scale import samples_ms

    samples = samples_ms(fn, repeat)
    deciles = statistics.quantiles(samples, n=10)
    return {"median": round(statistics.median(samples), 2), "p10": round(deciles[0], 2),
            "p90": round(deciles[-1], 2), "min": round(min(samples), 2), "max": round(max(samples), 2)}


def measure(year: int, code: str = "000.00.00.H38", recount_check: bool = True) -> dict:
    from onestop.extensions import db
    from onestop.timeutil import VN
    from onestop.tracking.supervision import indicators, recount
    from onestop.tracking.supervision.index766 import index_for

    agency, ids = indicators.scope_of(code)
    start, end = date(year, 1, 1), date(year, 12, 31)
    bounds = {"start": datetime(year, 1, 1, tzinfo=VN).astimezone(timezone.utc),
              "end": datetime(year + 1, 1, 1, tzinfo=VN).astimezone(timezone.utc)}

    def app():
        db.session.rollback()
        return index_for(agency, ids, start, end, units=True)

    found = {"app": timed(app), "reference": timed(lambda: (db.session.rollback(),
                                                            db.session.execute(sa.text(REFERENCE), bounds).all()))}
    kept = app()
    found["units"] = len(kept["units"])
    found["total"], found["max"], found["band"] = kept["total"], kept["max"], kept["band"]
    on_time = next(i for g in kept["groups"] for i in g["indicators"] if i["code"] == "on_time")
    found["on_time"] = [on_time["numerator"], on_time["denominator"]]
    rows = db.session.execute(sa.text(REFERENCE), bounds).all()
    found["reference_on_time_denominator"] = sum(int(row.resolved) + int(row.open_at_end) for row in rows)
    if recount_check:
        began = time.perf_counter()
        recount.rebuild()  # a full recount, in this transaction: rolled back below
        found["recounted_equal"] = index_for(agency, ids, start, end, units=True) == kept
        db.session.rollback()
        found["recount_seconds"] = round(time.perf_counter() - began, 1)
    return found


def compared_rows(found: dict, year: int) -> list[dict]:
    """The result rows bench/scale.py prints (app beside reference)."""
    from .scale import compared

    app, reference = found["app"], found["reference"]
    return [compared(
        f"index 766, province and {found['units']} units, {year}", app["median"], reference["median"], most=50,
        note=(f"spread p10–p90 {app['p10']}–{app['p90']} ms (reference {reference['p10']}–{reference['p90']}); "
              f"reference: hand-written SQL of the year's on-time and online figures from the applications; "
              f"equals a full recount: {found.get('recounted_equal')}"))]


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    import json

    from onestop import create_app
    from onestop.config import normalise_database_url

    wanted = int(sys.argv[1]) if len(sys.argv) > 1 else 2025
    flask_app = create_app({"TESTING": True, "SECRET_KEY": "bench",
                            "SQLALCHEMY_DATABASE_URI": normalise_database_url(os.environ["DATABASE_URL"])})
    with flask_app.app_context():
        load = os.getloadavg()
        result = measure(wanted, recount_check=os.environ.get("BENCH_RECOUNT", "1") == "1")
        result["load_before"], result["load_after"] = [round(v, 2) for v in load], [round(v, 2)
                                                                                       for v in os.getloadavg()]
        print(json.dumps(result, ensure_ascii=False, indent=1))
