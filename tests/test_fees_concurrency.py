"""Eight desks on eight server processes take 50 payments each at the same moment: 400 receipts numbered 1 to
400 in one series, none twice, none skipped (issue 17)."""
import multiprocessing

import pytest
import sqlalchemy as sa

from onestop.fees.models import Receipt, ReceiptSeries
from onestop.timeutil import local, now
from tests.factories import applicant

PROCESSES, EACH = 8, 50


def take_payments(config: dict, clerk_id: int, procedure_code: str, ready, start, results) -> None:
    """One server process: its own app, engine and connections, as under gunicorn. It logs its 50 files first,
    then, released with the others, takes their fees one transaction each."""
    from onestop import create_app
    from onestop.auth.models import User
    from onestop.database import begin_write, with_retries
    from onestop.extensions import db
    from onestop.fees import services
    from onestop.reception import lifecycle
    from onestop.reception import services as reception

    app = create_app(config)
    with app.app_context():
        clerk = db.session.get(User, clerk_id)
        data = {"procedure_code": procedure_code, "applicant": applicant(), "documents": ["Tờ khai"], "sets": 1}
        codes = []
        for _ in range(EACH):
            begin_write()
            codes.append(reception.receive_application(clerk, data)[0].code)
            db.session.commit()
        ready.put(True)
        start.wait()
        numbers = []

        def pay(code):
            begin_write()
            application = lifecycle.lock_application(code)
            payment = services.record_payment(application, db.session.merge(clerk), "cash", 50_000)
            number = payment.receipt.number
            db.session.commit()
            return number

        for code in codes:
            numbers.append(with_retries(lambda code=code: pay(code)))
        db.session.remove()
        db.engine.dispose()
    results.put(numbers)


@pytest.mark.slow
def test_receipt_numbers_stay_unique_and_gapless_under_eight_processes(app, world, db):
    from tests.test_fees import fee_procedure

    procedure_code = fee_procedure(world).code
    clerk_id = world.users["clerk"].id
    config = {key: app.config[key] for key in (
        "TESTING", "SECRET_KEY", "SQLALCHEMY_DATABASE_URI", "PASSWORD_HASH_METHOD", "PUBLIC_BASE_URL")}
    db.session.remove()
    context = multiprocessing.get_context("spawn")
    ready, start, results = context.Queue(), context.Event(), context.Queue()
    workers = [context.Process(target=take_payments, args=(config, clerk_id, procedure_code, ready, start, results))
               for _ in range(PROCESSES)]
    for worker in workers:
        worker.start()
    for _ in workers:
        ready.get(timeout=300)
    start.set()
    per_process = [results.get(timeout=300) for _ in workers]
    for worker in workers:
        worker.join(timeout=60)
        assert worker.exitcode == 0
    numbers = sorted(number for batch in per_process for number in batch)
    assert numbers == list(range(1, PROCESSES * EACH + 1))
    series = db.session.scalars(sa.select(ReceiptSeries)).all()
    year = local(now()).year  # receipts are dated when they are taken: now
    assert [(s.symbol, s.last_number) for s in series] == [(f"000.00.01.H38-BL{year % 100:02d}", PROCESSES * EACH)]
    stored = db.session.scalars(sa.select(Receipt.number).order_by(Receipt.number)).all()
    assert stored == list(range(1, PROCESSES * EACH + 1))
    assert all(batch == sorted(batch) for batch in per_process)
