"""Reception and lifecycle operations: plain functions that flush, never commit.

The web pages, the JSON API and the CLI all call these; the caller commits once (or rolls back).
"""
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from flask import current_app, has_request_context, request
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.attributes import set_committed_value

from .. import audit, inputs
from ..auth.models import Agency, User
from ..calendar import rules
from ..extensions import db
from ..labels import label
from ..procedures.models import Procedure, ProcedureVersion
from ..procedures.publishing import version_on
from ..text import clean
from ..timeutil import local, now
from . import deadlines, fee_lines, keys
from .models import APPLICANT_KINDS, CHANNELS, Application, ApplicationEvent, DeskSlip
from .sequence import format_code, next_register_entry, next_sequence
from .validation import PermissionDenied, ReceptionError, check_person

OPEN_STATES = {"received", "transferred", "processing", "waiting_supplement"}
FINAL_STATES = {"returned", "refused", "stopped"}
RETURN_METHODS = ("at_desk", "postal", "online")
CLOCK_SKEW = timedelta(minutes=2)  # a clock a little ahead of the server is not "the future"


def _calendar():
    from ..calendar.services import load_calendar

    return load_calendar()


# ---------------------------------------------------------------- reception


# A procedure with every version (version_on picks the one in force on a day), built once: it runs on every reception.
PROCEDURE_WITH_VERSIONS = sa.select(Procedure).where(Procedure.code == sa.bindparam("code")).options(
    joinedload(Procedure.versions))


def find_version(procedure_code: str, on: date | None = None, procedure: Procedure | None = None) -> ProcedureVersion:
    """The version in force on the reception date `on` (today): the one an application keeps. `procedure`: the
    procedure of that code with its versions, when the caller has read it already."""
    if procedure is None or procedure.code != clean(procedure_code):
        procedure = db.session.scalars(PROCEDURE_WITH_VERSIONS, {"code": clean(procedure_code) or ""}).unique().first()
    if procedure is None or procedure.current_version_id is None:
        raise ReceptionError(_("Không tìm thấy thủ tục với mã này."), {"procedure_code": _("Không tìm thấy thủ tục.")})
    if procedure.admin_status != "in_force":  # suspended or abolished by hand; a dated abolition is a version
        raise ReceptionError(
            _("Thủ tục này không còn được áp dụng."), {"procedure_code": _("Thủ tục đã tạm ngưng hoặc bãi bỏ.")}
        )
    day = on or local(now()).date()
    version = version_on(procedure, day)
    if version is None or version.status != "in_force":
        message = (_("Thủ tục đã bãi bỏ từ ngày %(day)s.", day=version.effective_from.strftime("%d/%m/%Y"))
                   if version is not None else _("Thủ tục chưa có hiệu lực vào ngày %(day)s.", day=day.strftime("%d/%m/%Y")))
        raise ReceptionError(message, {"procedure_code": message})
    set_committed_value(version, "procedure", procedure)  # known: no second query for version.procedure
    return version


def check_documents(documents, version: ProcedureVersion, errors: dict) -> list[dict]:
    """The documents received, each {name, kind, copies}."""
    cleaned = []
    if documents is not None and not isinstance(documents, list):
        errors["documents"] = _("«documents» phải là một danh sách giấy tờ.")
        return cleaned
    if documents and len(documents) > inputs.LIST_MAX:
        errors["documents"] = _("«documents» có quá %(max)d mục.", max=inputs.LIST_MAX)
        return cleaned
    for index, item in enumerate(documents or []):
        if isinstance(item, str):
            item = {"name": item}
        if not isinstance(item, dict):
            errors[f"documents.{index}"] = _("Mỗi giấy tờ phải có tên.")
            continue
        field = f"documents.{index}"
        name = inputs.collect(errors, field, inputs.text, item.get("name"), f"{field}.name", inputs.ITEM_MAX)
        kind = item.get("kind") or "original"
        copies = item.get("copies")
        copies = inputs.collect({}, field, inputs.integer, 1 if copies in (None, "") else copies, field, 1, 99) or 0
        if field in errors:
            continue
        if not name:
            errors[f"documents.{index}"] = _("Mỗi giấy tờ phải có tên.")
        elif not isinstance(kind, str) or kind not in ("original", "copy", "original_or_copy"):
            errors[f"documents.{index}"] = _("Loại giấy tờ phải là bản chính hoặc bản sao.")
        elif not 1 <= copies <= 99:
            errors[f"documents.{index}"] = _("Số bản phải từ 1 đến 99.")
        else:
            cleaned.append({"name": name, "kind": kind, "copies": copies})
    if not cleaned and "documents" not in errors:
        errors["documents"] = _("Đánh dấu ít nhất một giấy tờ đã nhận.")
    return cleaned


