"""Feedback and complaints (phản ánh, kiến nghị: PAKN): sent from the public site or logged by a clerk, assigned,
transferred, answered and closed as append-only events. Plain functions that flush, never commit.

A complaint's handling deadline is N working days (the setting when it was received, 10 by default) on the same
working calendar and by the same rule as an application's processing time; like an application's, the stored
status and due time are a cache of what the events and the calendar determine (`verify_all`).
"""
import re
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy.dialects import postgresql, sqlite

from ... import audit, inputs, settings
from ...auth.models import Agency, User
from ...calendar import rules
from ...calendar.services import load_calendar
from ...extensions import db
from ...reception import keys
from ...reception.models import Application
from ...text import clean
from ...timeutil import local, now
from . import attachments
from ..models import COMPLAINT_CHANNELS, Complaint, ComplaintEvent, ComplaintSequence
from .status import DUMMY_KEY, find_application

OPEN = ("received", "in_handling")
STAFF_CHANNELS = ("in_person", "phone", "letter")
STAFF_ROLES = ("clerk", "officer", "supervisor")
# Event type -> (statuses it may start from, status it leads to).
TRANSITIONS = {
    "assign": (set(OPEN), "in_handling"),
    "transfer": (set(OPEN), "received"),
    "respond": (set(OPEN), "answered"),
    "close": ({"received", "in_handling", "answered"}, "closed"),
}
NAME_MAX, CONTACT_MAX, RESPONSE_MAX = 120, 120, 8000
PHONE_RE = re.compile(r"^(\+84|0)\d{8,10}$")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
CLOCK_SKEW = timedelta(minutes=2)
DIALECT_INSERT = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


class ComplaintError(ValueError):
    """A complaint or a step the rules refuse: a message, errors per field, an HTTP status."""

    def __init__(self, message: str, errors: dict | None = None, status: int = 400):
        super().__init__(message)
        self.message, self.errors, self.status = message, errors or {}, status


# ---------------------------------------------------------------- codes and deadlines


def next_number(agency_id: int, day: date) -> int:
    """The next complaint number of the day for this agency, taken like an application's (one upsert that
    holds the counter row until commit, so concurrent senders queue up and numbers never repeat)."""
    insert = DIALECT_INSERT[db.session.get_bind().dialect.name]
    statement = (
        insert(ComplaintSequence)
        .values(agency_id=agency_id, day=day, last_value=1)
        .on_conflict_do_update(index_elements=[ComplaintSequence.agency_id, ComplaintSequence.day],
                               set_={"last_value": ComplaintSequence.last_value + 1})
        .returning(ComplaintSequence.last_value)
    )
    return db.session.execute(statement).scalar_one()


def format_code(agency_code: str, day: date, number: int) -> str:
    """'PA-000.00.01.H38-261214-0001': told apart from an application's code at a glance."""
    return f"PA-{agency_code}-{day:%y%m%d}-{number:04d}"


def deadline(received_at: datetime, days: int, calendar=None) -> datetime:
    """The close of the Nth working day after the day it was received (counted like a procedure's time)."""
    return rules.statutory_due(calendar or load_calendar(), received_at, days, "working_days")


def due_state(complaint: Complaint, at: datetime | None = None, calendar=None) -> str:
    """done | overdue | due_soon | in_time, as for applications."""
    if complaint.status not in OPEN:
        return "done"
    return rules.time_left(calendar or load_calendar(), at or now(), complaint.due_at)


# ---------------------------------------------------------------- sending


def check_contact(value: str | None) -> str | None:
    """A phone number (spaces and dots allowed) or an e-mail address; None when it is neither."""
    value = clean(value)
    if not value:
        return None
    compact = re.sub(r"[\s.\-()]", "", value)
    if PHONE_RE.match(compact) or EMAIL_RE.match(value):
        return value
    return None


