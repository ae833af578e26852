"""The applicant's status page answers "when", in words counted on the working calendar, on a known clock.

The file: received at the Trung tâm's desk Monday 14/12/2026 10:00 for a 3-working-day procedure handled by the
Sở Tư pháp, so due Thursday 17/12/2026 17:00 (no holiday that week).
"""
import json
import re
from datetime import datetime

import pytest
import sqlalchemy as sa

from onestop import raw_reads
from onestop.extensions import db
from onestop.reception import keys
from onestop.timeutil import VN, frozen_at
from onestop.tracking.public import ratings
from onestop.tracking.public.status import find_application, public_status
from tests.factories import event, make_procedure, receive


def vn(*args):
    return datetime(*args, tzinfo=VN)


@pytest.fixture
def birth(world):
    return make_procedure(agency=world.agencies["000.00.04.H38"])


@pytest.fixture
def application(world, birth):
    return receive(world.users["clerk"], birth, vn(2026, 12, 14, 10, 0))


def url(application, **args):
    query = "&".join(f"{name}={value}" for name, value in (args or {"k": keys.grouped(application.tracking_key)}).items())
    return f"/tra-cuu/{application.code}?{query}"


def look(client, application, at, **args) -> str:
    with frozen_at(at):
        response = client.get(url(application, **args))
    assert response.status_code == 200
    return response.get_data(as_text=True)


def track(client, application, at, **args) -> dict:
    with frozen_at(at):
        response = client.get(f"/api/v1/track/{application.code}", query_string=args or {"k": application.tracking_key})
    assert response.status_code == 200
    return response.get_json()


def when_block(page: str) -> str:
    """The headline sentence, tags dropped, as the applicant reads it."""
    block = re.search(r'<div class="when[^"]*" id="when">(.*?)</div>', page, re.S).group(1)
    return " ".join(re.sub(r"<[^>]+>", " ", block).replace(" ,", ",").split())


def test_received_on_monday_the_page_counts_three_working_days_to_thursday(client, application):
    page = look(client, application, vn(2026, 12, 14, 11, 0))
    assert when_block(page) == "còn 3 ngày làm việc, hẹn trả 17:00 thứ Năm, 17/12/2026"
    assert "Đăng ký khai sinh" in page and "Nguyễn T. N. Á." in page
    assert "Trung tâm Phục vụ hành chính công tỉnh Lào Cai" in page  # the desk, to call
    assert "Số 1 đường Hoàng Liên, phường Lào Cai, tỉnh Lào Cai" in page
    assert '<a class="btn call" href="tel:02143636555">☎ 0214 3636 555</a>' in page
    assert "07:30–11:30, 13:30–17:00, thứ Hai đến thứ Sáu (trừ ngày nghỉ lễ)" in page


def test_the_count_runs_down_on_working_days_and_says_so_on_the_due_day(client, application):
    assert when_block(look(client, application, vn(2026, 12, 16, 8, 0))).startswith("còn 1 ngày làm việc,")
    assert when_block(look(client, application, vn(2026, 12, 17, 9, 0))) == \
        "hạn cuối là hôm nay, hẹn trả 17:00 thứ Năm, 17/12/2026"


def test_after_the_due_time_the_page_says_how_many_working_days_late(client, world, application):
    event(application, world.users["clerk"], "transfer", vn(2026, 12, 14, 10, 30))
    page = look(client, application, vn(2026, 12, 21, 10, 0))  # Friday 18 and Monday 21: two working days
    assert when_block(page) == "đã quá hạn 2 ngày làm việc, hẹn trả 17:00 thứ Năm, 17/12/2026"
    assert 'class="when state-overdue"' in page
    assert when_block(look(client, application, vn(2026, 12, 17, 17, 30))).startswith("đã quá hạn, ")


