"""Applying online (/nop-ho-so) and the desk's online queue (/desk/online), issue 16 items 1 and 2: a citizen
submits three papers (one a phone photo), gets a number and key, follows the submission; the desk asks for more,
accepts (the application is timed from the acceptance) or refuses; hostile files are refused beside their slot and
nothing already uploaded is lost."""
import io
import re
from datetime import datetime

import pytest
import sqlalchemy as sa
from pypdf import PdfReader

from onestop import files
from onestop.extensions import db
from onestop.reception import online
from onestop.reception.models import Application, DeskSlip
from onestop.reception.online_models import Submission, SubmissionEvent, SubmissionPaper
from onestop.timeutil import VN, frozen_at
from tests import paper_samples as samples
from tests.conftest import drop_everything, make_app
from tests.factories import make_procedure

NIGHT = datetime(2026, 10, 9, 22, 0, tzinfo=VN)  # Friday night
MONDAY = datetime(2026, 10, 12, 9, 0, tzinfo=VN)
DOCUMENTS = (("Tờ khai đăng ký khai sinh", "original", 1), ("Giấy chứng sinh", "original", 1),
             ("Căn cước của người đi khai", "copy", 1))


@pytest.fixture
def app(tmp_path):
    app = make_app(tmp_path, FILES_DIR=str(tmp_path / "files"))
    with app.app_context():
        yield app
        drop_everything()


@pytest.fixture
def birth(world):
    return make_procedure(agency=world.agencies["000.00.01.H38"], documents=DOCUMENTS)


def form(birth, **overrides):
    data = {"procedure_code": birth.code, "applicant_kind": "person", "applicant_name": "Nguyễn Thị Ngọc Ánh",
            "applicant_id_kind": "personal_id", "applicant_id_number": "015190001234",
            "applicant_phone": "0912 345 678", "applicant_email": "ngocanh@example.vn",
            "applicant_address": "Số 12, ngõ 34, phường Hồng Hà", "return_method": "at_desk"}
    data.update(overrides)
    return data


def three_papers():
    return {"paper.0": (io.BytesIO(samples.pdf(pages=2, text="To khai")), "to-khai.pdf"),
            "paper.1": (io.BytesIO(samples.jpeg(size=(300, 400))), "IMG_2041.JPG"),  # a phone photo
            "paper.2": (io.BytesIO(samples.png()), "can-cuoc.png")}


def submit(client, birth, at=NIGHT, papers=None, **overrides):
    with frozen_at(at):
        return client.post("/nop-ho-so", data={**form(birth, **overrides),
                                               **(papers if papers is not None else three_papers())},
                           content_type="multipart/form-data")


def link_of(response) -> tuple[str, str]:
    found = re.search(r"/nop-ho-so/(TT-\d{6}-[A-Z0-9]{6})\?k=([A-Z0-9-]+)", response.headers["Location"])
    return found.group(1), found.group(2)


def test_a_citizen_applies_online_with_three_papers_and_follows_it(client, birth):
    response = submit(client, birth)
    assert response.status_code == 302
    number, key = link_of(response)
    assert number.startswith("TT-261009-")
    shown = client.get(f"/nop-ho-so/{number}?k={key}&sent=1")
    assert (shown.headers["Referrer-Policy"], shown.headers["Cache-Control"]) == ("no-referrer", "no-store")
    page = shown.get_data(as_text=True)
    assert number in page and key in page
    assert "chờ bộ phận một cửa kiểm tra" in page
    assert "015190001234" not in page and "0912" not in page  # no personal data on the public page
    submission = db.session.scalar(sa.select(Submission).filter_by(number=number))
    assert (submission.state, submission.online_level, submission.agency.code) == ("waiting", "partial",
                                                                                   "000.00.01.H38")
    papers = online.current_papers(submission)
    assert sorted(papers) == [0, 1, 2]
    assert {p.mimetype for p in papers.values()} == {"application/pdf"}  # the photo became a PDF
    photo_pdf = files.read(papers[1].sha256)
    assert len(PdfReader(io.BytesIO(photo_pdf)).pages) == 1 and papers[0].pages == 2
    assert [(e.type, e.to_state, e.user_id) for e in submission.events] == [("submit", "waiting", None)]
    # the look-up page takes the number and key too
    found = client.get(f"/tra-cuu?code={number}&k={key}")
    assert found.status_code == 302 and f"/nop-ho-so/{number}" in found.headers["Location"]
    assert client.get(f"/nop-ho-so/{number}?k=ABCD-EFGH-JKMN").status_code == 404


