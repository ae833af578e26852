"""The electronic file's pages and API: attach scans per component, reuse a stored paper, download a paper with
the permission of its application (staff: the agency's scope; the applicant: the application's tracking key)."""
from urllib.parse import quote

from flask import Response, abort, flash, jsonify, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from .. import files, inputs
from ..api import ApiError, api_login_required
from ..auth import roles_required
from ..database import begin_write
from ..extensions import db
from ..timeutil import VN
from . import bp, keys, lifecycle, papers
from .api import bp as api_bp, visible_application
from .models import Application
from .validation import ReceptionError
from .views import visible_or_404

WRITERS = ("clerk", "officer")
MAX_FILES_PER_REQUEST = 30


def checked_uploads(uploads) -> list[files.Checked]:
    """Every uploaded file checked before any is stored: one refused file refuses the request (and nothing of
    the application changes). Reads at most one byte over the limit of each."""
    limit = files.max_upload_bytes()
    sent = [upload for upload in uploads if upload is not None and (upload.filename or upload.content_length)]
    if not sent:
        raise files.UploadRefused(_("Chọn ít nhất một tệp."))
    if len(sent) > MAX_FILES_PER_REQUEST:
        raise files.UploadRefused(_("Gửi tối đa %(count)d tệp mỗi lần.", count=MAX_FILES_PER_REQUEST))
    return [files.check_upload(upload.filename or "", upload.stream.read(limit + 1), max_bytes=limit)
            for upload in sent]


def paper_details(form, prefix: str = "") -> dict:
    """What is known of a paper, from a form: its number, issuer, issue date and last valid day (all optional)."""
    return {"number": inputs.text(form.get(f"{prefix}number"), _("Số giấy tờ"), 64),
            "issuer": inputs.text(form.get(f"{prefix}issuer"), _("Nơi cấp"), 255),
            "issued_on": inputs.day(form.get(f"{prefix}issued_on"), _("Ngày cấp")),
            "valid_until": inputs.day(form.get(f"{prefix}valid_until"), _("Hiệu lực đến"))}


def parse_position(value) -> int:
    raw = (value or "").strip() if isinstance(value, str) else ""
    if not raw.isdecimal() or not raw.isascii() or len(raw) > 4:
        raise papers.PaperError(_("«component» phải là số thứ tự của thành phần hồ sơ."))
    return int(raw)


def file_response(paper_file, disposition: str = "inline") -> Response:
    """The file with its own type, a safe name (RFC 6266: ASCII fallback and UTF-8), never sniffed."""
    try:
        data = files.read(paper_file.sha256)
    except files.Missing:
        abort(404)
    response = Response(data, mimetype=paper_file.mimetype)
    fallback = "".join(ch if ch.isascii() and (ch.isalnum() or ch in "._-") else "_" for ch in paper_file.name)
    response.headers["Content-Disposition"] = (f'{disposition}; filename="{fallback or "giay-to"}"; '
                                               f"filename*=UTF-8''{quote(paper_file.name, safe='')}")
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "no-store"
    return response


def file_url(application: Application, paper_file, *, public: bool = False) -> str:
    if public:
        return url_for("reception.public_paper_file", code=application.code, file_id=paper_file.id,
                       k=application.tracking_key, _external=True)
    return url_for("reception.paper_file", code=application.code, file_id=paper_file.id)


# ---------------------------------------------------------------- staff pages


def _back(code):
    """Back where the clerk attached the paper: the desk (right after reception) or the application page."""
    if request.form.get("back") == "desk":
        return redirect(url_for("reception.desk", received=code, papers=1) + "#desk-papers")
    return redirect(url_for("reception.application", code=code) + "#giay-to")


def _write(code: str, change, done: str):
    """One paper write of the pages: lock the file, `change(application)`, commit and say `done`; a refusal is
    rolled back and said beside the papers; a file the user may not act on is a 404."""
    visible_or_404(code)
    begin_write()
    try:
        change(lifecycle.lock_application(code, current_user))
    except (files.UploadRefused, papers.PaperError, inputs.InputError) as error:
        db.session.rollback()
        flash(getattr(error, "message", None) or str(error), "danger")
        return _back(code), 303
    except ReceptionError:
        abort(404)
    db.session.commit()
    flash(done, "success")
    return _back(code)


@bp.post("/applications/<code>/papers/<int:position>")
@roles_required(*WRITERS)
def attach_paper(code, position):
    def change(application):
        checked = checked_uploads(request.files.getlist("file"))
        details = paper_details(request.form, "paper_")
        papers.digitise(application, position, checked, user=current_user, details=details)
    return _write(code, change, _("Đã số hóa thành phần hồ sơ."))


@bp.post("/applications/<code>/papers/<int:position>/reuse")
@roles_required(*WRITERS)
def reuse_paper(code, position):
    def change(application):
        stored = request.form.get("stored_paper", "")
        if not stored.isdecimal() or len(stored) > 18:
            raise papers.PaperError(_("Chọn giấy tờ trong kho để dùng lại."))
        papers.reuse(application, position, int(stored), user=current_user)
    return _write(code, change, _("Đã dùng lại giấy tờ đã số hóa."))


@bp.get("/applications/<code>/files/<int:file_id>")
@roles_required("clerk", "officer", "supervisor", "admin")
def paper_file(code, file_id):
    found = papers.file_of(visible_or_404(code), file_id)
    if found is None:
        abort(404)
    return file_response(found)


