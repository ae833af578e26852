"""One hot read, straight on the driver: the status page's one statement on PostgreSQL without the pool and
SQLAlchemy's execution around it.

Why: on a file not asked before, the status page is one indexed statement and one template. Measured at
1,000,000 applications, the statement itself costs about 0.32 ms on a psycopg connection kept open (prepared),
but 0.58 ms through `read_once`: the pool's checkout and return (~0.11 ms) and SQLAlchemy's execution context
and result (~0.14 ms) are half of it, on the page citizens open most.

How: each engine has a small queue of its own driver connections, in autocommit, used by nothing else (so no
transaction is ever left open and no other code sees them). A read takes one (or opens one), runs the statement
prepared, gives it back. The rows come out as SQLAlchemy would give them: each column's own result processing
(`UTCDateTime` makes timestamps aware UTC) is applied, and rows are named tuples with the statement's labels.

- A connection that fails is closed, never reused; a read on a kept connection that finds it dropped (the server
  restarted, an idle timeout) is tried once more on a new one. Any other error is raised as SQLAlchemy would raise
  it (sa.exc.DBAPIError and its kinds).
- A process forked after connections were opened (a preloading server) forgets the parent's, never touches them.
- At most `KEEP` connections are kept idle per engine and process; more readers at once open more, closed after.
- `Engine.dispose()` closes them (tests dropping their tables, a reconfiguration).
- On SQLite, or inside a transaction already open, the session reads (database.read_once): nothing changes.
"""
import os
import threading
from collections import deque, namedtuple

import sqlalchemy as sa
from flask import current_app

from .database import read_once
from .extensions import db

KEEP = 4


class Statement:
    """A select compiled once for the driver: its SQL, its own values, its row type and each column's result
    processing (learnt from the first answer's column types, as SQLAlchemy learns it)."""

    def __init__(self, statement, dialect):
        compiled = statement.compile(dialect=dialect)
        self.sql = str(compiled)
        self.defaults = compiled.params  # the statement's own values (literals, bindparams' defaults)
        for name, bind in compiled.binds.items():  # values are passed to the driver as given
            if bind.type.dialect_impl(dialect).bind_processor(dialect) is not None:
                raise ValueError(f"{name}: a value needing SQLAlchemy's conversion is not for a raw read")
        self.dialect, self.types = dialect, [column.type for column in statement.selected_columns]
        self.row = namedtuple("Row", [str(column.key) for column in statement.selected_columns], rename=True)
        self.processed = None

    def rows(self, cursor, raw: list[tuple]) -> list:
        if self.processed is None:  # the cursor's description is made on each asking: asked once
            processors = [kind.dialect_impl(self.dialect).result_processor(self.dialect, column.type_code)
                          for kind, column in zip(self.types, cursor.description)]
            self.processed = [(index, process) for index, process in enumerate(processors) if process is not None]
        if not self.processed:
            return [self.row._make(values) for values in raw]
        made = []
        for values in raw:
            values = list(values)
            for index, process in self.processed:
                values[index] = process(values[index])
            made.append(self.row._make(values))
        return made


class RawReader:
    """The driver connections of one engine in one process (see the module's docstring)."""

    def __init__(self, engine):
        self.engine = engine
        self.dbapi = engine.dialect.loaded_dbapi
        self.pid = os.getpid()
        self.idle: deque = deque()
        self.statements: dict = {}
        self.lock = threading.Lock()
        sa.event.listen(engine, "engine_disposed", lambda _engine: self.close())

    def _connect(self):
        """A connection made as the engine makes its own (URL, connect_args, the dialect's set-up), then taken
        out of the pool for good."""
        fairy = self.engine.raw_connection()
        fairy.detach()
        connection = fairy.dbapi_connection
        connection.autocommit = True
        return fairy, connection

    def _take(self):
        if self.pid != os.getpid():  # forked: the parent's sockets are not ours to use or close
            self.idle, self.pid = deque(), os.getpid()
        try:
            return self.idle.pop(), True
        except IndexError:
            return self._connect(), False

    def _give_back(self, held) -> None:
        if len(self.idle) < KEEP and self.pid == os.getpid():
            self.idle.append(held)
        else:
            held[0].close()

    def statement(self, statement) -> Statement:
        found = self.statements.get(statement)
        if found is None:
            with self.lock:
                found = self.statements[statement] = Statement(statement, self.engine.dialect)
        return found

    def rows(self, statement, params: dict) -> list:
        compiled = self.statement(statement)
        for attempt in (1, 2):
            held, kept = self._take()
            try:
                cursor = held[1].execute(compiled.sql, {**compiled.defaults, **params}, prepare=True)
                raw = cursor.fetchall()
            except self.dbapi.Error as error:
                held[0].close()  # whatever happened to it, it is not used again
                if attempt == 2 or not kept or not isinstance(error, (self.dbapi.OperationalError,
                                                                      self.dbapi.InterfaceError)):
                    # as SQLAlchemy raises it (sa.exc.OperationalError…): callers and with_retries know those
                    raise sa.exc.DBAPIError.instance(compiled.sql, params, error, self.dbapi.Error,
                                                     dialect=self.engine.dialect) from error
                continue  # a kept connection found dropped: once more on a new one
            except BaseException:
                held[0].close()
                raise
            self._give_back(held)
            return compiled.rows(cursor, raw)

    def close(self) -> None:
        while self.idle:
            held = self.idle.pop()
            if self.pid == os.getpid():
                held[0].close()


def reader(engine) -> RawReader:
    made = current_app.extensions.setdefault("onestop_raw_readers", {})
    found = made.get(engine)
    if found is None:
        found = made[engine] = RawReader(engine)
    return found


def read(statement, params: dict) -> list:
    """The rows of one select for a request that reads nothing else: on PostgreSQL outside a transaction, on a
    kept driver connection; otherwise as read_once reads."""
    engine = db.engine
    if engine.dialect.driver != "psycopg" or (db.session.registry.has() and db.session().in_transaction()):
        return read_once(statement, params)  # no session is made just to ask (making one, and closing it at the
        # request's end, costs a tenth of the page)
    return reader(engine).rows(statement, params)
