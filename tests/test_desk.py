"""The desk without its script: the search has its own form (Enter in it never submits an application) and lists
the matches; after saving, an empty desk with this application's receipt one click away."""
import pytest
import sqlalchemy as sa

from onestop.reception.models import Application
from tests.factories import make_procedure


@pytest.fixture
def birth(world):
    return make_procedure(agency=world.agencies["000.00.04.H38"])


def test_the_search_box_belongs_to_a_search_form_of_its_own(client, auth, birth):
    auth.login("clerk")
    page = client.get("/desk").get_data(as_text=True)
    assert '<form method="get" action="/desk" id="procedure-lookup" role="search"></form>' in page
    assert 'id="procedure_search" name="q" form="procedure-lookup"' in page
    assert "autofocus" in page.split('id="procedure_search"', 1)[1].split(">", 1)[0]


def test_without_javascript_enter_in_the_search_lists_the_matching_procedures(client, auth, birth, db):
    auth.login("clerk")
    page = client.get("/desk?q=khai+sinh").get_data(as_text=True)
    assert '<li><a href="/desk?procedure=1.001193">1.001193 – Đăng ký khai sinh</a></li>' in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Application)) == 0
    assert "Không tìm thấy thủ tục." in client.get("/desk?q=xyz").get_data(as_text=True)


def test_a_code_the_clerk_may_not_see_shows_no_banner(client, auth, birth):
    auth.login("clerk")
    page = client.get("/desk?received=000.00.04.H38-261009-0001").get_data(as_text=True)
    assert 'id="received"' not in page


def vn(*args):
    from datetime import datetime

    from onestop.timeutil import VN

    return datetime(*args, tzinfo=VN)


def test_the_desk_prints_its_own_register_for_this_month_by_default(client, auth, world, birth):
    from onestop.timeutil import frozen_at
    from tests.factories import receive
    from tests.test_pdf_forms import pdf_text

    ours = receive(world.users["clerk"], birth, vn(2026, 10, 5, 9, 0))
    commune = make_procedure(code="1.000002", name="Chứng thực bản sao", level="commune")
    theirs = receive(world.users["clerk.yenbai"], commune, vn(2026, 10, 6, 9, 0))
    auth.login("clerk")
    with frozen_at(vn(2026, 10, 20, 10, 0)):
        page = client.get("/desk/register").get_data(as_text=True)
    assert '<form method="get" action="/api/v1/register.pdf" target="_blank">' in page
    assert 'name="from" value="2026-10-01"' in page and 'name="to" value="2026-10-31"' in page
    assert "Trung tâm Phục vụ hành chính công tỉnh Lào Cai" in page
    register = client.get("/api/v1/register.pdf?from=2026-10-01&to=2026-10-31")
    assert register.status_code == 200
    text = pdf_text(register.data)
    assert "SỔ THEO DÕI HỒ SƠ" in text and "TRUNG TÂM PHỤC VỤ HÀNH" in text
    assert ours.code in text and theirs.code not in text


def test_an_officer_has_no_desk_register(client, auth, world):
    auth.login("officer")
    assert client.get("/desk/register").status_code == 403


def slip(clerk, kind, name, at, **applicant):
    from onestop.extensions import db
    from onestop.reception import services
    from onestop.timeutil import frozen_at
    from tests.factories import applicant as person

    with frozen_at(at):
        made = services.record_desk_slip(clerk, kind, {
            "procedure_code": "1.001193", "applicant": person(name=name, **applicant),
            "items": ["Bản sao giấy chứng nhận kết hôn"], "reason": "Thiếu giấy tờ"})
    db.session.commit()
    return made


def test_desk_slips_are_found_again_and_reprinted(client, auth, world, birth):
    clerk = world.users["clerk"]
    first = slip(clerk, "supplement", "Trần Văn An", vn(2026, 10, 5, 9, 0))
    second = slip(clerk, "refusal", "Lê Thị Bình", vn(2026, 10, 6, 9, 0), id_kind="passport", id_number="C1234567")
    other_desk = slip(world.users["clerk.yenbai"], "refusal", "Phạm Văn Cường", vn(2026, 10, 6, 10, 0))
    auth.login("clerk")
    page = client.get("/desk/slips").get_data(as_text=True)
    assert page.index("Lê Thị Bình") < page.index("Trần Văn An")  # newest first
    assert "Phạm Văn Cường" not in page  # another desk's slips
    assert f'href="/desk/slips/{second.id}.pdf">In lại</a>' in page
    found = client.get("/desk/slips?q=Trần Văn").get_data(as_text=True)
    assert "Trần Văn An" in found and "Lê Thị Bình" not in found
    by_number = client.get("/desk/slips?q=c1234567").get_data(as_text=True)
    assert "Lê Thị Bình" in by_number and "Trần Văn An" not in by_number
    refusals = client.get("/desk/slips?kind=refusal").get_data(as_text=True)
    assert "Lê Thị Bình" in refusals and "Trần Văn An" not in refusals
    reprint = client.get(f"/desk/slips/{first.id}.pdf")
    assert reprint.mimetype == "application/pdf"
    assert client.get(f"/desk/slips/{other_desk.id}.pdf").status_code == 404


def test_the_slip_list_pages_by_keyset(world, birth):
    from onestop.reception.slips import find_slips

    clerk = world.users["clerk"]
    made = [slip(clerk, "supplement", f"Người nộp {n}", vn(2026, 10, 5, 9, n)) for n in range(5)]
    page, after = find_slips(clerk, limit=2)
    assert [s.id for s in page] == [made[4].id, made[3].id]
    page, after = find_slips(clerk, before=after, limit=2)
    assert [s.id for s in page] == [made[2].id, made[1].id]
    page, after = find_slips(clerk, before=after, limit=2)
    assert [s.id for s in page] == [made[0].id] and after is None
