"""The desk's pages for fees (issue 17): the application page shows the lines and a "Thu phí" form, the receipt
link, and the day's book page for collectors and supervisors."""
import re

from onestop.extensions import db
from onestop.fees import services
from onestop.reception.fee_lines import add_lines_preview
from onestop.timeutil import frozen_at
from tests.conftest import csrf_token_from, make_app
from tests.factories import receive
from tests.test_fees import MORNING, fee_procedure, signed_in
from tests.test_pdf_forms import pdf_text

TEN = MORNING.replace(hour=10)


def test_a_clerk_takes_cash_on_the_application_page_and_prints_the_receipt(client, world):
    application = receive(world.users["clerk"], fee_procedure(world), MORNING)
    signed_in(client)
    with frozen_at(TEN):
        page = client.get(f"/applications/{application.code}").get_data(as_text=True)
        assert "Phí, lệ phí" in page and "Lệ phí cấp giấy phép kinh doanh" in page
        assert "Còn phải thu: <b>50.000 đồng</b>" in page
        assert 'id="take-payment"' in page
        wrong = client.post(f"/applications/{application.code}/payments", data={"method": "cash", "amount": "70000"})
        assert wrong.status_code == 400
        assert "Số tiền lớn hơn số còn phải thu (50.000 đồng)." in wrong.get_data(as_text=True)
        response = client.post(f"/applications/{application.code}/payments",
                               data={"method": "cash", "amount": "50000", "payer_name": "Trần Văn Bình"})
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Đã thu phí: biên lai 000.00.01.H38-BL26 số 0000001." in page
    assert "Còn phải thu: <b>Không</b>" in page and 'id="take-payment"' not in page
    link = re.search(r'class="btn receipt-link" target="_blank" href="([^"]+)"', page).group(1)
    assert link == "/api/v1/receipts/000.00.01.H38-BL26/1.pdf"
    assert "Người nộp tiền: Trần Văn Bình" in pdf_text(client.get(link).data)

    book = client.get("/daybook?day=2026-12-07").get_data(as_text=True)
    assert "000.00.01.H38-BL26 / 0000001" in book and application.code in book
    assert '<th id="book-net">50.000</th>' in book
    assert "Khóa sổ ngày này" not in book  # a clerk does not close the day


def test_a_supervisor_closes_the_day_from_its_page(client, world):
    application = receive(world.users["clerk"], fee_procedure(world), MORNING)
    with frozen_at(TEN):
        services.record_payment(application, world.users["clerk"], "transfer", 50_000)
        db.session.commit()
    signed_in(client, "supervisor")
    with frozen_at(MORNING.replace(hour=17)):
        page = client.get("/daybook?agency=000.00.01.H38&day=2026-12-07").get_data(as_text=True)
        assert "Khóa sổ ngày này" in page and 'id="book-open"' in page
        closed = client.post("/daybook/close?agency=000.00.01.H38&day=2026-12-07")
        assert closed.status_code == 302
        page = client.get(closed.headers["Location"]).get_data(as_text=True)
    assert 'id="book-closed"' in page and "Khóa sổ ngày này" not in page
    assert client.get("/daybook?agency=000.00.01.H38&day=2026-02-30").status_code == 400


def test_the_fee_forms_need_the_pages_csrf_token(tmp_path):
    app = make_app(tmp_path, WTF_CSRF_ENABLED=True)
    with app.app_context():
        from onestop import demo

        agencies = demo.load_agencies()
        users = demo.load_users(agencies)
        db.session.commit()
        code = receive(users["clerk"], fee_procedure(type("W", (), {"agencies": agencies})), MORNING).code
        db.session.remove()
    # outside the app context, as a browser's requests are: each request its own context (and CSRF token cache)
    client = app.test_client()
    token = csrf_token_from(client.get("/login").get_data(as_text=True))
    client.post("/login", data={"username": "clerk", "password": "demo", "csrf_token": token})
    forged = client.post(f"/applications/{code}/payments", data={"method": "cash", "amount": "50000"})
    assert forged.status_code == 400
    page = client.get(f"/applications/{code}").get_data(as_text=True)
    taken = client.post(f"/applications/{code}/payments", data={
        "method": "cash", "amount": "50000", "csrf_token": csrf_token_from(page)})
    assert taken.status_code == 302, taken.get_data(as_text=True)
    with app.app_context():
        from tests.conftest import drop_everything

        drop_everything()


