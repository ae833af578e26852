"""The life of one application (hồ sơ) planned in memory, for the bulk generator (`flask demo --scale`).

Each application gets the events the desk and the officers would have recorded, with the payloads
`lifecycle`'s handlers write (hand-over units, stage deadlines and their results, the pause, the apology's new
appointment …); what is stored on the application comes from `lifecycle.derived_state`, the function
`applications verify` recomputes, so the two agree by construction. No database here: the caller writes rows.
"""
import os
import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from ..calendar import rules
from ..calendar.working_time import WorkingCalendar
from ..timeutil import VN
from . import deadlines, keys
from .lifecycle import derived_state

MINUTE = timedelta(minutes=1)

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Giàng",
          "Sùng", "Lò", "Hà", "Vàng", "Lù", "Đinh"]
MIDDLE = ["Văn", "Thị", "Đức", "Minh", "Ngọc", "Thu", "Quang", "Thanh", "Hữu", "Thùy", "Xuân", "A", "Seo", "Mạnh"]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hùng", "Hương", "Khánh", "Lan", "Linh", "Long",
         "Mai", "Nam", "Nga", "Phúc", "Phương", "Quân", "Thảo", "Trang", "Tuấn", "Yến", "Ánh", "Chư", "Pó", "Sính"]
STREETS = ["đường Nguyễn Thái Học", "đường Trần Hưng Đạo", "đường Điện Biên", "đường Yên Ninh", "đường Hoàng Liên",
           "đường Đinh Tiên Hoàng", "thôn Khe Dứa", "thôn Đồng Bằng", "tổ 5", "tổ 12", "bản Cát Cát", "thôn Làng Giàng"]
COMPANY_KINDS = ["Công ty TNHH", "Công ty CP", "HTX", "Doanh nghiệp tư nhân"]
COMPANY_NAMES = ["Chè Suối Giàng", "Xây dựng Cam Đường", "Quế Văn Yên", "Thương mại Kim Thành", "Du lịch Sa Pa",
                 "Nông sản Bát Xát", "Vận tải Hoàng Liên", "Khoáng sản Tằng Loỏng", "Dược liệu Mường Hum"]

STEP_NOTES = ["Thẩm định hồ sơ", "Xác minh thực địa", "Lấy ý kiến cơ quan liên quan"]
SUPPLEMENT_ITEMS = [["Bản sao có chứng thực giấy tờ chứng minh nơi cư trú"], ["Bản vẽ sơ đồ thửa đất có xác nhận"],
                    ["Giấy ủy quyền có chứng thực", "Bản sao căn cước của người được ủy quyền"],
                    ["Văn bản ý kiến của cơ quan chuyên môn"]]
APOLOGY_REASONS = ["Cần xác minh thêm thông tin với cơ quan liên quan.", "Hồ sơ phải lấy ý kiến của nhiều cơ quan.",
                   "Hệ thống cơ sở dữ liệu chuyên ngành gián đoạn."]
REFUSALS = ["Hồ sơ không thuộc thẩm quyền giải quyết của cơ quan.", "Đối tượng không đủ điều kiện theo quy định.",
            "Quá thời hạn bổ sung hồ sơ mà người nộp không bổ sung."]
STOPS = ["Người nộp đề nghị rút hồ sơ.", "Người nộp đề nghị dừng giải quyết để bổ sung sau."]


@dataclass
class Staff:
    id: int
    full_name: str
    phone: str | None
    agency_name: str


@dataclass
class Office:
    """An agency that processes files: its officers, and a unit below it that may take a step."""

    id: int
    name: str
    officers: list[Staff]
    unit: "Office | None" = None


@dataclass
class Desk:
    """A receiving agency (bộ phận một cửa): its clerks and the procedures it takes, by popularity."""

    id: int
    code: str
    name: str
    clerks: list[Staff]
    office: Office  # the desk's own agency, processing what has no fixed agency (commune procedures)
    kinds: list = field(default_factory=list)
    weights: list = field(default_factory=list)


