"""Issue 18: one outbox. A file's life puts its updates on the national portal's counterpart in order, each passing
the portal's field checks, and tells the citizen by e-mail and SMS (real servers on loopback: aiosmtpd, and HTTP
servers speaking the portal's and a gateway's protocol)."""
import json
import socket
from datetime import date, datetime
from email import message_from_bytes, policy

import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller

from onestop.extensions import db
from onestop.outbox import worker
from onestop.outbox.models import OutboxMessage
from onestop.reception.models import Application
from onestop.timeutil import VN, frozen_at

from . import outside_servers
from .factories import event, make_procedure, receive
from .statements import counted


def vn(*args):
    return datetime(*args, tzinfo=VN)


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.rcpt_tos, message_from_bytes(envelope.content, policy=policy.default)))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def outside(app):
    portal = outside_servers.serve(outside_servers.Portal())
    gateway = outside_servers.serve(outside_servers.SmsGateway())
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=controller.port, MAIL_SENDER="Một cửa <motcua@example.vn>",
                      OUTBOX_RETRY_SECONDS="0,0,0", OUTBOX_TIMEOUT=2, **portal.settings(), **gateway.settings())
    yield type("Outside", (), {"portal": portal, "gateway": gateway, "inbox": inbox})
    controller.stop()
    outside_servers.stop(portal)
    outside_servers.stop(gateway)
    from onestop.outbox import portal_client

    portal_client.forget_session()


@pytest.fixture
def ten_days(world):
    return make_procedure(code="1.001193.H62", amount=10, unit="working_days", agency=world.agencies["000.00.04.H38"])


def a_whole_life(world, procedure, notify=True):
    """Received Monday 5 Oct 2026, transferred, asked for a supplement, supplied, apologised for, ready, returned."""
    clerk, officer = world.users["clerk"], world.users["officer"]
    application = receive(clerk, procedure, vn(2026, 10, 5, 9, 0), notify=notify)
    event(application, clerk, "transfer", vn(2026, 10, 5, 10, 0))
    event(application, officer, "request_supplement", vn(2026, 10, 6, 9, 0), items=["Bản sao giấy chứng sinh"],
          reason="Thiếu giấy chứng sinh.")
    event(application, clerk, "supplement_received", vn(2026, 10, 7, 9, 0))
    event(application, officer, "apologise", vn(2026, 10, 12, 9, 0), reason="Cần xác minh thêm.",
          new_due_at=vn(2026, 10, 26, 17, 0))
    event(application, officer, "result_ready", vn(2026, 10, 22, 9, 0))
    event(application, clerk, "return", vn(2026, 10, 23, 9, 0), method="at_desk")
    return application


def deliver():
    return worker.work(once=True, idle_seconds=0)


