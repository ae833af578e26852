"""Procedure pages (placeholder until the catalogue pages land)."""
from flask import render_template
from flask_login import login_required

from . import bp


@bp.get("/thu-tuc")
def public_list():
    return render_template("procedures/placeholder.html")


@bp.get("/staff/procedures")
@login_required
def staff_list():
    return render_template("procedures/placeholder.html")
