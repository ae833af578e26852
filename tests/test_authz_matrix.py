"""The authorisation matrix (issue 11): every route × method × actor × whose object, and what each cell answers.

Actors: a user of every role (clerk, officer, supervisor, admin, appraiser) at a province (P), at a commune below it (C) and
at a commune of another province (O), and an anonymous visitor. Objects belong to P, C or O, so each actor meets
objects of its own agency, of an agency below, of the agency above and of another tree.

What a cell expects, in this order:
- anonymous: a public route answers as for anyone; a staff page sends to the sign-in page; the API answers 401;
- a role the route does not admit: 403;
- an object the actor may not see (another agency, or above): 404, hidden as if it did not exist;
- an object it sees but may not act on (a clerk's step taken by an officer, an admin on a file): 403, never 409;
- otherwise the route's own answer (200, 201, 204, a redirect, or 400 where a probe stops at validation).
Figures (reports, dashboard, indicators) of an agency the actor may not see answer 403, not 404: agencies are
public (the catalogue lists them), so the refusal hides nothing; an unknown agency code is the 404.

Who sees what (onestop.auth.models.User.visible_agency_ids): everyone sees their own agency; a supervisor or an
admin of a province also sees the agencies below it. An admin administers (accounts, agencies) its own agency and
those below, at any level (onestop.auth.scope). Writes expected to succeed act on fresh objects, so every cell
meets the same world; a refused write must leave its object as it was.
"""
from dataclasses import dataclass
from io import BytesIO
from typing import Callable

import pytest

from onestop.auth.models import ApiToken
from onestop.extensions import db
from onestop.outbox.models import OutboxMessage
from onestop.reception.models import Application
from onestop.reception.online_models import Submission
from onestop.timeutil import VN, local, now
from onestop.tracking.models import Complaint, Rating

from . import authz_par_index, authz_par_index_pages
from . import authz_world as w
from . import paper_samples as samples
from .conftest import drop_everything, make_app

PUBLIC, STAFF = "public", "staff"
LOGIN = "login"  # a redirect to the sign-in page
ACTORS = [None] + [(tag, role) for tag in w.TAGS for role in w.ROLES]
PARENT = {tag: parent for tag, (_code, _name, _level, parent) in w.AGENCIES.items()}

# Lifecycle events and who records them (DOMAIN.md): the desk hands files on and back, the processing side works
# on them, either side takes back a supplement, refuses or stops.
DESK_EVENTS = {"transfer", "return"}
PROCESSING_EVENTS = {"step", "request_supplement", "apologise", "result_ready"}
EITHER_SIDE_EVENTS = {"supplement_received", "refuse", "stop"}
EVENT_STATE = {"transfer": "received", "step": "transferred", "request_supplement": "transferred",
               "supplement_received": "waiting_supplement", "apologise": "transferred",
               "result_ready": "transferred", "return": "result_ready", "refuse": "transferred", "stop": "received"}


def sees(actor, owner) -> bool:
    """An agency's data is seen by its own people, and by the supervisors and admins of the province above."""
    tag, role = actor
    return owner == tag or (PARENT[owner] == tag and role in ("supervisor", "admin")
                            and w.AGENCIES[tag][2] == "province")


def sees_all_below(actor, owner) -> bool:
    """Figures of an agency count those below it: the actor must see them all (a province's clerk does not)."""
    return sees(actor, owner) and all(sees(actor, tag) for tag in w.TAGS if PARENT[tag] == owner)


def administers(actor, owner) -> bool:
    """An admin administers its own agency and every agency below it."""
    tag, role = actor
    return role == "admin" and (owner == tag or PARENT[owner] == tag)


def province_admin(actor, owner) -> bool:
    """The working calendar and the catalogue are the whole province's: only the province's own admin changes them."""
    return PARENT[actor[0]] is None


def records(event_type):
    def permits(actor, owner) -> bool:
        role = actor[1]
        desk, processing = role == "clerk", role in ("officer", "supervisor")
        return ((event_type in DESK_EVENTS and desk) or (event_type in PROCESSING_EVENTS and processing)
                or (event_type in EITHER_SIDE_EVENTS and (desk or processing)))
    return permits


@dataclass
class Call:
    path: str
    data: dict | None = None
    json: dict | None = None
    check_refused: Callable | None = None  # after a refusal: the object is as it was


@dataclass
class Row:
    rule: str
    method: str
    access: object  # PUBLIC, STAFF or a tuple of roles
    call: Callable  # (world, owner, actor) -> Call
    ok: object = 200  # an int, or a function of the actor
    owned: bool = False  # the cell has an owner (whose object)
    sees: Callable | None = None  # hidden (404) unless it holds
    hidden: int = 404
    permits: Callable | None = None  # forbidden (403) unless it holds
    variant: str = ""
    api: bool = False
    fresh_session: bool = False  # the call ends the session it is made with

    @property
    def name(self) -> str:
        return f"{self.method} {self.rule}" + (f" [{self.variant}]" if self.variant else "")


def expected(row: Row, actor, owner):
    if actor is None:
        if row.access == PUBLIC:
            return row.ok(actor) if callable(row.ok) else row.ok
        return 401 if row.api else LOGIN
    if row.access not in (PUBLIC, STAFF) and actor[1] not in row.access:
        return 403
    if row.sees is not None and not row.sees(actor, owner):
        return row.hidden
    if row.permits is not None and not row.permits(actor, owner):
        return 403
    return row.ok(actor) if callable(row.ok) else row.ok


# ---------------------------------------------------------------- the calls


def app_code(world, owner, actor=None):
    return world.applications[owner].code


def paper_file_id(world, owner) -> int:
    """A digitised paper of the agency's shared application (made once): its file's id."""
    if ("paper file", owner) not in world.pool:
        from onestop import files
        from onestop.reception import papers

        application = db.session.scalar(db.select(Application).filter_by(code=app_code(world, owner)))
        linked = papers.digitise(application, 0, [files.check_upload("to-khai.pdf", samples.pdf())],
                                 user=world.user(owner, "clerk"))
        world.pool["paper file", owner] = linked.paper.files[0].id
        db.session.commit()
    return world.pool["paper file", owner]


