"""Due times pinned across Tết, compensatory days, make-up Saturdays, after hours, cut-offs, hours and pauses."""
from datetime import date, datetime, time

import pytest

from onestop.calendar.working_time import WorkingCalendar
from onestop.timeutil import VN


def vn(*args):
    return datetime(*args, tzinfo=VN)


CAL = WorkingCalendar()


@pytest.mark.parametrize("received, amount, unit, due", [
    # Monday 10:00, 3 working days: Thursday at close of business
    (vn(2026, 10, 5, 10, 0), 3, "working_days", vn(2026, 10, 8, 17, 0)),
    # Friday 16:00: Monday, Tuesday, Wednesday
    (vn(2026, 10, 9, 16, 0), 3, "working_days", vn(2026, 10, 14, 17, 0)),
    # Friday 18:00 (after hours) counts from Monday 07:30: Tue, Wed, Thu
    (vn(2026, 10, 9, 18, 0), 3, "working_days", vn(2026, 10, 15, 17, 0)),
    # Saturday counts from Monday too
    (vn(2026, 10, 10, 9, 0), 3, "working_days", vn(2026, 10, 15, 17, 0)),
    # Before Tết 2026 (16–20 February off): Friday 13 Feb + 3 → 23, 24, 25 Feb
    (vn(2026, 2, 13, 9, 0), 3, "working_days", vn(2026, 2, 25, 17, 0)),
    # Hùng Kings 2026 falls on Sunday 26 April, compensated Monday 27; 30/4 and 1/5 off: 28, 29 Apr, 4 May
    (vn(2026, 4, 24, 9, 0), 3, "working_days", vn(2026, 5, 4, 17, 0)),
    # The 2026 swap: Saturday 22 August is worked, Monday 31 August and 1–2 September are off
    (vn(2026, 8, 21, 9, 0), 1, "working_days", vn(2026, 8, 22, 17, 0)),
    (vn(2026, 8, 28, 9, 0), 2, "working_days", vn(2026, 9, 4, 17, 0)),
    # 15 calendar days from 17 April 2026 end on Saturday 2 May: run to Monday 4 May
    (vn(2026, 4, 17, 9, 0), 15, "calendar_days", vn(2026, 5, 4, 17, 0)),
    # 10 calendar days ending on a working day
    (vn(2026, 10, 5, 9, 0), 10, "calendar_days", vn(2026, 10, 15, 17, 0)),
    # same day: before the 15:00 cut-off the same day, after it the next working day
    (vn(2026, 10, 9, 14, 59), 0, "same_day", vn(2026, 10, 9, 17, 0)),
    (vn(2026, 10, 9, 15, 30), 0, "same_day", vn(2026, 10, 12, 17, 0)),
    # working hours: across lunch, and overnight
    (vn(2026, 10, 5, 10, 0), 4, "working_hours", vn(2026, 10, 5, 16, 0)),
    (vn(2026, 10, 5, 16, 0), 4, "working_hours", vn(2026, 10, 6, 10, 30)),
    (vn(2026, 10, 9, 12, 0), 8, "working_hours", vn(2026, 10, 12, 14, 0)),
])
def test_due_time(received, amount, unit, due):
    assert CAL.due_at(received, amount, unit) == due


def test_reception_moment_moves_to_the_next_window():
    assert CAL.reception_moment(vn(2026, 10, 5, 12, 0)) == vn(2026, 10, 5, 13, 30)
    assert CAL.reception_moment(vn(2026, 10, 9, 17, 30)) == vn(2026, 10, 12, 7, 30)
    assert CAL.reception_moment(vn(2026, 2, 15, 10, 0)) == vn(2026, 2, 23, 7, 30)


def test_per_procedure_same_day_cut_off():
    assert CAL.due_at(vn(2026, 10, 9, 15, 30), 0, "same_day", time(16, 0)) == vn(2026, 10, 9, 17, 0)


def test_pause_tuesday_to_thursday_adds_two_working_days():
    due = vn(2026, 10, 19, 17, 0)
    assert CAL.pause_extension(due, vn(2026, 10, 6, 10, 0), vn(2026, 10, 8, 10, 0), "working_days") == vn(2026, 10, 21, 17, 0)


def test_pause_in_hours_adds_the_working_time_in_between():
    due = vn(2026, 10, 6, 10, 30)
    assert CAL.pause_extension(due, vn(2026, 10, 5, 16, 0), vn(2026, 10, 6, 8, 30), "working_hours") == vn(2026, 10, 6, 14, 30)


