"""Receipt numbers: a series (mẫu số, ký hiệu) per collecting agency and year, numbered 1, 2, 3 … with no gap.

The series row is the counter, incremented by one upsert inside the payment's own transaction, as
reception.sequence numbers application codes: PostgreSQL locks the row until commit, SQLite holds its write lock,
so concurrent desks on several workers queue up, and a rolled-back payment gives its number back (a number that
was never committed was never printed). Cancellations, refunds and the closing of a day take the same row lock
(a step of 0), so a day cannot close between a payment's check and its commit.
"""
from functools import lru_cache

import sqlalchemy as sa
from flask import current_app

from ..extensions import db
from ..reception.sequence import DIALECT_INSERT
from .models import ReceiptSeries

FORM_NUMBER = "01BLP0-001"  # mẫu số of a receipt of fees and charges; a province sets its own (FEE_RECEIPT_FORM)
SYMBOL = "{agency}-BL{yy}"  # ký hiệu; FEE_RECEIPT_SYMBOL, with {agency} the agency's code, {yy} the year


@lru_cache(maxsize=4)
def _upsert(dialect: str):
    table = ReceiptSeries.__table__
    return (
        DIALECT_INSERT[dialect](table)
        .values(agency_id=sa.bindparam("agency_id"), year=sa.bindparam("year"), form_number=sa.bindparam("form"),
                symbol=sa.bindparam("symbol"), last_number=sa.bindparam("step"))
        .on_conflict_do_update(index_elements=[table.c.agency_id, table.c.year],
                               set_={"last_number": table.c.last_number + sa.bindparam("step")})
        .returning(table.c.id, table.c.last_number)
    )


def symbol_for(agency_code: str, year: int) -> str:
    pattern = current_app.config.get("FEE_RECEIPT_SYMBOL") or SYMBOL
    return pattern.format(agency=agency_code, yy=f"{year % 100:02d}", year=year)


def _step(agency_id: int, agency_code: str, year: int, step: int) -> tuple[int, int]:
    params = {"agency_id": agency_id, "year": year, "step": step, "symbol": symbol_for(agency_code, year),
              "form": current_app.config.get("FEE_RECEIPT_FORM") or FORM_NUMBER}
    row = db.session.connection().execute(_upsert(db.session.get_bind().dialect.name), params).one()
    return row.id, row.last_number


def next_receipt_number(agency_id: int, agency_code: str, year: int) -> tuple[int, int]:
    """(series id, the next number in it), taken in the current transaction."""
    return _step(agency_id, agency_code, year, 1)


def lock_books(agency_id: int, agency_code: str, year: int) -> None:
    """Hold the agency's series row for this transaction without taking a number."""
    _step(agency_id, agency_code, year, 0)
