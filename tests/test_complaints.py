"""Feedback and complaints (phản ánh, kiến nghị): sent by a citizen or logged by a clerk, handled by staff of the
agency, answered on the public page and in a printed reply; the deadline counted on the working calendar.

The file they are about: received Monday 14/12/2026 10:00 at the Trung tâm (000.00.01.H38). Ten working days
after Monday 14/12/2026 end at 17:00 on Monday 28/12/2026.
"""
import io
import re
from datetime import date, datetime

import pytest
import sqlalchemy as sa
from PIL import Image
from pypdf import PdfReader

from onestop import settings
from onestop.auth.models import AuditLog
from onestop.calendar.services import set_override
from onestop.extensions import db
from onestop.reception import keys
from onestop.timeutil import VN, frozen_at
from onestop.tracking.models import Complaint, ComplaintEvent
from tests.factories import make_procedure, receive


def vn(*args):
    return datetime(*args, tzinfo=VN)


@pytest.fixture(autouse=True)
def files(app, tmp_path, world):
    app.config["COMPLAINT_FILES"] = str(tmp_path / "complaint-files")
    return tmp_path / "complaint-files"


@pytest.fixture
def application(world):
    birth = make_procedure(agency=world.agencies["000.00.04.H38"])
    return receive(world.users["clerk"], birth, vn(2026, 12, 14, 10, 0))


def form(**overrides):
    data = {"about": "agency", "agency_code": "000.00.04.H38", "sender_name": "Lò Văn Páo",
            "sender_contact": "0915 222 333", "content": "Cán bộ hướng dẫn chưa rõ, tôi phải đi lại ba lần."}
    data.update(overrides)
    return data


def send(client, at, **overrides):
    with frozen_at(at):
        return client.post("/phan-anh", data=form(**overrides), content_type="multipart/form-data")


def complaints():
    return db.session.scalars(sa.select(Complaint).order_by(Complaint.id)).all()


def when_block(page: str) -> str:
    block = re.search(r'<div class="when[^"]*" id="when">(.*?)</div>', page, re.S).group(1)
    return " ".join(re.sub(r"<[^>]+>", " ", block).replace(" ,", ",").split())


