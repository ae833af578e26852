"""The electronic file (số hóa): an application's papers per component document, its result document, and the
applicant's paper store (kho giấy tờ) that a later application reuses a paper from (tái sử dụng).

Plain functions that flush and never commit, as every reception service: the desk page, the API and the online
submissions call the same ones. The bytes go to onestop.files; only their SHA-256 is kept here.
"""
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import gettext as _

from .. import files
from ..extensions import db
from ..text import fold
from ..timeutil import local, now
from . import keys
from .models import Application
from .paper_models import ApplicationPaper, PaperFile, ResultDocument, StoredPaper

CLOSED_FOR_PAPERS = ("refused", "stopped")
RESULT_STATES = ("result_ready", "returned")  # a result document is recorded with "result ready", or after it


class PaperError(ValueError):
    """A paper the rules refuse; str(error) is the Vietnamese message."""


# ---------------------------------------------------------------- an application's components


def components(application: Application) -> list:
    """The component documents (thành phần hồ sơ) of the application's procedure version, by position."""
    return list(application.version.documents)


def component(application: Application, position: int):
    for document in components(application):
        if document.position == position:
            return document
    raise PaperError(_("Thủ tục của hồ sơ không có thành phần số %(position)s.", position=position))


def paper_at(application: Application, position: int) -> ApplicationPaper | None:
    return db.session.scalar(sa.select(ApplicationPaper).filter_by(application_id=application.id, position=position))


def papers(application: Application) -> list[ApplicationPaper]:
    return list(db.session.scalars(sa.select(ApplicationPaper).filter_by(application_id=application.id)
                                   .order_by(ApplicationPaper.position)))


def result_of(application: Application) -> ResultDocument | None:
    return db.session.scalar(sa.select(ResultDocument).filter_by(application_id=application.id))


def _check_open(application: Application) -> None:
    if application.status in CLOSED_FOR_PAPERS:
        raise PaperError(_("Hồ sơ đã bị từ chối hoặc dừng: không thêm giấy tờ."))


def _add_files(paper: StoredPaper, checked_files: list, user, at: datetime) -> None:
    """Store the files and add them to the paper, after the pages it already has. Photos sent together become one
    PDF (one page each); PDFs are kept as they came."""
    if all(item.kind != "pdf" for item in checked_files) and len(checked_files) > 1:
        data = files.images_to_pdf([item.data for item in checked_files])
        stem = checked_files[0].name.rsplit(".", 1)[0]
        checked_files = [files.Checked(kind="pdf", data=data, mimetype="application/pdf", name=f"{stem}.pdf",
                                       pages=len(checked_files))]
    seq = max((item.seq for item in paper.files), default=0)
    for item in checked_files:
        seq += 1
        sha256 = files.store(item.data, item.mimetype)
        paper.files.append(PaperFile(seq=seq, sha256=sha256, name=item.name[:255], mimetype=item.mimetype,
                                     pages=item.pages, added_at=at, added_by_id=getattr(user, "id", None)))


def digitise(application: Application, position: int, checked_files: list, *, user, at=None,
             details: dict | None = None) -> ApplicationPaper:
    """Attach scans of one component (several pages or files allowed): the paper goes into the holder's store and
    counts as digitised for this application. More files for a component already scanned for it are added to it.
    `details` (number, issuer, issued_on, valid_until), where known, are noted on the stored paper."""
    if not checked_files:
        raise PaperError(_("Chọn ít nhất một tệp."))
    _check_open(application)
    document = component(application, position)
    at = at or now()
    linked = paper_at(application, position)
    if linked is not None and not linked.reused and linked.paper.source_application_id == application.id:
        paper = linked.paper
    else:
        paper = StoredPaper(holder_id_number=application.applicant_id_number, holder_name=application.applicant_name,
                            kind=document.name, source_application_id=application.id, created_at=at,
                            created_by_id=getattr(user, "id", None))
        db.session.add(paper)
        if linked is None:
            linked = ApplicationPaper(application_id=application.id, position=position, paper=paper)
            db.session.add(linked)
    linked.paper, linked.reused, linked.at, linked.user_id = paper, False, at, getattr(user, "id", None)
    with db.session.no_autoflush:
        _add_files(paper, checked_files, user, at)
    if details and any(details.values()):
        describe(paper, **details)
    db.session.flush()
    refresh_summary(application)
    return linked


def holders(application: Application) -> set[str]:
    """Whose papers may serve this application: the applicant's, and the representative's."""
    return {number for number in (application.applicant_id_number, application.representative_id_number) if number}


def reuse(application: Application, position: int, stored_paper_id: int, *, user) -> ApplicationPaper:
    """Take a paper from the store for one component instead of scanning it again (a reuse, recorded per
    component). Only a paper of the applicant (or their representative), still valid today."""
    _check_open(application)
    component(application, position)
    paper = db.session.get(StoredPaper, stored_paper_id) if isinstance(stored_paper_id, int) else None
    if paper is None or paper.holder_id_number not in holders(application) or not paper.files:
        raise PaperError(_("Không có giấy tờ số %(id)s trong kho giấy tờ của người nộp hồ sơ này.",
                           id=stored_paper_id))
    if not paper.valid_on(local(now()).date()):
        raise PaperError(_("Giấy tờ này đã hết hiệu lực: hãy số hóa bản mới."))
    linked = paper_at(application, position)
    if linked is None:
        linked = ApplicationPaper(application_id=application.id, position=position, paper=paper)
        db.session.add(linked)
    linked.paper, linked.reused = paper, paper.source_application_id != application.id
    linked.at, linked.user_id = now(), getattr(user, "id", None)
    db.session.flush()
    refresh_summary(application)
    return linked


