"""A province-sized demo: `flask --app wsgi demo --scale N` makes N applications over three years.

Every desk of the demo (the province's centre and the communes) receives every procedure it takes, in person,
online (also at night and on days off) and by post; each application lives its life in `reception.bulk` (hand-overs,
pauses, apologies, late, refused, stopped and forgotten files) and the rows go in by month, day by day, in bulk:
COPY on PostgreSQL, executemany on SQLite. The daily code sequence and the register counters are left where the
generated files put them, so the desks carry on from there.
"""
import json
import random
import time as time_module
from contextlib import nullcontext
from datetime import date, datetime, time, timedelta
from itertools import accumulate

import click
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from . import demo, settings
from .auth import services as accounts
from .auth.models import Agency, User
from .bulk_write import Writer
from .calendar.services import load_calendar
from .extensions import db
from .progress import Progress
from .procedures.models import Procedure, ProcedureVersion
from .reception import bulk
from .reception.models import Application, ApplicationEvent, DailySequence, DeskSlip, RegisterSequence
from .settings import Setting
from .timeutil import VN, now as current_moment
from .tracking.models import Rating

YEARS = 3
PLAIN_DEMO_LIMIT = 5000  # more applications than this is not the plain demo
MARKER = "demo_scale"
# Desk shares of the province's files, and short names for the staff the generator adds where a desk or a
# department has none.
DESK_WEIGHTS = {"000.00.01.H38": 38, "000.21.00.H38": 16, "000.23.00.H38": 15, "000.24.00.H38": 10,
                "000.22.00.H38": 8, "000.25.00.H38": 6, "000.26.00.H38": 7}
SLUGS = {"000.00.01.H38": "trungtam", "000.21.00.H38": "yenbai", "000.22.00.H38": "vanphu",
         "000.23.00.H38": "laocai", "000.24.00.H38": "sapa", "000.25.00.H38": "maua", "000.26.00.H38": "mucangchai",
         "000.00.04.H38": "tuphap", "000.00.05.H38": "nnmt", "000.01.05.H38": "vpdkdd", "000.00.06.H38": "xaydung",
         "000.00.07.H38": "taichinh", "000.00.08.H38": "giaoduc", "000.00.09.H38": "yte",
         "000.00.10.H38": "congthuong"}
FIELD_WEIGHTS = {"Chứng thực": 30, "Hộ tịch": 10, "Đăng ký, quản lý cư trú": 8, "Đất đai": 7,
                 "Đăng ký biện pháp bảo đảm": 4, "Lý lịch tư pháp": 5, "Thành lập và hoạt động của doanh nghiệp": 3,
                 "Thành lập và hoạt động của hộ kinh doanh": 3, "Xây dựng": 2.5, "Văn bằng, chứng chỉ": 2}
RATING_LEVELS = (("very_satisfied", 62), ("satisfied", 31), ("not_satisfied", 7))

APP_COLUMNS = ("id", "code", "agency_id", "procedure_id", "procedure_version_id", "processing_agency_id",
               "assignee_id", "applicant_kind", "applicant_name", "applicant_id_number", "applicant_phone",
               "applicant_email", "applicant_address", "channel", "documents", "sets", "return_method",
               "register_entry", "received_at", "reception_moment", "due_at", "apology_due_at", "status",
               "result_at", "returned_at", "closed_at", "tracking_key", "created_by_id", "created_at")
EVENT_COLUMNS = ("id", "application_id", "seq", "type", "at", "recorded_at", "user_id", "from_status",
                 "to_status", "note", "data")
RATING_COLUMNS = ("id", "application_id", "agency_id", "level", "channel", "at")
SLIP_COLUMNS = ("id", "kind", "agency_id", "procedure_version_id", "applicant_name", "applicant_phone", "items",
                "reason", "at", "user_id")
TABLES = {Application.__tablename__: APP_COLUMNS, ApplicationEvent.__tablename__: EVENT_COLUMNS,
          Rating.__tablename__: RATING_COLUMNS, DeskSlip.__tablename__: SLIP_COLUMNS}


