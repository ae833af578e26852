"""The rules at their edges: each test here pins a boundary a one-character change to the code would move
(`>` made `>=`, UTC taken for Vietnam time, a check dropped). Issue 11, part 8b."""
from datetime import datetime, time, timedelta

import pytest
import sqlalchemy as sa

from onestop.calendar import rules
from onestop.calendar.working_time import WorkingCalendar
from onestop.extensions import db
from onestop.reception import queries, services
from onestop.reception.models import Application, RegisterSequence
from onestop.reception.validation import ReceptionError, TransitionError
from onestop.timeutil import VN, frozen_at
from tests.factories import applicant, event, make_procedure, receive

CAL = WorkingCalendar()


def vn(*args):
    return datetime(*args, tzinfo=VN)


@pytest.fixture
def birth(world):
    """3 working days at Sở Tư pháp."""
    return make_procedure(agency=world.agencies["000.00.04.H38"])


@pytest.fixture
def bearer(client, world):
    def token_for(username):
        token = client.post("/api/v1/tokens", json={"username": username, "password": "demo"}).get_json()["token"]
        return {"Authorization": f"Bearer {token}"}
    return token_for


# ---------------------------------------------------------------- the cut-offs at exactly 15:00


def test_a_same_day_procedure_received_at_1500_sharp_is_due_that_day():
    assert CAL.due_at(vn(2026, 10, 9, 15, 0), 0, "same_day", time(15, 0)) == vn(2026, 10, 9, 17, 0)
    assert CAL.due_at(vn(2026, 10, 9, 15, 0, 1), 0, "same_day", time(15, 0)) == vn(2026, 10, 12, 17, 0)


def test_a_file_handed_over_at_1500_sharp_counts_from_that_moment(app):
    calendar = WorkingCalendar()
    assert rules.processing_starts(calendar, vn(2026, 10, 7, 15, 0)) == vn(2026, 10, 7, 15, 0)
    assert rules.processing_starts(calendar, vn(2026, 10, 7, 15, 1)) == vn(2026, 10, 8, 7, 30)
    assert rules.handover_deadline(calendar, vn(2026, 10, 7, 15, 0)) == vn(2026, 10, 7, 17, 0)
    assert rules.handover_deadline(calendar, vn(2026, 10, 7, 15, 1)) == vn(2026, 10, 8, 17, 0)


# ---------------------------------------------------------------- the calendar


def test_a_morning_off_moves_a_morning_reception_to_the_afternoon_and_shortens_the_day():
    calendar = WorkingCalendar({vn(2026, 10, 7, 0, 0).date(): "half_off_morning"})
    assert calendar.reception_moment(vn(2026, 10, 7, 8, 0)) == vn(2026, 10, 7, 13, 30)
    # 4 working hours from 13:30 on a day with only the afternoon: 3.5 that day, 0.5 the next morning
    assert calendar.due_at(vn(2026, 10, 7, 8, 0), 4, "working_hours") == vn(2026, 10, 8, 8, 0)
    assert calendar.working_time_between(vn(2026, 10, 7, 7, 30), vn(2026, 10, 7, 17, 0)) == timedelta(hours=3, minutes=30)


# ---------------------------------------------------------------- the code's date and the register's year


def test_the_code_and_the_register_take_the_date_in_vietnam_just_after_midnight(world, birth, client, bearer):
    clerk = bearer("clerk")
    receive(world.users["clerk"], birth, vn(2026, 12, 31, 9, 0))  # the 2026 volume's first entry
    # 06:30 on 1 January 2027 in Vietnam is still 31 December 2026 in UTC
    with frozen_at(vn(2027, 1, 1, 6, 45)):
        answer = client.post("/api/v1/applications", headers=clerk, json={
            "procedure_code": birth.code, "applicant": applicant(), "documents": ["Tờ khai"], "channel": "online",
            "received_at": "2027-01-01T06:30:00+07:00"})
    assert answer.status_code == 201, answer.get_json()
    assert answer.get_json()["code"] == "000.00.01.H38-270101-0001"
    stored = db.session.scalar(sa.select(Application).filter_by(code="000.00.01.H38-270101-0001"))
    assert stored.register_entry == 1  # the first entry of the 2027 volume, not the 2026 one's second
    volumes = db.session.execute(sa.select(RegisterSequence.year, RegisterSequence.last_value)
                                 .order_by(RegisterSequence.year)).all()
    assert volumes == [(2026, 1), (2027, 1)]


# ---------------------------------------------------------------- what the desk may record


def test_a_nine_digit_number_is_not_a_personal_identification_number(world, birth):
    with frozen_at(vn(2026, 10, 5, 9, 0)), pytest.raises(ReceptionError) as caught:
        services.receive_application(world.users["clerk"], {
            "procedure_code": birth.code, "applicant": applicant(id_number="015190001"), "documents": ["Tờ khai"]})
    assert "applicant.id_number" in caught.value.errors
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Application)) == 0


def test_an_in_person_application_cannot_be_back_dated(world, birth, client, bearer):
    with frozen_at(vn(2026, 10, 5, 9, 0)):
        answer = client.post("/api/v1/applications", headers=bearer("clerk"), json={
            "procedure_code": birth.code, "applicant": applicant(), "documents": ["Tờ khai"], "channel": "in_person",
            "received_at": "2026-10-05T08:00:00+07:00"})
    assert answer.status_code == 400
    assert set(answer.get_json()["errors"]) == {"received_at"}