def paper_upload_call(api):
    def call(world, owner, actor):
        code = w.application_for(world, owner, "received").code
        data = {"file": (BytesIO(samples.pdf()), "to-khai.pdf")}
        if api:
            return Call(f"/api/v1/applications/{code}/papers", data={"component": "0", **data})
        return Call(f"/applications/{code}/papers/0", data=data)
    return call


def tracking_path(world, owner):
    application = db.session.scalar(db.select(Application).filter_by(code=app_code(world, owner)))
    return "/tra-cuu/" + application.code + "?k=" + application.tracking_key


def unchanged(application_code):
    before = db.session.scalar(db.select(Application).filter_by(code=application_code))
    status, events = before.status, len(before.events)

    def check():
        db.session.expire_all()
        after = db.session.scalar(db.select(Application).filter_by(code=application_code))
        assert (after.status, len(after.events)) == (status, events), "a refused event changed the application"
    return check


def event_call(event_type, api):
    def call(world, owner, actor):
        application = w.application_for(world, owner, EVENT_STATE[event_type])
        code, agency = application.code, world.agencies[owner].code
        new_due = local(w.later(application)).replace(tzinfo=None)
        form = {"transfer": {}, "step": {"to_agency": agency, "working_days": "2"},
                "request_supplement": {"items": "Bản sao căn cước", "reason": "Thiếu giấy tờ."},
                "supplement_received": {}, "result_ready": {},
                "apologise": {"reason": "Cần xác minh thêm.", "new_due_at": new_due.strftime("%Y-%m-%dT%H:%M")},
                "return": {"method": "at_desk"}, "refuse": {"reasons": "Không thuộc thẩm quyền.", "confirm": "1"},
                "stop": {"request": "Người nộp xin rút hồ sơ.", "confirm": "1"}}[event_type]
        if api:
            body = {"type": event_type, **{k: v for k, v in form.items() if k != "confirm"}}
            for key in ("items", "reasons"):
                if key in body:
                    body[key] = [body[key]]
            if "new_due_at" in body:
                body["new_due_at"] = new_due.replace(tzinfo=VN).isoformat()
            return Call(f"/api/v1/applications/{code}/events", json=body, check_refused=unchanged(code))
        return Call(f"/applications/{code}/events/{event_type}", data=form, check_refused=unchanged(code))
    return call


def submission_path(world, owner, key=True):
    submission = world.submissions[owner]
    return f"/nop-ho-so/{submission.number}" + (f"?k={submission.key}" if key else "")


def decision_call(action, api):
    def call(world, owner, actor):
        submission = w.submission_for(world, owner)
        number = submission.number
        form = {"accept": {}, "request": {"items": "Tờ khai có chữ ký", "reason": "Thiếu chữ ký."},
                "refuse": {"reasons": "Không thuộc thẩm quyền.", "confirm": "1"}}[action]

        def check():
            db.session.expire_all()
            assert db.session.scalar(db.select(Submission.state).filter_by(number=number)) == "waiting"
        if api:
            body = {"accept": None, "request": {"items": ["Tờ khai có chữ ký"], "reason": "Thiếu chữ ký."},
                    "refuse": {"reasons": ["Không thuộc thẩm quyền."]}}[action]
            return Call(f"/api/v1/submissions/{number}/{action}", json=body, check_refused=check)
        return Call(f"/desk/online/{number}/{action}", data=form, check_refused=check)
    return call


def complaint_action_call(action):
    def call(world, owner, actor):
        code = w.complaint_for(world, owner).code
        data = {"response": "Đã xem xét, trả lời người gửi."} if action == "respond" else {"note": "Trùng lặp."}

        def check():
            db.session.expire_all()
            assert db.session.scalar(db.select(Complaint.status).filter_by(code=code)) == "received"
        return Call(f"/complaints/{code}/{action}", data=data, check_refused=check)
    return call


def rating_call(world, owner, actor):
    application = w.application_for(world, owner, "returned")

    def check():
        db.session.expire_all()
        assert db.session.scalar(db.select(Rating).filter_by(application_id=application.id)) is None
    return Call(f"/ratings/desk/{application.code}", data={"level": "very_satisfied"}, check_refused=check)


def public_rating_call(world, owner, actor):
    application = w.fresh_application(world, owner, "returned")
    return Call(f"/tra-cuu/{application.code}/danh-gia", data={"k": application.tracking_key, "level": "satisfied"})


def held_message_call(world, owner, actor):
    """An outbox message held after its last attempt, of the owner's application, sent again by an administrator."""
    application = w.application_for(world, owner, "received")
    message = OutboxMessage(key=f"portal:{application.code}:held:{world.next()}", channel="portal",
                            stream=f"portal:{application.id}", application_id=application.id, event_type="receive",
                            payload={"call": "dossier", "action": "new", "body": {}}, state="held", attempts=6,
                            last_error="HTTPError: HTTP Error 503")
    db.session.add(message)
    db.session.commit()
    message_id = message.id

    def check():
        db.session.expire_all()
        assert db.session.get(OutboxMessage, message_id).state == "held"
    return Call(f"/admin/outbox/{message_id}/resend", check_refused=check)


def stop_messages_call(world, owner, actor):
    application = w.application_for(world, owner, "received")
    return Call(f"/tra-cuu/{application.code}/ngung-nhan-tin", data={"k": application.tracking_key})


def agency_form(world, owner, actor):
    agency = world.agencies[owner]
    return Call(f"/admin/agencies/{agency.code}", data={
        "code": agency.code, "name": agency.name, "level": agency.level,
        "parent_code": agency.parent.code if agency.parent else "", "address": "", "phone": ""})


def user_form(world, owner, actor, username="officer_{owner}"):
    user = world.users[username.format(owner=owner)]
    return Call(f"/admin/users/{user.username}", data={
        "username": user.username, "full_name": user.full_name, "agency_code": user.agency.code,
        "roles": sorted(user.roles), "active": "y", "email": user.email or "", "phone": user.phone or ""})


def revoke_call(world, owner, actor):
    token_id = w.token_for(world, f"clerk_{owner}")

    def check():
        db.session.expire_all()
        assert db.session.get(ApiToken, token_id).revoked_at is None
    return Call(f"/api/v1/tokens/{token_id}", check_refused=check)


def revokes(actor, owner) -> bool:
    """A token is revoked by its owner (here clerk_<owner>) or an admin who administers that owner."""
    return actor == (owner, "clerk") or administers(actor, owner)


def period():
    today = local(now()).date()
    return f"from={today.replace(month=1, day=1)}&to={today}"


