"""Demo applications: a few hundred over the last months, replayed through the real services."""
import random
from datetime import datetime, timedelta

import sqlalchemy as sa

from ..calendar.services import load_calendar
from ..extensions import db
from ..procedures.models import Procedure
from ..timeutil import VN, frozen_at, now
from . import lifecycle, services

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý"]
MIDDLE = ["Văn", "Thị", "Đức", "Minh", "Ngọc", "Thu", "Quang", "Thanh", "Hữu", "Thùy", "Xuân"]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hùng", "Hương", "Khánh", "Lan",
         "Linh", "Long", "Mai", "Nam", "Nga", "Phúc", "Phương", "Quân", "Thảo", "Trang", "Tuấn", "Yến", "Ánh"]
STREETS = ["đường Nguyễn Thái Học", "đường Trần Hưng Đạo", "đường Điện Biên", "đường Yên Ninh",
           "đường Đinh Tiên Hoàng", "đường Hoàng Liên", "thôn Khe Dứa", "thôn Đồng Bằng", "tổ 5"]
WARDS = ["phường Yên Bái", "phường Văn Phú", "phường Nam Cường", "phường Lào Cai", "phường Cam Đường",
         "phường Sa Pa", "xã Mậu A", "xã Mù Cang Chải"]
COMPANIES = ["Công ty TNHH Chè Suối Giàng", "Công ty CP Xây dựng Cam Đường", "HTX Quế Văn Yên",
             "Công ty TNHH Thương mại Kim Thành", "Công ty CP Du lịch Sa Pa"]


def person(rng: random.Random) -> dict:
    name = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
    return {
        "kind": "person",
        "name": name,
        "id_number": "015" + "".join(rng.choice("0123456789") for _ in range(9)),
        "phone": "09" + "".join(rng.choice("0123456789") for _ in range(8)),
        "email": None,
        "address": f"Số {rng.randint(1, 250)}, {rng.choice(STREETS)}, {rng.choice(WARDS)}, tỉnh Lào Cai",
    }


def organisation(rng: random.Random) -> dict:
    return {
        "kind": "organisation",
        "name": rng.choice(COMPANIES),
        "id_number": "52" + "".join(rng.choice("0123456789") for _ in range(8)),
        "phone": "0216" + "".join(rng.choice("0123456789") for _ in range(7)),
        "email": "vanphong@example.vn",
        "address": f"Số {rng.randint(1, 99)}, {rng.choice(STREETS)}, {rng.choice(WARDS)}, tỉnh Lào Cai",
    }


def working_moment(rng, calendar, day) -> datetime:
    windows = calendar.windows(day)
    start, end = rng.choice(windows)
    seconds = int((end - start).total_seconds())
    return start + timedelta(seconds=rng.randint(0, max(seconds - 600, 1)))


def later(rng, calendar, after: datetime, working_days: int) -> datetime:
    """A working moment about `working_days` after `after` (perhaps still to come: record() stops there)."""
    day = calendar.add_working_days(after.astimezone(VN).date(), max(working_days, 0)) if working_days else after.astimezone(VN).date()
    moment = working_moment(rng, calendar, day) if calendar.is_working_day(day) else after
    return max(moment, after + timedelta(minutes=5))


def load_applications(agencies, users, count: int = 300, seed: int = 2026) -> list:
    rng = random.Random(seed)
    calendar = load_calendar()
    procedures = db.session.scalars(sa.select(Procedure).where(Procedure.status == "in_force")).all()
    if not procedures:
        return []
    clerks = [user for user in users.values() if user.has_role("clerk")]
    # a commune's desk takes the commune's procedures, the province's centre the departments' ones
    by_level = {level: [p for p in procedures if p.current.level == level] for level in ("province", "commune")}
    today = now().astimezone(VN).date()
    days = [today - timedelta(days=offset) for offset in range(1, 150)]
    days = [day for day in days if calendar.is_working_day(day)]
    made = []
    for index in range(count):
        day = days[min(int(rng.expovariate(1 / 35)), len(days) - 1)]
        received = working_moment(rng, calendar, day)
        clerk = rng.choice(clerks)
        procedure = rng.choice(by_level.get(clerk.agency.level) or procedures)
        version = procedure.current
        documents = [{"name": d.name, "kind": d.kind, "copies": d.copies} for d in version.documents] or [
            {"name": "Đơn đề nghị", "kind": "original", "copies": 1}]
        channel = rng.choices(["in_person", "online", "postal"], weights=[70, 25, 5])[0]
        data = {
            "procedure_code": procedure.code,
            "applicant": organisation(rng) if "doanh nghiệp" in version.field.lower() else person(rng),
            "channel": channel,
            "documents": documents,
            "sets": version.sets,
        }
        with frozen_at(received):
            application, _ = services.receive_application(clerk, data)
        made.append(application)
        play_lifecycle(rng, calendar, application, users, clerk)
        if index % 50 == 49:
            db.session.flush()
    return made


