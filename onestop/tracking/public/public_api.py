"""`GET /api/v1/track/<code>?k=<key>` (or `?phone=<last 4 digits>`): the status page as JSON, no personal data."""
from flask import jsonify, request
from flask_babel import gettext as _

from ...api import ApiError, api_blueprint
from ...text import clean
from ...timeutil import VN
from .limits import lookup_limits
from .status import find_status, public_status

bp = api_blueprint("track_api", __name__)


def iso(moment):
    return moment.astimezone(VN).isoformat() if moment else None


def status_json(s: dict) -> dict:
    """The status page's dict with moments in ISO 8601 (Vietnam time), and the applicant's name left out."""
    apology, pause = s["apology"], s["pause"]
    return {
        "code": s["code"],
        "procedure": s["procedure"],
        "status": s["status"],
        "state": s["state"],
        "when": s["when"],
        "due_text": s["due_text"],
        "due_at": iso(s["due_at"]),
        "working_days_left": s["days_left"],
        "working_days_late": s["days_late"],
        "apology": {"new_due_at": iso(apology["new_due_at"]), "text": apology["text"], "reason": apology["reason"]}
        if apology else None,
        "pause": {"since": iso(pause["since"]), "items": pause["items"], "after": pause["after"]} if pause else None,
        "received_at": iso(s["received_at"]),
        "result_at": iso(s["result_at"]),
        "result_timeliness": s["result_timeliness"],
        "returned_at": iso(s["returned_at"]),
        "return_method": s["return_method"],
        "refusal_reasons": s["reasons"],
        "handled_by": s["handled_by"],
        "desk": s["desk"],
        "steps": [{"at": iso(step["at"]), "text": step["text"]} for step in s["steps"]],
        "rating": s["rating"].level if s["rating"] else None,
    }


@bp.get("/track/<code>")
@lookup_limits
def track(code):
    key, phone = clean(request.args.get("k")), clean(request.args.get("phone"))
    if not key and not phone:
        raise ApiError(_("Cần «k» (mã tra cứu) hoặc «phone» (4 số cuối điện thoại)."), 400)
    application = find_status(code, key, None if key else phone)
    if application is None:
        raise ApiError(_("Không tìm thấy hồ sơ khớp với thông tin tra cứu."), 404)
    return jsonify(status_json(public_status(application)))
