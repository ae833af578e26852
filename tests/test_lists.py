"""Lists that do not count the world: keyset pages, due-time filters, the agency below, the scope only where
it limits something, no row loaded one by one."""
from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa

from onestop import paging
from onestop.auth.models import Agency
from onestop.extensions import db
from onestop.reception import services
from onestop.timeutil import VN, frozen_at
from tests.factories import event, make_procedure, receive
from tests.statements import counted

NOW = datetime(2026, 10, 14, 10, 0, tzinfo=VN)  # a Wednesday


def vn(*args):
    return datetime(*args, tzinfo=VN)


@pytest.fixture
def birth(world):
    """3 working days at Sở Tư pháp."""
    return make_procedure(agency=world.agencies["000.00.04.H38"])


def bearer(client, username):
    token = client.post("/api/v1/tokens", json={"username": username, "password": "demo"}).get_json()["token"]
    return {"Authorization": f"Bearer {token}"}


def pages(client, url, headers):
    """Every page of an API list, following `next`."""
    found, cursor = [], None
    while True:
        body = client.get(url + (f"&after={cursor}" if cursor else ""), headers=headers).get_json()
        found.append(body)
        cursor = body["next"]
        if cursor is None:
            return found


def test_a_supervisor_pages_through_every_overdue_file_soonest_due_first(client, world, birth):
    clerk = world.users["clerk"]
    moments = [vn(2026, 9, 1, 8, 0) + timedelta(days=day, hours=hour) for day in range(28) for hour in (0, 3)]
    made = [receive(clerk, birth, moment) for moment in moments if moment.weekday() < 5]
    assert len(made) == 40
    supervisor = bearer(client, "supervisor")
    with frozen_at(NOW):
        found = pages(client, "/api/v1/applications?due=overdue&per_page=15", supervisor)
    assert [len(page["items"]) for page in found] == [15, 15, 10]
    assert found[0]["total"] == 40 and found[0]["total_exact"] is True
    assert found[1]["total"] is None  # counted on the first page only
    listed = [item for page in found for item in page["items"]]
    expected = sorted(made, key=lambda a: (a.due_at, a.id))
    assert [item["code"] for item in listed] == [a.code for a in expected]
    assert [item["due_at"] for item in listed] == sorted(item["due_at"] for item in listed)


def test_due_today_soon_paused_and_overdue_match_what_each_row_says(client, world, birth):
    clerk, officer = world.users["clerk"], world.users["officer"]
    overdue = receive(clerk, birth, vn(2026, 10, 5, 9, 0))    # due Thu 8 Oct 17:00
    today = receive(clerk, birth, vn(2026, 10, 9, 9, 0))      # due Wed 14 Oct 17:00
    tomorrow = receive(clerk, birth, vn(2026, 10, 12, 9, 0))  # due Thu 15 Oct: 1 working day away
    friday = receive(clerk, birth, vn(2026, 10, 13, 9, 0))    # due Fri 16 Oct: 2 working days away
    monday = receive(clerk, birth, vn(2026, 10, 14, 9, 0))    # due Mon 19 Oct: 3 working days away
    paused = receive(clerk, birth, vn(2026, 10, 7, 9, 0))
    event(paused, clerk, "transfer", vn(2026, 10, 7, 10, 0))
    event(paused, officer, "request_supplement", vn(2026, 10, 8, 9, 0), items=["Giấy chứng sinh"], reason="Thiếu")
    headers = bearer(client, "supervisor")

    def codes(due):
        with frozen_at(NOW):
            body = client.get(f"/api/v1/applications?due={due}", headers=headers).get_json()
        return [item["code"] for item in body["items"]]

    assert codes("overdue") == [overdue.code]
    assert codes("today") == [today.code]
    assert codes("soon") == [tomorrow.code, friday.code]  # after today, within 2 working days (as the board counts)
    assert codes("paused") == [paused.code]
    with frozen_at(NOW):
        states = {a.code: services.due_state(a) for a in (overdue, today, tomorrow, friday, monday, paused)}
    assert states == {overdue.code: "overdue", today.code: "due_soon", tomorrow.code: "due_soon",
                      friday.code: "due_soon", monday.code: "in_time", paused.code: "paused"}
    assert client.get("/api/v1/applications?due=later", headers=headers).status_code == 400


