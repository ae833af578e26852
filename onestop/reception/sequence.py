"""The daily application code: {agency code}-{YYMMDD}-{NNNN}, never repeated, never skipped; and the
entry number in the register of the application's field and year.

Each counter row (agency and day; agency, field and year) is incremented by one upsert inside the caller's transaction:
PostgreSQL locks the row until commit, SQLite holds its write lock (see database.begin_write), so
concurrent desks queue up, and a rolled-back reception gives its number back.
"""
from datetime import date
from functools import lru_cache

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from ..extensions import db
from .models import DailySequence, RegisterSequence

DIALECT_INSERT = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


@lru_cache(maxsize=8)
def _upsert(dialect: str, model, names: tuple[str, ...]):
    """INSERT … ON CONFLICT DO UPDATE … RETURNING for a counter table, built once (its values are parameters)."""
    return (
        DIALECT_INSERT[dialect](model)
        .values(**{name: sa.bindparam(name) for name in names}, last_value=1)
        .on_conflict_do_update(index_elements=[getattr(model, name) for name in names],
                               set_={"last_value": model.last_value + 1})
        .returning(model.last_value)
    )


def _take_next(model, **key) -> int:
    """Add one to the counter row `key` of `model` (created at 1) and return it, in the current transaction."""
    statement = _upsert(db.session.get_bind().dialect.name, model, tuple(key))
    return db.session.connection().execute(statement, key).scalar_one()  # Core: the ORM adds nothing to a counter


def next_sequence(agency_id: int, day: date) -> int:
    """Take the next number of the day for this agency (1, 2, 3 …) in the current transaction."""
    return _take_next(DailySequence, agency_id=agency_id, day=day)


def next_register_entry(agency_id: int, field: str, year: int) -> int:
    """Take the next entry of the agency's register for this field and year, like the day's number.

    Taken after the day's number in every reception, always in that order, so two desks never wait on each other
    in opposite orders (no deadlock on PostgreSQL).
    """
    return _take_next(RegisterSequence, agency_id=agency_id, field=field, year=year)


def format_code(agency_code: str, day: date, number: int) -> str:
    return f"{agency_code}-{day:%y%m%d}-{number:04d}"

