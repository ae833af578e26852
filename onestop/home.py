"""The front door: each user lands on the page of their main role."""
from flask import redirect, url_for
from flask_login import current_user


def index():
    if not current_user.is_authenticated:
        return redirect(url_for("procedures.public_list"))
    if current_user.has_role("clerk"):
        return redirect(url_for("reception.desk"))
    if current_user.has_role("officer"):
        return redirect(url_for("reception.inbox"))
    if current_user.has_role("supervisor"):
        return redirect(url_for("tracking.board"))
    return redirect(url_for("procedures.staff_list"))


def init_app(app):
    app.add_url_rule("/", "index", index)