def test_late_with_an_apology_gives_the_new_appointment_and_the_reason(client, world, application):
    event(application, world.users["clerk"], "transfer", vn(2026, 12, 14, 10, 30))
    event(application, world.users["officer"], "apologise", vn(2026, 12, 15, 9, 0),
          reason="Cần xác minh thông tin tại nơi cư trú", new_due_at=vn(2026, 12, 22, 17, 0))
    page = look(client, application, vn(2026, 12, 21, 10, 0))
    assert when_block(page) == "đã quá hạn 2 ngày làm việc, hẹn trả lại 17:00 thứ Ba, 22/12/2026"
    assert "Cần xác minh thông tin tại nơi cư trú" in page
    assert "xin lỗi vì hồ sơ trễ hạn</b> (09:00 15/12/2026): Cần xác minh thông tin tại nơi cư trú" in page
    assert "Cơ quan giải quyết xin lỗi vì chậm trễ, hẹn trả lại 17:00 thứ Ba, 22/12/2026" in page  # the history
    # before the first due time, the new appointment is what the applicant counts to
    assert when_block(look(client, application, vn(2026, 12, 15, 10, 0))) == \
        "còn 5 ngày làm việc, hẹn trả lại 17:00 thứ Ba, 22/12/2026"


def test_paused_for_a_supplement_the_page_lists_what_to_bring_and_where(client, world, application):
    event(application, world.users["clerk"], "transfer", vn(2026, 12, 14, 10, 30))
    event(application, world.users["officer"], "request_supplement", vn(2026, 12, 15, 10, 0),
          items=["Bản sao Giấy chứng nhận kết hôn của cha mẹ"], reason="Thiếu giấy tờ chứng minh quan hệ")
    page = look(client, application, vn(2026, 12, 16, 9, 0))
    assert when_block(page) == "tạm dừng, chờ bổ sung"
    assert "<li>Bản sao Giấy chứng nhận kết hôn của cha mẹ</li>" in page
    assert "Thời hạn giải quyết tính tiếp khi nhận đủ giấy tờ (còn 2 ngày làm việc)." in page
    assert "Nộp phần bổ sung tại bộ phận một cửa nơi đã nộp hồ sơ." in page
    assert "17/12/2026" not in page  # the due time before the pause no longer holds


def test_ready_the_page_says_where_to_collect_and_the_desks_hours(client, world, application):
    event(application, world.users["clerk"], "transfer", vn(2026, 12, 14, 10, 30))
    event(application, world.users["officer"], "result_ready", vn(2026, 12, 16, 15, 0))
    page = look(client, application, vn(2026, 12, 16, 16, 0))
    assert when_block(page) == (
        "có kết quả, mời nhận tại Trung tâm Phục vụ hành chính công tỉnh Lào Cai "
        "Số 1 đường Hoàng Liên, phường Lào Cai, tỉnh Lào Cai. Giờ làm việc: 07:30–11:30, 13:30–17:00, "
        "thứ Hai đến thứ Sáu (trừ ngày nghỉ lễ). Mang theo giấy tiếp nhận hồ sơ và giấy tờ tùy thân.")
    assert "<dd>15:00 16/12/2026 (trước hạn)</dd>" in page
    assert "Có kết quả (trước hạn)" in page


def test_returned_the_page_asks_for_a_rating(client, world, application):
    event(application, world.users["clerk"], "transfer", vn(2026, 12, 14, 10, 30))
    event(application, world.users["officer"], "result_ready", vn(2026, 12, 16, 15, 0))
    event(application, world.users["clerk"], "return", vn(2026, 12, 17, 9, 0))
    page = look(client, application, vn(2026, 12, 17, 9, 5))
    assert when_block(page) == "đã trả kết quả"
    assert "Đánh giá mức độ hài lòng" in page and 'value="very_satisfied"' in page


def test_the_history_reads_as_steps_with_their_moments(client, world, application):
    event(application, world.users["clerk"], "transfer", vn(2026, 12, 14, 10, 30))
    event(application, world.users["officer"], "step", vn(2026, 12, 14, 14, 0), to_user="officer")
    event(application, world.users["officer"], "result_ready", vn(2026, 12, 16, 15, 0))
    with frozen_at(vn(2026, 12, 16, 16, 0)):
        steps = [(f"{s['at'].astimezone(VN):%H:%M %d/%m}", s["text"]) for s in public_status(application)["steps"]]
    assert steps == [
        ("10:00 14/12", "Tiếp nhận hồ sơ tại Trung tâm Phục vụ hành chính công tỉnh Lào Cai"),
        ("10:30 14/12", "Chuyển đến Sở Tư pháp tỉnh Lào Cai để giải quyết"),
        # the hand-over to an officer of the same department is no news to the applicant
        ("15:00 16/12", "Có kết quả (trước hạn)"),
    ]


