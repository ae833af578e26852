"""The JSON API of the desk: log, list, record events, print forms; the OpenAPI document stays true."""
import io
import re
from datetime import datetime

import pytest
from pypdf import PdfReader

from onestop.timeutil import VN, frozen_at
from tests.factories import applicant, make_procedure


def vn(*args):
    return datetime(*args, tzinfo=VN)


@pytest.fixture
def birth(world):
    return make_procedure(agency=world.agencies["000.00.04.H38"])


def bearer(client, username):
    token = client.post("/api/v1/tokens", json={"username": username, "password": "demo"}).get_json()["token"]
    return {"Authorization": f"Bearer {token}"}


def new_application(birth, **overrides):
    body = {
        "procedure_code": birth.code,
        "applicant": applicant(),
        "channel": "in_person",
        "documents": [{"name": "Tờ khai đăng ký khai sinh", "kind": "original", "copies": 1}, "Giấy chứng sinh"],
        "sets": 1,
    }
    body.update(overrides)
    return body


def test_clerk_logs_an_application_by_api(client, birth):
    headers = bearer(client, "clerk")
    with frozen_at(vn(2026, 10, 9, 16, 0)):
        response = client.post("/api/v1/applications", json=new_application(birth), headers=headers)
    assert response.status_code == 201
    body = response.get_json()
    key = body["tracking_url"].split("?k=")[1]
    assert body == {
        "code": "000.00.01.H38-261009-0001",
        "status": "received",
        "received_at": "2026-10-09T16:00:00+07:00",
        "due_at": "2026-10-14T17:00:00+07:00",
        "tracking_url": f"https://motcua.example.vn/tra-cuu/000.00.01.H38-261009-0001?k={key}",
    }
    assert re.fullmatch(r"[A-HJKMNP-Z2-9]{4}(-[A-HJKMNP-Z2-9]{4}){2}", key)  # 12 signs, about 59 bits


def test_online_application_received_at_night_counts_from_next_morning(client, birth):
    headers = bearer(client, "clerk")
    with frozen_at(vn(2026, 10, 10, 9, 0)):
        response = client.post("/api/v1/applications", headers=headers, json=new_application(
            birth, channel="online", received_at="2026-10-09T22:15:00+07:00"))
    body = response.get_json()
    assert body["code"] == "000.00.01.H38-261009-0001"  # the code's date is the day of receipt
    assert body["due_at"] == "2026-10-15T17:00:00+07:00"  # counted from Monday 12 October 07:30


def test_idempotency_key_makes_one_application(client, birth):
    headers = {**bearer(client, "clerk"), "Idempotency-Key": "retry-7"}
    first = client.post("/api/v1/applications", json=new_application(birth), headers=headers)
    again = client.post("/api/v1/applications", json=new_application(birth), headers=headers)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.get_json()["code"] == again.get_json()["code"]
    listed = client.get("/api/v1/applications", headers=headers).get_json()
    assert listed["total"] == 1


def test_bad_input_is_a_400_with_every_field(client, birth):
    headers = bearer(client, "clerk")
    response = client.post("/api/v1/applications", headers=headers, json=new_application(
        birth, applicant=applicant(id_number="abc"), sets="x"))
    assert response.status_code == 400
    assert response.get_json()["errors"] == {
        "applicant.id_number": "Số định danh cá nhân (trên thẻ căn cước, CCCD) phải gồm đúng 12 chữ số.",
        "sets": "Số bộ hồ sơ phải từ 1 đến 50.",
    }
    assert client.post("/api/v1/applications", headers=headers, data="not json",
                       content_type="application/json").status_code == 400


def test_officer_cannot_log_applications(client, birth):
    response = client.post("/api/v1/applications", json=new_application(birth), headers=bearer(client, "officer"))
    assert response.status_code == 403


def test_events_by_api_and_a_409_for_a_forbidden_transition(client, birth):
    clerk, officer = bearer(client, "clerk"), bearer(client, "officer")
    with frozen_at(vn(2026, 10, 5, 9, 0)):
        code = client.post("/api/v1/applications", json=new_application(birth), headers=clerk).get_json()["code"]
    with frozen_at(vn(2026, 10, 5, 10, 0)):
        early_return = client.post(f"/api/v1/applications/{code}/events", json={"type": "return"}, headers=clerk)
        assert early_return.status_code == 409
        assert "trạng thái" in early_return.get_json()["error"]
        transfer = client.post(f"/api/v1/applications/{code}/events", json={"type": "transfer"}, headers=clerk)
        assert transfer.status_code == 201
    with frozen_at(vn(2026, 10, 6, 10, 0)):
        future = client.post(f"/api/v1/applications/{code}/events", headers=officer,
                             json={"type": "result_ready", "at": "2026-10-06T11:00:00+07:00"})
        assert future.status_code == 400
        done = client.post(f"/api/v1/applications/{code}/events", json={"type": "result_ready", "note": "Đã ký"},
                           headers=officer)
        assert done.status_code == 201
    detail = client.get(f"/api/v1/applications/{code}", headers=officer).get_json()
    assert detail["status"] == "result_ready"
    assert [(e["type"], e["user"], e["at"]) for e in detail["events"]] == [
        ("receive", "clerk", "2026-10-05T09:00:00+07:00"),
        ("transfer", "clerk", "2026-10-05T10:00:00+07:00"),
        ("result_ready", "officer", "2026-10-06T10:00:00+07:00"),
    ]


