"""The status page's one statement on the driver's own connections (onestop.raw_reads), on PostgreSQL: the same
rows as SQLAlchemy gives, and it survives a connection the server dropped."""
import os

import pytest
import sqlalchemy as sa

from onestop import raw_reads
from onestop.database import read_once
from onestop.extensions import db
from onestop.timeutil import frozen_at
from onestop.tracking.public.status import STATUS_ROWS, find_status
from tests.factories import event
from tests.test_tracking_status import application, birth, url, vn  # noqa: F401 (fixtures)

pytestmark = pytest.mark.skipif(not os.environ.get("ONESTOP_TEST_DATABASE_URL"),
                                reason="the driver's own connections are PostgreSQL's (SQLite reads in the session)")


def file_of(application) -> tuple[str, str, str]:
    """The file's code, key and page, read before the test's session lets go of its transaction: a request
    within it reads in it (database.read_once), as it should."""
    found = application.code, application.tracking_key, url(application)
    db.session.commit()
    return found


def kept_backends(app) -> list[int]:
    reader = raw_reads.reader(db.engine)
    return [held[1].info.backend_pid for held in reader.idle]


def test_the_rows_are_sqlalchemys_rows(app, world, application):
    event(application, world.users["clerk"], "transfer", vn(2026, 12, 14, 10, 30))
    db.session.commit()
    params = {"code": application.code}
    with app.test_request_context("/"):
        expected = read_once(STATUS_ROWS, params)
        db.session.remove()
        got = raw_reads.read(STATUS_ROWS, params)
    assert [tuple(row) for row in got] == [tuple(row) for row in expected] and len(got) == 2
    assert got[0]._fields == expected[0]._fields
    assert got[0].received_at == vn(2026, 12, 14, 10, 0) and got[0].received_at.utcoffset().total_seconds() == 0
    assert got[1].event_type == "transfer" and isinstance(got[1].event_data, dict)


def test_a_connection_dropped_by_the_server_is_replaced_once(app, client, application):
    app.config["STATUS_PAGE_CACHE_SECONDS"] = 0  # the page asked again is read again
    code, key, address = file_of(application)
    with frozen_at(vn(2026, 12, 14, 11, 0)):
        assert client.get(address).status_code == 200
    backend, = kept_backends(app)
    with db.engine.connect() as other:  # the server restarts, or an idle timeout closes it
        assert other.scalar(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": backend})
    with frozen_at(vn(2026, 12, 14, 11, 0)):
        page = client.get(address)
    assert page.status_code == 200 and "còn 3 ngày làm việc" in page.get_data(as_text=True)
    assert kept_backends(app) != [backend] and len(kept_backends(app)) == 1


def test_an_error_in_the_statement_leaves_no_connection_behind_and_is_raised(app, application):
    code, key, address = file_of(application)
    with app.test_request_context("/"):
        find_status(code, key)
        assert len(kept_backends(app)) == 1
        with pytest.raises(sa.exc.DataError, match="division by zero"):  # as SQLAlchemy raises it
            raw_reads.read(sa.select(sa.literal(1) / sa.literal(0)), {})  # a bug, say
        assert kept_backends(app) == []  # closed, not given back
        assert find_status(code, key).code == code


def test_inside_a_transaction_the_session_reads(app, application, monkeypatch):
    db.session.commit()
    monkeypatch.setattr(raw_reads.RawReader, "rows", lambda *args: pytest.fail("read outside the transaction"))
    with app.test_request_context("/"):
        db.session.execute(sa.text("SELECT 1"))  # a transaction is open: the read sees its snapshot
        assert find_status(application.code, application.tracking_key).code == application.code


def test_a_forked_process_forgets_its_parents_connections_and_dispose_closes_them(app, application):
    code, key, address = file_of(application)
    with app.test_request_context("/"):
        find_status(code, key)
        reader = raw_reads.reader(db.engine)
        parents = list(reader.idle)
        reader.pid = -1  # as in a child forked after the parent opened them
        find_status(code, key)
        assert not any(held in reader.idle for held in parents) and len(reader.idle) == 1
        assert not parents[0][1].closed  # the parent's, not closed by the child
        parents[0][0].close()
        kept = reader.idle[0][1]
    db.engine.dispose()
    assert kept.closed and not reader.idle
