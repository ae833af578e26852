"""A mistake is a cancellation and a new receipt, a refused file's fee is refunded, and the day's book balances
(issue 17): the original receipt stays readable, nothing is edited, a closed day cannot change."""
from datetime import datetime

import pytest

from onestop.extensions import db
from onestop.fees.models import Receipt
from onestop.timeutil import VN, frozen_at
from tests.factories import event, receive
from tests.test_fees import MORNING, fee_procedure, pay, signed_in
from tests.test_pdf_forms import pdf_text

LATER = MORNING.replace(hour=11)


def book(client, day="2026-12-07", **args):
    response = client.get("/api/v1/daybook", query_string={"day": day, **args})
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def balanced(data) -> bool:
    totals, methods = data["totals"], data["by_method"].values()
    return (totals["net"] == totals["receipts"] - totals["cancelled"] - totals["refunded"]
            and all(sum(bucket[key] for bucket in methods) == totals[key]
                    for key in ("receipts", "cancelled", "refunded", "net")))


def test_a_wrong_receipt_is_cancelled_with_its_reason_and_a_new_one_issued(client, world):
    application = receive(world.users["clerk"], fee_procedure(world), MORNING)
    signed_in(client)
    first = pay(client, application.code, method="transfer").get_json()
    with frozen_at(LATER):
        refused = client.post(f"/api/v1/payments/{first['id']}/cancel", json={})
        assert (refused.status_code, refused.get_json()["error"]) == (400, "Nhập «Lý do hủy».")
        response = client.post(f"/api/v1/payments/{first['id']}/cancel", json={
            "reason": "Ghi nhầm hình thức: người nộp trả tiền mặt",
            "reissue": {"method": "cash", "amount": 50_000}})
    assert response.status_code == 201
    body = response.get_json()
    assert body["cancelled"]["cancelled"] is True
    assert (body["reissued"]["method"], body["reissued"]["receipt"]["number"]) == ("cash", 2)
    with frozen_at(LATER):
        twice = client.post(f"/api/v1/payments/{first['id']}/cancel", json={"reason": "Lần nữa"})
    assert (twice.status_code, twice.get_json()["error"]) == (409, "Biên lai này đã bị hủy.")

    # the original receipt: as printed, under a mark that it was cancelled, and its row never changed
    original = pdf_text(client.get(first["receipt"]["pdf_url"]).data)
    assert "ĐÃ HỦY ngày 07/12/2026: Ghi nhầm hình thức: người nộp trả tiền mặt" in original
    assert "Số: 0000001" in original and "Hình thức thanh toán: Chuyển khoản" in original
    receipt = db.session.scalar(db.select(Receipt).filter_by(number=1))
    receipt.total = 1
    with pytest.raises(PermissionError):
        db.session.flush()
    db.session.rollback()

    fees = client.get(f"/api/v1/applications/{application.code}/fees").get_json()
    assert (fees["paid"], fees["balance"]) == (50_000, 0)
    data = book(client)
    assert [(row["number"], row["method"], row["amount"], row["cancelled"]) for row in data["receipts"]] == [
        (1, "transfer", 50_000, True), (2, "cash", 50_000, False)]
    assert [(row["number"], row["reason"]) for row in data["cancellations"]] == [
        (1, "Ghi nhầm hình thức: người nộp trả tiền mặt")]
    assert data["by_method"]["cash"] == {"receipts": 50_000, "cancelled": 0, "refunded": 0, "net": 50_000, "count": 1}
    assert data["by_method"]["transfer"] == {"receipts": 50_000, "cancelled": 50_000, "refunded": 0, "net": 0,
                                             "count": 1}
    assert data["totals"]["net"] == 50_000 and balanced(data)


