"""What the public status page (tra cứu hồ sơ) tells the applicant: where the file is and when it will be ready,
in plain words counted on the working calendar, with no personal data. The page and the JSON API read the
same dict; the texts come in the page's language (Vietnamese for an API client, which has no session).
"""
import hmac
from dataclasses import dataclass, field
from datetime import datetime
from types import SimpleNamespace

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from ... import process_cache, raw_reads
from ...auth.models import Agency
from ...calendar.services import load_calendar
from ...extensions import db
from ...i18n import gettext as _
from ...labels import label
from ...procedures.models import Procedure, ProcedureVersion
from ...reception import keys
from ...reception.models import Application, ApplicationEvent
from ...timeutil import local, now
from ..models import Rating

WEEKDAYS = (_l("thứ Hai"), _l("thứ Ba"), _l("thứ Tư"), _l("thứ Năm"), _l("thứ Sáu"), _l("thứ Bảy"), _l("Chủ nhật"))
OPEN = {"received", "transferred", "processing"}
# Compared against when the code is unknown, so every wrong look-up does the same work (see find_application).
DUMMY_KEY = "ABCDEFGHJKMN"
DUMMY_PHONE_TAIL = "0000"


# ---------------------------------------------------------------- words for moments


def day_text(moment: datetime) -> str:
    """'thứ Năm, 17/12/2026'."""
    moment = local(moment)
    return _("%(weekday)s, %(date)s", weekday=WEEKDAYS[moment.weekday()], date=moment.strftime("%d/%m/%Y"))


def moment_text(moment: datetime) -> str:
    """'17:00 thứ Năm, 17/12/2026'."""
    return f"{local(moment):%H:%M} {day_text(moment)}"


def days_left_text(days: int) -> str:
    """'còn 3 ngày làm việc'; on the due day itself, 'hạn cuối là hôm nay'."""
    if days <= 0:
        return _("hạn cuối là hôm nay")
    # two messages rather than ngettext: Vietnamese has one form, English two, and the catalogue stays flat
    return _("còn 1 ngày làm việc") if days == 1 else _("còn %(num)d ngày làm việc", num=days)


def days_late_text(days: int) -> str:
    """'đã quá hạn 2 ngày làm việc'; later the same day, 'đã quá hạn'."""
    if days <= 0:
        return _("đã quá hạn")
    return _("đã quá hạn 1 ngày làm việc") if days == 1 else _("đã quá hạn %(num)d ngày làm việc", num=days)


def hours_text(calendar, at: datetime) -> str:
    """The desk's hours on its next working day: '07:30–11:30, 13:30–17:00, thứ Hai đến thứ Sáu'."""
    day = local(at).date()
    if not calendar.is_working_day(day):
        day = calendar.next_working_day(day)
    windows = ", ".join(f"{local(start):%H:%M}–{local(end):%H:%M}" for start, end in calendar.windows(day))
    return _("%(windows)s, thứ Hai đến thứ Sáu (trừ ngày nghỉ lễ)", windows=windows)


def masked(name: str) -> str:
    """'Nguyễn Thị Ngọc Ánh' -> 'Nguyễn T. N. Á.': enough for the applicant to recognise, no more."""
    parts = name.split()
    return " ".join([parts[0]] + [part[0] + "." for part in parts[1:]]) if parts else ""


# ---------------------------------------------------------------- finding the file


def phone_tail(phone: str | None) -> str:
    """The last four digits of a phone number as written ('0912 345 678' -> '5678'), '' when there are none."""
    digits = "".join(ch for ch in phone or "" if ch.isdigit())
    return digits[-4:] if len(digits) >= 4 else ""


def typed_code(code: str | None) -> str:
    """An application code as a person typed it, as codes are stored: '000.00.01.h38-…' is '000.00.01.H38-…'."""
    return (code or "").strip().upper()[:64]


def _matches(row, key: str | None, phone: str | None) -> bool:
    """The key (or a phone's last 4 digits) against the file's, in constant time; an unknown code (row None) is
    compared against dummies, so it does the same work."""
    if key:
        return keys.matches(row.tracking_key if row else DUMMY_KEY, key) and row is not None
    typed = "".join(ch for ch in phone or "" if ch.isdigit())
    tails = (phone_tail(row.applicant_phone), phone_tail(row.representative_phone)) if row else \
        (DUMMY_PHONE_TAIL, DUMMY_PHONE_TAIL)
    found = False
    for tail in tails:  # both compared, always: no early exit
        found |= hmac.compare_digest(tail.encode(), typed.encode()) and len(tail) == 4
    return found and row is not None


