"""Online submissions (nộp hồ sơ trực tuyến) and the desk's online queue: plain functions that flush, never commit.

A citizen submits the form and a paper per component; the submission waits for the desk of the receiving agency
(the version's implementing agency), which accepts it (it becomes an application through the counter's own
service, channel "online", timed from the acceptance), asks for more first, or refuses it with reasons. Each step
is a SubmissionEvent with who and when. The page, the API and any CLI call these same functions. The desk's
decisions are in reception.online_desk (imported here, so callers use online.accept and the rest).
"""
import secrets
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy.orm import joinedload, make_transient_to_detached, selectinload, undefer
from sqlalchemy.orm.attributes import set_committed_value

from .. import files, inputs, settings
from ..auth.models import User
from ..database import utcnow
from ..extensions import db
from ..procedures.models import Procedure, ProcedureVersion
from ..procedures.publishing import in_force_on
from ..text import clean
from ..timeutil import local, now
from . import keys, services
from .online_models import Submission, SubmissionEvent, SubmissionPaper
from .validation import ReceptionError, TransitionError, check_person

ONLINE_LEVELS = ("full", "partial")  # toàn trình, một phần
NUMBER_PREFIX = "TT"
KEEP_SALT, KEEP_SECONDS = "online-upload", 24 * 3600
DEFAULT_UPLOAD_MAX = 10 * 1024 * 1024
DEFAULT_SUBMISSION_MAX = 50 * 1024 * 1024


class SubmissionNotFound(ReceptionError):
    status = 404


@dataclass(frozen=True)
class Upload:
    """A paper accepted and stored, not yet part of a submission (kept for the form's next try)."""

    position: int
    name: str
    sha256: str
    mimetype: str
    size: int
    pages: int | None = None
    stored_paper_id: int | None = None  # reused from the citizen's earlier application, not uploaded


def upload_max() -> int:
    return int(current_app.config.get("UPLOAD_MAX_BYTES") or DEFAULT_UPLOAD_MAX)


def submission_max() -> int:
    return int(current_app.config.get("SUBMISSION_MAX_BYTES") or DEFAULT_SUBMISSION_MAX)


# ---------------------------------------------------------------- what may be submitted


def online_choices() -> list[tuple[str, str, str]]:
    """(code, name, online level) of every procedure whose version in force today is offered online."""
    query = (sa.select(Procedure.code, ProcedureVersion.name, ProcedureVersion.online)
             .join(ProcedureVersion, ProcedureVersion.procedure_id == Procedure.id)
             .where(Procedure.admin_status == "in_force", in_force_on(local(now()).date()),
                    ProcedureVersion.online.in_(ONLINE_LEVELS), ProcedureVersion.agency_id.isnot(None))
             .order_by(ProcedureVersion.field, ProcedureVersion.name))
    return db.session.execute(query).all()


def offered_online(version: ProcedureVersion | None) -> bool:
    return version is not None and version.online in ONLINE_LEVELS and version.agency_id is not None


# The procedure with its versions and their documents in one statement: a submission's papers are checked against
# the documents at once (a lazy load after it cost an upload about 0.4 ms, issue 16's benchmark).
PROCEDURE_WITH_DOCUMENTS = sa.select(Procedure).where(Procedure.code == sa.bindparam("code")).options(
    joinedload(Procedure.versions).joinedload(ProcedureVersion.documents))


def online_version(procedure_code) -> ProcedureVersion:
    """The version in force today, if it is offered online; else a ReceptionError on procedure_code."""
    code = clean(procedure_code if isinstance(procedure_code, str) else "") or ""
    procedure = db.session.scalars(PROCEDURE_WITH_DOCUMENTS, {"code": code}).unique().first()
    version = services.find_version(code, procedure=procedure)
    if not offered_online(version):
        message = _("Thủ tục này không được nộp trực tuyến; vui lòng nộp tại bộ phận một cửa.")
        raise ReceptionError(message, {"procedure_code": message})
    return version


# ---------------------------------------------------------------- papers


def accept_upload(position: int, parts: list[tuple[str, bytes]]) -> Upload:
    """The files given for one component, checked by content and stored: one PDF as it is, or one or more photos
    joined into one PDF. Raises files.UploadRefused with the reason, in Vietnamese."""
    name, data, pages = _paper(parts)
    return _stored({position: (name, data, pages, files.start_storing(data, "application/pdf"))})[position]


