"""`flask --app wsgi backup DEST` takes a consistent copy while clerks keep working; the copy restores and
`applications verify` finds it whole (issue 11, part 8)."""
import shutil
import subprocess
import threading
import uuid
from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from onestop import create_app
from onestop.auth.models import User
from onestop.extensions import db
from onestop.procedures.models import Procedure
from onestop.reception.models import Application, ApplicationEvent
from onestop.timeutil import VN
from tests import conftest
from tests.factories import make_procedure, receive


def desk_keeps_logging(app, clerk_id, procedure_id, logged, stop):
    """A clerk at another desk logs an application after another, in a thread of its own (another worker)."""
    with app.app_context():
        clerk, procedure = db.session.get(User, clerk_id), db.session.get(Procedure, procedure_id)
        moment = datetime(2026, 10, 6, 8, 0, tzinfo=VN)
        while not stop.is_set() and len(logged) < 400:
            logged.append(receive(clerk, procedure, moment + timedelta(minutes=len(logged))).code)
        db.session.remove()


@pytest.fixture
def restored(tmp_path):
    """Restore a backup file into a database of its own and yield an app on it."""
    made = []

    def restore(dest):
        if conftest.PG_URL is None:
            config = conftest.test_config(tmp_path, SQLALCHEMY_DATABASE_URI=f"sqlite:///{dest}")
        else:
            url = make_url(conftest.test_config(tmp_path)["SQLALCHEMY_DATABASE_URI"])
            name = f"{url.database}_restore_{uuid.uuid4().hex[:8]}"
            server = sa.create_engine(url, isolation_level="AUTOCOMMIT")
            with server.connect() as connection:
                connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
            made.append((server, name))
            target = url.set(database=name)
            libpq = target._replace(drivername="postgresql", password=None).render_as_string(hide_password=False)
            env = {"PGPASSWORD": url.password} if url.password else {}
            subprocess.run(["pg_restore", "--no-owner", "--dbname", libpq, str(dest)], check=True,
                           env={**__import__("os").environ, **env}, capture_output=True)
            config = conftest.test_config(tmp_path, SQLALCHEMY_DATABASE_URI=target.render_as_string(False))
        return create_app(config)

    yield restore
    for server, name in made:
        with server.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        server.dispose()


def test_a_backup_taken_while_a_desk_keeps_logging_restores_whole_and_verifies(app, world, runner, tmp_path,
                                                                                 restored):
    if conftest.PG_URL and not shutil.which("pg_dump"):
        pytest.skip("pg_dump is not installed")
    birth = make_procedure(agency=world.agencies["000.00.04.H38"])
    clerk = world.users["clerk"]
    for minute in range(5):
        receive(clerk, birth, datetime(2026, 10, 5, 9, minute, tzinfo=VN))
    logged, stop = [], threading.Event()
    desk = threading.Thread(target=desk_keeps_logging, args=(app, clerk.id, birth.id, logged, stop))
    desk.start()
    while len(logged) < 3 and desk.is_alive():
        threading.Event().wait(0.01)
    dest = tmp_path / "backup" / "onestop-2026-10-06.backup"
    try:
        taken = runner.invoke(args=["backup", str(dest)])
    finally:
        stop.set()
        desk.join()
    assert taken.exit_code == 0, taken.output
    assert "Đã sao lưu" in taken.output and dest.exists()

    copy = restored(dest)
    with copy.app_context():
        codes = db.session.scalars(sa.select(Application.code).order_by(Application.code)).all()
        without_events = db.session.scalar(sa.select(sa.func.count()).select_from(Application).where(
            ~sa.exists().where(ApplicationEvent.application_id == Application.id)))
        verified = copy.test_cli_runner().invoke(args=["applications", "verify"])
        db.session.remove()
        db.engine.dispose()
    assert 5 + 3 <= len(codes) <= 5 + len(logged)  # a moment while the desk was at work
    assert without_events == 0
    day = [int(code.rsplit("-", 1)[1]) for code in codes if "-261006-" in code]
    assert day == list(range(1, len(day) + 1))  # the copy's codes of that day run without a gap
    assert verified.exit_code == 0 and "Mọi hồ sơ khớp" in verified.output


def test_a_backup_never_overwrites_a_file_unless_told(app, runner, tmp_path):
    dest = tmp_path / "old.backup"
    dest.write_text("last week's copy")
    refused = runner.invoke(args=["backup", str(dest)])
    assert refused.exit_code == 1 and "thêm --force để ghi đè" in refused.output
    assert dest.read_text() == "last week's copy"


def test_without_pg_dump_the_command_says_exactly_what_to_run(monkeypatch, tmp_path):
    from onestop import backup

    monkeypatch.setattr(backup.shutil, "which", lambda name: None)
    url = make_url("postgresql+psycopg://onestop:bi-mat@db.laocai.gov.vn:5432/onestop")
    with pytest.raises(backup.BackupError) as refused:
        backup.dump_postgresql(url, tmp_path / "onestop.backup")
    message = refused.value.message
    assert (f"PGPASSWORD=… pg_dump --format=custom --no-owner --no-privileges --file {tmp_path / 'onestop.backup'} "
            "--dbname postgresql://onestop@db.laocai.gov.vn:5432/onestop") in message
    assert "bi-mat" not in message
