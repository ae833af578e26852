"""Publishing like a province: drafts, versions in force from a date, abolition from a date; the desk offers what is
in force on the reception date, an application keeps its version, and the history says who changed what, when."""
from datetime import date, datetime

import pytest
import sqlalchemy as sa

from onestop.procedures import publishing, services
from onestop.reception.services import find_version
from onestop.reception.validation import ReceptionError
from onestop.timeutil import VN, frozen_at
from tests.factories import receive

BIRTH = {"code": "1.001193", "name": "Đăng ký khai sinh", "field": "Hộ tịch", "level": "commune", "time_amount": 3,
         "time_unit": "working_days", "fee": 0,
         "documents": [{"name": "Tờ khai đăng ký khai sinh", "kind": "original", "copies": 1}]}


def at(day: int, hour: int = 9) -> datetime:
    return datetime(2026, 11, day, hour, 0, tzinfo=VN) if day <= 30 else datetime(2026, 12, day - 30, hour, 0, tzinfo=VN)


def names(on: date) -> list[str]:
    return [name for _code, name in services.choices(on)]


@pytest.fixture
def birth(world, db):
    with frozen_at(at(2)):
        procedure = services.create_procedure(BIRTH)
    db.session.commit()
    return procedure


def test_the_desk_receives_under_the_version_in_force_that_day_and_the_application_keeps_it(birth, world, db):
    with frozen_at(at(27)):  # on Friday 27 November the province publishes five days from Tuesday 1 December
        services.update_procedure(birth, {**BIRTH, "name": "Đăng ký khai sinh (mẫu mới)", "time_amount": 5,
                                          "effective_from": date(2026, 12, 1)}, world.users["admin"])
    db.session.commit()
    clerk = world.users["clerk"]
    monday = receive(clerk, birth, at(30))  # Monday 30 November: still three working days
    tuesday = receive(clerk, birth, at(31))  # Tuesday 1 December: five
    assert (monday.version.number, monday.version.time_amount) == (1, 3)
    assert monday.due_at == datetime(2026, 12, 3, 17, 0, tzinfo=VN)
    assert (tuesday.version.number, tuesday.version.time_amount) == (2, 5)
    assert tuesday.due_at == datetime(2026, 12, 8, 17, 0, tzinfo=VN)
    assert names(date(2026, 11, 30)) == ["Đăng ký khai sinh"]
    assert names(date(2026, 12, 1)) == ["Đăng ký khai sinh (mẫu mới)"]
    db.session.expire_all()
    assert db.session.get(type(monday), monday.id).version.number == 1  # received under version 1, kept


def test_a_draft_is_offered_nowhere_until_it_is_published_from_a_date(birth, world, db, client, auth):
    with frozen_at(at(27)):
        draft = services.update_procedure(birth, {**BIRTH, "time_amount": 2, "version_status": "draft"},
                                          world.users["admin"])
        db.session.commit()
        assert (draft.number, draft.status, birth.current.number) == (2, "draft", 1)
        assert find_version("1.001193").number == 1
        with pytest.raises(services.ProcedureError):
            publishing.publish(draft, None, world.users["admin"])
        auth.login("admin")
        response = client.post("/staff/procedures/1.001193/versions/2/publish", data={"effective_from": "2026-12-01"})
        assert response.status_code == 302
        assert find_version("1.001193").number == 1  # not before its date
        assert client.get("/api/v1/procedures/1.001193").get_json()["time_amount"] == 3
    with frozen_at(at(31)):
        assert find_version("1.001193").number == 2
        assert client.get("/api/v1/procedures/1.001193").get_json()["time_amount"] == 2
    page = client.get("/staff/procedures/1.001193").get_data(as_text=True)
    assert "Công bố bản nháp, hiệu lực từ 2026-12-01" in page


def test_a_procedure_known_only_as_a_draft_is_neither_at_the_desk_nor_public(world, db, client):
    services.create_procedure({**BIRTH, "code": "1.000894", "name": "Đăng ký kết hôn", "version_status": "draft"})
    db.session.commit()
    assert names(services.today()) == []
    with pytest.raises(ReceptionError):
        find_version("1.000894")
    assert client.get("/thu-tuc/1.000894").status_code == 404
    assert client.get("/api/v1/procedures/1.000894").status_code == 404
    assert "Đăng ký kết hôn" not in client.get("/thu-tuc").get_data(as_text=True)