@bp.post("/applications/<code>/result")
@roles_required(*WRITERS)
def record_result(code):
    """The result document's details and its scan, after "result ready" (or to correct them)."""
    return _write(code, lambda application: record_result_from_form(application, request.form, request.files,
                                                                     required=True), _("Đã ghi văn bản kết quả."))


def record_result_from_form(application: Application, form, uploads, *, required: bool) -> None:
    """The result fields of a page's form (result_number, result_signed_on, result_signer, result_file): recorded
    when any is given (or when `required`)."""
    sent = [upload for upload in uploads.getlist("result_file") if upload and upload.filename]
    given = any((form.get(name) or "").strip() for name in ("result_number", "result_signed_on", "result_signer"))
    if not (given or sent or required):
        return
    checked = checked_uploads(sent) if sent else None
    number = inputs.text(form.get("result_number"), _("Số văn bản kết quả"), 64, required=True)
    signer = inputs.text(form.get("result_signer"), _("Người ký"), 255, required=True)
    signed_on = inputs.day(form.get("result_signed_on"), _("Ngày ký"))
    papers.record_result(application, number=number, signed_on=signed_on, signer=signer, checked_files=checked,
                         user=current_user)


# ---------------------------------------------------------------- the applicant, by the tracking key


@bp.get("/tra-cuu/<code>/giay-to/<int:file_id>")
def public_paper_file(code, file_id):
    """A paper or the result of one's own application, by its tracking key; any wrong part is the same 404."""
    application = db.session.scalar(db.select(Application).filter_by(code=code))
    if application is None or not keys.matches(application.tracking_key, request.args.get("k")):
        abort(404)
    found = papers.file_of(application, file_id)
    if found is None:
        abort(404)
    return file_response(found, "attachment")


# ---------------------------------------------------------------- the API


def paper_json(application: Application, row: dict) -> dict:
    item = row["paper"]
    return {
        "component": row["position"], "name": row["name"], "required": row["required"],
        "digitised": item is not None, "reused": bool(item and item.reused),
        "stored_paper_id": item.stored_paper_id if item else None,
        **{key: (value.isoformat() if hasattr(value, "isoformat") else value) for key, value in (
            ("number", item.paper.number if item else None), ("issuer", item.paper.issuer if item else None),
            ("issued_on", item.paper.issued_on if item else None),
            ("valid_until", item.paper.valid_until if item else None))},
        "files": [{"id": f.id, "name": f.name, "mimetype": f.mimetype, "pages": f.pages, "sha256": f.sha256,
                   "download_url": url_for("reception.paper_file", code=application.code, file_id=f.id,
                                           _external=True)} for f in row["files"]],
        "sha256": row["files"][0].sha256 if row["files"] else None,
        "download_url": (url_for("reception.paper_file", code=application.code, file_id=row["files"][0].id,
                                 _external=True) if row["files"] else None),
    }


def result_json(application: Application, result) -> dict | None:
    if result is None:
        return None
    paper_files = list(result.paper.files) if result.paper else []
    return {
        "number": result.number, "signed_on": result.signed_on.isoformat(), "signer": result.signer,
        "digitised": bool(paper_files),
        "digitised_at": result.digitised_at.astimezone(VN).isoformat() if result.digitised_at else None,
        "sha256": paper_files[0].sha256 if paper_files else None,
        "download_url": (url_for("reception.paper_file", code=application.code, file_id=paper_files[0].id,
                                 _external=True) if paper_files else None),
    }


def papers_body(application: Application) -> dict:
    seen = papers.overview(application)
    return {"code": application.code, "digitised": seen["digitised"], "papers_reused": seen["reused"],
            "has_result_paper": seen["has_result_paper"],
            "papers": [paper_json(application, row) for row in seen["components"]],
            "result": result_json(application, seen["result"])}


@api_bp.get("/applications/<code>/papers")
@api_login_required()
def list_papers(code):
    return jsonify(papers_body(visible_application(code)))


@api_bp.post("/applications/<code>/papers")
@api_login_required(*WRITERS)
def add_paper(code):
    """multipart/form-data: `component` (a position) with `file` (one or more) or `reuse` (a stored paper's id);
    or `result` with `number`, `signed_on`, `signer` and optionally `file`."""
    visible_application(code)
    form = request.form
    begin_write()
    try:
        if "result" in form:
            checked = checked_uploads(request.files.getlist("file")) if request.files.getlist("file") else None
            number = inputs.text(form.get("number"), "number", 64, required=True)
            signer = inputs.text(form.get("signer"), "signer", 255, required=True)
            signed_on = inputs.day(form.get("signed_on"), "signed_on")
            application = lifecycle.lock_application(code, current_user)
            papers.record_result(application, number=number, signed_on=signed_on, signer=signer,
                                 checked_files=checked, user=current_user)
        else:
            position = parse_position(form.get("component"))
            application = lifecycle.lock_application(code, current_user)
            if form.get("reuse"):
                raw = form["reuse"].strip()
                if not raw.isdecimal() or len(raw) > 18:
                    raise papers.PaperError(_("«reuse» phải là số của một giấy tờ trong kho."))
                papers.reuse(application, position, int(raw), user=current_user)
            else:
                checked = checked_uploads(request.files.getlist("file"))
                papers.digitise(application, position, checked, user=current_user, details=paper_details(form))
    except (files.UploadRefused, papers.PaperError) as error:
        db.session.rollback()
        raise ApiError(str(error), 400) from None
    except inputs.InputError as error:
        db.session.rollback()
        raise ApiError(error.message, 400) from None
    except ReceptionError as error:
        db.session.rollback()
        raise ApiError(error.message, error.status) from None
    body = papers_body(application)
    db.session.commit()
    return jsonify(body), 201