@dataclass(frozen=True)
class Version:
    """What the generator and derived_state read of a procedure version (plain: survives every commit)."""

    id: int
    agency_id: int | None
    time_amount: int
    time_unit: str
    same_day_cutoff: object
    field: str
    sets: int
    online: str

    @classmethod
    def of(cls, version) -> "Version":
        return cls(version.id, version.agency_id, version.time_amount, version.time_unit, version.same_day_cutoff,
                   version.field, version.sets, version.online)


@dataclass
class Kind:
    """A procedure's current version, as the generator needs it."""

    procedure_id: int
    version: Version
    documents: str  # the documents received, as JSON text
    office: Office | None  # the version's processing agency, or None for the desk's own
    organisation: bool


class Event:
    __slots__ = ("type", "at", "user_id", "from_status", "to_status", "note", "data")

    def __init__(self, type, at, user_id, from_status, to_status, note, data):
        self.type, self.at, self.user_id = type, at, user_id
        self.from_status, self.to_status, self.note, self.data = from_status, to_status, note, data


class Planned:
    """What derived_state reads of an application."""

    __slots__ = ("version", "received_at", "agency_id")

    def __init__(self, version, received_at, agency_id):
        self.version, self.received_at, self.agency_id = version, received_at, agency_id


class NotYet(Exception):
    """The next event falls after now: the file stays where it is."""


def moment_on(rng: random.Random, calendar: WorkingCalendar, day: date, after=None, before=None):
    """A moment inside the day's working windows, not before `after` nor after `before` (None if none is left)."""
    spans, total = [], 0
    for start, end in calendar.windows(day):
        if after is not None and after > start:
            start = after
        if before is not None and before < end:
            end = before
        if end > start:
            length = int((end - start).total_seconds())
            spans.append((start, length))
            total += length
    if not total:
        return None
    offset = rng.randrange(total)
    for start, length in spans:
        if offset < length:
            return (start + timedelta(seconds=offset)).replace(second=0, microsecond=0) + MINUTE
        offset -= length
    return None


def moment_after(rng, calendar, moment: datetime, working_days: int = 0, before=None) -> datetime:
    """A working moment on the `working_days`-th working day after the moment's day (later that day for 0), before
    `before` if that day leaves room, else any time that day, else the next working day."""
    day = moment.astimezone(VN).date()
    if working_days:
        day = calendar.add_working_days(day, working_days)
    found = moment_on(rng, calendar, day, after=moment, before=before)
    if found is None and before is not None:
        found = moment_on(rng, calendar, day, after=moment)
    while found is None:
        day = calendar.next_working_day(day)
        found = moment_on(rng, calendar, day, after=moment)
    return found


def moment_between(rng, calendar, start: datetime, end: datetime) -> datetime:
    """A working moment between two moments, on a day drawn evenly among the working days between them."""
    days, day, last = [], start.astimezone(VN).date(), end.astimezone(VN).date()
    while day <= last:
        if calendar.is_working_day(day):
            days.append(day)
        day += timedelta(days=1)
    for _ in range(3 if days else 0):
        found = moment_on(rng, calendar, rng.choice(days), after=start, before=end)
        if found is not None:
            return found
    return moment_after(rng, calendar, start)


def tracking_key() -> str:
    """A look-up key like keys.new_key(), from one call for random bytes (a million keys in seconds)."""
    signs, size = keys.ALPHABET, len(keys.ALPHABET)
    while True:
        found = [signs[byte % size] for byte in os.urandom(2 * keys.LENGTH) if byte < 256 - 256 % size]
        if len(found) >= keys.LENGTH:
            return "".join(found[:keys.LENGTH])


def person(rng: random.Random) -> tuple:
    """(kind, name, id number, phone, e-mail, address) of a citizen."""
    name = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
    return ("person", name, f"0{rng.choice('12')}{rng.randrange(10)}{rng.randrange(10 ** 9):09d}",
            f"09{rng.randrange(10 ** 8):08d}", None,
            f"Số {rng.randint(1, 250)}, {rng.choice(STREETS)}, tỉnh Lào Cai")


def organisation(rng: random.Random) -> tuple:
    name = f"{rng.choice(COMPANY_KINDS)} {rng.choice(COMPANY_NAMES)}"
    return ("organisation", name, f"52{rng.randrange(10 ** 8):08d}", f"0214{rng.randrange(10 ** 7):07d}",
            "vanphong@example.vn", f"Số {rng.randint(1, 99)}, {rng.choice(STREETS)}, tỉnh Lào Cai")


