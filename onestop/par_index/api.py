"""PAR INDEX JSON API under /api/v1/par-index: criteria sets, rounds, each unit's sheet (read, self-assessment,
evidence, submission, appraisal, explanation, second appraisal, adjustments, survey), lost points and actions,
the ranking. Thin: every write is a service of sheets, rounds, sets or actions; a ParError is the answer."""
from functools import wraps

from flask import Response, jsonify, request
from flask_babel import gettext as _
from flask_login import current_user

from ..api import ApiError, api_blueprint, api_login_required, json_body
from ..auth.models import Agency
from ..database import begin_write
from ..extensions import db
from ..files import services as files
from . import actions, results, rounds, sets, sheets
from .models import ParAnswer, ParEvidence, ParSheet
from .points import ParError

bp = api_blueprint("par_index_api", __name__)
PROVINCE_STAFF = ("admin", "appraiser")


def answers_par_errors(view):
    """A ParError is the answer (its status and message), after the request's writes are rolled back."""
    @wraps(view)
    def wrapped(*args, **kwargs):
        try:
            return view(*args, **kwargs)
        except ParError as error:
            db.session.rollback()
            extra = {"errors": error.errors} if error.errors else {}
            raise ApiError(error.message, error.status, **extra) from None
    return wrapped


def province_staff() -> None:
    """Sets and rounds are the province's: its own admin (of the top agency) or an appraiser."""
    if not (current_user.has_role("appraiser") or current_user.agency.parent_id is None):
        raise ApiError(_("Chỉ quản trị cấp tỉnh hoặc Sở Nội vụ quản lý bộ tiêu chí và đợt chấm điểm."), 403)


def a_round(year: int):
    found = rounds.get_round(year)
    if found is None:
        raise ApiError(_("Chưa có đợt chấm điểm năm %(year)s.", year=year), 404)
    return found


def a_unit(code: str, par_round) -> Agency:
    """The unit if the user may read its sheet; a 404 as if it did not exist otherwise, or for an agency that is
    no unit of a group with a set that year (the province itself)."""
    agency = db.session.scalar(db.select(Agency).filter_by(code=code))
    if agency is None or not sheets.may_see(current_user, agency):
        raise ApiError(_("Không tìm thấy đơn vị."), 404)
    if rounds.set_for(par_round, agency) is None:
        raise ApiError(_("Đơn vị không thuộc nhóm có bộ tiêu chí năm %(year)s.", year=par_round.year), 404)
    return agency


def item_of(view: dict, number: str) -> dict:
    return next(item for item in view["items"] if item["number"] == number)


# ---------------------------------------------------------------- criteria sets


@bp.post("/par-index/sets")
@api_login_required(*PROVINCE_STAFF)
@answers_par_errors
def import_set():
    """Multipart `file` (the province's table, .xlsx or .csv), `year`, `group`; optional `title`, `survey_weight`."""
    province_staff()
    upload = request.files.get("file")
    if upload is None:
        raise ApiError(_("Cần tệp bảng tiêu chí (trường «file»)."), 400)
    content = upload.read()
    begin_write()
    par_set = sets.import_set(upload.filename or "bang.xlsx", content, request.form.get("year"),
                              request.form.get("group"), title=request.form.get("title", ""),
                              survey_weight=request.form.get("survey_weight") or 0)
    db.session.commit()
    return jsonify(sets.set_json(par_set)), 201


@bp.get("/par-index/sets/<int(max=9999):year>/<group>")
@api_login_required()
def get_set(year, group):
    return jsonify(sets.set_json(a_set(year, group)))


def a_set(year: int, group: str):
    par_set = sets.get_set(year, group)
    if par_set is None:
        raise ApiError(_("Chưa có bộ tiêu chí này."), 404)
    return par_set


@bp.post("/par-index/sets/<int(max=9999):year>/<group>")
@api_login_required(*PROVINCE_STAFF)
@answers_par_errors
def create_set(year, group):
    """An empty set to type in item by item: optional `title`, `survey_weight`; 409 if the year's group has one."""
    province_staff()
    data = json_body({"title", "survey_weight"})
    begin_write()
    par_set = sets.create_set(year, group, title=data.get("title") or "", survey_weight=data.get("survey_weight") or 0)
    db.session.commit()
    return jsonify(sets.set_json(par_set)), 201