def test_a_refused_files_fee_is_refunded_and_the_receipt_stays(client, world):
    application = receive(world.users["clerk"], fee_procedure(world), MORNING)
    signed_in(client)
    paid = pay(client, application.code).get_json()
    with frozen_at(LATER):
        early = client.post(f"/api/v1/payments/{paid['id']}/refund", json={
            "amount": 50_000, "reason": "Hồ sơ bị từ chối", "decided_by": "Trần Thị Lãnh"})
    assert (early.status_code, early.get_json()["error"]) == (
        409, "Chỉ hoàn phí cho hồ sơ bị từ chối hoặc dừng giải quyết.")
    event(application, world.users["clerk"], "refuse", LATER, reasons=["Không thuộc thẩm quyền giải quyết"])
    with frozen_at(LATER.replace(hour=14)):
        missing = client.post(f"/api/v1/payments/{paid['id']}/refund", json={"amount": 50_000, "reason": "Từ chối"})
        assert (missing.status_code, missing.get_json()["error"]) == (400, "Nhập «Người quyết định».")
        too_much = client.post(f"/api/v1/payments/{paid['id']}/refund", json={
            "amount": 60_000, "reason": "Từ chối", "decided_by": "Trần Thị Lãnh"})
        assert too_much.get_json()["error"] == "Số tiền hoàn lớn hơn số còn lại của khoản thu (50.000 đồng)."
        response = client.post(f"/api/v1/payments/{paid['id']}/refund", json={
            "amount": 50_000, "reason": "Hồ sơ bị từ chối: không thuộc thẩm quyền", "decided_by": "Trần Thị Lãnh"})
    assert response.status_code == 201
    refund = response.get_json()["refund"]
    assert (refund["amount"], refund["decided_by"], refund["method"]) == (50_000, "Trần Thị Lãnh", "cash")
    text = pdf_text(client.get(paid["receipt"]["pdf_url"]).data)
    assert "Số: 0000001" in text and "ĐÃ HỦY" not in text
    fees = client.get(f"/api/v1/applications/{application.code}/fees").get_json()
    assert (fees["paid"], fees["refunded"]) == (50_000, 50_000)
    data = book(client)
    assert [(row["application_code"], row["amount"], row["decided_by"]) for row in data["refunds"]] == [
        (application.code, 50_000, "Trần Thị Lãnh")]
    assert data["by_method"]["cash"]["net"] == 0 and data["totals"]["net"] == 0 and balanced(data)
    with frozen_at(LATER.replace(hour=15)):
        again = client.post(f"/api/v1/payments/{paid['id']}/refund", json={
            "amount": 1, "reason": "Lần nữa", "decided_by": "Trần Thị Lãnh"})
    assert again.status_code == 400


def test_a_supervisor_closes_the_day_and_it_cannot_change(client, world):
    application = receive(world.users["clerk"], fee_procedure(world), MORNING)
    clerk = signed_in(client)
    paid = pay(clerk, application.code, amount=20_000).get_json()
    supervisor = signed_in(client.application.test_client(), "supervisor")
    clerk_close = clerk.post("/api/v1/daybook/close", json={"agency": "000.00.01.H38", "day": "2026-12-07"})
    assert clerk_close.status_code == 403
    with frozen_at(MORNING.replace(hour=17)):
        closed = supervisor.post("/api/v1/daybook/close", json={"agency": "000.00.01.H38", "day": "2026-12-07"})
        assert closed.status_code == 201, closed.get_data(as_text=True)
        assert closed.get_json()["totals"]["totals"]["net"] == 20_000
        with frozen_at(MORNING.replace(hour=17, minute=5)):
            after = clerk.post(f"/api/v1/applications/{application.code}/payments",
                               json={"method": "cash", "amount": 10_000})
        assert (after.status_code, after.get_json()["error"]) == (409, "Sổ thu ngày 07/12/2026 đã khóa: không ghi thêm được.")
        cancel = clerk.post(f"/api/v1/payments/{paid['id']}/cancel", json={"reason": "Nhầm"})
        assert cancel.status_code == 409
        twice = supervisor.post("/api/v1/daybook/close", json={"agency": "000.00.01.H38", "day": "2026-12-07"})
        assert twice.status_code == 409
    data = book(supervisor, agency="000.00.01.H38")
    assert data["closed"]["by"] == "supervisor" and data["totals"]["receipts"] == 20_000
    # the next morning the desk collects again, on the next day's book
    with frozen_at(datetime(2026, 12, 8, 8, 0, tzinfo=VN)):
        next_day = clerk.post(f"/api/v1/applications/{application.code}/payments",
                              json={"method": "cash", "amount": 10_000})
    assert next_day.status_code == 201 and next_day.get_json()["receipt"]["number"] == 2


def test_the_days_book_as_pdf_and_excel(client, world):
    import io

    from openpyxl import load_workbook

    application = receive(world.users["clerk"], fee_procedure(world), MORNING)
    signed_in(client)
    pay(client, application.code, amount=50_000, payer_name="=HYPERLINK(\"x\")")
    pdf = client.get("/api/v1/daybook.pdf?day=2026-12-07")
    assert pdf.status_code == 200
    text = pdf_text(pdf.data)
    assert "SỔ THU PHÍ, LỆ PHÍ TRONG NGÀY" in text and "Ngày 07/12/2026" in text and "50.000" in text
    sheet = load_workbook(io.BytesIO(client.get("/api/v1/daybook.xlsx?day=2026-12-07").data)).active
    rows = [tuple(cell.value for cell in row) for row in sheet.iter_rows()]
    assert ("000.00.01.H38-BL26", 1, application.code, "=HYPERLINK(\"x\")", "Tiền mặt", 50_000, "Lê Thị Thu Hằng",
            None) in rows
    assert sheet.cell(5, 4).data_type == "s"  # the payer's name stays text
    assert ("Cộng", 1, 50_000, 0, 0, 50_000) in [row[:6] for row in rows]
    assert client.get("/api/v1/daybook.csv").status_code == 404
    assert client.get("/api/v1/daybook?day=2026-13-01").status_code == 400
    assert client.get("/api/v1/daybook?agency=000.00.09.H38").status_code == 403
