"""The rules where mutation testing (`make mutation`, docs/mutation.md) found a change no test noticed: each test
here pins the exact value such a change would move. Issue 11, part 8b."""
from datetime import date, datetime, time, timedelta
from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from onestop import audit, settings
from onestop.auth import scope
from onestop.auth import services as accounts
from onestop.auth.services import AccountError
from onestop.auth.models import AuditLog
from onestop.calendar import rules
from onestop.calendar.working_time import Hours, WorkingCalendar
from onestop.extensions import db
from onestop.reception import deadlines, keys
from onestop.reception.validation import ReceptionError
from onestop.timeutil import VN, frozen_at
from onestop.tracking.public import complaints, status
from onestop.tracking.public.status import public_status
from tests.factories import event, make_procedure, receive

CAL = WorkingCalendar()


def vn(*args):
    return datetime(*args, tzinfo=VN)


# ---------------------------------------------------------------- the look-up key


def test_an_older_key_prints_as_it_is_even_when_every_sign_is_in_todays_alphabet():
    # secrets.token_urlsafe(12) made 16 signs; now and then all of them are upper-case letters and digits 2-9
    assert keys.grouped("ABCDEFGHJKMNPQRS") == "ABCDEFGHJKMNPQRS"
    assert keys.grouped("ABCDEFGHJKM") == "ABCDEFGHJKM"
    assert keys.grouped("ABCDEFGHJKM0") == "ABCDEFGHJKM0"
    assert keys.grouped("ABCDEFGHJKMN") == "ABCD-EFGH-JKMN"


def test_an_empty_look_up_field_is_no_key_at_all():
    assert keys.normalise(None) == ""
    assert keys.normalise(" \t- ") == ""
    assert keys.matches("ABCDEFGHJKMN", None) is False


# ---------------------------------------------------------------- the supplement pause, read from the events


def happened(event_type, at):
    return SimpleNamespace(type=event_type, at=at, data={})


def test_an_apology_during_the_wait_neither_ends_nor_splits_the_pause():
    events = [happened("receive", vn(2026, 10, 5, 8, 0)), happened("request_supplement", vn(2026, 10, 5, 9, 0)),
              happened("apologise", vn(2026, 10, 6, 10, 0)), happened("supplement_received", vn(2026, 10, 8, 14, 0))]
    assert deadlines.pauses(events) == [(vn(2026, 10, 5, 9, 0), vn(2026, 10, 8, 14, 0))]


def test_a_finished_wait_is_one_pause_and_a_wait_still_open_has_no_end_yet():
    asked, brought = happened("request_supplement", vn(2026, 10, 5, 9, 0)), happened("supplement_received",
                                                                                   vn(2026, 10, 8, 14, 0))
    assert deadlines.pauses([asked, brought]) == [(vn(2026, 10, 5, 9, 0), vn(2026, 10, 8, 14, 0))]
    assert deadlines.pauses([asked]) == [(vn(2026, 10, 5, 9, 0), None)]
    assert deadlines.pauses([]) == []


def test_a_pause_in_a_procedure_counted_in_hours_moves_the_due_time_by_the_working_hours_it_lasted():
    """8 working hours from Monday 08:00 is Tuesday 08:30; a wait from 09:00 to 14:00 takes 3 working hours
    of them (09:00-11:30, 13:30-14:00), so the file is due Tuesday 11:30, not 08:30 as a count in days says."""
    version = SimpleNamespace(time_amount=8, time_unit="working_hours", same_day_cutoff=None)
    events = [happened("request_supplement", vn(2026, 10, 5, 9, 0)),
              happened("supplement_received", vn(2026, 10, 5, 14, 0))]
    assert deadlines.procedure_due(version, vn(2026, 10, 5, 8, 0), CAL) == vn(2026, 10, 6, 8, 30)
    assert deadlines.due_from_events(version, vn(2026, 10, 5, 8, 0), events, CAL) == vn(2026, 10, 6, 11, 30)