@bp.post("/par-index/sets/<int(max=9999):year>/<group>/items")
@api_login_required(*PROVINCE_STAFF)
@answers_par_errors
def add_item(year, group):
    """A new area (no `parent`) or an item under `parent`: `number`, `title`, `max_points` and the item's texts."""
    province_staff()
    fields = json_body(sets.NEW_ITEM)
    begin_write()
    par_set = a_set(year, group)
    sets.add_item(par_set, fields)
    db.session.commit()
    return jsonify(sets.set_json(par_set)), 201


@bp.put("/par-index/sets/<int(max=9999):year>/<group>/items/<number>")
@api_login_required(*PROVINCE_STAFF)
@answers_par_errors
def edit_item(year, group, number):
    """Edit an item's texts, evidence rule, answer kind, measured binding or a leaf's `max_points` (refused once the
    round opens)."""
    province_staff()
    changes = json_body(sets.EDITABLE)
    begin_write()
    item = sets.update_item(a_set(year, group), number, changes)
    db.session.commit()
    return jsonify(sets.item_json(item))


@bp.delete("/par-index/sets/<int(max=9999):year>/<group>/items/<number>")
@api_login_required(*PROVINCE_STAFF)
@answers_par_errors
def remove_item(year, group, number):
    """Remove an item; one with items below it only with `?with_children=1`."""
    province_staff()
    begin_write()
    par_set = a_set(year, group)
    sets.remove_item(par_set, number, with_children=request.args.get("with_children") in ("1", "true"))
    db.session.commit()
    return jsonify(sets.set_json(par_set))


# ---------------------------------------------------------------- rounds


@bp.post("/par-index/rounds")
@api_login_required(*PROVINCE_STAFF)
@answers_par_errors
def create_round():
    """`year`, the deadlines (self_until, appraisal_until, explanation_until, second_until; at the top or under
    `deadlines`), optional `opens_at` and `survey_source` (entered | ratings)."""
    province_staff()
    data = json_body({"year", "deadlines", "opens_at", "survey_source", *rounds.DEADLINES})
    deadlines = data.get("deadlines") if isinstance(data.get("deadlines"), dict) else data
    begin_write()
    par_round = rounds.create_round(data.get("year"), deadlines, current_user, opens_at=data.get("opens_at"),
                                    survey_source=data.get("survey_source") or "entered")
    db.session.commit()
    return jsonify(rounds.round_json(par_round)), 201


@bp.get("/par-index/rounds/<int(max=9999):year>")
@api_login_required()
def get_round(year):
    return jsonify(rounds.round_json(a_round(year)))


@bp.get("/par-index/rounds/<int(max=9999):year>/ranking")
@api_login_required()
def ranking(year):
    """Both groups (or `?group=`) of the user's province, each unit with total, areas, rank, band and mark."""
    par_round = a_round(year)
    root = rounds.root_id(current_user.agency)
    wanted = request.args.get("group")
    if wanted is not None and wanted not in ("departments", "communes"):
        raise ApiError(_("Nhóm phải là «departments» hoặc «communes»."), 400)
    groups = [wanted] if wanted else ["departments", "communes"]
    return jsonify({"year": year, **{group: results.ranking(par_round, group, root) for group in groups}})


# ---------------------------------------------------------------- a unit's sheet


SHEET = "/par-index/rounds/<int(max=9999):year>/sheets/<code>"


@bp.get(SHEET)
@api_login_required()
def get_sheet(year, code):
    par_round = a_round(year)
    return jsonify(results.sheet_view(par_round, a_unit(code, par_round)))


@bp.put(SHEET + "/items/<number>")
@api_login_required("supervisor", "appraiser")
@answers_par_errors
def put_item(year, code, number):
    """The unit's fields (declared, self_score, note; explanation) or the appraiser's (appraised_score,
    appraisal_note, explanation_requested; second_score, second_note); one stage a call."""
    changes = json_body({*sheets.SELF_FIELDS, *sheets.EXPLANATION_FIELDS, *sheets.APPRAISAL_FIELDS,
                         *sheets.SECOND_FIELDS})
    par_round = a_round(year)
    agency = a_unit(code, par_round)
    begin_write()
    sheets.update_answer(par_round, agency, number, changes, current_user)
    db.session.commit()
    return jsonify(item_of(results.sheet_view(par_round, agency), number))


