"""The authorisation matrix's world: a province (P) with a commune below it (C), and a commune of another province
(O, another tree), each with one user of every role and real objects of its own.

Users are named `<role>_<tag>` (clerk_p, officer_c, supervisor_o, admin_p …), password "demo", one API token each.
Every agency has a procedure it implements, an application received at its desk (receipt printable), a complaint
with an attachment and an answer, and a slip handed out at its desk. `fresh_*` builders make a new object for a
write that is expected to succeed, so the cells that follow still see the same world.
"""
from datetime import timedelta

from onestop.auth.models import Agency, ApiToken, User
from onestop.extensions import db
from onestop.procedures import imports
from onestop.reception import lifecycle, online, services
from onestop.timeutil import now
from onestop.tracking import complaints

from .factories import applicant, make_procedure

ROLES = ("clerk", "officer", "supervisor", "admin", "appraiser")
AGENCIES = {  # tag: (code, name, level, parent tag)
    "p": ("H38", "UBND tỉnh Yên Bái", "province", None),
    "c": ("H38.01", "UBND phường Yên Bái", "commune", "p"),
    "q": ("H40", "UBND tỉnh Nghệ An", "province", None),
    "o": ("H40.01", "UBND xã Nghi Lộc", "commune", "q"),
}
TAGS = ("p", "c", "o")  # the agencies with people and objects; q only holds o in another tree
PROCEDURE_CODES = {"p": "1.000101", "c": "1.000102", "o": "1.000103"}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
# How far through its life a fresh application is, and the steps (who, event, data) that take it there.
STATES = {
    "received": [],
    "transferred": [("clerk", "transfer", {})],
    "waiting_supplement": [("clerk", "transfer", {}),
                           ("officer", "request_supplement", {"items": ["Bản sao căn cước"], "reason": "Thiếu."})],
    "result_ready": [("clerk", "transfer", {}), ("officer", "result_ready", {})],
    "returned": [("clerk", "transfer", {}), ("officer", "result_ready", {}), ("clerk", "return", {"method": "at_desk"})],
}


class World:
    def __init__(self):
        self.agencies: dict[str, Agency] = {}
        self.users: dict[str, User] = {}
        self.tokens: dict[str, str] = {}
        self.procedures, self.applications, self.complaints, self.complaint_keys, self.slips = {}, {}, {}, {}, {}
        self.submissions, self.asked = {}, {}  # an online submission waiting at each desk, one asked for more
        self.counter = 0
        # Whether the cell about to be walked expects its write to succeed: only then does it need a fresh object;
        # a cell expected to be refused reuses one per agency and state (and checks it is left as it was).
        self.write_expected = True
        self.pool: dict = {}

    def user(self, tag: str, role: str) -> User:
        return self.users[f"{role}_{tag}"]

    def agency_of(self, tag: str) -> Agency:
        return self.agencies[tag]

    def next(self) -> int:
        self.counter += 1
        return self.counter


def build() -> World:
    world = World()
    for tag, (code, name, level, parent) in AGENCIES.items():
        world.agencies[tag] = Agency(code=code, name=name, level=level,
                                     parent=world.agencies[parent] if parent else None)
        db.session.add(world.agencies[tag])
    db.session.flush()
    for tag in TAGS:
        for role in ROLES:
            user = User(username=f"{role}_{tag}", full_name=f"Cán bộ {role} {tag.upper()}",
                        agency=world.agencies[tag], email=f"{role}_{tag}@example.vn", phone="0912000111")
            user.set_password("demo")
            user.roles = [role]
            db.session.add(user)
            row, token = ApiToken.issue(user, label="matrix")
            db.session.add(row)
            world.users[user.username], world.tokens[user.username] = user, token
        peer = User(username=f"peer_admin_{tag}", full_name=f"Quản trị thứ hai {tag.upper()}",
                    agency=world.agencies[tag])
        peer.set_password("demo")
        peer.roles = ["admin"]
        db.session.add(peer)
        world.users[peer.username] = peer
    db.session.commit()
    for tag in TAGS:
        world.procedures[tag] = make_procedure(code=PROCEDURE_CODES[tag], name=f"Thủ tục của {tag.upper()}",
                                               amount=10, agency=world.agencies[tag],
                                               level=AGENCIES[tag][2], fee=50_000)
        world.applications[tag] = fresh_application(world, tag, "received")
        complaint = fresh_complaint(world, tag, answered=True, attachment=True)
        world.complaints[tag], world.complaint_keys[tag] = complaint.code, complaint.tracking_key
        slip = services.record_desk_slip(world.user(tag, "clerk"), "supplement", {
            "procedure_code": PROCEDURE_CODES[tag], "applicant": applicant(),
            "items": ["Bản sao giấy khai sinh"], "reason": "Thiếu giấy tờ."})
        db.session.commit()
        world.slips[tag] = slip.id
        world.submissions[tag] = fresh_submission(world, tag)
        world.asked[tag] = fresh_submission(world, tag, "supplement_requested")
    upload = imports.save_upload("thu-tuc.csv", b"code,name\n", {}, user=world.user("p", "admin"))
    db.session.commit()
    world.upload_token = upload.token
    build_par_index(world)
    return world