def officer_for(application, users):
    for user in users.values():
        if user.has_role("officer") and user.agency_id == application.processing_agency_id:
            return user
    return users["supervisor"]


class NotYet(Exception):
    """The next event of a replayed file falls after now: the file stays where it is."""


def record(application, user, event_type, at, **data):
    if at > now():
        raise NotYet
    with frozen_at(at):
        lifecycle.record_event(application, user, event_type, at=at, **data)


def play_lifecycle(rng, calendar, application, users, clerk):
    """Move the application along as a real office would, with some late, paused, refused files."""
    try:
        replay(rng, calendar, application, users, clerk)
    except NotYet:
        pass


def replay(rng, calendar, application, users, clerk):
    supervisor = users["supervisor"]
    at = application.received_at
    fate = rng.random()
    if at > now() - timedelta(days=1) and fate < 0.6:
        return  # today's and yesterday's files wait at the desk
    if fate < 0.03:
        record(application, clerk, "refuse", later(rng, calendar, at, 0),
               reasons=["Hồ sơ không thuộc thẩm quyền giải quyết của cơ quan."])
        return
    at = later(rng, calendar, at, 0)
    record(application, clerk, "transfer", at)
    officer = officer_for(application, users)
    at = later(rng, calendar, application.events[-1].at, rng.randint(0, 2))
    if at >= now() - timedelta(minutes=10):
        return
    record(application, officer, "step", at, to_agency=application.processing_agency.code,
           note="Thẩm định hồ sơ", working_days=max(application.version.time_amount // 2, 1)
           if application.version.time_unit == "working_days" else None)
    if fate < 0.05:
        record(application, clerk, "stop", later(rng, calendar, at, 1), request="Người nộp đề nghị rút hồ sơ.")
        return
    if fate < 0.15:
        at = later(rng, calendar, at, 1)
        record(application, officer, "request_supplement", at,
               items=["Bản sao có chứng thực giấy tờ chứng minh nơi cư trú"],
               reason="Thiếu giấy tờ theo quy định.")
        if fate < 0.09:
            return  # still waiting for the applicant
        at = later(rng, calendar, at, rng.randint(1, 4))
        record(application, clerk, "supplement_received", at)
    if 0.15 <= fate < 0.22:
        return  # still on an officer's desk: some of these are overdue, as in real life
    due = application.due_at
    late = fate > 0.9
    if late and calendar.working_days_between(at, due) >= 1:
        apology_at = later(rng, calendar, at, 0)
        if calendar.working_days_between(apology_at, due) >= 1:
            record(application, supervisor, "apologise", apology_at,
                   reason="Cần xác minh thêm thông tin với cơ quan liên quan.",
                   new_due_at=calendar.close_of_day(calendar.add_working_days(due.astimezone(VN).date(), 3)))
    spent = application.version.time_amount if application.version.time_unit == "working_days" else 1
    finish_in = spent + rng.randint(1, 3) if late else rng.randint(0, max(spent - 1, 0))
    done_at = later(rng, calendar, application.received_at, finish_in)
    done_at = max(done_at, application.events[-1].at + timedelta(minutes=30))
    if done_at >= now():
        return  # still in processing
    record(application, officer, "result_ready", done_at)
    if rng.random() < 0.85:
        back = later(rng, calendar, done_at, rng.randint(0, 2))
        if back < now():
            record(application, clerk, "return", back, method=application.return_method)