def test_refused_the_page_gives_the_reasons(client, world, application):
    event(application, world.users["clerk"], "transfer", vn(2026, 12, 14, 10, 30))
    event(application, world.users["officer"], "refuse", vn(2026, 12, 15, 9, 0),
          reasons=["Người đề nghị không thuộc trường hợp được đăng ký"])
    page = look(client, application, vn(2026, 12, 15, 10, 0))
    assert when_block(page) == "hồ sơ bị từ chối giải quyết"
    assert "<li>Người đề nghị không thuộc trường hợp được đăng ký</li>" in page


def test_the_api_says_the_same_without_personal_data(client, world, application):
    event(application, world.users["clerk"], "transfer", vn(2026, 12, 14, 10, 30))
    body = track(client, application, vn(2026, 12, 14, 11, 0))
    assert body["when"] == "còn 3 ngày làm việc" and body["working_days_left"] == 3
    assert body["due_text"] == "hẹn trả 17:00 thứ Năm, 17/12/2026"
    assert body["due_at"] == "2026-12-17T17:00:00+07:00"
    assert body["state"] == "in_time" and body["status"] == "transferred"
    assert body["desk"]["phone"] == "0214 3636 555"
    assert [step["text"] for step in body["steps"]] == [
        "Tiếp nhận hồ sơ tại Trung tâm Phục vụ hành chính công tỉnh Lào Cai",
        "Chuyển đến Sở Tư pháp tỉnh Lào Cai để giải quyết"]
    flat = str(body)
    for private in ("Nguyễn", "Ánh", "015190001234", "0912", "345 678", "ngocanh", "ngõ 34"):
        assert private not in flat
    late = track(client, application, vn(2026, 12, 21, 10, 0))
    assert (late["when"], late["working_days_late"]) == ("đã quá hạn 2 ngày làm việc", 2)


def test_in_english_the_same_sentence_is_translated(client, application):
    client.get("/lang/en?next=/")
    page = look(client, application, vn(2026, 12, 14, 11, 0))
    assert when_block(page) == "3 working days left, due 17:00 Thursday, 17/12/2026"


# ---------------------------------------------------------------- look-up without the receipt


def test_lost_receipt_the_code_and_the_phones_last_four_digits_open_the_page(client, application):
    assert application.applicant_phone.endswith("5678")
    page = look(client, application, vn(2026, 12, 14, 11, 0), phone="5678")
    assert when_block(page).startswith("còn 3 ngày làm việc")
    assert 'name="level"' not in page  # rating and the key stay with the receipt
    assert track(client, application, vn(2026, 12, 14, 11, 0), phone="5678")["code"] == application.code
    # the look-up form sends the person there
    response = client.get("/tra-cuu", query_string={"code": application.code, "k": "", "phone": "5678"})
    assert response.headers["Location"] == url(application, phone="5678")


def test_a_representatives_phone_opens_it_too(client, world, birth):
    application = receive(world.users["clerk"], birth, vn(2026, 12, 14, 10, 0),
                          representative={"name": "Trần Văn Bình", "id_number": "015090004321", "phone": "0987 111 222"})
    assert find_application(application.code, phone="1222") is application
    assert find_application(application.code, phone="5678") is application
    assert find_application(application.code, phone="1223") is None


WRONG = {
    "wrong code": lambda a: ("000.00.01.H38-261214-0099", {"k": a.tracking_key}),
    "wrong key": lambda a: (a.code, {"k": "ABCD-EFGH-JKMN"}),
    "wrong phone": lambda a: (a.code, {"phone": "1234"}),
    "wrong code by phone": lambda a: ("000.00.01.H38-261214-0099", {"phone": "5678"}),
    "phone not four digits": lambda a: (a.code, {"phone": "678"}),
}


