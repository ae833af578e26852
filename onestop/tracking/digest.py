"""The morning digest: one e-mail a day to each supervisor and officer who asked for it, with their overdue and
due-soon files and links to them (`flask --app wsgi digest send`, run by cron)."""
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..database import UTCDateTime, utcnow
from ..extensions import db


class DigestSubscription(db.Model):
    """A user who wants the morning digest, and the day it was last sent (so a second cron run sends nothing)."""

    __tablename__ = "digest_subscription"

    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"), primary_key=True, autoincrement=False)
    active: Mapped[bool] = mapped_column(default=True)
    last_sent_on: Mapped[date | None] = mapped_column(sa.Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user = relationship("User")


def is_subscribed(user) -> bool:
    row = db.session.get(DigestSubscription, user.id)
    return bool(row and row.active)


def subscribe(user, wanted: bool = True) -> DigestSubscription:
    """Start or stop a user's morning digest (flushes; the caller commits)."""
    row = db.session.get(DigestSubscription, user.id)
    if row is None:
        row = DigestSubscription(user_id=user.id)
        db.session.add(row)
    row.active = wanted
    db.session.flush()
    return row
