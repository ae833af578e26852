"""The citizen's online submission (/nop-ho-so) and the desk's online queue (/desk/online): thin views over
reception.online (the same calls as the API)."""
import re

from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from .. import files
from ..auth import roles_required
from ..database import begin_write
from ..extensions import db, limiter
from ..labels import LABELS
from ..text import clean
from . import bp, hooks, keys, online, online_mail, printing, services
from .models import PERSON_ID_KINDS
from .online_models import SubmissionPaper
from .validation import ReceptionError
from .views import APPLICANT_FIELDS, REPRESENTATIVE_FIELDS, pdf_response

PAPER_FIELD = re.compile(r"^paper\.(\d{1,4})$")


def upload_limits(view):
    """Every upload attempt counts against the address; a submission made also against the submissions' budget."""
    view = limiter.shared_limit(lambda: current_app.config["ONLINE_SUBMISSION_LIMIT"], scope="online-submission",
                                methods=["POST"], deduct_when=lambda response: response.status_code in (201, 302))(view)
    return limiter.shared_limit(lambda: current_app.config["ONLINE_UPLOAD_LIMIT"], scope="online-upload",
                                methods=["POST"])(view)


def allow_large_body() -> None:
    """A submission may carry up to SUBMISSION_MAX_BYTES of papers (above the app's usual request limit)."""
    request.max_content_length = online.submission_max() + 1024 * 1024


def file_parts(given) -> tuple[dict[int, list[tuple[str, bytes]]], list[str]]:
    """The uploaded files by component position (fields `paper.<position>`, several files each), and any other
    file field's name."""
    parts, unknown = {}, []
    for field in given:
        found = PAPER_FIELD.match(field)
        if not found:
            unknown.append(field)
            continue
        chosen = [(storage.filename or "", storage.read()) for storage in given.getlist(field)
                  if storage.filename or storage.content_length]
        if chosen:
            parts[int(found.group(1))] = chosen
    return parts, unknown


def form_data(form) -> dict:
    return {
        "procedure_code": form.get("procedure_code", ""),
        "applicant": {key: form.get(f"applicant_{key}") for key in APPLICANT_FIELDS},
        "representative": {key: form.get(f"representative_{key}") for key in REPRESENTATIVE_FIELDS},
        "return_method": form.get("return_method") or "at_desk",
        "postal_address": form.get("postal_address"),
    }


def form_reuse(form) -> dict:
    """The earlier application the citizen takes papers from (its code and key) and the paper chosen per slot."""
    return {"code": form.get("reuse_code"), "key": form.get("reuse_key"),
            "papers": {name.split(".", 1)[1]: value for name, value in form.items() if name.startswith("reuse.")}}


