"""Dated changes (issue 21, item 4): a version or an abolition published ahead applies from its own day, with no
job switching anything on that day. A file received before the day keeps the old version, one received on or after
it (its reception moment) gets the new one; the public catalogue says what changes and when; the counts follow.

The story: on Monday 7 December 2026 the province publishes its decisions for 1 January 2027 (a public holiday;
the first working day after it is Monday 4 January)."""
import re
from datetime import date, datetime

import pytest
import sqlalchemy as sa

from onestop.extensions import db
from onestop.procedures import publishing, services
from onestop.reception.services import find_version
from onestop.reception.validation import ReceptionError
from onestop.timeutil import VN, frozen_at
from onestop.tracking.supervision import indicators
from tests.factories import receive

BIRTH = {"code": "1.001193", "name": "Đăng ký khai sinh", "field": "Hộ tịch", "level": "commune", "time_amount": 3,
         "time_unit": "working_days", "fee": 0, "decision_number": "1000/QĐ-UBND",
         "documents": [{"name": "Tờ khai đăng ký khai sinh", "kind": "original", "copies": 1}]}
NEW_YEAR = date(2027, 1, 1)
PUBLISHED = datetime(2026, 12, 7, 9, 0, tzinfo=VN)  # Monday
NEW_YEARS_EVE = datetime(2026, 12, 31, 10, 0, tzinfo=VN)  # Thursday, the last working day of the old year
FIRST_WORKING_DAY = datetime(2027, 1, 4, 9, 0, tzinfo=VN)  # Monday 4 January


@pytest.fixture
def birth(world, db):
    with frozen_at(datetime(2026, 11, 2, 9, 0, tzinfo=VN)):
        procedure = services.create_procedure(BIRTH)
    db.session.commit()
    return procedure


@pytest.fixture
def five_days_from_new_year(birth, world, db):
    """Published on 7 December: five working days and a fee from 1 January, under a new decision."""
    with frozen_at(PUBLISHED):
        version = services.update_procedure(birth, {**BIRTH, "time_amount": 5, "fee": 8000,
                                                    "decision_number": "2801/QĐ-UBND",
                                                    "effective_from": NEW_YEAR}, world.users["admin"])
    db.session.commit()
    return version


@pytest.fixture
def abolished_from_new_year(birth, world, db):
    with frozen_at(PUBLISHED):
        publishing.abolish(birth, NEW_YEAR, world.users["admin"], decision={"number": "1805/QĐ-UBND"})
    db.session.commit()


def picker(on: date) -> list[str]:
    return [code for code, _name in services.choices(on)]


def text_of(html: str) -> str:
    """The page's words without tags and with single spaces, as a reader sees them."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace(" .", ".").replace(" ;", ";")


def test_a_version_published_today_for_next_month_applies_to_files_received_from_its_day(
        five_days_from_new_year, world, client):
    clerk = world.users["clerk"]
    today = receive(clerk, five_days_from_new_year.procedure, PUBLISHED)
    eve = receive(clerk, five_days_from_new_year.procedure, NEW_YEARS_EVE)
    january = receive(clerk, five_days_from_new_year.procedure, FIRST_WORKING_DAY)
    assert [(a.version.number, a.version.time_amount, a.due_at) for a in (today, eve, january)] == [
        (1, 3, datetime(2026, 12, 10, 17, 0, tzinfo=VN)),  # received on the day it was published: the old time
        (1, 3, datetime(2027, 1, 6, 17, 0, tzinfo=VN)),  # the day before (1 January is a holiday): still the old
        (2, 5, datetime(2027, 1, 11, 17, 0, tzinfo=VN)),  # from its day: the new time
    ]
    db.session.expire_all()
    assert db.session.get(type(today), today.id).version.number == 1  # kept after the day came
    # the desk's picker and its preview show what a file received then would get
    assert picker(date(2026, 12, 31)) == picker(date(2027, 1, 4)) == ["1.001193"]
    client.post("/login", data={"username": "clerk", "password": "demo"})
    with frozen_at(PUBLISHED):
        assert client.get("/desk/preview?procedure=1.001193").get_json()["time_text"] == "03 ngày làm việc"
    with frozen_at(FIRST_WORKING_DAY):
        preview = client.get("/desk/preview?procedure=1.001193").get_json()
    assert (preview["time_text"], preview["due_at"]) == ("05 ngày làm việc", "17:00 11/01/2027")


def test_a_file_sent_online_on_the_evening_before_the_day_is_received_under_the_new_version(
        five_days_from_new_year, world):
    """Its time counts from its reception moment, the next working day's opening: so does its version."""
    evening = datetime(2026, 12, 31, 20, 0, tzinfo=VN)
    with frozen_at(evening):
        assert find_version("1.001193").number == 1  # today's picker still shows the old one
    online = receive(world.users["clerk"], five_days_from_new_year.procedure, datetime(2026, 12, 31, 20, 5, tzinfo=VN),
                     channel="online", received_at=evening)
    assert (online.version.number, online.reception_moment, online.due_at) == (
        2, datetime(2027, 1, 4, 7, 30, tzinfo=VN), datetime(2027, 1, 11, 17, 0, tzinfo=VN))