@dataclass
class StatusFile:
    """What the status page reads of a file, read in one statement (find_status): the attributes of an Application
    that public_status uses, its receiving desk, its events and its rating."""

    id: int
    code: str
    status: str
    due_at: datetime
    received_at: datetime
    result_at: datetime | None
    returned_at: datetime | None
    return_method: str | None
    applicant_kind: str
    applicant_name: str
    notify: bool
    result_digitised_at: datetime | None  # the result's scan was attached (reception.papers): worth a look-up
    agency: SimpleNamespace
    processing_agency: SimpleNamespace | None
    procedure: SimpleNamespace
    version: SimpleNamespace
    rating: SimpleNamespace | None
    events: list = field(default_factory=list)


Processing = sa.orm.aliased(Agency)
# The file by its code (the unique index) with everything its page shows: its desk, the agency handling it, the
# procedure's name, its rating and its events in order (one row per event). Built once.
STATUS_ROWS = (
    sa.select(Application.id, Application.code, Application.status, Application.due_at, Application.received_at,
              Application.result_at, Application.returned_at, Application.return_method, Application.applicant_kind,
              Application.applicant_name, Application.applicant_phone, Application.representative_phone,
              Application.tracking_key, Application.notify, Application.result_digitised_at,
              Agency.name.label("desk_name"),
              Agency.address.label("desk_address"), Agency.phone.label("desk_phone"),
              Processing.name.label("processing_name"),
              Procedure.code.label("procedure_code"), ProcedureVersion.name.label("version_name"),
              Rating.level.label("rating_level"), ApplicationEvent.type.label("event_type"),
              ApplicationEvent.at.label("event_at"), ApplicationEvent.recorded_at.label("event_recorded_at"),
              ApplicationEvent.data.label("event_data"))
    .join(Agency, Agency.id == Application.agency_id)
    .outerjoin(Processing, Processing.id == Application.processing_agency_id)
    .join(Procedure, Procedure.id == Application.procedure_id)
    .join(ProcedureVersion, ProcedureVersion.id == Application.procedure_version_id)
    .outerjoin(Rating, Rating.application_id == Application.id)
    .outerjoin(ApplicationEvent, ApplicationEvent.application_id == Application.id)
    .where(Application.code == sa.bindparam("code"))
    .order_by(ApplicationEvent.seq)
)


def find_status(code: str | None, key: str | None = None, phone: str | None = None) -> StatusFile | None:
    """The file a status look-up asks for, as find_application finds it, read in one statement for its page (or
    None). Every look-up, right or wrong, runs that one statement and the same comparisons."""
    rows = raw_reads.read(STATUS_ROWS, {"code": typed_code(code)})
    first = rows[0] if rows else None
    if not _matches(first, key, phone):
        return None
    return StatusFile(
        id=first.id, code=first.code, status=first.status, due_at=first.due_at, received_at=first.received_at,
        result_at=first.result_at, returned_at=first.returned_at, return_method=first.return_method,
        applicant_kind=first.applicant_kind, applicant_name=first.applicant_name, notify=first.notify,
        result_digitised_at=first.result_digitised_at,
        agency=SimpleNamespace(name=first.desk_name, address=first.desk_address, phone=first.desk_phone),
        processing_agency=SimpleNamespace(name=first.processing_name) if first.processing_name else None,
        procedure=SimpleNamespace(code=first.procedure_code), version=SimpleNamespace(name=first.version_name),
        rating=SimpleNamespace(level=first.rating_level) if first.rating_level else None,
        events=[SimpleNamespace(type=row.event_type, at=row.event_at, recorded_at=row.event_recorded_at,
                                data=row.event_data,
                                happened_at=min(row.event_at, row.event_recorded_at) if row.event_recorded_at
                                else row.event_at)
                for row in rows if row.event_type is not None])


def agency_names() -> dict[int, str]:
    """Every agency's name by id, kept by the process a few seconds (onestop.process_cache): a file's history
    names the agencies it went through."""
    return process_cache.cached("agency_names",
                                lambda: dict(db.session.execute(sa.select(Agency.id, Agency.name)).all()))


