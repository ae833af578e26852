"""The back office: one action at a time, hand-overs chosen from lists of where the file may go, refusal and stop
confirmed with a reason, and every form signed by the right person under the right heading."""
import re
from datetime import datetime

import pytest
import sqlalchemy as sa

from onestop.extensions import db
from onestop.reception import printing
from onestop.reception.models import ApplicationEvent
from onestop.timeutil import VN, frozen_at
from tests.factories import event, make_procedure, receive
from tests.test_api_reception import bearer
from tests.test_pdf_forms import pdf_text


def vn(*args):
    return datetime(*args, tzinfo=VN)


@pytest.fixture
def birth(world):
    return make_procedure(agency=world.agencies["000.00.04.H38"])


@pytest.fixture
def transferred(world, birth):
    """Received at the province's centre on Monday, transferred to the Department of Justice at once."""
    application = receive(world.users["clerk"], birth, vn(2026, 10, 5, 9, 0))
    event(application, world.users["clerk"], "transfer", vn(2026, 10, 5, 10, 0))
    return application


def shown_forms(page: str) -> list[str]:
    """The ids of the action forms the page shows (the others carry `hidden`)."""
    return [found for found, attrs in re.findall(r'<form [^>]*id="(action-[a-z_]+)"([^>]*)>', page)
            if "hidden" not in attrs]


def options(page: str, select_id: str) -> list[str]:
    body = page.split(f'id="{select_id}"', 1)[1].split("</select>", 1)[0]
    return re.findall(r"<option value=\"([^\"]*)\"", body)


def test_the_officer_picks_one_action_and_only_its_form_shows(client, auth, transferred):
    auth.login("officer")
    page = client.get(f"/applications/{transferred.code}").get_data(as_text=True)
    links = re.findall(r'href="/applications/[^"?]+\?action=([a-z_]+)#action-', page)
    assert links == ["step", "request_supplement", "apologise", "result_ready", "refuse", "stop"]
    assert shown_forms(page) == []
    assert "Chọn một thao tác: chỉ biểu mẫu của thao tác đó hiện ra." in page
    page = client.get(f"/applications/{transferred.code}?action=refuse").get_data(as_text=True)
    assert shown_forms(page) == ["action-refuse"]


def test_the_desk_transfers_to_an_agency_and_officer_picked_from_lists(client, auth, world, transferred, birth):
    application = receive(world.users["clerk"], birth, vn(2026, 10, 5, 9, 30))
    auth.login("clerk")
    page = client.get(f"/applications/{application.code}?action=transfer").get_data(as_text=True)
    assert shown_forms(page) == ["action-transfer"]
    assert 'name="to_agency" placeholder' not in page and '<input type="text" name="to_user"' not in page
    assert options(page, "transfer-agency") == ["000.00.04.H38"]  # the implementing department
    # its officers and supervisors (who may take a file on), by name: Ngô Văn Cải, Phạm Đức Xử
    assert options(page, "transfer-officer") == ["", "supervisor.stp", "officer"]
    assert '<optgroup label="Sở Tư pháp tỉnh Lào Cai" data-agency="000.00.04.H38">' in page
    assert '<option value="officer">Phạm Đức Xử</option>' in page


def test_a_step_may_go_within_the_department_or_up_for_signature_but_not_elsewhere(client, auth, world, transferred):
    auth.login("officer")
    page = client.get(f"/applications/{transferred.code}?action=step").get_data(as_text=True)
    assert options(page, "step-agency") == ["000.00.04.H38", "000.00.00.H38"]
    assert "officer.nnmt" not in page
    headers = bearer(client, "officer")
    with frozen_at(vn(2026, 10, 6, 9, 0)):
        refused = client.post(f"/api/v1/applications/{transferred.code}/events", headers=headers,
                              json={"type": "step", "to_agency": "000.00.05.H38"})
        stranger = client.post(f"/api/v1/applications/{transferred.code}/events", headers=headers,
                               json={"type": "step", "to_user": "officer.nnmt"})
        up = client.post(f"/api/v1/applications/{transferred.code}/events", headers=headers,
                         json={"type": "step", "to_agency": "000.00.00.H38"})
    assert refused.status_code == 400
    assert refused.get_json()["error"] == "Không được chuyển hồ sơ này đến Sở Nông nghiệp và Môi trường tỉnh Lào Cai."
    assert stranger.status_code == 400
    assert up.status_code == 201


def test_refusal_asks_for_confirmation_and_a_reason(client, auth, transferred):
    auth.login("officer")
    url = f"/applications/{transferred.code}/events/refuse"
    with frozen_at(vn(2026, 10, 6, 9, 0)):
        unconfirmed = client.post(url, data={"reasons": "Hồ sơ giả mạo"})
        no_reason = client.post(url, data={"confirm": "1", "reasons": ""})
    assert unconfirmed.status_code == 400
    page = unconfirmed.get_data(as_text=True)
    assert "Đánh dấu ô xác nhận trước khi từ chối hoặc dừng giải quyết hồ sơ." in page
    assert shown_forms(page) == ["action-refuse"] and ">Hồ sơ giả mạo</textarea>" in page  # kept, to confirm
    assert no_reason.status_code == 400 and "Nêu rõ lý do từ chối." in no_reason.get_data(as_text=True)
    db.session.refresh(transferred)
    assert transferred.status == "transferred"
    with frozen_at(vn(2026, 10, 6, 9, 0)):
        done = client.post(url, data={"confirm": "1", "reasons": "Hồ sơ giả mạo"})
    assert done.status_code == 302
    db.session.refresh(transferred)
    assert transferred.status == "refused"


