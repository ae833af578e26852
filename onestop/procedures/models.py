"""The published procedure catalogue (thủ tục hành chính, TTHC) with its versions."""
from datetime import date, datetime, time

import sqlalchemy as sa
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..database import UTCDateTime, utcnow
from ..extensions import db

TIME_UNITS = ("working_days", "calendar_days", "working_hours", "same_day")
ONLINE_LEVELS = ("full", "partial", "none")  # toàn trình, một phần, không
STATUSES = ("in_force", "suspended", "abolished")
VERSION_STATUSES = ("draft", "in_force", "abolished")  # a draft is offered nowhere; the others from effective_from
LEVELS = ("province", "district", "commune", "shared")  # shared: "áp dụng chung" at several levels
DOCUMENT_KINDS = ("original", "copy", "original_or_copy")


class Procedure(db.Model):
    """A procedure's identity (its national code) and its versions.

    Which version applies, and whether the procedure is abolished, is read from the dated versions for a day
    (procedures/publishing.py): nothing stored has to change when a version's day comes. `current` is only the
    newest version, the one an editor starts from (publishing.newest keeps it so), never what a desk receives under.
    """

    __tablename__ = "procedure"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(32), unique=True)
    # The administrator's switch (a suspension, or an abolition by hand, at once): abolition by a decision is a
    # dated version instead. `status` below is what applies today, both together.
    admin_status: Mapped[str] = mapped_column("status", sa.String(16), default="in_force", index=True)
    # When its fees are collected: "before" acceptance, or "at_return" when the result is handed back.
    fee_collect: Mapped[str] = mapped_column(sa.String(16), default="before", server_default="before")
    current_version_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("procedure_version.id", use_alter=True, name="fk_procedure_current_version")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    current: Mapped["ProcedureVersion | None"] = relationship(
        foreign_keys=[current_version_id], post_update=True
    )
    versions: Mapped[list["ProcedureVersion"]] = relationship(
        foreign_keys="ProcedureVersion.procedure_id",
        back_populates="procedure",
        order_by="ProcedureVersion.number",
    )

    def __repr__(self):
        return f"<Procedure {self.code}>"

    @hybrid_property
    def status(self) -> str:
        """in_force, suspended or abolished today: the administrator's switch, else what the dated versions say."""
        from .publishing import status_on
        from .services import today

        return status_on(self, today())

    @status.inplace.setter
    def _status_setter(self, value: str) -> None:
        self.admin_status = value

    @status.inplace.expression
    @classmethod
    def _status_expression(cls):
        from .publishing import status_expression
        from .services import today

        return status_expression(today())


def _published_default(context):
    """A version inserted already published is public from now; a draft is not yet."""
    return None if context.get_current_parameters().get("status") == "draft" else utcnow()


