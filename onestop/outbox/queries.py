"""Which messages a member of staff may see: those of the applications of the agencies they see."""
import sqlalchemy as sa

from .models import OutboxMessage


def visible(user) -> sa.Select:
    from ..reception.models import Application

    return sa.select(OutboxMessage).join(Application, Application.id == OutboxMessage.application_id).where(
        Application.agency_id.in_(user.visible_agency_ids()))


def mask(channel: str, recipient: str | None) -> str:
    """An address or a phone as staff see it in lists: enough to recognise, not to copy."""
    if not recipient:
        return ""
    if channel == "email" and "@" in recipient:
        name, domain = recipient.split("@", 1)
        return f"{name[:2]}***@{domain}"
    return f"{recipient[:3]}****{recipient[-3:]}" if len(recipient) > 6 else "****"
