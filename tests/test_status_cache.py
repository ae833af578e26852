"""The public status page is kept a few seconds in the worker: a citizen refreshing it costs no query; a change to
the file shows at once; a wrong key never finds a right key's page; nothing of one visitor's own is kept."""
import re
from datetime import datetime

import pytest

from onestop.timeutil import VN, frozen_at
from onestop.tracking.public import pagecache
from tests.factories import event, make_procedure, receive
from tests.statements import counted


def vn(*args):
    return datetime(*args, tzinfo=VN)


@pytest.fixture
def application(world):
    pagecache.forget_all()
    birth = make_procedure(agency=world.agencies["000.00.04.H38"])
    return receive(world.users["clerk"], birth, vn(2026, 10, 5, 9, 0))


def page(client, application, key=None):
    return client.get(f"/tra-cuu/{application.code}?k={key or application.tracking_key}")


def test_a_refresh_costs_no_query_and_shows_the_same_page(client, application):
    with frozen_at(vn(2026, 10, 5, 10, 0)):
        first = page(client, application)
        with counted() as sent:
            again = page(client, application)
    assert first.status_code == again.status_code == 200
    assert again.get_data() == first.get_data()
    assert [s for s in sent if "application" in s] == []  # the limiter's counters aside, nothing is read


def test_a_recorded_event_shows_at_once(client, world, application):
    with frozen_at(vn(2026, 10, 5, 10, 0)):
        before = page(client, application).get_data(as_text=True)
    event(application, world.users["clerk"], "transfer", vn(2026, 10, 5, 10, 0))
    with frozen_at(vn(2026, 10, 5, 10, 0)):  # the same minute: only the change can tell the two apart
        after = page(client, application).get_data(as_text=True)
    assert after != before
    assert after.count("10:00 05/10/2026") > before.count("10:00 05/10/2026")


def test_a_wrong_key_after_the_right_one_is_still_a_404(client, application):
    with frozen_at(vn(2026, 10, 5, 10, 0)):
        assert page(client, application).status_code == 200
        wrong = application.tracking_key[:-1] + ("A" if application.tracking_key[-1] != "A" else "B")
        assert page(client, application, wrong).status_code == 404


def test_the_minute_moves_the_page_on(client, application):
    with frozen_at(vn(2026, 10, 5, 10, 0)):
        monday = page(client, application).get_data(as_text=True)
    with frozen_at(vn(2026, 10, 8, 10, 0)):  # Thursday, the due day
        thursday = page(client, application).get_data(as_text=True)
    assert monday != thursday


def test_a_signed_in_officer_neither_reads_nor_fills_the_cache(client, auth, application):
    auth.login("clerk")
    with frozen_at(vn(2026, 10, 5, 10, 0)):
        staff = page(client, application).get_data(as_text=True)
    auth.logout()
    with frozen_at(vn(2026, 10, 5, 10, 0)):
        public = page(client, application).get_data(as_text=True)
    assert "Đăng xuất" in staff and "Đăng xuất" not in public


def test_the_rating_page_is_kept_and_each_visitor_gets_a_token_of_their_own(app, world, application):
    clerk, officer = world.users["clerk"], world.users["officer"]
    event(application, clerk, "transfer", vn(2026, 10, 5, 10, 0))
    event(application, officer, "result_ready", vn(2026, 10, 6, 9, 0))
    event(application, clerk, "return", vn(2026, 10, 6, 10, 0), method="at_desk")
    app.config["WTF_CSRF_ENABLED"] = True
    first, second = app.test_client(), app.test_client()
    with frozen_at(vn(2026, 10, 6, 11, 0)):
        one = page(first, application).get_data(as_text=True)
        with counted() as sent:
            two = page(second, application).get_data(as_text=True)
        token_one, token_two = (re.search(r'name="csrf_token" value="([^"]+)"', body).group(1) for body in (one, two))
        assert [s for s in sent if "FROM application" in s] == []  # the second visitor is served the kept page
        assert token_one != token_two and one.replace(token_one, "") == two.replace(token_two, "")
        url = f"/tra-cuu/{application.code}/danh-gia"
        form = {"k": application.tracking_key, "level": "satisfied"}
        assert second.post(url, data={**form, "csrf_token": token_one}).status_code == 400  # not this visitor's
        assert second.post(url, data={**form, "csrf_token": token_two}).status_code == 302


def test_the_cache_can_be_turned_off(app, client, application):
    app.config["STATUS_PAGE_CACHE_SECONDS"] = 0
    with frozen_at(vn(2026, 10, 5, 10, 0)):
        page(client, application)
        with counted() as sent:
            page(client, application)
    assert [s for s in sent if "FROM application" in s]


def test_a_citizen_refreshing_the_page_is_sent_no_cookie_after_the_first_visit(app, world, application):
    """The first visit sets the session holding the rating form's CSRF token; the next ones send nothing back (Flask-
    Login's strong protection used to clear that session's remember cookie and re-send the session on every page)."""
    clerk, officer = world.users["clerk"], world.users["officer"]
    event(application, clerk, "transfer", vn(2026, 10, 5, 10, 0))
    event(application, officer, "result_ready", vn(2026, 10, 6, 9, 0))
    event(application, clerk, "return", vn(2026, 10, 6, 10, 0), method="at_desk")
    app.config["WTF_CSRF_ENABLED"] = True
    citizen = app.test_client()
    with frozen_at(vn(2026, 10, 6, 11, 0)):
        first = page(citizen, application)
        later = [page(citizen, application) for _ in range(3)]
    assert [cookie.split("=")[0] for cookie in first.headers.getlist("Set-Cookie")] == ["session"]
    assert [response.headers.getlist("Set-Cookie") for response in later] == [[], [], []]
    tokens = {re.search(r'name="csrf_token" value="([^"]+)"', response.get_data(as_text=True)).group(1)
              for response in later}
    assert len(tokens) == 1  # signed once in that minute, and still this visitor's own
    with frozen_at(vn(2026, 10, 6, 11, 0, 30)):
        rated = citizen.post(f"/tra-cuu/{application.code}/danh-gia",
                             data={"k": application.tracking_key, "level": "satisfied", "csrf_token": tokens.pop()})
    assert rated.status_code == 302
