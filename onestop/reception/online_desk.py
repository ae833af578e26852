"""The desk's decisions on an online submission: ask for more, refuse with reasons, or accept it as an application
through the counter's own service. Plain functions that flush, never commit (reception.online holds the rest)."""
from datetime import datetime

import sqlalchemy as sa

from flask_babel import gettext as _

from .. import audit, inputs, settings
from ..auth.models import User
from ..extensions import db
from ..procedures.models import ProcedureVersion
from ..timeutil import local, now
from . import hooks, services
from .models import DeskSlip
from .online import _claim, add_event, current_papers, state_label, state_of
from .online_models import Submission, SubmissionEvent, SubmissionPaper
from .validation import PermissionDenied, ReceptionError, TransitionError


def _desk(user: User, submission: Submission) -> None:
    if not (user.has_role("clerk") and user.can_see_agency(submission.agency_id)):
        raise PermissionDenied(_("Chỉ cán bộ một cửa của cơ quan tiếp nhận được xử lý hồ sơ này."))


def _slip(submission: Submission, user: User, kind: str, items: list[str], reason: str, at: datetime) -> DeskSlip:
    """The printed supplement request or refusal, as at the desk (reception.printing.desk_slip_pdf)."""
    slip = DeskSlip(kind=kind, agency_id=submission.agency_id, procedure_version_id=submission.procedure_version_id,
                    applicant_name=submission.applicant_name, applicant_id_kind=submission.applicant_id_kind,
                    applicant_id_number=submission.applicant_id_number,
                    applicant_id_paper=submission.applicant_id_paper, applicant_phone=submission.applicant_phone,
                    applicant_email=submission.applicant_email, applicant_address=submission.applicant_address,
                    items=items, reason=reason, at=at, user_id=user.id)
    db.session.add(slip)
    return slip


def request_supplement(submission: Submission, user: User, items, reason) -> SubmissionEvent:
    """Ask for more before accepting: the items and the reason; the citizen has until a deadline to upload them."""
    _desk(user, submission)
    errors: dict[str, str] = {}
    items = inputs.collect(errors, "items", inputs.text_list, items, "items") or []
    reason = inputs.collect(errors, "reason", inputs.text, reason, "reason", inputs.NOTE_MAX, multiline=True)
    if not items and "items" not in errors:
        errors["items"] = _("Liệt kê các giấy tờ cần bổ sung, hoàn thiện.")
    if not reason and "reason" not in errors:
        errors["reason"] = _("Nhập lý do.")
    if errors:
        raise ReceptionError(_("Yêu cầu bổ sung chưa hợp lệ: vui lòng sửa các ô được đánh dấu."), errors)
    at = now()
    calendar = services._calendar()
    days = int(settings.get("online_supplement_working_days") or 10)
    due = calendar.close_of_day(calendar.add_working_days(local(at).date(), days))
    slip = _slip(submission, user, "supplement", items, reason, at)
    db.session.flush()
    _claim(submission, "supplement_requested", supplement_due_at=due, slip_id=slip.id)
    event = add_event(submission, "request_supplement", user, "supplement_requested", at=at,
                      data={"items": items, "reason": reason, "due_at": due.isoformat(), "slip": slip.id})
    audit.record("submission_supplement_requested", submission, user=user)
    db.session.flush()
    return event


def refuse(submission: Submission, user: User, reasons) -> SubmissionEvent:
    """Refuse with reasons; the refusal form (as at the desk) is then on the status page."""
    _desk(user, submission)
    errors: dict[str, str] = {}
    reasons = inputs.collect(errors, "reasons", inputs.text_list, reasons, "reasons") or []
    if not reasons and "reasons" not in errors:
        errors["reasons"] = _("Nêu lý do từ chối.")
    if errors:
        raise ReceptionError(_("Từ chối chưa hợp lệ: vui lòng sửa các ô được đánh dấu."), errors)
    at = now()
    slip = _slip(submission, user, "refusal", [], "; ".join(reasons), at)
    db.session.flush()
    _claim(submission, "refused", decided_at=at, slip_id=slip.id)
    event = add_event(submission, "refuse", user, "refused", at=at, data={"reasons": reasons, "slip": slip.id})
    audit.record("submission_refused", submission, user=user)
    db.session.flush()
    return event


