"""Where the status page's time goes on a file not asked before (issue 21), each part measured alone in one process
against a province on PostgreSQL (`DATABASE_URL=… python -m bench.status_floor [REQUESTS]`, read-only):

- a bare Flask route (the benchmark's reference);
- a route of the app that does nothing, through every request hook the status page passes;
- the page's one statement alone on a kept, prepared psycopg connection (no Flask), on files not read before and
  then on the same files again (their pages now in PostgreSQL's buffers);
- the application row alone by its code;
- the whole page.

Each is the median over REQUESTS (300) different files drawn at random, a fresh set for each part, so no part reads
a file another part has brought into the buffers. Ratios are to the bare route.
"""
import os
import random
import statistics
import sys
import time


def median_ms(fn, items) -> float:
    samples = []
    for item in items:
        began = time.perf_counter()
        fn(item)
        samples.append(time.perf_counter() - began)
    return statistics.median(samples) * 1000


def main() -> int:
    import psycopg
    import sqlalchemy as sa
    from flask import Flask
    from sqlalchemy.dialects import postgresql

    from onestop import create_app, settle_for_serving
    from onestop.config import normalise_database_url
    from onestop.extensions import db
    from onestop.reception import keys
    from onestop.reception.models import Application
    from onestop.tracking.public.status import STATUS_ROWS

    from .__main__ import BENCH_CONFIG

    url = normalise_database_url(os.environ["DATABASE_URL"])
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    app = create_app({**BENCH_CONFIG, "SQLALCHEMY_DATABASE_URI": url})
    app.add_url_rule("/bench/nothing/<code>", "bench_nothing", lambda code: f"<p>{code}</p>")
    settle_for_serving()
    with app.app_context():
        last = db.session.scalar(sa.select(sa.func.max(Application.id)))
        ids = random.Random(int(time.time())).sample(range(1, last + 1), min(last, 6 * count))
        files = db.session.execute(sa.select(Application.code, Application.tracking_key).where(
            Application.id.in_(ids))).all()
        db.session.remove()
    random.Random(5).shuffle(files)
    sets = [files[index * count:(index + 1) * count] for index in range(5)]
    client = app.test_client()
    bare = Flask("bare")
    bare.add_url_rule("/tra-cuu/<code>", "status", lambda code: f"<p>{code}</p>")
    bare_client = bare.test_client()
    connection = psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"), autocommit=True)
    statement = str(STATUS_ROWS.compile(dialect=postgresql.dialect()))

    def address(row, path="/tra-cuu"):
        return f"{path}/{row.code}?k={keys.grouped(row.tracking_key)}"

    for row in files[-5:]:  # warm: the first requests of a process compile templates and statements
        client.get(address(row))
        bare_client.get(address(row))
    bare_ms = median_ms(lambda row: bare_client.get(address(row)), sets[0])
    rows = [
        ("a bare Flask route (the reference)", bare_ms),
        ("a route of the app doing nothing, every request hook", median_ms(
            lambda row: client.get(address(row, "/bench/nothing")), sets[0])),
        ("the status statement alone, files not read before", median_ms(
            lambda row: connection.execute(statement, {"code": row.code}, prepare=True).fetchall(), sets[1])),
        ("the same statements again, their pages in the buffers", median_ms(
            lambda row: connection.execute(statement, {"code": row.code}, prepare=True).fetchall(), sets[1])),
        ("the application row alone by its code, files not read before", median_ms(
            lambda row: connection.execute("SELECT id, tracking_key FROM application WHERE code = %s", (row.code,),
                                           prepare=True).fetchall(), sets[2])),
        ("the whole status page, files not read before", median_ms(lambda row: client.get(address(row)), sets[3])),
    ]
    for label, ms in rows:
        print(f"{label:<66} {ms:8.3f} ms {ms / bare_ms:6.1f}×")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