def test_a_files_life_reaches_the_portal_in_order_and_the_citizen_by_mail_and_sms(world, ten_days, outside):
    application = a_whole_life(world, ten_days)
    outcome = deliver()

    portal = outside.portal
    assert portal.problems == []
    assert [(call["path"], call["service"], call["data"].get("TrangThaiHoSo", call["data"].get("TrangThai")))
            for call in portal.calls] == [
        ("/dossier", "ThemMoiHoSo", 2),          # received
        ("/progress", "CapNhatTienDoHoSo", 4),   # handed to the processing agency
        ("/dossier", "CapNhatHoSo", 5),          # supplement requested
        ("/dossier", "CapNhatHoSo", 4),          # supplement in: processing again
        ("/progress", "CapNhatTienDoHoSo", 4),   # the apology: a step with the new date, not a status
        ("/dossier", "CapNhatHoSo", 9),          # result ready
        ("/dossier", "CapNhatHoSo", 10),         # returned
    ]
    first = portal.calls[0]["data"]
    assert (first["MaHoSo"], first["MaTTHC"], first["KenhThucHien"], first["LoaiDoiTuong"], first["NgayTiepNhan"],
            first["NgayHenTra"]) == (application.code, "1.001193", 1, 1, "20261005090000", "20261019170000")
    apology = portal.calls[4]["data"]
    assert (apology["NgayKetThucTheoQuyDinh"], apology["ThoiDiemXuLy"]) == ("20261026170000", "20261012090000")
    assert portal.calls[3]["data"]["DanhSachHoSoBoSung"][0]["NgayYeuCau"] == "20261006090000"
    assert portal.calls[-1]["data"]["NgayTra"] == "20261023090000"
    assert len(set(portal.keys_seen)) == 7 and portal.logins == 1

    mails = [message for _to, message in outside.inbox.messages]
    assert [mail["Subject"] for mail in mails] == [
        f"[Một cửa] Đã tiếp nhận hồ sơ {application.code}", f"[Một cửa] Yêu cầu bổ sung hồ sơ {application.code}",
        f"[Một cửa] Hẹn lại ngày trả kết quả {application.code}", f"[Một cửa] Hồ sơ đã có kết quả {application.code}",
        f"[Một cửa] Đã trả kết quả {application.code}"]
    address = f"https://motcua.example.vn/tra-cuu/{application.code}?k="
    assert all(address in mail.get_content() for mail in mails)
    assert all(to == ["ngocanh@example.vn"] for to, _mail in outside.inbox.messages)
    assert "Hẹn trả mới: 17:00 26/10/2026" in mails[2].get_content()

    texts = [sms["body"]["message"] for sms in outside.gateway.messages]
    assert [sms["body"]["msisdn"] for sms in outside.gateway.messages] == ["0912345678"] * 5
    short_address = f"https://motcua.example.vn/tra-cuu/{application.code}?k={application.tracking_key}"
    assert texts == [f"HS {application.code} da tiep nhan, hen tra 17:00 19/10/2026 {short_address}",
                     f"HS {application.code} can bo sung giay to {short_address}",
                     f"HS {application.code} tre hen, xin loi ong/ba. Hen moi 17:00 26/10/2026 {short_address}",
                     f"HS {application.code} da co ket qua {short_address}",
                     f"HS {application.code} da tra ket qua {short_address}"]
    assert max(len(text) for text in texts) == 153  # one 160-character segment each
    everything = json.dumps([m.get_content() for m in mails] + texts, ensure_ascii=False)
    assert "015190001234" not in everything  # never an identity number to the citizen's phone or mail
    assert outcome["sent"] == 17


def test_without_consent_the_citizen_gets_nothing_and_the_portal_still_does(world, ten_days, outside):
    a_whole_life(world, ten_days, notify=False)
    deliver()
    assert (len(outside.portal.calls), outside.inbox.messages, outside.gateway.messages) == (7, [], [])


def test_a_rolled_back_event_queues_and_sends_nothing(world, ten_days, outside):
    from onestop.reception import lifecycle

    application = receive(world.users["clerk"], ten_days, vn(2026, 10, 5, 9, 0), notify=True)
    before = db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage))
    with frozen_at(vn(2026, 10, 5, 10, 0)):
        lifecycle.record_event(application, world.users["clerk"], "transfer")
    db.session.flush()
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)) == before == 3
    deliver()
    assert [call["service"] for call in outside.portal.calls] == ["ThemMoiHoSo"]


def test_nothing_is_queued_for_a_receiver_that_is_not_configured(app, world, ten_days):
    receive(world.users["clerk"], ten_days, vn(2026, 10, 5, 9, 0), notify=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)) == 0


def test_the_portal_down_for_a_while_then_every_update_arrives_once_and_in_order(world, ten_days, outside):
    outside.portal.mode = "fail"
    application = a_whole_life(world, ten_days, notify=False)
    for _ in range(2):
        assert deliver()["sent"] == 0
    first = db.session.scalar(sa.select(OutboxMessage).order_by(OutboxMessage.id))
    assert (first.state, first.attempts, first.last_error[:15]) == ("pending", 2, "HTTPError: HTTP")
    outside.portal.mode = "ok"
    assert deliver()["sent"] == 7
    assert [call["data"]["MaHoSo"] for call in outside.portal.calls] == [application.code] * 7
    assert len(outside.portal.keys_seen) == len(set(outside.portal.keys_seen)) == 7