def test_a_same_day_procedure_with_its_own_earlier_cut_off_keeps_it(app):
    """Its own cut-off 11:00, the province's 15:00: received at 12:00, it is due the next working day."""
    version = SimpleNamespace(time_amount=0, time_unit="same_day", same_day_cutoff=time(11, 0))
    assert deadlines.procedure_due(version, vn(2026, 10, 5, 12, 0), CAL) == vn(2026, 10, 6, 17, 0)
    assert deadlines.procedure_due(version, vn(2026, 10, 5, 11, 0), CAL) == vn(2026, 10, 5, 17, 0)


# ---------------------------------------------------------------- an event recorded through the API or the page


def bearer(client, username):
    token = client.post("/api/v1/tokens", json={"username": username, "password": "demo"}).get_json()["token"]
    return {"Authorization": f"Bearer {token}"}


def test_a_desk_of_another_district_finds_no_file_to_record_an_event_on_and_the_files_own_desk_does(client, world):
    """Received at the province's desk Monday 09:00 for the Sở Tư pháp: Yên Bái's desk is told the file does not
    exist (as for a code nobody gave); the province's clerk hands it on, due Thursday 17:00."""
    application = receive(world.users["clerk"], make_procedure(agency=world.agencies["000.00.04.H38"]),
                          vn(2026, 10, 5, 9, 0))
    not_found = {"error": "Không tìm thấy hồ sơ.", "errors": {"code": "Không tìm thấy hồ sơ."}, "status": 404}
    with frozen_at(vn(2026, 10, 5, 10, 0)):
        other = client.post(f"/api/v1/applications/{application.code}/events", json={"type": "transfer"},
                            headers=bearer(client, "clerk.yenbai"))
        assert (other.status_code, other.get_json()) == (404, not_found)
        unknown = client.post("/api/v1/applications/000.00.01.H38-261005-0099/events", json={"type": "transfer"},
                              headers=bearer(client, "clerk"))
        assert (unknown.status_code, unknown.get_json()) == (404, not_found)
        own = client.post(f"/api/v1/applications/{application.code}/events", json={"type": "transfer"},
                          headers=bearer(client, "clerk"))
    assert own.status_code == 201
    assert {key: own.get_json()["application"][key] for key in ("status", "processing_agency", "due_at")} == {
        "status": "transferred", "processing_agency": "000.00.04.H38", "due_at": "2026-10-08T17:00:00+07:00"}


def test_the_province_supervisor_reaches_every_file_and_the_page_records_on_the_file_by_its_code(client, world, auth):
    application = receive(world.users["clerk"], make_procedure(agency=world.agencies["000.00.04.H38"]),
                          vn(2026, 10, 5, 9, 0))
    with frozen_at(vn(2026, 10, 5, 10, 0)):
        ready = client.post(f"/api/v1/applications/{application.code}/events", json={"type": "result_ready"},
                            headers=bearer(client, "supervisor"))
    assert (ready.status_code, ready.get_json()["application"]["status"]) == (201, "result_ready")
    auth.login("clerk")
    with frozen_at(vn(2026, 10, 5, 11, 0)):
        page = client.post(f"/applications/{application.code}/events/return", data={"method": "at_desk"})
    assert (page.status_code, page.headers["Location"]) == (302, f"/applications/{application.code}")
    db.session.expire_all()
    assert (application.status, application.returned_at) == ("returned", vn(2026, 10, 5, 11, 0))


# ---------------------------------------------------------------- the clock


def test_the_provinces_own_same_day_cut_off_counts_for_a_procedure_without_one(app):
    """The province moves the same-day cut-off to 11:30: a same-day file received at 12:00 is due the next
    working day; a procedure with its own 16:00 cut-off still takes it that day."""
    settings.put("same_day_cutoff", "11:30")
    assert rules.same_day_cutoff() == time(11, 30)
    assert rules.statutory_due(CAL, vn(2026, 10, 5, 11, 15), 0, "same_day") == vn(2026, 10, 5, 17, 0)
    assert rules.statutory_due(CAL, vn(2026, 10, 5, 12, 0), 0, "same_day") == vn(2026, 10, 6, 17, 0)
    assert rules.statutory_due(CAL, vn(2026, 10, 5, 12, 0), 0, "same_day", time(16, 0)) == vn(2026, 10, 5, 17, 0)


