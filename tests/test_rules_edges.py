"""The rules where mutation testing (`make mutation`, docs/mutation.md) found a change no test noticed: each test
here pins the exact value such a change would move. Issue 11, part 8b."""
from datetime import date, datetime, time, timedelta
from types import SimpleNamespace

from onestop import settings
from onestop.calendar import rules
from onestop.calendar.working_time import Hours, WorkingCalendar
from onestop.extensions import db
from onestop.reception import deadlines, keys
from onestop.timeutil import VN, frozen_at
from tests.factories import make_procedure, receive

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
    """The province moves the same-day cut-off to 11:00: a same-day file received at 12:00 is due the next
    working day; a procedure with its own 16:00 cut-off still takes it that day."""
    settings.put("same_day_cutoff", "11:00")
    assert rules.same_day_cutoff() == time(11, 0)
    assert rules.statutory_due(CAL, vn(2026, 10, 5, 12, 0), 0, "same_day") == vn(2026, 10, 6, 17, 0)
    assert rules.statutory_due(CAL, vn(2026, 10, 5, 12, 0), 0, "same_day", time(16, 0)) == vn(2026, 10, 5, 17, 0)


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
