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
                "number": "TT-261009-AAAAAA", "action": "accept"}
    methods: dict[str, set] = {}
    for rule in api_rules(app):
        methods.setdefault(rule.rule, set()).update(rule.methods)
    for rule in api_rules(app):
        url = rule.build({name: concrete[name] for name in rule.arguments}, append_unknown=False)[1]
        response = client.put(url, headers=headers)
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