def statements(app):
    """Count the SQL statements a block runs."""
    counted = []
    listener = lambda *args: counted.append(1)  # noqa: E731
    sa.event.listen(db.engine, "before_cursor_execute", listener)
    return counted, lambda: sa.event.remove(db.engine, "before_cursor_execute", listener)


def test_wrong_code_key_and_phone_cannot_be_told_apart(app, client, application):
    pages, apis, work = set(), set(), set()
    for name, wrong in WRONG.items():
        code, args = wrong(application)
        counted, stop = statements(app)
        with frozen_at(vn(2026, 12, 14, 11, 0)):
            page = client.get(f"/tra-cuu/{code}", query_string=args)
            api = client.get(f"/api/v1/track/{code}", query_string=args)
        stop()
        work.add(len(counted))
        # the language links echo the address typed; everything else is the same
        pages.add((page.status_code, re.sub(r"next=[^\"]*", "", page.get_data(as_text=True))))
        apis.add((api.status_code, api.get_data(as_text=True)))
    assert len(pages) == 1 and len(apis) == 1 and len(work) == 1, (len(pages), len(apis), work)
    (status, body), = pages
    assert status == 404 and "Không tìm thấy trang hoặc hồ sơ." in body
    (status, body), = apis
    assert status == 404 and json.loads(body) == {"error": "Không tìm thấy hồ sơ khớp với thông tin tra cứu.",
                                                  "status": 404}


def test_a_look_up_without_key_or_phone_is_a_bad_request(client, application):
    assert client.get(f"/api/v1/track/{application.code}").status_code == 400
    response = client.get("/tra-cuu", query_string={"code": application.code})
    assert response.status_code == 400
    assert "Nhập mã hồ sơ, kèm mã tra cứu hoặc 4 số cuối số điện thoại." in response.get_data(as_text=True)


def test_look_ups_are_limited_per_address_and_phone_guesses_per_code(tmp_path, world, birth):
    from onestop import create_app
    from tests.conftest import test_config

    application = receive(world.users["clerk"], birth, vn(2026, 12, 14, 10, 0))
    limited = create_app(test_config(tmp_path, RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI="memory://",
                                     TRACKING_FAILED_LOOKUP_LIMIT="3 per minute",
                                     TRACKING_PHONE_LIMIT_PER_CODE="2 per minute"))
    one, other = limited.test_client(), limited.test_client()
    with limited.app_context():
        wrong = [one.get(f"/tra-cuu/{application.code}?phone={n}", environ_base={"REMOTE_ADDR": "10.0.0.1"})
                 for n in ("1111", "2222")]
        assert [r.status_code for r in wrong] == [404, 404]
        # a third guess at the same code from elsewhere is refused: the code's own budget is spent
        third = other.get(f"/api/v1/track/{application.code}?phone=3333", environ_base={"REMOTE_ADDR": "10.0.0.2"})
        assert third.status_code == 429
        # the key still works for its holder, from any address
        key = other.get(url(application), environ_base={"REMOTE_ADDR": "10.0.0.2"})
        assert key.status_code == 200
        # failures per address: the third failed look-up of other codes from 10.0.0.1 is the last allowed
        codes = [f"/tra-cuu/000.00.01.H38-261214-00{n}?k=AAAA-BBBB-CCCC" for n in (11, 12, 13)]
        assert [one.get(c, environ_base={"REMOTE_ADDR": "10.0.0.1"}).status_code for c in codes] == [404, 429, 429]


