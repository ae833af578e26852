"""Fees at the desk (issue 17): what an application owes, cash and transfer with a receipt whose number is never
reused, the receipt in figures and in words, cancellations, refunds and the day's book."""
from datetime import datetime

import pytest

from onestop.fees.words import amount_in_words
from onestop.timeutil import VN, frozen_at
from tests.factories import make_procedure, receive
from tests.test_pdf_forms import pdf_text

MORNING = datetime(2026, 12, 7, 9, 0, tzinfo=VN)  # a Monday

WORDS = [  # written by hand, as a receipt writes them
    (0, "Không đồng"),
    (5_000, "Năm nghìn đồng"),
    (10_000, "Mười nghìn đồng"),
    (15_000, "Mười lăm nghìn đồng"),
    (21_000, "Hai mươi mốt nghìn đồng"),
    (50_000, "Năm mươi nghìn đồng"),
    (105_000, "Một trăm linh năm nghìn đồng"),
    (1_000_000, "Một triệu đồng"),
    (1_005_000, "Một triệu không trăm linh năm nghìn đồng"),
    (2_500_000, "Hai triệu năm trăm nghìn đồng"),
    (1_234_567_000, "Một tỷ hai trăm ba mươi tư triệu năm trăm sáu mươi bảy nghìn đồng"),
    (14_000, "Mười bốn nghìn đồng"),
    (3_000_000, "Ba triệu đồng"),
]


@pytest.mark.parametrize("amount,words", WORDS)
def test_amounts_in_words(amount, words):
    assert amount_in_words(amount) == words


def fee_procedure(world, code="1.000894", fee=50_000, fee_text="Lệ phí: 50.000 đồng/hồ sơ", known=True):
    procedure = make_procedure(code=code, name="Cấp giấy phép kinh doanh", agency=world.agencies["000.00.04.H38"],
                               fee=fee)
    version = procedure.current
    version.fee_text, version.fee_known = fee_text, known
    from onestop.extensions import db

    db.session.commit()
    return procedure


def signed_in(client, username="clerk"):
    assert client.post("/login", data={"username": username, "password": "demo"}).status_code == 302
    return client


def pay(client, code, method="cash", amount=50_000, **extra):
    with frozen_at(MORNING.replace(hour=10)):
        return client.post(f"/api/v1/applications/{code}/payments", json={"method": method, "amount": amount, **extra})


def test_a_clerk_takes_fifty_thousand_in_cash_and_prints_a_numbered_receipt(client, world):
    procedure = fee_procedure(world)
    application = receive(world.users["clerk"], procedure, MORNING)
    signed_in(client)
    fees = client.get(f"/api/v1/applications/{application.code}/fees").get_json()
    assert [(line["kind"], line["amount"], line["collect"], line["exempt_reason"]) for line in fees["lines"]] == [
        ("le_phi", 50_000, "before", None)]
    assert (fees["due"], fees["paid"], fees["balance"]) == (50_000, 0, 50_000)

    response = pay(client, application.code)
    assert response.status_code == 201
    body = response.get_json()
    assert (body["method"], body["amount"], body["status"]) == ("cash", 50_000, "paid")
    assert body["receipt"]["series"] == "000.00.01.H38-BL26"
    assert body["receipt"]["number"] == 1
    assert body["receipt"]["pdf_url"] == "/api/v1/receipts/000.00.01.H38-BL26/1.pdf"
    fees = client.get(f"/api/v1/applications/{application.code}/fees").get_json()
    assert (fees["due"], fees["paid"], fees["balance"]) == (50_000, 50_000, 0)

    pdf = client.get(body["receipt"]["pdf_url"])
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    text = pdf_text(pdf.data)
    for expected in ("BIÊN LAI THU PHÍ, LỆ PHÍ", "Mẫu số: 01BLP0-001", "Ký hiệu: 000.00.01.H38-BL26", "Số: 0000001",
                     "Tên đơn vị thu: Trung tâm", f"Mã hồ sơ: {application.code}",
                     "Người nộp tiền: Nguyễn Thị Ngọc Ánh", "Hình thức thanh toán: Tiền mặt", "50.000",
                     "Bằng chữ: Năm mươi nghìn đồng", "Tổng số tiền bằng chữ: Năm mươi nghìn đồng",
                     "Ngày 07 tháng 12 năm 2026", "Lê Thị Thu Hằng"):
        assert expected in text, expected
    # nothing more to collect
    again = pay(client, application.code)
    assert again.status_code == 409
    assert again.get_json()["error"] == "Hồ sơ không còn khoản phí phải thu."


def test_receipt_numbers_run_on_across_applications_and_restart_per_agency(client, world):
    procedure = fee_procedure(world)
    first = receive(world.users["clerk"], procedure, MORNING)
    second = receive(world.users["clerk"], procedure, MORNING)
    signed_in(client)
    numbers = [pay(client, code, amount=20_000).get_json()["receipt"]["number"]
               for code in (first.code, second.code, first.code)]
    assert numbers == [1, 2, 3]
    assert client.get(f"/api/v1/applications/{first.code}/fees").get_json()["balance"] == 10_000


