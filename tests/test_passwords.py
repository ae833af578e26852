"""Passwords a person can choose (NIST SP 800-63B): at least 8 characters, not only spaces, not the user name, not a
common password from the list shipped in the package; hashed with scrypt (issue 11, part 4)."""
import configparser
import fnmatch
from pathlib import Path

import pytest
import sqlalchemy as sa

from onestop.auth import services
from onestop.auth.models import User
from onestop.extensions import db

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("password, message", [
    ("ngắn", "Mật khẩu phải có ít nhất 8 ký tự."),
    ("Officer.NNMT", "Mật khẩu không được trùng với tên đăng nhập."),
    ("password123", "Mật khẩu này quá phổ biến"),
    ("Iloveyou1", "Mật khẩu này quá phổ biến"),  # the list is compared ignoring case
    ("matkhau123", "Mật khẩu này quá phổ biến"),  # from the Vietnamese list
    ("x" * 257, "Mật khẩu dài quá 256 ký tự."),
])
def test_an_officer_cannot_choose_a_password_that_is_easy_to_guess(client, auth, world, password, message):
    auth.login("officer.nnmt")
    response = client.post("/password", data={"old_password": "demo", "new_password": password,
                                              "confirm": password})
    assert message in response.get_data(as_text=True)
    assert world.users["officer.nnmt"].check_password("demo")


def test_an_admin_cannot_reset_a_password_to_spaces(client, auth, world):
    auth.login("admin")
    response = client.post("/admin/users/clerk", data={"username": "clerk", "full_name": "Lê Thị Thu Hằng",
                                                       "agency_code": "000.00.01.H38", "roles": ["clerk"],
                                                       "active": "y", "password": " " * 12})
    assert response.status_code == 400
    assert "Mật khẩu không được chỉ gồm khoảng trắng." in response.get_data(as_text=True)
    assert world.users["clerk"].check_password("demo")


def test_a_long_sentence_is_a_good_password(client, auth, world):
    auth.login("officer.nnmt")
    sentence = "mùa lúa chín ở Mù Cang Chải"
    response = client.post("/password", data={"old_password": "demo", "new_password": sentence, "confirm": sentence})
    assert response.status_code == 302
    db.session.expire_all()
    assert world.users["officer.nnmt"].check_password(sentence)


def test_the_admin_and_the_command_line_apply_the_same_rules(client, auth, world, runner):
    auth.login("admin")
    created = client.post("/admin/users/new", data={"username": "thu.ha", "full_name": "Hà Thu",
                                                    "agency_code": "000.00.04.H38", "roles": ["clerk"],
                                                    "password": "qwertyuiop"})
    assert created.status_code == 400 and "Mật khẩu này quá phổ biến" in created.get_data(as_text=True)
    cli = runner.invoke(args=["users", "create", "lan.tran", "--agency", "000.00.05.H38", "--role", "officer",
                              "--password", "lan.tran"])
    assert cli.exit_code == 1 and "Mật khẩu không được trùng với tên đăng nhập." in cli.output


def test_the_common_password_lists_ship_inside_the_package():
    from onestop.auth import passwords

    assert len(passwords.common_passwords()) > 8000
    assert {"123456789", "iloveyou1", "anhyeuem", "#1stunna"} <= passwords.common_passwords()
    config = configparser.ConfigParser()
    config.read(ROOT / "setup.cfg")
    # the data folder is a package of its own (setup.cfg: packages = find_namespace:)
    globs = [glob.strip() for glob in config["options.package_data"]["onestop.auth.common_passwords"].split(",")]
    shipped = [path.relative_to(passwords.LISTS).as_posix() for path in passwords.LISTS.glob("*")]
    assert shipped and all(any(fnmatch.fnmatch(path, glob) for glob in globs) for path in shipped)


def test_passwords_are_hashed_with_scrypt_by_default(tmp_path):
    from tests.conftest import drop_everything, make_app

    config = {"PASSWORD_HASH_METHOD": None}
    app = make_app(tmp_path, **config)
    app.config.pop("PASSWORD_HASH_METHOD")
    with app.app_context():
        from onestop import demo

        agencies = demo.load_agencies()
        services.create_user("hash.check", "mot-cau-dai-de-nho", "Kiểm tra", agencies["000.00.04.H38"], ["clerk"])
        db.session.commit()
        stored = db.session.scalar(sa.select(User.password_hash).filter_by(username="hash.check"))
        drop_everything()
    assert stored.startswith("scrypt:")


def test_the_demo_users_keep_the_password_demo(client, auth, world):
    assert auth.login("clerk", "demo").status_code == 302
