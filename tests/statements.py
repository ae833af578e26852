"""Count the SQL statements a block sends (lazy loads and extra round trips show up here)."""
from contextlib import contextmanager

from sqlalchemy import event

from onestop.extensions import db


@contextmanager
def counted():
    """Yields the list of statements sent inside the block (a SQLAlchemy event listener on the engine)."""
    sent: list[str] = []

    def note(conn, cursor, statement, parameters, context, executemany):
        sent.append(statement)

    engine = db.engine
    event.listen(engine, "before_cursor_execute", note)
    try:
        yield sent
    finally:
        event.remove(engine, "before_cursor_execute", note)
