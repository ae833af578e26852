"""Back-dating has rules (issue 21, item 6): a time typed in the past needs a reason; clerks and officers may go
back only within the working day they are in; earlier needs a supervisor; every back-dated event is marked on the
file, on the control slip and in the supervisors' list of a period. The future stays refused."""
import csv
import io
from datetime import datetime

import pytest
import sqlalchemy as sa
from pypdf import PdfReader

from onestop.auth import services as accounts
from onestop.calendar import rules
from onestop.calendar.working_time import WorkingCalendar
from onestop.extensions import db
from onestop.reception import lifecycle
from onestop.reception.models import Application, ApplicationEvent
from onestop.timeutil import VN, frozen_at
from tests.factories import event, make_procedure, receive

YESTERDAY_REFUSED = ("Chỉ được ghi lùi thời điểm trong ngày làm việc hiện tại (từ 00:00 06/10/2026); ghi lùi sớm "
                     "hơn phải do lãnh đạo (vai trò giám sát) thực hiện.")


def vn(*args):
    return datetime(*args, tzinfo=VN)


@pytest.fixture
def birth(world):
    """3 working days, handled by Sở Tư pháp."""
    return make_procedure(agency=world.agencies["000.00.04.H38"])


@pytest.fixture
def monday_file(world, birth):
    """Received Monday 5 October 2026 at 09:00 at the province's desk, not yet handed on."""
    return receive(world.users["clerk"], birth, vn(2026, 10, 5, 9, 0))


def events_of(code):
    db.session.expire_all()
    return [e.type for e in db.session.scalar(sa.select(Application).filter_by(code=code)).events]


def typed(application, user, event_type, recorded, at, reason, **data):
    """An event typed in at `recorded` with the earlier time `at` and the reason for it, committed."""
    with frozen_at(recorded):
        made = lifecycle.record_event(application, user, event_type, at=at, backdate_reason=reason, **data)
    db.session.commit()
    return made


def bearer(client, username):
    token = client.post("/api/v1/tokens", json={"username": username, "password": "demo"}).get_json()["token"]
    return {"Authorization": f"Bearer {token}"}


# ---------------------------------------------------------------- the working day


def test_a_working_day_runs_from_its_midnight_until_the_next_working_day_begins():
    calendar = WorkingCalendar()
    assert rules.working_day_start(calendar, vn(2026, 10, 6, 10, 0)) == vn(2026, 10, 6)  # Tuesday
    assert rules.working_day_start(calendar, vn(2026, 10, 6, 23, 59)) == vn(2026, 10, 6)  # its evening
    assert rules.working_day_start(calendar, vn(2026, 10, 10, 9, 0)) == vn(2026, 10, 9)  # Saturday: Friday's
    assert rules.working_day_start(calendar, vn(2026, 10, 12, 0, 0)) == vn(2026, 10, 12)  # Monday at midnight
    # 2026: Monday 31 August off (made up on Saturday 22 August), 1-2 September holidays
    assert rules.working_day_start(calendar, vn(2026, 9, 2, 12, 0)) == vn(2026, 8, 28)
    assert rules.working_day_start(calendar, vn(2026, 8, 22, 9, 0)) == vn(2026, 8, 22)  # the make-up Saturday
    # Vietnam's midnight, not the server's: 06:30 in Hanoi is still the previous evening in UTC
    assert rules.working_day_start(calendar, vn(2026, 10, 6, 6, 30)) == vn(2026, 10, 6)


# ---------------------------------------------------------------- the desk's web form


def test_a_clerk_cannot_date_a_transfer_back_to_yesterday(client, auth, monday_file):
    auth.login("clerk")
    with frozen_at(vn(2026, 10, 6, 8, 0)):
        response = client.post(f"/applications/{monday_file.code}/events/transfer", data={
            "at": "2026-10-05T16:00", "backdate_reason": "Quên ghi chiều qua."})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert YESTERDAY_REFUSED in page
    assert "Trước ngày làm việc hiện tại: chỉ lãnh đạo được ghi." in page  # beside the time's field
    assert 'value="Quên ghi chiều qua."' in page  # what was typed is kept for the next try
    assert events_of(monday_file.code) == ["receive"]


