"""Eight desks on eight server processes log 50 applications each at once: codes and register entries
unique and gapless."""
import multiprocessing

import pytest
import sqlalchemy as sa

from onestop.reception.models import Application
from tests.factories import applicant, make_procedure

PROCESSES, EACH = 8, 50


def log_applications(config: dict, clerk_id: int, procedure_code: str, start, results) -> None:
    """One server process: its own app, engine and connections, as under gunicorn."""
    from onestop import create_app
    from onestop.auth.models import User
    from onestop.database import begin_write
    from onestop.extensions import db
    from onestop.reception import services

    app = create_app(config)
    with app.app_context():
        clerk = db.session.get(User, clerk_id)
        data = {"procedure_code": procedure_code, "applicant": applicant(), "documents": ["Tờ khai"], "sets": 1}
        start.wait()
        codes = []
        for _ in range(EACH):
            begin_write()
            application, _created = services.receive_application(clerk, data)
            codes.append(application.code)
            db.session.commit()
        db.session.remove()
        db.engine.dispose()
    results.put(codes)


@pytest.mark.slow
def test_codes_stay_unique_and_gapless_under_eight_processes(app, world, db):
    procedure_code = make_procedure(agency=world.agencies["000.00.04.H38"]).code
    clerk_id = world.users["clerk"].id
    config = {key: app.config[key] for key in (
        "TESTING", "SECRET_KEY", "SQLALCHEMY_DATABASE_URI", "PASSWORD_HASH_METHOD", "PUBLIC_BASE_URL")}
    db.session.remove()
    context = multiprocessing.get_context("spawn")
    start, results = context.Event(), context.Queue()
    workers = [
        context.Process(target=log_applications, args=(config, clerk_id, procedure_code, start, results))
        for _ in range(PROCESSES)
    ]
    for worker in workers:
        worker.start()
    start.set()
    per_process = [results.get(timeout=240) for _ in workers]
    for worker in workers:
        worker.join(timeout=60)
        assert worker.exitcode == 0
    codes = [code for batch in per_process for code in batch]
    assert len(codes) == len(set(codes)) == PROCESSES * EACH
    numbers = sorted(int(code.rsplit("-", 1)[1]) for code in codes)
    assert numbers == list(range(1, PROCESSES * EACH + 1))
    stored = db.session.scalars(sa.select(Application.code)).all()
    assert sorted(stored) == sorted(codes)
    # the register of the field and year counted the same 400 entries, none twice, none skipped
    entries = db.session.scalars(sa.select(Application.register_entry)).all()
    assert sorted(entries) == list(range(1, PROCESSES * EACH + 1))
    # each process saw its own numbers rise: no process reused another's
    assert all(batch == sorted(batch) for batch in per_process)