def test_an_abolition_dated_next_month_takes_effect_on_its_day(abolished_from_new_year, birth, world, client):
    clerk = world.users["clerk"]
    with frozen_at(NEW_YEARS_EVE):
        assert (birth.status, picker(date(2026, 12, 31))) == ("in_force", ["1.001193"])
        assert client.get("/thu-tuc/1.001193").status_code == 200
        assert client.get("/api/v1/procedures/1.001193").status_code == 200
    assert receive(clerk, birth, NEW_YEARS_EVE).version.number == 1
    with frozen_at(FIRST_WORKING_DAY):
        assert birth.status == "abolished"
        assert services.get_by_code("1.001193").admin_status == "in_force"  # nothing stored was switched
        with pytest.raises(ReceptionError) as refused:
            receive(clerk, birth, FIRST_WORKING_DAY)
        assert client.get("/thu-tuc/1.001193").status_code == 404
        assert client.get("/api/v1/procedures/1.001193").status_code == 404
        assert "1.001193" not in client.get("/thu-tuc").get_data(as_text=True)
        assert client.get("/api/v1/procedures").get_json()["total"] == 0
        client.post("/login", data={"username": "admin", "password": "demo"})
        abolished = client.get("/staff/procedures?status=abolished").get_data(as_text=True)
        in_force = client.get("/staff/procedures?status=in_force").get_data(as_text=True)
    assert refused.value.errors == {"procedure_code": "Thủ tục đã bãi bỏ từ ngày 01/01/2027."}
    assert picker(date(2027, 1, 4)) == []
    assert "1.001193" in abolished and "Đã bãi bỏ" in abolished and "1.001193" not in in_force
    db.session.rollback()
    # a postal file posted on 31 December and logged after the day keeps the version it was sent under
    postal = receive(clerk, birth, FIRST_WORKING_DAY, channel="postal", received_at=NEW_YEARS_EVE)
    assert (postal.version.number, postal.due_at) == (1, datetime(2027, 1, 6, 17, 0, tzinfo=VN))


def test_the_public_pages_say_what_changes_and_from_when(five_days_from_new_year, client):
    with frozen_at(PUBLISHED):
        listing = text_of(client.get("/thu-tuc").get_data(as_text=True))
        detail = client.get("/thu-tuc/1.001193").get_data(as_text=True)
        ahead = text_of(client.get("/thu-tuc/1.001193?ngay=2027-01-01").get_data(as_text=True))
        wrong_day = client.get("/thu-tuc/1.001193?ngay=01/01/2027")
    note = ("Từ ngày 01/01/2027: Thời hạn: 3 ngày làm việc → 5 ngày làm việc; "
            "Phí, lệ phí: Không → 8.000 đồng (Quyết định 2801/QĐ-UBND).")
    assert note in listing
    assert "3 ngày làm việc" in listing.replace(note, "")  # the row itself shows what applies today
    assert note in text_of(detail)
    assert 'href="/thu-tuc/1.001193?ngay=2027-01-01"' in detail
    assert "Xem nội dung áp dụng từ ngày 01/01/2027" in text_of(detail)
    assert "Thời hạn giải quyết 5 ngày làm việc" in ahead and "Từ ngày 01/01/2027" not in ahead
    assert wrong_day.status_code == 400
    assert "«ngay» phải là ngày dạng YYYY-MM-DD." in wrong_day.get_data(as_text=True)
    with frozen_at(FIRST_WORKING_DAY):
        listing = text_of(client.get("/thu-tuc").get_data(as_text=True))
        detail = text_of(client.get("/thu-tuc/1.001193").get_data(as_text=True))
    assert "Từ ngày" not in listing and "5 ngày làm việc" in listing and "8.000 đồng" in listing
    assert "Từ ngày" not in detail and "Thời hạn giải quyết 5 ngày làm việc" in detail