def find_application(code: str | None, key: str | None = None, phone: str | None = None) -> Application | None:
    """The application whose code matches with its key (or, without the receipt, the last 4 digits of the phone
    given), else None.

    A wrong code, a wrong key and a wrong phone take the same path: one query by code for the few values compared
    (a plain row, so an unknown code costs what a known one does), then constant-time comparisons against them
    or, for an unknown code, against dummies. Nobody learns from the answer or its timing which codes exist;
    only a match loads the application.
    """
    row = db.session.execute(
        sa.select(Application.id, Application.tracking_key, Application.applicant_phone,
                  Application.representative_phone).filter_by(code=typed_code(code))
    ).first()
    return db.session.get(Application, row.id) if _matches(row, key, phone) else None


# ---------------------------------------------------------------- the status


def _agency_name(agency_id, fallback) -> str:
    name = agency_names().get(agency_id) if agency_id else None
    return name or (fallback.name if fallback is not None else "")


def _apology(application: Application) -> dict | None:
    for event in application.events:
        if event.type == "apologise":
            data = event.data or {}
            new_due = datetime.fromisoformat(data["new_due_at"])
            return {"at": event.happened_at, "new_due_at": new_due, "reason": data.get("reason"),
                    "text": _("hẹn trả lại %(moment)s", moment=moment_text(new_due))}
    return None


def _pause(application: Application, calendar) -> dict | None:
    if application.status != "waiting_supplement":
        return None
    request = next(event for event in reversed(application.events) if event.type == "request_supplement")
    data = request.data or {}
    left = calendar.working_days_between(request.at, application.due_at) if request.at < application.due_at else 0
    return {"since": request.at, "items": data.get("items", []), "reason": data.get("reason"),
            "days_left": left,
            "after": _("Thời hạn giải quyết tính tiếp khi nhận đủ giấy tờ (%(left)s).", left=days_left_text(left))
            if left else _("Thời hạn giải quyết tính tiếp khi nhận đủ giấy tờ.")}


def steps(application: Application) -> list[dict]:
    """The history as a person reads it: one line per step they care about, each with its moment."""
    lines, holder = [], None
    for event in application.events:
        data = event.data or {}
        text = None
        if event.type == "receive":
            text = _("Tiếp nhận hồ sơ tại %(desk)s", desk=application.agency.name)
        elif event.type in ("transfer", "step"):
            unit = _agency_name(data.get("to_agency_id"), application.processing_agency)
            if unit != holder:  # a hand-over between officers of one agency is no news to the applicant
                text = (_("Chuyển đến %(unit)s để giải quyết", unit=unit) if event.type == "transfer"
                        else _("Chuyển tiếp đến %(unit)s", unit=unit))
            holder = unit
        elif event.type == "request_supplement":
            text = _("Cơ quan giải quyết yêu cầu bổ sung giấy tờ; thời hạn tạm dừng")
        elif event.type == "supplement_received":
            text = _("Đã nhận giấy tờ bổ sung; thời hạn tính tiếp")
        elif event.type == "apologise":
            new_due = datetime.fromisoformat(data["new_due_at"])
            text = _("Cơ quan giải quyết xin lỗi vì chậm trễ, hẹn trả lại %(moment)s", moment=moment_text(new_due))
        elif event.type == "result_ready":
            text = _("Có kết quả (%(judgement)s)", judgement=label(data.get("overall"), "timeliness").lower()) \
                if data.get("overall") else _("Có kết quả")
        elif event.type == "return":
            text = _("Đã trả kết quả")
        elif event.type == "refuse":
            text = _("Từ chối giải quyết hồ sơ")
        elif event.type == "stop":
            text = _("Dừng giải quyết theo đề nghị của người nộp")
        if text:
            lines.append({"at": event.happened_at, "text": text})
    return lines


def _where_to_collect(application: Application) -> str:
    method = application.return_method or "at_desk"
    if method == "postal":
        return _("có kết quả, đang gửi qua bưu chính")
    if method == "online":
        return _("có kết quả, được trả trực tuyến")
    return _("có kết quả, mời nhận tại %(place)s", place=application.agency.name)


def _handed_back_by(application: Application) -> str:
    """How the result actually went back (the hand-back's own method), not what was planned at reception."""
    for event in reversed(application.events):
        if event.type == "return":
            return (event.data or {}).get("method") or application.return_method or "at_desk"
    return application.return_method or "at_desk"


def _closing(application: Application) -> list[str]:
    for event in reversed(application.events):
        if event.type == "refuse":
            return list((event.data or {}).get("reasons", []))
        if event.type == "stop":
            return []
    return []