def version_day(received_at: datetime | None) -> date:
    """The day whose version an application gets: its reception moment's (a file sent online on the evening before
    a new version's day is received under it, as its time counts from that day)."""
    return local(_calendar().reception_moment(received_at or now())).date()


def version_or_error(data: dict, errors: dict, procedure: Procedure | None = None) -> ProcedureVersion | None:
    """The requested procedure's version in force on the reception day, or None with the reason added to errors."""
    received_at = data.get("received_at")
    on = version_day(received_at if isinstance(received_at, datetime) and received_at.tzinfo else None)
    try:
        return find_version(data.get("procedure_code") or "", on, procedure)
    except ReceptionError as error:
        errors.update(error.errors)
        return None


def validate_reception(data: dict, user: User, procedure: Procedure | None = None) -> dict:
    """Every field of a new application checked at once; raises ReceptionError listing all errors."""
    errors: dict[str, str] = {}
    version = version_or_error(data, errors, procedure)
    applicant = data.get("applicant") if isinstance(data.get("applicant"), dict) else {}
    if "applicant" in data and not isinstance(data["applicant"], dict):
        errors["applicant"] = _("«applicant» phải là một đối tượng JSON.")
    kind = applicant.get("kind") or "person"
    if not isinstance(kind, str) or kind not in APPLICANT_KINDS:
        errors["applicant.kind"] = _("Người nộp phải là cá nhân hoặc tổ chức.")
        kind = "person"
    person = check_person(applicant, "applicant.", errors, kind=kind)
    representative = None
    if data.get("representative") not in (None, "") and not isinstance(data["representative"], dict):
        errors["representative"] = _("«representative» phải là một đối tượng JSON.")
    elif isinstance(data.get("representative"), dict) and data["representative"].get("name") not in (None, ""):
        representative = check_person(data["representative"], "representative.", errors, require_address=False)
    channel = data.get("channel") or "in_person"
    if not isinstance(channel, str) or channel not in CHANNELS:
        errors["channel"] = _("Hình thức nộp phải là trực tiếp, trực tuyến hoặc bưu chính.")
    sets = data["sets"] if data.get("sets") not in (None, "") else (version.sets if version else 1)
    if inputs.collect(errors, "sets", inputs.integer, sets, "sets", 1, 50) is None:
        errors["sets"] = _("Số bộ hồ sơ phải từ 1 đến 50.")
    documents = check_documents(data.get("documents"), version, errors) if version else []
    received_at = data.get("received_at")
    current = now()
    if received_at is None:
        received_at = current
    elif channel == "in_person":
        errors["received_at"] = _("Hồ sơ nộp trực tiếp nhận tại thời điểm lưu; chỉ hồ sơ trực tuyến, bưu chính được ghi thời điểm khác.")
    elif received_at.tzinfo is None:
        errors["received_at"] = _("Thời điểm nhận phải có múi giờ.")
    elif received_at > current + CLOCK_SKEW:
        errors["received_at"] = _("Thời điểm nhận không được ở tương lai.")
    elif received_at < current - timedelta(days=366):
        errors["received_at"] = _("Thời điểm nhận quá xa trong quá khứ.")
    return_method = data.get("return_method") or "at_desk"
    if not isinstance(return_method, str) or return_method not in RETURN_METHODS:
        errors["return_method"] = _("Cách trả kết quả không hợp lệ.")
    notify = data.get("notify", False)
    if not isinstance(notify, bool):
        errors["notify"] = _("«notify» phải là true hoặc false.")
    if errors:
        raise ReceptionError(_("Hồ sơ chưa hợp lệ: vui lòng sửa các ô được đánh dấu."), errors)
    return {
        "notify": notify,
        "version": version,
        "kind": kind,
        "applicant": person,
        "representative": representative,
        "channel": channel,
        "sets": sets,
        "documents": documents,
        "received_at": received_at,
        "return_method": return_method,
    }


