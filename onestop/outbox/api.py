"""What was sent about an application, to whom (masked) and when, and whether it arrived."""
from flask import jsonify

from ..api import api_blueprint, api_login_required
from ..extensions import db
from ..timeutil import VN
from .models import OutboxMessage
from .queries import mask

bp = api_blueprint("outbox_api", __name__)


def message_json(message: OutboxMessage) -> dict:
    return {
        "channel": message.channel,
        "event": message.event_type,
        "to": mask(message.channel, message.recipient) if message.channel != "portal" else "DVCQG",
        "state": message.state,
        "arrived": message.state == "sent",
        "attempts": message.attempts,
        "created_at": message.created_at.astimezone(VN).isoformat(),
        "sent_at": message.sent_at.astimezone(VN).isoformat() if message.sent_at else None,
        "error": message.last_error if message.state != "sent" else None,
        "answer": message.answer,
    }


@bp.get("/applications/<code>/messages")
@api_login_required()
def application_messages(code):
    from ..reception.api import visible_application

    application = visible_application(code)
    rows = db.session.scalars(db.select(OutboxMessage).where(OutboxMessage.application_id == application.id)
                              .order_by(OutboxMessage.id)).all()
    return jsonify(code=application.code, items=[message_json(row) for row in rows])