def public_status(application: Application, at: datetime | None = None, calendar=None) -> dict:
    """Everything the status page says, as words and moments (no personal data beyond a masked name)."""
    at, calendar = at or now(), calendar or load_calendar()
    status, due = application.status, application.due_at
    apology, pause = _apology(application), _pause(application, calendar)
    target = apology["new_due_at"] if apology else due
    days_left = days_late = None
    due_text = None
    if status in OPEN:
        if at > due:
            state, days_late = "overdue", calendar.working_days_between(due, at)
            when = days_late_text(days_late)
        else:
            state, days_left = "in_time", calendar.working_days_between(at, target)
            when = days_left_text(days_left)
        due_text = apology["text"] if apology else _("hẹn trả %(moment)s", moment=moment_text(due))
    elif status == "waiting_supplement":
        state, when = "paused", _("tạm dừng, chờ bổ sung")
    elif status == "result_ready":
        state, when = "ready", _where_to_collect(application)
    elif status == "returned":
        state, when = "returned", _("đã trả kết quả")
    elif status == "refused":
        state, when = "refused", _("hồ sơ bị từ chối giải quyết")
    else:
        state, when = "stopped", _("đã dừng giải quyết theo đề nghị của người nộp")
    desk = application.agency
    if isinstance(application, StatusFile):
        rating = application.rating if status == "returned" else None
    else:
        rating = db.session.scalar(sa.select(Rating).filter_by(application_id=application.id)) \
            if status == "returned" else None
    name = application.applicant_name
    return {
        "code": application.code,
        "procedure": {"code": application.procedure.code, "name": application.version.name},
        "applicant": name if application.applicant_kind == "organisation" else masked(name),
        "status": status,
        "state": state,
        "when": when,
        "due_text": due_text,
        "due_at": due,
        "days_left": days_left,
        "days_late": days_late,
        "apology": apology,
        "pause": pause,
        "received_at": application.received_at,
        "result_at": application.result_at,
        "result_timeliness": calendar.timeliness(application.result_at, due) if application.result_at else None,
        "returned_at": application.returned_at,
        "return_method": _handed_back_by(application) if status == "returned" else (application.return_method or
                                                                                     "at_desk"),
        "reasons": _closing(application) if status == "refused" else [],
        "handled_by": (application.processing_agency or desk).name,
        "desk": {"name": desk.name, "address": desk.address, "phone": desk.phone,
                 "hours": hours_text(calendar, at)},
        "steps": steps(application),
        "rating": rating,
    }


# ---------------------------------------------------------------- a complaint, as its sender follows it


def complaint_steps(complaint) -> list[dict]:
    texts = {
        "receive": lambda data: _("Đã tiếp nhận phản ánh"),
        "assign": lambda data: _("Đã giao cán bộ xử lý"),
        "transfer": lambda data: _("Chuyển đến %(unit)s để xử lý", unit=data.get("to_agency", "")),
        "respond": lambda data: _("Đã trả lời"),
        "close": lambda data: _("Đã kết thúc xử lý"),
    }
    return [{"at": event.at, "text": texts[event.type](event.data or {})} for event in complaint.events
            if event.type in texts]


def complaint_status(complaint, at: datetime | None = None, calendar=None) -> dict:
    """What the sender reads: the status, the deadline in working days, the answer once given."""
    at, calendar = at or now(), calendar or load_calendar()
    days_left = days_late = None
    if complaint.status in ("received", "in_handling"):
        if at > complaint.due_at:
            days_late = calendar.working_days_between(complaint.due_at, at)
            when = days_late_text(days_late)
        else:
            days_left = calendar.working_days_between(at, complaint.due_at)
            when = days_left_text(days_left)
    elif complaint.status == "answered":
        when = _("đã trả lời")
    else:
        when = _("đã kết thúc xử lý")
    answered = complaint.answered_at
    return {
        "code": complaint.code,
        "status": complaint.status,
        "when": when,
        "due_at": complaint.due_at,
        "due_text": _("hạn trả lời %(moment)s", moment=moment_text(complaint.due_at)),
        "days_left": days_left,
        "days_late": days_late,
        "received_at": complaint.received_at,
        "agency": complaint.agency.name,
        "application_code": complaint.application.code if complaint.application else None,
        "response": complaint.response,
        "answered_at": answered,
        "answer_timeliness": calendar.timeliness(answered, complaint.due_at) if answered else None,
        "steps": complaint_steps(complaint),
    }