class ScaleError(click.ClickException):
    """The database is not one the generator may fill."""


def as_json(value) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False)


# ---------------------------------------------------------------- the world: desks, offices, procedures


def check_database() -> None:
    """Empty, or holding the plain demo (not an office's real data, not an earlier --scale run)."""
    if db.session.get(Setting, MARKER) is not None:
        raise ScaleError("Cơ sở dữ liệu đã được nạp bằng --scale; hãy dùng một cơ sở dữ liệu mới.")
    count = db.session.scalar(sa.select(sa.func.count()).select_from(Application))
    if count > PLAIN_DEMO_LIMIT:
        raise ScaleError(f"Cơ sở dữ liệu đã có {count} hồ sơ: --scale chỉ chạy trên cơ sở dữ liệu trống "
                         "hoặc chỉ có dữ liệu mẫu.")


def ensure_staff(rng: random.Random) -> None:
    """A clerk (also officer) at each commune desk and an officer at each processing agency that has none."""
    agencies = {agency.code: agency for agency in db.session.scalars(sa.select(Agency))}
    users = db.session.scalars(sa.select(User)).all()
    taken = {user.username for user in users}
    roles_at: dict[int, set] = {}
    for user in users:
        roles_at.setdefault(user.agency_id, set()).update(user.roles)
    processing = set(db.session.scalars(sa.select(ProcedureVersion.agency_id).where(
        ProcedureVersion.agency_id.is_not(None))))
    processing |= {child.id for agency in agencies.values() if agency.id in processing for child in agency.children}
    wanted = []
    for code, slug in SLUGS.items():
        agency = agencies.get(code)
        if agency is None:
            continue
        have = roles_at.get(agency.id, set())
        if code in DESK_WEIGHTS and "clerk" not in have:
            wanted.append((f"clerk.{slug}", agency, ["clerk", "officer"] if agency.level == "commune" else ["clerk"]))
        elif agency.id in processing and "officer" not in have:
            wanted.append((f"officer.{slug}", agency, ["officer"]))
    for username, agency, roles in wanted:
        if username not in taken:
            name = f"{rng.choice(bulk.FAMILY)} {rng.choice(bulk.MIDDLE)} {rng.choice(bulk.GIVEN)}"
            accounts.create_user(username, demo.DEMO_PASSWORD, name, agency, roles, allow_demo_password=True,
                                 phone=f"09{rng.randrange(10 ** 8):08d}")
    db.session.commit()


def staff(user: User) -> bulk.Staff:
    return bulk.Staff(user.id, user.full_name, user.phone, user.agency.name)


def build_world() -> list[bulk.Desk]:
    """The desks with their clerks and procedures, each procedure with the office that processes it."""
    users = db.session.scalars(sa.select(User).where(User.active)).all()
    agencies = {agency.id: agency for agency in db.session.scalars(sa.select(Agency))}
    officers: dict[int, list] = {}
    clerks: dict[int, list] = {}
    for user in users:
        if user.has_role("officer"):
            officers.setdefault(user.agency_id, []).append(staff(user))
        if user.has_role("clerk"):
            clerks.setdefault(user.agency_id, []).append(staff(user))
    offices: dict[int, bulk.Office] = {}

    def office(agency_id: int) -> bulk.Office:
        if agency_id not in offices:
            agency = agencies[agency_id]
            found = offices[agency_id] = bulk.Office(agency.id, agency.name, officers.get(agency.id) or clerks.get(
                agency.id) or [])
            children = [child for child in agency.children if officers.get(child.id)]
            if children and agency.level == "province":
                found.unit = office(children[0].id)
        return offices[agency_id]

    procedures = db.session.scalars(sa.select(Procedure).where(Procedure.status == "in_force")).all()
    desks = []
    for agency_id, desk_clerks in sorted(clerks.items()):
        agency = agencies[agency_id]
        desk = bulk.Desk(agency.id, agency.code, agency.name, desk_clerks, office(agency.id))
        if not desk.office.officers:
            desk.office.officers = desk_clerks
        for procedure in procedures:
            version = procedure.current
            if version is None or version.level != agency.level:
                continue
            if version.agency_id is not None and not office(version.agency_id).officers:
                continue
            documents = as_json([{"name": d.name, "kind": d.kind, "copies": d.copies} for d in version.documents])
            kind = bulk.Kind(procedure.id, bulk.Version.of(version), documents,
                             office(version.agency_id) if version.agency_id else None,
                             "doanh nghiệp" in version.field.lower() or "đầu tư" in version.field.lower())
            weight = FIELD_WEIGHTS.get(version.field, 1.5) * (1.5 if version.time_unit == "same_day" else 1)
            desk.kinds.append(kind)
            desk.weights.append(weight)
        if desk.kinds:
            desks.append(desk)
    if not desks:
        raise ScaleError("Không có bộ phận một cửa nào có cán bộ và thủ tục: hãy nạp dữ liệu mẫu trước.")
    return desks