def test_a_cut_off_is_read_as_hours_and_minutes_and_a_time_or_nothing_passes_through():
    assert [rules.parse_hhmm(value) for value in ("14:30", time(9, 15), None)] == [time(14, 30), time(9, 15), None]


def test_a_pause_outside_working_hours_leaves_a_due_time_at_closing_where_it_was():
    """7 working hours from Monday 08:00 end at 17:00 sharp; a wait from 17:30 to 19:00 takes no working time."""
    due = CAL.due_at(vn(2026, 10, 5, 8, 0), 7, "working_hours")
    assert due == vn(2026, 10, 5, 17, 0)
    assert CAL.pause_extension(due, vn(2026, 10, 5, 17, 30), vn(2026, 10, 5, 19, 0), "working_hours") == due
    assert CAL.add_working_time(vn(2026, 10, 5, 6, 0), timedelta()) == vn(2026, 10, 5, 6, 0)


def test_working_time_before_seven_in_the_morning_counts_on_its_own_day():
    """Desks open at 06:00 from 2026 on: Monday 10:00 to Tuesday 06:30 is 1 h + 3 h 30 + 30 min of work."""
    early = WorkingCalendar(hours=[Hours(valid_from=date(2026, 1, 1), morning_start=time(6, 0),
                                         morning_end=time(11, 0))])
    assert early.working_time_between(vn(2026, 10, 5, 10, 0), vn(2026, 10, 6, 6, 30)) == timedelta(hours=5)


# ---------------------------------------------------------------- the lifecycle: what each event stores


def moments(payload: dict) -> dict:
    """The payload with its ISO moments read back (SQLite and PostgreSQL write the same moment with other offsets)."""
    return {key: datetime.fromisoformat(value) if key in ("stage_deadline", "deadline", "counts_from",
                                                          "original_due_at", "new_due_at") else value
            for key, value in payload.items()}


def test_each_event_stores_what_the_forms_and_the_register_read(world):
    """Received Monday 09:00 (3 working days: Thursday 17:00); handed on at 16:00, after the cut-off, so the Sở
    counts from Tuesday 07:30; a 1-day step Tuesday 09:00 (due Wednesday 17:00); papers asked Tuesday 10:00 and
    brought Wednesday 09:00 (the file is now due Friday 17:00); result Thursday 09:00, a day late for the step but
    early overall; sent by post Thursday 10:00."""
    users, agencies = world.users, world.agencies
    desk, justice = agencies["000.00.01.H38"], agencies["000.00.04.H38"]
    application = receive(users["clerk"], make_procedure(agency=justice), vn(2026, 10, 5, 9, 0))
    transfer = event(application, users["clerk"], "transfer", vn(2026, 10, 5, 16, 0))
    assert moments(transfer.data) == {
        "from_unit": desk.name, "to_unit": justice.name, "to_agency_id": justice.id, "to_user_id": None,
        "stage_deadline": vn(2026, 10, 5, 17, 0), "result": "on_time", "deadline": vn(2026, 10, 8, 17, 0),
        "counts_from": vn(2026, 10, 6, 7, 30)}
    step = event(application, users["officer"], "step", vn(2026, 10, 6, 9, 0), to_user="officer", working_days="1")
    assert moments(step.data) == {
        "from_unit": justice.name, "to_unit": f"Phạm Đức Xử ({justice.name})", "to_agency_id": justice.id,
        "to_user_id": users["officer"].id, "stage_deadline": vn(2026, 10, 8, 17, 0), "result": "early",
        "deadline": vn(2026, 10, 7, 17, 0)}
    asked = event(application, users["officer"], "request_supplement", vn(2026, 10, 6, 10, 0),
                  items=[" Giấy chứng sinh ", ""], reason="Bản chụp mờ")
    assert {key: asked.data[key] for key in ("items", "reason", "officer", "officer_phone")} == {
        "items": ["Giấy chứng sinh"], "reason": "Bản chụp mờ", "officer": "Phạm Đức Xử", "officer_phone": None}
    assert asked.data["signed_by"] == {"side": "processing", "agency_id": justice.id, "agency": justice.name,
                                       "title": "NGƯỜI HƯỚNG DẪN", "name": "Phạm Đức Xử"}
    sorry = event(application, users["officer"], "apologise", vn(2026, 10, 6, 11, 0), reason="Chờ xác minh",
                  new_due_at=vn(2026, 10, 12, 17, 0), signer="Hoàng Văn Trưởng")
    assert (sorry.data["signed_by"]["title"], sorry.data["signed_by"]["name"]) == (
        "THỦ TRƯỞNG CƠ QUAN", "Hoàng Văn Trưởng")
    assert {key: value for key, value in moments(sorry.data).items() if key != "signed_by"} == {
        "reason": "Chờ xác minh", "original_due_at": vn(2026, 10, 8, 17, 0), "new_due_at": vn(2026, 10, 12, 17, 0),
        "signer": "Hoàng Văn Trưởng"}
    brought = event(application, users["clerk"], "supplement_received", vn(2026, 10, 7, 9, 0))
    assert (brought.data, brought.from_status, brought.to_status) == (None, "waiting_supplement", "processing")
    ready = event(application, users["officer"], "result_ready", vn(2026, 10, 8, 9, 0))
    assert moments(ready.data) == {
        "from_unit": f"Phạm Đức Xử ({justice.name})", "to_unit": desk.name, "to_agency_id": desk.id,
        "to_user_id": None, "stage_deadline": vn(2026, 10, 7, 17, 0), "result": "late",
        "deadline": vn(2026, 10, 9, 17, 0), "overall": "early"}
    returned = event(application, users["clerk"], "return", vn(2026, 10, 8, 10, 0), method="postal")
    assert (returned.data, returned.seq) == ({"method": "postal"}, 8)
    assert (application.status, application.due_at, application.result_at, application.returned_at,
            application.closed_at, application.processing_agency_id, application.assignee_id,
            application.apology_due_at) == (
        "returned", vn(2026, 10, 9, 17, 0), vn(2026, 10, 8, 9, 0), vn(2026, 10, 8, 10, 0), vn(2026, 10, 8, 10, 0),
        justice.id, users["officer"].id, vn(2026, 10, 12, 17, 0))


