"""What was paid: payments, receipts (biên lai thu phí, lệ phí) and their series, cancellations, refunds and the
closed days of the day's book. A receipt, its cancellation and a refund are never edited or deleted."""
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..audit import forbid_changes
from ..database import UTCDateTime, utcnow
from ..extensions import db

METHODS = ("cash", "transfer", "online")  # tiền mặt, chuyển khoản, trực tuyến
PAYMENT_STATUSES = ("pending", "paid", "failed")  # pending and failed: online payments only


class ReceiptSeries(db.Model):
    """A receipt series of a collecting agency and year (mẫu số, ký hiệu) and the last number given in it.

    The row is the counter: each receipt adds one in the payment's own transaction (fees.numbering), so numbers
    have no gap, never repeat and are never reused, also with several desks on several workers.
    """

    __tablename__ = "receipt_series"
    __table_args__ = (sa.UniqueConstraint("agency_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(sa.ForeignKey("agency.id"))
    year: Mapped[int] = mapped_column()
    form_number: Mapped[str] = mapped_column(sa.String(32))  # mẫu số
    symbol: Mapped[str] = mapped_column(sa.String(64), unique=True)  # ký hiệu; names the series in addresses
    last_number: Mapped[int] = mapped_column(default=0)

    agency = relationship("Agency")


class Payment(db.Model):
    """Money received for an application's fee lines: at the desk (cash, transfer) or online (pending until the
    gateway says it is paid)."""

    __tablename__ = "payment"
    __table_args__ = (sa.Index("ix_payment_agency_day", "agency_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # An application's fees; or, paid online before acceptance, an online submission's (by its number, until
    # the accepted submission becomes an application: fees.services.attach_submission_payments).
    application_id: Mapped[int | None] = mapped_column(sa.ForeignKey("application.id"), index=True)
    submission_number: Mapped[str | None] = mapped_column(sa.String(40), index=True)
    agency_id: Mapped[int] = mapped_column(sa.ForeignKey("agency.id"))  # the collecting agency
    method: Mapped[str] = mapped_column(sa.String(16))  # METHODS
    amount: Mapped[int] = mapped_column(sa.BigInteger)  # đồng
    status: Mapped[str] = mapped_column(sa.String(16), default="paid", index=True)  # PAYMENT_STATUSES
    lines: Mapped[list] = mapped_column(sa.JSON, default=list)  # [{line, kind, name, amount}] what it paid
    payer_name: Mapped[str] = mapped_column(sa.String(255))
    collector_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))  # None: paid online
    reissue_of_id: Mapped[int | None] = mapped_column(sa.ForeignKey("payment.id"))  # after a cancelled receipt
    reference: Mapped[str | None] = mapped_column(sa.String(64), unique=True)  # online: our reference
    gateway_transaction: Mapped[str | None] = mapped_column(sa.String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    paid_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    day: Mapped[date | None] = mapped_column(sa.Date)  # the day's book it belongs to (Vietnam date of paid_at)

    application = relationship("Application")
    agency = relationship("Agency")
    collector = relationship("User", foreign_keys=[collector_id])
    receipt: Mapped["Receipt | None"] = relationship(back_populates="payment", uselist=False)
    refunds: Mapped[list["Refund"]] = relationship(back_populates="payment", order_by="Refund.id")

    @property
    def cancelled(self) -> bool:
        return self.receipt is not None and self.receipt.cancellation is not None

    @property
    def counts(self) -> bool:
        """Paid and its receipt not cancelled."""
        return self.status == "paid" and not self.cancelled

    @property
    def refunded(self) -> int:
        return sum(refund.amount for refund in self.refunds)


class Receipt(db.Model):
    """The receipt of one payment, as printed: never edited, never deleted; a mistake is a cancellation and a new
    receipt."""

    __tablename__ = "receipt"
    __table_args__ = (sa.UniqueConstraint("series_id", "number"), sa.Index("ix_receipt_agency_day", "agency_id", "day"))

    id: Mapped[int] = mapped_column(primary_key=True)
    series_id: Mapped[int] = mapped_column(sa.ForeignKey("receipt_series.id"))
    number: Mapped[int] = mapped_column()
    payment_id: Mapped[int] = mapped_column(sa.ForeignKey("payment.id"), unique=True)
    agency_id: Mapped[int] = mapped_column(sa.ForeignKey("agency.id"))
    application_code: Mapped[str] = mapped_column(sa.String(40), index=True)
    payer_name: Mapped[str] = mapped_column(sa.String(255))
    method: Mapped[str] = mapped_column(sa.String(16))
    lines: Mapped[list] = mapped_column(sa.JSON)  # [{kind, name, amount}]
    total: Mapped[int] = mapped_column(sa.BigInteger)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime)
    day: Mapped[date] = mapped_column(sa.Date)  # Vietnam date of issue: the day's book it is in
    collector_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    collector_name: Mapped[str | None] = mapped_column(sa.String(255))

    series: Mapped[ReceiptSeries] = relationship()
    payment: Mapped[Payment] = relationship(back_populates="receipt")
    cancellation: Mapped["ReceiptCancellation | None"] = relationship(back_populates="receipt", uselist=False)

    @property
    def label(self) -> str:
        return f"{self.series.symbol} số {self.number:07d}"


class ReceiptCancellation(db.Model):
    """A receipt cancelled (hủy biên lai), with its reason: the receipt stays as it was printed."""

    __tablename__ = "receipt_cancellation"
    __table_args__ = (sa.Index("ix_receipt_cancellation_agency_day", "agency_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    receipt_id: Mapped[int] = mapped_column(sa.ForeignKey("receipt.id"), unique=True)
    reason: Mapped[str] = mapped_column(sa.Text)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    day: Mapped[date] = mapped_column(sa.Date)
    agency_id: Mapped[int] = mapped_column(sa.ForeignKey("agency.id"))

    receipt: Mapped[Receipt] = relationship(back_populates="cancellation")
    user = relationship("User")


class Refund(db.Model):
    """Money given back for a refused or stopped application (hoàn trả), with the reason and who decided it."""

    __tablename__ = "refund"
    __table_args__ = (sa.Index("ix_refund_agency_day", "agency_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    payment_id: Mapped[int] = mapped_column(sa.ForeignKey("payment.id"), index=True)
    amount: Mapped[int] = mapped_column(sa.BigInteger)
    reason: Mapped[str] = mapped_column(sa.Text)
    decided_by: Mapped[str] = mapped_column(sa.String(255))  # the person who decided, as named on the decision
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))  # who recorded it
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    day: Mapped[date] = mapped_column(sa.Date)
    agency_id: Mapped[int] = mapped_column(sa.ForeignKey("agency.id"))
    method: Mapped[str] = mapped_column(sa.String(16))  # how the money went back

    payment: Mapped[Payment] = relationship(back_populates="refunds")
    user = relationship("User")


class DayClose(db.Model):
    """A collecting agency's day closed by a supervisor: nothing dated that day changes after."""

    __tablename__ = "day_close"

    agency_id: Mapped[int] = mapped_column(sa.ForeignKey("agency.id"), primary_key=True)
    day: Mapped[date] = mapped_column(sa.Date, primary_key=True)
    closed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    closed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    totals: Mapped[dict] = mapped_column(sa.JSON)  # the book's totals when it was closed

    closed_by = relationship("User")


for _model in (Receipt, ReceiptCancellation, Refund, DayClose):
    forbid_changes(_model)