def test_bad_payments_are_refused_with_a_reason_and_leave_nothing(client, world):
    procedure = fee_procedure(world)
    application = receive(world.users["clerk"], procedure, MORNING)
    signed_in(client)
    cases = [({"method": "card", "amount": 50_000}, 400, "Hình thức thu phải là tiền mặt (cash) hoặc chuyển khoản (transfer)."),
             ({"method": "cash", "amount": 0}, 400, "«Số tiền» phải là số nguyên từ 1 đến 10000000000000."),
             ({"method": "cash", "amount": 50_000.5}, 400, "«Số tiền» phải là số nguyên từ 1 đến 10000000000000."),
             ({"method": "cash", "amount": 60_000}, 400, "Số tiền lớn hơn số còn phải thu (50.000 đồng)."),
             ({"method": "cash", "amount": 1, "extra": 1}, 400, "Khóa không được hỗ trợ: extra.")]
    for body, status, message in cases:
        response = client.post(f"/api/v1/applications/{application.code}/payments", json=body)
        assert (response.status_code, response.get_json()["error"]) == (status, message)
    assert client.get(f"/api/v1/applications/{application.code}/fees").get_json()["payments"] == []
    assert client.post("/api/v1/applications/NOPE/payments", json={"method": "cash", "amount": 1}).status_code == 404


def test_a_fee_the_publication_does_not_state_is_asked_of_the_clerk(client, world):
    procedure = fee_procedure(world, fee=0, fee_text="Theo quy định của Bộ Tài chính", known=False)
    application = receive(world.users["clerk"], procedure, MORNING)
    signed_in(client)
    fees = client.get(f"/api/v1/applications/{application.code}/fees").get_json()
    assert [(line["kind"], line["amount"]) for line in fees["lines"]] == [("phi", None)]
    assert fees["known"] is False
    refused = pay(client, application.code, amount=1)
    assert (refused.status_code, refused.get_json()["error"]) == (
        400, "Nhập mức phí của từng dòng (số trang, số bản) trước khi thu.")
    set_amount = client.post(f"/api/v1/applications/{application.code}/fees/1", json={"amount": 100_000})
    assert set_amount.status_code == 200
    assert (set_amount.get_json()["due"], set_amount.get_json()["known"]) == (100_000, True)
    assert pay(client, application.code, amount=100_000).status_code == 201


def test_a_per_page_fee_is_multiplied_at_the_desk(client, world):
    procedure = fee_procedure(world, code="2.000815", fee=0, fee_text="Phí chứng thực: 2.000 đồng/trang",
                              known=False)
    application = receive(world.users["clerk"], procedure, MORNING)
    signed_in(client)
    line = client.get(f"/api/v1/applications/{application.code}/fees").get_json()["lines"][0]
    assert (line["unit_amount"], line["unit"], line["quantity"], line["amount"]) == (2_000, "trang", None, None)
    body = client.post(f"/api/v1/applications/{application.code}/fees/1", json={"quantity": 7}).get_json()
    assert (body["lines"][0]["amount"], body["due"]) == (14_000, 14_000)
    receipt = pay(client, application.code, amount=14_000).get_json()["receipt"]
    assert "Bằng chữ: Mười bốn nghìn đồng" in pdf_text(client.get(receipt["pdf_url"]).data)


def test_an_exemption_needs_its_reason_and_is_kept(client, world):
    procedure = fee_procedure(world)
    application = receive(world.users["clerk"], procedure, MORNING)
    signed_in(client)
    url = f"/api/v1/applications/{application.code}/fees/1"
    missing = client.post(url, json={"reduction": 50_000})
    assert (missing.status_code, missing.get_json()["error"]) == (400, "Nhập «Lý do miễn, giảm».")
    too_much = client.post(url, json={"reduction": 60_000, "reason": "Hộ nghèo"})
    assert too_much.get_json()["error"] == "Số tiền miễn, giảm không được lớn hơn mức phí."
    granted = client.post(url, json={"reduction": 25_000, "reason": "Giảm 50% theo Thông tư 85/2019/TT-BTC"})
    assert granted.status_code == 200
    body = granted.get_json()
    assert (body["lines"][0]["exempt_reason"], body["lines"][0]["reduction"], body["due"]) == (
        "Giảm 50% theo Thông tư 85/2019/TT-BTC", 25_000, 25_000)
    again = client.post(url, json={"reduction": 25_000, "reason": "Miễn thêm"})
    assert again.get_json()["error"] == "Dòng phí này đã được miễn, giảm."


def test_a_procedure_without_a_fee_owes_nothing(client, world):
    procedure = fee_procedure(world, fee=0, fee_text="Không", known=True)
    application = receive(world.users["clerk"], procedure, MORNING)
    signed_in(client)
    fees = client.get(f"/api/v1/applications/{application.code}/fees").get_json()
    assert (fees["lines"], fees["due"], fees["balance"]) == ([], 0, 0)


def test_an_officer_may_read_the_fees_but_not_collect(client, world):
    procedure = fee_procedure(world)
    application = receive(world.users["clerk"], procedure, MORNING)
    signed_in(client, "officer")
    assert client.get(f"/api/v1/applications/{application.code}/fees").status_code == 200
    assert pay(client, application.code).status_code == 403