def test_handled_by_takes_the_agency_and_the_units_below_it(client, world):
    land = make_procedure(code="1.004227", name="Đăng ký biến động đất đai", amount=10, field="Đất đai",
                          agency=world.agencies["000.00.05.H38"])
    clerk, officer = world.users["clerk"], world.users["officer.nnmt"]
    at_department = receive(clerk, land, vn(2026, 10, 5, 9, 0))
    at_office = receive(clerk, land, vn(2026, 10, 5, 10, 0))
    event(at_office, clerk, "transfer", vn(2026, 10, 5, 11, 0))
    event(at_office, officer, "step", vn(2026, 10, 6, 9, 0), to_agency="000.01.05.H38")
    assert at_office.processing_agency.code == "000.01.05.H38"
    headers = bearer(client, "supervisor")

    def codes(agency):
        body = client.get(f"/api/v1/applications?handled_by={agency}", headers=headers).get_json()
        return sorted(item["code"] for item in body["items"])

    assert codes("000.00.05.H38") == sorted([at_department.code, at_office.code])
    assert codes("000.01.05.H38") == [at_office.code]
    assert codes("000.00.04.H38") == []
    assert codes("999.99.99.H38") == []


def test_both_sides_of_a_desks_scope_page_together_without_repeats(client, world):
    """phường Yên Bái sees what it received and what the province's centre sent it to process."""
    commune = make_procedure(code="1.001612", name="Đăng ký thường trú", amount=7, level="commune",
                             field="Đăng ký, quản lý cư trú")
    sent = make_procedure(code="1.009999", name="Thủ tục do phường giải quyết", amount=5,
                          agency=world.agencies["000.21.00.H38"])
    own = [receive(world.users["clerk.yenbai"], commune, vn(2026, 10, day, 9, 0)) for day in (5, 7, 9)]
    theirs = [receive(world.users["clerk"], sent, vn(2026, 10, day, 9, 0)) for day in (6, 8, 12)]
    receive(world.users["clerk"], make_procedure(code="2.000488", agency=world.agencies["000.00.04.H38"]),
            vn(2026, 10, 13, 9, 0))  # not Yên Bái's
    headers = bearer(client, "clerk.yenbai")
    found = pages(client, "/api/v1/applications?per_page=2", headers)
    assert [len(page["items"]) for page in found] == [2, 2, 2]
    assert found[0]["total"] == 6
    newest_first = sorted(own + theirs, key=lambda a: a.received_at, reverse=True)
    assert [item["code"] for page in found for item in page["items"]] == [a.code for a in newest_first]


def test_a_user_who_sees_every_agency_gets_no_agency_filter(client, world, birth):
    receive(world.users["clerk"], birth, vn(2026, 10, 5, 9, 0))
    supervisor, officer = world.users["supervisor"], world.users["officer"]
    assert supervisor.sees_every_agency() and not officer.sees_every_agency()
    headers = bearer(client, "supervisor")
    with counted() as sent:
        assert len(client.get("/api/v1/applications", headers=headers).get_json()["items"]) == 1
    listing = [s for s in sent if "FROM application" in s]
    assert listing and not any("agency_id IN" in s for s in listing)


def test_the_agency_tree_is_one_query_and_read_once_per_request(world):
    root = world.agencies["000.00.00.H38"]
    assert root.code == "000.00.00.H38"  # loaded: what follows is the tree alone
    with counted() as sent:
        ids = root.descendant_ids()
    assert [s for s in sent if s != "BEGIN"] == [sent[-1]] and ids == set(db.session.scalars(sa.select(Agency.id)))
    assert world.agencies["000.00.05.H38"].descendant_ids() == {world.agencies["000.00.05.H38"].id,
                                                               world.agencies["000.01.05.H38"].id}
    supervisor = world.users["supervisor"]
    db.session.rollback()
    with counted() as sent:
        first = supervisor.visible_agency_ids()
        for _ in range(5):
            assert supervisor.can_see_agency(world.agencies["000.26.00.H38"].id)
        assert supervisor.sees_every_agency()
    assert len([s for s in sent if "tree" in s]) == 1 and len(first) == 17  # the demo's 17 agencies


