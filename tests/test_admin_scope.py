"""An agency's administrator stays inside its agency: it edits what lies below it, never its own place in the tree,
never anything outside its subtree, and reads only its subtree's audit trail (issue 11, part 1).

The case of the demo: a department admin at Sở Nông nghiệp và Môi trường (000.00.05.H38), with Văn phòng Đăng ký
đất đai (000.01.05.H38) below it; the province admin at UBND tỉnh (000.00.00.H38) sees everything.
"""
import re

import pytest
import sqlalchemy as sa

from onestop.auth import services
from onestop.auth.models import Agency, User
from onestop.extensions import db as _db

DEPARTMENT, BELOW, PROVINCE = "000.00.05.H38", "000.01.05.H38", "000.00.00.H38"
NNMT_NAME = "Sở Nông nghiệp và Môi trường tỉnh Lào Cai"


@pytest.fixture
def department_admin(world):
    user = services.create_user("admin.nnmt", "dat-dai-song-nui", "Quản trị Sở NN&MT", world.agencies[DEPARTMENT],
                                ["admin"])
    _db.session.commit()
    return user


def agency(code: str) -> Agency:
    _db.session.expire_all()
    return _db.session.scalar(sa.select(Agency).filter_by(code=code))


def parent_code(code: str) -> str | None:
    found = agency(code)
    return found.parent.code if found.parent else None


def test_a_department_admin_cannot_take_its_own_agency_out_of_the_province(client, auth, department_admin):
    auth.login("admin.nnmt", "dat-dai-song-nui")
    lifted = client.post(f"/admin/agencies/{DEPARTMENT}", data={
        "code": DEPARTMENT, "name": NNMT_NAME, "level": "province", "parent_code": ""})
    assert lifted.status_code == 403  # beyond its reach, whatever is typed: forbidden
    assert "Không thể đổi cấp hoặc cơ quan cấp trên của chính cơ quan mình" in lifted.get_data(as_text=True)
    lowered = client.post(f"/admin/agencies/{DEPARTMENT}", data={
        "code": DEPARTMENT, "name": NNMT_NAME, "level": "commune", "parent_code": PROVINCE})
    assert lowered.status_code == 403
    assert (parent_code(DEPARTMENT), agency(DEPARTMENT).level) == (PROVINCE, "province")


def test_a_department_admin_renames_its_own_agency_whose_place_the_form_shows_but_does_not_send(
        client, auth, department_admin):
    auth.login("admin.nnmt", "dat-dai-song-nui")
    page = client.get(f"/admin/agencies/{DEPARTMENT}").get_data(as_text=True)
    assert re.search(r'<select[^>]*disabled[^>]*name="level"|<select[^>]*name="level"[^>]*disabled', page)
    assert re.search(r'<select[^>]*disabled[^>]*name="parent_code"|<select[^>]*name="parent_code"[^>]*disabled', page)
    saved = client.post(f"/admin/agencies/{DEPARTMENT}", data={  # disabled fields: the browser sends neither
        "code": DEPARTMENT, "name": "Sở Nông nghiệp và Môi trường", "address": "Số 5 đường Hoàng Liên"})
    assert saved.status_code == 302
    assert (agency(DEPARTMENT).name, parent_code(DEPARTMENT), agency(DEPARTMENT).level) == (
        "Sở Nông nghiệp và Môi trường", PROVINCE, "province")


def test_a_department_admin_never_moves_an_agency_outside_its_subtree(client, auth, department_admin):
    auth.login("admin.nnmt", "dat-dai-song-nui")
    name = "Văn phòng Đăng ký đất đai tỉnh Lào Cai"
    to_the_province = client.post(f"/admin/agencies/{BELOW}", data={
        "code": BELOW, "name": name, "level": "province", "parent_code": PROVINCE})
    assert to_the_province.status_code == 404  # the province is outside its reach: not even named
    to_no_parent = client.post(f"/admin/agencies/{BELOW}", data={
        "code": BELOW, "name": name, "level": "province", "parent_code": ""})
    assert to_no_parent.status_code == 403  # out of its subtree: forbidden
    assert "Cơ quan cấp trên phải là cơ quan của bạn hoặc một cơ quan cấp dưới của nó." in to_no_parent.get_data(
        as_text=True)
    assert parent_code(BELOW) == DEPARTMENT
    renamed = client.post(f"/admin/agencies/{BELOW}", data={
        "code": BELOW, "name": "Văn phòng Đăng ký đất đai", "level": "province", "parent_code": DEPARTMENT})
    assert renamed.status_code == 302 and agency(BELOW).name == "Văn phòng Đăng ký đất đai"


def test_new_agencies_go_only_under_the_admins_subtree(client, auth, department_admin):
    auth.login("admin.nnmt", "dat-dai-song-nui")
    beside = client.post("/admin/agencies/new", data={"code": "000.02.05.H38", "name": "Chi cục A",
                                                      "level": "province", "parent_code": PROVINCE})
    assert beside.status_code == 404 and agency("000.02.05.H38") is None
    below = client.post("/admin/agencies/new", data={"code": "000.02.05.H38", "name": "Chi cục Kiểm lâm",
                                                     "level": "province", "parent_code": DEPARTMENT})
    assert below.status_code == 302 and parent_code("000.02.05.H38") == DEPARTMENT