def refresh_summary(application: Application) -> None:
    """Keep the application's digitisation figures (which the rollups count) equal to its papers."""
    linked = papers(application)
    covered = {item.position for item in linked}
    required = {document.position for document in components(application) if document.required}
    application.papers_digitised = bool(linked) and required <= covered
    application.papers_reused = sum(1 for item in linked if item.reused)


# ---------------------------------------------------------------- the store


def reusable_for(holder_id_number: str, component_name: str) -> list[StoredPaper]:
    """The holder's papers of this kind that are still valid today, newest first (for the desk to offer)."""
    if not holder_id_number:
        return []
    today = local(now()).date()
    found = db.session.scalars(sa.select(StoredPaper).where(StoredPaper.holder_id_number == holder_id_number)
                               .order_by(StoredPaper.created_at.desc(), StoredPaper.id.desc()))
    wanted = fold(component_name)
    return [paper for paper in found if fold(paper.kind) == wanted and paper.valid_on(today) and paper.files]


def papers_of_application(code: str, key: str) -> list[StoredPaper]:
    """The papers of one's own earlier application, given its code and tracking key (nothing for a wrong key):
    how a citizen online reuses what they handed in before. Nobody reaches a stranger's papers by a number."""
    application = db.session.scalar(sa.select(Application).filter_by(code=(code or "").strip().upper()))
    if application is None or not keys.matches(application.tracking_key, key):
        return []
    today = local(now()).date()
    found = [item.paper for item in papers(application)]
    result = result_of(application)
    if result is not None and result.paper is not None:
        found.append(result.paper)
    return [paper for paper in found if paper.valid_on(today) and paper.files]


def describe(paper: StoredPaper, *, number=None, issuer=None, issued_on: date | None = None,
             valid_until: date | None = None) -> StoredPaper:
    """Note what is known of a stored paper (its number, issuer, dates)."""
    if valid_until and issued_on and valid_until < issued_on:
        raise PaperError(_("Ngày hết hiệu lực phải sau ngày cấp."))
    paper.number, paper.issuer, paper.issued_on, paper.valid_until = number, issuer, issued_on, valid_until
    db.session.flush()
    return paper


# ---------------------------------------------------------------- the result


def record_result(application: Application, *, number, signed_on, signer, checked_files=None,
                  user) -> ResultDocument:
    """Record the result document (number, date, signer) and, unless the procedure has no result paper, its scan
    or electronic original, which also goes into the holder's store. Recording again corrects the details and
    adds files."""
    if not number or not signer or not isinstance(signed_on, date):
        raise PaperError(_("Nhập số, ngày ký và người ký của văn bản kết quả."))
    if application.status not in RESULT_STATES:
        raise PaperError(_("Chỉ ghi văn bản kết quả khi hồ sơ đã có kết quả."))
    if checked_files and not application.version.has_result_paper:
        raise PaperError(_("Thủ tục này không có giấy tờ kết quả để số hóa."))
    at = now()
    result = result_of(application)
    if result is None:
        result = ResultDocument(application_id=application.id, recorded_at=at)
        db.session.add(result)
    result.number, result.signed_on, result.signer = number, signed_on, signer
    result.user_id = getattr(user, "id", None)
    if result.paper is not None:
        result.paper.number, result.paper.issued_on = number, signed_on
    if checked_files:
        if result.paper is None:
            agency = application.processing_agency or application.agency
            result.paper = StoredPaper(
                holder_id_number=application.applicant_id_number, holder_name=application.applicant_name,
                kind=(application.version.result or application.version.name)[:500], number=number,
                issuer=agency.name[:255] if agency else None, issued_on=signed_on,
                source_application_id=application.id, created_at=at, created_by_id=getattr(user, "id", None))
            db.session.add(result.paper)
        with db.session.no_autoflush:
            _add_files(result.paper, checked_files, user, at)
        if result.digitised_at is None:
            result.digitised_at = at
            application.result_digitised_at = at
    db.session.flush()
    return result


# ---------------------------------------------------------------- what the pages and the API show


def file_of(application: Application, file_id: int) -> PaperFile | None:
    """A file of one of this application's papers or of its result; None for any other file."""
    paper_ids = [item.stored_paper_id for item in papers(application)]
    result = result_of(application)
    if result is not None and result.stored_paper_id:
        paper_ids.append(result.stored_paper_id)
    found = db.session.get(PaperFile, file_id) if isinstance(file_id, int) else None
    return found if found is not None and found.paper_id in paper_ids else None


def result_files(application: Application) -> list[PaperFile]:
    """The files of the application's digitised result (for the applicant's status page)."""
    result = result_of(application)
    return list(result.paper.files) if result is not None and result.paper is not None else []


def overview(application: Application) -> dict:
    """Each component with its paper (or none), and the result: what the application page and the API show."""
    linked = {item.position: item for item in papers(application)}
    rows = []
    for document in components(application):
        item = linked.get(document.position)
        rows.append({"position": document.position, "name": document.name, "required": document.required,
                     "paper": item, "files": list(item.paper.files) if item else []})
    return {"components": rows, "result": result_of(application),
            "has_result_paper": application.version.has_result_paper,
            "digitised": application.papers_digitised, "reused": application.papers_reused}