def _received_at(data: dict, channel: str, errors: dict) -> datetime:
    current, moment = now(), data.get("received_at")
    if moment is None:
        return current
    if channel in ("online", "in_person"):
        errors["received_at"] = _("Phản ánh gửi trực tuyến hoặc trực tiếp được ghi nhận tại thời điểm lưu.")
    elif not isinstance(moment, datetime) or moment.tzinfo is None:
        errors["received_at"] = _("Thời điểm nhận phải có múi giờ.")
    elif moment > current + CLOCK_SKEW:
        errors["received_at"] = _("Thời điểm nhận không được ở tương lai.")
    elif moment < current - timedelta(days=366):
        errors["received_at"] = _("Thời điểm nhận quá xa trong quá khứ.")
    return moment if "received_at" not in errors else current


def _subject(data: dict, user: User | None, errors: dict) -> tuple[Application | None, Agency | None]:
    """What the complaint is about: an application (proved by its key or phone on the public site) or an agency."""
    code = clean(data.get("application_code"))
    if code:
        if user is None:
            application = find_application(code, data.get("key"), data.get("phone"))
        else:
            application = db.session.scalar(sa.select(Application).filter_by(code=code))
        if application is None:
            errors["application_code"] = (
                _("Mã hồ sơ không khớp với mã tra cứu hoặc số điện thoại.") if user is None
                else _("Không tìm thấy hồ sơ."))
            return None, None
        return application, application.agency
    agency_code = clean(data.get("agency_code"))
    agency = db.session.scalar(sa.select(Agency).filter_by(code=agency_code, active=True)) if agency_code else None
    if agency is None and user is not None and not agency_code:
        agency = user.agency
    if agency is None:
        errors["agency_code"] = _("Chọn cơ quan tiếp nhận phản ánh, hoặc nhập mã hồ sơ.")
    return None, agency


def validate(data: dict, user: User | None = None) -> dict:
    """Every field checked at once; ComplaintError lists all that are wrong."""
    errors: dict[str, str] = {}
    channel = data.get("channel") or ("online" if user is None else "in_person")
    if (user is None and channel != "online") or (user is not None and channel not in STAFF_CHANNELS) \
            or channel not in COMPLAINT_CHANNELS:
        errors["channel"] = _("Kênh tiếp nhận không hợp lệ.")
    application, agency = _subject(data, user, errors)
    name = clean(data.get("sender_name"))
    if not name:
        errors["sender_name"] = _("Nhập họ và tên người gửi.")
    elif len(name) > NAME_MAX:
        errors["sender_name"] = _("Họ và tên tối đa %(max)d ký tự.", max=NAME_MAX)
    contact = clean(data.get("sender_contact"))
    if not contact:
        errors["sender_contact"] = _("Nhập số điện thoại hoặc thư điện tử để cơ quan liên hệ.")
    elif len(contact) > CONTACT_MAX or check_contact(contact) is None:
        errors["sender_contact"] = _("Số điện thoại hoặc thư điện tử không hợp lệ.")
    content = clean(data.get("content"))
    limit = int(current_app.config["COMPLAINT_MAX_LENGTH"])
    if not content:
        errors["content"] = _("Nhập nội dung phản ánh, kiến nghị.")
    elif len(content) > limit:
        errors["content"] = _("Nội dung tối đa %(max)d ký tự (đã nhập %(count)d).", max=limit, count=len(content))
    received_at = _received_at(data, channel, errors)
    if errors:
        raise ComplaintError(_("Phản ánh chưa gửi được: vui lòng sửa các ô được đánh dấu."), errors)
    return {"channel": channel, "application": application, "agency": agency, "sender_name": name,
            "sender_contact": contact, "content": content, "received_at": received_at}