def test_a_commune_admin_posting_its_agency_as_a_province_without_parent_is_refused_and_the_province_keeps_it(
        client, auth, world):
    services.create_user("admin.yenbai", "phuong-yen-bai-2025", "Quản trị phường Yên Bái",
                         world.agencies["000.21.00.H38"], ["admin"])
    _db.session.commit()
    auth.login("admin.yenbai", "phuong-yen-bai-2025")
    response = client.post("/admin/agencies/000.21.00.H38", data={
        "code": "000.21.00.H38", "name": "Ủy ban nhân dân phường Yên Bái", "level": "province", "parent_code": ""})
    assert response.status_code == 403
    assert (parent_code("000.21.00.H38"), agency("000.21.00.H38").level) == (PROVINCE, "commune")
    auth.logout()
    auth.login("admin")
    assert client.get("/admin/agencies/000.21.00.H38").status_code == 200


def test_a_department_admin_gives_accounts_only_agencies_of_its_subtree(client, auth, department_admin):
    auth.login("admin.nnmt", "dat-dai-song-nui")
    form = {"full_name": "Vũ Thị Mai", "roles": ["officer"], "active": "y", "password": "ruong-bac-thang-mu"}
    at_the_province = client.post("/admin/users/new", data={**form, "username": "mai.vu", "agency_code": PROVINCE})
    assert at_the_province.status_code == 404
    below = client.post("/admin/users/new", data={**form, "username": "mai.vu", "agency_code": BELOW})
    assert below.status_code == 302
    moved_out = client.post("/admin/users/officer.nnmt", data={
        "username": "officer.nnmt", "full_name": "Đỗ Minh Đất", "agency_code": "000.00.04.H38", "roles": ["officer"],
        "active": "y"})
    assert moved_out.status_code == 404
    _db.session.expire_all()
    assert _db.session.scalar(sa.select(User).filter_by(username="officer.nnmt")).agency.code == DEPARTMENT


def test_an_admin_leaves_a_peer_admin_of_its_own_agency_to_the_agency_above(client, auth, world, department_admin):
    services.create_user("admin2.nnmt", "nong-nghiep-xanh", "Quản trị thứ hai", world.agencies[DEPARTMENT], ["admin"])
    _db.session.commit()
    auth.login("admin.nnmt", "dat-dai-song-nui")
    takeover = client.post("/admin/users/admin2.nnmt", data={
        "username": "admin2.nnmt", "full_name": "Quản trị thứ hai", "agency_code": DEPARTMENT, "roles": ["admin"],
        "active": "y", "password": "toi-da-doi-mat-khau"})
    assert takeover.status_code == 403  # a peer's account is the agency above's to change
    assert "ngang quyền với bạn" in takeover.get_data(as_text=True)
    officer = client.post("/admin/users/officer.nnmt", data={  # an officer of its own agency ranks below it
        "username": "officer.nnmt", "full_name": "Đỗ Minh Đất", "agency_code": BELOW, "roles": ["officer"],
        "active": "y"})
    assert officer.status_code == 302
    auth.logout()
    assert auth.login("admin2.nnmt", "nong-nghiep-xanh").status_code == 302  # its password is unchanged
    auth.logout()
    auth.login("admin")
    reset = client.post("/admin/users/admin2.nnmt", data={
        "username": "admin2.nnmt", "full_name": "Quản trị thứ hai", "agency_code": DEPARTMENT, "roles": ["admin"],
        "active": "y", "password": "do-tinh-dat-lai"})
    assert reset.status_code == 302


def test_no_one_grants_a_role_above_their_own(world):
    from onestop.auth import scope

    supervisor = world.users["supervisor"]
    with pytest.raises(services.AccountError, match="Không thể cấp vai trò cao hơn vai trò của chính bạn."):
        scope.check_user_change(supervisor, world.users["clerk"], world.agencies["000.00.01.H38"], ["admin"])
    scope.check_user_change(supervisor, world.users["clerk"], world.agencies["000.00.01.H38"], ["clerk", "officer"])


def audit_names(client, **filters) -> set[str]:
    page = client.get("/admin/audit", query_string=filters).get_data(as_text=True)
    return set(re.findall(r'<td data-label="Người dùng">([^<]*)</td>', page))


def test_a_department_admin_reads_the_failed_sign_ins_of_its_own_people_only(client, auth, department_admin):
    for name in ("supervisor", "officer.nnmt", "khong.co.ai"):
        auth.login(name, "sai-mat-khau")
    auth.login("admin.nnmt", "dat-dai-song-nui")
    assert audit_names(client, action="login_failed") == {"officer.nnmt"}
    assert audit_names(client, action="login") == {"admin.nnmt"}
    auth.logout()
    auth.login("admin")
    assert audit_names(client, action="login_failed") == {"supervisor", "officer.nnmt", "khong.co.ai"}


def test_a_department_admin_does_not_read_what_the_province_admin_did(client, auth, world, department_admin):
    auth.login("admin")
    client.post("/admin/users/officer", data={"username": "officer", "full_name": "Phạm Đức Xử",
                                              "agency_code": "000.00.04.H38", "roles": ["officer"], "active": "y"})
    auth.logout()
    auth.login("admin.nnmt", "dat-dai-song-nui")
    assert "admin" not in audit_names(client)
    assert audit_names(client, action="user_updated") == set()
