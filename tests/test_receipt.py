"""The receipt and the look-up: one number on top, the register entry named as such, the look-up key printed in
groups a person can type, and /tra-cuu reachable from the public menu and the receipt's text."""
import re
from datetime import datetime

import pytest

from onestop.reception import keys, printing
from onestop.timeutil import VN
from tests.factories import make_procedure, receive
from tests.test_pdf_forms import pdf_text


@pytest.fixture
def birth(world):
    return make_procedure(agency=world.agencies["000.00.04.H38"])


def test_the_receipt_prints_one_number_on_top_and_names_the_register_entry(world, birth):
    receive(world.users["clerk"], birth, datetime(2026, 10, 8, 9, 0, tzinfo=VN))
    second = receive(world.users["clerk"], birth, datetime(2026, 10, 9, 9, 0, tzinfo=VN))
    assert (second.code, second.register_entry) == ("000.00.01.H38-261009-0001", 2)
    text = pdf_text(printing.render_form(second, "receipt"))
    assert "Mã hồ sơ: 000.00.01.H38-261009-0001" in text
    assert "Số: 0001" not in text
    assert "Vào Sổ theo dõi hồ sơ, quyển số: Hộ tịch – năm 2026, số thứ tự: 2" in text


def test_the_receipt_prints_the_key_in_groups_and_where_to_type_it(world, birth):
    application = receive(world.users["clerk"], birth, datetime(2026, 10, 9, 9, 0, tzinfo=VN))
    application.tracking_key = "WWMWMWWMWWMW"  # the widest letters stay on one line
    key = keys.grouped(application.tracking_key)
    assert re.fullmatch(r"[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}", key)
    text = pdf_text(printing.render_form(application, "receipt"))
    assert ("Tra cứu tình trạng hồ sơ tại https://motcua.example.vn/tra-cuu với mã hồ sơ và "
            f"mã tra cứu: {key} (hoặc quét mã QR).") in text


def test_a_citizen_types_the_code_and_the_key_from_the_receipt_in_lower_case(client, world, birth):
    application = receive(world.users["clerk"], birth, datetime(2026, 10, 9, 9, 0, tzinfo=VN))
    typed = keys.grouped(application.tracking_key).lower().replace("-", " ")
    response = client.get("/tra-cuu", query_string={"code": application.code, "k": typed})
    assert response.status_code == 302
    assert client.get(response.headers["Location"]).status_code == 200


def test_the_public_menu_links_to_the_look_up(client, world):
    page = client.get("/thu-tuc").get_data(as_text=True)
    assert '<a href="/tra-cuu">Tra cứu hồ sơ</a>' in page
