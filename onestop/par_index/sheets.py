"""The one write path for a unit's sheet: self-assessment, evidence, submission, appraisal, the request for an
explanation and the explanation, the second appraisal, bonus and penalty points, the survey's points. The API
and the pages both call these; each flushes, never commits, and a refusal (ParError) changes nothing.

Who: the unit's reform officer (cán bộ đầu mối CCHC) is a staff user of that very agency with the role
`supervisor`; the appraiser (Sở Nội vụ) is a user with the role `appraiser`, for every unit of its province.
Every change is one ParHistory row (who, when, stage, field, old, new)."""
from flask_babel import gettext as _

from ..auth.models import Agency
from ..extensions import db
from ..files import services as files
from ..files.checks import UploadRefused, check_upload
from ..timeutil import now
from . import rounds
from .models import ParAdjustment, ParAnswer, ParEvidence, ParHistory, ParItem, ParRound, ParSheet
from .points import ParError, show, to_cp

SELF_FIELDS = {"declared", "self_score", "note"}
EXPLANATION_FIELDS = {"explanation"}
APPRAISAL_FIELDS = {"appraised_score", "appraisal_note", "explanation_requested"}
SECOND_FIELDS = {"second_score", "second_note"}
STAGE_OF_FIELDS = (("self", SELF_FIELDS), ("explanation", EXPLANATION_FIELDS), ("appraisal", APPRAISAL_FIELDS),
                   ("second", SECOND_FIELDS))
COLUMN = {"self_score": "self_cp", "appraised_score": "appraised_cp", "second_score": "second_cp"}
YES_NO = ("yes", "no", "na")
MAX_TEXT = 4000


# ---------------------------------------------------------------- who


def is_reform_officer(user, agency: Agency) -> bool:
    return user.agency_id == agency.id and user.has_role("supervisor")


def is_appraiser_of(user, agency: Agency) -> bool:
    return user.has_role("appraiser") and rounds.root_id(user.agency) == rounds.root_id(agency)


def may_see(user, agency: Agency) -> bool:
    """A unit's own people (and those above it who see it) read its sheet; the appraiser reads every unit's."""
    return user.can_see_agency(agency.id) or is_appraiser_of(user, agency)


def _require(allowed: bool) -> None:
    if not allowed:
        raise ParError(_("Tài khoản không có quyền sửa phần này của phiếu chấm."), 403)


# ---------------------------------------------------------------- answers


def leaf(sheet: ParSheet, number: str) -> ParItem:
    item = db.session.scalar(db.select(ParItem).filter_by(set_id=sheet.set_id, number=str(number)))
    if item is None:
        raise ParError(_("Không có tiêu chí %(number)s trong bộ tiêu chí.", number=number), 404)
    if db.session.scalar(db.select(ParItem.id).filter_by(parent_id=item.id).limit(1)) is not None:
        raise ParError(_("%(number)s có tiêu chí thành phần: chấm điểm ở từng tiêu chí thành phần.", number=number))
    return item


def _answer(sheet: ParSheet, item: ParItem) -> ParAnswer:
    answer = db.session.scalar(db.select(ParAnswer).filter_by(sheet_id=sheet.id, item_id=item.id))
    if answer is None:
        answer = ParAnswer(sheet=sheet, item=item)
        db.session.add(answer)
        db.session.flush()
    return answer


def record_history(sheet: ParSheet, item: ParItem | None, user, stage: str, field: str, old, new) -> None:
    if old == new:
        return
    db.session.add(ParHistory(sheet_id=sheet.id, item_id=item.id if item else None, user_id=user.id, at=now(),
                              stage=stage, field=field, old=None if old is None else str(old),
                              new=None if new is None else str(new)))


def _stage(changes: dict) -> str:
    if not changes:
        raise ParError(_("Không có gì để sửa."))
    stages = [stage for stage, fields in STAGE_OF_FIELDS if set(changes) & fields]
    known = set().union(*(fields for _stage, fields in STAGE_OF_FIELDS))
    if unknown := sorted(set(changes) - known):
        raise ParError(_("Khóa không được hỗ trợ: %(keys)s.", keys=", ".join(unknown)))
    if len(stages) != 1:
        raise ParError(_("Mỗi lần sửa chỉ một phần: tự đánh giá, giải trình, thẩm định hoặc thẩm định lại."))
    return stages[0]


def _score(value, item: ParItem, field: str) -> int | None:
    if value is None:
        return None
    cp = to_cp(value, field)
    if cp > item.max_cp:
        raise ParError(_("«%(field)s» của %(number)s tối đa %(max)s điểm.", field=field, number=item.number,
                         max=show(item.max_cp)))
    return cp