def test_a_stop_and_a_refusal_store_the_request_and_the_reasons_and_close_the_file(world):
    users, birth = world.users, make_procedure(agency=world.agencies["000.00.04.H38"])
    stopped = receive(users["clerk"], birth, vn(2026, 10, 5, 9, 0))
    stop = event(stopped, users["clerk"], "stop", vn(2026, 10, 5, 10, 0), note=" Người nộp xin rút hồ sơ ")
    assert (stop.note, stop.data["request"], stopped.status, stopped.closed_at) == (
        "Người nộp xin rút hồ sơ", "Người nộp xin rút hồ sơ", "stopped", vn(2026, 10, 5, 10, 0))
    refused = receive(users["clerk"], birth, vn(2026, 10, 5, 9, 30))
    refusal = event(refused, users["clerk"], "refuse", vn(2026, 10, 5, 11, 0), note="Không thuộc thẩm quyền")
    assert (refusal.data["reasons"], refused.status, refused.closed_at) == (
        ["Không thuộc thẩm quyền"], "refused", vn(2026, 10, 5, 11, 0))
    listed = receive(users["clerk"], birth, vn(2026, 10, 5, 9, 45))
    refusal = event(listed, users["clerk"], "refuse", vn(2026, 10, 5, 11, 30), note="Xem phiếu từ chối",
                    reasons=["Thiếu chữ ký", " ", "Sai mẫu tờ khai"])
    assert refusal.data["reasons"] == ["Thiếu chữ ký", "Sai mẫu tờ khai"]  # the note is no reason when some are listed


# ---------------------------------------------------------------- the public status


@pytest.mark.parametrize("method, when", [
    ("postal", "có kết quả, đang gửi qua bưu chính"),
    ("online", "có kết quả, được trả trực tuyến"),
    ("at_desk", "có kết quả, mời nhận tại Trung tâm Phục vụ hành chính công tỉnh Lào Cai"),
])
def test_a_ready_result_says_how_it_reaches_the_applicant(world, method, when):
    application = receive(world.users["clerk"], make_procedure(agency=world.agencies["000.00.04.H38"]),
                          vn(2026, 10, 5, 9, 0), return_method=method)
    event(application, world.users["officer"], "result_ready", vn(2026, 10, 6, 9, 0))
    status = public_status(application, vn(2026, 10, 6, 10, 0), CAL)
    assert (status["state"], status["when"], status["return_method"]) == ("ready", when, method)