def preview_due(procedure_code: str, received_at: datetime | None = None) -> dict:
    """What the page shows before saving: the reception moment and the due time."""
    received_at = received_at or now()
    version = find_version(procedure_code, version_day(received_at))
    calendar = _calendar()
    return {
        "version": version,
        "received_at": received_at,
        "reception_moment": calendar.reception_moment(received_at),
        "due_at": deadlines.procedure_due(version, received_at, calendar),
        "time_text": time_text_shown(version),
        "time_note": version.time_note,  # a longer time for bulky or special requests: the clerk may need to agree it
    }


def receive_application(user: User, data: dict, submission_key: str | None = None,
                        origin: dict | None = None, with_rows=None,
                        procedure: Procedure | None = None) -> tuple[Application, bool]:
    """Log an application at the desk: its code, due time and first event (noting `origin`, e.g. the online
    submission it was accepted from; `with_rows(application)` adds rows that go in the same flush, e.g. its papers).

    Returns (application, created). A repeated submission_key (double click, resubmitted form,
    retried API call) returns the application made the first time instead of a second one.
    """
    if not user.has_role("clerk"):
        raise PermissionDenied(_("Chỉ cán bộ một cửa được tiếp nhận hồ sơ."))
    try:  # an empty key is no key: stored as NULL, so any number of key-less submissions are all new
        submission_key = inputs.text(submission_key, "Idempotency-Key", inputs.KEY_MAX)
    except inputs.InputError as error:
        raise ReceptionError(error.message, {"submission_key": error.message}) from None
    if submission_key:  # a key is the user's own: another clerk's identical key is another submission
        existing = db.session.scalar(sa.select(Application).filter_by(created_by_id=user.id,
                                                                      submission_key=submission_key))
        if existing is not None:
            return existing, False
    valid = validate_reception(data, user, procedure)
    version, applicant, received_at = valid["version"], valid["applicant"], valid["received_at"]
    calendar = _calendar()
    day = local(received_at).date()
    number = next_sequence(user.agency_id, day)
    entry = next_register_entry(user.agency_id, version.field, day.year)
    # Related rows by id: the agency, procedure, version and user are in the session already, so reading them
    # later costs no query, and the flush has no relationships to work through.
    application = Application(
        code=format_code(user.agency.code, day, number),
        agency_id=user.agency_id,
        procedure_id=version.procedure_id,
        procedure_version_id=version.id,
        processing_agency_id=version.agency_id or user.agency_id,
        applicant_kind=valid["kind"],
        applicant_name=applicant["name"],
        applicant_id_kind=applicant["id_kind"],
        applicant_id_number=applicant["id_number"],
        applicant_id_paper=applicant["id_paper"],
        applicant_phone=applicant["phone"],
        applicant_email=applicant["email"],
        applicant_address=applicant["address"],
        channel=valid["channel"],
        documents=valid["documents"],
        sets=valid["sets"],
        return_method=valid["return_method"],
        notify=valid["notify"],
        register_entry=entry,
        received_at=received_at,
        reception_moment=calendar.reception_moment(received_at),
        due_at=deadlines.procedure_due(version, received_at, calendar),
        status="received",
        tracking_key=keys.new_key(),
        submission_key=submission_key,
        created_by_id=user.id,
    )
    if valid["representative"]:
        rep = valid["representative"]
        application.representative_name = rep["name"]
        application.representative_id_kind = rep["id_kind"]
        application.representative_id_number = rep["id_number"]
        application.representative_id_paper = rep["id_paper"]
        application.representative_phone = rep["phone"]
    # The same key sent twice at once: the second insert waits for the first and fails on the unique
    # (user, key) index; the request runs again (database.with_retries) and then finds the first one above.
    # Nothing of the losing attempt is kept, so no application number is skipped.
    db.session.add(application)
    db.session.add(
        ApplicationEvent(
            application=application,
            seq=1,
            type="receive",
            at=received_at,
            user_id=user.id,
            from_status=None,
            to_status="received",
            recorded_at=now(),
            data={"channel": application.channel, "desk": user.agency.name, **(origin or {})},
        )
    )
    fee_lines.add_lines(application, version)  # what it owes, from the version in force
    # the audit row goes in the same flush: a second flush at commit would cost a tenth of the request
    audit.record("application_received", application, user=user, procedure=version.procedure.code)
    if with_rows is not None:
        with_rows(application)
    db.session.flush()  # the application, its first event and the audit row
    return application, True


