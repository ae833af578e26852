"""Fees counted per collecting agency and period (issue 17, item 7): applications with fees, paid by method, paid
online, exempted, refunded, cancelled, and the amounts. Read by tracking.indicators (the dashboard, the API, the
CCHC report, Decision 766's online-payment group).

Counted from the fee tables themselves: a day's payments, receipts and refunds of an agency are a handful of rows
reached through their (agency, day) indexes, so no rollup is kept for them; `indicators check` checks instead that
every closed day's book still adds up to what was closed (verify_closed_days).
"""
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa

from ..extensions import db
from ..procedures.models import ProcedureVersion
from ..reception.models import Application, ApplicationFee
from ..timeutil import VN
from .models import DayClose, Payment, Receipt, ReceiptCancellation, Refund

METHODS = ("cash", "transfer", "online")


def _scope(column, agency_ids):
    return sa.true() if agency_ids is None else column.in_(sorted(agency_ids))


def _rate(part: int, whole: int) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None


def fee_figures(agency_ids, start: date, end: date) -> dict:
    """The fee figures of the agencies (None: all) for the days start..end (Vietnam dates, both included)."""
    return _fee_figures(agency_ids, start, end, None)[()]


def unit_fee_figures(units: dict[int, set], start: date, end: date, agency_ids=None) -> dict:
    """fee_figures for several units that share no agency ({unit id: its agency ids}), in the same five queries,
    each grouped by agency, the agencies' rows then added per unit: {unit id: figures}. Adding the agencies' counts of
    distinct files is exact: a file belongs to one agency, and its payments are taken at that agency (services,
    gateway). `agency_ids`: the agencies to read (None: every one, the others' rows left out)."""
    unit_of = {agency_id: unit for unit, ids in units.items() for agency_id in ids}
    found = _fee_figures(agency_ids, start, end, unit_of)
    return {unit: found[(unit,)] if (unit,) in found else _fee_block([], [], [], [], []) for unit in units}


def _fee_figures(agency_ids, start: date, end: date, unit_of: dict | None) -> dict:
    """{(): figures} or, with unit_of {agency id: unit id}, {(unit id,): figures} for the units with any row."""
    since = datetime.combine(start, time(0), tzinfo=VN)
    until = datetime.combine(end + timedelta(days=1), time(0), tzinfo=VN)

    def rows(query, column, *grouped) -> dict:
        """{key: [row values]}: one row per `grouped` value (these columns come first in the query), per unit of
        `column`'s agency when asked (the agencies' rows added), else () for every row."""
        keys = [column] if unit_of else []
        found: dict = {}
        for row in db.session.execute(query.add_columns(*keys).group_by(*keys, *grouped) if keys or grouped
                                      else query):
            width = len(row) - len(keys)
            values, bucket = tuple(row[:width]), found.setdefault((unit_of.get(row[width]),) if keys else (), {})
            head, before = values[:len(grouped)], bucket.get(values[:len(grouped)])
            bucket[head] = values if before is None else head + tuple(
                old + new for old, new in zip(before[len(head):], values[len(head):]))
        return {key: list(bucket.values()) for key, bucket in found.items()}

    received = sa.and_(Application.received_at >= since, Application.received_at < until,
                       _scope(Application.agency_id, agency_ids))
    owing = sa.and_(ApplicationFee.amount.isnot(None), ApplicationFee.amount > 0)
    due_rows = rows(
        sa.select(sa.func.count(sa.distinct(ApplicationFee.application_id)),
                  sa.func.count(sa.distinct(sa.case((ApplicationFee.exempt_reason.isnot(None),
                                                     ApplicationFee.application_id)))),
                  sa.func.coalesce(sa.func.sum(ApplicationFee.reduction), 0),
                  sa.func.coalesce(sa.func.sum(ApplicationFee.amount - ApplicationFee.reduction), 0))
        .select_from(ApplicationFee).join(Application, Application.id == ApplicationFee.application_id)
        .where(received, owing), Application.agency_id)
    counted = sa.and_(Payment.status == "paid", Payment.day >= start, Payment.day <= end,
                      _scope(Payment.agency_id, agency_ids), ReceiptCancellation.id.is_(None))
    paid_rows = rows(
        sa.select(Payment.method, sa.func.count(), sa.func.coalesce(sa.func.sum(Payment.amount), 0),
                  sa.func.count(sa.distinct(Payment.application_id)))
        .select_from(Payment).outerjoin(Receipt, Receipt.payment_id == Payment.id)
        .outerjoin(ReceiptCancellation, ReceiptCancellation.receipt_id == Receipt.id)
        .where(counted), Payment.agency_id, Payment.method)
    refund_rows = rows(
        sa.select(sa.func.count(), sa.func.coalesce(sa.func.sum(Refund.amount), 0))
        .where(Refund.day >= start, Refund.day <= end, _scope(Refund.agency_id, agency_ids)), Refund.agency_id)
    cancellation_rows = rows(
        sa.select(sa.func.count(), sa.func.coalesce(sa.func.sum(Receipt.total), 0))
        .select_from(ReceiptCancellation).join(Receipt, Receipt.id == ReceiptCancellation.receipt_id)
        .where(ReceiptCancellation.day >= start, ReceiptCancellation.day <= end,
               _scope(ReceiptCancellation.agency_id, agency_ids)), ReceiptCancellation.agency_id)
    # Decision 766, online payment: of the files received in the period with a fee, of procedures that offer
    # online payment, how many were paid online
    offered = sa.and_(received, owing, ApplicationFee.amount > ApplicationFee.reduction,  # an exempt file owes nothing
                      ProcedureVersion.online_payment.is_(True))
    offered_rows = rows(
        sa.select(sa.func.count(sa.distinct(Application.id)),
                  sa.func.count(sa.distinct(sa.case((Payment.id.isnot(None), Application.id)))))
        .select_from(ApplicationFee).join(Application, Application.id == ApplicationFee.application_id)
        .join(ProcedureVersion, ProcedureVersion.id == Application.procedure_version_id)
        .outerjoin(Payment, sa.and_(Payment.application_id == Application.id, Payment.method == "online",
                                    Payment.status == "paid"))
        .where(offered), Application.agency_id)
    found = (due_rows, paid_rows, refund_rows, cancellation_rows, offered_rows)
    keys = set().union(*found) | ({()} if unit_of is None else set())
    return {key: _fee_block(*(rows_of.get(key, []) for rows_of in found)) for key in keys}