def test_the_count_in_words_on_the_due_day_one_day_and_several_days_either_side(app):
    with app.test_request_context():
        assert [status.days_left_text(n) for n in (-1, 0, 1, 2)] == [
            "hạn cuối là hôm nay", "hạn cuối là hôm nay", "còn 1 ngày làm việc", "còn 2 ngày làm việc"]
        assert [status.days_late_text(n) for n in (0, 1, 3)] == [
            "đã quá hạn", "đã quá hạn 1 ngày làm việc", "đã quá hạn 3 ngày làm việc"]


def test_a_name_is_masked_to_its_family_name_and_initials_and_a_phone_read_by_its_last_four_digits():
    assert [status.masked(name) for name in ("Nguyễn Thị Ngọc Ánh", "Ánh", "", "  ")] == [
        "Nguyễn T. N. Á.", "Ánh", "", ""]
    assert [status.phone_tail(phone) for phone in ("0912 345 678", "+84-912", "678", None, "")] == [
        "5678", "4912", "", "", ""]


def test_a_refused_and_a_stopped_file_end_their_history_with_that_step(world):
    users, birth = world.users, make_procedure(agency=world.agencies["000.00.04.H38"])
    refused = receive(users["clerk"], birth, vn(2026, 10, 5, 9, 0))
    event(refused, users["clerk"], "transfer", vn(2026, 10, 5, 10, 0))
    event(refused, users["officer"], "step", vn(2026, 10, 5, 11, 0), to_user="officer")
    event(refused, users["officer"], "step", vn(2026, 10, 5, 14, 0), to_agency="000.00.00.H38")
    event(refused, users["supervisor"], "refuse", vn(2026, 10, 6, 9, 0), reasons=["Không thuộc thẩm quyền"])
    said = public_status(refused, vn(2026, 10, 6, 10, 0), CAL)
    assert [(step["at"], step["text"]) for step in said["steps"]] == [
        (vn(2026, 10, 5, 9, 0), "Tiếp nhận hồ sơ tại Trung tâm Phục vụ hành chính công tỉnh Lào Cai"),
        (vn(2026, 10, 5, 10, 0), "Chuyển đến Sở Tư pháp tỉnh Lào Cai để giải quyết"),
        (vn(2026, 10, 5, 14, 0), "Chuyển tiếp đến Ủy ban nhân dân tỉnh Lào Cai"),
        (vn(2026, 10, 6, 9, 0), "Từ chối giải quyết hồ sơ")]
    assert (said["state"], said["when"], said["reasons"], said["due_text"], said["handled_by"]) == (
        "refused", "hồ sơ bị từ chối giải quyết", ["Không thuộc thẩm quyền"], None, "Ủy ban nhân dân tỉnh Lào Cai")
    stopped = receive(users["clerk"], birth, vn(2026, 10, 5, 9, 30))
    event(stopped, users["clerk"], "stop", vn(2026, 10, 5, 10, 0), request="Người nộp xin rút")
    said = public_status(stopped, vn(2026, 10, 5, 11, 0), CAL)
    assert [step["text"] for step in said["steps"]][-1] == "Dừng giải quyết theo đề nghị của người nộp"
    assert (said["state"], said["when"], said["reasons"]) == (
        "stopped", "đã dừng giải quyết theo đề nghị của người nộp", [])


def test_papers_asked_for_after_the_due_time_leave_no_days_to_count(world):
    application = receive(world.users["clerk"], make_procedure(agency=world.agencies["000.00.04.H38"]),
                          vn(2026, 10, 5, 9, 0))
    event(application, world.users["clerk"], "transfer", vn(2026, 10, 5, 10, 0))
    event(application, world.users["officer"], "request_supplement", vn(2026, 10, 9, 9, 0),
          items=["Giấy chứng sinh"], reason="Thiếu")
    pause = public_status(application, vn(2026, 10, 9, 10, 0), CAL)["pause"]
    assert (pause["days_left"], pause["reason"], pause["after"]) == (
        0, "Thiếu", "Thời hạn giải quyết tính tiếp khi nhận đủ giấy tờ.")


