"""Delivering the outbox: several workers on several hosts share it on PostgreSQL (row locks with SKIP LOCKED), one
runs on SQLite. A message is marked sent in the transaction that locked it, so a worker killed mid-delivery leaves
it pending for the next (its key lets the receiver drop the copy it may already have)."""
import time
from collections import Counter
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app

from ..database import begin_write, utcnow
from ..extensions import db
from . import mail, portal_client, sms
from .models import OutboxMessage

DEFAULT_RETRY_SECONDS = "60,300,1800,7200,21600"  # after the 1st..5th failure; the 6th holds the message


def retry_delays(config) -> list[int]:
    return [int(part) for part in str(config.get("OUTBOX_RETRY_SECONDS") or DEFAULT_RETRY_SECONDS).split(",")
            if part.strip()]


def due_messages(limit: int):
    """Pending messages whose time has come and that are first of their stream, oldest first, locked for us."""
    earlier = sa.alias(OutboxMessage.__table__, "earlier")
    blocked = sa.exists().where(earlier.c.stream == OutboxMessage.stream, earlier.c.id < OutboxMessage.id,
                                earlier.c.state != "sent")
    query = (sa.select(OutboxMessage)
             .where(OutboxMessage.state == "pending", OutboxMessage.next_attempt_at <= utcnow(), ~blocked)
             .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id).limit(limit))
    if db.engine.dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True, of=OutboxMessage)
    return list(db.session.scalars(query))


def send(message: OutboxMessage, config) -> str:
    if message.channel == "portal":
        return portal_client.send(config, message.payload, message.key)
    if message.channel == "email":
        return mail.send(config, message.recipient, message.payload, message.key)
    if message.channel == "sms":
        return sms.send(config, message.recipient, message.payload, message.key)
    raise ValueError(f"unknown channel {message.channel}")


def _failed(message: OutboxMessage, error: str, config, final: bool = False) -> str:
    message.attempts += 1
    message.last_error = error[:2000]
    delays = retry_delays(config)
    if final or message.attempts > len(delays):
        message.state = "held"
        return "held"
    message.next_attempt_at = utcnow() + timedelta(seconds=delays[message.attempts - 1])
    return "retry"


def _deliver(message: OutboxMessage, config, down: set, outcome: Counter) -> tuple | None:
    """Send one message; (state change) to record, or None when its receiver is down this batch."""
    if message.channel in down:
        outcome["deferred"] += 1
        return None
    try:
        answer = send(message, config)
    except portal_client.PortalRefused as refusal:  # the portal's words, for staff to read
        return ("refused", str(refusal))
    except Exception as error:  # noqa: BLE001  (a receiver down, a timeout: try again later)
        down.add(message.channel)
        if message.channel == "portal":
            portal_client.forget_session()
        return ("failed", f"{type(error).__name__}: {error}")
    return ("sent", answer or "")


def _record(message: OutboxMessage, result: tuple, config, outcome: Counter) -> None:
    kind, text = result
    if kind == "sent":
        message.state, message.sent_at, message.answer = "sent", utcnow(), text[:2000]
        message.attempts += 1
        outcome["sent"] += 1
    elif kind == "refused":
        message.answer = text[:2000]
        outcome[_failed(message, f"Cổng từ chối: {text}", config, final=True)] += 1
    else:
        outcome[_failed(message, text, config)] += 1


def work_once(limit: int = 50) -> Counter:
    """One batch: take what is due, deliver it, record each outcome. A receiver that is down is tried once a
    batch; the rest of its messages wait for the next.

    On PostgreSQL the batch stays locked (FOR UPDATE SKIP LOCKED) from taking to recording: another worker skips
    it, and a kill in between leaves it pending. SQLite has one writer for the whole site: holding it while a
    receiver answers would stop the desks, so the batch is read, delivered, then recorded in a short write; a kill
    in between leaves it pending too (sent again under the same key)."""
    config = current_app.config
    outcome, down, results = Counter(), set(), []
    locking = db.engine.dialect.name == "postgresql"
    try:
        messages = due_messages(limit)
        if not locking:
            for message in messages:
                db.session.expunge(message)
            db.session.rollback()
        for message in messages:
            result = _deliver(message, config, down, outcome)
            if result is not None:
                results.append((message, result))
        if not locking and results:
            begin_write()
            results = [(db.session.merge(message, load=True), result) for message, result in results]
        for message, result in results:
            _record(message, result, config, outcome)
        synced = [message.application_id for message, _result in results if message.state == "sent"
                  and message.channel == "portal" and message.event_type == "receive" and message.application_id]
        if synced:
            from . import synced_listeners

            db.session.flush()
            for listener in synced_listeners:
                listener(db.session.connection(), synced)
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    return outcome


def work(once: bool = False, limit: int = 50, idle_seconds: float = 2.0, stop=lambda: False, report=None) -> Counter:
    """Deliver until stopped (or, with `once`, until nothing is due)."""
    total = Counter()
    while not stop():
        outcome = work_once(limit)
        total.update(outcome)
        if report and outcome:
            report(outcome)
        if not outcome or set(outcome) <= {"deferred", "retry", "held"}:
            if once:
                break
            time.sleep(idle_seconds)
    return total


def resend(message_id: int) -> OutboxMessage | None:
    """An administrator sends a held message again: it goes back in line, first of its stream."""
    message = db.session.get(OutboxMessage, message_id)
    if message is None or message.state != "held":
        return message
    message.state, message.next_attempt_at, message.attempts = "pending", utcnow(), 0
    db.session.flush()
    return message


def backlog() -> dict:
    """How many messages wait, how many are held, and the age of the oldest waiting (for the board)."""
    waiting, oldest = db.session.execute(
        sa.select(sa.func.count(), sa.func.min(OutboxMessage.created_at)).where(OutboxMessage.state == "pending")
    ).one()
    held = db.session.scalar(sa.select(sa.func.count()).where(OutboxMessage.state == "held"))
    return {"waiting": waiting, "held": held, "oldest_seconds": int((utcnow() - oldest).total_seconds())
            if oldest else 0}