def test_a_hostile_file_is_refused_beside_its_slot_and_the_good_ones_are_kept(client, birth):
    papers = three_papers()
    papers["paper.2"] = (io.BytesIO(samples.png_bomb()), "can-cuoc.png")
    response = submit(client, birth, papers=papers)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "quá lớn (30000 × 30000 điểm ảnh)" in page
    assert 'id="error-paper-2"' in page and 'id="error-paper-0"' not in page
    tokens = dict(re.findall(r'name="(kept\.\d)" value="([^"]+)"', page))
    assert sorted(tokens) == ["kept.0", "kept.1"]  # the two good papers are kept on the server
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Submission)) == 0
    # the citizen sends only the missing paper again: the submission has all three
    again = submit(client, birth, papers={**tokens, "paper.2": (io.BytesIO(samples.png()), "can-cuoc.png")})
    assert again.status_code == 302
    submission = db.session.scalar(sa.select(Submission))
    assert sorted(online.current_papers(submission)) == [0, 1, 2]


@pytest.mark.parametrize("name, data, message", [
    ("to-khai.pdf", "Đây là văn bản".encode(), "không phải PDF, JPEG hay PNG"),
    ("to-khai.pdf", b"", "rỗng (0 byte)"),
    ("to-khai.pdf", samples.truncated_pdf(), "không đọc được như một tệp PDF"),
    ("../../x.pdf", samples.pdf(), "Tên tệp không hợp lệ"),
    ("anh.jpg", samples.jpeg_with_pdf_header(), "nhiều loại tệp khác nhau"),
])
def test_every_hostile_upload_is_a_400_with_a_vietnamese_message(client, birth, name, data, message):
    papers = three_papers()
    papers["paper.0"] = (io.BytesIO(data), name)
    response = submit(client, birth, papers=papers)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)


def test_a_file_over_the_limit_and_a_missing_required_paper_are_said_beside_their_slots(app, client, birth):
    app.config["UPLOAD_MAX_BYTES"] = 2000
    papers = three_papers()
    papers["paper.1"] = (io.BytesIO(samples.jpeg(size=(600, 800))), "IMG.JPG")
    del papers["paper.2"]
    page = submit(client, birth, papers=papers).get_data(as_text=True)
    assert "quá lớn: tối đa" in page
    assert "Thành phần hồ sơ này là bắt buộc" in page


def test_only_procedures_offered_online_can_be_submitted(client, world):
    counter_only = make_procedure(code="2.000001", name="Chứng thực bản sao", agency=world.agencies["000.00.01.H38"])
    counter_only.current.online = "none"
    db.session.commit()
    response = client.get("/nop-ho-so?procedure=2.000001")
    assert response.status_code == 404
    assert "không được nộp trực tuyến" in response.get_data(as_text=True)
    assert "Chứng thực bản sao" not in client.get("/nop-ho-so").get_data(as_text=True)


def test_the_public_procedure_page_links_to_the_online_form(client, birth):
    page = client.get(f"/thu-tuc/{birth.code}").get_data(as_text=True)
    assert f'href="/nop-ho-so?procedure={birth.code}"' in page


def clerk_client(app):
    clerk = app.test_client()
    assert clerk.post("/login", data={"username": "clerk", "password": "demo"}).status_code == 302
    return clerk


