"""Public status page reached from the receipt's QR code: no login, no personal data but the name."""
from flask import abort, redirect, render_template, request, url_for

from ..reception import services
from . import bp
from .services import public_status


@bp.get("/tra-cuu")
def lookup():
    code, key = (request.args.get("code") or "").strip(), (request.args.get("k") or "").strip()
    if code and key:
        return redirect(url_for("tracking.status", code=code, k=key))
    return render_template("tracking/lookup.html")


@bp.get("/tra-cuu/<code>")
def status(code):
    application = services.find_for_tracking(code, request.args.get("k"))
    if application is None:
        abort(404)
    return render_template("tracking/status.html", application=application, **public_status(application))
