"""Online payment against a local stand-in of the national payment platform (issue 17): a normal payment, a lost
callback reconciled later, a forged callback refused, a duplicate callback ignored, a platform that does not
answer; nothing is recorded twice."""
import json
import urllib.parse
import urllib.request
from datetime import datetime

import pytest
import sqlalchemy as sa

from onestop.extensions import db
from onestop.fees.models import Payment, Receipt
from onestop.timeutil import VN
from tests import payment_platform
from tests.conftest import drop_everything, make_app
from tests.factories import receive
from tests.test_fees import fee_procedure
from tests.test_write_concurrency import threaded_server

MORNING = datetime(2026, 12, 7, 9, 0, tzinfo=VN)


class Http:
    """A client speaking to the app over real HTTP, as the platform and a browser do."""

    def __init__(self, base: str, token: str | None = None):
        self.base, self.token = base, token

    def call(self, method: str, path: str, body: dict | None = None) -> tuple[int, dict | str]:
        headers = {"Content-Type": "application/json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        request = urllib.request.Request(self.base + path, method=method, headers=headers,
                                         data=json.dumps(body).encode() if body is not None else None)
        try:
            with urllib.request.urlopen(request, timeout=20) as response:
                status, data = response.status, response.read()
        except urllib.error.HTTPError as error:
            status, data = error.code, error.read()
        text = data.decode()
        try:
            return status, json.loads(text)
        except ValueError:
            return status, text


@pytest.fixture
def online(tmp_path):
    with payment_platform.running() as platform:
        app = make_app(tmp_path, PAYMENT_URL=platform.base, PAYMENT_PARTNER_CODE=platform.partner_code,
                       PAYMENT_SECRET=platform.secret, PAYMENT_TIMEOUT=1)
        with app.app_context():
            from onestop import demo

            agencies = demo.load_agencies()
            users = demo.load_users(agencies)
            db.session.commit()
            world = type("World", (), {"agencies": agencies, "users": users})
            application = receive(users["clerk"], fee_procedure(world), MORNING)
            code, clerk_agency = application.code, users["clerk"].agency_id
            db.session.remove()
            with threaded_server(app) as base:
                anonymous = Http(base)
                token = anonymous.call("POST", "/api/v1/tokens", {"username": "clerk", "password": "demo"})[1]["token"]
                yield type("Online", (), {"app": app, "platform": platform, "code": code, "desk": Http(base, token),
                                          "anonymous": anonymous, "users_agency": clerk_agency})
            drop_everything()


def stored(code):
    db.session.remove()
    payments = db.session.scalars(sa.select(Payment).order_by(Payment.id)).all()
    receipts = db.session.scalars(sa.select(Receipt).order_by(Receipt.id)).all()
    return [(p.method, p.amount, p.status) for p in payments], [(r.number, r.total, r.method) for r in receipts]


def start(online) -> dict:
    status, body = online.desk.call("POST", f"/api/v1/applications/{online.code}/payments/online", {})
    assert status == 201, body
    assert body["amount"] == 50_000 and body["currency"] == "VND"
    assert body["pay_url"] == f"{online.platform.base}/pay/{body['reference']}"
    return body


def test_a_citizen_pays_online_and_the_callback_records_it_once(online):
    started = start(online)
    sent = online.platform.payments[started["reference"]]
    assert (sent["amount"], sent["currency"], sent["application_code"]) == (50_000, "VND", online.code)
    assert sent["lines"] == [{"kind": "le_phi", "name": "Lệ phí cấp giấy phép kinh doanh", "amount": 50_000}]
    assert sent["callback_url"].endswith("/api/v1/payments/callback")
    assert stored(online.code) == ([("online", 50_000, "pending")], [])
    # while the citizen may be paying, the desk does not take the same fee
    status, body = online.desk.call("POST", f"/api/v1/applications/{online.code}/payments",
                                    {"method": "cash", "amount": 50_000})
    assert (status, body["error"]) == (409, "Hồ sơ đang chờ kết quả một lần thanh toán trực tuyến.")

    message = online.platform.pay(started["reference"])
    assert stored(online.code) == ([("online", 50_000, "paid")], [(1, 50_000, "online")])
    # the same callback again, and the browser's return with the same message: nothing more is recorded
    assert online.platform.post(online.platform.payments[started["reference"]]["callback_url"], message) == (
        200, {"code": "02", "outcome": "ignored"})
    status, page = online.anonymous.call("GET", "/api/v1/payments/return?" + urllib.parse.urlencode(message))
    assert status == 200 and "Đã thanh toán phí, lệ phí cho hồ sơ" in page
    assert stored(online.code) == ([("online", 50_000, "paid")], [(1, 50_000, "online")])
    status, fees = online.desk.call("GET", f"/api/v1/applications/{online.code}/fees")
    assert (fees["paid"], fees["balance"]) == (50_000, 0)
    assert fees["payments"][0]["receipt"]["number"] == 1