def test_the_desk_asks_for_more_the_citizen_supplements_and_the_desk_accepts(app, client, birth):
    number, key = link_of(submit(client, birth))
    clerk = clerk_client(app)
    with frozen_at(MONDAY):
        queue = clerk.get("/desk/online").get_data(as_text=True)
        assert number in queue and "1.5 giờ làm việc" in queue  # Monday 07:30 to 09:00
        review = clerk.get(f"/desk/online/{number}").get_data(as_text=True)
        assert review.count('<iframe class="paper-frame"') == 3
        paper_url = re.search(r'src="(/desk/online/[^"]+/papers/\d+)"', review).group(1)
        shown = clerk.get(paper_url)
        assert shown.mimetype == "application/pdf" and shown.headers["X-Frame-Options"] == "SAMEORIGIN"
        asked = clerk.post(f"/desk/online/{number}/request", data={
            "items": "Giấy chứng sinh bản rõ nét", "reason": "Ảnh chụp bị mờ."})
        assert asked.status_code == 302
    with frozen_at(MONDAY.replace(hour=10)):
        status = client.get(f"/nop-ho-so/{number}?k={key}").get_data(as_text=True)
        assert "Giấy chứng sinh bản rõ nét" in status and "Ảnh chụp bị mờ." in status
        assert "17:00 26/10/2026" in status  # 10 working days after Monday
        assert client.get(f"/nop-ho-so/{number}/supplement.pdf?k={key}").mimetype == "application/pdf"
        sent = client.post(f"/nop-ho-so/{number}/bo-sung", data={
            "k": key, "paper.1": (io.BytesIO(samples.jpeg(size=(320, 420), colour=(1, 2, 3))), "IMG_2042.JPG")},
            content_type="multipart/form-data")
        assert sent.status_code == 302
    submission = db.session.scalar(sa.select(Submission).filter_by(number=number))
    assert submission.state == "waiting" and submission.queued_at == MONDAY.replace(hour=10)
    assert len(submission.papers) == 4 and online.current_papers(submission)[1].id == submission.papers[-1].id
    with frozen_at(MONDAY.replace(hour=11)):
        accepted = clerk.post(f"/desk/online/{number}/accept")
    assert accepted.status_code == 302
    application = db.session.scalar(sa.select(Application))
    assert accepted.headers["Location"].endswith(f"/applications/{application.code}")
    assert application.code == "000.00.01.H38-261012-0001"  # numbered on the day of acceptance
    assert (application.channel, application.received_at) == ("online", MONDAY.replace(hour=11))
    assert application.due_at == datetime(2026, 10, 15, 17, 0, tzinfo=VN)  # 3 working days from Monday
    assert application.events[0].data["submission"] == number
    assert [d["name"] for d in application.documents] == [d[0] for d in DOCUMENTS]
    # the papers the desk saw are the application's digitised papers, the supplement's photo among them
    from onestop.reception import papers

    linked = papers.papers(application)
    assert [(p.position, p.reused, p.paper.holder_id_number) for p in linked] == [
        (0, False, "015190001234"), (1, False, "015190001234"), (2, False, "015190001234")]
    assert application.papers_digitised is True
    assert linked[1].paper.files[0].sha256 == online.current_papers(submission)[1].sha256
    db.session.expire_all()
    submission = db.session.scalar(sa.select(Submission).filter_by(number=number))
    assert [(e.type, e.user.username if e.user else None) for e in submission.events] == [
        ("submit", None), ("request_supplement", "clerk"), ("supplement", None), ("accept", "clerk")]
    status = client.get(f"/nop-ho-so/{number}?k={key}").get_data(as_text=True)
    assert application.code in status and "17:00 15/10/2026" in status
    receipt = client.get(f"/nop-ho-so/{number}/receipt.pdf?k={key}")
    assert receipt.mimetype == "application/pdf"
    assert application.code in "".join(p.extract_text() for p in PdfReader(io.BytesIO(receipt.data)).pages)


