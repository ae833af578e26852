"""Complaints and feedback (phản ánh, kiến nghị: PAKN), their append-only events, and satisfaction ratings.

The tables the citizens' side writes and the supervisors' indicators count. A complaint's stored status and
due time are derived from its events and the working calendar (like an application's), so they can be
recomputed at any later date.
"""
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..audit import forbid_changes
from ..database import UTCDateTime, utcnow
from ..extensions import db

COMPLAINT_CHANNELS = ("online", "in_person", "phone", "letter")
COMPLAINT_STATUSES = (
    "received",     # đã tiếp nhận
    "in_handling",  # đang xử lý
    "answered",     # đã trả lời
    "closed",       # đã đóng
)
COMPLAINT_EVENT_TYPES = ("receive", "assign", "transfer", "respond", "close")
RATING_LEVELS = ("very_satisfied", "satisfied", "not_satisfied")  # rất hài lòng, hài lòng, chưa hài lòng
RATING_CHANNELS = ("status_page", "desk")


class Complaint(db.Model):
    """One piece of feedback or one complaint, about an application or about an agency in general."""

    __tablename__ = "complaint"
    __table_args__ = (sa.Index("ix_complaint_agency_received", "agency_id", "received_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(40), unique=True)
    tracking_key: Mapped[str] = mapped_column(sa.String(64))
    application_id: Mapped[int | None] = mapped_column(sa.ForeignKey("application.id"), index=True)
    agency_id: Mapped[int] = mapped_column(sa.ForeignKey("agency.id"))  # handling it now (indexed with received_at)
    assignee_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"), index=True)
    channel: Mapped[str] = mapped_column(sa.String(16), default="online")
    sender_name: Mapped[str] = mapped_column(sa.String(255))
    sender_contact: Mapped[str | None] = mapped_column(sa.String(255))  # phone or e-mail
    content: Mapped[str] = mapped_column(sa.Text)
    attachment_path: Mapped[str | None] = mapped_column(sa.String(255))  # under the instance folder, never served raw
    attachment_name: Mapped[str | None] = mapped_column(sa.String(255))
    attachment_type: Mapped[str | None] = mapped_column(sa.String(64))
    attachment_size: Mapped[int | None] = mapped_column()
    # The handling time in working days it was received under (the setting may change later).
    deadline_days: Mapped[int] = mapped_column(default=10)
    # Stored for speed; recomputable from received_at, deadline_days, the events and the calendar.
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    status: Mapped[str] = mapped_column(sa.String(16), default="received", index=True)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    response: Mapped[str | None] = mapped_column(sa.Text)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    application = relationship("Application")
    agency = relationship("Agency")
    assignee = relationship("User", foreign_keys=[assignee_id])
    events: Mapped[list["ComplaintEvent"]] = relationship(back_populates="complaint", order_by="ComplaintEvent.seq")

    def __repr__(self):
        return f"<Complaint {self.code}>"


class ComplaintEvent(db.Model):
    """One step of a complaint: who, when, why. Never edited or deleted."""

    __tablename__ = "complaint_event"
    __table_args__ = (sa.UniqueConstraint("complaint_id", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(sa.ForeignKey("complaint.id"), index=True)
    seq: Mapped[int] = mapped_column()
    type: Mapped[str] = mapped_column(sa.String(16))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    from_status: Mapped[str | None] = mapped_column(sa.String(16))
    to_status: Mapped[str] = mapped_column(sa.String(16))
    note: Mapped[str | None] = mapped_column(sa.Text)
    data: Mapped[dict | None] = mapped_column(sa.JSON)

    complaint: Mapped[Complaint] = relationship(back_populates="events")
    user = relationship("User")


forbid_changes(ComplaintEvent)


class Rating(db.Model):
    """The applicant's satisfaction with one application's service, given once (status page or desk tablet)."""

    __tablename__ = "rating"
    # by agency for the counts; by time alone for the supervisors' list of a period's ratings, newest first
    __table_args__ = (sa.Index("ix_rating_agency_at", "agency_id", "at"), sa.Index("ix_rating_at", "at", "id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(sa.ForeignKey("application.id"), unique=True)
    agency_id: Mapped[int] = mapped_column(sa.ForeignKey("agency.id"))  # the receiving agency, for counts
    level: Mapped[str] = mapped_column(sa.String(16))
    reasons: Mapped[list | None] = mapped_column(sa.JSON)  # what was wrong, from a short list
    comment: Mapped[str | None] = mapped_column(sa.Text)
    channel: Mapped[str] = mapped_column(sa.String(16), default="status_page")
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))  # the clerk, when taken at the desk

    application = relationship("Application")


class ComplaintSequence(db.Model):
    """The last complaint number given per agency and day (the NNNN of PA-{agency}-{YYMMDD}-NNNN)."""

    __tablename__ = "complaint_sequence"

    agency_id: Mapped[int] = mapped_column(sa.ForeignKey("agency.id"), primary_key=True)
    day: Mapped[date] = mapped_column(sa.Date, primary_key=True)
    last_value: Mapped[int] = mapped_column(default=0)