# ---------------------------------------------------------------- when files arrive


def day_weight(calendar, day: date, start: date, span: int) -> float:
    """Working days carry the load, growing over the years and lighter in the Tết month; days off get the
    online submissions only."""
    growth = 0.8 + 0.4 * (day - start).days / max(span, 1)
    season = 0.7 if day.month in (1, 2) else 1.1 if day.month in (8, 9, 10) else 1.0
    return growth * season * (1.0 if calendar.is_working_day(day) else 0.05)


def online_share(day: date, start: date, span: int) -> float:
    return 0.22 + 0.25 * (day - start).days / max(span, 1)


def arrival(rng, calendar, day: date, channel: str, limit: datetime) -> datetime | None:
    """When a file arrives: in working hours at the desk and by post; online at any hour, mostly by day."""
    if channel == "online":
        hour = rng.choice((7, 8, 9, 9, 10, 10, 11, 13, 14, 14, 15, 15, 16, 17, 19, 20, 21, 22, 23, 6))
        moment = datetime.combine(day, time(hour, rng.randrange(60)), VN)
    else:
        moment = bulk.moment_on(rng, calendar, day)
    return moment if moment is not None and moment <= limit else None


# ---------------------------------------------------------------- writing


def save_counters(daily: dict, register: dict) -> None:
    """Leave every day's and every register's counter at the highest number given (never lower)."""
    dialect = db.session.get_bind().dialect.name
    insert = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}[dialect]
    greatest = sa.func.greatest if dialect == "postgresql" else sa.func.max
    for model, rows, keys_ in ((DailySequence, [{"agency_id": a, "day": d, "last_value": v}
                                                for (a, d), v in daily.items()], ["agency_id", "day"]),
                               (RegisterSequence, [{"agency_id": a, "field": f, "year": y, "last_value": v}
                                                   for (a, f, y), v in register.items()],
                                ["agency_id", "field", "year"])):
        if rows:
            statement = insert(model).on_conflict_do_update(
                index_elements=keys_, set_={"last_value": greatest(model.last_value, sa.text("excluded.last_value"))})
            db.session.execute(statement, rows)


# ---------------------------------------------------------------- the run


