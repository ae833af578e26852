"""Issue 11, parts 2 and 9: what a careless or hostile client sends is a 4xx with a Vietnamese message, never a
500 and never a half-written record. Each case below was a 500, or was stored as sent, before."""
import json

import pytest
import sqlalchemy as sa

from onestop.extensions import db
from onestop.reception.models import Application, ApplicationEvent
from tests.factories import applicant, make_procedure

CONTROL = "Địa chỉ hoặc dữ liệu gửi lên chứa ký tự điều khiển hoặc ký tự không hợp lệ."


@pytest.fixture
def birth(world):
    return make_procedure(agency=world.agencies["000.00.04.H38"])


def bearer(client, username="clerk"):
    token = client.post("/api/v1/tokens", json={"username": username, "password": "demo"}).get_json()["token"]
    return {"Authorization": f"Bearer {token}"}


def new_application(**overrides):
    body = {"procedure_code": "1.001193", "applicant": applicant(), "documents": ["Tờ khai đăng ký khai sinh"],
            "sets": 1}
    body.update(overrides)
    return body


def applications() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Application))


def error_of(response) -> str:
    return response.get_json()["error"]


# ------------------------------------------------------------------ paths and query strings


@pytest.mark.parametrize("url", ["/thu-tuc?q=%00", "/thu-tuc/%00", "/tra-cuu/%00?k=x", "/thu-tuc?q=a%01b",
                                 "/tra-cuu?code=%1B", "/thu-tuc?q=%C2%85"])
def test_a_control_character_in_a_path_or_query_is_a_400_page_in_vietnamese(client, world, url):
    response = client.get(url)
    assert response.status_code == 400
    assert CONTROL in response.get_data(as_text=True)


def test_a_control_character_under_the_api_is_a_json_400(client, world):
    response = client.get("/api/v1/procedures?q=%00")
    assert (response.status_code, error_of(response)) == (400, CONTROL)


@pytest.mark.parametrize("url", ["/thu-tuc?page=100000000000000000000", "/api/v1/procedures?page=100000000000000000000",
                                 "/thu-tuc?page=0", "/thu-tuc?page=-3", "/thu-tuc?page=abc"])
def test_a_page_number_out_of_range_is_a_400(client, world, url):
    response = client.get(url)
    shown = error_of(response) if url.startswith("/api/") else response.get_data(as_text=True)
    assert response.status_code == 400
    assert "«page» phải là số nguyên từ 1 đến 100000." in shown


def test_a_sensible_page_number_still_lists(client, world):
    assert client.get("/thu-tuc?page=2").status_code == 200
    assert client.get("/api/v1/procedures?page=1").status_code == 200


def test_a_due_date_asked_for_the_year_9999_is_a_400(client, world):
    response = client.get("/api/v1/due-date?received_at=9999-12-31T10:00:00&amount=1&unit=working_days")
    assert (response.status_code, error_of(response)) == (400, "«received_at» phải trong khoảng năm 1900 đến 2100.")


@pytest.mark.parametrize("query, message", [
    ("received_from=0001-01-01", "«received_from» phải trong khoảng năm 1900 đến 2100."),
    ("received_to=9999-12-31", "«received_to» phải trong khoảng năm 1900 đến 2100."),
    ("received_from=2026-02-30", "«received_from» phải là ngày dạng YYYY-MM-DD."),
])
def test_a_list_filter_date_out_of_range_is_a_400(client, birth, query, message):
    response = client.get(f"/api/v1/applications?{query}", headers=bearer(client))
    assert (response.status_code, error_of(response)) == (400, message)


def test_a_slip_number_beyond_64_bits_is_not_found(client, auth, world):
    auth.login("clerk")
    assert client.get("/desk/slips/99999999999999999999.pdf").status_code == 404


# ------------------------------------------------------------------ JSON bodies


@pytest.mark.parametrize("raw, message", [
    ('"sets": Infinity', "Nội dung JSON không được chứa NaN hay Infinity."),
    ('"sets": NaN', "Nội dung JSON không được chứa NaN hay Infinity."),
    ('"sets": -Infinity', "Nội dung JSON không được chứa NaN hay Infinity."),
    ('"sets": 1e999', "Nội dung JSON không được chứa NaN hay Infinity."),
    ('"signer": NaN', "Nội dung JSON không được chứa NaN hay Infinity."),
])
def test_nan_and_infinity_are_not_json(client, birth, raw, message):
    body = json.dumps(new_application())[:-1] + ", " + raw + "}"
    response = client.post("/api/v1/applications", data=body, content_type="application/json", headers=bearer(client))
    assert (response.status_code, error_of(response)) == (400, message)
    assert applications() == 0


