"""API tokens: issued for a user name and password, revoked by their owner."""
from flask import jsonify
from flask_babel import gettext as _
from flask_login import current_user

from ..auth import services
from ..auth.models import ApiToken
from ..extensions import db, limiter
from . import ApiError, api_login_required, bp, json_body


@bp.post("/tokens")
@limiter.limit("20 per 15 minutes", deduct_when=lambda response: response.status_code == 401)
def create_token():
    data = json_body()
    username, password = data.get("username"), data.get("password")
    if not isinstance(username, str) or not isinstance(password, str):
        raise ApiError(_("Cần có username và password."), 400)
    user = services.authenticate(username, password)
    if user is None:
        db.session.commit()  # keep the failed attempt in the audit trail
        raise ApiError(_("Tên đăng nhập hoặc mật khẩu không đúng."), 401)
    token = services.issue_token(user, label=data.get("label"))
    db.session.commit()
    return jsonify(token=token), 201


@bp.get("/tokens")
@api_login_required()
def list_tokens():
    rows = db.session.scalars(db.select(ApiToken).filter_by(user_id=current_user.id).order_by(ApiToken.id))
    return jsonify(
        tokens=[
            {
                "id": row.id,
                "label": row.label,
                "created_at": row.created_at.isoformat(),
                "last_used_at": row.last_used_at.isoformat() if row.last_used_at else None,
                "revoked": row.revoked_at is not None,
            }
            for row in rows
        ]
    )


@bp.delete("/tokens/<int:token_id>")
@api_login_required()
def revoke_token(token_id: int):
    row = db.session.get(ApiToken, token_id)
    if row is None or (row.user_id != current_user.id and not current_user.has_role("admin")):
        raise ApiError(_("Không tìm thấy mã truy cập."), 404)
    services.revoke_token(row)
    db.session.commit()
    return "", 204
