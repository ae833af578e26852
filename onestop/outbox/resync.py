"""Queueing a period's applications again for the portal (after an outage of the portal, or a first connection)."""
from datetime import datetime

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import selectinload

from ..database import utcnow
from ..extensions import db
from . import portal
from .models import OutboxMessage

BATCH = 500


def queue_period(start: datetime, end: datetime) -> int:
    """One dossier update per application received in [start, end], committed a batch at a time."""
    from ..reception.models import Application

    if not portal.configured(current_app.config):
        return 0
    stamp = utcnow().strftime("%Y%m%d%H%M%S%f")
    queued, last_id = 0, 0
    while True:
        batch = db.session.scalars(
            sa.select(Application).where(Application.received_at >= start, Application.received_at <= end,
                                         Application.id > last_id)
            .order_by(Application.id).limit(BATCH).options(selectinload(Application.events))).all()
        if not batch:
            return queued
        moment = utcnow()
        rows = [{"key": f"portal:{app.code}:resync:{stamp}", "channel": "portal", "stream": f"portal:{app.id}",
                 "application_id": app.id, "event_type": "resync", "recipient": None,
                 "payload": {"call": "dossier", "action": "new", "body": portal.dossier(app)},
                 "state": "pending", "attempts": 0, "next_attempt_at": moment, "created_at": moment}
                for app in batch]
        db.session.execute(sa.insert(OutboxMessage.__table__), rows)
        db.session.commit()
        queued += len(rows)
        last_id = batch[-1].id
        db.session.expunge_all()
