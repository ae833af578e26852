"""The audit trail: who did what. Rows are appended, never edited or deleted."""
from flask import has_request_context, request
from flask_login import current_user
from sqlalchemy import event

from .auth.models import AuditLog
from .extensions import db


def record(action: str, obj=None, *, user=None, object_type=None, object_id=None, **detail) -> AuditLog:
    """Append an audit row in the current transaction (the caller's commit makes it stick)."""
    if user is None and has_request_context() and current_user and current_user.is_authenticated:
        user = current_user._get_current_object()
    if obj is not None:
        object_type = object_type or type(obj).__name__
        object_id = object_id or str(getattr(obj, "code", None) or getattr(obj, "username", None) or getattr(obj, "id", ""))
    row = AuditLog(
        user_id=user.id if user is not None else None,
        username=user.username if user is not None else detail.pop("username", None),
        action=action,
        object_type=object_type,
        object_id=object_id,
        detail=detail or None,
        ip=request.remote_addr if has_request_context() else None,
    )
    db.session.add(row)
    return row


def forbid_changes(model) -> None:
    """Make a model append-only: updating or deleting a row raises."""

    def refuse(mapper, connection, target):
        raise PermissionError(f"{model.__name__} rows are append-only")

    event.listen(model, "before_update", refuse)
    event.listen(model, "before_delete", refuse)


forbid_changes(AuditLog)