def test_the_public_pages_announce_an_abolition_with_its_day(abolished_from_new_year, client):
    with frozen_at(PUBLISHED):
        listing = text_of(client.get("/thu-tuc").get_data(as_text=True))
        detail = text_of(client.get("/thu-tuc/1.001193").get_data(as_text=True))
    assert "Bãi bỏ từ ngày 01/01/2027 (Quyết định 1805/QĐ-UBND)." in listing
    assert "Bãi bỏ từ ngày 01/01/2027 (Quyết định 1805/QĐ-UBND)." in detail
    assert "Xem nội dung áp dụng" not in detail


def test_the_api_gives_the_version_in_force_and_the_changes_published_ahead(five_days_from_new_year, client):
    with frozen_at(PUBLISHED):
        one = client.get("/api/v1/procedures/1.001193").get_json()
        items = client.get("/api/v1/procedures").get_json()["items"]
    assert (one["time_amount"], one["fee"], one["effective_from"], one["status"]) == (3, 0, None, "in_force")
    assert [(c["effective_from"], c["abolished"], c["changed"]) for c in one["coming"]] == [
        ("2027-01-01", False, ["time", "fee"])]
    coming = one["coming"][0]["version"]
    assert (coming["time_amount"], coming["fee"], coming["decision_number"], coming["version"]) == (
        5, 8000, "2801/QĐ-UBND", 2)
    assert items == [one]
    with frozen_at(FIRST_WORKING_DAY):
        one = client.get("/api/v1/procedures/1.001193").get_json()
    assert (one["time_amount"], one["fee"], one["effective_from"], one["coming"]) == (5, 8000, "2027-01-01", [])


def test_the_api_document_names_every_field_a_change_may_list():
    from onestop.api.openapi import CHANGED_FIELDS

    assert set(CHANGED_FIELDS) == set(publishing.HISTORY_LABELS) - set(publishing.UNANNOUNCED)


def test_the_api_announces_an_abolition(abolished_from_new_year, client):
    with frozen_at(PUBLISHED):
        one = client.get("/api/v1/procedures/1.001193").get_json()
    assert one["coming"] == [{"effective_from": "2027-01-01", "abolished": True, "changed": [], "version": None}]


def test_two_changes_ahead_are_announced_in_the_order_they_take_effect(five_days_from_new_year, birth, world, client):
    with frozen_at(PUBLISHED):
        publishing.abolish(birth, date(2027, 7, 1), world.users["admin"], decision={"number": "3000/QĐ-UBND"})
        db.session.commit()
        one = client.get("/api/v1/procedures/1.001193").get_json()
        detail = text_of(client.get("/thu-tuc/1.001193").get_data(as_text=True))
    assert [(c["effective_from"], c["abolished"]) for c in one["coming"]] == [("2027-01-01", False),
                                                                             ("2027-07-01", True)]
    assert detail.index("Từ ngày 01/01/2027:") < detail.index("Bãi bỏ từ ngày 01/07/2027 (Quyết định 3000/QĐ-UBND).")
    with frozen_at(datetime(2027, 7, 1, 9, 0, tzinfo=VN)):
        assert birth.status == "abolished"
        assert client.get("/api/v1/procedures/1.001193").status_code == 404


