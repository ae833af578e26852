"""Satisfaction: once the result is returned, the applicant rates the service once, from the status page (with the
receipt's key) or on the desk's tablet; the rows feed the supervisors' indicators."""
from datetime import datetime

import pytest
import sqlalchemy as sa

from onestop.extensions import db
from onestop.reception import keys
from onestop.timeutil import VN, frozen_at
from onestop.tracking.models import Rating
from tests.factories import event, make_procedure, receive


def vn(*args):
    return datetime(*args, tzinfo=VN)


@pytest.fixture
def application(world):
    birth = make_procedure(agency=world.agencies["000.00.04.H38"])
    application = receive(world.users["clerk"], birth, vn(2026, 12, 14, 10, 0))
    event(application, world.users["clerk"], "transfer", vn(2026, 12, 14, 10, 30))
    event(application, world.users["officer"], "result_ready", vn(2026, 12, 16, 15, 0))
    return application


def returned(application, world):
    event(application, world.users["clerk"], "return", vn(2026, 12, 17, 9, 0))
    return application


def rate(client, application, key=None, **fields):
    data = {"k": keys.grouped(application.tracking_key) if key is None else key, **fields}
    with frozen_at(vn(2026, 12, 17, 9, 30)):
        return client.post(f"/tra-cuu/{application.code}/danh-gia", data=data)


def ratings():
    return db.session.scalars(sa.select(Rating)).all()


def test_the_applicant_rates_once_from_the_status_page(client, world, application):
    returned(application, world)
    response = rate(client, application, level="satisfied")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/tra-cuu/{application.code}?k={keys.grouped(application.tracking_key)}"
    rating, = ratings()
    assert (rating.level, rating.channel, rating.reasons, rating.user_id) == ("satisfied", "status_page", None, None)
    assert rating.agency_id == world.agencies["000.00.01.H38"].id and rating.at == vn(2026, 12, 17, 9, 30)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Cảm ơn Ông/Bà đã đánh giá." in page and "Hồ sơ đã được đánh giá: Hài lòng. Cảm ơn Ông/Bà!" in page
    assert 'name="level"' not in page
    again = rate(client, application, level="very_satisfied")
    assert again.status_code == 409
    assert "Hồ sơ này đã được đánh giá. Mỗi hồ sơ chỉ đánh giá một lần." in again.get_data(as_text=True)
    assert [r.level for r in ratings()] == ["satisfied"]


def test_not_satisfied_says_what_was_wrong(client, world, application):
    returned(application, world)
    bare = rate(client, application, level="not_satisfied")
    assert bare.status_code == 400 and "Chọn điều chưa hài lòng hoặc ghi góp ý." in bare.get_data(as_text=True)
    assert ratings() == []
    response = rate(client, application, level="not_satisfied", reasons=["guidance", "slow"],
                    comment="Phải đi lại hai lần vì thiếu hướng dẫn.")
    assert response.status_code == 302
    rating, = ratings()
    assert rating.reasons == ["slow", "guidance"] and rating.comment == "Phải đi lại hai lần vì thiếu hướng dẫn."


def test_no_rating_before_the_result_is_returned_nor_without_the_key(client, world, application):
    early = rate(client, application, level="very_satisfied")
    assert early.status_code == 409 and "Hồ sơ chưa trả kết quả nên chưa thể đánh giá." in early.get_data(as_text=True)
    returned(application, world)
    assert rate(client, application, key="ABCD-EFGH-JKMN", level="very_satisfied").status_code == 404
    with frozen_at(vn(2026, 12, 17, 9, 30)):
        by_phone = client.post(f"/tra-cuu/{application.code}/danh-gia", data={"phone": "5678", "level": "satisfied"})
    assert by_phone.status_code == 404  # four digits of a phone do not speak for the applicant
    assert ratings() == []


def test_the_desk_takes_a_rating_on_its_tablet_by_code_once(client, auth, world, application):
    returned(application, world)
    auth.login("clerk")
    response = client.post("/ratings/desk", data={"code": application.code})
    assert response.headers["Location"] == f"/ratings/desk/{application.code}"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Đăng ký khai sinh" in page and "Nguyễn T. N. Á." in page and "015190001234" not in page
    with frozen_at(vn(2026, 12, 17, 9, 10)):
        done = client.post(f"/ratings/desk/{application.code}", data={"level": "very_satisfied"})
    assert done.headers["Location"] == "/ratings/desk"
    rating, = ratings()
    assert (rating.channel, rating.user_id, rating.level) == ("desk", world.users["clerk"].id, "very_satisfied")
    page = client.get(f"/ratings/desk/{application.code}").get_data(as_text=True)
    assert "Hồ sơ đã được đánh giá: Rất hài lòng." in page
    assert client.post(f"/ratings/desk/{application.code}", data={"level": "satisfied"}).status_code == 409
    # and the status page no longer asks
    status = client.get(f"/tra-cuu/{application.code}?k={application.tracking_key}").get_data(as_text=True)
    assert 'name="level"' not in status


def test_another_desk_cannot_rate_a_file_it_did_not_receive(client, auth, world, application):
    returned(application, world)
    auth.login("clerk.yenbai")
    # another desk's file answers as an unknown code does: the tablet does not tell which codes exist
    assert client.get(f"/ratings/desk/{application.code}").status_code == 404
    assert client.post(f"/ratings/desk/{application.code}", data={"level": "satisfied"}).status_code == 404
    assert client.get("/ratings/desk/000.00.01.H38-261214-0099").status_code == 404
    assert ratings() == []
