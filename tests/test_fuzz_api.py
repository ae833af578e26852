"""Hostile input against every API endpoint (hypothesis): never a 500, never a half-written record, and what is
stored is what every page, PDF and Excel file shows.

The bodies start from a valid one and swap fields for random text (control characters, lone surrogates, 20,000
characters, formulas, markup), values of the wrong JSON type, NaN and 1e400 as raw JSON, and extra keys.
"""
import html
import json
from urllib.parse import quote

import pytest
from hypothesis import assume, given, strategies as st

from tests.conftest import drop_everything
from tests.factories import applicant
from tests.fuzzing import (ANY_VALUE, HOSTILE_TEXT, RAW_NUMBERS, one_file_world, pdf_text, raw_json, row_counts,
                           squeeze, xlsx_text)

pytestmark = pytest.mark.fuzz
WRITES = ("application", "application_event", "daily_sequence", "register_sequence")
# names a person can read back from a printed form: Vietnamese letters, digits, markup and formula signs
READABLE = st.text(alphabet="AĂÂBCDĐEÊGHIKLMNOÔƠPQRSTUƯVXYaăâbcdđeêghiklmnoôơpqrstuưvxyàảãáạằẳẵắặầẩẫấậđèẻẽéẹ"
                            "ềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ0123456789 =+-@<>&'\"", min_size=1, max_size=60
                   ).map(squeeze).filter(lambda name: len(name) >= 2 and any(c.isalpha() for c in name))


@pytest.fixture(scope="module")
def api(tmp_path_factory):
    from onestop.extensions import db

    app, code, _, procedure = one_file_world(tmp_path_factory, "fuzz_api")
    with app.app_context():
        client = app.test_client()
        tokens = {name: client.post("/api/v1/tokens", json={"username": name, "password": "demo"}).get_json()["token"]
                  for name in ("clerk", "officer", "supervisor")}
        db.session.remove()
        desk = app.test_client()
        assert desk.post("/login", data={"username": "clerk", "password": "demo"}).status_code == 302
        yield type("Api", (), {"app": app, "client": client, "desk": desk, "code": code, "procedure": procedure,
                               "headers": {name: {"Authorization": f"Bearer {token}"} for name, token in tokens.items()}})
        drop_everything()


def valid_application(procedure_code):
    return {"procedure_code": procedure_code, "applicant": applicant(), "channel": "in_person",
            "documents": [{"name": "Tờ khai đăng ký khai sinh", "kind": "original", "copies": 1}, "Giấy chứng sinh"],
            "sets": 1}


APPLICANT_KEYS = ("kind", "name", "id_kind", "id_number", "id_paper", "phone", "email", "address")
TOP_KEYS = ("procedure_code", "applicant", "representative", "channel", "documents", "sets", "received_at",
            "return_method", "submission_key")


@st.composite
def hostile_application(draw):
    """A valid body with a few keys replaced by hostile values, extra keys, or raw NaN/1e400 tokens."""
    changes = draw(st.lists(st.one_of(
        st.tuples(st.just("applicant"), st.sampled_from(APPLICANT_KEYS), ANY_VALUE),
        st.tuples(st.just("top"), st.sampled_from(TOP_KEYS), ANY_VALUE),
        st.tuples(st.just("document"), st.sampled_from(("name", "kind", "copies")), ANY_VALUE),
        st.tuples(st.just("extra"), HOSTILE_TEXT.filter(lambda k: k not in TOP_KEYS), ANY_VALUE),
        st.tuples(st.just("raw"), st.sampled_from(("sets", "applicant_name", "copies")), RAW_NUMBERS),
    ), min_size=1, max_size=4))
    return changes


def apply_changes(body, changes):
    raw = {}
    for where, key, value in changes:
        if where == "applicant":
            body["applicant"][key] = value
        elif where == "top":
            body[key] = value
        elif where == "document":
            body["documents"][0][key] = value
        elif where == "extra":
            body[key] = value
        elif key == "sets":
            body["sets"], raw["sets"] = "__raw_sets__", value
        elif key == "applicant_name":
            body["applicant"]["name"], raw["applicant_name"] = "__raw_applicant_name__", value
        else:
            body["documents"][0]["copies"], raw["copies"] = "__raw_copies__", value
    return raw_json(body, raw)


def send_json(client, path, text, headers):
    """JSON text as sent, surrogates and all (the encoder writes a lone one as \\ud800, which is valid JSON)."""
    return client.post(path, data=text, headers={**headers, "Content-Type": "application/json"})


@given(changes=hostile_application())
def test_logging_a_hostile_application_is_a_clean_refusal_or_a_whole_record(api, changes):
    body = valid_application(api.procedure)
    text = apply_changes(body, changes)
    with api.app.app_context():
        before = row_counts(*WRITES)
    response = send_json(api.client, "/api/v1/applications", text, api.headers["clerk"])
    assert response.status_code < 500, response.get_data(as_text=True)[:300]
    with api.app.app_context():
        after = row_counts(*WRITES)
    if response.status_code >= 400:
        assert after == before, "a refused application left rows behind"
        assert response.get_json()["error"]
    else:
        assert after["application"] == before["application"] + (response.status_code == 201)


