"""Online submissions in the JSON API: a citizen's system submits (public, multipart), the desk lists and decides.
The same calls as /nop-ho-so and /desk/online (reception.online)."""
from flask import jsonify, request
from flask_babel import gettext as _
from flask_login import current_user

from .. import inputs
from ..api import ApiError, api_login_required, json_body
from ..database import begin_write, commit_as_written
from ..extensions import db
from ..timeutil import VN
from . import online, online_mail, services
from .api import bp, reception_error
from .online_views import allow_large_body, file_parts, upload_limits
from .validation import ReceptionError

SUBMISSION_KEYS = frozenset({"procedure_code", "applicant", "representative", "return_method", "postal_address",
                             "reuse"})


def iso(moment):
    return moment.astimezone(VN).isoformat() if moment else None


def submission_json(submission, full: bool) -> dict:
    """The submission: for the desk in full, for the citizen (by key) without personal data."""
    body = {
        "number": submission.number, "state": online.state_of(submission),
        "procedure": {"code": submission.version.procedure.code, "name": submission.version.name,
                      "online": submission.online_level},
        "agency": submission.agency.code, "submitted_at": iso(submission.submitted_at),
        "queued_at": iso(submission.queued_at), "supplement_due_at": iso(submission.supplement_due_at),
        "papers": [{"position": paper.position, "pages": paper.pages, "size": paper.size, "sha256": paper.sha256}
                   for paper in online.current_papers(submission).values()],
        "status_url": online_mail.status_url(submission) if not full else None,
        "application": ({"code": submission.application.code, "due_at": iso(submission.application.due_at),
                         "tracking_url": services.tracking_url(submission.application)}
                        if submission.application else None),
        "events": [{"seq": e.seq, "type": e.type, "at": iso(e.at), "to_state": e.to_state,
                    "data": e.data if full or e.type != "submit" else None} for e in submission.events],
    }
    if full:
        body["status_url"] = None
        body["applicant"] = {"kind": submission.applicant_kind, "name": submission.applicant_name,
                             "id_kind": submission.applicant_id_kind, "id_number": submission.applicant_id_number,
                             "phone": submission.applicant_phone, "email": submission.applicant_email,
                             "address": submission.applicant_address}
        body["return_method"], body["postal_address"] = submission.return_method, submission.postal_address
        body["waited_working_hours"] = round(online.waited(submission).total_seconds() / 3600, 2)
    return body


def multipart_data() -> dict:
    """The JSON part `data` (a form field or a file part), strictly parsed, with only the form's keys."""
    raw = request.form.get("data")
    if raw is None and "data" in request.files:
        raw = request.files["data"].read()
    if raw is None:
        raise ApiError(_("Cần phần «data» (JSON) trong yêu cầu multipart/form-data."), 400)
    try:
        data = inputs.strict_json(raw)
    except (ValueError, RecursionError, inputs.InputError):
        raise ApiError(_("Phần «data» phải là một đối tượng JSON hợp lệ."), 400) from None
    if not isinstance(data, dict):
        raise ApiError(_("Phần «data» phải là một đối tượng JSON hợp lệ."), 400)
    if (where := inputs.first_bad_string(data)) is not None:
        raise ApiError(_("«%(field)s» chứa ký tự điều khiển hoặc ký tự không hợp lệ.", field=where), 400)
    if unknown := sorted(set(data) - SUBMISSION_KEYS):
        raise ApiError(_("Khóa không được hỗ trợ: %(keys)s.", keys=", ".join(unknown)), 400)
    return data


@bp.post("/submissions")
@upload_limits
def create_submission():
    allow_large_body()
    if not request.content_type or not request.content_type.startswith("multipart/form-data"):
        raise ApiError(_("Gửi hồ sơ dạng multipart/form-data: phần «data» (JSON) và mỗi giấy tờ một phần "
                         "«paper.<vị trí>»."), 400)
    data = multipart_data()
    parts, unknown = file_parts(request.files)
    if unknown := [name for name in unknown if name != "data"]:
        raise ApiError(_("Phần không được hỗ trợ: %(keys)s.", keys=", ".join(sorted(unknown))), 400)
    begin_write()
    try:
        version, uploads, errors = online.receive_for_procedure(data.get("procedure_code"), parts)
    except ReceptionError as error:
        raise reception_error(error)
    kept = {upload.position: upload for upload in map(online.kept_upload, (
        request.form.get(f"kept.{document.position}") for document in version.documents)) if upload is not None}
    try:  # one transaction: a refused submission adds nothing to the session, and its papers are kept by the commit
        kept.update(online.reused_uploads(version, data.get("reuse"), errors))
        kept.update(uploads)
        submission = online.submit(data, kept, errors, version=version)
    except ReceptionError as error:
        db.session.commit()  # the papers accepted are kept: the 400 answers their `kept` tokens to send back
        raise ApiError(error.message, error.status, errors=error.errors,
                       kept={f"kept.{position}": online.keep_token(upload) for position, upload in kept.items()
                             if upload.stored_paper_id is None})
    body = {"number": submission.number, "key": submission.key, "state": submission.state,
            "status_url": online_mail.status_url(submission)}
    commit_as_written()  # what follows (the e-mail) reads the submission as it was just written
    online_mail.notify(submission, "submitted")
    return jsonify(body), 201


@bp.get("/submissions")
@api_login_required("clerk", "supervisor")
def list_submissions():
    """The desk's queue (a supervisor sees the agencies below too: how long submissions wait)."""
    state = request.args.get("state") or "waiting"
    if state not in online.queue_states():
        raise ApiError(_("«state» phải là một trong: %(values)s.", values=", ".join(online.queue_states())), 400)
    return jsonify(items=[submission_json(row, full=True) for row in online.queue(current_user, state)])


@bp.get("/submissions/<number>")
def get_submission(number):
    """With the key (`k`): the citizen's view; otherwise the desk's (a clerk of the receiving agency)."""
    if request.args.get("k"):
        submission = online.find_for_citizen(number, request.args["k"])
        if submission is None:
            raise ApiError(_("Không tìm thấy hồ sơ nộp trực tuyến."), 404)
        return jsonify(submission_json(submission, full=False))
    return desk_view(number)


@api_login_required("clerk")
def desk_view(number):
    try:
        return jsonify(submission_json(online.visible_to(current_user, number), full=True))
    except ReceptionError as error:
        raise reception_error(error)


@bp.post("/submissions/<number>/<action>")
@api_login_required("clerk")
def decide_submission(number, action):
    if action not in ("accept", "request", "refuse"):
        raise ApiError(_("Không có thao tác này."), 404)
    data = json_body(allowed={"accept": set(), "request": {"items", "reason"}, "refuse": {"reasons"}}[action]) \
        if action != "accept" or request.get_data() else {}
    begin_write()
    try:
        submission = online.visible_to(current_user, number, lock=True)
        if action == "accept":
            application = online.accept(submission, current_user)
            body = {"code": application.code, "due_at": iso(application.due_at),
                    "tracking_url": services.tracking_url(application)}
        elif action == "request":
            online.request_supplement(submission, current_user, data.get("items"), data.get("reason"))
            body = submission_json(submission, full=True)
        else:
            online.refuse(submission, current_user, data.get("reasons"))
            body = submission_json(submission, full=True)
    except ReceptionError as error:
        raise reception_error(error)
    db.session.commit()
    online_mail.notify(submission, {"accept": "accepted", "request": "request_supplement", "refuse": "refused"}[action])
    return jsonify(body), 201 if action == "accept" else 200