def test_an_online_submission_waits_for_its_fee_before_acceptance(world):
    """The gate the online desk calls before accepting (reception.online.before_accepting)."""
    procedure = fee_procedure(world)
    version = procedure.current
    assert [(line.kind, line.amount, line.collect) for line in add_lines_preview(version)] == [
        ("le_phi", 50_000, "before")]
    assert services.unpaid_before_acceptance(version, "TT-0001") == 50_000
    procedure.fee_collect = "at_return"
    db.session.commit()
    assert services.unpaid_before_acceptance(version, "TT-0001") == 0


def test_when_a_procedures_fees_are_collected_is_set_per_procedure(runner, world):
    procedure = fee_procedure(world)
    result = runner.invoke(args=["fees", "collect-when", procedure.code, "at_return"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == f"{procedure.code}: thu phí khi trả kết quả."
    application = receive(world.users["clerk"], procedure, MORNING)
    assert [line.collect for line in application.fees] == ["at_return"]
    assert runner.invoke(args=["fees", "collect-when", "9.999999", "before"]).exit_code != 0


def test_the_online_desk_asks_reception_hooks_and_fees_answers(app, world):
    """reception.online (which may not import fees) asks reception.hooks before accepting; fees registered there.
    Where online payment is offered the submission waits for it; where it is not, the citizen cannot pay before
    the desk sees them, and acceptance does not wait (the fee is taken at the desk)."""
    import pytest

    from onestop.reception import hooks
    from onestop.reception.validation import ReceptionError

    version = fee_procedure(world).current
    submission = type("Submission", (), {"number": "TT-261207-K7QM2X", "procedure_version_id": version.id})()
    hooks.check_acceptance(submission, world.users["clerk"])  # no online payment configured: no wait
    assert hooks.waiting_notes(submission) == []
    app.config.update(PAYMENT_URL="http://127.0.0.1:9/", PAYMENT_PARTNER_CODE="MOTCUA", PAYMENT_SECRET="s")
    with pytest.raises(ReceptionError) as refused:
        hooks.check_acceptance(submission, world.users["clerk"])
    assert (refused.value.status, refused.value.message) == (
        409, "Chưa nộp phí, lệ phí trước khi tiếp nhận: còn 50.000 đồng.")
    assert hooks.waiting_notes(submission) == ["Chờ nộp phí: 50.000 đồng"]
    version.procedure.fee_collect = "at_return"
    db.session.commit()
    hooks.check_acceptance(submission, world.users["clerk"])  # nothing due before acceptance: no refusal
    assert hooks.waiting_notes(submission) == []


def test_a_fee_collected_at_hand_back_is_called_for_when_the_result_is_ready(client, world):
    from tests.factories import event

    procedure = fee_procedure(world)
    procedure.fee_collect = "at_return"
    db.session.commit()
    application = receive(world.users["clerk"], procedure, MORNING)
    signed_in(client)
    assert 'id="collect-at-return"' not in client.get(f"/applications/{application.code}").get_data(as_text=True)
    event(application, world.users["clerk"], "transfer", TEN)
    event(application, world.users["officer"], "result_ready", TEN.replace(hour=11))
    page = client.get(f"/applications/{application.code}").get_data(as_text=True)
    assert "Thu phí, lệ phí trước khi trả kết quả." in page and "khi trả kết quả</td>" in page
    # the result is not handed back before the fee is paid; once it is, it is
    with frozen_at(TEN.replace(hour=14)):
        refused = client.post(f"/api/v1/applications/{application.code}/events",
                              json={"type": "return", "method": "at_desk"})
        assert (refused.status_code, refused.get_json()["error"]) == (
            409, "Thu phí, lệ phí trước khi trả kết quả: còn 50.000 đồng.")
        assert pay_api(client, application.code).status_code == 201
        returned = client.post(f"/api/v1/applications/{application.code}/events",
                               json={"type": "return", "method": "at_desk"})
    assert returned.status_code == 201


def pay_api(client, code):
    return client.post(f"/api/v1/applications/{code}/payments", json={"method": "cash", "amount": 50_000})