def test_a_page_of_fifty_loads_nothing_row_by_row(client, world, birth):
    clerk = world.users["clerk"]
    for day in range(1, 29):
        receive(clerk, birth, vn(2026, 9, day, 9, 0))
    headers = bearer(client, "clerk")
    client.get("/api/v1/applications?per_page=1", headers=headers)  # the token's first use is noted once
    with counted() as small:
        assert len(client.get("/api/v1/applications?per_page=2", headers=headers).get_json()["items"]) == 2
    with counted() as large:
        assert len(client.get("/api/v1/applications?per_page=25", headers=headers).get_json()["items"]) == 25
    assert len(large) == len(small)
    with counted() as whole:  # a first page that is not full is the whole list: nothing to count
        body = client.get("/api/v1/applications?per_page=50", headers=headers).get_json()
    assert (len(body["items"]), body["total"], body["total_exact"]) == (28, 28, True)
    assert not [s for s in whole if "count(" in s] and [s for s in small if "count(" in s]


def test_past_the_count_cap_the_total_is_an_estimate(client, world, birth, monkeypatch):
    monkeypatch.setattr(paging, "TOTAL_CAP", 5)
    for hour in range(8, 16):
        receive(world.users["clerk"], birth, vn(2026, 10, 5, hour, 0))
    body = client.get("/api/v1/applications?per_page=3", headers=bearer(client, "supervisor")).get_json()
    assert body["total_exact"] is False and body["total"] >= 6
    assert len(body["items"]) == 3


def test_a_cursor_that_does_not_decode_is_a_clear_400(client, auth, world, birth):
    headers = bearer(client, "clerk")
    for cursor in ("garbage", paging.encode(["2026-10-05", 1]), paging.encode([1, 2, 3]), paging.encode(["x", "y"])):
        response = client.get(f"/api/v1/applications?after={cursor}", headers=headers)
        assert response.status_code == 400 and "«after»" in response.get_json()["error"]
    auth.login("officer")
    assert client.get("/inbox?after=garbage").status_code == 400


def test_the_officers_inbox_comes_in_pages_of_thirty(client, auth, world, birth):
    clerk = world.users["clerk"]
    made = []
    for day in range(1, 31):
        moment = vn(2026, 9, day, 9, 0)
        if moment.weekday() < 5:
            application = receive(clerk, birth, moment)
            event(application, clerk, "transfer", moment + timedelta(hours=1))
            made.append(application)
    for day in range(1, 15):
        moment = vn(2026, 10, day, 9, 0)
        if moment.weekday() < 5:
            application = receive(clerk, birth, moment)
            event(application, clerk, "transfer", moment + timedelta(hours=1))
            made.append(application)
    assert len(made) == 32
    auth.login("officer")
    with frozen_at(NOW):
        first = client.get("/inbox").get_data(as_text=True)
    assert "32 hồ sơ" in first
    in_order = sorted(made, key=lambda a: (a.due_at, a.id))
    assert in_order[0].code in first and in_order[29].code in first and in_order[30].code not in first
    after = first.split('href="/inbox?after=')[1].split('"')[0]
    with frozen_at(NOW):
        second = client.get(f"/inbox?after={after}").get_data(as_text=True)
    assert in_order[30].code in second and in_order[31].code in second and in_order[29].code not in second
    assert "Trang đầu" in second and "Trang sau" not in second
    with frozen_at(NOW):
        overdue = client.get("/inbox?due=overdue&handled_by=000.00.04.H38").get_data(as_text=True)
    assert in_order[0].code in overdue and "Quá hạn" in overdue


def test_a_page_holds_one_to_two_hundred_rows(client, world, birth):
    for hour in (8, 9, 10):
        receive(world.users["clerk"], birth, vn(2026, 10, 5, hour, 0))
    headers = bearer(client, "supervisor")
    for asked, size, shown in (("-5", 1, 1), ("0", 1, 1), ("500", 200, 3), ("", 50, 3)):
        body = client.get(f"/api/v1/applications?per_page={asked}", headers=headers).get_json()
        assert (body["per_page"], len(body["items"])) == (size, shown), asked
    # a page size that is no number is refused, not served at the default (the OpenAPI document says integer)
    refused = client.get("/api/v1/applications?per_page=x", headers=headers)
    assert (refused.status_code, refused.get_json()["error"]) == (400, "«per_page» phải là số nguyên.")
