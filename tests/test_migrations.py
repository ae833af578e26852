"""The migrations build the schema the models describe, and carry existing data forward."""
from datetime import datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from onestop import create_app, demo
from onestop.auth.models import User
from onestop.extensions import db
from onestop.procedures.models import Procedure
from onestop.reception.models import RegisterSequence
from onestop.timeutil import VN
from tests import conftest
from tests.factories import make_procedure, receive

MIGRATIONS = str(Path(__file__).resolve().parent.parent / "migrations")
BEFORE_REGISTERS = "62d3641e75fa"  # the initial schema, when a receipt's register entry was the day's number


@pytest.fixture
def migrated(tmp_path):
    """An app whose database was built by the migrations, not by create_all."""
    app = create_app(conftest.test_config(tmp_path))
    with app.app_context():
        conftest.drop_everything()
        upgrade(directory=MIGRATIONS)
        yield app
        conftest.drop_everything()


def volumes() -> dict:
    rows = db.session.execute(sa.select(RegisterSequence.field, RegisterSequence.year, RegisterSequence.last_value))
    return {(field, year): last for field, year, last in rows}


def test_upgrading_a_database_with_applications_continues_each_register_where_it_stands(migrated):
    agencies = demo.load_agencies()
    clerk = demo.load_users(agencies)["clerk"]
    db.session.commit()
    birth = make_procedure(agency=agencies["000.00.04.H38"])
    land = make_procedure(code="1.003003", name="Đăng ký đất đai lần đầu", field="Đất đai",
                          agency=agencies["000.00.04.H38"])
    for day in (5, 6, 7):
        receive(clerk, birth, datetime(2026, 10, day, 9, 0, tzinfo=VN))
    receive(clerk, land, datetime(2026, 10, 7, 10, 0, tzinfo=VN))
    receive(clerk, birth, datetime(2027, 1, 1, 6, 30, tzinfo=VN))  # 2027 in Vietnam, still 2026 in UTC
    clerk_id = clerk.id
    db.session.remove()

    # Back to the schema before registers were counted, then forward again: the upgrade sees these files.
    downgrade(directory=MIGRATIONS, revision=BEFORE_REGISTERS)
    assert "register_sequence" not in sa.inspect(db.engine).get_table_names()
    upgrade(directory=MIGRATIONS)
    assert volumes() == {("Hộ tịch", 2026): 3, ("Đất đai", 2026): 1, ("Hộ tịch", 2027): 1}

    clerk, birth = db.session.get(User, clerk_id), db.session.scalar(sa.select(Procedure).filter_by(code="1.001193"))
    later = receive(clerk, birth, datetime(2026, 10, 8, 9, 0, tzinfo=VN))
    assert later.register_entry == 4


BEFORE_PUBLISHING = "52141cacc0e3"  # versions without publication dates, every fee a known amount


def test_upgrading_a_catalogue_with_applications_keeps_every_version_document_and_application(migrated):
    from onestop.procedures.models import ProcedureDocument, ProcedureVersion
    from onestop.reception.models import Application
    from onestop.reception.services import find_version

    agencies = demo.load_agencies()
    clerk = demo.load_users(agencies)["clerk"]
    db.session.commit()
    birth = make_procedure(fee=8000)
    receive(clerk, birth, datetime(2026, 10, 5, 9, 0, tzinfo=VN))
    receive(clerk, birth, datetime(2026, 10, 6, 9, 0, tzinfo=VN))

    def counts():
        return [db.session.scalar(sa.select(sa.func.count()).select_from(model))
                for model in (ProcedureVersion, ProcedureDocument, Application)]

    before = counts()
    assert before == [1, 2, 2]
    db.session.remove()

    downgrade(directory=MIGRATIONS, revision=BEFORE_PUBLISHING)
    columns = {column["name"] for column in sa.inspect(db.engine).get_columns("procedure_version")}
    assert "effective_from" not in columns and "catalogue_upload" not in sa.inspect(db.engine).get_table_names()
    assert counts() == before  # dropping the columns in place cascades nothing
    db.session.remove()
    upgrade(directory=MIGRATIONS)

    assert counts() == before
    version = find_version("1.001193")
    assert (version.status, version.effective_from, version.fee_known, version.fee_amount) == (
        "in_force", None, True, 8000)


BEFORE_BACKDATING = "9c1e5a7d2b40"  # events without a back-dating reason


def test_upgrading_keeps_every_event_and_marks_none_back_dated(migrated):
    from onestop.reception import lifecycle
    from onestop.reception.models import ApplicationEvent
    from onestop.timeutil import frozen_at

    agencies = demo.load_agencies()
    clerk = demo.load_users(agencies)["clerk"]
    db.session.commit()
    application = receive(clerk, make_procedure(agency=agencies["000.00.04.H38"]),
                          datetime(2026, 10, 5, 9, 0, tzinfo=VN))
    with frozen_at(datetime(2026, 10, 5, 9, 30, tzinfo=VN)):
        lifecycle.record_event(application, clerk, "transfer")
    db.session.commit()
    db.session.remove()

    downgrade(directory=MIGRATIONS, revision=BEFORE_BACKDATING)
    assert "backdate_reason" not in {column["name"] for column in sa.inspect(db.engine).get_columns(
        "application_event")}
    upgrade(directory=MIGRATIONS)
    rows = db.session.execute(sa.select(ApplicationEvent.type, ApplicationEvent.backdate_reason)
                              .order_by(ApplicationEvent.seq)).all()
    assert [tuple(row) for row in rows] == [("receive", None), ("transfer", None)]
    assert "ix_application_event_backdated" in {index["name"] for index in sa.inspect(db.engine).get_indexes(
        "application_event")}