def form_context(version=None, form=None, errors=None, message=None, kept=None, candidates=None) -> dict:
    return {"version": version, "form": form or {}, "errors": errors or {}, "message": message, "kept": kept or {},
            "candidates": candidates or [],
            "procedures": online.online_choices(), "person_id_kinds": {k: LABELS["id_kind"][k] for k in PERSON_ID_KINDS},
            "keep_token": online.keep_token, "upload_mb": online.upload_max() // 2 ** 20,
            "submission_mb": online.submission_max() // 2 ** 20}


@bp.get("/nop-ho-so")
def apply_online():
    """Pick a procedure offered online, then fill the form with one upload slot per component document."""
    code = clean(request.args.get("procedure"))
    version = None
    if code:
        try:
            version = online.online_version(code)
        except ReceptionError as error:
            return render_template("reception/online_form.html", **form_context(message=error.message)), 404
    return render_template("reception/online_form.html", **form_context(version))


@bp.post("/nop-ho-so")
@upload_limits
def submit_online():
    allow_large_body()
    form = request.form
    try:
        version = online.online_version(form.get("procedure_code"))
    except ReceptionError as error:
        return render_template("reception/online_form.html", **form_context(message=error.message)), 400
    parts, _unknown = file_parts(request.files)
    kept = {upload.position: upload for upload in map(online.kept_upload, (
        form.get(f"kept.{document.position}") for document in version.documents)) if upload is not None}
    begin_write()
    uploads, upload_errors = online.receive_uploads(version, parts)
    db.session.commit()  # the papers accepted are kept, whatever else the form lacks: the next try sends them back
    reuse = form_reuse(form)
    candidates = online.reuse_candidates(reuse["code"], reuse["key"])
    if form.get("action") == "find":  # look up the earlier application's papers; nothing sent is lost
        kept.update(uploads)
        errors = dict(upload_errors)
        if not candidates:
            errors["reuse"] = _("Mã hồ sơ hoặc mã tra cứu của hồ sơ trước không đúng, hoặc hồ sơ đó không có giấy tờ "
                                "số hóa còn hiệu lực.")
        return render_template("reception/online_form.html", **form_context(
            version, form, errors, None, kept, candidates)), 400 if errors else 200
    kept.update(online.reused_uploads(version, reuse, upload_errors))  # a paper chosen from the earlier application
    kept.update(uploads)  # a new file for a slot replaces the one kept from the previous try, or a reused one
    begin_write()
    try:
        submission = online.submit(form_data(form), kept, upload_errors)
    except ReceptionError as error:
        db.session.rollback()
        return render_template("reception/online_form.html", **form_context(
            version, form, error.errors, error.message, kept, candidates)), 400
    db.session.commit()
    online_mail.notify(submission, "submitted")
    return redirect(url_for("reception.online_status", number=submission.number, k=keys.grouped(submission.key),
                            sent="1"))


def citizen_submission(number: str):
    submission = online.find_for_citizen(number, request.values.get("k"))
    if submission is None:
        abort(404)
    return submission


def status_context(submission, errors=None, message=None) -> dict:
    return {"submission": submission, "state": online.state_of(submission), "papers": online.current_papers(submission),
            "documents": {d.position: d for d in submission.version.documents}, "key": request.values.get("k"),
            "grouped_key": keys.grouped(submission.key), "errors": errors or {}, "message": message,
            "masked": masked(submission.applicant_name),
            "tracking_url": services.tracking_url(submission.application) if submission.application else None,
            "just_sent": request.args.get("sent") == "1"}


def masked(name: str) -> str:
    parts = (name or "").split()
    return " ".join([parts[0]] + [part[0] + "." for part in parts[1:]]) if parts else ""


@bp.get("/nop-ho-so/<number>")
def online_status(number):
    """What the citizen follows: the state, the papers sent, what to add, the code and due time once accepted."""
    return render_template("reception/online_status.html", **status_context(citizen_submission(number)))


@bp.post("/nop-ho-so/<number>/bo-sung")
@upload_limits
def online_supplement(number):
    """The citizen uploads the missing papers from the status page, with the key."""
    allow_large_body()
    submission = citizen_submission(number)
    parts, _unknown = file_parts(request.files)
    begin_write()
    uploads, errors = online.receive_uploads(submission.version, parts)
    db.session.commit()
    begin_write()
    submission = citizen_submission(number)
    try:
        if errors:
            raise ReceptionError(_("Có tệp không nhận được: xem thông báo bên cạnh từng giấy tờ."), errors)
        online.add_supplement(submission, uploads)
    except ReceptionError as error:
        db.session.rollback()
        submission = citizen_submission(number)
        return render_template("reception/online_status.html",
                               **status_context(submission, error.errors, error.message)), error.status
    db.session.commit()
    flash(_("Đã gửi giấy tờ bổ sung; hồ sơ chờ bộ phận một cửa kiểm tra lại."), "success")
    return redirect(url_for("reception.online_status", number=submission.number, k=request.values.get("k")))


@bp.get("/nop-ho-so/<number>/<form>.pdf")
def online_form_pdf(number, form):
    """The receipt once accepted, the supplement request or the refusal: as the desk prints them."""
    submission = citizen_submission(number)
    if form == "receipt" and submission.application is not None:
        return pdf_response(printing.render_form(submission.application, "receipt"),
                            f"receipt-{submission.application.code}.pdf")
    slip = submission.slip
    if slip is not None and form == slip.kind and online.state_of(submission) != "accepted":
        return pdf_response(printing.desk_slip_pdf(slip), f"phieu-{slip.kind}-{submission.number}.pdf")
    abort(404)


# ---------------------------------------------------------------- the desk


@bp.get("/desk/online")
@roles_required("clerk")
def online_queue():
    state = request.args.get("state") if request.args.get("state") in online.queue_states() else "waiting"
    calendar = services._calendar()
    rows = online.queue(current_user, state)
    target = online.target_hours()
    waits = {row.id: online.waited(row, calendar) for row in rows}
    notes = {row.id: hooks.waiting_notes(row) for row in rows} if state == "waiting" else {}
    return render_template("reception/online_queue.html", rows=rows, waits=waits, notes=notes, state=state,
                           target=target, states=online.queue_states())


def desk_submission(number: str, lock=False):
    try:
        return online.visible_to(current_user, number, lock=lock)
    except online.SubmissionNotFound:
        abort(404)


@bp.get("/desk/online/<number>")
@roles_required("clerk")
def online_submission(number, errors=None, message=None, status=200):
    submission = desk_submission(number)
    return render_template("reception/online_submission.html", submission=submission,
                           state=online.state_of(submission), papers=online.current_papers(submission),
                           waited=online.waited(submission), errors=errors or {}, message=message,
                           form=request.form if errors else {}), status


@bp.get("/desk/online/<number>/papers/<int:paper_id>")
@roles_required("clerk")
def online_paper(number, paper_id):
    """One paper, inline (the desk's page frames it)."""
    submission = desk_submission(number)
    paper = db.session.get(SubmissionPaper, paper_id)
    if paper is None or paper.submission_id != submission.id:
        abort(404)
    response = Response(files.read(paper.sha256), mimetype=paper.mimetype)
    response.headers["Content-Disposition"] = f'inline; filename="{submission.number}-{paper.position}.pdf"'
    response.headers["X-Frame-Options"] = "SAMEORIGIN"
    return response


@bp.post("/desk/online/<number>/<action>")
@roles_required("clerk")
def online_decide(number, action):
    if action not in ("accept", "request", "refuse"):
        abort(404)
    desk_submission(number)
    begin_write()
    try:
        submission = desk_submission(number, lock=True)
        if action == "accept":
            application = online.accept(submission, current_user)
        elif action == "request":
            online.request_supplement(submission, current_user, (request.form.get("items") or "").splitlines(),
                                      request.form.get("reason"))
        else:
            if not request.form.get("confirm"):
                raise ReceptionError(_("Đánh dấu ô xác nhận trước khi từ chối tiếp nhận."),
                                     {"confirm": _("Cần xác nhận.")})
            online.refuse(submission, current_user, (request.form.get("reasons") or "").splitlines())
    except ReceptionError as error:
        db.session.rollback()
        flash(error.message, "danger")
        return online_submission(number, error.errors or {"_": error.message}, error.message, error.status)
    db.session.commit()
    online_mail.notify(submission, {"accept": "accepted", "request": "request_supplement", "refuse": "refused"}[action])
    if action == "accept":
        flash(_("Đã tiếp nhận hồ sơ %(code)s.", code=application.code), "success")
        return redirect(url_for("reception.application", code=application.code))
    flash(_("Đã ghi: %(what)s.", what=_("yêu cầu bổ sung") if action == "request" else _("từ chối tiếp nhận")),
          "success")
    return redirect(url_for("reception.online_queue"))
