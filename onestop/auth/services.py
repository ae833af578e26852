"""Account operations: plain functions that flush, never commit (the caller commits)."""
import sqlalchemy as sa
from flask_babel import gettext as _

from .. import audit
from ..database import utcnow
from ..extensions import db
from ..text import clean
from . import passwords, scope
from .models import AGENCY_CODE_RE, CURRENT_LEVELS, LEVELS, Agency, ApiToken, User


class AccountError(ValueError):
    """A request the account rules refuse; the message is shown to the user."""

    status = 400


class AccountForbidden(AccountError):
    """A change beyond the administrator's reach (a peer's account, a role above its own, its own agency's place):
    forbidden (403), whatever was typed."""

    status = 403


class WrongPassword(AccountError):
    """The current password given to change it is not the user's."""


USERNAME_MAX = User.username.type.length


def username_problem(username) -> str | None:
    """Why this cannot be a user name (too long, control characters), in words for the user; None if it can."""
    if not isinstance(username, str) or not username.strip():
        return _("Nhập tên đăng nhập.")
    if len(username.strip()) > USERNAME_MAX:
        return _("Tên đăng nhập dài quá %(n)s ký tự.", n=USERNAME_MAX)
    if not usable(username):
        return _("Tên đăng nhập chứa ký tự không hợp lệ.")
    return None


def usable(text: str) -> bool:
    """Text a database column can hold: no control characters (NUL among them), no lone surrogates."""
    return passwords.hashable(text) and not any(ord(ch) < 32 or 127 <= ord(ch) < 160 for ch in text)


def authenticate(username: str, password: str) -> User | None:
    """The active user with this name and password, or None. Records the attempt in the audit trail.

    Every attempt hashes once, whether the name exists or not, so the answer's timing tells nothing.
    """
    if username_problem(username):
        passwords.spend_like_a_check(password)
        audit.record("login_failed", user=None, object_type="User", object_id=None, username=None)
        return None
    username = clean(username).lower()
    user = db.session.scalar(sa.select(User).where(sa.func.lower(User.username) == username))
    if user is None:
        passwords.spend_like_a_check(password)
    if user is None or not user.check_password(password or "") or not user.active:
        audit.record("login_failed", user=None, object_type="User", object_id=username, username=username)
        return None
    audit.record("login", user=user, object_type="User", object_id=user.username)
    return user


def create_agency(code: str, name: str, level: str, parent: Agency | None = None, *, by: User | None = None,
                  **extra) -> Agency:
    """A new agency; `by` is the administrator (None from the command line or the demo loader)."""
    code = (clean(code) or "").upper()
    if not AGENCY_CODE_RE.match(code) or len(code) > 13:
        raise AccountError(_("Mã định danh «%(code)s» không đúng dạng (ví dụ 000.00.01.H38, tối đa 13 ký tự).", code=code))
    check_level(level)
    if by is not None:
        scope.check_agency_change(by, None, level, parent)
    if parent is not None and LEVELS.index(level) < LEVELS.index(parent.level):
        raise AccountError(_("Cơ quan cấp dưới không được ở cấp cao hơn cơ quan cấp trên."))
    if db.session.scalar(sa.select(Agency.id).filter_by(code=code)):
        raise AccountError(_("Mã định danh %(code)s đã được dùng cho một cơ quan khác.", code=code))
    agency = Agency(code=code, name=clean(name), level=level, parent=parent, **extra)
    check_lengths(agency)
    db.session.add(agency)
    db.session.flush()
    audit.record("agency_created", agency, name=agency.name)
    return agency


def create_user(username: str, password: str, full_name: str, agency: Agency, roles, *, by: User | None = None,
                **extra) -> User:
    """A new account; `by` is the administrator creating it (None from the command line or the demo loader)."""
    problem = username_problem(username)
    if problem:
        raise AccountError(problem)
    username = clean(username).lower()
    if db.session.scalar(sa.select(User.id).where(sa.func.lower(User.username) == username)):
        raise AccountError(_("Tên đăng nhập %(username)s đã tồn tại.", username=username))
    if by is not None:
        scope.check_user_change(by, None, agency, roles)
    check_password_strength(password, username, allow_demo=extra.pop("allow_demo_password", False))
    user = User(username=username, full_name=clean(full_name) or username, agency=agency, **extra)
    check_lengths(user)
    user.roles = roles
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    audit.record("user_created", user, roles=sorted(user.roles), agency=agency.code)
    return user


def check_lengths(row) -> None:
    """Text longer than its column is refused with a message (PostgreSQL would refuse it with a 500)."""
    for column in type(row).__table__.columns:
        value = getattr(row, column.key, None)
        limit = getattr(column.type, "length", None)
        if isinstance(value, str) and limit and len(value) > limit:
            raise AccountError(_("«%(field)s» dài quá %(n)s ký tự.", field=column.key, n=limit))


