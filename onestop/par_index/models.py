"""The PAR INDEX's tables (chỉ số cải cách hành chính): criteria sets and their items, rounds, each unit's sheet
and its answers, evidence, adjustments, actions, and the append-only history of every change.

Points are whole hundredths of a point (`*_cp`: 0.25 points is 25), so sums, averages and ties are exact; the
API and the pages show them divided by 100."""
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..audit import forbid_changes
from ..database import UTCDateTime, utcnow
from ..extensions import db

GROUPS = ("departments", "communes")  # sở, ban, ngành; xã, phường, đặc khu
LEVELS = ("area", "criterion", "sub")  # lĩnh vực, tiêu chí, tiêu chí thành phần
ANSWER_KINDS = ("yes_no", "number", "percent", "points")
STAGES = ("self", "appraisal", "explanation", "second")  # tự chấm, thẩm định, giải trình, thẩm định lại
SURVEY_SOURCES = ("entered", "ratings")  # điều tra xã hội học: nhập theo kết quả, hoặc lấy từ đánh giá hài lòng


class ParSet(db.Model):
    """A year's criteria set (bộ tiêu chí) for one group of units."""

    __tablename__ = "par_set"
    __table_args__ = (sa.UniqueConstraint("year", "group"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column()
    group: Mapped[str] = mapped_column(sa.String(16))  # GROUPS
    title: Mapped[str] = mapped_column(sa.String(500), default="")
    survey_weight_cp: Mapped[int] = mapped_column(default=0)  # the survey component's points (e.g. 3000: 30)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    items: Mapped[list["ParItem"]] = relationship(back_populates="set", order_by="ParItem.position",
                                                  cascade="all, delete-orphan")


class ParItem(db.Model):
    """An area, a criterion or a sub-criterion of a set, numbered as the province's appendix numbers it."""

    __tablename__ = "par_item"
    __table_args__ = (sa.UniqueConstraint("set_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    set_id: Mapped[int] = mapped_column(sa.ForeignKey("par_set.id", ondelete="CASCADE"), index=True)
    parent_id: Mapped[int | None] = mapped_column(sa.ForeignKey("par_item.id"))
    position: Mapped[int] = mapped_column()  # the row's order in the set
    number: Mapped[str] = mapped_column(sa.String(32))  # 1, 1.1, 1.1.1
    level: Mapped[str] = mapped_column(sa.String(16))  # LEVELS
    title: Mapped[str] = mapped_column(sa.Text)
    max_cp: Mapped[int] = mapped_column()
    scoring: Mapped[str | None] = mapped_column(sa.Text)  # cách chấm
    evidence: Mapped[str | None] = mapped_column(sa.Text)  # tài liệu kiểm chứng
    evidence_required: Mapped[bool] = mapped_column(default=False)
    answer_kind: Mapped[str] = mapped_column(sa.String(16), default="points")  # ANSWER_KINDS
    # An indicator the app measures (onestop.par_index.measured.INDICATORS) and its scale:
    # [[threshold, share of max], ...] highest first, e.g. [[100, 1], [90, 0.5], [0, 0]].
    indicator: Mapped[str | None] = mapped_column(sa.String(48))
    scale: Mapped[list | None] = mapped_column(sa.JSON)

    set: Mapped[ParSet] = relationship(back_populates="items")


class ParRound(db.Model):
    """A year's round (đợt): when it opens (the sets of the year freeze) and each stage's deadline."""

    __tablename__ = "par_round"

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(unique=True)
    opens_at: Mapped[datetime] = mapped_column(UTCDateTime)
    self_until: Mapped[datetime] = mapped_column(UTCDateTime)
    appraisal_until: Mapped[datetime] = mapped_column(UTCDateTime)
    explanation_until: Mapped[datetime] = mapped_column(UTCDateTime)
    second_until: Mapped[datetime] = mapped_column(UTCDateTime)
    survey_source: Mapped[str] = mapped_column(sa.String(16), default="entered")  # SURVEY_SOURCES
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def until(self, stage: str) -> datetime:
        return getattr(self, f"{stage}_until")


class ParSheet(db.Model):
    """One unit's score sheet (phiếu chấm) in a round."""

    __tablename__ = "par_sheet"
    __table_args__ = (sa.UniqueConstraint("round_id", "agency_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(sa.ForeignKey("par_round.id"), index=True)
    agency_id: Mapped[int] = mapped_column(sa.ForeignKey("agency.id"), index=True)
    set_id: Mapped[int] = mapped_column(sa.ForeignKey("par_set.id"))
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    submitted_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    survey_cp: Mapped[int | None] = mapped_column()  # entered by the appraiser (survey_source "entered")

    round: Mapped[ParRound] = relationship()
    agency = relationship("Agency")
    set: Mapped[ParSet] = relationship()
    answers: Mapped[list["ParAnswer"]] = relationship(back_populates="sheet", cascade="all, delete-orphan")


class ParAnswer(db.Model):
    """A sheet's row for one sub-criterion: what the unit declared and scored, and what the appraiser gave."""

    __tablename__ = "par_answer"
    __table_args__ = (sa.UniqueConstraint("sheet_id", "item_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    sheet_id: Mapped[int] = mapped_column(sa.ForeignKey("par_sheet.id", ondelete="CASCADE"), index=True)
    item_id: Mapped[int] = mapped_column(sa.ForeignKey("par_item.id"))
    declared: Mapped[str | None] = mapped_column(sa.String(255))  # số liệu tự khai (yes/no/na, a number, a %)
    self_cp: Mapped[int | None] = mapped_column()
    note: Mapped[str | None] = mapped_column(sa.Text)  # the unit's note, or its comment on a measured figure
    appraised_cp: Mapped[int | None] = mapped_column()
    appraisal_note: Mapped[str | None] = mapped_column(sa.Text)
    explanation_requested: Mapped[bool] = mapped_column(default=False)
    explanation: Mapped[str | None] = mapped_column(sa.Text)  # the unit's giải trình
    second_cp: Mapped[int | None] = mapped_column()
    second_note: Mapped[str | None] = mapped_column(sa.Text)

    sheet: Mapped[ParSheet] = relationship(back_populates="answers")
    item: Mapped[ParItem] = relationship(lazy="joined")
    evidence: Mapped[list["ParEvidence"]] = relationship(order_by="ParEvidence.id", cascade="all, delete-orphan")


class ParEvidence(db.Model):
    """An evidence file (tài liệu kiểm chứng) of an answer, stored in onestop.files by its SHA-256."""

    __tablename__ = "par_evidence"

    id: Mapped[int] = mapped_column(primary_key=True)
    answer_id: Mapped[int] = mapped_column(sa.ForeignKey("par_answer.id", ondelete="CASCADE"), index=True)
    stage: Mapped[str] = mapped_column(sa.String(16))  # self or explanation
    sha256: Mapped[str] = mapped_column(sa.String(64))
    name: Mapped[str] = mapped_column(sa.String(255))
    mimetype: Mapped[str] = mapped_column(sa.String(64))
    size: Mapped[int] = mapped_column()
    uploaded_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ParAdjustment(db.Model):
    """Bonus or penalty points (điểm thưởng, điểm trừ) the appraiser gives a sheet, with the reason."""

    __tablename__ = "par_adjustment"

    id: Mapped[int] = mapped_column(primary_key=True)
    sheet_id: Mapped[int] = mapped_column(sa.ForeignKey("par_sheet.id", ondelete="CASCADE"), index=True)
    points_cp: Mapped[int] = mapped_column()  # positive: bonus; negative: penalty
    reason: Mapped[str] = mapped_column(sa.Text)
    by_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ParHistory(db.Model):
    """Every change to a sheet: who, when, at which stage, which field, from what to what. Never edited."""

    __tablename__ = "par_history"

    id: Mapped[int] = mapped_column(primary_key=True)
    sheet_id: Mapped[int] = mapped_column(sa.ForeignKey("par_sheet.id", ondelete="CASCADE"), index=True)
    item_id: Mapped[int | None] = mapped_column(sa.ForeignKey("par_item.id"))  # None: the sheet itself
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    stage: Mapped[str] = mapped_column(sa.String(16))
    field: Mapped[str] = mapped_column(sa.String(32))
    old: Mapped[str | None] = mapped_column(sa.Text)
    new: Mapped[str | None] = mapped_column(sa.Text)

    user = relationship("User")


class ParAction(db.Model):
    """What a unit will do about points it lost (directive 09, section 1.a): who, by when, and when it was done."""

    __tablename__ = "par_action"

    id: Mapped[int] = mapped_column(primary_key=True)
    sheet_id: Mapped[int] = mapped_column(sa.ForeignKey("par_sheet.id", ondelete="CASCADE"), index=True)
    item_id: Mapped[int] = mapped_column(sa.ForeignKey("par_item.id"))
    text: Mapped[str] = mapped_column(sa.Text)
    owner: Mapped[str] = mapped_column(sa.String(255))
    due_on: Mapped[date] = mapped_column(sa.Date)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


forbid_changes(ParHistory)