def test_stop_asks_for_confirmation_too(client, auth, transferred):
    auth.login("officer")
    page = client.get(f"/applications/{transferred.code}?action=stop").get_data(as_text=True)
    assert 'name="confirm" value="1" required' in page
    with frozen_at(vn(2026, 10, 6, 9, 0)):
        response = client.post(f"/applications/{transferred.code}/events/stop", data={"request": "Xin rút hồ sơ"})
    assert response.status_code == 400
    assert "Đánh dấu ô xác nhận" in response.get_data(as_text=True)


def test_a_refusal_during_processing_is_signed_by_the_processing_officer_under_the_department(
        client, auth, world, transferred):
    auth.login("officer")
    page = client.get(f"/applications/{transferred.code}?action=refuse").get_data(as_text=True)
    assert ("Phiếu in dưới tiêu đề <b>Sở Tư pháp tỉnh Lào Cai</b>; người ký: <b>Cán bộ xử lý hồ sơ</b>"
            " – Phạm Đức Xử.") in page
    event(transferred, world.users["officer"], "refuse", vn(2026, 10, 6, 9, 0), reasons=["Hồ sơ giả mạo"])
    text = pdf_text(printing.render_form(transferred, "refusal"))
    assert "ỦY BAN NHÂN DÂN TỈNH LÀO CAI SỞ TƯ PHÁP TỈNH LÀO CAI" in text
    assert "Cơ quan giải quyết hồ sơ: Sở Tư pháp tỉnh Lào Cai" in text
    assert "CÁN BỘ XỬ LÝ HỒ SƠ (Ký, ghi rõ họ tên) Phạm Đức Xử" in text
    assert "CÁN BỘ TIẾP NHẬN" not in text and "TRUNG TÂM PHỤC VỤ" not in text


def test_a_refusal_at_the_desk_is_signed_by_the_desk_officer_under_the_centre(world, birth):
    application = receive(world.users["clerk"], birth, vn(2026, 10, 5, 9, 0))
    event(application, world.users["clerk"], "refuse", vn(2026, 10, 5, 9, 30), reasons=["Sai thẩm quyền"])
    text = pdf_text(printing.render_form(application, "refusal"))
    assert "TRUNG TÂM PHỤC VỤ HÀNH" in text and "SỞ TƯ PHÁP" not in text
    assert "Bộ phận tiếp nhận và trả kết quả: Bộ phận một cửa – Trung tâm Phục vụ hành chính công tỉnh Lào Cai" in text
    assert "CÁN BỘ TIẾP NHẬN HỒ SƠ (Ký, ghi rõ họ tên) Lê Thị Thu Hằng" in text


def test_the_apology_is_signed_by_the_head_named_or_left_for_the_hand(client, auth, world, transferred):
    auth.login("officer")
    page = client.get(f"/applications/{transferred.code}?action=apologise").get_data(as_text=True)
    assert "Phiếu in dưới tiêu đề <b>Sở Tư pháp tỉnh Lào Cai</b>; người ký: <b>Thủ trưởng cơ quan</b>." in page
    event(transferred, world.users["officer"], "apologise", vn(2026, 10, 6, 9, 0), reason="Chờ xác minh",
          new_due_at=vn(2026, 10, 12, 17, 0))
    text = pdf_text(printing.render_form(transferred, "apology"))
    assert "THỦ TRƯỞNG CƠ QUAN (Ký, ghi rõ họ tên và đóng dấu)" in text and "Phạm Đức Xử" not in text


def test_the_head_named_signs_the_stop_notice(world, transferred):
    event(transferred, world.users["officer"], "stop", vn(2026, 10, 6, 9, 0), request="Xin rút hồ sơ",
          signer="Nguyễn Văn Giám")
    text = pdf_text(printing.render_form(transferred, "stop"))
    assert "SỞ TƯ PHÁP TỈNH LÀO CAI" in text
    assert "THỦ TRƯỞNG CƠ QUAN (Ký, ghi rõ họ tên và đóng dấu) Nguyễn Văn Giám" in text


def test_a_refusal_recorded_before_signers_were_stored_still_prints_the_processing_heading(world, transferred):
    officer = world.users["officer"]
    db.session.add(ApplicationEvent(application=transferred, seq=3, type="refuse", at=vn(2026, 10, 6, 9, 0),
                                    recorded_at=vn(2026, 10, 6, 9, 0), user_id=officer.id, from_status="transferred",
                                    to_status="refused", data={"reasons": ["Hồ sơ giả mạo"]}))
    db.session.commit()
    db.session.refresh(transferred)
    text = pdf_text(printing.render_form(transferred, "refusal"))
    assert "Cơ quan giải quyết hồ sơ: Sở Tư pháp tỉnh Lào Cai" in text
    assert "CÁN BỘ XỬ LÝ HỒ SƠ (Ký, ghi rõ họ tên) Phạm Đức Xử" in text
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ApplicationEvent)) == 3