def test_after_the_last_retry_a_message_is_held_and_an_administrator_sends_it_again(world, ten_days, outside,
                                                                                     client, auth):
    outside.portal.mode = "fail"
    application = receive(world.users["clerk"], ten_days, vn(2026, 10, 5, 9, 0))
    for _ in range(4):
        deliver()
    message = db.session.scalar(sa.select(OutboxMessage))
    assert (message.state, message.attempts) == ("held", 4)

    auth.login("clerk")
    held = client.get(f"/applications/{application.code}").get_data(as_text=True).split('id="messages"')[1]
    assert "Bị giữ lại" in held.split("</section>")[0]
    auth.logout()
    auth.login("admin")
    board = client.get("/board").get_data(as_text=True)
    assert "Tin gửi ra ngoài (Cổng DVCQG, thư, SMS): 0 đang chờ, tin chờ lâu nhất 0 phút, 1 bị giữ lại." in board
    page = client.get("/admin/outbox").get_data(as_text=True)
    assert application.code in page and "HTTPError: HTTP Error 503" in page
    assert client.post(f"/admin/outbox/{message.id}/resend").status_code == 303
    outside.portal.mode = "ok"
    assert deliver()["sent"] == 1
    db.session.expire_all()
    assert db.session.get(OutboxMessage, message.id).state == "sent"


def test_the_portals_refusal_is_kept_in_its_words_and_shown_to_staff(world, ten_days, outside, client):
    outside.portal.unit = "000.00.00.H99"  # the portal expects another unit code than the one configured
    application = receive(world.users["clerk"], ten_days, vn(2026, 10, 5, 9, 0))
    deliver()
    token = client.post("/api/v1/tokens", json={"username": "clerk", "password": "demo"}).get_json()["token"]
    body = client.get(f"/api/v1/applications/{application.code}/messages",
                      headers={"Authorization": f"Bearer {token}"}).get_json()
    assert body["items"] == [{
        "channel": "portal", "event": "receive", "to": "DVCQG", "state": "held", "arrived": False, "attempts": 1,
        "created_at": body["items"][0]["created_at"], "sent_at": None,
        "error": "Cổng từ chối: Mã đơn vị không đúng", "answer": "Mã đơn vị không đúng"}]


def test_staff_see_what_was_sent_to_whom_masked(world, ten_days, outside, client):
    application = receive(world.users["clerk"], ten_days, vn(2026, 10, 5, 9, 0), notify=True)
    deliver()
    token = client.post("/api/v1/tokens", json={"username": "clerk", "password": "demo"}).get_json()["token"]
    items = client.get(f"/api/v1/applications/{application.code}/messages",
                       headers={"Authorization": f"Bearer {token}"}).get_json()["items"]
    assert [(item["channel"], item["to"], item["arrived"]) for item in items] == [
        ("portal", "DVCQG", True), ("email", "ng***@example.vn", True), ("sms", "091****678", True)]
    client.post("/login", data={"username": "clerk", "password": "demo"})
    page = client.get(f"/applications/{application.code}").get_data(as_text=True)
    section = page.split('id="messages"')[1].split("</section>")[0]
    assert section.count("Đã gửi") == 3 and "ng***@example.vn" in section and "ngocanh@" not in section


def test_a_dossier_the_portal_already_has_is_sent_again_as_an_update(world, ten_days, outside, runner):
    application = receive(world.users["clerk"], ten_days, vn(2026, 10, 5, 9, 0))
    deliver()
    result = runner.invoke(args=["portal", "resync", "--from", "2026-10-01", "--to", "2026-10-31"])
    assert "Đã xếp 1 hồ sơ" in result.output
    deliver()
    assert [(call["service"], call["data"]["MaHoSo"]) for call in outside.portal.calls] == [
        ("ThemMoiHoSo", application.code), ("CapNhatHoSo", application.code)]


