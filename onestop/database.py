"""Database plumbing shared by every package: aware timestamps, SQLite set-up, write transactions."""
from contextlib import contextmanager
from datetime import datetime, timezone

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Engine

from .extensions import db


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
    # A write that must never race (the daily code sequence) takes SQLite's write lock up front:
    # a deferred transaction that read first cannot upgrade once another process has written.
    if connection.dialect.name != "sqlite":
        return
    immediate = connection.get_execution_options().get("sqlite_immediate", False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def begin_write() -> None:
    """Start the session's transaction as a writer: on SQLite take the write lock now.

    Whatever the session read before is rolled back (reads only: nothing is lost), so the
    whole write runs on one consistent snapshot.
    """
    session = db.session
    if db.engine.dialect.name == "sqlite":
        session.rollback()
        session.connection(execution_options={"sqlite_immediate": True})


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