def test_the_desk_refuses_with_reasons_and_the_refusal_form_is_on_the_status_page(app, client, birth):
    number, key = link_of(submit(client, birth))
    clerk = clerk_client(app)
    with frozen_at(MONDAY):
        unconfirmed = clerk.post(f"/desk/online/{number}/refuse", data={"reasons": "Không thuộc thẩm quyền."})
        assert unconfirmed.status_code == 400
        refused = clerk.post(f"/desk/online/{number}/refuse", data={
            "reasons": "Không thuộc thẩm quyền.\nNgười nộp không cư trú tại xã.", "confirm": "1"})
    assert refused.status_code == 302
    status = client.get(f"/nop-ho-so/{number}?k={key}").get_data(as_text=True)
    assert "Không thuộc thẩm quyền." in status and "Người nộp không cư trú tại xã." in status
    slip = client.get(f"/nop-ho-so/{number}/refusal.pdf?k={key}")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(slip.data)).pages)
    assert "Không thuộc thẩm quyền" in text and "Nguyễn Thị Ngọc Ánh" in text
    assert db.session.scalar(sa.select(DeskSlip.kind)) == "refusal"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Application)) == 0
    with frozen_at(MONDAY.replace(hour=10)):
        again = clerk.post(f"/desk/online/{number}/accept")
    assert again.status_code == 409 and "đã được xử lý" in again.get_data(as_text=True)


def test_a_supplement_not_sent_in_time_lapses_when_read(app, client, birth):
    number, key = link_of(submit(client, birth))
    clerk = clerk_client(app)
    with frozen_at(MONDAY):
        clerk.post(f"/desk/online/{number}/request", data={"items": "Giấy chứng sinh", "reason": "Thiếu."})
    with frozen_at(datetime(2026, 10, 27, 8, 0, tzinfo=VN)):
        page = client.get(f"/nop-ho-so/{number}?k={key}").get_data(as_text=True)
        assert "Quá hạn bổ sung" in page and 'id="supplement-form"' not in page
        late = client.post(f"/nop-ho-so/{number}/bo-sung", data={
            "k": key, "paper.1": (io.BytesIO(samples.jpeg()), "a.jpg")}, content_type="multipart/form-data")
        assert late.status_code == 409 and "Đã quá hạn bổ sung" in late.get_data(as_text=True)
        assert number in clerk.get("/desk/online?state=lapsed").get_data(as_text=True)
    assert db.session.scalar(sa.select(Submission.state)) == "supplement_requested"  # stored; read as lapsed


def test_a_hostile_supplement_leaves_the_papers_in_place(app, client, birth):
    number, key = link_of(submit(client, birth))
    with frozen_at(MONDAY):
        clerk_client(app).post(f"/desk/online/{number}/request", data={"items": "Tờ khai", "reason": "Thiếu chữ ký."})
        bad = client.post(f"/nop-ho-so/{number}/bo-sung", data={
            "k": key, "paper.0": (io.BytesIO(samples.truncated_pdf()), "to-khai.pdf")},
            content_type="multipart/form-data")
    assert bad.status_code == 400 and "không đọc được như một tệp PDF" in bad.get_data(as_text=True)
    submission = db.session.scalar(sa.select(Submission))
    assert (submission.state, len(submission.papers)) == ("supplement_requested", 3)


def test_two_clerks_deciding_at_once_never_both_accept(app, client, birth):
    """Two clerks have the same submission open and press accept at the same moment, each request in its own
    thread with its own database session: one application, one decision; the other is told it was decided."""
    from tests.test_write_concurrency import at_once

    number, _key = link_of(submit(client, birth))
    clerks = [clerk_client(app), clerk_client(app)]
    for clerk in clerks:
        assert clerk.get(f"/desk/online/{number}").status_code == 200
    db.session.rollback()  # the pages above ran in the test's own session: its read ends here, as a request's would
    answers = at_once([lambda clerk=clerk: clerk.post(f"/desk/online/{number}/accept") for clerk in clerks])
    assert sorted(answer.status_code for answer in answers) == [302, 409]
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Application)) == 1
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SubmissionEvent)
                             .where(SubmissionEvent.type == "accept")) == 1


