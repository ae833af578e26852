"""Applications (hồ sơ), their append-only events, the daily code sequence, desk slips."""
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from ..audit import forbid_changes
from ..database import UTCDateTime, utcnow
from ..extensions import db

CHANNELS = ("in_person", "online", "postal")
APPLICANT_KINDS = ("person", "organisation")
# A person's paper (giấy tờ tùy thân): the 12-digit personal identification number (số định danh cá nhân, on the
# căn cước card since 1 July 2024 and on the older CCCD), the old 9-digit CMND, a passport, or another paper the
# clerk names. An organisation is known by its tax code.
PERSON_ID_KINDS = ("personal_id", "cmnd", "passport", "other")
ORGANISATION_ID_KIND = "tax_code"
STATUSES = (
    "received",      # tiếp nhận
    "transferred",   # chuyển xử lý
    "processing",    # đang xử lý
    "waiting_supplement",  # chờ bổ sung
    "result_ready",  # có kết quả
    "returned",      # đã trả kết quả
    "refused",       # từ chối
    "stopped",       # dừng / rút hồ sơ
)
EVENT_TYPES = (
    "receive", "transfer", "step", "request_supplement", "supplement_received",
    "apologise", "result_ready", "return", "refuse", "stop",
)


class DailySequence(db.Model):
    """The last sequence number given per receiving agency and day (mã hồ sơ's NNNN)."""

    __tablename__ = "daily_sequence"

    agency_id: Mapped[int] = mapped_column(sa.ForeignKey("agency.id"), primary_key=True)
    day: Mapped[date] = mapped_column(sa.Date, primary_key=True)
    last_value: Mapped[int] = mapped_column(default=0)


class RegisterSequence(db.Model):
    """The last entry number of a register (sổ theo dõi hồ sơ): one volume per agency, field and year."""

    __tablename__ = "register_sequence"

    agency_id: Mapped[int] = mapped_column(sa.ForeignKey("agency.id"), primary_key=True)
    field: Mapped[str] = mapped_column(sa.String(255), primary_key=True)  # lĩnh vực
    year: Mapped[int] = mapped_column(primary_key=True)
    last_value: Mapped[int] = mapped_column(default=0)


OPEN_SQL = "status IN ('received', 'transferred', 'processing', 'waiting_supplement')"  # the open files


