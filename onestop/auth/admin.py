"""Administration: agencies, users, the audit trail. Scoped to the admin's agency and those below it."""
import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user

from .. import paging
from ..database import begin_write
from ..extensions import db
from . import roles_required, scope, services
from ..forms import options
from .forms import LEGACY_LEVEL_CHOICE, LEVEL_CHOICES, AgencyForm, UserForm
from .models import Agency, AuditLog, User
from .views import admin_bp


def visible_agencies() -> list[Agency]:
    """The admin's agency and those below it (onestop.auth.scope)."""
    ids = scope.reach(current_user)
    return db.session.scalars(sa.select(Agency).where(Agency.id.in_(ids)).order_by(Agency.code)).all()


def agency_or_404(code: str) -> Agency:
    agency = db.session.scalar(sa.select(Agency).filter_by(code=code))
    if agency is None or agency.id not in scope.reach(current_user):
        abort(404)
    return agency


def user_or_404(username: str) -> User:
    user = db.session.scalar(sa.select(User).filter_by(username=username))
    if user is None or user.agency_id not in scope.reach(current_user):
        abort(404)
    return user


def tree(agencies):
    """Agencies in tree order with their depth, for an indented list."""
    by_parent, ids = {}, {a.id for a in agencies}
    for agency in agencies:
        by_parent.setdefault(agency.parent_id if agency.parent_id in ids else None, []).append(agency)
    ordered = []

    def walk(parent_id, depth):
        for agency in by_parent.get(parent_id, []):
            ordered.append((agency, depth))
            walk(agency.id, depth + 1)

    walk(None, 0)
    return ordered


@admin_bp.get("/agencies")
@roles_required("admin")
def agencies():
    return render_template("admin/agencies.html", rows=tree(visible_agencies()))


@admin_bp.route("/agencies/new", methods=["GET", "POST"])
@admin_bp.route("/agencies/<code>", methods=["GET", "POST"])
@roles_required("admin")
def agency_edit(code=None):
    agency = agency_or_404(code) if code else None
    own = agency is not None and agency.id == current_user.agency_id
    form = AgencyForm(obj=agency)
    form.parent_code.choices = options([(a.code, f"{a.code} – {a.name}") for a in visible_agencies()])
    if agency is not None and agency.level == "district":  # an old record keeps its level, readable
        form.level.choices = options(LEVEL_CHOICES + [LEGACY_LEVEL_CHOICE])
    if own:  # its level and its place in the tree are the agency above's to set
        form.parent_code.choices = options([(agency.parent.code, f"{agency.parent.code} – {agency.parent.name}")]
                                           if agency.parent else [])
        form.level.render_kw = form.parent_code.render_kw = {"disabled": True}
    if request.method == "GET" and agency is not None:
        form.parent_code.data = agency.parent.code if agency.parent else None
    refused = None  # the status of a change the account rules refuse (403 beyond the admin's reach)
    if form.validate_on_submit():
        begin_write()
        try:
            if agency is None:
                parent = agency_or_404(form.parent_code.data) if form.parent_code.data else None
                agency = services.create_agency(form.code.data, form.name.data, form.level.data, parent,
                                                by=current_user, address=form.address.data or None,
                                                phone=form.phone.data or None)
            else:
                agency = agency_or_404(code)
                if own:
                    level, parent = submitted_place(form, agency)
                else:
                    level = form.level.data
                    parent = agency_or_404(form.parent_code.data) if form.parent_code.data else None
                services.update_agency(agency, form.name.data, level, parent, by=current_user,
                                       address=form.address.data, phone=form.phone.data)
        except services.AccountError as error:
            db.session.rollback()
            form.code.errors = list(form.code.errors) + [str(error)]
            refused = error.status
        else:
            db.session.commit()
            flash(_("Đã lưu cơ quan %(code)s.", code=agency.code), "success")
            return redirect(url_for("admin.agencies"))
    return render_template("admin/agency_edit.html", form=form, agency=agency), refused or (400 if form.errors else 200)