# ---------------------------------------------------------------- who reads which audit rows


def test_a_commune_admin_reads_its_whole_subtree_and_a_commune_supervisor_its_own_agency(world):
    """Phường Yên Bái has a unit below it: its admin reads what that unit's clerk did, its supervisor (whose data
    reach is the commune's own agency) reads only what the commune's people did. A failed sign-in on the unit
    clerk's name is theirs to read; the accounts made from the command line (tied to no one) are not."""
    commune = world.agencies["000.21.00.H38"]
    unit = accounts.create_agency("000.21.01.H38", "Bộ phận một cửa phường Yên Bái", "commune", commune)
    unit_clerk = accounts.create_user("clerk.yb1", "mot-cua-yen-bai-1", "Vũ Thị Một", unit, ["clerk"])
    admin = accounts.create_user("admin.yb", "quan-tri-yen-bai-1", "Quản trị Yên Bái", commune, ["admin"])
    supervisor = accounts.create_user("supervisor.yb", "giam-sat-yen-bai-1", "Giám sát Yên Bái", commune,
                                      ["supervisor"])
    ours, below = audit.record("probe_commune", user=world.users["clerk.yenbai"]), audit.record("probe_unit",
                                                                                              user=unit_clerk)
    failed = audit.record("login_failed", user=None, object_type="User", object_id="clerk.yb1", username="clerk.yb1")
    db.session.commit()
    ours, below, failed = ours.id, below.id, failed.id
    made_here = set(db.session.scalars(sa.select(AuditLog.id).filter_by(action="user_created", user_id=None)
                                       .where(AuditLog.object_id.in_(["clerk.yb1", "admin.yb", "clerk.yenbai"]))))
    assert len(made_here) == 3

    def readable(reader):
        return set(db.session.scalars(sa.select(AuditLog.id).where(scope.audit_rows_for(reader))))

    assert readable(admin) == {ours, below, failed}
    assert readable(supervisor) == {ours}


def test_a_pause_keeps_the_due_time_of_day_and_lands_on_a_half_day_at_its_close():
    """Due Thursday 8/10; a wait of one working day (Monday 09:00 to Tuesday 09:00) moves it to Friday: to Friday's
    close, which is 11:30 when Friday afternoon is off, and to Friday 10:00 for a due time of 10:00."""
    half_friday = WorkingCalendar({date(2026, 10, 9): "half_off_afternoon"})
    start, end = vn(2026, 10, 5, 9, 0), vn(2026, 10, 6, 9, 0)
    assert half_friday.pause_extension(vn(2026, 10, 8, 17, 0), start, end, "working_days") == vn(2026, 10, 9, 11, 30)
    assert CAL.pause_extension(vn(2026, 10, 8, 17, 0), start, end, "working_days") == vn(2026, 10, 9, 17, 0)
    assert CAL.pause_extension(vn(2026, 10, 8, 10, 0), start, end, "calendar_days") == vn(2026, 10, 9, 10, 0)


def test_a_step_of_zero_working_days_is_due_at_the_close_of_the_day_it_is_given(world):
    application = receive(world.users["clerk"], make_procedure(agency=world.agencies["000.00.04.H38"]),
                          vn(2026, 10, 5, 9, 0))
    event(application, world.users["clerk"], "transfer", vn(2026, 10, 5, 9, 30))
    step = event(application, world.users["officer"], "step", vn(2026, 10, 6, 10, 0), to_user="officer",
                 working_days="0")
    assert datetime.fromisoformat(step.data["deadline"]) == vn(2026, 10, 6, 17, 0)


def test_an_admin_edits_its_own_account_and_an_account_without_roles_of_its_agency(world):
    admin = world.users["admin"]
    scope.check_user_change(admin, admin, admin.agency, ["admin"])  # no error: its own account
    idle = accounts.create_user("nghi.viec", "da-nghi-viec-2026", "Người đã nghỉ", admin.agency, [])
    assert (scope.rank(idle), scope.may_edit_user(admin, idle)) == (0, True)
    department = accounts.create_user("admin.nnmt", "dat-dai-song-nui", "Quản trị Sở NN&MT",
                                      world.agencies["000.00.05.H38"], ["admin"])
    assert scope.may_edit_user(department, world.users["officer"]) is False  # Sở Tư pháp: outside its subtree