def test_a_procedure_published_ahead_is_shown_with_its_first_day_and_received_only_from_it(world, db, client):
    with frozen_at(PUBLISHED):
        services.create_procedure({**BIRTH, "code": "1.000894", "name": "Đăng ký kết hôn",
                                   "effective_from": NEW_YEAR})
        db.session.commit()
        listing = text_of(client.get("/thu-tuc").get_data(as_text=True))
        detail = text_of(client.get("/thu-tuc/1.000894").get_data(as_text=True))
        one = client.get("/api/v1/procedures/1.000894").get_json()
        with pytest.raises(ReceptionError):
            find_version("1.000894")
    assert "Đăng ký kết hôn Áp dụng từ ngày 01/01/2027 (Quyết định 1000/QĐ-UBND)." in listing
    assert "Áp dụng từ ngày 01/01/2027" in detail and "Từ ngày 01/01/2027:" not in detail
    assert (one["effective_from"], one["coming"]) == ("2027-01-01", [])
    assert picker(date(2026, 12, 31)) == [] and picker(date(2027, 1, 4)) == ["1.000894"]
    assert receive(world.users["clerk"], services.get_by_code("1.000894"), FIRST_WORKING_DAY).version.number == 1


def test_the_counts_of_procedures_in_force_follow_the_days(abolished_from_new_year, world, db):
    services.create_procedure({**BIRTH, "code": "1.000894", "name": "Đăng ký kết hôn", "effective_from": NEW_YEAR})
    db.session.commit()
    agency, ids = indicators.scope_of("000.00.00.H38")

    def published(start, end, moment):
        with frozen_at(moment):
            return indicators.figures(agency, ids, start, end, moment=moment)["procedures"]["published"]

    december, january = (date(2026, 12, 1), date(2026, 12, 31)), (date(2027, 1, 1), date(2027, 1, 31))
    assert published(*december, PUBLISHED) == 1  # the birth registration; the marriage one starts later
    assert published(*january, FIRST_WORKING_DAY) == 1  # the birth registration abolished, the marriage one begun
    assert published(*december, FIRST_WORKING_DAY) == 1  # December as its catalogue stood on 31 December
    services.get_by_code("1.000894").status = "suspended"  # the administrator's switch still counts at once
    db.session.commit()
    assert published(*january, FIRST_WORKING_DAY) == 0


def test_the_due_date_api_counts_with_the_version_in_force_at_the_reception_moment(five_days_from_new_year, client):
    answers = [client.get(f"/api/v1/due-date?procedure=1.001193&received_at={moment}").get_json()["due_at"]
               for moment in ("2026-12-31T10:00:00%2B07:00", "2026-12-31T20:00:00%2B07:00")]
    assert answers == ["2027-01-06T17:00:00+07:00", "2027-01-11T17:00:00+07:00"]


def test_the_pointer_to_the_newest_version_is_only_ever_derived(five_days_from_new_year, birth, world, db):
    with frozen_at(PUBLISHED):
        draft = services.update_procedure(birth, {**BIRTH, "time_amount": 4, "version_status": "draft"},
                                          world.users["admin"])
        db.session.commit()
        assert birth.current.number == publishing.newest(birth).number == 2  # a draft does not move it
        publishing.publish(draft, date(2027, 2, 1), world.users["admin"])
        db.session.commit()
    assert birth.current.number == publishing.newest(birth).number == 3
    assert [find_version("1.001193", day).number for day in (date(2026, 12, 31), NEW_YEAR, date(2027, 2, 1))] == [
        1, 2, 3]