def signed_in_redirects(actor):
    return 200 if actor is None else 302


def payments_of(application_code):
    """After a refusal: the application's payments are as they were."""
    from onestop.fees.models import Payment

    def count():
        db.session.expire_all()
        application = db.session.scalar(db.select(Application).filter_by(code=application_code))
        return db.session.scalar(db.select(db.func.count()).select_from(Payment).filter_by(
            application_id=application.id))
    before = count()

    def check():
        assert count() == before, "a refused write changed the application's payments"
    return check


def fee_call(kind, api):
    """Fee writes on an application: complete a line (an exemption) or take a payment."""
    def call(world, owner, actor):
        code = w.application_for(world, owner, "received").code
        if kind == "line":
            body = {"reduction": 1000, "reason": "Giảm theo Thông tư 85/2019/TT-BTC"}
            if api:
                return Call(f"/api/v1/applications/{code}/fees/1", json=body, check_refused=payments_of(code))
            return Call(f"/applications/{code}/fees/1", data={"action": "reduce", **body},
                        check_refused=payments_of(code))
        body = {"method": "cash", "amount": 50_000}
        if api:
            return Call(f"/api/v1/applications/{code}/payments", json=body, check_refused=payments_of(code))
        return Call(f"/applications/{code}/payments", data=body, check_refused=payments_of(code))
    return call


def payment_call(action, api):
    def call(world, owner, actor):
        payment_id, _series, _number = w.payment_for(world, owner, refused=action == "refund")
        body = ({"reason": "Ghi nhầm số tiền"} if action == "cancel"
                else {"amount": 50_000, "reason": "Hồ sơ bị từ chối", "decided_by": "Trần Thị Lãnh"})

        def check():
            from onestop.fees.models import Payment

            db.session.expire_all()
            payment = db.session.get(Payment, payment_id)
            assert not payment.cancelled and payment.refunded == 0, "a refused write changed the payment"
        prefix = "/api/v1" if api else ""
        return Call(f"{prefix}/payments/{payment_id}/{action}", json=body if api else None,
                    data=None if api else body, check_refused=check)
    return call


def receipt_call(world, owner, actor):
    _payment_id, series, number = w.payment_for(world, owner)
    return Call(f"/api/v1/receipts/{series}/{number}.pdf")


def close_call(api):
    def call(world, owner, actor):
        from datetime import date, timedelta

        day = date(2020, 1, 1) + timedelta(days=world.next())  # a day of its own: a day closes once
        agency = world.agencies[owner].code
        if api:
            return Call("/api/v1/daybook/close", json={"agency": agency, "day": day.isoformat()})
        return Call(f"/daybook/close?agency={agency}&day={day.isoformat()}")
    return call


def desk_of(actor, owner) -> bool:
    return actor[1] == "clerk"


def keeps_books(actor, owner) -> bool:
    return actor[1] in ("clerk", "supervisor")


SUPERVISION = ("supervisor", "admin")
COMPLAINT_STAFF = ("clerk", "officer", "supervisor")
PAPER_WRITERS = ("clerk", "officer")
TODAY = local(now()).date()