@pytest.mark.parametrize("overrides, field, message", [
    ({"applicant": applicant(name=123)}, "applicant.name", "«applicant.name» phải là một chuỗi chữ."),
    ({"applicant": applicant(name=True)}, "applicant.name", "«applicant.name» phải là một chuỗi chữ."),
    ({"applicant": applicant(name=["a"])}, "applicant.name", "«applicant.name» phải là một chuỗi chữ."),
    ({"applicant": applicant(name={})}, "applicant.name", "«applicant.name» phải là một chuỗi chữ."),
    ({"applicant": applicant(name="a\tb")}, "applicant.name",
     "«applicant.name» chứa ký tự điều khiển hoặc ký tự không hợp lệ."),
    ({"applicant": applicant(address="x" * 501)}, "applicant.address", "«applicant.address» dài quá 500 ký tự."),
    ({"applicant": "Nguyễn Văn A"}, "applicant", "«applicant» phải là một đối tượng JSON."),
    ({"sets": 1.5}, "sets", "Số bộ hồ sơ phải từ 1 đến 50."),
    ({"sets": True}, "sets", "Số bộ hồ sơ phải từ 1 đến 50."),
    ({"sets": "2x"}, "sets", "Số bộ hồ sơ phải từ 1 đến 50."),
    ({"documents": 5}, "documents", "«documents» phải là một danh sách giấy tờ."),
    ({"documents": "Tờ khai"}, "documents", "«documents» phải là một danh sách giấy tờ."),
    ({"documents": ["Tờ khai"] * 51}, "documents", "«documents» có quá 50 mục."),
    ({"documents": ["x" * 501]}, "documents.0", "«documents.0.name» dài quá 500 ký tự."),
    ({"documents": [{"name": "Tờ khai", "copies": 1.5}]}, "documents.0", "Số bản phải từ 1 đến 99."),
    ({"channel": ["in_person"]}, "channel", "Hình thức nộp phải là trực tiếp, trực tuyến hoặc bưu chính."),
])
def test_a_value_of_the_wrong_type_or_size_is_a_400_naming_its_field(client, birth, overrides, field, message):
    response = client.post("/api/v1/applications", json=new_application(**overrides), headers=bearer(client))
    assert response.status_code == 400
    assert response.get_json()["errors"][field] == message
    assert applications() == 0


@pytest.mark.parametrize("value", ["a\x00b", "a\x01\x0bb", "a\ud800", "\x85", "\x7f"])
def test_a_control_character_or_lone_surrogate_anywhere_in_a_body_is_a_400(client, birth, value):
    response = client.post("/api/v1/applications", json=new_application(applicant=applicant(address=value)),
                           headers=bearer(client))
    assert (response.status_code, error_of(response)) == (
        400, "«applicant.address» chứa ký tự điều khiển hoặc ký tự không hợp lệ.")
    assert applications() == 0


def test_an_undocumented_key_is_refused_by_name_and_never_stored(client, birth):
    response = client.post("/api/v1/applications", json=new_application(signer="Giám đốc giả"), headers=bearer(client))
    assert (response.status_code, error_of(response)) == (400, "Khóa không được hỗ trợ: signer.")
    assert applications() == 0


def test_a_name_of_255_characters_is_still_taken(client, birth):
    response = client.post("/api/v1/applications", json=new_application(applicant=applicant(name="Ánh" * 85)),
                           headers=bearer(client))
    assert response.status_code == 201


# ------------------------------------------------------------------ events


@pytest.fixture
def transferred(client, birth):
    clerk = bearer(client)
    code = client.post("/api/v1/applications", json=new_application(), headers=clerk).get_json()["code"]
    assert client.post(f"/api/v1/applications/{code}/events", json={"type": "transfer"}, headers=clerk).status_code == 201
    return code