# ---------------------------------------------------------------- a complaint (PAKN), as its sender follows it


def test_a_complaint_followed_from_reception_to_answer_and_close(world):
    """Sent Monday 14/12 10:00 about the Sở Tư pháp: 10 working days, so answered by Monday 28/12 17:00. At that
    very minute it is still in time; given to an officer, sent on to the Sở NN&MT, answered Wednesday 16/12 09:00
    (early), closed at 11:00."""
    users = world.users
    with frozen_at(vn(2026, 12, 14, 10, 0)):
        complaint = complaints.submit({"about": "agency", "agency_code": "000.00.04.H38", "sender_name": "Lò Văn Páo",
                                       "sender_contact": "0915 222 333", "content": "Cán bộ hướng dẫn chưa rõ."})
    db.session.commit()
    at_due = status.complaint_status(complaint, vn(2026, 12, 28, 17, 0), CAL)
    assert (at_due["when"], at_due["days_left"], at_due["days_late"]) == ("hạn cuối là hôm nay", 0, None)
    for who, action, at, note, data in [
            ("officer", "assign", vn(2026, 12, 14, 11, 0), None, {"to_user": "officer"}),
            ("supervisor", "transfer", vn(2026, 12, 15, 9, 0), "Việc của ngành đất đai", {"to_agency": "000.00.05.H38"}),
            ("officer.nnmt", "respond", vn(2026, 12, 16, 9, 0), None, {"response": "Đã chấn chỉnh cán bộ."})]:
        with frozen_at(at):
            complaints.record(complaint, users[who], action, note, **data)
        db.session.commit()
    steps = [(vn(2026, 12, 14, 10, 0), "Đã tiếp nhận phản ánh"), (vn(2026, 12, 14, 11, 0), "Đã giao cán bộ xử lý"),
             (vn(2026, 12, 15, 9, 0), "Chuyển đến Sở Nông nghiệp và Môi trường tỉnh Lào Cai để xử lý"),
             (vn(2026, 12, 16, 9, 0), "Đã trả lời")]
    common = {"code": complaint.code, "due_at": vn(2026, 12, 28, 17, 0),
              "due_text": "hạn trả lời 17:00 thứ Hai, 28/12/2026", "days_left": None, "days_late": None,
              "received_at": vn(2026, 12, 14, 10, 0), "agency": "Sở Nông nghiệp và Môi trường tỉnh Lào Cai",
              "application_code": None, "response": "Đã chấn chỉnh cán bộ.", "answered_at": vn(2026, 12, 16, 9, 0),
              "answer_timeliness": "early"}

    def said(at):
        found = status.complaint_status(complaint, at, CAL)
        return {**found, "steps": [(step["at"], step["text"]) for step in found["steps"]]}

    assert said(vn(2026, 12, 16, 10, 0)) == {**common, "status": "answered", "when": "đã trả lời", "steps": steps}
    with frozen_at(vn(2026, 12, 16, 11, 0)):
        complaints.record(complaint, users["supervisor"], "close")
    db.session.commit()
    assert said(vn(2026, 12, 16, 12, 0)) == {**common, "status": "closed", "when": "đã kết thúc xử lý",
                                             "steps": steps + [(vn(2026, 12, 16, 11, 0), "Đã kết thúc xử lý")]}


def test_on_a_day_off_the_status_page_gives_the_desks_hours_of_the_next_working_day(app):
    with app.test_request_context():
        assert status.hours_text(CAL, vn(2026, 10, 10, 9, 0)) == (  # a Saturday
            "07:30–11:30, 13:30–17:00, thứ Hai đến thứ Sáu (trừ ngày nghỉ lễ)")


def test_a_role_nobody_knows_is_refused_as_above_the_admins_own(world):
    with pytest.raises(AccountError) as refused:
        scope.check_user_change(world.users["admin"], None, world.agencies["000.00.01.H38"], ["clerk", "wizard"])
    assert str(refused.value) == "Không thể cấp vai trò cao hơn vai trò của chính bạn."


