"""Reception and lifecycle operations: plain functions that flush, never commit.

The web pages, the JSON API and the CLI all call these; the caller commits once (or rolls back).
"""
import secrets
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.exc import IntegrityError

from .. import audit, settings
from ..auth.models import Agency, User
from ..extensions import db
from ..procedures.models import Procedure, ProcedureVersion
from ..text import clean
from ..timeutil import local, now
from . import deadlines
from .models import APPLICANT_KINDS, CHANNELS, Application, ApplicationEvent, DeskSlip
from .sequence import format_code, next_sequence
from .validation import ReceptionError, TransitionError, check_person

# Allowed transitions: event type -> (states it may start from, state it leads to; None keeps the state).
TRANSITIONS = {
    "transfer": ({"received"}, "transferred"),
    "step": ({"transferred", "processing"}, "processing"),
    "request_supplement": ({"transferred", "processing"}, "waiting_supplement"),
    "supplement_received": ({"waiting_supplement"}, "processing"),
    "apologise": ({"transferred", "processing", "waiting_supplement"}, None),
    "result_ready": ({"received", "transferred", "processing"}, "result_ready"),
    "return": ({"result_ready"}, "returned"),
    "refuse": ({"received", "transferred", "processing", "waiting_supplement"}, "refused"),
    "stop": ({"received", "transferred", "processing", "waiting_supplement"}, "stopped"),
}
OPEN_STATES = {"received", "transferred", "processing", "waiting_supplement"}
FINAL_STATES = {"returned", "refused", "stopped"}
# Who acts: the desk (clerks of the receiving agency) or the processing side (officers and
# supervisors of the processing agency).
DESK_EVENTS = {"transfer", "return"}
PROCESSING_EVENTS = {"step", "request_supplement", "apologise", "result_ready"}
EITHER_SIDE_EVENTS = {"supplement_received", "refuse", "stop"}
CLOCK_SKEW = timedelta(minutes=2)
RETURN_METHODS = ("at_desk", "postal", "online")


def _calendar():
    from ..calendar.services import load_calendar

    return load_calendar()


# ---------------------------------------------------------------- reception


def find_version(procedure_code: str) -> ProcedureVersion:
    procedure = db.session.scalar(sa.select(Procedure).filter_by(code=clean(procedure_code) or ""))
    if procedure is None or procedure.current is None:
        raise ReceptionError("Không tìm thấy thủ tục với mã này.", {"procedure_code": "Không tìm thấy thủ tục."})
    if procedure.status != "in_force":
        raise ReceptionError(
            "Thủ tục này không còn được áp dụng.", {"procedure_code": "Thủ tục đã tạm ngưng hoặc bãi bỏ."}
        )
    return procedure.current


def check_documents(documents, version: ProcedureVersion, errors: dict) -> list[dict]:
    """The documents received, each {name, kind, copies}."""
    cleaned = []
    for index, item in enumerate(documents or []):
        if isinstance(item, str):
            item = {"name": item}
        if not isinstance(item, dict):
            errors[f"documents.{index}"] = "Mỗi giấy tờ phải có tên."
            continue
        name = clean(item.get("name"))
        kind = item.get("kind") or "original"
        try:
            copies = int(item.get("copies") or 1)
        except (TypeError, ValueError):
            copies = 0
        if not name:
            errors[f"documents.{index}"] = "Mỗi giấy tờ phải có tên."
        elif kind not in ("original", "copy", "original_or_copy"):
            errors[f"documents.{index}"] = "Loại giấy tờ phải là bản chính hoặc bản sao."
        elif not 1 <= copies <= 99:
            errors[f"documents.{index}"] = "Số bản phải từ 1 đến 99."
        else:
            cleaned.append({"name": name, "kind": kind, "copies": copies})
    if not cleaned and "documents" not in errors:
        errors["documents"] = "Đánh dấu ít nhất một giấy tờ đã nhận."
    return cleaned


def version_or_error(data: dict, errors: dict) -> ProcedureVersion | None:
    """The requested procedure's current version, or None with the reason added to errors."""
    try:
        return find_version(data.get("procedure_code") or "")
    except ReceptionError as error:
        errors.update(error.errors)
        return None