@given(name=READABLE, address=READABLE)
def test_a_logged_name_and_address_read_back_in_every_page_pdf_and_excel(api, name, address):
    """What the clerk logged is what the desk's page, the citizen's page, every form and the register show."""
    body = valid_application(api.procedure)
    body["applicant"].update(name=name, address=address)
    response = api.client.post("/api/v1/applications", json=body, headers=api.headers["clerk"])
    if response.status_code == 400:  # refused for a reason the desk states (a name with no letter, ...)
        assert response.get_json()["error"]
        return
    assert response.status_code == 201, response.get_json()
    logged = response.get_json()
    code, key = logged["code"], logged["tracking_url"].split("?k=")[1]
    shown = api.client.get(f"/api/v1/applications/{code}", headers=api.headers["clerk"]).get_json()
    stored = shown["applicant"]["name"]
    assert squeeze(stored) == squeeze(name)
    page = api.desk.get(f"/applications/{code}")
    assert page.status_code == 200 and squeeze(stored) in squeeze(html.unescape(page.get_data(as_text=True)))
    public = api.client.get(f"/tra-cuu/{code}?k={key}")  # the citizen's page shows no name, and must still render
    assert public.status_code == 200 and code in public.get_data(as_text=True)
    receipt = api.client.get(f"/api/v1/applications/{code}/forms/receipt.pdf", headers=api.headers["clerk"])
    assert receipt.status_code == 200
    assert squeeze(stored) in pdf_text(receipt.data)
    for form in ("control",):
        printed = api.client.get(f"/api/v1/applications/{code}/forms/{form}.pdf", headers=api.headers["clerk"])
        assert printed.status_code == 200
    day = shown["received_at"][:10]
    register = api.client.get(f"/api/v1/register.xlsx?from={day}&to={day}", headers=api.headers["clerk"])
    assert register.status_code == 200
    assert squeeze(stored) in squeeze(xlsx_text(register.data))


EVENT_KEYS = ("at", "note", "to_agency", "to_user", "working_days", "signer", "items", "reason", "new_due_at",
              "method", "reasons", "request")
EVENT_TYPES = ("transfer", "step", "request_supplement", "supplement_received", "apologise", "result_ready",
               "return", "refuse", "stop")


@given(event_type=st.one_of(st.sampled_from(EVENT_TYPES), ANY_VALUE),
       fields=st.dictionaries(st.one_of(st.sampled_from(EVENT_KEYS), HOSTILE_TEXT), ANY_VALUE, max_size=5),
       user=st.sampled_from(("clerk", "officer")))
def test_a_hostile_lifecycle_event_is_refused_whole(api, event_type, fields, user):
    body = json.dumps({"type": event_type, **fields})
    with api.app.app_context():
        before = row_counts(*WRITES)
    response = send_json(api.client, f"/api/v1/applications/{api.code}/events", body, api.headers[user])
    assert response.status_code < 500, response.get_data(as_text=True)[:300]
    if response.status_code >= 400:
        with api.app.app_context():
            assert row_counts(*WRITES) == before


LIST_KEYS = ("status", "agency", "procedure", "received_from", "received_to", "overdue", "due", "handled_by",
             "after", "per_page", "q", "field", "level", "online", "page", "k", "phone", "received_at", "amount",
             "unit", "from", "to", "group_by", "at")
QUERY_TEXT = st.one_of(HOSTILE_TEXT, st.integers().map(str), st.sampled_from(["2026-10-09", "true", "0", "-1", "1e9"]))
GETS = ("/api/v1/applications", "/api/v1/procedures", "/api/v1/procedures/{x}", "/api/v1/applications/{x}",
        "/api/v1/applications/{x}/forms/{y}.pdf", "/api/v1/track/{x}", "/api/v1/due-date", "/api/v1/indicators",
        "/api/v1/reports/overdue.{y}", "/api/v1/reports/cchc.{y}", "/api/v1/register.{y}", "/api/v1/tokens")


@given(path=st.sampled_from(GETS), x=HOSTILE_TEXT, y=st.one_of(st.sampled_from(("pdf", "xlsx", "receipt")), HOSTILE_TEXT),
       query=st.dictionaries(st.sampled_from(LIST_KEYS), QUERY_TEXT, max_size=5),
       user=st.sampled_from(("clerk", "officer", "supervisor", None)))
def test_every_read_with_hostile_addresses_and_filters_answers_below_500(api, path, x, y, query, user):
    url = path.replace("{x}", quote(x.encode("utf-8", "surrogatepass"), safe="")).replace(
        "{y}", quote(y.encode("utf-8", "surrogatepass"), safe=""))
    assume("{" not in url)
    response = api.client.get(url, query_string={k: v.encode("utf-8", "surrogatepass") for k, v in query.items()},
                              headers=api.headers.get(user, {}))
    assert response.status_code < 500, (url, query, response.get_data(as_text=True)[:300])


@given(username=ANY_VALUE, password=ANY_VALUE, label=st.one_of(st.none(), ANY_VALUE),
       extra=st.dictionaries(HOSTILE_TEXT, ANY_VALUE, max_size=2), token_id=st.integers(min_value=-1, max_value=2**40))
def test_asking_for_and_revoking_tokens_with_hostile_input(api, username, password, label, extra, token_id):
    with api.app.app_context():
        before = row_counts("api_token")
    body = json.dumps({**extra, "username": username, "password": password, "label": label})
    response = send_json(api.client, "/api/v1/tokens", body, {})
    assert response.status_code in (400, 401, 429), response.get_data(as_text=True)[:300]
    with api.app.app_context():
        assert row_counts("api_token") == before
    revoked = api.client.delete(f"/api/v1/tokens/{token_id}", headers=api.headers["supervisor"])
    assert revoked.status_code in (204, 404), revoked.status_code
