"""The clerk's and officer's pages, and the citizen's status page."""
import re
from datetime import datetime

import pytest
import sqlalchemy as sa

from onestop.reception.models import Application
from onestop.timeutil import VN, frozen_at
from tests.factories import event, make_procedure, receive


def vn(*args):
    return datetime(*args, tzinfo=VN)


@pytest.fixture
def birth(world):
    return make_procedure(agency=world.agencies["000.00.04.H38"])


def desk_form(**overrides):
    data = {
        "procedure_code": "1.001193", "submission_key": "k-1", "doc_name": ["Tờ khai đăng ký khai sinh", "Giấy chứng sinh"],
        "doc_kind": ["original", "original"], "doc_copies": ["1", "1"], "doc_received": ["0", "1"],
        "sets": "1", "channel": "in_person", "return_method": "at_desk", "applicant_kind": "person",
        "applicant_name": "Nguyễn Thị Ngọc Ánh", "applicant_id_number": "015190001234",
        "applicant_phone": "0912345678", "applicant_email": "", "applicant_address": "Số 12, phường Hồng Hà",
    }
    data.update(overrides)
    return data


def test_clerk_logs_at_the_desk_and_sees_the_due_time(client, auth, birth):
    auth.login("clerk")
    with frozen_at(vn(2026, 10, 9, 16, 0)):
        response = client.post("/desk", data=desk_form())
    assert response.status_code == 302
    # back to an empty desk for the next person, with this one's receipt a click away
    assert response.headers["Location"] == "/desk?received=000.00.01.H38-261009-0001"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Đã tiếp nhận hồ sơ <b>000.00.01.H38-261009-0001</b>" in page and "<b>17:00 14/10/2026</b>" in page
    assert ('<a class="btn primary" id="print-receipt" target="_blank" '
            'href="/applications/000.00.01.H38-261009-0001/forms/receipt.pdf">In giấy tiếp nhận</a>') in page
    assert 'id="applicant_name" name="applicant_name" value=""' in page and 'value="k-1"' not in page
    receipt = client.get("/applications/000.00.01.H38-261009-0001/forms/receipt.pdf")
    assert receipt.mimetype == "application/pdf"
    page = client.get("/applications/000.00.01.H38-261009-0001").get_data(as_text=True)
    assert "17:00 14/10/2026" in page and "Đã tiếp nhận" in page


def test_the_same_form_posted_twice_makes_one_application(client, auth, birth, db):
    auth.login("clerk")
    first = client.post("/desk", data=desk_form())
    second = client.post("/desk", data=desk_form())
    assert first.headers["Location"] == second.headers["Location"]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Application)) == 1


def test_wrong_input_keeps_what_was_typed_and_says_why(client, auth, birth, db):
    auth.login("clerk")
    response = client.post("/desk", data=desk_form(applicant_id_number="12345", applicant_name="<script>alert(1)</script>"))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Số định danh cá nhân (trên thẻ căn cước, CCCD) phải gồm đúng 12 chữ số." in page
    assert 'value="&lt;script&gt;alert(1)&lt;/script&gt;"' in page and "<script>alert(1)" not in page
    assert 'value="Số 12, phường Hồng Hà"' in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Application)) == 0


def test_officer_records_one_supplement_request_only(client, auth, world, birth):
    application = receive(world.users["clerk"], birth, vn(2026, 10, 5, 9, 0))
    event(application, world.users["clerk"], "transfer", vn(2026, 10, 5, 9, 30))
    auth.login("officer")
    url = f"/applications/{application.code}/events/request_supplement"
    with frozen_at(vn(2026, 10, 6, 9, 0)):
        assert client.post(url, data={"items": "Giấy chứng nhận kết hôn", "reason": "Thiếu"}).status_code == 302
    with frozen_at(vn(2026, 10, 7, 9, 0)):
        client.post(f"/applications/{application.code}/events/supplement_received", data={})
        again = client.post(url, data={"items": "Khác", "reason": "Thiếu"})
    assert again.status_code == 409
    assert "Hồ sơ chỉ được yêu cầu bổ sung một lần." in again.get_data(as_text=True)


def test_pages_check_role_and_agency(client, auth, world, birth):
    application = receive(world.users["clerk"], birth, vn(2026, 10, 5, 9, 0))
    assert client.get(f"/applications/{application.code}").status_code == 302  # to the login page
    auth.login("officer.nnmt")
    assert client.get(f"/applications/{application.code}").status_code == 404
    assert client.get("/desk").status_code == 403
    auth.logout()
    auth.login("officer")
    assert client.get(f"/applications/{application.code}").status_code == 200


