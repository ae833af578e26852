"""Administrators manage agencies and users within their scope; the audit trail is read-only."""
import pytest
import sqlalchemy as sa

from onestop.auth.models import AuditLog, User


def test_admin_creates_a_clerk_who_can_then_sign_in(client, auth, world, db):
    auth.login("admin")
    response = client.post("/admin/users/new", data={
        "username": "thu.nguyen", "full_name": "Nguyễn Thị Thu", "agency_code": "000.00.04.H38",
        "roles": ["clerk", "officer"], "active": "y", "password": "mat-khau-dai"})
    assert response.status_code == 302
    auth.logout()
    assert auth.login("thu.nguyen", "mat-khau-dai").status_code == 302
    assert client.get("/").headers["Location"] == "/desk"
    user = db.session.scalar(sa.select(User).filter_by(username="thu.nguyen"))
    assert (user.agency.code, user.roles) == ("000.00.04.H38", {"clerk", "officer"})
    actions = db.session.scalars(sa.select(AuditLog.action).where(AuditLog.object_id == "thu.nguyen").order_by(AuditLog.id)).all()
    assert actions == ["user_created", "login"]


def test_short_password_and_duplicate_names_are_refused(client, auth, world):
    auth.login("admin")
    short = client.post("/admin/users/new", data={"username": "a.b", "full_name": "A B", "agency_code": "000.00.04.H38",
                                                  "roles": ["clerk"], "password": "ngan"})
    assert short.status_code == 400 and "Mật khẩu phải có ít nhất 8 ký tự." in short.get_data(as_text=True)
    duplicate = client.post("/admin/users/new", data={"username": "clerk", "full_name": "X", "agency_code": "000.00.04.H38",
                                                      "roles": ["clerk"], "password": "mat-khau-dai"})
    assert duplicate.status_code == 400 and "Tên đăng nhập clerk đã tồn tại." in duplicate.get_data(as_text=True)


def test_admin_cannot_lock_themself_out(client, auth, world):
    auth.login("admin")
    response = client.post("/admin/users/admin", data={"username": "admin", "full_name": "Quản trị",
                                                       "agency_code": "000.00.00.H38", "roles": ["supervisor"], "active": "y"})
    assert "Bạn không thể tự bỏ quyền quản trị" in response.get_data(as_text=True)


def test_clerk_gets_403_on_admin_pages(client, auth, world):
    auth.login("clerk")
    assert [client.get(url).status_code for url in ("/admin/users", "/admin/agencies", "/admin/audit")] == [403, 403, 403]


def test_a_department_admin_sees_its_own_units_and_nothing_else(client, auth, world, db):
    from onestop.auth import services

    services.create_user("admin.nnmt", "mat-khau-dai", "Quản trị Sở Nông nghiệp và Môi trường",
                         world.agencies["000.00.05.H38"], ["admin"])
    db.session.commit()
    auth.login("admin.nnmt", "mat-khau-dai")
    assert client.get("/admin/users/officer.nnmt").status_code == 200
    assert client.get("/admin/agencies/000.01.05.H38").status_code == 200  # Văn phòng Đăng ký đất đai, below it
    assert client.get("/admin/users/clerk").status_code == 404
    assert client.get("/admin/agencies/000.21.00.H38").status_code == 404


def test_agency_code_shape_and_cycles_are_checked(client, auth, world):
    auth.login("admin")
    bad = client.post("/admin/agencies/new", data={"code": "H38", "name": "Sai", "level": "commune",
                                                   "parent_code": "000.00.00.H38"})
    assert "không đúng dạng" in bad.get_data(as_text=True)
    cycle = client.post("/admin/agencies/000.00.05.H38", data={
        "code": "000.00.05.H38", "name": "Sở Nông nghiệp và Môi trường tỉnh Lào Cai", "level": "province",
        "parent_code": "000.01.05.H38"})
    assert "không được là chính nó hoặc cơ quan cấp dưới" in cycle.get_data(as_text=True)


