"""Database plumbing shared by every package: aware timestamps, SQLite set-up, write transactions, and the
retry of a write that lost a race to another desk."""
import random
import sqlite3
import time
from contextlib import contextmanager
from datetime import datetime, timezone

import sqlalchemy as sa
from flask import current_app, g, has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Engine

from .extensions import db

WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
# PostgreSQL: serialization failure, deadlock, lock not available, unique violation (a read-check-write race:
# on the retry the check sees the other desk's committed row and answers with its message).
RETRYABLE_SQLSTATES = {"40001", "40P01", "55P03", "23505"}
RETRY_ATTEMPTS = 4


class UTCDateTime(sa.types.TypeDecorator):
    """A timezone-aware datetime stored as UTC (SQLite keeps no offsets, PostgreSQL gets timestamptz)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTCDateTime column")
        value = value.astimezone(timezone.utc)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


@event.listens_for(Engine, "connect")
def _sqlite_on_connect(dbapi_connection, connection_record):
    """WAL, foreign keys, a busy timeout; and let SQLAlchemy, not pysqlite, emit BEGIN."""
    if type(dbapi_connection).__module__ != "sqlite3":
        return
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


@event.listens_for(Engine, "begin")
def _sqlite_on_begin(connection):
    # A write takes SQLite's write lock when its transaction begins: a deferred transaction that read first
    # cannot upgrade once another connection has written ("database is locked" at once, whatever the busy
    # timeout). Every transaction of a POST, PUT, PATCH or DELETE request is a writer, so it waits its turn.
    if connection.dialect.name != "sqlite":
        return
    immediate = connection.get_execution_options().get("sqlite_immediate", False) or in_write_request()
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def in_write_request() -> bool:
    return has_request_context() and g.get("onestop_write_request", False)


def mark_write_request() -> None:
    """Before anything reads the database: a request that may write runs its transactions as writers."""
    g.onestop_write_request = request.method in WRITE_METHODS


def retryable(error: Exception) -> bool:
    """A write that lost a race to another desk and may simply run again."""
    if not isinstance(error, sa.exc.DBAPIError):
        return False
    original = error.orig
    if getattr(original, "sqlstate", None) in RETRYABLE_SQLSTATES:  # psycopg 3
        return True
    if isinstance(original, sqlite3.OperationalError):
        return "locked" in str(original) or "busy" in str(original)
    if isinstance(original, sqlite3.IntegrityError):
        return "UNIQUE constraint failed" in str(original)
    return False


def with_retries(run, attempts: int = RETRY_ATTEMPTS):
    """Run a request's work; when it lost a race (serialisation failure, deadlock, a locked SQLite, a unique
    key another desk took a moment earlier), roll back and run it again instead of showing an error."""
    for attempt in range(1, attempts + 1):
        try:
            return run()
        except sa.exc.DBAPIError as error:
            if attempt == attempts or not retryable(error):
                raise
            db.session.rollback()
            time.sleep(random.uniform(0, 0.02 * 2 ** attempt))  # apart, so the same two do not collide again


def init_app(app) -> None:
    app.before_request(mark_write_request)


def begin_write() -> None:
    """Start the session's transaction as a writer: on SQLite take the write lock now.

    Whatever the session read before is rolled back (reads only: nothing is lost), so the
    whole write runs on one consistent snapshot.
    """
    session = db.session
    if db.engine.dialect.name == "sqlite":
        session.rollback()
        session.connection(execution_options={"sqlite_immediate": True})


def commit_as_written() -> None:
    """Commit without expiring what the session holds, for a request that afterwards reads only what it wrote
    itself: each object then keeps the values it was written with instead of being read again (expiring them all
    was a third of an online submission's commit)."""
    session = db.session()
    session.expire_on_commit = False
    try:
        session.commit()
    finally:
        session.expire_on_commit = True


def read_once(statement, params: dict | None = None) -> list:
    """The rows of one read, for a request that reads nothing else: on PostgreSQL on a connection of its own in
    autocommit (one round trip; the BEGIN and ROLLBACK a session adds cost more than an indexed look-up does, and
    one statement sees one consistent snapshot anyway); elsewhere in the session."""
    if db.engine.dialect.name != "postgresql" or db.session().in_transaction():
        return db.session.execute(statement, params or {}).all()  # a transaction already open: read within it
    with autocommit_engine(db.engine).connect() as connection:
        return connection.execute(statement, params or {}).all()


def autocommit_engine(engine):
    """The engine in autocommit, made once per engine: Engine.execution_options builds a new proxy engine on each
    call, a fifth of the status page's one-statement read."""
    made = current_app.extensions.setdefault("onestop_autocommit_engines", {})
    found = made.get(engine)
    if found is None:
        found = made[engine] = engine.execution_options(isolation_level="AUTOCOMMIT")
    return found


@contextmanager
def write_transaction():
    """Run a block as one transaction: commit at the end, roll back on any error."""
    begin_write()
    try:
        yield db.session
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