class Generator:
    def __init__(self, count: int, seed: int, end: datetime):
        self.count, self.seed, self.end = count, seed, end
        self.calendar = load_calendar()
        self.desks = build_world()
        self.desk_weights = list(accumulate(DESK_WEIGHTS.get(desk.code, 4) for desk in self.desks))
        for desk in self.desks:
            desk.weights = list(accumulate(desk.weights))
        self.last_day = end.astimezone(VN).date()
        self.first_day = self.last_day.replace(year=self.last_day.year - YEARS) + timedelta(days=1)
        self.span = (self.last_day - self.first_day).days
        self.daily = {(row.agency_id, row.day): row.last_value for row in db.session.scalars(sa.select(DailySequence))}
        self.register = {(row.agency_id, row.field, row.year): row.last_value
                         for row in db.session.scalars(sa.select(RegisterSequence))}
        self.made = 0

    def days(self) -> list[tuple[date, int]]:
        """Each day of the three years with how many files arrive, summing exactly to the count."""
        days = [self.first_day + timedelta(days=offset) for offset in range(self.span + 1)]
        weights = [day_weight(self.calendar, day, self.first_day, self.span) for day in days]
        total, running, given, counts = sum(weights), 0.0, 0, []
        for day, weight in zip(days, weights):
            running += weight
            target = round(self.count * running / total)
            counts.append((day, target - given))
            given = target
        return counts

    def months(self):
        month: list = []
        for day, count in self.days():
            if month and (day.year, day.month) != (month[0][0].year, month[0][0].month):
                yield month
                month = []
            month.append((day, count))
        if month:
            yield month

    def run(self, progress=None) -> int:
        for index, month in enumerate(self.months()):
            rng = random.Random(self.seed * 1000 + index)
            writer = Writer(TABLES)
            writer.lock()
            ids = {table: writer.next_id(table) for table in TABLES}
            settings.get("same_day_cutoff")  # read now, in this transaction: the copying thread owns the connection
            writer.start()
            daily_before, register_before = dict(self.daily), dict(self.register)
            try:
                for day, count in month:
                    for table, rows in self.day(rng, day, count, ids).items():
                        writer.put(table, rows)
                    if progress is not None:
                        progress.advance(count)
            finally:
                writer.finish()
            writer.sync_sequences()
            save_counters({key: value for key, value in self.daily.items() if daily_before.get(key) != value},
                          {key: value for key, value in self.register.items() if register_before.get(key) != value})
            db.session.commit()
        return self.made

    def day(self, rng, day: date, count: int, ids: dict) -> dict[str, list]:
        calendar, working = self.calendar, self.calendar.is_working_day(day)
        share = online_share(day, self.first_day, self.span)
        arrivals = []
        for _ in range(count):
            desk = rng.choices(self.desks, cum_weights=self.desk_weights)[0]
            kind = rng.choices(desk.kinds, cum_weights=desk.weights)[0]
            online_ok = kind.version.online != "none"
            roll = rng.random()
            if not working:
                channel = "online"
            elif online_ok and roll < share:
                channel = "online"
            elif roll > 0.96:
                channel = "postal"
            else:
                channel = "in_person"
            received = arrival(rng, calendar, day, channel, self.end)
            if received is None:  # today, after the desks' hours so far: it came in online
                start = datetime.combine(day, time(0, 0), VN)
                received = start + (self.end - start) * rng.random()
                channel = "online"
            arrivals.append((received, desk, kind, channel))
        arrivals.sort(key=lambda item: item[0])
        rows = {table: [] for table in TABLES}
        for received, desk, kind, channel in arrivals:
            self.application(rng, rows, ids, received, desk, kind, channel)
        slips = int(count * 0.02 + rng.random())
        for _ in range(slips if working else 0):
            desk = rng.choices(self.desks, cum_weights=self.desk_weights)[0]
            kind = rng.choices(desk.kinds, cum_weights=desk.weights)[0]
            at = bulk.moment_on(rng, calendar, day)
            if at is None or at > self.end:
                continue
            supplement = rng.random() < 0.8
            rows["desk_slip"].append((ids["desk_slip"], "supplement" if supplement else "refusal", desk.id,
                                      kind.version.id, bulk.person(rng)[1], f"09{rng.randrange(10 ** 8):08d}",
                                      as_json(rng.choice(bulk.SUPPLEMENT_ITEMS) if supplement else []),
                                      "Thiếu thành phần hồ sơ theo quy định." if supplement
                                      else bulk.REFUSALS[0], at, rng.choice(desk.clerks).id))
            ids["desk_slip"] += 1
        return rows

    def application(self, rng, rows, ids, received: datetime, desk: bulk.Desk, kind: bulk.Kind, channel: str):
        local_day = received.astimezone(VN).date()
        number = self.daily[(desk.id, local_day)] = self.daily.get((desk.id, local_day), 0) + 1
        register_key = (desk.id, kind.version.field, local_day.year)
        entry = self.register[register_key] = self.register.get(register_key, 0) + 1
        if channel == "postal":
            method = "postal"
        elif channel == "online":
            method = "online" if rng.random() < 0.5 else "at_desk"
        else:
            method = "postal" if rng.random() < 0.08 else "at_desk"
        events, state = bulk.plan(rng, self.calendar, self.end, desk, kind, received, channel, method)
        applicant = bulk.organisation(rng) if kind.organisation else bulk.person(rng)
        application_id = ids["application"]
        ids["application"] += 1
        rows["application"].append((
            application_id, f"{desk.code}-{local_day:%y%m%d}-{number:04d}", desk.id, kind.procedure_id,
            kind.version.id, state["processing_agency_id"], state["assignee_id"], *applicant, channel,
            kind.documents, kind.version.sets, method, entry, received, self.calendar.reception_moment(received),
            state["due_at"], state["apology_due_at"], state["status"], state["result_at"], state["returned_at"],
            state["closed_at"], bulk.tracking_key(), events[0].user_id, received))
        event_rows = rows["application_event"]
        for seq, event in enumerate(events, start=1):
            event_rows.append((ids["application_event"], application_id, seq, event.type, event.at, event.at,
                               event.user_id, event.from_status, event.to_status, event.note, as_json(event.data)))
            ids["application_event"] += 1
        if state["returned_at"] is not None and rng.random() < 0.3:
            at = state["returned_at"] + timedelta(hours=rng.randint(1, 72))
            if at <= self.end:
                level = rng.choices([level for level, _ in RATING_LEVELS], [w for _, w in RATING_LEVELS])[0]
                rows["rating"].append((ids["rating"], application_id, desk.id, level, "status_page", at))
                ids["rating"] += 1
        self.made += 1