def test_a_lost_callback_is_reconciled_later(online):
    started = start(online)
    online.platform.pay(started["reference"], deliver=False)  # the citizen closed the window: no callback
    assert stored(online.code) == ([("online", 50_000, "pending")], [])
    runner = online.app.test_cli_runner()
    result = runner.invoke(args=["payments", "reconcile"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "paid: 1"
    assert stored(online.code) == ([("online", 50_000, "paid")], [(1, 50_000, "online")])
    again = runner.invoke(args=["payments", "reconcile"])
    assert again.output.strip() == "Không có khoản thanh toán trực tuyến nào đang chờ."
    # the callback arriving late changes nothing
    late = online.platform.result(started["reference"])
    assert online.platform.post(online.platform.payments[started["reference"]]["callback_url"], late)[1]["outcome"] == "ignored"
    assert stored(online.code)[1] == [(1, 50_000, "online")]


def test_a_forged_callback_is_refused_and_records_nothing(online):
    started = start(online)
    genuine = online.platform.result(started["reference"])
    callback = online.platform.payments[started["reference"]]["callback_url"]
    forged = {**genuine, "status": "paid", "transaction_id": "FAKE", "paid_at": "2026-12-07T10:00:00+07:00"}
    assert online.platform.post(callback, forged) == (400, {"code": "97", "outcome": "bad_checksum"})
    wrong_secret = payment_platform.sign({k: v for k, v in forged.items() if k != "checksum"},
                                         payment_platform.RESULT_FIELDS, "not-the-secret")
    assert online.platform.post(callback, wrong_secret)[0] == 400
    # signed, but for less than is owed
    cheap = payment_platform.sign({**{k: v for k, v in forged.items() if k != "checksum"}, "amount": 1},
                                  payment_platform.RESULT_FIELDS, online.platform.secret)
    assert online.platform.post(callback, cheap) == (400, {"code": "04", "outcome": "wrong_amount"})
    status, page = online.anonymous.call("GET", "/api/v1/payments/return?" + urllib.parse.urlencode(forged))
    assert status == 400 and "không ghi nhận" in page
    assert stored(online.code) == ([("online", 50_000, "pending")], [])


def test_a_platform_that_does_not_answer_in_time(online):
    online.platform.init_delay = 2.5  # longer than PAYMENT_TIMEOUT
    status, body = online.desk.call("POST", f"/api/v1/applications/{online.code}/payments/online", {})
    assert (status, body["error"]) == (502, "Cổng thanh toán không trả lời; xin thử lại sau.")
    assert stored(online.code) == ([("online", 50_000, "failed")], [])
    online.platform.init_delay = 0
    started = start(online)  # a failed attempt does not block the next one
    online.platform.pay(started["reference"])
    assert stored(online.code) == ([("online", 50_000, "failed"), ("online", 50_000, "paid")], [(1, 50_000, "online")])
    # the first attempt had reached the platform after all, and the citizen paid there too: the money was taken,
    # so its late callback is recorded (a refund or a credit is the desk's decision), never dropped
    late = next(reference for reference in online.platform.payments if reference != started["reference"])
    online.platform.pay(late)
    assert stored(online.code)[1] == [(1, 50_000, "online"), (2, 50_000, "online")]


def test_without_configuration_online_payment_is_not_offered(client, world):
    application = receive(world.users["clerk"], fee_procedure(world), MORNING)
    assert client.post("/login", data={"username": "clerk", "password": "demo"}).status_code == 302
    response = client.post(f"/api/v1/applications/{application.code}/payments/online", json={})
    assert (response.status_code, response.get_json()["error"]) == (404, "Chưa cung cấp thanh toán trực tuyến.")
    assert client.post("/api/v1/payments/callback", json={}).status_code == 404


def test_a_callback_after_the_day_was_closed_goes_in_the_next_days_book(online):
    from datetime import timedelta

    from onestop.fees.daybook import close_day
    from onestop.timeutil import local, now

    started = start(online)
    today = local(now()).date()
    with online.app.app_context():
        from onestop.auth.models import Agency, User

        agency = db.session.scalar(sa.select(Agency).filter_by(code="000.00.01.H38"))
        close_day(agency, today, db.session.scalar(sa.select(User).filter_by(username="supervisor")))
        db.session.commit()
    online.platform.pay(started["reference"])
    db.session.remove()
    receipt = db.session.scalar(sa.select(Receipt))
    assert (receipt.number, receipt.day) == (1, today + timedelta(days=1))


def test_the_applicant_pays_from_the_status_page(online):
    """The receipt's QR opens the status page with the key: a button, a page with the link to the platform, the
    platform's callback, and the button gone."""
    import re

    with online.app.app_context():
        from onestop.reception.models import Application

        key = db.session.scalar(sa.select(Application.tracking_key).filter_by(code=online.code))
        db.session.remove()
    base = online.anonymous.base
    status, page = online.anonymous.call("GET", f"/tra-cuu/{online.code}?k={key}")
    assert status == 200 and 'id="pay-online"' in page and "Còn phải nộp: <b>50.000 đồng</b>" in page
    assert online.anonymous.call("GET", f"/tra-cuu/{online.code}")[1].count('id="pay-online"') == 0  # no key
    form = urllib.parse.urlencode({"k": key}).encode()
    wrong = urllib.request.Request(f"{base}/tra-cuu/{online.code}/nop-phi", data=b"k=AAAA-BBBB-CCCC", method="POST")
    try:
        urllib.request.urlopen(wrong, timeout=10)
        raise AssertionError("a wrong key was taken")
    except urllib.error.HTTPError as error:
        assert error.code == 404
    with urllib.request.urlopen(urllib.request.Request(f"{base}/tra-cuu/{online.code}/nop-phi", data=form,
                                                       method="POST"), timeout=10) as response:
        page = response.read().decode()
    pay_url = re.search(r'id="pay-link" href="([^"]+)"', page).group(1)
    reference = pay_url.rsplit("/", 1)[1]
    assert pay_url == f"{online.platform.base}/pay/{reference}" and "<b>50.000 đồng</b>" in page
    online.platform.pay(reference)
    assert stored(online.code) == ([("online", 50_000, "paid")], [(1, 50_000, "online")])
    status, page = online.anonymous.call("GET", f"/tra-cuu/{online.code}?k={key}")
    assert 'id="pay-online"' not in page


def test_an_online_submission_pays_before_acceptance(online):
    """What the online desk (reception.online) will call: the fee paid online for a submission's number, then the
    acceptance check passes, and the accepted application takes the payment over."""
    from onestop.fees import gateway, services
    from onestop.reception import hooks
    from onestop.reception.models import Application
    from onestop.reception.validation import ReceptionError

    with online.app.app_context():
        application = db.session.scalar(sa.select(Application).filter_by(code=online.code))
        application_id = application.id
        submission = type("Submission", (), {"number": "TT-261207-K7QM2X", "agency_id": application.agency_id,
                                             "procedure_version_id": application.procedure_version_id,
                                             "applicant_name": "Nguyễn Văn Nộp"})()
        with pytest.raises(ReceptionError):
            hooks.check_acceptance(submission, None)
        with online.app.test_request_context(base_url=online.anonymous.base):
            payment = gateway.start_for_submission(submission)
            db.session.commit()
            pay_url = gateway.init(payment)
            db.session.commit()
        reference = pay_url.rsplit("/", 1)[1]
        assert online.platform.payments[reference]["application_code"] == "TT-261207-K7QM2X"
        db.session.remove()
    online.platform.pay(reference)
    with online.app.app_context():
        receipt = db.session.scalar(sa.select(Receipt))
        assert (receipt.application_code, receipt.total, receipt.payer_name) == (
            "TT-261207-K7QM2X", 50_000, "Nguyễn Văn Nộp")
        assert services.unpaid_before_acceptance(
            db.session.get(Application, application_id).version, submission.number) == 0
        hooks.check_acceptance(submission, None)  # paid: accepted
        accepted = db.session.get(Application, application_id)  # (stands in for the application acceptance makes)
        assert services.attach_submission_payments(submission.number, accepted) == 1
        db.session.commit()
        assert services.account(accepted).paid == 50_000
        db.session.remove()


def test_a_submission_waits_for_its_fee_paid_online_then_the_desk_accepts_it(online):
    """Issue 17 item 3 through the pages and the API: the queue says the submission waits for its fee, acceptance
    is refused until it is paid, the citizen pays from the submission's status page, and the desk accepts; the
    application takes the payment over."""
    import io
    import re

    from onestop.procedures.models import Procedure
    from tests import paper_samples as samples

    with online.app.app_context():
        procedure = db.session.scalar(sa.select(Procedure).filter_by(code="1.000894"))
        procedure.current.online = "full"
        procedure.current.agency_id = online.users_agency  # received online by the clerk's own desk
        documents = [d.position for d in procedure.current.documents]
        db.session.commit()
        db.session.remove()
    client = online.app.test_client()
    body = {"procedure_code": "1.000894", "applicant": {"name": "Nguyễn Văn Nộp", "id_number": "015190001299",
                                                         "phone": "0912345670", "address": "Phường Hồng Hà"}}
    papers = {f"paper.{position}": (io.BytesIO(samples.pdf()), f"giay-{position}.pdf") for position in documents}
    sent = client.post("/api/v1/submissions", data={"data": json.dumps(body), **papers},
                       content_type="multipart/form-data")
    assert sent.status_code == 201, sent.get_json()
    number, key = sent.get_json()["number"], sent.get_json()["key"]

    assert client.post("/login", data={"username": "clerk", "password": "demo"}).status_code == 302
    queue = client.get("/desk/online").get_data(as_text=True)
    assert "Chờ nộp phí: 50.000 đồng" in queue
    refused = client.post(f"/api/v1/submissions/{number}/accept")
    assert (refused.status_code, refused.get_json()["error"]) == (
        409, "Chưa nộp phí, lệ phí trước khi tiếp nhận: còn 50.000 đồng.")

    citizen = online.app.test_client()
    page = citizen.get(f"/nop-ho-so/{number}?k={key}").get_data(as_text=True)
    assert 'id="pay-online"' in page and "50.000 đồng" in page
    assert citizen.post(f"/nop-ho-so/{number}/nop-phi", data={"k": "AAAA-BBBB-CCCC"}).status_code == 404
    # over real HTTP: the platform calls back the address the request came to
    with urllib.request.urlopen(urllib.request.Request(
            f"{online.anonymous.base}/nop-ho-so/{number}/nop-phi", data=urllib.parse.urlencode({"k": key}).encode(),
            method="POST"), timeout=10) as response:
        paying = response.read().decode()
    reference = re.search(r'id="pay-link" href="[^"]+/pay/([^"]+)"', paying).group(1)
    online.platform.pay(reference)
    db.session.remove()  # the callback was recorded by the server's thread: read afresh
    assert 'id="pay-online"' not in citizen.get(f"/nop-ho-so/{number}?k={key}").get_data(as_text=True)
    assert "Chờ nộp phí" not in client.get("/desk/online").get_data(as_text=True)

    accepted = client.post(f"/api/v1/submissions/{number}/accept")
    assert accepted.status_code == 201, accepted.get_json()
    code = accepted.get_json()["code"]
    fees = client.get(f"/api/v1/applications/{code}/fees").get_json()
    assert (fees["due"], fees["paid"], fees["balance"]) == (50_000, 50_000, 0)