class ProcedureVersion(db.Model):
    """One published content of a procedure; an application keeps the version it was received under."""

    __tablename__ = "procedure_version"
    __table_args__ = (sa.UniqueConstraint("procedure_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    procedure_id: Mapped[int] = mapped_column(sa.ForeignKey("procedure.id"), index=True)
    number: Mapped[int] = mapped_column(default=1)
    name: Mapped[str] = mapped_column(sa.Text)
    field: Mapped[str] = mapped_column(sa.String(255), index=True)  # lĩnh vực
    agency_id: Mapped[int | None] = mapped_column(sa.ForeignKey("agency.id"), index=True)
    agency_name: Mapped[str | None] = mapped_column(sa.Text)  # cơ quan thực hiện, as published
    level: Mapped[str] = mapped_column(sa.String(16), index=True)
    time_amount: Mapped[int] = mapped_column(default=0)
    time_unit: Mapped[str] = mapped_column(sa.String(16))
    time_text: Mapped[str | None] = mapped_column(sa.Text)  # as published, e.g. "05 ngày làm việc kể từ…"
    same_day_cutoff: Mapped[time | None] = mapped_column(sa.Time)
    # a longer time for bulky or special requests, or an extension by agreement, as published beside the main time;
    # the due date keeps the main time, and the desk shows this when it receives an application
    time_note: Mapped[str | None] = mapped_column(sa.Text)
    fee: Mapped[int] = mapped_column(sa.BigInteger, default=0)  # đồng; 0 is no fee only when fee_known
    fee_known: Mapped[bool] = mapped_column(default=True, server_default=sa.true())  # False: "Không quy định", a reference
    fee_text: Mapped[str | None] = mapped_column(sa.Text)
    online: Mapped[str] = mapped_column(sa.String(16), default="none", index=True)
    online_payment: Mapped[bool] = mapped_column(default=False)
    sets: Mapped[int] = mapped_column(default=1)  # số bộ hồ sơ
    applicants: Mapped[str | None] = mapped_column(sa.Text)  # đối tượng thực hiện
    steps: Mapped[str | None] = mapped_column(sa.Text)
    result: Mapped[str | None] = mapped_column(sa.Text)
    # False for a procedure whose result is no paper (a registration noted in a book, a refund): nothing to digitise
    has_result_paper: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    conditions: Mapped[str | None] = mapped_column(sa.Text)
    legal_basis: Mapped[str | None] = mapped_column(sa.Text)
    where_to_apply: Mapped[str | None] = mapped_column(sa.Text)
    decision_number: Mapped[str | None] = mapped_column(sa.String(64))
    decision_date: Mapped[date | None] = mapped_column(sa.Date)
    decision_signer: Mapped[str | None] = mapped_column(sa.String(255))  # the signer's office, as the decision says
    code_suffix: Mapped[str | None] = mapped_column(sa.String(64))  # the portal's suffix: 000.00.00.H61, H50
    status: Mapped[str] = mapped_column(sa.String(16), default="in_force", server_default="in_force")
    effective_from: Mapped[date | None] = mapped_column(sa.Date)  # hiệu lực từ ngày; None: since the catalogue began
    # The day a later publication takes over (the earliest start of a higher-numbered published version), None while
    # none has: derived from the versions on every publication (publishing.refresh_dates), so that "in force on a
    # day" is a range test in SQL. Nothing changes it when a day comes.
    superseded_from: Mapped[date | None] = mapped_column(sa.Date)
    # When the public catalogue first showed it (niêm yết, công khai): stored as it is created published, or when
    # a draft is published (publishing.publish). Decision 766 asks that it be within 5 working days of its decision.
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=_published_default)
    notes: Mapped[str | None] = mapped_column(sa.Text)
    search_text: Mapped[str] = mapped_column(sa.Text, default="")  # folded code + name + field
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))

    procedure: Mapped[Procedure] = relationship(foreign_keys=[procedure_id], back_populates="versions")
    agency = relationship("Agency")
    created_by = relationship("User")
    documents: Mapped[list["ProcedureDocument"]] = relationship(
        back_populates="version", order_by="ProcedureDocument.position", cascade="all, delete-orphan"
    )

    @property
    def code(self) -> str:
        return self.procedure.code

    @property
    def fee_amount(self) -> int | None:
        """The fee in đồng, 0 for none, None when the publication states no amount."""
        return self.fee if self.fee_known else None

    @property
    def starts(self) -> date:
        """The day this version applies from, for ordering (a version from before dates were kept: the beginning)."""
        return self.effective_from or date.min


class ProcedureDocument(db.Model):
    """A component document (thành phần hồ sơ) of one version."""

    __tablename__ = "procedure_document"

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(sa.ForeignKey("procedure_version.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    name: Mapped[str] = mapped_column(sa.Text)
    kind: Mapped[str] = mapped_column(sa.String(20), default="original")
    copies: Mapped[int] = mapped_column(default=1)
    required: Mapped[bool] = mapped_column(default=True)

    version: Mapped[ProcedureVersion] = relationship(back_populates="documents")


class CatalogueUpload(db.Model):
    """A decision's table uploaded for review, kept so the review page and the import read the same bytes."""

    __tablename__ = "catalogue_upload"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(sa.String(32), unique=True)  # in the review page's address
    filename: Mapped[str] = mapped_column(sa.String(255))
    content: Mapped[bytes] = mapped_column(sa.LargeBinary)
    options: Mapped[dict] = mapped_column(sa.JSON, default=dict)  # default agency, field, level given at upload
    uploaded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    imported_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    imported_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    summary: Mapped[dict | None] = mapped_column(sa.JSON)  # what the import did, rows left out with their reasons