def test_queueing_adds_one_statement_to_a_reception(world, ten_days, outside, client):
    from .test_write_path import work

    token = client.post("/api/v1/tokens", json={"username": "clerk", "password": "demo"}).get_json()["token"]
    body = {"procedure_code": ten_days.code, "applicant": {
        "kind": "person", "name": "Lê Văn Bình", "id_number": "015190001235", "phone": "0912345679",
        "email": "binh@example.vn", "address": "Yên Bái"}, "documents": ["Tờ khai đăng ký khai sinh"], "notify": True}
    headers = {"Authorization": f"Bearer {token}"}
    with frozen_at(vn(2026, 10, 5, 9, 0)):
        client.post("/api/v1/applications", json=body, headers=headers)
        db.session.remove()
        with counted() as sent:
            response = client.post("/api/v1/applications", json=body, headers=headers)
    assert response.status_code == 201
    assert work(sent) == [
        ("SELECT", "procedure"), ("INSERT", "daily_sequence"), ("INSERT", "register_sequence"),
        ("INSERT", "audit_log"), ("INSERT", "application"), ("INSERT", "application_event"),
        ("INSERT", "rollup"), ("INSERT", "stage_watch"),
        ("INSERT", "outbox_message"),  # the portal's update, the e-mail and the SMS, in one statement
    ]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)) == 6


def test_the_applicant_stops_messages_from_the_status_page(world, ten_days, outside, client):
    application = receive(world.users["clerk"], ten_days, vn(2026, 10, 5, 9, 0), notify=True)
    key = application.tracking_key
    page = client.get(f"/tra-cuu/{application.code}?k={key}").get_data(as_text=True)
    assert "Ngừng nhận tin nhắn" in page
    response = client.post(f"/tra-cuu/{application.code}/ngung-nhan-tin", data={"k": key})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.scalar(sa.select(Application.notify).filter_by(code=application.code)) is False
    event(db.session.scalar(sa.select(Application).filter_by(code=application.code)), world.users["clerk"],
          "transfer", vn(2026, 10, 5, 10, 0))
    assert "Ngừng nhận tin nhắn" not in client.get(f"/tra-cuu/{application.code}?k={key}").get_data(as_text=True)
    assert client.post(f"/tra-cuu/{application.code}/ngung-nhan-tin", data={"k": "SAI"}).status_code == 404


def test_the_sms_template_is_the_provinces_json_and_a_broken_one_is_refused_plainly(app):
    from onestop.outbox import sms

    config = {"SMS_TEMPLATE": '{"phone": "{phone}", "content": "{text}"}'}
    assert json.loads(sms.body(config, "0912345678", 'Hồ sơ "A"\n')) == {"phone": "0912345678", "content": 'Hồ sơ "A"\n'}
    with pytest.raises(ValueError):
        sms.body({"SMS_TEMPLATE": '{"phone": {phone}}'}, "0912345678", "x")
    assert sms.without_marks("Hồ sơ đã có kết quả; Đồng Văn") == "Ho so da co ket qua; Dong Van"


def test_a_fee_paid_at_the_desk_is_told_to_the_citizen_with_its_receipt(world, outside, client):
    from .test_fees import MORNING, fee_procedure, pay, signed_in

    application = receive(world.users["clerk"], fee_procedure(world), MORNING, notify=True)
    signed_in(client)
    assert pay(client, application.code).status_code == 201
    deliver()
    mails = [message for _to, message in outside.inbox.messages]
    assert [mail["Subject"] for mail in mails] == [f"[Một cửa] Đã tiếp nhận hồ sơ {application.code}",
                                                   f"[Một cửa] Đã nhận phí, lệ phí {application.code}"]
    assert (f"Hồ sơ {application.code}: đã nhận 50.000 đồng phí, lệ phí (biên lai 000.00.01.H38-BL26 số 0000001)."
            in mails[1].get_content())
    assert outside.gateway.messages[1]["body"]["message"].startswith(
        f"HS {application.code} da nop 50.000d phi, le phi https://")
    # the portal hears of the file, not of the payment
    assert [call["service"] for call in outside.portal.calls] == ["ThemMoiHoSo"]