def rows() -> list[Row]:
    found = [
        # the public site
        Row("/", "GET", PUBLIC, lambda W, o, a: Call("/"), ok=302),
        Row("/login", "GET", PUBLIC, lambda W, o, a: Call("/login"), ok=signed_in_redirects),
        Row("/login", "POST", PUBLIC, lambda W, o, a: Call("/login", data={"username": "clerk_p", "password": "demo"}),
            ok=302),
        Row("/logout", "POST", STAFF, lambda W, o, a: Call("/logout"), ok=302, fresh_session=True),
        Row("/password", "GET", STAFF, lambda W, o, a: Call("/password")),
        Row("/password", "POST", STAFF, lambda W, o, a: Call("/password", data={
            "old_password": "wrong", "new_password": "mot-mat-khau-moi", "confirm": "mot-mat-khau-moi"}), ok=400),
        Row("/lang/<code>", "GET", PUBLIC, lambda W, o, a: Call("/lang/en"), ok=302),
        Row("/static/<path:filename>", "GET", PUBLIC, lambda W, o, a: Call("/static/app.css")),
        Row("/fonts/<name>", "GET", PUBLIC, lambda W, o, a: Call("/fonts/LiberationSerif-Regular.ttf")),
        Row("/thu-tuc", "GET", PUBLIC, lambda W, o, a: Call("/thu-tuc")),
        Row("/thu-tuc/<code>", "GET", PUBLIC, lambda W, o, a: Call(f"/thu-tuc/{w.PROCEDURE_CODES[o]}"), owned=True),
        Row("/thu-tuc/niem-yet/<agency_code>", "GET", PUBLIC,
            lambda W, o, a: Call(f"/thu-tuc/niem-yet/{W.agencies[o].code}"), owned=True),
        Row("/ket-qua-giai-quyet", "GET", PUBLIC, lambda W, o, a: Call("/ket-qua-giai-quyet")),
        Row("/tra-cuu", "GET", PUBLIC, lambda W, o, a: Call("/tra-cuu")),
        Row("/tra-cuu/<code>", "GET", PUBLIC, lambda W, o, a: Call(tracking_path(W, o)), owned=True),
        Row("/tra-cuu/<code>/danh-gia", "POST", PUBLIC, public_rating_call, ok=302, owned=True),
        Row("/tra-cuu/<code>/ngung-nhan-tin", "POST", PUBLIC, stop_messages_call, ok=302, owned=True),
        # the portal's signed link: the signature is the permission (tests/test_outbox.py fetches a good one)
        Row("/lien-ket/tep/<token>", "GET", PUBLIC, lambda W, o, a: Call("/lien-ket/tep/MQ.forged.signature"),
            ok=404),
        Row("/phan-anh", "GET", PUBLIC, lambda W, o, a: Call("/phan-anh")),
        Row("/phan-anh", "POST", PUBLIC, lambda W, o, a: Call("/phan-anh", data={
            "about": "agency", "agency_code": W.agencies[o].code, "sender_name": "Lê Văn Cường",
            "sender_contact": "0987000111", "content": "Phản ánh về thái độ phục vụ."}), ok=302, owned=True),
        Row("/phan-anh/tra-cuu", "GET", PUBLIC, lambda W, o, a: Call("/phan-anh/tra-cuu")),
        Row("/phan-anh/<code>", "GET", PUBLIC,
            lambda W, o, a: Call(f"/phan-anh/{W.complaints[o]}?k={W.complaint_keys[o]}"), owned=True),
        # the catalogue, for staff
        Row("/staff/procedures", "GET", STAFF, lambda W, o, a: Call("/staff/procedures")),
        Row("/staff/procedures/<code>", "GET", STAFF,
            lambda W, o, a: Call(f"/staff/procedures/{w.PROCEDURE_CODES[o]}"), owned=True),
        Row("/staff/procedures/export.<fmt>", "GET", STAFF, lambda W, o, a: Call("/staff/procedures/export.csv")),
        Row("/staff/procedures/new", "GET", ("admin",), lambda W, o, a: Call("/staff/procedures/new"),
            permits=province_admin),
        Row("/staff/procedures/new", "POST", ("admin",), lambda W, o, a: Call("/staff/procedures/new", data={}),
            ok=400, permits=province_admin),
        Row("/staff/procedures/<code>/edit", "GET", ("admin",),
            lambda W, o, a: Call(f"/staff/procedures/{w.PROCEDURE_CODES[o]}/edit"), owned=True, permits=province_admin),
        Row("/staff/procedures/<code>/edit", "POST", ("admin",),
            lambda W, o, a: Call(f"/staff/procedures/{w.PROCEDURE_CODES[o]}/edit", data={}), ok=400, owned=True,
            permits=province_admin),
        Row("/staff/procedures/<code>/status", "POST", ("admin",),
            lambda W, o, a: Call(f"/staff/procedures/{w.PROCEDURE_CODES[o]}/status", data={"status": ""}), ok=400,
            owned=True, permits=province_admin),
        Row("/staff/procedures/<code>/versions/<int:number>/publish", "POST", ("admin",),
            lambda W, o, a: Call(f"/staff/procedures/{w.PROCEDURE_CODES[o]}/versions/9/publish"), ok=404,
            owned=True, permits=province_admin),
        Row("/staff/procedures/import", "GET", ("admin",), lambda W, o, a: Call("/staff/procedures/import"),
            permits=province_admin),
        Row("/staff/procedures/import", "POST", ("admin",), lambda W, o, a: Call("/staff/procedures/import", data={}),
            ok=400, permits=province_admin),
        Row("/staff/procedures/import/<token>", "GET", ("admin",),
            lambda W, o, a: Call(f"/staff/procedures/import/{W.upload_token}"), permits=province_admin),
        Row("/staff/procedures/import/<token>", "POST", ("admin",),
            lambda W, o, a: Call(f"/staff/procedures/import/{W.upload_token}", data={}), permits=province_admin),
        # the desk
        Row("/desk", "GET", ("clerk",), lambda W, o, a: Call("/desk")),
        Row("/desk", "POST", ("clerk",), lambda W, o, a: Call("/desk", data={}), ok=400),
        Row("/desk/preview", "GET", STAFF,
            lambda W, o, a: Call(f"/desk/preview?procedure={w.PROCEDURE_CODES[o]}"), owned=True),
        Row("/desk/register", "GET", ("clerk", "supervisor"), lambda W, o, a: Call("/desk/register")),
        Row("/desk/slips", "GET", ("clerk",), lambda W, o, a: Call("/desk/slips")),
        Row("/desk/slips", "POST", ("clerk",), lambda W, o, a: Call("/desk/slips", data={"kind": "supplement"}),
            ok=400),
        Row("/desk/slips/<int:slip_id>.pdf", "GET", ("clerk",), lambda W, o, a: Call(f"/desk/slips/{W.slips[o]}.pdf"),
            owned=True, sees=sees),
        Row("/inbox", "GET", ("officer", "clerk", "supervisor"), lambda W, o, a: Call("/inbox")),
        # online submissions: the citizen's pages (the number and key are the key to them), the desk's queue
        Row("/nop-ho-so", "GET", PUBLIC, lambda W, o, a: Call("/nop-ho-so")),
        Row("/nop-ho-so", "POST", PUBLIC, lambda W, o, a: Call("/nop-ho-so", data={}), ok=400),
        Row("/nop-ho-so/<number>", "GET", PUBLIC, lambda W, o, a: Call(submission_path(W, o)), owned=True),
        Row("/nop-ho-so/<number>/bo-sung", "POST", PUBLIC, lambda W, o, a: Call(
            f"/nop-ho-so/{W.asked[o].number}/bo-sung", data={"k": W.asked[o].key}), ok=400, owned=True),
        Row("/nop-ho-so/<number>/<form>.pdf", "GET", PUBLIC, lambda W, o, a: Call(
            f"/nop-ho-so/{W.asked[o].number}/supplement.pdf?k={W.asked[o].key}"), owned=True),
        Row("/desk/online", "GET", ("clerk",), lambda W, o, a: Call("/desk/online")),
        Row("/desk/online/<number>", "GET", ("clerk",), lambda W, o, a: Call(f"/desk/online/{W.submissions[o].number}"),
            owned=True, sees=sees),
        Row("/desk/online/<number>/papers/<int:paper_id>", "GET", ("clerk",), lambda W, o, a: Call(
            f"/desk/online/{W.submissions[o].number}/papers/{W.submissions[o].papers[0].id}"), owned=True, sees=sees),
        Row("/overview", "GET", SUPERVISION, lambda W, o, a: Call("/overview"), ok=301),
        Row("/applications/<code>", "GET", STAFF, lambda W, o, a: Call(f"/applications/{app_code(W, o)}"),
            owned=True, sees=sees),
        Row("/applications/<code>/forms/<form>.pdf", "GET", STAFF,
            lambda W, o, a: Call(f"/applications/{app_code(W, o)}/forms/receipt.pdf"), owned=True, sees=sees),
        # the electronic file: papers are attached by the desk and the processing side of the file's agency, read
        # by any staff who see the file, and by the applicant through the tracking key
        Row("/applications/<code>/papers/<int:position>", "POST", PAPER_WRITERS, paper_upload_call(False), ok=302,
            owned=True, sees=sees),
        Row("/applications/<code>/papers/<int:position>/reuse", "POST", PAPER_WRITERS,
            lambda W, o, a: Call(f"/applications/{app_code(W, o)}/papers/1/reuse", data={"stored_paper": "999999"}),
            ok=303, owned=True, sees=sees),
        Row("/applications/<code>/result", "POST", PAPER_WRITERS,
            lambda W, o, a: Call(f"/applications/{w.application_for(W, o, 'result_ready').code}/result", data={
                "result_number": "12/GP", "result_signed_on": "2026-10-06", "result_signer": "Nguyễn Văn Ký"}),
            ok=302, owned=True, sees=sees),
        Row("/applications/<code>/files/<int:file_id>", "GET", ("clerk", "officer", "supervisor", "admin"),
            lambda W, o, a: Call(f"/applications/{app_code(W, o)}/files/{paper_file_id(W, o)}"), owned=True,
            sees=sees),
        Row("/tra-cuu/<code>/giay-to/<int:file_id>", "GET", PUBLIC,
            lambda W, o, a: Call(tracking_path(W, o).replace("?k=", f"/giay-to/{paper_file_id(W, o)}?k=")),
            owned=True),
        Row("/ratings/desk", "GET", ("clerk",), lambda W, o, a: Call("/ratings/desk")),
        Row("/ratings/desk", "POST", ("clerk",), lambda W, o, a: Call("/ratings/desk", data={"code": "X"}), ok=302),
        Row("/ratings/desk/<code>", "GET", ("clerk",), lambda W, o, a: Call(f"/ratings/desk/{app_code(W, o)}"),
            owned=True, sees=sees),
        Row("/ratings/desk/<code>", "POST", ("clerk",), rating_call, ok=302, owned=True, sees=sees),
        # supervision
        Row("/board", "GET", SUPERVISION, lambda W, o, a: Call("/board")),
        Row("/board/backdated", "GET", SUPERVISION, lambda W, o, a: Call(f"/board/backdated?{period()}")),
        Row("/board/backdated.csv", "GET", SUPERVISION, lambda W, o, a: Call(f"/board/backdated.csv?{period()}")),
        Row("/board/digest", "POST", ("supervisor", "admin", "officer"),
            lambda W, o, a: Call("/board/digest", data={"wanted": "0"}), ok=302),
        Row("/reports", "GET", SUPERVISION, lambda W, o, a: Call(f"/reports?agency={W.agencies[o].code}"),
            owned=True, sees=sees_all_below, hidden=403),
        Row("/reports/overdue", "GET", SUPERVISION,
            lambda W, o, a: Call(f"/reports/overdue?agency={W.agencies[o].code}"), owned=True, sees=sees_all_below,
            hidden=403),
        Row("/dashboard", "GET", SUPERVISION, lambda W, o, a: Call(f"/dashboard?agency={W.agencies[o].code}"),
            owned=True, sees=sees_all_below, hidden=403),
        Row("/reports/period", "GET", SUPERVISION,
            lambda W, o, a: Call(f"/reports/period?agency={W.agencies[o].code}&period=q1&year=2026"), ok=302,
            owned=True, sees=sees_all_below, hidden=403),
        Row("/ratings", "GET", SUPERVISION, lambda W, o, a: Call(f"/ratings?agency={W.agencies[o].code}"),
            owned=True, sees=sees_all_below, hidden=403),
        # complaints, for staff
        Row("/complaints", "GET", COMPLAINT_STAFF, lambda W, o, a: Call("/complaints")),
        Row("/complaints/new", "GET", ("clerk",), lambda W, o, a: Call("/complaints/new")),
        Row("/complaints/new", "POST", ("clerk",), lambda W, o, a: Call("/complaints/new", data={
            "about": "agency", "channel": "in_person", "sender_name": "Lê Văn Cường",
            "sender_contact": "0987000111", "content": "Phản ánh tại quầy."}), ok=302),
        Row("/complaints/<code>", "GET", COMPLAINT_STAFF, lambda W, o, a: Call(f"/complaints/{W.complaints[o]}"),
            owned=True, sees=sees),
        Row("/complaints/<code>/attachment", "GET", COMPLAINT_STAFF,
            lambda W, o, a: Call(f"/complaints/{W.complaints[o]}/attachment"), owned=True, sees=sees),
        Row("/complaints/<code>/reply.pdf", "GET", COMPLAINT_STAFF,
            lambda W, o, a: Call(f"/complaints/{W.complaints[o]}/reply.pdf"), owned=True, sees=sees),
        Row("/complaints/<code>/<action>", "POST", COMPLAINT_STAFF, complaint_action_call("respond"), ok=302,
            owned=True, sees=sees, variant="respond"),
        Row("/complaints/<code>/<action>", "POST", COMPLAINT_STAFF, complaint_action_call("close"), ok=302,
            owned=True, sees=sees, permits=lambda a, o: a[1] in ("clerk", "supervisor"), variant="close"),
        # administration
        Row("/admin/agencies", "GET", ("admin",), lambda W, o, a: Call("/admin/agencies")),
        Row("/admin/agencies/new", "GET", ("admin",), lambda W, o, a: Call("/admin/agencies/new")),
        Row("/admin/agencies/new", "POST", ("admin",), lambda W, o, a: Call("/admin/agencies/new", data={}), ok=400),
        Row("/admin/agencies/<code>", "GET", ("admin",), lambda W, o, a: Call(f"/admin/agencies/{W.agencies[o].code}"),
            owned=True, sees=administers),
        Row("/admin/agencies/<code>", "POST", ("admin",), agency_form, ok=302, owned=True, sees=administers),
        Row("/admin/users", "GET", ("admin",), lambda W, o, a: Call("/admin/users")),
        Row("/admin/users/new", "GET", ("admin",), lambda W, o, a: Call("/admin/users/new")),
        Row("/admin/users/new", "POST", ("admin",), lambda W, o, a: Call("/admin/users/new", data={}), ok=400),
        Row("/admin/users/<username>", "GET", ("admin",),
            lambda W, o, a: Call(f"/admin/users/officer_{o}"), owned=True, sees=administers),
        Row("/admin/users/<username>", "POST", ("admin",), user_form, ok=302, owned=True, sees=administers),
        # a second admin of the agency is a peer: the agency above edits it, the peer may not (403)
        Row("/admin/users/<username>", "POST", ("admin",), lambda W, o, a: user_form(W, o, a, "peer_admin_{owner}"),
            ok=302, owned=True, sees=administers, permits=lambda a, o: o != a[0], variant="a peer admin"),
        Row("/admin/audit", "GET", ("admin", "supervisor"), lambda W, o, a: Call("/admin/audit")),
        Row("/admin/outbox", "GET", ("admin",), lambda W, o, a: Call("/admin/outbox")),
        Row("/admin/outbox/<int:message_id>/resend", "POST", ("admin",), held_message_call, ok=303, owned=True,
            sees=sees),
        Row("/admin/calendar/", "GET", ("admin",), lambda W, o, a: Call("/admin/calendar/"), permits=province_admin),
        Row("/admin/calendar/", "POST", ("admin",), lambda W, o, a: Call("/admin/calendar/", data={"o-day": ""}),
            ok=400, permits=province_admin),
        Row("/admin/calendar/overrides/<day>/delete", "POST", ("admin",),
            lambda W, o, a: Call("/admin/calendar/overrides/2020-01-02/delete"), ok=400, permits=province_admin),
        # the API
        Row("/api/v1/openapi.json", "GET", PUBLIC, lambda W, o, a: Call("/api/v1/openapi.json"), api=True),
        Row("/api/v1/procedures", "GET", PUBLIC, lambda W, o, a: Call("/api/v1/procedures"), api=True),
        Row("/api/v1/procedures/<code>", "GET", PUBLIC,
            lambda W, o, a: Call(f"/api/v1/procedures/{w.PROCEDURE_CODES[o]}"), api=True, owned=True),
        Row("/api/v1/due-date", "GET", PUBLIC,
            lambda W, o, a: Call(f"/api/v1/due-date?procedure={w.PROCEDURE_CODES[o]}"
                                 "&received_at=2026-09-15T10:30:00%2B07:00"), api=True, owned=True),
        Row("/api/v1/track/<code>", "GET", PUBLIC,
            lambda W, o, a: Call("/api/v1/track/" + tracking_path(W, o).removeprefix("/tra-cuu/")), api=True,
            owned=True),
        Row("/api/v1/tokens", "POST", PUBLIC,
            lambda W, o, a: Call("/api/v1/tokens", json={"username": "clerk_p", "password": "demo"}), ok=201,
            api=True),
        Row("/api/v1/tokens", "GET", STAFF, lambda W, o, a: Call("/api/v1/tokens"), api=True),
        Row("/api/v1/tokens/<int(max=2147483647):token_id>", "DELETE", STAFF, revoke_call, ok=204, api=True,
            owned=True, sees=revokes),
        Row("/api/v1/applications", "POST", ("clerk",), lambda W, o, a: Call("/api/v1/applications", json={}),
            ok=400, api=True),
        Row("/api/v1/applications", "GET", STAFF, lambda W, o, a: Call("/api/v1/applications"), api=True),
        Row("/api/v1/applications/<code>", "GET", STAFF,
            lambda W, o, a: Call(f"/api/v1/applications/{app_code(W, o)}"), api=True, owned=True, sees=sees),
        Row("/api/v1/applications/<code>/messages", "GET", STAFF,
            lambda W, o, a: Call(f"/api/v1/applications/{app_code(W, o)}/messages"), api=True, owned=True, sees=sees),
        Row("/api/v1/applications/<code>/forms/<form>.pdf", "GET", STAFF,
            lambda W, o, a: Call(f"/api/v1/applications/{app_code(W, o)}/forms/receipt.pdf"), api=True,
            owned=True, sees=sees),
        Row("/api/v1/applications/<code>/papers", "GET", STAFF,
            lambda W, o, a: Call(f"/api/v1/applications/{app_code(W, o)}/papers"), api=True, owned=True, sees=sees),
        Row("/api/v1/applications/<code>/papers", "POST", PAPER_WRITERS, paper_upload_call(True), ok=201, api=True,
            owned=True, sees=sees),
        Row("/api/v1/register.<fmt>", "GET", STAFF, lambda W, o, a: Call(f"/api/v1/register.xlsx?{period()}"),
            api=True),
        Row("/api/v1/submissions", "POST", PUBLIC, lambda W, o, a: Call("/api/v1/submissions", json={}), ok=400,
            api=True),
        Row("/api/v1/submissions", "GET", ("clerk", "supervisor"), lambda W, o, a: Call("/api/v1/submissions"),
            api=True),
        Row("/api/v1/submissions/<number>", "GET", PUBLIC, lambda W, o, a: Call(
            "/api/v1/submissions/" + submission_path(W, o).removeprefix("/nop-ho-so/")), api=True, owned=True,
            variant="the citizen, by key"),
        Row("/api/v1/submissions/<number>", "GET", ("clerk",), lambda W, o, a: Call(
            "/api/v1/submissions/" + submission_path(W, o, key=False).removeprefix("/nop-ho-so/")), api=True,
            owned=True, sees=sees, variant="the desk"),
        Row("/api/v1/events/backdated", "GET", SUPERVISION,
            lambda W, o, a: Call(f"/api/v1/events/backdated?{period()}"), api=True),
        Row("/api/v1/indicators", "GET", ("clerk", "officer", "supervisor", "admin"),
            lambda W, o, a: Call(f"/api/v1/indicators?{period()}&agency={W.agencies[o].code}"), api=True,
            owned=True, sees=sees_all_below, hidden=403),
        # Decision 766 (issue 19): the index, where its points went, and the rules (loaded by a province's admin)
        Row("/api/v1/index-766", "GET", ("clerk", "officer", "supervisor", "admin"),
            lambda W, o, a: Call(f"/api/v1/index-766?{period()}&units=1&agency={W.agencies[o].code}"), api=True,
            owned=True, sees=sees_all_below, hidden=403),
        Row("/api/v1/index-766/losses", "GET", ("clerk", "officer", "supervisor", "admin"),
            lambda W, o, a: Call(f"/api/v1/index-766/losses?{period()}&indicator=on_time&agency={W.agencies[o].code}"),
            api=True, owned=True, sees=sees_all_below, hidden=403),
        Row("/index-766", "GET", SUPERVISION, lambda W, o, a: Call(f"/index-766?{period()}&agency={W.agencies[o].code}"),
            owned=True, sees=sees_all_below, hidden=403),
        Row("/index-766/losses", "GET", SUPERVISION,
            lambda W, o, a: Call(f"/index-766/losses?{period()}&indicator=on_time&agency={W.agencies[o].code}"),
            owned=True, sees=sees_all_below, hidden=403),
        Row("/admin/index-766", "GET", ("admin",), lambda W, o, a: Call("/admin/index-766")),
        Row("/admin/index-766", "POST", ("admin",), lambda W, o, a: Call("/admin/index-766", data={}), ok=400,
            permits=lambda actor, owner: w.AGENCIES[actor[0]][2] == "province"),
        Row("/api/v1/reports/overdue.<fmt>", "GET", SUPERVISION,
            lambda W, o, a: Call(f"/api/v1/reports/overdue.xlsx?agency={W.agencies[o].code}"), api=True,
            owned=True, sees=sees_all_below, hidden=403),
        Row("/api/v1/reports/cchc.<fmt>", "GET", SUPERVISION,
            lambda W, o, a: Call(f"/api/v1/reports/cchc.xlsx?{period()}&agency={W.agencies[o].code}"), api=True,
            owned=True, sees=sees_all_below, hidden=403),
        # fees (issue 17)
        Row("/applications/<code>/fees/<int(max=999):position>", "POST", STAFF, fee_call("line", False), ok=302,
            owned=True, sees=sees, permits=desk_of),
        Row("/applications/<code>/payments", "POST", STAFF, fee_call("payment", False), ok=302, owned=True, sees=sees,
            permits=desk_of),
        Row("/payments/<int(max=2147483647):payment_id>/cancel", "POST", STAFF, payment_call("cancel", False), ok=302,
            owned=True, sees=sees, permits=keeps_books),
        Row("/payments/<int(max=2147483647):payment_id>/refund", "POST", STAFF, payment_call("refund", False), ok=302,
            owned=True, sees=sees, permits=keeps_books),
        Row("/daybook", "GET", ("clerk", "supervisor"), lambda W, o, a: Call(f"/daybook?agency={W.agencies[o].code}"),
            owned=True, sees=sees, hidden=403),
        Row("/daybook/close", "POST", ("supervisor",), close_call(False), ok=302, owned=True, sees=sees, hidden=403),
        Row("/api/v1/applications/<code>/fees", "GET", STAFF,
            lambda W, o, a: Call(f"/api/v1/applications/{app_code(W, o)}/fees"), api=True, owned=True, sees=sees),
        Row("/api/v1/applications/<code>/fees/<int(max=999):position>", "POST", ("clerk",), fee_call("line", True),
            api=True, owned=True, sees=sees),
        Row("/api/v1/applications/<code>/payments", "POST", ("clerk",), fee_call("payment", True), ok=201, api=True,
            owned=True, sees=sees),
        Row("/api/v1/payments/<int(max=2147483647):payment_id>/cancel", "POST", ("clerk", "supervisor"),
            payment_call("cancel", True), ok=201, api=True, owned=True, sees=sees),
        Row("/api/v1/payments/<int(max=2147483647):payment_id>/refund", "POST", ("clerk", "supervisor"),
            payment_call("refund", True), ok=201, api=True, owned=True, sees=sees),
        Row("/api/v1/receipts/<series>/<int(max=9999999):number>.pdf", "GET", STAFF, receipt_call, api=True,
            owned=True, sees=sees),
        Row("/api/v1/daybook", "GET", ("clerk", "supervisor"),
            lambda W, o, a: Call(f"/api/v1/daybook?agency={W.agencies[o].code}"), api=True, owned=True, sees=sees,
            hidden=403),
        Row("/api/v1/daybook.<fmt>", "GET", ("clerk", "supervisor"),
            lambda W, o, a: Call(f"/api/v1/daybook.xlsx?agency={W.agencies[o].code}"), api=True, owned=True,
            sees=sees, hidden=403),
        Row("/api/v1/daybook/close", "POST", ("supervisor",), close_call(True), ok=201, api=True, owned=True, sees=sees,
            hidden=403),
        # online payment is offered only with the platform configured (not in this world): 404 for everyone
        Row("/api/v1/applications/<code>/payments/online", "POST", PUBLIC,
            lambda W, o, a: Call(f"/api/v1/applications/{app_code(W, o)}/payments/online", json={}), ok=404, api=True,
            owned=True),
        Row("/tra-cuu/<code>/nop-phi", "POST", PUBLIC,
            lambda W, o, a: Call(tracking_path(W, o).split("?")[0] + "/nop-phi",
                                 data={"k": tracking_path(W, o).split("?k=")[1]}), ok=404, owned=True),
        # online payment is not configured in the matrix's world: not offered, as for everyone
        Row("/nop-ho-so/<number>/nop-phi", "POST", PUBLIC,
            lambda W, o, a: Call("/nop-ho-so/TT-261207-AAAAAA/nop-phi", data={"k": "AAAA-BBBB-CCCC"}), ok=404),
        Row("/api/v1/payments/callback", "POST", PUBLIC, lambda W, o, a: Call("/api/v1/payments/callback", json={}),
            ok=404, api=True),
        Row("/api/v1/payments/return", "GET", PUBLIC, lambda W, o, a: Call("/api/v1/payments/return"), ok=404,
            api=True),
    ]
    found += authz_par_index.rows(Row, Call, sees)  # the PAR INDEX (issue 20)
    found += authz_par_index_pages.rows(Row, Call, sees)
    for event_type in w.lifecycle.TRANSITIONS:
        found.append(Row("/applications/<code>/events/<event_type>", "POST", STAFF, event_call(event_type, False),
                         ok=302, owned=True, sees=sees, permits=records(event_type), variant=event_type))
        found.append(Row("/api/v1/applications/<code>/events", "POST", STAFF, event_call(event_type, True),
                         ok=201, api=True, owned=True, sees=sees, permits=records(event_type), variant=event_type))
    for action, ok in (("accept", 302), ("request", 302), ("refuse", 302)):
        found.append(Row("/desk/online/<number>/<action>", "POST", ("clerk",), decision_call(action, False), ok=ok,
                         owned=True, sees=sees, variant=action))
    for action, ok in (("accept", 201), ("request", 200), ("refuse", 200)):
        found.append(Row("/api/v1/submissions/<number>/<action>", "POST", ("clerk",), decision_call(action, True),
                         ok=ok, api=True, owned=True, sees=sees, variant=action))
    return found