def submitted_place(form, agency: Agency) -> tuple[str, Agency | None]:
    """The level and parent posted for the admin's own agency; a disabled field is not sent and means no change."""
    level = form.level.data if "level" in request.form else agency.level
    if "parent_code" not in request.form:
        return level, agency.parent
    code = form.parent_code.data
    parent = db.session.scalar(sa.select(Agency).filter_by(code=code)) if code else None
    if code and parent is None:
        abort(404)
    return level, parent


@admin_bp.get("/users")
@roles_required("admin")
def users():
    query = sa.select(User).where(User.agency_id.in_(scope.reach(current_user))).order_by(User.username)
    if request.args.get("agency"):
        query = query.join(Agency).where(Agency.code == request.args["agency"])
    rows = db.session.scalars(query).all()
    if request.args.get("role"):
        rows = [user for user in rows if request.args["role"] in user.roles]
    return render_template("admin/users.html", users=rows, agencies=visible_agencies())


@admin_bp.route("/users/new", methods=["GET", "POST"])
@admin_bp.route("/users/<username>", methods=["GET", "POST"])
@roles_required("admin")
def user_edit(username=None):
    user = user_or_404(username) if username else None
    form = UserForm(obj=user)
    form.agency_code.choices = options([(a.code, f"{a.code} – {a.name}") for a in visible_agencies()])
    if request.method == "GET" and user is not None:
        form.agency_code.data, form.roles.data = user.agency.code, sorted(user.roles)
    refused = None  # the status of a change the account rules refuse (403 beyond the admin's reach)
    if form.validate_on_submit():
        agency = agency_or_404(form.agency_code.data)
        begin_write()
        try:
            if user is None:
                if not form.password.data:
                    raise services.AccountError(_("Nhập mật khẩu cho tài khoản mới."))
                user = services.create_user(form.username.data, form.password.data, form.full_name.data, agency,
                                            form.roles.data, by=current_user, email=form.email.data or None,
                                            phone=form.phone.data or None)
            else:
                user = user_or_404(username)
                services.update_user(current_user, user, full_name=form.full_name.data, agency=agency,
                                     roles=form.roles.data, active=form.active.data, email=form.email.data,
                                     phone=form.phone.data, password=form.password.data or None)
        except services.AccountError as error:
            db.session.rollback()
            form.username.errors = list(form.username.errors) + [str(error)]
            refused = error.status
        else:
            db.session.commit()
            if user.id == current_user.id and form.password.data:
                login_user(user)  # their own new password: this session stays, the others have ended
            flash(_("Đã lưu tài khoản %(u)s.", u=user.username), "success")
            return redirect(url_for("admin.users"))
    return render_template("admin/user_edit.html", form=form, user=user), refused or (400 if form.errors else 200)


AUDIT_PAGE = 50


@admin_bp.get("/audit")
@roles_required("admin", "supervisor")
def audit_trail():
    query = sa.select(AuditLog)
    allowed = scope.audit_rows_for(current_user)
    if allowed is not None:
        query = query.where(allowed)
    for key, column in (("action", AuditLog.action), ("user", AuditLog.username), ("object", AuditLog.object_id)):
        if request.args.get(key):
            query = query.where(column == request.args[key])
    # Newest first, a keyset page (the trail grows by a row per reception and event: millions, never counted)
    try:
        start = paging.after([AuditLog.id], True, request.args.get("after") or None)
    except paging.CursorError:
        abort(400, _("Liên kết trang không hợp lệ: hãy mở lại nhật ký từ trang đầu."))
    if start is not None:
        query = query.where(start)
    rows = db.session.scalars(query.order_by(AuditLog.id.desc()).limit(AUDIT_PAGE + 1)).all()
    page = paging.Page(rows[:AUDIT_PAGE], paging.cursor_of(rows[AUDIT_PAGE - 1], [AuditLog.id])
                       if len(rows) > AUDIT_PAGE else None)
    return render_template("admin/audit.html", page=page,
                           args={k: v for k, v in request.args.items() if k not in ("page", "after")})
