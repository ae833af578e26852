"""How far an administrator reaches: the agencies below its own, the users below it, the audit rows about them.

- Agencies: an admin edits the agencies strictly below its own and creates new ones under its own or those. Of its
  own agency it may change the name, address and phone, never the level or the parent (the agency above does
  that), and it never moves an agency outside its subtree.
- Users: an admin edits the users of its subtree, grants no role above its own, and leaves alone the users of its
  own agency who rank as high as it does (a peer's password is the peer's; the agency above resets it).
- The audit trail: a reader sees what the people of its subtree did and the failed sign-ins on their names; the
  rows tied to no one there (unknown names, the command line) only a reader at the top of the tree sees.
"""
import sqlalchemy as sa
from flask_babel import gettext as _
from werkzeug.exceptions import NotFound

from .models import Agency, AuditLog, User

# Higher ranks more; clerks and officers are peers, and so are supervisors and appraisers (the PAR INDEX's).
ROLE_RANK = {"admin": 3, "supervisor": 2, "appraiser": 2, "clerk": 1, "officer": 1}


class OutOfReach(NotFound):
    """The object lies outside the administrator's subtree: answered as not found."""


def rank(user: User) -> int:
    return max((ROLE_RANK[role] for role in user.roles), default=0)


def reach(admin: User) -> set[int]:
    """The admin's agency and every agency below it."""
    return admin.agency.descendant_ids()


def check_agency_change(admin: User, agency: Agency | None, level: str, parent: Agency | None) -> None:
    """Refuse an edit (or, with agency None, a creation) that leaves the admin's subtree or lifts its own agency."""
    from .services import AccountForbidden

    ids = reach(admin)
    if agency is not None and agency.id == admin.agency_id:
        if level != agency.level or (parent.id if parent else None) != agency.parent_id:
            raise AccountForbidden(_("Không thể đổi cấp hoặc cơ quan cấp trên của chính cơ quan mình; "
                                 "việc đó do cơ quan cấp trên thực hiện."))
        return
    if agency is not None and agency.id not in ids:
        raise OutOfReach(agency.code)
    if parent is None or parent.id not in ids:
        raise AccountForbidden(_("Cơ quan cấp trên phải là cơ quan của bạn hoặc một cơ quan cấp dưới của nó."))


def may_edit_user(admin: User, user: User) -> bool:
    """Whether the admin may change this account (it is in the subtree, and not a peer of the admin's agency)."""
    if user.id == admin.id:
        return True
    if user.agency_id not in reach(admin):
        return False
    return not (user.agency_id == admin.agency_id and rank(user) >= rank(admin))


def check_user_change(admin: User, user: User | None, agency: Agency, roles) -> None:
    """Refuse giving an account an agency outside the subtree, a role above the admin's, or editing a peer."""
    from .services import AccountForbidden

    if user is not None and user.agency_id not in reach(admin):
        raise OutOfReach(user.username)
    if user is not None and not may_edit_user(admin, user):
        raise AccountForbidden(_("Tài khoản này ngang quyền với bạn trong cùng cơ quan; chỉ quản trị cơ quan cấp "
                             "trên mới sửa được."))
    if agency.id not in reach(admin):
        raise AccountForbidden(_("Chỉ được gán tài khoản cho cơ quan của bạn hoặc cơ quan cấp dưới."))
    if any(ROLE_RANK.get(role, 99) > rank(admin) for role in roles):
        raise AccountForbidden(_("Không thể cấp vai trò cao hơn vai trò của chính bạn."))


def sees_every_row(reader: User) -> bool:
    """A reader at the top of the tree (the province's admin or supervisor) sees the whole trail."""
    return reader.agency.parent_id is None and reader.agency.level == "province"


def audit_rows_for(reader: User):
    """The condition on AuditLog rows this reader may see (None: every row)."""
    if sees_every_row(reader):
        return None
    ids = reach(reader) if reader.has_role("admin") else reader.visible_agency_ids()
    people = sa.select(User.id).where(User.agency_id.in_(ids))
    names = sa.select(sa.func.lower(User.username)).where(User.agency_id.in_(ids))
    failed_on_their_names = sa.and_(AuditLog.user_id.is_(None), AuditLog.action == "login_failed",
                                    AuditLog.object_id.in_(names))
    return sa.or_(AuditLog.user_id.in_(people), failed_on_their_names)