def record_desk_slip(user: User, kind: str, data: dict) -> DeskSlip:
    """A file turned away at the desk: a supplement request or a refusal slip, with no code."""
    if not user.has_role("clerk"):
        raise PermissionDenied(_("Chỉ cán bộ một cửa được lập phiếu tại bộ phận một cửa."))
    if kind not in ("supplement", "refusal"):
        raise ReceptionError(_("Loại phiếu không hợp lệ."))
    errors: dict[str, str] = {}
    version = version_or_error(data, errors)
    applicant = data.get("applicant") if isinstance(data.get("applicant"), dict) else {}
    person = check_person(applicant, "applicant.", errors, kind=applicant.get("kind") or "person", require_address=False)
    if kind == "supplement" and not clean(applicant.get("id_number")):
        # not needed to tell someone what is missing
        for key in ("applicant.id_number", "applicant.id_kind", "applicant.id_paper"):
            errors.pop(key, None)
        person.update(id_kind=None, id_number=None, id_paper=None)
    items = inputs.collect(errors, "items", inputs.text_list, data.get("items"), "items") or []
    reason = inputs.collect(errors, "reason", inputs.text, data.get("reason"), "reason", inputs.NOTE_MAX,
                            multiline=True)
    if kind == "supplement" and not items and "items" not in errors:
        errors["items"] = _("Liệt kê các giấy tờ cần bổ sung, hoàn thiện.")
    if not reason and "reason" not in errors:
        errors["reason"] = _("Nhập lý do.")
    if errors:
        raise ReceptionError(_("Phiếu chưa hợp lệ: vui lòng sửa các ô được đánh dấu."), errors)
    slip = DeskSlip(
        kind=kind,
        agency_id=user.agency_id,
        procedure_version_id=version.id,
        applicant_name=person["name"],
        applicant_id_kind=person["id_kind"],
        applicant_id_number=person["id_number"],
        applicant_id_paper=person["id_paper"],
        applicant_phone=person["phone"],
        applicant_email=person["email"],
        applicant_address=person["address"],
        items=items,
        reason=reason,
        at=now(),
        user_id=user.id,
    )
    db.session.add(slip)
    db.session.flush()
    audit.record(f"desk_{kind}", slip, user=user)
    return slip


# ---------------------------------------------------------------- reading


def time_text(version: ProcedureVersion) -> str:
    """'03 ngày làm việc', 'Trong ngày', '04 giờ làm việc', '15 ngày'."""
    if version.time_unit == "same_day":
        return "Trong ngày"
    unit = {"working_days": "ngày làm việc", "calendar_days": "ngày", "working_hours": "giờ làm việc"}[version.time_unit]
    return f"{version.time_amount:02d} {unit}"


def time_text_shown(version: ProcedureVersion) -> str:
    """time_text in the page's language ('03 working days'); the printed forms keep the Vietnamese."""
    if version.time_unit == "same_day":
        return _("Trong ngày")
    return f"{version.time_amount:02d} {label(version.time_unit, 'time_unit')}"


def public_base_url() -> str:
    """PUBLIC_BASE_URL when set; otherwise the address this request came to, so the QR code of a receipt printed
    from `make run PORT=5050` opens on port 5050; outside a request, the development server's address."""
    configured = current_app.config.get("PUBLIC_BASE_URL")
    if configured:
        return configured.rstrip("/")
    if has_request_context():
        return request.url_root.rstrip("/")
    return "http://127.0.0.1:5000"


def lookup_url() -> str:
    """The public look-up page (code + key), as printed on the receipt."""
    return f"{public_base_url()}/tra-cuu"


def tracking_url(application: Application) -> str:
    """The application's public status page, key included: what the receipt's QR code opens."""
    return f"{lookup_url()}/{application.code}?k={keys.grouped(application.tracking_key)}"


def find_for_tracking(code: str, key: str | None) -> Application | None:
    """The application only if the key matches (a wrong code and a wrong key look the same)."""
    application = db.session.scalars(sa.select(Application).filter_by(code=code).options(
        joinedload(Application.version).load_only(ProcedureVersion.name, ProcedureVersion.number),
        joinedload(Application.agency).load_only(Agency.code, Agency.name), joinedload(Application.events),
    )).unique().one_or_none()  # what the status page shows, in one query
    if application is None or not keys.matches(application.tracking_key, key):
        return None
    return application


def due_state(application: Application, at: datetime | None = None, calendar=None) -> str:
    """done | paused | overdue | due_soon | in_time: for colours, words and lists."""
    if application.status not in OPEN_STATES:
        return "done"
    if application.status == "waiting_supplement":
        return "paused"
    return rules.time_left(calendar or _calendar(), at or now(), application.due_at)
