"""The lifecycle of an application (hồ sơ) after reception: transfer, processing steps, supplement pause,
apology, result, hand-back, refusal and stop, as append-only events; and the check that recomputes due times.
"""
from datetime import datetime

from flask_babel import gettext as _
import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from .. import audit, inputs
from ..auth.models import Agency, User
from ..calendar import rules
from ..calendar.services import load_calendar
from ..extensions import db
from ..timeutil import local, now
from . import backdating, deadlines, hooks, routing, signing
from .models import Application, ApplicationEvent
from .services import CLOCK_SKEW, RETURN_METHODS
from .validation import PermissionDenied, ReceptionError, TransitionError

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
# Who acts: the desk (clerks of the receiving agency) or the processing side (officers and
# supervisors of the processing agency).
DESK_EVENTS = {"transfer", "return"}
PROCESSING_EVENTS = {"step", "request_supplement", "apologise", "result_ready"}
EITHER_SIDE_EVENTS = {"supplement_received", "refuse", "stop"}


class ApplicationNotFound(ReceptionError):
    """No application with this code that the user may see."""

    status = 404


# What recording an event reads of the application: loaded with it, so nothing is read row by row.
EVENT_LOADS = (joinedload(Application.version), joinedload(Application.procedure), joinedload(Application.agency),
               joinedload(Application.processing_agency), joinedload(Application.events))


def lock_application(code: str, user: User | None = None) -> Application:
    """The application by code, locked for update (PostgreSQL) within the caller's transaction, with what the
    event handlers read; with a user, only if that user may see it (one query does both)."""
    query = sa.select(Application).filter_by(code=code).options(*EVENT_LOADS)
    if user is not None and not user.sees_every_agency():
        ids = sorted(user.visible_agency_ids())
        query = query.where(sa.or_(Application.agency_id.in_(ids), Application.processing_agency_id.in_(ids)))
    if db.session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(of=Application)
    application = db.session.scalars(query).unique().one_or_none()
    if application is None:
        raise ApplicationNotFound(_("Không tìm thấy hồ sơ."), {"code": _("Không tìm thấy hồ sơ.")})
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
    return rules.handover_deadline(load_calendar(), application.reception_moment)


def check_event_time(application: Application, at: datetime | None) -> datetime:
    current = now()
    if at is None:
        at = current
    if at.tzinfo is None:
        raise ReceptionError(_("Thời điểm phải có múi giờ."), {"at": _("Thời điểm phải có múi giờ.")})
    if at > current + CLOCK_SKEW:
        raise ReceptionError(_("Không được ghi sự kiện ở thời điểm tương lai."), {"at": _("Thời điểm ở tương lai.")})
    last = application.events[-1].happened_at if application.events else application.received_at
    if at < last:
        raise ReceptionError(
            _("Thời điểm không được trước sự kiện liền trước của hồ sơ."), {"at": _("Trước sự kiện liền trước.")}
        )
    return at


def strict_text(value, field: str, max_len: int, multiline: bool = False) -> str | None:
    """One text field of an event, or a ReceptionError naming it."""
    try:
        return inputs.text(value, field, max_len, multiline=multiline)
    except inputs.InputError as error:
        raise ReceptionError(error.message, {field: error.message}) from None


def strict_list(value, field: str) -> list[str]:
    """Items or reasons: a bounded list of bounded lines, or a ReceptionError naming it."""
    try:
        return inputs.text_list(value, field)
    except inputs.InputError as error:
        raise ReceptionError(error.message, {field: error.message}) from None