def submit(data: dict, upload: tuple[str, bytes] | None = None, user: User | None = None) -> Complaint:
    """A complaint sent from the public site (user None) or logged by a clerk; its code, key and deadline.

    The attachment is checked with the fields and written last, just before the flush; the caller removes it
    (attachments.remove) if its commit then fails.
    """
    if user is not None and not user.has_role("clerk"):
        raise ComplaintError(_("Chỉ cán bộ một cửa được ghi nhận phản ánh."), status=403)
    try:
        valid = validate(data, user)
        attachment = attachments.check(*upload) if upload else None
    except attachments.AttachmentError as error:
        raise ComplaintError(str(error), {"attachment": str(error)})
    calendar = load_calendar()
    agency, received_at = valid["agency"], valid["received_at"]
    days = int(settings.get("complaint_deadline_working_days"))
    day = local(received_at).date()
    complaint = Complaint(
        code=format_code(agency.code, day, next_number(agency.id, day)),
        tracking_key=keys.new_key(),
        application_id=valid["application"].id if valid["application"] else None,
        agency_id=agency.id,
        channel=valid["channel"],
        sender_name=valid["sender_name"],
        sender_contact=valid["sender_contact"],
        content=valid["content"],
        deadline_days=days,
        received_at=received_at,
        due_at=deadline(received_at, days, calendar),
        status="received",
        created_by_id=user.id if user else None,
    )
    if attachment is not None:
        complaint.attachment_path = attachments.store(attachment)
        complaint.attachment_name, complaint.attachment_type = attachment.name, attachment.mimetype
        complaint.attachment_size = len(attachment.data)
    db.session.add(complaint)
    db.session.add(ComplaintEvent(
        complaint=complaint, seq=1, type="receive", at=received_at, recorded_at=now(),
        user_id=user.id if user else None, from_status=None, to_status="received",
        data={"channel": complaint.channel, "agency_id": agency.id, "deadline_days": days}))
    db.session.flush()
    audit.record("complaint_received", complaint, user=user, channel=complaint.channel)
    return complaint


def find_complaint(code: str | None, key: str | None) -> Complaint | None:
    """The complaint only if its key matches; a wrong code and a wrong key do the same work (see find_application)."""
    row = db.session.execute(sa.select(Complaint.id, Complaint.tracking_key)
                             .filter_by(code=(code or "").strip()[:64])).first()
    matched = keys.matches(row.tracking_key if row else DUMMY_KEY, key or "-")
    return db.session.get(Complaint, row.id) if matched and row is not None else None


# ---------------------------------------------------------------- handling


def handles(user: User, complaint: Complaint) -> bool:
    """Staff of the agency now handling it (or above it) may see and work on it."""
    return user.has_role(*STAFF_ROLES) and user.can_see_agency(complaint.agency_id)


def allowed_actions(user: User, complaint: Complaint) -> list[str]:
    """Any of the agency's staff may answer and may take a complaint for themselves; the desk and the
    leaders (clerks, supervisors) also give it to someone else, send it to another agency, and close it."""
    if not handles(user, complaint):
        return []
    lead = user.has_role("clerk", "supervisor")
    return [action for action, (sources, _target) in TRANSITIONS.items()
            if complaint.status in sources and (lead or action in ("assign", "respond"))]


def assignees(complaint: Complaint, user: User | None = None) -> list[User]:
    """Who may be given the complaint: active staff of the agency handling it (an officer: only themselves)."""
    if user is not None and not user.has_role("clerk", "supervisor"):
        return [user] if handles(user, complaint) else []
    users = db.session.scalars(sa.select(User).filter_by(agency_id=complaint.agency_id, active=True)
                               .order_by(User.full_name)).all()
    return [candidate for candidate in users if candidate.has_role(*STAFF_ROLES)]


def lock(code: str) -> Complaint:
    query = sa.select(Complaint).filter_by(code=code)
    if db.session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update()
    complaint = db.session.scalar(query)
    if complaint is None:
        raise ComplaintError(_("Không tìm thấy phản ánh."), status=404)
    return complaint


def _on_assign(complaint, user, data, note):
    username = clean(data.get("to_user"))
    chosen = next((candidate for candidate in assignees(complaint, user) if candidate.username == username), None)
    if chosen is None:
        raise ComplaintError(_("Chọn cán bộ của cơ quan đang xử lý phản ánh."), {"to_user": _("Chọn cán bộ.")})
    return {"to_user_id": chosen.id, "to_user": chosen.full_name}


def _on_transfer(complaint, user, data, note):
    agency = db.session.scalar(sa.select(Agency).filter_by(code=clean(data.get("to_agency")) or "", active=True))
    if agency is None or agency.id == complaint.agency_id:
        raise ComplaintError(_("Chọn cơ quan khác để chuyển phản ánh."), {"to_agency": _("Chọn cơ quan.")})
    if not note:
        raise ComplaintError(_("Ghi lý do chuyển."), {"note": _("Bắt buộc.")})
    return {"from_agency_id": complaint.agency_id, "to_agency_id": agency.id, "to_agency": agency.name}