def test_list_filters_and_agency_scope(client, birth):
    clerk = bearer(client, "clerk")
    with frozen_at(vn(2026, 10, 5, 9, 0)):
        client.post("/api/v1/applications", json=new_application(birth), headers=clerk)
    with frozen_at(vn(2026, 10, 7, 9, 0)):
        client.post("/api/v1/applications", json=new_application(birth), headers=clerk)
    in_range = client.get("/api/v1/applications?received_from=2026-10-06&received_to=2026-10-07", headers=clerk)
    assert [item["code"] for item in in_range.get_json()["items"]] == ["000.00.01.H38-261007-0001"]
    with frozen_at(vn(2026, 10, 9, 9, 0)):
        overdue = client.get("/api/v1/applications?overdue=true", headers=clerk).get_json()
    assert [item["code"] for item in overdue["items"]] == ["000.00.01.H38-261005-0001"]
    outsider = bearer(client, "officer.nnmt")
    assert client.get("/api/v1/applications", headers=outsider).get_json()["total"] == 0
    assert client.get("/api/v1/applications/000.00.01.H38-261005-0001", headers=outsider).status_code == 404
    assert client.get("/api/v1/applications?received_from=5-10-2026", headers=clerk).status_code == 400


def test_receipt_pdf_by_api_parses_back_and_its_qr_opens_the_status_page(client, birth):
    import pypdfium2
    import zxingcpp

    clerk = bearer(client, "clerk")
    with frozen_at(vn(2026, 10, 9, 16, 0)):
        created = client.post("/api/v1/applications", json=new_application(birth), headers=clerk).get_json()
    response = client.get(f"/api/v1/applications/{created['code']}/forms/receipt.pdf", headers=clerk)
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    text = " ".join(PdfReader(io.BytesIO(response.data)).pages[0].extract_text().split())
    for expected in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Nguyễn Thị Ngọc Ánh", "000.00.01.H38-261009-0001",
                     "16:00 09/10/2026", "17:00 14/10/2026", "Đăng ký khai sinh"):
        assert expected in text
    image = pypdfium2.PdfDocument(response.data)[0].render(scale=3).to_pil()
    decoded = [barcode.text for barcode in zxingcpp.read_barcodes(image)]
    assert decoded == [created["tracking_url"]]
    missing = client.get(f"/api/v1/applications/{created['code']}/forms/apology.pdf", headers=clerk)
    assert missing.status_code == 404


def test_register_lists_what_was_received(client, birth):
    import openpyxl

    clerk = bearer(client, "clerk")
    for day in (5, 6):
        with frozen_at(vn(2026, 10, day, 9, 0)):
            client.post("/api/v1/applications", json=new_application(birth), headers=clerk)
    pdf = client.get("/api/v1/register.pdf?field=Hộ tịch&from=2026-10-01&to=2026-10-31", headers=clerk)
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "000.00.01.H38-261005-0001" in text and "000.00.01.H38-261006-0001" in text
    xlsx = client.get("/api/v1/register.xlsx?from=2026-10-06&to=2026-10-06", headers=clerk)
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.data)).active
    codes = [cell for row in sheet.iter_rows(values_only=True) for cell in row
             if isinstance(cell, str) and re.fullmatch(r"000\.00\.01\.H38-\d{6}-\d{4}", cell)]
    assert codes == ["000.00.01.H38-261006-0001"]
    assert client.get("/api/v1/register.pdf?from=2026-10-31&to=2026-10-01", headers=clerk).status_code == 400


def test_session_post_to_the_api_needs_csrf(tmp_path):
    from tests.conftest import drop_everything, make_app

    app = make_app(tmp_path, WTF_CSRF_ENABLED=True)
    with app.app_context():
        from onestop import demo
        from onestop.extensions import db

        demo.load_users(demo.load_agencies())
        db.session.commit()
        client = app.test_client()
        from tests.conftest import csrf_token_from

        token = csrf_token_from(client.get("/login").get_data(as_text=True))
        client.post("/login", data={"username": "clerk", "password": "demo", "csrf_token": token})
        refused = client.post("/api/v1/applications", json={})
        assert refused.status_code == 400
        assert "biểu mẫu không hợp lệ" in refused.get_json()["error"]
        drop_everything()


def test_openapi_document_lists_exactly_the_api_routes(app, client):
    spec = client.get("/api/v1/openapi.json").get_json()
    documented = {(path, method.upper()) for path, ops in spec["paths"].items() for method in ops}
    served = set()
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/v1"):
            path = re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", rule.rule)
            served |= {(path, method) for method in rule.methods - {"HEAD", "OPTIONS"}}
    assert documented == served
