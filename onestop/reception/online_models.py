"""Online submissions (nộp hồ sơ trực tuyến): what a citizen sent, its papers and its append-only events.

A submission is not yet an application: it has a public number and a key, waits for the desk of the receiving
agency, and becomes an application (with its code) only when a clerk accepts it.
"""
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, column_property, mapped_column, relationship

from ..audit import forbid_changes
from ..database import UTCDateTime, utcnow
from ..extensions import db

# waiting: chờ bộ phận một cửa kiểm tra; supplement_requested: chờ người nộp bổ sung; lapsed is never stored: a
# supplement request past its deadline reads as lapsed (online.state_of), so no job has to run at midnight.
SUBMISSION_STATES = ("waiting", "supplement_requested", "accepted", "refused", "lapsed")
SUBMISSION_EVENTS = ("submit", "request_supplement", "supplement", "accept", "refuse")
WAITING_SQL = "state = 'waiting'"


class Submission(db.Model):
    __tablename__ = "submission"
    __table_args__ = (
        # the desk's queue: an agency's waiting submissions, oldest first, in the index alone
        sa.Index("ix_submission_queue", "agency_id", "queued_at", "id",
                 postgresql_where=sa.text(WAITING_SQL), sqlite_where=sa.text(WAITING_SQL)),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(sa.String(24), unique=True)  # TT-261207-K7QM2X, shown to the citizen
    key: Mapped[str] = mapped_column(sa.String(64))  # like an application's tracking key
    procedure_id: Mapped[int] = mapped_column(sa.ForeignKey("procedure.id"))
    procedure_version_id: Mapped[int] = mapped_column(sa.ForeignKey("procedure_version.id"))
    agency_id: Mapped[int] = mapped_column(sa.ForeignKey("agency.id"), index=True)  # the receiving agency
    online_level: Mapped[str] = mapped_column(sa.String(16))  # full | partial, of the version when submitted

    applicant_kind: Mapped[str] = mapped_column(sa.String(16), default="person")
    applicant_name: Mapped[str] = mapped_column(sa.String(255))
    applicant_id_kind: Mapped[str] = mapped_column(sa.String(16))
    applicant_id_number: Mapped[str] = mapped_column(sa.String(20))
    applicant_id_paper: Mapped[str | None] = mapped_column(sa.String(100))
    applicant_phone: Mapped[str | None] = mapped_column(sa.String(20))
    applicant_email: Mapped[str | None] = mapped_column(sa.String(255))
    applicant_address: Mapped[str | None] = mapped_column(sa.Text)
    representative_name: Mapped[str | None] = mapped_column(sa.String(255))
    representative_id_kind: Mapped[str | None] = mapped_column(sa.String(16))
    representative_id_number: Mapped[str | None] = mapped_column(sa.String(20))
    representative_id_paper: Mapped[str | None] = mapped_column(sa.String(100))
    representative_phone: Mapped[str | None] = mapped_column(sa.String(20))
    return_method: Mapped[str] = mapped_column(sa.String(32), default="at_desk")
    postal_address: Mapped[str | None] = mapped_column(sa.Text)  # where the result goes, when by post

    state: Mapped[str] = mapped_column(sa.String(24), default="waiting", index=True)
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime)
    queued_at: Mapped[datetime] = mapped_column(UTCDateTime)  # since when it waits for the desk (again)
    supplement_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # lapses after this, if not supplemented
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    application_id: Mapped[int | None] = mapped_column(sa.ForeignKey("application.id"), unique=True)
    slip_id: Mapped[int | None] = mapped_column(sa.ForeignKey("desk_slip.id"))  # the last supplement or refusal slip
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    procedure = relationship("Procedure")
    version = relationship("ProcedureVersion")
    agency = relationship("Agency")
    application = relationship("Application")
    slip = relationship("DeskSlip")
    papers: Mapped[list["SubmissionPaper"]] = relationship(back_populates="submission",
                                                           order_by="SubmissionPaper.id")
    events: Mapped[list["SubmissionEvent"]] = relationship(back_populates="submission",
                                                           order_by="SubmissionEvent.seq")

    def __repr__(self):
        return f"<Submission {self.number}>"


class SubmissionPaper(db.Model):
    """One component paper as uploaded (several photos already joined into one PDF); a later upload for the same
    position supersedes it, and both are kept."""

    __tablename__ = "submission_paper"

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(sa.ForeignKey("submission.id"), index=True)
    position: Mapped[int] = mapped_column()  # the component's position in the version
    name: Mapped[str] = mapped_column(sa.String(255))  # the file name as given, cleaned
    sha256: Mapped[str] = mapped_column(sa.String(64))  # in files' storage
    mimetype: Mapped[str] = mapped_column(sa.String(64))
    size: Mapped[int] = mapped_column(sa.BigInteger)
    pages: Mapped[int | None] = mapped_column()
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # taken from the citizen's own earlier application instead of uploaded (tái sử dụng): the stored paper
    stored_paper_id: Mapped[int | None] = mapped_column(sa.ForeignKey("stored_paper.id"))

    submission: Mapped[Submission] = relationship(back_populates="papers")


class SubmissionEvent(db.Model):
    """One step of a submission: submitted, supplement asked or given, accepted, refused. Never edited."""

    __tablename__ = "submission_event"
    __table_args__ = (sa.UniqueConstraint("submission_id", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(sa.ForeignKey("submission.id"), index=True)
    seq: Mapped[int] = mapped_column()
    type: Mapped[str] = mapped_column(sa.String(32))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))  # None: the citizen
    from_state: Mapped[str | None] = mapped_column(sa.String(24))
    to_state: Mapped[str] = mapped_column(sa.String(24))
    data: Mapped[dict | None] = mapped_column(sa.JSON)

    submission: Mapped[Submission] = relationship(back_populates="events")
    user = relationship("User")


forbid_changes(SubmissionEvent)

# The number of the submission's last event, read with it when the desk decides (online.DECIDING): the decision's
# event is numbered without reading every event before it.
Submission.last_event_seq = column_property(
    sa.select(sa.func.coalesce(sa.func.max(SubmissionEvent.seq), 0))
    .where(SubmissionEvent.submission_id == Submission.id).correlate_except(SubmissionEvent).scalar_subquery(),
    deferred=True)