def test_a_clerk_dates_a_transfer_back_within_the_day_with_a_reason_and_it_is_marked(client, auth, monday_file):
    auth.login("clerk")
    with frozen_at(vn(2026, 10, 6, 10, 0)):
        response = client.post(f"/applications/{monday_file.code}/events/transfer", data={
            "at": "2026-10-06T07:45", "backdate_reason": "Đã giao hồ sơ đầu giờ, quên bấm chuyển."})
    assert response.status_code == 302
    transfer = db.session.scalar(sa.select(ApplicationEvent).filter_by(application_id=monday_file.id, seq=2))
    assert (transfer.type, transfer.at.astimezone(VN), transfer.recorded_at.astimezone(VN)) == (
        "transfer", vn(2026, 10, 6, 7, 45), vn(2026, 10, 6, 10, 0))
    assert transfer.backdate_reason == "Đã giao hồ sơ đầu giờ, quên bấm chuyển."
    page = client.get(f"/applications/{monday_file.code}").get_data(as_text=True)
    assert ('<span class="badge warn backdated">Ghi lùi thời điểm</span> <span class="muted">ghi vào lúc '
            '10:00 06/10/2026</span> – Đã giao hồ sơ đầu giờ, quên bấm chuyển.') in page
    assert page.count("badge warn backdated") == 1  # the reception is not back-dated


