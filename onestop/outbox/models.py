"""The outbox: every message to the outside (the national portal, an e-mail, an SMS), written in the transaction of
the event that causes it and delivered later by `flask --app wsgi outbox work`."""
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..database import UTCDateTime, utcnow
from ..extensions import db

CHANNELS = ("portal", "email", "sms")
STATES = ("pending", "sent", "held")  # held: every attempt failed; an administrator sees why and sends it again
UNSENT_SQL = "state <> 'sent'"


class OutboxMessage(db.Model):
    __tablename__ = "outbox_message"
    __table_args__ = (
        # the worker's question: what is due now, oldest first (only the unsent few are indexed)
        sa.Index("ix_outbox_message_due", "next_attempt_at", "id",
                 postgresql_where=sa.text("state = 'pending'"), sqlite_where=sa.text("state = 'pending'")),
        # a stream (one receiver, one application) is delivered in order: an unsent earlier message holds the rest
        sa.Index("ix_outbox_message_stream_unsent", "stream", "id",
                 postgresql_where=sa.text(UNSENT_SQL), sqlite_where=sa.text(UNSENT_SQL)),
        sa.Index("ix_outbox_message_application", "application_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(120), unique=True)  # the receiver drops a duplicate by it
    channel: Mapped[str] = mapped_column(sa.String(16))
    stream: Mapped[str] = mapped_column(sa.String(80))
    application_id: Mapped[int | None] = mapped_column(sa.ForeignKey("application.id"))
    event_type: Mapped[str | None] = mapped_column(sa.String(32))
    recipient: Mapped[str | None] = mapped_column(sa.String(255))  # a phone or an address; shown masked
    payload: Mapped[dict] = mapped_column(sa.JSON)
    state: Mapped[str] = mapped_column(sa.String(16), default="pending")
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_error: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    answer: Mapped[str | None] = mapped_column(sa.Text)  # what the receiver said (the portal's words)
