"""The day's book (sổ thu phí, lệ phí trong ngày) of a collecting agency: the receipts of the day, the
cancellations and refunds recorded that day, totals by method and by collector. A supervisor closes the day;
a closed day cannot change (fees.services checks it under the series lock).
"""
from collections import defaultdict
from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from .. import audit
from ..auth.models import Agency, User
from ..extensions import db
from ..reception.validation import PermissionDenied
from ..timeutil import local, now
from .models import DayClose, Payment, Receipt, ReceiptCancellation, Refund
from .numbering import lock_books
from .services import DayClosed, FeeConflict

METHODS = ("cash", "transfer", "online")


def _zero() -> dict:
    return {"receipts": 0, "cancelled": 0, "refunded": 0, "net": 0, "count": 0}


def _add(bucket: dict, key: str, amount: int) -> None:
    bucket[key] += amount
    bucket["net"] += amount if key == "receipts" else -amount


def book(agency: Agency, day: date, collector: User | None = None) -> dict:
    """Everything the book of `agency` for `day` shows (for one collector when given)."""
    receipts = db.session.scalars(
        sa.select(Receipt).where(Receipt.agency_id == agency.id, Receipt.day == day)
        .options(joinedload(Receipt.series), joinedload(Receipt.cancellation)).order_by(Receipt.series_id, Receipt.number)).all()
    cancellations = db.session.scalars(
        sa.select(ReceiptCancellation).where(ReceiptCancellation.agency_id == agency.id, ReceiptCancellation.day == day)
        .options(joinedload(ReceiptCancellation.receipt).joinedload(Receipt.series), joinedload(ReceiptCancellation.user))
        .order_by(ReceiptCancellation.id)).all()
    refunds = db.session.scalars(
        sa.select(Refund).where(Refund.agency_id == agency.id, Refund.day == day)
        .options(joinedload(Refund.payment).joinedload(Payment.application), joinedload(Refund.user))
        .order_by(Refund.id)).all()
    if collector is not None:
        receipts = [r for r in receipts if r.collector_id == collector.id]
        cancellations = [c for c in cancellations if c.user_id == collector.id]
        refunds = [r for r in refunds if r.user_id == collector.id]
    totals, by_method = _zero(), {method: _zero() for method in METHODS}
    by_collector: dict[str, dict] = defaultdict(_zero)
    for receipt in receipts:
        for bucket in (totals, by_method[receipt.method], by_collector[receipt.collector_name or _("Trực tuyến")]):
            _add(bucket, "receipts", receipt.total)
            bucket["count"] += 1
    for cancellation in cancellations:
        receipt = cancellation.receipt
        who = cancellation.user.full_name if cancellation.user else ""
        for bucket in (totals, by_method[receipt.method], by_collector[who]):
            _add(bucket, "cancelled", receipt.total)
    for refund in refunds:
        who = refund.user.full_name if refund.user else ""
        for bucket in (totals, by_method[refund.method], by_collector[who]):
            _add(bucket, "refunded", refund.amount)
    closed = db.session.get(DayClose, (agency.id, day))
    return {
        "agency": agency, "day": day, "collector": collector, "closed": closed,
        "receipts": [{"series": r.series.symbol, "number": r.number, "application_code": r.application_code,
                      "payer": r.payer_name, "method": r.method, "amount": r.total, "collector": r.collector_name,
                      "issued_at": r.issued_at, "cancelled": r.cancellation is not None} for r in receipts],
        "cancellations": [{"series": c.receipt.series.symbol, "number": c.receipt.number,
                           "application_code": c.receipt.application_code, "method": c.receipt.method,
                           "amount": c.receipt.total, "reason": c.reason, "receipt_day": c.receipt.day,
                           "by": c.user.full_name if c.user else None, "at": c.at} for c in cancellations],
        "refunds": [{"payment": r.payment_id, "application_code": r.payment.application.code if r.payment.application
                     else r.payment.submission_number, "method": r.method, "amount": r.amount, "reason": r.reason,
                     "decided_by": r.decided_by, "by": r.user.full_name if r.user else None, "at": r.at}
                    for r in refunds],
        "totals": totals, "by_method": by_method, "by_collector": dict(sorted(by_collector.items())),
    }


def book_json(data: dict) -> dict:
    def moment(value):
        return local(value).isoformat() if value is not None else None

    closed = data["closed"]
    return {
        "agency": data["agency"].code, "day": data["day"].isoformat(),
        "collector": data["collector"].username if data["collector"] else None,
        "closed": {"by": closed.closed_by.username if closed.closed_by else None, "at": moment(closed.closed_at)}
        if closed else None,
        "receipts": [{**row, "issued_at": moment(row["issued_at"])} for row in data["receipts"]],
        "cancellations": [{**row, "at": moment(row["at"]), "receipt_day": row["receipt_day"].isoformat()}
                          for row in data["cancellations"]],
        "refunds": [{**row, "at": moment(row["at"])} for row in data["refunds"]],
        "totals": data["totals"], "by_method": data["by_method"], "by_collector": data["by_collector"],
    }


def close_day(agency: Agency, day: date, user: User) -> DayClose:
    """A supervisor closes the agency's book for a day that has begun; from then on it cannot change."""
    if not (user.has_role("supervisor") and user.can_see_agency(agency.id)):
        raise PermissionDenied(_("Chỉ lãnh đạo của đơn vị thu được khóa sổ."))
    if day > local(now()).date():
        raise FeeConflict(_("Không khóa sổ một ngày chưa đến."), {"day": _("Ngày chưa đến.")})
    lock_books(agency.id, agency.code, day.year)
    if db.session.get(DayClose, (agency.id, day)) is not None:
        raise DayClosed(_("Sổ thu ngày này đã khóa."), {"day": _("Đã khóa.")})
    totals = book(agency, day)
    closed = DayClose(agency_id=agency.id, day=day, closed_by_id=user.id, closed_at=now(),
                      totals={"totals": totals["totals"], "by_method": totals["by_method"]})
    db.session.add(closed)
    audit.record("fee_day_closed", agency, user=user, day=day.isoformat(), net=totals["totals"]["net"])
    db.session.flush()
    return closed