def test_a_past_time_without_a_reason_is_refused(client, auth, monday_file):
    auth.login("clerk")
    with frozen_at(vn(2026, 10, 6, 10, 0)):
        response = client.post(f"/applications/{monday_file.code}/events/transfer", data={"at": "2026-10-06T08:00"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Thời điểm đã qua: nhập lý do ghi lùi thời điểm." in page
    assert "Bắt buộc khi ghi lùi thời điểm." in page  # beside the reason's field
    assert events_of(monday_file.code) == ["receive"]


def test_a_reason_without_a_past_time_is_refused_and_the_current_minute_is_not_the_past(client, auth, monday_file):
    auth.login("clerk")
    url = f"/applications/{monday_file.code}/events/transfer"
    with frozen_at(vn(2026, 10, 6, 10, 0, 40)):
        refused = client.post(url, data={"backdate_reason": "Không cần."})
        assert refused.status_code == 400
        assert "Chỉ ghi lý do ghi lùi khi nhập một thời điểm đã qua." in refused.get_data(as_text=True)
        assert events_of(monday_file.code) == ["receive"]
        # the minute typed in the form (10:00, 40 seconds ago) is now: no reason asked, nothing marked
        assert client.post(url, data={"at": "2026-10-06T10:00"}).status_code == 302
    transfer = db.session.scalar(sa.select(ApplicationEvent).filter_by(application_id=monday_file.id, seq=2))
    assert transfer.backdate_reason is None and not transfer.backdated


def test_the_future_stays_refused_reason_or_not(client, auth, monday_file):
    auth.login("clerk")
    with frozen_at(vn(2026, 10, 6, 10, 0)):
        response = client.post(f"/applications/{monday_file.code}/events/transfer", data={
            "at": "2026-10-06T11:00", "backdate_reason": "Lý do."})
    assert response.status_code == 400
    assert "Không được ghi sự kiện ở thời điểm tương lai." in response.get_data(as_text=True)
    assert events_of(monday_file.code) == ["receive"]


def test_an_officer_cannot_turn_a_late_file_on_time_but_a_supervisor_may_with_a_reason(client, world, monday_file):
    code = monday_file.code
    event(monday_file, world.users["clerk"], "transfer", vn(2026, 10, 5, 9, 30))
    assert monday_file.due_at.astimezone(VN) == vn(2026, 10, 8, 17, 0)  # Thursday
    body = {"type": "result_ready", "at": "2026-10-08T16:00:00+07:00",
            "backdate_reason": "Kết quả ký chiều thứ Năm, hệ thống mất điện."}
    with frozen_at(vn(2026, 10, 9, 10, 0)):  # Friday: the file is late
        officer = client.post(f"/api/v1/applications/{code}/events", json=body, headers=bearer(client, "officer"))
        assert officer.status_code == 400
        assert officer.get_json()["error"] == YESTERDAY_REFUSED.replace("06/10/2026", "09/10/2026")
        assert officer.get_json()["errors"] == {"at": "Trước ngày làm việc hiện tại: chỉ lãnh đạo được ghi."}
        assert events_of(code) == ["receive", "transfer"]
        supervisor = client.post(f"/api/v1/applications/{code}/events", json=body,
                                 headers=bearer(client, "supervisor"))
    assert supervisor.status_code == 201
    recorded = supervisor.get_json()["event"]
    assert (recorded["type"], recorded["at"], recorded["recorded_at"], recorded["user"], recorded["backdate_reason"],
            recorded["data"]["overall"]) == ("result_ready", "2026-10-08T16:00:00+07:00", "2026-10-09T10:00:00+07:00",
                                             "supervisor", "Kết quả ký chiều thứ Năm, hệ thống mất điện.", "on_time")
    # the application's own record says so too
    events = client.get(f"/api/v1/applications/{code}", headers=bearer(client, "supervisor")).get_json()["events"]
    assert [e["backdate_reason"] for e in events] == [None, None, "Kết quả ký chiều thứ Năm, hệ thống mất điện."]


def test_the_api_refuses_a_past_time_without_a_reason_by_name(client, monday_file):
    with frozen_at(vn(2026, 10, 6, 10, 0)):
        response = client.post(f"/api/v1/applications/{monday_file.code}/events", headers=bearer(client, "clerk"),
                                json={"type": "transfer", "at": "2026-10-06T09:00:00+07:00"})
    assert response.status_code == 400
    assert response.get_json()["errors"] == {"backdate_reason": "Bắt buộc khi ghi lùi thời điểm."}
    assert events_of(monday_file.code) == ["receive"]


def test_a_saturday_entry_of_fridays_hand_back_is_the_same_working_day(world, birth):
    clerk, officer = world.users["clerk"], world.users["officer"]
    application = receive(clerk, birth, vn(2026, 10, 5, 9, 0))
    event(application, clerk, "transfer", vn(2026, 10, 5, 9, 30))
    event(application, officer, "result_ready", vn(2026, 10, 8, 15, 0))
    returned = typed(application, clerk, "return", vn(2026, 10, 10, 8, 30), vn(2026, 10, 9, 16, 45),
                     "Trả kết quả chiều thứ Sáu, ghi bù sáng thứ Bảy.")
    assert returned.at.astimezone(VN) == vn(2026, 10, 9, 16, 45) and returned.backdated


# ---------------------------------------------------------------- the supervisors' list


@pytest.fixture
def backdated_world(world, birth):
    """Three back-dated events on three files: two recorded Friday 9 October (one by the supervisor, from the day
    before), one recorded Tuesday 6 October (by a clerk, the same morning)."""
    clerk, supervisor = world.users["clerk"], world.users["supervisor"]
    made = []
    for minute in (0, 10, 20):
        application = receive(clerk, birth, vn(2026, 10, 5, 9, minute))
        made.append(application)
    typed(made[0], clerk, "transfer", vn(2026, 10, 6, 10, 0), vn(2026, 10, 6, 7, 45), "Giao đầu giờ.")
    for application in made[1:]:
        event(application, clerk, "transfer", vn(2026, 10, 5, 9, 30))
    typed(made[1], supervisor, "result_ready", vn(2026, 10, 9, 10, 0), vn(2026, 10, 8, 16, 0), "Kết quả ký hôm qua.")
    typed(made[2], supervisor, "result_ready", vn(2026, 10, 9, 11, 0), vn(2026, 10, 9, 8, 0),
          "=HYPERLINK(\"http://x\")")
    return made


def test_a_supervisor_lists_the_back_dated_events_of_a_period(client, auth, backdated_world):
    auth.login("supervisor")
    with frozen_at(vn(2026, 10, 12, 9, 0)):
        page = client.get("/board/backdated?from=2026-10-09&to=2026-10-09")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    codes = [application.code for application in backdated_world]
    # newest recorded first; Tuesday's is outside the period
    assert html.index(codes[2]) < html.index(codes[1]) and codes[0] not in html
    assert ('<td data-label="Thời điểm sự kiện">16:00 08/10/2026</td>\n'
            '      <td data-label="Ghi vào lúc">10:00 09/10/2026</td>\n'
            '      <td data-label="Lùi">18 giờ 0 phút<br><span class="badge bad">Trước ngày làm việc</span></td>\n'
            '      <td data-label="Người ghi">Trần Thị Lãnh</td>\n'
            '      <td data-label="Lý do ghi lùi">Kết quả ký hôm qua.</td>') in html
    assert '<td data-label="Lùi">3 giờ 0 phút</td>' in html
    week = client.get("/board/backdated?from=2026-10-05&to=2026-10-11").get_data(as_text=True)
    assert all(code in week for code in codes)


def test_the_list_pages_by_keyset_and_answers_the_api_the_same(client, backdated_world):
    headers = bearer(client, "supervisor")
    first = client.get("/api/v1/events/backdated?from=2026-10-05&to=2026-10-11&per_page=2", headers=headers)
    assert first.status_code == 200
    body = first.get_json()
    assert [(item["application"], item["type"], item["at"], item["earlier_day"]) for item in body["items"]] == [
        (backdated_world[2].code, "result_ready", "2026-10-09T08:00:00+07:00", False),
        (backdated_world[1].code, "result_ready", "2026-10-08T16:00:00+07:00", True),
    ]
    assert body["items"][1] == {"application": backdated_world[1].code, "seq": 3, "type": "result_ready",
                                "at": "2026-10-08T16:00:00+07:00", "recorded_at": "2026-10-09T10:00:00+07:00",
                                "user": "supervisor", "backdate_reason": "Kết quả ký hôm qua.", "earlier_day": True}
    second = client.get(f"/api/v1/events/backdated?from=2026-10-05&to=2026-10-11&per_page=2&after={body['next']}",
                        headers=headers).get_json()
    assert [item["application"] for item in second["items"]] == [backdated_world[0].code]
    assert second["next"] is None
    for bad in ("from=2026-10-05", "from=2026-10-11&to=2026-10-05", "from=05/10/2026&to=2026-10-11",
                "from=2026-10-05&to=2026-10-11&after=xyz"):
        refused = client.get(f"/api/v1/events/backdated?{bad}", headers=headers)
        assert refused.status_code == 400 and refused.get_json()["error"]
    assert client.get("/api/v1/events/backdated?from=2026-10-05&to=2026-10-11",
                      headers=bearer(client, "clerk")).status_code == 403


def test_the_list_holds_only_the_agencies_the_supervisor_sees(client, auth, world, backdated_world):
    accounts.create_user("lanhdao.yenbai", "demo", "Vũ Thị Phường", world.agencies["000.21.00.H38"], ["supervisor"],
                         allow_demo_password=True)
    db.session.commit()
    commune = client.get("/api/v1/events/backdated?from=2026-10-05&to=2026-10-11",
                         headers=bearer(client, "lanhdao.yenbai")).get_json()
    assert commune["items"] == []  # the province's files are not the ward's
    province = client.get("/api/v1/events/backdated?from=2026-10-05&to=2026-10-11",
                          headers=bearer(client, "supervisor")).get_json()
    assert len(province["items"]) == 3


def test_the_list_downloads_as_csv_with_formulas_defused(client, auth, backdated_world):
    auth.login("supervisor")
    response = client.get("/board/backdated.csv?from=2026-10-09&to=2026-10-09")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == 'attachment; filename="ghi-lui-thoi-diem-20261009-20261009.csv"'
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).removeprefix("\ufeff"))))
    assert rows == [
        ["Mã hồ sơ", "Sự kiện", "Thời điểm sự kiện", "Ghi vào lúc", "Lùi (giờ)", "Trước ngày làm việc",
         "Người ghi", "Tài khoản", "Lý do ghi lùi"],
        [backdated_world[2].code, "Có kết quả", "08:00 09/10/2026", "11:00 09/10/2026", "3,0", "Không",
         "Trần Thị Lãnh", "supervisor", "'=HYPERLINK(\"http://x\")"],
        [backdated_world[1].code, "Có kết quả", "16:00 08/10/2026", "10:00 09/10/2026", "18,0", "Có",
         "Trần Thị Lãnh", "supervisor", "Kết quả ký hôm qua."],
    ]


