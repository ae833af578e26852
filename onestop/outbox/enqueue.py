"""Messages are written with the event that causes them: session listeners (as the rollups are) note each new
application event when it is flushed and, as the transaction commits, write the messages it owes in one INSERT on
the same connection, so a rolled-back event sends nothing and a committed one is never forgotten. Reception knows
nothing of this."""
from flask import current_app, has_app_context
from sqlalchemy import event, insert, inspect
from sqlalchemy.orm import Session

from ..database import utcnow
from . import mail, portal, sms
from .models import OutboxMessage

# What the citizen is told of (issue 18): reception, a supplement request, an apology with its new date, the
# result, its hand-back (by post, the citizen learns it is on its way), a refusal. Payment (the fees issue) joins
# them when it records events.
CITIZEN_EVENTS = ("receive", "request_supplement", "apologise", "result_ready", "return", "refuse")


def messages_for(application, item, config) -> list[dict]:
    """The rows an event owes: one to the portal (when configured), an e-mail and an SMS (with consent)."""
    rows = []
    if portal.configured(config):
        rows.append(_row("portal", f"portal:{application.code}:{item.seq}", f"portal:{application.id}",
                         application, item, None, portal.message(application, item)))
    if item.type in CITIZEN_EVENTS:
        rows.extend(citizen_messages(application, item, str(item.seq), config))
    return rows


def citizen_messages(application, item, tag: str, config) -> list[dict]:
    """The e-mail and the SMS an applicant who agreed is sent about `item` (an event, or a payment)."""
    if not getattr(application, "notify", False):
        return []
    rows = []
    if application.applicant_email and mail.configured(config):
        rows.append(_row("email", f"email:{application.code}:{tag}", f"email:{application.id}",
                         application, item, application.applicant_email, mail.message(application, item)))
    if application.applicant_phone and sms.configured(config):
        rows.append(_row("sms", f"sms:{application.code}:{tag}", f"sms:{application.id}",
                         application, item, application.applicant_phone, sms.message(application, item, config)))
    return rows


def _row(channel, key, stream, application, item, recipient, payload) -> dict:
    moment = utcnow()
    return {"key": key, "channel": channel, "stream": stream, "application_id": application.id,
            "event_type": item.type, "recipient": recipient, "payload": payload, "state": "pending", "attempts": 0,
            "next_attempt_at": moment, "created_at": moment}


def payment_messages(application, payment, config) -> list[dict]:
    """A fee paid (at the desk, or online when the platform confirms it): the citizen is told, with consent."""
    return citizen_messages(application, PaymentNote(payment), f"pay:{payment.id}", config)


class PaymentNote:
    """A payment seen as the texts see an event: its type and what they print."""

    type = "payment"

    def __init__(self, payment):
        receipt = payment.receipt
        self.data = {"amount": payment.amount, "method": payment.method,
                     "receipt": receipt.label if receipt is not None else None}


def _after_flush(session, flush_context):
    """Note the events this flush wrote, and the payments it saw paid; their messages are made at commit, when the
    application stands as the transaction leaves it (an event is flushed before the application's derived state
    is set)."""
    from ..fees.models import Payment
    from ..reception.models import ApplicationEvent

    new_events = [obj for obj in session.new if isinstance(obj, ApplicationEvent)]
    if new_events:
        session.info.setdefault("outbox_events", []).extend(new_events)
    paid = [obj for obj in session.new | session.dirty if isinstance(obj, Payment) and obj.status == "paid"
            and obj.application_id is not None and _became_paid(obj)]
    if paid:
        session.info.setdefault("outbox_payments", []).extend(paid)


def _became_paid(payment) -> bool:
    history = inspect(payment).attrs["status"].history
    return inspect(payment).pending or (bool(history.added) and history.deleted != ["paid"])


def _before_commit(session):
    if not (session.info.get("outbox_events") or session.info.get("outbox_payments")) or not has_app_context():
        _after_rollback(session)
        return
    session.flush()
    # an event flushed in a savepoint that was rolled back is no longer persistent: it owes nothing
    events = [item for item in session.info.pop("outbox_events", []) if inspect(item).persistent]
    payments = {item.id: item for item in session.info.pop("outbox_payments", []) if inspect(item).persistent}
    config = current_app.config
    rows = []
    with session.no_autoflush:
        for item in sorted(events, key=lambda e: (e.application_id, e.seq)):
            if item.application is not None:
                rows.extend(messages_for(item.application, item, config))
        for payment in sorted(payments.values(), key=lambda p: p.id):
            if payment.application is not None:
                rows.extend(payment_messages(payment.application, payment, config))
    if rows:
        session.connection().execute(insert(OutboxMessage.__table__), rows)  # one statement for them all


def _after_rollback(session):
    session.info.pop("outbox_events", None)
    session.info.pop("outbox_payments", None)


def init_listeners() -> None:
    for name, listener in (("after_flush", _after_flush), ("before_commit", _before_commit),
                           ("after_rollback", _after_rollback)):
        if not event.contains(Session, name, listener):
            event.listen(Session, name, listener)