class Application(db.Model):
    __tablename__ = "application"
    # Lists read these in key order (reception.queries): a desk's files and an agency's files newest first, and
    # the open files (a few per cent of all, in partial indexes) soonest due first, overall and per agency.
    __table_args__ = (
        sa.Index("ix_application_agency_received", "agency_id", "received_at", "id"),
        sa.Index("ix_application_processing_received", "processing_agency_id", "received_at", "id"),
        # status included: a list of some of the open states is checked, and counted, in the index alone
        sa.Index("ix_application_open_due", "due_at", "id", postgresql_include=["status"],
                 postgresql_where=sa.text(OPEN_SQL), sqlite_where=sa.text(OPEN_SQL)),
        # an Idempotency-Key belongs to the clerk who sent it
        sa.UniqueConstraint("created_by_id", "submission_key"),
        sa.Index("ix_application_open_processing", "processing_agency_id", "due_at", "id", postgresql_include=["status"],
                 postgresql_where=sa.text(OPEN_SQL), sqlite_where=sa.text(OPEN_SQL)),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(40), unique=True)
    agency_id: Mapped[int] = mapped_column(sa.ForeignKey("agency.id"))  # receiving agency
    procedure_id: Mapped[int] = mapped_column(sa.ForeignKey("procedure.id"), index=True)
    procedure_version_id: Mapped[int] = mapped_column(sa.ForeignKey("procedure_version.id"))
    processing_agency_id: Mapped[int | None] = mapped_column(sa.ForeignKey("agency.id"))
    assignee_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"), index=True)

    applicant_kind: Mapped[str] = mapped_column(sa.String(16), default="person")
    applicant_name: Mapped[str] = mapped_column(sa.String(255))
    applicant_id_kind: Mapped[str] = mapped_column(  # PERSON_ID_KINDS, or tax_code
        sa.String(16), default="personal_id", server_default="personal_id")
    applicant_id_number: Mapped[str] = mapped_column(sa.String(20))
    applicant_id_paper: Mapped[str | None] = mapped_column(sa.String(100))  # the paper's name, for "other"
    applicant_phone: Mapped[str | None] = mapped_column(sa.String(20))
    applicant_email: Mapped[str | None] = mapped_column(sa.String(255))
    applicant_address: Mapped[str | None] = mapped_column(sa.Text)
    representative_name: Mapped[str | None] = mapped_column(sa.String(255))
    representative_id_kind: Mapped[str | None] = mapped_column(sa.String(16))
    representative_id_number: Mapped[str | None] = mapped_column(sa.String(20))
    representative_id_paper: Mapped[str | None] = mapped_column(sa.String(100))
    representative_phone: Mapped[str | None] = mapped_column(sa.String(20))

    channel: Mapped[str] = mapped_column(sa.String(16), default="in_person")
    documents: Mapped[list] = mapped_column(sa.JSON, default=list)  # [{name, kind, copies}]
    sets: Mapped[int] = mapped_column(default=1)
    return_method: Mapped[str | None] = mapped_column(sa.String(32))  # at the desk, by post…
    # The applicant agreed to be told of each step by SMS and e-mail (the desk asks; the status page stops it).
    notify: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    register_entry: Mapped[int | None] = mapped_column()  # in the volume of its field and year (RegisterSequence)

    received_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    reception_moment: Mapped[datetime] = mapped_column(UTCDateTime)
    # Stored for speed; recomputable from the events and the calendar (reception.deadlines).
    due_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    apology_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # the one new appointment
    status: Mapped[str] = mapped_column(sa.String(24), default="received", index=True)
    result_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    returned_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The electronic file at a glance (kept by reception.papers; the rollups count from these, `indicators check`
    # recounts from the papers themselves): every required component digitised or reused, how many reused, and
    # when the result's file was attached.
    papers_digitised: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    papers_reused: Mapped[int] = mapped_column(default=0, server_default="0")
    result_digitised_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    tracking_key: Mapped[str] = mapped_column(sa.String(64))
    submission_key: Mapped[str | None] = mapped_column(sa.String(64))  # unique per user (created_by_id)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    agency = relationship("Agency", foreign_keys=[agency_id])
    processing_agency = relationship("Agency", foreign_keys=[processing_agency_id])
    assignee = relationship("User", foreign_keys=[assignee_id])
    created_by = relationship("User", foreign_keys=[created_by_id])
    procedure = relationship("Procedure")
    version = relationship("ProcedureVersion")
    events: Mapped[list["ApplicationEvent"]] = relationship(
        back_populates="application", order_by="ApplicationEvent.seq"
    )

    def __repr__(self):
        return f"<Application {self.code}>"


class ApplicationEvent(db.Model):
    """One transition of an application: who, when, why. Never edited or deleted."""

    __tablename__ = "application_event"
    __table_args__ = (
        sa.UniqueConstraint("application_id", "seq"),
        # the supervisors' list of back-dated events, by when they were typed in: only those rows are indexed
        sa.Index("ix_application_event_backdated", "recorded_at", "id",
                 postgresql_where=sa.text("backdate_reason IS NOT NULL"),
                 sqlite_where=sa.text("backdate_reason IS NOT NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(sa.ForeignKey("application.id"), index=True)
    seq: Mapped[int] = mapped_column()
    type: Mapped[str] = mapped_column(sa.String(32))
    at: Mapped[datetime] = mapped_column(UTCDateTime)  # when it happened
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    from_status: Mapped[str | None] = mapped_column(sa.String(24))
    to_status: Mapped[str] = mapped_column(sa.String(24))
    note: Mapped[str | None] = mapped_column(sa.Text)
    data: Mapped[dict | None] = mapped_column(sa.JSON)
    # Set when a person typed a time earlier than the moment of recording (ghi lùi thời điểm): why. `at` is the
    # time typed, `recorded_at` the real one.
    backdate_reason: Mapped[str | None] = mapped_column(sa.Text)

    application: Mapped[Application] = relationship(back_populates="events")
    user = relationship("User")

    @property
    def happened_at(self) -> datetime:
        """When it happened. Events are dated when they are recorded (or earlier, typed from a paper record);
        transfers made by versions before 2026-11 were stamped with the next working morning instead, and for
        those the moment they were recorded is when they happened."""
        return min(self.at, self.recorded_at) if self.recorded_at else self.at

    @property
    def backdated(self) -> bool:
        return self.backdate_reason is not None


forbid_changes(ApplicationEvent)


class DeskSlip(db.Model):
    """A file turned away at the desk: a supplement request or a refusal, with no code (for statistics)."""

    __tablename__ = "desk_slip"
    __table_args__ = (sa.Index("ix_desk_slip_agency_id_at", "agency_id", "at"),)  # an agency's slips, newest first

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(16))  # supplement | refusal
    agency_id: Mapped[int] = mapped_column(sa.ForeignKey("agency.id"), index=True)
    procedure_version_id: Mapped[int] = mapped_column(sa.ForeignKey("procedure_version.id"))
    applicant_name: Mapped[str] = mapped_column(sa.String(255))
    applicant_id_kind: Mapped[str | None] = mapped_column(sa.String(16))
    applicant_id_number: Mapped[str | None] = mapped_column(sa.String(20))
    applicant_id_paper: Mapped[str | None] = mapped_column(sa.String(100))
    applicant_phone: Mapped[str | None] = mapped_column(sa.String(20))
    applicant_email: Mapped[str | None] = mapped_column(sa.String(255))
    applicant_address: Mapped[str | None] = mapped_column(sa.Text)
    items: Mapped[list | None] = mapped_column(sa.JSON)  # what to add or complete
    reason: Mapped[str] = mapped_column(sa.Text)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))

    agency = relationship("Agency")
    version = relationship("ProcedureVersion")
    user = relationship("User")


FEE_KINDS = ("phi", "le_phi")  # phí, lệ phí
FEE_COLLECT = ("before", "at_return")  # before acceptance, or when the result is handed back


class ApplicationFee(db.Model):
    """A fee line owed by an application (phí or lệ phí), made when it is received from the version in force.

    The amount is what the publication states; a fee it does not state is asked of the clerk (amount None until
    then), and a fee per page or per copy is multiplied at the desk (unit_amount × quantity). An exemption or a
    reduction (miễn, giảm) takes an amount off with its reason, and is kept. What was paid is the fees package's.
    """

    __tablename__ = "application_fee"
    __table_args__ = (sa.UniqueConstraint("application_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(sa.ForeignKey("application.id"), index=True)
    position: Mapped[int] = mapped_column(default=1)
    kind: Mapped[str] = mapped_column(sa.String(8), default="phi")  # FEE_KINDS
    name: Mapped[str] = mapped_column(sa.Text)
    collect: Mapped[str] = mapped_column(sa.String(16), default="before")  # FEE_COLLECT
    unit_amount: Mapped[int | None] = mapped_column(sa.BigInteger)  # đồng per unit (per page, per copy)
    unit: Mapped[str | None] = mapped_column(sa.String(16))  # trang, bản …; None: one amount for the file
    quantity: Mapped[int | None] = mapped_column()  # counted at the desk for a per-unit fee
    amount: Mapped[int | None] = mapped_column(sa.BigInteger)  # đồng owed before any reduction; None: not known yet
    stated: Mapped[bool] = mapped_column(default=True)  # False: the clerk gave the amount (publication states none)
    reduction: Mapped[int] = mapped_column(sa.BigInteger, default=0)  # đồng taken off (the whole amount: exempt)
    exempt_reason: Mapped[str | None] = mapped_column(sa.Text)
    exempt_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    exempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    set_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))  # who gave the amount or quantity
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    application = relationship("Application", backref=backref("fees", order_by="ApplicationFee.position"))

    @property
    def due(self) -> int | None:
        """What is owed on this line after any reduction; None while the amount is not known."""
        return None if self.amount is None else self.amount - self.reduction

    @property
    def exempt(self) -> bool:
        return self.amount is not None and self.reduction >= self.amount > 0