def build_par_index(world: World) -> None:
    """The PAR INDEX: the communes' criteria sets of 2024, 2025 and 2026 and their rounds, relative to today: 2026
    in self-assessment, 2025 in appraisal (self-assessment closed), 2024 closed; sets of 2030 with no round (still
    editable). C and O (communes) are units; P (a province) is none. Each of C and O has an evidence file in 2026
    and an action in 2025."""
    from onestop.par_index import actions, rounds, sets, sheets

    from .par_index_samples import criteria_workbook
    from .paper_samples import pdf

    table, day = criteria_workbook(), timedelta(days=1)
    for year in (2024, 2025, 2026, 2030):
        for group in ("communes", "departments"):
            sets.import_set("phu-luc.xlsx", table, year, group, survey_weight=30)
    moment = now()
    calendars = {2026: (-1, 30, 40, 50, 60), 2025: (-40, -1, 30, 40, 50), 2024: (-40, -30, -20, -10, -1)}
    for year, (opens, *deadlines) in calendars.items():
        rounds.create_round(year, dict(zip(rounds.DEADLINES, (moment + n * day for n in deadlines))), None,
                            opens_at=moment + opens * day)
    db.session.commit()
    world.par_evidence, world.par_actions = {}, {}
    for tag in ("c", "o"):
        officer, agency = world.user(tag, "supervisor"), world.agencies[tag]
        evidence = sheets.add_evidence(rounds.get_round(2026), agency, "1.1.1", "kiem-chung.pdf", pdf(), officer)
        action = actions.add_action(rounds.get_round(2025), agency, "1.1.1", "Bổ sung kế hoạch", "Văn phòng",
                                    "2026-12-31", officer)
        db.session.commit()
        world.par_evidence[tag], world.par_actions[tag] = evidence.id, action.id


def application_for(world: World, tag: str, state: str):
    """A fresh application if the cell's write should succeed, else the agency's shared one in that state."""
    if world.write_expected:
        return fresh_application(world, tag, state)
    if (tag, state) not in world.pool:
        world.pool[tag, state] = fresh_application(world, tag, state)
    return world.pool[tag, state]


def complaint_for(world: World, tag: str):
    """A fresh open complaint if the cell's write should succeed, else the agency's shared open one."""
    if world.write_expected:
        return fresh_complaint(world, tag)
    if (tag, "complaint") not in world.pool:
        world.pool[tag, "complaint"] = fresh_complaint(world, tag)
    return world.pool[tag, "complaint"]


def token_for(world: World, username: str) -> int:
    """A fresh token to revoke if the cell's revocation should succeed, else the user's shared one."""
    if world.write_expected:
        return fresh_token(world, username)
    if (username, "token") not in world.pool:
        world.pool[username, "token"] = fresh_token(world, username)
    return world.pool[username, "token"]


def fresh_application(world: World, tag: str, state: str):
    """A new application received at this agency's desk for its own procedure, taken to `state`; committed."""
    application, _created = services.receive_application(world.user(tag, "clerk"), {
        "procedure_code": PROCEDURE_CODES[tag], "applicant": applicant(), "channel": "in_person",
        "documents": [{"name": "Tờ khai", "kind": "original", "copies": 1}], "sets": 1,
        "submission_key": None,
    })
    db.session.commit()
    for role, event_type, data in STATES[state]:
        application = lifecycle.lock_application(application.code)
        lifecycle.record_event(application, world.user(tag, role), event_type, **data)
        db.session.commit()
    return application


def fresh_submission(world: World, tag: str, state: str = "waiting"):
    """An online submission of this agency's procedure with its two papers, waiting (or asked for more); committed."""
    from .paper_samples import pdf

    uploads = {position: online.accept_upload(position, [("giay-to.pdf", pdf())]) for position in (0, 1)}
    submission = online.submit({"procedure_code": PROCEDURE_CODES[tag], "applicant": applicant()}, uploads)
    if state == "supplement_requested":
        online.request_supplement(submission, world.user(tag, "clerk"), ["Tờ khai có chữ ký"], "Thiếu chữ ký.")
    db.session.commit()
    return submission


def submission_for(world: World, tag: str):
    """A fresh waiting submission if the cell's decision should succeed, else the agency's shared one."""
    if world.write_expected:
        return fresh_submission(world, tag)
    return world.submissions[tag]


def fresh_complaint(world: World, tag: str, answered=False, attachment=False):
    """A complaint logged at this agency's desk (with a PDF attached if asked), answered if asked; committed."""
    complaint = complaints.submit({"sender_name": "Trần Văn Bình", "sender_contact": "0987654321",
                                   "content": f"Phản ánh số {world.next()} về thời gian giải quyết.",
                                   "channel": "in_person"},
                                  ("thu.pdf", PDF) if attachment else None, user=world.user(tag, "clerk"))
    db.session.commit()
    if answered:
        complaints.record(complaints.lock(complaint.code), world.user(tag, "clerk"), "respond",
                          response="Cơ quan đã xem xét và trả lời.")
        db.session.commit()
    return complaint


def fresh_token(world: World, username: str) -> int:
    row, _token = ApiToken.issue(world.users[username], label=f"revoke-me-{world.next()}")
    db.session.add(row)
    db.session.commit()
    return row.id


def payment_for(world: World, tag: str, refused: bool = False):
    """(payment id, its receipt's series and number): fresh if the cell's write should succeed, else shared. A paid
    application, refused afterwards when asked (only a refused or stopped file's fee is refunded)."""
    key = (tag, "refunded payment" if refused else "payment")
    if not world.write_expected and key in world.pool:
        return world.pool[key]
    from onestop.fees import services as fees

    application = fresh_application(world, tag, "received")
    application = lifecycle.lock_application(application.code)
    payment = fees.record_payment(application, world.user(tag, "clerk"), "cash", 50_000)
    found = (payment.id, payment.receipt.series.symbol, payment.receipt.number)
    db.session.commit()
    if refused:
        application = lifecycle.lock_application(application.code)
        lifecycle.record_event(application, world.user(tag, "clerk"), "refuse", reasons=["Không thuộc thẩm quyền."])
        db.session.commit()
    if not world.write_expected:
        world.pool[key] = found
    return found


def later(application, days=5):
    return application.due_at + timedelta(days=days)
