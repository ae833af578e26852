"""Public catalogue API: search and one procedure."""
from flask import current_app, jsonify, request
from flask_babel import gettext as _

from ..api import ApiError, api_blueprint, int_arg
from ..extensions import db
from . import publishing, services

bp = api_blueprint("procedures_api", __name__)


@bp.get("/procedures")
def api_procedures():
    args = request.args
    query = services.search(q=args.get("q"), field=args.get("field") or None, level=args.get("level") or None,
                            online=args.get("online") or None, public=True)
    if args.get("agency"):
        from ..auth.models import Agency
        from .models import ProcedureVersion

        query = query.join(Agency, Agency.id == ProcedureVersion.agency_id).where(Agency.code == args["agency"])
    per_page = int_arg("per_page", current_app.config["API_PAGE_SIZE"], 1, 200)
    page = db.paginate(query, page=int_arg("page", 1, 1, 2147483647), per_page=per_page, error_out=False)
    return jsonify(items=[services.procedure_to_dict(version) for version in page.items],
                   page=page.page, pages=page.pages, per_page=per_page, total=page.total)


@bp.get("/procedures/<code>")
def api_procedure(code):
    procedure = services.get_by_code(code)
    version = publishing.version_on(procedure, services.today()) if procedure is not None else None
    if procedure is None or procedure.status != "in_force" or version is None or version.status != "in_force":
        raise ApiError(_("Không tìm thấy thủ tục."), 404)
    return jsonify(services.procedure_to_dict(version))  # the version a desk receives under today
