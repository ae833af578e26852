"""The electronic file's tables (số hóa): the applicant's paper store (kho giấy tờ), the papers of an application
per component document, and the result document. The bytes live in onestop.files; rows here hold their SHA-256."""
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..database import UTCDateTime, utcnow
from ..extensions import db


class StoredPaper(db.Model):
    """A paper in its holder's store (kho giấy tờ): kept under the holder's identity number, with what it is (the
    component's name), its number, issuer, issue date and validity where known; reused by later applications."""

    __tablename__ = "stored_paper"
    __table_args__ = (sa.Index("ix_stored_paper_holder_kind", "holder_id_number", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    holder_id_number: Mapped[str] = mapped_column(sa.String(20))
    holder_name: Mapped[str | None] = mapped_column(sa.String(255))
    kind: Mapped[str] = mapped_column(sa.Text)  # the component's name, e.g. "Giấy chứng sinh"
    number: Mapped[str | None] = mapped_column(sa.String(64))
    issuer: Mapped[str | None] = mapped_column(sa.String(255))
    issued_on: Mapped[date | None] = mapped_column(sa.Date)
    valid_until: Mapped[date | None] = mapped_column(sa.Date)  # None: no end known
    source_application_id: Mapped[int | None] = mapped_column(sa.ForeignKey("application.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))

    files: Mapped[list["PaperFile"]] = relationship(back_populates="paper", order_by="PaperFile.seq",
                                                    cascade="all, delete-orphan")
    source_application = relationship("Application", foreign_keys=[source_application_id])
    created_by = relationship("User")

    def valid_on(self, day: date) -> bool:
        return self.valid_until is None or self.valid_until >= day


class PaperFile(db.Model):
    """One file (a page or a whole PDF) of a stored paper."""

    __tablename__ = "paper_file"
    __table_args__ = (sa.UniqueConstraint("paper_id", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    paper_id: Mapped[int] = mapped_column(sa.ForeignKey("stored_paper.id"), index=True)
    seq: Mapped[int] = mapped_column()
    sha256: Mapped[str] = mapped_column(sa.ForeignKey("stored_file.sha256"), index=True)
    name: Mapped[str] = mapped_column(sa.String(255))  # as the sender named it (checked), for the download
    mimetype: Mapped[str] = mapped_column(sa.String(64))
    pages: Mapped[int] = mapped_column(default=1)
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    added_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))

    paper: Mapped[StoredPaper] = relationship(back_populates="files")


class ApplicationPaper(db.Model):
    """A component document of an application (the version's ProcedureDocument at `position`), digitised for it
    or reused from the holder's store."""

    __tablename__ = "application_paper"
    __table_args__ = (sa.UniqueConstraint("application_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(sa.ForeignKey("application.id"))
    position: Mapped[int] = mapped_column()
    stored_paper_id: Mapped[int] = mapped_column(sa.ForeignKey("stored_paper.id"), index=True)
    reused: Mapped[bool] = mapped_column(default=False)  # tái sử dụng: taken from the store, not scanned again
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))

    application = relationship("Application")
    paper: Mapped[StoredPaper] = relationship()
    user = relationship("User")


class ResultDocument(db.Model):
    """The result (kết quả) of an application: its number, date and signer (for the control slip and the portal),
    and its scan or electronic original once attached (kept in the holder's store too)."""

    __tablename__ = "result_document"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(sa.ForeignKey("application.id"), unique=True)
    number: Mapped[str] = mapped_column(sa.String(64))
    signed_on: Mapped[date] = mapped_column(sa.Date)
    signer: Mapped[str] = mapped_column(sa.String(255))
    stored_paper_id: Mapped[int | None] = mapped_column(sa.ForeignKey("stored_paper.id"))
    digitised_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # when its file was attached
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))

    application = relationship("Application")
    paper: Mapped[StoredPaper | None] = relationship()
    user = relationship("User")