def test_upload_limits_hold_across_workers(tmp_path):
    """Two workers (two apps) on one database: their upload attempts from one address add up; past the limit the
    answer is 429, and submissions have a budget of their own."""
    from onestop import create_app, demo
    from tests.conftest import test_config

    settings = dict(RATELIMIT_ENABLED=True, ONLINE_UPLOAD_LIMIT="3 per hour", ONLINE_SUBMISSION_LIMIT="1 per hour",
                    FILES_DIR=str(tmp_path / "files"))
    first = make_app(tmp_path, **settings)
    second = create_app(test_config(tmp_path, **settings))
    with first.app_context():
        make_procedure(agency=demo.load_agencies()["000.00.01.H38"], documents=DOCUMENTS)
        db.session.commit()
        code = db.session.scalar(sa.text("SELECT code FROM procedure"))
    try:
        one, two = first.test_client(), second.test_client()

        def valid(worker):
            return worker.post("/nop-ho-so", data={**form(type("P", (), {"code": code})), **three_papers()},
                               content_type="multipart/form-data").status_code
        assert one.post("/nop-ho-so", data={}).status_code == 400  # an attempt, refused on its merits
        assert valid(two) == 302  # a submission, through the other worker
        assert valid(one) == 429  # the address's one submission an hour is spent, whichever worker asks
        with first.app_context():
            assert db.session.scalar(sa.select(sa.func.count()).select_from(Submission)) == 1
        first.config["ONLINE_SUBMISSION_LIMIT"] = second.config["ONLINE_SUBMISSION_LIMIT"] = "10 per hour"
        # the refused submission was stopped before the uploads' count: the third upload attempt is let through,
        # the fourth is over the uploads' budget
        assert [two.post("/nop-ho-so", data={}).status_code for _ in range(2)] == [400, 429]
    finally:
        with first.app_context():
            drop_everything()


@pytest.fixture
def smtp(app):
    from tests.test_digest import smtp as digest_smtp

    yield from digest_smtp.__wrapped__(app)


def test_the_citizen_gets_the_number_and_key_then_the_code_by_e_mail(app, client, birth, smtp):
    number, key = link_of(submit(client, birth))
    with frozen_at(MONDAY):
        clerk_client(app).post(f"/desk/online/{number}/accept")
    assert [rcpt for rcpt, _message in smtp.messages] == [["ngocanh@example.vn"], ["ngocanh@example.vn"]]
    sent, accepted = (message for _rcpt, message in smtp.messages)
    assert number in sent["Subject"] and key in sent.get_content()
    code = db.session.scalar(sa.select(Application.code))
    assert code in accepted["Subject"] and "17:00 15/10/2026" in accepted.get_body(("plain",)).get_content()
    receipt = next(accepted.iter_attachments())
    assert receipt.get_filename() == f"giay-tiep-nhan-{code}.pdf"
    assert code in "".join(p.extract_text() for p in PdfReader(io.BytesIO(receipt.get_content())).pages)


def test_a_broken_mail_server_never_fails_the_submission(app, client, birth):
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=1, MAIL_TIMEOUT=2)  # nothing listens there
    response = submit(client, birth)
    assert response.status_code == 302
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Submission)) == 1