def test_an_online_application_cannot_be_received_in_the_future(world, birth, client, bearer):
    with frozen_at(vn(2026, 10, 5, 9, 0)):
        later = client.post("/api/v1/applications", headers=bearer("clerk"), json={
            "procedure_code": birth.code, "applicant": applicant(), "documents": ["Tờ khai"], "channel": "online",
            "received_at": "2026-10-05T09:05:00+07:00"})
        skew = client.post("/api/v1/applications", headers=bearer("clerk"), json={
            "procedure_code": birth.code, "applicant": applicant(), "documents": ["Tờ khai"], "channel": "online",
            "received_at": "2026-10-05T09:01:00+07:00"})  # a clock a minute ahead is not the future
    assert later.status_code == 400 and set(later.get_json()["errors"]) == {"received_at"}
    assert skew.status_code == 201


# ---------------------------------------------------------------- the lifecycle's "only once" and "not after"


def test_a_second_apology_is_refused(world, birth):
    clerk, officer = world.users["clerk"], world.users["officer"]
    application = receive(clerk, birth, vn(2026, 10, 5, 9, 0))  # due Thursday 8 October 17:00
    event(application, clerk, "transfer", vn(2026, 10, 5, 9, 30))
    event(application, officer, "apologise", vn(2026, 10, 6, 9, 0), reason="Cần xác minh",
          new_due_at=vn(2026, 10, 12, 17, 0))
    with pytest.raises(TransitionError, match="một lần"):
        event(application, officer, "apologise", vn(2026, 10, 6, 10, 0), reason="Lại chậm",
              new_due_at=vn(2026, 10, 14, 17, 0))
    db.session.rollback()
    assert [e.type for e in application.events].count("apologise") == 1


def test_no_refusal_once_the_result_is_ready(world, birth):
    clerk, officer = world.users["clerk"], world.users["officer"]
    application = receive(clerk, birth, vn(2026, 10, 5, 9, 0))
    event(application, clerk, "transfer", vn(2026, 10, 5, 9, 30))
    event(application, officer, "result_ready", vn(2026, 10, 6, 9, 0))
    with pytest.raises(TransitionError):
        event(application, officer, "refuse", vn(2026, 10, 6, 10, 0), reasons=["Sai"])
    db.session.rollback()
    assert application.status == "result_ready"


# ---------------------------------------------------------------- due soon, overdue, paused


def test_due_soon_means_within_two_working_days_and_not_three(world, birth):
    application = receive(world.users["clerk"], birth, vn(2026, 10, 5, 9, 0))  # due Thursday 8 October 17:00
    assert services.due_state(application, vn(2026, 10, 6, 9, 0), CAL) == "due_soon"   # Tue: 2 working days
    assert services.due_state(application, vn(2026, 10, 5, 9, 0), CAL) == "in_time"    # Mon: 3 working days
    assert services.due_state(application, vn(2026, 10, 8, 17, 0), CAL) == "due_soon"  # at the due time itself
    assert services.due_state(application, vn(2026, 10, 8, 17, 1), CAL) == "overdue"


def test_a_file_waiting_for_the_applicant_is_paused_not_overdue(world, birth):
    clerk, officer = world.users["clerk"], world.users["officer"]
    application = receive(clerk, birth, vn(2026, 10, 5, 9, 0))
    event(application, clerk, "transfer", vn(2026, 10, 5, 9, 30))
    event(application, officer, "request_supplement", vn(2026, 10, 6, 9, 0), items=["Bản sao giấy khai sinh"],
          reason="Thiếu")
    late = receive(clerk, birth, vn(2026, 10, 5, 9, 10))
    with frozen_at(vn(2026, 10, 20, 9, 0)):  # both long past their due time
        assert services.due_state(application) == "paused"
        overdue = db.session.scalars(queries.filtered(world.users["supervisor"], overdue=True)).all()
    assert [a.code for a in overdue] == [late.code]


# ---------------------------------------------------------------- who may see what


def test_the_status_page_needs_its_key(world, birth, client):
    application = receive(world.users["clerk"], birth, vn(2026, 10, 5, 9, 0))
    assert client.get(f"/tra-cuu/{application.code}").status_code == 404
    assert client.get(f"/tra-cuu/{application.code}?k=").status_code == 404
    assert client.get(f"/tra-cuu/{application.code}?k={application.tracking_key}").status_code == 200


def test_a_deactivated_users_token_is_refused(world, client, db):
    token = client.post("/api/v1/tokens", json={"username": "clerk", "password": "demo"}).get_json()["token"]
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/tokens", headers=headers).status_code == 200
    world.users["clerk"].active = False
    db.session.commit()
    assert client.get("/api/v1/tokens", headers=headers).status_code == 401


def test_a_deactivated_users_token_identifies_nobody_even_on_public_pages(app, world, client, db):
    from flask_login import current_user

    token = client.post("/api/v1/tokens", json={"username": "clerk", "password": "demo"}).get_json()["token"]
    world.users["clerk"].active = False
    db.session.commit()
    with app.test_request_context("/thu-tuc", headers={"Authorization": f"Bearer {token}"}):
        assert current_user.is_anonymous