def _on_respond(complaint, user, data, note):
    response = clean(data.get("response"))
    if not response:
        raise ComplaintError(_("Nhập nội dung trả lời."), {"response": _("Bắt buộc.")})
    if len(response) > RESPONSE_MAX:
        raise ComplaintError(_("Nội dung trả lời tối đa %(max)d ký tự.", max=RESPONSE_MAX), {"response": _("Quá dài.")})
    return {"response": response, "by": user.full_name}


def _on_close(complaint, user, data, note):
    if complaint.status != "answered" and not note:
        raise ComplaintError(_("Phản ánh chưa được trả lời: ghi lý do đóng (trùng lặp, không đủ thông tin…)."),
                             {"note": _("Bắt buộc.")})
    return {}


HANDLERS = {"assign": _on_assign, "transfer": _on_transfer, "respond": _on_respond, "close": _on_close}


def record(complaint: Complaint, user: User, action: str, note: str | None = None, **data) -> ComplaintEvent:
    """One step of handling, checked for state, role and agency; the stored state follows from the events."""
    if action not in TRANSITIONS:
        raise ComplaintError(_("Thao tác không hợp lệ."))
    sources, target = TRANSITIONS[action]
    if complaint.status not in sources:
        raise ComplaintError(_("Không thể thực hiện thao tác này khi phản ánh đang ở trạng thái hiện tại."), status=409)
    if action not in allowed_actions(user, complaint):
        raise ComplaintError(_("Tài khoản không có quyền thực hiện thao tác này trên phản ánh này."), status=403)
    note = clean(note)
    if note and len(note) > inputs.NOTE_MAX:
        raise ComplaintError(_("Ghi chú tối đa %(max)d ký tự (đã nhập %(count)d).", max=inputs.NOTE_MAX,
                               count=len(note)))
    payload = HANDLERS[action](complaint, user, data, note)
    at = max(now(), complaint.events[-1].at)
    event = ComplaintEvent(complaint=complaint, seq=len(complaint.events) + 1, type=action, at=at, recorded_at=now(),
                           user_id=user.id, from_status=complaint.status, to_status=target, note=note,
                           data=payload or None)
    db.session.add(event)
    apply_events(complaint)
    db.session.flush()
    audit.record(f"complaint_{action}", complaint, user=user, seq=event.seq)
    return event


# ---------------------------------------------------------------- the events are the truth


def derived_state(complaint: Complaint, events, calendar) -> dict:
    """Everything stored on the complaint that its events and the calendar determine."""
    receive = events[0]
    days = (receive.data or {}).get("deadline_days", complaint.deadline_days)
    state = {
        "received_at": receive.at,
        "deadline_days": days,
        "due_at": deadline(receive.at, days, calendar),
        "status": "received",
        "agency_id": (receive.data or {}).get("agency_id", complaint.agency_id),
        "assignee_id": None,
        "answered_at": None,
        "response": None,
        "closed_at": None,
    }
    for event in events:
        state["status"] = event.to_status
        data = event.data or {}
        if event.type == "assign":
            state["assignee_id"] = data["to_user_id"]
        elif event.type == "transfer":
            state["agency_id"], state["assignee_id"] = data["to_agency_id"], None
        elif event.type == "respond":
            state["answered_at"], state["response"] = event.at, data["response"]
        elif event.type == "close":
            state["closed_at"] = event.at
    return state


def apply_events(complaint: Complaint) -> None:
    for key, value in derived_state(complaint, complaint.events, load_calendar()).items():
        setattr(complaint, key, value)


def verify_all(batch_size: int = 500):
    """Recompute every complaint's stored state; yield (code, field, stored, recomputed) for each difference."""
    calendar = load_calendar()
    last_id = 0
    while True:
        batch = db.session.scalars(
            sa.select(Complaint).where(Complaint.id > last_id).order_by(Complaint.id).limit(batch_size)
            .options(sa.orm.selectinload(Complaint.events))
        ).all()
        if not batch:
            return
        for complaint in batch:
            for key, value in derived_state(complaint, complaint.events, calendar).items():
                stored = getattr(complaint, key)
                if stored != value:
                    yield complaint.code, key, stored, value
        last_id = batch[-1].id
        db.session.expunge_all()