def _paper(parts: list[tuple[str, bytes]]) -> tuple[str, bytes, int]:
    """One component's files checked by content and made one PDF: (name, data, pages); else UploadRefused."""
    checked = [files.check_upload(name, data, max_bytes=upload_max()) for name, data in parts]
    if not checked:
        raise files.UploadRefused(_("Chưa chọn tệp."))
    kinds = {item.kind for item in checked}
    if "pdf" in kinds and len(checked) > 1:
        raise files.UploadRefused(_("Mỗi giấy tờ là một tệp PDF, hoặc một hay nhiều ảnh chụp các trang."))
    if kinds == {"pdf"}:
        item = checked[0]
        data, pages = item.data, item.pages
    else:
        data, pages = files.images_to_pdf([item.data for item in checked]), len(checked)
        if len(data) > upload_max():
            raise files.UploadRefused(_("Các ảnh của giấy tờ này vượt quá %(mb)d MB.", mb=upload_max() // 2 ** 20))
    name = checked[0].name if len(checked) == 1 else f"{len(checked)} ảnh"
    return (name or "giay-to.pdf")[:255], data, pages


def _stored(papers: dict[int, tuple[str, bytes, int, files.Storing]], background: bool = False) -> dict[int, Upload]:
    """Checked papers whose storing has started (files.start_storing), once hashed: one row insert; with
    `background`, the writing goes on until the commit."""
    addresses = files.finish_storing([storing for *_paper, storing in papers.values()], background=background)
    return {position: Upload(position=position, name=name, sha256=sha256, mimetype="application/pdf",
                             size=len(data), pages=pages)
            for (position, (name, data, pages, _storing)), sha256 in zip(papers.items(), addresses)}


def start_papers(parts: dict[int, list[tuple[str, bytes]]]) -> tuple[dict, dict]:
    """Each component's files checked, and the disk started on them, held until receive_uploads knows the procedure
    asks for that component: ({position: (name, data, pages, storing)}, {position: why refused}). The caller may
    look the procedure up meanwhile; whatever happens, it passes the result to receive_uploads or drop_papers."""
    papers, refused = {}, {}
    try:
        for position, given in parts.items():
            try:
                name, data, pages = _paper(given)
            except files.UploadRefused as error:
                refused[position] = str(error)
                continue
            papers[position] = (name, data, pages, files.start_storing(data, "application/pdf", hold=True))
    except BaseException:
        drop_papers((papers, refused))
        raise
    return papers, refused


def drop_papers(started: tuple[dict, dict]) -> None:
    """Papers of start_papers that will not be kept (the procedure could not be found, or the request failed)."""
    for *_paper_, storing in started[0].values():
        storing.drop()


def receive_uploads(version: ProcedureVersion, parts: dict[int, list[tuple[str, bytes]]] | None = None, *,
                    started: tuple[dict, dict] | None = None) -> tuple[dict, dict]:
    """Each component's files checked and stored (`parts`, or what start_papers began): ({position: Upload},
    {"paper.<position>": message}). Each paper is hashed and written while the next is checked, and the writing goes
    on while the caller carries on: its commit waits for it (files.store_many)."""
    papers, refused = started if started is not None else start_papers(parts)
    positions = {document.position for document in version.documents}
    errors = {}
    for position in sorted({*papers, *refused}):
        if position not in positions:
            if position in papers:
                papers.pop(position)[-1].drop()
            errors[f"paper.{position}"] = _("Thủ tục không có thành phần hồ sơ số %(position)s.", position=position)
        elif position in refused:
            errors[f"paper.{position}"] = refused[position]
    return _stored(papers, background=True), errors


def receive_for_procedure(procedure_code, parts: dict[int, list[tuple[str, bytes]]]) -> tuple:
    """(version, uploads, errors): the procedure's online version and its papers received as receive_uploads does.
    The papers are checked and the disk started on them before the procedure is looked up, and they are dropped if
    it cannot be (ReceptionError)."""
    started = start_papers(parts)
    try:
        version = online_version(procedure_code)
    except BaseException:
        drop_papers(started)
        raise
    return (version, *receive_uploads(version, started=started))


def reuse_candidates(code, key) -> list:
    """The valid papers of the citizen's own earlier application, given its code and look-up key (else none)."""
    from . import papers

    if not isinstance(code, str) or not isinstance(key, str) or not code.strip() or not key.strip():
        return []
    return papers.papers_of_application(code.strip()[:64], keys.normalise(key)[:64])


def reused_uploads(version: ProcedureVersion, reuse, errors: dict) -> dict[int, Upload]:
    """The components the citizen takes from an earlier application: `reuse` is {"code", "key", "papers":
    {position: stored paper id}}; only papers of that application (proved by its key) can be named."""
    if reuse in (None, "", {}):
        return {}
    if not isinstance(reuse, dict) or not isinstance(reuse.get("papers") or {}, dict):
        errors["reuse"] = _("«reuse» phải gồm «code», «key» và «papers» (vị trí thành phần: số giấy tờ).")
        return {}
    chosen = {str(k): v for k, v in (reuse.get("papers") or {}).items() if v not in (None, "")}
    if not chosen:
        return {}
    candidates = {paper.id: paper for paper in reuse_candidates(reuse.get("code"), reuse.get("key"))}
    if not candidates:
        errors["reuse"] = _("Mã hồ sơ hoặc mã tra cứu của hồ sơ trước không đúng, hoặc hồ sơ đó không có giấy tờ "
                            "số hóa còn hiệu lực.")
        return {}
    positions = {document.position for document in version.documents}
    found = {}
    for position, paper_id in chosen.items():
        paper = candidates.get(int(paper_id)) if str(paper_id).isdecimal() and len(str(paper_id)) < 12 else None
        if not position.isdecimal() or int(position) not in positions or paper is None:
            errors[f"paper.{position}"[:40]] = _("Không dùng lại được giấy tờ này: chọn giấy tờ của hồ sơ trước.")
            continue
        first = paper.files[0]
        found[int(position)] = Upload(position=int(position), name=f"{paper.kind} (dùng lại)"[:255],
                                      sha256=first.sha256, mimetype=first.mimetype, size=0,
                                      pages=sum(item.pages or 1 for item in paper.files), stored_paper_id=paper.id)
    return found


def _check_holders(uploads: dict, person: dict, representative: dict | None, errors: dict) -> None:
    """A reused paper must be the applicant's (or the representative's), as the desk will check when it accepts."""
    from .paper_models import StoredPaper

    holders = {person.get("id_number"), (representative or {}).get("id_number")} - {None}
    for position, upload in uploads.items():
        if upload.stored_paper_id is not None:
            paper = db.session.get(StoredPaper, upload.stored_paper_id)
            if paper is None or paper.holder_id_number not in holders:
                errors[f"paper.{position}"] = _("Giấy tờ dùng lại phải là của người nộp hồ sơ (cùng số giấy tờ).")


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=KEEP_SALT)


def keep_token(upload: Upload) -> str:
    """A signed reference to a stored upload, for the form to send again (a citizen cannot name another's file)."""
    return _serializer().dumps(asdict(upload))


def kept_upload(token: str | None) -> Upload | None:
    if not token or not isinstance(token, str) or len(token) > 2000:
        return None
    try:
        return Upload(**_serializer().loads(token, max_age=KEEP_SECONDS))
    except (BadSignature, TypeError):
        return None


# ---------------------------------------------------------------- submitting


def check_fields(data: dict, errors: dict, version: ProcedureVersion | None = None) -> dict:
    """The form's fields, as the desk asks them: applicant and their paper, representative, contact, return
    (`version`: the procedure's online version when the caller has found it already)."""
    if version is None:
        try:
            version = online_version(data.get("procedure_code"))
        except ReceptionError as error:
            errors.update(error.errors or {"procedure_code": error.message})
    applicant = data.get("applicant") if isinstance(data.get("applicant"), dict) else {}
    if "applicant" in data and not isinstance(data["applicant"], dict):
        errors["applicant"] = _("«applicant» phải là một đối tượng JSON.")
    kind = applicant.get("kind") or "person"
    if not isinstance(kind, str) or kind not in ("person", "organisation"):
        errors["applicant.kind"] = _("Người nộp phải là cá nhân hoặc tổ chức.")
        kind = "person"
    person = check_person(applicant, "applicant.", errors, kind=kind)
    if not person.get("phone") and not person.get("email") and "applicant.phone" not in errors:
        errors["applicant.phone"] = _("Nhập số điện thoại hoặc thư điện tử để bộ phận một cửa liên hệ.")
    representative = None
    rep = data.get("representative")
    if rep not in (None, "") and not isinstance(rep, dict):
        errors["representative"] = _("«representative» phải là một đối tượng JSON.")
    elif isinstance(rep, dict) and rep.get("name") not in (None, ""):
        representative = check_person(rep, "representative.", errors, require_address=False)
    return_method = data.get("return_method") or "at_desk"
    if not isinstance(return_method, str) or return_method not in services.RETURN_METHODS:
        errors["return_method"] = _("Cách trả kết quả không hợp lệ.")
    postal = inputs.collect(errors, "postal_address", inputs.text, data.get("postal_address"), "postal_address",
                            inputs.ADDRESS_MAX)
    if return_method == "postal" and not postal and "postal_address" not in errors:
        errors["postal_address"] = _("Nhập địa chỉ nhận kết quả qua bưu chính.")
    return {"version": version, "kind": kind, "applicant": person, "representative": representative,
            "return_method": return_method, "postal_address": postal if return_method == "postal" else None}


def missing_papers(version: ProcedureVersion, uploads: dict) -> dict:
    return {f"paper.{document.position}": _("Thành phần hồ sơ này là bắt buộc: tải lên bản chụp hoặc bản quét.")
            for document in version.documents if document.required and document.position not in uploads}


# Built once: a submission's row, its papers, then its first event (a submission is the most frequent write online)
SUBMISSION_ROW = sa.insert(Submission.__table__).returning(Submission.__table__.c.id)
PAPER_ROWS = sa.insert(SubmissionPaper.__table__)
EVENT_ROW = sa.insert(SubmissionEvent.__table__)


def submit(data: dict, uploads: dict[int, Upload], upload_errors: dict | None = None,
           at: datetime | None = None, version: ProcedureVersion | None = None) -> Submission:
    """A citizen's submission, waiting for the desk; raises ReceptionError listing every field and paper to fix,
    before anything is added to the session (the papers stored for it stay, for the form's next try)."""
    errors = dict(upload_errors or {})
    valid = check_fields(data, errors, version)
    version = valid["version"]
    if version is not None:
        _check_holders(uploads, valid["applicant"], valid["representative"], errors)
        for key, message in missing_papers(version, uploads).items():
            errors.setdefault(key, message)
        if sum(upload.size for upload in uploads.values()) > submission_max():
            errors["papers"] = _("Tổng dung lượng các giấy tờ vượt quá %(mb)d MB.", mb=submission_max() // 2 ** 20)
    if errors:
        raise ReceptionError(_("Hồ sơ chưa hợp lệ: vui lòng sửa các ô được đánh dấu."), errors)
    at = at or now()
    person, rep = valid["applicant"], valid["representative"] or {}
    values = dict(
        number=f"{NUMBER_PREFIX}-{local(at):%y%m%d}-{''.join(secrets.choice(keys.ALPHABET) for _ in range(6))}",
        key=keys.new_key(), procedure_id=version.procedure_id, procedure_version_id=version.id,
        agency_id=version.agency_id, online_level=version.online,
        applicant_kind=valid["kind"], applicant_name=person["name"], applicant_id_kind=person["id_kind"],
        applicant_id_number=person["id_number"], applicant_id_paper=person["id_paper"],
        applicant_phone=person["phone"], applicant_email=person["email"], applicant_address=person["address"],
        representative_name=rep.get("name"), representative_id_kind=rep.get("id_kind"),
        representative_id_number=rep.get("id_number"), representative_id_paper=rep.get("id_paper"),
        representative_phone=rep.get("phone"), return_method=valid["return_method"],
        postal_address=valid["postal_address"], state="waiting", submitted_at=at, queued_at=at,
        supplement_due_at=None, decided_at=None, application_id=None, slip_id=None, created_at=utcnow(),
    )
    # the row in one statement built once, then the object in the session as the row it is (no flush to plan)
    connection = db.session.connection()
    submission = Submission(id=connection.execute(SUBMISSION_ROW, values).scalar_one(), **values)
    make_transient_to_detached(submission)
    db.session.add(submission)
    if uploads:
        connection.execute(PAPER_ROWS, [{"submission_id": submission.id, **paper_columns(upload, at)}
                                        for upload in sorted(uploads.values(), key=lambda item: item.position)])
    connection.execute(EVENT_ROW, {"submission_id": submission.id, "seq": 1, "type": "submit", "at": at, "user_id": None,
                                   "from_state": None, "to_state": "waiting", "data": {"papers": sorted(uploads)}})
    return submission


def paper_columns(upload: Upload, at: datetime) -> dict:
    """A submission paper's columns for an upload, but its submission's."""
    return {"position": upload.position, "name": upload.name, "sha256": upload.sha256, "mimetype": upload.mimetype,
            "size": upload.size, "pages": upload.pages, "uploaded_at": at, "stored_paper_id": upload.stored_paper_id}


def add_papers(submission: Submission, uploads, at: datetime) -> None:
    for upload in sorted(uploads, key=lambda item: item.position):
        db.session.add(SubmissionPaper(submission=submission, **paper_columns(upload, at)))


def add_event(submission: Submission, event_type: str, user: User | None, to_state: str, *, at: datetime,
              data: dict | None = None) -> SubmissionEvent:
    """The step's event, numbered after the last one: counted from the events read, or when they were not read
    (a decision: DECIDING) from the last number read with the submission."""
    unread = submission.id is not None and "events" in sa.inspect(submission).unloaded
    seq = (submission.last_event_seq or 0) + 1 if unread else len(submission.events) + 1
    event = SubmissionEvent(seq=seq, type=event_type, at=at, user_id=user.id if user else None,
                            from_state=None if event_type == "submit" else submission.state, to_state=to_state,
                            data=data)
    if unread:
        event.submission = submission  # joins the unread collection without reading it
        db.session.add(event)
    else:
        submission.events.append(event)
    if submission.id is not None:
        set_committed_value(submission, "last_event_seq", seq)
    return event


def current_papers(submission: Submission) -> dict[int, SubmissionPaper]:
    """The latest paper of each component (a supplement's upload supersedes the one before)."""
    latest = {}
    for paper in submission.papers:
        latest[paper.position] = paper
    return dict(sorted(latest.items()))


# ---------------------------------------------------------------- reading


def state_of(submission: Submission, at: datetime | None = None) -> str:
    """The state as it reads now: a supplement request past its deadline has lapsed."""
    if submission.state == "supplement_requested" and submission.supplement_due_at is not None \
            and (at or now()) > submission.supplement_due_at:
        return "lapsed"
    return submission.state


LOADS = (joinedload(Submission.version).selectinload(ProcedureVersion.documents), joinedload(Submission.agency),
         selectinload(Submission.papers), selectinload(Submission.events))
# What a decision reads, in two statements: the submission with its papers, its version, the procedure and its
# versions (to find the version in force, as the counter does: a few rows, one per version and paper), and the last
# event's number instead of every event; then the version's documents.
DECIDING = (joinedload(Submission.version).options(
                joinedload(ProcedureVersion.procedure).joinedload(Procedure.versions),
                selectinload(ProcedureVersion.documents)),
            joinedload(Submission.agency), joinedload(Submission.papers), undefer(Submission.last_event_seq))


def find_for_citizen(number: str | None, key: str | None) -> Submission | None:
    """The submission whose number matches with its key; a wrong number and a wrong key look the same."""
    row = db.session.execute(sa.select(Submission.id, Submission.key).filter_by(
        number=(clean(number) or "").upper()[:24])).first()
    found = keys.matches(row.key if row else "ABCDEFGHJKMN", key)
    return db.session.scalars(sa.select(Submission).filter_by(id=row.id).options(*LOADS)).one() \
        if found and row else None


def visible_to(user: User, number: str, *, lock: bool = False) -> Submission:
    """The submission by number if the user is a clerk of its receiving agency (else not found); locked (to decide
    on it) on request."""
    query = sa.select(Submission).filter_by(number=(clean(number) or "").upper()[:24]).options(
        *(DECIDING if lock else LOADS))
    if lock and db.session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(of=Submission)
    submission = db.session.scalars(query).unique().one_or_none()
    if submission is None or not user.can_see_agency(submission.agency_id):
        raise SubmissionNotFound(_("Không tìm thấy hồ sơ nộp trực tuyến."))
    return submission


def queue(user: User, state: str = "waiting", limit: int = 200) -> list[Submission]:
    """The desk's submissions in a state, oldest first (lapsed: supplement requests past their deadline)."""
    query = sa.select(Submission).where(Submission.agency_id.in_(sorted(user.visible_agency_ids())))
    current = now()
    if state == "lapsed":
        query = query.where(Submission.state == "supplement_requested", Submission.supplement_due_at < current)
    elif state == "supplement_requested":
        query = query.where(Submission.state == state, Submission.supplement_due_at >= current)
    else:
        query = query.where(Submission.state == state)
    query = query.options(joinedload(Submission.version)).order_by(Submission.queued_at, Submission.id)
    return db.session.scalars(query.limit(limit)).all()


def queue_states() -> tuple[str, ...]:
    return ("waiting", "supplement_requested", "lapsed", "accepted", "refused")


def target_hours() -> float:
    return float(settings.get("online_queue_target_working_hours") or 8)


def waited(submission: Submission, calendar=None, at: datetime | None = None) -> timedelta:
    """How long it has waited for the desk, in working time (since submitted or supplemented)."""
    calendar = calendar or services._calendar()
    return calendar.working_time_between(submission.queued_at, at or now())


def waiting_beyond_target(agency_ids, at: datetime | None = None) -> list[Submission]:
    """Waiting submissions of these agencies past the province's target (for the board)."""
    calendar, at = services._calendar(), at or now()
    target = timedelta(hours=target_hours())
    rows = db.session.scalars(sa.select(Submission).where(Submission.state == "waiting",
                                                          Submission.agency_id.in_(sorted(agency_ids)))
                              .order_by(Submission.queued_at).limit(500)).all()
    return [row for row in rows if waited(row, calendar, at) > target]


# ---------------------------------------------------------------- moving a submission on, the citizen's supplement


def _claim(submission: Submission, to_state: str, from_states=("waiting",), **values) -> None:
    """Move the submission on only if it is still in a state that allows it: one conditional UPDATE, so of two
    clerks deciding at once, the second finds it decided (PostgreSQL re-reads the row after the first commits)."""
    table = Submission.__table__  # Core: the row is known, and what is pending is flushed at the commit
    result = db.session.connection().execute(sa.update(table).where(table.c.id == submission.id,
                                                                    table.c.state.in_(from_states))
                                             .values(state=to_state, **values))
    if result.rowcount != 1:
        with db.session.no_autoflush:
            db.session.refresh(submission)
        raise TransitionError(_("Hồ sơ này đã được xử lý (trạng thái: %(state)s).",
                                state=str(state_label(state_of(submission)))))
    for name, value in {"state": to_state, **values}.items():  # as written: no second read
        set_committed_value(submission, name, value)


def state_label(state: str):
    from ..labels import label

    return label(state, "submission_state")


def add_supplement(submission: Submission, uploads: dict[int, Upload]) -> SubmissionEvent:
    """The citizen's missing papers, from the status page: the submission waits for the desk again."""
    if not uploads:
        raise ReceptionError(_("Chọn ít nhất một giấy tờ để bổ sung."), {"papers": _("Chưa chọn tệp.")})
    state = state_of(submission)
    if state == "lapsed":
        raise TransitionError(_("Đã quá hạn bổ sung; vui lòng nộp hồ sơ mới."))
    if state != "supplement_requested":
        raise TransitionError(_("Hồ sơ không ở trạng thái chờ bổ sung."))
    at = now()
    if sum(paper.size for paper in current_papers(submission).values()
           if paper.position not in uploads) + sum(u.size for u in uploads.values()) > submission_max():
        raise ReceptionError(_("Tổng dung lượng các giấy tờ vượt quá %(mb)d MB.", mb=submission_max() // 2 ** 20))
    _claim(submission, "waiting", from_states=("supplement_requested",), queued_at=at, supplement_due_at=None)
    add_papers(submission, uploads.values(), at)
    event = add_event(submission, "supplement", None, "waiting", at=at, data={"papers": sorted(uploads)})
    db.session.flush()
    return event


from .online_desk import accept, before_accepting, refuse, request_supplement  # noqa: E402,F401  (the desk's side)