def test_administrator_overrides_change_the_count():
    extra_day_off = WorkingCalendar({date(2026, 10, 13): "off"})
    assert extra_day_off.due_at(vn(2026, 10, 9, 16, 0), 3, "working_days") == vn(2026, 10, 15, 17, 0)
    make_up_saturday = WorkingCalendar({date(2026, 10, 10): "work"})
    assert make_up_saturday.due_at(vn(2026, 10, 9, 16, 0), 3, "working_days") == vn(2026, 10, 13, 17, 0)
    half_day = WorkingCalendar({date(2026, 10, 5): "half_off_afternoon"})
    assert half_day.due_at(vn(2026, 10, 5, 10, 0), 4, "working_hours") == vn(2026, 10, 6, 10, 0)


def test_timeliness():
    due = vn(2026, 10, 8, 17, 0)
    assert [CAL.timeliness(at, due) for at in (vn(2026, 10, 7, 16, 0), vn(2026, 10, 8, 17, 0), vn(2026, 10, 8, 17, 1))] == [
        "early", "on_time", "late"]


def test_day_kinds_for_the_year_view():
    assert [CAL.day_kind(d) for d in (date(2026, 2, 17), date(2026, 8, 22), date(2026, 8, 23), date(2026, 8, 31),
                                       date(2026, 10, 5))] == ["holiday", "work", "weekend", "holiday", "working"]


def test_due_date_api(client, world):
    body = client.get("/api/v1/due-date?received_at=2026-10-09T16:00:00%2B07:00&amount=3&unit=working_days").get_json()
    assert body == {"received_at": "2026-10-09T16:00:00+07:00", "reception_moment": "2026-10-09T16:00:00+07:00",
                    "due_at": "2026-10-14T17:00:00+07:00"}
    naive = client.get("/api/v1/due-date?received_at=2026-10-09T18:00&amount=3&unit=working_days").get_json()
    assert naive["reception_moment"] == "2026-10-12T07:30:00+07:00"
    bad = client.get("/api/v1/due-date?received_at=hôm nay&amount=3&unit=working_days")
    assert (bad.status_code, bad.get_json()["error"]) == (
        400, "«received_at» phải là thời điểm ISO 8601, ví dụ 2026-09-15T10:30:00+07:00.")
    assert client.get("/api/v1/due-date?received_at=2026-10-09T16:00&amount=3&unit=weeks").status_code == 400
    assert client.get("/api/v1/due-date?received_at=2026-10-09T16:00&procedure=9.999999").status_code == 404


def test_admin_adds_a_make_up_saturday_and_the_preview_changes(client, auth, world):
    auth.login("admin")
    url = "/admin/calendar/?year=2026&p-received_at=2026-10-09T16:00&p-amount=3&p-unit=working_days"
    assert '<dd id="preview-due"><b>17:00 14/10/2026</b></dd>' in client.get(url).get_data(as_text=True)
    response = client.post("/admin/calendar/?year=2026", data={"o-day": "2026-10-10", "o-kind": "work", "o-note": "Làm bù"})
    assert response.status_code == 302
    assert '<dd id="preview-due"><b>17:00 13/10/2026</b></dd>' in client.get(url).get_data(as_text=True)
    api = client.get("/api/v1/due-date?received_at=2026-10-09T16:00&amount=3&unit=working_days").get_json()
    assert api["due_at"] == "2026-10-13T17:00:00+07:00"


def test_clerk_cannot_open_the_calendar(client, auth, world):
    auth.login("clerk")
    assert client.get("/admin/calendar/").status_code == 403


def test_cli_adds_and_shows_days(runner, world):
    assert runner.invoke(args=["calendar", "add", "2026-12-31", "off", "--note", "Nghỉ cuối năm"]).exit_code == 0
    shown = runner.invoke(args=["calendar", "show", "2026"]).output
    assert "31/12/2026 T5  nghỉ thêm" in shown
    assert "22/08/2026 T7  làm bù" in shown
    due = runner.invoke(args=["calendar", "due", "2026-12-30T16:00", "1", "working_days"]).output
    assert "Hạn trả kết quả:     17:00 31/12/2026" not in due  # the day just made a day off
    assert "Hạn trả kết quả:     17:00 04/01/2027" in due
