"""The daily application code: {agency code}-{YYMMDD}-{NNNN}, never repeated, never skipped.

The counter row for (agency, day) is incremented by one upsert inside the caller's transaction:
PostgreSQL locks the row until commit, SQLite holds its write lock (see database.begin_write), so
concurrent desks queue up, and a rolled-back reception gives its number back.
"""
from datetime import date

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from ..extensions import db
from .models import DailySequence

DIALECT_INSERT = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


def next_sequence(agency_id: int, day: date) -> int:
    """Take the next number of the day for this agency (1, 2, 3 …) in the current transaction."""
    insert = DIALECT_INSERT[db.session.get_bind().dialect.name]
    statement = (
        insert(DailySequence)
        .values(agency_id=agency_id, day=day, last_value=1)
        .on_conflict_do_update(
            index_elements=[DailySequence.agency_id, DailySequence.day],
            set_={"last_value": DailySequence.last_value + 1},
        )
        .returning(DailySequence.last_value)
    )
    return db.session.execute(statement).scalar_one()


def format_code(agency_code: str, day: date, number: int) -> str:
    return f"{agency_code}-{day:%y%m%d}-{number:04d}"


def peek_sequence(agency_id: int, day: date) -> int:
    """The last number given that day (0 if none); for display only, never to build a code."""
    value = db.session.scalar(sa.select(DailySequence.last_value).filter_by(agency_id=agency_id, day=day))
    return value or 0
