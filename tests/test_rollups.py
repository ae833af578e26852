"""The rollups kept on every write equal a full recount, also after random back-dated events typed from paper."""
import random
from datetime import datetime, timedelta

import sqlalchemy as sa

from onestop.calendar.services import load_calendar
from onestop.extensions import db
from onestop.reception import lifecycle
from onestop.reception.validation import ReceptionError
from onestop.timeutil import VN, frozen_at
from onestop.tracking.supervision import recount
from onestop.tracking.supervision.rollups import COUNTS, Rollup, RollupDuration, StageWatch

from .factories import make_procedure, receive
from .tracking_world import rate


def try_event(app, user, kind, at, recorded, **data):
    """Record an event dated `at` as if typed in at `recorded` (later, from a paper record, with the reason that
    back-dating needs)."""
    reason = "Ghi lại từ sổ theo dõi giấy." if at < recorded else None
    with frozen_at(recorded):
        try:
            lifecycle.record_event(app, user, kind, at=at, backdate_reason=reason, **data)
        except ReceptionError:
            db.session.rollback()
            return False
    db.session.commit()
    return True


def test_rollups_match_a_full_recount_after_random_back_dated_events(world):
    rng = random.Random(9)
    department = world.agencies["000.00.04.H38"]
    procedures = [
        make_procedure(code="2.000488", amount=3, unit="working_days", agency=department),
        make_procedure(code="2.000505", amount=10, unit="calendar_days", agency=department, name="Thủ tục B"),
        make_procedure(code="1.001776", amount=12, unit="working_hours", agency=None, level="commune",
                       name="Thủ tục C", field="Bảo trợ xã hội"),
    ]
    clerk, officer, commune = world.users["clerk"], world.users["officer"], world.users["clerk.yenbai"]
    for head in (clerk, officer, commune):  # heads of their units: they may date events back to earlier days
        head.roles = head.roles | {"supervisor"}
    db.session.commit()
    calendar = load_calendar()
    start = datetime(2025, 1, 6, 8, 0, tzinfo=VN)
    apps = []
    for index in range(45):
        moment = start + timedelta(days=rng.randint(0, 80), hours=rng.randint(0, 9), minutes=rng.randint(0, 59))
        procedure = rng.choice(procedures)
        desk = commune if procedure.current.level == "commune" else clerk
        channel = rng.choice(["in_person", "online", "postal"])
        app = receive(desk, procedure, moment, channel=channel) if channel == "in_person" else receive(
            desk, procedure, moment + timedelta(days=rng.choice([0, 0, 3, 12])), channel=channel, received_at=moment)
        apps.append((app, desk))
    for app, desk in apps:
        worker = desk if desk is commune else officer
        at = app.received_at
        for kind in rng.choice([
            ["transfer", "result_ready", "return"],
            ["transfer", "request_supplement", "supplement_received", "result_ready"],
            ["transfer", "request_supplement", "refuse"],
            ["transfer", "apologise", "result_ready", "return"],
            ["transfer", "step", "request_supplement", "supplement_received"],
            ["stop"], ["transfer"], ["transfer", "request_supplement"],
        ]):
            at = at + timedelta(days=rng.choice([0, 1, 2, 3, 6, 9]), hours=rng.randint(1, 5))
            recorded = at + timedelta(days=rng.choice([0, 0, 0, 2, 20, 40]))
            data = {}
            user = desk if kind in ("transfer", "return", "stop") else worker
            if kind == "request_supplement":
                data = {"items": ["Bản sao giấy tờ"], "reason": "Thiếu."}
            elif kind == "supplement_received":
                user = desk
            elif kind == "apologise":
                data = {"reason": "Chậm.", "new_due_at": app.due_at + timedelta(days=5)}
                at = min(at, calendar.close_of_day(calendar.add_working_days(at.astimezone(VN).date(), 0)))
            elif kind == "refuse":
                data = {"reasons": ["Không đủ điều kiện."]}
            elif kind == "stop":
                data = {"request": "Rút hồ sơ."}
            elif kind == "step":
                data = {"to_agency": department.code if desk is clerk else commune.agency.code, "working_days": 1}
            if not try_event(app, user, kind, at, recorded, **data):
                break
        if app.status == "returned" and rng.random() < 0.5:
            rate(app, rng.choice(["very_satisfied", "satisfied", "not_satisfied"]), app.returned_at + timedelta(hours=2))
            db.session.commit()
    statuses = {app.status for app, _ in apps}
    assert {"returned", "waiting_supplement", "refused", "stopped", "transferred"} <= statuses
    assert recount.check() == []
    kept = table_rows(Rollup, COUNTS), table_rows(RollupDuration, ("files",)), stages()
    db.session.execute(sa.update(Rollup).where(Rollup.grain == "d").values(d_overdue=Rollup.d_overdue + 1))
    assert any("kept, not recounted" in line for line in recount.check())  # the check does see a drift
    db.session.rollback()
    recount.rebuild()
    db.session.commit()
    assert (table_rows(Rollup, COUNTS), table_rows(RollupDuration, ("files",)), stages()) == kept


def table_rows(model, values):
    keys = [column for column in model.__table__.primary_key.columns]
    rows = db.session.execute(sa.select(*keys, *[model.__table__.c[name] for name in values])).all()
    return sorted(tuple(row) for row in rows if any(row[len(keys):]))


def stages():
    return sorted((row.application_id, row.agency_id, row.user_id, row.deadline) for row in
                  db.session.scalars(sa.select(StageWatch)))


def test_the_commands_rebuild_and_check_the_rollups(world, runner):
    procedure = make_procedure(code="2.000488", amount=3, unit="working_days", agency=world.agencies["000.00.04.H38"])
    receive(world.users["clerk"], procedure, datetime(2025, 3, 3, 9, 0, tzinfo=VN))
    checked = runner.invoke(args=["indicators", "check"])
    assert checked.exit_code == 0 and "khớp" in checked.output
    db.session.execute(sa.delete(Rollup))
    db.session.commit()
    broken = runner.invoke(args=["indicators", "check"])
    assert broken.exit_code != 0 and "recounted, not kept" in broken.output
    rebuilt = runner.invoke(args=["indicators", "rebuild"])
    assert rebuilt.exit_code == 0 and "Đã đếm lại" in rebuilt.output
    assert runner.invoke(args=["indicators", "check"]).exit_code == 0