def test_the_api_gives_every_field_of_a_paused_apologised_file_and_then_of_its_return(client, world, application):
    """Waiting for a supplement since Tuesday 09:00 with an apology for Monday 21/12; the papers come Wednesday 09:00
    (the 1 working day waited moves the due time from Thursday to Friday 17:00), the result is ready Thursday 14:00
    (early) and handed back Friday 09:00. Every field of the JSON, exactly."""
    event(application, world.users["clerk"], "transfer", vn(2026, 12, 14, 10, 30))
    event(application, world.users["officer"], "request_supplement", vn(2026, 12, 15, 9, 0),
          items=["Bản sao giấy chứng sinh"], reason="Giấy chứng sinh mờ")
    event(application, world.users["officer"], "apologise", vn(2026, 12, 15, 10, 0),
          reason="Chờ xác minh", new_due_at=vn(2026, 12, 21, 17, 0))
    desk = {"name": "Trung tâm Phục vụ hành chính công tỉnh Lào Cai",
            "address": "Số 1 đường Hoàng Liên, phường Lào Cai, tỉnh Lào Cai", "phone": "0214 3636 555",
            "hours": "07:30–11:30, 13:30–17:00, thứ Hai đến thứ Sáu (trừ ngày nghỉ lễ)"}
    apology = {"new_due_at": "2026-12-21T17:00:00+07:00", "reason": "Chờ xác minh",
               "text": "hẹn trả lại 17:00 thứ Hai, 21/12/2026"}
    steps = [
        {"at": "2026-12-14T10:00:00+07:00", "text": "Tiếp nhận hồ sơ tại Trung tâm Phục vụ hành chính công tỉnh Lào Cai"},
        {"at": "2026-12-14T10:30:00+07:00", "text": "Chuyển đến Sở Tư pháp tỉnh Lào Cai để giải quyết"},
        {"at": "2026-12-15T09:00:00+07:00", "text": "Cơ quan giải quyết yêu cầu bổ sung giấy tờ; thời hạn tạm dừng"},
        {"at": "2026-12-15T10:00:00+07:00",
         "text": "Cơ quan giải quyết xin lỗi vì chậm trễ, hẹn trả lại 17:00 thứ Hai, 21/12/2026"},
    ]
    common = {"code": application.code, "procedure": {"code": "1.001193", "name": "Đăng ký khai sinh"},
              "due_text": None, "working_days_left": None, "working_days_late": None, "apology": apology,
              "received_at": "2026-12-14T10:00:00+07:00", "return_method": "at_desk", "refusal_reasons": [],
              "handled_by": "Sở Tư pháp tỉnh Lào Cai", "desk": desk, "rating": None}
    assert track(client, application, vn(2026, 12, 15, 11, 0)) == {
        **common, "status": "waiting_supplement", "state": "paused", "when": "tạm dừng, chờ bổ sung",
        "due_at": "2026-12-17T17:00:00+07:00",
        "pause": {"since": "2026-12-15T09:00:00+07:00", "items": ["Bản sao giấy chứng sinh"],
                  "after": "Thời hạn giải quyết tính tiếp khi nhận đủ giấy tờ (còn 2 ngày làm việc)."},
        "result_at": None, "result_timeliness": None, "returned_at": None, "steps": steps}

    event(application, world.users["clerk"], "supplement_received", vn(2026, 12, 16, 9, 0))
    event(application, world.users["officer"], "result_ready", vn(2026, 12, 17, 14, 0))
    event(application, world.users["clerk"], "return", vn(2026, 12, 18, 9, 0))
    assert track(client, application, vn(2026, 12, 18, 10, 0)) == {
        **common, "status": "returned", "state": "returned", "when": "đã trả kết quả",
        "due_at": "2026-12-18T17:00:00+07:00", "pause": None,
        "result_at": "2026-12-17T14:00:00+07:00", "result_timeliness": "early",
        "returned_at": "2026-12-18T09:00:00+07:00",
        "steps": steps + [{"at": "2026-12-16T09:00:00+07:00", "text": "Đã nhận giấy tờ bổ sung; thời hạn tính tiếp"},
                          {"at": "2026-12-17T14:00:00+07:00", "text": "Có kết quả (trước hạn)"},
                          {"at": "2026-12-18T09:00:00+07:00", "text": "Đã trả kết quả"}]}
    ratings.rate(application, "satisfied")
    db.session.commit()
    assert track(client, application, vn(2026, 12, 18, 11, 0))["rating"] == "satisfied"