@bp.post(SHEET + "/items/<number>/evidence")
@api_login_required("supervisor")
@answers_par_errors
def post_evidence(year, code, number):
    """Multipart `file`: a PDF, JPEG or PNG for the sub-criterion."""
    par_round = a_round(year)
    agency = a_unit(code, par_round)
    upload = request.files.get("file")
    if upload is None:
        raise ApiError(_("Cần tệp tài liệu kiểm chứng (trường «file»)."), 400)
    content = upload.read()
    begin_write()
    evidence = sheets.add_evidence(par_round, agency, number, upload.filename, content, current_user)
    db.session.commit()
    found = item_of(results.sheet_view(par_round, agency), number)
    return jsonify(next(row for row in found["evidence"] if row["id"] == evidence.id)), 201


@bp.get(SHEET + "/evidence/<int:evidence_id>")
@api_login_required()
def get_evidence(year, code, evidence_id):
    par_round = a_round(year)
    agency = a_unit(code, par_round)
    row = db.session.scalar(db.select(ParEvidence).join(ParAnswer).join(ParSheet).where(
        ParEvidence.id == evidence_id, ParSheet.round_id == par_round.id, ParSheet.agency_id == agency.id))
    if row is None:
        raise ApiError(_("Không tìm thấy tài liệu."), 404)
    response = Response(files.read(row.sha256), mimetype=row.mimetype)
    response.headers["Content-Disposition"] = f'inline; filename="evidence-{row.id}"'
    return response


@bp.post(SHEET + "/submit")
@api_login_required("supervisor")
@answers_par_errors
def submit(year, code):
    par_round = a_round(year)
    agency = a_unit(code, par_round)
    begin_write()
    sheets.submit(par_round, agency, current_user)
    db.session.commit()
    return jsonify(results.sheet_view(par_round, agency))


@bp.post(SHEET + "/adjustments")
@api_login_required("appraiser")
@answers_par_errors
def post_adjustment(year, code):
    """`points` (positive: bonus; negative: penalty) and `reason`."""
    data = json_body({"points", "reason"})
    par_round = a_round(year)
    agency = a_unit(code, par_round)
    begin_write()
    sheets.add_adjustment(par_round, agency, data.get("points"), data.get("reason"), current_user)
    db.session.commit()
    return jsonify(results.sheet_view(par_round, agency)), 201


@bp.put(SHEET + "/survey")
@api_login_required("appraiser")
@answers_par_errors
def put_survey(year, code):
    data = json_body({"points"})
    par_round = a_round(year)
    agency = a_unit(code, par_round)
    begin_write()
    sheets.set_survey(par_round, agency, data.get("points"), current_user)
    db.session.commit()
    return jsonify(results.sheet_view(par_round, agency))


@bp.get(SHEET + "/history")
@api_login_required()
def get_history(year, code):
    par_round = a_round(year)
    return jsonify(history=results.history(par_round, a_unit(code, par_round)))


@bp.get(SHEET + "/lost-points")
@api_login_required()
def get_lost_points(year, code):
    par_round = a_round(year)
    agency = a_unit(code, par_round)
    return jsonify(items=results.lost_points(par_round, agency))


@bp.post(SHEET + "/actions")
@api_login_required("supervisor", "appraiser")
@answers_par_errors
def post_action(year, code):
    data = json_body({"number", "text", "owner", "due_on"})
    par_round = a_round(year)
    agency = a_unit(code, par_round)
    begin_write()
    action = actions.add_action(par_round, agency, str(data.get("number") or ""), data.get("text"),
                                data.get("owner"), data.get("due_on"), current_user)
    db.session.commit()
    return jsonify(results.action_json(action)), 201


@bp.post(SHEET + "/actions/<int:action_id>/done")
@api_login_required("supervisor", "appraiser")
@answers_par_errors
def post_action_done(year, code, action_id):
    data = json_body({"done"})
    done = data.get("done", True)
    if not isinstance(done, bool):
        raise ApiError(_("«%(field)s» phải là true hoặc false.", field="done"), 400)
    par_round = a_round(year)
    agency = a_unit(code, par_round)
    begin_write()
    action = actions.mark_done(par_round, agency, action_id, current_user, done)
    db.session.commit()
    return jsonify(results.action_json(action))

