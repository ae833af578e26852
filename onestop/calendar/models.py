"""The administrator's yearly overrides on top of the statutory holidays."""
from datetime import date, datetime, time

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..database import UTCDateTime, utcnow
from ..extensions import db

# off: an extra day off; work: a make-up working day (e.g. a Saturday);
# half_off_morning / half_off_afternoon: closed for that half of the day.
OVERRIDE_KINDS = ("off", "work", "half_off_morning", "half_off_afternoon")


class CalendarOverride(db.Model):
    __tablename__ = "calendar_override"

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(sa.Date, unique=True)
    kind: Mapped[str] = mapped_column(sa.String(24))
    note: Mapped[str | None] = mapped_column(sa.String(255))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))


class WorkingHours(db.Model):
    """Working windows from a given date on (the newest row not after a day applies to it)."""

    __tablename__ = "working_hours"

    id: Mapped[int] = mapped_column(primary_key=True)
    valid_from: Mapped[date] = mapped_column(sa.Date, unique=True)
    morning_start: Mapped[time] = mapped_column(sa.Time, default=time(7, 30))
    morning_end: Mapped[time] = mapped_column(sa.Time, default=time(11, 30))
    afternoon_start: Mapped[time] = mapped_column(sa.Time, default=time(13, 30))
    afternoon_end: Mapped[time] = mapped_column(sa.Time, default=time(17, 0))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