ROWS = rows()
CELLS = [(row, actor, owner) for row in ROWS for actor in ACTORS for owner in (w.TAGS if row.owned else (None,))]


def cell_id(cell) -> str:
    row, actor, owner = cell
    who = "anonymous" if actor is None else f"{actor[1]}@{actor[0]}"
    return f"{row.name} | {who}" + (f" | object of {owner}" if owner else "")


# ---------------------------------------------------------------- walking it


@pytest.fixture(scope="module")
def matrix(tmp_path_factory):
    folder = tmp_path_factory.mktemp("matrix")
    app = make_app(folder, FILES_DIR=str(folder / "files"))
    with app.app_context():
        world = w.build()
        yield app, world, {}
        drop_everything()


def signed_in_client(app, world, sessions, username):
    """A browser signed in as this user (through the sign-in page, once per user and kept)."""
    client = sessions.get(username)
    if client is None:
        client = app.test_client()
        response = client.post("/login", data={"username": username, "password": "demo"})
        assert response.status_code == 302, f"{username} could not sign in"
        sessions[username] = client
    return client


def send(app, world, sessions, row: Row, actor, call: Call):
    headers = {}
    if actor is None:
        client = app.test_client()
    elif row.api:
        client = app.test_client()
        headers["Authorization"] = f"Bearer {world.tokens[f'{actor[1]}_{actor[0]}']}"
    else:
        client = signed_in_client(app, world, sessions, f"{actor[1]}_{actor[0]}")
    if row.fresh_session and actor is not None:
        sessions.pop(f"{actor[1]}_{actor[0]}", None)  # this call ends the session
    return client.open(call.path, method=row.method, data=call.data, json=call.json, headers=headers)


