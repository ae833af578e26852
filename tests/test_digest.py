"""The morning digest, sent through a real SMTP server the test starts on a free port."""
import socket
from datetime import datetime
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller

from onestop.extensions import db
from onestop.timeutil import VN, frozen_at
from onestop.tracking.supervision.digest import subscribe

from .factories import make_procedure, receive

MORNING = datetime(2025, 3, 19, 7, 0, tzinfo=VN)  # Wednesday


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.rcpt_tos, message_from_bytes(envelope.content, policy=policy.default)))
        return "250 OK"


@pytest.fixture
def smtp(app):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_SENDER="Một cửa <motcua@example.vn>",
                      STAFF_BASE_URL="https://motcua.example.vn")
    yield inbox
    controller.stop()


@pytest.fixture
def morning(world):
    clerk, officer, supervisor = world.users["clerk"], world.users["officer"], world.users["supervisor"]
    procedure = make_procedure(code="2.000488", amount=3, unit="working_days", agency=world.agencies["000.00.04.H38"])
    for day in (10, 11):  # due 13 and 14 March: overdue
        receive(clerk, procedure, datetime(2025, 3, day, 9, 0, tzinfo=VN))
    receive(clerk, procedure, datetime(2025, 3, 17, 9, 0, tzinfo=VN))  # due Thursday 20: soon
    longer = make_procedure(code="2.000505", amount=10, unit="working_days", agency=world.agencies["000.00.04.H38"],
                            name="Thủ tục mười ngày")
    receive(clerk, longer, datetime(2025, 3, 18, 16, 0, tzinfo=VN))  # due 1 April: neither
    officer.email, supervisor.email, clerk.email = "xu@example.vn", "lanh@example.vn", "hang@example.vn"
    for user in (officer, supervisor, clerk):
        subscribe(user)
    db.session.commit()
    return world


def test_each_subscriber_gets_their_overdue_and_due_soon_files_once_a_day(morning, smtp, runner):
    with frozen_at(MORNING):
        result = runner.invoke(args=["digest", "send"])
    assert result.exit_code == 0, result.output
    assert "Đã gửi 2 thư" in result.output
    assert sorted(to[0] for to, _ in smtp.messages) == ["lanh@example.vn", "xu@example.vn"]  # not the clerk
    message = dict((to[0], message) for to, message in smtp.messages)["xu@example.vn"]
    assert message["Subject"] == "[Một cửa] 2 hồ sơ quá hạn, 1 sắp đến hạn – 19/03/2025"
    body = message.get_content()
    assert "HỒ SƠ QUÁ HẠN (2)" in body and "HỒ SƠ SẮP ĐẾN HẠN (1)" in body
    assert "https://motcua.example.vn/applications/000.00.01.H38-250310-0001" in body
    assert "trễ 4 ngày làm việc" in body  # due Thursday 13 March 17:00: 14, 17, 18, 19 March
    assert "000.00.01.H38-250318-" not in body
    with frozen_at(MORNING):
        again = runner.invoke(args=["digest", "send"])
    assert "Đã gửi 0 thư" in again.output and len(smtp.messages) == 2


def test_a_user_can_stop_the_digest_and_a_broken_server_is_reported(morning, app, runner, client, auth):
    auth.login("officer")
    response = client.post("/board/digest", data={"wanted": "0"})
    assert response.status_code == 302
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=1)  # nothing listens there
    with frozen_at(MORNING):
        result = runner.invoke(args=["digest", "send"])
    assert result.exit_code != 0 and "Không gửi được thư" in result.output
    with frozen_at(MORNING):
        dry = runner.invoke(args=["digest", "send", "--dry-run"])
    assert "lanh@example.vn" in dry.output and "xu@example.vn" not in dry.output
