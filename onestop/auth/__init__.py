"""Accounts: sessions, bearer tokens, roles and agency scoping."""
from datetime import datetime, timedelta, timezone
from functools import wraps

import sqlalchemy as sa
from flask import abort, current_app, g, request
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import joinedload

from ..database import utcnow
from ..extensions import csrf, db, login_manager
from ..timeutil import now
from . import counters, throttle  # noqa: F401  (counters: the "database://" storage registers itself)
from .models import ApiToken, User

UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


def init_app(app):
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Vui lòng đăng nhập để tiếp tục."
    login_manager.login_message_category = "warning"
    login_manager.session_protection = "strong"
    # CSRF applies to every write made with the session cookie; bearer-token calls carry no cookie.
    app.config.setdefault("WTF_CSRF_CHECK_DEFAULT", False)
    app.config["WTF_CSRF_CHECK_DEFAULT"] = False
    app.before_request(forget_previous_request)
    app.before_request(authenticate_bearer)
    app.before_request(protect_session_writes)
    throttle.init_app(app)


# What extensions and this app cache in flask.g for one request.
PER_REQUEST = ("_login_user", "api_token")  # the locale: onestop.i18n; the calendar: onestop.process_cache


def forget_previous_request():
    # g lives in the app context, which a test or a CLI command may keep across requests:
    # never let one request's user or language carry over to the next.
    for name in PER_REQUEST:
        g.pop(name, None)


@login_manager.user_loader
def load_user(session_id: str):
    """The user of a session: "<id>:<version>" (User.get_id), refused once the version has moved on
    (signed out, new password) or the account is locked. Sessions made before versions existed sign in again."""
    user_id, _, version = (session_id or "").partition(":")
    if not (user_id.isdigit() and version.isdigit()):
        return None
    user = db.session.get(User, int(user_id), options=[joinedload(User.role_rows)])  # one query, roles with it
    if user is None or not user.active or user.session_version != int(version):
        return None
    return user


def authenticate_bearer():
    """A call that sends a token is the token's user, or nobody, whatever cookie comes with it: a session left
    from the pages (signed out, or holding only a public form's token) must not turn a valid token into a 401 (Flask-
    Login's strong session protection answers such a session as anonymous before any loader runs), and a revoked
    token is refused even beside a signed-in session."""
    if bearer_token(request):
        login_manager._update_request_context_with_user(load_user_from_bearer(request))


# The token with its user, the user's agency and roles, in one query: every call needs them all. Built once: an
# API call is a few milliseconds, and building the statement with its loader options was a tenth of one.
TOKEN_WITH_USER = sa.select(ApiToken).where(ApiToken.token_hash == sa.bindparam("token_hash")).options(
    joinedload(ApiToken.user).joinedload(User.agency), joinedload(ApiToken.user).joinedload(User.role_rows))


@login_manager.request_loader
def load_user_from_bearer(req):
    """Authenticate an API call by its `Authorization: Bearer <token>` header."""
    token = bearer_token(req)
    if not token:
        return None
    token_hash = ApiToken.hash(token)
    note_token_use(token_hash)
    row = db.session.scalars(TOKEN_WITH_USER, {"token_hash": token_hash}).unique().first()
    if row is None or row.revoked_at is not None or not row.user.active:
        return None
    g.api_token = row
    return row.user


TOKEN_USE_RESOLUTION = timedelta(minutes=5)
# Each token's last use as this process last saw it stored (token hash -> moment): until the resolution has passed
# since then there is nothing to note, and the call needs no connection of its own. Bounded: forgotten when full.
_noted_here: dict[str, datetime] = {}
NOTED_HERE_MOST = 10_000


def note_token_use(token_hash: str) -> None:
    """Keep a token's `last_used_at` to within five minutes, on a connection of its own.

    Its own short transaction, so a GET stays a read and a failed call still counts as a use.
    It runs before the request's session reads anything: on SQLite a session whose snapshot
    predates this write could no longer write itself. Best effort: a busy database never fails
    the call over it.
    """
    if db.session().in_transaction():
        return
    moment = now()
    noted = _noted_here.get(token_hash)
    if noted is not None and noted <= moment < noted + TOKEN_USE_RESOLUTION:
        return
    stale = sa.or_(ApiToken.last_used_at.is_(None), ApiToken.last_used_at < moment - TOKEN_USE_RESOLUTION)
    mine = sa.and_(ApiToken.token_hash == token_hash, ApiToken.revoked_at.is_(None))
    try:
        with db.engine.begin() as connection:
            found = connection.execute(sa.select(ApiToken.id, ApiToken.last_used_at).where(mine)).first()
            if found is None:
                return
            last_used = found.last_used_at  # a read first: most calls stop here
            if last_used is None or last_used < moment - TOKEN_USE_RESOLUTION:
                connection.execute(sa.update(ApiToken).where(mine, stale).values(last_used_at=moment))
                last_used = moment
        if len(_noted_here) >= NOTED_HERE_MOST:
            _noted_here.clear()
        _noted_here[token_hash] = last_used if last_used.tzinfo else last_used.replace(tzinfo=timezone.utc)
    except OperationalError:
        current_app.logger.warning("last use of an API token not recorded (database busy)")


def bearer_token(req) -> str | None:
    header = req.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


def protect_session_writes():
    if request.method not in UNSAFE_METHODS or not request.endpoint:
        return
    if bearer_token(request):
        return  # the token's user or nobody, whatever cookie comes with it (authenticate_bearer): no forged page
        # can send an Authorization header, so the cookie gives a forged request nothing to ride on
    if not carries_session_cookie() and request.path.startswith("/api/"):
        return  # nothing for a forged request to ride on: the API answers 401 without credentials
    if request.endpoint == "api.create_token":  # authenticated by the password in the body, no cookie used
        return
    if current_app_testing_without_csrf():
        return
    csrf.protect()


def carries_session_cookie() -> bool:
    config = current_app.config
    names = (config.get("SESSION_COOKIE_NAME", "session"), config.get("REMEMBER_COOKIE_NAME", "remember_token"))
    return any(name in request.cookies for name in names)


def current_app_testing_without_csrf() -> bool:
    from flask import current_app

    return not current_app.config.get("WTF_CSRF_ENABLED", True)


def roles_required(*roles: str):
    """Allow the view only to signed-in users holding one of these roles."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not current_user.has_role(*roles):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def province_admin_required(view):
    """Allow the view only to an administrator of the province itself: the working calendar and the procedure
    catalogue are the whole province's, so a commune's admin may read them elsewhere but never change them."""

    @wraps(view)
    @roles_required("admin")
    def wrapped(*args, **kwargs):
        from .scope import sees_every_row

        if not sees_every_row(current_user):
            abort(403, description=_("Chỉ quản trị viên cấp tỉnh được sửa lịch làm việc và danh mục thủ tục."))
        return view(*args, **kwargs)

    return wrapped


def require_agency(agency_id: int | None) -> None:
    """403 unless the signed-in user may see this agency's data."""
    if not current_user.can_see_agency(agency_id):
        abort(403)


__all__ = ["roles_required", "province_admin_required", "require_agency", "CSRFError", "utcnow"]
