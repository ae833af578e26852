"""The API keeps the promises its OpenAPI document makes: 405 says what is allowed, numbers are numbers."""
import pytest

from tests.test_api_reception import bearer


def api_rules(app):
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/v1"):
            yield rule


def test_a_wrong_method_on_any_api_address_is_a_405_that_says_which_methods_are_allowed(app, client, world):
    headers = bearer(client, "clerk")
    concrete = {"code": "000.00.01.H38-261009-0001", "form": "receipt", "fmt": "pdf", "token_id": "1",
                "position": "1", "payment_id": "1", "series": "000.00.01.H38-BL26", "number": "1",
                "action": "accept", "year": "2026", "group": "communes", "evidence_id": "1", "action_id": "1"}
    methods: dict[str, set] = {}
    for rule in api_rules(app):
        methods.setdefault(rule.rule, set()).update(rule.methods)
    for rule in api_rules(app):
        url = rule.build({name: concrete[name] for name in rule.arguments}, append_unknown=False)[1]
        method = next(method for method in ("PUT", "DELETE", "PATCH") if method not in methods[rule.rule])  # not taken
        response = client.open(url, method=method, headers=headers)
        assert response.status_code == 405, url
        allowed = set(response.headers["Allow"].replace(" ", "").split(","))
        assert allowed == methods[rule.rule] | {"OPTIONS"}, url
        assert response.get_json() == {"error": "Phương thức không được hỗ trợ.", "status": 405}


@pytest.mark.parametrize("path, message", [
    ("/api/v1/applications?per_page=abc", "«per_page» phải là số nguyên."),
    ("/api/v1/applications?per_page=x", "«per_page» phải là số nguyên."),
    ("/api/v1/procedures?per_page=1.5", "«per_page» phải là số nguyên."),
    ("/api/v1/procedures?page=%D9%A3", "«page» phải là số nguyên."),  # an Arabic-Indic 3 is a digit to Python
    ("/api/v1/procedures?page=", None),
    ("/api/v1/procedures?page=0", "«page» phải là số nguyên từ 1 đến 100000."),
])
def test_a_page_number_of_the_wrong_type_is_refused_not_replaced_by_the_default(client, world, path, message):
    response = client.get(path, headers=bearer(client, "clerk"))
    if message is None:  # left empty: the default
        assert response.status_code == 200
        return
    assert (response.status_code, response.get_json()["error"]) == (400, message)


@pytest.mark.parametrize("query, per_page, page", [("per_page=7&page=2", 7, 2), ("per_page=500", 200, 1),
                                                   ("per_page=-5", 1, 1), ("per_page=+9", 9, 1)])
def test_a_page_size_out_of_range_is_served_at_the_nearest_bound(client, world, query, per_page, page):
    body = client.get(f"/api/v1/procedures?{query}", headers=bearer(client, "clerk")).get_json()
    assert (body["per_page"], body["page"]) == (per_page, page)


def test_a_due_date_asked_for_the_year_565_is_refused_the_local_mean_time_of_then_is_no_iso_offset(client):
    response = client.get("/api/v1/due-date?received_at=0565-01-19T21:57:37Z&unit=working_days&amount=3")
    assert (response.status_code, response.get_json()["error"]) == (
        400, "«received_at» phải trong khoảng năm 1900 đến 2100.")


REQUIRED_VALUES = {"to": "2026-09-30", "date": "2026-07-01", "date-time": "2026-10-09T09:00:00", "indicator": "on_time"}


def typed_optional_query_parameters():
    """(address with its required query, parameter) for each optional query parameter the document gives a type,
    format or set of values."""
    from onestop.api import openapi

    for path, item in openapi.PATHS.items():
        if "{" in path.replace("{fmt}", ""):  # an object's own address (a receipt by series and number) is its
            continue                          # route's own test: here an unknown object would answer 404 first
        for operation in item.values():
            query = [parameter for parameter in operation["parameters"] if parameter["in"] == "query"]
            required = "&".join(
                f"{q['name']}={REQUIRED_VALUES.get(q['name']) or REQUIRED_VALUES[q['schema']['format']]}"
                for q in query if q["required"])
            for parameter in query:
                schema = parameter["schema"]
                if not parameter["required"] and ("format" in schema or "enum" in schema
                                                   or schema.get("type") == "integer"):
                    yield path.replace("{fmt}", "pdf") + "?" + required, parameter


@pytest.mark.parametrize("path, parameter", list(typed_optional_query_parameters()),
                         ids=lambda value: value if isinstance(value, str) else value["name"])
def test_a_typed_parameter_sent_empty_is_accepted_exactly_where_the_document_says_so(client, world, path, parameter):
    """Issue 21: `?received_to=` and `?at=` were taken as left out while the document said they must be dates."""
    response = client.get(f"{path}&{parameter['name']}=", headers=bearer(client, "supervisor"))
    if parameter.get("allowEmptyValue"):
        assert response.status_code == 200, response.get_json()
        assert parameter["description"].split("empty: ")[1]  # and the document says what empty means
    else:
        assert response.status_code == 400


@pytest.fixture
def csrf_app(tmp_path):
    from onestop import demo
    from onestop.extensions import db
    from tests.conftest import drop_everything, make_app

    app = make_app(tmp_path, WTF_CSRF_ENABLED=True)
    with app.app_context():
        demo.load_users(demo.load_agencies())
        db.session.commit()
    yield app  # outside the app context: each request has its own, as in production
    with app.app_context():
        drop_everything()


def test_revoking_a_token_with_a_cookie_that_signs_nobody_in_is_a_401_not_a_csrf_400(csrf_app):
    """Issue 21 (Schemathesis): DELETE /api/v1/tokens/{id} with a session cookie and no CSRF token answered 400
    where the document promises 401 to a caller who is not signed in."""
    token = bearer(csrf_app.test_client(), "clerk")
    stranger = csrf_app.test_client()
    stranger.set_cookie("session", "not-a-session-of-this-site")
    response = stranger.delete("/api/v1/tokens/1")
    assert (response.status_code, response.get_json()["error"]) == (
        401, "Cần đăng nhập hoặc mã truy cập (Authorization: Bearer …) hợp lệ.")
    with_token = csrf_app.test_client()
    with_token.set_cookie("session", "left-over-from-the-pages")
    assert with_token.delete("/api/v1/tokens/1", headers=token).status_code == 204  # the token signs it, not the cookie


def test_a_signed_in_page_session_still_needs_its_csrf_token_to_revoke(csrf_app):
    from tests.conftest import csrf_token_from

    bearer(csrf_app.test_client(), "clerk")
    browser = csrf_app.test_client()
    csrf = csrf_token_from(browser.get("/login").get_data(as_text=True))
    assert browser.post("/login", data={"username": "clerk", "password": "demo", "csrf_token": csrf}).status_code == 302
    refused = browser.delete("/api/v1/tokens/1")
    assert refused.status_code == 400 and "biểu mẫu không hợp lệ" in refused.get_json()["error"]
    csrf = csrf_token_from(browser.get("/password").get_data(as_text=True))  # the signed-in session's own
    assert browser.delete("/api/v1/tokens/1", headers={"X-CSRFToken": csrf}).status_code == 204