def record_event(application: Application, user: User, event_type: str, at: datetime | None = None,
                 note: str | None = None, backdate_reason: str | None = None, **data) -> ApplicationEvent:
    """Record one transition, checking state, role, agency, the time given (and why, if it is past) and the
    event's own rules."""
    if event_type not in TRANSITIONS:
        raise ReceptionError(_("Loại sự kiện không hợp lệ."), {"type": _("Loại sự kiện không hợp lệ.")})
    sources, target = TRANSITIONS[event_type]
    if application.status not in sources:
        raise TransitionError(
            _("Không thể thực hiện «%(event)s» khi hồ sơ đang ở trạng thái «%(status)s».",
              event=event_type, status=application.status),
        )
    if event_type not in allowed_events(user, application):
        if event_type in ("request_supplement", "apologise") and processing_side(user, application):
            raise TransitionError(
                _("Hồ sơ chỉ được yêu cầu bổ sung một lần.") if event_type == "request_supplement"
                else _("Hồ sơ chỉ được xin lỗi và hẹn lại một lần.")
            )
        raise PermissionDenied(_("Tài khoản không có quyền thực hiện bước này trên hồ sơ này."))
    if event_type == "return":  # conditions set from above reception (fees collected at hand-back)
        hooks.check_return(application, user)
    at = check_event_time(application, at)
    backdate_reason = backdating.reason_for(user, at, backdate_reason)
    note = strict_text(note, "note", inputs.NOTE_MAX, multiline=True)
    signer_name = strict_text(data.get("signer"), "signer", inputs.NAME_MAX)
    data = {**data, "signer": signer_name} if "signer" in data else data
    payload = HANDLERS[event_type](application, user, at, note, data)
    if event_type in signing.SIGNED_EVENTS:  # who signs its form, and under which heading, as of now
        payload = {**(payload or {}), "signed_by": signing.signer(application, user, event_type, signer_name)}
    event = ApplicationEvent(
        application=application,
        seq=len(application.events) + 1,
        type=event_type,
        at=at,
        recorded_at=now(),
        user=user,
        from_status=application.status,
        to_status=target or application.status,
        note=note,
        data=payload or None,
        backdate_reason=backdate_reason,
    )
    db.session.add(event)
    apply_events(application)
    db.session.flush()
    backdated = {"backdated_to": at.isoformat()} if backdate_reason else {}
    audit.record(f"application_{event_type}", application, user=user, seq=event.seq, **backdated)
    return event


def _handover(application, at, to_agency, to_user, deadline, note_unit=None) -> dict:
    from_unit, stage_deadline = current_stage(application)
    calendar = load_calendar()
    return {
        "from_unit": from_unit,
        "to_unit": note_unit or unit_name(to_agency, to_user),
        "to_agency_id": to_agency.id if to_agency else None,
        "to_user_id": to_user.id if to_user else None,
        "stage_deadline": stage_deadline.isoformat(),
        "result": calendar.timeliness(at, stage_deadline),
        "deadline": deadline.isoformat(),
    }


def _target(data: dict, application: Application, event_type: str) -> tuple[Agency | None, User | None]:
    agency = user = None
    to_user = strict_text(data.get("to_user"), "to_user", inputs.KEY_MAX)
    to_agency = strict_text(data.get("to_agency"), "to_agency", inputs.KEY_MAX)
    if to_user:
        user = db.session.scalar(sa.select(User).filter_by(username=to_user))
        if user is None or not user.active or not user.has_role("officer", "supervisor"):
            raise ReceptionError(_("Không tìm thấy chuyên viên nhận hồ sơ."), {"to_user": _("Không tìm thấy chuyên viên.")})
        agency = user.agency
    if to_agency:
        agency = db.session.scalar(sa.select(Agency).filter_by(code=to_agency))
        if agency is None:
            raise ReceptionError(_("Không tìm thấy cơ quan nhận hồ sơ."), {"to_agency": _("Không tìm thấy cơ quan.")})
        if user is not None and user.agency_id != agency.id:
            raise ReceptionError(_("Chuyên viên không thuộc cơ quan được chọn."), {"to_user": _("Không thuộc cơ quan này.")})
    if agency is not None and agency.id not in routing.allowed_agency_ids(application, event_type):
        raise ReceptionError(_("Không được chuyển hồ sơ này đến %(agency)s.", agency=agency.name),
                             {"to_agency": _("Chọn trong danh sách cơ quan được chuyển đến.")})
    return agency, user


def _step_deadline(data: dict, at: datetime, application: Application) -> datetime:
    if data.get("working_days") not in (None, ""):
        try:
            days = inputs.integer(data["working_days"], "working_days", 0, 365)
        except inputs.InputError:
            raise ReceptionError(_("Số ngày làm việc của bước không hợp lệ."), {"working_days": _("Từ 0 đến 365.")})
        calendar = load_calendar()
        if days:
            return calendar.due_at(at, days, "working_days")
        # "within the day": the day's close, or after hours and on days off the next working day's (as a reception)
        return calendar.close_of_day(local(calendar.reception_moment(at)).date())
    return application.due_at


