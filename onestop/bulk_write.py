"""Rows written in bulk inside the session's transaction: COPY on PostgreSQL (psycopg 3's cursor.copy, from a
thread of its own), executemany on SQLite. For generated data whose ids the caller gives (demo_scale)."""
import queue
import threading
from datetime import datetime, timezone

import sqlalchemy as sa

from .extensions import db


class Writer:
    """Rows into tables in the session's transaction: COPY on PostgreSQL, executemany on SQLite.

    On PostgreSQL a thread of its own sends the rows, so the next day's files are planned while the server
    takes in the last day's; the planning thread touches the connection only before `start` and after `finish`.
    """

    def __init__(self, tables: dict[str, tuple]):
        self.tables = tables
        self.connection = db.session.connection()
        self.postgresql = self.connection.dialect.name == "postgresql"
        self.raw = self.connection.connection.dbapi_connection
        self.queue: queue.Queue = queue.Queue(maxsize=3)
        self.thread: threading.Thread | None = None
        self.error: BaseException | None = None

    def start(self) -> None:
        if self.postgresql:
            self.thread = threading.Thread(target=self._drain, name="demo-scale-copy", daemon=True)
            self.thread.start()

    def put(self, table: str, rows: list[tuple]) -> None:
        if not rows:
            return
        if self.thread is None:
            self.write(table, rows)
            return
        if self.error is not None:
            raise self.error
        self.queue.put((table, rows))

    def finish(self) -> None:
        if self.thread is not None:
            self.queue.put(None)
            self.thread.join()
            self.thread = None
        if self.error is not None:
            raise self.error

    def _drain(self) -> None:
        while (item := self.queue.get()) is not None:
            if self.error is None:
                try:
                    self.write(*item)
                except BaseException as error:  # handed to the planning thread at its next put or finish
                    self.error = error

    def write(self, table: str, rows: list[tuple]) -> None:
        columns = self.tables[table]
        if self.postgresql:
            with self.raw.cursor() as cursor:
                with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
        else:
            marks = ", ".join("?" for _ in columns)
            self.raw.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})",
                                 [tuple(sqlite_value(value) for value in row) for row in rows])

    def next_id(self, table: str) -> int:
        return (self.connection.scalar(sa.text(f"SELECT max(id) FROM {table}")) or 0) + 1

    def lock(self) -> None:
        """Ids are given here: no one else may insert into these tables until the month commits.

        The rows refer only to rows that exist (ids given here, agencies, users and procedures read at the start),
        so where the database account may (a superuser, as pg_restore --disable-triggers), the foreign keys are
        not checked row by row: the checks cost more than the copying.
        """
        if not self.postgresql:
            return
        self.connection.execute(sa.text("SET LOCAL synchronous_commit = off"))
        self.connection.execute(sa.text(f"LOCK TABLE {', '.join(self.tables)} IN SHARE ROW EXCLUSIVE MODE"))
        try:
            with self.connection.begin_nested():
                self.connection.execute(sa.text("SET LOCAL session_replication_role = replica"))
        except sa.exc.DBAPIError:
            pass  # not allowed: every row is checked

    def sync_sequences(self) -> None:
        if self.postgresql:
            for table in self.tables:
                self.connection.execute(sa.text(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"))


def sqlite_value(value):
    """What SQLAlchemy would store in SQLite: UTC wall-clock text for aware datetimes."""
    if isinstance(value, datetime):
        return value.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M:%S.%f")
    return value
