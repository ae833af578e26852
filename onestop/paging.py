"""Keyset pages: a list continues after the last row shown, never counts the rows before it, and knows there is a
next page from one extra row. Totals are bounded counts, or the planner's estimate past the bound.

A cursor is the last row's sort values, encoded for a URL; a tampered cursor only moves where the page starts
(the caller's filters and the user's scope still apply), and one that does not decode is a clear 400.
"""
import base64
import binascii
import json
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from .extensions import db

TOTAL_CAP = 1000  # counted exactly up to this; beyond it, an estimate


class CursorError(ValueError):
    """A cursor that does not decode to the sort values of this list."""


@dataclass
class Page:
    items: list
    next: str | None  # the cursor of the next page, None on the last page
    total: int | None = None  # on the first page only: exact up to TOTAL_CAP, else an estimate
    total_exact: bool = True

    @property
    def has_next(self) -> bool:
        return self.next is not None


def encode(values) -> str:
    plain = [value.isoformat() if isinstance(value, datetime) else value for value in values]
    return base64.urlsafe_b64encode(json.dumps(plain, separators=(",", ":")).encode()).decode().rstrip("=")


def decode(cursor: str, columns) -> tuple:
    """The sort values in a cursor, each checked against its column's type."""
    try:
        values = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise CursorError(cursor)
    if not isinstance(values, list) or len(values) != len(columns):
        raise CursorError(cursor)
    decoded = []
    for value, column in zip(values, columns):
        kind = column.type.impl if isinstance(column.type, sa.types.TypeDecorator) else column.type
        python_type = kind.python_type
        if python_type is datetime:
            try:
                value = datetime.fromisoformat(value)
            except (TypeError, ValueError):
                raise CursorError(cursor)
            if value.tzinfo is None:
                raise CursorError(cursor)
        elif python_type is int:
            if not isinstance(value, int) or isinstance(value, bool) or abs(value) > 2 ** 62:
                raise CursorError(cursor)
        elif not isinstance(value, python_type):
            raise CursorError(cursor)
        decoded.append(value)
    return tuple(decoded)


def after(columns, descending: bool, cursor: str | None):
    """The WHERE clause that starts a page after the cursor's row, or None for the first page."""
    if not cursor:
        return None
    values = decode(cursor, columns)
    key, bound = sa.tuple_(*columns), sa.tuple_(*[sa.literal(v, c.type) for v, c in zip(values, columns)])
    return key < bound if descending else key > bound


def order(columns, descending: bool) -> list:
    return [column.desc() if descending else column.asc() for column in columns]


def cursor_of(row, columns) -> str:
    return encode([getattr(row, column.key) for column in columns])


def bounded_total(statement, cap: int | None = None) -> tuple[int, bool]:
    """(count, exact): the matching rows counted up to `cap`; past it, a rough total."""
    cap = TOTAL_CAP if cap is None else cap
    inner = statement.order_by(None).limit(cap + 1).subquery()
    counted = db.session.scalar(sa.select(sa.func.count()).select_from(inner))
    if counted <= cap:
        return counted, True
    return rough_total(statement, counted), False


def rough_total(statement, at_least: int) -> int:
    """PostgreSQL's estimate of the rows (never below what was counted); elsewhere what was counted."""
    if db.session.get_bind().dialect.name == "postgresql":
        return max(estimate(statement), at_least)
    return at_least


def estimate(statement) -> int:
    """The planner's row estimate for a statement (EXPLAIN, nothing run)."""
    bind = db.session.get_bind()
    compiled = statement.order_by(None).compile(dialect=bind.dialect, compile_kwargs={"render_postcompile": True})
    plan = db.session.connection().exec_driver_sql(f"EXPLAIN (FORMAT JSON) {compiled}", compiled.params).scalar()
    if isinstance(plan, str):
        plan = json.loads(plan)
    return int(plan[0]["Plan"]["Plan Rows"])