def test_the_desk_hands_a_file_on_only_within_the_implementing_agency_not_above_it(world):
    """A Sở Tư pháp procedure: the desk may not send it to the UBND tỉnh above the Sở (a step later may)."""
    application = receive(world.users["clerk"], make_procedure(agency=world.agencies["000.00.04.H38"]),
                          vn(2026, 10, 5, 9, 0))
    with pytest.raises(ReceptionError) as refused:
        event(application, world.users["clerk"], "transfer", vn(2026, 10, 5, 10, 0), to_agency="000.00.00.H38")
    assert (refused.value.message, refused.value.errors) == (
        "Không được chuyển hồ sơ này đến Ủy ban nhân dân tỉnh Lào Cai.",
        {"to_agency": "Chọn trong danh sách cơ quan được chuyển đến."})


def test_working_hours_apply_from_their_first_day_in_whatever_order_they_are_given():
    """Summer hours from Monday 5/10/2026 (afternoon to 17:30), given before the standard ones: the day before
    closes at 17:00, the first day at 17:30; a day before any hours given takes the earliest."""
    summer = Hours(valid_from=date(2026, 10, 5), afternoon_end=time(17, 30))
    calendar = WorkingCalendar(hours=[summer, Hours(valid_from=date(2026, 1, 1))])
    assert [calendar.close_of_day(day) for day in (date(2026, 10, 2), date(2026, 10, 5), date(2025, 12, 31))] == [
        vn(2026, 10, 2, 17, 0), vn(2026, 10, 5, 17, 30), vn(2025, 12, 31, 17, 0)]


def test_a_day_off_closes_at_the_usual_hour_and_a_count_ending_before_dawn_counts_that_day():
    assert CAL.close_of_day(date(2026, 10, 10)) == vn(2026, 10, 10, 17, 0)  # a Saturday
    assert CAL.working_days_between(vn(2026, 10, 5, 9, 0), vn(2026, 10, 7, 6, 0)) == 2  # Tuesday and Wednesday


def test_once_handed_back_the_status_says_how_it_went_not_what_was_planned(world):
    """Logged to be collected at the desk, the result was sent by post in the end: the citizen's status says post."""
    application = receive(world.users["clerk"], make_procedure(agency=world.agencies["000.00.04.H38"]),
                          vn(2026, 10, 5, 9, 0), return_method="at_desk")
    event(application, world.users["clerk"], "transfer", vn(2026, 10, 5, 10, 0))
    event(application, world.users["officer"], "result_ready", vn(2026, 10, 6, 9, 0))
    assert public_status(application, vn(2026, 10, 6, 10, 0), CAL)["return_method"] == "at_desk"
    event(application, world.users["clerk"], "return", vn(2026, 10, 6, 11, 0), method="postal")
    status = public_status(application, vn(2026, 10, 6, 12, 0), CAL)
    assert (status["state"], status["return_method"]) == ("returned", "postal")


def test_a_step_of_zero_working_days_given_after_hours_is_due_at_the_next_working_days_close(world):
    """Given at 18:00 on Friday (or on the Saturday), "within the day" is Monday's: before, it was due at Friday
    17:00 and late the moment it was given."""
    application = receive(world.users["clerk"], make_procedure(agency=world.agencies["000.00.04.H38"], amount=10),
                          vn(2026, 10, 5, 9, 0))
    event(application, world.users["clerk"], "transfer", vn(2026, 10, 5, 9, 30))
    friday = event(application, world.users["officer"], "step", vn(2026, 10, 9, 18, 0), to_user="officer",
                   working_days="0")
    saturday = event(application, world.users["officer"], "step", vn(2026, 10, 10, 9, 0), to_user="officer",
                     working_days="0")
    lunch = event(application, world.users["officer"], "step", vn(2026, 10, 12, 12, 0), to_user="officer",
                  working_days="0")
    assert [datetime.fromisoformat(step.data["deadline"]) for step in (friday, saturday, lunch)] == [
        vn(2026, 10, 12, 17, 0), vn(2026, 10, 12, 17, 0), vn(2026, 10, 12, 17, 0)]