def check_password_strength(password: str, username: str | None = None, allow_demo: bool = False) -> None:
    if allow_demo:
        return
    problem = passwords.problem(password, username)
    if problem:
        raise AccountError(problem)


def change_password(user: User, old_password: str, new_password: str) -> None:
    """The user sets a new password: every other session of theirs ends and every token is revoked."""
    if not user.check_password(old_password or ""):
        audit.record("password_change_failed", user, user=user)
        raise WrongPassword(_("Mật khẩu hiện tại không đúng."))
    check_password_strength(new_password, user.username)
    user.set_password(new_password)
    end_sessions(user)
    audit.record("password_changed", user, user=user)


def reset_password(user: User, password: str) -> None:
    """An administrator (or the command line) sets a user's password: their sessions end, their tokens go."""
    check_password_strength(password, user.username)
    user.set_password(password)
    end_sessions(user)


def end_sessions(user: User) -> int:
    """End every session of the user (the version in their session ids no longer matches) and revoke every
    token; returns how many tokens were revoked. The caller signs the current session in again if it stays."""
    user.session_version = (user.session_version or 1) + 1
    revoked = db.session.execute(
        sa.update(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=utcnow()).execution_options(synchronize_session="fetch")
    ).rowcount
    audit.record("sessions_ended", user, tokens_revoked=revoked)
    return revoked


def sign_out(user: User) -> None:
    """Logout ends the session on the server's side: a copy of the cookie no longer signs in."""
    user.session_version = (user.session_version or 1) + 1
    audit.record("logout", user, user=user)


TOKEN_LABEL_MAX = ApiToken.label.type.length


def token_label_problem(label) -> str | None:
    """Why this cannot label a token (not one line of text, too long); None if it can."""
    if label is not None and (not isinstance(label, str) or not usable(label)):
        return _("Nhãn của mã truy cập phải là một dòng chữ.")
    if label is not None and len(label.strip()) > TOKEN_LABEL_MAX:
        return _("Nhãn của mã truy cập dài quá %(n)s ký tự.", n=TOKEN_LABEL_MAX)
    return None


def issue_token(user: User, label: str | None = None) -> str:
    """A new API token for the user; returns the token, which is stored only hashed."""
    problem = token_label_problem(label)
    if problem:
        raise AccountError(problem)
    label = clean(label)
    row, token = ApiToken.issue(user, label)
    db.session.add(row)
    db.session.flush()
    audit.record("token_issued", row, user=user, label=label)
    return token


def revoke_token(row: ApiToken) -> None:
    if row.revoked_at is None:
        row.revoked_at = utcnow()
        audit.record("token_revoked", row)


def check_level(level: str, kept_from: str | None = None) -> None:
    """Province or commune; an old district-level agency may keep its level, none may take it anew."""
    if level in CURRENT_LEVELS or (level == kept_from and level in LEVELS):
        return
    raise AccountError(_("Cấp cơ quan phải là cấp tỉnh hoặc cấp xã (từ 01/7/2025 không còn cấp huyện)."))


def update_agency(agency: Agency, name: str, level: str, parent: Agency | None, *, by: User | None = None,
                  **extra) -> None:
    """Edit an agency; `by` is the administrator (None from the command line): see onestop.auth.scope."""
    check_level(level, kept_from=agency.level)
    if by is not None:
        scope.check_agency_change(by, agency, level, parent)
    if parent is not None and (parent.id in agency.descendant_ids()):
        raise AccountError(_("Cơ quan cấp trên không được là chính nó hoặc cơ quan cấp dưới của nó."))
    if parent is not None and LEVELS.index(level) < LEVELS.index(parent.level):
        raise AccountError(_("Cơ quan cấp dưới không được ở cấp cao hơn cơ quan cấp trên."))
    agency.name, agency.level, agency.parent = clean(name), level, parent
    for key, value in extra.items():
        setattr(agency, key, clean(value))
    check_lengths(agency)
    audit.record("agency_updated", agency, name=agency.name)


def update_user(admin: User, user: User, *, full_name, agency, roles, active, email=None, phone=None,
                password=None) -> None:
    """An administrator edits an account within its reach (onestop.auth.scope); they cannot remove their own
    admin role or lock themself out. A new password ends the user's sessions and revokes their tokens."""
    if user.id == admin.id and ("admin" not in roles or not active):
        raise AccountError(_("Bạn không thể tự bỏ quyền quản trị hoặc khoá tài khoản của chính mình."))
    scope.check_user_change(admin, user, agency, roles)
    user.full_name, user.agency, user.active = clean(full_name), agency, active
    user.email, user.phone = clean(email), clean(phone)
    check_lengths(user)
    user.roles = roles
    if password:
        reset_password(user, password)
    audit.record("user_updated", user, roles=sorted(user.roles), active=active, password_reset=bool(password))