def validate_reception(data: dict, user: User) -> dict:
    """Every field of a new application checked at once; raises ReceptionError listing all errors."""
    errors: dict[str, str] = {}
    version = version_or_error(data, errors)
    applicant = data.get("applicant") if isinstance(data.get("applicant"), dict) else {}
    kind = applicant.get("kind") or "person"
    if kind not in APPLICANT_KINDS:
        errors["applicant.kind"] = "Người nộp phải là cá nhân hoặc tổ chức."
        kind = "person"
    person = check_person(applicant, "applicant.", errors, kind=kind)
    representative = None
    if isinstance(data.get("representative"), dict) and clean(data["representative"].get("name")):
        representative = check_person(data["representative"], "representative.", errors, require_address=False)
    channel = data.get("channel") or "in_person"
    if channel not in CHANNELS:
        errors["channel"] = "Hình thức nộp phải là trực tiếp, trực tuyến hoặc bưu chính."
    try:
        sets = int(data["sets"] if data.get("sets") not in (None, "") else (version.sets if version else 1))
    except (TypeError, ValueError):
        sets = 0
    if not 1 <= sets <= 50:
        errors["sets"] = "Số bộ hồ sơ phải từ 1 đến 50."
    documents = check_documents(data.get("documents"), version, errors) if version else []
    received_at = data.get("received_at")
    current = now()
    if received_at is None:
        received_at = current
    elif channel == "in_person":
        errors["received_at"] = "Hồ sơ nộp trực tiếp nhận tại thời điểm lưu; chỉ hồ sơ trực tuyến, bưu chính được ghi thời điểm khác."
    elif received_at.tzinfo is None:
        errors["received_at"] = "Thời điểm nhận phải có múi giờ."
    elif received_at > current + CLOCK_SKEW:
        errors["received_at"] = "Thời điểm nhận không được ở tương lai."
    elif received_at < current - timedelta(days=366):
        errors["received_at"] = "Thời điểm nhận quá xa trong quá khứ."
    return_method = data.get("return_method") or "at_desk"
    if return_method not in RETURN_METHODS:
        errors["return_method"] = "Cách trả kết quả không hợp lệ."
    if errors:
        raise ReceptionError("Hồ sơ chưa hợp lệ: vui lòng sửa các ô được đánh dấu.", errors)
    return {
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
    version = find_version(procedure_code)
    received_at = received_at or now()
    calendar = _calendar()
    return {
        "received_at": received_at,
        "reception_moment": calendar.reception_moment(received_at),
        "due_at": deadlines.statutory_due(version, received_at, calendar),
        "time_text": time_text(version),
    }


def receive_application(user: User, data: dict, submission_key: str | None = None) -> tuple[Application, bool]:
    """Log an application at the desk: its code, due time and first event.

    Returns (application, created). A repeated submission_key (double click, resubmitted form,
    retried API call) returns the application made the first time instead of a second one.
    """
    if not user.has_role("clerk"):
        raise TransitionError("Chỉ cán bộ một cửa được tiếp nhận hồ sơ.")
    if submission_key:
        existing = db.session.scalar(sa.select(Application).filter_by(submission_key=submission_key))
        if existing is not None:
            return existing, False
    valid = validate_reception(data, user)
    version, applicant, received_at = valid["version"], valid["applicant"], valid["received_at"]
    calendar = _calendar()
    day = local(received_at).date()
    number = next_sequence(user.agency_id, day)
    application = Application(
        code=format_code(user.agency.code, day, number),
        agency_id=user.agency_id,
        procedure_id=version.procedure_id,
        procedure_version_id=version.id,
        processing_agency_id=version.agency_id or user.agency_id,
        applicant_kind=valid["kind"],
        applicant_name=applicant["name"],
        applicant_id_number=applicant["id_number"],
        applicant_phone=applicant["phone"],
        applicant_email=applicant["email"],
        applicant_address=applicant["address"],
        channel=valid["channel"],
        documents=valid["documents"],
        sets=valid["sets"],
        return_method=valid["return_method"],
        register_entry=number,
        received_at=received_at,
        reception_moment=calendar.reception_moment(received_at),
        due_at=deadlines.statutory_due(version, received_at, calendar),
        status="received",
        tracking_key=secrets.token_urlsafe(12),
        submission_key=submission_key,
        created_by_id=user.id,
    )
    if valid["representative"]:
        rep = valid["representative"]
        application.representative_name = rep["name"]
        application.representative_id_number = rep["id_number"]
        application.representative_phone = rep["phone"]
    db.session.add(application)
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError:
        # Another desk saved the same submission a moment ago: hand back that one.
        existing = db.session.scalar(sa.select(Application).filter_by(submission_key=submission_key))
        if existing is None:
            raise
        return existing, False
    db.session.add(
        ApplicationEvent(
            application=application,
            seq=1,
            type="receive",
            at=received_at,
            user_id=user.id,
            from_status=None,
            to_status="received",
            data={"channel": application.channel, "desk": user.agency.name},
        )
    )
    db.session.flush()
    audit.record("application_received", application, user=user, procedure=version.procedure.code)
    return application, True


def record_desk_slip(user: User, kind: str, data: dict) -> DeskSlip:
    """A file turned away at the desk: a supplement request or a refusal slip, with no code."""
    if not user.has_role("clerk"):
        raise TransitionError("Chỉ cán bộ một cửa được lập phiếu tại bộ phận một cửa.")
    if kind not in ("supplement", "refusal"):
        raise ReceptionError("Loại phiếu không hợp lệ.")
    errors: dict[str, str] = {}
    version = version_or_error(data, errors)
    applicant = data.get("applicant") if isinstance(data.get("applicant"), dict) else {}
    person = check_person(applicant, "applicant.", errors, kind=applicant.get("kind") or "person", require_address=False)
    if kind == "supplement":
        errors.pop("applicant.id_number", None)  # not needed to tell someone what is missing
    items = [clean(item) for item in (data.get("items") or []) if clean(item)]
    reason = clean(data.get("reason"))
    if kind == "supplement" and not items:
        errors["items"] = "Liệt kê các giấy tờ cần bổ sung, hoàn thiện."
    if not reason:
        errors["reason"] = "Nhập lý do."
    if errors:
        raise ReceptionError("Phiếu chưa hợp lệ: vui lòng sửa các ô được đánh dấu.", errors)
    slip = DeskSlip(
        kind=kind,
        agency_id=user.agency_id,
        procedure_version_id=version.id,
        applicant_name=person["name"],
        applicant_id_number=person["id_number"] or None,
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


# ---------------------------------------------------------------- lifecycle


def lock_application(code: str) -> Application:
    """The application by code, locked for update (PostgreSQL) within the caller's transaction."""
    query = sa.select(Application).filter_by(code=code)
    if db.session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update()
    application = db.session.scalar(query)
    if application is None:
        raise ReceptionError("Không tìm thấy hồ sơ.", {"code": "Không tìm thấy hồ sơ."})
    return application


def desk_side(user: User, application: Application) -> bool:
    return user.has_role("clerk") and user.can_see_agency(application.agency_id)


def processing_side(user: User, application: Application) -> bool:
    if not user.has_role("officer", "supervisor"):
        return False
    return user.can_see_agency(application.processing_agency_id)


def allowed_events(user: User, application: Application) -> list[str]:
    """The event types this user may record on this application now (for buttons and checks)."""
    allowed = []
    for event_type, (sources, _target) in TRANSITIONS.items():
        if application.status not in sources:
            continue
        if event_type == "request_supplement" and any(e.type == "request_supplement" for e in application.events):
            continue
        if event_type == "apologise" and any(e.type == "apologise" for e in application.events):
            continue
        if event_type in DESK_EVENTS and not desk_side(user, application):
            continue
        if event_type in PROCESSING_EVENTS and not processing_side(user, application):
            continue
        if event_type in EITHER_SIDE_EVENTS and not (desk_side(user, application) or processing_side(user, application)):
            continue
        allowed.append(event_type)
    return allowed


def unit_name(agency: Agency | None, user: User | None = None) -> str:
    if user is not None:
        return f"{user.full_name} ({user.agency.name})"
    return agency.name if agency is not None else ""


def current_stage(application: Application) -> tuple[str, datetime]:
    """Who holds the file now and the deadline of that stage."""
    for event in reversed(application.events):
        if event.type in ("transfer", "step"):
            return event.data["to_unit"], datetime.fromisoformat(event.data["deadline"])
    return application.agency.name, desk_deadline(application)


def desk_deadline(application: Application) -> datetime:
    """The desk must hand the file on the reception day, or the next working day if received after the cut-off."""
    calendar = _calendar()
    moment = local(application.reception_moment)
    cutoff = deadlines.parse_hhmm(settings.get("transfer_cutoff"))
    day = moment.date() if moment.time() <= cutoff else calendar.next_working_day(moment.date())
    return calendar.close_of_day(day)


def transfer_moment(at: datetime) -> datetime:
    """A transfer after the day's cut-off (or outside working hours) is dated the next working morning."""
    calendar = _calendar()
    moment = calendar.reception_moment(at)
    cutoff = deadlines.parse_hhmm(settings.get("transfer_cutoff"))
    if local(moment).time() > cutoff:
        next_day = calendar.next_working_day(local(moment).date())
        moment = calendar.windows(next_day)[0][0]
    return moment


def check_event_time(application: Application, at: datetime | None) -> datetime:
    current = now()
    if at is None:
        at = current
    if at.tzinfo is None:
        raise ReceptionError("Thời điểm phải có múi giờ.", {"at": "Thời điểm phải có múi giờ."})
    if at > current + CLOCK_SKEW:
        raise ReceptionError("Không được ghi sự kiện ở thời điểm tương lai.", {"at": "Thời điểm ở tương lai."})
    last = application.events[-1].at if application.events else application.received_at
    if at < last:
        raise ReceptionError(
            "Thời điểm không được trước sự kiện liền trước của hồ sơ.", {"at": "Trước sự kiện liền trước."}
        )
    return at


def record_event(application: Application, user: User, event_type: str, at: datetime | None = None,
                 note: str | None = None, **data) -> ApplicationEvent:
    """Record one transition, checking state, role, agency and the event's own rules."""
    if event_type not in TRANSITIONS:
        raise ReceptionError("Loại sự kiện không hợp lệ.", {"type": "Loại sự kiện không hợp lệ."})
    sources, target = TRANSITIONS[event_type]
    if application.status not in sources:
        raise TransitionError(
            f"Không thể thực hiện «{event_type}» khi hồ sơ đang ở trạng thái «{application.status}».",
        )
    if event_type not in allowed_events(user, application):
        if event_type in ("request_supplement", "apologise") and (
            desk_side(user, application) or processing_side(user, application)
        ):
            raise TransitionError(
                "Hồ sơ chỉ được yêu cầu bổ sung một lần." if event_type == "request_supplement"
                else "Hồ sơ chỉ được xin lỗi và hẹn lại một lần."
            )
        raise TransitionError("Tài khoản không có quyền thực hiện bước này trên hồ sơ này.")
    at = check_event_time(application, at)
    note = clean(note)
    payload = HANDLERS[event_type](application, user, at, note, data)
    at = payload.pop("_at", at)
    event = ApplicationEvent(
        application=application,
        seq=len(application.events) + 1,
        type=event_type,
        at=at,
        user_id=user.id,
        from_status=application.status,
        to_status=target or application.status,
        note=note,
        data=payload or None,
    )
    db.session.add(event)
    apply_events(application)
    db.session.flush()
    audit.record(f"application_{event_type}", application, user=user, seq=event.seq)
    return event


def _handover(application, at, to_agency, to_user, deadline, note_unit=None) -> dict:
    from_unit, stage_deadline = current_stage(application)
    calendar = _calendar()
    return {
        "from_unit": from_unit,
        "to_unit": note_unit or unit_name(to_agency, to_user),
        "to_agency_id": to_agency.id if to_agency else None,
        "to_user_id": to_user.id if to_user else None,
        "stage_deadline": stage_deadline.isoformat(),
        "result": calendar.timeliness(at, stage_deadline),
        "deadline": deadline.isoformat(),
    }


def _target(data: dict, application: Application) -> tuple[Agency | None, User | None]:
    agency = user = None
    if data.get("to_user"):
        user = db.session.scalar(sa.select(User).filter_by(username=data["to_user"]))
        if user is None or not user.active or not user.has_role("officer", "supervisor"):
            raise ReceptionError("Không tìm thấy chuyên viên nhận hồ sơ.", {"to_user": "Không tìm thấy chuyên viên."})
        agency = user.agency
    if data.get("to_agency"):
        agency = db.session.scalar(sa.select(Agency).filter_by(code=data["to_agency"]))
        if agency is None:
            raise ReceptionError("Không tìm thấy cơ quan nhận hồ sơ.", {"to_agency": "Không tìm thấy cơ quan."})
        if user is not None and user.agency_id != agency.id:
            raise ReceptionError("Chuyên viên không thuộc cơ quan được chọn.", {"to_user": "Không thuộc cơ quan này."})
    return agency, user


def _step_deadline(data: dict, at: datetime, application: Application) -> datetime:
    if data.get("working_days") not in (None, ""):
        try:
            days = int(data["working_days"])
        except (TypeError, ValueError):
            days = -1
        if not 0 <= days <= 365:
            raise ReceptionError("Số ngày làm việc của bước không hợp lệ.", {"working_days": "Từ 0 đến 365."})
        calendar = _calendar()
        return calendar.due_at(at, days, "working_days") if days else calendar.close_of_day(local(at).date())
    return application.due_at


def on_transfer(application, user, at, note, data):
    agency, officer = _target(data, application)
    agency = agency or application.processing_agency or application.version.agency or application.agency
    at = transfer_moment(at)
    payload = _handover(application, at, agency, officer, application.due_at)
    return {**payload, "_at": at}


def on_step(application, user, at, note, data):
    agency, officer = _target(data, application)
    if agency is None and officer is None:
        raise ReceptionError("Chọn đơn vị hoặc chuyên viên nhận bước tiếp theo.", {"to_agency": "Chọn nơi nhận."})
    return _handover(application, at, agency, officer, _step_deadline(data, at, application))


def on_request_supplement(application, user, at, note, data):
    items = [clean(item) for item in (data.get("items") or []) if clean(item)]
    reason = clean(data.get("reason")) or note
    if not items:
        raise ReceptionError("Liệt kê đủ các giấy tờ cần bổ sung (chỉ được yêu cầu một lần).", {"items": "Bắt buộc."})
    if not reason:
        raise ReceptionError("Nhập lý do yêu cầu bổ sung.", {"reason": "Bắt buộc."})
    return {"items": items, "reason": reason, "officer": user.full_name, "officer_phone": user.phone}


def on_supplement_received(application, user, at, note, data):
    return {}


def on_apologise(application, user, at, note, data):
    reason = clean(data.get("reason")) or note
    new_due = data.get("new_due_at")
    if not reason:
        raise ReceptionError("Nhập lý do chậm trễ.", {"reason": "Bắt buộc."})
    if not isinstance(new_due, datetime) or new_due.tzinfo is None:
        raise ReceptionError("Nhập ngày hẹn trả kết quả mới.", {"new_due_at": "Bắt buộc."})
    if new_due <= application.due_at:
        raise ReceptionError("Ngày hẹn mới phải sau thời hạn hiện tại.", {"new_due_at": "Phải sau thời hạn hiện tại."})
    if _calendar().working_days_between(at, application.due_at) < 1:
        raise TransitionError("Phiếu xin lỗi phải được lập chậm nhất 1 ngày làm việc trước thời hạn trả kết quả.")
    return {
        "reason": reason,
        "original_due_at": application.due_at.isoformat(),
        "new_due_at": new_due.isoformat(),
        "signer": data.get("signer") or user.full_name,
    }


def on_result_ready(application, user, at, note, data):
    payload = _handover(application, at, application.agency, None, application.due_at)
    payload["overall"] = _calendar().timeliness(at, application.due_at)
    return payload


def on_return(application, user, at, note, data):
    method = data.get("method") or application.return_method or "at_desk"
    if method not in RETURN_METHODS:
        raise ReceptionError("Cách trả kết quả không hợp lệ.", {"method": "Không hợp lệ."})
    return {"method": method}


def on_refuse(application, user, at, note, data):
    reasons = [clean(item) for item in (data.get("reasons") or []) if clean(item)]
    if not reasons and note:
        reasons = [note]
    if not reasons:
        raise ReceptionError("Nêu rõ lý do từ chối.", {"reasons": "Bắt buộc."})
    return {"reasons": reasons}


def on_stop(application, user, at, note, data):
    request_text = clean(data.get("request")) or note
    if not request_text:
        raise ReceptionError("Ghi nội dung đề nghị dừng của người nộp.", {"request": "Bắt buộc."})
    return {"request": request_text}


HANDLERS = {
    "transfer": on_transfer,
    "step": on_step,
    "request_supplement": on_request_supplement,
    "supplement_received": on_supplement_received,
    "apologise": on_apologise,
    "result_ready": on_result_ready,
    "return": on_return,
    "refuse": on_refuse,
    "stop": on_stop,
}


def derived_state(application: Application, events, calendar) -> dict:
    """Everything stored on the application that its events and the calendar determine."""
    state = {
        "status": "received",
        "due_at": deadlines.due_from_events(application.version, application.received_at, events, calendar),
        "apology_due_at": deadlines.apology_due(events),
        "result_at": None,
        "returned_at": None,
        "closed_at": None,
        "processing_agency_id": application.version.agency_id or application.agency_id,
        "assignee_id": None,
    }
    for event in events:
        state["status"] = event.to_status
        data = event.data or {}
        if event.type in ("transfer", "step"):
            state["processing_agency_id"] = data.get("to_agency_id") or state["processing_agency_id"]
            state["assignee_id"] = data.get("to_user_id")
        elif event.type == "result_ready":
            state["result_at"] = event.at
        elif event.type == "return":
            state["returned_at"] = state["closed_at"] = event.at
        elif event.type in ("refuse", "stop"):
            state["closed_at"] = event.at
    return state


def apply_events(application: Application) -> None:
    for key, value in derived_state(application, application.events, _calendar()).items():
        setattr(application, key, value)


def verify_all(batch_size: int = 500):
    """Recompute every application's stored state; yield (code, field, stored, recomputed) for differences."""
    calendar = _calendar()
    last_id = 0
    while True:
        batch = db.session.scalars(
            sa.select(Application)
            .where(Application.id > last_id)
            .order_by(Application.id)
            .limit(batch_size)
            .options(sa.orm.selectinload(Application.events), sa.orm.joinedload(Application.version))
        ).all()
        if not batch:
            return
        for application in batch:
            expected = derived_state(application, application.events, calendar)
            for key, value in expected.items():
                stored = getattr(application, key)
                if stored != value:
                    yield application.code, key, stored, value
        last_id = batch[-1].id
        db.session.expunge_all()


# ---------------------------------------------------------------- reading


def time_text(version: ProcedureVersion) -> str:
    """'03 ngày làm việc', 'Trong ngày', '04 giờ làm việc', '15 ngày'."""
    if version.time_unit == "same_day":
        return "Trong ngày"
    unit = {"working_days": "ngày làm việc", "calendar_days": "ngày", "working_hours": "giờ làm việc"}[version.time_unit]
    return f"{version.time_amount:02d} {unit}"


def tracking_url(application: Application) -> str:
    base = current_app.config["PUBLIC_BASE_URL"].rstrip("/")
    return f"{base}/tra-cuu/{application.code}?k={application.tracking_key}"


def find_for_tracking(code: str, key: str | None) -> Application | None:
    """The application only if the key matches (a wrong code and a wrong key look the same)."""
    application = db.session.scalar(sa.select(Application).filter_by(code=code))
    if application is None or not key or not secrets.compare_digest(application.tracking_key, key):
        return None
    return application


def due_state(application: Application, at: datetime | None = None, calendar=None) -> str:
    """done | paused | overdue | due_soon | in_time: for colours, words and lists."""
    if application.status not in OPEN_STATES:
        return "done"
    if application.status == "waiting_supplement":
        return "paused"
    at = at or now()
    if at > application.due_at:
        return "overdue"
    calendar = calendar or _calendar()
    if calendar.working_days_between(at, application.due_at) <= int(settings.get("due_soon_working_days")):
        return "due_soon"
    return "in_time"
