"""PAR INDEX pages for a unit's sheet: the unit's reform officer scores itself with evidence and submits; the
appraiser (Sở Nội vụ) appraises, asks for an explanation and appraises again, adds bonus, penalty and survey
points. Thin: every write is a service of sheets (the API's too); a ParError is the page's answer."""
from datetime import datetime

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from ..auth.models import Agency
from ..database import begin_write
from ..extensions import db
from ..files import services as files
from ..numbers import figure
from ..text import clean, nfc
from ..timeutil import fmt
from . import results, rounds, sheets
from .models import ParAnswer, ParEvidence, ParSheet
from .points import ParError

bp = Blueprint("par_index", __name__, url_prefix="/par-index")
STAGE_LABELS = {"self": _l("Tự đánh giá"), "appraisal": _l("Thẩm định"), "explanation": _l("Giải trình"),
                "second": _l("Thẩm định lại"), None: _l("Đã kết thúc")}
PARTS = {  # the form of a sub-criterion for each part of the sheet: the fields it may send
    "self": ("declared", "self_score", "note"),
    "explanation": ("explanation",),
    "appraisal": ("appraised_score", "appraisal_note"),
    "second": ("second_score", "second_note"),
}
SCORES = {"self_score", "appraised_score", "second_score"}
FIELD_LABELS = {"declared": _l("Số liệu tự khai"), "self_score": _l("Điểm tự chấm"), "note": _l("Ghi chú"),
                "evidence": _l("Tài liệu kiểm chứng"), "submitted": _l("Nộp phiếu"),
                "appraised_score": _l("Điểm thẩm định"), "appraisal_note": _l("Ý kiến thẩm định"),
                "explanation_requested": _l("Đề nghị giải trình"), "explanation": _l("Giải trình"),
                "second_score": _l("Điểm thẩm định lại"), "second_note": _l("Ý kiến thẩm định lại"),
                "bonus": _l("Điểm thưởng"), "penalty": _l("Điểm trừ"), "survey": _l("Điểm điều tra xã hội học"),
                "action": _l("Nhiệm vụ khắc phục")}
VALUE_LABELS = {"True": _l("Có"), "False": _l("Không")}
POINTS_FIELDS = SCORES | {"survey"}


def field_label(field: str) -> str:
    """What a history row changed, in the user's words ('action 7 done': an action marked done)."""
    if field.startswith("action ") and field.endswith(" done"):
        return _("Nhiệm vụ hoàn thành")
    return str(FIELD_LABELS.get(field, field))


def shown_value(field: str, value: str | None):
    """A history value as the page writes it: points as 2,5, yes and no in words."""
    if value is not None and field in POINTS_FIELDS:
        try:
            return figure(float(value), "decimal")
        except ValueError:
            return value
    return VALUE_LABELS.get(value, value)


def round_or_404(year: int):
    return rounds.get_round(year) or abort(404)


def round_and_unit(year: int, code: str):
    """The round and the unit if the user may read its sheet; 404 as if it did not exist otherwise, or for an
    agency that is no unit of a group with a set that year (the province itself)."""
    par_round = round_or_404(year)
    agency = db.session.scalar(db.select(Agency).filter_by(code=code))
    if agency is None or not sheets.may_see(current_user, agency) or rounds.set_for(par_round, agency) is None:
        abort(404)
    return par_round, agency


def sheet_url(year: int, code: str, number: str | None = None) -> str:
    return url_for("par_index.sheet", year=year, code=code) + (f"#item-{number.replace('.', '-')}" if number else "")


# ---------------------------------------------------------------- the sheet page


def permissions(par_round, agency: Agency, view: dict) -> dict:
    """What the signed-in user may change on this sheet now (the services check it again)."""
    officer = sheets.is_reform_officer(current_user, agency)
    appraiser = sheets.is_appraiser_of(current_user, agency)
    submitted = view["submitted_at"] is not None
    self_open = rounds.stage_open(par_round, "self")
    appraisal_open = rounds.stage_open(par_round, "appraisal")
    second_open = rounds.stage_open(par_round, "second")
    return {"officer": officer, "appraiser": appraiser,
            "self": officer and self_open and not submitted,
            "explanation": officer and submitted and rounds.stage_open(par_round, "explanation"),
            "appraisal": appraiser and appraisal_open and (submitted or not self_open),
            "second": appraiser and second_open and not appraisal_open,
            "adjust": appraiser and (appraisal_open or second_open) and (submitted or not self_open),
            "survey": appraiser and second_open and par_round.survey_source == "entered"}


def deadline_notes(par_round, view: dict, may: dict) -> list[str]:
    """The sentences that say why a part of the sheet can no longer be changed."""
    notes = []
    if may["officer"]:
        if not rounds.stage_open(par_round, "self"):
            notes.append(_("Đã hết hạn tự đánh giá (%(at)s): phiếu chỉ còn để xem, không sửa được nữa.",
                           at=fmt(par_round.self_until)))
        elif view["submitted_at"]:
            notes.append(_("Phiếu đã nộp lúc %(at)s: phần tự đánh giá không sửa được nữa.",
                           at=fmt(datetime.fromisoformat(view["submitted_at"]))))
        asked = any(item["explanation_requested"] for item in view["items"])
        if asked and not rounds.stage_open(par_round, "explanation"):
            notes.append(_("Đã hết hạn giải trình (%(at)s).", at=fmt(par_round.explanation_until)))
    if may["appraiser"] and not rounds.stage_open(par_round, "second"):
        notes.append(_("Đã hết hạn thẩm định lại (%(at)s): kết quả đã chốt.", at=fmt(par_round.second_until)))
    return notes