def on_transfer(application, user, at, note, data):
    """Dated when it happens; the cut-off decides only where the processing agency's time starts counting
    (`counts_from`), and the desk is judged against its own hand-over deadline (`stage_deadline`)."""
    agency, officer = _target(data, application, "transfer")
    agency = agency or application.processing_agency or application.version.agency or application.agency
    payload = _handover(application, at, agency, officer, application.due_at)
    payload["counts_from"] = rules.processing_starts(load_calendar(), at).isoformat()
    return payload


def on_step(application, user, at, note, data):
    agency, officer = _target(data, application, "step")
    if agency is None and officer is None:
        raise ReceptionError(_("Chọn đơn vị hoặc chuyên viên nhận bước tiếp theo."), {"to_agency": _("Chọn nơi nhận.")})
    return _handover(application, at, agency, officer, _step_deadline(data, at, application))


def on_request_supplement(application, user, at, note, data):
    items = strict_list(data.get("items"), "items")
    reason = strict_text(data.get("reason"), "reason", inputs.NOTE_MAX, multiline=True) or note
    if not items:
        raise ReceptionError(_("Liệt kê đủ các giấy tờ cần bổ sung (chỉ được yêu cầu một lần)."), {"items": _("Bắt buộc.")})
    if not reason:
        raise ReceptionError(_("Nhập lý do yêu cầu bổ sung."), {"reason": _("Bắt buộc.")})
    return {"items": items, "reason": reason, "officer": user.full_name, "officer_phone": user.phone}


def on_supplement_received(application, user, at, note, data):
    return {}


def on_apologise(application, user, at, note, data):
    reason = strict_text(data.get("reason"), "reason", inputs.NOTE_MAX, multiline=True) or note
    new_due = data.get("new_due_at")
    if not reason:
        raise ReceptionError(_("Nhập lý do chậm trễ."), {"reason": _("Bắt buộc.")})
    if not isinstance(new_due, datetime) or new_due.tzinfo is None:
        raise ReceptionError(_("Nhập ngày hẹn trả kết quả mới."), {"new_due_at": _("Bắt buộc.")})
    if new_due <= application.due_at:
        raise ReceptionError(_("Ngày hẹn mới phải sau thời hạn hiện tại."), {"new_due_at": _("Phải sau thời hạn hiện tại.")})
    if load_calendar().working_days_between(at, application.due_at) < 1:
        raise TransitionError(_("Phiếu xin lỗi phải được lập chậm nhất 1 ngày làm việc trước thời hạn trả kết quả."))
    return {
        "reason": reason,
        "original_due_at": application.due_at.isoformat(),
        "new_due_at": new_due.isoformat(),
        "signer": data.get("signer") or user.full_name,
    }


def on_result_ready(application, user, at, note, data):
    payload = _handover(application, at, application.agency, None, application.due_at)
    payload["overall"] = load_calendar().timeliness(at, application.due_at)
    return payload


def on_return(application, user, at, note, data):
    method = strict_text(data.get("method"), "method", inputs.KEY_MAX) or application.return_method or "at_desk"
    if method not in RETURN_METHODS:
        raise ReceptionError(_("Cách trả kết quả không hợp lệ."), {"method": _("Không hợp lệ.")})
    return {"method": method}


def on_refuse(application, user, at, note, data):
    reasons = strict_list(data.get("reasons"), "reasons")
    if not reasons and note:
        reasons = [note]
    if not reasons:
        raise ReceptionError(_("Nêu rõ lý do từ chối."), {"reasons": _("Bắt buộc.")})
    return {"reasons": reasons}


def on_stop(application, user, at, note, data):
    request_text = strict_text(data.get("request"), "request", inputs.NOTE_MAX, multiline=True) or note
    if not request_text:
        raise ReceptionError(_("Ghi nội dung đề nghị dừng của người nộp."), {"request": _("Bắt buộc.")})
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
    for key, value in derived_state(application, application.events, load_calendar()).items():
        setattr(application, key, value)


def verify_all(batch_size: int = 500, progress=None):
    """Recompute every application's stored state; yield (code, field, stored, recomputed) for differences.
    `progress` (onestop.progress.Progress) advances by each batch checked."""
    calendar = load_calendar()
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
        if progress is not None:
            progress.advance(len(batch))
        last_id = batch[-1].id
        db.session.expunge_all()