def test_applications_received_online_count_by_how_the_procedure_is_offered(app, client, birth, world):
    """One accepted online submission of a fully online procedure, one of a partly online one, and one application
    at the counter: the indicators (API, dashboard, CCHC report) count 1 toàn trình and 1 một phần, a third each,
    and `indicators check` recounts the same."""
    from onestop.tracking.supervision import indicators

    full = make_procedure(code="1.009999", name="Cấp bản sao trích lục", agency=world.agencies["000.00.01.H38"],
                          documents=(("Tờ khai", "original", 1),))
    full.current.online = "full"
    db.session.commit()
    clerk = clerk_client(app)
    numbers = [link_of(submit(client, birth))[0],
               link_of(submit(client, full, papers={"paper.0": (io.BytesIO(samples.pdf()), "a.pdf")}))[0]]
    with frozen_at(MONDAY):
        for number in numbers:
            assert clerk.post(f"/desk/online/{number}/accept").status_code == 302
        from tests.factories import receive
        from onestop.auth.models import User
        receive(db.session.scalar(sa.select(User).filter_by(username="clerk")), birth, MONDAY)
        token = clerk.post("/api/v1/tokens", json={"username": "supervisor", "password": "demo"}).get_json()["token"]
        agency = world.agencies["000.00.01.H38"].code
        body = client.get(f"/api/v1/indicators?from=2026-10-01&to=2026-10-31&agency={agency}",
                          headers={"Authorization": f"Bearer {token}"}).get_json()
    applications = body["applications"]
    assert applications["received"] == {"in_person": 1, "online": 2, "postal": 0, "total": 3, "online_full": 1,
                                        "online_partial": 1}
    assert (applications["online_full_share"], applications["online_partial_share"]) == (33.3, 33.3)
    assert indicators_check_passes(app)
    with frozen_at(MONDAY):
        supervisor = app.test_client()
        supervisor.post("/login", data={"username": "supervisor", "password": "demo"})
        dashboard = supervisor.get(f"/dashboard?agency={agency}&from=2026-10-01&to=2026-10-31").get_data(as_text=True)
    assert "toàn trình 1, một phần 1 hồ sơ" in dashboard


def indicators_check_passes(app) -> bool:
    result = app.test_cli_runner().invoke(args=["indicators", "check"])
    assert result.exit_code == 0, result.output
    return True


def test_a_citizen_reuses_a_paper_of_an_earlier_application_by_its_code_and_key(app, client, birth, world):
    """Her earlier application, received at the counter, had her ID card digitised. Online, she gives that
    application's code and key, picks the ID card for its slot and uploads the other two papers; the desk accepts:
    the ID card counts as reused, not scanned again. A wrong key finds nothing."""
    from onestop.auth.models import User
    from onestop.reception import keys, papers
    from tests.factories import receive

    clerk_user = db.session.scalar(sa.select(User).filter_by(username="clerk"))
    earlier = receive(clerk_user, birth, datetime(2026, 9, 14, 9, 0, tzinfo=VN))
    with frozen_at(datetime(2026, 9, 14, 9, 5, tzinfo=VN)):
        papers.digitise(earlier, 2, [files.check_upload("cccd.pdf", samples.pdf(text="CCCD"))], user=clerk_user)
    db.session.commit()
    code, key = earlier.code, keys.grouped(earlier.tracking_key)
    wrong = submit(client, birth, papers={}, reuse_code=code, reuse_key="ABCD-EFGH-JKMN", action="find")
    assert wrong.status_code == 400 and "Mã hồ sơ hoặc mã tra cứu của hồ sơ trước không đúng" in wrong.get_data(
        as_text=True)
    found = submit(client, birth, papers={}, reuse_code=code, reuse_key=key, action="find")
    assert found.status_code == 200
    stored_id = re.search(r'name="reuse\.2" id="reuse-2".*?<option value="(\d+)" selected', found.get_data(
        as_text=True), re.S).group(1)
    papers_given = three_papers()
    del papers_given["paper.2"]
    response = submit(client, birth, papers={**papers_given, "reuse.2": stored_id}, reuse_code=code, reuse_key=key)
    assert response.status_code == 302
    number, _key = link_of(response)
    with frozen_at(MONDAY):
        assert clerk_client(app).post(f"/desk/online/{number}/accept").status_code == 302
    application = db.session.scalar(sa.select(Application).where(Application.code != earlier.code))
    linked = papers.papers(application)
    assert [(item.position, item.reused) for item in linked] == [(0, False), (1, False), (2, True)]
    assert linked[2].paper.id == int(stored_id) and application.papers_reused == 1


