"""Sign in and out, change password, switch language; the admin blueprint lives here too."""
from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from ..database import begin_write
from ..extensions import db
from . import services, throttle
from .forms import ChangePasswordForm, LoginForm

bp = Blueprint("auth", __name__)
admin_bp = Blueprint("admin", __name__, url_prefix="/admin")


def safe_next(target: str | None) -> str:
    """Only a local path may be a redirect target (no scheme, no host, no //evil.example)."""
    if not target:
        return url_for("index")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return url_for("index")
    return target


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(safe_next(request.args.get("next")))
    form = LoginForm()
    if form.validate_on_submit():
        attempt = throttle.begin(form.username.data)
        if attempt.refused:
            return too_many_attempts(form, attempt)
        begin_write()
        user = services.authenticate(form.username.data, form.password.data)
        db.session.commit()
        if user is not None:
            throttle.give_back(attempt)
            session.clear()
            login_user(user)
            session.permanent = True
            return redirect(safe_next(request.args.get("next")))
        throttle.count_failure(attempt)
        flash(_("Tên đăng nhập hoặc mật khẩu không đúng."), "danger")
    return render_template("auth/login.html", form=form), 200


def too_many_attempts(form, attempt):
    flash(_("Bạn đã thử quá nhiều lần. Vui lòng đợi ít phút rồi thử lại."), "danger")
    return render_template("auth/login.html", form=form), 429, {"Retry-After": str(attempt.retry_after)}


@bp.post("/logout")
@login_required
def logout():
    begin_write()
    services.sign_out(current_user)
    db.session.commit()
    logout_user()
    session.clear()
    flash(_("Bạn đã đăng xuất."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        attempt = throttle.begin(current_user.username)  # the old password is guessed no faster than at /login
        if attempt.refused:
            flash(_("Bạn đã thử quá nhiều lần. Vui lòng đợi ít phút rồi thử lại."), "danger")
            return render_template("auth/password.html", form=form), 429, {"Retry-After": str(attempt.retry_after)}
        begin_write()
        user = current_user._get_current_object()
        try:
            services.change_password(user, form.old_password.data, form.new_password.data)
        except services.WrongPassword as error:
            db.session.rollback()
            throttle.count_failure(attempt)
            form.old_password.errors.append(str(error))
        except services.AccountError as error:
            db.session.rollback()
            throttle.give_back(attempt)
            form.new_password.errors.append(str(error))
        else:
            db.session.commit()
            throttle.give_back(attempt)
            login_user(user)  # this session stays, under the new session version; the others have ended
            flash(_("Đã đổi mật khẩu. Các phiên đăng nhập khác và mọi mã truy cập API của bạn đã bị huỷ."),
                  "success")
            return redirect(url_for("index"))
    return render_template("auth/password.html", form=form), 400 if form.errors else 200


@bp.get("/lang/<code>")
def set_language(code):
    if code in current_app.config["LANGUAGES"]:
        session["lang"] = code
    return redirect(safe_next(request.args.get("next")))


from . import admin  # noqa: E402,F401  (admin routes register on admin_bp)
