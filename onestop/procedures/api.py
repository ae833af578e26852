"""Public catalogue API: search and one procedure, each with the changes published ahead and their days."""
from flask import current_app, jsonify, request
from flask_babel import gettext as _

from ..api import ApiError, api_blueprint, int_arg
from ..extensions import db
from . import publishing, services

bp = api_blueprint("procedures_api", __name__)


def public_dict(version, today) -> dict:
    """The version as the catalogue shows it today, its first day, and what is published to change after it."""
    start = max(today, version.starts)
    return {**services.procedure_to_dict(version),
            "effective_from": version.effective_from.isoformat() if version.effective_from else None,
            "coming": [{"effective_from": change.day.isoformat(), "abolished": change.abolished,
                        "changed": [key for key, _before, _after in change.changes],
                        "version": None if change.abolished else services.procedure_to_dict(change.version)}
                       for change in publishing.coming_changes(version.procedure, start)]}


@bp.get("/procedures")
def api_procedures():
    args = request.args
    query = services.search(q=args.get("q"), field=args.get("field") or None, level=args.get("level") or None,
                            online=args.get("online") or None, public=True, ahead=True)
    if args.get("agency"):
        from ..auth.models import Agency
        from .models import ProcedureVersion

        query = query.join(Agency, Agency.id == ProcedureVersion.agency_id).where(Agency.code == args["agency"])
    per_page = int_arg("per_page", current_app.config["API_PAGE_SIZE"], 1, 200)
    page = db.paginate(query, page=int_arg("page", 1, 1, 2147483647), per_page=per_page, error_out=False)
    today = services.today()
    return jsonify(items=[public_dict(version, today) for version in page.items],
                   page=page.page, pages=page.pages, per_page=per_page, total=page.total)


@bp.get("/procedures/<code>")
def api_procedure(code):
    """The version a desk receives under today (or, published ahead, the one it will start with)."""
    procedure = services.get_by_code(code)
    if procedure is None or procedure.admin_status != "in_force":
        raise ApiError(_("Không tìm thấy thủ tục."), 404)
    today = services.today()
    version = publishing.version_on(procedure, today) or publishing.next_start(procedure, today)
    if version is None or version.status != "in_force":
        raise ApiError(_("Không tìm thấy thủ tục."), 404)
    return jsonify(public_dict(version, today))