def _fee_block(due_rows, paid_rows, refund_rows, cancellation_rows, offered_rows) -> dict:
    """One key's figures from its rows of each query (zeros where a query had no row for it)."""
    def one(found, width):
        return found[0] if found else (0,) * width

    with_fees, exempted, reduced, due = one(due_rows, 4)
    paid = {method: {"count": 0, "amount": 0, "applications": 0} for method in METHODS}
    for method, count, amount, applications in paid_rows:
        paid[method] = {"count": int(count), "amount": int(amount), "applications": int(applications)}
    refunds, cancellations = one(refund_rows, 2), one(cancellation_rows, 2)
    offered_count, paid_online = one(offered_rows, 2)
    total_paid = sum(bucket["amount"] for bucket in paid.values())
    return {
        "applications_with_fees": int(with_fees), "due": int(due),
        "exempted": int(exempted), "reduced_amount": int(reduced),
        "paid": paid, "paid_amount": total_paid, "paid_count": sum(bucket["count"] for bucket in paid.values()),
        "paid_online_applications": paid["online"]["applications"],
        "refunded": {"count": int(refunds[0]), "amount": int(refunds[1])},
        "cancelled": {"count": int(cancellations[0]), "amount": int(cancellations[1])},
        "net_amount": total_paid - int(refunds[1]),
        "online_payment": {"offered": int(offered_count), "paid_online": int(paid_online),
                           "rate": _rate(int(paid_online), int(offered_count))},
    }


def verify_closed_days() -> list[str]:
    """Every closed day's book recomputed from its receipts, cancellations and refunds, against the totals kept
    when it was closed: a difference means a closed day changed."""
    from .daybook import book

    differences = []
    for closed in db.session.scalars(sa.select(DayClose).order_by(DayClose.day, DayClose.agency_id)):
        from ..auth.models import Agency

        agency = db.session.get(Agency, closed.agency_id)
        now_totals = book(agency, closed.day)
        kept = closed.totals or {}
        if kept.get("totals") != now_totals["totals"] or kept.get("by_method") != now_totals["by_method"]:
            differences.append(f"fee book {agency.code} {closed.day.isoformat()}: closed with "
                               f"{kept.get('totals')}, now {now_totals['totals']}")
    return differences
