"""Hostile input in every web form (hypothesis): the page answers below 500, and a refused form writes nothing.

Each form is read from its page as a browser sees it (every field with its value), then some fields are replaced
by random text (control characters, lone surrogates, 20,000 characters, formulas, markup) or dropped, and a few
unknown fields are added.
"""
import pytest
from hypothesis import given, strategies as st

from tests.conftest import drop_everything
from tests.fuzzing import HOSTILE_TEXT, one_file_world, row_counts
from tests.http_clients import FormFields

pytestmark = pytest.mark.fuzz
APPLICATION_ROWS = ("application", "application_event", "daily_sequence", "desk_slip")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    from onestop.reception import keys

    app, code, tracking_key, procedure = one_file_world(tmp_path_factory, "fuzz_forms")
    key = keys.grouped(tracking_key)
    clients = {}
    for name in (None, "clerk", "officer", "admin"):
        client = app.test_client()
        if name:
            assert client.post("/login", data={"username": name, "password": "demo"}).status_code == 302
        clients[name] = client
    yield type("Site", (), {"app": app, "clients": clients, "code": code, "key": key, "procedure": procedure})
    with app.app_context():
        drop_everything()


# (who, the page with the form, what its action starts with, the tables a refusal must leave as they were)
FORMS = [
    (None, "/login", "/login", ("user", "api_token")),
    ("clerk", "/desk", "/desk", APPLICATION_ROWS),
    ("clerk", "/applications/{code}", "/applications/{code}/events/", APPLICATION_ROWS),
    ("officer", "/applications/{code}", "/applications/{code}/events/", APPLICATION_ROWS),
    ("admin", "/staff/procedures/new", "/staff/procedures/new", ("procedure", "procedure_version", "procedure_document")),
    ("admin", "/staff/procedures/{procedure}/edit", "/staff/procedures/{procedure}/edit",
     ("procedure", "procedure_version", "procedure_document")),
    ("admin", "/admin/users/new", "/admin/users/new", ("user", "user_role")),
    ("admin", "/admin/agencies/new", "/admin/agencies/new", ("agency",)),
    ("admin", "/admin/calendar/", "/admin/calendar/", ("calendar_override", "working_hours")),
    (None, "/phan-anh", "/phan-anh", ("complaint", "complaint_event")),
    ("clerk", "/ratings/desk", "/ratings/desk", ("rating",)),
    ("clerk", "/complaints/new", "/complaints/new", ("complaint", "complaint_event")),
    ("clerk", "/password", "/password", ("user",)),
]


def forms_on(site, who, page, action):
    page, action = (text.format(code=site.code, key=site.key, procedure=site.procedure) for text in (page, action))
    response = site.clients[who].get(page)
    assert response.status_code == 200, (page, response.status_code)
    parser = FormFields()
    parser.feed(response.get_data(as_text=True))
    found = [(form_action or page.split("?")[0], fields) for form_action, fields in parser.forms
             if (form_action or page).split("?")[0].startswith(action)]
    assert found, f"no form posting to {action} on {page}"
    return found


@pytest.mark.parametrize("who, page, action, tables", FORMS, ids=[f"{who or 'public'} {action}" for who, _p, action, _t in FORMS])
def test_a_hostile_form_is_refused_cleanly_or_taken_whole(site, who, page, action, tables):
    with site.app.app_context():
        forms = forms_on(site, who, page, action)

    @given(choice=st.integers(min_value=0, max_value=len(forms) - 1), data=st.data())
    def post(choice, data):
        target, fields = forms[choice]
        fields = {name: list(values) for name, values in fields.items()}
        names = sorted(fields)
        for name in data.draw(st.lists(st.sampled_from(names), max_size=4, unique=True) if names else st.just([])):
            fields[name] = data.draw(st.one_of(st.lists(HOSTILE_TEXT, min_size=1, max_size=3), st.just([])))
        fields.update(data.draw(st.dictionaries(HOSTILE_TEXT, st.lists(HOSTILE_TEXT, min_size=1, max_size=2),
                                                max_size=2)))
        form = {name.encode("utf-8", "surrogatepass").decode("utf-8", "replace"):
                [value.encode("utf-8", "surrogatepass") for value in values] for name, values in fields.items()}
        with site.app.app_context():
            before = row_counts(*tables)
        response = site.clients[who].post(target, data=form)
        assert response.status_code < 500, (target, response.get_data(as_text=True)[:300])
        if 400 <= response.status_code < 500:
            with site.app.app_context():
                assert row_counts(*tables) == before, f"{target} refused ({response.status_code}) yet wrote rows"

    post()
