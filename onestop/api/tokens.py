"""API tokens: issued for a user name and password, revoked by their owner."""
from flask import jsonify
from flask_babel import gettext as _
from flask_login import current_user

from ..auth import scope, services, throttle
from ..auth.models import ApiToken
from ..database import begin_write
from ..errors import error_response
from ..extensions import db
from . import ApiError, api_login_required, bp, json_body


@bp.post("/tokens")
def create_token():
    """Sign in with a name and password for a token; guesses are throttled as on the sign-in page."""
    data = json_body(scan=False)  # a NUL in a name or password has its own answer
    username, password, label = data.get("username"), data.get("password"), data.get("label")
    if not isinstance(username, str) or not isinstance(password, str):
        raise ApiError(_("Cần có username và password."), 400)
    problem = services.username_problem(username) or services.token_label_problem(label)
    if problem:
        raise ApiError(problem, 400)
    attempt = throttle.begin(username)
    if attempt.refused:
        body, status = error_response(429)
        return body, status, {"Retry-After": str(attempt.retry_after)}
    begin_write()
    user = services.authenticate(username, password)
    if user is None:
        db.session.commit()  # keep the failed attempt in the audit trail
        throttle.count_failure(attempt)
        raise ApiError(_("Tên đăng nhập hoặc mật khẩu không đúng."), 401)
    token = services.issue_token(user, label=label)
    db.session.commit()
    throttle.give_back(attempt)
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


@bp.delete("/tokens/<int(max=2147483647):token_id>")  # beyond a database id: 404, not a 500
@api_login_required()
def revoke_token(token_id: int):
    begin_write()
    row = db.session.get(ApiToken, token_id)
    if row is None or not (row.user_id == current_user.id or administers(row.user)):
        raise ApiError(_("Không tìm thấy mã truy cập."), 404)
    services.revoke_token(row)
    db.session.commit()
    return "", 204


def administers(user) -> bool:
    """An admin may revoke the tokens of the accounts it administers (onestop.auth.scope)."""
    return current_user.has_role("admin") and scope.may_edit_user(current_user, user)
