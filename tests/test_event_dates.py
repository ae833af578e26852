"""Events are dated when they happen: a transfer after the 15:00 cut-off or on a Saturday is stamped with its own
moment, and the cut-off only decides deadlines beside it (the desk's hand-over deadline, where the processing
agency's time starts counting). Older databases with transfers stamped ahead keep working."""
from datetime import datetime

import pytest
import sqlalchemy as sa

from onestop.reception.models import Application, ApplicationEvent
from onestop.timeutil import VN, frozen_at
from tests.factories import event, make_procedure, receive


def vn(*args):
    return datetime(*args, tzinfo=VN)


@pytest.fixture
def birth(world):
    """3 working days, handled by Sở Tư pháp."""
    return make_procedure(agency=world.agencies["000.00.04.H38"])


def test_received_wednesday_2pm_transferred_330_the_officer_acts_at_4(world, birth):
    clerk, officer = world.users["clerk"], world.users["officer"]
    application = receive(clerk, birth, vn(2026, 10, 7, 14, 0))  # Wednesday
    transfer = event(application, clerk, "transfer", vn(2026, 10, 7, 15, 30))
    assert transfer.at.astimezone(VN) == vn(2026, 10, 7, 15, 30)
    # the desk had until the close of the reception day: received before the cut-off, handed on in time
    assert datetime.fromisoformat(transfer.data["stage_deadline"]) == vn(2026, 10, 7, 17, 0)
    assert transfer.data["result"] == "on_time"
    # handed over after 15:00: the processing agency's time starts the next working morning
    assert datetime.fromisoformat(transfer.data["counts_from"]) == vn(2026, 10, 8, 7, 30)
    step = event(application, officer, "step", vn(2026, 10, 7, 16, 0), to_user="officer", note="Thẩm định")
    assert step.at.astimezone(VN) == vn(2026, 10, 7, 16, 0)
    assert [e.type for e in application.events] == ["receive", "transfer", "step"]


def test_a_saturday_transfer_is_dated_saturday_and_counts_from_monday_morning(world, birth):
    clerk, officer = world.users["clerk"], world.users["officer"]
    application = receive(clerk, birth, vn(2026, 10, 9, 16, 0))  # Friday, after the cut-off
    transfer = event(application, clerk, "transfer", vn(2026, 10, 10, 9, 0))  # Saturday
    assert transfer.at.astimezone(VN) == vn(2026, 10, 10, 9, 0)
    assert datetime.fromisoformat(transfer.data["counts_from"]) == vn(2026, 10, 12, 7, 30)
    # received after 15:00 on Friday: the desk had until Monday 17:00, so Saturday is early
    assert datetime.fromisoformat(transfer.data["stage_deadline"]) == vn(2026, 10, 12, 17, 0)
    assert transfer.data["result"] == "early"
    step = event(application, officer, "step", vn(2026, 10, 10, 9, 30), to_user="officer")
    assert step.at.astimezone(VN) == vn(2026, 10, 10, 9, 30)


def test_received_at_1500_sharp_the_desk_hands_on_that_day_a_minute_later_the_next(world, birth):
    clerk = world.users["clerk"]
    application = receive(clerk, birth, vn(2026, 10, 7, 15, 0))  # exactly the cut-off: still that day's
    transfer = event(application, clerk, "transfer", vn(2026, 10, 8, 8, 0))
    assert datetime.fromisoformat(transfer.data["stage_deadline"]) == vn(2026, 10, 7, 17, 0)
    assert transfer.data["result"] == "late"
    other = receive(clerk, birth, vn(2026, 10, 7, 15, 1))  # a minute later: the desk has until Thursday 17:00
    transfer = event(other, clerk, "transfer", vn(2026, 10, 8, 8, 0))
    assert datetime.fromisoformat(transfer.data["stage_deadline"]) == vn(2026, 10, 8, 17, 0)
    assert transfer.data["result"] == "on_time"


def test_nothing_is_ever_stamped_in_the_future(world, birth, client):
    clerk = world.users["clerk"]
    application = receive(clerk, birth, vn(2026, 10, 9, 15, 30))
    with frozen_at(vn(2026, 10, 9, 15, 45)):
        event(application, clerk, "transfer", vn(2026, 10, 9, 15, 45))
        assert all(e.at <= vn(2026, 10, 9, 15, 45) for e in application.events)
        page = client.get(f"/tra-cuu/{application.code}?k={application.tracking_key}").get_data(as_text=True)
    assert "15:45 09/10/2026" in page
    assert "12/10/2026" not in page  # the next working morning, as older versions stamped it


def legacy_transfer(application, clerk, stamped: datetime, recorded: datetime) -> None:
    """A transfer as versions before this one wrote it: stamped with the next working morning."""
    from onestop.extensions import db
    from onestop.reception.lifecycle import apply_events

    db.session.add(ApplicationEvent(
        application=application, seq=2, type="transfer", at=stamped, recorded_at=recorded, user_id=clerk.id,
        from_status="received", to_status="transferred",
        data={"from_unit": application.agency.name, "to_unit": application.processing_agency.name,
              "to_agency_id": application.processing_agency_id, "to_user_id": None,
              "stage_deadline": vn(2026, 10, 8, 17, 0).isoformat(), "result": "on_time",
              "deadline": application.due_at.isoformat()}))
    apply_events(application)
    db.session.commit()


def test_an_old_transfer_stamped_ahead_does_not_block_the_officer(world, birth, runner, db, client):
    clerk, officer = world.users["clerk"], world.users["officer"]
    application = receive(clerk, birth, vn(2026, 10, 7, 14, 0))
    legacy_transfer(application, clerk, stamped=vn(2026, 10, 8, 7, 30), recorded=vn(2026, 10, 7, 15, 30))
    step = event(application, officer, "step", vn(2026, 10, 7, 16, 0), to_user="officer")
    assert step.at.astimezone(VN) == vn(2026, 10, 7, 16, 0)
    assert application.status == "processing"
    # the history shows when it happened, never the morning after
    with frozen_at(vn(2026, 10, 7, 16, 5)):
        page = client.get(f"/tra-cuu/{application.code}?k={application.tracking_key}").get_data(as_text=True)
    assert "15:30 07/10/2026" in page and "07:30 08/10/2026" not in page
    result = runner.invoke(args=["applications", "verify"])
    assert result.exit_code == 0, result.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ApplicationEvent)) == 3
    stored = db.session.get(Application, application.id)
    assert [e.type for e in stored.events] == ["receive", "transfer", "step"]
