"""Fees counted per agency and period (issue 17, item 7): applications with fees, paid by method, paid online,
exempted, refunded and the amounts, in the indicators and Decision 766's online-payment group; `indicators check`
finds a closed day that changed."""

import re

import sqlalchemy as sa

from onestop.extensions import db
from onestop.fees import gateway, services
from onestop.fees.daybook import close_day
from onestop.reception import fee_lines, lifecycle
from onestop.timeutil import frozen_at
from tests import payment_platform
from tests.factories import event, receive
from tests.test_fees import MORNING, fee_procedure, signed_in

TEN = MORNING.replace(hour=10)


def locked(application):
    return lifecycle.lock_application(application.code)


def test_the_months_fee_figures_and_the_online_payment_score(app, client, world):
    app.config.update(PAYMENT_URL="http://127.0.0.1:9", PAYMENT_PARTNER_CODE="ONESTOP", PAYMENT_SECRET="s3cret")
    procedure = fee_procedure(world)
    procedure.current.online_payment = True
    db.session.commit()
    clerk = world.users["clerk"]
    cash, wrong, exempt, online, refused, unpaid = (receive(clerk, procedure, MORNING) for _ in range(6))
    with frozen_at(TEN):
        services.record_payment(locked(cash), clerk, "cash", 50_000)
        first = services.record_payment(locked(wrong), clerk, "transfer", 50_000)
        services.cancel_payment(first, clerk, "Nhầm hình thức", {"method": "cash", "amount": 50_000})
        fee_lines.reduce_line(locked(exempt), clerk, 1, reduction=50_000, reason="Người có công với cách mạng")
        pending = gateway.start(locked(online))
        db.session.commit()
        message = payment_platform.sign({"partner_code": "ONESTOP", "reference": pending.reference,
                                         "transaction_id": "NPP1", "amount": 50_000, "status": "paid",
                                         "paid_at": "2026-12-07T10:05:00+07:00"}, payment_platform.RESULT_FIELDS,
                                        "s3cret")
        assert gateway.settle(message)[0] == "paid"
        to_refund = services.record_payment(locked(refused), clerk, "cash", 50_000)
        db.session.commit()
    event(refused, clerk, "refuse", TEN.replace(hour=11), reasons=["Không thuộc thẩm quyền"])
    with frozen_at(TEN.replace(hour=14)):
        services.refund_payment(to_refund, clerk, 50_000, "Hồ sơ bị từ chối", "Trần Thị Lãnh")
        db.session.commit()
    assert unpaid.code  # received, owing, never paid

    signed_in(client, "supervisor")
    body = client.get("/api/v1/indicators?from=2026-12-01&to=2026-12-31&agency=000.00.01.H38").get_json()
    assert body["fees"] == {
        "applications_with_fees": 6, "due": 250_000, "exempted": 1, "reduced_amount": 50_000,
        "paid": {"cash": {"count": 3, "amount": 150_000, "applications": 3},
                 "transfer": {"count": 0, "amount": 0, "applications": 0},
                 "online": {"count": 1, "amount": 50_000, "applications": 1}},
        "paid_amount": 200_000, "paid_count": 4, "paid_online_applications": 1,
        "refunded": {"count": 1, "amount": 50_000}, "cancelled": {"count": 1, "amount": 50_000},
        "net_amount": 150_000,
        "online_payment": {"offered": 5, "paid_online": 1, "rate": 20.0},
    }
    # Decision 766's online-payment group counts the files by their lead agency (the procedure's: the department),
    # as the other groups do: of the 5 files that owe a fee (the exempted one owes nothing), 1 was paid online:
    # 6 × 0.2; the one fee-bearing procedure offers online payment (2.5) and took one (2 × min(1, 1 ÷ 0.8))
    index = client.get("/api/v1/index-766?from=2026-12-01&to=2026-12-31&agency=000.00.04.H38").get_json()
    payment = next(group for group in index["groups"] if group["code"] == "online_payment")
    assert [(i["code"], i["numerator"], i["denominator"], i["points"]) for i in payment["indicators"]] == [
        ("paid_online", 1, 5, 1.2), ("payment_used", 1, 1, 2.0), ("payment_offered", 1, 1, 2.5)]
    assert (payment["points"], payment["max"]) == (5.7, 10)
    # another month: no file owes a fee, not applicable (out of the score and the maximum); the procedures still
    # offer online payment, and none took one
    november = client.get("/api/v1/indicators?from=2026-11-01&to=2026-11-30&agency=000.00.01.H38").get_json()
    assert (november["fees"]["applications_with_fees"], november["fees"]["paid_amount"]) == (0, 0)
    earlier = client.get("/api/v1/index-766?from=2026-11-01&to=2026-11-30&agency=000.00.04.H38").get_json()
    payment = next(group for group in earlier["groups"] if group["code"] == "online_payment")
    assert [(i["code"], i["numerator"], i["denominator"], i["points"]) for i in payment["indicators"]] == [
        ("paid_online", 0, 0, None), ("payment_used", 0, 1, 0.0), ("payment_offered", 1, 1, 2.5)]
    page = client.get("/dashboard?agency=000.00.01.H38&from=2026-12-01&to=2026-12-31").get_data(as_text=True)
    figure = page[page.index('id="fees-figure"'):]
    assert "<b>150.000 đồng</b><small>6 hồ sơ có phí; 1 nộp trực tuyến</small>" in figure
    department = client.get("/dashboard?agency=000.00.04.H38&from=2026-12-01&to=2026-12-31").get_data(as_text=True)
    online_row = department[department.index('id="i-paid_online"'):][:600]
    assert re.search(r'data-label="Tỷ lệ">\s*20[.,]0\s*%\s*</td>', online_row), online_row
    # and the CCHC report says it in its opening paragraph
    from tests.test_pdf_forms import pdf_text

    report = pdf_text(client.get("/api/v1/reports/cchc.pdf?from=2026-12-01&to=2026-12-31&agency=000.00.01.H38").data)
    assert ("Phí, lệ phí: 6 hồ sơ có phí; đã thu 200.000 đồng (tiền mặt 150.000 đồng, chuyển khoản 0 đồng, trực "
            "tuyến 50.000 đồng: 1 hồ sơ nộp trực tuyến); miễn, giảm 1 hồ sơ; hoàn trả 50.000 đồng.") in report


def test_indicators_check_finds_a_closed_day_that_changed(app, runner, world):
    procedure = fee_procedure(world)
    application = receive(world.users["clerk"], procedure, MORNING)
    with frozen_at(TEN):
        services.record_payment(locked(application), world.users["clerk"], "cash", 50_000)
        db.session.commit()
    with frozen_at(MORNING.replace(hour=17)):
        close_day(world.agencies["000.00.01.H38"], MORNING.date(), world.users["supervisor"])
        db.session.commit()
    assert runner.invoke(args=["indicators", "check"]).exit_code == 0
    # someone edits the table behind the application's back: the closed day no longer adds up
    db.session.execute(sa.text("UPDATE receipt SET total = 5000"))
    db.session.commit()
    result = runner.invoke(args=["indicators", "check"])
    assert result.exit_code != 0
    assert "fee book 000.00.01.H38 2026-12-07: closed with" in result.output
