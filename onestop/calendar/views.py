"""Calendar admin pages."""
from . import bp  # noqa: F401
from flask import render_template

from ..auth import roles_required


@bp.get("/")
@roles_required("admin")
def year():
    return render_template("procedures/placeholder.html")