def test_a_code_typed_in_lower_case_is_found_by_the_form_the_page_and_the_api(client, application):
    """Issue 21: a person who types '…-h38-…' from the receipt finds the file (codes are stored in capitals)."""
    typed = application.code.lower()
    assert "h38" in typed
    key = keys.grouped(application.tracking_key).lower()
    response = client.get("/tra-cuu", query_string={"code": f" {typed} ", "k": key})
    assert response.headers["Location"] == f"/tra-cuu/{application.code}?k={key}"
    with frozen_at(vn(2026, 12, 14, 11, 0)):
        assert client.get(f"/tra-cuu/{typed}", query_string={"k": key}).status_code == 200
        assert client.get(f"/tra-cuu/{typed}", query_string={"phone": "5678"}).status_code == 200
        found = client.get(f"/api/v1/track/{typed}", query_string={"k": key})
    assert (found.status_code, found.get_json()["code"]) == (200, application.code)


def test_the_look_up_form_says_where_each_number_is_on_the_receipt(client, application):
    """The receipt prints the code under its title and the key in the line about looking the file up, above the
    request's content (not under the QR code, which is captioned 'Quét mã để tra cứu…')."""
    from onestop.reception import printing
    from tests.fuzzing import pdf_text

    page = client.get("/tra-cuu").get_data(as_text=True)
    assert "Ngay dưới tiêu đề giấy tiếp nhận: «Mã hồ sơ: 000.00.01.H38-…»" in page
    assert ("Trên giấy tiếp nhận, ở dòng «Tra cứu tình trạng hồ sơ tại … với mã hồ sơ và mã tra cứu: ABCD-EFGH-JKMN», "
            "ngay trên mục «Nội dung yêu cầu giải quyết».") in page
    assert "in dưới mã QR" not in page
    receipt = pdf_text(printing.render_form(application, "receipt"))
    title, code_line = receipt.index("GIẤY TIẾP NHẬN HỒ SƠ"), receipt.index(f"Mã hồ sơ: {application.code}")
    key_line = receipt.index(f"mã tra cứu: {keys.grouped(application.tracking_key)}")
    assert title < code_line < receipt.index("Tra cứu tình trạng hồ sơ tại") < key_line < receipt.index(
        "Nội dung yêu cầu giải quyết")



def test_a_file_asked_for_the_first_time_costs_one_indexed_look_up(app, client, world, birth, application,
                                                                    monkeypatch):
    """Issue 21: citizens ask for a different file each time, so the page kept in the worker rarely helps; a file
    not asked before is one statement (the file, its desk, its procedure, its rating and its events, by the code's
    unique index) and one template. The calendar and the agencies' names are the process's (process_cache)."""
    first = receive(world.users["clerk"], birth, vn(2026, 12, 14, 9, 0))
    for file in (first, application):
        event(file, world.users["clerk"], "transfer", vn(2026, 12, 14, 11, 0),
              to_agency=world.agencies["000.00.04.H38"].code)
    look(client, first, vn(2026, 12, 14, 12, 0))
    address = url(application)
    db.session.commit()  # the test's own session holds no transaction: as in a worker, the request has its own
    executed, driver = [], []  # through SQLAlchemy; straight on the driver (PostgreSQL: onestop.raw_reads)
    listener = lambda conn, cursor, statement, *rest: executed.append(statement)  # noqa: E731
    sa.event.listen(db.engine, "before_cursor_execute", listener)
    read = raw_reads.RawReader.rows
    monkeypatch.setattr(raw_reads.RawReader, "rows",
                        lambda self, statement, params: driver.append(self.statement(statement).sql) or
                        read(self, statement, params))
    try:
        with frozen_at(vn(2026, 12, 14, 12, 0)):
            page = client.get(address).get_data(as_text=True)
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", listener)
    assert "Chuyển đến Sở Tư pháp tỉnh Lào Cai để giải quyết" in page
    statements = executed + driver
    selects = [statement for statement in statements if statement.lstrip().upper().startswith("SELECT")]
    assert len(selects) == 1 and "application.code =" in selects[0], statements
    if db.engine.dialect.name == "postgresql":
        assert executed == [] and driver == selects  # on a kept connection in autocommit: no BEGIN, no ROLLBACK
