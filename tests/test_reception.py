"""The desk logs applications and runs their lifecycle: codes, due times, pauses, apologies, roles."""
from datetime import datetime

import pytest
import sqlalchemy as sa

from onestop.reception import lifecycle, printing, services
from onestop.reception.models import Application, ApplicationEvent, DailySequence
from onestop.reception.validation import PermissionDenied, ReceptionError, TransitionError
from onestop.timeutil import VN, frozen_at
from tests.factories import applicant, event, make_procedure, receive
from tests.test_pdf_forms import pdf_text


def vn(*args):
    return datetime(*args, tzinfo=VN)


@pytest.fixture
def birth(world):
    """Đăng ký khai sinh: 3 working days, handled by Sở Tư pháp."""
    return make_procedure(agency=world.agencies["000.00.04.H38"])


@pytest.fixture
def land(world):
    return make_procedure(code="1.004227", name="Đăng ký biến động đất đai", amount=10,
                          agency=world.agencies["000.00.04.H38"], field="Đất đai")


def test_friday_afternoon_application_is_due_wednesday_at_close(world, birth):
    clerk = world.users["clerk"]
    application = receive(clerk, birth, vn(2026, 10, 9, 16, 0))
    assert application.code == "000.00.01.H38-261009-0001"
    assert application.due_at.astimezone(VN) == vn(2026, 10, 14, 17, 0)
    assert application.status == "received"
    assert application.processing_agency.code == "000.00.04.H38"
    assert [e.type for e in application.events] == ["receive"]
    assert application.applicant_phone == "0912345678"


def test_sequence_restarts_each_day_and_per_agency(world, birth, db):
    clerk, district_clerk = world.users["clerk"], world.users["clerk.yenbai"]
    codes = [
        receive(clerk, birth, vn(2026, 10, 9, 8, 0)).code,
        receive(clerk, birth, vn(2026, 10, 9, 8, 5)).code,
        receive(district_clerk, birth, vn(2026, 10, 9, 8, 6)).code,
        receive(clerk, birth, vn(2026, 10, 12, 8, 0)).code,
    ]
    assert codes == [
        "000.00.01.H38-261009-0001",
        "000.00.01.H38-261009-0002",
        "000.21.00.H38-261009-0001",
        "000.00.01.H38-261012-0001",
    ]


def test_double_submission_creates_one_application(world, birth, db):
    clerk = world.users["clerk"]
    data = {"procedure_code": birth.code, "applicant": applicant(), "documents": ["Tờ khai"], "sets": 1}
    with frozen_at(vn(2026, 10, 9, 9, 0)):
        first, created = services.receive_application(clerk, data, submission_key="form-abc")
        db.session.commit()
        second, created_again = services.receive_application(clerk, data, submission_key="form-abc")
    assert (created, created_again) == (True, False)
    assert second.code == first.code
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Application)) == 1


def test_bad_input_lists_every_error_and_writes_nothing(world, birth, db):
    clerk = world.users["clerk"]
    data = {
        "procedure_code": birth.code,
        "applicant": {"kind": "person", "name": "", "id_number": "12345", "phone": "12345", "email": "x@", "address": ""},
        "documents": [],
        "sets": 0,
    }
    with frozen_at(vn(2026, 10, 9, 9, 0)), pytest.raises(ReceptionError) as caught:
        services.receive_application(clerk, data)
    db.session.rollback()
    assert caught.value.errors == {
        "applicant.name": "Nhập họ tên (hoặc tên tổ chức).",
        "applicant.id_number": "Số định danh cá nhân (trên thẻ căn cước, CCCD) phải gồm đúng 12 chữ số.",
        "applicant.phone": "Số điện thoại không đúng định dạng Việt Nam (ví dụ 0912345678).",
        "applicant.email": "Địa chỉ thư điện tử không hợp lệ.",
        "applicant.address": "Nhập địa chỉ.",
        "sets": "Số bộ hồ sơ phải từ 1 đến 50.",
        "documents": "Đánh dấu ít nhất một giấy tờ đã nhận.",
    }
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Application)) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(DailySequence)) == 0
    assert receive(clerk, birth, vn(2026, 10, 9, 9, 1)).code.endswith("-0001")


def test_organisation_applies_with_a_tax_code(world, birth):
    application = receive(world.users["clerk"], birth, vn(2026, 10, 9, 9, 0),
                          applicant=applicant(kind="organisation", name="Công ty TNHH Chè Suối Giàng",
                                              id_number="5200123456-001"))
    assert application.applicant_id_number == "5200123456-001"