def analyse(progress=None) -> None:
    """Fresh statistics (and, on PostgreSQL, a fresh visibility map for index-only scans)."""
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            for table in TABLES:
                connection.execute(sa.text(f"VACUUM (ANALYZE) {table}"))
                if progress is not None:
                    progress.advance(note=table)
    else:
        db.session.execute(sa.text("ANALYZE"))
        db.session.commit()
        if progress is not None:
            progress.advance(len(TABLES))


def rebuild_rollups(progress: bool = False) -> None:
    """The supervisors' rollups (indicators, board), counted again from the rows just written in bulk."""
    from .tracking.supervision import recount

    with shown("Đang đếm lại số liệu tổng hợp", recount.REBUILD_STEPS, progress, unit="bước") as bar:
        recount.rebuild(progress=bar)
        db.session.commit()


def shown(label: str, total: int, progress: bool, unit: str):
    """A Progress on stderr when progress is wanted, else nothing to advance (None)."""
    return Progress(label, total, unit=unit) if progress else nullcontext()


def scale(count: int, seed: int = 2026, end: datetime | None = None, progress: bool = True) -> int:
    """Fill the database with `count` applications over three years up to `end` (now); returns how many."""
    began = time_module.perf_counter()
    check_database()
    if not demo.already_loaded():
        demo.load(applications=0)
        db.session.commit()
    ensure_staff(random.Random(seed))
    generator = Generator(count, seed, end or current_moment())
    with shown("Đang tạo hồ sơ", count, progress, unit="hồ sơ") as bar:
        made = generator.run(bar)
    with shown("Đang phân tích các bảng", len(TABLES), progress, unit="bảng") as bar:
        analyse(bar)
    db.session.add(Setting(key=MARKER, value={"applications": made, "seed": seed, "until": generator.end.isoformat(),
                                              "seconds": round(time_module.perf_counter() - began, 1)}))
    db.session.commit()
    rebuild_rollups(progress)
    return made