@pytest.mark.parametrize("body, status, message", [
    ({"type": "request_supplement", "items": 5, "reason": "Thiếu"}, 400, "«items» phải là một danh sách."),
    ({"type": "request_supplement", "items": "Bản sao", "reason": "Thiếu"}, 400, "«items» phải là một danh sách."),
    ({"type": "request_supplement", "items": ["x"] * 51, "reason": "Thiếu"}, 400, "«items» có quá 50 mục."),
    ({"type": "request_supplement", "items": ["Bản sao\ud800"], "reason": "Thiếu"}, 400,
     "«items.0» chứa ký tự điều khiển hoặc ký tự không hợp lệ."),
    ({"type": "request_supplement", "items": ["Bản sao"], "reason": "x" * 2001}, 400, "«reason» dài quá 2000 ký tự."),
    ({"type": "step", "to_agency": 5}, 400, "«to_agency» phải là một chuỗi chữ."),
    ({"type": "step", "user": "admin"}, 400, "Khóa không được hỗ trợ: user."),
    ({"type": "step", "to_agency": "000.00.04.H38", "working_days": 2.5}, 400, "Số ngày làm việc của bước không hợp lệ."),
    ({"type": "apologise", "reason": "Chậm", "new_due_at": "9999-12-31T23:59:59-12:00"}, 400,
     "«new_due_at» phải trong khoảng năm 1900 đến 2100."),
    ({"type": "refuse", "reasons": "Không đủ"}, 400, "«reasons» phải là một danh sách."),
    ({"type": "result_ready", "note": "x" * 2001}, 400, "«note» dài quá 2000 ký tự."),
    ({"type": ["step"]}, 400, "«type» phải là một trong: transfer, step, request_supplement, supplement_received, "
                              "apologise, result_ready, return, refuse, stop."),
])
def test_an_event_with_a_bad_value_is_a_400_and_records_nothing(client, transferred, body, status, message):
    response = client.post(f"/api/v1/applications/{transferred}/events", json=body, headers=bearer(client, "officer"))
    assert (response.status_code, error_of(response)) == (status, message)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ApplicationEvent)) == 2  # receive, transfer


def test_a_supplement_request_then_shows_on_the_application_and_status_pages(client, auth, transferred):
    """Before, a lone surrogate in an item was stored and both pages were a 500 for good."""
    officer = bearer(client, "officer")
    response = client.post(f"/api/v1/applications/{transferred}/events", headers=officer,
                           json={"type": "request_supplement", "items": ["Bản sao giấy chứng sinh"], "reason": "Thiếu"})
    assert response.status_code == 201
    auth.login("officer")
    page = client.get(f"/applications/{transferred}")
    assert page.status_code == 200 and "Bản sao giấy chứng sinh" in page.get_data(as_text=True)


# ------------------------------------------------------------------ forms


def test_a_control_character_in_a_desk_form_is_a_400_and_nothing_is_logged(client, auth, birth):
    from tests.test_reception_pages import desk_form

    auth.login("clerk")
    response = client.post("/desk", data=desk_form(applicant_name="Nguyễn\x00 Văn A"))
    assert response.status_code == 400 and CONTROL in response.get_data(as_text=True)
    assert applications() == 0


def test_line_breaks_in_a_text_area_are_fine(client, auth, birth):
    from tests.test_reception_pages import desk_form

    auth.login("clerk")
    response = client.post("/desk", data=desk_form(doc_extra="Bản sao sổ hộ khẩu\r\nGiấy ủy quyền"))
    assert response.status_code == 302
    assert applications() == 1


# ------------------------------------------------------------------ the catalogue


@pytest.mark.parametrize("overrides, field, message", [
    ({"field": "Hộ tịch " * 40}, "field", "Tối đa 255 ký tự (đã nhập 319)."),
    ({"decision_number": "1" * 65}, "decision_number", "Tối đa 64 ký tự (đã nhập 65)."),
    ({"code_suffix": "H" * 65}, "code_suffix", "Tối đa 64 ký tự (đã nhập 65)."),
    ({"documents": "x" * 2001 + " | bản chính | 1"}, "documents", "Giấy tờ thứ 1: tên tối đa 2000 ký tự."),
])
def test_catalogue_text_longer_than_its_column_is_a_400_not_a_database_error(client, auth, world, overrides, field,
                                                                              message):
    """Before, PostgreSQL refused the row (a 500); SQLite stored it whole."""
    from onestop.procedures.models import Procedure

    auth.login("admin")
    data = {"code": "1.999999", "name": "Đăng ký khai sinh", "field": "Hộ tịch", "level": "commune",
            "time_amount": "3", "time_unit": "working_days", "online": "none", "status": "in_force", "sets": "1",
            "fee": "0", "documents": "Tờ khai | bản chính | 1", **overrides}
    response = client.post("/staff/procedures/new", data=data)
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Procedure)) == 0


def test_a_negative_page_size_is_read_as_the_smallest(client, birth):
    body = client.get("/api/v1/procedures?per_page=-5").get_json()
    assert (body["per_page"], len(body["items"])) == (1, 1)