def test_supplement_paused_two_working_days_moves_the_due_time_by_two(world, land):
    clerk, officer = world.users["clerk"], world.users["officer"]
    application = receive(clerk, land, vn(2026, 10, 5, 9, 0))
    assert application.due_at.astimezone(VN) == vn(2026, 10, 19, 17, 0)
    event(application, clerk, "transfer", vn(2026, 10, 5, 10, 0))
    event(application, officer, "request_supplement", vn(2026, 10, 6, 10, 0),
          items=["Bản sao Giấy chứng nhận quyền sử dụng đất"], reason="Thiếu giấy tờ")
    assert application.status == "waiting_supplement"
    assert services.due_state(application) == "paused"
    event(application, clerk, "supplement_received", vn(2026, 10, 8, 10, 0))
    assert application.status == "processing"
    assert application.due_at.astimezone(VN) == vn(2026, 10, 21, 17, 0)


def test_supplement_may_be_requested_only_once(world, land):
    clerk, officer = world.users["clerk"], world.users["officer"]
    application = receive(clerk, land, vn(2026, 10, 5, 9, 0))
    event(application, clerk, "transfer", vn(2026, 10, 5, 10, 0))
    event(application, officer, "request_supplement", vn(2026, 10, 6, 10, 0), items=["Sơ đồ thửa đất"], reason="Thiếu")
    event(application, clerk, "supplement_received", vn(2026, 10, 7, 10, 0))
    with pytest.raises(TransitionError, match="chỉ được yêu cầu bổ sung một lần"):
        event(application, officer, "request_supplement", vn(2026, 10, 8, 10, 0), items=["Khác"], reason="Thiếu")


def test_apology_gives_a_new_date_but_the_file_still_counts_late(world, birth):
    clerk, officer = world.users["clerk"], world.users["officer"]
    application = receive(clerk, birth, vn(2026, 10, 5, 9, 0))
    assert application.due_at.astimezone(VN) == vn(2026, 10, 8, 17, 0)
    event(application, clerk, "transfer", vn(2026, 10, 5, 10, 0))
    event(application, officer, "apologise", vn(2026, 10, 7, 10, 0),
          reason="Chờ xác minh của Công an", new_due_at=vn(2026, 10, 12, 17, 0))
    assert application.apology_due_at.astimezone(VN) == vn(2026, 10, 12, 17, 0)
    done = event(application, officer, "result_ready", vn(2026, 10, 9, 10, 0))
    assert application.due_at.astimezone(VN) == vn(2026, 10, 8, 17, 0)
    assert done.data["overall"] == "late"


def test_apology_on_the_due_day_is_too_late(world, birth):
    clerk, officer = world.users["clerk"], world.users["officer"]
    application = receive(clerk, birth, vn(2026, 10, 5, 9, 0))
    event(application, clerk, "transfer", vn(2026, 10, 5, 10, 0))
    with pytest.raises(TransitionError, match="chậm nhất 1 ngày làm việc"):
        event(application, officer, "apologise", vn(2026, 10, 8, 9, 0), reason="Chậm", new_due_at=vn(2026, 10, 12, 17, 0))


def test_each_step_is_judged_against_its_own_deadline(world, birth):
    clerk, officer = world.users["clerk"], world.users["officer"]
    application = receive(clerk, birth, vn(2026, 10, 5, 9, 0))
    event(application, clerk, "transfer", vn(2026, 10, 5, 9, 30))
    step = event(application, officer, "step", vn(2026, 10, 6, 9, 0), to_user="officer", working_days=1,
                 note="Thẩm định")
    assert step.data["result"] == "early"
    assert datetime.fromisoformat(step.data["deadline"]).astimezone(VN) == vn(2026, 10, 7, 17, 0)
    done = event(application, officer, "result_ready", vn(2026, 10, 8, 9, 0))
    assert done.data["result"] == "late"  # the step was due Wednesday 17:00
    assert done.data["overall"] == "on_time"  # the application was due Thursday 17:00


def test_roles_and_agencies_limit_who_acts(world, birth):
    """A step the role or agency does not allow is forbidden (403); one the state does not allow is a conflict (409)."""
    clerk, officer, other = world.users["clerk"], world.users["officer"], world.users["officer.nnmt"]
    application = receive(clerk, birth, vn(2026, 10, 5, 9, 0))
    assert (PermissionDenied.status, TransitionError.status) == (403, 409)
    with pytest.raises(PermissionDenied, match="không có quyền"):
        event(application, officer, "transfer", vn(2026, 10, 5, 9, 30))
    event(application, clerk, "transfer", vn(2026, 10, 5, 9, 30))
    with pytest.raises(PermissionDenied, match="không có quyền"):
        event(application, other, "result_ready", vn(2026, 10, 6, 9, 0))
    with pytest.raises(PermissionDenied, match="không có quyền"):
        event(application, clerk, "result_ready", vn(2026, 10, 6, 9, 0))
    with pytest.raises(TransitionError, match="trạng thái"):
        event(application, clerk, "return", vn(2026, 10, 6, 9, 0))