def test_since_july_2025_no_agency_becomes_district_level_but_old_ones_stay_readable(client, auth, world, db):
    from onestop.auth import services

    auth.login("admin")
    new = client.post("/admin/agencies/new", data={"code": "000.27.00.H38", "name": "UBND huyện cũ",
                                                   "level": "district", "parent_code": "000.00.00.H38"})
    assert new.status_code == 400
    assert "Not a valid choice" not in new.get_data(as_text=True)
    old = world.agencies["000.26.00.H38"]
    old.level = "district"  # a record made before 1 July 2025
    db.session.commit()
    page = client.get("/admin/agencies/000.26.00.H38").get_data(as_text=True)
    assert "Cấp huyện (trước 01/7/2025)" in page
    kept = client.post("/admin/agencies/000.26.00.H38", data={
        "code": "000.26.00.H38", "name": "Ủy ban nhân dân xã Mù Cang Chải", "level": "district",
        "parent_code": "000.00.00.H38"})
    assert kept.status_code == 302
    with pytest.raises(services.AccountError, match="không còn cấp huyện"):
        services.create_agency("000.28.00.H38", "UBND huyện", "district", world.agencies["000.00.00.H38"])


def test_supervisor_reads_the_audit_trail_which_nobody_can_edit(client, auth, world, db):
    auth.login("clerk", "sai")
    auth.login("supervisor")
    page = client.get("/admin/audit").get_data(as_text=True)
    assert "login_failed" in page and "login" in page
    row = db.session.scalar(sa.select(AuditLog).limit(1))
    row.action = "tampered"
    with pytest.raises(PermissionError):
        db.session.flush()
    db.session.rollback()


def test_cli_creates_users(runner, world):
    ok = runner.invoke(args=["users", "create", "lan.tran", "--agency", "000.00.05.H38", "--role", "officer",
                             "--name", "Trần Thị Lan", "--password", "mat-khau-dai"])
    assert ok.exit_code == 0 and "Đã tạo tài khoản lan.tran (officer) tại 000.00.05.H38." in ok.output
    unknown = runner.invoke(args=["users", "create", "x", "--agency", "999.99.99.H99", "--role", "clerk",
                                  "--password", "mat-khau-dai"])
    assert unknown.exit_code == 1 and "Không có cơ quan mã 999.99.99.H99." in unknown.output
    short = runner.invoke(args=["users", "create", "y", "--agency", "000.00.05.H38", "--role", "clerk", "--password", "abc"])
    assert "Mật khẩu phải có ít nhất 8 ký tự." in short.output


def test_the_audit_trail_pages_newest_first_after_the_last_row_without_counting(client, auth, world, db):
    """120 rows of the trail: pages of 50, 50 and 20, newest first, each continuing after the last row shown; no
    page counts the trail (it grows by a row per reception and event); a spoiled link is a clear 400."""
    import re

    from onestop import audit
    from tests.statements import counted

    for number in range(120):
        audit.record("paging_check", object_type="Check", object_id=f"C{number:03d}", user=world.users["clerk"])
    db.session.commit()
    auth.login("supervisor")
    seen, url = [], "/admin/audit?action=paging_check"
    while url:
        with counted() as sent:
            page = client.get(url).get_data(as_text=True)
        assert not [statement for statement in sent if "count(" in statement.lower()]
        seen.append(re.findall(r"Check (C\d{3})", page))
        found = re.search(r'href="(/admin/audit\?after=[^"]+)"', page)
        url = found.group(1).replace("&amp;", "&") if found else None
    assert [len(rows) for rows in seen] == [50, 50, 20]
    assert sum(seen, []) == [f"C{number:03d}" for number in reversed(range(120))]
    spoiled = client.get("/admin/audit?after=not-a-cursor")
    assert spoiled.status_code == 400 and "Liên kết trang không hợp lệ" in spoiled.get_data(as_text=True)