def png(size=(40, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


# ---------------------------------------------------------------- sending and following


def test_from_the_status_page_a_citizen_complains_about_the_file_and_follows_it(client, application):
    key = keys.grouped(application.tracking_key)
    page = client.get(f"/phan-anh?code={application.code}&k={key}").get_data(as_text=True)
    assert f'value="{application.code}"' in page and f'value="{key}"' in page
    response = send(client, vn(2026, 12, 14, 14, 0), about="application", application_code=application.code, key=key)
    assert response.status_code == 302
    complaint, = complaints()
    assert complaint.code == "PA-000.00.01.H38-261214-0001"
    assert complaint.application_id == application.id
    assert complaint.agency.code == "000.00.01.H38"  # the desk the citizen dealt with
    assert (complaint.channel, complaint.status, complaint.deadline_days) == ("online", "received", 10)
    assert complaint.due_at == vn(2026, 12, 28, 17, 0)
    printed = keys.grouped(complaint.tracking_key)
    assert response.headers["Location"] == f"/phan-anh/{complaint.code}?k={printed}"
    with frozen_at(vn(2026, 12, 15, 9, 0)):
        page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert when_block(page) == "còn 9 ngày làm việc, hạn trả lời 17:00 thứ Hai, 28/12/2026"
    assert printed in page and "Cán bộ hướng dẫn chưa rõ" in page
    assert "0915 222 333" not in page  # the contact is for the agency only


def test_a_complaint_about_an_agency_in_general_takes_that_agencys_numbering(client):
    assert send(client, vn(2026, 12, 14, 14, 0)).status_code == 302
    assert send(client, vn(2026, 12, 14, 15, 0), agency_code="000.00.05.H38").status_code == 302
    assert send(client, vn(2026, 12, 14, 16, 0)).status_code == 302
    assert [c.code for c in complaints()] == ["PA-000.00.04.H38-261214-0001", "PA-000.00.05.H38-261214-0001",
                                             "PA-000.00.04.H38-261214-0002"]
    assert all(c.application_id is None for c in complaints())


def test_the_deadline_follows_the_working_calendar_and_the_setting(client):
    # sent on Saturday night: counted from Monday 21/12; 1/1/2027 is a holiday, so the tenth working day is 5/1
    send(client, vn(2026, 12, 19, 22, 0))
    settings.put("complaint_deadline_working_days", 5)
    db.session.commit()
    send(client, vn(2026, 12, 21, 9, 0))
    first, second = complaints()
    assert first.due_at == vn(2027, 1, 5, 17, 0)
    assert (second.deadline_days, second.due_at) == (5, vn(2026, 12, 28, 17, 0))


def test_a_wrong_key_or_code_sends_nothing_and_says_the_same(client, application):
    wrong_key = send(client, vn(2026, 12, 14, 14, 0), about="application", application_code=application.code,
                     key="ABCD-EFGH-JKMN")
    wrong_code = send(client, vn(2026, 12, 14, 14, 0), about="application",
                      application_code="000.00.01.H38-261214-0099", key=application.tracking_key)
    assert wrong_key.status_code == wrong_code.status_code == 400
    message = "Mã hồ sơ không khớp với mã tra cứu hoặc số điện thoại."
    assert message in wrong_key.get_data(as_text=True) and message in wrong_code.get_data(as_text=True)
    assert complaints() == []
    # the last four digits of the phone given will do, like the look-up
    assert send(client, vn(2026, 12, 14, 14, 0), about="application", application_code=application.code,
                phone="5678").status_code == 302


def test_screening_a_filled_honeypot_and_an_overlong_text_are_held_back(client):
    held = send(client, vn(2026, 12, 14, 14, 0), website="http://spam.example")
    assert held.status_code == 200 and "Nội dung đã được chuyển để kiểm tra." in held.get_data(as_text=True)
    long = send(client, vn(2026, 12, 14, 14, 0), content="x" * 4001)
    assert long.status_code == 400
    assert "Nội dung tối đa 4000 ký tự (đã nhập 4001)." in long.get_data(as_text=True)
    missing = send(client, vn(2026, 12, 14, 14, 0), sender_name="", sender_contact="abc")
    text = missing.get_data(as_text=True)
    assert "Nhập họ và tên người gửi." in text and "Số điện thoại hoặc thư điện tử không hợp lệ." in text
    assert complaints() == []


def test_complaints_are_limited_per_address(tmp_path, world):
    from onestop import create_app
    from tests.conftest import test_config

    limited = create_app(test_config(tmp_path, RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI="memory://",
                                     COMPLAINT_LIMIT_PER_ADDRESS="2 per hour",
                                     COMPLAINT_FILES=str(tmp_path / "files")))
    client = limited.test_client()
    with limited.app_context():
        codes = [send(client, vn(2026, 12, 14, 14, 0)).status_code for _ in range(3)]
        elsewhere = client.post("/phan-anh", data=form(), environ_base={"REMOTE_ADDR": "10.9.9.9"})
    assert codes == [302, 302, 429] and elsewhere.status_code == 302


# ---------------------------------------------------------------- attachments


def test_an_attachment_is_judged_by_its_content_and_kept_outside_the_web_root(client, files, app):
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    assert send(client, vn(2026, 12, 14, 14, 0), attachment=(io.BytesIO(pdf), "don-thu.pdf")).status_code == 302
    # a photo sent with a misleading name is stored as what it is
    assert send(client, vn(2026, 12, 14, 14, 5), attachment=(io.BytesIO(png()), "anh.pdf")).status_code == 302
    fake = send(client, vn(2026, 12, 14, 14, 10), attachment=(io.BytesIO(b"MZ\x90\x00 not a picture"), "anh.png"))
    assert fake.status_code == 400 and "Chỉ nhận tệp PDF hoặc ảnh (JPG, PNG, WebP)." in fake.get_data(as_text=True)
    broken = png()[:60]
    cut = send(client, vn(2026, 12, 14, 14, 15), attachment=(io.BytesIO(broken), "anh.png"))
    assert cut.status_code == 400
    app.config["COMPLAINT_ATTACHMENT_MAX_BYTES"] = 1024 * 1024
    big = send(client, vn(2026, 12, 14, 14, 20), attachment=(io.BytesIO(b"%PDF-1.4\n" + b"0" * 1024 * 1024), "lon.pdf"))
    assert big.status_code == 400 and "Tệp đính kèm tối đa 1 MB." in big.get_data(as_text=True)
    first, second = complaints()
    assert (first.attachment_type, first.attachment_name, first.attachment_size) == ("application/pdf", "don-thu.pdf", len(pdf))
    assert (second.attachment_type, second.attachment_name) == ("image/png", "anh.pdf")
    stored = sorted(path for path in files.rglob("*") if path.is_file())
    assert [path.read_bytes() for path in stored if path.suffix == ".pdf"] == [pdf]
    assert len(stored) == 2  # nothing kept of the refused files
    assert "static" not in str(files) and not second.attachment_path.startswith("/")


def test_the_attachment_is_served_only_to_staff_who_may_see_the_complaint(client, auth, application):
    send(client, vn(2026, 12, 14, 14, 0), about="application", application_code=application.code,
         key=application.tracking_key, attachment=(io.BytesIO(png()), "anh-chup.png"))
    complaint, = complaints()
    url = f"/complaints/{complaint.code}/attachment"
    assert client.get(url).status_code == 302  # to the sign-in page
    auth.login("officer")  # Sở Tư pháp: not its agency
    assert client.get(url).status_code == 404
    auth.logout()
    auth.login("clerk")
    response = client.get(url)
    assert response.status_code == 200 and response.data == png()
    assert response.mimetype == "image/png" and response.headers["X-Content-Type-Options"] == "nosniff"
    public = client.get(f"/phan-anh/{complaint.code}?k={complaint.tracking_key}").get_data(as_text=True)
    assert "/attachment" not in public


# ---------------------------------------------------------------- staff handle it


def test_staff_assign_transfer_answer_and_close_each_in_the_audit_trail(client, auth, world, application):
    key = application.tracking_key
    send(client, vn(2026, 12, 14, 14, 0), about="application", application_code=application.code, key=key)
    code = complaints()[0].code
    auth.login("clerk")
    with frozen_at(vn(2026, 12, 15, 9, 0)):
        assert client.post(f"/complaints/{code}/assign", data={"to_user": "clerk"}).status_code == 302
        moved = client.post(f"/complaints/{code}/transfer", data={"to_agency": "000.00.04.H38", "note": ""})
        assert moved.status_code == 400 and "Ghi lý do chuyển." in moved.get_data(as_text=True)
        moved = client.post(f"/complaints/{code}/transfer",
                            data={"to_agency": "000.00.04.H38", "note": "Thuộc thẩm quyền Sở Tư pháp"})
    assert moved.headers["Location"] == "/complaints"  # out of the Trung tâm's sight now
    assert client.get(f"/complaints/{code}").status_code == 404
    auth.logout()
    auth.login("officer")
    page = client.get(f"/complaints/{code}").get_data(as_text=True)
    assert "Sở Tư pháp tỉnh Lào Cai" in page
    assert f'action="/complaints/{code}/transfer"' not in page  # an officer answers, the leaders move it
    with frozen_at(vn(2026, 12, 16, 10, 0)):
        assert client.post(f"/complaints/{code}/assign", data={"to_user": "officer"}).status_code == 302
        answer = "Sở Tư pháp đã nhắc nhở cán bộ; hồ sơ của Ông đã được giải quyết ngày 16/12/2026."
        assert client.post(f"/complaints/{code}/respond", data={"response": answer}).status_code == 302
        assert client.post(f"/complaints/{code}/close", data={}).status_code == 403
    complaint = db.session.scalar(sa.select(Complaint).filter_by(code=code))
    assert (complaint.status, complaint.agency.code, complaint.assignee.username) == ("answered", "000.00.04.H38", "officer")
    assert complaint.answered_at == vn(2026, 12, 16, 10, 0) and complaint.response == answer
    auth.logout()
    auth.login("supervisor")  # the province's leader sees every agency below
    with frozen_at(vn(2026, 12, 17, 8, 0)):
        assert client.post(f"/complaints/{code}/close", data={}).status_code == 302
    events = db.session.scalars(sa.select(ComplaintEvent).filter_by(complaint_id=complaint.id)
                                .order_by(ComplaintEvent.seq)).all()
    assert [(e.type, e.to_status) for e in events] == [
        ("receive", "received"), ("assign", "in_handling"), ("transfer", "received"), ("assign", "in_handling"),
        ("respond", "answered"), ("close", "closed")]
    trail = db.session.execute(sa.select(AuditLog.action, AuditLog.username).filter_by(object_id=code)
                               .order_by(AuditLog.id)).all()
    assert trail == [("complaint_received", None), ("complaint_assign", "clerk"), ("complaint_transfer", "clerk"),
                     ("complaint_assign", "officer"), ("complaint_respond", "officer"), ("complaint_close", "supervisor")]
    # the sender reads the answer, judged against the deadline
    with frozen_at(vn(2026, 12, 17, 9, 0)):
        public = client.get(f"/phan-anh/{code}?k={complaint.tracking_key}").get_data(as_text=True)
    assert answer in public and when_block(public) == "đã kết thúc xử lý"
    assert "Chuyển đến Sở Tư pháp tỉnh Lào Cai để xử lý" in public


def test_an_officer_cannot_give_a_complaint_to_someone_else_nor_close_an_unanswered_one_silently(client, auth, world):
    send(client, vn(2026, 12, 14, 14, 0))
    code = complaints()[0].code
    auth.login("officer")
    refused = client.post(f"/complaints/{code}/assign", data={"to_user": "officer.nnmt"})
    assert refused.status_code == 400
    auth.logout()
    auth.login("supervisor")
    silent = client.post(f"/complaints/{code}/close", data={"note": ""})
    assert silent.status_code == 400
    assert "Phản ánh chưa được trả lời: ghi lý do đóng" in silent.get_data(as_text=True)
    assert client.post(f"/complaints/{code}/close", data={"note": "Trùng với phản ánh PA-000.00.04.H38-261214-0002"}
                       ).status_code == 302
    assert complaints()[0].status == "closed" and complaints()[0].answered_at is None


def test_a_clerk_logs_a_letter_received_yesterday(client, auth, world, application):
    auth.login("clerk")
    with frozen_at(vn(2026, 12, 15, 8, 0)):
        response = client.post("/complaints/new", data=form(
            channel="letter", received_at="2026-12-14T15:30", about="", agency_code="000.00.01.H38",
            application_code=application.code, content="Đề nghị cho biết lý do hồ sơ chưa được giải quyết."))
    assert response.status_code == 302
    complaint, = complaints()
    assert (complaint.channel, complaint.received_at, complaint.application_id) == ("letter", vn(2026, 12, 14, 15, 30), application.id)
    assert complaint.created_by_id == world.users["clerk"].id and complaint.due_at == vn(2026, 12, 28, 17, 0)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert keys.grouped(complaint.tracking_key) in page  # for the clerk to give the sender
    auth.logout()
    auth.login("officer")
    assert client.get("/complaints/new").status_code == 403


def test_an_overdue_complaint_is_marked_like_an_overdue_application(client, auth):
    send(client, vn(2026, 12, 14, 14, 0), agency_code="000.00.01.H38")
    code = complaints()[0].code
    auth.login("clerk")
    with frozen_at(vn(2026, 12, 30, 9, 0)):  # Tuesday 29 and Wednesday 30 after Monday 28 17:00
        listing = client.get("/complaints?overdue=1").get_data(as_text=True)
        public = client.get(f"/phan-anh/{code}?k={complaints()[0].tracking_key}").get_data(as_text=True)
    assert code in listing and '<span class="badge bad">⚠ Quá hạn</span>' in listing
    assert when_block(public) == "đã quá hạn 2 ngày làm việc, hạn trả lời 17:00 thứ Hai, 28/12/2026"


def test_staff_lists_are_scoped_by_agency_and_paged_by_keyset(client, auth):
    for minute in range(3):
        send(client, vn(2026, 12, 14, 14, minute), agency_code="000.00.01.H38")
    send(client, vn(2026, 12, 14, 15, 0))  # Sở Tư pháp's
    auth.login("clerk")
    from onestop.tracking.public import complaint_queries

    page = client.get("/complaints").get_data(as_text=True)
    assert page.count("PA-000.00.01.H38-261214-") >= 3 and "PA-000.00.04.H38" not in page
    clerk = db.session.scalar(sa.select(__import__("onestop").auth.models.User).filter_by(username="clerk"))
    first = complaint_queries.complaint_page(clerk, size=2)
    second = complaint_queries.complaint_page(clerk, size=2, after=first.next_after)
    assert [c.code[-4:] for c in first.items + second.items] == ["0003", "0002", "0001"]
    assert second.next_after is None
    assert complaint_queries.counts(clerk)["open"] == 3


# ---------------------------------------------------------------- the printed reply


def test_a_clerk_prints_the_reply_with_the_official_heading(client, auth, application):
    send(client, vn(2026, 12, 14, 14, 0), about="application", application_code=application.code,
         key=application.tracking_key, sender_name="Lò Văn Páo")
    code = complaints()[0].code
    auth.login("clerk")
    assert client.get(f"/complaints/{code}/reply.pdf").status_code == 404  # nothing to print before an answer
    with frozen_at(vn(2026, 12, 18, 10, 0)):
        client.post(f"/complaints/{code}/respond", data={
            "response": "Trung tâm đã kiểm tra: hồ sơ của Ông được giải quyết đúng hạn.\nXin cảm ơn Ông đã phản ánh."})
    response = client.get(f"/complaints/{code}/reply.pdf")
    assert response.mimetype == "application/pdf"
    text = " ".join(PdfReader(io.BytesIO(response.data)).pages[0].extract_text().split())
    for expected in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                     "ỦY BAN NHÂN DÂN TỈNH LÀO CAI", "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG",
                     "V/v trả lời phản ánh, kiến nghị", "Lào Cai, ngày 18 tháng 12 năm 2026",
                     "Kính gửi: Ông/Bà Lò Văn Páo", f"mã phản ánh {code}", application.code,
                     "hồ sơ của Ông được giải quyết đúng hạn.", "Xin cảm ơn Ông đã phản ánh.", "THỦ TRƯỞNG CƠ QUAN"):
        assert expected in text, expected


# ---------------------------------------------------------------- the events are the truth


def test_complaints_verify_recomputes_deadlines_from_events_and_the_calendar(client, runner):
    send(client, vn(2026, 12, 14, 14, 0))
    result = runner.invoke(args=["complaints", "verify"])
    assert result.exit_code == 0 and "Mọi phản ánh khớp với sự kiện và lịch làm việc." in result.output
    set_override(date(2026, 12, 16), "off", "Nghỉ đột xuất")  # a day off declared afterwards
    db.session.commit()
    result = runner.invoke(args=["complaints", "verify"])
    assert result.exit_code == 1
    assert ("PA-000.00.04.H38-261214-0001  due_at: lưu 17:00 28/12/2026  ≠  tính lại 17:00 29/12/2026"
            in result.output)


def test_verify_reports_a_stored_status_the_events_do_not_bear_out(client, runner):
    send(client, vn(2026, 12, 14, 14, 0))
    db.session.execute(sa.update(Complaint).values(status="answered"))
    db.session.commit()
    result = runner.invoke(args=["complaints", "verify"])
    assert result.exit_code == 1 and "status: lưu answered  ≠  tính lại received" in result.output


def test_csrf_guards_the_public_form(tmp_path, world):
    from onestop import create_app
    from tests.conftest import csrf_token_from, test_config

    guarded = create_app(test_config(tmp_path, WTF_CSRF_ENABLED=True, COMPLAINT_FILES=str(tmp_path / "f")))
    client = guarded.test_client()
    with guarded.app_context():
        assert client.post("/phan-anh", data=form()).status_code == 400
        token = csrf_token_from(client.get("/phan-anh").get_data(as_text=True))
        with frozen_at(vn(2026, 12, 14, 14, 0)):
            assert client.post("/phan-anh", data=form(csrf_token=token)).status_code == 302


def test_phone_guesses_through_the_complaint_form_spend_the_codes_budget(tmp_path, world, application):
    from onestop import create_app
    from tests.conftest import test_config

    limited = create_app(test_config(tmp_path, RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI="memory://",
                                     TRACKING_PHONE_LIMIT_PER_CODE="2 per minute",
                                     COMPLAINT_FILES=str(tmp_path / "files")))
    client = limited.test_client()
    with limited.app_context():
        guesses = [client.post("/phan-anh", data=form(about="application", application_code=application.code,
                                                      phone=guess), environ_base={"REMOTE_ADDR": f"10.0.0.{n}"})
                   for n, guess in enumerate(("1111", "2222"))]
        assert [g.status_code for g in guesses] == [400, 400]
        later = client.get(f"/tra-cuu/{application.code}?phone=5678", environ_base={"REMOTE_ADDR": "10.0.0.9"})
    assert later.status_code == 429
    assert complaints() == []


def test_a_wrong_complaint_code_or_key_cannot_be_told_apart(client):
    send(client, vn(2026, 12, 14, 14, 0))
    client.get("/phan-anh")  # the "sent" message is shown once
    complaint, = complaints()
    answers = {(response.status_code, re.sub(r"next=[^\"]*", "", response.get_data(as_text=True))) for response in (
        client.get(f"/phan-anh/{complaint.code}?k=ABCD-EFGH-JKMN"),
        client.get(f"/phan-anh/PA-000.00.04.H38-261214-0009?k={complaint.tracking_key}"),
        client.get(f"/phan-anh/{complaint.code}"))}
    (status, body), = answers
    assert status == 404 and "Không tìm thấy phản ánh." in body
    assert client.get(f"/phan-anh/{complaint.code}?k={complaint.tracking_key.lower()}").status_code == 200


def test_a_handling_note_longer_than_2000_characters_is_a_400_and_nothing_is_recorded(client, auth, world,
                                                                                       application):
    send(client, vn(2026, 12, 14, 14, 0), about="application", application_code=application.code,
         key=application.tracking_key)
    code = complaints()[0].code
    auth.login("clerk")
    with frozen_at(vn(2026, 12, 15, 9, 0)):
        moved = client.post(f"/complaints/{code}/transfer", data={"to_agency": "000.00.04.H38", "note": "x" * 2001})
    assert moved.status_code == 400
    assert "Ghi chú tối đa 2000 ký tự (đã nhập 2001)." in moved.get_data(as_text=True)
    assert [event.type for event in complaints()[0].events] == ["receive"]
