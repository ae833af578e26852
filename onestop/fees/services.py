"""Collecting fees (thu phí, lệ phí): payments at the desk, their receipts, cancellations and refunds. Plain
functions that flush, never commit; the page, the API and the CLI call the same ones.

An application's lines are reception's (reception.fee_lines); a payment pays them in order, and the receipt
prints what it paid on each line.
"""
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.attributes import set_committed_value

from .. import audit, inputs
from ..auth.models import User
from ..extensions import db
from ..reception.fee_lines import AMOUNT_MAX
from ..reception.models import Application, ApplicationFee
from ..reception.validation import PermissionDenied, ReceptionError
from ..timeutil import local, now
from .models import DayClose, Payment, Receipt, ReceiptCancellation, Refund
from .numbering import lock_books, next_receipt_number

DESK_METHODS = ("cash", "transfer")
REFUNDABLE_STATES = ("refused", "stopped")


def thousands(amount: int) -> str:
    """50000 → '50.000', as amounts are written in Vietnamese."""
    return f"{amount:,}".replace(",", ".")


class FeeError(ReceptionError):
    """Input the desk must correct (400)."""


class FeeConflict(ReceptionError):
    """Not now: nothing left to collect, a receipt already cancelled, a state that allows no refund (409)."""

    status = 409


class DayClosed(FeeConflict):
    """The day's book is closed: nothing dated that day changes."""


@dataclass
class Account:
    """What an application owes and what it has paid."""

    lines: list[ApplicationFee]
    payments: list[Payment] = field(default_factory=list)

    @property
    def known(self) -> bool:
        return all(line.due is not None for line in self.lines)

    @property
    def due(self) -> int:
        return sum(line.due or 0 for line in self.lines)

    @property
    def paid(self) -> int:
        return sum(payment.amount for payment in self.payments if payment.counts)

    @property
    def refunded(self) -> int:
        return sum(payment.refunded for payment in self.payments if payment.counts)

    @property
    def balance(self) -> int:
        return self.due - self.paid

    def paid_on_lines(self) -> dict[int, int]:
        paid: dict[int, int] = {}
        for payment in self.payments:
            if payment.counts:
                for item in payment.lines or []:
                    paid[item["line"]] = paid.get(item["line"], 0) + item["amount"]
        return paid


PAYMENT_LOADS = (selectinload(Payment.receipt).selectinload(Receipt.cancellation),
                 selectinload(Payment.receipt).selectinload(Receipt.series), selectinload(Payment.refunds),
                 selectinload(Payment.collector))


def account(application: Application) -> Account:
    payments = db.session.scalars(sa.select(Payment).where(Payment.application_id == application.id)
                                  .options(*PAYMENT_LOADS).order_by(Payment.id)).all()
    return Account(list(application.fees), list(payments))


def _error(cls, field_name: str, message: str):
    return cls(message, {field_name: message})


def _at_desk(user: User, agency_id: int) -> None:
    if not (user.has_role("clerk") and user.can_see_agency(agency_id)):
        raise PermissionDenied(_("Chỉ cán bộ một cửa của nơi tiếp nhận được thu phí."))


def _book_keeper(user: User, agency_id: int) -> None:
    if not (user.has_role("clerk", "supervisor") and user.can_see_agency(agency_id)):
        raise PermissionDenied(_("Chỉ cán bộ một cửa hoặc lãnh đạo của đơn vị thu được hủy biên lai, hoàn phí."))


def is_closed(agency_id: int, day: date) -> bool:
    return db.session.get(DayClose, (agency_id, day)) is not None


def _open_day(agency, day: date) -> None:
    """Hold the agency's books, then refuse if the day is closed (checked under the lock)."""
    lock_books(agency.id, agency.code, day.year)
    if is_closed(agency.id, day):
        raise _error(DayClosed, "day", _("Sổ thu ngày %(day)s đã khóa: không ghi thêm được.",
                                         day=day.strftime("%d/%m/%Y")))


def allocate(account_: Account, amount: int) -> list[dict]:
    """The amount spread over the lines still owing, in their order."""
    paid = account_.paid_on_lines()
    items, left = [], amount
    for line in account_.lines:
        owing = (line.due or 0) - paid.get(line.position, 0)
        if owing <= 0 or left <= 0:
            continue
        take = min(owing, left)
        items.append({"line": line.position, "kind": line.kind, "name": line.name, "amount": take})
        left -= take
    return items


def issue_receipt(payment: Payment, collector: User | None) -> Receipt:
    """The next number of the collecting agency's series for this year, for a payment just made."""
    agency, at = payment.agency, payment.paid_at
    series_id, number = next_receipt_number(agency.id, agency.code, local(at).year)
    receipt = Receipt(series_id=series_id, number=number, payment=payment, agency_id=agency.id,
                      application_code=payment.application.code if payment.application else payment.submission_number,
                      payer_name=payment.payer_name, method=payment.method,
                      lines=[{"kind": item["kind"], "name": item["name"], "amount": item["amount"]}
                             for item in payment.lines],
                      total=payment.amount, issued_at=at, day=local(at).date(),
                      collector_id=collector.id if collector else None,
                      collector_name=collector.full_name if collector else None)
    db.session.add(receipt)
    return receipt