def test_the_list_page_refuses_a_bad_period_with_400(client, auth, backdated_world):
    auth.login("supervisor")
    backwards = client.get("/board/backdated?from=2026-10-11&to=2026-10-05")
    assert backwards.status_code == 400 and "«to» phải không trước «from»." in backwards.get_data(as_text=True)
    unreadable = client.get("/board/backdated?from=hôm-qua")
    assert unreadable.status_code == 400
    assert "«from» phải là ngày dạng YYYY-MM-DD." in unreadable.get_data(as_text=True)
    assert client.get("/board/backdated?after=abc").status_code == 400
    auth.logout()
    auth.login("clerk")
    assert client.get("/board/backdated").status_code == 403


# ---------------------------------------------------------------- the control slip and the check


def test_the_control_slip_marks_the_back_dated_row(client, auth, backdated_world):
    auth.login("supervisor")
    response = client.get(f"/applications/{backdated_world[1].code}/forms/control.pdf")
    assert response.status_code == 200
    text = " ".join("".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages).split())
    assert "Ghi lùi thời điểm (ghi lúc 10:00 09/10/2026): Kết quả ký hôm qua." in text
    assert text.count("Ghi lùi thời điểm") == 1  # the transfer of Monday was recorded at its own time


def test_back_dated_events_pass_the_verify_command(runner, backdated_world):
    result = runner.invoke(args=["applications", "verify"])
    assert result.exit_code == 0
    assert "Mọi hồ sơ khớp với sự kiện và lịch làm việc." in result.output