def _text(value, field: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or len(value) > MAX_TEXT:
        raise ParError(_("«%(field)s» phải là chữ, tối đa %(n)s ký tự.", field=field, n=MAX_TEXT))
    return value.strip() or None


def _declared(value, item: ParItem) -> str | None:
    if value is None or value == "":
        return None
    text = str(value).strip() if not isinstance(value, bool) else ("yes" if value else "no")
    if item.answer_kind == "yes_no" and text not in YES_NO:
        raise ParError(_("Số liệu của %(number)s phải là yes, no hoặc na.", number=item.number))
    if item.answer_kind in ("number", "percent"):
        try:
            number = float(text.replace(",", "."))
        except ValueError:
            raise ParError(_("Số liệu của %(number)s phải là số.", number=item.number)) from None
        if number != number or number < 0 or (item.answer_kind == "percent" and number > 100):
            raise ParError(_("Số liệu của %(number)s phải là số từ 0 (tỷ lệ: đến 100).", number=item.number))
    if len(text) > 255:
        raise ParError(_("Số liệu tối đa 255 ký tự."))
    return text


def update_answer(par_round: ParRound, agency: Agency, number: str, changes: dict, user) -> ParAnswer:
    """Change one sub-criterion of the unit's sheet. The keys say the stage: declared, self_score, note (the unit,
    self-assessment); explanation (the unit, where asked); appraised_score, appraisal_note, explanation_requested
    (the appraiser); second_score, second_note (the appraiser, where an explanation was asked)."""
    stage = _stage(changes)
    _require(is_reform_officer(user, agency) if stage in ("self", "explanation") else is_appraiser_of(user, agency))
    rounds.refuse_closed(par_round, stage)
    sheet = rounds.open_sheet(par_round, agency)
    item = leaf(sheet, number)
    answer = _answer(sheet, item)
    values = _checked(stage, changes, item, sheet, answer)
    for field, value in values.items():
        column = COLUMN.get(field, field)
        old = getattr(answer, column)
        shown = (lambda cp: show(cp)) if column.endswith("_cp") else (lambda raw: raw)
        record_history(sheet, item, user, stage, field, shown(old), shown(value))
        setattr(answer, column, value)
    db.session.flush()
    return answer


def _flag(value, field: str) -> bool:
    if not isinstance(value, bool):
        raise ParError(_("«%(field)s» phải là true hoặc false.", field=field))
    return value


# how each field's value is read: (value, item, field name) -> the value to store; in the order the history
# records them, whatever order the request gave them in
READERS = {"declared": lambda value, item, field: _declared(value, item),
           "self_score": _score, "appraised_score": _score, "second_score": _score,
           "note": lambda value, item, field: _text(value, field), "explanation": lambda value, item, field:
           _text(value, field), "appraisal_note": lambda value, item, field: _text(value, field),
           "second_note": lambda value, item, field: _text(value, field),
           "explanation_requested": lambda value, item, field: _flag(value, field)}


def _refuse_out_of_turn(stage: str, changes: dict, item: ParItem, sheet: ParSheet, answer: ParAnswer) -> None:
    """What each stage waits for: the self-assessment for no submission yet (and a measured figure stays the
    app's); the appraisal for the submission or the deadline; the explanation and the second appraisal for a
    request to explain."""
    if stage == "self" and sheet.submitted_at is not None:
        raise ParError(_("Phiếu đã nộp: không sửa phần tự đánh giá được nữa."), 409)
    if stage == "self" and item.indicator and set(changes) & {"declared", "self_score"}:
        raise ParError(_("%(number)s do hệ thống đo: đơn vị chỉ ghi ý kiến (note), không sửa số liệu.",
                         number=item.number))
    if stage == "appraisal" and sheet.submitted_at is None and rounds.stage_open(sheet.round, "self"):
        raise ParError(_("Đơn vị chưa nộp phiếu tự đánh giá."), 409)
    if stage == "explanation" and not answer.explanation_requested:
        raise ParError(_("Sở Nội vụ chưa đề nghị giải trình tiêu chí %(number)s.", number=item.number), 409)
    if stage == "second" and not answer.explanation_requested:
        raise ParError(_("Thẩm định lại chỉ ở tiêu chí đã đề nghị giải trình."), 409)


def _checked(stage: str, changes: dict, item: ParItem, sheet: ParSheet, answer: ParAnswer) -> dict:
    """The new values, every one checked before any is set."""
    _refuse_out_of_turn(stage, changes, item, sheet, answer)
    return {field: read(changes[field], item, field) for field, read in READERS.items() if field in changes}


# ---------------------------------------------------------------- evidence and submission


def add_evidence(par_round: ParRound, agency: Agency, number: str, filename: str, data: bytes, user) -> ParEvidence:
    """Keep an evidence file for a sub-criterion: with the self-assessment (before submission), or with an
    explanation that was asked for. Content-checked (PDF, JPEG, PNG) and stored by its SHA-256."""
    _require(is_reform_officer(user, agency))
    sheet = rounds.find_sheet(par_round, agency)
    stage = "self" if (sheet is None or sheet.submitted_at is None) else "explanation"
    rounds.refuse_closed(par_round, stage)
    sheet = rounds.open_sheet(par_round, agency)
    item = leaf(sheet, number)
    answer = _answer(sheet, item)
    if stage == "explanation" and not answer.explanation_requested:
        raise ParError(_("Phiếu đã nộp: chỉ bổ sung tài liệu cho tiêu chí được đề nghị giải trình."), 409)
    try:
        checked = check_upload(filename or "tai-lieu", data)
    except UploadRefused as error:
        raise ParError(str(error)) from None
    sha256 = files.store(checked.data, checked.mimetype)
    evidence = ParEvidence(answer_id=answer.id, stage=stage, sha256=sha256, name=checked.name,
                           mimetype=checked.mimetype, size=checked.size, uploaded_by_id=user.id, uploaded_at=now())
    db.session.add(evidence)
    record_history(sheet, item, user, stage, "evidence", None, f"{checked.name} ({sha256[:12]})")
    db.session.flush()
    return evidence


def missing_evidence(sheet: ParSheet) -> list[str]:
    """The sub-criteria that ask for evidence, claim points and have no file: submission waits for them."""
    answers = db.session.scalars(db.select(ParAnswer).filter_by(sheet_id=sheet.id)).all()
    return [answer.item.number for answer in answers
            if answer.item.evidence_required and not answer.item.indicator and (answer.self_cp or 0) > 0
            and not answer.evidence]


def submit(par_round: ParRound, agency: Agency, user) -> ParSheet:
    """The unit hands its self-assessment in; refused while a scored sub-criterion lacks the evidence it asks for."""
    _require(is_reform_officer(user, agency))
    rounds.refuse_closed(par_round, "self")
    sheet = rounds.open_sheet(par_round, agency)
    if sheet.submitted_at is not None:
        raise ParError(_("Phiếu đã nộp."), 409)
    missing = missing_evidence(sheet)
    if missing:
        raise ParError(_("Chưa nộp được: thiếu tài liệu kiểm chứng ở %(items)s.", items=", ".join(missing)),
                       errors={"evidence": missing})
    sheet.submitted_at, sheet.submitted_by_id = now(), user.id
    record_history(sheet, None, user, "self", "submitted", None, sheet.submitted_at.isoformat())
    db.session.flush()
    return sheet


# ---------------------------------------------------------------- the appraiser's sheet-wide parts


def add_adjustment(par_round: ParRound, agency: Agency, points, reason: str, user) -> ParAdjustment:
    """Bonus (positive) or penalty (negative) points with their reason, during the appraisal or the second one."""
    _require(is_appraiser_of(user, agency))
    stage = "appraisal" if rounds.stage_open(par_round, "appraisal") else "second"
    rounds.refuse_closed(par_round, stage)
    cp = to_cp(points, "points", allow_negative=True)
    reason = _text(reason, "reason")
    if not cp or not reason:
        raise ParError(_("Điểm thưởng, điểm trừ cần số điểm khác 0 và lý do."))
    sheet = rounds.open_sheet(par_round, agency)
    adjustment = ParAdjustment(sheet_id=sheet.id, points_cp=cp, reason=reason, by_id=user.id, at=now())
    db.session.add(adjustment)
    record_history(sheet, None, user, stage, "bonus" if cp > 0 else "penalty", None, f"{show(cp):g}: {reason}")
    db.session.flush()
    return adjustment


def set_survey(par_round: ParRound, agency: Agency, points, user) -> ParSheet:
    """The survey component's points for the unit, entered by the appraiser (rounds that take them from the
    survey's results, not from the app's ratings), until the second appraisal's deadline."""
    _require(is_appraiser_of(user, agency))
    rounds.refuse_closed(par_round, "second")
    if par_round.survey_source != "entered":
        raise ParError(_("Đợt này lấy điểm điều tra từ đánh giá hài lòng trên hệ thống."), 409)
    sheet = rounds.open_sheet(par_round, agency)
    cp = to_cp(points, "survey")
    if cp > sheet.set.survey_weight_cp:
        raise ParError(_("Điểm điều tra tối đa %(max)s.", max=show(sheet.set.survey_weight_cp)))
    record_history(sheet, None, user, "appraisal", "survey", show(sheet.survey_cp), show(cp))
    sheet.survey_cp = cp
    db.session.flush()
    return sheet