def render_sheet(par_round, agency: Agency, status: int = 200, errors: dict | None = None):
    view = results.sheet_view(par_round, agency)
    if view is None:
        abort(404)
    may = permissions(par_round, agency, view)
    return render_template("par_index/sheet.html", r=par_round, agency=agency, view=view, may=may,
                           notes=deadline_notes(par_round, view, may), errors=errors or {},
                           stage_label=STAGE_LABELS[view["stage"]], stage_labels=STAGE_LABELS,
                           missing=set(view["missing_evidence"])), status


@bp.get("/<int(max=9999):year>/sheets/<code>")
@login_required
def sheet(year, code):
    return render_sheet(*round_and_unit(year, code))


def refused(par_round, agency: Agency, error: ParError, number: str | None = None):
    """The sheet again with the refusal's message (and where it applies): nothing was written."""
    db.session.rollback()
    flash(error.message, "danger")
    return render_sheet(par_round, agency, error.status, {number: error.message} if number else {})


def form_changes(part: str) -> dict:
    """The fields of the part's form that were sent: an empty score clears it, an empty text clears it."""
    changes = {}
    for name in PARTS[part]:
        if name in request.form:
            value = nfc(request.form.get(name, ""))
            changes[name] = (clean(value) if name in SCORES or name == "declared" else value)
    if part == "appraisal":
        changes["explanation_requested"] = request.form.get("explanation_requested") == "1"
    return changes


def uploads() -> list:
    return [upload for upload in request.files.getlist("files") if upload and upload.filename]


def write(year: int, code: str, change, done: str, anchor: str = "", number: str | None = None):
    """Lock, change the unit's sheet through a service, commit and say so; or the sheet with the refusal."""
    par_round, agency = round_and_unit(year, code)
    begin_write()
    try:
        change(par_round, agency)
    except ParError as error:
        return refused(par_round, agency, error, number)
    db.session.commit()
    flash(done, "success")
    return redirect(sheet_url(year, code, number) + anchor)


@bp.post("/<int(max=9999):year>/sheets/<code>/items/<number>/<part>")
@login_required
def save_item(year, code, number, part):
    """One sub-criterion's part (self, explanation, appraisal, second), with new evidence files for the unit's."""
    if part not in PARTS:
        abort(404)
    files_sent = [(upload.filename, upload.read()) for upload in uploads()] if part in ("self", "explanation") else []

    def change(par_round, agency):
        sheets.update_answer(par_round, agency, number, form_changes(part), current_user)
        for filename, content in files_sent:
            sheets.add_evidence(par_round, agency, number, filename, content, current_user)
    return write(year, code, change, _("Đã lưu tiêu chí %(number)s.", number=number), number=number)


@bp.post("/<int(max=9999):year>/sheets/<code>/submit")
@login_required
def submit(year, code):
    return write(year, code, lambda par_round, agency: sheets.submit(par_round, agency, current_user),
                 _("Đã nộp phiếu tự đánh giá tới Sở Nội vụ."))


@bp.post("/<int(max=9999):year>/sheets/<code>/adjustments")
@login_required
def add_adjustment(year, code):
    """Bonus points (a positive number) or penalty points (a negative one), with the reason."""
    points = clean(request.form.get("points"))
    if points and request.form.get("kind") == "penalty" and not points.startswith("-"):
        points = "-" + points
    reason = nfc(request.form.get("reason", ""))
    return write(year, code, lambda par_round, agency: sheets.add_adjustment(par_round, agency, points, reason,
                                                                             current_user),
                 _("Đã ghi điểm thưởng, điểm trừ."), "#adjustments")


@bp.post("/<int(max=9999):year>/sheets/<code>/survey")
@login_required
def set_survey(year, code):
    points = clean(request.form.get("points"))
    return write(year, code, lambda par_round, agency: sheets.set_survey(par_round, agency, points, current_user),
                 _("Đã ghi điểm điều tra xã hội học."), "#survey")


@bp.get("/<int(max=9999):year>/sheets/<code>/history")
@login_required
def history(year, code):
    """Every change to the sheet (or to one sub-criterion, `?item=`): who, when, stage, from what to what."""
    par_round, agency = round_and_unit(year, code)
    number = clean(request.args.get("item"))
    rows = [{**row, "field": field_label(row["field"]), "old": shown_value(row["field"], row["old"]),
             "new": shown_value(row["field"], row["new"])}
            for row in results.history(par_round, agency) if number is None or row["number"] == number]
    return render_template("par_index/history.html", r=par_round, agency=agency, rows=rows, number=number,
                           stage_labels=STAGE_LABELS)


@bp.get("/<int(max=9999):year>/sheets/<code>/evidence/<int:evidence_id>")
@login_required
def evidence(year, code, evidence_id):
    par_round, agency = round_and_unit(year, code)
    row = db.session.scalar(db.select(ParEvidence).join(ParAnswer).join(ParSheet).where(
        ParEvidence.id == evidence_id, ParSheet.round_id == par_round.id, ParSheet.agency_id == agency.id))
    if row is None:
        abort(404)
    response = Response(files.read(row.sha256), mimetype=row.mimetype)
    response.headers["Content-Disposition"] = f'inline; filename="tai-lieu-{row.id}"'
    return response


from . import views_admin, views_results  # noqa: E402,F401  (their routes on this blueprint)