def test_a_stranger_cannot_reuse_papers_without_being_their_holder(app, client, birth):
    from onestop.auth.models import User
    from onestop.reception import keys, papers
    from tests.factories import receive

    clerk_user = db.session.scalar(sa.select(User).filter_by(username="clerk"))
    earlier = receive(clerk_user, birth, datetime(2026, 9, 14, 9, 0, tzinfo=VN))
    with frozen_at(datetime(2026, 9, 14, 9, 5, tzinfo=VN)):
        stored = papers.digitise(earlier, 2, [files.check_upload("c.pdf", samples.pdf())], user=clerk_user).paper
    db.session.commit()
    papers_given = three_papers()
    del papers_given["paper.2"]
    response = submit(client, birth, papers={**papers_given, "reuse.2": str(stored.id)}, reuse_code=earlier.code,
                      reuse_key=keys.grouped(earlier.tracking_key), applicant_id_number="079090001111")
    assert response.status_code == 400
    assert "Giấy tờ dùng lại phải là của người nộp hồ sơ" in response.get_data(as_text=True)


def test_the_board_shows_submissions_waiting_beyond_the_target(app, client, birth):
    """Target 8 working hours: one submitted Monday 08:00 has waited 9.5 working hours by Tuesday 10:00 and is on
    the supervisors' board; one submitted Tuesday 09:00 (1 hour) is not."""
    old, _ = link_of(submit(client, birth, at=datetime(2026, 10, 12, 8, 0, tzinfo=VN)))
    new, _ = link_of(submit(client, birth, at=datetime(2026, 10, 13, 9, 0, tzinfo=VN)))
    supervisor = app.test_client()
    supervisor.post("/login", data={"username": "supervisor", "password": "demo"})
    clerk = clerk_client(app)
    with frozen_at(datetime(2026, 10, 13, 10, 0, tzinfo=VN)):
        board = supervisor.get("/board").get_data(as_text=True)
        queue = clerk.get("/desk/online").get_data(as_text=True)
    assert "chờ kiểm tra quá 8 giờ làm việc: 1" in board
    assert old in board and new not in board
    assert queue.index(old) < queue.index(new)  # oldest first
    assert "9.5 giờ làm việc" in queue and "1.0 giờ làm việc" in queue


def test_papers_for_no_such_component_or_procedure_are_written_meanwhile_but_never_kept(app, birth):
    """The disk starts on a paper while the procedure is looked up; a paper for a component the procedure does not
    have, or sent with a procedure that cannot be found, is dropped: nothing of it stays in the store."""
    from onestop.files import storage

    started = online.start_papers({0: [("to-khai.pdf", samples.pdf(text="to khai"))],
                                   7: [("thua.pdf", samples.pdf(text="thua"))]})
    storings = {position: paper[-1] for position, paper in started[0].items()}
    uploads, errors = online.receive_uploads(online.online_version(birth.code), started=started)
    assert sorted(uploads) == [0]
    assert errors == {"paper.7": "Thủ tục không có thành phần hồ sơ số 7."}
    db.session.commit()  # waits for the paper kept
    lost = online.start_papers({0: [("khac.pdf", samples.pdf(text="khac"))]})
    online.drop_papers(lost)  # as the API does when the procedure code is wrong
    dropped = [storings[7], lost[0][0][-1]]
    for storing in dropped:
        storing.written.result(timeout=30)
    assert files.exists(storings[0].sha256) and files.read(storings[0].sha256) == storings[0].data
    assert [files.exists(storing.sha256) for storing in dropped] == [False, False]
    assert list((storage.backend().root / storage.INCOMING).iterdir()) == []