def test_inbox_marks_overdue_by_word_not_colour_alone(client, auth, world, birth):
    application = receive(world.users["clerk"], birth, vn(2026, 10, 5, 9, 0))
    event(application, world.users["clerk"], "transfer", vn(2026, 10, 5, 9, 30))
    auth.login("officer")
    with frozen_at(vn(2026, 10, 9, 9, 0)):
        page = client.get("/inbox").get_data(as_text=True)
    assert '<span class="badge bad">⚠ Quá hạn</span>' in page


def test_status_page_shows_no_personal_data_and_hides_wrong_keys(client, world, birth):
    application = receive(world.users["clerk"], birth, vn(2026, 10, 5, 9, 0))
    page = client.get(f"/tra-cuu/{application.code}?k={application.tracking_key}")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Đăng ký khai sinh" in text and "17:00 08/10/2026" in text and "Nguyễn T. N. Á." in text
    for private in ("015190001234", "0912345678", "ngocanh@example.vn", "ngõ 34", "Ngọc Ánh"):
        assert private not in text
    wrong_key = client.get(f"/tra-cuu/{application.code}?k=guess")
    wrong_code = client.get(f"/tra-cuu/000.00.01.H38-261005-0099?k={application.tracking_key}")
    assert wrong_key.status_code == wrong_code.status_code == 404
    # identical apart from the echoed address in the language links
    strip = lambda response: re.sub(r"next=[^\"]*", "", response.get_data(as_text=True))  # noqa: E731
    assert strip(wrong_key) == strip(wrong_code)
    assert "Không tìm thấy trang hoặc hồ sơ." in strip(wrong_key)


def test_apology_date_is_shown_to_the_applicant(client, world, birth):
    application = receive(world.users["clerk"], birth, vn(2026, 10, 5, 9, 0))
    event(application, world.users["clerk"], "transfer", vn(2026, 10, 5, 9, 30))
    event(application, world.users["officer"], "apologise", vn(2026, 10, 7, 9, 0), reason="Chờ xác minh",
          new_due_at=vn(2026, 10, 12, 17, 0))
    text = client.get(f"/tra-cuu/{application.code}?k={application.tracking_key}").get_data(as_text=True)
    assert "17:00 12/10/2026" in text and "đã hẹn lại" in text


def test_while_the_clock_is_paused_the_applicant_sees_what_to_bring_not_a_stale_date(client, world, birth):
    application = receive(world.users["clerk"], birth, vn(2026, 10, 5, 9, 0))
    event(application, world.users["clerk"], "transfer", vn(2026, 10, 5, 9, 30))
    event(application, world.users["officer"], "request_supplement", vn(2026, 10, 6, 10, 0),
          items=["Bản sao Giấy chứng nhận kết hôn của cha mẹ"], reason="Thiếu giấy tờ")
    url = f"/tra-cuu/{application.code}?k={application.tracking_key}"
    text = client.get(url).get_data(as_text=True)
    assert "<b>Tạm dừng</b>: chờ bổ sung hồ sơ từ 10:00 06/10/2026" in text
    assert "<li>Bản sao Giấy chứng nhận kết hôn của cha mẹ</li>" in text
    assert "17:00 08/10/2026" not in text  # the due time before the pause no longer holds

    event(application, world.users["clerk"], "supplement_received", vn(2026, 10, 8, 14, 0))
    text = client.get(url).get_data(as_text=True)
    assert "17:00 08/10/2026" not in text and "17:00 12/10/2026" in text  # Tue → Thu: two working days more
    assert "Tạm dừng" not in text and "Bản sao Giấy chứng nhận kết hôn" not in text


def test_an_organisation_is_named_in_full_on_the_status_page(client, world, birth):
    company = {"kind": "organisation", "name": "Công ty TNHH Xây dựng Hồng Hà", "id_number": "5200123456",
               "phone": "02163862000", "email": "", "address": "Số 5, đường Yên Ninh"}
    application = receive(world.users["clerk"], birth, vn(2026, 10, 5, 9, 0), applicant=company)
    text = client.get(f"/tra-cuu/{application.code}?k={application.tracking_key}").get_data(as_text=True)
    assert "<dd>Công ty TNHH Xây dựng Hồng Hà</dd>" in text
    assert "5200123456" not in text and "02163862000" not in text and "Yên Ninh" not in text


def test_desk_refusal_slip_prints_without_a_code(client, auth, birth, db):
    auth.login("clerk")
    response = client.post("/desk/slips", data=desk_form(kind="refusal", reason="Không thuộc thẩm quyền"))
    assert response.status_code == 302
    pdf = client.get("/desk/slips/1.pdf")
    assert pdf.mimetype == "application/pdf"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Application)) == 0