def outcome(response) -> object:
    if response.status_code == 302 and "/login?next=" in response.headers.get("Location", ""):
        return LOGIN
    return response.status_code


def test_every_route_is_in_the_table(matrix):
    app, _world, _sessions = matrix
    routes = {(rule.rule, method) for rule in app.url_map.iter_rules()
              for method in rule.methods - {"HEAD", "OPTIONS"}}
    table = {(row.rule, row.method) for row in ROWS}
    assert routes - table == set(), "routes nobody has classified in the matrix"
    assert table - routes == set(), "the matrix names routes the app no longer has"


def test_the_matrix_size(matrix):
    """The lead's figure: how many cells the matrix walks (printed with -s)."""
    print(f"\nmatrix cells: {len(CELLS)} ({len(ROWS)} rows × route-method-variant, {len(ACTORS)} actors)")
    assert len(CELLS) > 1500


@pytest.mark.parametrize("cell", CELLS, ids=cell_id)
def test_cell(matrix, cell):
    app, world, sessions = matrix
    row, actor, owner = cell
    want = expected(row, actor, owner)
    world.write_expected = want not in (401, 403, 404, LOGIN)
    call = row.call(world, owner, actor)
    response = send(app, world, sessions, row, actor, call)
    got = outcome(response)
    assert got == want, f"{cell_id(cell)}: expected {want}, got {got}: {response.get_data(as_text=True)[:300]}"
    if want in (403, 404) and call.check_refused is not None:
        call.check_refused()
    if want == 403 and row.api:
        assert response.get_json()["error"], "a refusal says why"


