"""The app starts, refuses to run without a secret, signs users in safely."""
from datetime import datetime

import pytest

from onestop import create_app
from onestop.text import fold
from tests.conftest import csrf_token_from, make_app


def test_production_refuses_to_start_without_secret_key(monkeypatch, tmp_path):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("FLASK_DEBUG", raising=False)
    monkeypatch.setenv("ONESTOP_INSTANCE_PATH", str(tmp_path))
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app()


def test_environment_overrides_instance_config(monkeypatch, tmp_path):
    (tmp_path / "config.py").write_text("SECRET_KEY = 'from-instance'\nPUBLIC_BASE_URL = 'http://instance'\n")
    monkeypatch.setenv("ONESTOP_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("PUBLIC_BASE_URL", "https://motcua.yenbai.gov.vn")
    monkeypatch.setenv("DATABASE_URL", "postgresql://u@db/onestop")
    app = create_app()
    assert app.config["SECRET_KEY"] == "from-instance"
    assert app.config["PUBLIC_BASE_URL"] == "https://motcua.yenbai.gov.vn"
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@db/onestop"


def test_decomposed_vietnamese_is_stored_composed(world, db):
    import unicodedata

    import sqlalchemy as sa

    from onestop.reception.models import Application
    from onestop.timeutil import VN
    from tests.factories import applicant, make_procedure, receive

    decomposed = unicodedata.normalize("NFD", "Nguyễn Thị Ngọc Ánh")  # as some keyboards and phones send it
    assert decomposed != "Nguyễn Thị Ngọc Ánh"
    procedure = make_procedure(agency=world.agencies["000.00.04.H38"])
    receive(world.users["clerk"], procedure, datetime(2026, 10, 5, 9, 0, tzinfo=VN),
            applicant=applicant(name=decomposed))
    db.session.expire_all()
    stored = db.session.scalar(sa.select(Application.applicant_name))
    assert stored == "Nguyễn Thị Ngọc Ánh" and unicodedata.is_normalized("NFC", stored)
    assert fold("ĐĂNG KÝ KHAI SINH") == "dang ky khai sinh"


def test_clerk_signs_in_and_lands_on_the_desk(client, auth, world):
    response = auth.login("clerk", "demo")
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert client.get("/").headers["Location"] == "/desk"


def test_wrong_password_is_refused_in_vietnamese(client, auth, world):
    response = auth.login("clerk", "sai-mat-khau")
    assert response.status_code == 200
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in response.get_data(as_text=True)


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "/\\evil.example"])
def test_next_redirect_never_leaves_the_site(client, world, target):
    response = client.post(f"/login?next={target}", data={"username": "clerk", "password": "demo"})
    assert response.headers["Location"] == "/"


def test_local_next_redirect_is_kept(client, world):
    response = client.post("/login?next=/thu-tuc?q=khai", data={"username": "clerk", "password": "demo"})
    assert response.headers["Location"] == "/thu-tuc?q=khai"


def test_login_form_without_csrf_token_is_refused(tmp_path):
    app = make_app(tmp_path, WTF_CSRF_ENABLED=True)
    with app.app_context():
        from onestop import demo
        from onestop.extensions import db

        demo.load_users(demo.load_agencies())
        db.session.commit()
        client = app.test_client()
        refused = client.post("/login", data={"username": "clerk", "password": "demo"})
        assert refused.status_code == 400
        token = csrf_token_from(client.get("/login").get_data(as_text=True))
        accepted = client.post("/login", data={"username": "clerk", "password": "demo", "csrf_token": token})
        assert accepted.status_code == 302
        from tests.conftest import drop_everything

        drop_everything()


def test_login_is_throttled_per_account(tmp_path):
    app = make_app(tmp_path, RATELIMIT_ENABLED=True, LOGIN_LIMIT_PER_ACCOUNT="3 per minute")
    with app.app_context():
        from onestop import demo
        from onestop.extensions import db

        demo.load_users(demo.load_agencies())
        db.session.commit()
        client = app.test_client()
        for _ in range(3):
            assert client.post("/login", data={"username": "clerk", "password": "x"}).status_code == 200
        blocked = client.post("/login", data={"username": "clerk", "password": "demo"})
        assert blocked.status_code == 429
        assert "quá nhiều lần" in blocked.get_data(as_text=True)
        # another account from the same address is not blocked by this account's failures
        assert client.post("/login", data={"username": "officer", "password": "demo"}).status_code == 302
        from tests.conftest import drop_everything

        drop_everything()


def test_api_token_authenticates_without_cookies(client, world):
    token = client.post("/api/v1/tokens", json={"username": "clerk", "password": "demo"}).get_json()["token"]
    fresh = client.application.test_client()
    listed = fresh.get("/api/v1/tokens", headers={"Authorization": f"Bearer {token}"})
    assert listed.status_code == 200
    assert len(listed.get_json()["tokens"]) == 1
    assert fresh.get("/api/v1/tokens").status_code == 401
    token_id = listed.get_json()["tokens"][0]["id"]
    assert fresh.delete(f"/api/v1/tokens/{token_id}", headers={"Authorization": f"Bearer {token}"}).status_code == 204
    assert fresh.get("/api/v1/tokens", headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_a_token_shows_when_a_script_last_used_it_to_within_five_minutes(client, world):
    from concurrent.futures import ThreadPoolExecutor
    from datetime import datetime

    from onestop.timeutil import VN, frozen_at

    token = client.post("/api/v1/tokens", json={"username": "clerk", "password": "demo"}).get_json()["token"]
    bearer = {"Authorization": f"Bearer {token}"}
    fresh = client.application.test_client()

    def call(hour, minute, url="/api/v1/tokens"):
        """One script call at hh:mm, in a thread of its own: its own app context and session, as in production."""
        def run():
            with frozen_at(datetime(2026, 10, 5, hour, minute, tzinfo=VN)):
                return fresh.get(url, headers=bearer)
        with ThreadPoolExecutor(max_workers=1) as pool:
            return pool.submit(run).result()

    def last_used(hour, minute):
        return call(hour, minute).get_json()["tokens"][0]["last_used_at"]

    assert call(9, 0).status_code == 200
    assert last_used(9, 4) == "2026-10-05T02:00:00+00:00"  # within five minutes of 09:00: not written again
    assert call(9, 6, "/api/v1/applications/000.00.00.H38-261005-9999").status_code == 404  # a failed call is a use
    assert last_used(9, 7) == "2026-10-05T02:06:00+00:00"


def test_token_is_stored_hashed(client, world, db):
    from onestop.auth.models import ApiToken

    token = client.post("/api/v1/tokens", json={"username": "clerk", "password": "demo"}).get_json()["token"]
    stored = db.session.scalars(db.select(ApiToken.token_hash)).all()
    assert token not in stored
    assert stored == [ApiToken.hash(token)]


def test_wrong_password_for_token_is_401_json(client, world):
    response = client.post("/api/v1/tokens", json={"username": "clerk", "password": "nope"})
    assert response.status_code == 401
    assert response.get_json()["error"] == "Tên đăng nhập hoặc mật khẩu không đúng."
