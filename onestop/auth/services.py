"""Account operations: plain functions that flush, never commit (the caller commits)."""
import sqlalchemy as sa
from flask_babel import gettext as _

from .. import audit
from ..database import utcnow
from ..extensions import db
from ..text import clean
from .models import AGENCY_CODE_RE, CURRENT_LEVELS, LEVELS, Agency, ApiToken, User


class AccountError(ValueError):
    """A request the account rules refuse; the message is shown to the user."""


def authenticate(username: str, password: str) -> User | None:
    """The active user with this name and password, or None. Records the attempt in the audit trail."""
    username = (clean(username) or "").lower()
    user = db.session.scalar(sa.select(User).where(sa.func.lower(User.username) == username))
    if user is None or not user.active or not user.check_password(password or ""):
        audit.record("login_failed", user=None, object_type="User", object_id=username, username=username)
        return None
    audit.record("login", user=user, object_type="User", object_id=user.username)
    return user


def create_agency(code: str, name: str, level: str, parent: Agency | None = None, **extra) -> Agency:
    code = (clean(code) or "").upper()
    if not AGENCY_CODE_RE.match(code) or len(code) > 13:
        raise AccountError(_("Mã định danh «%(code)s» không đúng dạng (ví dụ 000.00.01.H38, tối đa 13 ký tự).", code=code))
    check_level(level)
    if db.session.scalar(sa.select(Agency.id).filter_by(code=code)):
        raise AccountError(_("Mã định danh %(code)s đã được dùng cho một cơ quan khác.", code=code))
    agency = Agency(code=code, name=clean(name), level=level, parent=parent, **extra)
    db.session.add(agency)
    db.session.flush()
    audit.record("agency_created", agency, name=agency.name)
    return agency


def create_user(username: str, password: str, full_name: str, agency: Agency, roles, **extra) -> User:
    username = (clean(username) or "").lower()
    if not username:
        raise AccountError(_("Tên đăng nhập không được để trống."))
    if db.session.scalar(sa.select(User.id).where(sa.func.lower(User.username) == username)):
        raise AccountError(_("Tên đăng nhập %(username)s đã tồn tại.", username=username))
    check_password_strength(password, allow_demo=extra.pop("allow_demo_password", False))
    user = User(username=username, full_name=clean(full_name) or username, agency=agency, **extra)
    user.roles = roles
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    audit.record("user_created", user, roles=sorted(user.roles), agency=agency.code)
    return user


def check_password_strength(password: str, allow_demo: bool = False) -> None:
    if allow_demo:
        return
    if len(password or "") < 8:
        raise AccountError(_("Mật khẩu phải có ít nhất 8 ký tự."))


def change_password(user: User, old_password: str, new_password: str) -> None:
    if not user.check_password(old_password or ""):
        raise AccountError(_("Mật khẩu hiện tại không đúng."))
    check_password_strength(new_password)
    user.set_password(new_password)
    audit.record("password_changed", user, user=user)


def issue_token(user: User, label: str | None = None) -> str:
    """A new API token for the user; returns the token, which is stored only hashed."""
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


def update_agency(agency: Agency, name: str, level: str, parent: Agency | None, **extra) -> None:
    check_level(level, kept_from=agency.level)
    if parent is not None and (parent.id in agency.descendant_ids()):
        raise AccountError(_("Cơ quan cấp trên không được là chính nó hoặc cơ quan cấp dưới của nó."))
    if parent is not None and LEVELS.index(level) < LEVELS.index(parent.level):
        raise AccountError(_("Cơ quan cấp dưới không được ở cấp cao hơn cơ quan cấp trên."))
    agency.name, agency.level, agency.parent = clean(name), level, parent
    for key, value in extra.items():
        setattr(agency, key, clean(value))
    audit.record("agency_updated", agency, name=agency.name)


def update_user(admin: User, user: User, *, full_name, agency, roles, active, email=None, phone=None,
                password=None) -> None:
    """An administrator edits an account; they cannot remove their own admin role or lock themself out."""
    if user.id == admin.id and ("admin" not in roles or not active):
        raise AccountError(_("Bạn không thể tự bỏ quyền quản trị hoặc khoá tài khoản của chính mình."))
    user.full_name, user.agency, user.active = clean(full_name), agency, active
    user.email, user.phone = clean(email), clean(phone)
    user.roles = roles
    if password:
        check_password_strength(password)
        user.set_password(password)
    audit.record("user_updated", user, roles=sorted(user.roles), active=active, password_reset=bool(password))