def test_an_abolished_procedure_is_offered_until_the_day_before_its_abolition(birth, world, db):
    with frozen_at(at(27)):
        publishing.abolish(birth, date(2026, 12, 1), world.users["admin"], decision={"number": "1805/QĐ-UBND"})
    db.session.commit()
    with frozen_at(at(30)):
        assert birth.status == "in_force"  # abolished from a later date: still in force the day before
    with frozen_at(at(31)):
        assert birth.status == "abolished"  # and abolished on its day, with nothing stored changed
    assert birth.admin_status == "in_force"
    assert receive(world.users["clerk"], birth, at(30)).version.number == 1
    with frozen_at(at(31)):
        with pytest.raises(ReceptionError) as caught:
            find_version("1.001193")
    assert caught.value.errors == {"procedure_code": "Thủ tục đã bãi bỏ từ ngày 01/12/2026."}
    assert names(date(2026, 11, 30)) == ["Đăng ký khai sinh"] and names(date(2026, 12, 1)) == []


def test_before_its_first_date_a_new_procedure_is_not_yet_received(world, db):
    services.create_procedure({**BIRTH, "effective_from": date(2026, 12, 1)})
    db.session.commit()
    with frozen_at(at(30)):
        with pytest.raises(ReceptionError) as caught:
            find_version("1.001193")
    assert caught.value.message == "Thủ tục chưa có hiệu lực vào ngày 30/11/2026."


def test_the_history_says_who_changed_what_and_when(birth, world, db, client, auth):
    same_day = services.update_procedure(birth, {**BIRTH, "time_unit": "same_day", "time_amount": 0,
                                                 "same_day_cutoff": "15:00"}, world.users["admin"])
    services.update_procedure(birth, {**BIRTH, "time_amount": 3, "fee": 8000}, world.users["admin"])
    services.set_status(birth, "suspended", world.users["admin"])
    db.session.commit()
    auth.login("clerk")
    page = client.get("/staff/procedures/1.001193").get_data(as_text=True)
    history = page[page.index('id="lich-su"'):]
    assert "0 trong ngày" not in page
    assert history.count("<td>admin</td>") == 3
    assert "<strong>Thời hạn</strong>: 3 ngày làm việc → Trong ngày (nhận trước 15:00)" in history
    assert "<strong>Thời hạn</strong>: Trong ngày (nhận trước 15:00) → 3 ngày làm việc" in history
    assert "<strong>Phí, lệ phí</strong>: Không → 8.000 đồng" in history
    assert "Đổi trạng thái: Tạm ngưng" in history
    assert same_day.created_by.username == "admin"
    entries = publishing.history(birth)
    assert [entry.what for entry in entries] == ["status", "changed", "changed", "created"]
    assert entries[0].at >= entries[1].at >= entries[3].at
    assert db.session.scalar(sa.select(sa.func.count()).select_from(type(same_day))) == 3


def test_a_decision_imported_after_a_local_edit_supersedes_it_from_its_own_earlier_date(birth, world, db):
    from onestop.procedures.imports import import_catalogue
    from tests.decision_tables import table

    with frozen_at(at(27)):
        services.update_procedure(birth, {**BIRTH, "fee": 8000}, world.users["admin"])  # a local edit, from today
        db.session.commit()
        plan = import_catalogue(*table([
            ["(Kèm theo Quyết định số 2637/QĐ-UBND ngày 16 tháng 11 năm 2026 của Chủ tịch Ủy ban nhân dân tỉnh)"],
            ["STT", "Mã TTHC", "Tên thủ tục hành chính", "Thời hạn giải quyết", "Phí, lệ phí"],
            ["1", "1.001193", "Đăng ký khai sinh", "Trong ngày", "Không"]]), user=world.users["admin"])
        db.session.commit()
        assert plan.updated == ["1.001193"]
        version = find_version("1.001193")
    assert (version.number, version.time_unit, version.fee_amount, version.effective_from) == (
        3, "same_day", 0, date(2026, 11, 16))
    with frozen_at(at(20)):  # a postal file received on 20 November is logged under the decision too
        assert find_version("1.001193").number == 3