def record_payment(application: Application, user: User, method, amount, payer_name=None,
                   reissue_of: Payment | None = None) -> Payment:
    """Money taken at the desk, cash or transfer, with its receipt."""
    _at_desk(user, application.agency_id)
    errors: dict[str, str] = {}
    if method not in DESK_METHODS:
        errors["method"] = _("Hình thức thu phải là tiền mặt (cash) hoặc chuyển khoản (transfer).")
    amount = inputs.collect(errors, "amount", inputs.integer, amount, _("Số tiền"), 1, AMOUNT_MAX)
    payer_name = inputs.collect(errors, "payer_name", inputs.text, payer_name, _("Người nộp tiền"), inputs.NAME_MAX)
    if errors:
        raise FeeError(next(iter(errors.values())), errors)
    if application.status in REFUNDABLE_STATES:
        raise _error(FeeConflict, "status", _("Hồ sơ đã bị từ chối hoặc dừng: không thu phí."))
    at = now()
    _open_day(application.agency, local(at).date())
    current = account(application)
    if not current.known:
        raise _error(FeeError, "amount", _("Nhập mức phí của từng dòng (số trang, số bản) trước khi thu."))
    if current.balance <= 0:
        raise _error(FeeConflict, "amount", _("Hồ sơ không còn khoản phí phải thu."))
    if any(payment.status == "pending" for payment in current.payments):  # the citizen may be paying right now
        raise _error(FeeConflict, "payment", _("Hồ sơ đang chờ kết quả một lần thanh toán trực tuyến."))
    if amount > current.balance:
        raise _error(FeeError, "amount", _("Số tiền lớn hơn số còn phải thu (%(balance)s đồng).",
                                           balance=thousands(current.balance)))
    payment = Payment(application=application, agency=application.agency, method=method, amount=amount,
                      status="paid", lines=allocate(current, amount),
                      payer_name=payer_name or application.applicant_name, collector_id=user.id,
                      reissue_of_id=reissue_of.id if reissue_of else None, created_at=at, paid_at=at,
                      day=local(at).date())
    db.session.add(payment)
    receipt = issue_receipt(payment, user)
    audit.record("fee_paid", application, user=user, method=method, amount=amount)
    db.session.flush()
    receipt.series  # loaded while the session is open
    return payment


def cancel_payment(payment: Payment, user: User, reason, reissue: dict | None = None) -> Payment | None:
    """Cancel a receipt with its reason (it stays as printed); with `reissue` (method, amount, payer_name), take
    the payment again on a new receipt. Returns the new payment, if any."""
    _book_keeper(user, payment.agency_id)
    reason = inputs.collect(errors := {}, "reason", inputs.text, reason, _("Lý do hủy"), inputs.NOTE_MAX, required=True,
                            multiline=True)
    if errors:
        raise FeeError(errors["reason"], errors)
    receipt = payment.receipt
    if receipt is None or payment.status != "paid":
        raise _error(FeeConflict, "payment", _("Khoản này chưa có biên lai để hủy."))
    if receipt.cancellation is not None:
        raise _error(FeeConflict, "payment", _("Biên lai này đã bị hủy."))
    if payment.refunds:
        raise _error(FeeConflict, "payment", _("Khoản này đã được hoàn trả một phần: không hủy biên lai được."))
    at = now()
    _open_day(payment.agency, local(at).date())
    if is_closed(payment.agency_id, receipt.day):
        raise _error(DayClosed, "day", _("Biên lai thuộc ngày đã khóa sổ: không hủy được, hãy hoàn trả."))
    # by id: setting the relationship would mark the receipt changed, and a receipt refuses every update
    cancellation = ReceiptCancellation(receipt_id=receipt.id, reason=reason, user_id=user.id, at=at,
                                       day=local(at).date(), agency_id=payment.agency_id)
    db.session.add(cancellation)
    audit.record("receipt_cancelled", payment.application, user=user, receipt=receipt.number, reason=reason)
    db.session.flush()
    set_committed_value(receipt, "cancellation", cancellation)
    if reissue is None:
        return None
    return record_payment(payment.application, user, reissue.get("method"), reissue.get("amount"),
                          reissue.get("payer_name"), reissue_of=payment)