def test_the_portal_gets_the_digitised_papers_and_the_result_by_signed_expiring_links(world, ten_days, outside,
                                                                                         client, app):
    from onestop import files
    from onestop.reception import papers

    from . import paper_samples as samples

    clerk, officer = world.users["clerk"], world.users["officer"]
    application = receive(clerk, ten_days, vn(2026, 10, 5, 9, 0))
    with frozen_at(vn(2026, 10, 5, 9, 30)):
        papers.digitise(application, 1, [files.check_upload("giay-chung-sinh.pdf", samples.pdf(text="Chứng sinh"))],
                        user=clerk)
    db.session.commit()
    event(application, clerk, "transfer", vn(2026, 10, 5, 10, 0))
    event(application, officer, "result_ready", vn(2026, 10, 9, 9, 0))
    with frozen_at(vn(2026, 10, 9, 9, 30)):
        papers.record_result(application, number="125/GKS", signed_on=date(2026, 10, 9), signer="Trần Văn Bình",
                             checked_files=[files.check_upload("ket-qua.pdf", samples.pdf(text="Giấy khai sinh"))],
                             user=officer)
    db.session.commit()
    event(application, clerk, "return", vn(2026, 10, 12, 9, 0), method="at_desk")
    deliver()

    first, last = outside.portal.calls[0]["data"], outside.portal.calls[-1]["data"]
    assert [(paper["TenTepDinhKem"], paper["DuocSoHoa"], paper["DuocTaiSuDung"]) for paper in first["TaiLieuNop"]] \
        == [("Tờ khai đăng ký khai sinh", 0, 0), ("Giấy chứng sinh", 0, 0)]  # scanned after the reception
    papers_now = last["TaiLieuNop"]
    assert [(paper["DuocSoHoa"], paper["DuocTaiSuDung"]) for paper in papers_now] == [(0, 0), (1, 0)]
    assert last["HoSoCoThanhPhanSoHoa"] == 1
    result = last["DanhSachGiayToKetQua"][0]
    assert (result["SoKyHieu"], result["NgayKy"], result["NguoiKy"]) == ("125/GKS", "20261009000000", "Trần Văn Bình")

    prefix = "https://motcua.example.vn/lien-ket/tep/"
    assert papers_now[1]["DuongDanTep"].startswith(prefix) and result["DuongDanTep"].startswith(prefix)
    fetched = client.get(papers_now[1]["DuongDanTep"].removeprefix("https://motcua.example.vn"))
    assert (fetched.status_code, fetched.mimetype, fetched.data[:5]) == (200, "application/pdf", b"%PDF-")
    token = result["DuongDanTep"].removeprefix(prefix)
    assert client.get("/lien-ket/tep/" + token[:-2] + "xx").status_code == 404  # a forged signature
    app.config["PORTAL_LINK_SECONDS"] = 1
    import time

    time.sleep(2.1)
    assert client.get("/lien-ket/tep/" + token).status_code == 404  # expired


def test_the_share_of_files_synchronised_to_the_portal_is_counted_and_recounted(world, ten_days, outside, client,
                                                                                 runner):
    clerk = world.users["clerk"]
    for hour in (9, 10, 11):
        receive(clerk, ten_days, vn(2026, 10, 5, hour, 0))
    assert deliver()["sent"] == 3
    receive(clerk, ten_days, vn(2026, 10, 6, 9, 0))
    outside.portal.unit = "000.00.00.H99"  # the fourth reception is refused by the portal: held, not synchronised
    deliver()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage).where(
        OutboxMessage.state == "held")) == 1

    token = client.post("/api/v1/tokens", json={"username": "supervisor", "password": "demo"}).get_json()["token"]
    body = client.get("/api/v1/indicators?from=2026-10-01&to=2026-10-31",
                      headers={"Authorization": f"Bearer {token}"}).get_json()
    applications = body["applications"]
    assert (applications["received"]["total"], applications["synced"], applications["synced_share"]) == (4, 3, 75.0)
    checked = runner.invoke(args=["indicators", "check"])
    assert checked.exit_code == 0 and "khớp với việc đếm lại toàn bộ" in checked.output
    rebuilt = runner.invoke(args=["indicators", "rebuild"])
    assert rebuilt.exit_code == 0
    body = client.get("/api/v1/indicators?from=2026-10-01&to=2026-10-31",
                      headers={"Authorization": f"Bearer {token}"}).get_json()
    assert body["applications"]["synced"] == 3