def unit_name(office: Office, officer: Staff | None) -> str:
    return f"{officer.full_name} ({officer.agency_name})" if officer else office.name


class Life:
    """One application's events, recorded in order as the services would, stopping at `now`."""

    def __init__(self, rng, calendar, now, desk: Desk, kind: Kind, received_at: datetime, clerk: Staff):
        self.rng, self.calendar, self.now = rng, calendar, now
        self.desk, self.kind, self.clerk = desk, kind, clerk
        self.version = kind.version
        self.office = kind.office or desk.office
        self.received_at = received_at
        self.reception_moment = calendar.reception_moment(received_at)
        self.due = deadlines.procedure_due(self.version, received_at, calendar)
        self.stage = (desk.name, rules.handover_deadline(calendar, self.reception_moment))
        self.status = "received"
        self.events: list[Event] = []
        self.pause_start = None

    def add(self, event_type, at, user: Staff, to_status=None, note=None, data=None):
        if at > self.now:
            raise NotYet
        assert not self.events or at >= self.events[-1].at, "events go forward"
        self.events.append(Event(event_type, at, user.id, self.status, to_status or self.status, note, data or None))
        self.status = to_status or self.status
        if event_type == "request_supplement":
            self.pause_start = at
        elif event_type == "supplement_received":
            self.due = rules.due_after_pauses(self.calendar, self.due, [(self.pause_start, at)],
                                              self.version.time_unit)

    @property
    def last(self) -> datetime:
        return self.events[-1].at

    def handover(self, at, office: Office, officer: Staff | None, deadline: datetime) -> dict:
        """lifecycle._handover: the unit that had the file, the one that takes it, the stage's deadline and result."""
        from_unit, stage_deadline = self.stage
        to_unit = unit_name(office, officer)
        self.stage = (to_unit, deadline)
        return {"from_unit": from_unit, "to_unit": to_unit, "to_agency_id": office.id,
                "to_user_id": officer.id if officer else None, "stage_deadline": stage_deadline.isoformat(),
                "result": self.calendar.timeliness(at, stage_deadline), "deadline": deadline.isoformat()}

    def officer(self, office: Office | None = None) -> Staff:
        return self.rng.choice((office or self.office).officers)

    def play(self, channel: str, return_method: str) -> None:
        """Received, handed on, processed (perhaps paused, apologised for, late), returned; or refused, stopped,
        forgotten on a desk."""
        rng, calendar = self.rng, self.calendar
        self.add("receive", self.received_at, self.clerk, "received",
                 data={"channel": channel, "desk": self.clerk.agency_name})
        fate = rng.random()
        if fate < 0.008:
            self.add("refuse", self.received_at + timedelta(minutes=rng.randint(5, 40)), self.clerk, "refused",
                     data={"reasons": [REFUSALS[0]]})
            return
        self.transfer()
        officer = self.officer()
        self.step(officer, rng.randint(0, 1))
        if fate < 0.02:
            self.add("stop", moment_after(rng, calendar, self.last, rng.randint(0, 3)), self.clerk, "stopped",
                     data={"request": rng.choice(STOPS)})
            return
        if fate < 0.035:
            self.add("refuse", moment_after(rng, calendar, self.last, rng.randint(0, 2)), officer, "refused",
                     data={"reasons": [REFUSALS[1]]})
            return
        if fate < 0.135 and not self.supplement(officer):
            return
        if fate > 0.978:
            return  # forgotten on an officer's desk: overdue, as some are in real life
        late = fate > 0.9
        if late:
            self.apologise()
        if rng.random() < 0.3 and self.version.time_unit not in ("same_day", "working_hours"):
            lead = self.officer()
            at = moment_between(rng, calendar, self.last, self.due)
            self.add("step", at, officer, "processing", note="Trình lãnh đạo ký duyệt",
                     data=self.handover(at, self.office, lead, self.due))
            officer = lead
        if late:
            done = moment_after(rng, calendar, max(self.due, self.last), rng.randint(1, 5))
        else:
            done = moment_between(rng, calendar, self.last, self.due)
        result = self.handover(done, self.desk.office, None, self.due)
        result["overall"] = calendar.timeliness(done, self.due)
        self.add("result_ready", done, officer, "result_ready", data=result)
        if rng.random() < 0.97:
            self.add("return", moment_after(rng, calendar, done, rng.choice((0, 0, 1, 1, 2, 3, 5))), self.clerk,
                     "returned", data={"method": return_method})

    def transfer(self) -> None:
        """Handed on by the desk's deadline (the reception day, or the next one after the cut-off), a few late."""
        rng, calendar = self.rng, self.calendar
        deadline = self.stage[1]
        if rng.random() < 0.03:
            at = moment_after(rng, calendar, max(deadline, self.received_at), 1)
        else:
            at = moment_after(rng, calendar, max(self.reception_moment, self.received_at), 0, before=deadline)
        data = self.handover(at, self.office, None, self.due)
        data["counts_from"] = rules.processing_starts(calendar, at).isoformat()
        self.add("transfer", at, self.clerk, "transferred", data=data)

    def step(self, officer: Staff, days: int) -> None:
        """An officer takes the file into processing: to a unit below the agency now and then, to a named officer
        half the time, with a stage deadline of half the processing time for day-counted procedures."""
        rng, calendar = self.rng, self.calendar
        at = moment_after(rng, calendar, self.last, days, before=None if days else self.due)
        target, assignee = self.office, None
        if self.office.unit is not None and rng.random() < 0.4:
            target = self.office.unit
        if rng.random() < 0.5:
            assignee = self.officer(target)
        deadline = self.due
        if self.version.time_unit == "working_days" and self.version.time_amount >= 2:
            deadline = calendar.due_at(at, self.version.time_amount // 2, "working_days")
        self.add("step", at, officer, "processing", note=rng.choice(STEP_NOTES),
                 data=self.handover(at, target, assignee, deadline))
        self.office = target

    def supplement(self, officer: Staff) -> bool:
        """Ask once for what is missing; False if the file stays waiting (or is refused for it)."""
        rng, calendar = self.rng, self.calendar
        at = moment_after(rng, calendar, self.last, rng.randint(0, 2))
        self.add("request_supplement", at, officer, "waiting_supplement",
                 data={"items": rng.choice(SUPPLEMENT_ITEMS), "reason": "Thiếu giấy tờ theo quy định.",
                       "officer": officer.full_name, "officer_phone": officer.phone})
        if rng.random() < 0.04:  # the applicant never came back
            if rng.random() < 0.5:
                self.add("refuse", moment_after(rng, calendar, at, rng.randint(20, 40)), officer, "refused",
                         data={"reasons": [REFUSALS[2]]})
            return False
        back = moment_after(rng, calendar, at, rng.choice((1, 1, 2, 2, 3, 5, 8)))
        self.add("supplement_received", back, self.clerk, "processing")
        return True

    def apologise(self) -> None:
        """The apology slip, at least one working day before the due time, with one new appointment."""
        rng, calendar = self.rng, self.calendar
        if rng.random() < 0.4 or calendar.working_days_between(self.last, self.due) < 1:
            return
        at = moment_after(rng, calendar, self.last, 0, before=calendar.close_of_day(self.last.astimezone(VN).date()))
        if calendar.working_days_between(at, self.due) < 1:
            return
        new_due = calendar.close_of_day(calendar.add_working_days(self.due.astimezone(VN).date(), rng.randint(2, 6)))
        signer = self.office.officers[0]
        self.add("apologise", at, signer,
                 data={"reason": rng.choice(APOLOGY_REASONS), "original_due_at": self.due.isoformat(),
                       "new_due_at": new_due.isoformat(), "signer": signer.full_name})


def plan(rng: random.Random, calendar: WorkingCalendar, now: datetime, desk: Desk, kind: Kind,
         received_at: datetime, channel: str, return_method: str) -> tuple[list[Event], dict]:
    """The events of one application received at `received_at`, and the state they give it."""
    life = Life(rng, calendar, now, desk, kind, received_at, rng.choice(desk.clerks))
    try:
        life.play(channel, return_method)
    except NotYet:
        pass
    return life.events, derived_state(Planned(kind.version, received_at, desk.id), life.events, calendar)