def refund_payment(payment: Payment, user: User, amount, reason, decided_by, method="cash") -> Refund:
    """Give back (part of) a payment of a refused or stopped application: its own record; the receipt stays."""
    _book_keeper(user, payment.agency_id)
    errors: dict[str, str] = {}
    amount = inputs.collect(errors, "amount", inputs.integer, amount, _("Số tiền hoàn"), 1, AMOUNT_MAX)
    reason = inputs.collect(errors, "reason", inputs.text, reason, _("Lý do hoàn"), inputs.NOTE_MAX, required=True,
                            multiline=True)
    decided_by = inputs.collect(errors, "decided_by", inputs.text, decided_by, _("Người quyết định"),
                                inputs.NAME_MAX, required=True)
    if method not in DESK_METHODS:
        errors["method"] = _("Hình thức hoàn phải là tiền mặt (cash) hoặc chuyển khoản (transfer).")
    if errors:
        raise FeeError(next(iter(errors.values())), errors)
    application = payment.application
    if application is None or application.status not in REFUNDABLE_STATES:
        raise _error(FeeConflict, "status", _("Chỉ hoàn phí cho hồ sơ bị từ chối hoặc dừng giải quyết."))
    if not payment.counts:
        raise _error(FeeConflict, "payment", _("Khoản này chưa thu hoặc biên lai đã hủy: không có gì để hoàn."))
    left = payment.amount - payment.refunded
    if amount > left:
        raise _error(FeeError, "amount", _("Số tiền hoàn lớn hơn số còn lại của khoản thu (%(left)s đồng).",
                                           left=thousands(left)))
    at = now()
    _open_day(payment.agency, local(at).date())
    refund = Refund(payment=payment, amount=amount, reason=reason, decided_by=decided_by, user_id=user.id, at=at,
                    day=local(at).date(), agency_id=payment.agency_id, method=method)
    db.session.add(refund)
    audit.record("fee_refunded", application, user=user, amount=amount, reason=reason, decided_by=decided_by)
    db.session.flush()
    return refund


def find_payment(payment_id: int, user: User, *, lock: bool = False) -> Payment | None:
    """A payment the user may see (its collecting agency), or None."""
    query = sa.select(Payment).where(Payment.id == payment_id).options(*PAYMENT_LOADS)
    if not user.sees_every_agency():
        query = query.where(Payment.agency_id.in_(sorted(user.visible_agency_ids())))
    if lock and db.session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(of=Payment)
    return db.session.scalar(query)


def find_receipt(symbol: str, number: int, user: User) -> Receipt | None:
    from .models import ReceiptSeries

    query = (sa.select(Receipt).join(ReceiptSeries, Receipt.series_id == ReceiptSeries.id)
             .where(ReceiptSeries.symbol == symbol, Receipt.number == number))
    if not user.sees_every_agency():
        query = query.where(Receipt.agency_id.in_(sorted(user.visible_agency_ids())))
    return db.session.scalar(query)


# ---------------------------------------------------------------- before acceptance (online submissions)


def unpaid_before_acceptance(version, submission_number: str) -> int:
    """What an online submission of this version still owes before the desk may accept it (0: nothing), from the
    lines it will owe that are collected before acceptance and the online payments made for its number.

    The online desk calls it in its acceptance check (reception.online.before_accepting): accept only at 0.
    A line whose amount the publication does not state counts as 0 here: the desk gives its amount when it accepts.
    """
    from ..reception.fee_lines import add_lines_preview

    owed = sum(line.due or 0 for line in add_lines_preview(version) if line.collect == "before")
    paid = db.session.scalar(sa.select(sa.func.coalesce(sa.func.sum(Payment.amount), 0)).where(
        Payment.submission_number == submission_number, Payment.status == "paid")) or 0
    return max(0, owed - paid)


def _submission_version(submission):
    from ..procedures.models import ProcedureVersion

    return db.session.get(ProcedureVersion, submission.procedure_version_id)


def acceptance_check(submission, user) -> None:
    """reception.hooks' condition: a submission whose fees are due before acceptance waits until they are paid
    online. Where online payment is not offered, the citizen cannot pay before the desk sees them: the fee is then
    collected at the desk, and acceptance does not wait for it."""
    from . import gateway

    if not gateway.offered():
        return
    left = unpaid_before_acceptance(_submission_version(submission), submission.number)
    if left > 0:
        raise _error(FeeConflict, "fees", _("Chưa nộp phí, lệ phí trước khi tiếp nhận: còn %(left)s đồng.",
                                            left=thousands(left)))


def waiting_note(submission) -> str | None:
    """For the online queue: what is left to pay before acceptance (where it can be paid online)."""
    from . import gateway

    if not gateway.offered():
        return None
    left = unpaid_before_acceptance(_submission_version(submission), submission.number)
    return _("Chờ nộp phí: %(left)s đồng", left=thousands(left)) if left > 0 else None


def return_check(application: Application, user) -> None:
    """reception.hooks' condition of a return: the fees collected at hand-back are paid first."""
    current = account(application)
    paid = current.paid_on_lines()
    left = sum(max(0, (line.due or 0) - paid.get(line.position, 0)) for line in current.lines
               if line.collect == "at_return")
    if left > 0:
        raise _error(FeeConflict, "fees", _("Thu phí, lệ phí trước khi trả kết quả: còn %(left)s đồng.",
                                            left=thousands(left)))


def attach_submission_payments(submission_number: str, application: Application) -> int:
    """The accepted submission's payments become its application's; returns how many."""
    table = Payment.__table__  # one statement, none read first
    moved = db.session.connection().execute(sa.update(table).where(table.c.submission_number == submission_number,
                                                                   table.c.application_id.is_(None))
                                            .values(application_id=application.id))
    return moved.rowcount