# ---------------------------------------------------------------- what the public pages show


PERSONAL = {  # the applicant's (tests/factories.applicant) and the complaint sender's details, as stored
    "ID number": "015190001234", "phone": "0912345678", "phone as typed": "0912 345 678", "e-mail": "ngocanh@example.vn",
    "address": "ngõ 34", "full name": "Nguyễn Thị Ngọc Ánh", "sender's phone": "0987654321",
    "sender's name": "Trần Văn Bình",
}


def leaks(text: str) -> list[str]:
    return [what for what, value in PERSONAL.items() if value in text]


def test_public_pages_show_no_personal_data_beyond_a_masked_name(matrix):
    """Whoever holds the receipt's key (or reads the scoreboard) learns the file's progress and a masked name:
    no ID number, phone, e-mail, address or full name, on the page, in the API or on the complaint's page."""
    app, world, _sessions = matrix
    visitor = app.test_client()
    status_page = visitor.get(tracking_path(world, "c"))
    assert status_page.status_code == 200
    assert leaks(status_page.get_data(as_text=True)) == []
    assert "Nguyễn T. N. Á." in status_page.get_data(as_text=True)
    track = visitor.get("/api/v1/track/" + tracking_path(world, "c").removeprefix("/tra-cuu/"))
    assert track.status_code == 200
    assert leaks(track.get_data(as_text=True)) == []
    assert leaks(str(track.get_json())) == []
    complaint_page = visitor.get(f"/phan-anh/{world.complaints['c']}?k={world.complaint_keys['c']}")
    assert complaint_page.status_code == 200
    assert leaks(complaint_page.get_data(as_text=True)) == []
    for page in ("/ket-qua-giai-quyet", "/thu-tuc", f"/thu-tuc/niem-yet/{world.agencies['c'].code}"):
        response = visitor.get(page)
        assert response.status_code == 200
        assert leaks(response.get_data(as_text=True)) == [], page