def application_data(submission: Submission) -> dict:
    """The submission as the counter's reception data (reception.services.receive_application)."""
    version = submission.version
    submitted = current_papers(submission)
    documents = [{"name": document.name, "kind": document.kind, "copies": document.copies}
                 for document in version.documents if document.position in submitted]
    return {
        "procedure_code": version.procedure.code,
        "applicant": {"kind": submission.applicant_kind, "name": submission.applicant_name,
                      "id_kind": submission.applicant_id_kind, "id_number": submission.applicant_id_number,
                      "id_paper": submission.applicant_id_paper, "phone": submission.applicant_phone,
                      "email": submission.applicant_email, "address": submission.applicant_address},
        "representative": {"name": submission.representative_name, "id_kind": submission.representative_id_kind,
                           "id_number": submission.representative_id_number,
                           "id_paper": submission.representative_id_paper,
                           "phone": submission.representative_phone} if submission.representative_name else None,
        "channel": "online",
        "documents": documents,
        "return_method": "postal" if submission.return_method == "postal" else submission.return_method,
    }


def counted_digitised(application, version: ProcedureVersion, submitted: dict[int, SubmissionPaper]) -> None:
    """The application's digitisation figures as papers.refresh_summary keeps them, set before its first flush: it
    is counted digitised once, as received (the rollups)."""
    required = {document.position for document in version.documents if document.required}
    application.papers_digitised = bool(submitted) and required <= set(submitted)
    application.papers_reused = 0


def digitise_submitted(application, version: ProcedureVersion, submitted: dict[int, SubmissionPaper], user: User,
                       at: datetime) -> None:
    """The submission's papers become the application's digitised papers, recorded as reception.papers.digitise
    records a scan (a stored paper of the holder per component, its file, the link), once the application has its
    id: the files are in the store already, checked when they were uploaded. Three statements whatever the number
    of papers (the stored papers' ids come back in the order given)."""
    from .paper_models import ApplicationPaper, PaperFile, StoredPaper

    if not submitted:
        return
    documents = {document.position: document for document in version.documents}
    positions = sorted(submitted)
    connection = db.session.connection()  # Core on the tables: the ORM adds nothing to rows nobody reads back
    ids = connection.scalars(
        sa.insert(StoredPaper.__table__).returning(StoredPaper.__table__.c.id, sort_by_parameter_order=True),
        [{"holder_id_number": application.applicant_id_number, "holder_name": application.applicant_name,
          "kind": documents[position].name, "source_application_id": application.id, "created_at": at,
          "created_by_id": user.id} for position in positions]).all()
    connection.execute(sa.insert(PaperFile.__table__), [
        {"paper_id": paper_id, "seq": 1, "sha256": submitted[position].sha256, "name": submitted[position].name,
         "mimetype": submitted[position].mimetype, "pages": submitted[position].pages or 1, "added_at": at,
         "added_by_id": user.id} for position, paper_id in zip(positions, ids)])
    connection.execute(sa.insert(ApplicationPaper.__table__), [
        {"application_id": application.id, "position": position, "stored_paper_id": paper_id, "reused": False,
         "at": at, "user_id": user.id} for position, paper_id in zip(positions, ids)])


def before_accepting(submission: Submission, user: User) -> None:
    """The one place a condition of acceptance goes: those packages above register (fees to be paid before
    acceptance, reception.hooks)."""
    hooks.check_acceptance(submission, user)


def accept(submission: Submission, user: User):
    """Accept: the application is made by the counter's service (channel online, its code, due time counted from
    now), the submission's papers become its digitised papers, and the submission notes the application. The
    submission is read locked (online.visible_to(lock=True)), and moves on by one conditional UPDATE at the end
    (online._claim): of two clerks at once, the second finds it decided and writes nothing."""
    from . import papers

    _desk(user, submission)
    if state_of(submission) != "waiting":
        raise TransitionError(_("Hồ sơ này đã được xử lý (trạng thái: %(state)s).",
                                state=str(state_label(state_of(submission)))))
    before_accepting(submission, user)
    at = now()
    submitted = current_papers(submission)
    scanned = {position: paper for position, paper in submitted.items() if paper.stored_paper_id is None}
    application, _created = services.receive_application(
        user, application_data(submission), origin={"submission": submission.number},
        with_rows=lambda made: counted_digitised(made, submission.version, scanned),
        procedure=submission.version.procedure)
    digitise_submitted(application, submission.version, scanned, user, at)
    for position, paper in submitted.items():  # taken from the citizen's earlier application: a reuse
        if paper.stored_paper_id is not None:
            try:
                papers.reuse(application, position, paper.stored_paper_id, user=user)
            except papers.PaperError as error:
                raise ReceptionError(str(error)) from None
    add_event(submission, "accept", user, "accepted", at=at, data={"application": application.code})
    _claim(submission, "accepted", decided_at=at, application_id=application.id)
    hooks.accepted(submission.number, application)
    db.session.flush()
    return application