def test_events_cannot_be_in_the_future_or_before_the_previous_one(world, birth, db):
    clerk = world.users["clerk"]
    application = receive(clerk, birth, vn(2026, 10, 5, 9, 0))
    with frozen_at(vn(2026, 10, 5, 10, 0)):
        with pytest.raises(ReceptionError, match="tương lai"):
            lifecycle.record_event(application, clerk, "transfer", at=vn(2026, 10, 5, 11, 0))
        with pytest.raises(ReceptionError, match="trước sự kiện liền trước"):
            lifecycle.record_event(application, clerk, "transfer", at=vn(2026, 10, 5, 8, 0))
    db.session.rollback()
    assert [e.type for e in application.events] == ["receive"]


def test_events_are_append_only(world, birth, db):
    application = receive(world.users["clerk"], birth, vn(2026, 10, 5, 9, 0))
    first = application.events[0]
    first.note = "sửa lại"
    with pytest.raises(PermissionError):
        db.session.flush()
    db.session.rollback()
    db.session.delete(db.session.get(ApplicationEvent, first.id))
    with pytest.raises(PermissionError):
        db.session.flush()
    db.session.rollback()


def test_whole_lifecycle_to_hand_back(world, birth):
    clerk, officer = world.users["clerk"], world.users["officer"]
    application = receive(clerk, birth, vn(2026, 10, 5, 9, 0))
    event(application, clerk, "transfer", vn(2026, 10, 5, 9, 30))
    event(application, officer, "step", vn(2026, 10, 6, 9, 0), to_user="officer", working_days=1)
    event(application, officer, "result_ready", vn(2026, 10, 7, 9, 0))
    event(application, clerk, "return", vn(2026, 10, 7, 14, 0), method="at_desk")
    assert application.status == "returned"
    assert application.returned_at.astimezone(VN) == vn(2026, 10, 7, 14, 0)
    assert [e.to_status for e in application.events] == ["received", "transferred", "processing", "result_ready", "returned"]
    assert lifecycle.allowed_events(clerk, application) == []


def test_refusal_and_stop_close_the_file(world, birth):
    clerk = world.users["clerk"]
    refused = receive(clerk, birth, vn(2026, 10, 5, 9, 0))
    event(refused, clerk, "refuse", vn(2026, 10, 5, 9, 10), reasons=["Không thuộc thẩm quyền"])
    stopped = receive(clerk, birth, vn(2026, 10, 5, 9, 20))
    event(stopped, clerk, "stop", vn(2026, 10, 5, 9, 30), request="Xin rút hồ sơ để bổ sung sau")
    assert (refused.status, stopped.status) == ("refused", "stopped")
    assert refused.closed_at.astimezone(VN) == vn(2026, 10, 5, 9, 10)


def test_verify_recomputes_stored_due_times(world, land, runner, db):
    clerk, officer = world.users["clerk"], world.users["officer"]
    application = receive(clerk, land, vn(2026, 10, 5, 9, 0))
    event(application, clerk, "transfer", vn(2026, 10, 5, 10, 0))
    event(application, officer, "request_supplement", vn(2026, 10, 6, 10, 0), items=["Sơ đồ"], reason="Thiếu")
    event(application, clerk, "supplement_received", vn(2026, 10, 8, 10, 0))
    result = runner.invoke(args=["applications", "verify"])
    assert result.exit_code == 0, result.output
    assert "Mọi hồ sơ khớp" in result.output
    db.session.execute(sa.update(Application).values(due_at=vn(2026, 10, 19, 17, 0)))
    db.session.commit()
    result = runner.invoke(args=["applications", "verify"])
    assert result.exit_code == 1
    assert "000.00.01.H38-261005-0001  due_at: lưu 17:00 19/10/2026  ≠  tính lại 17:00 21/10/2026" in result.output


def test_desk_slips_are_recorded_without_a_code(world, birth, db):
    from onestop.reception.models import DeskSlip

    clerk = world.users["clerk"]
    slip = services.record_desk_slip(clerk, "supplement", {
        "procedure_code": birth.code, "applicant": applicant(id_number=""),
        "items": ["Giấy chứng sinh (bản chính)"], "reason": "Thiếu giấy chứng sinh"})
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(DeskSlip)) == 1
    assert slip.items == ["Giấy chứng sinh (bản chính)"]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Application)) == 0


def test_each_register_volume_counts_its_own_entries_across_days(world, birth, land):
    """The receipt's "quyển số … số thứ tự …": one volume per field and year, numbered on across days."""
    clerk = world.users["clerk"]
    monday = receive(clerk, birth, vn(2026, 10, 5, 9, 0))
    tuesday = receive(clerk, birth, vn(2026, 10, 6, 9, 0))
    land_file = receive(clerk, land, vn(2026, 10, 6, 9, 30))
    next_year = receive(clerk, birth, vn(2027, 1, 4, 8, 0))
    assert [monday.code[-4:], tuesday.code[-4:], land_file.code[-4:]] == ["0001", "0001", "0002"]  # the day's numbers
    assert [monday.register_entry, tuesday.register_entry, land_file.register_entry, next_year.register_entry] == [
        1, 2, 1, 1]
    text = pdf_text(printing.render_form(tuesday, "receipt"))
    assert "quyển số: Hộ tịch – năm 2026, số thứ tự: 2" in text
