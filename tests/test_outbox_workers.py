"""Issue 18: the outbox under real workers (`flask --app wsgi outbox work` in their own processes): two at once on
PostgreSQL deliver every update exactly once and in order after the portal comes back; a worker killed with SIGKILL
in the middle of a delivery loses nothing."""
import os
import signal
import subprocess
import sys
import time
from collections import defaultdict
from datetime import datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

from onestop.extensions import db
from onestop.outbox.models import OutboxMessage
from onestop.timeutil import VN

from . import outside_servers
from .factories import make_procedure
from .test_outbox import a_whole_life

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def portal(app):
    portal = outside_servers.serve(outside_servers.Portal())
    app.config.update(**portal.settings())
    yield portal
    outside_servers.stop(portal)


def start_worker(app, portal, *extra):
    env = {**os.environ, "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"], "SECRET_KEY": "test",
           "ONESTOP_OUTBOX_RETRY_SECONDS": "1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1", "ONESTOP_OUTBOX_TIMEOUT": "60",
           "PYTHONPATH": str(ROOT), **{f"ONESTOP_{name}": value for name, value in portal.settings().items()}}
    return subprocess.Popen([sys.executable, "-m", "flask", "--app", "wsgi", "outbox", "work", "--idle", "0.2",
                             "--batch", "10", *extra], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)


def states() -> dict:
    db.session.rollback()  # a new snapshot: SQLite's WAL keeps an open read transaction's view
    return dict(db.session.execute(sa.select(OutboxMessage.state, sa.func.count()).group_by(OutboxMessage.state)).all())


def wait_for(condition, seconds=60.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


@pytest.mark.skipif(not os.environ.get("ONESTOP_TEST_DATABASE_URL"), reason="several workers run on PostgreSQL; "
                    "on SQLite one worker runs")
def test_two_workers_with_the_portal_down_for_a_while_deliver_every_update_once_and_in_order(app, world, portal):
    procedure = make_procedure(code="1.001193.H62", amount=10, agency=world.agencies["000.00.04.H38"])
    codes = [a_whole_life(world, procedure, notify=False).code for _ in range(12)]
    assert states() == {"pending": 84}
    portal.mode = "fail"
    workers = [start_worker(app, portal), start_worker(app, portal)]
    try:
        time.sleep(3)  # both workers meet a portal that answers 503
        assert portal.calls == [] and states().get("sent") is None
        portal.mode = "ok"
        assert wait_for(lambda: states() == {"sent": 84}), states()
    finally:
        for worker in workers:
            worker.send_signal(signal.SIGTERM)
        for worker in workers:
            worker.wait(20)
    assert portal.problems == []
    assert len(portal.calls) == len(set(portal.keys_seen)) == 84  # nothing twice
    by_file = defaultdict(list)
    for call in portal.calls:
        by_file[call["data"]["MaHoSo"]].append((call["service"], call["data"].get("TrangThaiHoSo",
                                                                                  call["data"].get("TrangThai"))))
    assert sorted(by_file) == sorted(codes)
    assert all(steps == [("ThemMoiHoSo", 2), ("CapNhatTienDoHoSo", 4), ("CapNhatHoSo", 5), ("CapNhatHoSo", 4),
                         ("CapNhatTienDoHoSo", 4), ("CapNhatHoSo", 9), ("CapNhatHoSo", 10)]
               for steps in by_file.values())


def test_a_worker_killed_mid_delivery_loses_nothing(app, world, portal):
    procedure = make_procedure(code="1.001193.H62", amount=10, agency=world.agencies["000.00.04.H38"])
    from .factories import receive

    application = receive(world.users["clerk"], procedure, datetime(2026, 10, 5, 9, 0, tzinfo=VN))
    portal.mode, portal.hang_seconds = "hang", 30
    worker = start_worker(app, portal)
    try:
        assert portal.hung.wait(30), worker.stderr.read1().decode() if worker.poll() is not None else "no call came"
        worker.send_signal(signal.SIGKILL)  # in the middle of the call, its transaction open
        worker.wait(10)
    finally:
        if worker.poll() is None:
            worker.kill()
    assert states() == {"pending": 1}
    portal.mode = "ok"
    again = start_worker(app, portal, "--once")
    assert again.wait(60) == 0, again.stderr.read().decode()
    assert states() == {"sent": 1}
    assert [call["data"]["MaHoSo"] for call in portal.calls] == [application.code]