def test_an_edit_by_hand_cannot_quietly_cancel_a_change_announced_for_a_later_day(
        abolished_from_new_year, birth, world, db, client, auth):
    """A typo fixed on 10 December, dated that day, would be the newest version and outlive the abolition."""
    with frozen_at(datetime(2026, 12, 10, 9, 0, tzinfo=VN)):
        with pytest.raises(services.ProcedureError) as refused:
            services.update_procedure(birth, {**BIRTH, "name": "Đăng ký khai sinh (sửa lỗi chính tả)"},
                                      world.users["admin"])
        db.session.rollback()
        auth.login("admin")
        page = client.post("/staff/procedures/1.001193/edit", data={
            "code": "1.001193", "name": "Đăng ký khai sinh (sửa lỗi chính tả)", "field": "Hộ tịch",
            "level": "commune", "time_amount": "3", "time_unit": "working_days", "fee": "0", "online": "none",
            "sets": "1", "status": "in_force", "version_status": "in_force",
            "documents": "Tờ khai đăng ký khai sinh | bản chính | 1"})
    message = "Phiên bản 2 đã công bố, áp dụng từ ngày 01/01/2027: phiên bản sửa phải có hiệu lực từ ngày đó trở đi."
    assert refused.value.errors == {"effective_from": message}
    assert page.status_code == 400 and message in page.get_data(as_text=True)
    assert [v.number for v in services.get_by_code("1.001193").versions] == [1, 2]
    with frozen_at(datetime(2026, 12, 10, 9, 0, tzinfo=VN)):  # dated from that day on, it is the province's choice
        services.update_procedure(birth, {**BIRTH, "effective_from": NEW_YEAR, "time_amount": 4},
                                  world.users["admin"])
        db.session.commit()
    with frozen_at(FIRST_WORKING_DAY):
        assert (birth.status, find_version("1.001193").number) == ("in_force", 3)


def test_the_stored_day_a_version_is_superseded_is_derived_and_checked(five_days_from_new_year, birth, world, db,
                                                                        app):
    """superseded_from makes "in force on a day" a range test in SQL; `procedures verify` recomputes it."""
    with frozen_at(PUBLISHED):
        publishing.abolish(birth, date(2027, 7, 1), world.users["admin"])
        db.session.commit()
    assert [(v.number, v.superseded_from) for v in birth.versions] == [
        (1, NEW_YEAR), (2, date(2027, 7, 1)), (3, None)]
    runner = app.test_cli_runner()
    assert runner.invoke(args=["procedures", "verify"]).output == "Mọi phiên bản khớp với các ngày hiệu lực.\n"
    birth.versions[0].superseded_from = None  # written behind the catalogue's back
    db.session.commit()
    checked = runner.invoke(args=["procedures", "verify"])
    assert (checked.exit_code, checked.output) == (1, "1.001193 phiên bản 1: lưu —, đúng ra 2027-01-01\n")
    fixed = runner.invoke(args=["procedures", "verify", "--fix"])
    assert fixed.output.endswith("Đã sửa 1 phiên bản.\n") and publishing.stale_dates() == []


def test_the_upgrade_derives_the_days_and_gives_back_the_switch_a_dated_abolition_used_to_take(tmp_path):
    from flask_migrate import downgrade, upgrade

    from onestop import create_app
    from tests import conftest
    from tests.test_migrations import MIGRATIONS

    app = create_app(conftest.test_config(tmp_path))
    with app.app_context():
        conftest.drop_everything()
        upgrade(directory=MIGRATIONS)
        with frozen_at(PUBLISHED):
            birth = services.create_procedure(BIRTH)
            services.update_procedure(birth, {**BIRTH, "time_amount": 5, "effective_from": NEW_YEAR})
            publishing.abolish(birth, date(2026, 11, 20))  # a later publication, from an earlier day
            marriage = services.create_procedure({**BIRTH, "code": "1.000894", "name": "Đăng ký kết hôn"})
            services.set_status(marriage, "abolished")  # by hand: the switch stays
        db.session.commit()
        db.session.remove()
        downgrade(directory=MIGRATIONS, revision="7aab15564e45")  # to just before this change (the time note)
        db.session.execute(sa.text("UPDATE procedure SET status = 'abolished'"))  # as the import used to write it
        db.session.commit()
        db.session.remove()
        upgrade(directory=MIGRATIONS)
        birth = services.get_by_code("1.001193")
        assert [(v.number, v.superseded_from) for v in birth.versions] == [
            (1, date(2026, 11, 20)), (2, date(2026, 11, 20)), (3, None)]  # version 2 never applies
        assert publishing.stale_dates() == []
        assert (birth.admin_status, services.get_by_code("1.000894").admin_status) == ("in_force", "abolished")
        with frozen_at(datetime(2026, 11, 19, 9, 0, tzinfo=VN)):
            assert find_version("1.001193").number == 1  # posted before the abolition: received under version 1
        conftest.drop_everything()