def test_a_step_outside_the_role_is_a_403_that_says_why_and_a_step_out_of_turn_stays_a_409(matrix):
    """An officer of commune C tries to hand a file on (the desk's step): the page and the API answer 403 with the
    reason, and the file is unchanged; the desk's clerk trying to hand back a file not yet ready gets 409."""
    app, world, sessions = matrix
    world.write_expected = True
    application = w.fresh_application(world, "c", "received")
    message = "Tài khoản không có quyền thực hiện bước này trên hồ sơ này."
    page = signed_in_client(app, world, sessions, "officer_c").post(
        f"/applications/{application.code}/events/transfer", data={})
    assert page.status_code == 403 and message in page.get_data(as_text=True)
    api = app.test_client().post(f"/api/v1/applications/{application.code}/events", json={"type": "transfer"},
                                 headers={"Authorization": f"Bearer {world.tokens['officer_c']}"})
    assert (api.status_code, api.get_json()["error"]) == (403, message)
    early = app.test_client().post(f"/api/v1/applications/{application.code}/events", json={"type": "return"},
                                   headers={"Authorization": f"Bearer {world.tokens['clerk_c']}"})
    assert early.status_code == 409 and "trạng thái" in early.get_json()["error"]
    db.session.expire_all()
    assert db.session.scalar(db.select(Application.status).filter_by(code=application.code)) == "received"
