"""Reception pages (placeholder)."""
from flask import render_template
from flask_login import login_required

from . import bp


@bp.get("/desk")
@login_required
def desk():
    return render_template("procedures/placeholder.html")


@bp.get("/inbox")
@login_required
def inbox():
    return render_template("procedures/placeholder.html")


@bp.get("/overview")
@login_required
def overview():
    return render_template("procedures/placeholder.html")
